/**
 * The soak's delivery check. The webhook sender promises at least once (service/src/webhooks/
 * sender.ts): a sender that dies, or loses its database, after the receiver accepted a delivery and
 * before it recorded that, leaves the delivery in flight, and once its lease expires another worker
 * sends it again with the same idempotency key (the receiver's to deduplicate). So a key accepted
 * twice is allowed only when its first acceptance came just before such a fault; any other
 * repeat, or a third acceptance, is a doubled delivery and fails the run.
 */

/** How long before a fault a delivery the receiver accepted may still have been unrecorded. */
export const UNRECORDED_WINDOW_MS = 5_000;

export type Acceptance = { key: string; at: number };

export type DeliveryCounts = {
  /** Keys accepted once or more. */
  accepted: Map<string, number>;
  /** Accepted twice, the first time within the window before a fault that can lose a record. */
  redelivered: string[];
  /** Accepted more than once otherwise. */
  doubled: string[];
};

/**
 * Counts acceptances per key and sorts the repeats. `faults` are the times (same clock as `at`, ms)
 * at which a sender was killed or its database connections were terminated.
 */
export function countDeliveries(acceptances: Acceptance[], faults: number[]): DeliveryCounts {
  const accepted = new Map<string, number>();
  const firstAt = new Map<string, number>();
  for (const a of acceptances) {
    accepted.set(a.key, (accepted.get(a.key) ?? 0) + 1);
    if (!firstAt.has(a.key)) firstAt.set(a.key, a.at);
  }
  const redelivered: string[] = [];
  const doubled: string[] = [];
  for (const [key, n] of accepted) {
    if (n === 1) continue;
    const first = firstAt.get(key)!;
    // The fault's time is taken just before it is injected: allow a little for that ordering.
    const unrecorded = faults.some((f) => first >= f - UNRECORDED_WINDOW_MS && first <= f + 500);
    (n === 2 && unrecorded ? redelivered : doubled).push(key);
  }
  return { accepted, redelivered, doubled };
}
