import { Registry, collectDefaultMetrics } from "prom-client";

/**
 * How often the event-loop delay is sampled (`nodejs_eventloop_lag_*`), in ms. prom-client's
 * default of 10 ms wakes an idle process 100 times a second, which cost 8.5 ms of CPU a second
 * here — a share of every request at 1,000 a second (docs/operations.md, "Where a claim read's CPU
 * goes"); at 50 ms it costs about 2. Any stall of the loop longer than 50 ms is still sampled,
 * shorter ones in proportion to their length, and a scrape every 15 s sums 300 samples.
 */
export const EVENT_LOOP_SAMPLE_MS = 50;

/**
 * One Prometheus registry per service instance (not the global default, so tests can build
 * many apps). Each feature registers its own metrics into it; `GET /metrics` serves it.
 */
export function createMetricsRegistry(options: { defaults?: boolean } = {}): Registry {
  const registry = new Registry();
  if (options.defaults ?? true) {
    collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
  }
  return registry;
}
