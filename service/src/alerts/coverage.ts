/**
 * Coverage expiring: a beneficiary whose emergency-package coverage ends within the window gets
 * `coverage.expiring` once per (beneficiary, coveredUntil) — buying more coverage moves
 * `coveredUntil`, so the next approach of the new end raises a new alert.
 */
import { and, asc, eq, gt, lte, or } from "drizzle-orm";
import { getAddress } from "viem";

import { subscriptions } from "../../../indexer/ponder.schema.js";
import type { Logger } from "../http/router.js";
import type { Database } from "../db/client.js";
import type { IndexerDb } from "../feed/source.js";
import type { DeliveryMetrics } from "../webhooks/metrics.js";
import { raiseAlerts } from "./emit.js";

const PAGE = 1_000;

export type CoverageWatcherOptions = {
  db: Database;
  indexer: IndexerDb;
  log: Logger;
  metrics: DeliveryMetrics;
  windowSeconds: number;
  now?: () => number;
};

export class CoverageWatcher {
  private readonly now: () => number;

  constructor(private readonly o: CoverageWatcherOptions) {
    this.now = o.now ?? Date.now;
  }

  async check(): Promise<number> {
    const nowMs = this.now();
    const nowSec = BigInt(Math.floor(nowMs / 1000));
    const rows: Array<typeof subscriptions.$inferSelect> = [];
    let after: { coveredUntil: bigint; beneficiary: string } | undefined;
    for (;;) {
      const page = await this.o.indexer
        .select()
        .from(subscriptions)
        .where(
          and(
            gt(subscriptions.coveredUntil, nowSec),
            lte(subscriptions.coveredUntil, nowSec + BigInt(this.o.windowSeconds)),
            after === undefined
              ? undefined
              : or(
                  gt(subscriptions.coveredUntil, after.coveredUntil),
                  and(
                    eq(subscriptions.coveredUntil, after.coveredUntil),
                    gt(subscriptions.beneficiary, after.beneficiary as `0x${string}`),
                  ),
                ),
          ),
        )
        .orderBy(asc(subscriptions.coveredUntil), asc(subscriptions.beneficiary))
        .limit(PAGE);
      rows.push(...page);
      if (page.length < PAGE) break;
      after = page[page.length - 1]!;
    }
    const raised = await raiseAlerts(
      this.o.db,
      rows.map((row) => {
        const beneficiary = getAddress(row.beneficiary);
        return {
          id: `coverage:${row.beneficiary.toLowerCase()}:${row.coveredUntil}`,
          type: "coverage.expiring" as const,
          address: beneficiary,
          data: {
            beneficiary,
            coveredUntil: Number(row.coveredUntil),
            secondsLeft: Number(row.coveredUntil - nowSec),
            lastPackageId: row.lastPackageId.toString(),
            slaFactorBps: row.slaFactorBps,
          },
        };
      }),
      new Date(nowMs),
    );
    for (const alert of raised) {
      this.o.metrics.alerts.inc({ kind: alert.type });
      this.o.log.info("coverage expiring alert", { alert: alert.id, beneficiary: alert.address });
    }
    return raised.length;
  }
}
