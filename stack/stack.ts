/**
 * The whole station as processes: a Hardhat node, the LocalStation Ignition deployment, the Ponder
 * indexer (PGlite) and the service (which also serves the web page). Used by `npm start`
 * (stack/start.ts) and by the tests that need the real thing.
 *
 *   const stack = await startStack({ chainPort: 0, indexerPort: 0, servicePort: 0 });
 *   try { await fetch(`${stack.urls.service}/health`); } finally { await stack.stop(); }
 *
 * Against a real network (`rpcUrl` set) there is no local chain and no deployment: the indexer
 * and the service start against that RPC with the addresses from env.
 */
import { readFile, rm } from "node:fs/promises";
import path from "node:path";

import { type Address, getAddress } from "viem";

import { IGNITION_KEYS } from "../indexer/addresses.js";
import { type DevChain, startDevChain } from "./devchain.js";
import { type PonderProcess, startPonder } from "./ponder.js";
import { DATA_DIR, REPO_ROOT, type Managed, freePort, serviceArgs, spawnManaged, waitUntil } from "./proc.js";
import { type Supervisor, type SupervisorEvent, supervise } from "./supervisor.js";

/** Hardhat's well-known development accounts and the roles localhost.json gives them. */
export const DEV_ACCOUNTS = [
  { role: "admin / deployer", address: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266" },
  { role: "assessor", address: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" },
  { role: "guardian", address: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC" },
  { role: "treasury", address: "0x90F79bf6EB2c4f870365E785982E1f101E93b906" },
] as const;

export type StationAddresses = {
  cToken: Address;
  stablecoin: Address;
  priceFeed: Address;
  staking: Address;
  pool: Address;
  packages: Address;
};

/** Future ids of ignition/modules/LocalStation.ts in deployed_addresses.json. */
const LOCAL_KEYS: Record<keyof StationAddresses, string> = {
  cToken: "LocalStation#MockCToken",
  stablecoin: "LocalStation#MockStablecoin",
  priceFeed: "LocalStation#MockPriceFeed",
  staking: "LocalStation#CStaking",
  pool: "LocalStation#CompensationPool",
  packages: "LocalStation#EmergencyPackages",
};

export type StackOptions = {
  /** Port of the local chain; 0 = a free port. Default 8545. Ignored with `rpcUrl`. */
  chainPort?: number;
  /** 0 = a free port. Default 42069. */
  indexerPort?: number;
  /** 0 = a free port. Default 8787. */
  servicePort?: number;
  /** Everything a run writes (PGlite, service data). Default .data/local; wiped for a local chain. */
  dataDir?: string;
  /** Ignition deployment id for the local chain. Default `chain-31337` (what the indexer falls back to). */
  deploymentId?: string;
  /** A real network: no local chain, no deployment. */
  rpcUrl?: string;
  /** Chain id of `rpcUrl`. */
  chainId?: number;
  /** Addresses on a real network (the indexer also reads its PONDER_* env). */
  addresses?: Partial<StationAddresses>;
  /** PostgreSQL for the indexer and the service (real networks); PGlite when unset. */
  databaseUrl?: string;
  /** Progress lines ("starting the indexer…"). */
  progress?: (line: string) => void;
  /** Default 180 s per component. */
  timeoutMs?: number;
  /**
   * Keep the indexer and the service running (`npm start`): a crashed one is reported through
   * `onEvent` and restarted, at most `maxRestarts` times within `windowMs`. The local chain is not
   * restarted (its state lived in memory): its exit is reported as given up at once.
   */
  supervise?: { onEvent(event: SupervisorEvent): void; maxRestarts?: number; windowMs?: number; backoffMs?: number };
};

export type Stack = {
  urls: { rpc: string; indexer: string; service: string; web: string };
  chainId: number;
  addresses: Partial<StationAddresses>;
  /** First block of the deployment (local chain). */
  startBlock: number;
  deploymentId: string | undefined;
  local: boolean;
  /** Process ids of everything started (for tests asserting nothing is left behind). */
  pids: number[];
  logs: Record<"chain" | "indexer" | "service", string | undefined>;
  chain: DevChain | undefined;
  indexer: PonderProcess;
  /** With `supervise`: resolves when a supervised child failed for good (the stack is then degraded). */
  gaveUp: Promise<string> | undefined;
  stop(): Promise<void>;
};

/** A Ponder process as a supervised child. */
type SupervisedPonder = {
  pid: number;
  logFile: string;
  exited: Promise<number | string>;
  stop(): Promise<unknown>;
  ponder: PonderProcess;
};
const asChild = (ponder: PonderProcess): SupervisedPonder => ({
  pid: ponder.pid,
  logFile: ponder.logFile,
  exited: ponder.process.exited,
  stop: () => ponder.stop(),
  ponder,
});

function port(value: number | undefined, fallback: number): Promise<number> {
  const p = value ?? fallback;
  return p === 0 ? freePort() : Promise.resolve(p);
}

/** Deploys ignition/modules/LocalStation.ts with localhost.json to the node at `rpcUrl`. */
export async function deployLocalStation(
  rpcUrl: string,
  deploymentId: string,
): Promise<{ addresses: StationAddresses; startBlock: number }> {
  // Imported here: loading Hardhat costs a second, and a real-network stack never needs it.
  const { network } = await import("hardhat");
  const { default: LocalStation } = await import("../ignition/modules/LocalStation.js");
  const connection = await network.create({ network: "localhost", override: { url: rpcUrl } });
  try {
    const dir = path.join(REPO_ROOT, "ignition", "deployments", deploymentId);
    await rm(dir, { recursive: true, force: true });
    const tip = Number(await connection.provider.request({ method: "eth_blockNumber" }));
    await connection.ignition.deploy(LocalStation, {
      deploymentId,
      parameters: path.join(REPO_ROOT, "ignition", "parameters", "localhost.json"),
    });
    const deployed = JSON.parse(await readFile(path.join(dir, "deployed_addresses.json"), "utf8")) as Record<
      string,
      string
    >;
    const addresses = Object.fromEntries(
      Object.entries(LOCAL_KEYS).map(([name, key]) => {
        const address = deployed[key];
        if (address === undefined) throw new Error(`no ${key} in ${deploymentId}/deployed_addresses.json`);
        return [name, getAddress(address)];
      }),
    ) as StationAddresses;
    return { addresses, startBlock: tip + 1 };
  } finally {
    await connection.close();
  }
}

/** The indexer's contract names (indexer/addresses.ts) → addresses of the LocalStation deployment. */
function indexerAddresses(deployed: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [contract, key] of Object.entries(IGNITION_KEYS) as [string, string][]) {
    const futureId = key.split("#")[1]!;
    const address = deployed[`LocalStation#${futureId}`];
    if (address !== undefined) out[contract] = address;
  }
  return out;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const progress = options.progress ?? (() => {});
  const timeoutMs = options.timeoutMs ?? 180_000;
  const local = options.rpcUrl === undefined;
  const dataDir = options.dataDir ?? path.join(DATA_DIR, "local");
  const logsDir = path.join(DATA_DIR, "logs");
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  // A local chain restarts empty: yesterday's indexed rows and service tickets would be lies.
  if (local) await rm(dataDir, { recursive: true, force: true });

  const stoppers: (() => Promise<unknown>)[] = [];
  const pids: number[] = [];
  const stopAll = async () => {
    for (const stop of stoppers.reverse()) await stop().catch(() => {});
    stoppers.length = 0;
  };

  try {
    let chain: DevChain | undefined;
    let rpcUrl: string;
    let chainId: number;
    let addresses: Partial<StationAddresses> = options.addresses ?? {};
    let startBlock = 0;
    let deploymentId: string | undefined;
    let ponderAddresses: Record<string, string> | undefined;
    const chainStop = () => chain!.stop();
    if (local) {
      progress("starting the Hardhat node…");
      chain = await startDevChain({
        port: await port(options.chainPort, 8545),
        logFile: path.join(logsDir, `hardhat-node-${stamp}.log`),
      });
      stoppers.push(chainStop);
      pids.push(chain.pid);
      rpcUrl = chain.url;
      chainId = 31337;
      deploymentId = options.deploymentId ?? "chain-31337";
      progress("deploying LocalStation with Ignition…");
      const deployment = await deployLocalStation(rpcUrl, deploymentId);
      addresses = deployment.addresses;
      startBlock = deployment.startBlock;
      const deployed = JSON.parse(
        await readFile(
          path.join(REPO_ROOT, "ignition", "deployments", deploymentId, "deployed_addresses.json"),
          "utf8",
        ),
      ) as Record<string, string>;
      ponderAddresses = indexerAddresses(deployed);
    } else {
      rpcUrl = options.rpcUrl!;
      if (options.chainId === undefined) throw new Error("CHAIN_ID is required with RPC_URL");
      chainId = options.chainId;
    }

    progress("starting the indexer (Ponder)…");
    const ponderOptions: Parameters<typeof startPonder>[0] = {
      rpcUrl,
      chainId,
      ...(ponderAddresses ? { addresses: ponderAddresses, startBlock } : {}),
      ...(deploymentId ? { ignitionDeployment: deploymentId } : {}),
      database: options.databaseUrl
        ? { kind: "postgres", url: options.databaseUrl }
        : { kind: "pglite", directory: path.join(dataDir, "pglite") },
      ...(options.databaseUrl ? { schema: "station" } : {}),
      port: await port(options.indexerPort, 42069),
      logFile: path.join(logsDir, `ponder-${stamp}.log`),
      timeoutMs,
    };
    const indexer = await startPonder(ponderOptions);
    pids.push(indexer.pid);
    const supervisors: {
      name: string;
      supervisor: Supervisor<{
        pid: number;
        logFile: string;
        exited: Promise<number | string>;
        stop(): Promise<unknown>;
      }>;
    }[] = [];
    if (options.supervise) {
      // The restarted indexer resumes from its database: the same schema (and port, which the
      // service was given). stop() of the crashed one clears the schema lock Ponder leaves behind.
      const supervisor = supervise(
        "indexer",
        asChild(indexer),
        async (previous) => {
          await previous.stop();
          return asChild(await startPonder({ ...ponderOptions, schema: indexer.schema, port: indexer.port }));
        },
        options.supervise,
      );
      supervisors.push({ name: "indexer", supervisor });
      stoppers.push(() => supervisor.stop());
    } else {
      stoppers.push(() => indexer.stop());
    }

    progress("starting the service and the web page…");
    const servicePort = await port(options.servicePort, 8787);
    const serviceEnv: NodeJS.ProcessEnv = {
      ...process.env,
      SERVICE_HOST: "127.0.0.1",
      SERVICE_PORT: String(servicePort),
      SERVICE_DATA_DIR: path.join(dataDir, "service"),
      INDEXER_URL: indexer.url,
      RPC_URL: rpcUrl,
      CHAIN_ID: String(chainId),
      FORCE_COLOR: "0",
    };
    if (addresses.pool !== undefined) serviceEnv.POOL_ADDRESS = addresses.pool;
    if (options.databaseUrl !== undefined) serviceEnv.DATABASE_URL = options.databaseUrl;
    else delete serviceEnv.DATABASE_URL;
    for (const [name, value] of Object.entries(addresses)) {
      if (value !== undefined) serviceEnv[`STATION_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`] = value;
    }
    const serviceUrl = `http://127.0.0.1:${servicePort}`;
    const startService = async () => {
      const child: Managed = spawnManaged(process.execPath, serviceArgs(), {
        cwd: REPO_ROOT,
        env: serviceEnv,
        logFile: path.join(logsDir, `service-${stamp}.log`),
      });
      try {
        await waitUntil(
          "service /health",
          async () => {
            const response = await fetch(`${serviceUrl}/health`);
            await response.arrayBuffer();
            return response.ok;
          },
          { timeoutMs, child, intervalMs: 100 },
        );
      } catch (error) {
        await child.stop();
        throw error;
      }
      return child;
    };
    const service = await startService();
    pids.push(service.pid);
    if (options.supervise) {
      const supervisor = supervise("service", service, () => startService(), options.supervise);
      supervisors.push({ name: "service", supervisor });
      stoppers.push(() => supervisor.stop());
    } else {
      stoppers.push(() => service.stop());
    }
    if (options.supervise && chain !== undefined) {
      // No restart: a new Hardhat node would be an empty chain without the deployment.
      const supervisor = supervise(
        "local chain",
        { ...chain, exited: chain.process.exited },
        () => Promise.reject(new Error("not restarted")),
        {
          ...options.supervise,
          maxRestarts: 0,
        },
      );
      supervisors.push({ name: "local chain", supervisor });
      stoppers.splice(stoppers.indexOf(chainStop), 1, () => supervisor.stop());
    }
    const gaveUp =
      supervisors.length === 0
        ? undefined
        : Promise.race(supervisors.map(({ name, supervisor }) => supervisor.gaveUp.then(() => name)));

    return {
      urls: { rpc: rpcUrl, indexer: indexer.url, service: serviceUrl, web: `${serviceUrl}/` },
      chainId,
      addresses,
      startBlock,
      deploymentId,
      local,
      pids,
      logs: { chain: chain?.logFile, indexer: indexer.logFile, service: service.logFile },
      chain,
      indexer,
      gaveUp,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** The station's addresses from env (a real network): STATION_POOL_ADDRESS or POOL_ADDRESS, … */
export function addressesFromEnv(env: NodeJS.ProcessEnv): Partial<StationAddresses> {
  const pick = (...names: string[]) => {
    for (const n of names) if (env[n]) return getAddress(env[n]!);
    return undefined;
  };
  const out: Partial<StationAddresses> = {
    cToken: pick("STATION_C_TOKEN", "PONDER_MOCK_C_TOKEN_ADDRESS", "PONDER_C_TOKEN_ADDRESS"),
    stablecoin: pick("STATION_STABLECOIN"),
    priceFeed: pick("STATION_PRICE_FEED"),
    staking: pick("STATION_STAKING", "PONDER_C_STAKING_ADDRESS"),
    pool: pick("STATION_POOL", "POOL_ADDRESS", "PONDER_COMPENSATION_POOL_ADDRESS"),
    packages: pick("STATION_PACKAGES", "PONDER_EMERGENCY_PACKAGES_ADDRESS"),
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
}
