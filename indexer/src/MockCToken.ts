import { ponder } from "ponder:registry";
import { tokenBalances, tokenTransfers } from "ponder:schema";
import { zeroAddress } from "viem";

ponder.on("MockCToken:Transfer", async ({ event, context }) => {
  const { from, to, value } = event.args;
  await context.db.insert(tokenTransfers).values({
    id: event.id,
    from,
    to,
    amount: value,
    blockNumber: event.block.number,
    blockTimestamp: event.block.timestamp,
    logIndex: event.log.logIndex,
    transactionHash: event.transaction.hash,
  });
  if (from !== zeroAddress) {
    await context.db
      .insert(tokenBalances)
      .values({ account: from, balance: -value, transferCount: 1 })
      .onConflictDoUpdate((row) => ({ balance: row.balance - value, transferCount: row.transferCount + 1 }));
  }
  if (to !== zeroAddress) {
    await context.db
      .insert(tokenBalances)
      .values({ account: to, balance: value, transferCount: 1 })
      .onConflictDoUpdate((row) => ({ balance: row.balance + value, transferCount: row.transferCount + 1 }));
  }
});
