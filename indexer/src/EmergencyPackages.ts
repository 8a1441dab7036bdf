/**
 * EmergencyPackages → packages, purchases, subscriptions, coverage bookings, buyer approvals and
 * its settings. A subscription's `coveredUntil` and `slaFactorBps` are the values
 * `PackagePurchased` carries (the contract computes the extension from max(now, expiry)), never
 * recomputed here; a booking's window and factor are `CoverageBooked`'s.
 */
import { ponder } from "ponder:registry";
import {
  buyerApprovalEvents,
  buyerApprovals,
  coverageBookings,
  packages,
  purchases,
  subscriptions,
} from "ponder:schema";

import { setSetting } from "./settings.js";

const CONTRACT = "EmergencyPackages";

ponder.on("EmergencyPackages:PackageSet", async ({ event, context }) => {
  const { packageId, usdPrice, duration, slaFactorBps, active } = event.args;
  const row = { usdPrice, duration: BigInt(duration), slaFactorBps, active, updatedAt: event.block.timestamp };
  await context.db
    .insert(packages)
    .values({ id: packageId, ...row })
    .onConflictDoUpdate(row);
});

ponder.on("EmergencyPackages:PackagePurchased", async ({ event, context }) => {
  const { buyer, beneficiary, packageId, payToken, paid, discountBps, coveredUntil, slaFactorBps } = event.args;
  const now = event.block.timestamp;
  await context.db.insert(purchases).values({
    id: event.id,
    chainId: context.chain.id,
    buyer,
    beneficiary,
    packageId,
    payToken,
    paid,
    discountBps,
    coveredUntil: BigInt(coveredUntil),
    slaFactorBps,
    blockNumber: event.block.number,
    blockTimestamp: now,
    txHash: event.transaction.hash,
    logIndex: event.log.logIndex,
  });
  await context.db
    .insert(subscriptions)
    .values({
      beneficiary,
      coveredUntil: BigInt(coveredUntil),
      slaFactorBps,
      lastPackageId: packageId,
      purchaseCount: 1,
      updatedAt: now,
    })
    .onConflictDoUpdate((row) => ({
      coveredUntil: BigInt(coveredUntil),
      slaFactorBps,
      lastPackageId: packageId,
      purchaseCount: row.purchaseCount + 1,
      updatedAt: now,
    }));
});

ponder.on("EmergencyPackages:CoverageBooked", async ({ event, context }) => {
  const { buyer, beneficiary, packageId, payToken, paid, discountBps, start, end, slaFactorBps, units } = event.args;
  await context.db.insert(coverageBookings).values({
    id: event.id,
    chainId: context.chain.id,
    buyer,
    beneficiary,
    packageId,
    payToken,
    paid,
    discountBps,
    start: BigInt(start),
    end: BigInt(end),
    slaFactorBps,
    units,
    blockNumber: event.block.number,
    blockTimestamp: event.block.timestamp,
    txHash: event.transaction.hash,
    logIndex: event.log.logIndex,
  });
});

ponder.on("EmergencyPackages:BuyerApprovalSet", async ({ event, context }) => {
  const { beneficiary, buyer, approved } = event.args;
  const now = event.block.timestamp;
  await context.db.insert(buyerApprovalEvents).values({
    id: event.id,
    chainId: context.chain.id,
    beneficiary,
    buyer,
    kind: approved ? "Granted" : "Withdrawn",
    blockNumber: event.block.number,
    blockTimestamp: now,
    txHash: event.transaction.hash,
    logIndex: event.log.logIndex,
  });
  await context.db
    .insert(buyerApprovals)
    .values({ beneficiary, buyer, approved, updatedAt: now })
    .onConflictDoUpdate({ approved, updatedAt: now });
});

ponder.on("EmergencyPackages:ProceedsConfigured", async ({ event, context }) => {
  const { treasury, stableReserve, poolShareBps } = event.args;
  await setSetting(context.db, event, CONTRACT, "treasury", treasury.toLowerCase());
  await setSetting(context.db, event, CONTRACT, "stableReserve", stableReserve.toLowerCase());
  await setSetting(context.db, event, CONTRACT, "poolShareBps", poolShareBps);
});

ponder.on("EmergencyPackages:OracleConfigured", async ({ event, context }) => {
  const { priceFeed, heartbeat } = event.args;
  await setSetting(context.db, event, CONTRACT, "priceFeed", priceFeed.toLowerCase());
  await setSetting(context.db, event, CONTRACT, "heartbeat", heartbeat);
});

ponder.on("EmergencyPackages:Paused", async ({ event, context }) => {
  await setSetting(context.db, event, CONTRACT, "paused", true);
});

ponder.on("EmergencyPackages:Unpaused", async ({ event, context }) => {
  await setSetting(context.db, event, CONTRACT, "paused", false);
});
