/**
 * The station as real processes, for the end-to-end tests (./EndToEnd.ts) and the end-to-end
 * benchmark (bench/service-e2e.ts): a Hardhat node, the LocalStation Ignition deployment, `ponder
 * start` on indexer/ (PGlite, or PostgreSQL in a throw-away database), and — as many times as a
 * test wants — the service as production starts it (`startService` from service/src/index.ts),
 * reading that Ponder over HTTP through @ponder/client, each on a fresh database of its own.
 *
 * Transactions are sent from the node's unlocked development accounts; each returns the webhook
 * events its receipt's logs must produce (`chainId:txHash:logIndex` keys), so a test can compare
 * what a receiver got with what the chain says.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import {
  type Abi,
  type Address,
  type Hex,
  decodeEventLog,
  encodeFunctionData,
  keccak256,
  maxUint256,
  toHex,
} from "viem";
import { mnemonicToAccount } from "viem/accounts";

import { CompensationPoolAbi } from "../../common/abis/CompensationPool.js";
import { CStakingAbi } from "../../common/abis/CStaking.js";
import { EmergencyPackagesAbi } from "../../common/abis/EmergencyPackages.js";
import { MockCTokenAbi } from "../../common/abis/MockCToken.js";
import { MockStablecoinAbi } from "../../common/abis/MockStablecoin.js";
import { deployStation, removeDeployment, type StationDeployment } from "../../stack/deploy.js";
import { startDevChain, type DevChain } from "../../stack/devchain.js";
import { createScratchDatabase, startPonder, type PonderDatabase, type PonderProcess } from "../../stack/ponder.js";
import { freePort } from "../../stack/proc.js";
import { loadStationConfig, serviceRequest, signIn } from "../../cli/lib/station-client.js";
import { startService } from "../../service/src/index.js";
import type { EventType } from "../../service/src/webhooks/events.js";

export type Engine = "pglite" | "postgres";

const C = 10n ** 18n;
const DEV_MNEMONIC = "test test test test test test test test test test test junk";
/** The assessor of ignition/parameters/localhost.json: development account #1. */
export const ASSESSOR_ACCOUNT = 1;

/** One webhook a transaction must cause: its idempotency key and event type. */
export type ChainEvent = { key: string; type: EventType; event: string; logIndex: number };

/**
 * A mined transaction: when its receipt was in hand (`performance.timeOrigin + performance.now()`
 * milliseconds, the clock bench/lib/latency.ts stamps arrivals with), and the webhook events its
 * logs make.
 */
export type Sent = { hash: Hex; receiptAt: number; block: bigint; events: ChainEvent[]; claimId?: bigint };

/** Which contract events become which webhook (service/src/feed/streams.ts, via the indexer's tables). */
const WEBHOOK_EVENTS: Record<string, EventType> = {
  ClaimStatusChanged: "claim.status",
  PackagePurchased: "coverage.purchased",
  Staked: "stake.changed",
  UnstakeRequested: "stake.changed",
  Withdrawn: "stake.changed",
};

export type RunningService = Awaited<ReturnType<typeof startService>> & { url: string; env: Record<string, string> };

/** A subscription made over the service's API by a signed-in account. */
export type Subscription = { id: string; secret: string; token: string; address: Address };

export type LiveStation = {
  engine: Engine;
  chain: DevChain;
  deployment: StationDeployment;
  ponder: PonderProcess;
  /** Development account `index`'s address. */
  address(index: number): Address;
  /** Gives account `index` C and stablecoin and the allowances for staking and packages (once). */
  fund(index: number): Promise<void>;
  submitClaim(account: number, amount?: bigint): Promise<Sent>;
  acceptClaim(claimId: bigint): Promise<Sent>;
  /** A small approval: the pool pays it in the same transaction (Approved and Paid). */
  approveClaim(claimId: bigint, amount: bigint): Promise<Sent>;
  stake(account: number, amount: bigint): Promise<Sent>;
  buyWithStable(account: number, packageId: bigint): Promise<Sent>;
  /** Several claims mined in one block (automine off for the burst); their Sent in order. */
  submitClaimsInOneBlock(account: number, count: number): Promise<Sent[]>;
  /**
   * A fresh database for one or more service instances: env entries (DATABASE_URL of a new
   * PostgreSQL database, or a new PGlite directory) and its removal.
   */
  serviceDatabase(): Promise<{ env: Record<string, string>; drop(): Promise<void> }>;
  /** The service as production starts it, on a free port, against this chain and Ponder. */
  startService(env: Record<string, string>): Promise<RunningService>;
  /** Signs account `index` in with Ethereum (SIWE) and subscribes `url` to `events` for its address. */
  subscribe(service: RunningService, index: number, url: string, events: EventType[]): Promise<Subscription>;
  stop(): Promise<void>;
};

/**
 * Starts the chain, deploys the station and starts Ponder on it. `ponderOptions` reach
 * startPonder (the benchmark sets the polling interval).
 */
export async function startLiveStation(
  engine: Engine,
  ponderOptions: { pollingIntervalMs?: number } = {},
): Promise<LiveStation> {
  const cleanups: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    cleanups.length = 0;
  };
  try {
    const chain = await startDevChain();
    cleanups.push(() => chain.stop());
    const deployment = await deployStation(chain.url, { deploymentId: `e2e-${engine}-${chain.port}` });
    cleanups.push(() => removeDeployment(deployment.deploymentId));
    // PostgreSQL: Ponder and each service get databases of their own next to DATABASE_URL's
    // (Ponder keeps one raw-chain cache per database keyed by chain id, and every local chain is 31337).
    const databaseUrl = engine === "postgres" ? process.env.DATABASE_URL : undefined;
    if (engine === "postgres" && databaseUrl === undefined) throw new Error("DATABASE_URL is not set");
    let ponderDatabase: PonderDatabase = { kind: "pglite" };
    if (databaseUrl !== undefined) {
      const scratch = await createScratchDatabase(databaseUrl, "e2e_ponder");
      cleanups.push(() => scratch.drop());
      ponderDatabase = { kind: "postgres", url: scratch.url };
    }
    const { CStaking, CompensationPool, EmergencyPackages } = deployment.addresses;
    const ponder = await startPonder({
      rpcUrl: chain.url,
      addresses: { CStaking, CompensationPool, EmergencyPackages },
      startBlock: deployment.startBlock,
      database: ponderDatabase,
      // Several rate-limit buckets (20 requests/s each at first): a block every 100 ms needs more.
      rpcBuckets: 10,
      ...ponderOptions,
    });
    cleanups.push(async () => {
      await ponder.stop();
      if (ponder.database.kind === "pglite") await rm(ponder.database.directory!, { recursive: true, force: true });
    });
    await ponder.waitForBlock(await chain.blockNumber());

    const chainId = await chain.chainId();
    const account = (index: number) => mnemonicToAccount(DEV_MNEMONIC, { addressIndex: index });
    const address = (index: number) => account(index).address;
    const abis: Array<[Address, Abi]> = [
      [CompensationPool, CompensationPoolAbi],
      [CStaking, CStakingAbi],
      [EmergencyPackages, EmergencyPackagesAbi],
    ];

    /** Sends one transaction from an unlocked development account and reads its receipt. */
    const send = async (from: number, to: Address, data: Hex): Promise<Sent> => {
      // An explicit gas limit: the node's estimate races with concurrent claims (the first claim of
      // each eight pays ~22,000 more to create its lane slot, and which claim is first is only known
      // when it is mined).
      const [hash] = await chain.sendTransactions([{ from: address(from), to, data, gas: 1_000_000n }]);
      return receiptOf(hash!);
    };
    const receiptOf = async (hash: Hex): Promise<Sent> => {
      const [receipt] = await chain.receipts([hash]);
      const receiptAt = performance.timeOrigin + performance.now();
      if (receipt!.status !== "0x1") throw new Error(`transaction ${hash} reverted`);
      const events: ChainEvent[] = [];
      let claimId: bigint | undefined;
      for (const log of receipt!.logs) {
        const abi = abis.find(([a]) => a.toLowerCase() === log.address.toLowerCase())?.[1];
        if (abi === undefined) continue;
        const decoded = decodeEventLog({ abi, data: log.data, topics: log.topics as [Hex, ...Hex[]] });
        const name: string = (decoded as { eventName?: string }).eventName ?? "";
        if (name === "ClaimSubmitted") claimId = (decoded.args as unknown as { claimId: bigint }).claimId;
        const type = WEBHOOK_EVENTS[name];
        if (type === undefined) continue;
        const logIndex = Number(log.logIndex);
        events.push({ key: `${chainId}:${hash}:${logIndex}`, type, event: name, logIndex });
      }
      return {
        hash,
        receiptAt,
        block: BigInt(receipt!.blockNumber),
        events,
        ...(claimId === undefined ? {} : { claimId }),
      };
    };
    const note = (text: string) => keccak256(toHex(text));
    const pool = (from: number, data: Parameters<typeof encodeFunctionData<typeof CompensationPoolAbi>>[0]) =>
      send(from, CompensationPool, encodeFunctionData(data));
    let claims = 0;
    const submitData = (amount: bigint) =>
      encodeFunctionData({
        abi: CompensationPoolAbi,
        functionName: "submitClaim",
        args: [0, amount, note(`e2e claim ${++claims}`)],
      });

    const funded = new Set<number>();
    const services: RunningService[] = [];
    cleanups.push(async () => {
      for (const s of services) await s.stop().catch(() => {});
    });

    return {
      engine,
      chain,
      deployment,
      ponder,
      address,
      async fund(index) {
        if (funded.has(index)) return;
        funded.add(index);
        const { MockCToken, MockStablecoin } = deployment.addresses;
        const who = address(index);
        const max = 2n ** 255n;
        await send(
          index,
          MockCToken,
          encodeFunctionData({ abi: MockCTokenAbi, functionName: "mint", args: [who, 1_000_000n * C] }),
        );
        await send(
          index,
          MockCToken,
          encodeFunctionData({ abi: MockCTokenAbi, functionName: "approve", args: [CStaking, max] }),
        );
        await send(
          index,
          MockStablecoin,
          encodeFunctionData({ abi: MockStablecoinAbi, functionName: "mint", args: [who, 1_000_000n * 10n ** 6n] }),
        );
        await send(
          index,
          MockStablecoin,
          encodeFunctionData({ abi: MockStablecoinAbi, functionName: "approve", args: [EmergencyPackages, max] }),
        );
      },
      submitClaim: (index, amount = 5n * C) => send(index, CompensationPool, submitData(amount)),
      acceptClaim: (claimId) =>
        pool(ASSESSOR_ACCOUNT, {
          abi: CompensationPoolAbi,
          functionName: "acceptClaim",
          args: [claimId, note(`accept ${claimId}`)],
        }),
      approveClaim: (claimId, amount) =>
        pool(ASSESSOR_ACCOUNT, {
          abi: CompensationPoolAbi,
          functionName: "approveClaim",
          args: [claimId, amount, note(`approve ${claimId}`)],
        }),
      stake: (index, amount) =>
        send(index, CStaking, encodeFunctionData({ abi: CStakingAbi, functionName: "stake", args: [amount] })),
      buyWithStable: (index, packageId) =>
        send(
          index,
          EmergencyPackages,
          encodeFunctionData({
            abi: EmergencyPackagesAbi,
            functionName: "buyWithStable",
            // Terms version 1 (the seed catalogue, never changed) and no price limit.
            args: [packageId, address(index), 1, maxUint256],
          }),
        ),
      async submitClaimsInOneBlock(index, count) {
        await chain.setAutomine(false);
        let hashes: Hex[];
        try {
          hashes = await chain.sendTransactions(
            Array.from({ length: count }, () => ({
              from: address(index),
              to: CompensationPool,
              data: submitData(C),
              gas: 1_000_000n, // estimated one by one, claims of one block would race for the lane slot
            })),
          );
          await chain.mine(1);
        } finally {
          await chain.setAutomine(true);
        }
        return Promise.all(hashes.map(receiptOf));
      },
      async serviceDatabase(): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
        if (databaseUrl !== undefined) {
          const scratch = await createScratchDatabase(databaseUrl, "e2e_service");
          return { env: { DATABASE_URL: scratch.url }, drop: () => scratch.drop() };
        }
        const dir = await mkdtemp(path.join(tmpdir(), "es-e2e-service-"));
        return { env: { SERVICE_DATA_DIR: dir }, drop: () => rm(dir, { recursive: true, force: true }) };
      },
      async startService(env) {
        const port = await freePort();
        const full: Record<string, string> = {
          SERVICE_HOST: "127.0.0.1",
          SERVICE_PORT: String(port),
          INDEXER_URL: ponder.url,
          RPC_URL: chain.url,
          CHAIN_ID: String(chainId),
          POOL_ADDRESS: CompensationPool,
          LOG_LEVEL: "error",
          ...env,
        };
        const running = await startService(full);
        // Tests stop services themselves; stop() again at the end of the station is then a no-op.
        let stopped: Promise<void> | undefined;
        const stopOnce = running.stop;
        const service: RunningService = Object.assign(running, {
          url: `http://127.0.0.1:${running.port}`,
          env: full,
          stop: () => (stopped ??= stopOnce()),
        });
        services.push(service);
        return service;
      },
      async subscribe(service, index, url, events) {
        const config = await loadStationConfig({
          RPC_URL: chain.url,
          SERVICE_URL: service.url,
          STATION_DEPLOYMENT_ID: deployment.deploymentId,
        });
        const token = await signIn(config, account(index));
        const created = await serviceRequest<{ id: string; secret: string }>(config, "POST", "/v1/webhooks", {
          token,
          body: { url, events },
        });
        return { id: created.id, secret: created.secret, token, address: address(index) };
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
