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
 * Memory: about 430 bytes per claim (a synthetic 200,000-claim build; bench/scale.ts measures it
 * on seeded data): each claim's row packed in one array of numbers (about 130 bytes; its
 * contribution is computed again from it when it changes, rather than kept as objects, which took
 * about 600), its duration events in the timelines, and its values in the sorted sets (each
 * duration and outcome time sits in a group set for each of three dimensions, durations also in
 * the two window sets). A load reads the claims page by page into the ledger, holding one page of
 * rows at a time. The sorted sets are chunked (./sortedNumbers.ts): a change puts in or takes out
 * a value in one chunk of at most 1,024, whatever the number of claims (a flat array moved
 * everything after the value). The timelines are flat arrays in time order, where new events land
 * at the end.
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
import { lowerBound, SortedNumbers, upperBound } from "./sortedNumbers.js";

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

/** Kinds and statuses as small integers in packed rows, numbered as they first appear. */
const CODES = new Map<string, number>();
const NAMES: string[] = [];
function codeOf(name: string): number {
  let code = CODES.get(name);
  if (code === undefined) CODES.set(name, (code = NAMES.push(name) - 1));
  return code;
}

/**
 * What `contributionOf` reads of a claim row, in one array of numbers (null as NaN): [kind, tier,
 * status, submitted, accepted, approved, paid, closed, response deadline, resolution deadline].
 * About 130 bytes a claim, where its contribution's objects took about 600. Times are unix
 * seconds, which `contributionOf` reads as numbers anyway.
 */
type PackedRow = number[];

function pack(c: StatsSource): PackedRow {
  const num = (v: bigint | null) => (v === null ? NaN : Number(v));
  return [
    codeOf(String(c.kind)),
    c.tier,
    codeOf(c.status),
    Number(c.submittedAt),
    num(c.acceptedAt),
    num(c.approvedAt),
    num(c.paidAt),
    num(c.closedAt),
    Number(c.responseDeadline),
    Number(c.resolutionDeadline),
  ];
}

function unpack(id: bigint, p: PackedRow): StatsSource {
  const big = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? null : BigInt(v));
  return {
    id,
    kind: NAMES[p[0]!] as StatsSource["kind"],
    tier: p[1]!,
    status: NAMES[p[2]!] as ClaimStatus,
    submittedAt: BigInt(p[3]!),
    acceptedAt: big(p[4]),
    approvedAt: big(p[5]),
    paidAt: big(p[6]),
    closedAt: big(p[7]),
    responseDeadline: BigInt(p[8]!),
    resolutionDeadline: BigInt(p[9]!),
  };
}

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

/** A claim id as a map key: a number when it is a safe integer (claim ids count up from 1), else the bigint. */
const claimKey = (id: bigint): number | bigint => (id <= MAX_SAFE_ID ? Number(id) : id);
const MAX_SAFE_ID = BigInt(Number.MAX_SAFE_INTEGER);

/** Durations of one group, sorted, with their sum. */
class Durations {
  readonly values: SortedNumbers;
  sum = 0;
  /** `staging`: filled by a bulk load (appended, sealed once); else kept sorted value by value. */
  constructor(staging = false) {
    this.values = staging ? SortedNumbers.staging() : new SortedNumbers();
  }
  add(x: number): void {
    this.values.insert(x);
    this.sum += x;
  }
  remove(x: number): void {
    this.values.remove(x);
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
      p50: this.values.at(Math.ceil(count / 2) - 1)!,
      p90: this.values.at(Math.floor((9 * count + 9) / 10) - 1)!,
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

  /** Takes out an event equal to `e` (equal events are interchangeable: they count alike everywhere). */
  remove(e: DurationEvent): void {
    for (let i = lowerBound(this.times, e.at); i < this.events.length && this.times[i] === e.at; i++) {
      const other = this.events[i]!;
      if (other.seconds !== e.seconds || other.keys !== e.keys) continue;
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
  readonly decided: SortedNumbers;
  readonly met: SortedNumbers;
  readonly pending: SortedNumbers;
  constructor(staging = false) {
    const make = () => (staging ? SortedNumbers.staging() : new SortedNumbers());
    this.decided = make();
    this.met = make();
    this.pending = make();
  }
  count(): number {
    return this.decided.length + this.pending.length;
  }
}

type Histogram = { n: number; sum: number; buckets: number[] };

// ─── The ledger ───────────────────────────────────────────────────────────────

/** The figures' contributions of every claim; `rows(now)` answers as the reader's `stats(now)`. */
export class StatsLedger {
  /**
   * Each claim's row, packed, by claim id (a number while it is a safe integer: a bigint key is a
   * heap object per claim). Its contribution is computed again from it to be taken out.
   */
  private readonly claims = new Map<number | bigint, PackedRow>();
  private readonly timelines = new Map<Metric, Timeline>(METRICS.map((m) => [m, new Timeline()]));
  private readonly allTime = new Map<Metric, Map<string, Durations>>(METRICS.map((m) => [m, new Map()]));
  private readonly windows = new Map<Metric, SlidingWindow[]>(
    METRICS.map((m) => [m, SLIDING.map(() => new SlidingWindow())]),
  );
  private readonly outcomes = new Map<Sla, Map<string, Outcomes>>(SLAS.map((s) => [s, new Map()]));
  private readonly open = new Map<string, { row: Omit<OpenRow, "n" | "overdue">; deadlines: SortedNumbers }>();
  private readonly histogram = new Map<number, Histogram>();

  /** Claims held. */
  get size(): number {
    return this.claims.size;
  }

  /** Fills an empty ledger with `rows` in one go: everything appended, then each array sorted once. */
  static build(rows: Iterable<StatsSource>): StatsLedger {
    const builder = StatsLedger.builder();
    builder.append(rows);
    return builder.seal();
  }

  /**
   * Fills an empty ledger page by page (`append`, each claim once), then sorts each array once
   * (`seal`): the rows need not all be held at once, so a load holds one page of them at a time.
   */
  static builder(): { append(rows: Iterable<StatsSource>): void; seal(): StatsLedger } {
    const ledger = new StatsLedger();
    return {
      append(rows) {
        for (const row of rows) ledger.put(row, false);
      },
      seal() {
        for (const t of ledger.timelines.values()) t.sortAll();
        for (const groups of ledger.allTime.values()) for (const g of groups.values()) g.values.seal();
        for (const groups of ledger.outcomes.values()) {
          for (const g of groups.values()) for (const a of [g.decided, g.met, g.pending]) a.seal();
        }
        for (const g of ledger.open.values()) g.deadlines.seal();
        return ledger;
      },
    };
  }

  /** Replaces a claim's contribution with the one of its current row. */
  upsert(row: StatsSource): void {
    this.remove(row.id);
    this.put(row, true);
  }

  /** Takes a claim out (its row is gone: a reorg removed it). */
  remove(id: bigint): void {
    const key = claimKey(id);
    const packed = this.claims.get(key);
    if (packed === undefined) return;
    this.claims.delete(key);
    const c = contributionOf(unpack(id, packed));
    for (const e of c.durations) {
      this.timelines.get(e.metric)!.remove(e);
      for (const w of this.windows.get(e.metric)!) if (e.at >= w.since) w.remove(e);
      for (const k of e.keys) this.allTime.get(e.metric)!.get(k)!.remove(e.seconds);
    }
    for (const o of c.outcomes) {
      for (const k of c.keys) {
        const g = this.outcomes.get(o.sla)!.get(k)!;
        (o.pending ? g.pending : g.decided).remove(o.at);
        if (o.met) g.met.remove(o.at);
      }
    }
    if (c.open !== undefined) this.open.get(c.open.group)!.deadlines.remove(c.open.deadline);
    if (c.accept !== undefined) this.histogramAdd(c.accept.tier, c.accept.seconds, -1);
  }

  /** Adds a claim's contribution; `sorted` false appends (build sorts afterwards). */
  private put(row: StatsSource, sorted: boolean): void {
    const c = contributionOf(row);
    this.claims.set(claimKey(row.id), pack(row));
    const add = sorted ? (a: SortedNumbers, x: number) => a.insert(x) : (a: SortedNumbers, x: number) => a.append(x);
    for (const e of c.durations) {
      if (sorted) {
        this.timelines.get(e.metric)!.insert(e);
        for (const w of this.windows.get(e.metric)!) if (e.at >= w.since) w.add(e);
      } else this.timelines.get(e.metric)!.events.push(e);
      const groups = this.allTime.get(e.metric)!;
      for (const k of e.keys) {
        let g = groups.get(k);
        if (g === undefined) groups.set(k, (g = new Durations(!sorted)));
        add(g.values, e.seconds);
        g.sum += e.seconds;
      }
    }
    for (const o of c.outcomes) {
      const groups = this.outcomes.get(o.sla)!;
      for (const k of c.keys) {
        let g = groups.get(k);
        if (g === undefined) groups.set(k, (g = new Outcomes(!sorted)));
        add(o.pending ? g.pending : g.decided, o.at);
        if (o.met) add(g.met, o.at);
      }
    }
    if (c.open !== undefined) {
      const { group, stage, kind, tier } = c.open;
      let g = this.open.get(group);
      if (g === undefined)
        this.open.set(
          group,
          (g = {
            row: { stage, kind: kind as OpenRow["kind"], tier },
            deadlines: sorted ? new SortedNumbers() : SortedNumbers.staging(),
          }),
        );
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
        const pastDue = g.pending.countBelow(now);
        for (const [win, since] of starts) {
          const fromPending = Math.max(0, pastDue - g.pending.countBelow(since));
          const due = g.decided.length - g.decided.countBelow(since) + fromPending;
          if (due === 0) continue;
          sla.push({ sla: s, win, dim, key, due, met: g.met.length - g.met.countBelow(since) });
        }
      }
    }
    const open: OpenRow[] = [];
    for (const g of this.open.values()) {
      if (g.deadlines.length === 0) continue;
      open.push({ ...g.row, n: g.deadlines.length, overdue: g.deadlines.countBelow(now) });
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
    // Page by page into the ledger: a page's rows are garbage once added (at a million claims,
    // holding every row until the build would take hundreds of megabytes more at the peak).
    const builder = StatsLedger.builder();
    let claims = 0;
    for (let after = -1n; ;) {
      const page = await this.source.statsSources({ after, limit });
      builder.append(page);
      claims += page.length;
      if (page.length < limit) break;
      after = page[page.length - 1]!.id;
    }
    this.ledger = builder.seal();
    this.reloadNeeded = false;
    this.lastLoadMs = performance.now() - started;
    this.o.log.info("station figures ledger loaded", { claims, ms: Math.round(this.lastLoadMs) });
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
