/**
 * Ponder 0.16 on this machine, measured with the harness (not a test): backfill speed with the
 * default RPC rate limit vs more rate-limit buckets, on PGlite and PostgreSQL, and live latency
 * (transaction receipt → row visible over the SQL API) at a 100 ms polling interval.
 *
 *   npm run bench:indexer-probe                      everything (PostgreSQL if DATABASE_URL is set)
 *   EVENTS=5000 BUCKETS=1,10 npm run bench:indexer-probe
 *
 * Env: EVENTS (default 20000), LAYOUTS (Transfers per block, comma list, default "1,100"), BUCKETS
 * (comma list, default "1,10,50"), LIVE_TXS (default 100), POLLING_MS (default 100), PHASES
 * (default "backfill,live").
 * Prints tables and writes bench/results/indexer-probe.json.
 */
import { readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { createClient, eq } from "@ponder/client";
import { type Address, type Hex, encodeFunctionData } from "viem";

import { MockCTokenAbi } from "../indexer/abis/MockCToken.js";
import * as schema from "../indexer/ponder.schema.js";
import { deployMocks, removeDeployment } from "../scripts/lib/deploy.js";
import { type DevChain, startDevChain } from "../scripts/lib/devchain.js";
import {
  type PonderDatabase,
  type PonderProcess,
  type ScratchDatabase,
  createScratchDatabase,
  startPonder,
} from "../scripts/lib/ponder.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const EVENTS = Number(process.env.EVENTS ?? 20_000);
const LAYOUTS = (process.env.LAYOUTS ?? "1,100").split(",").map(Number);
const BUCKETS = (process.env.BUCKETS ?? "1,10,50").split(",").map(Number);
const LIVE_TXS = Number(process.env.LIVE_TXS ?? 100);
const POLLING_MS = Number(process.env.POLLING_MS ?? 100);
const PHASES = new Set((process.env.PHASES ?? "backfill,live").split(","));
const DATABASE_URL = process.env.DATABASE_URL;
const KINDS: ("pglite" | "postgres")[] = DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];

const DEPLOYER: Address = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
const RECIPIENTS: Address[] = [
  "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
  "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
];

function mintCall(token: Address, i: number) {
  return {
    from: DEPLOYER,
    to: token,
    data: encodeFunctionData({ abi: MockCTokenAbi, functionName: "mint", args: [RECIPIENTS[i % 3]!, BigInt(i + 1)] }),
  } as const;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Peak resident memory of a process (VmHWM), in MB. */
async function peakRssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  const match = /VmHWM:\s+(\d+) kB/.exec(status);
  return match ? Math.round(Number(match[1]) / 1024) : NaN;
}

async function withDatabase<T>(kind: "pglite" | "postgres", fn: (db: PonderDatabase) => Promise<T>): Promise<T> {
  let scratch: ScratchDatabase | undefined;
  let db: PonderDatabase;
  if (kind === "postgres") {
    // A fresh database per run: Ponder's ponder_sync cache would otherwise already hold the blocks.
    scratch = await createScratchDatabase(DATABASE_URL!, "station_bench");
    db = { kind: "postgres", url: scratch.url };
  } else {
    db = { kind: "pglite" };
  }
  try {
    return await fn(db);
  } finally {
    await scratch?.drop();
  }
}

async function cleanup(ponder: PonderProcess): Promise<void> {
  await ponder.stop({ releaseLock: false });
  if (ponder.database.kind === "pglite") await rm(ponder.database.directory!, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------

const chain: DevChain = await startDevChain();
const deployments: string[] = [];
const results: Record<string, unknown> = {
  machine: {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    loadAverageAtStart: os.loadavg().map((x) => Number(x.toFixed(2))),
    node: process.version,
  },
  settings: { EVENTS, LAYOUTS, BUCKETS, LIVE_TXS, POLLING_MS },
};

try {
  if (PHASES.has("backfill")) {
    // One token per layout, all on this chain; each run indexes one token from its deployment on.
    const tokens: { perBlock: number; token: Address; startBlock: number; blocks: number; seconds: number }[] = [];
    for (const perBlock of LAYOUTS) {
      const deployment = await deployMocks(chain.url, {
        deploymentId: `local-bench-backfill-${perBlock}-${chain.port}`,
      });
      deployments.push(deployment.deploymentId);
      const token = deployment.addresses.MockCToken;
      const t = performance.now();
      if (perBlock === 1) {
        await chain.sendTransactions(
          Array.from({ length: EVENTS }, (_, i) => mintCall(token, i)),
          { batchSize: 200 },
        );
      } else {
        await chain.setAutomine(false);
        for (let i = 0; i < EVENTS; i += perBlock) {
          const count = Math.min(perBlock, EVENTS - i);
          await chain.sendTransactions(
            Array.from({ length: count }, (_, j) => ({ ...mintCall(token, i + j), gas: 100_000n })),
          );
          await chain.mine(1);
        }
        await chain.setAutomine(true);
      }
      const lastBlock = Number(await chain.blockNumber());
      const seconds = (performance.now() - t) / 1000;
      tokens.push({
        perBlock,
        token,
        startBlock: deployment.startBlock,
        blocks: lastBlock - deployment.startBlock,
        seconds,
      });
      console.log(`generated ${EVENTS} Transfers, ${perBlock} per block, in ${seconds.toFixed(1)} s`);
    }
    // Everything below the 30-block finality depth: the backfill indexes all of it.
    await chain.mine(35);

    const rows = [];
    for (const { perBlock, token, startBlock } of tokens) {
      for (const kind of KINDS) {
        for (const buckets of BUCKETS) {
          const row = await withDatabase(kind, async (database) => {
            const t = performance.now();
            const ponder = await startPonder({
              rpcUrl: chain.url,
              addresses: { MockCToken: token },
              startBlock,
              database,
              rpcBuckets: buckets,
              timeoutMs: 1_800_000,
            });
            try {
              const readySeconds = (performance.now() - t) / 1000;
              const logs = await ponder.logs();
              const started = logs.find((l) => l.msg === "Started backfill indexing");
              const completed = logs.find((l) => l.msg === "Completed backfill indexing across all chains");
              const backfillSeconds = Number(completed?.duration ?? NaN) / 1000;
              const indexedEvents = logs
                .filter((l) => l.msg === "Indexed block range")
                .reduce((sum, l) => sum + Number(l.event_count ?? 0), 0);
              const rpcWarnings = logs.filter((l) => l.level >= 40 && /JSON-RPC/.test(l.msg)).length;
              return {
                database: kind,
                "events/block": perBlock,
                "rpc buckets": buckets,
                events: indexedEvents,
                "start→backfill s": started ? Number(((started.time - logs[0]!.time) / 1000).toFixed(1)) : NaN,
                "backfill s": Number(backfillSeconds.toFixed(1)),
                "events/s (backfill)": Math.round(indexedEvents / backfillSeconds),
                "spawn→/ready s": Number(readySeconds.toFixed(1)),
                "events/s (spawn→ready)": Math.round(indexedEvents / readySeconds),
                "peak RSS MB": await peakRssMb(ponder.pid),
                "rpc warnings": rpcWarnings,
              };
            } finally {
              await cleanup(ponder);
            }
          });
          console.log(row);
          rows.push(row);
        }
      }
    }
    console.log(`\nBackfill of ${EVENTS} Transfer events on a local Hardhat node (cold start, RPC cache off)`);
    console.table(rows);
    results.backfill = {
      generation: tokens.map(({ perBlock, blocks, seconds }) => ({
        perBlock,
        blocks,
        seconds: Number(seconds.toFixed(1)),
      })),
      rows,
    };
  }

  if (PHASES.has("live")) {
    const rows = [];
    const modes: { kind: "pglite" | "postgres"; ws: boolean }[] = [
      ...KINDS.map((kind) => ({ kind, ws: false })),
      { kind: "pglite", ws: true },
    ];
    for (const { kind, ws } of modes) {
      const deployment = await deployMocks(chain.url, { deploymentId: `local-bench-live-${kind}-${chain.port}` });
      deployments.push(deployment.deploymentId);
      const token = deployment.addresses.MockCToken;
      const row = await withDatabase(kind, async (database) => {
        const ponder = await startPonder({
          rpcUrl: chain.url,
          wsUrl: ws ? chain.wsUrl : undefined,
          addresses: { MockCToken: token },
          startBlock: deployment.startBlock,
          database,
          pollingIntervalMs: POLLING_MS,
          rpcBuckets: 10,
        });
        try {
          // Over a WebSocket, Ponder learns the tip only from the next newHeads: give it one.
          if (ws) await chain.mine(1);
          await ponder.waitForBlock(await chain.blockNumber());
          const latencies: number[] = [];
          for (let i = 0; i < LIVE_TXS; i++) {
            const [hash] = await chain.sendTransactions([mintCall(token, i)]);
            await chain.receipts([hash!]);
            const t0 = performance.now();
            await waitForRow(ponder, hash!);
            latencies.push(performance.now() - t0);
            // Decorrelate the next transaction from Ponder's polling phase.
            await new Promise((resolve) => setTimeout(resolve, Math.random() * POLLING_MS));
          }
          latencies.sort((a, b) => a - b);
          return {
            database: kind,
            "new blocks by": ws ? "WebSocket (eth_subscribe)" : `polling ${POLLING_MS} ms`,
            txs: LIVE_TXS,
            "p50 ms": Math.round(percentile(latencies, 50)),
            "p90 ms": Math.round(percentile(latencies, 90)),
            "p99 ms": Math.round(percentile(latencies, 99)),
            "max ms": Math.round(latencies.at(-1)!),
          };
        } finally {
          await cleanup(ponder);
        }
      });
      console.log(row);
      rows.push(row);
    }
    console.log(
      `\nLive latency: transaction receipt → row visible over GET /sql/db (@ponder/client, polled every 5 ms)`,
    );
    console.table(rows);
    results.live = rows;
  }
} finally {
  await chain.stop();
  for (const id of deployments) await removeDeployment(id);
}

results.machine = { ...(results.machine as object), loadAverageAtEnd: os.loadavg().map((x) => Number(x.toFixed(2))) };
const out = path.join(here, "results", "indexer-probe.json");
await writeFile(out, JSON.stringify(results, null, 2) + "\n");
console.log(`wrote ${path.relative(process.cwd(), out)}`);

/** Polls the SQL-over-HTTP endpoint through @ponder/client until the transaction's row shows. */
async function waitForRow(ponder: PonderProcess, hash: Hex): Promise<void> {
  const client = createClient(`${ponder.url}/sql`, { schema });
  const deadline = performance.now() + 30_000;
  for (;;) {
    const rows = await client.db
      .select({ id: schema.tokenTransfers.id })
      .from(schema.tokenTransfers)
      .where(eq(schema.tokenTransfers.transactionHash, hash));
    if (rows.length > 0) return;
    if (performance.now() > deadline) throw new Error(`row for ${hash} not visible within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
