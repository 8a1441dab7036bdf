import { expect } from "chai";
import { eq } from "drizzle-orm";
import fc from "fast-check";

import { claims, claimTransitions } from "../../indexer/ponder.schema.js";
import { CachedIndexerReader } from "../../service/src/claims/cache.js";
import type { DatabaseHandle } from "../../service/src/db/client.js";
import { createLogger } from "../../service/src/http/log.js";
import {
  CLAIM_KINDS,
  createIndexerReader,
  type ClaimStatus,
  type IndexerReader,
  type StatsRows,
  type StatsSource,
} from "../../service/src/indexer/reader.js";
import { LiveStatsLedger, StatsLedger } from "../../service/src/stats/ledger.js";
import { shapeFigures, StationStats, type StationFigures } from "../../service/src/stats/stats.js";
import { waitFor } from "./deliveryHarness.js";
import { ENGINES } from "./helpers.js";
import { getJson, readFixture, type ReadFixture } from "./readApp.js";
import { freshIndexerDatabase, insertClaims, insertTiers, T0, type ClaimSpec } from "./indexer.js";

const DAY = 86_400;

/** The steps a claim can take from each status (the contract's state machine). */
const NEXT: Partial<Record<ClaimStatus, ClaimStatus[]>> = {
  Submitted: ["Accepted", "Rejected", "Cancelled"],
  Accepted: ["Investigating", "Approved", "Rejected"],
  Investigating: ["Approved", "Rejected"],
  Approved: ["Paid"],
};

/**
 * Rows in one order, with the mean as the public figure rounds it: the SQL divides in numeric and
 * the ledger in floating point, which can differ in the last bit but not after rounding.
 */
function normal(rows: StatsRows) {
  const sorted = <T>(xs: T[]) => xs.map((x) => JSON.stringify(x)).sort();
  return {
    durations: sorted(rows.durations.map((r) => ({ ...r, mean: r.mean === null ? null : Math.round(r.mean) }))),
    sla: sorted(rows.sla),
    open: sorted(rows.open),
    acceptHistogram: sorted(rows.acceptHistogram),
  };
}

/** Asserts the ledger's rows and public figures at `now` equal the SQL's, byte for byte. */
async function expectSame(ledgerRows: StatsRows, reader: IndexerReader, now: number): Promise<void> {
  const sql = await reader.stats(BigInt(now));
  expect(normal(ledgerRows)).to.deep.equal(normal(sql));
  for (const r of ledgerRows.durations) {
    const twin = sql.durations.find(
      (s) => s.metric === r.metric && s.win === r.win && s.dim === r.dim && s.key === r.key,
    );
    // Plain arithmetic, not chai's closeTo: the suite's chai matchers plugin takes it for bigints.
    const off = Math.abs(r.mean! - twin!.mean!);
    expect(off <= 1e-9 * Math.max(1, Math.abs(r.mean!)), `mean ${r.mean} vs ${twin!.mean}`).to.equal(true);
  }
  expect(JSON.stringify(shapeFigures(ledgerRows, now))).to.equal(JSON.stringify(shapeFigures(sql, now)));
}

async function writeClaim(handle: DatabaseHandle, id: bigint, spec: ClaimSpec | undefined): Promise<void> {
  await handle.db.delete(claimTransitions).where(eq(claimTransitions.claimId, id));
  await handle.db.delete(claims).where(eq(claims.id, id));
  if (spec !== undefined) await insertClaims(handle.db, [spec]);
}

type Command =
  | { type: "submit"; kind: number; tier: number; ago: number; response: number; resolution: number }
  | { type: "step"; pick: number; choice: number; delay: number }
  | { type: "reorg"; depth: number }
  | { type: "advance"; seconds: number };

// Minutes, so that durations and times tie often (percentiles over equal values, events exactly
// on a window's edge).
const minutes = (max: number) => fc.integer({ min: 0, max }).map((m) => m * 60);
const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({
    type: fc.constant("submit" as const),
    kind: fc.nat(CLAIM_KINDS.length - 1),
    tier: fc.nat(1),
    // Often exactly a deadline's length ago: the deadline falls on now (due only once past).
    ago: fc.oneof(minutes(9 * 24 * 60), fc.constantFrom(0, 300, 600, 3600, 14_400, DAY, 2 * DAY, 7 * DAY)),
    response: fc.constantFrom(300, 600, 3600),
    resolution: fc.constantFrom(3600, 14_400, 2 * DAY),
  }),
  fc.record({ type: fc.constant("step" as const), pick: fc.nat(), choice: fc.nat(2), delay: minutes(3 * 24 * 60) }),
  fc.record({ type: fc.constant("reorg" as const), depth: fc.integer({ min: 1, max: 4 }) }),
  fc.record({
    type: fc.constant("advance" as const),
    seconds: fc.oneof(fc.constantFrom(1, 60, DAY, DAY + 1, 7 * DAY, 7 * DAY - 1), minutes(3 * 24 * 60)),
  }),
);

for (const engine of ENGINES) {
  describe(`station figures ledger (${engine})`, function () {
    this.timeout(180_000);
    let handle: DatabaseHandle;
    let reader: ReturnType<typeof createIndexerReader>;
    before(async function () {
      handle = await freshIndexerDatabase(engine);
      await insertTiers(handle.db);
      reader = createIndexerReader({ db: handle.db, head: async () => ({ number: 1n, timestamp: T0 }) });
    });
    after(async function () {
      await handle.close();
    });
    beforeEach(async function () {
      await handle.db.delete(claimTransitions);
      await handle.db.delete(claims);
    });

    const readRows = async (ids: bigint[]): Promise<StatsSource[]> => reader.changes.statsSources({ ids });

    it("equals the SQL after random submissions, steps, reorgs and clock advances", async function () {
      await fc.assert(
        fc.asyncProperty(
          fc.array(command, { minLength: 4, maxLength: 30 }),
          fc.array(command, { maxLength: 14 }),
          async (initial, later) => {
            await handle.db.delete(claimTransitions);
            await handle.db.delete(claims);
            let now = Number(T0) + 10 * DAY;
            let nextId = 1n;
            const specs = new Map<bigint, ClaimSpec>();
            /** What each command changed, to undo it in a reorg: the claim and its spec before. */
            const history: Array<{ id: bigint; before: ClaimSpec | undefined }> = [];

            const run = async (c: Command): Promise<bigint[]> => {
              if (c.type === "advance") {
                now += c.seconds;
                return [];
              }
              if (c.type === "submit") {
                const id = nextId++;
                const spec: ClaimSpec = {
                  id,
                  kind: CLAIM_KINDS[c.kind],
                  tier: c.tier,
                  submittedAt: BigInt(now - c.ago),
                  responseWindow: BigInt(c.response),
                  resolutionWindow: BigInt(c.resolution),
                  steps: [],
                };
                history.push({ id, before: undefined });
                specs.set(id, spec);
                await writeClaim(handle, id, spec);
                return [id];
              }
              if (c.type === "step") {
                const open = [...specs.values()].filter(
                  (s) => NEXT[s.steps?.at(-1)?.status ?? "Submitted"] !== undefined,
                );
                if (open.length === 0) return [];
                const before = open[c.pick % open.length]!;
                const last = before.steps?.at(-1);
                const choices = NEXT[last?.status ?? "Submitted"]!;
                const at = (last?.at ?? before.submittedAt!) + BigInt(c.delay);
                const spec = {
                  ...before,
                  steps: [...(before.steps ?? []), { status: choices[c.choice % choices.length]!, at }],
                };
                history.push({ id: spec.id, before });
                specs.set(spec.id, spec);
                await writeClaim(handle, spec.id, spec);
                return [spec.id];
              }
              // A reorg: the last few changes are rolled back, rows return to what they were.
              const undone: bigint[] = [];
              for (let i = 0; i < c.depth && history.length > 0; i++) {
                const { id, before } = history.pop()!;
                if (before === undefined) specs.delete(id);
                else specs.set(id, before);
                await writeClaim(handle, id, before);
                undone.push(id);
              }
              return undone;
            };

            for (const c of initial) await run(c);
            // Loaded once, then kept up to date claim by claim.
            const ledger = StatsLedger.build(await reader.changes.statsSources({ after: -1n, limit: 1_000_000 }));
            await expectSame(ledger.rows(now), reader, now);
            for (const c of later) {
              const ids = [...new Set(await run(c))];
              const rows = await readRows(ids);
              for (const row of rows) ledger.upsert(row);
              for (const id of ids) if (!rows.some((r) => r.id === id)) ledger.remove(id);
              await expectSame(ledger.rows(now), reader, now);
            }
            expect(ledger.size).to.equal(specs.size);
          },
        ),
        { seed: 20_261_205, numRuns: engine === "pglite" ? 40 : 25 },
      );
    });

    it("takes nearest ranks, not interpolations: of ten durations the fifth and the ninth", async function () {
      const now = Number(T0) + 10 * DAY;
      await insertClaims(
        handle.db,
        Array.from({ length: 10 }, (_, i) => ({
          id: BigInt(i + 1),
          submittedAt: BigInt(now - 3600),
          steps: [{ status: "Accepted" as const, at: BigInt(now - 3600 + 60 * (i + 1)) }],
        })),
      );
      const ledger = StatsLedger.build(await reader.changes.statsSources({ after: -1n, limit: 100 }));
      const rows = ledger.rows(now);
      // Interpolating (percentile_cont) would give 330 and 546.
      expect(rows.durations.find((r) => r.metric === "accept" && r.win === "24h" && r.dim === "all")).to.include({
        n: 10,
        p50: 300,
        p90: 540,
      });
      await expectSame(rows, reader, now);
    });

    it("follows the claim cache's watcher: load, new steps, a reorg, and falls back when stale or failing", async function () {
      const nowS = Number(T0) + 10 * DAY;
      let clockMs = nowS * 1000;
      await insertClaims(handle.db, [
        { id: 1n, submittedAt: BigInt(nowS - 1000), steps: [{ status: "Accepted", at: BigInt(nowS - 900) }] },
        { id: 2n, tier: 1, submittedAt: BigInt(nowS - 3 * DAY) },
      ]);
      const cache = new CachedIndexerReader(reader, reader.changes, {
        maxEntries: 10,
        staleMs: 1000,
        log: createLogger("silent"),
        now: () => clockMs,
      });
      let failing = false;
      const ledger = new LiveStatsLedger(
        {
          statsSources: (q) => {
            if (failing) throw new Error("connect ECONNREFUSED 127.0.0.1:42069");
            return reader.changes.statsSources(q);
          },
        },
        { staleMs: 1000, log: createLogger("silent"), now: () => clockMs, pageSize: 1 },
      );
      cache.onChanges((change, at) => ledger.notify(change, at));
      const stats = new StationStats(reader, () => clockMs, 30, createLogger("silent"), ledger);

      expect(ledger.rows(nowS), "nothing loaded yet").to.equal(undefined);
      await cache.check();
      await ledger.settled();
      await expectSame(ledger.rows(nowS)!, reader, nowS);

      // Claim 2 is accepted, claim 3 filed: the next check reports both.
      await writeClaim(handle, 2n, {
        id: 2n,
        tier: 1,
        submittedAt: BigInt(nowS - 3 * DAY),
        steps: [{ status: "Accepted", at: BigInt(nowS - 60) }],
      });
      await writeClaim(handle, 3n, { id: 3n, kind: "DataApiOutage", submittedAt: BigInt(nowS - 30) });
      await cache.check();
      await ledger.settled();
      const after = ledger.rows(nowS)!;
      await expectSame(after, reader, nowS);
      expect(after.durations.find((r) => r.metric === "accept" && r.win === "24h" && r.dim === "all")?.n).to.equal(2);

      // A reorg takes claim 3 away again: claims 1 and 2 stay open.
      await writeClaim(handle, 3n, undefined);
      await cache.check();
      await ledger.settled();
      await expectSame(ledger.rows(nowS)!, reader, nowS);
      expect(ledger.rows(nowS)!.open.reduce((s, r) => s + r.n, 0)).to.equal(2);

      // Past the staleness bound without a check, the ledger does not answer, StationStats asks the SQL.
      clockMs += 1000;
      expect(ledger.rows(nowS)).to.equal(undefined);
      await writeClaim(handle, 4n, { id: 4n, submittedAt: BigInt(nowS - 10) });
      const fromSql = await stats.get();
      expect(fromSql.figures.open.total, "claim 4 is only in the indexer").to.equal(3);

      // A failing read leaves the ledger unusable until a reload succeeds.
      failing = true;
      await cache.check();
      await ledger.settled();
      expect(ledger.rows(nowS)).to.equal(undefined);
      failing = false;
      await cache.check();
      await ledger.settled();
      await expectSame(ledger.rows(nowS)!, reader, nowS);
      expect((await stats.get()).figures.open.total).to.equal(3);
    });

    /** A read fixture ten days after T0 holding `specs`, its direct reader, and `test`; closed after. */
    async function atTenDays(
      specs: (now: bigint) => ClaimSpec[],
      test: (f: ReadFixture, direct: ReturnType<typeof createIndexerReader>, now: bigint) => Promise<void>,
    ): Promise<void> {
      const f = await readFixture(engine);
      try {
        const now = T0 + 10n * 86_400n;
        f.clock.now = now;
        await insertClaims(f.handle.db, specs(now));
        await test(f, createIndexerReader({ db: f.handle.db, head: async () => f.head.current }), now);
      } finally {
        await f.close();
      }
    }

    it("answers GET /v1/stats from the ledger once the app's claim cache has checked", async function () {
      await atTenDays(
        (now) => [
          { id: 1n, submittedAt: now - 1000n, steps: [{ status: "Accepted", at: now - 900n }] },
          { id: 2n, kind: "Other", tier: 1, submittedAt: now - 2n * 86_400n },
        ],
        async (f, direct, now) => {
          // The full recomputation fails here: only the ledger can answer.
          const noRecompute: IndexerReader = {
            ...direct,
            stats: async () => {
              throw new Error("connect ECONNREFUSED 127.0.0.1:42069");
            },
          };
          const cache = new CachedIndexerReader(noRecompute, direct.changes, {
            maxEntries: 10,
            staleMs: 60_000,
            log: createLogger("silent"),
          });
          const app = f.app({}, cache);
          expect((await getJson(app, "/v1/stats")).status, "no ledger before the first check").to.equal(503);
          await cache.check();
          const body = await waitFor("the ledger's figures", async () => {
            const got = await getJson<StationFigures>(app, "/v1/stats");
            return got.status === 200 ? got.body : undefined;
          });
          expect(body).to.deep.equal(shapeFigures(await direct.stats(now), Number(now)));
          expect(body.open.total).to.equal(2);
        },
      );
    });

    it("with STATS_LEDGER=false keeps the claim cache but no ledger: the figures are recomputed", async function () {
      await atTenDays(
        (now) => [{ id: 1n, submittedAt: now - 1000n, steps: [{ status: "Accepted", at: now - 900n }] }],
        async (f, direct, now) => {
          let ledgerReads = 0;
          let recomputations = 0;
          const counted: IndexerReader = {
            ...direct,
            stats: async (at) => {
              recomputations++;
              return direct.stats(at);
            },
          };
          const changes = {
            ...direct.changes,
            statsSources: (q: Parameters<typeof direct.changes.statsSources>[0]) => {
              ledgerReads++;
              return direct.changes.statsSources(q);
            },
          };
          const cache = new CachedIndexerReader(counted, changes, {
            maxEntries: 10,
            staleMs: 60_000,
            log: createLogger("silent"),
          });
          const app = f.app({ STATS_LEDGER: "false" }, cache);
          await cache.check();
          const got = await waitFor("the recomputed figures", async () => {
            const r = await getJson<StationFigures>(app, "/v1/stats");
            return r.status === 200 ? r.body : undefined;
          });
          expect(got).to.deep.equal(shapeFigures(await direct.stats(now), Number(now)));
          expect(recomputations).to.be.greaterThan(0);
          expect(ledgerReads).to.equal(0);
          // The claim cache itself still answers claim reads from memory.
          await getJson(app, "/v1/claims/1");
          expect(cache.size).to.equal(1);
          // The same app with the ledger on loads it through statsSources.
          const withLedger = f.app({}, cache);
          await waitFor("the ledger's load", async () => {
            await getJson(withLedger, "/v1/stats");
            await cache.check();
            return ledgerReads > 0;
          });
        },
      );
    });
  });
}
