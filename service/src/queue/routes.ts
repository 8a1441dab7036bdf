import { createRoute, z } from "@hono/zod-openapi";
import { getAddress } from "viem";

import { type AppDeps } from "../deps.js";
import { newRouter } from "../http/router.js";
import { CLAIM_KINDS, CLAIM_STATUSES } from "../indexer/reader.js";
import { ShortCache } from "../http/cache.js";
import { decodeCursor, encodeCursor, fromIndexer, LimitQuery, unixSeconds } from "../http/params.js";
import { openClaimState, SLA_STATES } from "../claims/sla.js";
import { ErrorSchema } from "../http/errors.js";

const QueueItemSchema = z
  .object({
    id: z.string(),
    claimant: z.string(),
    kind: z.enum(CLAIM_KINDS),
    status: z.enum(CLAIM_STATUSES),
    tier: z.number().int(),
    amountRequested: z.string(),
    amountApproved: z.string(),
    submittedAt: z.number().int(),
    deadlineKind: z.enum(["response", "resolution", "payable"]),
    deadline: z.number().int().openapi({ description: "unix seconds" }),
    secondsLeft: z.number().int().openapi({ description: "negative once breached" }),
    state: z.enum(SLA_STATES),
    updatedBlock: z.number().int(),
  })
  .openapi("QueueItem");

const QueueSchema = z
  .object({ now: z.number().int(), items: z.array(QueueItemSchema), nextCursor: z.string().nullable() })
  .openapi("Queue");

/** Body of GET /v1/queue (the CLI imports this type). */
export type QueueResponse = z.infer<typeof QueueSchema>;

type QueueQuery = {
  kind?: (typeof CLAIM_KINDS)[number] | undefined;
  tier?: number | undefined;
  breached?: "true" | "false" | undefined;
  limit: number;
};

export function queueRoutes(deps: AppDeps) {
  // Identical queue requests within QUEUE_CACHE_MS share one answer (its `now` says when).
  const cache = new ShortCache<z.infer<typeof QueueSchema>>(deps.config.queueCacheMs);

  async function load(q: QueueQuery, after: bigint[] | undefined, now: bigint): Promise<z.infer<typeof QueueSchema>> {
    const rows = await fromIndexer(deps.log, "queue", () =>
      deps.indexer.queue({
        now,
        kind: q.kind,
        tier: q.tier,
        breached: q.breached === undefined ? undefined : q.breached === "true",
        after: after === undefined ? undefined : { deadline: after[0]!, id: after[1]! },
        limit: q.limit + 1,
      }),
    );
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    const items = page.map((r) => {
      const open = openClaimState(r, now, deps.config.slaAtRiskFraction);
      return {
        id: r.id.toString(),
        claimant: getAddress(r.claimant),
        kind: r.kind,
        status: r.status,
        tier: r.tier,
        amountRequested: r.amountRequested.toString(),
        amountApproved: r.amountApproved.toString(),
        submittedAt: Number(r.submittedAt),
        // The reader orders by the same rule; an open row always has a deadline.
        deadlineKind: open?.kind ?? "response",
        deadline: Number(r.deadline),
        secondsLeft: Number(r.deadline - now),
        state: open?.state ?? "breached",
        updatedBlock: Number(r.updatedBlock),
      };
    });
    return {
      now: Number(now),
      items,
      nextCursor: rows.length > q.limit && last !== undefined ? encodeCursor("q", [last.deadline, last.id]) : null,
    };
  }

  return newRouter().openapi(
    createRoute({
      method: "get",
      path: "/",
      summary:
        "Assessors' SLA queue: open claims (Submitted, Accepted, Investigating, and Approved but not yet payable) ordered by the deadline each waits on, nearest first.",
      description:
        "Open claims come from memory (the claim cache: at most CLAIM_CACHE_STALE_MS, default 1 s, behind the indexer); which are breached is judged at `now`. Identical requests within QUEUE_CACHE_MS (default 1 s) share one answer; `now` is when it was computed.",
      middleware: [deps.auth.assessor] as const,
      request: {
        query: z.object({
          kind: z.enum(CLAIM_KINDS).optional(),
          tier: z.coerce.number().int().min(0).max(255).optional().openapi({ type: "integer" }),
          breached: z
            .enum(["true", "false"])
            .optional()
            .openapi({ description: "true: only claims past their deadline; false: only those not past it" }),
          limit: LimitQuery(50),
          cursor: z.string().max(200).optional().openapi({ description: "nextCursor of the previous page" }),
        }),
      },
      responses: {
        200: { description: "the queue", content: { "application/json": { schema: QueueSchema } } },
        400: { description: "invalid input", content: { "application/json": { schema: ErrorSchema } } },
        401: { description: "not signed in", content: { "application/json": { schema: ErrorSchema } } },
        403: { description: "not an assessor", content: { "application/json": { schema: ErrorSchema } } },
        503: { description: "the indexer did not answer", content: { "application/json": { schema: ErrorSchema } } },
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const after = q.cursor === undefined ? undefined : decodeCursor("q", q.cursor, 2);
      const key = JSON.stringify([q.kind, q.tier, q.breached, q.limit, q.cursor]);
      const nowMs = deps.now();
      return c.json(await cache.get(key, nowMs, () => load(q, after, unixSeconds(nowMs))), 200);
    },
  );
}
