import { onchainTable } from "ponder";

/** One row per event of the three contracts, whatever the event. */
export const events = onchainTable("events", (t) => ({
  id: t.text().primaryKey(),
  chainId: t.integer().notNull(),
  contract: t.text().notNull(),
  name: t.text().notNull(),
  blockNumber: t.bigint().notNull(),
  logIndex: t.integer().notNull(),
  txHash: t.hex().notNull(),
}));
