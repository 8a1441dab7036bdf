import { expect } from "chai";
import { eq } from "drizzle-orm";

import { claims, claimTransitions, tiers } from "../../indexer/ponder.schema.js";
import { loadConfig } from "../../service/src/config.js";
import type { DatabaseHandle } from "../../service/src/db/client.js";
import type { ClaimChangeReader, IndexerReader, QueueQuery, QueueRecord } from "../../service/src/indexer/reader.js";
import { createLogger } from "../../service/src/http/log.js";
import { createMetricsRegistry } from "../../service/src/http/metrics.js";
import { CachedIndexerReader, claimCacheFromConfig } from "../../service/src/claims/cache.js";
import { ClaimAnswer } from "../../service/src/claims/answer.js";
import { PackedClaims } from "../../service/src/claims/packed.js";
import { trackingPolicy, type ClaimView, type TrackingPolicy } from "../../service/src/claims/view.js";
import { waitFor } from "./deliveryHarness.js";
import { ENGINES } from "./helpers.js";
import { insertClaims, insertTiers, T0 } from "./indexer.js";
import { getJson, readFixture, type ReadFixture } from "./readApp.js";

const STALE_MS = 1000;
const hex = (n: bigint) => `0x${n.toString(16).padStart(64, "0")}` as const;

/** A reader that counts the claim reads reaching the indexer, and can hold them at a gate. */
function counting(reader: IndexerReader) {
  const calls: bigint[] = [];
  let gate: Promise<void> | undefined;
  const wrapped: IndexerReader = {
    ...reader,
    async timeline(id) {
      calls.push(id);
      const result = await reader.timeline(id);
      await gate;
      return result;
    },
  };
  return {
    reader: wrapped,
    calls,
    hold() {
      let open!: () => void;
      gate = new Promise((resolve) => (open = resolve));
      return () => {
        gate = undefined;
        open();
      };
    },
  };
}

/**
 * Changes that fail while `down` is set, as an unreachable indexer would; `beforeSources` runs
 * between a check's reading of the transitions and of the changed claims' rows.
 */
function flaky(changes: ClaimChangeReader) {
  const state: {
    down: boolean;
    beforeSources?: () => Promise<void>;
    /** Runs after a warm-up batch was read, before the cache gets it; `batches` counts the reads. */
    afterBatch?: (n: number) => Promise<void>;
    batches: number;
    warmDown?: boolean;
    /** The change reader's methods in the order they were called. */
    calls: string[];
  } = { down: false, batches: 0, calls: [] };
  const fail = async (): Promise<never> => {
    throw new Error("connect ECONNREFUSED 127.0.0.1:42069");
  };
  const wrapped: ClaimChangeReader = {
    changeWindow: (...a) => (state.calls.push("changeWindow"), state.down ? fail() : changes.changeWindow(...a)),
    newestTransitionBlock: () => (
      state.calls.push("newestTransitionBlock"),
      state.down ? fail() : changes.newestTransitionBlock()
    ),
    openClaims: () => (state.calls.push("openClaims"), state.down ? fail() : changes.openClaims()),
    async queueSources(ids) {
      state.calls.push("queueSources");
      if (state.down) return fail();
      const hook = state.beforeSources;
      state.beforeSources = undefined;
      await hook?.();
      return changes.queueSources(ids);
    },
    nthNewestClaimId: (n) => (state.down ? fail() : changes.nthNewestClaimId!(n)),
    async timelinesAfter(after, limit) {
      if (state.down || state.warmDown === true) return fail();
      const batch = await changes.timelinesAfter!(after, limit);
      state.batches++;
      await state.afterBatch?.(state.batches);
      return batch;
    },
  };
  return { changes: wrapped, state };
}

for (const engine of ENGINES) {
  describe(`claim cache (${engine})`, function () {
    this.timeout(30_000);
    let f: ReadFixture;
    let handle: DatabaseHandle;
    let clockMs: number;
    let caches: CachedIndexerReader[];

    beforeEach(async function () {
      f = await readFixture(engine);
      handle = f.handle;
      clockMs = Number(f.clock.now) * 1000;
      caches = [];
      await insertTiers(handle.db);
      // Claim 1: submitted at T0 + 900 (block 900), response deadline 10 minutes later.
      await insertClaims(handle.db, [{ id: 1n, submittedAt: T0 + 900n }]);
      await insertClaims(handle.db, [{ id: 2n, submittedAt: T0 + 950n }]);
    });
    afterEach(async function () {
      for (const c of caches) await c.stop();
      await f.close();
    });

    function setup(
      options: {
        maxEntries?: number;
        packedEntries?: number;
        staleMs?: number;
        maxRowsPerCheck?: number;
        warmBatch?: number;
        warm?: boolean;
        answers?: TrackingPolicy;
      } = {},
    ) {
      const direct = counting(readerOf(f));
      const gated = flaky(readerOf(f).changes!);
      const cache = new CachedIndexerReader(direct.reader, gated.changes, {
        maxEntries: options.maxEntries ?? 100,
        packedEntries: options.packedEntries,
        staleMs: options.staleMs ?? STALE_MS,
        maxRowsPerCheck: options.maxRowsPerCheck,
        warmBatch: options.warmBatch,
        warm: options.warm,
        answers: options.answers,
        log: createLogger("silent"),
        now: () => clockMs,
      });
      caches.push(cache);
      return { cache, calls: direct.calls, hold: direct.hold, changes: gated.state, app: f.app({}, cache) };
    }

    /** What the indexer writes when a claim moves on: the transition row and the claim row, together. */
    async function transition(
      id: bigint,
      status: "Accepted" | "Rejected" | "Approved",
      block: bigint,
      n: number,
      payableAt: bigint | null = null,
    ) {
      const at = T0 + block;
      await handle.db.transaction(async (tx) => {
        await tx.insert(claimTransitions).values({
          id: `${id}-${n}`,
          chainId: 31337,
          claimId: id,
          status,
          actor: "0x90f79bf6eb2c4f870365e785982e1f101e93b906",
          noteHash: hex(BigInt(n)),
          blockNumber: block,
          blockTimestamp: at,
          txHash: hex(id * 100n + BigInt(n)),
          logIndex: 0,
        });
        await tx
          .update(claims)
          .set({
            status,
            ...(status === "Accepted"
              ? { acceptedAt: at }
              : status === "Approved"
                ? { approvedAt: at, payableAt }
                : { closedAt: at }),
            updatedBlock: block,
            updatedAt: at,
          })
          .where(eq(claims.id, id));
      });
    }

    /** A reorg as Ponder applies it: the claim's transition `n` vanishes, the claim back to Submitted at `block`. */
    async function reorgAway(id: bigint, n: number, block: bigint) {
      await handle.db.delete(claimTransitions).where(eq(claimTransitions.id, `${id}-${n}`));
      await handle.db
        .update(claims)
        .set({ status: "Submitted", acceptedAt: null, updatedBlock: block })
        .where(eq(claims.id, id));
    }

    /** A reorg that puts another transaction at transition `n`'s place, rejecting the claim at `block`. */
    async function reorgToRejection(id: bigint, n: number, block: bigint) {
      await handle.db
        .update(claimTransitions)
        .set({ txHash: hex(999n), status: "Rejected" })
        .where(eq(claimTransitions.id, `${id}-${n}`));
      await handle.db
        .update(claims)
        .set({ status: "Rejected", acceptedAt: null, closedAt: T0 + block })
        .where(eq(claims.id, id));
    }

    const claimBody = async (app: ReturnType<ReadFixture["app"]>, id: bigint) =>
      getJson<ClaimView>(app, `/v1/claims/${id}`);

    it("answers a claim from memory after the first read, computing deadline states per request", async function () {
      const { cache, calls, app } = setup();
      await cache.check();
      f.clock.now = T0 + 1000n; // 100 s into a 600 s response window
      clockMs = Number(f.clock.now) * 1000;
      const first = await claimBody(app, 1n);
      expect(first.status).to.equal(200);
      expect(first.body.sla).to.include({ state: "on-track", secondsLeft: 500 });
      f.clock.now = T0 + 1400n; // 100 s left: at risk
      const second = await claimBody(app, 1n);
      expect(second.body.sla).to.include({ state: "at-risk", secondsLeft: 100 });
      f.clock.now = T0 + 1600n; // past the deadline
      const third = await claimBody(app, 1n);
      expect(third.body.sla).to.include({ state: "breached", secondsLeft: -100 });
      // The head moved: confirmations too, computed per request.
      f.head.current = { number: 1005n, timestamp: T0 + 1005n };
      expect((await claimBody(app, 1n)).body.finality.headBlock).to.equal(1005);
      expect(calls).to.deep.equal([1n]);
      expect(cache.size).to.equal(1);
    });

    it("drops a claim at the next check once the indexer records a new transition for it", async function () {
      const { cache, calls, app } = setup();
      await cache.check();
      expect((await claimBody(app, 1n)).body.status).to.equal("Submitted");
      expect((await claimBody(app, 2n)).body.status).to.equal("Submitted");
      await transition(1n, "Accepted", 960n, 1);
      // Until the next check the cache may answer the state it read (within the bound) …
      expect((await claimBody(app, 1n)).body.status).to.equal("Submitted");
      await cache.check();
      // … and after it, the new state; the claim that did not change stays in memory.
      const after = await claimBody(app, 1n);
      expect(after.body.status).to.equal("Accepted");
      expect(after.body.timeline.find((s) => s.stage === "Accepted")?.reached).to.equal(true);
      expect((await claimBody(app, 2n)).body.status).to.equal("Submitted");
      expect(calls).to.deep.equal([1n, 2n, 1n]);
    });

    it("drops a claim whose transition a reorg removed or replaced with another transaction", async function () {
      const { cache, calls, app } = setup();
      await transition(1n, "Accepted", 960n, 1);
      await transition(2n, "Accepted", 970n, 1);
      await cache.check();
      expect((await claimBody(app, 1n)).body.status).to.equal("Accepted");
      expect((await claimBody(app, 2n)).body.status).to.equal("Accepted");
      // Block 960 reorganised away: Ponder deletes its rows and reverts the claim.
      await reorgAway(1n, 1, 900n);
      // Block 970 replaced: the same position, another transaction, another outcome.
      await reorgToRejection(2n, 1, 970n);
      await cache.check();
      expect((await claimBody(app, 1n)).body.status).to.equal("Submitted");
      expect((await claimBody(app, 2n)).body.status).to.equal("Rejected");
      expect(calls).to.deep.equal([1n, 2n, 1n, 2n]);
    });

    it("checks in one round trip while nothing changes, yet reads again a claim whose row was ahead of its transitions", async function () {
      const { cache, calls, changes, app } = setup();
      await cache.check();
      expect(changes.calls).to.deep.equal(["newestTransitionBlock", "changeWindow", "openClaims"]);
      expect((await claimBody(app, 1n)).body.status).to.equal("Submitted");
      // Nothing new: one query, and the answers stay fresh past the bound of the first check.
      changes.calls = [];
      clockMs += STALE_MS - 1;
      await cache.check();
      clockMs += STALE_MS - 1;
      expect(cache.fresh()).to.equal(true);
      expect(changes.calls).to.deep.equal(["changeWindow"]);
      expect((await claimBody(app, 1n)).body.status).to.equal("Submitted");
      expect(calls).to.deep.equal([1n]);

      // Claim 1 moves on, but its row already names a later block whose transition the window
      // does not hold yet (the indexer wrote them apart): read again at every check until it does.
      await transition(1n, "Accepted", 960n, 1);
      await handle.db.update(claims).set({ updatedBlock: 965n }).where(eq(claims.id, 1n));
      for (let i = 0; i < 3; i++) {
        changes.calls = [];
        await cache.check();
        expect(changes.calls).to.deep.equal(["changeWindow", "queueSources"]);
      }
      await transition(1n, "Approved", 965n, 2, T0 + 99_999n);
      changes.calls = [];
      await cache.check();
      expect(changes.calls).to.deep.equal(["changeWindow", "queueSources"]);
      // Consistent again: back to one query a check, and the new state is what is answered.
      changes.calls = [];
      await cache.check();
      expect(changes.calls).to.deep.equal(["changeWindow"]);
      expect((await claimBody(app, 1n)).body.status).to.equal("Approved");
    });

    it("does not keep a read holding a transition the watcher has not seen yet", async function () {
      const { cache, calls, app } = setup();
      await cache.check();
      await transition(1n, "Accepted", 960n, 1);
      expect((await claimBody(app, 1n)).body.status).to.equal("Accepted");
      expect(cache.size).to.equal(0);
      // The row vanishes (a reorg) before any check saw it: the next read must not show it.
      await handle.db.delete(claimTransitions).where(eq(claimTransitions.id, "1-1"));
      await handle.db.update(claims).set({ status: "Submitted", acceptedAt: null }).where(eq(claims.id, 1n));
      expect((await claimBody(app, 1n)).body.status).to.equal("Submitted");
      expect(calls).to.deep.equal([1n, 1n]);
      expect(cache.size).to.equal(1);
    });

    it("does not keep a read that overlapped a check that dropped claims", async function () {
      const { cache, calls, hold, app } = setup();
      await cache.check();
      const release = hold();
      const pending = claimBody(app, 1n);
      await waitFor("the read to reach the indexer", () => calls.length === 1);
      await transition(2n, "Accepted", 960n, 1);
      await cache.check();
      release();
      expect((await pending).body.status).to.equal("Submitted");
      expect(cache.size).to.equal(0);
      await claimBody(app, 1n);
      expect(cache.size).to.equal(1);
    });

    it("shares one indexer read among concurrent requests for the same claim", async function () {
      const { cache, calls, hold, app } = setup();
      await cache.check();
      const release = hold();
      const pending = [claimBody(app, 1n), claimBody(app, 1n), claimBody(app, 1n)];
      await waitFor("the read to reach the indexer", () => calls.length === 1);
      release();
      expect((await Promise.all(pending)).map((r) => r.body.status)).to.deep.equal([
        "Submitted",
        "Submitted",
        "Submitted",
      ]);
      expect(calls).to.deep.equal([1n]);
    });

    it("does not hand a read begun before a check dropped claims to requests arriving after it", async function () {
      const { cache, calls, hold, app } = setup();
      await cache.check();
      const release = hold();
      const early = claimBody(app, 1n);
      await waitFor("the first read to reach the indexer", () => calls.length === 1);
      await transition(2n, "Accepted", 960n, 1);
      await cache.check();
      const late = claimBody(app, 1n);
      await waitFor("a read of its own", () => calls.length === 2);
      release();
      expect((await early).body.status).to.equal("Submitted");
      expect((await late).body.status).to.equal("Submitted");
      expect(calls).to.deep.equal([1n, 1n]);
    });

    it("remembers an unknown claim until it appears", async function () {
      const { cache, calls, app } = setup();
      await cache.check();
      expect((await claimBody(app, 3n)).status).to.equal(404);
      expect((await claimBody(app, 3n)).status).to.equal(404);
      expect(calls).to.deep.equal([3n]);
      await insertClaims(handle.db, [{ id: 3n, submittedAt: T0 + 990n }]);
      await cache.check();
      expect((await claimBody(app, 3n)).status).to.equal(200);
      expect(calls).to.deep.equal([3n, 3n]);
    });

    it("answers from memory only while the last successful check began less than the bound ago", async function () {
      const { cache, calls, changes, app } = setup();
      // Before any check: straight to the indexer, nothing kept.
      await claimBody(app, 1n);
      expect(cache.size).to.equal(0);
      await cache.check();
      await claimBody(app, 1n);
      await claimBody(app, 1n);
      expect(calls).to.deep.equal([1n, 1n]);
      // The indexer stops answering the checks: memory is used until the bound, then not.
      changes.down = true;
      await cache.check().catch(() => undefined);
      clockMs += STALE_MS - 1;
      expect(cache.fresh()).to.equal(true);
      await claimBody(app, 1n);
      expect(calls).to.have.length(2);
      clockMs += 1;
      expect(cache.fresh()).to.equal(false);
      await claimBody(app, 1n);
      expect(calls).to.have.length(3);
      // A change made meanwhile is seen by the first successful check, before memory is used again.
      await transition(1n, "Accepted", 960n, 1);
      changes.down = false;
      await cache.check();
      expect((await claimBody(app, 1n)).body.status).to.equal("Accepted");
      expect(calls).to.have.length(4);
    });

    it("drops everything when the tier table changes", async function () {
      const { cache, app } = setup();
      await cache.check();
      await claimBody(app, 1n);
      await claimBody(app, 2n);
      expect(cache.size).to.equal(2);
      await handle.db.update(tiers).set({ slaFactorBps: 9_000 }).where(eq(tiers.tier, 0));
      await cache.check();
      expect(cache.size).to.equal(0);
      expect((await claimBody(app, 1n)).body.tier.slaFactorBps).to.equal(9_000);
    });

    it("keeps at most its size: full, it stores a claim at its second miss, dropping the least recently used", async function () {
      await insertClaims(handle.db, [{ id: 3n, submittedAt: T0 + 960n }]);
      const { cache, calls, app } = setup({ maxEntries: 2 });
      await cache.check();
      await claimBody(app, 1n);
      await claimBody(app, 2n);
      await claimBody(app, 1n); // 1 is now the most recent
      await claimBody(app, 3n); // full: read, not stored
      expect(cache.size).to.equal(2);
      await claimBody(app, 2n); // still held; 1 is now the least recent
      expect(calls).to.deep.equal([1n, 2n, 3n]);
      await claimBody(app, 3n); // its second miss: stored, and 1 goes
      await claimBody(app, 3n);
      await claimBody(app, 2n);
      expect(calls).to.deep.equal([1n, 2n, 3n, 3n]);
      expect(cache.size).to.equal(2);
      await claimBody(app, 1n);
      expect(calls).to.deep.equal([1n, 2n, 3n, 3n, 1n]);
    });

    it("is not flushed by a scan of claims read once: those polled stay, and the doorkeeper forgets", async function () {
      await insertClaims(
        handle.db,
        [3n, 4n, 5n, 6n, 7n, 8n, 9n, 10n].map((id) => ({ id, submittedAt: T0 + 950n + id })),
      );
      const { cache, calls, app } = setup({ maxEntries: 8 }); // a doorkeeper of 2 ids
      await cache.check();
      for (const id of [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n]) await claimBody(app, id);
      expect(cache.size).to.equal(8);
      calls.length = 0;
      // A scan of unknown ids and of two claims: each read once, none stored, none evicted.
      for (const id of [9n, 10n, 1_000n, 1_001n, 1_002n]) await claimBody(app, id);
      for (const id of [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n]) await claimBody(app, id);
      expect(calls).to.deep.equal([9n, 10n, 1_000n, 1_001n, 1_002n]);
      // The doorkeeper holds the last two misses only (it is emptied at a quarter of the size):
      // 9 and 10 read again miss once more; 1,002 read again is stored.
      await claimBody(app, 1_002n);
      await claimBody(app, 1_002n);
      expect(calls.slice(5)).to.deep.equal([1_002n]);
      await claimBody(app, 9n);
      expect(calls.slice(6)).to.deep.equal([9n]);
      expect(cache.size).to.equal(8);
    });

    describe("packed tier", function () {
      beforeEach(async function () {
        await insertClaims(
          handle.db,
          [3n, 4n, 5n, 6n, 7n, 8n].map((id) => ({ id, submittedAt: T0 + 950n + id })),
        );
        await transition(2n, "Accepted", 960n, 1);
        await transition(2n, "Rejected", 970n, 2);
      });

      /** The claim as the indexer alone answers it (no cache), at the same clock and head. */
      const direct = async (id: bigint) => (await claimBody(f.app({}), id)).body;

      it("keeps a claim it evicts packed, and answers it from memory as the indexer would", async function () {
        const { cache, calls, app } = setup({ maxEntries: 2, packedEntries: 10 });
        await cache.check();
        await claimBody(app, 1n);
        await claimBody(app, 2n);
        await claimBody(app, 3n); // full: read and packed
        await claimBody(app, 3n); // its second read, from the packed tier: stored, and 1 (the least recent) packed
        expect([cache.size, cache.packedSize]).to.deep.equal([2, 1]);
        expect(calls).to.deep.equal([1n, 2n, 3n]);
        // Read from the packed tier: no round trip, the same answer and the same timeline.
        expect((await claimBody(app, 1n)).body).to.deep.equal(await direct(1n));
        expect(await cache.timeline(1n)).to.deep.equal(await readerOf(f).timeline(1n));
        // Its second read stores it again, and 2 (now the least recent) is packed in its place.
        expect([cache.size, cache.packedSize]).to.deep.equal([2, 1]);
        expect((await claimBody(app, 2n)).body).to.deep.equal(await direct(2n));
        expect(await cache.timeline(2n)).to.deep.equal(await readerOf(f).timeline(2n));
        expect(calls).to.deep.equal([1n, 2n, 3n]);
        // Past the staleness bound the packed claims are not answered either.
        clockMs += STALE_MS;
        await claimBody(app, 1n);
        await claimBody(app, 2n);
        expect(calls).to.deep.equal([1n, 2n, 3n, 1n, 2n]);
      });

      it("holds a settled claim as its answer with its timeline packed, and packs it on eviction as it is", async function () {
        const answers = trackingPolicy(loadConfig({}));
        const { cache, calls, app } = setup({ maxEntries: 2, packedEntries: 10, answers });
        await cache.check();
        const { unpackRecord, setRecord, set } = PackedClaims.prototype;
        const unpacked: bigint[] = [];
        const packedBy: string[] = [];
        PackedClaims.prototype.unpackRecord = function (this: PackedClaims, record: string) {
          const found = unpackRecord.call(this, record);
          unpacked.push(found.claim.id);
          return found;
        };
        PackedClaims.prototype.setRecord = function (this: PackedClaims, id: bigint, record: string) {
          packedBy.push(`record ${id}`);
          return setRecord.call(this, id, record);
        };
        PackedClaims.prototype.set = function (this: PackedClaims, ...args: Parameters<typeof set>) {
          packedBy.push(`timeline ${args[0]}`);
          return set.apply(this, args);
        };
        try {
          // Claim 2 is rejected (settled): its answer is rendered when stored. Claim 1 is open.
          const settled = await cache.answered(2n);
          expect(settled.answer).to.be.instanceOf(ClaimAnswer);
          expect((await cache.answered(1n)).answer).to.equal(undefined);
          // Its reads from memory use the answer and unpack nothing …
          expect(cache.answeredNow(2n)?.answer).to.equal(settled.answer);
          expect(unpacked).to.deep.equal([]);
          // … its timeline is unpacked when asked for, as the indexer gives it, and so is the router's read.
          expect(await cache.timeline(2n)).to.deep.equal(await readerOf(f).timeline(2n));
          expect((await claimBody(app, 2n)).body).to.deep.equal(await direct(2n));
          expect(unpacked).to.deep.equal([2n, 2n]);
          // Evicted (1 read again, 3 read twice: admitted), it goes to the packed tier as it is held.
          await claimBody(app, 1n);
          await claimBody(app, 3n);
          await claimBody(app, 3n);
          expect(packedBy).to.deep.equal(["timeline 3", "record 2"]);
          expect([cache.size, cache.packedSize]).to.deep.equal([2, 1]);
          expect(await cache.timeline(2n)).to.deep.equal(await readerOf(f).timeline(2n));
          expect((await claimBody(app, 2n)).body).to.deep.equal(await direct(2n));
          expect(calls).to.deep.equal([2n, 1n, 3n]);
          // Without room for packed claims, the settled entry is still held with its answer.
          const lone = setup({ maxEntries: 1, packedEntries: 0, answers });
          await lone.cache.check();
          expect((await lone.cache.answered(2n)).answer).to.be.instanceOf(ClaimAnswer);
          expect(await lone.cache.timeline(2n)).to.deep.equal(await readerOf(f).timeline(2n));
          expect(lone.calls).to.deep.equal([2n]);
        } finally {
          Object.assign(PackedClaims.prototype, { unpackRecord, setRecord, set });
        }
      });

      it("keeps packed a claim read but not admitted, so its second read needs no round trip", async function () {
        const { cache, calls, app } = setup({ maxEntries: 1, packedEntries: 10 });
        await cache.check();
        await claimBody(app, 1n); // room: stored
        await claimBody(app, 2n); // full: its first miss, packed
        expect([cache.size, cache.packedSize]).to.deep.equal([1, 1]);
        expect((await claimBody(app, 2n)).body).to.deep.equal(await direct(2n)); // admitted; 1 packed
        await claimBody(app, 1n);
        expect(calls).to.deep.equal([1n, 2n]);
        // An unknown claim is not packed: it is read each time until it exists.
        await claimBody(app, 99n);
        await claimBody(app, 99n);
        expect(calls).to.deep.equal([1n, 2n, 99n, 99n]);
      });

      it("holds at most its size, the first packed going first", async function () {
        const { cache, calls, app } = setup({ maxEntries: 1, packedEntries: 3 });
        await cache.check();
        for (const id of [1n, 2n, 3n, 4n, 5n]) await claimBody(app, id); // 1 stored; 2–5 packed, 2 out
        expect([cache.size, cache.packedSize]).to.deep.equal([1, 3]);
        calls.length = 0;
        await claimBody(app, 5n);
        await claimBody(app, 2n);
        expect(calls).to.deep.equal([2n]);
      });

      it("drops a packed claim that changes, and every packed claim when the tier table changes", async function () {
        const { cache, calls, app } = setup({ maxEntries: 1, packedEntries: 10 });
        await cache.check();
        for (const id of [1n, 3n, 4n]) await claimBody(app, id); // 1 stored; 3 and 4 packed
        await transition(3n, "Accepted", 990n, 1);
        await cache.check();
        expect(cache.packedSize).to.equal(1);
        expect((await claimBody(app, 3n)).body.status).to.equal("Accepted");
        await claimBody(app, 4n);
        expect(calls).to.deep.equal([1n, 3n, 4n, 3n]);
        await handle.db.update(tiers).set({ slaFactorBps: 9_000 }).where(eq(tiers.tier, 0));
        await cache.check();
        expect([cache.size, cache.packedSize]).to.deep.equal([0, 0]);
      });

      it("drops a packed claim whose transition a reorg removed or replaced", async function () {
        const { cache, calls, app } = setup({ maxEntries: 1, packedEntries: 10 });
        await transition(3n, "Accepted", 980n, 1);
        await transition(4n, "Accepted", 985n, 1);
        await cache.check();
        for (const id of [1n, 3n, 4n]) await claimBody(app, id); // 1 stored; 3 and 4 packed
        expect(cache.packedSize).to.equal(2);
        // Block 980 reorganised away; block 985 replaced by another transaction, another outcome.
        await reorgAway(3n, 1, 953n);
        await reorgToRejection(4n, 1, 985n);
        await cache.check();
        expect(cache.packedSize).to.equal(0);
        expect((await claimBody(app, 3n)).body).to.deep.equal(await direct(3n));
        expect((await claimBody(app, 3n)).body.status).to.equal("Submitted");
        expect((await claimBody(app, 4n)).body.status).to.equal("Rejected");
        expect(calls).to.deep.equal([1n, 3n, 4n, 3n, 4n]);
      });

      it("does not keep packed a read holding a transition the watcher has not seen yet", async function () {
        const { cache, calls, app } = setup({ maxEntries: 1, packedEntries: 10 });
        await cache.check();
        await claimBody(app, 1n);
        await transition(3n, "Accepted", 990n, 1); // not checked yet
        expect((await claimBody(app, 3n)).body.status).to.equal("Accepted");
        expect(cache.packedSize).to.equal(0);
        await cache.check();
        await claimBody(app, 3n); // now seen: packed
        await claimBody(app, 3n);
        expect(calls).to.deep.equal([1n, 3n, 3n]);
      });

      it("is filled by the warm-up: the newest as entries, older ones packed, each up to its size", async function () {
        const { cache, calls, app, changes } = setup({ maxEntries: 3, packedEntries: 4, warmBatch: 2 });
        await cache.check();
        expect(await cache.warm()).to.equal(7);
        expect(changes.batches).to.equal(4); // 2–3, 4–5, 6–7, 8
        expect([cache.size, cache.packedSize]).to.deep.equal([3, 4]);
        for (const id of [2n, 3n, 4n, 5n, 6n, 7n, 8n])
          expect((await claimBody(app, id)).body).to.deep.equal(await direct(id));
        await claimBody(app, 1n);
        expect(calls).to.deep.equal([1n]);
        // Without packed room the older claims are not even read.
        const small = setup({ maxEntries: 3, packedEntries: 0, warmBatch: 2 });
        await small.cache.check();
        expect(await small.cache.warm()).to.equal(3);
        expect(small.changes.batches).to.equal(2); // 6–7, 8
      });
    });

    it("tells apart ids beyond 2^53, which a number cannot hold exactly, and drops only the one that changed", async function () {
      const big = 2n ** 53n; // Number(big) === Number(big + 1n)
      await insertClaims(handle.db, [
        { id: big, submittedAt: T0 + 960n },
        { id: big + 1n, submittedAt: T0 + 970n },
        { id: 2n ** 255n, submittedAt: T0 + 980n },
      ]);
      const { cache, calls, app } = setup();
      await cache.check();
      for (const id of [big, big + 1n, 2n ** 255n, big, big + 1n, 2n ** 255n]) {
        expect((await claimBody(app, id)).body.id).to.equal(id.toString());
      }
      expect(calls).to.deep.equal([big, big + 1n, 2n ** 255n]);
      await transition(big + 1n, "Accepted", 990n, 1);
      await cache.check();
      expect((await claimBody(app, big + 1n)).body.status).to.equal("Accepted");
      expect((await claimBody(app, big)).body.status).to.equal("Submitted");
      expect(calls).to.deep.equal([big, big + 1n, 2n ** 255n, big + 1n]);
    });

    it("empties itself instead of comparing when too many transitions arrived at once", async function () {
      const { cache, calls, app } = setup({ maxRowsPerCheck: 2 });
      await cache.check();
      await claimBody(app, 1n);
      await claimBody(app, 2n);
      await transition(2n, "Accepted", 960n, 1);
      await insertClaims(handle.db, [
        { id: 4n, submittedAt: T0 + 961n },
        { id: 5n, submittedAt: T0 + 962n },
      ]);
      await cache.check();
      expect(cache.size).to.equal(0);
      expect(cache.fresh()).to.equal(true);
      await claimBody(app, 1n);
      expect(calls).to.deep.equal([1n, 2n, 1n]);
    });

    it("checks on its own every quarter of the bound once started, and stops when told", async function () {
      const direct = counting(readerOf(f));
      const cache = new CachedIndexerReader(direct.reader, readerOf(f).changes!, {
        maxEntries: 10,
        staleMs: 200,
        log: createLogger("silent"),
      });
      caches.push(cache);
      const app = f.app({}, cache);
      cache.start();
      await waitFor("the first check", () => cache.fresh());
      expect((await claimBody(app, 1n)).body.status).to.equal("Submitted");
      await transition(1n, "Accepted", 960n, 1);
      const seen = await waitFor(
        "the change within the bound",
        async () => (await claimBody(app, 1n)).body.status === "Accepted",
        2_000,
      );
      expect(seen).to.equal(true);
      await cache.stop();
      await new Promise((r) => setTimeout(r, 300));
      expect(cache.fresh()).to.equal(false);
    });

    describe("warm-up", function () {
      beforeEach(async function () {
        // Claims 1–8, submitted a block apart.
        await insertClaims(
          handle.db,
          [3n, 4n, 5n, 6n, 7n, 8n].map((id) => ({ id, submittedAt: T0 + 950n + id })),
        );
      });

      it("fills the free room with the newest claims, batch by batch, the newest evicted last", async function () {
        const { cache, calls, app, changes } = setup({ maxEntries: 5, warmBatch: 2 });
        await cache.check();
        expect(await cache.warm()).to.equal(5);
        expect(changes.batches).to.equal(3); // 4–5, 6–7, 8
        expect(cache.size).to.equal(5);
        // The answers are the indexer's, as a read would have kept them.
        expect(await cache.timeline(8n)).to.deep.equal(await readerOf(f).timeline(8n));
        expect(calls).to.deep.equal([]);
        // An older claim read twice (stored at its second miss) evicts the least recently used: 4,
        // the oldest warmed.
        await claimBody(app, 3n);
        await claimBody(app, 3n);
        for (const id of [5n, 6n, 7n, 8n]) expect((await claimBody(app, id)).body.id).to.equal(String(id));
        expect(calls).to.deep.equal([3n, 3n]);
        await claimBody(app, 3n);
        await claimBody(app, 4n);
        expect(calls).to.deep.equal([3n, 3n, 4n]);
        // Full: another warm-up reads nothing and evicts nothing.
        expect(await cache.warm()).to.equal(0);
        expect(changes.batches).to.equal(3);
      });

      it("keeps what requests already read, and stops at the cache's size", async function () {
        const { cache, calls, app } = setup({ maxEntries: 3, warmBatch: 10 });
        await cache.check();
        await claimBody(app, 1n);
        expect(await cache.warm()).to.equal(2); // 6 and 7: 8 would go over the size
        expect(cache.size).to.equal(3);
        await claimBody(app, 1n);
        await claimBody(app, 6n);
        await claimBody(app, 7n);
        await claimBody(app, 8n);
        expect(calls).to.deep.equal([1n, 8n]);
      });

      it("reads again a batch that overlapped a check that dropped claims", async function () {
        const { cache, calls, app, changes } = setup({ maxEntries: 10, warmBatch: 4 });
        await cache.check();
        // While the first batch (1–4) is on its way, claim 3 is accepted and a check drops it.
        changes.afterBatch = async (n) => {
          if (n !== 1) return;
          await transition(3n, "Accepted", 990n, 1);
          await cache.check();
        };
        expect(await cache.warm()).to.equal(8);
        expect(changes.batches).to.equal(4); // 1–4 twice, 5–8, then nothing left
        expect((await claimBody(app, 3n)).body.status).to.equal("Accepted");
        expect(calls).to.deep.equal([]);
      });

      it("does not keep a claim holding a transition the watcher has not seen yet", async function () {
        const { cache, calls, app } = setup({ maxEntries: 10 });
        await cache.check();
        await transition(5n, "Accepted", 990n, 1);
        expect(await cache.warm()).to.equal(7);
        expect((await claimBody(app, 5n)).body.status).to.equal("Accepted");
        expect((await claimBody(app, 6n)).body.status).to.equal("Submitted");
        expect(calls).to.deep.equal([5n]);
      });

      it("stores nothing while checks fail, and gives up on an error leaving reads on demand", async function () {
        const { cache, calls, app, changes } = setup({ maxEntries: 10 });
        await cache.check();
        clockMs += STALE_MS; // the last check is now too old to answer from
        expect(await cache.warm()).to.equal(0);
        expect(cache.size).to.equal(0);
        await cache.check();
        changes.warmDown = true;
        let error: unknown;
        await cache.warm().catch((e: unknown) => (error = e));
        expect(String(error)).to.contain("ECONNREFUSED");
        await claimBody(app, 2n);
        await claimBody(app, 2n);
        expect(calls).to.deep.equal([2n]);
      });

      it("after a flood, waits for a check that does not empty the cache before warming up again", async function () {
        const gated = flaky(readerOf(f).changes!);
        const cache = new CachedIndexerReader(readerOf(f), gated.changes, {
          maxEntries: 10,
          staleMs: STALE_MS,
          maxRowsPerCheck: 3,
          reorgWindowBlocks: 1,
          warm: true,
          log: createLogger("silent"),
          now: () => clockMs,
        });
        caches.push(cache);
        await cache.check();
        expect(await cache.warmingUp).to.equal(8);
        // Four claims move on at once: more than a check compares, so the cache empties itself …
        for (const [i, id] of [1n, 2n, 3n, 4n].entries()) await transition(id, "Accepted", 990n + BigInt(i), 1);
        await cache.check();
        expect(cache.size).to.equal(0);
        expect(cache.warmingUp).to.equal(undefined);
        // … and warms up again once a check finds the changes comparable.
        await cache.check();
        expect(await cache.warmingUp).to.equal(8);
        expect((await cache.timeline(4n))?.claim.status).to.equal("Accepted");
        expect(gated.state.batches).to.equal(2);
      });

      it("pauses when its checks go stale under it, and goes on from there at the next check", async function () {
        const { cache, changes } = setup({ maxEntries: 10, warmBatch: 3, warm: true });
        // The second batch arrives after the bound has passed (a late check, a busy event loop).
        changes.afterBatch = async (n) => {
          if (n === 2) clockMs += STALE_MS;
        };
        await cache.check();
        expect(await cache.warmingUp).to.equal(3); // 1–3; 4–6 came too late to be kept
        expect(cache.size).to.equal(3);
        expect(cache.warmUpPending).to.equal(true);
        await cache.check();
        expect(await cache.warmingUp).to.equal(5); // 4–6 again, then 7–8: 1–3 are not read again
        expect(changes.batches).to.equal(4);
        expect(cache.size).to.equal(8);
        expect(cache.warmUpPending).to.equal(false);
      });

      it("runs on its own after the first check and after the cache was emptied, only when asked", async function () {
        const messages: Array<{ msg: string; claims: unknown }> = [];
        const log = {
          ...createLogger("silent"),
          info: (msg: string, fields?: Record<string, unknown>) => void messages.push({ msg, claims: fields?.claims }),
        };
        const make = (warm: boolean) => {
          const cache = new CachedIndexerReader(readerOf(f), readerOf(f).changes!, {
            maxEntries: 100,
            staleMs: 400,
            warm,
            log,
          });
          caches.push(cache);
          return cache;
        };
        const cold = make(false);
        cold.start();
        await waitFor("the first check", () => cold.fresh());
        expect(cold.warmingUp).to.equal(undefined);
        expect(cold.size).to.equal(0);
        const warm = make(true);
        warm.start();
        await waitFor("a warm-up", () => messages.length === 1);
        expect(messages).to.deep.equal([{ msg: "claim cache: warmed up with the newest claims", claims: 8 }]);
        expect(warm.warmUpPending).to.equal(false);
        expect(warm.size).to.equal(8);
        // A tier change empties the cache; the next warm-up fills it again.
        await handle.db.update(tiers).set({ slaFactorBps: 9_000 }).where(eq(tiers.tier, 0));
        await waitFor("a second warm-up", () => messages.length === 2, 5_000);
        expect(warm.size).to.equal(8);
        expect((await warm.timeline(1n))?.claim.tierSlaFactorBps).to.equal(9_000);
      });
    });

    it("is wired from the configuration, off with CLAIM_CACHE_SIZE=0, and counts its lookups", async function () {
      const metrics = createMetricsRegistry({ defaults: false });
      const log = createLogger("silent");
      expect(claimCacheFromConfig(readerOf(f), loadConfig({ CLAIM_CACHE_SIZE: "0" }), log)).to.equal(undefined);
      const { changes: _c, ...withoutChanges } = readerOf(f);
      expect(claimCacheFromConfig(withoutChanges, loadConfig({}), log)).to.equal(undefined);
      const config = loadConfig({ CLAIM_CACHE_SIZE: "1", CLAIM_CACHE_PACKED: "5", CLAIM_CACHE_WARM: "false" });
      const cache = claimCacheFromConfig(readerOf(f), config, log, metrics)!;
      caches.push(cache);
      await cache.check();
      const app = f.app({}, cache);
      await claimBody(app, 1n);
      await claimBody(app, 1n);
      await claimBody(app, 2n); // full: packed
      await claimBody(app, 2n);
      const text = await metrics.metrics();
      expect(text).to.contain('station_claim_cache_lookups_total{result="miss"} 2');
      expect(text).to.contain('station_claim_cache_lookups_total{result="hit"} 1');
      expect(text).to.contain('station_claim_cache_lookups_total{result="packed"} 1');
      expect(text).to.contain("station_claim_cache_entries 1");
      expect(text).to.contain("station_claim_cache_packed 1");
      // By default it warms up after its first check.
      const warming = claimCacheFromConfig(readerOf(f), loadConfig({ CLAIM_CACHE_SIZE: "10" }), log)!;
      caches.push(warming);
      await warming.check();
      expect(await warming.warmingUp).to.equal(2);
    });

    // ─── The SLA queue ─────────────────────────────────────────────────────────

    /** Every kind of queue request, at `now`, paged through to the end. */
    async function pages(reader: IndexerReader, now: bigint): Promise<QueueRecord[][]> {
      const out: QueueRecord[][] = [];
      const filters: Array<Partial<QueueQuery>> = [
        {},
        { kind: "MissingReward" },
        { tier: 1 },
        { breached: true },
        { breached: false, kind: "Other", tier: 0 },
      ];
      for (const filter of filters) {
        let after: QueueQuery["after"];
        for (let page = 0; page < 50; page++) {
          const items = await reader.queue({ now, limit: 7, ...filter, after });
          out.push(items);
          const last = items.at(-1);
          if (items.length < 7 || last === undefined) break;
          after = { deadline: last.deadline, id: last.id };
        }
      }
      return out;
    }

    /** Claims in every stage, tiers and kinds mixed, deadlines around T0 + 2,000 (seeded). */
    async function manyClaims(count: number): Promise<void> {
      let a = 99;
      const rnd = (n: number) => {
        a = (Math.imul(a, 1_103_515_245) + 12_345) >>> 0;
        return a % n;
      };
      const kinds = ["MissingReward", "DataApiOutage", "RedemptionToolFailure", "Other"] as const;
      const specs = [];
      for (let i = 0; i < count; i++) {
        const submittedAt = T0 + 500n + BigInt(rnd(1500));
        const steps: Array<{ status: "Accepted" | "Investigating" | "Approved" | "Paid" | "Cancelled"; at: bigint }> =
          [];
        const r = rnd(6);
        if (r >= 1) steps.push({ status: "Accepted", at: submittedAt + 1n + BigInt(rnd(50)) });
        if (r >= 2) steps.push({ status: "Investigating", at: submittedAt + 60n });
        if (r >= 3) steps.push({ status: "Approved", at: submittedAt + 70n });
        if (r === 5) steps.push({ status: "Paid", at: submittedAt + 80n });
        if (r === 0 && rnd(3) === 0) steps.push({ status: "Cancelled", at: submittedAt + 5n });
        specs.push({
          id: BigInt(10 + i),
          kind: kinds[rnd(4)]!,
          tier: rnd(2),
          submittedAt,
          responseWindow: BigInt(300 + 300 * rnd(2)),
          // Payable at once, or after a veto window that outlasts the test's clock for some.
          payableAt: submittedAt + 70n + BigInt(rnd(2) * 3_000),
          steps: steps.filter((x) => x.at <= T0 + 2_000n),
        });
      }
      await insertClaims(handle.db, specs);
    }

    it("answers the SLA queue from memory exactly as the indexer would, at any time", async function () {
      await manyClaims(150);
      const { cache } = setup();
      await cache.check();
      for (const now of [T0 + 1_000n, T0 + 1_900n, T0 + 2_400n, T0 + 9_000n]) {
        expect(await pages(cache, now), `now = T0 + ${now - T0}`).to.deep.equal(await pages(readerOf(f), now));
      }
      const all = (await pages(cache, T0 + 1_900n)).flat();
      expect(all.length).to.be.greaterThan(60);
    });

    it("follows the claims that change, enter and leave the queue, at each check", async function () {
      await manyClaims(40);
      const { cache, changes } = setup();
      await cache.check();
      const now = T0 + 1_900n;
      const queue = async () => (await cache.queue({ now, limit: 100 })).map((r) => [r.id, r.status, r.deadline]);
      const direct = async () =>
        (await readerOf(f).queue({ now, limit: 100 })).map((r) => [r.id, r.status, r.deadline]);
      // New transitions come in new blocks, above every block seen so far.
      await transition(1n, "Accepted", 2_100n, 1); // moves to its resolution deadline
      await transition(2n, "Rejected", 2_101n, 1); // leaves
      await insertClaims(handle.db, [{ id: 3n, submittedAt: T0 + 2_102n }]); // enters
      expect(await queue()).to.not.deep.equal(await direct());
      await cache.check();
      expect(await queue()).to.deep.equal(await direct());
      expect((await queue()).find((r) => r[0] === 1n)).to.deep.equal([1n, "Accepted", T0 + 900n + 14_400n]);
      expect((await queue()).some((r) => r[0] === 2n)).to.equal(false);
      expect((await queue()).some((r) => r[0] === 3n)).to.equal(true);

      // Claim 3 is accepted, and while the next check is under way — after it read the
      // transitions — rejected: the row it reads is newer than what the watcher saw. That
      // transition then vanishes (a reorg) before the following check, which must still read
      // claim 3 again.
      await transition(3n, "Accepted", 2_105n, 1);
      changes.beforeSources = () => transition(3n, "Rejected", 2_110n, 2);
      await cache.check();
      expect((await queue()).some((r) => r[0] === 3n)).to.equal(false);
      await handle.db.delete(claimTransitions).where(eq(claimTransitions.id, "3-2"));
      await handle.db
        .update(claims)
        .set({ status: "Accepted", closedAt: null, updatedBlock: 2_105n })
        .where(eq(claims.id, 3n));
      await cache.check();
      expect(await queue()).to.deep.equal(await direct());
      expect((await queue()).find((r) => r[0] === 3n)?.[1]).to.equal("Accepted");
    });

    it("keeps an approved claim in the queue only until it becomes payable, judged per request", async function () {
      const { cache } = setup();
      await transition(1n, "Approved", 960n, 1, T0 + 3_000n);
      await cache.check();
      const ids = async (now: bigint) => (await cache.queue({ now, limit: 10 })).map((r) => r.id);
      expect(await ids(T0 + 2_999n)).to.deep.equal([2n, 1n]);
      expect(await ids(T0 + 3_000n)).to.deep.equal([2n]);
      expect(await ids(T0 + 3_000n)).to.deep.equal(
        (await readerOf(f).queue({ now: T0 + 3_000n, limit: 10 })).map((r) => r.id),
      );
    });

    it("reads the queue from the indexer until the first check, and when checks stop succeeding", async function () {
      const direct = counting(readerOf(f));
      let queueCalls = 0;
      const reader: IndexerReader = {
        ...direct.reader,
        queue: (q) => {
          queueCalls++;
          return readerOf(f).queue(q);
        },
      };
      const gated = flaky(readerOf(f).changes!);
      const cache = new CachedIndexerReader(reader, gated.changes, {
        maxEntries: 10,
        staleMs: STALE_MS,
        log: createLogger("silent"),
        now: () => clockMs,
      });
      caches.push(cache);
      const q = { now: T0 + 1_000n, limit: 10 };
      expect((await cache.queue(q)).map((r) => r.id)).to.deep.equal([1n, 2n]);
      expect(queueCalls).to.equal(1);
      await cache.check();
      expect((await cache.queue(q)).map((r) => r.id)).to.deep.equal([1n, 2n]);
      expect(queueCalls).to.equal(1);
      gated.state.down = true;
      await cache.check().catch(() => undefined);
      clockMs += STALE_MS;
      expect((await cache.queue(q)).map((r) => r.id)).to.deep.equal([1n, 2n]);
      expect(queueCalls).to.equal(2);
    });

    it("refuses bad settings with a readable message", function () {
      expect(() => loadConfig({ CLAIM_CACHE_SIZE: "-1" })).to.throw(/CLAIM_CACHE_SIZE/);
      expect(() => loadConfig({ CLAIM_CACHE_STALE_MS: "50" })).to.throw(/CLAIM_CACHE_STALE_MS/);
      expect(() => loadConfig({ CLAIM_CACHE_WARM: "yes" })).to.throw(/CLAIM_CACHE_WARM/);
      expect(() => loadConfig({ CLAIM_CACHE_PACKED: "1.5" })).to.throw(/CLAIM_CACHE_PACKED/);
      expect(() => loadConfig({ CLAIM_CACHE_PACKED: "20000001" })).to.throw(/CLAIM_CACHE_PACKED/);
      expect(loadConfig({}).claimCache).to.deep.equal({ size: 50_000, packed: 1_000_000, staleMs: 1000, warm: true });
      expect(loadConfig({ CLAIM_CACHE_PACKED: "0" }).claimCache.packed).to.equal(0);
      expect(loadConfig({ CLAIM_CACHE_WARM: "0" }).claimCache.warm).to.equal(false);
    });
  });
}

/** The fixture's direct reader (with its change checks). */
const readerOf = (f: ReadFixture): IndexerReader => f.reader;
