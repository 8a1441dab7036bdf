import { Registry, collectDefaultMetrics } from "prom-client";

/**
 * One Prometheus registry per service instance (not the global default, so tests can build
 * many apps). Each feature registers its own metrics into it; `GET /metrics` serves it.
 */
export function createMetricsRegistry(options: { defaults?: boolean } = {}): Registry {
  const registry = new Registry();
  if (options.defaults ?? true) collectDefaultMetrics({ register: registry });
  return registry;
}
