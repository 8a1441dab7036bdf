/**
 * Proof-of-life tables over the mock C token. The station's tables (claims, claim_transitions,
 * incidents, stakers, packages, …) replace these once the contracts' events exist.
 */
import { index, onchainTable } from "ponder";

/** One row per `Transfer` log, keyed by Ponder's event id. */
export const tokenTransfers = onchainTable(
  "token_transfers",
  (t) => ({
    id: t.text().primaryKey(),
    from: t.hex().notNull(),
    to: t.hex().notNull(),
    amount: t.bigint().notNull(),
    blockNumber: t.bigint().notNull(),
    blockTimestamp: t.bigint().notNull(),
    logIndex: t.integer().notNull(),
    transactionHash: t.hex().notNull(),
  }),
  (table) => ({
    fromIndex: index().on(table.from),
    toIndex: index().on(table.to),
  }),
);

/** Running balance per account, maintained by upserts (mint: from = 0x0; burn: to = 0x0). */
export const tokenBalances = onchainTable("token_balances", (t) => ({
  account: t.hex().primaryKey(),
  balance: t.bigint().notNull(),
  transferCount: t.integer().notNull(),
}));
