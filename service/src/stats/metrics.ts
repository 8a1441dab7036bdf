/**
 * The station figures on /metrics, refreshed on each scrape from the same (cached) snapshot as
 * GET /v1/stats. They are gauges, not counters: each scrape recomputes them from the indexer, so
 * a chain reorganisation can lower them.
 */
import {
  Gauge,
  Histogram,
  type LabelValues,
  type MetricObjectWithValues,
  type MetricType,
  type MetricValueWithName,
  type Registry,
} from "prom-client";

import { TIME_TO_ACCEPT_BUCKETS, type HistogramRow } from "../indexer/reader.js";
import type { StationSnapshot, StationStats } from "./stats.js";

/** A histogram whose buckets are counted by the database rather than observed one by one. */
class DerivedHistogram extends Histogram<"tier"> {
  constructor(
    private readonly metricName: string,
    private readonly metricHelp: string,
    registry: Registry,
    private readonly load: () => Promise<HistogramRow[]>,
  ) {
    super({
      name: metricName,
      help: metricHelp,
      labelNames: ["tier"],
      buckets: [...TIME_TO_ACCEPT_BUCKETS],
      registers: [registry],
    });
  }

  // The registry renders through this when present (prom-client's own histogram defines it too).
  async getForPromString(): Promise<MetricObjectWithValues<MetricValueWithName<"tier">>> {
    const rows = await this.load();
    const values: Array<MetricValueWithName<"tier">> = [];
    for (const row of rows) {
      const tier = String(row.tier);
      const bucket = (le: number | string, value: number) => ({
        labels: { tier, le } as LabelValues<"tier">,
        value,
        metricName: `${this.metricName}_bucket`,
      });
      TIME_TO_ACCEPT_BUCKETS.forEach((le, i) => values.push(bucket(le, row.buckets[i] ?? 0)));
      values.push(bucket("+Inf", row.n));
      values.push({ labels: { tier }, value: row.sum, metricName: `${this.metricName}_sum` });
      values.push({ labels: { tier }, value: row.n, metricName: `${this.metricName}_count` });
    }
    return {
      name: this.metricName,
      help: this.metricHelp,
      // prom-client declares `type` as a numeric enum but renders the string it actually holds.
      type: "histogram" as unknown as MetricType,
      values,
      aggregator: "sum",
      collect: () => undefined,
    };
  }

  override async get(): Promise<MetricObjectWithValues<MetricValueWithName<"tier">>> {
    return this.getForPromString();
  }
}

export function registerStationMetrics(registry: Registry, stats: StationStats): void {
  // One set per registry: a second app on the same registry (another router in tests, a
  // restart in-process) keeps the figures the first one registered.
  if (registry.getSingleMetric("station_indexer_up") !== undefined) return;
  // One snapshot per scrape: every collector awaits the same promise.
  const snapshot = async (): Promise<StationSnapshot | undefined> => {
    try {
      const s = await stats.get();
      up.set(1);
      return s;
    } catch {
      up.set(0);
      return undefined;
    }
  };

  const up = new Gauge({
    name: "station_indexer_up",
    help: "1 when the station figures could be computed from the indexer at this scrape.",
    registers: [registry],
    async collect() {
      await snapshot();
    },
  });

  new Gauge({
    name: "station_claims_open",
    help: "Open claims now, by stage (Submitted, Accepted, Investigating, Approved-not-paid), kind and tier.",
    labelNames: ["stage", "kind", "tier"],
    registers: [registry],
    async collect() {
      const s = await snapshot();
      this.reset();
      for (const r of s?.rows.open ?? []) this.set({ stage: r.stage, kind: r.kind, tier: String(r.tier) }, r.n);
    },
  });

  new Gauge({
    name: "station_claims_overdue",
    help: "Open claims past the deadline they wait on (response or resolution), by stage.",
    labelNames: ["stage"],
    registers: [registry],
    async collect() {
      const s = await snapshot();
      this.reset();
      if (s === undefined) return;
      for (const [stage, n] of Object.entries(overdueByStage(s))) this.set({ stage }, n);
    },
  });

  new Gauge({
    name: "station_sla_breaches",
    help: "Claims whose response or resolution deadline was missed, all time, by deadline and tier.",
    labelNames: ["deadline", "tier"],
    registers: [registry],
    async collect() {
      const s = await snapshot();
      this.reset();
      for (const r of s?.rows.sla ?? []) {
        if (r.win === "all" && r.dim === "tier") this.set({ deadline: r.sla, tier: r.key }, r.due - r.met);
      }
    },
  });

  new Gauge({
    name: "station_sla_decided",
    help: "Claims whose response or resolution deadline has been decided (met or missed), all time, by deadline and tier.",
    labelNames: ["deadline", "tier"],
    registers: [registry],
    async collect() {
      const s = await snapshot();
      this.reset();
      for (const r of s?.rows.sla ?? []) {
        if (r.win === "all" && r.dim === "tier") this.set({ deadline: r.sla, tier: r.key }, r.due);
      }
    },
  });

  new DerivedHistogram(
    "station_time_to_accept_seconds",
    "Time from submission to acceptance of every accepted claim, by tier (computed from the indexer).",
    registry,
    async () => (await snapshot())?.rows.acceptHistogram ?? [],
  );
}

function overdueByStage(s: StationSnapshot): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of s.rows.open) out[r.stage] = (out[r.stage] ?? 0) + r.overdue;
  return out;
}
