import { createClient, type Status } from "@ponder/client";
import { max } from "drizzle-orm";

import * as schema from "../../../indexer/ponder.schema.js";
import type { Logger } from "../http/router.js";
import type { IndexerDb, IndexerSource } from "../feed/source.js";
import { createIndexerReader, type ChainHead, type IndexerReader } from "./reader.js";

/**
 * The service's one connection to the indexer: a single @ponder/client client over Ponder's SQL
 * over HTTP (`<indexerUrl>/sql`), its live queries (server-sent events) and its `/status`. Both
 * views the service needs come from it: the read side (`reader`: claims, queue, stats) and the
 * delivery side (`source`: the status feed's tables, head and change notifications).
 *
 * One chain-head rule for both: the newest block Ponder has indexed on the service's own chain
 * (`chainId`, the service's CHAIN_ID). Reads reuse a head for `headCacheMs` so a burst of
 * requests costs one status call; the feed always asks for a fresh one (and refreshes the cache
 * for the reads), so confirmations are judged against the latest block, not a second-old one.
 */
export type PonderIndexer = {
  reader: IndexerReader;
  source: IndexerSource;
  /** The newest block Ponder has indexed on the service's chain (cached as the reads' head). */
  head: () => Promise<ChainHead>;
  /** That head when the cache holds it now (`cachedHead`'s `peek`), else undefined. */
  headNow: () => ChainHead | undefined;
};

export type PonderIndexerOptions = {
  indexerUrl: string;
  chainId: number;
  log: Logger;
  /** How long the read side reuses a head. Default 1000 ms; finality moves in whole blocks anyway. */
  headCacheMs?: number;
  /** How long to wait before re-subscribing after a live query failed. Default 5 s. */
  liveRetryMs?: number;
};

/** The indexer tables whose changes wake the feed. */
const WATCHED = [schema.claimTransitions, schema.purchases, schema.stakeEvents, schema.incidentEvents] as const;

export function ponderIndexer(options: PonderIndexerOptions): PonderIndexer {
  const base = options.indexerUrl.replace(/\/+$/, "");
  const client = createClient(`${base}/sql`, { schema });
  // The client's drizzle is a read-only pg-proxy database over the same schema objects.
  const db = client.db as unknown as IndexerDb;
  const head = cachedHead(
    async () => chainHead(await client.getStatus(), options.chainId),
    options.headCacheMs ?? 1000,
  );
  const readHead = async () => {
    const current = await head();
    if (current === undefined) throw new Error(`the indexer has not indexed a block of chain ${options.chainId} yet`);
    return current;
  };
  const reader = createIndexerReader({ db: client.db, head: readHead, headNow: head.peek });
  const source: IndexerSource = {
    db,
    head: async () => (await head({ fresh: true }))?.number,
    watch: (onChange) => watchTables(client, options.log, options.liveRetryMs ?? 5_000, onChange),
  };
  return { reader, source, head: readHead, headNow: head.peek };
}

/**
 * Picks the service's chain out of Ponder's status (keyed by chain name): undefined while Ponder
 * has indexed nothing yet (an empty status), an error when it indexes other chains but not this
 * one (the service and the indexer disagree about the chain: a configuration mistake).
 */
export function chainHead(status: Status, chainId: number): ChainHead | undefined {
  const chains = Object.values(status);
  if (chains.length === 0) return undefined;
  const entry = chains.find((s) => s.id === chainId);
  if (entry === undefined) {
    const ids = chains.map((s) => s.id).join(", ");
    throw new Error(`the indexer reports chains ${ids} but not the service's chain ${chainId} (check CHAIN_ID)`);
  }
  return { number: BigInt(entry.block.number), timestamp: BigInt(entry.block.timestamp) };
}

/**
 * Reuses a fetched value for `ttlMs`; concurrent callers share one fetch; failures and unknown
 * (undefined) values are not kept. `{ fresh: true }` fetches anew and leaves the new value for the
 * next callers. `peek()` gives the value a caller would get now without waiting: the one kept, once
 * its fetch has answered and while it is within `ttlMs`; else undefined.
 */
export function cachedHead<T>(
  fetchHead: () => Promise<T | undefined>,
  ttlMs: number,
): ((o?: { fresh?: boolean }) => Promise<T | undefined>) & { peek(): T | undefined } {
  let cached: { at: number; value: Promise<T | undefined>; settled?: T } | undefined;
  const read = ({ fresh = false } = {}) => {
    const now = Date.now();
    if (!fresh && cached !== undefined && now - cached.at < ttlMs) return cached.value;
    const value = fetchHead();
    const entry: NonNullable<typeof cached> = { at: now, value };
    cached = entry;
    const forget = () => {
      if (cached === entry) cached = undefined;
    };
    value.then((v) => (v === undefined ? forget() : (entry.settled = v)), forget);
    return value;
  };
  const peek = () => (cached !== undefined && Date.now() - cached.at < ttlMs ? cached.settled : undefined);
  return Object.assign(read, { peek });
}

/**
 * Live queries on the watched tables: Ponder re-runs a live query when a table it reads changes
 * and pushes the result when it differs. The newest event id changes on every insert (and on a
 * reorg, which deletes the newest rows). When the
 * stream fails the feed keeps polling, and the subscriptions are renewed after `retryMs`.
 */
function watchTables(
  client: ReturnType<typeof createClient<typeof schema>>,
  log: Logger,
  retryMs: number,
  onChange: () => void,
): () => void {
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
    subscriptions = WATCHED.map((table) =>
      client.live((q) => q.select({ last: max(table.id) }).from(table), wake, onError),
    );
  };
  subscribe();
  return () => {
    stopped = true;
    if (retry !== undefined) clearTimeout(retry);
    for (const s of subscriptions) s.unsubscribe();
  };
}
