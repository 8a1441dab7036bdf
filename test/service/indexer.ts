/**
 * The indexer's tables in a test database, and fixtures for them: claims with consistent
 * transitions, built from a list of steps the way the indexer would write them.
 */
import { sql } from "drizzle-orm";
import type { Address, Hex } from "viem";

import { claims, claimTransitions, tiers } from "../../indexer/ponder.schema.js";
import type { Database, DatabaseHandle } from "../../service/src/db/client.js";
import { indexerDdl } from "../../service/src/indexer/ddl.js";
import {
  createIndexerReader,
  type ChainHead,
  type ClaimKind,
  type ClaimStatus,
  type IndexerReader,
} from "../../service/src/indexer/reader.js";
import { freshDatabase } from "./helpers.js";

/** A fresh database holding the indexer's (empty) tables. */
export async function freshIndexerDatabase(engine: "pglite" | "postgres"): Promise<DatabaseHandle> {
  const handle = await freshDatabase(engine);
  for (const statement of indexerDdl()) await handle.db.execute(sql.raw(statement));
  return handle;
}

/** Unix seconds used as the origin of fixtures: block n is mined at T0 + n. */
export const T0 = 1_750_000_000n;

export const ALICE: Address = "0x70997970C51812Dc3A010c7D01B50E20D17Dc79C";
export const BOB: Address = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
export const ASSESSOR: Address = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";

export type Step = { status: ClaimStatus; at: bigint; block?: bigint; logIndex?: number };

export type ClaimSpec = {
  id: bigint;
  claimant?: Address;
  kind?: ClaimKind;
  tier?: number;
  submittedAt: bigint;
  /** Seconds from submission to the response deadline (default 600: ten minutes). */
  responseWindow?: bigint;
  /** Seconds from submission to the resolution deadline (default 4 h). */
  resolutionWindow?: bigint;
  amountRequested?: bigint;
  amountApproved?: bigint;
  lateCredit?: bigint;
  /** Defaults to the approval time (a small claim, payable at once). */
  payableAt?: bigint;
  steps?: Step[];
  /** Leave the Submitted transition out (the indexer may only record later ones). */
  noSubmittedTransition?: boolean;
};

const hex = (n: bigint, bytes = 32): Hex => `0x${n.toString(16).padStart(bytes * 2, "0")}`;
const blockAt = (at: bigint) => at - T0;

/** The claims row and transitions the indexer would hold for a claim that went through `steps`. */
export function buildClaim(spec: ClaimSpec) {
  const steps = spec.steps ?? [];
  const at = (status: ClaimStatus) => steps.find((s) => s.status === status)?.at ?? null;
  const last = steps[steps.length - 1];
  const status: ClaimStatus = last?.status ?? "Submitted";
  const approved = at("Approved");
  const amountApproved = approved === null ? 0n : (spec.amountApproved ?? spec.amountRequested ?? 10n ** 18n);
  const lateCredit = spec.lateCredit ?? 0n;
  const submittedBlock = blockAt(spec.submittedAt);
  const claim: typeof claims.$inferInsert = {
    id: spec.id,
    claimant: spec.claimant ?? ALICE,
    kind: spec.kind ?? "MissingReward",
    status,
    tier: spec.tier ?? 0,
    evidenceHash: hex(spec.id + 1000n),
    gasless: false,
    amountRequested: spec.amountRequested ?? 10n ** 18n,
    amountApproved,
    lateCredit,
    amountPaid: status === "Paid" ? amountApproved + lateCredit : 0n,
    responseDeadline: spec.submittedAt + (spec.responseWindow ?? 600n),
    resolutionDeadline: spec.submittedAt + (spec.resolutionWindow ?? 14_400n),
    submittedAt: spec.submittedAt,
    acceptedAt: at("Accepted"),
    investigatingAt: at("Investigating"),
    approvedAt: approved,
    payableAt: approved === null ? null : (spec.payableAt ?? approved),
    paidAt: at("Paid"),
    closedAt: at("Rejected") ?? at("Cancelled"),
    lastNoteHash: hex(BigInt(steps.length)),
    submittedBlock,
    submittedTx: hex(spec.id * 100n),
    updatedBlock: last === undefined ? submittedBlock : (last.block ?? blockAt(last.at)),
    updatedAt: last?.at ?? spec.submittedAt,
  };
  const all: Step[] = spec.noSubmittedTransition ? steps : [{ status: "Submitted", at: spec.submittedAt }, ...steps];
  const transitions: Array<typeof claimTransitions.$inferInsert> = all.map((s, i) => {
    const block = s.block ?? blockAt(s.at);
    return {
      id: `${spec.id}-${i}`,
      chainId: 31337,
      claimId: spec.id,
      status: s.status,
      actor: s.status === "Submitted" || s.status === "Cancelled" ? (spec.claimant ?? ALICE) : ASSESSOR,
      noteHash: hex(BigInt(i)),
      blockNumber: block,
      blockTimestamp: s.at,
      txHash: hex(spec.id * 100n + BigInt(i)),
      logIndex: s.logIndex ?? 0,
    };
  });
  return { claim, transitions };
}

export async function insertClaims(db: Database, specs: ClaimSpec[]): Promise<void> {
  const built = specs.map(buildClaim);
  for (let i = 0; i < built.length; i += 500) {
    const chunk = built.slice(i, i + 500);
    await db.insert(claims).values(chunk.map((b) => b.claim));
    const transitions = chunk.flatMap((b) => b.transitions);
    if (transitions.length > 0) await db.insert(claimTransitions).values(transitions);
  }
}

/** Standard (10000 bps) and Priority (5000 bps: deadlines 50% shorter). */
export async function insertTiers(db: Database): Promise<void> {
  await db.insert(tiers).values([
    { tier: 0, threshold: 0n, thresholdWholeC: 0n, slaFactorBps: 10_000, discountBps: 0, active: true },
    {
      tier: 1,
      threshold: 1000n * 10n ** 18n,
      thresholdWholeC: 1000n,
      slaFactorBps: 5_000,
      discountBps: 3_000,
      active: true,
    },
  ]);
}

/** A reader over the test database whose chain head the test sets. */
export function testReader(db: Database, head: { current: ChainHead }): IndexerReader {
  return createIndexerReader({ db, head: async () => head.current });
}

/** A reader for apps whose test never reaches the indexer: every read fails as if it were down. */
export function offlineIndexer(): IndexerReader {
  const down = async (): Promise<never> => {
    throw new Error("connect ECONNREFUSED 127.0.0.1:42069");
  };
  return {
    head: down,
    claim: down,
    timeline: down,
    transitions: down,
    claimsByAccount: down,
    queue: down,
    stats: down,
  };
}
