/**
 * Deadlines and their states. One rule, used by tracking, the queue and the statistics (and
 * meant for the SLA watcher too, so an alert and the page never disagree):
 * - a claim waits on its response deadline until it is accepted (or rejected), then on its
 *   resolution deadline until approved or rejected; an approved claim waits for its payable time;
 * - a reached deadline is `met` when reached at or before it, else `breached`;
 * - a pending deadline is `breached` once now is past it, `at-risk` once less than
 *   `atRiskFraction` (default 25%) of its window is left — the window runs from submission, when
 *   the contract fixed both deadlines — and `on-track` before that.
 */
import type { ClaimRecord, ClaimStatus, DeadlineKind } from "../indexer/reader.js";

import { SLA_STATES, type SlaState } from "../../../common/claims.js";

export { SLA_STATES, type SlaState };

export type DeadlineInput = {
  /** When the clock started (unix seconds). */
  start: bigint;
  deadline: bigint;
  /** When the awaited step happened, if it did. */
  reachedAt?: bigint | null | undefined;
  now: bigint;
  atRiskFraction: number;
};

export function deadlineState({ start, deadline, reachedAt, now, atRiskFraction }: DeadlineInput): SlaState {
  if (reachedAt !== null && reachedAt !== undefined) return reachedAt <= deadline ? "met" : "breached";
  if (now > deadline) return "breached";
  const window = Number(deadline - start);
  const left = Number(deadline - now);
  return window <= 0 || left < atRiskFraction * window ? "at-risk" : "on-track";
}

/** Where an open claim stands: which deadline applies to it now. Null for a claim no one waits on. */
export function applicableDeadline(
  claim: Pick<ClaimRecord, "status" | "responseDeadline" | "resolutionDeadline" | "payableAt">,
): { kind: DeadlineKind; deadline: bigint } | null {
  switch (claim.status) {
    case "Submitted":
      return { kind: "response", deadline: claim.responseDeadline };
    case "Accepted":
    case "Investigating":
      return { kind: "resolution", deadline: claim.resolutionDeadline };
    case "Approved":
      return claim.payableAt === null ? null : { kind: "payable", deadline: claim.payableAt };
    default:
      return null;
  }
}

/**
 * The state of the deadline an open claim waits on at `now`. Waiting for the payable time (the
 * guardian's veto window) is not a promise to anyone, so it is always on track.
 */
export function openClaimState(
  claim: Pick<ClaimRecord, "status" | "submittedAt" | "responseDeadline" | "resolutionDeadline" | "payableAt">,
  now: bigint,
  atRiskFraction: number,
): { kind: DeadlineKind; deadline: bigint; state: SlaState } | null {
  const applies = applicableDeadline(claim);
  if (applies === null) return null;
  if (applies.kind === "payable") return { ...applies, state: "on-track" };
  return {
    ...applies,
    state: deadlineState({ start: claim.submittedAt, deadline: applies.deadline, now, atRiskFraction }),
  };
}

/** The first response: the acceptance, or the rejection of a claim never accepted. */
export function respondedAt(claim: Pick<ClaimRecord, "status" | "acceptedAt" | "closedAt">): bigint | null {
  return claim.acceptedAt ?? (claim.status === "Rejected" ? claim.closedAt : null);
}

/** The resolution: the approval, or the rejection. */
export function resolvedAt(claim: Pick<ClaimRecord, "status" | "approvedAt" | "closedAt">): bigint | null {
  return claim.approvedAt ?? (claim.status === "Rejected" ? claim.closedAt : null);
}

export const CLOSED_STATUSES: readonly ClaimStatus[] = ["Paid", "Rejected", "Cancelled"];
