/**
 * The feed's streams: how to read each indexer table in order after a position, and what event
 * each row becomes. Every stream reads an event table (claim_transitions, purchases, stake_events,
 * incident_events) in Ponder event id order, which is chain order (Ponder's ids are checkpoints:
 * block time, chain, block, transaction index, log index, fixed width). Webhook keys come from
 * each row's own chain id, transaction hash and log index.
 */
import { and, asc, eq, gt, gte, inArray, lte, ne } from "drizzle-orm";
import { getAddress } from "viem";

import {
  breachCredits,
  claims,
  claimTransitions,
  incidentEvents,
  incidents,
  purchases,
  stakeEvents,
} from "../../../indexer/ponder.schema.js";
import { kindText, stageText } from "../../../common/stages.js";
import { envelope, type OutgoingEvent } from "../webhooks/events.js";
import type { IndexerDb } from "./source.js";

export type StreamRow = {
  sourceId: string;
  txHash: string | null;
  blockNumber: bigint | null;
  /** Unix seconds of the block (or of the state change) behind the row. */
  time: bigint;
  event: OutgoingEvent;
};

export type Stream = {
  name: string;
  /**
   * Rows after `position` (from it, with `withPosition`), in order, at most `limit`, none above
   * `safeHead` when given.
   */
  fetch(
    db: IndexerDb,
    position: string,
    withPosition: boolean,
    safeHead: bigint | undefined,
    limit: number,
  ): Promise<StreamRow[]>;
  /** The cursor position after `row`. */
  positionOf(row: StreamRow): string;
  /**
   * For event tables: the tx hash of each of `ids` still present in the indexer (absent = removed
   * by a reorg). State streams have no per-event rows to check.
   */
  lookup?(db: IndexerDb, ids: string[]): Promise<Map<string, string>>;
};

const checksum = (address: string) => getAddress(address);
const at = (seconds: bigint) => new Date(Number(seconds) * 1000);

/** A chain event's idempotency key: `chainId:txHash:logIndex`, from the row's own columns. */
const chainEventKey = (row: { chainId: number; txHash: string; logIndex: number }) =>
  `${row.chainId}:${row.txHash}:${row.logIndex}`;

async function lookupIds(
  db: IndexerDb,
  table: typeof claimTransitions | typeof purchases | typeof stakeEvents | typeof incidentEvents | typeof breachCredits,
  ids: string[],
): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: table.id, txHash: table.txHash }).from(table).where(inArray(table.id, ids));
  return new Map(rows.map((r) => [r.id, r.txHash]));
}

export const claimTransitionsStream: Stream = {
  name: "claim_transitions",
  async fetch(db, position, withPosition, safeHead, limit) {
    const rows = await db
      .select({
        t: claimTransitions,
        claimant: claims.claimant,
        kind: claims.kind,
        tier: claims.tier,
        amountRequested: claims.amountRequested,
        responseDeadline: claims.responseDeadline,
        resolutionDeadline: claims.resolutionDeadline,
      })
      .from(claimTransitions)
      .leftJoin(claims, eq(claims.id, claimTransitions.claimId))
      .where(
        and(
          (withPosition ? gte : gt)(claimTransitions.id, position),
          safeHead === undefined ? undefined : lte(claimTransitions.blockNumber, safeHead),
        ),
      )
      .orderBy(asc(claimTransitions.id))
      .limit(limit);
    return rows.map(({ t, ...c }) => {
      const key = chainEventKey(t);
      const data = {
        chainId: t.chainId,
        claimId: t.claimId.toString(),
        claimant: c.claimant === null ? null : checksum(c.claimant),
        status: t.status,
        stage: stageText(t.status, "en"),
        actor: checksum(t.actor),
        noteHash: t.noteHash,
        kind: c.kind,
        kindText: c.kind === null ? null : kindText(c.kind, "en"),
        tier: c.tier,
        amountRequested: c.amountRequested?.toString() ?? null,
        responseDeadline: c.responseDeadline === null ? null : Number(c.responseDeadline),
        resolutionDeadline: c.resolutionDeadline === null ? null : Number(c.resolutionDeadline),
        blockNumber: Number(t.blockNumber),
        blockTimestamp: Number(t.blockTimestamp),
        txHash: t.txHash,
        logIndex: t.logIndex,
      };
      return {
        sourceId: t.id,
        txHash: t.txHash,
        blockNumber: t.blockNumber,
        time: t.blockTimestamp,
        event: {
          type: "claim.status",
          idempotencyKey: key,
          // A transition whose claim row is missing (never expected: the indexer writes both in
          // one handler) reaches nobody rather than stalling the stream.
          recipients: c.claimant === null ? [] : [checksum(c.claimant)],
          body: envelope(key, "claim.status", at(t.blockTimestamp), data),
          source: `claim_transitions:${t.id}`,
        },
      };
    });
  },
  positionOf: (row) => row.sourceId,
  lookup: (db, ids) => lookupIds(db, claimTransitions, ids),
};

export const purchasesStream: Stream = {
  name: "purchases",
  async fetch(db, position, withPosition, safeHead, limit) {
    const rows = await db
      .select()
      .from(purchases)
      .where(
        and(
          (withPosition ? gte : gt)(purchases.id, position),
          safeHead === undefined ? undefined : lte(purchases.blockNumber, safeHead),
        ),
      )
      .orderBy(asc(purchases.id))
      .limit(limit);
    return rows.map((p) => {
      const key = chainEventKey(p);
      const beneficiary = checksum(p.beneficiary);
      const buyer = checksum(p.buyer);
      const data = {
        chainId: p.chainId,
        beneficiary,
        buyer,
        packageId: p.packageId.toString(),
        payToken: checksum(p.payToken),
        paid: p.paid.toString(),
        discountBps: p.discountBps,
        coveredUntil: Number(p.coveredUntil),
        blockNumber: Number(p.blockNumber),
        blockTimestamp: Number(p.blockTimestamp),
        txHash: p.txHash,
        logIndex: p.logIndex,
      };
      return {
        sourceId: p.id,
        txHash: p.txHash,
        blockNumber: p.blockNumber,
        time: p.blockTimestamp,
        event: {
          type: "coverage.purchased",
          idempotencyKey: key,
          recipients: beneficiary === buyer ? [beneficiary] : [beneficiary, buyer],
          body: envelope(key, "coverage.purchased", at(p.blockTimestamp), data),
          source: `purchases:${p.id}`,
        },
      };
    });
  },
  positionOf: (row) => row.sourceId,
  lookup: (db, ids) => lookupIds(db, purchases, ids),
};

export const stakeEventsStream: Stream = {
  name: "stake_events",
  async fetch(db, position, withPosition, safeHead, limit) {
    const rows = await db
      .select()
      .from(stakeEvents)
      .where(
        and(
          (withPosition ? gte : gt)(stakeEvents.id, position),
          safeHead === undefined ? undefined : lte(stakeEvents.blockNumber, safeHead),
        ),
      )
      .orderBy(asc(stakeEvents.id))
      .limit(limit);
    return rows.map((s) => {
      const key = chainEventKey(s);
      const account = checksum(s.account);
      const data = {
        chainId: s.chainId,
        account,
        kind: s.kind,
        amount: s.amount.toString(),
        newStake: s.newStake.toString(),
        requestId: s.requestId?.toString() ?? null,
        releaseAt: s.releaseAt === null ? null : Number(s.releaseAt),
        blockNumber: Number(s.blockNumber),
        blockTimestamp: Number(s.blockTimestamp),
        txHash: s.txHash,
        logIndex: s.logIndex,
      };
      return {
        sourceId: s.id,
        txHash: s.txHash,
        blockNumber: s.blockNumber,
        time: s.blockTimestamp,
        event: {
          type: "stake.changed",
          idempotencyKey: key,
          recipients: [account],
          body: envelope(key, "stake.changed", at(s.blockTimestamp), data),
          source: `stake_events:${s.id}`,
        },
      };
    });
  },
  positionOf: (row) => row.sourceId,
  lookup: (db, ids) => lookupIds(db, stakeEvents, ids),
};

/**
 * Breach credits (`BreachCreditPaid`): the pool paid a claimant because a deadline passed with no
 * answer (`no-response`) or no resolution (`resolution`). To the claimant's subscriptions.
 */
export const breachCreditsStream: Stream = {
  name: "breach_credits",
  async fetch(db, position, withPosition, safeHead, limit) {
    const rows = await db
      .select()
      .from(breachCredits)
      .where(
        and(
          (withPosition ? gte : gt)(breachCredits.id, position),
          safeHead === undefined ? undefined : lte(breachCredits.blockNumber, safeHead),
        ),
      )
      .orderBy(asc(breachCredits.id))
      .limit(limit);
    return rows.map((c) => {
      const key = chainEventKey(c);
      const claimant = checksum(c.claimant);
      const data = {
        chainId: c.chainId,
        claimId: c.claimId.toString(),
        claimant,
        kind: c.kind === "NoResponse" ? "no-response" : "resolution",
        amount: c.amount.toString(),
        triggeredBy: checksum(c.sender),
        blockNumber: Number(c.blockNumber),
        blockTimestamp: Number(c.blockTimestamp),
        txHash: c.txHash,
        logIndex: c.logIndex,
      };
      return {
        sourceId: c.id,
        txHash: c.txHash,
        blockNumber: c.blockNumber,
        time: c.blockTimestamp,
        event: {
          type: "claim.credit",
          idempotencyKey: key,
          recipients: [claimant],
          body: envelope(key, "claim.credit", at(c.blockTimestamp), data),
          source: `breach_credits:${c.id}`,
        },
      };
    });
  },
  positionOf: (row) => row.sourceId,
  lookup: (db, ids) => lookupIds(db, breachCredits, ids),
};

const INCIDENT_EVENT_TYPES = {
  Opened: "incident.opened",
  Cancelled: "incident.cancelled",
  Closed: "incident.closed",
} as const;

/**
 * Incident openings, cancellations and closings, from the indexer's incident log
 * (incident_events) joined with the round's state (incidents) for what the event does not carry.
 * Keyed `chainId:txHash:logIndex` and walked back on a reorg like the other event streams. Leaf
 * claims (kind `Claimed`) are in the log too but are not a webhook event.
 */
export const incidentEventsStream: Stream = {
  name: "incident_events",
  async fetch(db, position, withPosition, safeHead, limit) {
    const rows = await db
      .select({
        e: incidentEvents,
        root: incidents.root,
        // Not incidents.claimed: Ponder's SQL over HTTP answers rows as objects, so a second column
        // named like one of incident_events' (claimed) would overwrite it.
        total: incidents.total,
        claimCount: incidents.claimCount,
        claimableAt: incidents.claimableAt,
        claimDeadline: incidents.claimDeadline,
      })
      .from(incidentEvents)
      .leftJoin(incidents, eq(incidents.id, incidentEvents.incidentId))
      .where(
        and(
          (withPosition ? gte : gt)(incidentEvents.id, position),
          ne(incidentEvents.kind, "Claimed"),
          safeHead === undefined ? undefined : lte(incidentEvents.blockNumber, safeHead),
        ),
      )
      .orderBy(asc(incidentEvents.id))
      .limit(limit);
    return rows.map(({ e, ...i }) => {
      const key = chainEventKey(e);
      const type = INCIDENT_EVENT_TYPES[e.kind as keyof typeof INCIDENT_EVENT_TYPES];
      const where = {
        chainId: e.chainId,
        blockNumber: Number(e.blockNumber),
        blockTimestamp: Number(e.blockTimestamp),
        txHash: e.txHash,
        logIndex: e.logIndex,
      };
      const data =
        e.kind === "Opened"
          ? {
              incidentId: e.incidentId.toString(),
              root: i.root,
              total: e.amount.toString(),
              claimableAt: i.claimableAt === null ? null : Number(i.claimableAt),
              claimDeadline: i.claimDeadline === null ? null : Number(i.claimDeadline),
              metadataHash: e.noteHash,
              openedBy: checksum(e.actor),
              openedAt: Number(e.blockTimestamp),
              ...where,
            }
          : {
              incidentId: e.incidentId.toString(),
              status: e.kind,
              total: i.total?.toString() ?? null,
              // Closed carries the round's final claimed total; a round can only be cancelled in its
              // challenge window, before any leaf is claimable.
              claimed: (e.claimed ?? 0n).toString(),
              claimCount: i.claimCount,
              released: e.amount.toString(),
              ...(e.kind === "Cancelled" ? { guardian: checksum(e.actor), reasonHash: e.noteHash } : {}),
              endedAt: Number(e.blockTimestamp),
              ...where,
            };
      return {
        sourceId: e.id,
        txHash: e.txHash,
        blockNumber: e.blockNumber,
        time: e.blockTimestamp,
        event: {
          type,
          idempotencyKey: key,
          recipients: "*",
          body: envelope(key, type, at(e.blockTimestamp), data),
          source: `incident_events:${e.id}`,
        },
      };
    });
  },
  positionOf: (row) => row.sourceId,
  lookup: (db, ids) => lookupIds(db, incidentEvents, ids),
};

export const STREAMS: Stream[] = [
  claimTransitionsStream,
  purchasesStream,
  stakeEventsStream,
  incidentEventsStream,
  breachCreditsStream,
];
