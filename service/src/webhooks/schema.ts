/**
 * Drizzle views of the delivery tables created by service/migrations/0002_delivery.sql and
 * 0005_webhook_secret_rotation.sql (the SQL files are the source of truth; these mirror them for
 * typed queries).
 */
import { bigint, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const feedCursors = pgTable("feed_cursors", {
  stream: text("stream").primaryKey(),
  position: text("position").notNull(),
  txHash: text("tx_hash"),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

export const feedEvents = pgTable(
  "feed_events",
  {
    stream: text("stream").notNull(),
    sourceId: text("source_id").notNull(),
    eventKey: text("event_key").notNull(),
    txHash: text("tx_hash"),
    blockNumber: bigint("block_number", { mode: "bigint" }),
    processedAt: ts("processed_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.stream, t.sourceId] })],
);

export type SubscriptionStatus = "active" | "disabled";

export const webhookSubscriptions = pgTable("webhook_subscriptions", {
  id: uuid("id").primaryKey(),
  address: text("address").notNull(),
  url: text("url").notNull(),
  eventTypes: text("event_types").array().notNull(),
  description: text("description"),
  secret: text("secret").notNull(),
  /** The secret before the last rotation, still signing until `previousSecretExpiresAt` (0005). */
  previousSecret: text("previous_secret"),
  previousSecretExpiresAt: ts("previous_secret_expires_at"),
  secretRotatedAt: ts("secret_rotated_at"),
  status: text("status").$type<SubscriptionStatus>().notNull(),
  disabledReason: text("disabled_reason"),
  createdAt: ts("created_at").notNull().defaultNow(),
  disabledAt: ts("disabled_at"),
});

export type DeliveryStatus = "pending" | "in_flight" | "delivered" | "dead" | "cancelled";

export const webhookDeliveries = pgTable("webhook_deliveries", {
  id: bigint("id", { mode: "bigint" }).primaryKey().generatedAlwaysAsIdentity(),
  subscriptionId: uuid("subscription_id").notNull(),
  eventType: text("event_type").notNull(),
  idempotencyKey: text("idempotency_key").notNull(),
  body: text("body").notNull(),
  source: text("source"),
  status: text("status").$type<DeliveryStatus>().notNull(),
  attempts: integer("attempts").notNull(),
  nextAttemptAt: ts("next_attempt_at").notNull(),
  leaseOwner: text("lease_owner"),
  leaseUntil: ts("lease_until"),
  lastStatusCode: integer("last_status_code"),
  lastError: text("last_error"),
  createdAt: ts("created_at").notNull(),
  deliveredAt: ts("delivered_at"),
});

export const webhookAttempts = pgTable(
  "webhook_attempts",
  {
    deliveryId: bigint("delivery_id", { mode: "bigint" }).notNull(),
    attempt: integer("attempt").notNull(),
    startedAt: ts("started_at").notNull(),
    durationMs: integer("duration_ms").notNull(),
    statusCode: integer("status_code"),
    error: text("error"),
    worker: text("worker").notNull(),
  },
  (t) => [primaryKey({ columns: [t.deliveryId, t.attempt, t.startedAt] })],
);

export const alertEvents = pgTable("alert_events", {
  id: text("id").primaryKey(),
  kind: text("kind").notNull(),
  address: text("address"),
  data: jsonb("data").notNull(),
  createdAt: ts("created_at").notNull(),
});

export type Severity = "info" | "warning" | "critical";
export type LocalizedText = { en: string; id?: string; es?: string; zh?: string };

export const riskAlerts = pgTable("risk_alerts", {
  id: uuid("id").primaryKey(),
  title: jsonb("title").$type<LocalizedText>().notNull(),
  message: jsonb("message").$type<LocalizedText>().notNull(),
  severity: text("severity").$type<Severity>().notNull(),
  chains: text("chains").array().notNull(),
  kinds: text("kinds").array().notNull(),
  createdBy: text("created_by").notNull(),
  createdAt: ts("created_at").notNull(),
  expiresAt: ts("expires_at"),
  fannedOutAt: ts("fanned_out_at"),
  recipients: integer("recipients"),
});
