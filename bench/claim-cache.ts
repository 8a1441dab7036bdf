/**
 * The claim cache's warm-up (service/src/claims/cache.ts) at scale: how long filling it with the
 * newest claims takes, and the heap each cached claim holds — what sizing CLAIM_CACHE_SIZE needs.
 * At each size the cache is made to hold every claim (CLAIM_CACHE_SIZE = claims), started as the
 * service starts it, and timed from `start()` to the end of its warm-up; the heap used is read
 * after a forced GC before the cache exists and once it is warm, with the cache still referenced.
 *
 * Then what answering a claim from that memory costs, without HTTP: the cache's lookup and the
 * claim's body as the claim read's lane makes it (`claimBody`: a settled claim's rendered answer
 * filled in, any other claim's view computed and serialised), in this process's
 * CPU time (process.cpuUsage, user + system) per answer. Ids are either the newest 2% of claims
 * (what claimants poll) or uniform over all of them (scattered through the heap), answered back to
 * back (30,000 in a row: the CPU caches stay warm) or one per timer tick of 1 ms (as a server paced
 * at 1,000/s meets them: whatever ran in between has had the caches), timing only the answer.
 * Each figure is the median of three runs.
 *
 * Each size is measured for both of the cache's tiers (BENCH_TIERS): `entries`, every claim held
 * as an entry with its answer (CLAIM_CACHE_SIZE = claims; since 2026-12-07 a settled claim's
 * timeline is packed in its entry, an open claim's kept as objects), and `packed`, every claim but
 * one held packed (CLAIM_CACHE_SIZE = 1, CLAIM_CACHE_PACKED = claims), whose reads unpack the claim
 * and compute its view.
 *
 *   npm run bench:claim-cache                           both engines, 10,000 and 100,000 claims
 *   BENCH_SIZES=200000 BENCH_ENGINES=postgres npm run bench:claim-cache
 *   BENCH_TIERS=packed BENCH_SIZES=1000000 BENCH_ENGINES=postgres npm run bench:claim-cache
 *
 * PostgreSQL from DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), in a schema of
 * its own dropped at the end; claims seeded with bench/lib/seedClaims.ts (about four transitions
 * each). Prints a table and writes bench/results/claim-cache.json (merged by engine and size).
 */
import { writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { sql } from "drizzle-orm";

import { CachedIndexerReader, claimExists, WARM_BATCH } from "../service/src/claims/cache.js";
import { claimBody, type HeldClaim } from "../service/src/claims/answer.js";
import type { TrackingPolicy } from "../service/src/claims/view.js";
import { openDatabase } from "../service/src/db/client.js";
import { createLogger } from "../service/src/http/log.js";
import { indexerDdl } from "../service/src/indexer/ddl.js";
import { type ChainHead, createIndexerReader } from "../service/src/indexer/reader.js";
import { mergedWithEarlier } from "./lib/results.js";
import { seedClaims } from "./lib/seedClaims.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const SIZES = (process.env.BENCH_SIZES ?? "10000,100000").split(",").map(Number);
const ENGINES = (process.env.BENCH_ENGINES ?? "pglite,postgres").split(",") as Array<"pglite" | "postgres">;
type Tier = "entries" | "packed";
const TIERS = (process.env.BENCH_TIERS ?? "entries,packed").split(",") as Tier[];
const PG_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

type Result = {
  engine: "pglite" | "postgres";
  /** Which tier holds the claims (results before 2026-12-07 have none: entries). */
  tier?: Tier;
  claims: number;
  transitions: number;
  /** From `start()` to the end of the warm-up (the first check included), ms. */
  warmMs: number;
  claimsCached: number;
  /** Heap and ArrayBuffers after a forced GC, warm cache minus no cache, per claim cached, bytes. */
  heapBytesPerClaim: number;
  /** Wall time of one full GC with the cache warm, ms (absent before 2026-12-07). */
  fullGcMs?: number;
  /** CPU µs per answer from memory (lookup, view, JSON), by ids asked and pace; see the header. */
  answerMicros: Record<Ids, { backToBack: number; paced: number }>;
  /** Mean body length of those answers, bytes. */
  bodyBytes: Record<Ids, number>;
};

type Ids = "newest" | "uniform";
const BACK_TO_BACK = 30_000;
const PACED = 2_000;
const POLICY: TrackingPolicy = { finalityConfirmations: 12, atRiskFraction: 0.25 };

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) throw new Error("run with node --expose-gc (npm run bench:claim-cache does)");
  collect();
  collect();
}

async function measure(engine: "pglite" | "postgres", claims: number, tiers: Tier[]): Promise<Result[]> {
  const schema = `bench_claim_cache_${process.pid}`;
  const handle = engine === "pglite" ? await openDatabase({}) : await openDatabase({ url: PG_URL, schema });
  const dropSchema = async () => {
    if (engine === "postgres") await handle.db.execute(sql.raw(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
  };
  try {
    await dropSchema();
    if (engine === "postgres") await handle.db.execute(sql.raw(`CREATE SCHEMA ${schema}`));
    for (const statement of indexerDdl()) await handle.db.execute(sql.raw(statement));
    const now = Math.floor(Date.now() / 1000);
    // Block numbers count seconds from 10,000,000 s ago (the head below is now).
    await seedClaims(handle.db, claims, now, now - 10_000_000);
    const [row] = (
      (await handle.db.execute(sql`SELECT count(*)::int AS n FROM claim_transitions`)) as { rows: Array<{ n: number }> }
    ).rows;
    const reader = createIndexerReader({ db: handle.db, head: async () => ({ number: 1n, timestamp: BigInt(now) }) });
    // The queries once before measuring (plans, JIT), with a throwaway cache.
    const probe = new CachedIndexerReader(reader, reader.changes, { maxEntries: 1000, staleMs: 60_000, log: quiet });
    await probe.check();
    await probe.warm();

    const results: Result[] = [];
    // Each tier in a function of its own: a suspended async function keeps its locals, and the
    // previous tier's cache would still count in the next one's heap before it existed.
    for (const tier of tiers) {
      results.push(await measureTier(reader, tier, claims, BigInt(now), row?.n ?? 0, engine));
    }
    return results;
  } finally {
    await dropSchema();
    await handle.close();
  }
}

/** One tier's warm-up, heap and answer costs, every claim held in it. */
async function measureTier(
  reader: ReturnType<typeof createIndexerReader>,
  tier: Tier,
  claims: number,
  now: bigint,
  transitions: number,
  engine: Result["engine"],
): Promise<Result> {
  gc();
  // The packed claims' slabs are ArrayBuffers, outside the heap: counted with it.
  const memory = () => {
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const before = memory();
  const cache = new CachedIndexerReader(reader, reader.changes, {
    maxEntries: tier === "entries" ? claims : 1,
    packedEntries: tier === "entries" ? 0 : claims,
    staleMs: 60_000,
    warm: true,
    log: quiet,
    // As the service wires it (claimCacheFromConfig): settled claims' answers rendered when stored.
    answers: POLICY,
  });
  const started = performance.now();
  cache.start();
  while (!cache.fresh() || cache.warmUpPending) await new Promise((r) => setTimeout(r, 5));
  const warmMs = performance.now() - started;
  await cache.stop();
  gc();
  const after = memory();
  // A full collection with the cache warm (gc() is a full mark-compact): what the tier makes the
  // garbage collector visit each time the old generation is collected.
  const gcStarted = performance.now();
  gc();
  const fullGcMs = Math.round((performance.now() - gcStarted) * 10) / 10;
  const cached = cache.size + cache.packedSize;
  const answers = await answerCosts(cache, claims, { number: 10_000_000n, timestamp: now });
  return {
    engine,
    tier,
    claims,
    transitions,
    warmMs: Math.round(warmMs),
    claimsCached: cached,
    heapBytesPerClaim: Math.round((after - before) / cached),
    fullGcMs,
    ...answers,
  };
}

/** The answer costs of the header, from `cache` warm with every one of `claims` claims. */
async function answerCosts(
  cache: CachedIndexerReader,
  claims: number,
  head: ChainHead,
): Promise<Pick<Result, "answerMicros" | "bodyBytes">> {
  const chainNow = head.timestamp;
  const newest = Math.max(1, Math.floor(claims * 0.02));
  let seed = 7;
  const random = () => (seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32;
  const pick: Record<Ids, () => bigint> = {
    newest: () => BigInt(claims - Math.floor(random() * newest)),
    uniform: () => BigInt(1 + Math.floor(random() * claims)),
  };
  const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 1));
  let bytes = 0;
  const answer = async (id: bigint) => {
    const held = await cache.answered(id);
    if (!claimExists(held)) throw new Error(`claim ${id} not found`);
    bytes += claimBody(held as HeldClaim, head, chainNow, POLICY, "en", held.passing !== true).length;
  };
  const micros = (used: NodeJS.CpuUsage) => used.user + used.system;
  const backToBack = async (ids: Ids) => {
    const start = process.cpuUsage();
    for (let i = 0; i < BACK_TO_BACK; i++) await answer(pick[ids]());
    return micros(process.cpuUsage(start)) / BACK_TO_BACK;
  };
  // Only the answer is timed, not the tick before it.
  const paced = async (ids: Ids) => {
    let used = 0;
    for (let i = 0; i < PACED; i++) {
      await tick();
      const start = process.cpuUsage();
      await answer(pick[ids]());
      used += micros(process.cpuUsage(start));
    }
    return used / PACED;
  };
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const runs: Record<Ids, { backToBack: number[]; paced: number[]; bytes: number[] }> = {
    newest: { backToBack: [], paced: [], bytes: [] },
    uniform: { backToBack: [], paced: [], bytes: [] },
  };
  for (let round = 0; round < 3; round++) {
    for (const ids of ["newest", "uniform"] as const) {
      bytes = 0;
      runs[ids].backToBack.push(await backToBack(ids));
      runs[ids].bytes.push(bytes / BACK_TO_BACK);
      runs[ids].paced.push(await paced(ids));
    }
  }
  // Every answer must have come from memory: the cache was still fresh at the end.
  if (!cache.fresh()) throw new Error("the claim cache went stale during the answer runs (staleMs too short)");
  const figures = (ids: Ids) => ({
    backToBack: Math.round(median(runs[ids].backToBack) * 10) / 10,
    paced: Math.round(median(runs[ids].paced) * 10) / 10,
  });
  return {
    answerMicros: { newest: figures("newest"), uniform: figures("uniform") },
    bodyBytes: { newest: Math.round(median(runs.newest.bytes)), uniform: Math.round(median(runs.uniform.bytes)) },
  };
}

const quiet = createLogger("silent");

async function main(): Promise<void> {
  const results: Result[] = [];
  for (const engine of ENGINES) {
    for (const claims of SIZES) {
      console.log(`[${engine}] ${claims.toLocaleString("en")} claims …`);
      results.push(...(await measure(engine, claims, TIERS)));
    }
  }
  const out = path.join(here, "results", "claim-cache.json");
  const merged = await mergedWithEarlier(
    out,
    results,
    (e, r) => r.engine === e.engine && r.claims === e.claims && (r.tier ?? "entries") === (e.tier ?? "entries"),
    (a, b) => a.engine.localeCompare(b.engine) || a.claims - b.claims || (a.tier ?? "").localeCompare(b.tier ?? ""),
  );
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}`;
  const note =
    "The claim cache sized to hold every claim, as entries (with answers; since 2026-12-07 a settled claim's timeline packed " +
    `in its entry, an open one's as objects) or packed, warmed up in batches of ${WARM_BATCH} from start(); ` +
    "heap used (with ArrayBuffers: the packed claims' slabs) after a forced GC, warm cache minus before it existed, divided by the claims cached " +
    "(RSS is not divided: the process keeps the pages the seeding used, so its difference says little). " +
    "Answers: CPU µs per claim answered from that memory (lookup, claimView, JSON.stringify; no HTTP), " +
    `ids from the newest 2% or uniform, ${BACK_TO_BACK.toLocaleString("en")} back to back or ` +
    `${PACED.toLocaleString("en")} one per 1 ms timer tick (only the answer timed); medians of three runs. ` +
    "Full GC: the wall time of one global.gc() (a full mark-compact) with the cache warm.";
  await writeFile(out, JSON.stringify({ machine, note, results: merged }, null, 2) + "\n");
  console.log(`\nClaim cache warm-up — ${machine}\n${note}\n`);
  console.table(
    merged.map((r) => ({
      engine: r.engine,
      tier: r.tier ?? "entries",
      claims: r.claims,
      "transitions/claim": Math.round((10 * r.transitions) / r.claims) / 10,
      "warm-up s": Math.round(r.warmMs / 100) / 10,
      "claims/s": Math.round((r.claimsCached * 1000) / r.warmMs),
      "heap B/claim": r.heapBytesPerClaim,
      "full GC ms": r.fullGcMs ?? "",
      "newest µs (paced)":
        r.answerMicros === undefined ? "" : `${r.answerMicros.newest.backToBack} (${r.answerMicros.newest.paced})`,
      "uniform µs (paced)":
        r.answerMicros === undefined ? "" : `${r.answerMicros.uniform.backToBack} (${r.answerMicros.uniform.paced})`,
      "body B": r.bodyBytes === undefined ? "" : `${r.bodyBytes.newest} / ${r.bodyBytes.uniform}`,
    })),
  );
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
}

await main();
