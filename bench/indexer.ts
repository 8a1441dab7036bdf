/**
 * Indexer benchmark (not a timed test): `npm run bench:indexer`.
 *
 * 1. A Hardhat node with LocalStation (roles on account 0, a large approval budget), then
 *    BENCH_CLAIMS claims (default 20,000) through their lifecycle: submitted (10 claimants),
 *    accepted, approved small and paid at once — 7 station events per claim. Transactions go in
 *    with automine off, BATCH per block, each with an explicit gas limit (Hardhat caps a
 *    transaction at 16,777,216), then `evm_mine`.
 * 2. Backfill: a cold `ponder start` (fresh schema) timed from spawn until /ready and until the
 *    tip is indexed; events/s = the three contracts' logs in range / time to the tip. PGlite, and
 *    PostgreSQL when BENCH_DATABASE_URL or DATABASE_URL is set (in a scratch database).
 * 3. Live latency on the PGlite indexer: LATENCY_TXS claims sent one at a time (automine on);
 *    time from the receipt to the claim answering 200 on GET /v1/claims/:id (polled every 5 ms).
 * 4. Peak RSS of each Ponder process (VmHWM from /proc), and its CPU time (user + system, from
 *    /proc/<pid>/stat) from spawn to the tip: CPU seconds per 10,000 events hardly depend on what
 *    else the machine runs, unlike wall-clock events/s.
 *
 * 5. The floor: bench/bare-indexer — the same Ponder config and events, with handlers that insert
 *    one row per event and do nothing else — backfills the same chain into the same database kind
 *    in the same run (before ours). The ratio ours ÷ bare of events/s while indexing (from Ponder's
 *    "Started backfill indexing" to the tip) says what our handlers cost.
 *
 * Env: BENCH_CLAIMS, BENCH_BATCH, BENCH_LATENCY_TXS (0: no live phase), BENCH_POLLING_MS,
 * BENCH_RPC_BUCKETS; BENCH_DATABASE_URL (or DATABASE_URL) for PostgreSQL; BENCH_DATABASES, a
 * comma-separated subset of "pglite,postgres" (default both, postgres only with a URL); BENCH_APPS,
 * a subset of "bare,station" (default both); BENCH_RESULT, the file name under bench/results/
 * (default indexer.json); BENCH_DB_PREFIX, the scratch database name prefix (default bench_indexer);
 * BENCH_LOG_LEVEL ("debug": Ponder logs each batch and flush) and BENCH_LOG_DIR (keep Ponder's logs).
 *
 * Prints a table and writes bench/results/<BENCH_RESULT> with the machine's load average.
 */
import { readFile, writeFile, mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { type Address, type Hex, encodeFunctionData, keccak256, toHex } from "viem";

import { CompensationPoolAbi } from "../common/abis/CompensationPool.js";
import { resolveRpcUrls } from "../indexer/addresses.js";
import { deployStation, removeDeployment } from "../stack/deploy.js";
import { type DevChain, type DevTransaction, startDevChain } from "../stack/devchain.js";
import {
  type PonderDatabase,
  type PonderProcess,
  createScratchDatabase,
  freshSchemaName,
  queryPostgres,
  startPonder,
} from "../stack/ponder.js";
import { REPO_ROOT } from "../stack/proc.js";

const CLAIMS = Number(process.env.BENCH_CLAIMS ?? 20_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 150);
const LATENCY_TXS = Number(process.env.BENCH_LATENCY_TXS ?? 200);
const POLLING_MS = Number(process.env.BENCH_POLLING_MS ?? 100);
/** Default: the indexer config's own for the local chain (one URL, repeated into that many buckets). */
const RPC_BUCKETS = Number(process.env.BENCH_RPC_BUCKETS ?? resolveRpcUrls(31337, {}).length);
const PG_URL = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
const DATABASES = (process.env.BENCH_DATABASES ?? "pglite,postgres").split(",").map((d) => d.trim());
const APPS = (process.env.BENCH_APPS ?? "bare,station").split(",").map((a) => a.trim());
const RESULT = process.env.BENCH_RESULT ?? "indexer.json";
/** Ponder's log level ("info" by default; "debug" logs each flush) and a directory to keep its logs in. */
const LOG_LEVEL = (process.env.BENCH_LOG_LEVEL ?? "info") as "info" | "debug";
const LOG_DIR = process.env.BENCH_LOG_DIR;
/** Backfills of each app on each database, alternating bare and station (the chain is generated once). */
const REPEAT = Number(process.env.BENCH_REPEAT ?? 1);
const C = 10n ** 18n;
const GAS = 300_000n;

const DEPLOYER: Address = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
/** Hardhat dev accounts #4–#13 as claimants. */
const CLAIMANTS: Address[] = [
  "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65",
  "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
  "0x976EA74026E726554dB657fA54763abd0C3a0aa9",
  "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955",
  "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f",
  "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720",
  "0xBcd4042DE499D14e55001CcbB24a551F3b954096",
  "0x71bE63f3384f5fb98995898A86B02Fb2426c5788",
  "0xFABB0ac9d68B0B445fB7357272Ff202C5651694a",
  "0x1CBd3b2770909D4e10f157cABC84C7264073C9Ec",
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function peakRssMb(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb === undefined ? null : Math.round(Number(kb) / 1024);
  } catch {
    return null;
  }
}

/** CPU seconds (user + system, the process and its waited-for children) from /proc/<pid>/stat. */
async function cpuSeconds(pid: number): Promise<number | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    // Fields after "(comm) ": state is [0], utime [11], stime [12], cutime [13], cstime [14].
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
    return ticks / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

/**
 * Where a backfill's time went, from Ponder's own Prometheus metrics at the tip (milliseconds,
 * summed over batches): the historical transform steps (prefetch, begin, index = running the
 * handlers, load = flushing the cached rows to the database, finalize = the checkpoint and commit),
 * the store's flush time and row operations per table, and raw SQL time in handlers.
 */
type PonderMetrics = {
  /** Time waiting for the next batch (extract) and processing it (transform). */
  concurrencyMs: Record<string, number>;
  extractMs: Record<string, number>;
  transformMs: Record<string, number>;
  /** Handler time by event (ms, summed) and events handled. */
  handlerMsByEvent: Record<string, { ms: number; count: number }>;
  flushMsByTable: Record<string, number>;
  storeOpsByTable: Record<string, Record<string, number>>;
  cacheRequestsByType: Record<string, number>;
  rawSqlMs: number;
};

async function ponderMetrics(url: string): Promise<PonderMetrics> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const metrics: PonderMetrics = {
    concurrencyMs: {},
    extractMs: {},
    transformMs: {},
    handlerMsByEvent: {},
    flushMsByTable: {},
    storeOpsByTable: {},
    cacheRequestsByType: {},
    rawSqlMs: 0,
  };
  for (const line of text.split("\n")) {
    const match = /^(\w+)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (match === null) continue;
    const [, name, labelText = "", valueText] = match;
    const labels = Object.fromEntries(Array.from(labelText.matchAll(/(\w+)="([^"]*)"/g), (m) => [m[1]!, m[2]!]));
    const value = Math.round(Number(valueText) * 10) / 10;
    if (name === "ponder_historical_transform_duration") metrics.transformMs[labels.step!] = value;
    else if (name === "ponder_historical_extract_duration") metrics.extractMs[labels.step!] = value;
    else if (name === "ponder_historical_concurrency_group_duration") metrics.concurrencyMs[labels.group!] = value;
    else if (name === "ponder_indexing_function_duration_sum")
      (metrics.handlerMsByEvent[labels.event!] ??= { ms: 0, count: 0 }).ms = value;
    else if (name === "ponder_indexing_function_duration_count")
      (metrics.handlerMsByEvent[labels.event!] ??= { ms: 0, count: 0 }).count = value;
    else if (name === "ponder_indexing_cache_query_duration_sum" && labels.method === "flush")
      metrics.flushMsByTable[labels.table!] = value;
    else if (name === "ponder_indexing_store_queries_total")
      (metrics.storeOpsByTable[labels.table!] ??= {})[labels.method!] = value;
    else if (name === "ponder_indexing_cache_requests_total")
      metrics.cacheRequestsByType[labels.type!] = (metrics.cacheRequestsByType[labels.type!] ?? 0) + value;
    else if (name === "ponder_indexing_store_raw_sql_duration_sum") metrics.rawSqlMs = value;
  }
  return metrics;
}

/**
 * CPU seconds of the PostgreSQL server processes connected to `database` now (the Ponder process's
 * pooled connections): the work the database did for it, which the Ponder process's CPU time omits.
 */
async function databaseCpuSeconds(url: string, database: string): Promise<number | null> {
  const rows = await queryPostgres<{ pid: number }>(
    url,
    "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
    [database],
  );
  const seconds = await Promise.all(rows.map((r) => cpuSeconds(r.pid)));
  return seconds.some((s) => s === null) ? null : Number(seconds.reduce((a, b) => a! + b!, 0)!.toFixed(2));
}

/** Sends `txs` with automine off, `BATCH` per block. */
async function sendInBlocks(chain: DevChain, txs: DevTransaction[]): Promise<void> {
  await chain.setAutomine(false);
  try {
    for (let i = 0; i < txs.length; i += BATCH) {
      await chain.sendTransactions(txs.slice(i, i + BATCH), { batchSize: BATCH });
      await chain.rpc("evm_mine");
    }
  } finally {
    await chain.setAutomine(true);
  }
}

async function countLogs(chain: DevChain, addresses: Address[], fromBlock: number, toBlock: number): Promise<number> {
  let total = 0;
  for (let from = fromBlock; from <= toBlock; from += 2_000) {
    const to = Math.min(toBlock, from + 1_999);
    const logs = await chain.rpc<unknown[]>("eth_getLogs", [
      { address: addresses, fromBlock: `0x${from.toString(16)}`, toBlock: `0x${to.toString(16)}` },
    ]);
    total += logs.length;
  }
  return total;
}

type Backfill = {
  database: "pglite" | "postgres";
  /** 0 … BENCH_REPEAT − 1. */
  repeat: number;
  /** "station": indexer/; "bare": bench/bare-indexer (same config and events, one insert per event). */
  app: "station" | "bare";
  events: number;
  secondsToReady: number;
  secondsToTip: number;
  eventsPerSecond: number;
  /** From Ponder's "Started backfill indexing" log line to the tip: without process start-up. */
  secondsIndexing: number;
  eventsPerSecondIndexing: number;
  peakRssMb: number | null;
  /** Ponder's CPU time from spawn to the tip (start-up included), and per 10,000 events. */
  cpuSeconds: number | null;
  cpuSecondsPer10kEvents: number | null;
  /** PostgreSQL only: CPU time of the server processes serving this Ponder process (see databaseCpuSeconds). */
  databaseCpuSeconds: number | null;
  /**
   * CPU time from "Started backfill indexing" (polled every 20 ms) to the tip: Ponder's, and on
   * PostgreSQL the database server's for it. Fetching the chain's data is in it, as in the rate.
   */
  cpuSecondsIndexing: number | null;
  databaseCpuSecondsIndexing: number | null;
  /** One-minute load average at the tip. */
  loadavg1: number;
  metrics: PonderMetrics;
};

const chain = await startDevChain();
const deploymentId = `local-bench-indexer-${chain.port}`;
const results: {
  backfill: Backfill[];
  live?: { txs: number; pollingIntervalMs: number; p50Ms: number; p99Ms: number; maxMs: number };
} = { backfill: [] };
const ponders: PonderProcess[] = [];
const scratch =
  PG_URL === undefined || !DATABASES.includes("postgres")
    ? undefined
    : await createScratchDatabase(PG_URL, process.env.BENCH_DB_PREFIX ?? "bench_indexer");

try {
  // ─── 1. Chain ───
  const deployment = await deployStation(chain.url, {
    deploymentId,
    // Every role on account 0; a budget that 20,000 approvals of 1 C fit in.
    parameters: { poolApprovalBudget: 10_000_000n * C, localPoolSeed: 1_000_000n * C },
  });
  const pool = deployment.addresses.CompensationPool;
  const call = (from: Address, data: Hex): DevTransaction => ({ from, to: pool, data, gas: GAS });
  const generateStart = Date.now();
  await sendInBlocks(
    chain,
    Array.from({ length: CLAIMS }, (_, i) =>
      call(
        CLAIMANTS[i % CLAIMANTS.length]!,
        encodeFunctionData({
          abi: CompensationPoolAbi,
          functionName: "submitClaim",
          args: [i % 4, 2n * C, keccak256(toHex(`bench-${i}`))],
        }),
      ),
    ),
  );
  await sendInBlocks(
    chain,
    Array.from({ length: CLAIMS }, (_, i) =>
      call(
        DEPLOYER,
        encodeFunctionData({
          abi: CompensationPoolAbi,
          functionName: "acceptClaim",
          args: [BigInt(i + 1), toHex(0, { size: 32 })],
        }),
      ),
    ),
  );
  await sendInBlocks(
    chain,
    Array.from({ length: CLAIMS }, (_, i) =>
      call(
        DEPLOYER,
        encodeFunctionData({
          abi: CompensationPoolAbi,
          functionName: "approveClaim",
          args: [BigInt(i + 1), C, toHex(0, { size: 32 })],
        }),
      ),
    ),
  );
  for (let i = 0; i < 35; i++) await chain.rpc("evm_mine");
  const tip = Number(await chain.blockNumber());
  const addresses = [deployment.addresses.CStaking, pool, deployment.addresses.EmergencyPackages];
  const events = await countLogs(chain, addresses, deployment.startBlock, tip);
  const claimsDone = await chain.rpc<Hex>("eth_call", [
    { to: pool, data: encodeFunctionData({ abi: CompensationPoolAbi, functionName: "claimCount" }) },
    "latest",
  ]);
  console.log(
    `generated ${BigInt(claimsDone)} claims, ${events} station events in ${tip} blocks ` +
      `(${((Date.now() - generateStart) / 1000).toFixed(0)} s)`,
  );
  if (BigInt(claimsDone) !== BigInt(CLAIMS)) throw new Error("some claim transactions failed");

  // ─── 2. Backfill ───
  const databases: { kind: "pglite" | "postgres"; database: PonderDatabase }[] = [];
  if (DATABASES.includes("pglite")) databases.push({ kind: "pglite", database: { kind: "pglite" } });
  if (scratch !== undefined) databases.push({ kind: "postgres", database: { kind: "postgres", url: scratch.url } });
  let livePonder: PonderProcess | undefined;
  // The station's indexer and the bare app in turn on each database, the same chain and events:
  // bare first, so that any warm-up of the chain's caches favours the floor, not ours.
  const apps = (["bare", "station"] as const).filter((app) => APPS.includes(app));
  const runs = databases.flatMap((d) =>
    Array.from({ length: REPEAT }, (_, repeat) => apps.map((app) => ({ ...d, app, repeat }))).flat(),
  );
  for (const { kind, database, app, repeat } of runs) {
    const started = performance.now();
    const ponder = await startPonder({
      ...(app === "bare" ? { root: path.join(REPO_ROOT, "bench", "bare-indexer") } : {}),
      rpcUrl: chain.url,
      ignitionDeployment: deploymentId,
      database,
      schema: freshSchemaName("bench"),
      rpcBuckets: RPC_BUCKETS,
      pollingIntervalMs: POLLING_MS,
      logLevel: LOG_LEVEL,
      waitFor: "listening",
      timeoutMs: 1_800_000,
    });
    ponders.push(ponder);
    // CPU at the start of backfill indexing (polled from the log), to count the indexing's own.
    let cpuAtBackfill: number | null = null;
    let dbCpuAtBackfill: number | null = null;
    for (;;) {
      if ((await ponder.logs()).some((l) => l.msg === "Started backfill indexing")) {
        cpuAtBackfill = await cpuSeconds(ponder.pid);
        if (kind === "postgres") dbCpuAtBackfill = await databaseCpuSeconds(scratch!.url, scratch!.name);
        break;
      }
      if (await ponder.isReady()) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await ponder.waitReady(1_800_000);
    const secondsToReady = (performance.now() - started) / 1000;
    await ponder.waitForBlock(tip, 600_000);
    const secondsToTip = (performance.now() - started) / 1000;
    const cpu = await cpuSeconds(ponder.pid);
    const dbCpu = kind === "postgres" ? await databaseCpuSeconds(scratch!.url, scratch!.name) : null;
    const tipAt = Date.now();
    const backfillStart = (await ponder.logs()).find((l) => l.msg === "Started backfill indexing")?.time ?? tipAt;
    const secondsIndexing = (tipAt - backfillStart) / 1000;
    const row: Backfill = {
      database: kind,
      repeat,
      app,
      events,
      secondsToReady: Number(secondsToReady.toFixed(2)),
      secondsToTip: Number(secondsToTip.toFixed(2)),
      eventsPerSecond: Math.round(events / secondsToTip),
      secondsIndexing: Number(secondsIndexing.toFixed(2)),
      eventsPerSecondIndexing: Math.round(events / secondsIndexing),
      peakRssMb: await peakRssMb(ponder.pid),
      cpuSeconds: cpu,
      cpuSecondsPer10kEvents: cpu === null ? null : Number(((cpu / events) * 10_000).toFixed(2)),
      databaseCpuSeconds: dbCpu,
      cpuSecondsIndexing: cpu === null || cpuAtBackfill === null ? null : Number((cpu - cpuAtBackfill).toFixed(2)),
      databaseCpuSecondsIndexing:
        dbCpu === null || dbCpuAtBackfill === null ? null : Number((dbCpu - dbCpuAtBackfill).toFixed(2)),
      loadavg1: Number(os.loadavg()[0]!.toFixed(2)),
      metrics: await ponderMetrics(ponder.url),
    };
    results.backfill.push(row);
    if (LOG_DIR !== undefined) {
      await mkdir(LOG_DIR, { recursive: true });
      const lines = (await ponder.logs()).map((l) => JSON.stringify(l)).join("\n");
      await writeFile(path.join(LOG_DIR, `${kind}-${app}-${repeat}.jsonl`), `${lines}\n`);
    }
    console.log(JSON.stringify(row));
    if (kind === "pglite" && app === "station" && repeat === REPEAT - 1 && LATENCY_TXS > 0) livePonder = ponder;
    else await ponder.stop({ releaseLock: false });
  }

  // ─── 3. Live latency ───
  const latencies: number[] = [];
  for (let i = 0; livePonder !== undefined && i < LATENCY_TXS; i++) {
    const id = CLAIMS + i + 1;
    const [hash] = await chain.sendTransactions([
      call(
        CLAIMANTS[i % CLAIMANTS.length]!,
        encodeFunctionData({
          abi: CompensationPoolAbi,
          functionName: "submitClaim",
          args: [0, C, keccak256(toHex(`live-${i}`))],
        }),
      ),
    ]);
    await chain.receipts([hash!]);
    const receiptAt = performance.now();
    for (;;) {
      const response = await fetch(`${livePonder.url}/v1/claims/${id}`);
      await response.arrayBuffer();
      if (response.status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    latencies.push(performance.now() - receiptAt);
  }
  latencies.sort((a, b) => a - b);
  if (livePonder !== undefined) {
    results.live = {
      txs: LATENCY_TXS,
      pollingIntervalMs: POLLING_MS,
      p50Ms: Math.round(percentile(latencies, 50)),
      p99Ms: Math.round(percentile(latencies, 99)),
      maxMs: Math.round(latencies.at(-1)!),
    };
    const pglite = results.backfill.find((b) => b.database === "pglite" && b.app === "station")!;
    pglite.peakRssMb = await peakRssMb(livePonder.pid);
  }
} finally {
  await Promise.all(ponders.map((p) => p.stop({ releaseLock: false }).catch(() => undefined)));
  await chain.stop();
  await scratch?.drop();
  await removeDeployment(deploymentId);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Milliseconds Ponder spent on batches (all transform steps: prefetch, handlers, flush, commit). */
function transformMs(b: Backfill): number {
  return Object.values(b.metrics.transformMs).reduce((sum, ms) => sum + ms, 0);
}

/**
 * Ours ÷ bare, per database, over the medians of the BENCH_REPEAT runs: events/s from the start of
 * backfill indexing to the tip (wall clock: most of it is waiting for the chain's blocks and logs,
 * the same for both apps and at the mercy of the machine's load), and the app-dependent costs
 * measured in time that load hardly moves: Ponder's CPU (plus the database server's for it, on
 * PostgreSQL) and the batches' transform time (handlers + flush).
 */
const ratios = (["pglite", "postgres"] as const).flatMap((database) => {
  const ours = results.backfill.filter((b) => b.database === database && b.app === "station");
  const bare = results.backfill.filter((b) => b.database === database && b.app === "bare");
  if (ours.length === 0 || bare.length === 0) return [];
  const rate = (rows: Backfill[]) => median(rows.map((b) => b.eventsPerSecondIndexing));
  const cpu = (rows: Backfill[]) => median(rows.map((b) => (b.cpuSeconds ?? NaN) + (b.databaseCpuSeconds ?? 0)));
  const transform = (rows: Backfill[]) => median(rows.map(transformMs));
  const indexingCpu = (rows: Backfill[]) =>
    median(rows.map((b) => (b.cpuSecondsIndexing ?? NaN) + (b.databaseCpuSecondsIndexing ?? 0)));
  return [
    {
      database,
      runs: ours.length,
      "station events/s": rate(ours),
      "bare events/s": rate(bare),
      "ratio (goal ≥ 0.8)": Number((rate(ours) / rate(bare)).toFixed(2)),
      "CPU(+DB) s station": Number(cpu(ours).toFixed(2)),
      "CPU(+DB) s bare": Number(cpu(bare).toFixed(2)),
      "CPU ratio bare/station": Number((cpu(bare) / cpu(ours)).toFixed(2)),
      "indexing CPU(+DB) s station": Number(indexingCpu(ours).toFixed(2)),
      "indexing CPU(+DB) s bare": Number(indexingCpu(bare).toFixed(2)),
      "indexing CPU ratio bare/station": Number((indexingCpu(bare) / indexingCpu(ours)).toFixed(2)),
      "transform ms station": Math.round(transform(ours)),
      "transform ms bare": Math.round(transform(bare)),
      "transform ratio bare/station": Number((transform(bare) / transform(ours)).toFixed(2)),
    },
  ];
});

const output = {
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, loadavg: os.loadavg().map((l) => Number(l.toFixed(2))), node: process.version },
  settings: {
    claims: CLAIMS,
    batchPerBlock: BATCH,
    rpcBuckets: RPC_BUCKETS,
    pollingIntervalMs: POLLING_MS,
    repeat: REPEAT,
  },
  goals: { eventsPerSecond: 2_500, liveP50Ms: 150, liveP99Ms: 400, ratioToBare: 0.8 },
  ...results,
  ratios,
};
console.table(
  results.backfill.map((b) => ({
    database: b.database,
    app: b.app,
    run: b.repeat,
    events: b.events,
    "s to /ready": b.secondsToReady,
    "s to tip": b.secondsToTip,
    "events/s": b.eventsPerSecond,
    "s indexing": b.secondsIndexing,
    "events/s indexing": b.eventsPerSecondIndexing,
    "peak RSS MB": b.peakRssMb,
    "CPU s": b.cpuSeconds,
    "CPU s / 10k events": b.cpuSecondsPer10kEvents,
    "DB CPU s": b.databaseCpuSeconds,
    "indexing CPU s": b.cpuSecondsIndexing,
    "indexing DB CPU s": b.databaseCpuSecondsIndexing,
    "handlers ms": b.metrics.transformMs.index,
    "flush ms": b.metrics.transformMs.load,
    "transform ms": Math.round(transformMs(b)),
    "load avg": b.loadavg1,
  })),
);
console.table(ratios);
if (results.live) console.table([{ ...results.live }]);
console.log(`load average ${output.machine.loadavg.join(" ")} on ${output.machine.cpus} CPUs`);
const file = path.join(REPO_ROOT, "bench", "results", RESULT);
await mkdir(path.dirname(file), { recursive: true });
await writeFile(file, `${JSON.stringify(output, null, 2)}\n`);
console.log(`wrote ${path.relative(REPO_ROOT, file)}`);
