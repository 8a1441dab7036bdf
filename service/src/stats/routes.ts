import { createRoute, z } from "@hono/zod-openapi";

import { type AppDeps } from "../deps.js";
import { newRouter } from "../http/router.js";
import { CLAIM_KINDS } from "../indexer/reader.js";
import { fromIndexer } from "../http/params.js";
import { registerStationMetrics } from "./metrics.js";
import { StationStats } from "./stats.js";
import { LiveStatsLedger } from "./ledger.js";
import { CachedIndexerReader } from "../claims/cache.js";
import { ErrorSchema, HttpError } from "../http/errors.js";
import { ShortCache } from "../http/cache.js";
import { assessorFigures, replyFigures, type AssessorFigures, type ReplyFigures } from "../cases/figures.js";

const Share = z.object({
  due: z.number().int().openapi({ description: "claims whose deadline outcome was decided in the window" }),
  met: z.number().int().openapi({ description: "of those, met in time" }),
  share: z.number().nullable().openapi({ description: "met / due (0–1); null when none were due" }),
});
const Durations = z.object({
  count: z.number().int(),
  p50Seconds: z.number().nullable(),
  p90Seconds: z.number().nullable(),
  meanSeconds: z.number().nullable(),
});
const Figures = z
  .object({ response: Share, resolution: Share, timeToAccept: Durations, timeToResolve: Durations })
  .openapi("StationFigures");
const OpenCounts = z
  .object({
    total: z.number().int(),
    overdue: z.number().int(),
    byStage: z.object({
      Submitted: z.number().int(),
      Accepted: z.number().int(),
      Investigating: z.number().int(),
      Approved: z.number().int(),
    }),
  })
  .openapi("OpenClaims");
const KindRecord = <T extends z.ZodType>(schema: T) =>
  z.object(Object.fromEntries(CLAIM_KINDS.map((k) => [k, schema])) as Record<(typeof CLAIM_KINDS)[number], T>);

const StatsSchema = z
  .object({
    generatedAt: z.number().int().openapi({ description: "unix seconds the figures were computed at" }),
    windows: z.array(
      z.object({
        window: z.enum(["24h", "7d", "all"]),
        from: z.number().int().nullable(),
        to: z.number().int(),
        overall: Figures,
        byKind: KindRecord(Figures),
        byTier: z.record(z.string(), Figures),
      }),
    ),
    open: OpenCounts.extend({ byKind: KindRecord(OpenCounts), byTier: z.record(z.string(), OpenCounts) }),
  })
  .openapi("Stats");

/** Body of GET /v1/stats (the web page imports this type). */
export type StatsResponse = z.infer<typeof StatsSchema>;

const ReplyDurations = z.object({
  count: z.number().int(),
  p50Seconds: z.number().nullable(),
  p90Seconds: z.number().nullable(),
  meanSeconds: z.number().nullable(),
});
const ReplyGroup = z.object({
  overall: ReplyDurations,
  byKind: KindRecord(ReplyDurations),
  byTier: z.record(z.string(), ReplyDurations),
});
const RepliesSchema = z.object({ firstReply: ReplyGroup, reply: ReplyGroup }).openapi("ReplyFigures");
const AssessorsSchema = z
  .object({
    assessors: z.array(
      z.object({
        assessor: z.string(),
        claimsHandled: z.number().int(),
        timeToAccept: ReplyDurations,
        timeToResolve: ReplyDurations,
        withinResponseDeadline: z.number().nullable(),
        withinResolutionDeadline: z.number().nullable(),
        rating: z.object({ count: z.number().int(), mean: z.number().nullable() }),
      }),
    ),
  })
  .openapi("AssessorFigures");

const DESCRIPTION = `Computed from indexed chain data, so the promise is checked rather than claimed.
- response: the first response is the acceptance, or the rejection of a claim never accepted. Each claim's
  outcome is decided once: met when the response came by the response deadline (counted when it came),
  missed when it came late or not at all (counted at the deadline). Claims cancelled before their deadline
  without a response are not counted. resolution: the same with approval-or-rejection and the resolution deadline.
- timeToAccept: acceptance − submission over claims accepted in the window; timeToResolve: payment or
  rejection − submission over claims paid or rejected in the window. p50/p90 are nearest-rank.
- windows end now: last 24 h, last 7 days, all time. open is a snapshot of now (Approved = approved, not yet paid;
  overdue = past the deadline the claim waits on). With the claim cache on (CLAIM_CACHE_SIZE > 0) and STATS_LEDGER on
  (the default), figures come from a ledger that follows claim changes and are as fresh as the claim cache (CLAIM_CACHE_STALE_MS); otherwise, and while
  that ledger loads, they are reused for STATS_CACHE_SECONDS (default 30 s) and then recomputed in the background.`;

/**
 * The ledger that keeps the figures up to date, fed by the claim cache's watcher; undefined (the
 * figures are recomputed from the indexer) with STATS_LEDGER=false, without a claim cache, or with a
 * reader that does not offer claims.
 */
function statsLedgerFor(deps: Pick<AppDeps, "indexer" | "log" | "config">): LiveStatsLedger | undefined {
  const { indexer, log } = deps;
  if (!deps.config.statsLedger || !(indexer instanceof CachedIndexerReader)) return undefined;
  const source = indexer.changeSource;
  const statsSources = source.statsSources?.bind(source);
  if (statsSources === undefined) return undefined;
  // Fresh as long as the cache is: by its clock, within its bound.
  const ledger = new LiveStatsLedger({ statsSources }, { ...indexer.freshness, log });
  indexer.onChanges((change, checkedAt) => ledger.notify(change, checkedAt));
  return ledger;
}

export function statsRoutes(deps: AppDeps) {
  const stats = new StationStats(deps.indexer, deps.now, deps.config.statsCacheSeconds, deps.log, statsLedgerFor(deps));
  registerStationMetrics(deps.metrics, stats);
  const cacheMs = deps.config.statsCacheSeconds * 1000;
  const replies = new ShortCache<ReplyFigures>(cacheMs);
  const assessors = new ShortCache<AssessorFigures[]>(cacheMs);
  return newRouter()
    .openapi(
      createRoute({
        method: "get",
        path: "/replies",
        summary:
          "How fast people answer in case conversations: first reply after filing, and every reply to a waiting claimant.",
        description:
          "Staff messages only (assessors, guardians, admins). First reply: seconds from filing to the first staff message. Reply: seconds from the claimant's first unanswered message (or filing) to the staff message. Overall, per claim kind, per tier; nearest-rank p50/p90.",
        responses: { 200: { description: "the figures", content: { "application/json": { schema: RepliesSchema } } } },
      }),
      async (c) => {
        const figures = await replies.get("all", deps.now(), () => replyFigures(deps.db));
        c.header("Cache-Control", `public, max-age=${Math.floor(deps.config.statsCacheSeconds)}`);
        return c.json(figures, 200);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/assessors",
        summary:
          "Each assessor's public record: claims handled, median time to accept and resolve, share within deadline, rating.",
        description:
          "From the chain: claims an address accepted, approved or rejected; acceptance and resolution (approval or rejection) times from filing, and the share within the claim's response and resolution deadlines. Ratings: the claimants' 1–5 ratings of the claims the address resolved.",
        responses: {
          200: { description: "the figures", content: { "application/json": { schema: AssessorsSchema } } },
          503: { description: "the indexer did not answer", content: { "application/json": { schema: ErrorSchema } } },
        },
      }),
      async (c) => {
        const read = deps.indexer.assessorRows?.bind(deps.indexer);
        if (read === undefined)
          throw new HttpError(503, "indexer_unavailable", "per-assessor figures need the indexer");
        const list = await assessors.get("all", deps.now(), () =>
          fromIndexer(deps.log, "assessor figures", read).then((rows) => assessorFigures(deps.db, rows)),
        );
        c.header("Cache-Control", `public, max-age=${Math.floor(deps.config.statsCacheSeconds)}`);
        return c.json({ assessors: list }, 200);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/",
        summary: "Public station figures: deadlines met, time to accept and to resolve, open claims.",
        description: DESCRIPTION,
        responses: {
          200: { description: "the figures", content: { "application/json": { schema: StatsSchema } } },
          503: { description: "the indexer did not answer", content: { "application/json": { schema: ErrorSchema } } },
        },
      }),
      async (c) => {
        const { figures } = await fromIndexer(deps.log, "stats", () => stats.get());
        c.header("Cache-Control", `public, max-age=${Math.floor(deps.config.statsCacheSeconds)}`);
        return c.json(figures, 200);
      },
    );
}
