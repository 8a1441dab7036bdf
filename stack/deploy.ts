/**
 * Ignition deployments against a node at an arbitrary URL (ports vary per run): Hardhat 3's
 * `network.create({ network: "localhost", override: { url } })` re-targets the configured
 * `localhost` HTTP network, and the connection's `ignition.deploy(...)` runs the module there.
 *
 * Ignition keeps a journal for HTTP networks under ignition/deployments/<deploymentId>/ (default id
 * `chain-<chainId>`). A fresh node has none of the journal's transactions, so a reused id must be
 * reset first; tests pass a unique id and remove it afterwards.
 */
import { rm } from "node:fs/promises";
import path from "node:path";

import { network } from "hardhat";
import type { Address } from "viem";

import LocalStationModule from "../ignition/modules/LocalStation.js";
import { REPO_ROOT } from "./proc.js";

export const IGNITION_DEPLOYMENTS_DIR = path.join(REPO_ROOT, "ignition", "deployments");

export type DeployOptions = {
  /** Default `chain-31337`, the id the indexer config falls back to. */
  deploymentId?: string;
  /** Remove an existing journal with this id first (a fresh node cannot continue it). Default true. */
  reset?: boolean;
  /** Parameters for the `LocalStation` module, instead of ignition/parameters/localhost.json. */
  parameters?: Record<string, string | number | bigint | boolean>;
};

export type StationDeployment = {
  deploymentId: string;
  deploymentDir: string;
  /** First block that can hold the deployment (the block after the tip before deploying). */
  startBlock: number;
  addresses: {
    MockCToken: Address;
    MockStablecoin: Address;
    MockPriceFeed: Address;
    CStaking: Address;
    CompensationPool: Address;
    EmergencyPackages: Address;
  };
};

export const LOCAL_STATION_PARAMETERS = path.join(REPO_ROOT, "ignition", "parameters", "localhost.json");

/**
 * Deploys ignition/modules/LocalStation.ts (mocks, the three station contracts, dev-account roles,
 * a funded pool) to the node at `rpcUrl` with ignition/parameters/localhost.json, or with
 * `options.parameters` (the `LocalStation` module's parameters) when given.
 */
export async function deployStation(rpcUrl: string, options: DeployOptions = {}): Promise<StationDeployment> {
  const connection = await network.create({ network: "localhost", override: { url: rpcUrl } });
  try {
    const chainId = Number(await connection.provider.request({ method: "eth_chainId" }));
    const deploymentId = options.deploymentId ?? `chain-${chainId}`;
    const deploymentDir = path.join(IGNITION_DEPLOYMENTS_DIR, deploymentId);
    if (options.reset ?? true) await rm(deploymentDir, { recursive: true, force: true });
    const tip = Number(await connection.provider.request({ method: "eth_blockNumber" }));
    const s = await connection.ignition.deploy(LocalStationModule, {
      deploymentId,
      parameters: options.parameters ? { LocalStation: options.parameters } : LOCAL_STATION_PARAMETERS,
    });
    return {
      deploymentId,
      deploymentDir,
      startBlock: tip + 1,
      addresses: {
        MockCToken: (await s.cToken.getAddress()) as Address,
        MockStablecoin: (await s.stablecoin.getAddress()) as Address,
        MockPriceFeed: (await s.priceFeed.getAddress()) as Address,
        CStaking: (await s.staking.getAddress()) as Address,
        CompensationPool: (await s.compensationPool.getAddress()) as Address,
        EmergencyPackages: (await s.packages.getAddress()) as Address,
      },
    };
  } finally {
    await connection.close();
  }
}

/** Removes a deployment's journal (tests call this for their unique ids). */
export async function removeDeployment(deploymentId: string): Promise<void> {
  await rm(path.join(IGNITION_DEPLOYMENTS_DIR, deploymentId), { recursive: true, force: true });
}
