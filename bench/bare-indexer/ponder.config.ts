/**
 * The bare indexer: the station's own Ponder config (same chain, contracts, start blocks, RPC
 * buckets and database, all from the same env), with trivial handlers (src/index.ts) — the floor
 * that bench/indexer.ts measures the station's indexer against.
 */
export { default } from "../../indexer/ponder.config.ts";
