/**
 * The station figures kept up to date claim by claim, so that GET /v1/stats costs a few binary
 * searches per figure instead of the reader's `stats` queries, which scan every claim.
 *
 * Each claim contributes, from its row alone (`contributionOf`): an acceptance and a resolution
 * duration (with the time they happened), a response and a resolution deadline outcome (with the
 * time it was decided), an open-claim entry (stage and the deadline it waits on), and a bucket of
 * the time-to-accept histogram. The ledger holds these in sorted arrays per group, and a changed
 * claim has its old contribution taken out and its new one put in. The definitions are those of
 * the SQL in ../indexer/reader.ts (durationsQuery, slaQuery, openQuery, acceptHistogramQuery),
 * which the ledger reproduces row for row; test/service/StatsLedger.ts checks that on random
 * histories.
 *
 * What depends on the clock is evaluated at `now`:
 * - deadline outcomes: decided ones are sorted by decision time, so a window's due and met are a
 *   binary search; an unanswered claim's missed deadline counts once the deadline is past, so
 *   those are sorted by deadline and counted between the window's start and now;
 * - open claims: each group's deadlines are sorted, and overdue is the count below now;
 * - durations in the 24 h and 7 d windows need percentiles, so each window keeps its own sorted
 *   durations: events are held in time order, and when the window's start moves the events it
 *   passes over are taken out (or put back, if the clock went back).
 *
 * Percentiles are nearest-rank, as in the SQL: the ⌈p·n⌉-th smallest value (no interpolation),
 * with ⌈0.9·n⌉ computed in integers (⌊(9n + 9) / 10⌋), as PostgreSQL does in numeric; Math.ceil
 * of the floating-point 0.9·n agrees for every n below 2·10⁷, but the integer form needs no check.
 * Means are the exact integer sum divided by n (the public figure rounds it).
 *
 * Memory: under 1 KB per claim (bench/scale.ts: 84 MB at 100,000 claims), most of it the
 * per-claim records kept so that a change can take out exactly what the claim put in, the rest
 * the sorted arrays (each duration and outcome time sits in a group array for each of three
 * dimensions, durations also in the two window arrays). A change costs O(claims) in the worst case
 * (an insertion into a sorted array moves what follows), a memmove that is a few milliseconds at
 * a million claims and usually much less, since new events land at the end.
 */
import type { Logger } from "../http/router.js";
import {
  MAX_IDS_PER_QUERY,
  OPEN_STATUSES,
  TIME_TO_ACCEPT_BUCKETS,
  type ClaimChangeReader,
  type ClaimStatus,
  type DurationRow,
  type HistogramRow,
  type OpenRow,
  type SlaRow,
  type StatsDimension,
  type StatsRows,
  type StatsSource,
  type StatsWindow,
} from "../indexer/reader.js";

const DAY = 86_400;
const SLIDING: Array<{ win: Exclude<StatsWindow, "all">; seconds: number }> = [
  { win: "24h", seconds: DAY },
  { win: "7d", seconds: 7 * DAY },
];
const METRICS = ["accept", "resolve"] as const;
const SLAS = ["response", "resolution"] as const;
type Metric = (typeof METRICS)[number];
type Sla = (typeof SLAS)[number];

/** A claim's share of the figures. Times are unix seconds. */
type Contribution = {
  /** Group keys `dim|key` this claim falls in: all, its kind, its tier. */
  keys: string[];
  durations: DurationEvent[];
  outcomes: Array<{ sla: Sla; at: number; met: boolean; pending: boolean }>;
  open: { group: string; stage: ClaimStatus; kind: string; tier: number; deadline: number } | undefined;
  accept: { tier: number; seconds: number } | undefined;
};

type DurationEvent = { metric: Metric; at: number; seconds: number; keys: string[] };

const OPEN: ReadonlySet<ClaimStatus> = new Set(OPEN_STATUSES);

const n = (v: bigint | null): number | null => (v === null ? null : Number(v));

/** One shared array of group keys per kind and tier, rather than three new strings per claim. */
const KEYS = new Map<string, string[]>();
function groupKeys(kind: string, tier: number): string[] {
  const id = `${kind}|${tier}`;
  let keys = KEYS.get(id);
  if (keys === undefined) KEYS.set(id, (keys = ["all|", `kind|${kind}`, `tier|${tier}`]));
  return keys;
}

/** What one claim row contributes: the SQL's definitions, claim by claim. */
export function contributionOf(c: StatsSource): Contribution {
  const kind = String(c.kind);
  const keys = groupKeys(kind, c.tier);
  const submitted = Number(c.submittedAt);
  const accepted = n(c.acceptedAt);
  const closed = n(c.closedAt);
  const rejected = c.status === "Rejected" ? closed : null;
  const durations: DurationEvent[] = [];
  if (accepted !== null) durations.push({ metric: "accept", at: accepted, seconds: accepted - submitted, keys });
  const resolvedAt = n(c.paidAt) ?? closed;
  // A paid or rejected claim always has its time; a row without one would be a broken indexer.
  if ((c.status === "Paid" || c.status === "Rejected") && resolvedAt !== null) {
    durations.push({ metric: "resolve", at: resolvedAt, seconds: resolvedAt - submitted, keys });
  }
  // The moment the claimant stopped waiting: a cancellation, else never (the SQL's `stop`).
  const stop = c.status === "Cancelled" ? closed : undefined;
  const outcomes: Contribution["outcomes"] = [];
  const outcome = (sla: Sla, answered: number | null, deadline: number) => {
    if (answered !== null && answered <= deadline) outcomes.push({ sla, at: answered, met: true, pending: false });
    else if (answered !== null) outcomes.push({ sla, at: deadline, met: false, pending: false });
    else if (stop === undefined) outcomes.push({ sla, at: deadline, met: false, pending: true });
    else if (stop !== null && deadline < stop) outcomes.push({ sla, at: deadline, met: false, pending: false });
  };
  outcome("response", accepted ?? rejected, Number(c.responseDeadline));
  outcome("resolution", n(c.approvedAt) ?? rejected, Number(c.resolutionDeadline));
  const open = OPEN.has(c.status)
    ? {
        group: `${c.status}|${kind}|${c.tier}`,
        stage: c.status,
        kind,
        tier: c.tier,
        // An approved claim waits for its payout, which is never overdue in the figures.
        deadline:
          c.status === "Submitted"
            ? Number(c.responseDeadline)
            : c.status === "Approved"
              ? Infinity
              : Number(c.resolutionDeadline),
      }
    : undefined;
  const accept = accepted === null ? undefined : { tier: c.tier, seconds: accepted - submitted };
  return { keys, durations, outcomes, open, accept };
}

// ─── Sorted arrays ────────────────────────────────────────────────────────────

/** The first index whose value is at least `x` (the count of values below `x`). */
function lowerBound(a: readonly number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first index whose value is above `x`: new values go after equal ones, usually at the end. */
function upperBound(a: readonly number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insertSorted(a: number[], x: number): void {
  a.splice(upperBound(a, x), 0, x);
}

function removeSorted(a: number[], x: number): void {
  const i = lowerBound(a, x);
  if (a[i] !== x) throw new Error(`station figures ledger: ${x} is not in the array it should be in`);
  a.splice(i, 1);
}

const byNumber = (a: number, b: number) => a - b;

/** Durations of one group, sorted, with their sum. */
class Durations {
  readonly values: number[] = [];
  sum = 0;
  add(x: number): void {
    insertSorted(this.values, x);
    this.sum += x;
  }
  remove(x: number): void {
    removeSorted(this.values, x);
    this.sum -= x;
  }
  /** Nearest rank: the ⌈p·n⌉-th smallest, with ⌈0.5·n⌉ and ⌈0.9·n⌉ in integer arithmetic. */
  row(metric: Metric, win: StatsWindow, group: string): DurationRow | undefined {
    const count = this.values.length;
    if (count === 0) return undefined;
    const [dim, key] = splitGroup(group);
    return {
      metric,
      win,
      dim,
      key,
      n: count,
      p50: this.values[Math.ceil(count / 2) - 1]!,
      p90: this.values[Math.floor((9 * count + 9) / 10) - 1]!,
      mean: this.sum / count,
    };
  }
}

function splitGroup(group: string): [StatsDimension, string] {
  const bar = group.indexOf("|");
  return [group.slice(0, bar) as StatsDimension, group.slice(bar + 1)];
}

/** Durations of one metric within a window ending now: events at or after `since`. */
class SlidingWindow {
  /** Events are in the window's groups exactly when `at >= since` (+∞: none yet). */
  since = Infinity;
  readonly groups = new Map<string, Durations>();

  add(e: DurationEvent): void {
    for (const k of e.keys) this.group(k).add(e.seconds);
  }

  remove(e: DurationEvent): void {
    for (const k of e.keys) this.group(k).remove(e.seconds);
  }

  group(k: string): Durations {
    let g = this.groups.get(k);
    if (g === undefined) this.groups.set(k, (g = new Durations()));
    return g;
  }
}

/** A metric's events in time order, with a lookup of times for binary search. */
class Timeline {
  readonly events: DurationEvent[] = [];
  readonly times: number[] = [];

  insert(e: DurationEvent): void {
    const i = upperBound(this.times, e.at);
    this.events.splice(i, 0, e);
    this.times.splice(i, 0, e.at);
  }

  remove(e: DurationEvent): void {
    for (let i = lowerBound(this.times, e.at); i < this.events.length && this.times[i] === e.at; i++) {
      if (this.events[i] !== e) continue;
      this.events.splice(i, 1);
      this.times.splice(i, 1);
      return;
    }
    throw new Error("station figures ledger: a duration event is missing from its timeline");
  }

  sortAll(): void {
    this.events.sort((a, b) => a.at - b.at);
    this.times.length = 0;
    for (const e of this.events) this.times.push(e.at);
  }
}

/** Deadline outcomes of one group: decided ones by decision time, unanswered ones by deadline. */
class Outcomes {
  readonly decided: number[] = [];
  readonly met: number[] = [];
  readonly pending: number[] = [];
  count(): number {
    return this.decided.length + this.pending.length;
  }
}

type Histogram = { n: number; sum: number; buckets: number[] };

// ─── The ledger ───────────────────────────────────────────────────────────────

/** The figures' contributions of every claim; `rows(now)` answers as the reader's `stats(now)`. */
export class StatsLedger {
  private readonly claims = new Map<bigint, Contribution>();
  private readonly timelines = new Map<Metric, Timeline>(METRICS.map((m) => [m, new Timeline()]));
  private readonly allTime = new Map<Metric, Map<string, Durations>>(METRICS.map((m) => [m, new Map()]));
  private readonly windows = new Map<Metric, SlidingWindow[]>(
    METRICS.map((m) => [m, SLIDING.map(() => new SlidingWindow())]),
  );
  private readonly outcomes = new Map<Sla, Map<string, Outcomes>>(SLAS.map((s) => [s, new Map()]));
  private readonly open = new Map<string, { row: Omit<OpenRow, "n" | "overdue">; deadlines: number[] }>();
  private readonly histogram = new Map<number, Histogram>();

  /** Claims held. */
  get size(): number {
    return this.claims.size;
  }

  /** Fills an empty ledger with `rows` in one go: everything appended, then each array sorted once. */
  static build(rows: Iterable<StatsSource>): StatsLedger {
    const ledger = new StatsLedger();
    for (const row of rows) ledger.put(row, false);
    for (const t of ledger.timelines.values()) t.sortAll();
    for (const groups of ledger.allTime.values()) for (const g of groups.values()) g.values.sort(byNumber);
    for (const groups of ledger.outcomes.values()) {
      for (const g of groups.values()) for (const a of [g.decided, g.met, g.pending]) a.sort(byNumber);
    }
    for (const g of ledger.open.values()) g.deadlines.sort(byNumber);
    return ledger;
  }

  /** Replaces a claim's contribution with the one of its current row. */
  upsert(row: StatsSource): void {
    this.remove(row.id);
    this.put(row, true);
  }

  /** Takes a claim out (its row is gone: a reorg removed it). */
  remove(id: bigint): void {
    const c = this.claims.get(id);
    if (c === undefined) return;
    this.claims.delete(id);
    for (const e of c.durations) {
      this.timelines.get(e.metric)!.remove(e);
      for (const w of this.windows.get(e.metric)!) if (e.at >= w.since) w.remove(e);
      for (const k of e.keys) this.allTime.get(e.metric)!.get(k)!.remove(e.seconds);
    }
    for (const o of c.outcomes) {
      for (const k of c.keys) {
        const g = this.outcomes.get(o.sla)!.get(k)!;
        removeSorted(o.pending ? g.pending : g.decided, o.at);
        if (o.met) removeSorted(g.met, o.at);
      }
    }
    if (c.open !== undefined) removeSorted(this.open.get(c.open.group)!.deadlines, c.open.deadline);
    if (c.accept !== undefined) this.histogramAdd(c.accept.tier, c.accept.seconds, -1);
  }

  /** Adds a claim's contribution; `sorted` false appends (build sorts afterwards). */
  private put(row: StatsSource, sorted: boolean): void {
    const c = contributionOf(row);
    this.claims.set(row.id, c);
    const add = sorted ? insertSorted : (a: number[], x: number) => void a.push(x);
    for (const e of c.durations) {
      if (sorted) {
        this.timelines.get(e.metric)!.insert(e);
        for (const w of this.windows.get(e.metric)!) if (e.at >= w.since) w.add(e);
      } else this.timelines.get(e.metric)!.events.push(e);
      const groups = this.allTime.get(e.metric)!;
      for (const k of e.keys) {
        let g = groups.get(k);
        if (g === undefined) groups.set(k, (g = new Durations()));
        add(g.values, e.seconds);
        g.sum += e.seconds;
      }
    }
    for (const o of c.outcomes) {
      const groups = this.outcomes.get(o.sla)!;
      for (const k of c.keys) {
        let g = groups.get(k);
        if (g === undefined) groups.set(k, (g = new Outcomes()));
        add(o.pending ? g.pending : g.decided, o.at);
        if (o.met) add(g.met, o.at);
      }
    }
    if (c.open !== undefined) {
      const { group, stage, kind, tier } = c.open;
      let g = this.open.get(group);
      if (g === undefined)
        this.open.set(group, (g = { row: { stage, kind: kind as OpenRow["kind"], tier }, deadlines: [] }));
      add(g.deadlines, c.open.deadline);
    }
    if (c.accept !== undefined) this.histogramAdd(c.accept.tier, c.accept.seconds, 1);
  }

  private histogramAdd(tier: number, seconds: number, sign: 1 | -1): void {
    let h = this.histogram.get(tier);
    if (h === undefined) this.histogram.set(tier, (h = { n: 0, sum: 0, buckets: TIME_TO_ACCEPT_BUCKETS.map(() => 0) }));
    h.n += sign;
    h.sum += sign * seconds;
    TIME_TO_ACCEPT_BUCKETS.forEach((le, i) => {
      if (seconds <= le) h.buckets[i]! += sign;
    });
  }

  /** Moves each sliding window's start to `now - length`, taking out or putting back the events passed over. */
  private slide(now: number): void {
    for (const metric of METRICS) {
      const timeline = this.timelines.get(metric)!;
      this.windows.get(metric)!.forEach((w, i) => {
        const since = now - SLIDING[i]!.seconds;
        if (since === w.since) return;
        const from = lowerBound(timeline.times, Math.min(since, w.since));
        const to = lowerBound(timeline.times, Math.max(since, w.since));
        const leaving = since > w.since;
        for (let j = from; j < to; j++) {
          const e = timeline.events[j]!;
          if (leaving) w.remove(e);
          else w.add(e);
        }
        w.since = since;
      });
    }
  }

  /** The rows the reader's `stats(now)` gives for the same claims (in another order). */
  rows(now: number): StatsRows {
    this.slide(now);
    const durations: DurationRow[] = [];
    for (const metric of METRICS) {
      this.windows.get(metric)!.forEach((w, i) => {
        for (const [k, g] of w.groups) {
          const row = g.row(metric, SLIDING[i]!.win, k);
          if (row !== undefined) durations.push(row);
        }
      });
      for (const [k, g] of this.allTime.get(metric)!) {
        const row = g.row(metric, "all", k);
        if (row !== undefined) durations.push(row);
      }
    }
    const sla: SlaRow[] = [];
    const starts: Array<[StatsWindow, number]> = [
      ["24h", now - DAY],
      ["7d", now - 7 * DAY],
      ["all", -Infinity],
    ];
    for (const s of SLAS) {
      for (const [k, g] of this.outcomes.get(s)!) {
        if (g.count() === 0) continue;
        const [dim, key] = splitGroup(k);
        // Missed for want of an answer once the deadline is past (strictly, as in the SQL).
        const pastDue = lowerBound(g.pending, now);
        for (const [win, since] of starts) {
          const fromPending = Math.max(0, pastDue - lowerBound(g.pending, since));
          const due = g.decided.length - lowerBound(g.decided, since) + fromPending;
          if (due === 0) continue;
          sla.push({ sla: s, win, dim, key, due, met: g.met.length - lowerBound(g.met, since) });
        }
      }
    }
    const open: OpenRow[] = [];
    for (const g of this.open.values()) {
      if (g.deadlines.length === 0) continue;
      open.push({ ...g.row, n: g.deadlines.length, overdue: lowerBound(g.deadlines, now) });
    }
    const acceptHistogram: HistogramRow[] = [];
    for (const [tier, h] of this.histogram) {
      if (h.n > 0) acceptHistogram.push({ tier, n: h.n, sum: h.sum, buckets: [...h.buckets] });
    }
    return { durations, sla, open, acceptHistogram };
  }
}

// ─── Following the indexer ────────────────────────────────────────────────────

/** What changed in the indexer since the last check: some claims, or anything (reload). */
export type ClaimChange = { all: true } | { all: false; ids: bigint[] };

export type LiveStatsLedgerOptions = {
  /** Figures are answered only while the last applied check began less than this long ago. */
  staleMs: number;
  log: Logger;
  /** Claims read per query when loading. */
  pageSize?: number;
  /** Wall clock in milliseconds. */
  now?: () => number;
};

/**
 * A ledger fed by the claim cache's change watcher (../claims/cache.ts `onChanges`): the first
 * check (and any after a flood of changes) loads every claim; later checks re-read the claims
 * whose transitions appeared, vanished or were replaced. Changes are applied one check at a time,
 * in order. `rows` answers only when the ledger is loaded and has applied a check that began
 * within `staleMs`; otherwise (loading, the watcher or a read failing) it answers undefined and
 * the caller computes the figures from the indexer. A failed read leaves the ledger unusable
 * until a full reload at the next check succeeds: no figure ever comes from a half-applied change.
 */
export class LiveStatsLedger {
  private ledger: StatsLedger | undefined;
  private appliedAt: number | undefined;
  private reloadNeeded = true;
  private queue: Promise<void> = Promise.resolve();
  private readonly now: () => number;
  /** Milliseconds the last full load took (metrics, the bench). */
  lastLoadMs: number | undefined;

  constructor(
    private readonly source: Required<Pick<ClaimChangeReader, "statsSources">>,
    private readonly o: LiveStatsLedgerOptions,
  ) {
    this.now = o.now ?? Date.now;
  }

  /** Queues the changes of a check that began at `checkedAt` (ms). */
  notify(change: ClaimChange, checkedAt: number): void {
    this.queue = this.queue.then(() => this.apply(change, checkedAt));
  }

  /** Resolves once every change notified so far is applied (tests, shutdown). */
  settled(): Promise<void> {
    return this.queue;
  }

  /** The reader's `stats(now)` rows, or undefined when the ledger cannot vouch for them. */
  rows(now: number): StatsRows | undefined {
    if (this.ledger === undefined || this.appliedAt === undefined) return undefined;
    if (this.now() - this.appliedAt >= this.o.staleMs) return undefined;
    return this.ledger.rows(now);
  }

  private async apply(change: ClaimChange, checkedAt: number): Promise<void> {
    try {
      if (change.all || this.reloadNeeded) await this.load();
      else await this.reread(change.ids);
      this.appliedAt = checkedAt;
    } catch (err) {
      this.ledger = undefined;
      this.appliedAt = undefined;
      this.reloadNeeded = true;
      this.o.log.warn("station figures ledger: reading claims failed; figures come from the indexer until a reload", {
        error: String(err),
      });
    }
  }

  private async load(): Promise<void> {
    this.ledger = undefined;
    this.appliedAt = undefined;
    const started = performance.now();
    const limit = this.o.pageSize ?? 10_000;
    const rows: StatsSource[] = [];
    for (let after = -1n; ;) {
      const page = await this.source.statsSources({ after, limit });
      rows.push(...page);
      if (page.length < limit) break;
      after = page[page.length - 1]!.id;
    }
    this.ledger = StatsLedger.build(rows);
    this.reloadNeeded = false;
    this.lastLoadMs = performance.now() - started;
    this.o.log.info("station figures ledger loaded", { claims: rows.length, ms: Math.round(this.lastLoadMs) });
  }

  private async reread(ids: bigint[]): Promise<void> {
    const ledger = this.ledger!;
    // Read everything first, then apply: a failed read changes nothing.
    const rows: StatsSource[] = [];
    for (let k = 0; k < ids.length; k += MAX_IDS_PER_QUERY) {
      rows.push(...(await this.source.statsSources({ ids: ids.slice(k, k + MAX_IDS_PER_QUERY) })));
    }
    const found = new Set<bigint>();
    for (const row of rows) {
      ledger.upsert(row);
      found.add(row.id);
    }
    for (const id of ids) if (!found.has(id)) ledger.remove(id);
  }
}
