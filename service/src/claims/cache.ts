/**
 * Indexed claim data held in memory for GET /v1/claims/:id: each claim's row (with its tier's SLA
 * factor) and transitions as the indexer returned them. Deadline states, seconds left and
 * confirmations depend on the time and the chain head, so the route computes them from this data
 * on every request, or fills them into the answer held with the claim (./answer.ts): rendered when
 * stored for a settled claim (with `answers`), by the claim read's lane at the first read otherwise,
 * and again whenever the head or the time has crossed a step since.
 *
 * Invalidation. Every change to a claim's row comes with a `ClaimStatusChanged` in the same
 * transaction (ClaimApproved and ClaimPaid are emitted next to one), or is a `BreachCreditPaid`,
 * so it shows up as a claim_transitions or breach_credits row (the change reader reads both); a reorg shows up as such rows vanishing or being replaced. A watcher
 * therefore re-reads, every `staleMs / 4`, the transitions of the blocks that may still change —
 * those above the newest transition block it has seen minus `reorgWindowBlocks`, deeper than any
 * reorg Ponder itself follows (its finality depth is at most 240 blocks) — and compares them with
 * what it read last time: a claim with a new, vanished or replaced transition is dropped. A change
 * of the tier table drops everything (every entry carries a tier's SLA factor). The window and the
 * tier table come in one query, as JSON text: when the text is the last check's, nothing changed
 * and nothing is parsed (most checks).
 *
 * Two tiers. Up to `maxEntries` claims are held with their rendered answers, least recently used
 * first out: an open claim as objects (~6 KB), a settled one as its answer with its timeline packed
 * in a string (`SettledEntry`: 3.7 KB a claim on average at bench:claim-cache, mostly settled); up
 * to `packedEntries` more are held packed (./packed.ts, well under 1 KB each, outside the heap),
 * first packed first out: a claim the first tier evicts, a claim read but not admitted, and the
 * older claims the warm-up reads. A read of a packed claim unpacks it (no round trip) and, if
 * admitted, moves it to the first tier. Both tiers follow the same rules below: a change drops a
 * claim from both.
 *
 * Admission. While the cache is full, a claim a read misses is stored at its second miss, not its
 * first (a doorkeeper of recent misses): reads spread over more claims than it holds do not
 * replace an entry each, and claims being polled still get in at their second read.
 *
 * Staleness bound. An entry is answered only while the last successful check began less than
 * `staleMs` ago; otherwise (the indexer is slow or down) requests go to the indexer. An entry is
 * only stored if no check ran while it was being read and every transition it holds in a
 * changeable block was already seen by the watcher (so a row that vanished before the watcher
 * saw it cannot linger). Hence a cached answer reflects the indexer as it was at most `staleMs`
 * earlier. Unknown claim ids are remembered too (a claim appears with its first transition).
 *
 * Warm-up. With `warm`, the cache fills itself after its first check (and, after a flood or a
 * tier change emptied it, after the next check that does not empty it again) with the newest
 * claims, up to its size (the newest `maxEntries` as objects, up to `packedEntries` older ones
 * packed): those claimants and assessors are likeliest to ask about, and a restarted replica then
 * answers them from memory at once rather than one database round trip each. A warm-up that finds
 * the last check too old (checks failing or late) pauses and goes on from where it was at the next
 * check on time. It reads them in batches, oldest of them first, so the newest are the last the
 * LRU order evicts; it never evicts to make room, stores a batch only under the same rule as a
 * read (no check dropped anything meanwhile, every changeable transition seen; a batch that
 * overlapped a drop is read again), and gives up quietly on an error: the cache then fills on
 * demand, as without warm-up.
 *
 * The SLA queue (GET /v1/queue) is answered from the same watcher: the open claims (loaded at
 * the first check) are kept in deadline order (../queue/openClaims.ts), and each check re-reads
 * the rows of the claims that changed and moves them. A re-read row whose latest transition the
 * watcher has not seen yet is read again at the next check. Which claims are past their deadline
 * or no longer waiting for their payable time is decided per request from `now`.
 */
import { Counter, Gauge, type Registry } from "prom-client";

import type { Logger } from "../http/router.js";
import type { ClaimChange } from "../stats/ledger.js";
import type { ServiceConfig } from "../config.js";
import { OpenClaimsQueue } from "../queue/openClaims.js";
import { ClaimAnswer } from "./answer.js";
import { PackedClaims } from "./packed.js";
import { trackingPolicy, type TrackingPolicy } from "./view.js";
import {
  MAX_IDS_PER_QUERY,
  OPEN_STATUSES,
  type ChainHead,
  type ClaimChangeReader,
  type ClaimStatus,
  type ClaimTimeline,
  type IndexerReader,
  type QueueQuery,
  type QueueRecord,
  type QueueSource,
  type TransitionStamp,
} from "../indexer/reader.js";

type Timeline = Awaited<ReturnType<IndexerReader["timeline"]>>;

/**
 * What the cache holds of a claim: its timeline (undefined: no such claim yet) and its rendered
 * answer (./answer.ts), which the claim read's lane renders again when it no longer answers.
 * `passing` marks a read the cache does not keep (its answer would be lost). A settled entry's
 * `found` is unpacked at each use: `claimExists` tells whether the claim exists without it.
 */
export type CachedClaim = {
  readonly found: Timeline;
  answer: ClaimAnswer | null | undefined;
  readonly passing?: true;
};

/** Whether a claim held exists (a settled entry's timeline is not unpacked to tell). */
export function claimExists(held: CachedClaim): boolean {
  return held.answer != null || held.found !== undefined;
}

/**
 * An entry of a settled claim with its answer rendered: the answer is all a read of it needs (it
 * holds for any time, ./answer.ts), so the timeline is kept packed, as one string, and unpacked
 * only when asked for (the router's reads, a head below the answer's). As objects it was about half
 * of an entry's heap, and the entries make most of a loaded replica's heap.
 */
class SettledEntry implements CachedClaim {
  constructor(
    private readonly store: PackedClaims,
    /** The timeline as `PackedClaims.record` gives it. */
    readonly record: string,
    public answer: ClaimAnswer | null | undefined,
  ) {}

  get found(): ClaimTimeline {
    return this.store.unpackRecord(this.record);
  }
}

export type ClaimCacheOptions = {
  /** Claims kept as entries, with their answers (least recently used go first). */
  maxEntries: number;
  /** Claims kept packed besides those (first packed, first out; default 0: none). */
  packedEntries?: number;
  /** The staleness bound in milliseconds; the watcher checks four times as often. */
  staleMs: number;
  /** Blocks below the newest seen that may still change (reorg depth). */
  reorgWindowBlocks?: number;
  /** More changed rows than this in one check: everything is dropped instead of compared. */
  maxRowsPerCheck?: number;
  log: Logger;
  /** Wall clock in milliseconds. */
  now?: () => number;
  /** Called with each request's outcome (metrics). */
  onLookup?: (result: LookupResult) => void;
  /** Fill the cache with the newest claims after the first check (needs the change reader's timelines). */
  warm?: boolean;
  /** Claims read per warm-up query (default WARM_BATCH). */
  warmBatch?: number;
  /**
   * With the claim read's policy, a settled claim's answer is rendered when it is stored (./answer.ts),
   * and `answered` hands it to the claim read's lane.
   */
  answers?: TrackingPolicy;
};

/** How the cache answered a read: from an entry, from a packed claim, from the indexer (kept or not), or bypassed. */
export type LookupResult = "hit" | "packed" | "miss" | "bypass";

/** Claims read per warm-up query. */
export const WARM_BATCH = 500;
/** Times a warm-up batch that overlapped a drop is read again before it is skipped. */
const WARM_RETRIES = 3;

/** Deeper than Ponder's deepest finality (240 blocks on Arbitrum; 65 on Ethereum, 30 elsewhere). */
export const REORG_WINDOW_BLOCKS = 256;

export class CachedIndexerReader implements IndexerReader {
  private readonly entries = new Map<bigint, CachedClaim>();
  /**
   * The second tier: claims held packed (./packed.ts), in the order they were packed, the first
   * going first when full; `set` refuses a claim it cannot pack (or any, with no room at all).
   */
  private readonly packed: PackedClaims;
  private readonly maxPacked: number;
  /**
   * Ids a read missed while the cache was full, not stored (TinyLFU's doorkeeper): a claim read
   * then is stored at its second miss. Without it, reads spread over more claims than the cache
   * holds replaced an entry at every miss, and each entry lived long enough to reach the heap's old
   * generation and die there; a scan of ids nobody reads again no longer flushes the claims people
   * poll. Emptied when it holds a quarter of `maxEntries`.
   */
  private readonly doorkeeper = new Set<bigint>();
  /** Reads under way, shared by concurrent requests for the same claim while no check dropped anything. */
  private readonly loading = new Map<bigint, { epoch: number; load: Promise<CachedClaim> }>();
  private readonly now: () => number;
  private readonly windowBlocks: bigint;
  private readonly maxRows: number;
  /** Increases whenever the watcher drops entries: a read that overlapped a drop is not stored. */
  private epoch = 0;
  /** Start of the last check that completed (ms), or undefined before the first one. */
  private checkedAt: number | undefined;
  /** Newest transition block ever seen; blocks above `newest - window` may still change. */
  private newestBlock: bigint | undefined;
  /** The changeable transitions as of the last check, by id. */
  private seen = new Map<string, TransitionStamp>();
  private tierKey: string | undefined;
  /**
   * The window the last check read, as text: the same text again means the same rows and tiers,
   * so a check has nothing to compare (most checks, four times a second on every replica).
   */
  private windowText: string | undefined;
  /** Open claims in queue order, with the deadline each waits on; undefined until the first check. */
  private open: OpenClaimsQueue | undefined;
  /** Claims whose row was newer than the transitions the watcher had seen: read again next check. */
  private dirty = new Set<bigint>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly listeners: Array<(change: ClaimChange, checkedAt: number) => void> = [];
  private stopped = true;
  /** Set when a check emptied the cache, until a warm-up begins (with `warm`). */
  private warmDue = false;
  /** Set by `dropAll` during the check under way. */
  private emptiedNow = false;
  /** Increases with every warm-up begun: an older one still running stops at its next batch. */
  private warmRun = 0;
  private warming: Promise<number> | undefined;
  /**
   * Where a warm-up the staleness bound interrupted goes on from (the last id it kept before), and
   * the first id it keeps as an entry rather than packed.
   */
  private warmFrom: { after: bigint; entries: bigint } | undefined;

  /** The reader's look-up of filed evidence, when it has one (the purge loop keeps statements without it). */
  readonly filedEvidence: IndexerReader["filedEvidence"];

  constructor(
    private readonly reader: IndexerReader,
    private readonly changeReader: ClaimChangeReader,
    private readonly o: ClaimCacheOptions,
  ) {
    this.filedEvidence = reader.filedEvidence?.bind(reader);
    if (o.maxEntries < 1) throw new Error("claim cache: maxEntries must be at least 1");
    this.now = o.now ?? Date.now;
    this.windowBlocks = BigInt(o.reorgWindowBlocks ?? REORG_WINDOW_BLOCKS);
    this.maxRows = o.maxRowsPerCheck ?? 5_000;
    this.maxPacked = o.packedEntries ?? 0;
    this.packed = new PackedClaims({ maxEntries: this.maxPacked });
  }

  // ─── IndexerReader ──────────────────────────────────────────────────────────

  head(): Promise<ChainHead> {
    return this.reader.head();
  }

  chainNow(wallMs: number): Promise<bigint> {
    return this.reader.chainNow(wallMs);
  }

  clockAt(wallMs: number): { head: ChainHead; now: bigint } | undefined {
    return this.reader.clockAt?.(wallMs);
  }

  standby(...args: Parameters<IndexerReader["standby"]>) {
    return this.reader.standby(...args);
  }

  breachCreditTerms() {
    return this.reader.breachCreditTerms();
  }

  claim(id: bigint) {
    return this.reader.claim(id);
  }

  transitions(claimId: bigint) {
    return this.reader.transitions(claimId);
  }

  claimsByAccount(...args: Parameters<IndexerReader["claimsByAccount"]>) {
    return this.reader.claimsByAccount(...args);
  }

  async queue(query: QueueQuery): Promise<QueueRecord[]> {
    if (!this.fresh() || this.open === undefined) return this.reader.queue(query);
    return this.open.page(query);
  }

  assessorRows() {
    if (this.reader.assessorRows === undefined) throw new Error("this indexer reader has no per-assessor rows");
    return this.reader.assessorRows();
  }

  stats(now: bigint) {
    return this.reader.stats(now);
  }

  async timeline(id: bigint): Promise<Timeline> {
    return (await this.answered(id)).found;
  }

  /**
   * A claim's timeline as `timeline` reads it, with the answer the cache holds for it (a read the
   * cache does not keep comes without one, marked `passing`).
   */
  async answered(id: bigint): Promise<CachedClaim> {
    const held = this.answeredNow(id);
    if (held !== undefined) return held;
    if (!this.fresh()) {
      this.o.onLookup?.("bypass");
      return { found: await this.reader.timeline(id), answer: undefined, passing: true };
    }
    this.o.onLookup?.("miss");
    const epoch = this.epoch;
    const pending = this.loading.get(id);
    if (pending !== undefined && pending.epoch === epoch) return pending.load;
    const load = this.reader.timeline(id).then((found) => {
      if (epoch === this.epoch && this.fresh() && this.seenAll(found)) {
        if (this.admit(id)) return this.store(id, found);
        if (found !== undefined) this.packed.set(id, found);
      }
      return { found, answer: undefined, passing: true } as const;
    });
    const entry = { epoch, load };
    this.loading.set(id, entry);
    try {
      return await load;
    } finally {
      if (this.loading.get(id) === entry) this.loading.delete(id);
    }
  }

  /**
   * `answered` when memory answers it (an entry or a packed claim, within the staleness bound),
   * without a promise; undefined, having counted and changed nothing, when it takes the indexer.
   */
  answeredNow(id: bigint): CachedClaim | undefined {
    if (!this.fresh()) return undefined;
    const hit = this.entries.get(id);
    if (hit !== undefined) {
      // Most recently used last: Map keeps insertion order, so the first key is the oldest.
      this.entries.delete(id);
      this.entries.set(id, hit);
      this.o.onLookup?.("hit");
      return hit;
    }
    const found = this.packed.get(id);
    if (found === undefined) return undefined;
    this.o.onLookup?.("packed");
    if (!this.admit(id)) return { found, answer: undefined, passing: true };
    return this.store(id, found); // which takes it out of the packed tier
  }

  /** The staleness bound (ms) and the wall clock the watcher stamps its checks with. */
  get freshness(): { staleMs: number; now: () => number } {
    return { staleMs: this.o.staleMs, now: this.now };
  }

  /** The change reader the watcher uses (the station figures' ledger reads claims through it). */
  get changeSource(): ClaimChangeReader {
    return this.changeReader;
  }

  /**
   * Calls `listener` after each successful check with what it found changed, and the time (ms) the
   * check began: `all` after the first check and after a flood (nothing was compared), else the
   * claims whose transitions appeared, vanished or were replaced (and those read again).
   */
  onChanges(listener: (change: ClaimChange, checkedAt: number) => void): void {
    this.listeners.push(listener);
  }

  private announce(change: ClaimChange, checkedAt: number): void {
    for (const listener of this.listeners) {
      try {
        listener(change, checkedAt);
      } catch (err) {
        this.o.log.warn("claim cache: a change listener failed", { error: String(err) });
      }
    }
  }

  // ─── State ──────────────────────────────────────────────────────────────────

  /** Entries held now (tests, metrics). */
  get size(): number {
    return this.entries.size;
  }

  /** Claims held packed now (tests, metrics). */
  get packedSize(): number {
    return this.packed.size;
  }

  /** True when answers may come from memory: the last completed check began within `staleMs`. */
  fresh(): boolean {
    return this.checkedAt !== undefined && this.now() - this.checkedAt < this.o.staleMs;
  }

  /** Whether a claim just read is stored: always while there is room, else at its second miss. */
  private admit(id: bigint): boolean {
    if (this.entries.size < this.o.maxEntries || this.entries.has(id)) return true;
    if (this.doorkeeper.delete(id)) return true;
    if (this.doorkeeper.size >= Math.max(1, Math.floor(this.o.maxEntries / 4))) this.doorkeeper.clear();
    this.doorkeeper.add(id);
    return false;
  }

  private store(id: bigint, found: Timeline): CachedClaim {
    const entry = this.entryOf(found);
    this.entries.set(id, entry);
    this.packed.delete(id); // a warm-up may have packed it while it was being read
    if (this.entries.size > this.o.maxEntries) {
      const oldest = this.entries.entries().next();
      if (oldest.done !== true) {
        const [evicted, entry] = oldest.value;
        this.entries.delete(evicted);
        if (entry instanceof SettledEntry) this.packed.setRecord(evicted, entry.record);
        else if (entry.found !== undefined) this.packed.set(evicted, entry.found);
      }
    }
    return entry;
  }

  /** An entry for `found`: a settled claim's answer rendered (with `answers`), its timeline then packed. */
  private entryOf(found: Timeline): CachedClaim {
    const policy = this.o.answers;
    const answer = found === undefined || policy === undefined ? undefined : ClaimAnswer.settled(found, policy);
    if (found === undefined || answer == null) return { found, answer };
    const record = this.packed.record(found);
    return record === undefined ? { found, answer } : new SettledEntry(this.packed, record, answer);
  }

  /** Every transition of `found` in a block that may still change was seen by the last check. */
  private seenAll(found: Timeline): boolean {
    if (this.newestBlock === undefined) return false;
    if (found === undefined) return true;
    const floor = this.newestBlock - this.windowBlocks;
    return found.transitions.every((t) => t.blockNumber <= floor || this.seen.get(t.id)?.txHash === t.txHash);
  }

  private drop(ids: Iterable<bigint>): void {
    this.epoch++;
    for (const id of ids) {
      this.entries.delete(id);
      this.packed.delete(id);
    }
  }

  private dropAll(): void {
    this.epoch++;
    this.entries.clear();
    this.packed.clear();
    this.emptiedNow = true;
    this.warmFrom = undefined;
  }

  // ─── The watcher ────────────────────────────────────────────────────────────

  /**
   * Starts the watcher: a check now, then one every `staleMs / 4` after the previous one ended.
   * Until a check has succeeded, reads go to the indexer.
   */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.runCheck();
  }

  /** Stops the watcher once the check and warm-up in progress (if any) have ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.warmRun++;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    await this.warming;
  }

  /** The warm-up under way, if any (resolves to the claims it stored). */
  get warmingUp(): Promise<number> | undefined {
    return this.warming;
  }

  /** True while a warm-up is under way or due (paused until a check is on time, or after an emptying). */
  get warmUpPending(): boolean {
    return this.warming !== undefined || (this.o.warm === true && this.warmDue);
  }

  private runCheck(): void {
    this.timer = undefined;
    this.running = this.check()
      .catch((err: unknown) => this.checkFailed(err))
      .finally(() => {
        this.running = undefined;
        if (!this.stopped) this.timer = setTimeout(() => this.runCheck(), Math.max(10, Math.floor(this.o.staleMs / 4)));
      });
  }

  private startWarm(): void {
    this.warmDue = false;
    const started = this.now();
    const run = this.warm()
      .then((stored) => {
        const fields = {
          claims: stored,
          cached: this.entries.size,
          packed: this.packed.size,
          ms: this.now() - started,
        };
        if (this.warmDue) this.o.log.info("claim cache: warm-up paused until checks are on time again", fields);
        else this.o.log.info("claim cache: warmed up with the newest claims", fields);
        return stored;
      })
      .catch((err: unknown) => {
        this.o.log.warn("claim cache: warm-up stopped; claims are kept as they are asked for", { error: String(err) });
        return 0;
      })
      .finally(() => {
        if (this.warming === run) this.warming = undefined;
      });
    this.warming = run;
  }

  /**
   * Fills the free room with the newest claims, oldest of them first, batch by batch (see the
   * warm-up rule above): the newest `maxEntries` as entries, up to `packedEntries` older ones
   * packed; resolves to the number of claims stored. Ends early when both tiers are full, when
   * stopped or not fresh, or when a newer warm-up begins. With `warm`, `check` starts it after a
   * check that emptied the cache; exposed for tests.
   */
  async warm(): Promise<number> {
    const { timelinesAfter, nthNewestClaimId } = this.changeReader;
    if (timelinesAfter === undefined || nthNewestClaimId === undefined) return 0;
    const run = ++this.warmRun;
    let from: { after: bigint; entries: bigint };
    if (this.warmFrom !== undefined) from = this.warmFrom;
    else {
      const newest = async (n: number) => (await nthNewestClaimId.call(this.changeReader, n)) ?? 0n;
      const entries = await newest(this.o.maxEntries);
      const oldest = this.maxPacked === 0 ? entries : await newest(this.o.maxEntries + this.maxPacked);
      from = { after: oldest - 1n, entries };
    }
    const roomFor = (id: bigint) =>
      id >= from.entries ? this.entries.size < this.o.maxEntries : this.packed.size < this.maxPacked;
    // Still something to store: room in the tier the next claims go to (the packed tier full, the
    // claims it would take are skipped).
    const current = () => {
      if (run !== this.warmRun) return false;
      if (from.after < from.entries - 1n) {
        if (this.packed.size < this.maxPacked) return true;
        from = { ...from, after: from.entries - 1n };
      }
      return this.entries.size < this.o.maxEntries;
    };
    let stored = 0;
    let retries = 0;
    while (current()) {
      const epoch = this.epoch;
      const limit = this.o.warmBatch ?? WARM_BATCH;
      const batch = await timelinesAfter.call(this.changeReader, from.after, limit);
      if (batch.length === 0 || !current()) break;
      if (!this.fresh()) {
        // Checks are failing or late (a first check over many open claims can outlast the bound,
        // the station figures' first load can hold the event loop): nothing read now could be
        // kept. The next check on time goes on from this batch.
        this.warmDue = true;
        this.warmFrom = from;
        return stored;
      }
      if (epoch !== this.epoch && retries < WARM_RETRIES) {
        retries++;
        continue;
      }
      if (epoch === this.epoch) {
        for (const found of batch) {
          const id = found.claim.id;
          if (!roomFor(id) || this.entries.has(id) || this.packed.has(id) || !this.seenAll(found)) continue;
          if (id >= from.entries) this.entries.set(id, this.entryOf(found));
          else if (!this.packed.set(id, found)) continue;
          stored++;
        }
      }
      if (batch.length < limit) break; // the newest claim read
      retries = 0;
      from = { ...from, after: batch[batch.length - 1]!.claim.id };
    }
    if (run === this.warmRun) this.warmFrom = undefined;
    return stored;
  }

  private checkFailed(err: unknown): void {
    this.o.log.warn("claim cache: change check failed; reading the indexer directly until it succeeds", {
      error: String(err),
    });
  }

  /**
   * One check: compares the changeable transitions and the tier table with the previous check,
   * drops what changed and refreshes the open claims that changed. Everything is read before
   * anything is updated, so a check that fails changes nothing. Exposed for tests; the watcher
   * calls it on its own.
   */
  async check(): Promise<void> {
    const first = this.checkedAt === undefined;
    this.emptiedNow = false;
    await this.compare();
    if (this.emptiedNow) this.warmDue = true;
    // The first warm-up follows the first check; a later one waits for a check that did not empty
    // the cache again (during a backfill every check floods, and a warm-up would be wasted).
    if (this.o.warm === true && this.warmDue && (first || !this.emptiedNow)) this.startWarm();
  }

  private async compare(): Promise<void> {
    const startedAt = this.now();
    if (this.newestBlock === undefined) return this.firstCheck(startedAt);
    const floor = this.newestBlock - this.windowBlocks;
    const window = await this.changeReader.changeWindow(floor, this.maxRows + 1);
    if (this.windowText === window.text && this.dirty.size === 0) {
      // The same rows and tiers as the last check, and no claim to read again: nothing changed.
      this.checkedAt = startedAt;
      this.announce({ all: false, ids: [] }, startedAt);
      return;
    }
    const { transitions: rows, tiers } = window.read();
    const tierKey = tierKeyOf(tiers);
    if (rows.length > this.maxRows) {
      // Too much changed to compare (a backfill or a long outage): forget everything, start over.
      this.o.log.warn("claim cache: too many new transitions to compare; cache emptied", { rows: rows.length });
      return this.firstCheck(startedAt);
    }
    const current = new Map(rows.map((r) => [r.id, r]));
    const changed = new Set<bigint>();
    for (const [id, before] of this.seen) {
      if (before.blockNumber > floor && current.get(id)?.txHash !== before.txHash) changed.add(before.claimId);
    }
    for (const [id, row] of current) {
      if (this.seen.get(id)?.txHash !== row.txHash) changed.add(row.claimId);
    }
    let newest = this.newestBlock;
    for (const row of rows) if (row.blockNumber > newest) newest = row.blockNumber;
    const reread = [...new Set([...changed, ...this.dirty])];
    const sources: QueueSource[] = [];
    for (let k = 0; k < reread.length; k += MAX_IDS_PER_QUERY) {
      sources.push(...(await this.changeReader.queueSources(reread.slice(k, k + MAX_IDS_PER_QUERY))));
    }

    // Everything read: update.
    if (tierKey !== this.tierKey) this.dropAll();
    else if (changed.size > 0) this.drop(changed);
    this.newestBlock = newest;
    this.seen = current;
    this.tierKey = tierKey;
    this.windowText = window.text;
    const open = this.open ?? new OpenClaimsQueue();
    const consistent = this.consistency(rows, newest);
    const byId = new Map(sources.map((r) => [r.id, r]));
    this.dirty = new Set();
    for (const id of reread) {
      const row = byId.get(id);
      const record = row === undefined ? undefined : queueRecord(row);
      if (record === undefined) open.delete(id);
      else open.set(record);
      if (row !== undefined && !consistent(row)) this.dirty.add(id);
    }
    this.open = open;
    this.checkedAt = startedAt;
    this.announce({ all: false, ids: reread }, startedAt);
  }

  /** The first check, and the one after a flood: starts from the newest block, loads the open claims. */
  private async firstCheck(startedAt: number): Promise<void> {
    const newest = (await this.changeReader.newestTransitionBlock()) ?? 0n;
    const floor = newest - this.windowBlocks;
    const window = await this.changeReader.changeWindow(floor, this.maxRows + 1);
    const { transitions: rows, tiers } = window.read();
    const openRows = await this.changeReader.openClaims();

    this.dropAll();
    // More rows than compared are left out of `seen`: reads holding them are not kept, and the
    // open claims they touch are read again at the next check.
    this.seen = new Map(rows.slice(0, this.maxRows).map((r) => [r.id, r]));
    this.newestBlock = newest;
    this.tierKey = tierKeyOf(tiers);
    // A window cut short at `maxRows` leaves rows out of `seen`: the next check compares in full.
    this.windowText = rows.length > this.maxRows ? undefined : window.text;
    const consistent = this.consistency([...this.seen.values()], newest);
    const records: QueueRecord[] = [];
    this.dirty = new Set();
    for (const row of openRows) {
      const record = queueRecord(row);
      if (record !== undefined) records.push(record);
      if (!consistent(row)) this.dirty.add(row.id);
    }
    this.open = OpenClaimsQueue.of(records);
    this.checkedAt = startedAt;
    this.announce({ all: true }, startedAt);
  }

  /**
   * Whether a claim row reflects only transitions the watcher has seen: its latest transition
   * (the claim's `updatedBlock`) is final, or one of the claim's transitions seen is in that block.
   */
  private consistency(rows: TransitionStamp[], newest: bigint): (row: QueueSource) => boolean {
    const floor = newest - this.windowBlocks;
    const blocks = new Map<bigint, Set<bigint>>();
    for (const r of rows) {
      const set = blocks.get(r.claimId) ?? new Set<bigint>();
      set.add(r.blockNumber);
      blocks.set(r.claimId, set);
    }
    return (row) => row.updatedBlock <= floor || blocks.get(row.id)?.has(row.updatedBlock) === true;
  }
}

/** The tier table as one comparable string (a change of any SLA factor drops every entry). */
function tierKeyOf(tiers: ReadonlyArray<{ tier: number; slaFactorBps: number }>): string {
  return tiers.map((r) => `${r.tier}:${r.slaFactorBps}`).join(",");
}

/**
 * The claim cache the configuration asks for in front of `reader`, with its metrics
 * (`station_claim_cache_lookups_total{result}`, `station_claim_cache_entries`, `station_claim_cache_packed`); undefined when
 * CLAIM_CACHE_SIZE is 0 or the reader cannot report changes. Call `start()` before serving.
 */
export function claimCacheFromConfig(
  reader: IndexerReader,
  config: Pick<ServiceConfig, "claimCache" | "finalityConfirmations" | "slaAtRiskFraction">,
  log: Logger,
  metrics?: Registry,
): CachedIndexerReader | undefined {
  const { size, packed, staleMs, warm } = config.claimCache;
  if (size === 0) return undefined;
  const changes = reader.changes;
  if (changes === undefined) {
    log.warn("claim cache off: the indexer reader cannot report changes");
    return undefined;
  }
  const registers = metrics === undefined ? [] : [metrics];
  const lookups = new Counter({
    name: "station_claim_cache_lookups_total",
    help: "GET /v1/claims/:id reads by result: hit (memory), packed (memory, unpacked), miss (read from the indexer), bypass (cache not fresh).",
    labelNames: ["result"],
    registers,
  });
  const cache = new CachedIndexerReader(reader, changes, {
    maxEntries: size,
    packedEntries: packed,
    staleMs,
    warm,
    log,
    onLookup: (result) => lookups.inc({ result }),
    answers: trackingPolicy(config),
  });
  new Gauge({
    name: "station_claim_cache_entries",
    help: "Claims held by the claim cache as entries, with their answers.",
    registers,
    collect() {
      this.set(cache.size);
    },
  });
  new Gauge({
    name: "station_claim_cache_packed",
    help: "Claims held by the claim cache packed (CLAIM_CACHE_PACKED).",
    registers,
    collect() {
      this.set(cache.packedSize);
    },
  });
  return cache;
}

const OPEN: ReadonlySet<ClaimStatus> = new Set(OPEN_STATUSES);

/** The queue item of an open claim, or undefined for a claim nobody waits on. */
function queueRecord(row: QueueSource): QueueRecord | undefined {
  if (!OPEN.has(row.status)) return undefined;
  const deadline =
    row.status === "Submitted"
      ? row.responseDeadline
      : row.status === "Approved"
        ? row.payableAt
        : row.resolutionDeadline;
  return deadline === null ? undefined : { ...row, deadline };
}
