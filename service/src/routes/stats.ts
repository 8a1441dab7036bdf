import { createRoute, z } from "@hono/zod-openapi";

import { newRouter, type AppDeps } from "../app.js";
import { CLAIM_KINDS } from "../indexer/reader.js";
import { fromIndexer } from "../tracking/http.js";
import { registerStationMetrics } from "../tracking/metrics.js";
import { StationStats } from "../tracking/stats.js";
import { ErrorSchema } from "./health.js";

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

const DESCRIPTION = `Computed from indexed chain data, so the promise is checked rather than claimed.
- response: the first response is the acceptance, or the rejection of a claim never accepted. Each claim's
  outcome is decided once: met when the response came by the response deadline (counted when it came),
  missed when it came late or not at all (counted at the deadline). Claims cancelled before their deadline
  without a response are not counted. resolution: the same with approval-or-rejection and the resolution deadline.
- timeToAccept: acceptance − submission over claims accepted in the window; timeToResolve: payment or
  rejection − submission over claims paid or rejected in the window. p50/p90 are nearest-rank.
- windows end now: last 24 h, last 7 days, all time. open is a snapshot of now (Approved = approved, not yet paid;
  overdue = past the deadline the claim waits on). Figures are reused for STATS_CACHE_SECONDS (default 30 s) and then recomputed in the background.`;

export function statsRoutes(deps: AppDeps) {
  const stats = new StationStats(deps.indexer, deps.now, deps.config.statsCacheSeconds, deps.log);
  registerStationMetrics(deps.metrics, stats);
  return newRouter().openapi(
    createRoute({
      method: "get",
      path: "/v1/stats",
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
