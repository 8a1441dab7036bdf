/**
 * The claim vocabulary every part shares (contracts → indexer → service → page and CLI): statuses
 * and kinds in the CompensationPool's enum order, and the deadline states.
 */

/** `ClaimStatus` without `None` (index 0): the on-chain value of each is its index here + 1. */
export const CLAIM_STATUSES = [
  "Submitted",
  "Accepted",
  "Investigating",
  "Approved",
  "Paid",
  "Rejected",
  "Cancelled",
] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

/** Claims still waiting for someone. */
export const OPEN_STATUSES = ["Submitted", "Accepted", "Investigating", "Approved"] as const satisfies ClaimStatus[];

/** `ClaimKind`: the on-chain value of each is its index here. */
export const CLAIM_KINDS = ["MissingReward", "DataApiOutage", "RedemptionToolFailure", "Other"] as const;
export type ClaimKind = (typeof CLAIM_KINDS)[number];

/** A kind as people type it on the command line: `DataApiOutage` ⇄ `data-api-outage`. */
export const kindSlug = (kind: ClaimKind) =>
  kind.replace(/[A-Z]/g, (c, i: number) => (i === 0 ? "" : "-") + c.toLowerCase());

/** The status of an on-chain `ClaimStatus` value (0 = None → undefined). */
export const statusOf = (value: number | bigint): ClaimStatus | undefined => CLAIM_STATUSES[Number(value) - 1];

/** Where a claim stands against the deadline it waits on (or met, once done in time). */
export const SLA_STATES = ["on-track", "at-risk", "breached", "met"] as const;
export type SlaState = (typeof SLA_STATES)[number];
