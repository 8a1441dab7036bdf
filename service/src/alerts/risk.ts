/**
 * Operators' data risk alerts (a chain upgrade, a switch to the backup endpoint, ...): stored,
 * shown on the web page while active, and sent once as `risk.alert` to every webhook subscriber
 * whose address has active coverage (an emergency package with coveredUntil in the future).
 *
 * Fan-out happens right after the alert is posted and, should that fail (indexer unreachable),
 * again from the alert watcher; `fanned_out_at` is set in the transaction that enqueues the
 * deliveries, so an alert fans out exactly once.
 */
import { and, asc, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import { getAddress } from "viem";

import { subscriptions } from "../../../indexer/ponder.schema.js";
import type { Logger } from "../http/router.js";
import type { Database } from "../db/client.js";
import type { IndexerDb } from "../feed/source.js";
import { enqueueEvents } from "../webhooks/enqueue.js";
import { envelope } from "../webhooks/events.js";
import type { DeliveryMetrics } from "../webhooks/metrics.js";
import { riskAlerts, webhookSubscriptions } from "../webhooks/schema.js";

export type RiskAlertRow = typeof riskAlerts.$inferSelect;

export type RiskDeps = { db: Database; indexer: IndexerDb; log: Logger; metrics: DeliveryMetrics };

/** The public form of an alert (web page, webhook data). */
export function riskAlertView(a: RiskAlertRow) {
  return {
    id: a.id,
    title: a.title,
    message: a.message,
    severity: a.severity,
    chains: a.chains,
    kinds: a.kinds,
    createdAt: a.createdAt.toISOString(),
    expiresAt: a.expiresAt?.toISOString() ?? null,
  };
}

/** Subscriber addresses (of `risk.alert`) that hold active coverage at `nowSec`. */
async function coveredSubscribers(deps: RiskDeps, nowSec: bigint): Promise<string[]> {
  const subs = await deps.db
    .selectDistinct({ address: webhookSubscriptions.address })
    .from(webhookSubscriptions)
    .where(and(eq(webhookSubscriptions.status, "active"), sql`'risk.alert' = ANY(${webhookSubscriptions.eventTypes})`));
  const covered: string[] = [];
  const lower = subs.map((s) => s.address.toLowerCase() as `0x${string}`);
  // Ponder's SQL endpoint refuses queries over 5,000 characters: keep IN lists short.
  for (let i = 0; i < lower.length; i += 200) {
    const rows = await deps.indexer
      .select({ beneficiary: subscriptions.beneficiary })
      .from(subscriptions)
      .where(and(inArray(subscriptions.beneficiary, lower.slice(i, i + 200)), gt(subscriptions.coveredUntil, nowSec)));
    covered.push(...rows.map((r) => getAddress(r.beneficiary)));
  }
  return covered;
}

/** Sends `alert` to covered subscribers unless it already went out. Returns the deliveries created. */
export async function fanOutRiskAlert(deps: RiskDeps, alert: RiskAlertRow, now: Date): Promise<number | undefined> {
  const expired = alert.expiresAt !== null && alert.expiresAt.getTime() <= now.getTime();
  const recipients = expired ? [] : await coveredSubscribers(deps, BigInt(Math.floor(now.getTime() / 1000)));
  const key = `alert:${alert.id}`;
  const created = await deps.db.transaction(async (tx) => {
    const claimed = await tx
      .update(riskAlerts)
      .set({ fannedOutAt: now })
      .where(and(eq(riskAlerts.id, alert.id), isNull(riskAlerts.fannedOutAt)))
      .returning({ id: riskAlerts.id });
    if (claimed.length === 0) return undefined; // someone else sent it
    const n = await enqueueEvents(
      tx,
      [
        {
          type: "risk.alert",
          idempotencyKey: key,
          recipients,
          body: envelope(key, "risk.alert", alert.createdAt, riskAlertView(alert)),
        },
      ],
      now,
    );
    await tx.update(riskAlerts).set({ recipients: n }).where(eq(riskAlerts.id, alert.id));
    return n;
  });
  if (created !== undefined) {
    deps.metrics.alerts.inc({ kind: "risk.alert" });
    deps.log.info("risk alert sent", { alert: alert.id, severity: alert.severity, deliveries: created });
  }
  return created;
}

/** Fans out alerts posted earlier whose fan-out did not happen (e.g. the indexer was down). */
export async function fanOutPending(deps: RiskDeps, now: Date): Promise<number> {
  const pending = await deps.db
    .select()
    .from(riskAlerts)
    .where(isNull(riskAlerts.fannedOutAt))
    .orderBy(asc(riskAlerts.createdAt))
    .limit(100);
  let total = 0;
  for (const alert of pending) total += (await fanOutRiskAlert(deps, alert, now)) ?? 0;
  return total;
}
