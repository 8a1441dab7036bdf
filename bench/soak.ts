/**
 * The soak: the production shape under load and faults, on this machine (`npm run soak`).
 *
 * Brings up a Hardhat node with LocalStation, the Ponder indexer on PostgreSQL, two service
 * replicas on one PostgreSQL database (separate processes, clients spread across both, no proxy)
 * and a webhook receiver that verifies every signature. A workload plays claimants, the assessor,
 * stakers and projects at SOAK_RATE actions per second for SOAK_MINUTES (claims submitted,
 * accepted, approved and paid, rejected; stakes; package purchases; incident claims; reads of
 * claims and figures from either replica; case conversations: each claim opened with a stored
 * statement whose hash is its evidence, messages by the claimant and the assessor through either
 * replica, closed claims rated). Faults are injected on a schedule:
 *   the indexer killed (SIGKILL) and restarted; one replica killed (SIGKILL) and restarted; the
 *   receiver answering 500, then refusing connections, then back; every PostgreSQL connection of
 *   the indexer and the service terminated (pg_terminate_backend); a chain reorg of 2 blocks.
 * Then nobody answers: the chain's clock jumps past every response deadline (and merchants'
 * resolution deadlines), and the claimants take their breach credits (claimNoResponseCredit for
 * claims still Submitted, claimResolutionCredit for merchants' accepted ones); those with no
 * standing are refused by the pool. Each credit paid is a `claim.credit` webhook checked like the rest.
 * At the end it checks, prints and writes bench/results/soak.json:
 *   - every chain event delivered to the receiver exactly once per subscription (by idempotency
 *     key, counting deliveries the receiver accepted with 2xx), none missing, none for an event of
 *     the abandoned branch. The sender promises at least once: a delivery accepted in the 5 s
 *     before a replica was killed may be sent once more (it may not have been recorded); those
 *     are counted apart, and any other repeat fails. Terminated database connections allow no
 *     repeat: the sender writes a known outcome again until it is recorded;
 *   - every claim's status in both replicas equals the chain's;
 *   - every case message and rating a replica acknowledged is in the case exactly once, in order,
 *     on both replicas; and how long a message takes to be readable on the other replica;
 *   - p50/p99 of reads and of transaction receipt → webhook accepted, and per fault the time to
 *     recover;
 *   - RSS of every process sampled every 5 s, with its least-squares slope (MB/min) over the run
 *     and over its second half;
 *   - how long this process's event loop stalled while deliveries were coming (p99 and longest):
 *     it is also the receiver, and a receiver that answers after the sender's timeout is sent the
 *     delivery again.
 * Exit code 1 when anything was lost, doubled or disagrees.
 *
 * Env: SOAK_MINUTES (10; under 5 writes the result as "short", over 10 as "long"), SOAK_RATE
 * (4 actions/s), DATABASE_URL (postgresql://postgres@127.0.0.1:5432/test; the soak creates and drops
 * databases next to it), SOAK_SEED (1).
 */
import { writeFile, mkdir } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import os from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import path from "node:path";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import pg from "pg";
import {
  type Abi,
  type Address,
  type Hex,
  decodeEventLog,
  decodeFunctionResult,
  encodeFunctionData,
  keccak256,
  maxUint256,
  toHex,
} from "viem";
import { mnemonicToAccount } from "viem/accounts";

import { CompensationPoolAbi } from "../common/abis/CompensationPool.js";
import { IncidentVaultAbi } from "../common/abis/IncidentVault.js";
import { incidentVaultAddress } from "../common/incident.js";
import { CStakingAbi } from "../common/abis/CStaking.js";
import { EmergencyPackagesAbi } from "../common/abis/EmergencyPackages.js";
import { MockCTokenAbi } from "../common/abis/MockCToken.js";
import { MockStablecoinAbi } from "../common/abis/MockStablecoin.js";
import { deployStation, removeDeployment } from "../stack/deploy.js";
import { startDevChain, type DevReceipt } from "../stack/devchain.js";
import { createScratchDatabase, startPonder, type PonderProcess } from "../stack/ponder.js";
import { freePort, REPO_ROOT, serviceArgs, spawnManaged, waitUntil, type Managed } from "../stack/proc.js";
import { loadStationConfig, serviceRequest, signIn } from "../cli/lib/station-client.js";
import { verifyWebhook } from "../service/src/webhooks/verify.js";
import {
  countDeliveries,
  deliveryRecords,
  describeRepeats,
  type Acceptance,
  type DeliveryRecord,
} from "./lib/deliveries.js";
import { percentile, round } from "./lib/latency.js";
import { SoakCases } from "./lib/soakCases.js";
import { CLAIM_KINDS } from "../common/claims.js";

const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
const RATE = Number(process.env.SOAK_RATE ?? 4);
const BASE_DB = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
let seed = Number(process.env.SOAK_SEED ?? 1);
const DURATION_MS = MINUTES * 60_000;
/** Blocks a webhook waits for: deeper than the reorg, so nothing of the abandoned branch is sent. */
const CONFIRMATIONS = 3;
const REORG_DEPTH = 2;
/** Longer than every default response window (1 h at most) and merchants' resolution window (30 min). */
const DEADLINE_JUMP_SECONDS = 3_601;

const C = 10n ** 18n;
const DEV_MNEMONIC = "test test test test test test test test test test test junk";
const ADMIN = 0;
const ASSESSOR = 1;
const CLAIMANTS = [10, 11, 12, 13, 14, 15];
const account = (i: number) => mnemonicToAccount(DEV_MNEMONIC, { addressIndex: i });
const address = (i: number) => account(i).address;
const here = path.dirname(fileURLToPath(import.meta.url));
const resultsPath = path.join(here, "results", "soak.json");
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Deterministic choices (mulberry32), so two runs play the same workload. */
const random = () => {
  seed |= 0;
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const log = (line: string) => console.log(`[${((now() - t0) / 1000).toFixed(1).padStart(6)} s] ${line}`);
const t0 = now();

// ─── The receiver ─────────────────────────────────────────────────────────────

type Mode = "ok" | "fail" | "refuse";
type Accepted = { subscription: string; key: string; type: string; at: number };

/** Verifies every delivery's signature; in "fail" answers 500, in "refuse" its port is closed. */
class SoakReceiver {
  mode: Mode = "ok";
  readonly accepted: Accepted[] = [];
  readonly badSignatures: string[] = [];
  attempts = 0;
  secrets = new Map<string, string>();
  private server: Server | undefined;
  private sockets = new Set<Socket>();
  constructor(readonly port: number) {}

  get url() {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  async listen() {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on("connection", (s) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, "127.0.0.1", resolve));
  }

  async close() {
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    for (const s of this.sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    this.attempts++;
    if (this.mode === "fail") return res.writeHead(500).end("soak: failing on purpose");
    // Which subscription sent it: the one whose secret verifies the signature.
    const secret = [...this.secrets.values()].find((s) => verifyWebhook(s, req.headers, body));
    if (secret === undefined) {
      this.badSignatures.push(String(req.headers["idempotency-key"]));
      return res.writeHead(400).end("bad signature");
    }
    const parsed = JSON.parse(body) as { type: string };
    this.accepted.push({
      subscription: [...this.secrets].find(([, s]) => s === secret)![0],
      key: String(req.headers["idempotency-key"]),
      type: parsed.type,
      at: now(),
    });
    res.writeHead(200).end("ok");
  }

  /** Every acceptance, keyed `<subscription>|<idempotency key>`. */
  acceptances(): Acceptance[] {
    return this.accepted.map((a) => ({ key: `${a.subscription}|${a.key}`, at: a.at }));
  }

  /** The keys accepted so far. */
  keys(): Set<string> {
    return new Set(this.acceptances().map((a) => a.key));
  }
}

// ─── Memory sampling ──────────────────────────────────────────────────────────

function rssMb(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return Number.isFinite(kb) ? kb / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Least-squares slope of (minutes, MB). */
function slope(points: { t: number; mb: number }[]): number {
  if (points.length < 3) return NaN;
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.t, 0) / n;
  const my = points.reduce((s, p) => s + p.mb, 0) / n;
  const num = points.reduce((s, p) => s + (p.t - mx) * (p.mb - my), 0);
  const den = points.reduce((s, p) => s + (p.t - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

// ─── The run ──────────────────────────────────────────────────────────────────

const cleanups: (() => Promise<unknown>)[] = [];
const cleanup = async () => {
  for (const c of cleanups.reverse()) await c().catch((e: unknown) => console.error(`cleanup: ${String(e)}`));
};

type Sent = { hash: Hex; receiptAt: number; ok: boolean; events: { key: string; type: string; account: Address }[] };

async function main() {
  log(`soak: ${MINUTES} min at ${RATE} actions/s on ${os.cpus().length} CPUs, Node ${process.version}`);
  const chain = await startDevChain();
  cleanups.push(() => chain.stop());
  const deployment = await deployStation(chain.url, {
    deploymentId: `soak-${chain.port}`,
    parameters: {
      poolAssessor: address(ASSESSOR),
      poolGuardian: address(2),
      packagesGuardian: address(2),
      packagesTreasury: address(3),
      packagesStableReserve: address(3),
      poolPayoutDelay: 300,
      poolChallengeWindow: 5,
      stakingWarmupSeconds: 60,
      stakingCooldownSeconds: 300,
      localPoolSeed: 1_000_000n * C,
    },
  });
  cleanups.push(() => removeDeployment(deployment.deploymentId));
  const { CompensationPool, CStaking, EmergencyPackages, MockCToken, MockStablecoin } = deployment.addresses;
  const chainId = await chain.chainId();

  // ── PostgreSQL: one database for the indexer, one shared by both replicas.
  const ponderDb = await createScratchDatabase(BASE_DB, "soak_ponder");
  cleanups.push(() => ponderDb.drop());
  const serviceDb = await createScratchDatabase(BASE_DB, "soak_service");
  cleanups.push(() => serviceDb.drop());
  const dbName = (url: string) => new URL(url).pathname.slice(1);

  // ── The indexer (restartable on the same port and schema).
  const ponderOptions = {
    rpcUrl: chain.url,
    addresses: { CStaking, CompensationPool, EmergencyPackages },
    startBlock: deployment.startBlock,
    database: { kind: "postgres" as const, url: ponderDb.url },
    schema: "soak",
    port: await freePort(),
    rpcBuckets: 10,
  };
  let ponder: PonderProcess = await startPonder(ponderOptions);
  cleanups.push(() => ponder.stop());

  // ── Two replicas as processes.
  const replicaPorts = [await freePort(), await freePort()];
  const replicaEnv = (port: number): NodeJS.ProcessEnv => ({
    ...process.env,
    SERVICE_HOST: "127.0.0.1",
    SERVICE_PORT: String(port),
    SERVICE_MODE: "local",
    DATABASE_URL: serviceDb.url,
    INDEXER_URL: ponder.url,
    RPC_URL: chain.url,
    CHAIN_ID: String(chainId),
    POOL_ADDRESS: CompensationPool,
    STATION_C_TOKEN: MockCToken,
    STATION_STABLECOIN: MockStablecoin,
    STATION_STAKING: CStaking,
    STATION_PACKAGES: EmergencyPackages,
    FEED_CONFIRMATIONS: String(CONFIRMATIONS),
    // Retries every 1 s doubling up to 15 s, 50 attempts: a receiver outage of minutes is ridden out.
    WEBHOOK_RETRY_BASE_MS: "1000",
    WEBHOOK_RETRY_MAX_MS: "15000",
    WEBHOOK_MAX_ATTEMPTS: "50",
    WEBHOOK_ALLOW_LOCAL: "1",
    LOG_LEVEL: "warn",
    FORCE_COLOR: "0",
  });
  const logsDir = path.join(REPO_ROOT, ".data", "logs");
  const startReplica = async (i: number): Promise<Managed> => {
    const child = spawnManaged(process.execPath, serviceArgs(), {
      cwd: REPO_ROOT,
      env: replicaEnv(replicaPorts[i]!),
      logFile: path.join(logsDir, `soak-replica-${i}-${Date.now()}.log`),
    });
    await waitUntil(`replica ${i} /health`, async () => (await fetch(`${replicaUrl(i)}/health`)).ok, {
      timeoutMs: 120_000,
      child,
      intervalMs: 100,
    });
    return child;
  };
  const replicaUrl = (i: number) => `http://127.0.0.1:${replicaPorts[i]}`;
  const replicas = [await startReplica(0), await startReplica(1)];
  cleanups.push(async () => Promise.all(replicas.map((r) => r.stop())));
  log(`chain ${chain.url}, indexer ${ponder.url}, replicas ${replicaUrl(0)} ${replicaUrl(1)}`);

  // ── Transactions.
  const abis: [Address, Abi][] = [
    [CompensationPool, CompensationPoolAbi],
    [CStaking, CStakingAbi],
    [EmergencyPackages, EmergencyPackagesAbi],
  ];
  const WEBHOOK_OF: Record<string, string> = {
    ClaimStatusChanged: "claim.status",
    PackagePurchased: "coverage.purchased",
    Staked: "stake.changed",
    UnstakeRequested: "stake.changed",
    Withdrawn: "stake.changed",
    BreachCreditPaid: "claim.credit",
  };
  /** The account a webhook event concerns (the subscription that must receive it). */
  const claimantOf = new Map<bigint, Address>();
  const eventsOf = (receipt: DevReceipt, hash: Hex): Sent["events"] => {
    const out: Sent["events"] = [];
    for (const l of receipt.logs) {
      const abi = abis.find(([a]) => a.toLowerCase() === l.address.toLowerCase())?.[1];
      if (abi === undefined) continue;
      const d = decodeEventLog({ abi, data: l.data, topics: l.topics as [Hex, ...Hex[]] }) as unknown as {
        eventName: string;
        args: Record<string, unknown>;
      };
      if (d.eventName === "ClaimSubmitted") claimantOf.set(d.args.claimId as bigint, d.args.claimant as Address);
      const type = WEBHOOK_OF[d.eventName];
      if (type === undefined) continue;
      const who =
        d.eventName === "ClaimStatusChanged"
          ? claimantOf.get(d.args.claimId as bigint)
          : d.eventName === "PackagePurchased"
            ? (d.args.beneficiary as Address)
            : d.eventName === "BreachCreditPaid"
              ? (d.args.claimant as Address)
              : (d.args.account as Address);
      if (who === undefined) continue;
      out.push({ key: `${chainId}:${hash}:${Number(l.logIndex)}`, type, account: who });
    }
    return out;
  };
  const send = async (from: number, to: Address, data: Hex): Promise<Sent> => {
    const [hash] = await chain.sendTransactions([{ from: address(from), to, data, gas: 1_000_000n }]);
    const [receipt] = await chain.receipts([hash!]);
    const receiptAt = now();
    const ok = receipt!.status === "0x1";
    return { hash: hash!, receiptAt, ok, events: ok ? eventsOf(receipt!, hash!) : [] };
  };
  const note = (text: string) => keccak256(toHex(text));
  const max = 2n ** 255n;
  for (const i of CLAIMANTS) {
    const who = address(i);
    await send(
      i,
      MockCToken,
      encodeFunctionData({ abi: MockCTokenAbi, functionName: "mint", args: [who, 1_000_000n * C] }),
    );
    await send(
      i,
      MockCToken,
      encodeFunctionData({ abi: MockCTokenAbi, functionName: "approve", args: [CStaking, max] }),
    );
    await send(
      i,
      MockStablecoin,
      encodeFunctionData({ abi: MockStablecoinAbi, functionName: "mint", args: [who, 1_000_000n * 10n ** 6n] }),
    );
    await send(
      i,
      MockStablecoin,
      encodeFunctionData({ abi: MockStablecoinAbi, functionName: "approve", args: [EmergencyPackages, max] }),
    );
  }

  // ── Breach credits are off until the admin sets them: 1 C for no answer, 2 C for no resolution.
  const creditsSet = await send(
    ADMIN,
    CompensationPool,
    encodeFunctionData({
      abi: CompensationPoolAbi,
      functionName: "setBreachCredits",
      args: [1n * C, 2n * C, 1_000n * C],
    }),
  );
  if (!creditsSet.ok) throw new Error("could not set the breach credits");

  // ── An incident round over the claimants (claimable after the 5 s challenge window).
  const leaves = CLAIMANTS.map((i, index) => [BigInt(index), address(i), 2n * C] as [bigint, Address, bigint]);
  const tree = StandardMerkleTree.of(leaves, ["uint256", "address", "uint256"]);
  const block = await chain.rpc<{ timestamp: Hex }>("eth_getBlockByNumber", ["latest", false]);
  const opened = await send(
    ADMIN,
    CompensationPool,
    encodeFunctionData({
      abi: CompensationPoolAbi,
      functionName: "openIncident",
      args: [
        tree.root as Hex,
        2n * C * BigInt(leaves.length),
        Number(BigInt(block.timestamp)) + 86_400,
        note("soak incident"),
      ],
    }),
  );
  if (!opened.ok) throw new Error("could not open the soak's incident round");
  const incidentId = 1n;
  const unclaimedLeaves = [...leaves.keys()];

  // ── Subscriptions: each claimant subscribes the receiver to its own events, through replica 0.
  const receiver = new SoakReceiver(await freePort());
  await receiver.listen();
  cleanups.push(() => receiver.close());
  const subscriptionOfAccount = new Map<string, string>();
  // Case conversations: each claimant and the assessor sign in once with a session key.
  const cases = new SoakCases([replicaUrl(0), replicaUrl(1)], chainId, CompensationPool, now);
  for (const i of CLAIMANTS) {
    const config = await loadStationConfig({
      RPC_URL: chain.url,
      SERVICE_URL: replicaUrl(i % 2),
      STATION_DEPLOYMENT_ID: deployment.deploymentId,
    });
    await cases.signIn(config, account(i), "claimant");
    if (i === CLAIMANTS[0]) await cases.signIn(config, account(ASSESSOR), "assessor");
    const token = await signIn(config, account(i));
    const created = await serviceRequest<{ id: string; secret: string }>(config, "POST", "/v1/webhooks", {
      token,
      body: { url: receiver.url, events: ["claim.status", "stake.changed", "coverage.purchased", "claim.credit"] },
    });
    receiver.secrets.set(created.id, created.secret);
    subscriptionOfAccount.set(address(i).toLowerCase(), created.id);
  }
  log(`${CLAIMANTS.length} subscriptions; workload starts`);

  // ── Memory sampling.
  const memory: Record<string, { t: number; mb: number }[]> = {};
  const sample = () => {
    const t = (now() - t0) / 60_000;
    const pids: Record<string, number> = {
      chain: chain.pid,
      indexer: ponder.pid,
      "replica 0": replicas[0]!.pid,
      "replica 1": replicas[1]!.pid,
      "soak driver": process.pid,
    };
    for (const [name, pid] of Object.entries(pids)) {
      const mb = rssMb(pid);
      if (mb !== undefined) (memory[name] ??= []).push({ t, mb });
    }
  };
  const sampler = setInterval(sample, 5_000);
  cleanups.push(async () => clearInterval(sampler));

  // ── The workload.
  const sent: Sent[] = [];
  const abandoned: Sent[] = [];
  const reads: number[] = [];
  let readErrors = 0;
  const readErrorsByFault: Record<string, number> = {};
  let activeFault = "none";
  /** When a sender was killed: a delivery accepted just before may come again. */
  const senderFaults: number[] = [];
  const claimsByStatus = { Submitted: [] as bigint[], Accepted: [] as bigint[] };
  const kindOf = new Map<bigint, number>();
  const counts: Record<string, number> = {};
  let paused = false;
  const act = async () => {
    const r = random();
    const claimant = pick(CLAIMANTS);
    let s: Sent | undefined;
    let action: string;
    const replica = Math.floor(random() * 2);
    if (r < 0.3) {
      action = "submit";
      const kind = pick([0, 1, 2, 3]);
      // The opening statement first (its hash is the evidence); a claim is filed even when both
      // replicas are down, with a bare note, as a person could.
      const evidence = (await cases.opening(address(claimant), CLAIM_KINDS[kind]!, replica)) ?? note(`soak ${r}`);
      s = await send(
        claimant,
        CompensationPool,
        encodeFunctionData({ abi: CompensationPoolAbi, functionName: "submitClaim", args: [kind, 3n * C, evidence] }),
      );
      const id = [...claimantOf.keys()].at(-1);
      if (s.ok && id !== undefined) {
        claimsByStatus.Submitted.push(id);
        kindOf.set(id, kind);
        cases.claimantOf.set(id, address(claimant));
      }
    } else if (r < 0.48 && claimsByStatus.Submitted.length > 0) {
      action = "accept";
      const id = claimsByStatus.Submitted.shift()!;
      s = await send(
        ASSESSOR,
        CompensationPool,
        encodeFunctionData({ abi: CompensationPoolAbi, functionName: "acceptClaim", args: [id, note(`accept ${id}`)] }),
      );
      if (s.ok) claimsByStatus.Accepted.push(id);
    } else if (r < 0.6 && claimsByStatus.Accepted.length > 0) {
      action = "approve";
      const id = claimsByStatus.Accepted.shift()!;
      s = await send(
        ASSESSOR,
        CompensationPool,
        encodeFunctionData({
          abi: CompensationPoolAbi,
          functionName: "approveClaim",
          args: [id, 2n * C, note(`approve ${id}`)],
        }),
      );
      if (s.ok && cases.claimantOf.has(id)) cases.closed.set(id, now()); // paid at once: closed
    } else if (r < 0.68 && claimsByStatus.Accepted.length > 0) {
      action = "reject";
      const id = claimsByStatus.Accepted.shift()!;
      s = await send(
        ASSESSOR,
        CompensationPool,
        encodeFunctionData({ abi: CompensationPoolAbi, functionName: "rejectClaim", args: [id, note(`reject ${id}`)] }),
      );
      if (s.ok && cases.claimantOf.has(id)) cases.closed.set(id, now());
    } else if (r < 0.78) {
      action = "stake";
      s = await send(
        claimant,
        CStaking,
        encodeFunctionData({ abi: CStakingAbi, functionName: "stake", args: [10n * C] }),
      );
    } else if (r < 0.86) {
      action = "buy";
      s = await send(
        claimant,
        EmergencyPackages,
        // One of the seed catalogue's packages (terms version 1, unchanged) and no price limit.
        encodeFunctionData({
          abi: EmergencyPackagesAbi,
          functionName: "buyWithStable",
          args: [BigInt(pick([1, 2, 3])), address(claimant), 1, maxUint256],
        }),
      );
    } else if (r < 0.9 && unclaimedLeaves.length > 0) {
      action = "incident claim";
      const index = unclaimedLeaves.shift()!;
      const [i, who, amount] = leaves[index]!;
      s = await send(
        pick(CLAIMANTS),
        incidentVaultAddress(CompensationPool, incidentId),
        encodeFunctionData({
          abi: IncidentVaultAbi,
          functionName: "claim",
          args: [i, who, amount, tree.getProof(index) as Hex[]],
        }),
      );
      if (!s.ok) unclaimedLeaves.push(index);
    } else if (r < 0.95 && cases.claimantOf.size > 0) {
      action = "message";
      // Now and then a claimant rates a claim closed a while ago (once the indexer has it closed).
      if (random() < 0.3 && (await cases.rateOne(replica))) {
        counts.rating = (counts.rating ?? 0) + 1;
        return;
      }
      const id = pick([...cases.claimantOf.keys()]);
      const author = random() < 0.5 ? cases.claimantOf.get(id)! : address(ASSESSOR);
      await cases.say(id, author, replica);
    } else {
      action = "read";
      const ids = [...claimantOf.keys()];
      if (ids.length === 0) return;
      const url = `${replicaUrl(Math.floor(random() * 2))}/v1/claims/${pick(ids)}`;
      const started = now();
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
        await res.arrayBuffer();
        if (res.status === 200 || res.status === 404) reads.push(now() - started);
        else throw new Error(String(res.status));
      } catch {
        readErrors++;
        readErrorsByFault[activeFault] = (readErrorsByFault[activeFault] ?? 0) + 1;
      }
    }
    counts[action] = (counts[action] ?? 0) + 1;
    if (s !== undefined) {
      if (!s.ok) counts[`${action} reverted`] = (counts[`${action} reverted`] ?? 0) + 1;
      sent.push(s);
    }
  };
  let running = true;
  // This process is the receiver too: its own stalls delay every answer (10 s is the sender's timeout).
  const loopDelay = monitorEventLoopDelay({ resolution: 20 });
  loopDelay.enable();
  const workloadStart = now();
  const workload = (async () => {
    const interval = 1000 / RATE;
    let next = now();
    while (running) {
      if (!paused) await act().catch((e: unknown) => log(`workload: ${String(e)}`));
      next += interval;
      const wait = next - now();
      if (wait > 0) await sleep(wait);
      else next = now();
    }
  })();

  // ── Faults.
  const ready = async (i: number) => {
    try {
      return (await fetch(`${replicaUrl(i)}/ready`, { signal: AbortSignal.timeout(3_000) })).status === 200;
    } catch {
      return false;
    }
  };
  const recoveries: { fault: string; at: number; recoveredMs: number | null; note: string }[] = [];
  const timed = async (fault: string, note: string, inject: () => Promise<void>, recovered: () => Promise<boolean>) => {
    activeFault = fault;
    const at = (now() - t0) / 1000;
    log(`fault: ${fault}`);
    const started = now();
    await inject();
    let recoveredMs: number | null = null;
    const deadline = now() + 180_000;
    while (now() < deadline) {
      if (await recovered()) {
        recoveredMs = Math.round(now() - started);
        break;
      }
      await sleep(200);
    }
    log(`  recovered: ${recoveredMs === null ? "NO" : `${recoveredMs} ms`}`);
    recoveries.push({ fault, at: round(at), recoveredMs, note });
    activeFault = "none";
  };
  const caughtUp = async () => {
    try {
      const status = await ponder.status();
      const head = Number(await chain.blockNumber());
      return Object.values(status).some((c) => c.id === chainId && c.block.number >= head - 1);
    } catch {
      return false;
    }
  };
  const pgTerminate = async (database: string) => {
    const client = new pg.Client({ connectionString: BASE_DB });
    await client.connect();
    try {
      const r = await client.query(
        "SELECT count(*)::int AS n FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()) t",
        [database],
      );
      return (r.rows[0] as { n: number }).n;
    } finally {
      await client.end();
    }
  };
  const schedule: { at: number; run: () => Promise<void> }[] = [
    {
      at: 0.12,
      run: () =>
        timed(
          "indexer SIGKILL",
          "killed, restarted on the same port and schema; recovered = indexed to the chain's head and both replicas ready",
          async () => {
            process.kill(ponder.pid, "SIGKILL");
            await ponder.process.exited;
            await ponder.stop();
            ponder = await startPonder(ponderOptions);
          },
          async () => (await caughtUp()) && (await ready(0)) && (await ready(1)),
        ),
    },
    {
      at: 0.27,
      run: () =>
        timed(
          "replica SIGKILL",
          "replica 1 killed and restarted; recovered = its /ready answers 200",
          async () => {
            senderFaults.push(now());
            process.kill(replicas[1]!.pid, "SIGKILL");
            await replicas[1]!.exited;
            replicas[1] = await startReplica(1);
          },
          () => ready(1),
        ),
    },
    {
      at: 0.42,
      run: async () => {
        let due: string[] = [];
        await timed(
          "receiver 500 then refusing",
          "15 s answering 500, 15 s refusing connections, then back; recovered = every event sent so far accepted",
          async () => {
            receiver.mode = "fail";
            await sleep(15_000);
            await receiver.close();
            receiver.mode = "refuse";
            await sleep(15_000);
            receiver.mode = "ok";
            await receiver.listen();
            due = [...expectedKeys().keys()];
          },
          async () => {
            const got = receiver.keys();
            return due.every((k) => got.has(k));
          },
        );
      },
    },
    {
      at: 0.57,
      run: () =>
        timed(
          "pg_terminate_backend",
          "every connection of the indexer's and the service's databases terminated; recovered = both replicas ready and the indexer caught up",
          async () => {
            const n = (await pgTerminate(dbName(ponderDb.url))) + (await pgTerminate(dbName(serviceDb.url)));
            log(`  terminated ${n} connections`);
          },
          async () => (await ready(0)) && (await ready(1)) && (await caughtUp()),
        ),
    },
    {
      at: 0.72,
      run: () =>
        timed(
          `reorg of ${REORG_DEPTH} blocks`,
          `${REORG_DEPTH} blocks with claims reverted and replaced by a longer branch; recovered = the indexer on the new head`,
          async () => {
            paused = true;
            await sleep(500);
            const snapshot = await chain.snapshot();
            for (let b = 0; b < REORG_DEPTH; b++) {
              const gone = await send(
                pick(CLAIMANTS),
                CompensationPool,
                encodeFunctionData({
                  abi: CompensationPoolAbi,
                  functionName: "submitClaim",
                  args: [3, 1n * C, note(`abandoned ${b}`)],
                }),
              );
              abandoned.push(gone);
            }
            // Let the indexer see the branch that is about to be abandoned.
            await sleep(1_500);
            await chain.revert(snapshot);
            // Forget the claims of the abandoned branch (their ids are reused by the new one).
            const lastIds = [...claimantOf.keys()].slice(-REORG_DEPTH);
            for (const id of lastIds) claimantOf.delete(id);
            claimsByStatus.Submitted = claimsByStatus.Submitted.filter((id) => !lastIds.includes(id));
            await chain.mine(REORG_DEPTH + 1);
            paused = false;
          },
          caughtUp,
        ),
    },
    {
      at: 0.8,
      run: async () => {
        let due: string[] = [];
        await timed(
          "deadlines pass unanswered",
          `the chain's clock jumps ${DEADLINE_JUMP_SECONDS} s; claimants take their breach credits; recovered = every credit's webhook accepted`,
          async () => {
            paused = true;
            await sleep(500);
            await chain.rpc("evm_increaseTime", [DEADLINE_JUMP_SECONDS]);
            await chain.mine(1);
            const credit = async (id: bigint, functionName: "claimNoResponseCredit" | "claimResolutionCredit") => {
              const who = CLAIMANTS.find((i) => address(i) === claimantOf.get(id));
              if (who === undefined) return;
              const action = functionName === "claimNoResponseCredit" ? "no-response credit" : "resolution credit";
              counts[action] = (counts[action] ?? 0) + 1;
              try {
                sent.push(
                  await send(
                    who,
                    CompensationPool,
                    encodeFunctionData({ abi: CompensationPoolAbi, functionName, args: [id] }),
                  ),
                );
              } catch (e) {
                // The node refuses a transaction that reverts: no standing (neither tier nor plan), or
                // the day's breach budget used up. Anything else is the soak's own failure.
                if (!/CompensationPool(NoStanding|BreachBudgetExceeded)/.test(String(e))) throw e;
                counts[`${action} refused`] = (counts[`${action} refused`] ?? 0) + 1;
              }
            };
            for (const id of [...claimsByStatus.Submitted]) await credit(id, "claimNoResponseCredit");
            // Merchants' resolution window (30 min) is the only one the jump outlasts.
            for (const id of claimsByStatus.Accepted.filter((id) => kindOf.get(id) === 2)) {
              await credit(id, "claimResolutionCredit");
            }
            paused = false;
            due = [...expectedKeys().keys()];
          },
          async () => {
            const got = receiver.keys();
            return due.every((k) => got.has(k));
          },
        );
      },
    },
  ];
  for (const fault of schedule) {
    const wait = workloadStart + fault.at * DURATION_MS - now();
    if (wait > 0) await sleep(wait);
    await fault.run();
  }
  const rest = workloadStart + DURATION_MS - now();
  if (rest > 0) await sleep(rest);
  running = false;
  await workload;
  log(`workload stopped: ${sent.length} transactions`);

  // ── Drain: confirmations for the last blocks, then every expected event accepted.
  await chain.mine(CONFIRMATIONS + 1);
  function expectedKeys(): Map<string, { subscription: string; receiptAt: number }> {
    const out = new Map<string, { subscription: string; receiptAt: number }>();
    for (const s of sent) {
      for (const e of s.events) {
        const subscription = subscriptionOfAccount.get(e.account.toLowerCase());
        if (subscription !== undefined) out.set(`${subscription}|${e.key}`, { subscription, receiptAt: s.receiptAt });
      }
    }
    return out;
  }
  const expected = expectedKeys();
  const drainDeadline = now() + 180_000;
  // One set a round: built per key, this check stalled the loop (and so the receiver) 35 s at 7,500 events.
  const allAccepted = () => {
    const got = receiver.keys();
    return [...expected.keys()].every((k) => got.has(k));
  };
  while (now() < drainDeadline && !allAccepted()) await sleep(500);
  await sleep(3_000); // late duplicates, if any, arrive now
  loopDelay.disable();
  sample();

  // ── Checks.
  const acceptances = receiver.acceptances();
  // At least once: a repeat is allowed only right after a sender fault (bench/lib/deliveries.ts).
  const { accepted, redelivered, doubled } = countDeliveries(acceptances, senderFaults);
  const firstAt = new Map<string, number>();
  for (const a of acceptances) if (!firstAt.has(a.key)) firstAt.set(a.key, a.at);
  const missing = [...expected.keys()].filter((k) => !accepted.has(k));
  // Each repeat's story, from the receiver and from the service's own record of its attempts.
  const records = await deliveryRecords(serviceDb.url, [...doubled, ...redelivered]).catch((err: unknown) => {
    log(`could not read the repeated deliveries' records: ${String(err)}`);
    return new Map<string, DeliveryRecord>();
  });
  const repeats = describeRepeats(
    { doubled, redelivered },
    acceptances,
    recoveries.map((r) => ({ fault: r.fault, at: t0 + r.at * 1000 })),
    records,
    t0,
  );
  const abandonedKeys = new Set(abandoned.flatMap((s) => s.events.map((e) => e.key)));
  const fromAbandoned = receiver.accepted.filter((a) => abandonedKeys.has(a.key)).map((a) => a.key);
  const unexpected = [...accepted.keys()].filter((k) => !expected.has(k) && !abandonedKeys.has(k.split("|")[1]!));

  const mismatches: string[] = [];
  const STATUS = ["None", "Submitted", "Accepted", "Investigating", "Approved", "Paid", "Rejected", "Cancelled"];
  for (const id of claimantOf.keys()) {
    const raw = await chain.rpc<Hex>("eth_call", [
      {
        to: CompensationPool,
        data: encodeFunctionData({ abi: CompensationPoolAbi, functionName: "getClaim", args: [id] }),
      },
      "latest",
    ]);
    const onChain = decodeFunctionResult({ abi: CompensationPoolAbi, functionName: "getClaim", data: raw });
    const status = STATUS[Number(onChain.status)];
    for (const i of [0, 1]) {
      const res = await fetch(`${replicaUrl(i)}/v1/claims/${id}`).catch((e: unknown) => e as Error);
      if (res instanceof Error) {
        mismatches.push(`claim ${id}: replica ${i} unreachable (${res.message})`);
        continue;
      }
      type Seen = { status?: string; amounts?: { noResponseCredit?: string; resolutionCredit?: string } };
      const body = (await res.json()) as Seen & { claim?: Seen };
      const seen = body.claim ?? body;
      if (seen.status !== status) {
        mismatches.push(`claim ${id}: chain ${status}, replica ${i} ${seen.status ?? res.status}`);
      }
      // The breach credits paid on-chain, as the replica shows them (amounts in wei, "0" when none).
      const credits = [seen.amounts?.noResponseCredit ?? "?", seen.amounts?.resolutionCredit ?? "?"];
      const paid = [onChain.noResponseCreditPaid, onChain.resolutionCreditPaid];
      if (credits.some((c, k) => (c !== "0") !== paid[k] || c === "?")) {
        mismatches.push(
          `claim ${id}: credits paid on-chain ${paid.join("/")}, replica ${i} shows ${credits.join("/")}`,
        );
      }
    }
  }

  const latencies = [...expected].flatMap(([k, { receiptAt }]) =>
    firstAt.has(k) ? [firstAt.get(k)! - receiptAt] : [],
  );
  latencies.sort((a, b) => a - b);
  reads.sort((a, b) => a - b);
  const memoryTrend = Object.fromEntries(
    Object.entries(memory).map(([name, points]) => [
      name,
      {
        firstMb: round(points[0]?.mb ?? NaN),
        lastMb: round(points.at(-1)?.mb ?? NaN),
        maxMb: round(Math.max(...points.map((p) => p.mb))),
        slopeMbPerMin: round(slope(points)),
        // The second half alone: past the warm-up and the restarts of the first faults, where a
        // leak shows as a slope and a cache that has filled up as none.
        secondHalfSlopeMbPerMin: round(slope(points.filter((p) => p.t >= MINUTES / 2))),
        samples: points.length,
      },
    ]),
  );
  const caseProblems = await cases.check();
  const creditsPaid = sent.flatMap((s) => s.events).filter((e) => e.type === "claim.credit").length;
  const visible = [...cases.visibleMs].sort((a, b) => a - b);
  const result = {
    measuredAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version },
    settings: { minutes: MINUTES, rate: RATE, confirmations: CONFIRMATIONS, reorgDepth: REORG_DEPTH, replicas: 2 },
    workload: {
      transactions: sent.length,
      reverted: sent.filter((s) => !s.ok).length,
      actions: counts,
      claims: claimantOf.size,
      breachCreditsPaid: creditsPaid,
    },
    deliveries: {
      expected: expected.size,
      accepted: receiver.accepted.length,
      attempts: receiver.attempts,
      missing: missing.length,
      doubled: doubled.length,
      redeliveredAfterSenderFault: redelivered.length,
      repeats,
      fromAbandonedBranch: fromAbandoned.length,
      unexpected: unexpected.length,
      badSignatures: receiver.badSignatures.length,
    },
    claimStateMismatches: mismatches.length,
    cases: { ...cases.counts, claimsWithMessages: cases.messages.size, problems: caseProblems.length },
    latencyMs: {
      messageVisibleOnOtherReplica: {
        count: visible.length,
        p50: round(percentile(visible, 50)),
        p99: round(percentile(visible, 99)),
      },
      read: {
        count: reads.length,
        errors: readErrors,
        errorsByFault: readErrorsByFault,
        p50: round(percentile(reads, 50)),
        p99: round(percentile(reads, 99)),
      },
      txToWebhook: {
        count: latencies.length,
        p50: round(percentile(latencies, 50)),
        p99: round(percentile(latencies, 99)),
        max: round(latencies.at(-1) ?? NaN),
      },
    },
    faults: recoveries,
    memory: memoryTrend,
    /** This process's (the receiver's) event-loop delay from the workload's start to the drain's end. */
    driverEventLoopDelayMs: { p99: round(loopDelay.percentile(99) / 1e6), max: round(loopDelay.max / 1e6) },
    loadAverage1m: round(os.loadavg()[0] ?? 0),
  };
  const failures = [
    ...missing.slice(0, 5).map((k) => `missing ${k}`),
    ...doubled.slice(0, 5).map((k) => `doubled ${k}`),
    ...fromAbandoned.slice(0, 5).map((k) => `delivered from the abandoned branch: ${k}`),
    ...unexpected.slice(0, 5).map((k) => `unexpected ${k}`),
    ...receiver.badSignatures.slice(0, 5).map((k) => `bad signature on ${k}`),
    ...mismatches.slice(0, 5),
    ...caseProblems.slice(0, 5),
    ...recoveries.filter((r) => r.recoveredMs === null).map((r) => `no recovery after ${r.fault}`),
  ];

  console.log(`\nSoak: ${MINUTES} min, ${RATE} actions/s, 2 replicas on PostgreSQL, ${CONFIRMATIONS} confirmations`);
  console.table({
    "chain events → subscriptions": { value: expected.size },
    "accepted deliveries": { value: receiver.accepted.length },
    "delivery attempts (incl. 500s)": { value: receiver.attempts },
    missing: { value: missing.length },
    doubled: { value: doubled.length },
    "sent again after a sender fault": { value: redelivered.length },
    "from the abandoned branch": { value: fromAbandoned.length },
    "claim states ≠ chain": { value: mismatches.length },
    "read p50 / p99 ms": {
      value: `${result.latencyMs.read.p50} / ${result.latencyMs.read.p99} (${readErrors} errors)`,
    },
    "tx → webhook p50 / p99 ms": { value: `${result.latencyMs.txToWebhook.p50} / ${result.latencyMs.txToWebhook.p99}` },
    "breach credits paid / refused": {
      value: `${creditsPaid} / ${(counts["no-response credit refused"] ?? 0) + (counts["resolution credit refused"] ?? 0)}`,
    },
    "case messages / ratings stored": { value: `${cases.counts.messages} / ${cases.counts.ratings}` },
    "case messages lost / doubled": { value: caseProblems.length },
    "message → other replica p50 / p99 ms": {
      value: `${result.latencyMs.messageVisibleOnOtherReplica.p50} / ${result.latencyMs.messageVisibleOnOtherReplica.p99}`,
    },
    "receiver's event-loop delay p99 / max ms": {
      value: `${result.driverEventLoopDelayMs.p99} / ${result.driverEventLoopDelayMs.max}`,
    },
  });
  console.table(recoveries.map((r) => ({ fault: r.fault, "at s": r.at, "recovered in ms": r.recoveredMs ?? "NO" })));
  for (const r of repeats) {
    const fault = r.nearestFault === null ? "no fault" : `${r.nearestFault.afterS} s after ${r.nearestFault.fault}`;
    console.log(
      `${r.verdict}: ${r.key}, accepted at ${r.acceptedAtS.join(", ")} s (${fault}); row ${r.row?.status ?? "?"}`,
    );
    for (const a of r.attempts)
      console.log(
        `  attempt ${a.attempt} at ${a.startedAtS} s by ${a.worker}: ${a.statusCode ?? a.error ?? "?"} in ${a.durationMs} ms`,
      );
  }
  console.table(memoryTrend);
  await mkdir(path.dirname(resultsPath), { recursive: true });
  const key = MINUTES < 5 ? "short" : MINUTES <= 10 ? "default" : "long";
  const previous = JSON.parse(readFileSync(resultsPath, { encoding: "utf8", flag: "a+" }) || "{}") as Record<
    string,
    unknown
  >;
  previous[key] = { ...result, passed: failures.length === 0, failures };
  await writeFile(resultsPath, JSON.stringify(previous, null, 2) + "\n");
  console.log(`wrote ${path.relative(process.cwd(), resultsPath)} (${key})`);
  if (failures.length > 0) {
    console.error(`\nSOAK FAILED:\n  ${failures.join("\n  ")}`);
    process.exitCode = 1;
  } else {
    console.log(
      "\nSoak passed: nothing lost, nothing doubled, every claim agrees with the chain, every case message and rating stored once.",
    );
  }
}

try {
  await main();
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await cleanup();
  // After a failure the workload's loop may still be scheduling actions: do not wait for it.
  setTimeout(() => process.exit(), 1_000).unref();
}
