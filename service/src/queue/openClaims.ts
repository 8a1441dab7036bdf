/**
 * The open claims in queue order (the deadline each waits on, then the id), kept sorted as claims
 * come and go, so that a page costs a few binary searches plus the page — not a sort, and not a
 * walk over the claims in front of it — at 100,000 open claims as at 100.
 *
 * Two sorted arrays: claims waiting on a response or resolution deadline (Submitted, Accepted,
 * Investigating), and approved claims, which wait on their payable time and leave the queue once
 * it has come (judged per request against `now`). Where a page starts in each is a binary search
 * (the cursor, the payable time, the `breached` bound), and the page merges the two. A change is a
 * binary search and an insertion or removal in one array (a memmove of what follows: microseconds
 * at 100,000 claims). Only `kind` and `tier` are filters that walk past claims.
 */
import type { QueueQuery, QueueRecord } from "../indexer/reader.js";

/** Queue order: the deadline waited on, then the id (the SQL queue's order and cursor). */
export function byQueueOrder(a: QueueRecord, b: QueueRecord): number {
  if (a.deadline !== b.deadline) return a.deadline < b.deadline ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The first index whose record is not before (deadline, id) in queue order, or after it when `strict`. */
function boundOf(order: readonly QueueRecord[], deadline: bigint, id: bigint, strict: boolean): number {
  let lo = 0;
  let hi = order.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const m = order[mid]!;
    const before = m.deadline < deadline || (m.deadline === deadline && (strict ? m.id <= id : m.id < id));
    if (before) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first index whose deadline is at least `deadline`. */
const firstAtLeast = (order: readonly QueueRecord[], deadline: bigint) => boundOf(order, deadline, -1n, false);

export class OpenClaimsQueue {
  private readonly byId = new Map<bigint, QueueRecord>();
  /** Submitted, Accepted and Investigating claims, in queue order. */
  private readonly waiting: QueueRecord[] = [];
  /** Approved claims, in queue order (their deadline is the payable time). */
  private readonly approved: QueueRecord[] = [];

  /** Claims held. */
  get size(): number {
    return this.byId.size;
  }

  /** Fills an empty queue in one go (one sort per array instead of an insertion per claim). */
  static of(records: Iterable<QueueRecord>): OpenClaimsQueue {
    const queue = new OpenClaimsQueue();
    for (const r of records) queue.byId.set(r.id, r);
    for (const r of queue.byId.values()) queue.arrayOf(r).push(r);
    queue.waiting.sort(byQueueOrder);
    queue.approved.sort(byQueueOrder);
    return queue;
  }

  /** Puts a claim in (replacing what it was). */
  set(record: QueueRecord): void {
    this.delete(record.id);
    this.byId.set(record.id, record);
    const order = this.arrayOf(record);
    order.splice(boundOf(order, record.deadline, record.id, false), 0, record);
  }

  /** Takes a claim out (it left the queue, or its row is gone). */
  delete(id: bigint): void {
    const record = this.byId.get(id);
    if (record === undefined) return;
    this.byId.delete(id);
    const order = this.arrayOf(record);
    const i = boundOf(order, record.deadline, record.id, false);
    if (order[i] !== record) throw new Error(`open claims queue: claim ${id} is missing from its order`);
    order.splice(i, 1);
  }

  /** One page, as the reader's `queue(query)` answers it (copies of the records). */
  page(query: QueueQuery): QueueRecord[] {
    const { now, after } = query;
    const start = (order: readonly QueueRecord[]) =>
      after === undefined ? 0 : boundOf(order, after.deadline, after.id, true);
    // Waiting claims: breached ones (deadline before now) come first.
    const due = firstAtLeast(this.waiting, now);
    let i = start(this.waiting);
    let iEnd = this.waiting.length;
    if (query.breached === true) iEnd = due;
    if (query.breached === false) i = Math.max(i, due);
    // Approved claims are in the queue only until their payable time, which is their deadline:
    // those left are never breached.
    let j = Math.max(start(this.approved), boundOf(this.approved, now, 2n ** 256n, true));
    const jEnd = query.breached === true ? j : this.approved.length;
    const out: QueueRecord[] = [];
    const wanted = (r: QueueRecord) =>
      (query.kind === undefined || r.kind === query.kind) && (query.tier === undefined || r.tier === query.tier);
    while (out.length < query.limit && (i < iEnd || j < jEnd)) {
      const a = i < iEnd ? this.waiting[i] : undefined;
      const b = j < jEnd ? this.approved[j] : undefined;
      let next: QueueRecord;
      if (b === undefined || (a !== undefined && byQueueOrder(a, b) < 0)) {
        next = a!;
        i++;
      } else {
        next = b;
        j++;
      }
      if (wanted(next)) out.push({ ...next });
    }
    return out;
  }

  private arrayOf(record: QueueRecord): QueueRecord[] {
    return record.status === "Approved" ? this.approved : this.waiting;
  }
}
