import { Counter, Gauge, Histogram, type Registry } from "prom-client";

/**
 * The delivery side's Prometheus metrics. Registered once per registry: the routes, the feed,
 * the sender and the watchers of one app share them (asking again returns the same objects).
 */
export type DeliveryMetrics = {
  deliveries: Counter<"outcome">;
  attemptDuration: Histogram<"outcome">;
  deliveryLatency: Histogram;
  slaAlerts: Counter<"stage" | "level">;
  alerts: Counter<"kind">;
  feedEvents: Counter<"stream">;
  feedLag: Gauge<"stream">;
  feedReorgs: Counter<"stream">;
};

const cache = new WeakMap<Registry, DeliveryMetrics>();

export function deliveryMetrics(registry: Registry): DeliveryMetrics {
  const known = cache.get(registry);
  if (known !== undefined) return known;
  const registers = [registry];
  const m: DeliveryMetrics = {
    deliveries: new Counter({
      name: "es_webhook_deliveries_total",
      help: "Webhook delivery attempts by outcome (delivered, retry, dead, disabled).",
      labelNames: ["outcome"],
      registers,
    }),
    attemptDuration: new Histogram({
      name: "es_webhook_attempt_duration_seconds",
      help: "Duration of one webhook HTTP attempt, by outcome.",
      labelNames: ["outcome"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    deliveryLatency: new Histogram({
      name: "es_webhook_delivery_latency_seconds",
      help: "From enqueueing a delivery to its successful attempt (retries included).",
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300, 3600],
      registers,
    }),
    slaAlerts: new Counter({
      name: "es_sla_alerts_total",
      help: "SLA alerts raised, by stage (response, resolution) and level (at-risk, breached: the deadline states of common/claims.ts).",
      labelNames: ["stage", "level"],
      registers,
    }),
    alerts: new Counter({
      name: "es_alerts_total",
      help: "Alerts raised, by kind (sla.at_risk, sla.breached, coverage.expiring, risk.alert).",
      labelNames: ["kind"],
      registers,
    }),
    feedEvents: new Counter({
      name: "es_feed_events_total",
      help: "Indexer rows turned into events by the status feed, by stream.",
      labelNames: ["stream"],
      registers,
    }),
    feedLag: new Gauge({
      name: "es_feed_lag_seconds",
      help: "Age of the block behind the last event the feed processed, measured when it was processed, by stream.",
      labelNames: ["stream"],
      registers,
    }),
    feedReorgs: new Counter({
      name: "es_feed_reorgs_total",
      help: "Times the feed found its cursor row removed by a reorg and walked back.",
      labelNames: ["stream"],
      registers,
    }),
  };
  cache.set(registry, m);
  return m;
}
