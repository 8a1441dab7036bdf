/**
 * CompensationPool → claims, claim_transitions, incidents, incident_claims, incident_events,
 * pool_stats and the pool's settings. No RPC reads: every value is an event's.
 *
 * `pool_stats.reserved` is rebuilt as the contract keeps it: + ClaimApproved (approved + credit)
 * − ClaimPaid − PayoutVetoed + IncidentOpened.total − IncidentClaimed − IncidentCancelled.released
 * − (at IncidentClosed) the round's total less its claims. Incident claims are the round vaults'
 * events (indexer/src/IncidentVault.ts). A payout below the large-claim threshold is reserved and paid in the
 * same transaction, so it nets to zero.
 */
import { ponder, type Context } from "ponder:registry";
import {
  breachCredits,
  breachKind,
  claimKind,
  claims,
  claimStatus,
  claimTransitions,
  incidentEvents,
  incidents,
  poolStats,
} from "ponder:schema";
import type { Address, Hex } from "viem";

import { setSetting } from "./settings.js";

const CONTRACT = "CompensationPool";

/** ClaimStatus without `None` (index 0), in the contract's order: the schema's enum. */
const STATUS = claimStatus.enumValues;
/** ClaimKind in the contract's order: the schema's enum. */
const KIND = claimKind.enumValues;

type Db = Context["db"];
type PoolRow = typeof poolStats.$inferSelect;
type PoolChange = (row: PoolRow) => Partial<Omit<PoolRow, "pool" | "updatedAt">>;

/** One hour bucket of the contract's rolling budget; it counts 24 hours back from the current one. */
const HOUR = 3_600n;

/** Applies `change` to the pool's totals (creating them at zero first). */
export async function updatePool(db: Db, pool: Address, timestamp: bigint, change: PoolChange): Promise<void> {
  const zero: PoolRow = {
    pool,
    funded: 0n,
    reserved: 0n,
    paid: 0n,
    swept: 0n,
    claimCount: 0,
    incidentCount: 0,
    claimsPaid: 0,
    incidentClaimsPaid: 0,
    budgetWindowStart: 0n,
    budgetUsed: 0n,
    paused: false,
    updatedAt: timestamp,
  };
  await db
    .insert(poolStats)
    .values({ ...zero, ...change(zero) })
    .onConflictDoUpdate((row) => ({ ...change(row), updatedAt: timestamp }));
}

// ─── Funds ────────────────────────────────────────────────────────────────────

ponder.on("CompensationPool:PoolFunded", async ({ event, context }) => {
  const { amount } = event.args;
  await updatePool(context.db, event.log.address, event.block.timestamp, (p) => ({ funded: p.funded + amount }));
});

ponder.on("CompensationPool:Swept", async ({ event, context }) => {
  const { amount } = event.args;
  await updatePool(context.db, event.log.address, event.block.timestamp, (p) => ({ swept: p.swept + amount }));
});

ponder.on("CompensationPool:Paused", async ({ event, context }) => {
  await updatePool(context.db, event.log.address, event.block.timestamp, () => ({ paused: true }));
});

ponder.on("CompensationPool:Unpaused", async ({ event, context }) => {
  await updatePool(context.db, event.log.address, event.block.timestamp, () => ({ paused: false }));
});

// ─── Claims ───────────────────────────────────────────────────────────────────

ponder.on("CompensationPool:ClaimSubmitted", async ({ event, context }) => {
  const { claimId, claimant, kind, amount, evidenceHash, tier, responseDeadline, resolutionDeadline } = event.args;
  const now = event.block.timestamp;
  await context.db.insert(claims).values({
    id: claimId,
    claimant,
    kind: KIND[kind]!,
    status: "Submitted",
    tier,
    evidenceHash,
    // The claimant did not pay the gas: a relayer sent its signed request.
    gasless: event.transaction.from.toLowerCase() !== claimant.toLowerCase(),
    amountRequested: amount,
    amountApproved: 0n,
    lateCredit: 0n,
    amountPaid: 0n,
    noResponseCredit: 0n,
    resolutionCredit: 0n,
    responseDeadline: BigInt(responseDeadline),
    resolutionDeadline: BigInt(resolutionDeadline),
    submittedAt: now,
    acceptedAt: null,
    investigatingAt: null,
    approvedAt: null,
    payableAt: null,
    paidAt: null,
    closedAt: null,
    lastNoteHash: evidenceHash,
    submittedBlock: event.block.number,
    submittedTx: event.transaction.hash,
    updatedBlock: event.block.number,
    updatedAt: now,
  });
  await updatePool(context.db, event.log.address, now, (p) => ({ claimCount: p.claimCount + 1 }));
});

ponder.on("CompensationPool:ClaimStatusChanged", async ({ event, context }) => {
  const { claimId, status: statusIndex, actor, noteHash } = event.args;
  const status = STATUS[statusIndex - 1]!;
  const now = event.block.timestamp;
  await context.db.insert(claimTransitions).values({
    id: event.id,
    chainId: context.chain.id,
    claimId,
    status,
    actor,
    noteHash,
    blockNumber: event.block.number,
    blockTimestamp: now,
    txHash: event.transaction.hash,
    logIndex: event.log.logIndex,
  });
  if (status === "Submitted") {
    // Emitted right after ClaimSubmitted in the same transaction (same block, note = evidence
    // hash), whose row already holds these values. Updating it anyway would put a row inserted in
    // this batch in Ponder's update buffer too, and each flush rewrites update-buffer rows with
    // an UPDATE on top of their COPY (indexing-store/cache.ts): on PostgreSQL, that was one
    // UPDATE per claim for nothing. A point read (from memory) checks instead.
    const row = await context.db.find(claims, { id: claimId });
    if (
      row !== null &&
      row.status === status &&
      row.lastNoteHash === noteHash &&
      row.updatedBlock === event.block.number &&
      row.updatedAt === now
    ) {
      return;
    }
  }
  const stage =
    status === "Accepted"
      ? { acceptedAt: now }
      : status === "Investigating"
        ? { investigatingAt: now }
        : status === "Approved"
          ? { approvedAt: now }
          : status === "Paid"
            ? { paidAt: now }
            : status === "Rejected" || status === "Cancelled"
              ? { closedAt: now }
              : {};
  await context.db
    .update(claims, { id: claimId })
    .set({ status, lastNoteHash: noteHash, updatedBlock: event.block.number, updatedAt: now, ...stage });
});

ponder.on("CompensationPool:ClaimApproved", async ({ event, context }) => {
  const { claimId, approvedAmount, lateCredit, payableAt, budgetUsed } = event.args;
  const now = event.block.timestamp;
  await context.db
    .update(claims, { id: claimId })
    .set({ amountApproved: approvedAmount, lateCredit, payableAt: BigInt(payableAt) });
  await updatePool(context.db, event.log.address, now, (p) => ({
    reserved: p.reserved + approvedAmount + lateCredit,
    budgetUsed,
    budgetWindowStart: (now / HOUR - 24n) * HOUR,
  }));
});

ponder.on("CompensationPool:ClaimPaid", async ({ event, context }) => {
  const { claimId, amount } = event.args;
  await context.db.update(claims, { id: claimId }).set({ amountPaid: amount });
  await updatePool(context.db, event.log.address, event.block.timestamp, (p) => ({
    reserved: p.reserved - amount,
    paid: p.paid + amount,
    claimsPaid: p.claimsPaid + 1,
  }));
});

ponder.on("CompensationPool:BreachCreditPaid", async ({ event, context }) => {
  const { claimId, claimant, kind: kindIndex, amount } = event.args;
  const kind = breachKind.enumValues[kindIndex]!;
  const now = event.block.timestamp;
  await context.db.insert(breachCredits).values({
    id: event.id,
    chainId: context.chain.id,
    claimId,
    claimant,
    kind,
    amount,
    sender: event.transaction.from,
    blockNumber: event.block.number,
    blockTimestamp: now,
    txHash: event.transaction.hash,
    logIndex: event.log.logIndex,
  });
  await context.db
    .update(claims, { id: claimId })
    .set(kind === "NoResponse" ? { noResponseCredit: amount } : { resolutionCredit: amount });
  // Paid from the free balance: the reservation is untouched.
  await updatePool(context.db, event.log.address, now, (p) => ({ paid: p.paid + amount }));
});

ponder.on("CompensationPool:PayoutVetoed", async ({ event, context }) => {
  const { amount } = event.args;
  await updatePool(context.db, event.log.address, event.block.timestamp, (p) => ({ reserved: p.reserved - amount }));
});

// ─── Incident rounds ──────────────────────────────────────────────────────────

type IncidentEventRow = typeof incidentEvents.$inferInsert;
type LogEvent = {
  id: string;
  block: { number: bigint; timestamp: bigint };
  transaction: { hash: Hex };
  log: { logIndex: number };
};

/** The incident's log row for `event`, with its chain coordinates. */
export async function logIncidentEvent(
  db: Db,
  chainId: number,
  event: LogEvent,
  row: Pick<IncidentEventRow, "incidentId" | "kind" | "amount" | "actor"> & Partial<IncidentEventRow>,
): Promise<void> {
  await db.insert(incidentEvents).values({
    id: event.id,
    chainId,
    claimed: null,
    leafIndex: null,
    account: null,
    noteHash: null,
    ...row,
    blockNumber: event.block.number,
    blockTimestamp: event.block.timestamp,
    txHash: event.transaction.hash,
    logIndex: event.log.logIndex,
  });
}

ponder.on("CompensationPool:IncidentOpened", async ({ event, context }) => {
  const { incidentId, root, total, claimableAt, claimDeadline, metadataHash } = event.args;
  const now = event.block.timestamp;
  await context.db.insert(incidents).values({
    id: incidentId,
    root,
    total,
    claimed: 0n,
    claimCount: 0,
    claimableAt: BigInt(claimableAt),
    claimDeadline: BigInt(claimDeadline),
    metadataHash,
    status: "Open",
    // The assessor who sent the transaction (the event does not name the opener).
    openedBy: event.transaction.from,
    openedAt: now,
    endedAt: null,
    released: 0n,
  });
  await logIncidentEvent(context.db, context.chain.id, event, {
    incidentId,
    kind: "Opened",
    amount: total,
    actor: event.transaction.from,
    noteHash: metadataHash,
  });
  await updatePool(context.db, event.log.address, now, (p) => ({
    reserved: p.reserved + total,
    incidentCount: p.incidentCount + 1,
  }));
});

ponder.on("CompensationPool:IncidentCancelled", async ({ event, context }) => {
  const { incidentId, guardian, reasonHash, released } = event.args;
  const now = event.block.timestamp;
  await context.db.update(incidents, { id: incidentId }).set({ status: "Cancelled", endedAt: now, released });
  await logIncidentEvent(context.db, context.chain.id, event, {
    incidentId,
    kind: "Cancelled",
    amount: released,
    actor: guardian,
    noteHash: reasonHash,
  });
  await updatePool(context.db, event.log.address, now, (p) => ({ reserved: p.reserved - released }));
});

ponder.on("CompensationPool:IncidentClosed", async ({ event, context }) => {
  const { incidentId, claimed, released } = event.args;
  const now = event.block.timestamp;
  // What the round still had reserved, from its own claims (the event's `claimed` is counted from
  // what its vault returned, which C sent to the vault directly would lower).
  const round = await context.db.find(incidents, { id: incidentId });
  const outstanding = round ? round.total - round.claimed : released;
  await context.db.update(incidents, { id: incidentId }).set({ status: "Closed", endedAt: now, released });
  await logIncidentEvent(context.db, context.chain.id, event, {
    incidentId,
    kind: "Closed",
    amount: released,
    claimed,
    actor: event.transaction.from,
  });
  await updatePool(context.db, event.log.address, now, (p) => ({ reserved: p.reserved - outstanding }));
});

ponder.on("CompensationPool:IncidentDeadlineExtended", async ({ event, context }) => {
  const { incidentId, claimDeadline } = event.args;
  await context.db.update(incidents, { id: incidentId }).set({ claimDeadline: BigInt(claimDeadline) });
});

// ─── Settings ─────────────────────────────────────────────────────────────────

ponder.on("CompensationPool:SlaSet", async ({ event, context }) => {
  const { kind, responseSeconds, resolutionSeconds } = event.args;
  await setSetting(context.db, event, CONTRACT, `sla.${KIND[kind]!}.response`, responseSeconds);
  await setSetting(context.db, event, CONTRACT, `sla.${KIND[kind]!}.resolution`, resolutionSeconds);
});

ponder.on("CompensationPool:PerClaimCapSet", async ({ event, context }) => {
  await setSetting(context.db, event, CONTRACT, "perClaimCap", event.args.cap);
});

ponder.on("CompensationPool:ApprovalBudgetSet", async ({ event, context }) => {
  await setSetting(context.db, event, CONTRACT, "approvalBudget", event.args.budget);
});

ponder.on("CompensationPool:LargeClaimThresholdSet", async ({ event, context }) => {
  await setSetting(context.db, event, CONTRACT, "largeClaimThreshold", event.args.threshold);
});

ponder.on("CompensationPool:PayoutDelaySet", async ({ event, context }) => {
  await setSetting(context.db, event, CONTRACT, "payoutDelay", event.args.delay);
});

ponder.on("CompensationPool:LateCreditSet", async ({ event, context }) => {
  await setSetting(context.db, event, CONTRACT, "lateCredit", event.args.credit);
});

ponder.on("CompensationPool:ChallengeWindowSet", async ({ event, context }) => {
  await setSetting(context.db, event, CONTRACT, "challengeWindow", event.args.window);
});

ponder.on("CompensationPool:BreachCreditsSet", async ({ event, context }) => {
  const { noResponseCredit, resolutionCredit, dailyBudget } = event.args;
  await setSetting(context.db, event, CONTRACT, "noResponseCredit", noResponseCredit);
  await setSetting(context.db, event, CONTRACT, "resolutionCredit", resolutionCredit);
  await setSetting(context.db, event, CONTRACT, "breachBudget", dailyBudget);
});

ponder.on("CompensationPool:TierSourceSet", async ({ event, context }) => {
  await setSetting(context.db, event, CONTRACT, "tierSource", event.args.tierSource.toLowerCase());
});

ponder.on("CompensationPool:CoverageSourceSet", async ({ event, context }) => {
  await setSetting(context.db, event, CONTRACT, "coverageSource", event.args.coverageSource.toLowerCase());
});
