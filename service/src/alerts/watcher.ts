import type { Logger } from "../http/router.js";
import type { AlertsConfig } from "../config.js";
import type { Database } from "../db/client.js";
import type { IndexerDb } from "../feed/source.js";
import { Loop } from "../webhooks/loop.js";
import type { DeliveryMetrics } from "../webhooks/metrics.js";
import { CoverageWatcher } from "./coverage.js";
import { fanOutPending } from "./risk.js";
import { SlaWatcher } from "./sla.js";

export type AlertWatcherOptions = {
  db: Database;
  indexer: IndexerDb;
  log: Logger;
  metrics: DeliveryMetrics;
  config: AlertsConfig;
  /** A stage is at risk once less than this share of its window is left (config.slaAtRiskFraction). */
  atRiskFraction: number;
  now?: () => number;
  /** The chain's time at a wall-clock instant, which SLA deadlines are judged by (see SlaWatcher). */
  chainNow?: (wallMs: number) => Promise<bigint>;
  /** Called after a pass raised alerts (wakes the sender). */
  onEnqueued?: () => void;
};

/** Runs the SLA watcher, the coverage-expiring watcher and pending risk-alert fan-outs every `checkMs`. */
export class AlertWatcher {
  readonly sla: SlaWatcher;
  readonly coverage: CoverageWatcher;
  private readonly loop: Loop;
  private readonly now: () => number;

  constructor(private readonly o: AlertWatcherOptions) {
    this.now = o.now ?? Date.now;
    const common = { db: o.db, indexer: o.indexer, log: o.log, metrics: o.metrics, now: this.now };
    this.sla = new SlaWatcher({
      ...common,
      atRiskFraction: o.atRiskFraction,
      lookbackSeconds: o.config.slaLookbackSeconds,
      chainNow: o.chainNow,
    });
    this.coverage = new CoverageWatcher({ ...common, windowSeconds: o.config.coverageExpiringSeconds });
    this.loop = new Loop("alert watcher", o.config.checkMs, () => this.tick().then(() => false), o.log);
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /** One pass of every check; a failing check does not stop the others. Returns alerts raised. */
  async tick(): Promise<number> {
    let raised = 0;
    const run = async (name: string, check: () => Promise<number>) => {
      try {
        raised += await check();
      } catch (err) {
        this.o.log.error(`${name} failed`, { error: (err as Error).message });
      }
    };
    await run("sla watcher", () => this.sla.check());
    await run("coverage watcher", () => this.coverage.check());
    await run("risk alert fan-out", () => fanOutPending(this.o, new Date(this.now())));
    if (raised > 0) this.o.onEnqueued?.();
    return raised;
  }
}
