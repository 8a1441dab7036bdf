/**
 * IncidentVault (one per incident round, found through CompensationPool's IncidentOpened) →
 * incident_claims, incident_events, the round's claimed total and the pool's totals.
 */
import { ponder } from "ponder:registry";
import { incidentClaims, incidents } from "ponder:schema";

import { logIncidentEvent, updatePool } from "./CompensationPool.js";

ponder.on("IncidentVault:IncidentClaimed", async ({ event, context }) => {
  const { incidentId, index, account, amount } = event.args;
  const now = event.block.timestamp;
  await context.db.insert(incidentClaims).values({
    incidentId,
    index,
    account,
    amount,
    sender: event.transaction.from,
    chainId: context.chain.id,
    blockNumber: event.block.number,
    blockTimestamp: now,
    txHash: event.transaction.hash,
    logIndex: event.log.logIndex,
  });
  await logIncidentEvent(context.db, context.chain.id, event, {
    incidentId,
    kind: "Claimed",
    amount,
    leafIndex: index,
    account,
    actor: event.transaction.from,
  });
  await context.db
    .update(incidents, { id: incidentId })
    .set((row) => ({ claimed: row.claimed + amount, claimCount: row.claimCount + 1 }));
  // The vault pays from the round's escrow, which the pool counts as reserved.
  await updatePool(context.db, context.contracts.CompensationPool.address, now, (p) => ({
    reserved: p.reserved - amount,
    paid: p.paid + amount,
    incidentClaimsPaid: p.incidentClaimsPaid + 1,
  }));
});
