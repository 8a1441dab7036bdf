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
 *    backoff with full jitter, and dead-lettered (`dead`) after the last attempt. A write that fails
 *    (a terminated connection, a failover) is tried again while the lease lasts: the outcome is
 *    known, and losing it would send the delivery again.
 *
 * A worker that dies between 1 and 3, or cannot reach its database until its lease is nearly over,
 * leaves its rows `in_flight`; once their lease has expired any worker puts them back to pending.
 * That is the one case where a receiver may see a delivery twice — hence the idempotency key:
 * delivery is at least once.
 */
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";

import { and, asc, eq, inArray, isNotNull, lt, lte, sql } from "drizzle-orm";

import type { Logger } from "../http/router.js";
import type { WebhookConfig } from "../config.js";
import type { Database } from "../db/client.js";
import { Loop } from "./loop.js";
import type { DeliveryMetrics } from "./metrics.js";
import { postAgents, postToTarget, type PostAgents } from "./post.js";
import { webhookAttempts, webhookDeliveries, webhookSubscriptions } from "./schema.js";
import type { SecretBox } from "./secrets.js";
import {
  checkWebhookTarget,
  systemResolver,
  WebhookTargetError,
  type CheckedTarget,
  type HostResolver,
} from "./url.js";
import { webhookHeaders } from "./verify.js";

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
  /** Resolves receiver host names before each attempt (default: the system resolver). */
  resolve?: HostResolver;
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
  /** When this worker's lease on the delivery ends (epoch ms). */
  leaseUntilMs: number;
  /** The subscription as it was when the delivery was claimed; undefined if deleted since. */
  sub: Subscription | undefined;
};

type Subscription = {
  url: string;
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
  status: string;
};

type Outcome =
  | { kind: "delivered"; statusCode: number }
  | { kind: "gone"; statusCode: number; error: string }
  | { kind: "failed"; statusCode: number | null; error: string };

type Finished = { d: Claimed; outcome: Outcome; startedMs: number; durationMs: number; done: () => void };

type Label = "delivered" | "retry" | "dead" | "disabled";

const RESPONSE_SNIPPET = 256;
const REAP_EVERY_MS = 5_000;
const RECORD_BATCH = 200;
/** Writing an outcome again after a failed write: from 50 ms, doubling up to 2 s. */
const RECORD_RETRY_BASE_MS = 50;
const RECORD_RETRY_MAX_MS = 2_000;
/** No write is retried unless it can start this long before the batch's first lease ends. */
const RECORD_LEASE_MARGIN_MS = 1_000;

export class DeliverySender {
  readonly id: string;
  private readonly loop: Loop;
  private readonly inflight = new Set<Promise<void>>();
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly resolve: HostResolver;
  private readonly agents: PostAgents = postAgents();
  private lastReap = 0;
  /** Outcomes waiting to be written; written in batches, one transaction each. */
  private finished: Finished[] = [];
  private recording: Promise<void> | undefined;
  private stopping = false;

  constructor(private readonly o: SenderOptions) {
    this.id = o.workerId ?? `worker-${randomUUID()}`;
    this.now = o.now ?? Date.now;
    this.random = o.random ?? Math.random;
    this.resolve = o.resolve ?? systemResolver;
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
    this.stopping = true;
    await this.loop.stop();
    await this.drain();
    this.agents.destroy();
  }

  /** One round: claim as many due deliveries as there are free slots and start sending them. */
  async tick(): Promise<boolean> {
    if (this.now() - this.lastReap >= REAP_EVERY_MS) {
      this.lastReap = this.now();
      await this.reapExpiredLeases();
      await this.dropExpiredSecrets();
    }
    const free = this.o.config.concurrency - this.inflight.size;
    // Claim in batches: waiting for half the slots to free up costs little latency under load
    // and saves a transaction per delivery.
    if (this.inflight.size > 0 && free < Math.ceil(this.o.config.concurrency / 2)) {
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

  /** Waits until nothing is in flight. */
  async drain(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  private async claim(limit: number): Promise<Claimed[]> {
    const now = new Date(this.now());
    const leaseUntil = new Date(now.getTime() + this.o.config.leaseMs);
    return this.o.db.transaction(async (tx) => {
      const due = await tx
        .select({ id: webhookDeliveries.id })
        .from(webhookDeliveries)
        .where(and(eq(webhookDeliveries.status, "pending"), lte(webhookDeliveries.nextAttemptAt, now)))
        .orderBy(asc(webhookDeliveries.nextAttemptAt))
        .limit(limit)
        .for("update", { skipLocked: true });
      if (due.length === 0) return [];
      const rows = await tx
        .update(webhookDeliveries)
        .set({
          status: "in_flight",
          leaseOwner: this.id,
          leaseUntil,
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
      const subs = await tx
        .select({
          id: webhookSubscriptions.id,
          url: webhookSubscriptions.url,
          secret: webhookSubscriptions.secret,
          previousSecret: webhookSubscriptions.previousSecret,
          previousSecretExpiresAt: webhookSubscriptions.previousSecretExpiresAt,
          status: webhookSubscriptions.status,
        })
        .from(webhookSubscriptions)
        .where(inArray(webhookSubscriptions.id, [...new Set(rows.map((r) => r.subscriptionId))]));
      const byId = new Map(subs.map((s) => [s.id, s]));
      return rows.map((r) => ({ ...r, leaseUntilMs: leaseUntil.getTime(), sub: byId.get(r.subscriptionId) }));
    });
  }

  private async deliver(d: Claimed): Promise<void> {
    if (d.sub === undefined) return; // deleted: its deliveries went with it
    if (d.sub.status !== "active") {
      await this.o.db
        .update(webhookDeliveries)
        .set({ status: "cancelled", lastError: "subscription disabled", leaseOwner: null, leaseUntil: null })
        .where(and(eq(webhookDeliveries.id, d.id), eq(webhookDeliveries.leaseOwner, this.id)));
      return;
    }
    const startedMs = this.now();
    const outcome = await this.send(d, d.sub);
    const durationMs = this.now() - startedMs;
    // The slot stays taken (and the lease ours) until the outcome is written.
    await new Promise<void>((done) => {
      this.finished.push({ d, outcome, startedMs, durationMs, done });
      // Deferred a moment so that outcomes finishing together share one transaction.
      this.recording ??= new Promise((r) => setImmediate(r))
        .then(() => this.recordAll())
        .finally(() => (this.recording = undefined));
    });
  }

  /**
   * The secrets to sign with: the current one, and the previous one while its grace period after
   * a rotation lasts (judged at signing time, so an expired one never signs even before it is purged).
   */
  private signingSecrets(d: Claimed, sub: Subscription): string[] {
    const secrets = [this.o.secrets.open(sub.secret, d.subscriptionId)];
    const until = sub.previousSecretExpiresAt;
    if (sub.previousSecret !== null && until !== null && this.now() < until.getTime()) {
      secrets.push(this.o.secrets.open(sub.previousSecret, d.subscriptionId));
    }
    return secrets;
  }

  private async send(d: Claimed, sub: Subscription): Promise<Outcome> {
    const { url } = sub;
    let secrets: string[];
    try {
      secrets = this.signingSecrets(d, sub);
    } catch (err) {
      return { kind: "failed", statusCode: null, error: `cannot sign: ${(err as Error).message}` };
    }
    // The host is resolved and checked again for every attempt, and the connection goes to the
    // addresses checked here: a name rebound to an internal address since subscribing is refused.
    let target: CheckedTarget;
    try {
      target = await checkWebhookTarget(url, { allowLocal: this.o.config.allowLocal, resolve: this.resolve });
    } catch (err) {
      if (!(err instanceof WebhookTargetError)) throw err;
      return { kind: "failed", statusCode: null, error: `not sent: ${err.reason}` };
    }
    const timestamp = Math.floor(this.now() / 1000);
    try {
      const res = await postToTarget(
        target,
        {
          "content-type": "application/json",
          "user-agent": "EmergencyStation-Webhooks/1",
          // Standard Webhooks: webhook-id (one per message, kept across retries), webhook-timestamp
          // and webhook-signature (one v1 entry per secret).
          ...webhookHeaders(secrets, d.idempotencyKey, timestamp, d.body),
          "ES-Event-Type": d.eventType,
          "ES-Delivery-Id": d.id.toString(),
          "ES-Attempt": String(d.attempts),
          "Idempotency-Key": d.idempotencyKey,
        },
        d.body,
        { timeoutMs: this.o.config.timeoutMs, agents: this.agents },
      );
      const snippet = res.snippet
        .slice(0, RESPONSE_SNIPPET)
        .replace(/[\r\n]+/g, " ")
        .trim();
      if (res.status >= 200 && res.status < 300) return { kind: "delivered", statusCode: res.status };
      const error = `HTTP ${res.status}${snippet.length > 0 ? `: ${snippet}` : ""}`;
      if (res.status === 410) return { kind: "gone", statusCode: 410, error };
      return { kind: "failed", statusCode: res.status, error };
    } catch (err) {
      return { kind: "failed", statusCode: null, error: describeRequestError(err, this.o.config.timeoutMs) };
    }
  }

  /** Writes queued outcomes, a batch per transaction, until none is left. */
  private async recordAll(): Promise<void> {
    while (this.finished.length > 0) {
      const batch = this.finished.splice(0, RECORD_BATCH);
      try {
        await this.recordRetrying(batch);
      } catch (err) {
        // Left in flight: the lease expires and the deliveries are retried (at least once).
        this.o.log.error("webhook outcomes not recorded", { count: batch.length, error: (err as Error).message });
      } finally {
        for (const f of batch) f.done();
      }
    }
  }

  /**
   * Writes a batch, and writes it again after a failure while every lease in it has time to run.
   * Safe to repeat: each row is written only while it is still in flight under this worker's lease,
   * so a write that committed before its connection failed leaves nothing for the next to change.
   * A stopping sender does not wait for its database to come back.
   */
  private async recordRetrying(batch: Finished[]): Promise<void> {
    const leaseEndsMs = Math.min(...batch.map((f) => f.d.leaseUntilMs));
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.record(batch);
      } catch (err) {
        const waitMs = Math.min(RECORD_RETRY_MAX_MS, RECORD_RETRY_BASE_MS * 2 ** (attempt - 1));
        if (this.stopping || this.now() + waitMs > leaseEndsMs - RECORD_LEASE_MARGIN_MS) throw err;
        this.o.log.warn("webhook outcomes not recorded yet; writing them again", {
          count: batch.length,
          attempt,
          inMs: waitMs,
          error: (err as Error).message,
        });
        await sleep(waitMs);
      }
    }
  }

  private labelOf(f: Finished): Label {
    if (f.outcome.kind === "delivered") return "delivered";
    if (f.outcome.kind === "gone") return "disabled";
    return f.d.attempts >= this.o.config.maxAttempts ? "dead" : "retry";
  }

  private async record(batch: Finished[]): Promise<void> {
    const now = new Date(this.now());
    const { config } = this.o;
    const kept = await this.o.db.transaction(async (tx) => {
      const kept = new Set<bigint>();
      const inFlightMine = and(eq(webhookDeliveries.leaseOwner, this.id), eq(webhookDeliveries.status, "in_flight"));
      // The common case in one statement: every success of the batch.
      const ok = batch.filter((f) => f.outcome.kind === "delivered");
      if (ok.length > 0) {
        const values = sql.join(
          ok.map((f) => sql`(${f.d.id.toString()}::bigint, ${f.outcome.statusCode}::int)`),
          sql`, `,
        );
        const rows = await tx.execute<{ id: string }>(sql`
          UPDATE webhook_deliveries AS d
          SET status = 'delivered', delivered_at = ${now}, last_status_code = v.code, last_error = NULL,
              lease_owner = NULL, lease_until = NULL
          FROM (VALUES ${values}) AS v (id, code)
          WHERE d.id = v.id AND d.lease_owner = ${this.id} AND d.status = 'in_flight'
          RETURNING d.id`);
        for (const r of (rows as unknown as { rows: Array<{ id: string | number | bigint }> }).rows) {
          kept.add(BigInt(r.id));
        }
      }
      for (const f of batch) {
        if (f.outcome.kind === "delivered") continue;
        const { d, outcome } = f;
        const mine = and(eq(webhookDeliveries.id, d.id), inFlightMine);
        const base = { leaseOwner: null, leaseUntil: null, lastStatusCode: outcome.statusCode };
        const label = this.labelOf(f);
        let set: Partial<typeof webhookDeliveries.$inferInsert>;
        if (label === "disabled")
          set = { ...base, status: "dead", lastError: `${outcome.error} (subscription disabled)` };
        else if (label === "dead") {
          set = { ...base, status: "dead", lastError: `${outcome.error} (gave up after ${d.attempts} attempts)` };
        } else {
          const delay = retryDelayMs(d.attempts, config.retryBaseMs, config.retryMaxMs, this.random);
          set = {
            ...base,
            status: "pending",
            lastError: outcome.error,
            nextAttemptAt: new Date(now.getTime() + delay),
          };
        }
        const updated = await tx.update(webhookDeliveries).set(set).where(mine).returning({ id: webhookDeliveries.id });
        if (updated.length === 0) continue;
        kept.add(d.id);
        if (label === "disabled") {
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
      }
      const attempts = batch.filter((f) => kept.has(f.d.id));
      if (attempts.length > 0) {
        await tx.insert(webhookAttempts).values(
          attempts.map((f) => ({
            deliveryId: f.d.id,
            attempt: f.d.attempts,
            startedAt: new Date(f.startedMs),
            durationMs: Math.round(f.durationMs),
            statusCode: f.outcome.statusCode,
            error: f.outcome.kind === "delivered" ? null : f.outcome.error,
            worker: this.id,
          })),
        );
      }
      return kept;
    });
    const { metrics, log } = this.o;
    for (const f of batch) {
      const label = this.labelOf(f);
      if (!kept.has(f.d.id)) {
        // Our lease expired and another worker took the delivery over, or it was deleted, or an
        // earlier write of this batch committed although its connection failed before saying so.
        log.warn("webhook outcome not recorded: no longer in flight under this lease", {
          id: f.d.id.toString(),
          outcome: label,
        });
        continue;
      }
      metrics.deliveries.inc({ outcome: label });
      metrics.attemptDuration.observe({ outcome: label }, f.durationMs / 1000);
      if (label === "delivered") metrics.deliveryLatency.observe((now.getTime() - f.d.createdAt.getTime()) / 1000);
      if (label === "dead" || label === "disabled") {
        log.warn("webhook delivery dead-lettered", {
          id: f.d.id.toString(),
          subscription: f.d.subscriptionId,
          attempts: f.d.attempts,
          error: f.outcome.kind === "delivered" ? undefined : f.outcome.error,
        });
      }
    }
  }

  /** Forgets previous secrets whose grace period after a rotation is over. */
  async dropExpiredSecrets(): Promise<number> {
    const rows = await this.o.db
      .update(webhookSubscriptions)
      .set({ previousSecret: null, previousSecretExpiresAt: null })
      .where(
        and(
          isNotNull(webhookSubscriptions.previousSecret),
          lte(webhookSubscriptions.previousSecretExpiresAt, new Date(this.now())),
        ),
      )
      .returning({ id: webhookSubscriptions.id });
    return rows.length;
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

function describeRequestError(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; code?: string };
  if (e.name === "TimeoutError" || e.name === "AbortError") return `timed out after ${timeoutMs} ms`;
  const message = e.message ?? String(err);
  return e.code === undefined || message.includes(e.code) ? message : `${message} (${e.code})`;
}
