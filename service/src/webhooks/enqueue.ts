import { and, eq, inArray, sql } from "drizzle-orm";

import type { Database } from "../db/client.js";
import type { OutgoingEvent } from "./events.js";
import { webhookDeliveries, webhookSubscriptions } from "./schema.js";

/** The database or a transaction on it. */
export type Tx = Pick<Database, "select" | "insert" | "update" | "delete" | "execute">;

const INSERT_CHUNK = 500;

/**
 * Turns events into pending deliveries, one per matching active subscription, inside the
 * caller's transaction (so enqueueing commits or rolls back together with whatever made the
 * event: a feed cursor move, an alert's dedupe row). Returns the number of deliveries created.
 *
 * `(subscription, idempotency key)` is unique: the same event enqueued twice creates nothing,
 * except that a delivery cancelled because a reorg removed its row comes back to life when the
 * same chain event (same chainId:txHash:logIndex) is indexed again.
 */
export async function enqueueEvents(tx: Tx, events: OutgoingEvent[], now: Date): Promise<number> {
  if (events.length === 0) return 0;
  const addresses = new Set<string>();
  const broadcastTypes = new Set<string>();
  for (const e of events) {
    if (e.recipients === "*") broadcastTypes.add(e.type);
    else for (const a of e.recipients) addresses.add(a);
  }
  const subs: Array<{ id: string; address: string; eventTypes: string[] }> = [];
  const columns = {
    id: webhookSubscriptions.id,
    address: webhookSubscriptions.address,
    eventTypes: webhookSubscriptions.eventTypes,
  };
  const addressList = [...addresses];
  for (let i = 0; i < addressList.length; i += INSERT_CHUNK) {
    subs.push(
      ...(await tx
        .select(columns)
        .from(webhookSubscriptions)
        .where(
          and(
            eq(webhookSubscriptions.status, "active"),
            inArray(webhookSubscriptions.address, addressList.slice(i, i + INSERT_CHUNK)),
          ),
        )),
    );
  }
  const broadcastSubs =
    broadcastTypes.size === 0
      ? []
      : await tx
          .select(columns)
          .from(webhookSubscriptions)
          .where(
            and(
              eq(webhookSubscriptions.status, "active"),
              sql`${webhookSubscriptions.eventTypes} && ARRAY[${sql.join(
                [...broadcastTypes].map((t) => sql`${t}`),
                sql`, `,
              )}]::text[]`,
            ),
          );

  const byAddress = new Map<string, typeof subs>();
  for (const s of subs) byAddress.set(s.address, [...(byAddress.get(s.address) ?? []), s]);

  const rows: Array<typeof webhookDeliveries.$inferInsert> = [];
  for (const e of events) {
    const candidates = e.recipients === "*" ? broadcastSubs : e.recipients.flatMap((a) => byAddress.get(a) ?? []);
    const seen = new Set<string>();
    for (const s of candidates) {
      if (seen.has(s.id) || !s.eventTypes.includes(e.type)) continue;
      seen.add(s.id);
      rows.push({
        subscriptionId: s.id,
        eventType: e.type,
        idempotencyKey: e.idempotencyKey,
        body: e.body,
        source: e.source ?? null,
        status: "pending",
        attempts: 0,
        nextAttemptAt: now,
        createdAt: now,
      });
    }
  }
  let created = 0;
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const inserted = await tx
      .insert(webhookDeliveries)
      .values(rows.slice(i, i + INSERT_CHUNK))
      .onConflictDoUpdate({
        target: [webhookDeliveries.subscriptionId, webhookDeliveries.idempotencyKey],
        set: {
          status: "pending",
          body: sql`excluded.body`,
          source: sql`excluded.source`,
          attempts: 0,
          nextAttemptAt: sql`excluded.next_attempt_at`,
          lastError: null,
          lastStatusCode: null,
        },
        setWhere: sql`${webhookDeliveries.status} = 'cancelled'`,
      })
      .returning({ id: webhookDeliveries.id });
    created += inserted.length;
  }
  return created;
}
