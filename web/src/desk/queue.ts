/**
 * The desk's queue between two polls: each claim's countdown from the service's clock, its
 * deadline state as it stands now, and the filters the assessor chose. Pure, so it is tested
 * without a page.
 */
import type { ClaimKind, SlaState } from "../../../common/claims.js";
import type { DeskAssignment, QueueItem } from "../api.js";

export type DeadlineFilter = "all" | "breached" | "open";
export type AssignmentFilter = "all" | "unassigned" | "mine";
export type Filters = {
  kind: ClaimKind | "all";
  tier: number | "all";
  deadline: DeadlineFilter;
  assigned: AssignmentFilter;
};
export const NO_FILTERS: Filters = { kind: "all", tier: "all", deadline: "all", assigned: "all" };

/** A queue item as it stands at `now` (service seconds): seconds left and the state. */
export type LiveItem = QueueItem & { left: number; live: SlaState };

/**
 * The state at `now`: the service's (on track or at risk, judged at its `now`) until the deadline
 * passes, breached after; a payout's delay is never breached, it just ends.
 */
export function live(item: QueueItem, now: number): LiveItem {
  const left = item.deadline - now;
  const live: SlaState = left <= 0 && item.deadlineKind !== "payable" ? "breached" : item.state;
  return { ...item, left, live };
}

/** The items the filters let through, nearest deadline first, as they stand at `now`. */
export function visible(
  items: readonly QueueItem[],
  assignments: readonly DeskAssignment[],
  filters: Filters,
  me: string,
  now: number,
): LiveItem[] {
  const holder = new Map(assignments.map((a) => [a.claimId, a.assessor.toLowerCase()]));
  return items
    .map((i) => live(i, now))
    .filter((i) => filters.kind === "all" || i.kind === filters.kind)
    .filter((i) => filters.tier === "all" || i.tier === filters.tier)
    .filter((i) => filters.deadline === "all" || (i.live === "breached") === (filters.deadline === "breached"))
    .filter((i) => {
      const held = holder.get(i.id);
      if (filters.assigned === "unassigned") return held === undefined;
      if (filters.assigned === "mine") return held === me.toLowerCase();
      return true;
    })
    .sort((a, b) => a.deadline - b.deadline || Number(BigInt(a.id) - BigInt(b.id)));
}

/** How many claims are at risk at `now` (the page's title counts them). */
export const atRisk = (items: readonly QueueItem[], now: number) =>
  items.filter((i) => live(i, now).live === "at-risk").length;
