/**
 * Webhook delivery benchmark: how fast an indexed claim transition reaches a subscriber's
 * receiver, and how many deliveries per second one sender pushes out.
 *
 *   npx tsx bench/service-webhook.ts                                  embedded PGlite
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/service-webhook.ts
 *
 * 1. Latency: BENCH_ROWS (200) claim_transitions rows are inserted one at a time, every
 *    BENCH_INTERVAL_MS (50), into the indexer's tables; the service's delivery side runs as in
 *    production (status feed over @ponder/client's SQL-over-HTTP against a stand-in of Ponder's
 *    API, sender, watchers) and a receiver in another process records when each webhook
 *    arrives. Measured: row committed → webhook received. This excludes the indexer's own
 *    latency (chain → row; see shared/notes: ~50–100 ms p50 with a 100 ms polling interval).
 *    Woken by live queries (Ponder notifies after each block), and by polling alone; each run
 *    starts with BENCH_WARMUP (20) unmeasured rows.
 * 2. Throughput: BENCH_QUEUED (10,000) deliveries queued at once, drained by one sender.
 *
 * Prints a table and writes bench/results/service-webhook.json (one entry per engine).
 */
import { readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { sql } from "drizzle-orm";
import { getAddress } from "viem";

import { createApp } from "../service/src/app.js";
import { type AppDeps } from "../service/src/deps.js";
import { loadConfig } from "../service/src/config.js";
import { queryRows } from "../service/src/db/client.js";
import { migrate } from "../service/src/db/migrate.js";
import { ponderIndexer } from "../service/src/indexer/ponder.js";
import { createLogger } from "../service/src/http/log.js";
import { createMetricsRegistry } from "../service/src/http/metrics.js";
import { enqueueEvents } from "../service/src/webhooks/enqueue.js";
import { envelope } from "../service/src/webhooks/events.js";
import { deliveryMetrics } from "../service/src/webhooks/metrics.js";
import { startDelivery } from "../service/src/webhooks/runtime.js";
import { SecretBox } from "../service/src/webhooks/secrets.js";
import { DeliverySender } from "../service/src/webhooks/sender.js";
import { FakePonder } from "../test/service/fakePonder.js";
import { testGuards } from "../test/service/guards.js";
import { freshDatabase } from "../test/service/helpers.js";
import { CHAIN_ID, insertClaim, insertTransition, offlineIndexer, openIndexer } from "../test/service/indexer.js";
import { now, percentile, round, startReceiver, until } from "./lib/latency.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const resultsPath = path.join(here, "results", "service-webhook.json");
const engine: "pglite" | "postgres" = process.env.DATABASE_URL ? "postgres" : "pglite";
const ROWS = Number(process.env.BENCH_ROWS ?? 200);
const INTERVAL_MS = Number(process.env.BENCH_INTERVAL_MS ?? 50);
const QUEUED = Number(process.env.BENCH_QUEUED ?? 10_000);
const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? "16,64").split(",").map(Number);
/** Rows sent through each run first and not measured (JIT, connections, Ponder's query-parser cache). */
const WARMUP = Number(process.env.BENCH_WARMUP ?? 20);

// ─── Setup ────────────────────────────────────────────────────────────────────

const receiver = await startReceiver();
const service = await freshDatabase(engine);
await migrate(service.db);
const indexer = await openIndexer(engine);
const ponder = await FakePonder.start(indexer.db);
const log = createLogger("silent");
const claimant = getAddress("0x00000000000000000000000000000000000000c1");
await insertClaim(indexer.db, { id: 1n, claimant });

function deps(env: Record<string, string>): AppDeps {
  return {
    db: service.db,
    config: loadConfig({ LOG_LEVEL: "silent", ...env }),
    log,
    auth: testGuards(),
    metrics: createMetricsRegistry({ defaults: false }),
    indexerSource: ponderIndexer({ indexerUrl: ponder.url, chainId: CHAIN_ID, log }).source,
    indexer: offlineIndexer(),
    now: Date.now,
  };
}

{
  const res = await createApp(deps({})).request("/v1/webhooks", {
    method: "POST",
    headers: { authorization: `Test ${claimant}`, "content-type": "application/json" },
    body: JSON.stringify({ url: receiver.url, events: ["claim.status"] }),
  });
  if (res.status !== 201) throw new Error(`subscribe failed: ${res.status} ${await res.text()}`);
}

// ─── 1. Row → webhook latency ─────────────────────────────────────────────────

let nextBlock = 1n;

async function latencyRun(label: string, env: Record<string, string>, notify: boolean) {
  const runtime = await startDelivery(deps(env));
  const paced = async (rows: number) => {
    const inserted = new Map<string, number>();
    const started = now();
    for (let i = 0; i < rows; i++) {
      const due = started + i * INTERVAL_MS;
      const wait = due - now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const row = await insertTransition(indexer.db, { claimId: 1n, status: "Investigating", block: nextBlock++ });
      inserted.set(`${CHAIN_ID}:${row.txHash}:${row.logIndex}`, now());
      if (notify) void ponder.notify();
    }
    await until(
      `${label}: ${rows} webhooks`,
      () => [...inserted.keys()].every((k) => receiver.arrivals.has(k)),
      120_000,
    );
    return inserted;
  };
  await paced(WARMUP);
  const inserted = await paced(ROWS);
  await runtime.stop();
  const latencies = [...inserted].map(([key, at]) => receiver.arrivals.get(key)! - at).sort((a, b) => a - b);
  return {
    run: label,
    rows: ROWS,
    intervalMs: INTERVAL_MS,
    p50Ms: round(percentile(latencies, 50)),
    p90Ms: round(percentile(latencies, 90)),
    p99Ms: round(percentile(latencies, 99)),
    maxMs: round(latencies.at(-1)!),
  };
}

const latency = [
  await latencyRun("live queries (FEED_LIVE=true)", {}, true),
  await latencyRun("polling only (FEED_POLL_MS=1000)", { FEED_LIVE: "false", FEED_POLL_MS: "1000" }, false),
  await latencyRun("polling only (FEED_POLL_MS=100)", { FEED_LIVE: "false", FEED_POLL_MS: "100" }, false),
];

// ─── 2. Sender throughput ─────────────────────────────────────────────────────

async function throughputRun(concurrency: number) {
  const run = `t${concurrency}-${Date.now()}`;
  const at = new Date();
  for (let i = 0; i < QUEUED; i += 1_000) {
    const events = Array.from({ length: Math.min(1_000, QUEUED - i) }, (_, j) => {
      const key = `bench:${run}:${i + j}`;
      return {
        type: "claim.status" as const,
        idempotencyKey: key,
        recipients: [claimant],
        body: envelope(key, "claim.status", at, { claimId: "1", status: "Investigating", n: i + j }),
      };
    });
    await service.db.transaction((tx) => enqueueEvents(tx, events, at));
  }
  const d = deps({ WEBHOOK_CONCURRENCY: String(concurrency) });
  const sender = new DeliverySender({
    db: service.db,
    log,
    metrics: deliveryMetrics(d.metrics),
    config: d.config.webhooks,
    secrets: new SecretBox(undefined),
  });
  const before = receiver.count();
  const t0 = now();
  sender.start();
  await until(`${QUEUED} deliveries`, () => receiver.count() - before >= QUEUED, 600_000);
  const sentMs = now() - t0;
  await until(
    "all recorded as delivered",
    async () =>
      (
        await queryRows<{ n: number }>(
          service.db,
          sql`SELECT count(*)::int AS n FROM webhook_deliveries WHERE status <> 'delivered'`,
        )
      )[0]!.n === 0,
    120_000,
  );
  const recordedMs = now() - t0;
  await sender.stop();
  return {
    concurrency,
    deliveries: QUEUED,
    receivedInS: round(sentMs / 1000),
    allRecordedInS: round(recordedMs / 1000),
    perSecond: Math.round(QUEUED / (recordedMs / 1000)),
    duplicates: receiver.count() - before - QUEUED,
  };
}

const throughput = [];
for (const c of CONCURRENCY) throughput.push(await throughputRun(c));

await ponder.stop();
await indexer.close();
await service.close();
receiver.stop();

// ─── Report ───────────────────────────────────────────────────────────────────

console.log(
  `\nWebhook delivery on ${engine} — ${os.cpus().length} CPUs, Node ${process.version}, load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
console.log("Row committed in the indexer tables → signed webhook received (excludes the indexer's own latency):");
console.table(latency);
console.log(`Sender throughput, ${QUEUED} queued deliveries, one sender, receiver in another process:`);
console.table(throughput);

const previous = JSON.parse(await readFile(resultsPath, "utf8").catch(() => "{}")) as Record<string, unknown>;
previous[engine] = {
  measuredAt: new Date().toISOString(),
  // Other work on the machine skews these figures: the load average says how much there was.
  machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version, loadavg: os.loadavg() },
  latency,
  throughput,
};
await writeFile(resultsPath, JSON.stringify(previous, null, 2) + "\n");
console.log(`wrote ${path.relative(process.cwd(), resultsPath)}`);
