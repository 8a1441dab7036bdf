import { inArray } from "drizzle-orm";

import type { Database } from "../db/client.js";
import { enqueueEvents } from "../webhooks/enqueue.js";
import { envelope, type EventType } from "../webhooks/events.js";
import { alertEvents } from "../webhooks/schema.js";

/** An alert a watcher wants raised. `id` is its dedupe key: the same id never fires twice. */
export type AlertCandidate = {
  id: string;
  type: EventType;
  /** Checksummed address of the subscriber it concerns. */
  address: string;
  data: Record<string, unknown>;
};

/**
 * Raises each candidate not raised before — across restarts and replicas, because the alert's
 * row (primary key = its dedupe id) and its deliveries commit in one transaction and a second
 * insert of the same id does nothing. Returns the candidates raised by this call.
 */
export async function raiseAlerts(db: Database, candidates: AlertCandidate[], now: Date): Promise<AlertCandidate[]> {
  if (candidates.length === 0) return [];
  // Cheap pre-filter; the insert below is what decides.
  const known = new Set<string>();
  for (let i = 0; i < candidates.length; i += 500) {
    const ids = candidates.slice(i, i + 500).map((c) => c.id);
    for (const row of await db.select({ id: alertEvents.id }).from(alertEvents).where(inArray(alertEvents.id, ids))) {
      known.add(row.id);
    }
  }
  const fresh = candidates.filter((c) => !known.has(c.id));
  if (fresh.length === 0) return [];
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(alertEvents)
      .values(fresh.map((c) => ({ id: c.id, kind: c.type, address: c.address, data: c.data, createdAt: now })))
      .onConflictDoNothing()
      .returning({ id: alertEvents.id });
    const won = new Set(inserted.map((r) => r.id));
    const raised = fresh.filter((c) => won.has(c.id));
    await enqueueEvents(
      tx,
      raised.map((c) => ({
        type: c.type,
        idempotencyKey: `alert:${c.id}`,
        recipients: [c.address],
        body: envelope(`alert:${c.id}`, c.type, now, c.data),
      })),
      now,
    );
    return raised;
  });
}
