/**
 * Can `ponder serve` answer the service from a PostgreSQL read-only standby? (The scaling-out plan
 * in docs/operations.md asks; this is how it was tried.)
 *
 * One chain, one `ponder start` on the primary, and two `ponder serve` on the same schema: one
 * connected to the primary, one to a hot standby that streams from it. Then, through each serve's
 * SQL over HTTP (the service's own reader, `ponderIndexer`), the same reads the service makes:
 * a claim's timeline by id, the newest transition block (the claim cache's watcher) and a count of
 * claims, before and after new claims and an acceptance are indexed, the standby having replayed
 * the primary's WAL past them, over `BENCH_ROUNDS` rounds (default 5). An answer that still shows
 * the earlier state is stale; each read is repeated for `BENCH_SECONDS` (default 20) to see whether
 * it catches up. The same reads also go straight to the standby with the service's reader (what
 * INDEXER_DATABASE_URL does). Also: whether a live query (what wakes the service's delivery side)
 * fires through each serve.
 *
 *   STANDBY_URL=postgres://postgres@127.0.0.1:5433/test npx tsx bench/ponder-standby.ts
 *
 * DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) is the primary; STANDBY_URL must
 * be a hot standby of that same server (any database name: the scratch database created on the
 * primary is reached by the same name). docs/operations.md, "ponder serve on a standby", shows
 * how to make one on one machine with pg_basebackup. Prints a table and writes
 * bench/results/ponder-standby.json.
 */
import { writeFile, mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { count } from "drizzle-orm";
import { encodeFunctionData, keccak256, toHex, type Hex } from "viem";

import * as schema from "../indexer/ponder.schema.js";
import { CompensationPoolAbi } from "../common/abis/CompensationPool.js";
import { ponderIndexer } from "../service/src/indexer/ponder.js";
import { createLogger } from "../service/src/http/log.js";
import { openDatabase } from "../service/src/db/client.js";
import type { IndexerDb } from "../service/src/feed/source.js";
import { createIndexerReader, type ClaimChangeReader, type IndexerReader } from "../service/src/indexer/reader.js";
import { deployStation, removeDeployment } from "../stack/deploy.js";
import { startDevChain } from "../stack/devchain.js";
import { createScratchDatabase, queryPostgres, startPonder, type PonderProcess } from "../stack/ponder.js";
import { freePort, waitUntil } from "../stack/proc.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const PRIMARY = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const STANDBY = process.env.STANDBY_URL;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
/** Changes made and observed (each a claim accepted and another filed). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
/** Hardhat's dev accounts: 1 is LocalStation's assessor (ignition/parameters/localhost.json), 5 files claims. */
const ASSESSOR: Hex = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const CLAIMANT: Hex = "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc";

type Read = (typeof READS)[number];
const SERVES = ["primary", "standby", "standby, read directly"] as const;
type Serve = (typeof SERVES)[number];
const READS = ["timeline", "newestBlock", "claimCount"] as const;
type Observation = {
  round: number;
  before: string;
  serve: Serve;
  read: Read;
  expected: string;
  firstAnswer: string;
  freshAfterMs: number | null;
};

const cleanups: Array<() => Promise<unknown>> = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until the standby has replayed everything the primary had written when called. */
async function replayed(): Promise<void> {
  const [{ lsn } = { lsn: "" }] = await queryPostgres<{ lsn: string }>(
    PRIMARY,
    "SELECT pg_current_wal_lsn()::text AS lsn",
  );
  await waitUntil(
    "the standby replaying the primary's WAL",
    async () => {
      const [row] = await queryPostgres<{ ok: boolean }>(
        STANDBY!,
        "SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS ok",
        [lsn],
      );
      return row?.ok === true;
    },
    { timeoutMs: 10_000 },
  );
}

/** The database `url` names, reached on the server of `server`. */
function sameDatabase(server: string, url: string): string {
  const out = new URL(server);
  out.pathname = new URL(url).pathname;
  return out.toString();
}

async function main(): Promise<void> {
  if (STANDBY === undefined) throw new Error("STANDBY_URL: a hot standby of DATABASE_URL's server is needed");
  const [recovery] = await queryPostgres<{ r: boolean }>(STANDBY, "SELECT pg_is_in_recovery() AS r");
  if (recovery?.r !== true) throw new Error(`STANDBY_URL ${STANDBY} is not a standby (pg_is_in_recovery() is false)`);

  const chain = await startDevChain();
  cleanups.push(() => chain.stop());
  const deployment = await deployStation(chain.url, { deploymentId: `standby-${chain.port}` });
  cleanups.push(() => removeDeployment(deployment.deploymentId));
  const pool = deployment.addresses.CompensationPool;
  const db = await createScratchDatabase(PRIMARY, "standby_ponder");
  cleanups.push(() => db.drop());
  const common = {
    rpcUrl: chain.url,
    addresses: {
      CStaking: deployment.addresses.CStaking,
      CompensationPool: pool,
      EmergencyPackages: deployment.addresses.EmergencyPackages,
    },
    startBlock: deployment.startBlock,
    schema: "standby",
  };
  const send = async (from: Hex, data: Hex) => {
    const [hash] = await chain.sendTransactions([{ from, to: pool, data, gas: 600_000n }]);
    const [receipt] = await chain.receipts([hash!]);
    if (receipt?.status !== "0x1") throw new Error(`transaction ${hash} failed`);
    return BigInt(receipt.blockNumber);
  };
  const submit = (n: number) =>
    send(
      CLAIMANT,
      encodeFunctionData({
        abi: CompensationPoolAbi,
        functionName: "submitClaim",
        args: [0, 10n ** 18n, keccak256(toHex(`standby ${n}`))],
      }),
    );

  // The first claim, indexed before the serves start.
  let block = await submit(1);
  const indexer = await startPonder({ ...common, database: { kind: "postgres", url: db.url }, port: await freePort() });
  cleanups.push(() => indexer.stop());
  await indexer.waitForBlock(block);

  const serves: Record<"primary" | "standby", PonderProcess> = {
    primary: await startPonder({
      ...common,
      command: "serve",
      database: { kind: "postgres", url: db.url },
      port: await freePort(),
      waitFor: "listening",
    }),
    standby: await startPonder({
      ...common,
      command: "serve",
      database: { kind: "postgres", url: sameDatabase(STANDBY, db.url) },
      port: await freePort(),
      waitFor: "listening",
    }),
  };
  for (const serve of Object.values(serves)) cleanups.push(() => serve.stop({ releaseLock: false }));

  const log = createLogger("error");
  const viaPonder = {
    primary: ponderIndexer({ indexerUrl: serves.primary.url, chainId: 31337, log }),
    standby: ponderIndexer({ indexerUrl: serves.standby.url, chainId: 31337, log }),
  };
  // The service's way around it (INDEXER_DATABASE_URL): its reader on the standby itself, in
  // Ponder's schema, the head from the primary's serve.
  const standbyDb = await openDatabase({
    url: sameDatabase(STANDBY, db.url),
    schema: "standby",
    createSchema: false,
    poolSize: 2,
  });
  cleanups.push(() => standbyDb.close());
  type Source = { reader: IndexerReader; db: IndexerDb };
  const sources: Record<Serve, Source> = {
    primary: { reader: viaPonder.primary.reader, db: viaPonder.primary.source.db },
    standby: { reader: viaPonder.standby.reader, db: viaPonder.standby.source.db },
    "standby, read directly": {
      reader: createIndexerReader({ db: standbyDb.db, head: viaPonder.primary.head }),
      db: standbyDb.db as unknown as IndexerDb,
    },
  };
  // createIndexerReader's readers also carry the watcher's reads.
  const changesOf = (name: Serve) => (sources[name].reader as unknown as { changes: ClaimChangeReader }).changes;
  const reads: Record<Read, (round: number, name: Serve) => Promise<string>> = {
    timeline: async (round, name) => (await sources[name].reader.timeline(BigInt(round)))?.claim.status ?? "none",
    // The claim cache's watcher asks this with the same SQL text every time.
    newestBlock: async (_round, name) => String((await changesOf(name).newestTransitionBlock()) ?? "none"),
    claimCount: async (_round, name) => {
      const [row] = await sources[name].db.select({ n: count() }).from(schema.claims);
      return String(row?.n ?? 0);
    },
  };

  // Live queries: does a change wake a subscriber of each serve?
  const woken: Record<"primary" | "standby", number> = { primary: 0, standby: 0 };
  const unsubscribe = (["primary", "standby"] as const).map((name) =>
    viaPonder[name].source.watch!(() => {
      woken[name]++;
    }),
  );
  cleanups.push(async () => unsubscribe.forEach((u) => u()));

  const wokenBefore = { ...woken };
  const observations: Observation[] = [];
  let direct: string | undefined;
  for (let round = 1; round <= ROUNDS; round++) {
    // Every read once on each serve: the state both start from (what a result cache would keep).
    const before: Record<string, string> = {};
    for (const name of SERVES) {
      for (const read of READS) before[`${name}:${read}`] = await reads[read](round, name);
    }
    await sleep(1_000);

    // The change: claim `round` accepted, the next round's claim filed.
    await send(
      ASSESSOR,
      encodeFunctionData({
        abi: CompensationPoolAbi,
        functionName: "acceptClaim",
        args: [BigInt(round), keccak256(toHex(`on it ${round}`))],
      }),
    );
    block = await submit(round + 1);
    await indexer.waitForBlock(block);
    const expected = Object.fromEntries(
      await Promise.all(READS.map(async (read) => [read, await reads[read](round, "primary")] as const)),
    ) as Record<Read, string>;
    // The standby has replayed everything the primary held when those answers were read.
    await replayed();
    // What the standby's own tables hold now, read directly (not through Ponder).
    const [row] = await queryPostgres<{ n: string }>(
      sameDatabase(STANDBY!, db.url),
      `SELECT count(*)::text AS n FROM "standby"."claims"`,
    );
    direct = row?.n;

    for (const name of SERVES) {
      for (const read of READS) {
        const started = performance.now();
        const firstAnswer = await reads[read](round, name);
        let freshAfterMs: number | null = firstAnswer === expected[read] ? 0 : null;
        while (freshAfterMs === null && performance.now() - started < SECONDS * 1000) {
          await sleep(250);
          if ((await reads[read](round, name)) === expected[read])
            freshAfterMs = Math.round(performance.now() - started);
        }
        observations.push({
          round,
          serve: name,
          read,
          before: before[`${name}:${read}`] ?? "",
          expected: expected[read],
          firstAnswer,
          freshAfterMs,
        });
      }
    }
  }
  const listenRefused = (await serves.standby.logs()).filter((l) => /listen connection/i.test(String(l.msg))).length;
  const live = {
    primary: woken.primary - wokenBefore.primary,
    standby: woken.standby - wokenBefore.standby,
  };

  const rows = SERVES.flatMap((serve) =>
    READS.map((read) => {
      const mine = observations.filter((o) => o.serve === serve && o.read === read);
      const stale = mine.filter((o) => o.freshAfterMs !== 0);
      const never = mine.filter((o) => o.freshAfterMs === null).length;
      const longest = Math.max(0, ...stale.map((o) => o.freshAfterMs ?? 0));
      return {
        serve,
        read,
        rounds: mine.length,
        "stale first answers": stale.length,
        "longest stale": never > 0 ? `over ${SECONDS} s (${never}×)` : stale.length > 0 ? `${longest} ms` : "-",
      };
    }),
  );
  console.log(`\nponder serve on the primary and on a hot standby (Node ${process.version}, ${os.cpus().length} CPUs)`);
  console.table(rows);
  console.log(`The standby's own claims table, read directly after the last round: ${direct ?? "?"} claims.`);
  console.log(`Live-query wake-ups over the rounds: primary ${live.primary}, standby ${live.standby}.`);
  console.log(`The standby serve's log lines about its LISTEN connection: ${listenRefused}.`);
  const out = {
    generatedAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, node: process.version },
    rounds: ROUNDS,
    secondsPerRead: SECONDS,
    standbyDirectClaimCountAfterLastRound: direct ?? null,
    summary: rows,
    liveWakeUpsAfterChange: live,
    standbyListenLogLines: listenRefused,
    observations,
  };
  await mkdir(path.join(here, "results"), { recursive: true });
  const file = path.join(here, "results", "ponder-standby.json");
  await writeFile(file, JSON.stringify(out, null, 2) + "\n");
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}

try {
  await main();
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
}
