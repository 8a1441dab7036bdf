/**
 * Load for the read benchmarks (bench/service-read.ts, bench/scale-reads.ts): an open-loop pacer
 * at a steady rate, autocannon flat out, and a server in a forked child process that reports its
 * CPU time and memory between runs (so the server's figures are not mixed with the load's).
 */
import { fork, type ChildProcess } from "node:child_process";
import http from "node:http";
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { createRequire } from "node:module";

import { CachedIndexerReader } from "../../service/src/claims/cache.js";
import type { ServiceConfig } from "../../service/src/config.js";
import type { Logger } from "../../service/src/http/router.js";
import type { createIndexerReader } from "../../service/src/indexer/reader.js";

/** What one run measured. */
export type Measured = {
  mode: string;
  /** Requests answered (any status). */
  answered: number;
  "req/s": number;
  "p50 ms": number;
  "p99 ms": number;
  non2xx: number;
  errors: number;
  /** Paced runs only: requests not sent because a second's worth were already outstanding. */
  dropped: number;
};

type AutocannonResult = {
  requests: { average: number };
  latency: { p50: number; p99: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  ["2xx"]: number;
};
type AutocannonRequest = { method?: string; path?: string; headers?: Record<string, string> };
type AutocannonOptions = {
  url: string;
  connections: number;
  duration: number;
  overallRate?: number;
  headers?: Record<string, string>;
  requests?: Array<{ method: string; setupRequest?: (req: AutocannonRequest) => AutocannonRequest }>;
};
const autocannon = createRequire(import.meta.url)("autocannon") as (
  opts: AutocannonOptions,
) => Promise<AutocannonResult>;

/** autocannon flat out with 32 connections: the throughput ceiling. `next` gives each request's path. */
export async function autocannonRun(port: number, next: () => string, seconds: number): Promise<Measured> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: 32,
    duration: seconds,
    requests: [{ method: "GET", setupRequest: (req) => ({ ...req, path: next() }) }],
  });
  return {
    mode: "autocannon, max",
    answered: result["2xx"] + result.non2xx,
    "req/s": Math.round(result.requests.average),
    "p50 ms": result.latency.p50,
    "p99 ms": result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    dropped: 0,
  };
}

/**
 * Open-loop load at a steady rate: request i is due at start + i/rate, sent then (or as soon as
 * the event loop gets to it) over keep-alive sockets, and its latency counts from when it was due,
 * so a slow server or a late sender shows up in the figures instead of silently lowering the rate.
 * `before` runs after the unrecorded warm-up phase (2 s at the rate), right before the measured one.
 */
export async function pacedRun(
  port: number,
  next: () => string,
  rate: number,
  before: () => Promise<void>,
  seconds: number,
): Promise<Measured> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const phase = async (phaseSeconds: number) => {
    const total = rate * phaseSeconds;
    const latencies: number[] = [];
    let non2xx = 0;
    let errors = 0;
    let dropped = 0;
    let sent = 0;
    let finished = 0;
    const start = performance.now();
    await new Promise<void>((resolve) => {
      const finish = () => {
        if (++finished === total) resolve();
      };
      const fire = (due: number) => {
        const req = http.get({ agent, host: "127.0.0.1", port, path: next() }, (res) => {
          res.resume();
          res.on("end", () => {
            latencies.push(performance.now() - due);
            if ((res.statusCode ?? 0) < 200 || (res.statusCode ?? 0) >= 300) non2xx++;
            finish();
          });
        });
        req.setTimeout(10_000, () => req.destroy(new Error("timeout")));
        req.on("error", () => {
          errors++;
          finish();
        });
      };
      const tick = () => {
        const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
        while (sent < due) {
          const at = start + (sent++ * 1000) / rate;
          // An overloaded server would pile up requests without end: past a second's worth
          // outstanding, a due request is dropped (counted) instead of sent.
          if (sent - finished > rate) {
            dropped++;
            finish();
          } else fire(at);
        }
        if (sent < total) setTimeout(tick, 1);
      };
      tick();
    });
    return { total, elapsed: (performance.now() - start) / 1000, latencies, non2xx, errors, dropped };
  };
  // The pacer's own warm-up (sockets opened, its code compiled): 2 s at the rate, not recorded.
  await phase(2);
  await before();
  const { total, elapsed, latencies, non2xx, errors, dropped } = await phase(seconds);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (p: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)] ?? NaN);
  return {
    mode: `paced ${rate}/s`,
    answered: latencies.length,
    "req/s": Math.round((total - dropped) / elapsed),
    "p50 ms": at(0.5),
    "p99 ms": at(0.99),
    non2xx,
    errors,
    dropped,
  };
}

/**
 * Forks `script` (run with tsx) with `args`; resolves with the child and the first message it
 * sends (its "ready" report), or rejects ("<label> server exited with <code>") if it exits first.
 * `stderr`: a file descriptor for the child's stderr (its log), instead of this process's.
 */
export function startChild<Ready>(
  script: string,
  args: string[],
  o: { label: string; execArgv?: string[]; stderr?: number },
): Promise<{ child: ChildProcess; ready: Ready }> {
  const execArgv = o.execArgv ?? [];
  const child = fork(script, args, {
    execArgv: [...execArgv, "--import", "tsx"],
    env: { ...process.env },
    stdio: ["ignore", "inherit", o.stderr ?? "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    child.once("message", (ready) => resolve({ child, ready: ready as Ready }));
    child.once("exit", (code) => reject(new Error(`${o.label} server exited with ${code}`)));
  });
}

/** Asks the child for its probe (it answers the message "probe"; see `answerProbes`). */
export function probeChild<Probe>(child: ChildProcess): Promise<Probe> {
  return new Promise((resolve) => {
    child.once("message", (m) => resolve(m as Probe));
    child.send("probe");
  });
}

/**
 * Starts a CPU profile of the child (V8's sampling profiler, through the inspector); the function
 * returned stops it and writes it to `file` (a .cpuprofile, for Chrome's DevTools or speedscope).
 * The profiler's own sampling costs CPU: a profiled run's figures are not comparable with others.
 */
export async function profileChild(child: ChildProcess): Promise<(file: string) => Promise<void>> {
  const answered = () =>
    new Promise<void>((resolve) => {
      const on = (m: unknown) => {
        if (m !== "profiled") return;
        child.off("message", on);
        resolve();
      };
      child.on("message", on);
    });
  const started = answered();
  child.send("profile:start");
  await started;
  return async (file) => {
    const stopped = answered();
    child.send(`profile:stop:${file}`);
    await stopped;
  };
}

/** The process's CPU time so far (user + system, µs) and memory (MB), as a child reports them. */
export type ProcessProbe = {
  /** User and system CPU time. */
  cpuMicros: number;
  /** User CPU time alone: the process's own code, without the kernel's share (system calls, loopback TCP). */
  userMicros: number;
  /**
   * The main thread's CPU time (user + system): the JavaScript, the event loop and its system calls.
   * The rest of `cpuMicros` is V8's helper threads (concurrent marking and sweeping, the compilers)
   * and libuv's pool.
   */
  mainMicros: number;
  /** Time the main thread stood in garbage collection (PerformanceObserver's "gc" entries), µs. */
  gcMicros: number;
  heapUsedMB: number;
  /** Memory in ArrayBuffers, outside the heap (the packed claims' slabs). */
  buffersMB: number;
  rssMB: number;
};

/**
 * In the child: answers each "probe" message with its CPU time and memory, plus `extra()`; and
 * "profile:start" / "profile:stop:<file>" (see `profileChild`) with a CPU profile of what ran between.
 */
export function answerProbes<Extra extends object>(extra: () => Extra): void {
  let profiler: Session | undefined;
  process.on("message", (message) => {
    if (typeof message !== "string" || !message.startsWith("profile:")) return;
    void (async () => {
      if (message === "profile:start") {
        profiler = new Session();
        profiler.connect();
        await profiler.post("Profiler.enable");
        await profiler.post("Profiler.start");
        // What is allocated, collected or not (V8's sampling heap profiler, one sample per ~8 KB).
        await profiler.post("HeapProfiler.startSampling", {
          samplingInterval: 8192,
          includeObjectsCollectedByMajorGC: true,
          includeObjectsCollectedByMinorGC: true,
        } as never);
      } else if (profiler !== undefined) {
        const { profile } = await profiler.post("Profiler.stop");
        const { profile: allocations } = await profiler.post("HeapProfiler.getSamplingProfile");
        await profiler.post("HeapProfiler.stopSampling");
        profiler.disconnect();
        profiler = undefined;
        const file = message.slice("profile:stop:".length);
        writeFileSync(file, JSON.stringify(profile));
        writeFileSync(file.replace(/\.cpuprofile$/, "") + ".heapprofile", JSON.stringify(allocations));
      }
      process.send?.("profiled");
    })();
  });
  let gcMillis = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMillis += entry.duration;
  }).observe({ entryTypes: ["gc"] });
  process.on("message", (message) => {
    if (message !== "probe") return;
    const cpu = process.cpuUsage();
    const main = process.threadCpuUsage();
    const memory = process.memoryUsage();
    process.send?.({
      ...extra(),
      cpuMicros: cpu.user + cpu.system,
      userMicros: cpu.user,
      mainMicros: main.user + main.system,
      gcMicros: Math.round(gcMillis * 1000),
      heapUsedMB: Math.round(memory.heapUsed / 2 ** 20),
      buffersMB: Math.round(memory.arrayBuffers / 2 ** 20),
      rssMB: Math.round(memory.rss / 2 ** 20),
    } satisfies ProcessProbe);
  });
}

/** The claim cache's lookups, counted for a bench's report. */
/** Claim reads by how the claim cache answered them (`packed`: from its packed tier, in memory too). */
export type LookupCounts = { hits: number; packed: number; misses: number; bypasses: number };

/** The share of lookups memory answered between two counts, and how much of it packed: "93% (40% packed)". */
export function memoryShare(start: LookupCounts, end: LookupCounts): string {
  const d = (k: keyof LookupCounts) => end[k] - start[k];
  const lookups = d("hits") + d("packed") + d("misses") + d("bypasses");
  if (lookups === 0) return "-";
  const pct = (n: number) => Math.round((100 * n) / lookups);
  return `${pct(d("hits") + d("packed"))}%` + (d("packed") === 0 ? "" : ` (${pct(d("packed"))}% packed)`);
}

/** The claim cache as service/src/index.ts wires it (claimCacheFromConfig), counting its lookups into `counts`. */
export function countingClaimCache(
  indexer: ReturnType<typeof createIndexerReader>,
  config: Pick<ServiceConfig, "claimCache" | "finalityConfirmations" | "slaAtRiskFraction">,
  log: Logger,
  counts: LookupCounts,
): CachedIndexerReader {
  const { size, packed, staleMs, warm } = config.claimCache;
  return new CachedIndexerReader(indexer, indexer.changes, {
    maxEntries: size,
    packedEntries: packed,
    staleMs,
    warm,
    log,
    answers: { finalityConfirmations: config.finalityConfirmations, atRiskFraction: config.slaAtRiskFraction },
    onLookup: (result) => {
      if (result === "hit") counts.hits++;
      else if (result === "packed") counts.packed++;
      else if (result === "miss") counts.misses++;
      else counts.bypasses++;
    },
  });
}
