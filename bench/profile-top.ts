/**
 * The largest items of V8 CPU profiles (.cpuprofile files, as `BENCH_PROFILE` in
 * bench/service-read.ts writes them), printed as tables: the time spent in each function itself
 * and in each source file itself, in ms, or in µs a request given the requests each profile covered.
 * Given several profiles (say two runs of each of two versions), one column per profile.
 *
 *   npx tsx bench/profile-top.ts [--requests 10000] [--rows 25] [--under service/src] [--json out.json] A.cpuprofile [B.cpuprofile …]
 *   npx tsx bench/profile-top.ts --requests 10000 A.heapprofile [B.heapprofile …]
 *
 * "(idle)" is the event loop waiting; "(program)" native code the profiler could not place;
 * "(garbage collector)" the main thread's GC pauses; node:inspector the profiler stopping (its own
 * work, at the end). A builtin the JIT inlines (JSON.stringify, a regular expression) counts as its
 * caller's own time. The "total" row leaves out "(idle)" and node:inspector: the main thread's work;
 * each `--under DIR` adds a row of the own time of every file whose path has DIR in it (say
 * `--under service/src`: the service's own code).
 *
 * Given .heapprofile files instead (V8's sampling heap profiles, which `BENCH_PROFILE` writes beside
 * each CPU profile, counting objects collected since), the same tables give the bytes each
 * function allocated itself, in KB, or in bytes a request: V8's estimate from one sample every
 * ~8 KB allocated, so a function's figure is good to a few hundred bytes over 10,000 requests.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number } };
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[] };
type HeapNode = { callFrame: Node["callFrame"]; selfSize: number; children: HeapNode[] };
type HeapProfile = { head: HeapNode };

const USAGE =
  "usage: npx tsx bench/profile-top.ts [--requests N] [--rows N] [--under DIR …] [--json FILE] A.cpuprofile [B.cpuprofile …] (or .heapprofile files)";
function usage(problem?: string): never {
  if (problem !== undefined) console.error(problem);
  console.error(USAGE);
  process.exit(2);
}
let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      requests: { type: "string" },
      rows: { type: "string", default: "25" },
      json: { type: "string" },
      under: { type: "string", multiple: true },
    },
  });
} catch (err) {
  usage((err as Error).message);
}
const { values, positionals: files } = parsed;
const requests = values.requests === undefined ? undefined : Number(values.requests);
const rows = Number(values.rows);
if (files.length === 0) usage();
if ((requests !== undefined && !(requests > 0)) || !(rows > 0)) usage("--requests and --rows: positive numbers");

/** The last two parts of a path: enough to tell service/src/claims/lane.ts from a library's file. */
const where = (url: string) => url.split("/").slice(-2).join("/");
const NOT_WORK = new Set(["(idle)", "node:inspector"]);

type Own = { byFunction: Map<string, number>; byFile: Map<string, number> };

/** Adds `amount` (µs, or bytes) to a function's and its file's own share. */
function adder(): Own & { add: (frame: Node["callFrame"], amount: number) => void } {
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  const put = (m: Map<string, number>, key: string, amount: number) => m.set(key, (m.get(key) ?? 0) + amount);
  const add = ({ functionName, url, lineNumber }: Node["callFrame"], amount: number) => {
    const name = functionName || "(anonymous)";
    // Native entries ((idle), writev, …) have no file: they stand for themselves.
    const fileKey = url ? where(url) : name;
    put(byFunction, url ? `${name}  ${where(url)}:${lineNumber + 1}` : name, amount);
    put(byFile, fileKey, amount);
    if (!NOT_WORK.has(fileKey)) put(byFile, "total", amount);
    for (const dir of values.under ?? []) if (url.includes(`/${dir}/`)) put(byFile, `under ${dir}/`, amount);
  };
  return { byFunction, byFile, add };
}

/** Own time (µs) by function and by file, from a CPU profile. */
function ownTime(profile: Profile): Own {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const own = adder();
  profile.samples.forEach((id, i) => own.add((nodes.get(id) as Node).callFrame, profile.timeDeltas[i] ?? 0));
  return own;
}

/** Bytes allocated by each function itself and by file, from a sampling heap profile (V8's estimate). */
function ownBytes(profile: HeapProfile): Own {
  const own = adder();
  const walk = (node: HeapNode) => {
    own.add(node.callFrame, node.selfSize);
    for (const child of node.children) walk(child);
  };
  walk(profile.head);
  return own;
}

const kind = (file: string) => (file.endsWith(".heapprofile") ? "heap" : "cpu");
if (new Set(files.map(kind)).size > 1) usage("give CPU profiles or heap profiles, not both");
const heap = kind(files[0] ?? "") === "heap";

function read(file: string): Own {
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as Profile & HeapProfile;
    if (heap) {
      if (typeof parsed.head?.selfSize !== "number") throw new Error("not a V8 sampling heap profile");
      return ownBytes(parsed);
    }
    if (!Array.isArray(parsed.samples) || !Array.isArray(parsed.nodes)) throw new Error("not a V8 CPU profile");
    return ownTime(parsed);
  } catch (err) {
    usage(`${file}: ${(err as Error).message}`);
  }
}

const profiles = files.map((file) => ({
  name: path.basename(path.dirname(file)) + "/" + path.basename(file),
  ...read(file),
}));
// Time in ms (or µs a request); bytes in KB (or bytes a request).
const scale = heap
  ? (bytes: number) => (requests === undefined ? Math.round(bytes / 102.4) / 10 : Math.round(bytes / requests))
  : (micros: number) =>
      requests === undefined ? Math.round(micros / 100) / 10 : Math.round((micros / requests) * 10) / 10;

function table(pick: (p: (typeof profiles)[number]) => Map<string, number>, label: string) {
  const keys = new Map<string, number>();
  for (const p of profiles) for (const [k, v] of pick(p)) keys.set(k, (keys.get(k) ?? 0) + v);
  return [...keys]
    .sort((a, b) => b[1] - a[1])
    .slice(0, rows)
    .map(([key]) => ({
      [label]: key,
      ...Object.fromEntries(
        profiles.map((p, i) => [profiles.length === 1 ? unit : `#${i + 1}`, scale(pick(p).get(key) ?? 0)]),
      ),
    }));
}

const unit = heap ? (requests === undefined ? "KB" : "B/req") : requests === undefined ? "ms" : "µs/req";
const what = heap ? "Allocated" : "Own time";
console.log(`${what}, ${unit}${requests === undefined ? "" : ` (${requests} requests a profile)`}`);
profiles.forEach((p, i) => console.log(`  #${i + 1}: ${p.name}`));
const byFunction = table((p) => p.byFunction, "function");
const byFile = table((p) => p.byFile, "file");
console.table(byFunction);
console.table(byFile);
if (values.json !== undefined) {
  writeFileSync(
    values.json,
    JSON.stringify({ unit, requests, profiles: profiles.map((p) => p.name), byFunction, byFile }, null, 1) + "\n",
  );
  console.log(`wrote ${values.json}`);
}
