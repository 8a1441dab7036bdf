/**
 * The indexer's tables in a test database, built from the Ponder table objects themselves
 * (indexer/ponder.schema.ts), and rows written as the indexer would write them.
 */
import { randomBytes } from "node:crypto";

import { PGlite } from "@electric-sql/pglite";
import { is, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/pglite";
import { getTableConfig, PgEnumColumn, PgTable } from "drizzle-orm/pg-core";
import { getAddress, type Address, type Hex } from "viem";

import * as schema from "../../indexer/ponder.schema.js";
import type { Database, DatabaseHandle } from "../../service/src/db/client.js";
import { encodeEventId } from "../../service/src/feed/eventId.js";
import type { IndexerSource } from "../../service/src/feed/source.js";
import { freshDatabase } from "./helpers.js";

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** CREATE TYPE / TABLE / INDEX statements for every Ponder table in the indexer schema. */
export function indexerDdl(): string[] {
  const tables = (Object.values(schema) as unknown[]).filter((v): v is PgTable => is(v, PgTable));
  const enums = new Map<string, string[]>();
  const statements: string[] = [];
  const bodies: string[] = [];
  for (const table of tables) {
    const config = getTableConfig(table);
    const columns = config.columns.map((c) => {
      if (is(c, PgEnumColumn)) enums.set(c.enum.enumName, [...c.enum.enumValues]);
      return `${quote(c.name)} ${c.getSQLType()}${c.notNull ? " NOT NULL" : ""}${c.primary ? " PRIMARY KEY" : ""}`;
    });
    for (const pk of config.primaryKeys)
      columns.push(`PRIMARY KEY (${pk.columns.map((c) => quote(c.name)).join(", ")})`);
    bodies.push(`CREATE TABLE ${quote(config.name)} (${columns.join(", ")})`);
    for (const [i, index] of config.indexes.entries()) {
      // Index columns are drizzle's IndexedColumn wrappers (or SQL); the named ones carry `name`.
      const cols = index.config.columns.flatMap((c) =>
        "name" in c && typeof c.name === "string" ? [quote(c.name)] : [],
      );
      bodies.push(`CREATE INDEX ${quote(`${config.name}_${i}_idx`)} ON ${quote(config.name)} (${cols.join(", ")})`);
    }
  }
  for (const [name, values] of enums) {
    statements.push(
      `CREATE TYPE ${quote(name)} AS ENUM (${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(", ")})`,
    );
  }
  return [...statements, ...bodies];
}

export async function createIndexerTables(db: Pick<Database, "execute">): Promise<void> {
  for (const statement of indexerDdl()) await db.execute(sql.raw(statement));
}

/** An indexer database for a test: its own PGlite, or its own PostgreSQL schema. */
export type TestIndexer = {
  db: Database;
  source: IndexerSource;
  /** The head block the indexer reports (undefined: unknown). */
  head: bigint | undefined;
  /** Wakes watchers, as Ponder's live queries would after a write. */
  notify(): void;
  close(): Promise<void>;
};

const templates = new Map<string, Promise<Blob>>();

/**
 * A fresh PGlite database prepared by `setup`. Starting PGlite from scratch runs initdb (seconds
 * on a busy machine); loading a data directory prepared once per process is several times faster.
 */
export async function preparedPglite(name: string, setup: (db: Database) => Promise<void>): Promise<DatabaseHandle> {
  let template = templates.get(name);
  if (template === undefined) {
    template = (async () => {
      const client = new PGlite();
      await setup(drizzle(client) as unknown as Database);
      const dump = await client.dumpDataDir("none");
      await client.close();
      return dump;
    })();
    templates.set(name, template);
  }
  const client = new PGlite({ loadDataDir: await template });
  await client.waitReady;
  return { db: drizzle(client) as unknown as Database, kind: "pglite", close: () => client.close() };
}

export async function openIndexer(engine: "pglite" | "postgres"): Promise<TestIndexer> {
  let handle: DatabaseHandle;
  if (engine === "pglite") {
    handle = await preparedPglite("indexer", createIndexerTables);
  } else {
    handle = await freshDatabase(engine);
    await createIndexerTables(handle.db);
  }
  const listeners = new Set<() => void>();
  const indexer: TestIndexer = {
    db: handle.db,
    head: undefined,
    source: {
      db: handle.db,
      head: async () => indexer.head,
      watch(onChange) {
        listeners.add(onChange);
        return () => listeners.delete(onChange);
      },
    },
    notify() {
      for (const l of listeners) l();
    },
    close: () => handle.close(),
  };
  return indexer;
}

// ─── Rows as the indexer writes them ──────────────────────────────────────────

export const CHAIN_ID = 31337;

export const randomHash = (): Hex => `0x${randomBytes(32).toString("hex")}`;
export const randomAddress = (): Address => getAddress(`0x${randomBytes(20).toString("hex")}`);

/** Block timestamps in tests: block n is at T0 + 2n. */
export const T0 = 1_700_000_000n;
export const blockTime = (block: bigint | number) => T0 + 2n * BigInt(block);

type ClaimStatus = (typeof schema.claimStatus.enumValues)[number];

export async function insertClaim(
  db: Database,
  c: {
    id: bigint;
    claimant: Address;
    status?: ClaimStatus;
    submittedAt?: bigint;
    responseDeadline?: bigint;
    resolutionDeadline?: bigint;
    acceptedAt?: bigint;
    block?: bigint;
    tier?: number;
  },
): Promise<void> {
  const submittedAt = c.submittedAt ?? T0;
  await db.insert(schema.claims).values({
    id: c.id,
    claimant: c.claimant.toLowerCase() as Hex,
    kind: "DataApiOutage",
    status: c.status ?? "Submitted",
    tier: c.tier ?? 0,
    evidenceHash: randomHash(),
    gasless: false,
    amountRequested: 1_000n * 10n ** 18n,
    amountApproved: 0n,
    lateCredit: 0n,
    amountPaid: 0n,
    responseDeadline: c.responseDeadline ?? submittedAt + 600n,
    resolutionDeadline: c.resolutionDeadline ?? submittedAt + 14_400n,
    submittedAt,
    acceptedAt: c.acceptedAt ?? null,
    lastNoteHash: `0x${"00".repeat(32)}`,
    submittedBlock: c.block ?? 1n,
    submittedTx: randomHash(),
    updatedBlock: c.block ?? 1n,
    updatedAt: submittedAt,
  });
}

export type TransitionRow = typeof schema.claimTransitions.$inferSelect;

/** One ClaimStatusChanged row, keyed by its Ponder event id. */
export async function insertTransition(
  db: Database,
  t: { claimId: bigint; status: ClaimStatus; block: bigint; logIndex?: number; txIndex?: number; txHash?: Hex },
): Promise<TransitionRow> {
  const logIndex = t.logIndex ?? 0;
  const row: TransitionRow = {
    id: encodeEventId({
      blockTimestamp: blockTime(t.block),
      chainId: BigInt(CHAIN_ID),
      blockNumber: t.block,
      transactionIndex: BigInt(t.txIndex ?? 0),
      logIndex: BigInt(logIndex),
    }),
    chainId: CHAIN_ID,
    claimId: t.claimId,
    status: t.status,
    actor: randomAddress().toLowerCase() as Hex,
    noteHash: `0x${"00".repeat(32)}`,
    blockNumber: t.block,
    blockTimestamp: blockTime(t.block),
    txHash: t.txHash ?? randomHash(),
    logIndex,
  };
  await db.insert(schema.claimTransitions).values(row);
  return row;
}

/** Ponder's reorg handling: rows of the replaced blocks (at or above `fromBlock`) disappear. */
export async function revertBlocks(db: Database, fromBlock: bigint): Promise<void> {
  for (const table of [schema.claimTransitions, schema.purchases, schema.stakeEvents, schema.incidentEvents]) {
    await db.execute(sql`DELETE FROM ${table} WHERE ${table.blockNumber} >= ${fromBlock.toString()}`);
  }
}

export async function insertCoverage(db: Database, beneficiary: Address, coveredUntil: bigint): Promise<void> {
  await db
    .insert(schema.subscriptions)
    .values({
      beneficiary: beneficiary.toLowerCase() as Hex,
      coveredUntil,
      slaFactorBps: 5_000,
      lastPackageId: 1n,
      purchaseCount: 1,
      updatedAt: T0,
    })
    .onConflictDoUpdate({ target: schema.subscriptions.beneficiary, set: { coveredUntil } });
}

export async function insertPurchase(
  db: Database,
  p: { buyer: Address; beneficiary: Address; block: bigint; coveredUntil: bigint; logIndex?: number },
): Promise<void> {
  await db.insert(schema.purchases).values({
    id: encodeEventId({
      blockTimestamp: blockTime(p.block),
      chainId: BigInt(CHAIN_ID),
      blockNumber: p.block,
      transactionIndex: 0n,
      logIndex: BigInt(p.logIndex ?? 0),
    }),
    buyer: p.buyer.toLowerCase() as Hex,
    beneficiary: p.beneficiary.toLowerCase() as Hex,
    packageId: 1n,
    payToken: randomAddress().toLowerCase() as Hex,
    paid: 100n * 10n ** 6n,
    discountBps: 0,
    coveredUntil: p.coveredUntil,
    slaFactorBps: 5_000,
    blockNumber: p.block,
    blockTimestamp: blockTime(p.block),
    txHash: randomHash(),
  });
}

export async function insertIncident(
  db: Database,
  i: { id: bigint; status?: "Open" | "Cancelled" | "Closed"; openedAt: bigint; endedAt?: bigint },
): Promise<void> {
  await db
    .insert(schema.incidents)
    .values({
      id: i.id,
      root: randomHash(),
      total: 10n ** 21n,
      claimed: 0n,
      claimCount: 0,
      claimableAt: i.openedAt + 3_600n,
      claimDeadline: i.openedAt + 30n * 86_400n,
      metadataHash: randomHash(),
      status: i.status ?? "Open",
      openedBy: randomAddress().toLowerCase() as Hex,
      openedAt: i.openedAt,
      endedAt: i.endedAt ?? null,
      released: 0n,
    })
    .onConflictDoUpdate({
      target: schema.incidents.id,
      set: { status: i.status ?? "Open", endedAt: i.endedAt ?? null },
    });
}

export type IncidentEventRow = typeof schema.incidentEvents.$inferSelect;

/** One incident event row (incident_events), keyed by its Ponder event id. */
export async function insertIncidentEvent(
  db: Database,
  e: {
    incidentId: bigint;
    kind: IncidentEventRow["kind"];
    block: bigint;
    amount?: bigint;
    claimed?: bigint;
    logIndex?: number;
    txHash?: Hex;
  },
): Promise<IncidentEventRow> {
  const logIndex = e.logIndex ?? 0;
  const row: IncidentEventRow = {
    id: encodeEventId({
      blockTimestamp: blockTime(e.block),
      chainId: BigInt(CHAIN_ID),
      blockNumber: e.block,
      transactionIndex: 0n,
      logIndex: BigInt(logIndex),
    }),
    chainId: CHAIN_ID,
    incidentId: e.incidentId,
    kind: e.kind,
    amount: e.amount ?? 10n ** 21n,
    claimed: e.kind === "Closed" ? (e.claimed ?? 0n) : null,
    leafIndex: e.kind === "Claimed" ? 0n : null,
    account: e.kind === "Claimed" ? (randomAddress().toLowerCase() as Hex) : null,
    actor: randomAddress().toLowerCase() as Hex,
    noteHash: e.kind === "Opened" || e.kind === "Cancelled" ? randomHash() : null,
    blockNumber: e.block,
    blockTimestamp: blockTime(e.block),
    txHash: e.txHash ?? randomHash(),
    logIndex,
  };
  await db.insert(schema.incidentEvents).values(row);
  return row;
}

export async function insertStakeEvent(
  db: Database,
  s: { account: Address; block: bigint; amount: bigint; newStake: bigint; logIndex?: number },
): Promise<void> {
  await db.insert(schema.stakeEvents).values({
    id: encodeEventId({
      blockTimestamp: blockTime(s.block),
      chainId: BigInt(CHAIN_ID),
      blockNumber: s.block,
      transactionIndex: 0n,
      logIndex: BigInt(s.logIndex ?? 0),
    }),
    account: s.account.toLowerCase() as Hex,
    kind: "Staked",
    amount: s.amount,
    newStake: s.newStake,
    requestId: null,
    releaseAt: null,
    blockNumber: s.block,
    blockTimestamp: blockTime(s.block),
    txHash: randomHash(),
  });
}
