/**
 * Ponder config, entirely from env (see indexer/addresses.ts for contract addresses):
 *
 *   PONDER_CHAIN_ID              chain to index (default 31337, the local Hardhat node)
 *   PONDER_RPC_URL_<chainId>     HTTP RPC URL(s), comma-separated (default http://127.0.0.1:8545 on 31337)
 *   PONDER_WS_URL_<chainId>      optional WebSocket URL: new blocks by eth_subscribe instead of polling
 *   PONDER_RPC_BUCKETS           repeat each RPC URL this many times (default 10 on 31337, else 1); see below
 *   PONDER_POLLING_INTERVAL_MS   new-block polling interval (default 100 on 31337, else 1000; min 100)
 *   PONDER_DISABLE_CACHE         "1"/"0": Ponder's RPC cache (default off on 31337, on elsewhere)
 *   PONDER_C_DECIMALS            decimals of the C token (default 18): tier thresholds are emitted in whole C
 *   DATABASE_URL                 PostgreSQL; unset → PGlite in PONDER_PGLITE_DIR (default .ponder/pglite)
 *
 * RPC rate: Ponder 0.16 has no rate setting (`maxRequestsPerSecond` is deprecated and ignored).
 * Each entry of `rpc` is one "bucket" whose limit starts at 20 requests/s and grows only 5% per
 * sustained interval (node_modules/ponder/src/rpc/index.ts: INITIAL_MAX_RPS, increaseMaxRPS), so
 * PONDER_RPC_BUCKETS=N gives a local node N independent buckets, N×20 requests/s from the start.
 * A local node has no rate limit to respect: on 31337 the default is 10 buckets (200 requests/s
 * from the start), since a backfill asks for every block with events (eth_getBlockByNumber) plus
 * the logs of each range, and one bucket's 20 requests/s made it wait on the limiter.
 */
import { createConfig, factory } from "ponder";
import { getAbiItem } from "viem";

import { CompensationPoolAbi } from "../common/abis/CompensationPool.js";
import { CStakingAbi } from "../common/abis/CStaking.js";
import { EmergencyPackagesAbi } from "../common/abis/EmergencyPackages.js";
import { IncidentVaultAbi } from "../common/abis/IncidentVault.js";
import { LOCAL_CHAIN_ID, resolveContracts, resolveRpcUrls } from "./addresses.js";

const env = process.env;
const chainId = Number(env.PONDER_CHAIN_ID ?? LOCAL_CHAIN_ID);
const isLocal = chainId === LOCAL_CHAIN_ID;
const rpcUrls = resolveRpcUrls(chainId, env);
const contracts = resolveContracts(chainId, env);

export default createConfig({
  database: env.DATABASE_URL
    ? { kind: "postgres", connectionString: env.DATABASE_URL }
    : { kind: "pglite", directory: env.PONDER_PGLITE_DIR ?? ".ponder/pglite" },
  chains: {
    chain: {
      id: chainId,
      rpc: rpcUrls.length === 1 ? rpcUrls[0] : rpcUrls,
      ws: env[`PONDER_WS_URL_${chainId}`],
      pollingInterval: Number(env.PONDER_POLLING_INTERVAL_MS ?? (isLocal ? 100 : 1_000)),
      // A local chain is rebuilt from scratch on every run: a cached block from an earlier chain
      // with the same id would be wrong data.
      disableCache: env.PONDER_DISABLE_CACHE === undefined ? isLocal : env.PONDER_DISABLE_CACHE === "1",
    },
  },
  contracts: {
    CStaking: {
      chain: "chain",
      abi: CStakingAbi,
      address: contracts.CStaking.address,
      startBlock: contracts.CStaking.startBlock,
    },
    CompensationPool: {
      chain: "chain",
      abi: CompensationPoolAbi,
      address: contracts.CompensationPool.address,
      startBlock: contracts.CompensationPool.startBlock,
    },
    // One vault per incident round, each announced by the pool's IncidentOpened.
    IncidentVault: {
      chain: "chain",
      abi: IncidentVaultAbi,
      address: factory({
        address: contracts.CompensationPool.address,
        event: getAbiItem({ abi: CompensationPoolAbi, name: "IncidentOpened" }),
        parameter: "vault",
      }),
      startBlock: contracts.CompensationPool.startBlock,
    },
    EmergencyPackages: {
      chain: "chain",
      abi: EmergencyPackagesAbi,
      address: contracts.EmergencyPackages.address,
      startBlock: contracts.EmergencyPackages.startBlock,
    },
  },
});
