/** Webhook event types and the envelope every delivery body shares. */

export const EVENT_TYPES = [
  "claim.status",
  "claim.credit",
  "sla.at_risk",
  "sla.breached",
  "coverage.purchased",
  "coverage.expiring",
  "risk.alert",
  "stake.changed",
  "incident.opened",
  "incident.cancelled",
  "incident.closed",
  "case.message",
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** Shorthands accepted when subscribing, expanded before storing. */
export const EVENT_TYPE_GROUPS: Record<string, EventType[]> = {
  "incident.*": ["incident.opened", "incident.cancelled", "incident.closed"],
  "sla.*": ["sla.at_risk", "sla.breached"],
  "coverage.*": ["coverage.purchased", "coverage.expiring"],
};

/**
 * The body of every delivery:
 * `{ "id": <idempotency key>, "type": <event type>, "createdAt": <ISO time>, "data": {...} }`.
 * `id` equals the `Idempotency-Key` header; it is the same on every attempt and redelivery.
 */
export type Envelope<T = Record<string, unknown>> = { id: string; type: EventType; createdAt: string; data: T };

export function envelope(id: string, type: EventType, createdAt: Date, data: Record<string, unknown>): string {
  return JSON.stringify({ id, type, createdAt: createdAt.toISOString(), data } satisfies Envelope);
}

/** What the feed or a watcher hands to the enqueuer: one event, who may receive it, its body. */
export type OutgoingEvent = {
  type: EventType;
  idempotencyKey: string;
  /** Subscriber addresses (checksummed) that receive it; `"*"` for every subscriber of the type. */
  recipients: string[] | "*";
  body: string;
  /** `<stream>:<source id>` of the indexer row behind a chain event. */
  source?: string;
};
