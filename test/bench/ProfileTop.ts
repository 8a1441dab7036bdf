/**
 * The read benches' measuring tools: a child's probe (its CPU time, the main thread's share and its
 * GC pauses), a CPU profile (and a heap profile) taken of the child on request, and
 * bench/profile-top.ts, which sums a profile's own time, or a heap profile's bytes, by function and
 * by file.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

import { expect } from "chai";

import { probeChild, profileChild, startChild, type ProcessProbe } from "../../bench/lib/load.js";

const PROFILE_TOP = fileURLToPath(new URL("../../bench/profile-top.ts", import.meta.url));
const PROBE_CHILD = fileURLToPath(new URL("../fixtures/probe-child.ts", import.meta.url));

describe("bench tools: probes, profiles and profile-top", function () {
  let dir: string;
  before(function () {
    dir = mkdtempSync(path.join(os.tmpdir(), "profile-top-"));
  });
  after(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs profile-top; resolves with its exit code, output and (given --json) what it wrote. */
  async function profileTop(args: string[]) {
    const run = promisify(execFile)(process.execPath, ["--import", "tsx", PROFILE_TOP, ...args]);
    return run.then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (err: { code: number; stdout: string; stderr: string }) => ({
        code: err.code,
        stdout: err.stdout,
        stderr: err.stderr,
      }),
    );
  }

  it("sums a profile's own time by function and by file, per request, leaving the idle loop out of the total", async function () {
    this.timeout(30_000);
    const frame = (functionName: string, url = "", lineNumber = -1) => ({ functionName, url, lineNumber });
    const profile = {
      nodes: [
        { id: 1, callFrame: frame("(root)"), children: [2, 3, 4, 5] },
        { id: 2, callFrame: frame("(idle)") },
        { id: 3, callFrame: frame("answer", "file:///app/service/src/claims/lane.ts", 40) },
        { id: 4, callFrame: frame("writev") },
        { id: 5, callFrame: frame("emit", "file:///app/service/src/http/log.ts", 9), children: [] },
      ],
      startTime: 0,
      endTime: 4_000,
      samples: [2, 3, 4, 3, 5, 2],
      timeDeltas: [1_000, 200, 500, 300, 100, 900],
    };
    const file = path.join(dir, "run.cpuprofile");
    writeFileSync(file, JSON.stringify(profile));
    const out = path.join(dir, "top.json");
    const { code, stdout } = await profileTop([
      "--requests",
      "10",
      "--under",
      "service/src",
      "--under",
      "elsewhere",
      "--json",
      out,
      file,
    ]);
    expect(code).to.equal(0);
    expect(stdout).to.include("µs/req");
    const top = JSON.parse(readFileSync(out, "utf8")) as {
      unit: string;
      byFunction: Record<string, string | number>[];
      byFile: Record<string, string | number>[];
    };
    expect(top.unit).to.equal("µs/req");
    const files = Object.fromEntries(top.byFile.map((r) => [r.file, r["µs/req"]]));
    expect(files).to.deep.equal({
      "(idle)": 190, // 1,900 µs over 10 requests
      total: 110, // lane 500 + writev 500 + log 100: the idle loop is not work
      "claims/lane.ts": 50,
      writev: 50,
      "http/log.ts": 10,
      "under service/src/": 60, // lane 500 + log 100; nothing is under "elsewhere"
    });
    expect(top.byFunction.map((r) => r.function)).to.include("answer  claims/lane.ts:41");
  });

  it("puts two profiles side by side, and refuses bad arguments with its usage (exit 2)", async function () {
    this.timeout(30_000);
    const one = (micros: number) => ({
      nodes: [{ id: 1, callFrame: { functionName: "f", url: "file:///a/b.ts", lineNumber: 0 } }],
      samples: [1],
      timeDeltas: [micros],
      startTime: 0,
      endTime: micros,
    });
    writeFileSync(path.join(dir, "a.cpuprofile"), JSON.stringify(one(3_000)));
    writeFileSync(path.join(dir, "b.cpuprofile"), JSON.stringify(one(5_000)));
    const out = path.join(dir, "ab.json");
    const ok = await profileTop(["--json", out, path.join(dir, "a.cpuprofile"), path.join(dir, "b.cpuprofile")]);
    expect(ok.code, ok.stderr).to.equal(0);
    const { byFile } = JSON.parse(readFileSync(out, "utf8")) as { byFile: Record<string, unknown>[] };
    expect(byFile.find((r) => r.file === "a/b.ts")).to.deep.equal({ file: "a/b.ts", "#1": 3, "#2": 5 });

    for (const args of [
      [],
      ["--requests", "0", out],
      [path.join(dir, "missing.cpuprofile")],
      [out],
      ["--bogus", out],
    ]) {
      const bad = await profileTop(args);
      expect(bad.code, args.join(" ")).to.equal(2);
      expect(bad.stderr).to.include("usage: npx tsx bench/profile-top.ts");
    }
  });

  it("sums a heap profile's bytes by function and by file, per request, and will not mix it with CPU profiles", async function () {
    this.timeout(30_000);
    const frame = (functionName: string, url = "", lineNumber = -1) => ({ functionName, url, lineNumber });
    // A sampling heap profile: a tree of frames, each with the bytes allocated in it itself.
    const node = (callFrame: ReturnType<typeof frame>, selfSize: number, children: unknown[] = []) => ({
      callFrame,
      selfSize,
      children,
    });
    const heap = {
      head: node(frame("(root)"), 0, [
        node(frame("send", "file:///app/service/src/claims/lane.ts", 70), 4_000, [
          node(frame("fromString", "node:buffer", 483), 50_000),
          node(frame("body", "file:///app/service/src/claims/answer.ts", 200), 20_000),
        ]),
        node(frame("(V8 API)"), 1_000),
      ]),
      samples: [],
    };
    const file = path.join(dir, "run.heapprofile");
    writeFileSync(file, JSON.stringify(heap));
    const out = path.join(dir, "heap.json");
    const { code, stdout } = await profileTop(["--requests", "10", "--under", "service/src", "--json", out, file]);
    expect(code).to.equal(0);
    expect(stdout).to.include("Allocated, B/req");
    const top = JSON.parse(readFileSync(out, "utf8")) as {
      unit: string;
      byFunction: Record<string, string | number>[];
      byFile: Record<string, string | number>[];
    };
    expect(top.unit).to.equal("B/req");
    expect(Object.fromEntries(top.byFile.map((r) => [r.file, r["B/req"]]))).to.deep.equal({
      total: 7_500, // every byte allocated, over 10 requests
      "node:buffer": 5_000,
      "claims/answer.ts": 2_000,
      "claims/lane.ts": 400, // its own bytes only, not its callees'
      "(V8 API)": 100,
      "under service/src/": 2_400,
      "(root)": 0,
    });
    expect(top.byFunction.map((r) => r.function)).to.include("fromString  node:buffer:484");
    // Without --requests, kilobytes.
    const whole = await profileTop([file]);
    expect(whole.stdout).to.include("Allocated, KB");

    writeFileSync(path.join(dir, "c.cpuprofile"), JSON.stringify({ nodes: [], samples: [], timeDeltas: [] }));
    writeFileSync(path.join(dir, "not.heapprofile"), JSON.stringify({ nodes: [], samples: [] }));
    for (const args of [[file, path.join(dir, "c.cpuprofile")], [path.join(dir, "not.heapprofile")]]) {
      const bad = await profileTop(args);
      expect(bad.code, args.join(" ")).to.equal(2);
      expect(bad.stderr).to.include("usage: npx tsx bench/profile-top.ts");
    }
  });

  it("probes a child's CPU (the main thread's within it) and takes a CPU profile of it on request", async function () {
    this.timeout(60_000);
    const { child } = await startChild<string>(PROBE_CHILD, ["--probe-child"], { label: "probe test" });
    try {
      const stop = await profileChild(child);
      const before = await probeChild<ProcessProbe>(child);
      const spun = new Promise((resolve) => child.once("message", resolve));
      child.send("spin");
      expect(await spun).to.deep.equal({ spun: true });
      const after = await probeChild<ProcessProbe>(child);
      const file = path.join(dir, "child.cpuprofile");
      await stop(file);

      const main = after.mainMicros - before.mainMicros;
      const all = after.cpuMicros - before.cpuMicros;
      expect(main, "300 ms of spinning on the main thread").to.be.at.least(250_000);
      expect(all).to.be.at.least(main);
      expect(after.gcMicros).to.be.at.least(before.gcMicros);

      const { code, stdout } = await profileTop(["--rows", "40", file]);
      expect(code).to.equal(0);
      expect(stdout, "the spinning handler's own time").to.match(/probe-child\.ts/);
      // And a heap profile of the same span beside it, which profile-top reads too.
      const allocated = await profileTop([path.join(dir, "child.heapprofile")]);
      expect(allocated.code, allocated.stderr).to.equal(0);
      expect(allocated.stdout).to.include("Allocated, KB");
    } finally {
      child.kill();
    }
  });
});
