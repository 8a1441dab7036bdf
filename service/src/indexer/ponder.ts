import { createClient, type Status } from "@ponder/client";

import * as schema from "../../../indexer/ponder.schema.js";
import { createIndexerReader, type ChainHead, type IndexerReader } from "./reader.js";

/**
 * The production reader: Ponder's SQL over HTTP (`<indexerUrl>/sql`) through @ponder/client, and
 * the chain head from Ponder's `/status`. The head is reused for `headCacheMs` so a burst of
 * requests costs one status call; finality moves in whole blocks anyway.
 */
export function ponderIndexerReader(options: {
  indexerUrl: string;
  chainId: number;
  headCacheMs?: number;
}): IndexerReader {
  const base = options.indexerUrl.replace(/\/+$/, "");
  const client = createClient(`${base}/sql`, { schema });
  const head = cachedHead(
    async () => chainHead(await client.getStatus(), options.chainId),
    options.headCacheMs ?? 1000,
  );
  return createIndexerReader({ db: client.db, head });
}

/** Picks the service's chain out of Ponder's status (keyed by chain name). */
export function chainHead(status: Status, chainId: number): ChainHead {
  const entry = Object.values(status).find((s) => s.id === chainId);
  if (entry === undefined) throw new Error(`the indexer reports no status for chain ${chainId}`);
  return { number: BigInt(entry.block.number), timestamp: BigInt(entry.block.timestamp) };
}

/** Reuses a fetched head for `ttlMs`; concurrent callers share one fetch; failures are not cached. */
export function cachedHead(fetchHead: () => Promise<ChainHead>, ttlMs: number): () => Promise<ChainHead> {
  let cached: { at: number; value: Promise<ChainHead> } | undefined;
  return () => {
    const now = Date.now();
    if (cached !== undefined && now - cached.at < ttlMs) return cached.value;
    const value = fetchHead();
    const entry = { at: now, value };
    cached = entry;
    value.catch(() => {
      if (cached === entry) cached = undefined;
    });
    return value;
  };
}
