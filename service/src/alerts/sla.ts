/**
 * The SLA watcher: raises `sla.at_risk` when an open claim's current stage has less than a share
 * of its window left (25% by default) and `sla.breached` when its deadline has passed — each at
 * most once per (claim, stage, level), as a webhook to the claimant's subscriptions, a JSON log
 * line and a metric.
 *
 * Stages: until a claim is accepted its deadline is the response deadline; once accepted (or under
 * investigation) it is the resolution deadline. Both windows start at submission (the contract
 * computes both deadlines then). Approved, paid, rejected and cancelled claims are closed.
 *
 * Deadlines are judged by the chain's clock (indexer/clock.ts), as the pool, the claim view and
 * the queue judge them: a breach alert goes out when the breach credit becomes claimable, not when
 * the service's wall clock passes the deadline. The alert's time (`createdAt`) is the wall clock.
 */
import { and, asc, gte, inArray, sql, type SQL } from "drizzle-orm";
import { getAddress } from "viem";

import { claims } from "../../../indexer/ponder.schema.js";
import type { Logger } from "../http/router.js";
import type { Database } from "../db/client.js";
import type { IndexerDb } from "../feed/source.js";
import type { DeliveryMetrics } from "../webhooks/metrics.js";
import { raiseAlerts, type AlertCandidate } from "./emit.js";
import type { SlaState } from "../../../common/claims.js";
import { deadlineState } from "../claims/sla.js";

export type SlaStage = "response" | "resolution";

const BPS = 10_000n;
/** The deadline states of `common/claims.ts` (one vocabulary with the claim view, the queue and the page). */
export type SlaLevel = Exclude<SlaState, "met">;

/**
 * Where a stage stands at `nowSeconds`: breached once past the deadline, at risk in the last
 * `fraction` of its window — the very rule of the tracking pages (claims/sla.ts), so an alert and
 * the page agree.
 */
export function slaLevel(start: bigint, deadline: bigint, nowSeconds: bigint, fraction: number): SlaLevel {
  return deadlineState({ start, deadline, now: nowSeconds, atRiskFraction: fraction }) as SlaLevel;
}

export type SlaWatcherOptions = {
  db: Database;
  indexer: IndexerDb;
  log: Logger;
  metrics: DeliveryMetrics;
  atRiskFraction: number;
  lookbackSeconds: number;
  /** Wall clock in milliseconds (alert times). */
  now?: () => number;
  /**
   * The chain's time at a wall-clock instant (the service's `IndexerReader.chainNow`), which
   * deadlines are judged by. Absent: the wall clock (tests of the alerts alone).
   */
  chainNow?: (wallMs: number) => Promise<bigint>;
};

const PAGE = 1_000;

export class SlaWatcher {
  private readonly now: () => number;

  constructor(private readonly o: SlaWatcherOptions) {
    this.now = o.now ?? Date.now;
  }

  /** One pass: finds stages at risk or breached and raises what has not been raised. */
  async check(): Promise<number> {
    const nowMs = this.now();
    const nowSec = this.o.chainNow === undefined ? BigInt(Math.floor(nowMs / 1000)) : await this.o.chainNow(nowMs);
    const candidates: AlertCandidate[] = [];
    for (const stage of ["response", "resolution"] as const) {
      for (const claim of await this.atRiskOrLate(stage, nowSec)) {
        const deadline = stage === "response" ? claim.responseDeadline : claim.resolutionDeadline;
        const level = slaLevel(claim.submittedAt, deadline, nowSec, this.o.atRiskFraction);
        if (level === "on-track") continue;
        const claimant = getAddress(claim.claimant);
        candidates.push({
          // The dedupe key keeps its original spelling, so alerts raised before the vocabulary changed stay raised.
          id: `sla:${claim.id}:${stage}:${level === "at-risk" ? "at_risk" : level}`,
          type: level === "breached" ? "sla.breached" : "sla.at_risk",
          address: claimant,
          data: {
            claimId: claim.id.toString(),
            claimant,
            status: claim.status,
            kind: claim.kind,
            tier: claim.tier,
            stage,
            level,
            deadline: Number(deadline),
            windowStart: Number(claim.submittedAt),
            secondsLeft: Number(deadline - nowSec),
          },
        });
      }
    }
    const raised = await raiseAlerts(this.o.db, candidates, new Date(nowMs));
    for (const alert of raised) {
      const { stage, level, claimId, deadline } = alert.data as {
        stage: string;
        level: string;
        claimId: string;
        deadline: number;
      };
      this.o.metrics.slaAlerts.inc({ stage, level });
      this.o.metrics.alerts.inc({ kind: alert.type });
      this.o.log.warn("sla alert", { alert: alert.id, claimId, stage, level, deadline, claimant: alert.address });
    }
    return raised.length;
  }

  /** Open claims in `stage` whose at-risk point has passed, deadline within the lookback. */
  private async atRiskOrLate(stage: SlaStage, nowSec: bigint) {
    const deadline = stage === "response" ? claims.responseDeadline : claims.resolutionDeadline;
    const statuses = stage === "response" ? (["Submitted"] as const) : (["Accepted", "Investigating"] as const);
    const bps = Math.round(this.o.atRiskFraction * 10_000);
    // deadline − now < fraction · (deadline − submittedAt), in whole numbers; numeric arithmetic
    // that Ponder's SQL allow-list accepts.
    const atRiskPassed: SQL = sql`${deadline} * 10000 - ${bps} * (${deadline} - ${claims.submittedAt}) <= ${(nowSec * BPS).toString()}`;
    const rows = [];
    let after: bigint | undefined;
    for (;;) {
      const page = await this.o.indexer
        .select({
          id: claims.id,
          claimant: claims.claimant,
          status: claims.status,
          kind: claims.kind,
          tier: claims.tier,
          submittedAt: claims.submittedAt,
          responseDeadline: claims.responseDeadline,
          resolutionDeadline: claims.resolutionDeadline,
        })
        .from(claims)
        .where(
          and(
            inArray(claims.status, [...statuses]),
            atRiskPassed,
            gte(deadline, nowSec - BigInt(this.o.lookbackSeconds)),
            after === undefined ? undefined : sql`${claims.id} > ${after.toString()}`,
          ),
        )
        .orderBy(asc(claims.id))
        .limit(PAGE);
      rows.push(...page);
      if (page.length < PAGE) break;
      after = page[page.length - 1]!.id;
    }
    return rows;
  }
}
