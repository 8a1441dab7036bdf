/**
 * What a person sees about a claim: its stages in their language, each with the time it was
 * reached (and the transaction), the deadline it is held to and how that deadline stands, and
 * whether the chain has confirmed it enough to call it final.
 */
import type { Hex } from "viem";

import { checksummed } from "../http/address.js";
import type { ChainHead, ClaimRecord, ClaimStatus, DeadlineKind, TransitionRecord } from "../indexer/reader.js";
import { kindText, pendingFinalityText, stageText, stateText, type Language } from "./i18n.js";
import { CLOSED_STATUSES, deadlineState, openClaimState, respondedAt, resolvedAt, type SlaState } from "./sla.js";

export type TrackingPolicy = { finalityConfirmations: number; atRiskFraction: number };

/** The tracking policy the configuration sets, one for the router, the claim lane and the claim cache. */
export function trackingPolicy(config: { finalityConfirmations: number; slaAtRiskFraction: number }): TrackingPolicy {
  return { finalityConfirmations: config.finalityConfirmations, atRiskFraction: config.slaAtRiskFraction };
}

export type StageView = {
  stage: ClaimStatus;
  text: string;
  reached: boolean;
  /** Unix seconds of the block that reached this stage. */
  reachedAt: number | null;
  txHash: Hex | null;
  blockNumber: number | null;
  confirmations: number | null;
  pendingFinality: boolean;
  finalityText: string | null;
  /** The deadline this stage is held to, if any: response for Accepted, resolution for Approved/Rejected. */
  deadline: number | null;
  deadlineKind: "response" | "resolution" | null;
  state: SlaState | null;
  stateText: string | null;
};

export type SlaView = {
  deadlineKind: DeadlineKind;
  deadline: number;
  secondsLeft: number;
  state: SlaState;
  stateText: string;
};

export type ClaimSummaryView = {
  id: string;
  claimant: Hex;
  kind: ClaimRecord["kind"];
  status: ClaimStatus;
  statusText: string;
  kindText: string;
  tier: { level: number; slaFactorBps: number | null; priority: boolean };
  amounts: {
    requested: string;
    approved: string;
    lateCredit: string;
    /** Breach credits the pool paid because a deadline passed unanswered (no response) or unresolved. */
    noResponseCredit: string;
    resolutionCredit: string;
    paid: string;
  };
  submittedAt: number;
  deadlines: { response: number; resolution: number };
  /** The deadline the claim waits on now (null once closed or payable). */
  sla: SlaView | null;
};

export type ClaimView = ClaimSummaryView & {
  gasless: boolean;
  evidenceHash: Hex;
  lastNoteHash: Hex;
  payableAt: number | null;
  outcomes: { response: SlaState | null; resolution: SlaState | null };
  finality: { headBlock: number; required: number; confirmations: number; pending: boolean };
  timeline: StageView[];
};

const PATH: readonly ClaimStatus[] = ["Submitted", "Accepted", "Investigating", "Approved", "Paid"];

const secs = (v: bigint | null): number | null => (v === null ? null : Number(v));

function stageTime(claim: ClaimRecord, stage: ClaimStatus): bigint | null {
  switch (stage) {
    case "Submitted":
      return claim.submittedAt;
    case "Accepted":
      return claim.acceptedAt;
    case "Investigating":
      return claim.investigatingAt;
    case "Approved":
      return claim.approvedAt;
    case "Paid":
      return claim.paidAt;
    case "Rejected":
    case "Cancelled":
      return claim.status === stage ? claim.closedAt : null;
  }
}

function confirmationsOf(block: bigint, head: ChainHead): number {
  return head.number >= block ? Number(head.number - block) + 1 : 0;
}

export function claimSummary(
  claim: ClaimRecord,
  now: bigint,
  policy: TrackingPolicy,
  lang: Language,
): ClaimSummaryView {
  const open = openClaimState(claim, now, policy.atRiskFraction);
  return {
    id: claim.id.toString(),
    claimant: checksummed(claim.claimant),
    kind: claim.kind,
    kindText: kindText(claim.kind, lang),
    status: claim.status,
    statusText: stageText(claim.status, lang),
    tier: {
      level: claim.tier,
      slaFactorBps: claim.tierSlaFactorBps,
      priority: claim.tierSlaFactorBps !== null && claim.tierSlaFactorBps < 10_000,
    },
    amounts: {
      requested: claim.amountRequested.toString(),
      approved: claim.amountApproved.toString(),
      lateCredit: claim.lateCredit.toString(),
      noResponseCredit: claim.noResponseCredit.toString(),
      resolutionCredit: claim.resolutionCredit.toString(),
      paid: claim.amountPaid.toString(),
    },
    submittedAt: Number(claim.submittedAt),
    deadlines: { response: Number(claim.responseDeadline), resolution: Number(claim.resolutionDeadline) },
    sla:
      open === null || (open.kind === "payable" && open.deadline <= now)
        ? null
        : {
            deadlineKind: open.kind,
            deadline: Number(open.deadline),
            secondsLeft: Number(open.deadline - now),
            state: open.state,
            stateText: stateText(open.state, lang),
          },
  };
}

/**
 * The outcome of a deadline: met/breached once decided, on-track/at-risk while pending, null when
 * it never will be (the claimant cancelled before it passed without an answer).
 */
function outcome(
  claim: ClaimRecord,
  deadline: bigint,
  reachedAt: bigint | null,
  now: bigint,
  fraction: number,
): SlaState | null {
  if (claim.status === "Cancelled" && reachedAt === null) {
    return claim.closedAt !== null && claim.closedAt > deadline ? "breached" : null;
  }
  if (reachedAt === null && CLOSED_STATUSES.includes(claim.status)) return null;
  return deadlineState({ start: claim.submittedAt, deadline, reachedAt, now, atRiskFraction: fraction });
}

export function claimView(
  claim: ClaimRecord,
  transitions: TransitionRecord[],
  head: ChainHead,
  now: bigint,
  policy: TrackingPolicy,
  lang: Language,
): ClaimView {
  const required = policy.finalityConfirmations;
  // The latest transition to each status (a status is entered once; the latest wins regardless).
  const byStatus = new Map<ClaimStatus, TransitionRecord>();
  for (const t of transitions) byStatus.set(t.status, t);

  const closed = claim.status === "Rejected" || claim.status === "Cancelled";
  const current = PATH.indexOf(claim.status);
  const stages: ClaimStatus[] = PATH.filter(
    (stage, i) => stageTime(claim, stage) !== null || byStatus.has(stage) || (!closed && i > current),
  );
  if (closed) stages.push(claim.status);

  const timeline = stages.map((stage): StageView => {
    const t = byStatus.get(stage);
    const reachedAt = t?.blockTimestamp ?? stageTime(claim, stage);
    // Without a transition row the block is known only for submission and for the current stage.
    const block =
      t?.blockNumber ??
      (stage === "Submitted" ? claim.submittedBlock : stage === claim.status ? claim.updatedBlock : null);
    const txHash = t?.txHash ?? (stage === "Submitted" ? claim.submittedTx : null);
    const confirmations = block === null ? null : confirmationsOf(block, head);
    const pendingFinality = confirmations !== null && confirmations < required;

    let deadline: bigint | null = null;
    let deadlineKind: StageView["deadlineKind"] = null;
    if (stage === "Accepted") {
      deadline = claim.responseDeadline;
      deadlineKind = "response";
    } else if (stage === "Approved" || stage === "Rejected") {
      deadline = claim.resolutionDeadline;
      deadlineKind = "resolution";
    }
    const state =
      deadline === null
        ? null
        : deadlineState({ start: claim.submittedAt, deadline, reachedAt, now, atRiskFraction: policy.atRiskFraction });
    return {
      stage,
      text: stageText(stage, lang),
      reached: reachedAt !== null,
      reachedAt: secs(reachedAt),
      txHash: txHash ?? null,
      blockNumber: secs(block),
      confirmations,
      pendingFinality,
      finalityText:
        pendingFinality && confirmations !== null ? pendingFinalityText(confirmations, required, lang) : null,
      deadline: secs(deadline),
      deadlineKind,
      state,
      stateText: state === null ? null : stateText(state, lang),
    };
  });

  const latest = confirmationsOf(claim.updatedBlock, head);
  return {
    ...claimSummary(claim, now, policy, lang),
    gasless: claim.gasless,
    evidenceHash: claim.evidenceHash,
    lastNoteHash: claim.lastNoteHash,
    payableAt: secs(claim.payableAt),
    outcomes: {
      response: outcome(claim, claim.responseDeadline, respondedAt(claim), now, policy.atRiskFraction),
      resolution: outcome(claim, claim.resolutionDeadline, resolvedAt(claim), now, policy.atRiskFraction),
    },
    finality: { headBlock: Number(head.number), required, confirmations: latest, pending: latest < required },
    timeline,
  };
}
