/**
 * Which breach credits a claim can be paid now: the pool's own rule (`claimNoResponseCredit`,
 * `claimResolutionCredit`), judged at `now` by the chain's clock:
 * - no response: still `Submitted` after the response deadline (`block.timestamp > deadline`);
 * - resolution: still `Submitted`, `Accepted` or `Investigating` after the resolution deadline;
 * - each at most once per claim (none paid yet), and only while the credit is on (above 0).
 * The pool also requires the claimant's standing when filing (a tier above 0 or package coverage),
 * which no event records: a credit listed here is refused for a claim filed without it.
 */
import { breachKind } from "../../../indexer/ponder.schema.js";
import type { BreachCreditTerms, ClaimStatus, QueueRecord } from "../indexer/reader.js";

export type BreachKind = (typeof breachKind.enumValues)[number];
export const BREACH_KINDS = breachKind.enumValues;

export type CreditDue = { kind: BreachKind; amount: bigint };

const UNRESOLVED: ReadonlySet<ClaimStatus> = new Set(["Submitted", "Accepted", "Investigating"]);

export function creditsDue(
  claim: Pick<
    QueueRecord,
    "status" | "responseDeadline" | "resolutionDeadline" | "noResponseCredit" | "resolutionCredit"
  >,
  now: bigint,
  terms: BreachCreditTerms,
): CreditDue[] {
  const due: CreditDue[] = [];
  if (
    claim.status === "Submitted" &&
    now > claim.responseDeadline &&
    claim.noResponseCredit === 0n &&
    terms.noResponse > 0n
  ) {
    due.push({ kind: "NoResponse", amount: terms.noResponse });
  }
  if (
    UNRESOLVED.has(claim.status) &&
    now > claim.resolutionDeadline &&
    claim.resolutionCredit === 0n &&
    terms.resolution > 0n
  ) {
    due.push({ kind: "Resolution", amount: terms.resolution });
  }
  return due;
}
