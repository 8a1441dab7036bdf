/**
 * The largest items of V8 CPU profiles (.cpuprofile files, as `BENCH_PROFILE` in
 * bench/service-read.ts writes them), printed as tables: the time spent in each function itself
 * and in each source file itself, in ms, or in µs a request given the requests each profile covered.
 * Given several profiles (say two runs of each of two versions), one column per profile.
 *
 *   npx tsx bench/profile-top.ts [--requests 10000] [--rows 25] [--under service/src] [--json out.json] A.cpuprofile [B.cpuprofile …]
 *
 * "(idle)" is the event loop waiting; "(program)" native code the profiler could not place;
 * "(garbage collector)" the main thread's GC pauses; node:inspector the profiler stopping (its own
 * work, at the end). A builtin the JIT inlines (JSON.stringify, a regular expression) counts as its
 * caller's own time. The "total" row leaves out "(idle)" and node:inspector: the main thread's work;
 * each `--under DIR` adds a row of the own time of every file whose path has DIR in it (say
 * `--under service/src`: the service's own code).
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number } };
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[] };

const USAGE =
  "usage: npx tsx bench/profile-top.ts [--requests N] [--rows N] [--under DIR …] [--json FILE] A.cpuprofile [B.cpuprofile …]";
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

/** Own time (µs) by function and by file. */
function ownTime(file: string): { byFunction: Map<string, number>; byFile: Map<string, number> } {
  let profile: Profile;
  try {
    profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
    if (!Array.isArray(profile.samples) || !Array.isArray(profile.nodes)) throw new Error("not a V8 CPU profile");
  } catch (err) {
    usage(`${file}: ${(err as Error).message}`);
  }
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  const add = (m: Map<string, number>, key: string, micros: number) => m.set(key, (m.get(key) ?? 0) + micros);
  profile.samples.forEach((id, i) => {
    const micros = profile.timeDeltas[i] ?? 0;
    const { functionName, url, lineNumber } = (nodes.get(id) as Node).callFrame;
    const name = functionName || "(anonymous)";
    // Native entries ((idle), writev, …) have no file: they stand for themselves.
    const fileKey = url ? where(url) : name;
    add(byFunction, url ? `${name}  ${where(url)}:${lineNumber + 1}` : name, micros);
    add(byFile, fileKey, micros);
    if (!NOT_WORK.has(fileKey)) add(byFile, "total", micros);
    for (const dir of values.under ?? []) if (url.includes(`/${dir}/`)) add(byFile, `under ${dir}/`, micros);
  });
  return { byFunction, byFile };
}

const profiles = files.map((file) => ({
  name: path.basename(path.dirname(file)) + "/" + path.basename(file),
  ...ownTime(file),
}));
const scale = (micros: number) =>
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

const unit = requests === undefined ? "ms" : "µs/req";
console.log(`Own time, ${unit}${requests === undefined ? "" : ` (${requests} requests a profile)`}`);
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
