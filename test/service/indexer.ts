/**
 * The indexer's tables in a test database (created from the Ponder table objects themselves, see
 * service/src/indexer/ddl.ts), and rows written as the indexer would write them: claims with
 * consistent transitions built from a list of steps, single event rows (transitions, purchases,
 * stake events) keyed by Ponder event ids, incidents, coverage and tiers.
 *
 * Time in fixtures: block n is mined at T0 + n (`blockTime`).
 */
import { randomBytes } from "node:crypto";

import { sql } from "drizzle-orm";
import { getAddress, type Address, type Hex } from "viem";

import * as schema from "../../indexer/ponder.schema.js";
import type { Database, DatabaseHandle } from "../../service/src/db/client.js";
import { encodeEventId } from "./eventId.js";
import type { IndexerSource } from "../../service/src/feed/source.js";
import { indexerDdl } from "../../service/src/indexer/ddl.js";
import {
  createIndexerReader,
  type ChainHead,
  type ClaimKind,
  type ClaimStatus,
  type IndexerReader,
} from "../../service/src/indexer/reader.js";
import { freshDatabase, preparedPglite } from "./helpers.js";

// ─── Databases ────────────────────────────────────────────────────────────────

export async function createIndexerTables(db: Pick<Database, "execute">): Promise<void> {
  for (const statement of indexerDdl()) await db.execute(sql.raw(statement));
}

/** A fresh database holding the indexer's (empty) tables: its own PGlite, or its own PostgreSQL schema. */
export async function freshIndexerDatabase(engine: "pglite" | "postgres"): Promise<DatabaseHandle> {
  if (engine === "pglite") return preparedPglite("indexer", createIndexerTables);
  const handle = await freshDatabase(engine);
  await createIndexerTables(handle.db);
  return handle;
}

/** An indexer database with the IndexerSource the delivery side reads it through. */
export type TestIndexer = {
  db: Database;
  source: IndexerSource;
  /** The head block the indexer reports (undefined: unknown). */
  head: bigint | undefined;
  /** Wakes watchers, as Ponder's live queries would after a write. */
  notify(): void;
  close(): Promise<void>;
};

export async function openIndexer(engine: "pglite" | "postgres"): Promise<TestIndexer> {
  const handle = await freshIndexerDatabase(engine);
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

/** A reader over the test database whose chain head the test sets. */
export function testReader(db: Database, head: { current: ChainHead }): IndexerReader {
  return createIndexerReader({ db, head: async () => head.current });
}

/** A reader for apps whose test never reaches the indexer: every read fails as if it were down. */
export function offlineIndexer(): IndexerReader {
  const down = async (): Promise<never> => {
    throw new Error("connect ECONNREFUSED 127.0.0.1:42069");
  };
  return {
    head: down,
    chainNow: down,
    standby: down,
    breachCreditTerms: down,
    claim: down,
    timeline: down,
    transitions: down,
    claimsByAccount: down,
    queue: down,
    stats: down,
  };
}

// ─── Fixture values ───────────────────────────────────────────────────────────

export const CHAIN_ID = 31337;

/** Unix seconds used as the origin of fixtures. */
export { prng } from "../../bench/lib/prng.js";

export const T0 = 1_750_000_000n;
/** Block n is mined at T0 + n. */
export const blockTime = (block: bigint | number) => T0 + BigInt(block);
const blockAt = (at: bigint) => at - T0;

export const ALICE: Address = "0x70997970C51812Dc3A010c7D01B50E20D17Dc79C";
export const BOB: Address = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
export const ASSESSOR: Address = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";

export const randomHash = (): Hex => `0x${randomBytes(32).toString("hex")}`;
export const randomAddress = (): Address => getAddress(`0x${randomBytes(20).toString("hex")}`);

const hex = (n: bigint, bytes = 32): Hex => `0x${n.toString(16).padStart(bytes * 2, "0")}`;
/** Ponder stores addresses lower-case. */
const stored = (address: Address) => address.toLowerCase() as Hex;

/** A Ponder event id (its checkpoint) for a log in `block`. */
const eventId = (block: bigint, logIndex: number, txIndex = 0n) =>
  encodeEventId({
    blockTimestamp: blockTime(block),
    chainId: BigInt(CHAIN_ID),
    blockNumber: block,
    transactionIndex: txIndex,
    logIndex: BigInt(logIndex),
  });

/** The columns every event row has: its event id, chain coordinates, block, block time and transaction. */
const eventColumns = (block: bigint, logIndex = 0) => ({
  id: eventId(block, logIndex),
  chainId: CHAIN_ID,
  blockNumber: block,
  blockTimestamp: blockTime(block),
  txHash: randomHash(),
  logIndex,
});

// ─── Claims and their transitions ─────────────────────────────────────────────

export type Step = { status: ClaimStatus; at: bigint; block?: bigint; logIndex?: number };

export type ClaimSpec = {
  id: bigint;
  claimant?: Address;
  kind?: ClaimKind;
  tier?: number;
  /** Default T0. */
  submittedAt?: bigint;
  /** Seconds from submission to the response deadline (default 600: ten minutes). */
  responseWindow?: bigint;
  /** Seconds from submission to the resolution deadline (default 4 h). */
  resolutionWindow?: bigint;
  amountRequested?: bigint;
  amountApproved?: bigint;
  lateCredit?: bigint;
  /** A no-response breach credit already paid. */
  noResponseCredit?: bigint;
  /** A resolution breach credit already paid. */
  resolutionCredit?: bigint;
  /** Defaults to the approval time (a small claim, payable at once). */
  payableAt?: bigint;
  steps?: Step[];
  /** Leave the Submitted transition out (the indexer may only record later ones). */
  noSubmittedTransition?: boolean;
};

/**
 * Five claims in different states at T0 + 1000 (the claim-view tests' fixture): investigating,
 * accepted in time; submitted (Bob's); rejected without acceptance; paid on the priority tier,
 * accepted late, without an indexed Submitted transition; cancelled before any answer.
 */
export const CLAIMS_IN_EVERY_STATE: ClaimSpec[] = [
  // Investigating; accepted within its response deadline (T0+700)
  {
    id: 1n,
    kind: "DataApiOutage",
    submittedAt: T0 + 100n,
    amountRequested: 25n * 10n ** 17n,
    steps: [
      { status: "Accepted", at: T0 + 400n },
      { status: "Investigating", at: T0 + 999n, block: 999n },
    ],
  },
  // Submitted; response deadline T0+1100
  { id: 2n, submittedAt: T0 + 500n, claimant: BOB },
  // Rejected without acceptance (a response within its deadline, a resolution too)
  { id: 3n, submittedAt: T0 + 100n, steps: [{ status: "Rejected", at: T0 + 300n }] },
  // Paid on the priority tier, accepted late; no Submitted transition indexed
  {
    id: 4n,
    tier: 1,
    submittedAt: T0,
    responseWindow: 300n,
    amountApproved: 10n ** 18n,
    lateCredit: 10n ** 17n,
    noResponseCredit: 5n * 10n ** 17n,
    noSubmittedTransition: true,
    steps: [
      { status: "Accepted", at: T0 + 301n },
      { status: "Approved", at: T0 + 500n },
      { status: "Paid", at: T0 + 510n },
    ],
  },
  // Cancelled by the claimant before anyone answered
  { id: 5n, submittedAt: T0 + 100n, steps: [{ status: "Cancelled", at: T0 + 200n }] },
];

/**
 * The claims row and transitions the indexer would hold for a claim that went through `steps`.
 * Each claim's transactions get their own transaction index (the claim id), so claims changing in
 * the same block still have distinct event ids.
 */
export function buildClaim(spec: ClaimSpec) {
  const steps = spec.steps ?? [];
  const submittedAt = spec.submittedAt ?? T0;
  const claimant = spec.claimant ?? ALICE;
  const at = (status: ClaimStatus) => steps.find((s) => s.status === status)?.at ?? null;
  const last = steps[steps.length - 1];
  const status: ClaimStatus = last?.status ?? "Submitted";
  const approved = at("Approved");
  const amountApproved = approved === null ? 0n : (spec.amountApproved ?? spec.amountRequested ?? 10n ** 18n);
  const lateCredit = spec.lateCredit ?? 0n;
  const submittedBlock = blockAt(submittedAt);
  const claim: typeof schema.claims.$inferInsert = {
    id: spec.id,
    claimant: stored(claimant),
    kind: spec.kind ?? "MissingReward",
    status,
    tier: spec.tier ?? 0,
    evidenceHash: hex(spec.id + 1000n),
    gasless: false,
    amountRequested: spec.amountRequested ?? 10n ** 18n,
    amountApproved,
    lateCredit,
    noResponseCredit: spec.noResponseCredit ?? 0n,
    resolutionCredit: spec.resolutionCredit ?? 0n,
    amountPaid: status === "Paid" ? amountApproved + lateCredit : 0n,
    responseDeadline: submittedAt + (spec.responseWindow ?? 600n),
    resolutionDeadline: submittedAt + (spec.resolutionWindow ?? 14_400n),
    submittedAt,
    acceptedAt: at("Accepted"),
    investigatingAt: at("Investigating"),
    approvedAt: approved,
    payableAt: approved === null ? null : (spec.payableAt ?? approved),
    paidAt: at("Paid"),
    closedAt: at("Rejected") ?? at("Cancelled"),
    lastNoteHash: hex(BigInt(steps.length)),
    submittedBlock,
    submittedTx: hex(spec.id * 100n),
    updatedBlock: last === undefined ? submittedBlock : (last.block ?? blockAt(last.at)),
    updatedAt: last?.at ?? submittedAt,
  };
  const all: Step[] = spec.noSubmittedTransition ? steps : [{ status: "Submitted", at: submittedAt }, ...steps];
  // Steps of one claim in the same block are logs of their own there, as on-chain.
  let previous: { block: bigint; logIndex: number } | undefined;
  const transitions: Array<typeof schema.claimTransitions.$inferInsert> = all.map((s, i) => {
    const block = s.block ?? blockAt(s.at);
    const logIndex = s.logIndex ?? (previous?.block === block ? previous.logIndex + 1 : 0);
    previous = { block, logIndex };
    return {
      id: eventId(block, logIndex, spec.id),
      chainId: CHAIN_ID,
      claimId: spec.id,
      status: s.status,
      actor: stored(s.status === "Submitted" || s.status === "Cancelled" ? claimant : ASSESSOR),
      noteHash: hex(BigInt(i)),
      blockNumber: block,
      blockTimestamp: s.at,
      txHash: hex(spec.id * 100n + BigInt(i)),
      logIndex,
    };
  });
  return { claim, transitions };
}

/** Claims with their transitions, as the indexer holds them after their steps. */
export async function insertClaims(db: Database, specs: ClaimSpec[]): Promise<void> {
  const built = specs.map(buildClaim);
  for (let i = 0; i < built.length; i += 500) {
    const chunk = built.slice(i, i + 500);
    await db.insert(schema.claims).values(chunk.map((b) => b.claim));
    const transitions = chunk.flatMap((b) => b.transitions);
    if (transitions.length > 0) await db.insert(schema.claimTransitions).values(transitions);
  }
}

/** Only the claims row of `spec` (tests that write the transitions themselves, one by one). */
export async function insertClaim(db: Database, spec: ClaimSpec): Promise<void> {
  await db.insert(schema.claims).values(buildClaim(spec).claim);
}

export type TransitionRow = typeof schema.claimTransitions.$inferSelect;

/** One ClaimStatusChanged row, keyed by its Ponder event id. */
export async function insertTransition(
  db: Database,
  t: { claimId: bigint; status: ClaimStatus; block: bigint; logIndex?: number; txIndex?: number; txHash?: Hex },
): Promise<TransitionRow> {
  const logIndex = t.logIndex ?? 0;
  const row: TransitionRow = {
    id: eventId(t.block, logIndex, BigInt(t.txIndex ?? 0)),
    chainId: CHAIN_ID,
    claimId: t.claimId,
    status: t.status,
    actor: stored(randomAddress()),
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

// ─── Staking, packages, incidents ─────────────────────────────────────────────

/** Standard (10000 bps) and Priority (5000 bps: deadlines 50% shorter). */
export async function insertTiers(db: Database): Promise<void> {
  await db.insert(schema.tiers).values([
    { tier: 0, threshold: 0n, thresholdWholeC: 0n, slaFactorBps: 10_000, discountBps: 0, active: true },
    {
      tier: 1,
      threshold: 1000n * 10n ** 18n,
      thresholdWholeC: 1000n,
      slaFactorBps: 5_000,
      discountBps: 3_000,
      active: true,
    },
  ]);
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
  const row: IncidentEventRow = {
    ...eventColumns(e.block, e.logIndex),
    ...(e.txHash === undefined ? {} : { txHash: e.txHash }),
    chainId: CHAIN_ID,
    incidentId: e.incidentId,
    kind: e.kind,
    amount: e.amount ?? 10n ** 21n,
    claimed: e.kind === "Closed" ? (e.claimed ?? 0n) : null,
    leafIndex: e.kind === "Claimed" ? 0n : null,
    account: e.kind === "Claimed" ? stored(randomAddress()) : null,
    actor: stored(randomAddress()),
    noteHash: e.kind === "Opened" || e.kind === "Cancelled" ? randomHash() : null,
    logIndex: e.logIndex ?? 0,
  };
  await db.insert(schema.incidentEvents).values(row);
  return row;
}

export async function insertStakeEvent(
  db: Database,
  s: { account: Address; block: bigint; amount: bigint; newStake: bigint; logIndex?: number },
): Promise<void> {
  await db.insert(schema.stakeEvents).values({
    ...eventColumns(s.block, s.logIndex),
    account: stored(s.account),
    kind: "Staked",
    amount: s.amount,
    newStake: s.newStake,
    requestId: null,
    releaseAt: null,
  });
}

/** One BreachCreditPaid row. */
export async function insertBreachCredit(
  db: Database,
  c: {
    claimId: bigint;
    claimant: Address;
    kind: "NoResponse" | "Resolution";
    amount: bigint;
    block: bigint;
    logIndex?: number;
  },
): Promise<{ txHash: string; logIndex: number }> {
  const columns = eventColumns(c.block, c.logIndex);
  await db.insert(schema.breachCredits).values({
    ...columns,
    claimId: c.claimId,
    claimant: stored(c.claimant),
    kind: c.kind,
    amount: c.amount,
    sender: stored(randomAddress()),
  });
  return columns;
}

export async function insertCoverage(db: Database, beneficiary: Address, coveredUntil: bigint): Promise<void> {
  await db
    .insert(schema.subscriptions)
    .values({
      beneficiary: stored(beneficiary),
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
    ...eventColumns(p.block, p.logIndex),
    buyer: stored(p.buyer),
    beneficiary: stored(p.beneficiary),
    packageId: 1n,
    payToken: stored(randomAddress()),
    paid: 100n * 10n ** 6n,
    discountBps: 0,
    coveredUntil: p.coveredUntil,
    slaFactorBps: 5_000,
  });
}

/** One CoverageBooked row: package `packageId`'s factor booked for `beneficiary` over [start, end). */
export async function insertBooking(
  db: Database,
  b: {
    beneficiary: Address;
    start: bigint;
    end: bigint;
    slaFactorBps: number;
    packageId?: bigint;
    block: bigint;
    logIndex?: number;
  },
): Promise<void> {
  await db.insert(schema.coverageBookings).values({
    ...eventColumns(b.block, b.logIndex),
    buyer: stored(b.beneficiary),
    beneficiary: stored(b.beneficiary),
    packageId: b.packageId ?? 3n,
    payToken: stored(randomAddress()),
    paid: 29n * 10n ** 6n,
    discountBps: 0,
    start: b.start,
    end: b.end,
    slaFactorBps: b.slaFactorBps,
    units: 1n,
  });
}

/** The pool's `BreachCreditsSet` settings, as the indexer keeps them. */
export async function setBreachCredits(db: Database, noResponse: bigint, resolution: bigint): Promise<void> {
  for (const [name, value] of [
    ["noResponseCredit", noResponse],
    ["resolutionCredit", resolution],
  ] as const) {
    await db
      .insert(schema.settings)
      .values({ contract: "CompensationPool", name, value: value.toString(), updatedAt: T0 })
      .onConflictDoUpdate({
        target: [schema.settings.contract, schema.settings.name],
        set: { value: value.toString() },
      });
  }
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
      openedBy: stored(randomAddress()),
      openedAt: i.openedAt,
      endedAt: i.endedAt ?? null,
      released: 0n,
    })
    .onConflictDoUpdate({
      target: schema.incidents.id,
      set: { status: i.status ?? "Open", endedAt: i.endedAt ?? null },
    });
}
