/**
 * CStaking → stakers, stake_events, tiers and its settings. Everything comes from the events:
 * the tier table from `TiersConfigured` (thresholds in whole C), the warm-up from `WarmupSet`.
 *
 * `nominalTier` is the tier the current stake reaches by the table in force; the contract's
 * effective tier also waits for the warm-up, which is why `tierEffectiveAt` is kept too.
 */
import { ponder, type Context } from "ponder:registry";
import { settings, stakeEvents, stakers, tiers } from "ponder:schema";

import { setSetting } from "./settings.js";

const CONTRACT = "CStaking";
/** Decimals of C: the contract emits thresholds in whole C (units of 10^decimals). */
const C_UNIT = 10n ** BigInt(process.env.PONDER_C_DECIMALS ?? 18);

type Db = Context["db"];

/**
 * The tier `stake` reaches by the table in force (tier 0, Standard, when there is none). Point
 * lookups only (Ponder caches them), no SQL: this runs on every stake change.
 */
async function tierFor(db: Db, stake: bigint): Promise<number> {
  const count = await db.find(settings, { contract: CONTRACT, name: "tierCount" });
  let reached = 0;
  for (let i = 1; i < Number(count?.value ?? 0); i++) {
    const row = await db.find(tiers, { tier: i });
    if (row !== null && stake >= row.threshold) reached = i;
  }
  return reached;
}

async function warmupOf(db: Db): Promise<bigint> {
  const row = await db.find(settings, { contract: CONTRACT, name: "warmup" });
  return row === null ? 0n : BigInt(row.value);
}

ponder.on("CStaking:Staked", async ({ event, context }) => {
  const { account, amount, newStake } = event.args;
  const now = event.block.timestamp;
  const tier = await tierFor(context.db, newStake);
  const effectiveAt = now + (await warmupOf(context.db));
  await context.db
    .insert(stakers)
    .values({
      account,
      stake: newStake,
      pendingUnstake: 0n,
      pendingRequests: 0,
      withdrawn: 0n,
      nominalTier: tier,
      tierEffectiveAt: effectiveAt,
      updatedAt: now,
    })
    .onConflictDoUpdate({ stake: newStake, nominalTier: tier, tierEffectiveAt: effectiveAt, updatedAt: now });
  await context.db.insert(stakeEvents).values({
    id: event.id,
    chainId: context.chain.id,
    account,
    kind: "Staked",
    amount,
    newStake,
    requestId: null,
    releaseAt: null,
    blockNumber: event.block.number,
    blockTimestamp: now,
    txHash: event.transaction.hash,
    logIndex: event.log.logIndex,
  });
});

ponder.on("CStaking:UnstakeRequested", async ({ event, context }) => {
  const { account, requestId, amount, newStake, releaseAt } = event.args;
  const now = event.block.timestamp;
  const tier = await tierFor(context.db, newStake);
  // A decrease takes effect at once: the effective stake is the minimum of now and a warm-up ago.
  await context.db.update(stakers, { account }).set((row) => ({
    stake: newStake,
    pendingUnstake: row.pendingUnstake + amount,
    pendingRequests: row.pendingRequests + 1,
    nominalTier: tier,
    updatedAt: now,
  }));
  await context.db.insert(stakeEvents).values({
    id: event.id,
    chainId: context.chain.id,
    account,
    kind: "UnstakeRequested",
    amount,
    newStake,
    requestId,
    releaseAt: BigInt(releaseAt),
    blockNumber: event.block.number,
    blockTimestamp: now,
    txHash: event.transaction.hash,
    logIndex: event.log.logIndex,
  });
});

ponder.on("CStaking:Withdrawn", async ({ event, context }) => {
  const { account, amount, firstRequestId, lastRequestId } = event.args;
  const now = event.block.timestamp;
  const settled = Number(lastRequestId - firstRequestId + 1n);
  const row = await context.db.update(stakers, { account }).set((r) => ({
    pendingUnstake: r.pendingUnstake - amount,
    pendingRequests: r.pendingRequests - settled,
    withdrawn: r.withdrawn + amount,
    updatedAt: now,
  }));
  await context.db.insert(stakeEvents).values({
    id: event.id,
    chainId: context.chain.id,
    account,
    kind: "Withdrawn",
    amount,
    newStake: row.stake,
    requestId: lastRequestId,
    releaseAt: null,
    blockNumber: event.block.number,
    blockTimestamp: now,
    txHash: event.transaction.hash,
    logIndex: event.log.logIndex,
  });
});

ponder.on("CStaking:TiersConfigured", async ({ event, context }) => {
  const table = event.args.tiers;
  const previousCount = Number(
    (await context.db.find(settings, { contract: CONTRACT, name: "tierCount" }))?.value ?? 0,
  );
  for (const [i, row] of table.entries()) {
    const values = {
      threshold: BigInt(row.thresholdWholeC) * C_UNIT,
      thresholdWholeC: BigInt(row.thresholdWholeC),
      slaFactorBps: row.slaFactorBps,
      discountBps: row.discountBps,
      active: true,
    };
    await context.db
      .insert(tiers)
      .values({ tier: i, ...values })
      .onConflictDoUpdate(values);
  }
  // Rows beyond the new table stay for history, marked inactive (rows beyond the previous table
  // already are).
  for (let i = table.length; i < previousCount; i++) {
    await context.db.update(tiers, { tier: i }).set({ active: false });
  }
  await setSetting(context.db, event, CONTRACT, "tierCount", table.length);
  // Every staker's nominal tier by the new table. Store API writes only: a writing `db.sql`
  // statement makes Ponder drop its in-memory rows and mark every table's cache incomplete
  // (indexing-store/index.ts), after which each insert of the backfill costs a database lookup.
  // A read-only `db.sql` select flushes the stakers table only.
  const all = await context.db.sql.select({ account: stakers.account, stake: stakers.stake }).from(stakers);
  for (const { account, stake } of all) {
    await context.db.update(stakers, { account }).set({ nominalTier: await tierFor(context.db, stake) });
  }
});

ponder.on("CStaking:WarmupSet", async ({ event, context }) => {
  await setSetting(context.db, event, CONTRACT, "warmup", event.args.newWarmup);
});

ponder.on("CStaking:CooldownSet", async ({ event, context }) => {
  await setSetting(context.db, event, CONTRACT, "cooldown", event.args.newCooldown);
});
