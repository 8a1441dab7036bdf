/**
 * The status feed: reads new indexer rows in chain order and turns them into webhook deliveries.
 *
 * Durability: each stream has a cursor row in `feed_cursors`. Enqueueing a batch's deliveries,
 * recording its rows in `feed_events` and moving the cursor happen in one transaction of the
 * service database, so a crash or restart loses nothing and doubles nothing. Replicas take turns:
 * a batch commits only while holding its cursor row (`FOR UPDATE SKIP LOCKED`) and only if the
 * cursor is still where the batch was read from.
 *
 * Reorgs: Ponder deletes the rows of replaced blocks. Before reading on, the feed checks that the
 * row under its cursor still exists with the same transaction; if not, it walks back through
 * `feed_events` to the newest row still present, forgets the vanished ones and cancels their
 * deliveries not yet sent, then reads forward again. With `confirmations` > 0 rows are read only
 * once that many blocks are on top of them, so reorgs shallower than that never reach receivers.
 */
import { and, desc, eq, inArray, lte, lt } from "drizzle-orm";

import type { Logger } from "../http/router.js";
import type { Database } from "../db/client.js";
import { enqueueEvents } from "../webhooks/enqueue.js";
import { Loop } from "../webhooks/loop.js";
import type { DeliveryMetrics } from "../webhooks/metrics.js";
import { feedCursors, feedEvents, webhookDeliveries } from "../webhooks/schema.js";
import type { IndexerSource } from "./source.js";
import { STREAMS, type Stream } from "./streams.js";

export type FeedOptions = {
  db: Database;
  indexer: IndexerSource;
  log: Logger;
  metrics: DeliveryMetrics;
  confirmations: number;
  batchSize: number;
  pollMs: number;
  /** Subscribe to the indexer's change notifications when it offers them. */
  live: boolean;
  now?: () => number;
  /** Called after a batch created deliveries (wakes the sender). */
  onEnqueued?: () => void;
  streams?: Stream[];
};

const WALK_PAGE = 200;

export class StatusFeed {
  private readonly loop: Loop;
  private readonly streams: Stream[];
  private readonly now: () => number;
  private unwatch: (() => void) | undefined;
  /** Completed passes over the streams (for tests and diagnostics). */
  passes = 0;

  constructor(private readonly o: FeedOptions) {
    this.streams = o.streams ?? STREAMS;
    this.now = o.now ?? Date.now;
    this.loop = new Loop("status feed", o.pollMs, () => this.tick(), o.log);
  }

  async start(): Promise<void> {
    await this.ensureCursors();
    this.loop.start();
    if (this.o.live && this.o.indexer.watch !== undefined) this.unwatch = this.o.indexer.watch(() => this.loop.wake());
  }

  wake(): void {
    this.loop.wake();
  }

  async stop(): Promise<void> {
    this.unwatch?.();
    await this.loop.stop();
  }

  async ensureCursors(): Promise<void> {
    await this.o.db
      .insert(feedCursors)
      .values(this.streams.map((s) => ({ stream: s.name, position: "" })))
      .onConflictDoNothing();
  }

  /** One pass over every stream. True when some stream has more to read right away. */
  async tick(): Promise<boolean> {
    let safeHead: bigint | undefined;
    if (this.o.confirmations > 0) {
      const head = await this.o.indexer.head();
      if (head === undefined) return false;
      safeHead = head - BigInt(this.o.confirmations);
    }
    const cursors = new Map((await this.o.db.select().from(feedCursors)).map((c) => [c.stream, c]));
    // Streams are independent (one cursor row each): read them side by side.
    const more = await Promise.all(
      this.streams.map(async (stream) => {
        const cursor = cursors.get(stream.name);
        if (cursor === undefined) {
          await this.ensureCursors();
          return true;
        }
        return this.tickStream(stream, cursor, safeHead);
      }),
    );
    this.passes++;
    return more.some(Boolean);
  }

  private async tickStream(
    stream: Stream,
    cursor: { position: string; txHash: string | null },
    safeHead: bigint | undefined,
  ): Promise<boolean> {
    const { db, indexer } = this.o;
    // Event streams read from the cursor row itself: if it is gone or is another transaction
    // now, a reorg replaced it. (One query does both jobs.)
    const verify = stream.lookup !== undefined && cursor.position !== "";
    const rows = await stream.fetch(indexer.db, cursor.position, verify, safeHead, this.o.batchSize + (verify ? 1 : 0));
    if (verify) {
      const first = rows.shift();
      if (first === undefined || first.sourceId !== cursor.position || first.txHash !== cursor.txHash) {
        return this.walkBack(stream, cursor.position);
      }
    }
    if (rows.length === 0) return false;
    const last = rows[rows.length - 1]!;
    const nextPosition = stream.positionOf(last);

    const outcome = await db.transaction(async (tx) => {
      const [locked] = await tx
        .select({ position: feedCursors.position })
        .from(feedCursors)
        .where(eq(feedCursors.stream, stream.name))
        .for("update", { skipLocked: true });
      // Another replica holds the cursor, or moved it since we read: its batch wins, ours is dropped.
      if (locked === undefined || locked.position !== cursor.position) return undefined;
      const fresh = await tx
        .insert(feedEvents)
        .values(
          rows.map((r) => ({
            stream: stream.name,
            sourceId: r.sourceId,
            eventKey: r.event.idempotencyKey,
            txHash: r.txHash,
            blockNumber: r.blockNumber,
          })),
        )
        .onConflictDoNothing()
        .returning({ sourceId: feedEvents.sourceId });
      const freshIds = new Set(fresh.map((f) => f.sourceId));
      const events = rows.filter((r) => freshIds.has(r.sourceId)).map((r) => r.event);
      const created = await enqueueEvents(tx, events, new Date(this.now()));
      await tx
        .update(feedCursors)
        .set({ position: nextPosition, txHash: last.txHash, updatedAt: new Date(this.now()) })
        .where(eq(feedCursors.stream, stream.name));
      return { events: events.length, created };
    });
    if (outcome === undefined) return true;
    this.o.metrics.feedEvents.inc({ stream: stream.name }, outcome.events);
    this.o.metrics.feedLag.set({ stream: stream.name }, Math.max(0, this.now() / 1000 - Number(last.time)));
    if (outcome.created > 0) this.o.onEnqueued?.();
    return rows.length === this.o.batchSize && nextPosition !== cursor.position;
  }

  /**
   * The row under the cursor is gone or was replaced: find the newest processed row that is still
   * in the indexer, drop everything processed after it and cancel its unsent deliveries. True when
   * the cursor moved.
   */
  private async walkBack(stream: Stream, position: string): Promise<boolean> {
    const { db, indexer, log } = this.o;
    const vanished: Array<{ sourceId: string }> = [];
    let survivor: { sourceId: string; txHash: string | null } | undefined;
    let bound = position;
    let inclusive = true;
    for (;;) {
      const page = await db
        .select({ sourceId: feedEvents.sourceId, txHash: feedEvents.txHash })
        .from(feedEvents)
        .where(
          and(
            eq(feedEvents.stream, stream.name),
            inclusive ? lte(feedEvents.sourceId, bound) : lt(feedEvents.sourceId, bound),
          ),
        )
        .orderBy(desc(feedEvents.sourceId))
        .limit(WALK_PAGE);
      const present = await stream.lookup!(
        indexer.db,
        page.map((p) => p.sourceId),
      );
      for (const row of page) {
        if (present.get(row.sourceId) === row.txHash) {
          survivor = row;
          break;
        }
        vanished.push(row);
      }
      if (survivor !== undefined || page.length < WALK_PAGE) break;
      bound = page[page.length - 1]!.sourceId;
      inclusive = false;
    }
    // The cursor row is still there (it was only above a head that moved back): nothing to undo.
    if (vanished.length === 0) return false;
    const cancelled = await db.transaction(async (tx) => {
      const [locked] = await tx
        .select({ position: feedCursors.position })
        .from(feedCursors)
        .where(eq(feedCursors.stream, stream.name))
        .for("update", { skipLocked: true });
      if (locked === undefined || locked.position !== position) return undefined;
      let count = 0;
      for (let i = 0; i < vanished.length; i += 500) {
        const ids = vanished.slice(i, i + 500).map((v) => v.sourceId);
        await tx.delete(feedEvents).where(and(eq(feedEvents.stream, stream.name), inArray(feedEvents.sourceId, ids)));
        const rows = await tx
          .update(webhookDeliveries)
          .set({
            status: "cancelled",
            lastError: "the chain reorganised: this event is no longer on chain",
            leaseOwner: null,
            leaseUntil: null,
          })
          .where(
            and(
              eq(webhookDeliveries.status, "pending"),
              inArray(
                webhookDeliveries.source,
                ids.map((id) => `${stream.name}:${id}`),
              ),
            ),
          )
          .returning({ id: webhookDeliveries.id });
        count += rows.length;
      }
      await tx
        .update(feedCursors)
        .set({
          position: survivor?.sourceId ?? "",
          txHash: survivor?.txHash ?? null,
          updatedAt: new Date(this.now()),
        })
        .where(eq(feedCursors.stream, stream.name));
      return count;
    });
    if (cancelled === undefined) return true; // another replica got there first
    this.o.metrics.feedReorgs.inc({ stream: stream.name });
    log.warn("status feed: reorg detected, cursor walked back", {
      stream: stream.name,
      from: position,
      to: survivor?.sourceId ?? "",
      removedEvents: vanished.length,
      cancelledDeliveries: cancelled,
    });
    return true;
  }
}
