import type { AppDeps } from "../deps.js";
import { AlertWatcher } from "../alerts/watcher.js";
import { StatusFeed } from "../feed/feed.js";
import { deliveryMetrics } from "./metrics.js";
import { SecretBox } from "./secrets.js";
import { DeliverySender } from "./sender.js";

export type DeliveryRuntime = {
  feed: StatusFeed;
  sender: DeliverySender;
  alerts: AlertWatcher;
  /** Stops the feed and the watchers, then the sender once its in-flight deliveries are recorded. */
  stop(): Promise<void>;
};

/**
 * The delivery side's background work for one replica: the status feed, the webhook sender and
 * the alert watchers. Every replica may run it: they coordinate through the database.
 */
export async function startDelivery(deps: Omit<AppDeps, "auth">): Promise<DeliveryRuntime> {
  const { db, config, log, indexerSource: indexer, now } = deps;
  const metrics = deliveryMetrics(deps.metrics);
  const sender = new DeliverySender({
    db,
    log,
    metrics,
    config: config.webhooks,
    secrets: new SecretBox(config.webhooks.secretKey),
    now,
    resolve: deps.resolveHost,
  });
  const feed = new StatusFeed({
    db,
    indexer,
    log,
    metrics,
    ...config.feed,
    now,
    onEnqueued: () => sender.wake(),
  });
  const alerts = new AlertWatcher({
    db,
    indexer: indexer.db,
    log,
    metrics,
    config: config.alerts,
    atRiskFraction: config.slaAtRiskFraction,
    now,
    // The claim view's and the queue's clock: an alert and the page agree on a breach.
    chainNow: (wallMs) => deps.indexer.chainNow(wallMs),
    onEnqueued: () => sender.wake(),
  });
  sender.start();
  await feed.start();
  alerts.start();
  return {
    feed,
    sender,
    alerts,
    async stop() {
      await Promise.all([feed.stop(), alerts.stop()]);
      await sender.stop();
    },
  };
}
