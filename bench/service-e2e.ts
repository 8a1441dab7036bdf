/**
 * End-to-end webhook latency with real processes (not a timed test): `npm run bench:service-e2e`.
 *
 * The station of test/service/liveStation.ts: a Hardhat node with LocalStation, `ponder start`
 * polling for blocks every BENCH_POLLING_MS (100), and the service started as production starts it
 * (status feed woken by @ponder/client live queries, default feed and sender settings), subscribed
 * for a development account's claim changes, with a receiver in a process of its own. BENCH_TXS
 * (200) transactions are sent one every BENCH_INTERVAL_MS (100) — a claim submitted, then accepted
 * by the assessor, alternately: one ClaimStatusChanged log each — after BENCH_WARMUP (10)
 * unmeasured ones. Measured per transaction: its receipt in hand → its signed webhook received.
 * That is the whole path: the block reaching Ponder, Ponder's indexing, the feed, the sender.
 *
 * PGlite always; PostgreSQL too when DATABASE_URL is set (Ponder and the service each in a
 * throw-away database). Prints a table and writes bench/results/service-e2e.json (one entry per
 * engine, with the machine's load average: other work on it skews every figure).
 */
import { readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { loadConfig } from "../service/src/config.js";
import { startLiveStation, type Engine, type Sent } from "../test/service/liveStation.js";
import { now, percentile, round, startReceiver, until } from "./lib/latency.js";

const TXS = Number(process.env.BENCH_TXS ?? 200);
const INTERVAL_MS = Number(process.env.BENCH_INTERVAL_MS ?? 100);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 10);
const POLLING_MS = Number(process.env.BENCH_POLLING_MS ?? 100);
const ACCOUNT = 10;
/** The goal for transaction → webhook. */
const GOAL = { p50Ms: 500, p99Ms: 1_500 };

const here = path.dirname(fileURLToPath(import.meta.url));
const resultsPath = path.join(here, "results", "service-e2e.json");
const engines: Engine[] = process.env.DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];

async function measure(engine: Engine) {
  const loadBefore = os.loadavg()[0] ?? 0;
  const station = await startLiveStation(engine, { pollingIntervalMs: POLLING_MS });
  const receiver = await startReceiver();
  try {
    await station.fund(ACCOUNT);
    const db = await station.serviceDatabase();
    try {
      const service = await station.startService(db.env);
      await station.subscribe(service, ACCOUNT, receiver.url, ["claim.status"]);
      let lastClaim = 0n;
      const next = async (i: number): Promise<Sent> => {
        if (i % 2 === 1) return station.acceptClaim(lastClaim);
        const sent = await station.submitClaim(ACCOUNT);
        lastClaim = sent.claimId!;
        return sent;
      };
      /** `count` transactions paced INTERVAL_MS apart; the receipt time of each one's webhook key. */
      const paced = async (count: number, offset: number) => {
        const receipts = new Map<string, number>();
        const started = now();
        for (let i = 0; i < count; i++) {
          const wait = started + i * INTERVAL_MS - now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          const sent = await next(offset + i);
          if (sent.events.length !== 1) throw new Error(`expected one webhook event in ${sent.hash}`);
          receipts.set(sent.events[0]!.key, sent.receiptAt);
        }
        await until(`${count} webhooks`, () => [...receipts.keys()].every((k) => receiver.arrivals.has(k)), 120_000);
        return receipts;
      };
      await paced(WARMUP, 0);
      const receipts = await paced(TXS, WARMUP);
      await service.stop();
      const latencies = [...receipts].map(([key, at]) => receiver.arrivals.get(key)! - at).sort((a, b) => a - b);
      const config = loadConfig(service.env);
      return {
        engine,
        transactions: TXS,
        intervalMs: INTERVAL_MS,
        ponderPollingIntervalMs: POLLING_MS,
        feed: { live: config.feed.live, pollMs: config.feed.pollMs, confirmations: config.feed.confirmations },
        webhookPollMs: config.webhooks.pollMs,
        p50Ms: round(percentile(latencies, 50)),
        p90Ms: round(percentile(latencies, 90)),
        p99Ms: round(percentile(latencies, 99)),
        maxMs: round(latencies.at(-1)!),
        duplicates: receiver.count() - receiver.arrivals.size,
        loadAverage1m: { before: round(loadBefore), after: round(os.loadavg()[0] ?? 0) },
      };
    } finally {
      await db.drop();
    }
  } finally {
    receiver.stop();
    await station.stop();
  }
}

const results = [];
for (const engine of engines) results.push(await measure(engine));

console.log(
  `\nTransaction receipt → signed webhook received, ${TXS} transactions one every ${INTERVAL_MS} ms, ` +
    `${os.cpus().length} CPUs, Node ${process.version}`,
);
console.log(
  `Ponder polling interval ${POLLING_MS} ms; feed woken by live queries (FEED_LIVE), else polled every ` +
    `FEED_POLL_MS; sender polls every WEBHOOK_POLL_MS and is woken by the feed. Goal: p50 ≤ ${GOAL.p50Ms} ms, p99 ≤ ${GOAL.p99Ms} ms.`,
);
console.table(
  results.map((r) => ({
    engine: r.engine,
    "ponder poll ms": r.ponderPollingIntervalMs,
    FEED_LIVE: r.feed.live,
    FEED_POLL_MS: r.feed.pollMs,
    FEED_CONFIRMATIONS: r.feed.confirmations,
    WEBHOOK_POLL_MS: r.webhookPollMs,
    "p50 ms": r.p50Ms,
    "p90 ms": r.p90Ms,
    "p99 ms": r.p99Ms,
    "max ms": r.maxMs,
    goal: r.p50Ms <= GOAL.p50Ms && r.p99Ms <= GOAL.p99Ms ? "met" : "missed",
    duplicates: r.duplicates,
    "load 1m": `${r.loadAverage1m.before} → ${r.loadAverage1m.after}`,
  })),
);

const previous = JSON.parse(await readFile(resultsPath, "utf8").catch(() => "{}")) as Record<string, unknown>;
for (const r of results) {
  previous[r.engine] = {
    measuredAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version },
    goal: GOAL,
    ...r,
  };
}
await writeFile(resultsPath, JSON.stringify(previous, null, 2) + "\n");
console.log(`wrote ${path.relative(process.cwd(), resultsPath)}`);
