import { createRoute, z } from "@hono/zod-openapi";

import { type AppDeps } from "../deps.js";
import { checksummed } from "../http/address.js";
import { newRouter } from "../http/router.js";
import { CLAIM_KINDS, CLAIM_STATUSES } from "../indexer/reader.js";
import { ShortCache } from "../http/cache.js";
import { decodeCursor, encodeCursor, fromIndexer, LimitQuery } from "../http/params.js";
import { openClaimState, SLA_STATES } from "../claims/sla.js";
import { ErrorSchema } from "../http/errors.js";
import { BREACH_KINDS, creditsDue } from "./credits.js";

const UnixSeconds = z.number().int().openapi({ description: "unix seconds, chain time" });
const Amount = z
  .string()
  .regex(/^[0-9]+$/)
  .openapi({ description: "wei, as a decimal string", example: "5000000000000000000" });

const StandbySchema = z
  .object({
    packageId: z.string(),
    slaFactorBps: z.number().int().openapi({ description: "the booked SLA factor (10000 = the base deadlines)" }),
    start: UnixSeconds.openapi({ description: "the booked window's start (inclusive), unix seconds" }),
    end: UnixSeconds.openapi({ description: "the booked window's end (exclusive), unix seconds" }),
  })
  .openapi("QueueStandby", {
    description:
      "Event standby now: a coverage booking (`CoverageBooked`) of the claimant whose window contains `now`; the fastest factor when several overlap. Null when none covers now.",
  });

const CreditsSchema = z
  .object({
    noResponse: Amount.openapi({ description: "no-response credit already paid on this claim (0: none)" }),
    resolution: Amount.openapi({ description: "resolution credit already paid on this claim (0: none)" }),
    due: z.array(z.object({ kind: z.enum(BREACH_KINDS), amount: Amount })).openapi({
      description:
        "Breach credits claimable on-chain at `now` (deadline passed by the chain's clock, not paid yet, credit on), at the amount in force. The pool pays them only for a claim filed with standing (a tier above 0 or package coverage), which the indexer does not record.",
    }),
  })
  .openapi("QueueCredits");

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
    standby: StandbySchema.nullable(),
    credits: CreditsSchema,
  })
  .openapi("QueueItem");

const QueueSchema = z
  .object({
    now: UnixSeconds.openapi({ description: "the chain's time the queue was judged at, unix seconds" }),
    items: z.array(QueueItemSchema),
    nextCursor: z.string().nullable(),
  })
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

  async function load(
    q: QueueQuery,
    after: bigint[] | undefined,
    wallMs: number,
  ): Promise<z.infer<typeof QueueSchema>> {
    const { rows, now, standby, terms } = await fromIndexer(deps.log, "queue", async () => {
      // Deadlines and standby windows are judged by the chain's clock, as the pool judges them.
      const now = await deps.indexer.chainNow(wallMs);
      const rows = await deps.indexer.queue({
        now,
        kind: q.kind,
        tier: q.tier,
        breached: q.breached === undefined ? undefined : q.breached === "true",
        after: after === undefined ? undefined : { deadline: after[0]!, id: after[1]! },
        limit: q.limit + 1,
      });
      const claimants = rows.slice(0, q.limit).map((r) => checksummed(r.claimant));
      const [standby, terms] = await Promise.all([
        deps.indexer.standby(claimants, now),
        deps.indexer.breachCreditTerms(),
      ]);
      return { rows, now, standby, terms };
    });
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    const items = page.map((r) => {
      const open = openClaimState(r, now, deps.config.slaAtRiskFraction);
      const booked = standby.get(r.claimant.toLowerCase());
      return {
        id: r.id.toString(),
        claimant: checksummed(r.claimant),
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
        standby:
          booked === undefined
            ? null
            : {
                packageId: booked.packageId.toString(),
                slaFactorBps: booked.slaFactorBps,
                start: Number(booked.start),
                end: Number(booked.end),
              },
        credits: {
          noResponse: r.noResponseCredit.toString(),
          resolution: r.resolutionCredit.toString(),
          due: creditsDue(r, now, terms).map((d) => ({ kind: d.kind, amount: d.amount.toString() })),
        },
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
        "Open claims come from memory (the claim cache: at most CLAIM_CACHE_STALE_MS, default 1 s, behind the indexer); which are breached is judged at `now`, the chain's time (the indexer's head block time plus the time since the service saw it), which is what the pool judges deadlines and breach credits by, whatever the service's wall clock says. Each item also says whether its claimant has an event standby booked that covers `now` (`standby`, with its window) and the breach credits paid on the claim and claimable now (`credits`). Identical requests within QUEUE_CACHE_MS (default 1 s) share one answer; `now` is when it was computed. Query parameters are validated: an unknown kind, a tier outside 0-255, a `breached` other than true/false, a limit outside 1-100 or a malformed cursor is a 400.",
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
      return c.json(await cache.get(key, nowMs, () => load(q, after, nowMs)), 200);
    },
  );
}
