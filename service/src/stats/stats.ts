/**
 * Public station figures, computed from indexed chain data so the promise ("answered within
 * 10 minutes") is checked rather than claimed. Definitions (also in the OpenAPI description):
 * - response: a claim's first response is its acceptance, or its rejection if never accepted.
 *   It is decided once — met when the response came by the response deadline (counted at the
 *   response), missed when it came late or not at all (counted at the deadline). Claims cancelled
 *   by their claimant before the deadline without a response are not counted.
 * - resolution: the same with the approval (or rejection) and the resolution deadline.
 * - time to accept: acceptance − submission, over claims accepted in the window.
 * - time to resolve: payment or rejection − submission, over claims paid or rejected in the window.
 * - median and p90 are nearest-rank: the smallest value with at least half (90%) of the values at
 *   or below it.
 * - windows: the last 24 h, the last 7 days and all time, ending now, by the time the outcome or
 *   the step happened. Open claims are a snapshot of now.
 */
import type { Logger } from "../http/router.js";
import {
  CLAIM_KINDS,
  OPEN_STATUSES,
  type ClaimKind,
  type DurationRow,
  type IndexerReader,
  type SlaRow,
  type StatsDimension,
  type StatsRows,
  type StatsWindow,
} from "../indexer/reader.js";
import type { LiveStatsLedger } from "./ledger.js";

export type Share = { due: number; met: number; share: number | null };
export type Durations = {
  count: number;
  p50Seconds: number | null;
  p90Seconds: number | null;
  meanSeconds: number | null;
};
export type Figures = { response: Share; resolution: Share; timeToAccept: Durations; timeToResolve: Durations };
export type OpenCounts = { total: number; overdue: number; byStage: Record<(typeof OPEN_STATUSES)[number], number> };

export type WindowFigures = {
  window: StatsWindow;
  /** Unix seconds; null for all time. */
  from: number | null;
  to: number;
  overall: Figures;
  byKind: Record<ClaimKind, Figures>;
  byTier: Record<string, Figures>;
};

export type StationFigures = {
  generatedAt: number;
  windows: WindowFigures[];
  open: OpenCounts & { byKind: Record<ClaimKind, OpenCounts>; byTier: Record<string, OpenCounts> };
};

export type StationSnapshot = { figures: StationFigures; rows: StatsRows };

const WINDOWS: Array<{ window: StatsWindow; seconds: number | null }> = [
  { window: "24h", seconds: 86_400 },
  { window: "7d", seconds: 7 * 86_400 },
  { window: "all", seconds: null },
];

const emptyShare = (): Share => ({ due: 0, met: 0, share: null });
const emptyDurations = (): Durations => ({ count: 0, p50Seconds: null, p90Seconds: null, meanSeconds: null });
const emptyFigures = (): Figures => ({
  response: emptyShare(),
  resolution: emptyShare(),
  timeToAccept: emptyDurations(),
  timeToResolve: emptyDurations(),
});
const emptyOpen = (): OpenCounts => ({
  total: 0,
  overdue: 0,
  byStage: { Submitted: 0, Accepted: 0, Investigating: 0, Approved: 0 },
});

/** Shapes the reader's rows into the public figures. Exported for tests. */
export function shapeFigures(rows: StatsRows, now: number): StationFigures {
  const windows = WINDOWS.map(({ window, seconds }): WindowFigures => {
    const tiers = new Set<string>();
    for (const r of [...rows.durations, ...rows.sla]) if (r.dim === "tier" && r.win === window) tiers.add(r.key);
    const pick = (dim: StatsDimension, key: string): Figures => {
      const f = emptyFigures();
      for (const r of rows.sla) if (r.win === window && r.dim === dim && r.key === key) f[r.sla] = share(r);
      for (const r of rows.durations) {
        if (r.win !== window || r.dim !== dim || r.key !== key) continue;
        f[r.metric === "accept" ? "timeToAccept" : "timeToResolve"] = durations(r);
      }
      return f;
    };
    return {
      window,
      from: seconds === null ? null : now - seconds,
      to: now,
      overall: pick("all", ""),
      byKind: Object.fromEntries(CLAIM_KINDS.map((k) => [k, pick("kind", k)])) as Record<ClaimKind, Figures>,
      byTier: Object.fromEntries([...tiers].sort((a, b) => Number(a) - Number(b)).map((t) => [t, pick("tier", t)])),
    };
  });

  const open = {
    ...emptyOpen(),
    byKind: {} as Record<ClaimKind, OpenCounts>,
    byTier: {} as Record<string, OpenCounts>,
  };
  for (const k of CLAIM_KINDS) open.byKind[k] = emptyOpen();
  for (const r of rows.open) {
    const stage = r.stage as (typeof OPEN_STATUSES)[number];
    const tier = String(r.tier);
    open.byTier[tier] ??= emptyOpen();
    for (const bucket of [open, open.byKind[r.kind], open.byTier[tier]]) {
      bucket.total += r.n;
      bucket.overdue += r.overdue;
      bucket.byStage[stage] += r.n;
    }
  }
  return { generatedAt: now, windows, open };
}

function share(r: SlaRow): Share {
  return { due: r.due, met: r.met, share: r.due === 0 ? null : r.met / r.due };
}

function durations(r: DurationRow): Durations {
  return { count: r.n, p50Seconds: r.p50, p90Seconds: r.p90, meanSeconds: r.mean === null ? null : Math.round(r.mean) };
}

/**
 * The figures. With a loaded, up-to-date ledger (./ledger.ts) every call answers from it, at the
 * cost of a few binary searches per figure. Otherwise (no claim cache, the ledger loading, or its
 * change feed failing) they are recomputed from the indexer at most every `cacheSeconds`: the queries scan every claim (about a
 * second on PostgreSQL at 100,000 claims on a small machine), so callers must not wait on them.
 * Once the figures are older than `cacheSeconds`, the next caller gets them as they are while one
 * recomputation runs in the background (stale-while-revalidate); only the very first caller, or
 * any caller when `cacheSeconds` is 0, waits. Figures older than `MAX_STALE_SECONDS` (the indexer
 * has been failing) are not served: the caller waits for, or fails with, a fresh computation.
 */
export class StationStats {
  static readonly MAX_STALE_SECONDS = 300;
  private latest: { at: number; value: StationSnapshot } | undefined;
  private running: Promise<StationSnapshot> | undefined;

  constructor(
    private readonly indexer: IndexerReader,
    private readonly now: () => number,
    private readonly cacheSeconds: number,
    private readonly log: Logger,
    private readonly ledger?: Pick<LiveStatsLedger, "rows">,
  ) {}

  async get(): Promise<StationSnapshot> {
    const nowMs = this.now();
    const now = Math.floor(nowMs / 1000);
    const rows = this.ledger?.rows(now);
    if (rows !== undefined) return { figures: shapeFigures(rows, now), rows };
    const latest = this.latest;
    const age = latest === undefined ? Infinity : (nowMs - latest.at) / 1000;
    if (latest !== undefined && age < this.cacheSeconds) return latest.value;
    const refresh = this.refresh(nowMs);
    if (latest !== undefined && this.cacheSeconds > 0 && age < StationStats.MAX_STALE_SECONDS) {
      refresh.catch(() => undefined); // logged in refresh(); the stale figures answer meanwhile
      return latest.value;
    }
    return refresh;
  }

  /** One computation at a time; concurrent callers share it. */
  private refresh(nowMs: number): Promise<StationSnapshot> {
    if (this.running !== undefined) return this.running;
    const running = this.compute(Math.floor(nowMs / 1000))
      .then((value) => {
        this.latest = { at: nowMs, value };
        return value;
      })
      .catch((err: unknown) => {
        this.log.warn("station figures failed", { error: String(err) });
        throw err;
      })
      .finally(() => {
        if (this.running === running) this.running = undefined;
      });
    this.running = running;
    return running;
  }

  private async compute(now: number): Promise<StationSnapshot> {
    const rows = await this.indexer.stats(BigInt(now));
    return { figures: shapeFigures(rows, now), rows };
  }
}
