/**
 * Webhook subscriptions of the signed-in address, and their delivery log.
 *
 * POST   /v1/webhooks                                       subscribe; the secret is in this response only
 * GET    /v1/webhooks                                       the caller's subscriptions
 * DELETE /v1/webhooks/:id                                   unsubscribe (deliveries go with it)
 * POST   /v1/webhooks/:id/rotate-secret                     a new secret (shown once); the old one keeps
 *                                                           signing alongside it for a grace period
 * GET    /v1/webhooks/:id/deliveries                        delivery log, newest first
 * POST   /v1/webhooks/:id/deliveries/:deliveryId/redeliver  queue a finished delivery again
 */
import { randomUUID } from "node:crypto";

import { createRoute, z } from "@hono/zod-openapi";
import { and, asc, count, desc, eq, inArray, lt, sql } from "drizzle-orm";

import { type AppDeps } from "../deps.js";
import { newRouter } from "../http/router.js";
import { HttpError } from "../http/errors.js";
import { EVENT_TYPE_GROUPS, EVENT_TYPES, type EventType } from "./events.js";
import { webhookAttempts, webhookDeliveries, webhookSubscriptions } from "./schema.js";
import { generateSecret, SecretBox } from "./secrets.js";
import { checkWebhookTarget, systemResolver, WebhookTargetError } from "./url.js";
import { ErrorSchema } from "../http/errors.js";

/** Subscriptions one address may hold. */
export const MAX_SUBSCRIPTIONS_PER_ADDRESS = 25;

/** How long the previous secret keeps signing after a rotation, unless the request says otherwise. */
export const DEFAULT_ROTATION_GRACE_SECONDS = 86_400;
export const MAX_ROTATION_GRACE_SECONDS = 7 * 86_400;

const EVENT_NAMES = [...EVENT_TYPES, ...Object.keys(EVENT_TYPE_GROUPS)];

const Webhook = z
  .object({
    id: z.string().uuid(),
    address: z.string(),
    url: z.string(),
    events: z.array(z.enum(EVENT_TYPES)),
    description: z.string().nullable(),
    status: z.enum(["active", "disabled"]),
    disabledReason: z.string().nullable(),
    createdAt: z.string(),
    disabledAt: z.string().nullable(),
    secretRotatedAt: z.string().nullable(),
    previousSecretExpiresAt: z.string().nullable().openapi({
      description:
        "While set, deliveries carry a second `v1,` signature made with the secret before the last rotation; it stops then.",
    }),
  })
  .openapi("Webhook");

const WebhookCreated = Webhook.extend({
  secret: z.string().openapi({
    description:
      "Standard Webhooks secret: `whsec_` + base64 of the HMAC-SHA256 key. Deliveries carry `webhook-id`, `webhook-timestamp` and `webhook-signature: v1,<base64 of HMAC(key, id + '.' + timestamp + '.' + raw body)>`; any Standard Webhooks library verifies them. Shown only in this response.",
  }),
}).openapi("WebhookCreated");

const RotateBody = z
  .object({
    gracePeriodSeconds: z
      .number()
      .int("gracePeriodSeconds must be a whole number of seconds")
      .min(0, "gracePeriodSeconds must not be negative")
      .max(MAX_ROTATION_GRACE_SECONDS, `gracePeriodSeconds must be at most ${MAX_ROTATION_GRACE_SECONDS} (7 days)`)
      .optional()
      .openapi({
        description: `How long the old secret keeps signing next to the new one (default ${DEFAULT_ROTATION_GRACE_SECONDS}: 24 h; 0 drops it at once).`,
        example: 3600,
      }),
  })
  .strict();

const WebhookRotated = Webhook.extend({
  secret: z.string().openapi({ description: "The new secret. Shown only in this response." }),
}).openapi("WebhookRotated");

const Attempt = z.object({
  attempt: z.number().int(),
  startedAt: z.string(),
  durationMs: z.number().int(),
  statusCode: z.number().int().nullable(),
  error: z.string().nullable(),
});

const DELIVERY_STATUSES = ["pending", "in_flight", "delivered", "dead", "cancelled"] as const;

const Delivery = z
  .object({
    id: z.string(),
    eventType: z.string(),
    idempotencyKey: z.string(),
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.number().int(),
    nextAttemptAt: z.string().nullable(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    createdAt: z.string(),
    deliveredAt: z.string().nullable(),
    attemptLog: z.array(Attempt),
  })
  .openapi("WebhookDelivery");

const CreateBody = z
  .object({
    url: z.string().max(2048).openapi({ example: "https://example.org/hooks/emergency-station" }),
    events: z
      .array(z.string())
      .min(1, "subscribe to at least one event type")
      .max(EVENT_NAMES.length)
      .superRefine((events, ctx) => {
        for (const [i, e] of events.entries()) {
          if (!EVENT_NAMES.includes(e)) {
            ctx.addIssue({
              code: "custom",
              path: [i],
              message: `unknown event type ${JSON.stringify(e).slice(0, 80)}; known: ${EVENT_NAMES.join(", ")}`,
            });
          }
        }
      })
      .openapi({ example: ["claim.status", "sla.breached", "incident.*"] }),
    description: z.string().max(200).optional(),
  })
  .strict();

const IdParam = z.object({ id: z.string().uuid("webhook id must be a UUID") });
const DeliveryParams = IdParam.extend({
  deliveryId: z.string().regex(/^[1-9]\d{0,17}$/, "delivery id must be a positive integer"),
});
const LogQuery = z.object({
  status: z.enum(DELIVERY_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  before: z
    .string()
    .regex(/^[1-9]\d{0,17}$/, "before must be a delivery id")
    .optional(),
});

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
const errors = {
  400: json(ErrorSchema, "invalid input"),
  401: json(ErrorSchema, "not signed in"),
};

function expand(events: string[]): EventType[] {
  const out = new Set<EventType>();
  for (const e of events) for (const t of EVENT_TYPE_GROUPS[e] ?? [e as EventType]) out.add(t);
  return EVENT_TYPES.filter((t) => out.has(t));
}

type SubscriptionRow = typeof webhookSubscriptions.$inferSelect;
type DeliveryRow = typeof webhookDeliveries.$inferSelect;

function webhookView(s: SubscriptionRow, nowMs: number) {
  const graceUntil = s.previousSecret === null ? null : s.previousSecretExpiresAt;
  return {
    id: s.id,
    address: s.address,
    url: s.url,
    events: s.eventTypes.filter((t): t is EventType => (EVENT_TYPES as readonly string[]).includes(t)),
    description: s.description,
    status: s.status,
    disabledReason: s.disabledReason,
    createdAt: s.createdAt.toISOString(),
    disabledAt: s.disabledAt?.toISOString() ?? null,
    secretRotatedAt: s.secretRotatedAt?.toISOString() ?? null,
    // An expired previous secret no longer signs, even before the sender has purged it.
    previousSecretExpiresAt: graceUntil !== null && graceUntil.getTime() > nowMs ? graceUntil.toISOString() : null,
  };
}

function deliveryView(d: DeliveryRow, attempts: Array<typeof webhookAttempts.$inferSelect>) {
  return {
    id: d.id.toString(),
    eventType: d.eventType,
    idempotencyKey: d.idempotencyKey,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.status === "pending" ? d.nextAttemptAt.toISOString() : null,
    lastStatusCode: d.lastStatusCode,
    lastError: d.lastError,
    createdAt: d.createdAt.toISOString(),
    deliveredAt: d.deliveredAt?.toISOString() ?? null,
    attemptLog: attempts.map((a) => ({
      attempt: a.attempt,
      startedAt: a.startedAt.toISOString(),
      durationMs: a.durationMs,
      statusCode: a.statusCode,
      error: a.error,
    })),
  };
}

export function webhookRoutes(deps: AppDeps) {
  const { db, auth, config } = deps;
  const secrets = new SecretBox(config.webhooks.secretKey);
  const { now } = deps;
  const resolve = deps.resolveHost ?? systemResolver;

  /** Refuses (400) a receiver URL that is malformed or whose host leads to a non-public address. */
  async function checkTarget(url: string): Promise<void> {
    try {
      await checkWebhookTarget(url, { allowLocal: config.webhooks.allowLocal, resolve });
    } catch (err) {
      if (!(err instanceof WebhookTargetError)) throw err;
      const problem = err.kind === "address" ? `must not point to a non-public address: ${err.reason}` : err.reason;
      throw new HttpError(400, "invalid_request", `invalid request: url: ${problem}`, [
        { path: "url", message: problem },
      ]);
    }
  }

  async function ownSubscription(id: string, address: string): Promise<SubscriptionRow> {
    const [sub] = await db
      .select()
      .from(webhookSubscriptions)
      .where(and(eq(webhookSubscriptions.id, id), eq(webhookSubscriptions.address, address)));
    // Someone else's subscription is indistinguishable from a missing one.
    if (sub === undefined) throw new HttpError(404, "not_found", `no webhook ${id} for ${address}`);
    return sub;
  }

  async function attemptsOf(ids: bigint[]) {
    if (ids.length === 0) return new Map<bigint, Array<typeof webhookAttempts.$inferSelect>>();
    const rows = await db
      .select()
      .from(webhookAttempts)
      .where(inArray(webhookAttempts.deliveryId, ids))
      .orderBy(asc(webhookAttempts.startedAt));
    const map = new Map<bigint, typeof rows>();
    for (const r of rows) map.set(r.deliveryId, [...(map.get(r.deliveryId) ?? []), r]);
    return map;
  }

  return newRouter()
    .openapi(
      createRoute({
        method: "post",
        path: "/",
        summary: "Subscribe a receiver URL to events concerning the signed-in address.",
        description:
          "Deliveries are POSTs of `{id, type, createdAt, data}` signed as Standard Webhooks (https://www.standardwebhooks.com/): `webhook-id` (equal to `id`, the same on every retry), `webhook-timestamp`, `webhook-signature: v1,<base64>` (space-separated entries, two during a secret rotation); also `ES-Event-Type`, `ES-Delivery-Id`, `ES-Attempt` and `Idempotency-Key` (equal to `id`). Delivery is at least once: dedupe on `webhook-id`. Answer 2xx to acknowledge, 410 to unsubscribe; anything else is retried with backoff, then dead-lettered. The URL must be https and its host must resolve only to public addresses (checked now and before every attempt; the connection goes to the checked address).",
        middleware: [auth.session] as const,
        request: { body: { content: { "application/json": { schema: CreateBody } }, required: true } },
        responses: {
          201: json(WebhookCreated, "subscribed; the secret is shown only here"),
          ...errors,
          409: json(ErrorSchema, "too many subscriptions"),
        },
      }),
      async (c) => {
        const address = c.var.address;
        const body = c.req.valid("json");
        await checkTarget(body.url);
        const [{ n } = { n: 0 }] = await db
          .select({ n: count() })
          .from(webhookSubscriptions)
          .where(eq(webhookSubscriptions.address, address));
        if (n >= MAX_SUBSCRIPTIONS_PER_ADDRESS) {
          throw new HttpError(409, "limit_reached", `an address may hold ${MAX_SUBSCRIPTIONS_PER_ADDRESS} webhooks`);
        }
        const id = randomUUID();
        const secret = generateSecret();
        const [row] = await db
          .insert(webhookSubscriptions)
          .values({
            id,
            address,
            url: new URL(body.url).toString(),
            eventTypes: expand(body.events),
            description: body.description ?? null,
            secret: secrets.seal(secret, id),
            status: "active",
            createdAt: new Date(now()),
          })
          .returning();
        deps.log.info("webhook subscribed", { id, address, events: row!.eventTypes });
        return c.json({ ...webhookView(row!, now()), secret }, 201);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/",
        summary: "The signed-in address's webhook subscriptions (secrets are never shown again).",
        middleware: [auth.session] as const,
        responses: { 200: json(z.object({ webhooks: z.array(Webhook) }), "subscriptions"), ...errors },
      }),
      async (c) => {
        const rows = await db
          .select()
          .from(webhookSubscriptions)
          .where(eq(webhookSubscriptions.address, c.var.address))
          .orderBy(asc(webhookSubscriptions.createdAt), asc(webhookSubscriptions.id));
        const at = now();
        return c.json({ webhooks: rows.map((r) => webhookView(r, at)) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: "delete",
        path: "/{id}",
        summary: "Unsubscribe. Pending deliveries are dropped with the subscription.",
        middleware: [auth.session] as const,
        request: { params: IdParam },
        responses: { 204: { description: "deleted" }, ...errors, 404: json(ErrorSchema, "no such webhook of yours") },
      }),
      async (c) => {
        const { id } = c.req.valid("param");
        const sub = await ownSubscription(id, c.var.address);
        await db.delete(webhookSubscriptions).where(eq(webhookSubscriptions.id, sub.id));
        deps.log.info("webhook deleted", { id, address: c.var.address });
        return c.body(null, 204);
      },
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/{id}/rotate-secret",
        summary: "Replace the webhook's secret; the old one keeps signing next to it for a grace period.",
        description: `The new secret is in this response only. Until \`previousSecretExpiresAt\` every delivery carries two \`v1,\` signatures in \`webhook-signature\`, one per secret, so a receiver verifies with either while it switches; then the old secret is dropped. A rotation during a grace period replaces the old secret with the one that was current. Body optional: \`gracePeriodSeconds\` (0 to ${MAX_ROTATION_GRACE_SECONDS}, default ${DEFAULT_ROTATION_GRACE_SECONDS}).`,
        middleware: [auth.session] as const,
        request: {
          params: IdParam,
          body: { content: { "application/json": { schema: RotateBody } }, required: false },
        },
        responses: {
          200: json(WebhookRotated, "rotated; the new secret is shown only here"),
          ...errors,
          404: json(ErrorSchema, "no such webhook of yours"),
        },
      }),
      async (c) => {
        const { id } = c.req.valid("param");
        const grace = c.req.valid("json").gracePeriodSeconds ?? DEFAULT_ROTATION_GRACE_SECONDS;
        const sub = await ownSubscription(id, c.var.address);
        const secret = generateSecret();
        const rotatedAt = new Date(now());
        const until = grace > 0 ? new Date(rotatedAt.getTime() + grace * 1000) : null;
        // One statement: the secret current at that moment becomes the previous one (a concurrent
        // rotation is serialised by the row lock), and any older previous secret is dropped.
        const [row] = await db
          .update(webhookSubscriptions)
          .set({
            secret: secrets.seal(secret, sub.id),
            previousSecret: until === null ? null : sql`${webhookSubscriptions.secret}`,
            previousSecretExpiresAt: until,
            secretRotatedAt: rotatedAt,
          })
          .where(and(eq(webhookSubscriptions.id, sub.id), eq(webhookSubscriptions.address, c.var.address)))
          .returning();
        if (row === undefined) throw new HttpError(404, "not_found", `no webhook ${id} for ${c.var.address}`);
        deps.log.info("webhook secret rotated", { id, address: c.var.address, graceSeconds: grace });
        return c.json({ ...webhookView(row, rotatedAt.getTime()), secret }, 200);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/{id}/deliveries",
        summary: "Delivery log: status, attempts, last error and next attempt of each delivery, newest first.",
        description:
          "`status=dead` lists the dead letters. Page with `before=<id of the last delivery shown>`; `nextBefore` is null on the last page.",
        middleware: [auth.session] as const,
        request: { params: IdParam, query: LogQuery },
        responses: {
          200: json(z.object({ deliveries: z.array(Delivery), nextBefore: z.string().nullable() }), "deliveries"),
          ...errors,
          404: json(ErrorSchema, "no such webhook of yours"),
        },
      }),
      async (c) => {
        const { id } = c.req.valid("param");
        const q = c.req.valid("query");
        await ownSubscription(id, c.var.address);
        const rows = await db
          .select()
          .from(webhookDeliveries)
          .where(
            and(
              eq(webhookDeliveries.subscriptionId, id),
              q.status === undefined ? undefined : eq(webhookDeliveries.status, q.status),
              q.before === undefined ? undefined : lt(webhookDeliveries.id, BigInt(q.before)),
            ),
          )
          .orderBy(desc(webhookDeliveries.id))
          .limit(q.limit);
        const attempts = await attemptsOf(rows.map((r) => r.id));
        return c.json(
          {
            deliveries: rows.map((r) => deliveryView(r, attempts.get(r.id) ?? [])),
            nextBefore: rows.length === q.limit ? rows[rows.length - 1]!.id.toString() : null,
          },
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/{id}/deliveries/{deliveryId}/redeliver",
        summary:
          "Queue a delivered or dead-lettered delivery again (same body and idempotency key, fresh attempt budget).",
        middleware: [auth.session] as const,
        request: { params: DeliveryParams },
        responses: {
          202: json(Delivery, "queued"),
          ...errors,
          404: json(ErrorSchema, "no such delivery of yours"),
          409: json(ErrorSchema, "queued already, cancelled, or the subscription is disabled"),
        },
      }),
      async (c) => {
        const { id, deliveryId } = c.req.valid("param");
        const sub = await ownSubscription(id, c.var.address);
        if (sub.status !== "active") {
          throw new HttpError(409, "subscription_disabled", `webhook ${id} is disabled: ${sub.disabledReason ?? ""}`);
        }
        const [delivery] = await db
          .select()
          .from(webhookDeliveries)
          .where(and(eq(webhookDeliveries.id, BigInt(deliveryId)), eq(webhookDeliveries.subscriptionId, id)));
        if (delivery === undefined) throw new HttpError(404, "not_found", `no delivery ${deliveryId} of webhook ${id}`);
        const [queued] = await db
          .update(webhookDeliveries)
          .set({
            status: "pending",
            attempts: 0,
            nextAttemptAt: new Date(now()),
            lastError: null,
            lastStatusCode: null,
          })
          .where(and(eq(webhookDeliveries.id, delivery.id), inArray(webhookDeliveries.status, ["delivered", "dead"])))
          .returning();
        if (queued === undefined) {
          const why = delivery.status === "cancelled" ? "was cancelled" : "is already queued";
          throw new HttpError(409, "not_redeliverable", `delivery ${deliveryId} ${why} (${delivery.status})`);
        }
        deps.wakeSender?.();
        const attempts = await attemptsOf([queued.id]);
        return c.json(deliveryView(queued, attempts.get(queued.id) ?? []), 202);
      },
    );
}
