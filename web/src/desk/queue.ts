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

/**
 * The service-side part of the filters (`GET /v1/queue`'s query): kind, tier and breached narrow
 * the whole queue, not only its first page. Assignment is the desk's own record, filtered here.
 */
export function queueQuery(filters: Filters): { kind?: ClaimKind; tier?: string; breached?: "true" | "false" } {
  return {
    ...(filters.kind === "all" ? {} : { kind: filters.kind }),
    ...(filters.tier === "all" ? {} : { tier: String(filters.tier) }),
    ...(filters.deadline === "all" ? {} : { breached: filters.deadline === "breached" ? "true" : "false" }),
  };
}

type Page = { items: QueueItem[]; now: number; nextCursor: string | null };

/**
 * The queue's first `pages` pages, following the service's cursors: the service orders the whole
 * queue by deadline, so page n+1 holds the next nearest deadlines. `more` says whether the service
 * has claims beyond them; `now` is the last page's clock.
 */
export async function readPages(
  read: (cursor: string | undefined) => Promise<Page>,
  pages: number,
): Promise<{ items: QueueItem[]; now: number; more: boolean }> {
  let page = await read(undefined);
  const items = [...page.items];
  for (let n = 1; n < pages && page.nextCursor !== null; n++) {
    page = await read(page.nextCursor);
    items.push(...page.items);
  }
  return { items, now: page.now, more: page.nextCursor !== null };
}

/** How many claims are at risk at `now` (the page's title counts them). */
export const atRisk = (items: readonly QueueItem[], now: number) =>
  items.filter((i) => live(i, now).live === "at-risk").length;
