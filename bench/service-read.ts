/**
 * Read-side benchmark of the service: 100,000 claims (and their transitions) in the indexer's
 * tables, the real HTTP server (@hono/node-server) on 127.0.0.1 in a child process, and the load
 * in this process, once with PGlite and once with PostgreSQL.
 *
 * Routes: GET /v1/claims/:id with uniformly random ids (the worst case for the claim cache: it
 * warms up with the newest CLAIM_CACHE_SIZE claims, and reads of older ones miss), with a hot set (90% of reads on the newest 2,000
 * claims — those still open or just closed, which claimants poll — and 10% uniform), and with the
 * claim cache off; the hot set alone (every read answered from memory) and the reads without the
 * cache again with the claim read's lane off (every request through the router), and a bare
 * node:http server answering a fixed claim body with the
 * same load (the floor: the HTTP and system-call cost of one request on this machine, which no
 * service code can go below); GET /v1/queue as configured (open claims in memory, identical requests answered
 * alike for 1 s), without the answer cache, and with neither (a query per request). Each gets 10 s
 * at a steady 1,000 requests/s (an open-loop pacer here, after 2 s of unrecorded warm-up) and 10 s
 * of autocannon flat out. For every run the server's CPU time per request (process.cpuUsage of the
 * server process; PostgreSQL's own CPU is not included) and the claim cache's hit ratio; before
 * the runs, the server's CPU time over 10 s with no requests (its background work, which every
 * paced row includes); after the runs, the claims cached and the server's memory.
 *
 *   npx tsx bench/service-read.ts                 both engines (PostgreSQL from DATABASE_URL,
 *                                                 default postgres://postgres@127.0.0.1:5432/test)
 *   BENCH_ENGINES=pglite npx tsx bench/service-read.ts
 *   BENCH_SECONDS=5 BENCH_CLAIMS=20000 …          shorter runs
 *   BENCH_ROUTES=floor,claim …                    only those runs (keys of ROUTES)
 *   BENCH_CLAIM_CACHE_SIZE=100000 …               the service with another CLAIM_CACHE_SIZE
 *   BENCH_OUT=name.json …                         another result file under bench/results/ (or an absolute path)
 *   BENCH_LOG_LEVEL=warn …                        no access log (before 2026-12-07 every run was so)
 *   BENCH_LOG_FLUSH_MS=0 …                        each log line written at once (LOG_FLUSH_MS)
 *   BENCH_NODE_FLAGS="--max-semi-space-size=16" … the server's Node flags, instead of the service's
 *                                                 own (SERVICE_NODE_FLAGS, stack/proc.ts); "" for none
 *   BENCH_PROFILE=/tmp/prof …                     a CPU profile of the server per run and of its idle
 *                                                 time, as .cpuprofile files in that directory, and
 *                                                 a sampling heap profile of each (.heapprofile: what
 *                                                 was allocated); the profilers add CPU: compare
 *                                                 profiles, not figures (bench/profile-top.ts reads both)
 *
 * The server logs as the service does by default (LOG_LEVEL=info: one access-log line per
 * request, written in batches every LOG_FLUSH_MS), to a file, as `npm start` gives it one, and
 * runs with the service's Node flags (SERVICE_NODE_FLAGS: its young generation's size).
 *
 * Prints a table and writes bench/results/service-read.json. Here the service reads the
 * database directly; in production it reads through Ponder's SQL over HTTP, which adds a hop
 * (a cache hit spares it).
 */
import { type ChildProcess } from "node:child_process";
import { createServer, type Server } from "node:http";
import { closeSync, openSync } from "node:fs";
import { mkdir, readFile, unlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { sql } from "drizzle-orm";
import type { MiddlewareHandler } from "hono";
import { getAddress } from "viem";

import { createApp } from "../service/src/app.js";
import { serveApp } from "../service/src/server.js";
import type { AuthGuards } from "../service/src/auth/guards.js";
import { loadConfig } from "../service/src/config.js";
import { openDatabase, queryRows } from "../service/src/db/client.js";
import { migrate } from "../service/src/db/migrate.js";
import { seedHelpArticles } from "../service/src/help/seed.js";
import { indexerDdl } from "../service/src/indexer/ddl.js";
import { createIndexerReader, type ChainHead, type IndexerReader } from "../service/src/indexer/reader.js";
import { createLogger } from "../service/src/http/log.js";
import { createMetricsRegistry } from "../service/src/http/metrics.js";
import { CachedIndexerReader } from "../service/src/claims/cache.js";
import {
  answerProbes,
  countingClaimCache,
  memoryShare,
  autocannonRun as autocannonPaths,
  pacedRun as pacedPaths,
  probeChild,
  profileChild,
  startChild as forkServer,
  type Measured,
  type ProcessProbe,
} from "./lib/load.js";
import { seedClaims } from "./lib/seedClaims.js";
import { SERVICE_NODE_FLAGS } from "../stack/proc.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const CLAIMS = Number(process.env.BENCH_CLAIMS ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const RATE = 1000;
const PG_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
/** CLAIM_CACHE_SIZE of the service measured (default: the service's own default). */
const CACHE_SIZE = process.env.BENCH_CLAIM_CACHE_SIZE;
/** The result file under bench/results/. */
const OUT = process.env.BENCH_OUT ?? "service-read.json";
const LOG_LEVEL = (process.env.BENCH_LOG_LEVEL ?? "info") as "info" | "warn";
if (LOG_LEVEL !== "info" && LOG_LEVEL !== "warn")
  throw new Error(`BENCH_LOG_LEVEL: "info" or "warn", not "${LOG_LEVEL}"`);
const PROFILE = process.env.BENCH_PROFILE;
/** The server's Node flags: the service's own, as `npm start` runs it, unless BENCH_NODE_FLAGS says otherwise. */
const NODE_FLAGS =
  process.env.BENCH_NODE_FLAGS === undefined
    ? [...SERVICE_NODE_FLAGS]
    : process.env.BENCH_NODE_FLAGS.split(" ").filter((flag) => flag !== "");
const LOG_FLUSH_MS = Number(process.env.BENCH_LOG_FLUSH_MS ?? loadConfig({}).logFlushMs);
const ASSESSOR = getAddress("0x90f79bf6eb2c4f870365e785982e1f101e93b906");

type Engine = "pglite" | "postgres";
/**
 * The service as configured by default; the same app with every request through the router (the
 * claim read's lane off); with the queue's 1 s answer cache off (the claim cache still answers the
 * queue from memory); with both caches off (every read a query); and a bare node:http server
 * answering a fixed claim body (the floor: what one request costs on this machine at all).
 */
type Variant = "default" | "router" | "noAnswerCache" | "uncached" | "uncachedRouter" | "bare";
type Ready = {
  ports: Record<Variant, number>;
  seedSeconds: number;
  /** The claim cache's warm-up at start: claims stored as entries and packed, and how long it took. */
  warmUp: { claims: number; packed: number; ms: number };
  transitions: number;
  open: number;
  statsMs: number[];
};
/** What the child reports between runs: its CPU time and the claim cache's counters so far. */
type Probe = ProcessProbe & {
  hits: number;
  packed: number;
  misses: number;
  bypasses: number;
  /** Claims held by the default service's claim cache, as entries and packed. */
  cachedClaims: number;
  packedClaims: number;
};

async function serveChild(engine: Engine): Promise<void> {
  // A schema of its own (other checkouts may run this bench on the same PostgreSQL), dropped at the end.
  const schema = `bench_service_read_${process.pid}`;
  const handle =
    engine === "pglite" ? await openDatabase({}) : await openDatabase({ url: PG_URL, schema, poolSize: 10 });
  if (engine === "postgres") {
    await handle.db.execute(sql.raw(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
    await handle.db.execute(sql.raw(`CREATE SCHEMA ${schema}`));
  }
  for (const statement of indexerDdl()) await handle.db.execute(sql.raw(statement));
  await migrate(handle.db);
  await seedHelpArticles(handle.db);

  const now = Math.floor(Date.now() / 1000);
  const base = now - 10_000_000;
  const started = performance.now();
  await seedClaims(handle.db, CLAIMS, now, base);
  const seedSeconds = (performance.now() - started) / 1000;
  const head: ChainHead = { number: BigInt(now - base), timestamp: BigInt(now) };
  const indexer = createIndexerReader({ db: handle.db, head: async () => head, headNow: () => head });
  const log = createLogger(LOG_LEVEL, { flushMs: LOG_FLUSH_MS });

  const [counts] = await queryRows<{ transitions: number; open: number }>(
    handle.db,
    sql`SELECT (SELECT count(*)::int FROM claim_transitions) AS transitions,
      (SELECT count(*)::int FROM claims WHERE status IN ('Submitted', 'Accepted', 'Investigating', 'Approved')) AS open`,
  );
  // The station figures scan every claim; time three computations (the service caches them).
  const statsMs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    await indexer.stats(BigInt(now));
    statsMs.push(Math.round(performance.now() - t));
  }

  // Authentication is not what is measured: everyone is an assessor here.
  const everyone: MiddlewareHandler<{ Variables: { address: `0x${string}` } }> = async (c, next) => {
    c.set("address", ASSESSOR);
    await next();
  };
  const auth: AuthGuards = { session: everyone, assessor: everyone };
  const probe = { hits: 0, packed: 0, misses: 0, bypasses: 0 };
  const caches: CachedIndexerReader[] = [];
  const warmUp = { claims: 0, packed: 0, ms: 0 };
  let firstApp = true;
  const listen = async (env: Record<string, string>) => {
    const config = loadConfig(env);
    // prom-client's default metrics (the event-loop monitor's timer) once, as one service has them:
    // each registry with them would add its timer to every run's CPU time.
    const metrics = createMetricsRegistry({ defaults: firstApp });
    firstApp = false;
    // As service/src/index.ts wires it (claimCacheFromConfig), with the lookups counted for the
    // report. One cache for every variant that has one: a second would add its watcher's
    // background work to every run's CPU time.
    let reader: IndexerReader = indexer;
    if (config.claimCache.size > 0) {
      if (caches[0] === undefined) {
        const cache = countingClaimCache(indexer, config, log, probe);
        const started = performance.now();
        cache.start();
        caches.push(cache);
        await waitUntil(() => cache.fresh());
        // The runs measure the service as it is once started: warmed up with the newest claims.
        await waitUntil(() => !cache.warmUpPending);
        warmUp.claims = cache.size;
        warmUp.packed = cache.packedSize;
        warmUp.ms = Math.round(performance.now() - started);
      }
      reader = caches[0] as CachedIndexerReader;
    }
    const app = createApp({
      db: handle.db,
      config,
      log,
      auth,
      metrics,
      indexer: reader,
      // The delivery side's background work is not part of this read benchmark.
      indexerSource: { db: handle.db, head: async () => undefined },
      now: Date.now,
    });
    const deps = { indexer: reader, log, now: Date.now, config };
    const served = await serveApp(app, deps, { hostname: "127.0.0.1", port: 0 });
    // The same app (and claim cache) with every request through the router: what the lane saves.
    const routed = await serveApp(app, deps, { hostname: "127.0.0.1", port: 0, claimLane: false });
    return { ...served, routed };
  };
  const main = await listen(CACHE_SIZE === undefined ? {} : { CLAIM_CACHE_SIZE: CACHE_SIZE });
  const noAnswerCache = await listen({ QUEUE_CACHE_MS: "0" });
  const uncached = await listen({ QUEUE_CACHE_MS: "0", CLAIM_CACHE_SIZE: "0" });
  // The floor: a bare node:http server answering a fixed body the size of a claim's.
  const sample = await (await fetch(`http://127.0.0.1:${main.port}/v1/claims/${CLAIMS}`)).text();
  const bare = await bareServer(sample);
  const servers = [main, noAnswerCache, uncached].flatMap((s) => [s.server, s.routed.server]).concat(bare.server);
  const ready: Ready = {
    ports: {
      default: main.port,
      router: main.routed.port,
      noAnswerCache: noAnswerCache.port,
      uncached: uncached.port,
      uncachedRouter: uncached.routed.port,
      bare: bare.port,
    },
    seedSeconds,
    warmUp,
    transitions: counts?.transitions ?? 0,
    open: counts?.open ?? 0,
    statsMs,
  };
  answerProbes(() => ({ ...probe, cachedClaims: caches[0]?.size ?? 0, packedClaims: caches[0]?.packedSize ?? 0 }));
  process.send?.(ready);
  process.on("disconnect", () => {
    for (const server of servers) server.close();
    void Promise.all(caches.map((c) => c.stop()))
      .then(async () => {
        if (engine === "postgres") await handle.db.execute(sql.raw(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
        await handle.close();
      })
      .finally(() => process.exit(0));
  });
}

/** A node:http server that answers every request with `body` (the machine's floor for one request). */
async function bareServer(body: string): Promise<{ server: Server; port: number }> {
  const length = String(Buffer.byteLength(body));
  const server = createServer((_req, res) => {
    res.writeHead(200, ["Content-Type", "application/json", "Content-Length", length]);
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return { server, port: typeof address === "object" && address !== null ? address.port : 0 };
}

async function waitUntil(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 6000 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!ok()) throw new Error("the claim cache's first check or warm-up did not complete in 60 s");
}

// ─── Parent: load ─────────────────────────────────────────────────────────────

/** Deterministic ids so two runs ask for the same claims. */
function ids(seed: number) {
  let a = seed;
  return () => {
    a = (Math.imul(a, 1_103_515_245) + 12_345) >>> 0;
    return 1 + (a % CLAIMS);
  };
}

type Row = {
  engine: Engine;
  route: string;
  mode: string;
  "req/s": number;
  "p50 ms": number;
  "p99 ms": number;
  /** Server CPU time (user + system) per request answered, in microseconds. */
  "cpu µs/req": number;
  /** Of which user time: the server's own code (the rest is the kernel's: system calls, loopback TCP). */
  "user µs/req": number;
  "main µs/req": number;
  "gc µs/req": number;
  /** Claim routes with the cache: share of lookups answered from memory. */
  "cache hits": string;
  non2xx: number;
  errors: number;
  /** Paced runs only: requests not sent because a second's worth were already outstanding. */
  dropped: number;
};

type Route =
  | "floor"
  | "claim"
  | "claim-hot"
  | "claim-cached"
  | "claim-uncached"
  | "claim-cached-router"
  | "claim-uncached-router"
  | "queue"
  | "queue-memory"
  | "queue-uncached";
const ROUTES: Record<Route, { name: string; variant: Variant }> = {
  floor: { name: "bare node:http, fixed claim body (floor)", variant: "bare" },
  claim: { name: "GET /v1/claims/:id (uniform ids)", variant: "default" },
  "claim-hot": { name: "GET /v1/claims/:id (hot set)", variant: "default" },
  "claim-cached": { name: "GET /v1/claims/:id (in memory)", variant: "default" },
  "claim-uncached": { name: "GET /v1/claims/:id (no cache)", variant: "uncached" },
  "claim-cached-router": { name: "GET /v1/claims/:id (in memory, router)", variant: "router" },
  "claim-uncached-router": { name: "GET /v1/claims/:id (no cache, router)", variant: "uncachedRouter" },
  queue: { name: "GET /v1/queue", variant: "default" },
  "queue-memory": { name: "GET /v1/queue (no answer cache)", variant: "noAnswerCache" },
  "queue-uncached": { name: "GET /v1/queue (no cache)", variant: "uncached" },
};
/** The order of the runs: the claim runs share one claim cache, each leaving it as the next finds it. */
const ROUTE_ORDER: Route[] = [
  "floor",
  "claim",
  "claim-hot",
  "claim-cached",
  "claim-cached-router",
  "claim-uncached",
  "claim-uncached-router",
  "queue",
  "queue-memory",
  "queue-uncached",
];
/** `BENCH_ROUTES=floor,claim-uncached`: only those runs (for a quick comparison of two checkouts). */
const ONLY = process.env.BENCH_ROUTES?.split(",") as Route[] | undefined;
for (const r of ONLY ?? [])
  if (!(r in ROUTES)) throw new Error(`BENCH_ROUTES: no route "${r}" (${ROUTE_ORDER.join(", ")})`);

/** The hot set: the newest claims, still open or just closed (the seed keeps the newest 2% open). */
const HOT = Math.max(1, Math.floor(CLAIMS * 0.02));

function pathFor(route: Route): () => string {
  if (route.startsWith("queue")) return () => "/v1/queue?limit=50";
  const next = ids(route === "claim-hot" ? 13 : 7);
  // Only the hot set, which the runs before have put in memory: every read a hit.
  if (route === "claim-cached" || route === "claim-cached-router") return () => `/v1/claims/${CLAIMS - (next() % HOT)}`;
  if (route !== "claim-hot") return () => `/v1/claims/${next()}`;
  return () => {
    const n = next();
    // 90% of reads on the hot set, 10% anywhere.
    return `/v1/claims/${n % 10 === 0 ? 1 + ((n * 7919) % CLAIMS) : CLAIMS - (n % HOT)}`;
  };
}

/** autocannon flat out with 32 connections: the throughput ceiling. */
function autocannonRun(port: number, route: Route, seconds = SECONDS): Promise<Measured> {
  return autocannonPaths(port, pathFor(route), seconds);
}

/** Open-loop load at a steady rate (bench/lib/load.ts); `before` runs after the unrecorded warm-up. */
function pacedRun(
  port: number,
  route: Route,
  rate: number,
  before: () => Promise<void>,
  seconds = SECONDS,
): Promise<Measured> {
  return pacedPaths(port, pathFor(route), rate, before, seconds);
}

function startChild(engine: Engine, stderr: number): Promise<{ child: ChildProcess; ready: Ready }> {
  return forkServer<Ready>(fileURLToPath(import.meta.url), ["--serve", engine], {
    label: engine,
    stderr,
    execArgv: NODE_FLAGS,
  });
}

/** One measured run, with the server's CPU time and cache lookups over exactly that run. */
async function measure(
  engine: Engine,
  child: ChildProcess,
  ports: Record<Variant, number>,
  route: Route,
  mode: "paced" | "max",
): Promise<Row> {
  const port = ports[ROUTES[route].variant];
  // The profile covers the measured requests only (not the pacer's warm-up).
  let profiled: ((file: string) => Promise<void>) | undefined;
  const begin = async () => {
    if (PROFILE !== undefined) profiled = await profileChild(child);
    return probeChild<Probe>(child);
  };
  let start: Probe | undefined;
  const m =
    mode === "paced"
      ? await pacedRun(port, route, RATE, async () => {
          start = await begin();
        })
      : ((start = await begin()), await autocannonRun(port, route));
  const end = await probeChild<Probe>(child);
  if (start === undefined) throw new Error("the run began without a probe");
  if (profiled !== undefined) {
    const file = path.join(PROFILE ?? "", `${engine}-${route}-${mode}.cpuprofile`);
    await profiled(file);
    console.log(
      `[${engine}] profile: ${file} (${m.answered} requests: npx tsx bench/profile-top.ts FILE ${m.answered})`,
    );
  }
  const { answered, ...figures } = m;
  return {
    engine,
    route: ROUTES[route].name,
    ...figures,
    "cpu µs/req": answered === 0 ? NaN : Math.round((end.cpuMicros - start.cpuMicros) / answered),
    "user µs/req": answered === 0 ? NaN : Math.round((end.userMicros - start.userMicros) / answered),
    "main µs/req": answered === 0 ? NaN : Math.round((end.mainMicros - start.mainMicros) / answered),
    "gc µs/req": answered === 0 ? NaN : Math.round((end.gcMicros - start.gcMicros) / answered),
    "cache hits": memoryShare(start, end),
  };
}

async function main(): Promise<void> {
  const engines = (process.env.BENCH_ENGINES ?? "pglite,postgres").split(",") as Engine[];
  // The profiles' directory, made now: a profile that cannot be written ended the run without a word.
  if (PROFILE !== undefined) await mkdir(PROFILE, { recursive: true });
  const rows: Row[] = [];
  const setup: Record<
    string,
    Omit<Ready, "ports"> & {
      loadAverage1m: { before: number; after: number };
      /** The server's CPU time a second with no requests (included in every paced row). */
      idleCpuMicrosPerSecond: number;
      /** Of it, the main thread's, and the main thread's garbage-collection pauses. */
      idleMainMicrosPerSecond: number;
      idleGcMicrosPerSecond: number;
      afterRuns: Pick<Probe, "cachedClaims" | "packedClaims" | "heapUsedMB" | "buffersMB" | "rssMB">;
      /** How the server logged (LOG_LEVEL, LOG_FLUSH_MS) and the lines it wrote over the whole bench. */
      log: { level: string; flushMs: number; lines: number; accessLines: number; bytes: number };
      /** The server process's Node flags (before 2026-12-08 none: V8's default young generation). */
      nodeFlags: string[];
    }
  > = {};
  const round2 = (n: number) => Math.round(n * 100) / 100;
  const idle = os.loadavg()[0] ?? 0;
  if (idle > 0.5) {
    console.log(`note: the machine is busy before the bench starts (1-minute load average ${idle.toFixed(2)})`);
  }
  for (const engine of engines) {
    console.log(`[${engine}] seeding ${CLAIMS.toLocaleString("en")} claims and starting the server …`);
    let started: { child: ChildProcess; ready: Ready };
    // The server's log goes to a file, as `npm start` gives each process one (stack/proc.ts).
    const logFile = path.join(os.tmpdir(), `service-read-${process.pid}-${engine}.log`);
    const logFd = openSync(logFile, "w");
    try {
      started = await startChild(engine, logFd);
    } catch (err) {
      console.log(`[${engine}] skipped: ${(err as Error).message}; its log: ${logFile}`);
      continue;
    } finally {
      closeSync(logFd);
    }
    const { child, ready } = started;
    const { ports, ...rest } = ready;
    let afterRuns = { cachedClaims: 0, packedClaims: 0, heapUsedMB: 0, buffersMB: 0, rssMB: 0 };
    let idleCpuMicrosPerSecond = NaN;
    let idleMainMicrosPerSecond = NaN;
    let idleGcMicrosPerSecond = NaN;
    // Other work on the machine skews every figure: say how busy it was.
    const loadBefore = os.loadavg()[0] ?? 0;
    console.log(
      `[${engine}] ${ready.transitions.toLocaleString("en")} transitions, ${ready.open.toLocaleString("en")} open claims, ` +
        `seeded in ${ready.seedSeconds.toFixed(1)} s; station figures over all claims: ${ready.statsMs.join(" / ")} ms; ` +
        `claim cache warmed up with ${ready.warmUp.claims.toLocaleString("en")} claims and ` +
        `${ready.warmUp.packed.toLocaleString("en")} packed in ${ready.warmUp.ms} ms`,
    );
    try {
      // Warm-up, not recorded: JIT, PostgreSQL's buffer cache and per-connection prepared
      // statements. On the uncached service only, so the claim cache starts cold.
      await autocannonRun(ports.uncached, "claim-uncached", 3);
      await autocannonRun(ports.uncached, "queue-uncached", 2);
      await autocannonRun(ports.noAnswerCache, "queue-memory", 2);
      // The server's CPU time with no requests at all (its watchers, ledgers and timers): every
      // paced row includes it, spread over 1,000 requests a second.
      const profiled = PROFILE === undefined ? undefined : await profileChild(child);
      const before = await probeChild<Probe>(child);
      await new Promise((r) => setTimeout(r, SECONDS * 1000));
      const after = await probeChild<Probe>(child);
      if (profiled !== undefined) {
        const file = path.join(PROFILE ?? "", `${engine}-idle.cpuprofile`);
        await profiled(file);
        console.log(`[${engine}] profile of the idle server: ${file}`);
      }
      idleCpuMicrosPerSecond = Math.round((after.cpuMicros - before.cpuMicros) / SECONDS);
      idleMainMicrosPerSecond = Math.round((after.mainMicros - before.mainMicros) / SECONDS);
      idleGcMicrosPerSecond = Math.round((after.gcMicros - before.gcMicros) / SECONDS);
      console.log(
        `[${engine}] idle: ${idleCpuMicrosPerSecond} µs of server CPU a second with no requests ` +
          `(main thread ${idleMainMicrosPerSecond} µs, garbage-collection pauses ${idleGcMicrosPerSecond} µs)`,
      );
      for (const route of ROUTE_ORDER.filter((r) => ONLY === undefined || ONLY.includes(r))) {
        for (const mode of ["paced", "max"] as const) {
          const row = await measure(engine, child, ports, route, mode);
          console.log(
            `[${engine}] ${row.route}, ${row.mode}: ${row["req/s"]} req/s, p50 ${row["p50 ms"]} ms, ` +
              `p99 ${row["p99 ms"]} ms, ${row["cpu µs/req"]} µs CPU/req, cache hits ${row["cache hits"]}`,
          );
          rows.push(row);
        }
      }
      const { cachedClaims, packedClaims, heapUsedMB, buffersMB, rssMB } = await probeChild<Probe>(child);
      afterRuns = { cachedClaims, packedClaims, heapUsedMB, buffersMB, rssMB };
      console.log(
        `[${engine}] after the runs: ${cachedClaims} claims cached and ${packedClaims} packed, heap ${heapUsedMB} MB, buffers ${buffersMB} MB, RSS ${rssMB} MB`,
      );
    } finally {
      child.disconnect();
      await new Promise((resolve) => child.once("exit", resolve));
    }
    const logged = await readFile(logFile, "utf8");
    const logLines = {
      lines: logged.split("\n").length - 1,
      accessLines: logged.split('"msg":"request"').length - 1,
      bytes: Buffer.byteLength(logged),
    };
    console.log(
      `[${engine}] the server's log: ${logLines.lines} lines, ${logLines.accessLines} of them the access log's, ` +
        `${logLines.bytes.toLocaleString("en")} bytes`,
    );
    await unlink(logFile);
    const loadAfter = os.loadavg()[0] ?? 0;
    setup[engine] = {
      ...rest,
      loadAverage1m: { before: round2(loadBefore), after: round2(loadAfter) },
      idleCpuMicrosPerSecond,
      idleMainMicrosPerSecond,
      idleGcMicrosPerSecond,
      afterRuns,
      log: { level: LOG_LEVEL, flushMs: LOG_FLUSH_MS, ...logLines },
      nodeFlags: NODE_FLAGS,
    };
    console.log(`[${engine}] 1-minute load average: ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after`);
  }

  const note =
    "The service read a direct database (PGlite in the server process, or PostgreSQL), not Ponder's SQL over HTTP; " +
    "behind Ponder every read the cache misses adds an HTTP hop and Ponder's own query handling. " +
    "The chain head is fixed and at hand (IndexerReader.clockAt), as Ponder's head cache holds it between fetches, " +
    "so the lane answers a claim held in memory without a promise (from 2026-12-07's 3e95c1b on). " +
    "'paced' is a steady open-loop 1,000 requests/s with latency counted from each request's due time; " +
    "'cpu µs/req' is the server process's CPU time per answered request (PostgreSQL's backends not included), " +
    "'user µs/req' the part of it spent outside the kernel (over loopback the kernel's share includes delivering " +
    "each response to the load generator), 'main µs/req' the part of it on the main thread (the rest is V8's helper threads: concurrent marking and sweeping, compilers), 'gc µs/req' the time the server's main thread stood in garbage collection per request " +
    "(PerformanceObserver's gc entries: wall time of the pauses, part of the CPU time); the floor row is a bare node:http server with a fixed body, under the same load; " +
    "'idle' is the server process's CPU time a second with no requests at all, which every paced row includes. " +
    `The server logged at LOG_LEVEL=${LOG_LEVEL}` +
    (LOG_LEVEL === "info" ? ` (an access-log line per request, LOG_FLUSH_MS=${LOG_FLUSH_MS})` : " (no access log)") +
    " to a file. " +
    "The claim cache (CLAIM_CACHE_SIZE " +
    (CACHE_SIZE ?? "default") +
    ") warms up at start with the newest claims it has room for, and the runs begin once it has; " +
    "the claim runs follow each other on one server, so the cache carries entries from one to the next; " +
    "'uniform ids' reads every claim equally often (the worst case: the claims the warm-up left out miss), " +
    "'hot set' sends 90% of reads to the newest 2% of claims.";
  console.log(
    `\nService read path: ${CLAIMS.toLocaleString("en")} claims, ${SECONDS} s per run, ${os.cpus().length} CPUs, Node ${process.version}`,
  );
  console.table(rows);
  console.log(note);
  const out = {
    generatedAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? "unknown", node: process.version },
    claims: CLAIMS,
    secondsPerRun: SECONDS,
    note,
    setup,
    runs: rows,
  };
  const file = path.resolve(here, "results", OUT);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(out, null, 2) + "\n");
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}

if (process.argv[2] === "--serve") await serveChild(process.argv[3] as Engine);
else if (import.meta.url === `file://${process.argv[1]}`) await main();
