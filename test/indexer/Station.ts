/**
 * The station's indexer end to end, against real processes: a Hardhat node, the LocalStation
 * Ignition module, the scripted scenario of ./scenario.ts (every event type of the three
 * contracts), and `ponder start` on indexer/. Rows and REST answers are stated exactly, from the
 * scenario's inputs and the blocks its transactions landed in.
 *
 * Backfill (the scenario is buried below the 30-block finality depth before Ponder starts), live
 * sync, a reorg and a restart mid-backfill. Runs on PGlite, and on PostgreSQL too when
 * DATABASE_URL is set, or on those TEST_ENGINES names (../service/helpers.ts; each PostgreSQL suite in a throw-away database: Ponder's sync cache is per
 * database and keyed by chain id, and every local chain here is 31337).
 */
import { rm } from "node:fs/promises";

import { createClient } from "@ponder/client";
import { count as count_, eq, getTableColumns, gt } from "drizzle-orm";
import { expect } from "chai";
import { type Address, type Hex, encodeFunctionData, zeroHash } from "viem";

import { CompensationPoolAbi } from "../../common/abis/CompensationPool.js";
import { CStakingAbi } from "../../common/abis/CStaking.js";
import * as schema from "../../indexer/ponder.schema.js";
import { type StationDeployment, deployStation, removeDeployment } from "../../stack/deploy.js";
import { type DevChain, startDevChain } from "../../stack/devchain.js";
import {
  type PonderDatabase,
  type PonderOptions,
  type PonderProcess,
  type ScratchDatabase,
  createScratchDatabase,
  freshSchemaName,
  startPonder,
} from "../../stack/ponder.js";
import { ENGINES } from "../service/helpers.js";
import {
  ALICE,
  ASSESSOR,
  BOB,
  C,
  DEPLOYER,
  GUARDIAN,
  PROJECT,
  RELAYER,
  type Mined,
  type Scenario,
  TREASURY,
  USD,
  fillerClaims,
  note,
  runScenario,
  send,
} from "./scenario.js";

/** Blocks Ponder treats as unfinalized on 31337: the backfill covers up to tip − 30. */
const FINALITY = 30;
const FILLER_CLAIMS = 150;
const DAY = 86_400n;

const lower = (a: Address) => a.toLowerCase() as Hex;

type Tables = Awaited<ReturnType<typeof dumpTables>>;
type TableName =
  | "claims"
  | "claimTransitions"
  | "incidents"
  | "incidentClaims"
  | "incidentEvents"
  | "poolStats"
  | "stakers"
  | "stakeEvents"
  | "tiers"
  | "settings"
  | "packages"
  | "purchases"
  | "subscriptions"
  | "coverageBookings"
  | "buyerApprovalEvents"
  | "buyerApprovals";
type Row<K extends TableName> = (typeof schema)[K]["$inferSelect"];

/**
 * Every event row carries its chain coordinates: checks them (this chain, a log index that is a
 * non-negative integer and unique within its transaction) and returns the rows without them.
 */
function chainCoordinates<R extends { chainId: number; logIndex: number; txHash: string }>(
  rows: R[],
): Omit<R, "chainId" | "logIndex">[] {
  const seen = new Set<string>();
  return rows.map(({ chainId, logIndex, ...rest }) => {
    expect(chainId).to.equal(31337);
    expect(Number.isInteger(logIndex) && logIndex >= 0, `log index ${logIndex}`).to.equal(true);
    const key = `${rest.txHash}:${logIndex}`;
    expect(seen.has(key), `duplicate ${key}`).to.equal(false);
    seen.add(key);
    return rest;
  });
}

/**
 * Every row of one table, read over Ponder's GraphQL (which queries the schema-qualified table) and
 * converted back to the column types (bigints arrive as strings), in the order `compare` gives.
 * GraphQL is a read path independent of `@ponder/client`'s SQL over HTTP, which the "SQL over
 * HTTP" suite compares against it.
 */
async function dumpTable<K extends TableName>(
  ponder: PonderProcess,
  name: K,
  compare: (a: Row<K>, b: Row<K>) => number,
): Promise<Row<K>[]> {
  const columns = getTableColumns(schema[name]);
  const fields = Object.keys(columns).join(" ");
  const response = await fetch(`${ponder.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: `{ page: ${name}s(limit: 1000) { items { ${fields} } pageInfo { hasNextPage } } }` }),
  });
  const json = (await response.json()) as {
    data?: { page: { items: Record<string, unknown>[]; pageInfo: { hasNextPage: boolean } } };
    errors?: unknown;
  };
  if (json.data === undefined) throw new Error(`GraphQL ${name}: ${JSON.stringify(json.errors)}`);
  if (json.data.page.pageInfo.hasNextPage) throw new Error(`GraphQL ${name}: more than 1000 rows`);
  const rows = json.data.page.items.map((item) => {
    const row: Record<string, unknown> = {};
    for (const [key, column] of Object.entries(columns)) {
      const value = item[key];
      row[key] = column.dataType === "bigint" && value !== null ? BigInt(value as string) : value;
    }
    return row as Row<K>;
  });
  return rows.sort(compare);
}

const byBigint = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Every station table, in a stable order. */
async function dumpTables(ponder: PonderProcess) {
  return {
    claims: await dumpTable(ponder, "claims", (a, b) => byBigint(a.id, b.id)),
    claimTransitions: await dumpTable(
      ponder,
      "claimTransitions",
      (a, b) => byBigint(a.blockNumber, b.blockNumber) || a.logIndex - b.logIndex,
    ),
    incidents: await dumpTable(ponder, "incidents", (a, b) => byBigint(a.id, b.id)),
    incidentClaims: await dumpTable(
      ponder,
      "incidentClaims",
      (a, b) => byBigint(a.incidentId, b.incidentId) || byBigint(a.index, b.index),
    ),
    incidentEvents: await dumpTable(
      ponder,
      "incidentEvents",
      (a, b) => byBigint(a.blockNumber, b.blockNumber) || a.logIndex - b.logIndex,
    ),
    poolStats: await dumpTable(ponder, "poolStats", (a, b) => byText(a.pool, b.pool)),
    stakers: await dumpTable(ponder, "stakers", (a, b) => byText(a.account, b.account)),
    stakeEvents: await dumpTable(ponder, "stakeEvents", (a, b) => byText(a.id, b.id)),
    tiers: await dumpTable(ponder, "tiers", (a, b) => a.tier - b.tier),
    settings: await dumpTable(ponder, "settings", (a, b) => byText(a.contract, b.contract) || byText(a.name, b.name)),
    packages: await dumpTable(ponder, "packages", (a, b) => byBigint(a.id, b.id)),
    purchases: await dumpTable(ponder, "purchases", (a, b) => byText(a.id, b.id)),
    subscriptions: await dumpTable(ponder, "subscriptions", (a, b) => byText(a.beneficiary, b.beneficiary)),
    coverageBookings: await dumpTable(
      ponder,
      "coverageBookings",
      (a, b) => byBigint(a.blockNumber, b.blockNumber) || a.logIndex - b.logIndex,
    ),
    buyerApprovalEvents: await dumpTable(
      ponder,
      "buyerApprovalEvents",
      (a, b) => byBigint(a.blockNumber, b.blockNumber) || a.logIndex - b.logIndex,
    ),
    buyerApprovals: await dumpTable(
      ponder,
      "buyerApprovals",
      (a, b) => byText(a.beneficiary, b.beneficiary) || byText(a.buyer, b.buyer),
    ),
  };
}

async function getJson(ponder: PonderProcess, path: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${ponder.url}${path}`);
  return { status: response.status, body: await response.json() };
}

/** Polls `probe` until it returns true (Ponder's indexed block alone does not prove a fork was reconciled). */
async function until(probe: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

for (const kind of ENGINES) {
  describe(`station indexer on ${kind}`, function () {
    let chain: DevChain;
    let deployment: StationDeployment;
    let s: Scenario;
    let scratch: ScratchDatabase | undefined;
    let ponder: PonderProcess;
    let tables: Tables;
    let lastFiller: Mined;
    const ponders: PonderProcess[] = [];
    const pgliteDirs: string[] = [];

    function database(): PonderDatabase {
      if (kind === "postgres") return { kind: "postgres", url: scratch!.url };
      return { kind: "pglite" };
    }

    async function launch(options: Partial<PonderOptions> = {}): Promise<PonderProcess> {
      const p = await startPonder({
        rpcUrl: chain.url,
        addresses: {
          CStaking: deployment.addresses.CStaking,
          CompensationPool: deployment.addresses.CompensationPool,
          EmergencyPackages: deployment.addresses.EmergencyPackages,
        },
        startBlock: deployment.startBlock,
        database: database(),
        rpcBuckets: 10,
        ...options,
      });
      ponders.push(p);
      if (p.database.kind === "pglite") pgliteDirs.push(p.database.directory!);
      return p;
    }

    before(async function () {
      this.timeout(300_000);
      chain = await startDevChain();
      if (kind === "postgres") scratch = await createScratchDatabase(process.env.DATABASE_URL!);
      deployment = await deployStation(chain.url, { deploymentId: `local-station-test-${kind}-${chain.port}` });
      s = await runScenario(chain, deployment);
      lastFiller = await fillerClaims(chain, deployment.addresses.CompensationPool, FILLER_CLAIMS);
      // Bury everything below the finality depth: the backfill (not the live sync) indexes it.
      await chain.mine(FINALITY + 5);
      // No addresses in env: the config reads the Ignition deployment's deployed_addresses.json.
      ponder = await launch({ addresses: {}, startBlock: undefined, ignitionDeployment: deployment.deploymentId });
      await ponder.waitForBlock(await chain.blockNumber());
      tables = await dumpTables(ponder);
    });

    after(async function () {
      this.timeout(60_000);
      await Promise.all(ponders.map((p) => p.stop({ releaseLock: false })));
      await chain?.stop();
      await scratch?.drop();
      if (deployment !== undefined) await removeDeployment(deployment.deploymentId);
      await Promise.all(pgliteDirs.map((dir) => rm(dir, { recursive: true, force: true })));
    });

    describe("after the backfill", function () {
      it("holds each scenario claim with its amounts, deadlines and stage times", function () {
        const { c1, c2, c3, c4, c5 } = s;
        const base = { acceptedAt: null, investigatingAt: null, approvedAt: null, payableAt: null, paidAt: null };
        const rows = tables.claims.slice(0, 5);
        expect(rows).to.deep.equal([
          {
            id: 1n,
            claimant: lower(BOB),
            kind: "MissingReward",
            status: "Paid",
            tier: 0,
            evidenceHash: note("evidence-1"),
            gasless: false,
            amountRequested: 100n * C,
            amountApproved: 80n * C,
            lateCredit: 0n,
            amountPaid: 80n * C,
            noResponseCredit: 0n,
            resolutionCredit: 0n,
            // setSla(MissingReward, 900, 7200) at the standard factor.
            responseDeadline: c1.submitted.ts + 900n,
            resolutionDeadline: c1.submitted.ts + 7_200n,
            submittedAt: c1.submitted.ts,
            acceptedAt: c1.accepted.ts,
            investigatingAt: c1.investigating.ts,
            approvedAt: c1.approved.ts,
            // Below the large-claim threshold: payable and paid in the approving transaction.
            payableAt: c1.approved.ts,
            paidAt: c1.approved.ts,
            closedAt: null,
            lastNoteHash: zeroHash,
            submittedBlock: c1.submitted.block,
            submittedTx: c1.submitted.hash,
            updatedBlock: c1.approved.block,
            updatedAt: c1.approved.ts,
          },
          {
            id: 2n,
            claimant: lower(ALICE),
            kind: "DataApiOutage",
            status: "Paid",
            // 1,200 C held past the 30 s warm-up: tier 2 of the new table (factor 40%).
            tier: 2,
            evidenceHash: note("evidence-2"),
            gasless: true,
            amountRequested: 2_000n * C,
            amountApproved: 1_500n * C,
            lateCredit: 7n * C,
            amountPaid: 1_507n * C,
            noResponseCredit: 0n,
            resolutionCredit: 0n,
            responseDeadline: c2.submitted.ts + 1_440n,
            resolutionDeadline: c2.submitted.ts + 5_760n,
            submittedAt: c2.submitted.ts,
            acceptedAt: c2.accepted.ts,
            investigatingAt: c2.investigating.ts,
            approvedAt: c2.approved.ts,
            payableAt: c2.approved.ts + 300n,
            paidAt: c2.paid.ts,
            closedAt: null,
            lastNoteHash: zeroHash,
            submittedBlock: c2.submitted.block,
            submittedTx: c2.submitted.hash,
            updatedBlock: c2.paid.block,
            updatedAt: c2.paid.ts,
          },
          {
            ...base,
            id: 3n,
            claimant: lower(BOB),
            kind: "RedemptionToolFailure",
            status: "Rejected",
            tier: 0,
            evidenceHash: note("evidence-3"),
            gasless: false,
            amountRequested: 1_200n * C,
            amountApproved: 1_200n * C,
            lateCredit: 0n,
            amountPaid: 0n,
            noResponseCredit: 0n,
            resolutionCredit: 0n,
            responseDeadline: c3.submitted.ts + 300n,
            resolutionDeadline: c3.submitted.ts + 1_800n,
            submittedAt: c3.submitted.ts,
            acceptedAt: c3.accepted.ts,
            approvedAt: c3.approved.ts,
            payableAt: c3.approved.ts + 300n,
            closedAt: c3.vetoed.ts,
            lastNoteHash: note("veto-3"),
            submittedBlock: c3.submitted.block,
            submittedTx: c3.submitted.hash,
            updatedBlock: c3.vetoed.block,
            updatedAt: c3.vetoed.ts,
          },
          {
            ...base,
            id: 4n,
            claimant: lower(BOB),
            kind: "Other",
            status: "Rejected",
            tier: 0,
            evidenceHash: note("evidence-4"),
            gasless: false,
            amountRequested: 10n * C,
            amountApproved: 0n,
            lateCredit: 0n,
            amountPaid: 0n,
            noResponseCredit: 0n,
            resolutionCredit: 0n,
            responseDeadline: c4.submitted.ts + 3_600n,
            resolutionDeadline: c4.submitted.ts + 259_200n,
            submittedAt: c4.submitted.ts,
            closedAt: c4.rejected.ts,
            lastNoteHash: note("reject-4"),
            submittedBlock: c4.submitted.block,
            submittedTx: c4.submitted.hash,
            updatedBlock: c4.rejected.block,
            updatedAt: c4.rejected.ts,
          },
          {
            ...base,
            id: 5n,
            claimant: lower(BOB),
            kind: "MissingReward",
            status: "Cancelled",
            tier: 0,
            evidenceHash: note("evidence-5"),
            gasless: false,
            amountRequested: 5n * C,
            amountApproved: 0n,
            lateCredit: 0n,
            amountPaid: 0n,
            noResponseCredit: 0n,
            resolutionCredit: 0n,
            responseDeadline: c5.submitted.ts + 900n,
            resolutionDeadline: c5.submitted.ts + 7_200n,
            submittedAt: c5.submitted.ts,
            closedAt: c5.cancelled.ts,
            lastNoteHash: zeroHash,
            submittedBlock: c5.submitted.block,
            submittedTx: c5.submitted.hash,
            updatedBlock: c5.cancelled.block,
            updatedAt: c5.cancelled.ts,
          },
        ]);
        expect(tables.claims).to.have.length(5 + FILLER_CLAIMS);
        expect(tables.claims.slice(5).every((c) => c.status === "Submitted" && c.amountRequested === C)).to.equal(true);
        expect(tables.claims.at(-1)!.id).to.equal(BigInt(5 + FILLER_CLAIMS));
      });

      it("records one transition per ClaimStatusChanged with actor, note, block and log position", function () {
        const { c1, c2, c3, c4, c5 } = s;
        const t = (
          claimId: bigint,
          status: string,
          actor: Address,
          noteHash: Hex,
          at: { block: bigint; ts: bigint; hash: Hex },
        ) => ({
          chainId: 31337,
          claimId,
          status,
          actor: lower(actor),
          noteHash,
          blockNumber: at.block,
          blockTimestamp: at.ts,
          txHash: at.hash,
        });
        const scenarioRows = tables.claimTransitions
          .filter((r) => r.claimId <= 5n)
          .map(({ id: _id, logIndex: _logIndex, ...rest }) => rest);
        expect(scenarioRows).to.deep.equal([
          t(1n, "Submitted", BOB, note("evidence-1"), c1.submitted),
          t(1n, "Accepted", ASSESSOR, note("accept-1"), c1.accepted),
          t(1n, "Investigating", ASSESSOR, note("investigate-1"), c1.investigating),
          t(1n, "Approved", ASSESSOR, note("approve-1"), c1.approved),
          t(1n, "Paid", ASSESSOR, zeroHash, c1.approved),
          // Submitted's actor is the claimant even though the relayer sent the transaction.
          t(2n, "Submitted", ALICE, note("evidence-2"), c2.submitted),
          t(2n, "Accepted", ASSESSOR, note("accept-2"), c2.accepted),
          t(2n, "Investigating", ASSESSOR, note("investigate-2"), c2.investigating),
          t(2n, "Approved", ASSESSOR, note("approve-2"), c2.approved),
          t(3n, "Submitted", BOB, note("evidence-3"), c3.submitted),
          t(3n, "Accepted", ASSESSOR, note("accept-3"), c3.accepted),
          t(3n, "Approved", ASSESSOR, note("approve-3"), c3.approved),
          t(3n, "Rejected", GUARDIAN, note("veto-3"), c3.vetoed),
          t(4n, "Submitted", BOB, note("evidence-4"), c4.submitted),
          t(4n, "Rejected", ASSESSOR, note("reject-4"), c4.rejected),
          t(5n, "Submitted", BOB, note("evidence-5"), c5.submitted),
          t(5n, "Cancelled", BOB, zeroHash, c5.cancelled),
          t(2n, "Paid", BOB, zeroHash, c2.paid),
        ]);
        // Claim 1's approval logs ClaimApproved (0), Approved (1), ClaimPaid (2), Paid (3), then the
        // token's Transfer (4): events before the transfer.
        const approval = tables.claimTransitions.filter((r) => r.txHash === c1.approved.hash);
        expect(approval.map((r) => r.logIndex)).to.deep.equal([1, 3]);
        expect(tables.claimTransitions).to.have.length(18 + FILLER_CLAIMS);
        expect(new Set(tables.claimTransitions.map((r) => r.id)).size).to.equal(18 + FILLER_CLAIMS);
      });

      it("holds the incident rounds and the claimed leaf", function () {
        expect(tables.incidents).to.deep.equal([
          {
            id: 1n,
            root: s.root,
            total: 30n * C,
            claimed: 10n * C,
            claimCount: 1,
            claimableAt: s.i1Opened.ts + 120n,
            claimDeadline: s.deadline1,
            metadataHash: note("incident-1"),
            status: "Closed",
            openedBy: lower(DEPLOYER),
            openedAt: s.i1Opened.ts,
            endedAt: s.i1Closed.ts,
            released: 20n * C,
          },
          {
            id: 2n,
            root: s.root,
            total: 40n * C,
            claimed: 0n,
            claimCount: 0,
            claimableAt: s.i2Opened.ts + 120n,
            claimDeadline: s.deadline1,
            metadataHash: note("incident-2"),
            status: "Cancelled",
            openedBy: lower(DEPLOYER),
            openedAt: s.i2Opened.ts,
            endedAt: s.i2Cancelled.ts,
            released: 40n * C,
          },
          {
            id: 3n,
            root: s.root,
            total: 5n * C,
            claimed: 0n,
            claimCount: 0,
            claimableAt: s.i3Opened.ts + 120n,
            claimDeadline: s.i1Closed.ts + 100_000n,
            metadataHash: note("incident-3"),
            status: "Open",
            openedBy: lower(DEPLOYER),
            openedAt: s.i3Opened.ts,
            endedAt: null,
            released: 0n,
          },
        ]);
        expect(chainCoordinates(tables.incidentClaims)).to.deep.equal([
          {
            incidentId: 1n,
            index: 0n,
            account: lower(ALICE),
            amount: 10n * C,
            sender: lower(RELAYER),
            blockNumber: s.i1Claimed.block,
            blockTimestamp: s.i1Claimed.ts,
            txHash: s.i1Claimed.hash,
          },
        ]);
      });

      it("logs every incident event with its amounts, actor and chain coordinates", function () {
        // Opening and claiming log the incident event first (before the transfer into or out of
        // the vault); cancelling and closing log it after the vault's transfer back to the pool.
        const e = (at: Mined, logIndex = 0) => ({
          chainId: 31337,
          blockNumber: at.block,
          blockTimestamp: at.ts,
          txHash: at.hash,
          logIndex,
        });
        const none = { claimed: null, leafIndex: null, account: null, noteHash: null };
        expect(tables.incidentEvents.map(({ id: _id, ...rest }) => rest)).to.deep.equal([
          {
            ...none,
            ...e(s.i1Opened),
            incidentId: 1n,
            kind: "Opened",
            amount: 30n * C,
            actor: lower(DEPLOYER),
            noteHash: note("incident-1"),
          },
          {
            ...none,
            ...e(s.i2Opened),
            incidentId: 2n,
            kind: "Opened",
            amount: 40n * C,
            actor: lower(DEPLOYER),
            noteHash: note("incident-2"),
          },
          {
            ...none,
            ...e(s.i2Cancelled, 1),
            incidentId: 2n,
            kind: "Cancelled",
            amount: 40n * C,
            actor: lower(GUARDIAN),
            noteHash: note("cancel-2"),
          },
          {
            ...none,
            ...e(s.i1Claimed),
            incidentId: 1n,
            kind: "Claimed",
            amount: 10n * C,
            leafIndex: 0n,
            account: lower(ALICE),
            // Whoever sends the claim: the relayer, for Alice.
            actor: lower(RELAYER),
          },
          {
            ...none,
            ...e(s.i1Closed, 1),
            incidentId: 1n,
            kind: "Closed",
            amount: 20n * C,
            claimed: 10n * C,
            actor: lower(BOB),
          },
          {
            ...none,
            ...e(s.i3Opened),
            incidentId: 3n,
            kind: "Opened",
            amount: 5n * C,
            actor: lower(DEPLOYER),
            noteHash: note("incident-3"),
          },
        ]);
        // Ids are Ponder's event ids: they sort in chain order.
        const ids = tables.incidentEvents.map((r) => r.id);
        expect([...ids].sort()).to.deep.equal(ids);
        expect(new Set(ids).size).to.equal(6);
      });

      it("holds the pool's running totals, equal to the contract's reserved rule", function () {
        expect(tables.poolStats).to.deep.equal([
          {
            pool: lower(deployment.addresses.CompensationPool),
            // Seed 100,000 C + Bob's 1,000 C + 40% of the 357.6 C package payment and of the
            // 237.6 C booking (stablecoin payments go to the stable reserve, not the pool).
            funded: 100_000n * C + 1_000n * C + 14_304n * 10n ** 16n + 9_504n * 10n ** 16n,
            // Only incident 3 (5 C) is still reserved: every approval was paid or vetoed.
            reserved: 5n * C,
            paid: 80n * C + 1_507n * C + 10n * C,
            swept: 50n * C,
            claimCount: 5 + FILLER_CLAIMS,
            incidentCount: 3,
            claimsPaid: 2,
            incidentClaimsPaid: 1,
            budgetWindowStart: (s.c3.approved.ts / 3_600n - 24n) * 3_600n,
            budgetUsed: 80n * C + 1_507n * C + 1_200n * C,
            paused: false,
            // The last filler claim's submission bumped claimCount.
            updatedAt: lastFiller.ts,
          },
        ]);
      });

      it("holds stakers, stake events, the tier table and every setting", function () {
        expect(tables.stakers).to.deep.equal([
          {
            account: lower(ALICE),
            stake: 1_200n * C,
            pendingUnstake: 0n,
            pendingRequests: 0,
            withdrawn: 300n * C,
            // Re-derived when the tier table changed: 1,200 C reaches tier 2 of the new table.
            nominalTier: 2,
            // Warm-up at the time of the stake: 60 s (localhost.json).
            tierEffectiveAt: s.staked.ts + 60n,
            updatedAt: s.withdrawn.ts,
          },
        ]);
        const ev = (at: { block: bigint; ts: bigint; hash: Hex }) => ({
          account: lower(ALICE),
          blockNumber: at.block,
          blockTimestamp: at.ts,
          txHash: at.hash,
        });
        expect(chainCoordinates(tables.stakeEvents).map(({ id: _id, ...rest }) => rest)).to.deep.equal([
          {
            ...ev(s.staked),
            kind: "Staked",
            amount: 1_500n * C,
            newStake: 1_500n * C,
            requestId: null,
            releaseAt: null,
          },
          {
            ...ev(s.unstake0),
            kind: "UnstakeRequested",
            amount: 200n * C,
            newStake: 1_300n * C,
            requestId: 0n,
            releaseAt: s.unstake0.ts + 300n,
          },
          {
            ...ev(s.unstake1),
            kind: "UnstakeRequested",
            amount: 100n * C,
            newStake: 1_200n * C,
            requestId: 1n,
            releaseAt: s.unstake1.ts + 300n,
          },
          {
            ...ev(s.withdrawn),
            kind: "Withdrawn",
            amount: 300n * C,
            newStake: 1_200n * C,
            requestId: 1n,
            releaseAt: null,
          },
        ]);
        expect(tables.tiers).to.deep.equal([
          { tier: 0, threshold: 0n, thresholdWholeC: 0n, slaFactorBps: 10_000, discountBps: 3_000, active: true },
          {
            tier: 1,
            threshold: 1_000n * C,
            thresholdWholeC: 1_000n,
            slaFactorBps: 6_000,
            discountBps: 3_000,
            active: true,
          },
          {
            tier: 2,
            threshold: 1_200n * C,
            thresholdWholeC: 1_200n,
            slaFactorBps: 4_000,
            discountBps: 4_000,
            active: true,
          },
        ]);
        const setting = (contract: string, name: string, value: string, at: bigint) => ({
          contract,
          name,
          value,
          updatedAt: at,
        });
        const deployed = tables.settings.find((r) => r.name === "perClaimCap")!.updatedAt;
        const packagesDeployed = tables.packages[0]!.updatedAt;
        // LocalStation points the pool at the packages once both are deployed.
        const coverageWired = tables.settings.find((r) => r.name === "coverageSource")!.updatedAt;
        expect(coverageWired >= packagesDeployed).to.equal(true);
        expect(tables.settings).to.deep.equal([
          setting("CStaking", "cooldown", "600", s.cooldownSet.ts),
          setting("CStaking", "tierCount", "3", s.tiersSet.ts),
          setting("CStaking", "warmup", "30", s.warmupSet.ts),
          setting("CompensationPool", "approvalBudget", (50_000n * C).toString(), deployed),
          setting("CompensationPool", "challengeWindow", "120", deployed),
          setting("CompensationPool", "coverageSource", lower(deployment.addresses.EmergencyPackages), coverageWired),
          setting("CompensationPool", "largeClaimThreshold", (1_000n * C).toString(), deployed),
          setting("CompensationPool", "lateCredit", (7n * C).toString(), s.lateCreditSet.ts),
          setting("CompensationPool", "payoutDelay", "300", deployed),
          setting("CompensationPool", "perClaimCap", (10_000n * C).toString(), deployed),
          setting("CompensationPool", "sla.DataApiOutage.resolution", "14400", deployed),
          setting("CompensationPool", "sla.DataApiOutage.response", "3600", deployed),
          setting("CompensationPool", "sla.MissingReward.resolution", "7200", s.slaSet.ts),
          setting("CompensationPool", "sla.MissingReward.response", "900", s.slaSet.ts),
          setting("CompensationPool", "sla.Other.resolution", "259200", deployed),
          setting("CompensationPool", "sla.Other.response", "3600", deployed),
          setting("CompensationPool", "sla.RedemptionToolFailure.resolution", "1800", deployed),
          setting("CompensationPool", "sla.RedemptionToolFailure.response", "300", deployed),
          setting("CompensationPool", "tierSource", lower(deployment.addresses.CStaking), deployed),
          setting("EmergencyPackages", "heartbeat", "3600", s.oracleSet.ts),
          setting("EmergencyPackages", "paused", "false", s.packagesUnpaused.ts),
          setting("EmergencyPackages", "poolShareBps", "4000", s.proceedsSet.ts),
          setting("EmergencyPackages", "priceFeed", lower(deployment.addresses.MockPriceFeed), s.oracleSet.ts),
          setting("EmergencyPackages", "stableReserve", lower(TREASURY), s.proceedsSet.ts),
          setting("EmergencyPackages", "treasury", lower(TREASURY), s.proceedsSet.ts),
        ]);
        expect(packagesDeployed).to.be.greaterThan(deployed - 1n);
      });

      it("holds the catalogue, both purchases and the project's coverage", function () {
        const deployedAt = tables.packages[0]!.updatedAt;
        expect(tables.packages).to.deep.equal([
          {
            id: 1n,
            usdPrice: 49n * USD,
            duration: 30n * DAY,
            slaFactorBps: 10_000,
            active: true,
            updatedAt: deployedAt,
          },
          {
            id: 2n,
            usdPrice: 149n * USD,
            duration: 30n * DAY,
            slaFactorBps: 5_000,
            active: true,
            updatedAt: deployedAt,
          },
          { id: 3n, usdPrice: 29n * USD, duration: 2n * DAY, slaFactorBps: 2_500, active: true, updatedAt: deployedAt },
          {
            id: 4n,
            usdPrice: 99n * USD,
            duration: 7n * DAY,
            slaFactorBps: 7_500,
            active: true,
            updatedAt: s.packageSet.ts,
          },
        ]);
        const firstUntil = s.boughtStable.ts + 30n * DAY;
        expect(chainCoordinates(tables.purchases).map(({ id: _id, ...rest }) => rest)).to.deep.equal([
          {
            buyer: lower(PROJECT),
            beneficiary: lower(PROJECT),
            packageId: 1n,
            payToken: lower(deployment.addresses.MockStablecoin),
            paid: 49n * USD,
            discountBps: 0,
            coveredUntil: firstUntil,
            slaFactorBps: 10_000,
            blockNumber: s.boughtStable.block,
            blockTimestamp: s.boughtStable.ts,
            txHash: s.boughtStable.hash,
          },
          {
            buyer: lower(ALICE),
            beneficiary: lower(PROJECT),
            packageId: 2n,
            payToken: lower(deployment.addresses.MockCToken),
            // $149 at Alice's tier-2 discount (40%) and C at $0.25: 357.6 C.
            paid: 3_576n * 10n ** 17n,
            discountBps: 4_000,
            // Extends from the current expiry, not from now.
            coveredUntil: firstUntil + 30n * DAY,
            // The faster package's time is used first (the contract's coverage segments).
            slaFactorBps: 5_000,
            blockNumber: s.boughtC.block,
            blockTimestamp: s.boughtC.ts,
            txHash: s.boughtC.hash,
          },
        ]);
        expect(tables.subscriptions).to.deep.equal([
          {
            beneficiary: lower(PROJECT),
            coveredUntil: firstUntil + 30n * DAY,
            slaFactorBps: 5_000,
            lastPackageId: 2n,
            purchaseCount: 2,
            updatedAt: s.boughtC.ts,
          },
        ]);
      });
    });

    describe("event standby and buyer consent", function () {
      it("records each booking with its window, factor, units and price", function () {
        const start = s.standbyStart;
        expect(chainCoordinates(tables.coverageBookings).map(({ id: _id, ...rest }) => rest)).to.deep.equal([
          {
            buyer: lower(PROJECT),
            beneficiary: lower(PROJECT),
            packageId: 3n,
            payToken: lower(deployment.addresses.MockStablecoin),
            // Three days of a two-day package: two whole units of $29.
            paid: 58n * USD,
            discountBps: 0,
            start,
            end: start + 3n * DAY,
            slaFactorBps: 2_500,
            units: 2n,
            blockNumber: s.bookedStable.block,
            blockTimestamp: s.bookedStable.ts,
            txHash: s.bookedStable.hash,
          },
          {
            buyer: lower(ALICE),
            beneficiary: lower(PROJECT),
            packageId: 4n,
            payToken: lower(deployment.addresses.MockCToken),
            // $99 at Alice's tier-2 discount (40%) and C at $0.25: 237.6 C for one seven-day unit.
            paid: 2_376n * 10n ** 17n,
            discountBps: 4_000,
            start: start + 10n * DAY,
            end: start + 11n * DAY,
            slaFactorBps: 7_500,
            units: 1n,
            blockNumber: s.bookedC.block,
            blockTimestamp: s.bookedC.ts,
            txHash: s.bookedC.hash,
          },
        ]);
        // A booking is not a purchase: the continuous window is untouched.
        expect(tables.purchases).to.have.length(2);
        expect(tables.subscriptions.map((r) => r.purchaseCount)).to.deep.equal([2]);
      });

      it("logs every buyer approval and keeps the consent in force per pair", function () {
        expect(
          chainCoordinates(tables.buyerApprovalEvents).map(({ id: _id, blockTimestamp: _t, ...rest }) => rest),
        ).to.deep.equal([
          {
            beneficiary: lower(PROJECT),
            buyer: lower(ALICE),
            kind: "Granted",
            blockNumber: s.buyerApproved.block,
            txHash: s.buyerApproved.hash,
          },
          {
            beneficiary: lower(PROJECT),
            buyer: lower(ALICE),
            kind: "Withdrawn",
            blockNumber: s.approvalWithdrawn.block,
            txHash: s.approvalWithdrawn.hash,
          },
        ]);
        expect(tables.buyerApprovalEvents.map((r) => r.blockTimestamp)).to.deep.equal([
          s.buyerApproved.ts,
          s.approvalWithdrawn.ts,
        ]);
        expect(tables.buyerApprovals).to.deep.equal([
          { beneficiary: lower(PROJECT), buyer: lower(ALICE), approved: false, updatedAt: s.approvalWithdrawn.ts },
        ]);
      });
    });

    describe("GraphQL relations", function () {
      it("walks from a claim to its transitions and from a round to its claims and events", async function () {
        const query = `{
          claim: claims(id: "2") { status transitions(orderBy: "id") { items { status actor claim { id } } } }
          round: incidents(id: "1") { status claims { items { account amount } } events(orderBy: "id") { items { kind } } }
        }`;
        const response = await fetch(`${ponder.url}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ query }),
        });
        const json = (await response.json()) as {
          data?: {
            claim: {
              status: string;
              transitions: { items: { status: string; actor: string; claim: { id: string } }[] };
            };
            round: {
              status: string;
              claims: { items: { account: string; amount: string }[] };
              events: { items: { kind: string }[] };
            };
          };
          errors?: unknown;
        };
        expect(json.errors, JSON.stringify(json.errors)).to.equal(undefined);
        const { claim, round } = json.data!;
        expect(claim.status).to.equal("Paid");
        expect(claim.transitions.items.map((t) => t.status)).to.deep.equal([
          "Submitted",
          "Accepted",
          "Investigating",
          "Approved",
          "Paid",
        ]);
        expect(claim.transitions.items.every((t) => t.claim.id === "2")).to.equal(true);
        expect(claim.transitions.items[1]!.actor).to.equal(lower(ASSESSOR));
        expect(round.status).to.equal("Closed");
        expect(round.claims.items).to.deep.equal([{ account: lower(ALICE), amount: (10n * C).toString() }]);
        expect(round.events.items.map((e) => e.kind)).to.deep.equal(["Opened", "Claimed", "Closed"]);
      });
    });

    describe("REST API", function () {
      it("serves a claim with its timeline, bigints as strings and addresses checksummed", async function () {
        const { status, body } = await getJson(ponder, "/v1/claims/2");
        expect(status).to.equal(200);
        const { claim, timeline } = body as { claim: Record<string, unknown>; timeline: Record<string, unknown>[] };
        expect(claim).to.include({
          id: "2",
          claimant: ALICE,
          kind: "DataApiOutage",
          status: "Paid",
          tier: 2,
          gasless: true,
          amountRequested: (2_000n * C).toString(),
          amountApproved: (1_500n * C).toString(),
          lateCredit: (7n * C).toString(),
          amountPaid: (1_507n * C).toString(),
          responseDeadline: (s.c2.submitted.ts + 1_440n).toString(),
          resolutionDeadline: (s.c2.submitted.ts + 5_760n).toString(),
          acceptedAt: s.c2.accepted.ts.toString(),
          payableAt: (s.c2.approved.ts + 300n).toString(),
          paidAt: s.c2.paid.ts.toString(),
          closedAt: null,
        });
        expect(timeline.map((t) => [t.status, t.actor, t.txHash, t.blockTimestamp])).to.deep.equal([
          ["Submitted", ALICE, s.c2.submitted.hash, s.c2.submitted.ts.toString()],
          ["Accepted", ASSESSOR, s.c2.accepted.hash, s.c2.accepted.ts.toString()],
          ["Investigating", ASSESSOR, s.c2.investigating.hash, s.c2.investigating.ts.toString()],
          ["Approved", ASSESSOR, s.c2.approved.hash, s.c2.approved.ts.toString()],
          ["Paid", BOB, s.c2.paid.hash, s.c2.paid.ts.toString()],
        ]);
      });

      it("pages a claimant's claims newest first", async function () {
        const first = (await getJson(ponder, `/v1/claimants/${BOB.toLowerCase()}/claims?limit=2`)).body as {
          claimant: string;
          claims: { id: string }[];
          nextBefore: string | null;
        };
        expect(first.claimant).to.equal(BOB);
        const newest = 5 + FILLER_CLAIMS;
        expect(first.claims.map((c) => c.id)).to.deep.equal([String(newest), String(newest - 1)]);
        expect(first.nextBefore).to.equal(String(newest - 1));
        const alice = (await getJson(ponder, `/v1/claimants/${ALICE}/claims`)).body as {
          claims: { id: string }[];
          nextBefore: string | null;
        };
        expect(alice.claims.map((c) => c.id)).to.deep.equal(["2"]);
        expect(alice.nextBefore).to.equal(null);
        const last = (await getJson(ponder, `/v1/claimants/${BOB}/claims?limit=100&before=101`)).body as {
          claims: { id: string }[];
          nextBefore: string | null;
        };
        // Bob's claims below 101: 1, 3, 4, 5 and fillers 6..100.
        expect(last.claims).to.have.length(99);
        expect(last.claims.at(-1)!.id).to.equal("1");
        expect(last.nextBefore).to.equal(null);
      });

      it("serves an incident with its claimed count and a leaf's claim status", async function () {
        const incident = (await getJson(ponder, "/v1/incidents/1")).body as { incident: Record<string, unknown> };
        expect(incident.incident).to.deep.equal({
          id: "1",
          root: s.root,
          total: (30n * C).toString(),
          claimed: (10n * C).toString(),
          claimCount: 1,
          claimableAt: (s.i1Opened.ts + 120n).toString(),
          claimDeadline: s.deadline1.toString(),
          metadataHash: note("incident-1"),
          status: "Closed",
          openedBy: DEPLOYER,
          openedAt: s.i1Opened.ts.toString(),
          endedAt: s.i1Closed.ts.toString(),
          released: (20n * C).toString(),
        });
        const events = (incident as unknown as { events: Record<string, unknown>[] }).events;
        const at = (m: Mined, logIndex = 0) => ({
          chainId: 31337,
          blockNumber: m.block.toString(),
          blockTimestamp: m.ts.toString(),
          txHash: m.hash,
          logIndex,
        });
        expect(events).to.deep.equal([
          {
            kind: "Opened",
            amount: (30n * C).toString(),
            claimed: null,
            leafIndex: null,
            account: null,
            actor: DEPLOYER,
            noteHash: note("incident-1"),
            ...at(s.i1Opened),
          },
          {
            kind: "Claimed",
            amount: (10n * C).toString(),
            claimed: null,
            leafIndex: "0",
            account: ALICE,
            actor: RELAYER,
            noteHash: null,
            ...at(s.i1Claimed),
          },
          {
            kind: "Closed",
            amount: (20n * C).toString(),
            claimed: (10n * C).toString(),
            leafIndex: null,
            account: null,
            actor: BOB,
            noteHash: null,
            ...at(s.i1Closed, 1),
          },
        ]);
        expect((await getJson(ponder, "/v1/incidents/1/claims/0")).body).to.deep.equal({
          incidentId: "1",
          index: "0",
          claimed: true,
          claim: {
            account: ALICE,
            amount: (10n * C).toString(),
            sender: RELAYER,
            blockNumber: s.i1Claimed.block.toString(),
            blockTimestamp: s.i1Claimed.ts.toString(),
            txHash: s.i1Claimed.hash,
          },
        });
        expect((await getJson(ponder, "/v1/incidents/1/claims/1")).body).to.deep.equal({
          incidentId: "1",
          index: "1",
          claimed: false,
          claim: null,
        });
      });

      it("serves a staker's tier and a project's coverage", async function () {
        expect((await getJson(ponder, `/v1/stakers/${ALICE.toLowerCase()}`)).body).to.deep.equal({
          account: ALICE,
          stake: (1_200n * C).toString(),
          pendingUnstake: "0",
          pendingRequests: 0,
          withdrawn: (300n * C).toString(),
          nominalTier: 2,
          tierEffectiveAt: (s.staked.ts + 60n).toString(),
          slaFactorBps: 4_000,
          discountBps: 4_000,
        });
        expect((await getJson(ponder, `/v1/stakers/${BOB}`)).body).to.deep.include({
          account: BOB,
          stake: "0",
          nominalTier: 0,
          tierEffectiveAt: null,
          slaFactorBps: 10_000,
        });
        const coverage = (await getJson(ponder, `/v1/coverage/${PROJECT.toLowerCase()}`)).body as Record<
          string,
          unknown
        >;
        expect(coverage).to.deep.include({
          beneficiary: PROJECT,
          coveredUntil: (s.boughtStable.ts + 60n * DAY).toString(),
          slaFactorBps: 5_000,
          lastPackageId: "2",
          purchaseCount: 2,
        });
        expect(
          (coverage.purchases as { packageId: string; buyer: string }[]).map((p) => [p.packageId, p.buyer]),
        ).to.deep.equal([
          ["2", ALICE],
          ["1", PROJECT],
        ]);
        expect(
          (coverage.bookings as { packageId: string; buyer: string; start: string; end: string }[]).map((b) => [
            b.packageId,
            b.buyer,
            b.start,
            b.end,
          ]),
        ).to.deep.equal([
          ["4", ALICE, (s.standbyStart + 10n * DAY).toString(), (s.standbyStart + 11n * DAY).toString()],
          ["3", PROJECT, s.standbyStart.toString(), (s.standbyStart + 3n * DAY).toString()],
        ]);
      });

      it("answers bad input and unknown ids with the one JSON error shape", async function () {
        expect(await getJson(ponder, "/v1/stakers/0x1234")).to.deep.equal({
          status: 400,
          body: { error: { code: "bad_request", message: "invalid account: not an address" } },
        });
        expect(await getJson(ponder, "/v1/claims/abc")).to.deep.equal({
          status: 400,
          body: { error: { code: "bad_request", message: "invalid claim id: not a decimal integer" } },
        });
        expect(await getJson(ponder, `/v1/claimants/${BOB}/claims?limit=0`)).to.deep.include({ status: 400 });
        expect(await getJson(ponder, "/v1/claims/99999")).to.deep.equal({
          status: 404,
          body: { error: { code: "not_found", message: "no claim 99999" } },
        });
        expect(await getJson(ponder, "/v1/incidents/9/claims/0")).to.deep.equal({
          status: 404,
          body: { error: { code: "not_found", message: "no incident 9" } },
        });
      });
    });

    describe("live", function () {
      it("indexes a new claim and its acceptance within the live sync", async function () {
        const pool = deployment.addresses.CompensationPool;
        const id = BigInt(6 + FILLER_CLAIMS);
        const submitted = await send(
          chain,
          ALICE,
          pool,
          encodeFunctionData({
            abi: CompensationPoolAbi,
            functionName: "submitClaim",
            args: [0, 3n * C, note("live")],
          }),
        );
        const accepted = await send(
          chain,
          ASSESSOR,
          pool,
          encodeFunctionData({
            abi: CompensationPoolAbi,
            functionName: "acceptClaim",
            args: [id, note("live-accept")],
          }),
        );
        await ponder.waitForBlock(accepted.block, 10_000);
        const { body } = await getJson(ponder, `/v1/claims/${id}`);
        const { claim, timeline } = body as { claim: Record<string, unknown>; timeline: unknown[] };
        expect(claim).to.include({
          status: "Accepted",
          claimant: ALICE,
          // Alice's 1,200 C: tier 2 (factor 40%) on MissingReward's 900 s → 360 s.
          tier: 2,
          responseDeadline: (submitted.ts + 360n).toString(),
          acceptedAt: accepted.ts.toString(),
          lastNoteHash: note("live-accept"),
        });
        expect(timeline).to.have.length(2);
      });

      it("follows a reorg: an approval and an incident opened on the abandoned branch vanish, the new chain's rejection stays", async function () {
        const pool = deployment.addresses.CompensationPool;
        const id = BigInt(6 + FILLER_CLAIMS);
        const before = await dumpTables(ponder);
        const statsBefore = before.poolStats[0]!;
        const snapshot = await chain.snapshot();
        const approved = await send(
          chain,
          ASSESSOR,
          pool,
          encodeFunctionData({ abi: CompensationPoolAbi, functionName: "approveClaim", args: [id, 2n * C, zeroHash] }),
        );
        const opened = await send(
          chain,
          DEPLOYER,
          pool,
          encodeFunctionData({
            abi: CompensationPoolAbi,
            functionName: "openIncident",
            args: [s.root, 3n * C, Number(approved.ts + 100_000n), note("reorg-incident")],
          }),
        );
        await ponder.waitForBlock(opened.block, 10_000);
        const paid = (await getJson(ponder, `/v1/claims/${id}`)).body as {
          claim: { status: string; amountPaid: string };
        };
        expect(paid.claim).to.include({ status: "Paid", amountPaid: (2n * C).toString() });
        const incident = (await getJson(ponder, "/v1/incidents/4")).body as { events: { kind: string; txHash: Hex }[] };
        expect(incident.events.map((e) => [e.kind, e.txHash])).to.deep.equal([["Opened", opened.hash]]);

        await chain.revert(snapshot);
        // A longer replacement branch (3 blocks against 2): a rejection, then two empty blocks.
        const rejected = await send(
          chain,
          ASSESSOR,
          pool,
          encodeFunctionData({
            abi: CompensationPoolAbi,
            functionName: "rejectClaim",
            args: [id, note("reorg-reject")],
          }),
        );
        await chain.mine(2);
        expect(rejected.block).to.equal(approved.block);
        await until(async () => {
          const { body } = await getJson(ponder, `/v1/claims/${id}`);
          return (body as { claim: { status: string } }).claim.status === "Rejected";
        });
        const { body } = await getJson(ponder, `/v1/claims/${id}`);
        const { claim, timeline } = body as {
          claim: Record<string, unknown>;
          timeline: { status: string; txHash: string }[];
        };
        expect(claim).to.include({
          status: "Rejected",
          amountApproved: "0",
          amountPaid: "0",
          approvedAt: null,
          paidAt: null,
          closedAt: rejected.ts.toString(),
          lastNoteHash: note("reorg-reject"),
        });
        expect(timeline.map((t) => t.status)).to.deep.equal(["Submitted", "Accepted", "Rejected"]);
        expect(timeline.some((t) => t.txHash === approved.hash)).to.equal(false);
        const after = await dumpTables(ponder);
        const statsAfter = after.poolStats[0]!;
        expect(statsAfter.paid).to.equal(statsBefore.paid);
        expect(statsAfter.claimsPaid).to.equal(statsBefore.claimsPaid);
        expect(statsAfter.budgetUsed).to.equal(statsBefore.budgetUsed);
        expect(statsAfter.reserved).to.equal(statsBefore.reserved);
        expect(statsAfter.incidentCount).to.equal(statsBefore.incidentCount);
        // The incident's row and its log row went with the abandoned branch.
        expect(after.incidents).to.deep.equal(before.incidents);
        expect(after.incidentEvents).to.deep.equal(before.incidentEvents);
        expect(await getJson(ponder, "/v1/incidents/4")).to.deep.include({ status: 404 });
      });
    });

    // A nested suite: mocha runs a suite's own tests before its children, and this one must
    // compare against the main indexer after the live and reorg tests.
    describe("restart", function () {
      it("resumes after a stop in the middle of the backfill with the same rows, none duplicated", async function () {
        this.timeout(180_000);
        const schemaName = freshSchemaName("restart");
        // One bucket (20 requests/s): a backfill slow enough to stop half-way through.
        const first = await launch({ schema: schemaName, rpcBuckets: 1, waitFor: "listening" });
        const finalized = Number(await chain.blockNumber()) - FINALITY;
        let indexedAtStop = 0;
        const deadline = Date.now() + 60_000;
        for (;;) {
          const chains = Object.values(await first.status().catch(() => ({})));
          const block = chains[0]?.block.number ?? 0;
          if (block > deployment.startBlock) {
            indexedAtStop = block;
            break;
          }
          if (Date.now() > deadline) throw new Error("backfill never committed a batch");
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await first.stop();
        expect(indexedAtStop).to.be.lessThan(finalized);

        const second = await launch({
          schema: schemaName,
          database: first.database.kind === "pglite" ? first.database : database(),
        });
        const tip = await chain.blockNumber();
        await second.waitForBlock(tip);
        await ponder.waitForBlock(tip);
        expect((await second.logs()).some((l) => l.msg === "Detected crash recovery")).to.equal(true);
        const resumed = await dumpTables(second);
        const reference = await dumpTables(ponder);
        expect(resumed).to.deep.equal(reference);
        expect(resumed.claims).to.have.length(6 + FILLER_CLAIMS);
        await second.stop({ releaseLock: false });
      });
    });

    // After "restart": it counts the claims, and this suite adds more.
    describe("SQL over HTTP (@ponder/client)", function () {
      /** Sends every call from `from` into one block; returns the block number. */
      async function inOneBlock(from: Address, data: Hex[]): Promise<bigint> {
        const pool = deployment.addresses.CompensationPool;
        await chain.setAutomine(false);
        try {
          const hashes = await chain.sendTransactions(data.map((d) => ({ from, to: pool, data: d, gas: 300_000n })));
          await chain.mine(1);
          const receipts = await chain.receipts(hashes);
          expect(receipts.filter((r) => r.status !== "0x1")).to.deep.equal([]);
          expect(new Set(receipts.map((r) => r.blockNumber)).size).to.equal(1);
          return BigInt(receipts[0]!.blockNumber);
        } finally {
          await chain.setAutomine(true);
        }
      }

      it("reads what GraphQL and REST read after blocks that each updated more than 20 rows of a table", async function () {
        const count = 25;
        const firstId = BigInt((await dumpTables(ponder)).claims.length + 1);
        const ids = Array.from({ length: count }, (_, i) => firstId + BigInt(i));
        const call = (functionName: "acceptClaim" | "markInvestigating", id: bigint) =>
          encodeFunctionData({ abi: CompensationPoolAbi, functionName, args: [id, note(functionName)] });
        await inOneBlock(
          BOB,
          ids.map((id) =>
            encodeFunctionData({
              abi: CompensationPoolAbi,
              functionName: "submitClaim",
              args: [0, C, note(`sql-${id}`)],
            }),
          ),
        );
        const client = createClient(`${ponder.url}/sql`, { schema });
        // /sql/live answers 503 until its own poll (once a second) has seen /ready's flag, which
        // can be after /status shows the tip when this test runs alone. Without `sql` a ready
        // endpoint answers 400 (and counts one live query that never ends, of Ponder's 1,000).
        await until(async () => (await fetch(`${ponder.url}/sql/live`)).status !== 503, 10_000);
        // A live query (what wakes the service's feed) reads through the same path as /sql/db.
        let liveInvestigating: number | undefined;
        let liveError: Error | undefined;
        const live = client.live(
          (db) => db.select({ n: count_() }).from(schema.claims).where(eq(schema.claims.status, "Investigating")),
          (rows) => (liveInvestigating = rows[0]?.n),
          (error) => (liveError = error),
        );

        try {
          // 25 claims already in the table, each updated by one block: Ponder flushes more than 20
          // updates to `claims` at once (indexing-store/cache.ts, LOW_BATCH_THRESHOLD), twice.
          for (const step of ["acceptClaim", "markInvestigating"] as const) {
            const block = await inOneBlock(
              ASSESSOR,
              ids.map((id) => call(step, id)),
            );
            await ponder.waitForBlock(block, 10_000);
            const viaGraphql = (await dumpTables(ponder)).claims;
            const expected = step === "acceptClaim" ? "Accepted" : "Investigating";
            expect(viaGraphql.filter((c) => c.id >= firstId).map((c) => c.status)).to.deep.equal(
              ids.map(() => expected),
            );
            // /sql keeps each query's answer until its LISTEN connection hears that a table
            // changed. On PostgreSQL that notification arrives asynchronously, after the commit
            // that /status already shows, so the previous step's answer may still be served for a
            // moment; a flush that never notified would leave it stale until a garbage collection.
            const readSql = async () =>
              (await client.db.select().from(schema.claims)).sort((a, b) => byBigint(a.id, b.id));
            const agrees = async () => {
              try {
                expect(await readSql()).to.deep.equal(viaGraphql);
                return true;
              } catch {
                return false;
              }
            };
            await until(agrees, 5_000).catch(() => undefined);
            expect(await readSql()).to.deep.equal(viaGraphql);
          }
          const fresh = await client.db
            .select()
            .from(schema.claims)
            .where(gt(schema.claims.id, firstId - 1n));
          expect(fresh).to.have.length(count);
          for (const row of fresh) {
            const { body } = await getJson(ponder, `/v1/claims/${row.id}`);
            const { claim } = body as { claim: { status: string; acceptedAt: string; investigatingAt: string } };
            expect([row.status, String(row.acceptedAt), String(row.investigatingAt)]).to.deep.equal([
              claim.status,
              claim.acceptedAt,
              claim.investigatingAt,
            ]);
          }
          await until(async () => liveError !== undefined || liveInvestigating === count, 10_000);
        } finally {
          // An open live query would keep the test process alive.
          live.unsubscribe();
        }
        expect(liveError).to.equal(undefined);
      });
    });

    describe("tier table changes", function () {
      it("marks rows beyond a shorter table inactive and re-derives every staker's nominal tier", async function () {
        const shorter = [
          { thresholdWholeC: 0, slaFactorBps: 10_000, discountBps: 3_000 },
          { thresholdWholeC: 1_100, slaFactorBps: 5_000, discountBps: 3_500 },
        ];
        const configured = await send(
          chain,
          DEPLOYER,
          deployment.addresses.CStaking,
          encodeFunctionData({ abi: CStakingAbi, functionName: "configureTiers", args: [shorter] }),
        );
        await ponder.waitForBlock(configured.block, 10_000);
        const after = await dumpTables(ponder);
        expect(after.tiers).to.deep.equal([
          { tier: 0, threshold: 0n, thresholdWholeC: 0n, slaFactorBps: 10_000, discountBps: 3_000, active: true },
          {
            tier: 1,
            threshold: 1_100n * C,
            thresholdWholeC: 1_100n,
            slaFactorBps: 5_000,
            discountBps: 3_500,
            active: true,
          },
          // Kept for history, no longer in force.
          {
            tier: 2,
            threshold: 1_200n * C,
            thresholdWholeC: 1_200n,
            slaFactorBps: 4_000,
            discountBps: 4_000,
            active: false,
          },
        ]);
        expect(after.settings.find((r) => r.name === "tierCount")).to.deep.equal({
          contract: "CStaking",
          name: "tierCount",
          value: "2",
          updatedAt: configured.ts,
        });
        // Alice's 1,200 C was tier 2 of the old table; tier 1 is the highest of the new one.
        expect(after.stakers.map((r) => [r.account, r.stake, r.nominalTier])).to.deep.equal([
          [lower(ALICE), 1_200n * C, 1],
        ]);
        expect((await getJson(ponder, `/v1/stakers/${ALICE}`)).body).to.deep.include({
          nominalTier: 1,
          slaFactorBps: 5_000,
          discountBps: 3_500,
        });
      });
    });
  });
}
