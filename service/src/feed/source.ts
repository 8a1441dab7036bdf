import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";

/**
 * Read access to the indexer's tables (indexer/ponder.schema.ts). In production this is
 * `@ponder/client`'s drizzle over Ponder's SQL-over-HTTP endpoint (read-only SELECTs that pass
 * Ponder's SQL allow-list; see ../indexer/ponder.ts); in tests, a drizzle database holding the same tables.
 */
export type IndexerDb = Pick<PgDatabase<PgQueryResultHKT>, "select">;

export type IndexerSource = {
  db: IndexerDb;
  /**
   * The latest block the indexer has processed on the service's chain, or undefined when unknown
   * (nothing indexed yet). Only consulted when confirmations are required.
   */
  head(): Promise<bigint | undefined>;
  /**
   * Calls `onChange` soon after the indexer's tables change; returns a function that stops
   * watching. Optional: without it the feed relies on polling alone.
   */
  watch?(onChange: () => void): () => void;
};
