/**
 * The service's reads as the indexed claims grow: 10,000, 100,000 and 1,000,000 claims in
 * PostgreSQL, the real HTTP server (@hono/node-server) wired as service/src/index.ts wires it
 * (claim cache in front of the reader, the station figures' ledger behind it) in a child process,
 * and the load in this process. A bench of its own (not a mode of bench/scale.ts, which times the
 * ledger in-process without a server): each size needs a fresh server process so that its memory
 * is that size's alone.
 *
 * Seeding: the claims and their transitions are written straight into the indexer's tables by
 * bench/lib/seedClaims.ts (one INSERT … SELECT each), not indexed from a chain — a backfill of a
 * million claims through Ponder would take hours. 10% of the claims are open (100,000 of
 * 1,000,000; 10,000 of 100,000; 1,000 of 10,000), the newest ones plus 0.3% of older claims stuck
 * past their deadline; claimants are 20,000 accounts in turn, so an account holds 0.5, 5 and 50
 * claims at the three sizes.
 *
 * Routes, each paced at a steady 1,000 requests/s (open loop, latency counted from each request's
 * due time, bench/lib/load.ts) for BENCH_SECONDS (default 10) after 2 s of unrecorded warm-up:
 * - GET /v1/claims/:id, ids uniform over all claims (most miss the claim cache at 1,000,000);
 * - GET /v1/accounts/:address/claims (first page, 20), accounts uniform over those with claims;
 * - GET /v1/queue, the first page (50), as configured (identical requests share an answer for 1 s);
 * - GET /v1/queue?cursor=…, pages from 1,000 positions spread over the whole queue (each request a
 *   different page, so the answer cache does not help: the queue's own cost);
 * - the same with breached=false: claims not yet past their deadline after the cursor (most
 *   cursors fall among the breached claims, so the page starts where the unbreached ones do);
 * - GET /v1/stats, from the ledger.
 * For each: p50, p99, achieved rate, and the server's CPU time per request (process.cpuUsage of
 * the server process; PostgreSQL's backends not included). The server's heap (after a forced GC)
 * and RSS are read once the claim cache (warmed up with the newest claims) and the ledger have
 * loaded, and again after the runs.
 *
 *   npm run bench:scale-reads                               10,000, 100,000 and 1,000,000 claims
 *   BENCH_SIZES=10000,100000 BENCH_SECONDS=5 npm run bench:scale-reads
 *   BENCH_ROUTES=queue-pages,stats …                      some routes only (keys of ROUTES)
 *   BENCH_INDEXES=before …                                without the three indexes the schema gained
 *                                                         for these reads (transitions and breach
 *                                                         credits by block, claims by claimant and id)
 *   BENCH_OUT=name.json …                                 another result file under bench/results/ (or an absolute path)
 *   BENCH_CLAIM_CACHE_PACKED=0 …                          the service with another CLAIM_CACHE_PACKED
 *
 * PostgreSQL from DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), in a schema of
 * its own dropped at the end. Prints a table (sizes as columns) and writes
 * bench/results/scale-reads.json (merged by size with earlier runs).
 */
import { type ChildProcess } from "node:child_process";
import { writeFile } from "node:fs/promises";
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
import { createLogger } from "../service/src/http/log.js";
import { createMetricsRegistry } from "../service/src/http/metrics.js";
import { encodeCursor } from "../service/src/http/params.js";
import type { Logger } from "../service/src/http/router.js";
import { indexerDdl } from "../service/src/indexer/ddl.js";
import { createIndexerReader, type ChainHead } from "../service/src/indexer/reader.js";
import {
  answerProbes,
  countingClaimCache,
  memoryShare,
  pacedRun,
  probeChild,
  startChild,
  type ProcessProbe,
} from "./lib/load.js";
import { mergedWithEarlier } from "./lib/results.js";
import { recentShareFor, seedClaims } from "./lib/seedClaims.js";
import { SERVICE_NODE_FLAGS } from "../stack/proc.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const SIZES = (process.env.BENCH_SIZES ?? "10000,100000,1000000").split(",").map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const RATE = 1000;
const OPEN_SHARE = 0.1;
const ACCOUNTS = 20_000;
const PG_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
/** BENCH_INDEXES=before: the schema as it was before it indexed what these reads need. */
const INDEXES = process.env.BENCH_INDEXES === "before" ? "before" : "schema";
const ADDED_FOR_SCALE = [
  /ON "claim_transitions" \("block_number"\)/,
  /ON "breach_credits" \("block_number"\)/,
  /ON "claims" \("claimant", "id"\)/,
];
const ASSESSOR = getAddress("0x90f79bf6eb2c4f870365e785982e1f101e93b906");

/** `buffersMB`: memory outside the heap in ArrayBuffers (the packed claims' slabs); absent in results before 2026-12-07. */
type Memory = { heapUsedMB: number; buffersMB?: number; rssMB: number };
type Ready = {
  port: number;
  seedSeconds: number;
  transitions: number;
  open: number;
  /** PostgreSQL's size of the claims and claim_transitions tables with their indexes, MB. */
  tablesMB: number;
  /** Queue cursors (deadline, id) at 1,000 positions spread over the queue. */
  cursors: string[];
  /** Heap (after GC) and RSS before the claim cache started, and once it and the ledger had loaded. */
  before: Memory;
  loaded: Memory;
  /** The claim cache's first check (the open claims loaded) and the ledger's load, ms. */
  cacheLoadMs: number;
  ledgerLoadMs: number;
  /** The claim cache's warm-up with the newest claims: claims stored, and ms from its start. */
  warmUp: { claims: number; ms: number };
};
type Probe = ProcessProbe & {
  hits: number;
  packed: number;
  misses: number;
  bypasses: number;
  cachedClaims: number;
  /** Samples (every 50 ms) of whether the claim cache could answer (its last check within the bound). */
  freshSamples: number;
  samples: number;
};

const gc = (): void => {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) throw new Error("the server child runs with --expose-gc");
  collect();
  collect();
};

function memory(): Memory {
  gc();
  const m = process.memoryUsage();
  return {
    heapUsedMB: Math.round(m.heapUsed / 2 ** 20),
    buffersMB: Math.round(m.arrayBuffers / 2 ** 20),
    rssMB: Math.round(m.rss / 2 ** 20),
  };
}

async function waitUntil(ok: () => boolean, what: string, seconds: number): Promise<void> {
  for (let i = 0; i < seconds * 100 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!ok()) throw new Error(`${what} did not complete within ${seconds} s`);
}

// ─── Child: the server ────────────────────────────────────────────────────────

async function serveChild(claims: number): Promise<void> {
  const schema = `bench_scale_reads_${process.pid}`;
  const handle = await openDatabase({ url: PG_URL, schema, poolSize: 10 });
  await handle.db.execute(sql.raw(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
  await handle.db.execute(sql.raw(`CREATE SCHEMA ${schema}`));
  const dropSchema = async () => {
    await handle.db.execute(sql.raw(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
    await handle.close();
  };
  try {
    for (const statement of indexerDdl()) {
      if (INDEXES === "before" && ADDED_FOR_SCALE.some((re) => re.test(statement))) continue;
      await handle.db.execute(sql.raw(statement));
    }
    // Before, claims were indexed by claimant alone.
    if (INDEXES === "before") await handle.db.execute(sql.raw(`CREATE INDEX ON "claims" ("claimant")`));
    await migrate(handle.db);
    const now = Math.floor(Date.now() / 1000);
    const base = now - 10_000_000;
    const started = performance.now();
    await seedClaims(handle.db, claims, now, base, { recentShare: recentShareFor(OPEN_SHARE) });
    const seedSeconds = (performance.now() - started) / 1000;
    const [counts] = await queryRows<{ transitions: number; open: number; tablesMB: number }>(
      handle.db,
      sql`SELECT (SELECT count(*)::int FROM claim_transitions) AS transitions,
        (SELECT count(*)::int FROM claims WHERE status IN ('Submitted', 'Accepted', 'Investigating', 'Approved')) AS open,
        (SELECT round((pg_total_relation_size('claims') + pg_total_relation_size('claim_transitions')) / 1048576.0)::int) AS "tablesMB"`,
    );
    // Queue positions: every k-th open claim in queue order (the deadline it waits on, then id).
    const queue = await queryRows<{ deadline: string; id: string }>(
      handle.db,
      sql`SELECT deadline::text, id::text FROM (
        SELECT id, CASE WHEN status = 'Submitted' THEN response_deadline WHEN status = 'Approved' THEN payable_at
          ELSE resolution_deadline END AS deadline,
          row_number() OVER (ORDER BY CASE WHEN status = 'Submitted' THEN response_deadline WHEN status = 'Approved'
          THEN payable_at ELSE resolution_deadline END, id) AS k
        FROM claims WHERE status IN ('Submitted', 'Accepted', 'Investigating')
          OR (status = 'Approved' AND payable_at > ${now})
      ) q WHERE k % ${Math.max(1, Math.floor((counts?.open ?? 0) / 1000))} = 0 ORDER BY k LIMIT 1000`,
    );
    const cursors = queue.map((r) => encodeCursor("q", [BigInt(r.deadline), BigInt(r.id)]));

    const head: ChainHead = { number: BigInt(now - base), timestamp: BigInt(now) };
    const indexer = createIndexerReader({ db: handle.db, head: async () => head, headNow: () => head });
    const before = memory();
    // BENCH_CLAIM_CACHE_PACKED: the packed tier's size (default the service's own).
    const packed = process.env.BENCH_CLAIM_CACHE_PACKED;
    const config = loadConfig(packed === undefined ? {} : { CLAIM_CACHE_PACKED: packed });
    // As service/src/index.ts wires it (claimCacheFromConfig), with the lookups counted for the report.
    const probe = { hits: 0, packed: 0, misses: 0, bypasses: 0, freshSamples: 0, samples: 0 };
    const warn = createLogger("warn");
    let ledgerLoadMs: number | undefined;
    const log: Logger = {
      ...warn,
      info: (msg, fields) => {
        if (msg === "station figures ledger loaded") ledgerLoadMs = Number(fields?.ms);
      },
    };
    const cache = countingClaimCache(indexer, config, log, probe);
    // Authentication is not what is measured: everyone is an assessor here.
    const everyone: MiddlewareHandler<{ Variables: { address: `0x${string}` } }> = async (c, next) => {
      c.set("address", ASSESSOR);
      await next();
    };
    const auth: AuthGuards = { session: everyone, assessor: everyone };
    const app = createApp({
      db: handle.db,
      config,
      log,
      auth,
      metrics: createMetricsRegistry(),
      indexer: cache,
      // The delivery side's background work is not part of this read benchmark.
      indexerSource: { db: handle.db, head: async () => undefined },
      now: Date.now,
    });
    const loadStarted = performance.now();
    cache.start();
    await waitUntil(() => cache.fresh(), "the claim cache's first check", 600);
    const cacheLoadMs = performance.now() - loadStarted;
    // The runs measure the service as it is once started: warmed up with the newest claims.
    await waitUntil(() => !cache.warmUpPending, "the claim cache's warm-up", 600);
    const warmedClaims = cache.size + cache.packedSize; // as entries and packed
    const warmMs = performance.now() - loadStarted;
    await waitUntil(() => ledgerLoadMs !== undefined, "the station figures ledger's load", 600);
    const loaded = memory();
    const { server, port } = await serveApp(
      app,
      { indexer: cache, log, now: Date.now, config },
      { hostname: "127.0.0.1", port: 0 },
    );
    // When the watcher's checks outlast the staleness bound, every read bypasses the cache: sample it.
    setInterval(() => {
      probe.samples++;
      if (cache.fresh()) probe.freshSamples++;
    }, 50).unref();
    answerProbes(() => ({ ...probe, cachedClaims: cache.size }));
    process.on("message", (message) => {
      if (message === "memory") process.send?.(memory());
    });
    process.send?.({
      port,
      seedSeconds,
      tablesMB: counts?.tablesMB ?? 0,
      transitions: counts?.transitions ?? 0,
      open: counts?.open ?? 0,
      cursors,
      before,
      loaded,
      cacheLoadMs,
      ledgerLoadMs: ledgerLoadMs ?? NaN,
      warmUp: { claims: warmedClaims, ms: warmMs },
    } satisfies Ready);
    process.on("disconnect", () => {
      server.close();
      void cache
        .stop()
        .then(dropSchema)
        .finally(() => process.exit(0));
    });
  } catch (err) {
    await dropSchema();
    throw err;
  }
}

// ─── Parent: the load ─────────────────────────────────────────────────────────

type Route = "claim" | "account" | "queue" | "queue-pages" | "queue-due" | "stats";
const ROUTES: Record<Route, string> = {
  claim: "GET /v1/claims/:id (uniform ids)",
  account: "GET /v1/accounts/:address/claims",
  queue: "GET /v1/queue (first page)",
  "queue-pages": "GET /v1/queue?cursor= (1,000 pages)",
  "queue-due": "GET /v1/queue?breached=false&cursor=",
  stats: "GET /v1/stats",
};
/** BENCH_ROUTES: a comma-separated subset of the keys above (default all). */
const RUN_ROUTES = (process.env.BENCH_ROUTES?.split(",") ?? Object.keys(ROUTES)) as Route[];

/** Deterministic numbers in [0, n) so two runs send the same requests. */
function lcg(seed: number, n: number): () => number {
  let a = seed;
  return () => {
    a = (Math.imul(a, 1_103_515_245) + 12_345) >>> 0;
    return a % n;
  };
}

function pathFor(route: Route, claims: number, cursors: string[]): () => string {
  switch (route) {
    case "claim": {
      const next = lcg(7, claims);
      return () => `/v1/claims/${1 + next()}`;
    }
    case "account": {
      // The claimant of a uniform claim id: an account that has claims (seedClaims: id % 20,000 + 1).
      const next = lcg(11, claims);
      return () => `/v1/accounts/0x${(((1 + next()) % ACCOUNTS) + 1).toString(16).padStart(40, "0")}/claims`;
    }
    case "queue":
      return () => "/v1/queue";
    case "queue-pages": {
      const next = lcg(13, cursors.length);
      return () => `/v1/queue?cursor=${cursors[next()]}`;
    }
    case "queue-due": {
      const next = lcg(17, cursors.length);
      return () => `/v1/queue?breached=false&cursor=${cursors[next()]}`;
    }
    case "stats":
      return () => "/v1/stats";
  }
}

type Run = {
  route: string;
  "req/s": number;
  "p50 ms": number;
  "p99 ms": number;
  /** Server CPU time (user + system) per request answered, µs. */
  "cpu µs/req": number;
  non2xx: number;
  errors: number;
  dropped: number;
  /** Claim route: share of lookups the claim cache answered from memory. */
  cacheHits?: string;
  /** Share of the run during which the claim cache (and so the queue and the ledger) could answer. */
  cacheFresh: string;
};

type SizeResult = {
  claims: number;
  /** "schema": the indexes ponder.schema.ts declares; "before": without the three it gained for these reads. */
  indexes: string;
  open: number;
  transitions: number;
  /** Absent in results from before the bench read it. */
  tablesMB?: number;
  /** The Node.js that ran the server and the load (absent in older results). */
  node?: string;
  claimsPerAccount: number;
  seedSeconds: number;
  cacheLoadMs: number;
  ledgerLoadMs: number;
  /** Absent in results from before the claim cache warmed up at start. */
  warmUp?: { claims: number; ms: number };
  memory: { before: Memory; loaded: Memory; afterRuns: Memory };
  loadAverage1m: { before: number; after: number };
  runs: Run[];
};

async function measureSize(claims: number): Promise<SizeResult> {
  const { child, ready } = await startChild<Ready>(fileURLToPath(import.meta.url), ["--serve", String(claims)], {
    label: `${claims} claims`,
    execArgv: ["--expose-gc", ...SERVICE_NODE_FLAGS],
  });
  const loadBefore = os.loadavg()[0] ?? 0;
  const runs: Run[] = [];
  let afterRuns: Memory;
  try {
    console.log(
      `[${claims.toLocaleString("en")}] seeded in ${ready.seedSeconds.toFixed(1)} s: ${ready.open.toLocaleString("en")} open, ` +
        `${ready.transitions.toLocaleString("en")} transitions; claim cache ready in ${(ready.cacheLoadMs / 1000).toFixed(1)} s ` +
        `and warmed up with ${ready.warmUp.claims.toLocaleString("en")} claims in ${(ready.warmUp.ms / 1000).toFixed(1)} s, ` +
        `ledger loaded in ${(ready.ledgerLoadMs / 1000).toFixed(1)} s; heap ${ready.loaded.heapUsedMB} MB, RSS ${ready.loaded.rssMB} MB`,
    );
    for (const route of RUN_ROUTES) {
      const next = pathFor(route, claims, ready.cursors);
      let start = await probeChild<Probe>(child);
      const m = await pacedRun(
        ready.port,
        next,
        RATE,
        async () => {
          start = await probeChild<Probe>(child);
        },
        SECONDS,
      );
      const end = await probeChild<Probe>(child);
      const run: Run = {
        route: ROUTES[route],
        "req/s": m["req/s"],
        "p50 ms": m["p50 ms"],
        "p99 ms": m["p99 ms"],
        "cpu µs/req": m.answered === 0 ? NaN : Math.round((end.cpuMicros - start.cpuMicros) / m.answered),
        non2xx: m.non2xx,
        errors: m.errors,
        dropped: m.dropped,
        cacheFresh:
          end.samples === start.samples
            ? "-"
            : `${Math.round((100 * (end.freshSamples - start.freshSamples)) / (end.samples - start.samples))}%`,
        ...(route === "claim" && memoryShare(start, end) !== "-" ? { cacheHits: memoryShare(start, end) } : {}),
      };
      console.log(
        `[${claims.toLocaleString("en")}] ${run.route}: ${run["req/s"]} req/s, p50 ${run["p50 ms"]} ms, p99 ${run["p99 ms"]} ms, ` +
          `${run["cpu µs/req"]} µs CPU/req${run.non2xx + run.errors + run.dropped > 0 ? `, non-2xx ${run.non2xx}, errors ${run.errors}, dropped ${run.dropped}` : ""}` +
          `${run.cacheHits === undefined ? "" : `, cache hits ${run.cacheHits}`}, cache fresh ${run.cacheFresh}`,
      );
      runs.push(run);
    }
    afterRuns = await new Promise<Memory>((resolve) => {
      child.once("message", (m) => resolve(m as Memory));
      child.send("memory");
    });
  } finally {
    child.disconnect();
    await new Promise((resolve) => (child as ChildProcess).once("exit", resolve));
  }
  const round2 = (x: number) => Math.round(x * 100) / 100;
  return {
    claims,
    indexes: INDEXES,
    open: ready.open,
    transitions: ready.transitions,
    tablesMB: ready.tablesMB,
    node: process.version,
    claimsPerAccount: claims / ACCOUNTS,
    seedSeconds: round2(ready.seedSeconds),
    cacheLoadMs: Math.round(ready.cacheLoadMs),
    ledgerLoadMs: Math.round(ready.ledgerLoadMs),
    warmUp: { claims: ready.warmUp.claims, ms: Math.round(ready.warmUp.ms) },
    memory: { before: ready.before, loaded: ready.loaded, afterRuns },
    loadAverage1m: { before: round2(loadBefore), after: round2(os.loadavg()[0] ?? 0) },
    runs,
  };
}

function table(results: SizeResult[]): Record<string, Record<string, string>> {
  const rows: Record<string, Record<string, string>> = {};
  const put = (label: string, value: (r: SizeResult) => string) => {
    rows[label] = Object.fromEntries(
      results.map((r) => [`${r.claims.toLocaleString("en")}${r.indexes === "schema" ? "" : " +idx"}`, value(r)]),
    );
  };
  put("open claims", (r) => r.open.toLocaleString("en"));
  put("claims per account", (r) => String(r.claimsPerAccount));
  put("claims + transitions tables MB", (r) => (r.tablesMB === undefined ? "-" : r.tablesMB.toLocaleString("en")));
  const measured = Object.values(ROUTES).filter((route) => results.some((r) => r.runs.some((x) => x.route === route)));
  for (const route of measured) {
    const run = (r: SizeResult) => r.runs.find((x) => x.route === route);
    put(`${route}: p50 / p99 ms`, (r) => `${run(r)?.["p50 ms"]} / ${run(r)?.["p99 ms"]}`);
    put(`${route}: CPU µs/req (req/s)`, (r) => `${run(r)?.["cpu µs/req"]} (${run(r)?.["req/s"]})`);
    put(`${route}: claim cache fresh`, (r) => run(r)?.cacheFresh ?? "-");
  }
  put("claim cache hits (uniform ids)", (r) => r.runs.find((x) => x.cacheHits !== undefined)?.cacheHits ?? "-");
  put("ledger load s", (r) => (r.ledgerLoadMs / 1000).toFixed(1));
  put("claim cache warm-up: claims (s)", (r) =>
    r.warmUp === undefined ? "-" : `${r.warmUp.claims.toLocaleString("en")} (${(r.warmUp.ms / 1000).toFixed(1)})`,
  );
  put("heap MB: before / loaded / after runs", (r) =>
    [r.memory.before, r.memory.loaded, r.memory.afterRuns].map((m) => m.heapUsedMB).join(" / "),
  );
  put("buffers MB (packed claims): before / loaded / after runs", (r) =>
    [r.memory.before, r.memory.loaded, r.memory.afterRuns].map((m) => m.buffersMB ?? "-").join(" / "),
  );
  put("RSS MB: before / loaded / after runs", (r) =>
    [r.memory.before, r.memory.loaded, r.memory.afterRuns].map((m) => m.rssMB).join(" / "),
  );
  put("heap + buffers, bytes per claim (loaded − before)", (r) => {
    const total = (m: Memory) => m.heapUsedMB + (m.buffersMB ?? 0);
    return Math.round(((total(r.memory.loaded) - total(r.memory.before)) * 2 ** 20) / r.claims).toString();
  });
  put("load average 1 min (before / after)", (r) => `${r.loadAverage1m.before} / ${r.loadAverage1m.after}`);
  return rows;
}

async function main(): Promise<void> {
  const results: SizeResult[] = [];
  for (const claims of SIZES) {
    console.log(`[${claims.toLocaleString("en")}] seeding and starting the server …`);
    results.push(await measureSize(claims));
  }
  const out = path.resolve(here, "results", process.env.BENCH_OUT ?? "scale-reads.json");
  // Earlier runs of other sizes stay; a run replaces its own sizes.
  const merged = await mergedWithEarlier(
    out,
    results,
    (e, r) => r.claims === e.claims && r.indexes === (e.indexes ?? "schema"),
    (a, b) => a.claims - b.claims || a.indexes.localeCompare(b.indexes),
  );
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}`;
  const note =
    "PostgreSQL, claims seeded straight into the indexer's tables (bench/lib/seedClaims.ts), 10% open. " +
    `Each route paced at ${RATE} requests/s (open loop, latency from each request's due time) for ${SECONDS} s after 2 s of warm-up; ` +
    "CPU µs/req is the server process's CPU time per answered request (PostgreSQL's not included). " +
    "Heap after a forced GC; 'before' is the server process with the claims seeded, before the claim cache and the ledger loaded.";
  await writeFile(out, JSON.stringify({ machine, note, results: merged }, null, 2) + "\n");
  console.log(`\nService reads at scale — ${machine}\n${note}\n`);
  console.table(table(merged));
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
}

if (process.argv[2] === "--serve") await serveChild(Number(process.argv[3]));
else if (import.meta.url === `file://${process.argv[1]}`) await main();
