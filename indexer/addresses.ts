/**
 * Where the indexer finds the chain and each contract: env first (a real network), else the local
 * Hardhat node and the Ignition deployment output of the local chain. Read by ponder.config.ts at build time; values end up in Ponder's
 * build id, so a changed address or start block needs a fresh database schema.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { type Address, getAddress } from "viem";

export const LOCAL_CHAIN_ID = 31337;

/**
 * Every indexed contract and its key in Ignition's `deployed_addresses.json`
 * (`<ModuleId>#<futureId>`; the future id defaults to the contract name).
 * The local chain's deployment is the `LocalStation` module (ignition/modules/LocalStation.ts).
 */
export const IGNITION_KEYS = {
  CStaking: "LocalStation#CStaking",
  CompensationPool: "LocalStation#CompensationPool",
  EmergencyPackages: "LocalStation#EmergencyPackages",
} as const;

export type IndexedContract = keyof typeof IGNITION_KEYS;

/** `CompensationPool` → `COMPENSATION_POOL`, `CStaking` → `C_STAKING`: the contract's part of its env names. */
export function envName(contract: string): string {
  return contract
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z])([A-Z][a-z])/g, "$1_$2")
    .toUpperCase();
}

const ignitionDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "ignition", "deployments");

function readDeployedAddresses(deploymentId: string): Record<string, string> | undefined {
  try {
    return JSON.parse(readFileSync(path.join(ignitionDir, deploymentId, "deployed_addresses.json"), "utf8"));
  } catch {
    return undefined;
  }
}

export type ContractLocation = { address: Address; startBlock: number };

/**
 * `PONDER_<CONTRACT>_ADDRESS` and `PONDER_<CONTRACT>_START_BLOCK` (or `PONDER_START_BLOCK` for all),
 * else — on the local chain only — `ignition/deployments/<PONDER_IGNITION_DEPLOYMENT ??
 * chain-31337>/deployed_addresses.json`; on the local chain the start block defaults to 0 (cheap:
 * one eth_getLogs, and only blocks holding a matching log are fetched).
 */
export function resolveContracts(
  chainId: number,
  env: NodeJS.ProcessEnv = process.env,
): Record<IndexedContract, ContractLocation> {
  const deploymentId = env.PONDER_IGNITION_DEPLOYMENT ?? `chain-${chainId}`;
  const deployed = chainId === LOCAL_CHAIN_ID ? readDeployedAddresses(deploymentId) : undefined;
  const entries = (Object.keys(IGNITION_KEYS) as IndexedContract[]).map((contract) => {
    const name = envName(contract);
    const address = env[`PONDER_${name}_ADDRESS`] ?? deployed?.[IGNITION_KEYS[contract]];
    if (address === undefined) {
      throw new Error(
        `No address for ${contract}: set PONDER_${name}_ADDRESS` +
          (chainId === LOCAL_CHAIN_ID ? ` or deploy to ignition/deployments/${deploymentId}` : ""),
      );
    }
    const startBlock =
      env[`PONDER_${name}_START_BLOCK`] ?? env.PONDER_START_BLOCK ?? (chainId === LOCAL_CHAIN_ID ? "0" : undefined);
    if (startBlock === undefined || !/^\d+$/.test(startBlock)) {
      throw new Error(`Set PONDER_${name}_START_BLOCK or PONDER_START_BLOCK (block number) for ${contract}`);
    }
    return [contract, { address: getAddress(address), startBlock: Number(startBlock) }] as const;
  });
  return Object.fromEntries(entries) as Record<IndexedContract, ContractLocation>;
}

/**
 * `PONDER_RPC_URL_<chainId>` (comma-separated; default http://127.0.0.1:8545 on the local chain),
 * each URL repeated `PONDER_RPC_BUCKETS` times (default 10 on the local chain, else 1): Ponder
 * rate-limits each entry of `rpc` separately (see ponder.config.ts).
 */
export function resolveRpcUrls(chainId: number, env: NodeJS.ProcessEnv = process.env): string[] {
  const isLocal = chainId === LOCAL_CHAIN_ID;
  const setting = env[`PONDER_RPC_URL_${chainId}`] ?? (isLocal ? "http://127.0.0.1:8545" : undefined);
  const urls = (setting ?? "")
    .split(",")
    .map((url) => url.trim())
    .filter((url) => url.length > 0);
  if (urls.length === 0) throw new Error(`Set PONDER_RPC_URL_${chainId} (one or more comma-separated URLs)`);
  const bucketSetting = env.PONDER_RPC_BUCKETS ?? (isLocal ? "10" : "1");
  if (!/^\d+$/.test(bucketSetting) || Number(bucketSetting) < 1 || Number(bucketSetting) > 100) {
    throw new Error(`PONDER_RPC_BUCKETS must be a whole number from 1 to 100, not "${bucketSetting}"`);
  }
  return urls.flatMap((url) => Array.from({ length: Number(bucketSetting) }, () => url));
}
