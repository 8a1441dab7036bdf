/**
 * The conversation's public figures, content-free:
 * - replies (service database): the first staff reply after filing, and every staff reply to a
 *   waiting claimant, overall, per claim kind and per tier;
 * - per assessor (indexer + ratings): claims handled, median time to accept and to resolve, the
 *   share within each deadline, and the claimants' ratings of the claims they resolved.
 * Medians and p90 are nearest-rank, as the station's other figures.
 */
import { sql } from "drizzle-orm";
import { getAddress, type Address } from "viem";

import { CLAIM_KINDS, type ClaimKind } from "../../../common/claims.js";
import { queryRows, type Database } from "../db/client.js";
import type { AssessorRows } from "../indexer/reader.js";

export type ReplyDurations = {
  count: number;
  p50Seconds: number | null;
  p90Seconds: number | null;
  meanSeconds: number | null;
};
export type ReplyGroup = {
  overall: ReplyDurations;
  byKind: Record<ClaimKind, ReplyDurations>;
  byTier: Record<string, ReplyDurations>;
};
export type ReplyFigures = { firstReply: ReplyGroup; reply: ReplyGroup };

/** Nearest-rank percentiles over (value, count) pairs. */
export function durationsOf(pairs: Array<{ value: number; n: number }>): ReplyDurations {
  const sorted = [...pairs].sort((a, b) => a.value - b.value);
  const count = sorted.reduce((s, p) => s + p.n, 0);
  if (count === 0) return { count: 0, p50Seconds: null, p90Seconds: null, meanSeconds: null };
  const rank = (q: number) => {
    const target = Math.ceil(q * count);
    let seen = 0;
    for (const p of sorted) {
      seen += p.n;
      if (seen >= target) return p.value;
    }
    return sorted[sorted.length - 1]!.value;
  };
  const sum = sorted.reduce((s, p) => s + p.value * p.n, 0);
  return { count, p50Seconds: rank(0.5), p90Seconds: rank(0.9), meanSeconds: Math.round(sum / count) };
}

type GroupedRow = {
  kind: string;
  tier: number;
  first_reply: boolean;
  reply_seconds: string | number;
  n: string | number;
};

export async function replyFigures(db: Database): Promise<ReplyFigures> {
  const rows = await queryRows<GroupedRow>(
    db,
    sql`SELECT kind, tier, first_reply, reply_seconds, count(*) AS n FROM case_messages
        WHERE reply_seconds IS NOT NULL GROUP BY 1, 2, 3, 4`,
  );
  const group = (filter: (r: GroupedRow) => boolean): ReplyGroup => {
    const chosen = rows.filter(filter).map((r) => ({ ...r, value: Number(r.reply_seconds), n: Number(r.n) }));
    const tiers = [...new Set(chosen.map((r) => Number(r.tier)))].sort((a, b) => a - b);
    return {
      overall: durationsOf(chosen),
      byKind: Object.fromEntries(
        CLAIM_KINDS.map((k) => [k, durationsOf(chosen.filter((r) => r.kind === k))]),
      ) as Record<ClaimKind, ReplyDurations>,
      byTier: Object.fromEntries(
        tiers.map((t) => [String(t), durationsOf(chosen.filter((r) => Number(r.tier) === t))]),
      ),
    };
  };
  return { firstReply: group((r) => r.first_reply), reply: group(() => true) };
}

export type AssessorFigures = {
  assessor: Address;
  claimsHandled: number;
  timeToAccept: ReplyDurations;
  timeToResolve: ReplyDurations;
  withinResponseDeadline: number | null;
  withinResolutionDeadline: number | null;
  rating: { count: number; mean: number | null };
};

/** Per-assessor figures from the indexer's rows and the ratings of the claims each resolved. */
export async function assessorFigures(db: Database, rows: AssessorRows): Promise<AssessorFigures[]> {
  const ratings = await queryRows<{ assessor: string; n: string | number; total: string | number }>(
    db,
    sql`SELECT assessor, count(*) AS n, sum(stars) AS total FROM case_ratings WHERE assessor IS NOT NULL GROUP BY 1`,
  );
  const rated = new Map(ratings.map((r) => [r.assessor.toLowerCase(), { n: Number(r.n), total: Number(r.total) }]));
  const actors = new Set([...rows.handled.map((h) => h.actor.toLowerCase()), ...rated.keys()]);
  return [...actors]
    .map((actor) => {
      const of = (metric: "accept" | "resolve") =>
        rows.durations.filter((d) => d.actor.toLowerCase() === actor && d.metric === metric);
      const share = (metric: "accept" | "resolve") => {
        const ds = of(metric);
        const n = ds.reduce((s, d) => s + d.n, 0);
        return n === 0 ? null : ds.reduce((s, d) => s + d.met, 0) / n;
      };
      const r = rated.get(actor);
      return {
        assessor: getAddress(actor),
        claimsHandled: rows.handled.find((h) => h.actor.toLowerCase() === actor)?.claims ?? 0,
        timeToAccept: durationsOf(of("accept").map((d) => ({ value: d.seconds, n: d.n }))),
        timeToResolve: durationsOf(of("resolve").map((d) => ({ value: d.seconds, n: d.n }))),
        withinResponseDeadline: share("accept"),
        withinResolutionDeadline: share("resolve"),
        rating: { count: r?.n ?? 0, mean: r === undefined ? null : Math.round((r.total / r.n) * 100) / 100 },
      };
    })
    .sort((a, b) => b.claimsHandled - a.claimsHandled || a.assessor.localeCompare(b.assessor));
}
