/**
 * The webhook sender. Any number of workers (in one process or in several replicas on one
 * database) share the `webhook_deliveries` table:
 *
 * 1. claim: in a transaction, `SELECT … FOR UPDATE SKIP LOCKED` the due pending deliveries and
 *    mark them `in_flight`, leased to this worker until now + lease. Two workers never claim the
 *    same row: the second skips rows the first has locked, and after the commit they are no
 *    longer pending.
 * 2. send, outside any transaction, with a timeout.
 * 3. record the outcome (only if the lease is still ours): 2xx delivered; 410 Gone disables the
 *    subscription; anything else (status, timeout, network error) is retried after an exponential
 *    backoff with full jitter, and dead-lettered (`dead`) after the last attempt.
 *
 * A worker that dies between 1 and 3 leaves its rows `in_flight`; once their lease has expired
 * any worker puts them back to pending. That is the one case where a receiver may see a delivery
 * twice — hence the idempotency key: delivery is at least once.
 */
import { randomUUID } from "node:crypto";

import { and, asc, eq, inArray, lt, lte, sql } from "drizzle-orm";

import type { Logger } from "../app.js";
import type { WebhookConfig } from "../config.js";
import type { Database } from "../db/client.js";
import { Loop } from "./loop.js";
import type { DeliveryMetrics } from "./metrics.js";
import { webhookAttempts, webhookDeliveries, webhookSubscriptions } from "./schema.js";
import type { SecretBox } from "./secrets.js";
import { SIGNATURE_HEADER, signatureHeader } from "./verify.js";

export type SenderOptions = {
  db: Database;
  log: Logger;
  metrics: DeliveryMetrics;
  config: WebhookConfig;
  secrets: SecretBox;
  now?: () => number;
  /** Uniform in [0, 1): the jitter source. */
  random?: () => number;
  workerId?: string;
};

/** Full-jitter exponential backoff: uniform in [0, min(max, base · 2^(attempt − 1))). */
export function retryDelayMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random) {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

type Claimed = {
  id: bigint;
  subscriptionId: string;
  eventType: string;
  idempotencyKey: string;
  body: string;
  attempts: number;
  createdAt: Date;
};

type Outcome =
  | { kind: "delivered"; statusCode: number }
  | { kind: "gone"; statusCode: number; error: string }
  | { kind: "failed"; statusCode: number | null; error: string };

const RESPONSE_SNIPPET = 256;
const REAP_EVERY_MS = 5_000;

export class DeliverySender {
  readonly id: string;
  private readonly loop: Loop;
  private readonly inflight = new Set<Promise<void>>();
  private readonly now: () => number;
  private readonly random: () => number;
  private lastReap = 0;

  constructor(private readonly o: SenderOptions) {
    this.id = o.workerId ?? `worker-${randomUUID()}`;
    this.now = o.now ?? Date.now;
    this.random = o.random ?? Math.random;
    this.loop = new Loop("webhook sender", o.config.pollMs, () => this.tick(), o.log);
  }

  start(): void {
    this.loop.start();
  }

  /** Look for due deliveries now (something was just enqueued). */
  wake(): void {
    this.loop.wake();
  }

  /** Stops claiming, then waits for the deliveries in flight to be sent and recorded. */
  async stop(): Promise<void> {
    await this.loop.stop();
    await Promise.allSettled([...this.inflight]);
  }

  /** One round: claim as many due deliveries as there are free slots and start sending them. */
  async tick(): Promise<boolean> {
    if (this.now() - this.lastReap >= REAP_EVERY_MS) {
      this.lastReap = this.now();
      await this.reapExpiredLeases();
    }
    const free = this.o.config.concurrency - this.inflight.size;
    if (free <= 0) {
      await Promise.race(this.inflight);
      return true;
    }
    const claimed = await this.claim(free);
    for (const delivery of claimed) {
      const job: Promise<void> = this.deliver(delivery)
        .catch((err) => this.o.log.error("webhook delivery crashed", { id: String(delivery.id), error: String(err) }))
        .finally(() => {
          this.inflight.delete(job);
          this.loop.wake();
        });
      this.inflight.add(job);
    }
    return claimed.length === free;
  }

  /** Waits until nothing is in flight (tests and benchmarks). */
  async drain(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  private async claim(limit: number): Promise<Claimed[]> {
    const now = new Date(this.now());
    return this.o.db.transaction(async (tx) => {
      const due = await tx
        .select({ id: webhookDeliveries.id })
        .from(webhookDeliveries)
        .where(and(eq(webhookDeliveries.status, "pending"), lte(webhookDeliveries.nextAttemptAt, now)))
        .orderBy(asc(webhookDeliveries.nextAttemptAt))
        .limit(limit)
        .for("update", { skipLocked: true });
      if (due.length === 0) return [];
      return tx
        .update(webhookDeliveries)
        .set({
          status: "in_flight",
          leaseOwner: this.id,
          leaseUntil: new Date(now.getTime() + this.o.config.leaseMs),
          attempts: sql`${webhookDeliveries.attempts} + 1`,
        })
        .where(
          inArray(
            webhookDeliveries.id,
            due.map((d) => d.id),
          ),
        )
        .returning({
          id: webhookDeliveries.id,
          subscriptionId: webhookDeliveries.subscriptionId,
          eventType: webhookDeliveries.eventType,
          idempotencyKey: webhookDeliveries.idempotencyKey,
          body: webhookDeliveries.body,
          attempts: webhookDeliveries.attempts,
          createdAt: webhookDeliveries.createdAt,
        });
    });
  }

  private async deliver(d: Claimed): Promise<void> {
    const [sub] = await this.o.db
      .select({
        url: webhookSubscriptions.url,
        secret: webhookSubscriptions.secret,
        status: webhookSubscriptions.status,
      })
      .from(webhookSubscriptions)
      .where(eq(webhookSubscriptions.id, d.subscriptionId));
    if (sub === undefined) return; // deleted: its deliveries went with it
    if (sub.status !== "active") {
      await this.o.db
        .update(webhookDeliveries)
        .set({ status: "cancelled", lastError: "subscription disabled", leaseOwner: null, leaseUntil: null })
        .where(and(eq(webhookDeliveries.id, d.id), eq(webhookDeliveries.leaseOwner, this.id)));
      return;
    }
    const started = this.now();
    const outcome = await this.send(d, sub.url, sub.secret);
    await this.record(d, outcome, started, this.now() - started);
  }

  private async send(d: Claimed, url: string, sealed: string): Promise<Outcome> {
    let secret: string;
    try {
      secret = this.o.secrets.open(sealed, d.subscriptionId);
    } catch (err) {
      return { kind: "failed", statusCode: null, error: `cannot sign: ${(err as Error).message}` };
    }
    const timestamp = Math.floor(this.now() / 1000);
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "EmergencyStation-Webhooks/1",
          [SIGNATURE_HEADER]: signatureHeader(secret, timestamp, d.body),
          "ES-Timestamp": String(timestamp),
          "ES-Event-Type": d.eventType,
          "ES-Delivery-Id": d.id.toString(),
          "ES-Attempt": String(d.attempts),
          "Idempotency-Key": d.idempotencyKey,
        },
        body: d.body,
        redirect: "manual",
        signal: AbortSignal.timeout(this.o.config.timeoutMs),
      });
      // A receiver that drops the connection after answering still answered.
      const snippet = await readSnippet(res).catch(() => "");
      if (res.status >= 200 && res.status < 300) return { kind: "delivered", statusCode: res.status };
      const error = `HTTP ${res.status}${snippet.length > 0 ? `: ${snippet}` : ""}`;
      if (res.status === 410) return { kind: "gone", statusCode: 410, error };
      return { kind: "failed", statusCode: res.status, error };
    } catch (err) {
      return { kind: "failed", statusCode: null, error: describeFetchError(err, this.o.config.timeoutMs) };
    }
  }

  private async record(d: Claimed, outcome: Outcome, startedMs: number, durationMs: number): Promise<void> {
    const now = new Date(this.now());
    const { config } = this.o;
    const label =
      outcome.kind === "delivered"
        ? "delivered"
        : outcome.kind === "gone"
          ? "disabled"
          : d.attempts >= config.maxAttempts
            ? "dead"
            : "retry";
    const kept = await this.o.db.transaction(async (tx) => {
      const mine = and(
        eq(webhookDeliveries.id, d.id),
        eq(webhookDeliveries.leaseOwner, this.id),
        eq(webhookDeliveries.status, "in_flight"),
      );
      const base = { leaseOwner: null, leaseUntil: null, lastStatusCode: outcome.statusCode };
      let updated: Array<{ id: bigint }>;
      if (outcome.kind === "delivered") {
        updated = await tx
          .update(webhookDeliveries)
          .set({ ...base, status: "delivered", deliveredAt: now, lastError: null })
          .where(mine)
          .returning({ id: webhookDeliveries.id });
      } else if (outcome.kind === "gone") {
        updated = await tx
          .update(webhookDeliveries)
          .set({ ...base, status: "dead", lastError: `${outcome.error} (subscription disabled)` })
          .where(mine)
          .returning({ id: webhookDeliveries.id });
        if (updated.length > 0) {
          await tx
            .update(webhookSubscriptions)
            .set({ status: "disabled", disabledReason: "the receiver answered 410 Gone", disabledAt: now })
            .where(eq(webhookSubscriptions.id, d.subscriptionId));
          await tx
            .update(webhookDeliveries)
            .set({ status: "cancelled", lastError: "subscription disabled (410 Gone)" })
            .where(
              and(eq(webhookDeliveries.subscriptionId, d.subscriptionId), eq(webhookDeliveries.status, "pending")),
            );
        }
      } else if (label === "dead") {
        updated = await tx
          .update(webhookDeliveries)
          .set({ ...base, status: "dead", lastError: `${outcome.error} (gave up after ${d.attempts} attempts)` })
          .where(mine)
          .returning({ id: webhookDeliveries.id });
      } else {
        const delay = retryDelayMs(d.attempts, config.retryBaseMs, config.retryMaxMs, this.random);
        updated = await tx
          .update(webhookDeliveries)
          .set({ ...base, status: "pending", lastError: outcome.error, nextAttemptAt: new Date(now.getTime() + delay) })
          .where(mine)
          .returning({ id: webhookDeliveries.id });
      }
      if (updated.length === 0) return false;
      await tx.insert(webhookAttempts).values({
        deliveryId: d.id,
        attempt: d.attempts,
        startedAt: new Date(startedMs),
        durationMs: Math.round(durationMs),
        statusCode: outcome.statusCode,
        error: outcome.kind === "delivered" ? null : outcome.error,
        worker: this.id,
      });
      return true;
    });
    if (!kept) {
      // Our lease expired and another worker took the delivery over, or it was deleted.
      this.o.log.warn("webhook outcome not recorded: lease lost", { id: d.id.toString(), outcome: label });
      return;
    }
    const { metrics } = this.o;
    metrics.deliveries.inc({ outcome: label });
    metrics.attemptDuration.observe({ outcome: label }, durationMs / 1000);
    if (outcome.kind === "delivered") metrics.deliveryLatency.observe((now.getTime() - d.createdAt.getTime()) / 1000);
    if (label === "dead" || label === "disabled") {
      this.o.log.warn("webhook delivery dead-lettered", {
        id: d.id.toString(),
        subscription: d.subscriptionId,
        attempts: d.attempts,
        error: outcome.kind === "delivered" ? undefined : outcome.error,
      });
    }
  }

  /** Puts deliveries whose worker vanished mid-send back in the queue (or dead-letters them). */
  async reapExpiredLeases(): Promise<number> {
    const now = new Date(this.now());
    const rows = await this.o.db
      .update(webhookDeliveries)
      .set({
        status: sql`CASE WHEN ${webhookDeliveries.attempts} >= ${this.o.config.maxAttempts} THEN 'dead' ELSE 'pending' END`,
        nextAttemptAt: now,
        leaseOwner: null,
        leaseUntil: null,
        lastError: "lease expired: the worker stopped before recording the outcome",
      })
      .where(and(eq(webhookDeliveries.status, "in_flight"), lt(webhookDeliveries.leaseUntil, now)))
      .returning({ id: webhookDeliveries.id });
    if (rows.length > 0) this.o.log.warn("webhook leases expired; deliveries requeued", { count: rows.length });
    return rows.length;
  }
}

async function readSnippet(res: Response): Promise<string> {
  if (res.body === null) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < 4096) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks)
    .toString("utf8")
    .slice(0, RESPONSE_SNIPPET)
    .replace(/[\r\n]+/g, " ")
    .trim();
}

function describeFetchError(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === "TimeoutError" || e.name === "AbortError") return `timed out after ${timeoutMs} ms`;
  const cause = e.cause?.code ?? e.cause?.message;
  return cause === undefined ? (e.message ?? String(err)) : `${e.message ?? "fetch failed"}: ${cause}`;
}
