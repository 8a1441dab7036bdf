import { max } from "drizzle-orm";
import { createClient } from "@ponder/client";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";

import * as schema from "../../../indexer/ponder.schema.js";
import type { Logger } from "../app.js";

/**
 * Read access to the indexer's tables (indexer/ponder.schema.ts). In production this is
 * `@ponder/client`'s drizzle over Ponder's SQL-over-HTTP endpoint (read-only SELECTs that pass
 * Ponder's SQL allow-list); in tests, a drizzle database holding the same tables.
 */
export type IndexerDb = Pick<PgDatabase<PgQueryResultHKT>, "select">;

export type IndexerSource = {
  db: IndexerDb;
  /**
   * The latest block the indexer has processed (the lowest over its chains), or undefined when
   * unknown. Only consulted when confirmations are required.
   */
  head(): Promise<bigint | undefined>;
  /**
   * Calls `onChange` soon after the indexer's tables change; returns a function that stops
   * watching. Optional: without it the feed relies on polling alone.
   */
  watch?(onChange: () => void): () => void;
};

/** The indexer tables whose changes wake the feed. */
const WATCHED = [schema.claimTransitions, schema.purchases, schema.stakeEvents, schema.incidentEvents] as const;

/** The production source: Ponder's SQL over HTTP at `${indexerUrl}/sql`, live queries over SSE. */
export function ponderSource(indexerUrl: string, log: Logger, retryMs = 5_000): IndexerSource {
  const client = createClient(`${indexerUrl.replace(/\/$/, "")}/sql`, { schema });
  return {
    // The client's drizzle is a read-only pg-proxy database over the same schema objects.
    db: client.db as unknown as IndexerDb,
    async head() {
      const status = await client.getStatus();
      const blocks = Object.values(status).map((chain) => BigInt(chain.block.number));
      if (blocks.length === 0) return undefined;
      return blocks.reduce((a, b) => (b < a ? b : a));
    },
    watch(onChange) {
      let stopped = false;
      let retry: NodeJS.Timeout | undefined;
      let subscriptions: Array<{ unsubscribe(): void }> = [];
      const subscribe = () => {
        const onError = (error: Error) => {
          if (stopped || retry !== undefined) return;
          log.warn("indexer live query failed; polling until it reconnects", { error: error.message });
          for (const s of subscriptions) s.unsubscribe();
          subscriptions = [];
          retry = setTimeout(() => {
            retry = undefined;
            if (!stopped) subscribe();
          }, retryMs);
        };
        const wake = () => onChange();
        // Ponder re-runs a live query when a table it reads changes and pushes the result when it
        // differs: the newest event id changes on every insert (and on a reorg, which deletes the
        // newest rows).
        subscriptions = WATCHED.map((table) =>
          client.live((db) => db.select({ last: max(table.id) }).from(table), wake, onError),
        );
      };
      subscribe();
      return () => {
        stopped = true;
        if (retry !== undefined) clearTimeout(retry);
        for (const s of subscriptions) s.unsubscribe();
      };
    },
  };
}
