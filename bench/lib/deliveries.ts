/**
 * The soak's delivery check. The webhook sender promises at least once (service/src/webhooks/
 * sender.ts): a sender that dies after the receiver accepted a delivery and before it recorded that
 * leaves the delivery in flight, and once its lease expires another worker sends it again with the
 * same idempotency key (the receiver's to deduplicate). A sender that loses its database connections
 * writes the outcome again, so that allows no repeat. So a key accepted twice is allowed only when
 * its first acceptance came just before a sender was killed; any other repeat, or a third
 * acceptance, is a doubled delivery and fails the run.
 */
import pg from "pg";

/** How long before a sender was killed a delivery the receiver accepted may still have been unrecorded. */
export const UNRECORDED_WINDOW_MS = 5_000;

export type Acceptance = { key: string; at: number };

export type DeliveryCounts = {
  /** Keys accepted once or more. */
  accepted: Map<string, number>;
  /** Accepted twice, the first time within the window before a sender was killed. */
  redelivered: string[];
  /** Accepted more than once otherwise. */
  doubled: string[];
};

/**
 * Counts acceptances per key and sorts the repeats. `faults` are the times (same clock as `at`, ms)
 * at which a sender was killed.
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

/** One attempt at a delivery, as the service recorded it (webhook_attempts), times in epoch ms. */
export type RecordedAttempt = {
  attempt: number;
  startedAt: number;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  worker: string;
};

/** The service's record of one delivery: its row's status and last error, and its attempts. */
export type DeliveryRecord = { status: string; lastError: string | null; attempts: RecordedAttempt[] };

/** What the soak knows of a key the receiver accepted more than once, to tell why. */
export type Repeat = {
  key: string;
  verdict: "doubled" | "redelivered after a sender fault";
  /** When the receiver accepted it, s after the run began. */
  acceptedAtS: number[];
  /** The fault nearest the first acceptance, and how long after it (s; negative: before). */
  nearestFault: { fault: string; afterS: number } | null;
  /** The delivery row's status and last error, and its attempts, as the service recorded them. */
  row: { status: string; lastError: string | null } | null;
  attempts: Array<Omit<RecordedAttempt, "startedAt"> & { startedAtS: number }>;
};

/**
 * The story of each repeated key, for a run's report: its acceptances, the nearest fault and the
 * service's own record of its attempts (which worker sent each, and what it recorded). `t0` is the
 * run's start (epoch ms); `faults` every fault injected, with its time (epoch ms).
 */
export function describeRepeats(
  counts: Pick<DeliveryCounts, "doubled" | "redelivered">,
  acceptances: Acceptance[],
  faults: { fault: string; at: number }[],
  records: Map<string, DeliveryRecord>,
  t0: number,
): Repeat[] {
  /** A span in ms as seconds to a tenth; `seconds`: an instant as seconds after the run began. */
  const tenths = (ms: number) => Math.round(ms / 100) / 10;
  const seconds = (at: number) => tenths(at - t0);
  const keys = [
    ...counts.doubled.map((key) => ({ key, verdict: "doubled" as const })),
    ...counts.redelivered.map((key) => ({ key, verdict: "redelivered after a sender fault" as const })),
  ];
  return keys.map(({ key, verdict }) => {
    const times = acceptances.filter((a) => a.key === key).map((a) => a.at);
    const first = Math.min(...times);
    let nearest: Repeat["nearestFault"] = null;
    for (const f of faults) {
      const afterS = tenths(first - f.at);
      if (nearest === null || Math.abs(afterS) < Math.abs(nearest.afterS)) nearest = { fault: f.fault, afterS };
    }
    const record = records.get(key);
    return {
      key,
      verdict,
      acceptedAtS: times.map(seconds),
      nearestFault: nearest,
      row: record === undefined ? null : { status: record.status, lastError: record.lastError },
      attempts: (record?.attempts ?? []).map(({ startedAt, ...a }) => ({ ...a, startedAtS: seconds(startedAt) })),
    };
  });
}

/**
 * The service's record of each repeated delivery (`<subscription id>|<idempotency key>`): the row's
 * status and last error and every attempt, with the worker that made it.
 */
export async function deliveryRecords(url: string, keys: string[]): Promise<Map<string, DeliveryRecord>> {
  const records = new Map<string, DeliveryRecord>();
  if (keys.length === 0) return records;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const key of keys) {
      const [subscription, idempotencyKey] = key.split("|") as [string, string];
      const { rows } = await client.query<{
        status: string;
        last_error: string | null;
        attempt: number | null;
        started_at: Date | null;
        duration_ms: number | null;
        status_code: number | null;
        error: string | null;
        worker: string | null;
      }>(
        `SELECT d.status, d.last_error, a.attempt, a.started_at, a.duration_ms, a.status_code, a.error, a.worker
           FROM webhook_deliveries d LEFT JOIN webhook_attempts a ON a.delivery_id = d.id
          WHERE d.subscription_id = $1 AND d.idempotency_key = $2 ORDER BY a.started_at`,
        [subscription, idempotencyKey],
      );
      if (rows[0] === undefined) continue;
      records.set(key, {
        status: rows[0].status,
        lastError: rows[0].last_error,
        attempts: rows.flatMap((r) =>
          r.attempt === null || r.started_at === null
            ? []
            : [
                {
                  attempt: r.attempt,
                  startedAt: r.started_at.getTime(),
                  durationMs: r.duration_ms ?? 0,
                  statusCode: r.status_code,
                  error: r.error,
                  worker: r.worker ?? "?",
                },
              ],
        ),
      });
    }
  } finally {
    await client.end();
  }
  return records;
}
