import { expect } from "chai";
import { sql } from "drizzle-orm";
import type { Hex } from "viem";

import { claims } from "../../indexer/ponder.schema.js";
import type { DatabaseHandle } from "../../service/src/db/client.js";
import { queryRows } from "../../service/src/db/client.js";
import { ponderIndexer } from "../../service/src/indexer/ponder.js";
import { createLogger } from "../../service/src/http/log.js";
import { chainClock } from "../../service/src/indexer/clock.js";
import {
  CLAIM_KINDS,
  createIndexerReader,
  TIME_TO_ACCEPT_BUCKETS,
  type ChainHead,
  type ClaimStatus,
  type IndexerReader,
  type StatsRows,
} from "../../service/src/indexer/reader.js";
import { ENGINES } from "./helpers.js";
import {
  ALICE,
  BOB,
  buildClaim,
  freshIndexerDatabase,
  insertBooking,
  insertClaims,
  insertBreachCredit,
  insertTiers,
  prng,
  randomAddress,
  setBreachCredits,
  T0,
  testReader,
  type ClaimSpec,
  type Step,
} from "./indexer.js";
import { FakePonder, ponderValidator } from "./fakePonder.js";

const NOW = T0 + 30n * 86_400n;

/** Claims with random histories over the last ten days, every time at or before NOW. */
function randomClaims(count: number, seed: number): ClaimSpec[] {
  const rnd = prng(seed);
  const int = (n: number) => BigInt(Math.floor(rnd() * n));
  const specs: ClaimSpec[] = [];
  for (let i = 1; i <= count; i++) {
    const submittedAt = NOW - int(10 * 86_400);
    const tier = rnd() < 0.3 ? 1 : 0;
    const responseWindow = tier === 1 ? 300n : 600n;
    const steps: Step[] = [];
    let t = submittedAt;
    const next = (max: number) => (t = t + 1n + int(max));
    const r = rnd();
    if (r < 0.08) steps.push({ status: "Cancelled", at: next(2000) });
    else if (r < 0.14) steps.push({ status: "Rejected", at: next(1500) });
    else if (r > 0.2) {
      steps.push({ status: "Accepted", at: next(1200) });
      const s = rnd();
      if (s > 0.2) {
        if (s > 0.5) steps.push({ status: "Investigating", at: next(3000) });
        if (rnd() < 0.15) steps.push({ status: "Rejected", at: next(9000) });
        else if (rnd() < 0.9) {
          steps.push({ status: "Approved", at: next(12_000) });
          if (rnd() < 0.85) steps.push({ status: "Paid", at: next(600) });
        }
      }
    }
    // Nothing may happen after NOW: drop steps that fell in the future.
    specs.push({
      id: BigInt(i),
      claimant: rnd() < 0.5 ? ALICE : BOB,
      kind: CLAIM_KINDS[Math.floor(rnd() * CLAIM_KINDS.length)]!,
      tier,
      submittedAt,
      responseWindow,
      resolutionWindow: tier === 1 ? 7200n : 14_400n,
      steps: steps.filter((s) => s.at <= NOW),
    });
  }
  return specs;
}

/** The station figures computed the slow, obvious way, to check the SQL against. */
function referenceStats(specs: ClaimSpec[], now: bigint): StatsRows {
  const rows = specs.map((s) => buildClaim(s).claim);
  const wins = [
    ["24h", now - 86_400n],
    ["7d", now - 7n * 86_400n],
    ["all", -1n],
  ] as const;
  const dims = (r: (typeof rows)[number]) => [
    ["all", ""],
    ["kind", r.kind!],
    ["tier", String(r.tier)],
  ];
  const durations = new Map<string, number[]>();
  const sla = new Map<string, { due: number; met: number }>();
  for (const r of rows) {
    const events: Array<["accept" | "resolve", bigint, bigint]> = [];
    if (r.acceptedAt != null) events.push(["accept", r.acceptedAt, r.acceptedAt - r.submittedAt]);
    if (r.status === "Paid" || r.status === "Rejected") {
      const at = (r.paidAt ?? r.closedAt)!;
      events.push(["resolve", at, at - r.submittedAt]);
    }
    for (const [metric, at, dur] of events) {
      for (const [win, since] of wins) {
        if (at < since) continue;
        for (const [dim, key] of dims(r)) {
          const k = [metric, win, dim, key].join("|");
          durations.set(k, [...(durations.get(k) ?? []), Number(dur)]);
        }
      }
    }
    const stop = r.status === "Cancelled" ? r.closedAt! : now;
    const rejectedAt = r.status === "Rejected" ? r.closedAt! : null;
    const outcomes: Array<["response" | "resolution", bigint | null, bigint]> = [
      ["response", r.acceptedAt ?? rejectedAt, r.responseDeadline],
      ["resolution", r.approvedAt ?? rejectedAt, r.resolutionDeadline],
    ];
    for (const [name, done, deadline] of outcomes) {
      const met = done !== null && done <= deadline;
      const decided = met ? done : done !== null || deadline < stop ? deadline : null;
      if (decided === null) continue;
      for (const [win, since] of wins) {
        if (decided < since) continue;
        for (const [dim, key] of dims(r)) {
          const k = [name, win, dim, key].join("|");
          const v = sla.get(k) ?? { due: 0, met: 0 };
          v.due += 1;
          if (met) v.met += 1;
          sla.set(k, v);
        }
      }
    }
  }
  const rank = (sorted: number[], p: number) => sorted[Math.ceil(p * sorted.length) - 1] ?? null;
  const open = new Map<string, { n: number; overdue: number }>();
  const histogram = new Map<number, { n: number; sum: number; buckets: number[] }>();
  for (const r of rows) {
    if (["Submitted", "Accepted", "Investigating", "Approved"].includes(r.status!)) {
      const k = [r.status, r.kind, r.tier].join("|");
      const v = open.get(k) ?? { n: 0, overdue: 0 };
      v.n += 1;
      const deadline =
        r.status === "Submitted" ? r.responseDeadline : r.status === "Approved" ? null : r.resolutionDeadline;
      if (deadline != null && deadline < now) v.overdue += 1;
      open.set(k, v);
    }
    if (r.acceptedAt != null) {
      const d = Number(r.acceptedAt - r.submittedAt);
      const h = histogram.get(r.tier) ?? { n: 0, sum: 0, buckets: TIME_TO_ACCEPT_BUCKETS.map(() => 0) };
      h.n += 1;
      h.sum += d;
      TIME_TO_ACCEPT_BUCKETS.forEach((le, i) => (h.buckets[i]! += d <= le ? 1 : 0));
      histogram.set(r.tier, h);
    }
  }
  return {
    durations: [...durations].map(([k, values]) => {
      const [metric, win, dim, key] = k.split("|") as ["accept", "24h", "all", string];
      const sorted = [...values].sort((a, b) => a - b);
      const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
      return { metric, win, dim, key, n: sorted.length, p50: rank(sorted, 0.5), p90: rank(sorted, 0.9), mean };
    }),
    sla: [...sla].map(([k, v]) => {
      const [name, win, dim, key] = k.split("|") as ["response", "24h", "all", string];
      return { sla: name, win, dim, key, ...v };
    }),
    open: [...open].map(([k, v]) => {
      const [stage, kind, tier] = k.split("|") as [ClaimStatus, (typeof CLAIM_KINDS)[number], string];
      return { stage, kind, tier: Number(tier), ...v };
    }),
    acceptHistogram: [...histogram].map(([tier, v]) => ({ tier, ...v })),
  };
}

const byKey = <T extends object>(rows: T[], keys: Array<keyof T>) =>
  [...rows].sort((a, b) =>
    keys
      .map((k) => String(a[k]))
      .join("|")
      .localeCompare(keys.map((k) => String(b[k])).join("|")),
  );

function roundMeans(stats: StatsRows): StatsRows {
  return {
    ...stats,
    durations: stats.durations.map((d) => ({ ...d, mean: d.mean === null ? null : Math.round(d.mean * 1000) / 1000 })),
  };
}

function normalise(stats: StatsRows) {
  const s = roundMeans(stats);
  return {
    durations: byKey(s.durations, ["metric", "win", "dim", "key"]),
    sla: byKey(s.sla, ["sla", "win", "dim", "key"]),
    open: byKey(s.open, ["stage", "kind", "tier"]),
    acceptHistogram: byKey(s.acceptHistogram, ["tier"]),
  };
}

for (const engine of ENGINES) {
  describe(`indexer reader (${engine})`, function () {
    let handle: DatabaseHandle;
    const head: { current: ChainHead } = { current: { number: 1000n, timestamp: T0 + 1000n } };
    let reader: IndexerReader;

    beforeEach(async function () {
      handle = await freshIndexerDatabase(engine);
      reader = testReader(handle.db, head);
      await insertTiers(handle.db);
    });
    afterEach(async function () {
      await handle.close();
    });

    it("creates every indexer table from the Ponder schema, with its enum types", async function () {
      const tables = await queryRows<{ table_name: string }>(
        handle.db,
        sql`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1`,
      );
      expect(tables.map((t) => t.table_name)).to.include.members([
        "claims",
        "claim_transitions",
        "incidents",
        "incident_claims",
        "incident_events",
        "pool_stats",
        "stakers",
        "stake_events",
        "tiers",
        "settings",
        "packages",
        "purchases",
        "subscriptions",
        "coverage_bookings",
        "buyer_approval_events",
        "buyer_approvals",
      ]);
      await insertClaims(handle.db, [{ id: 1n, submittedAt: T0 }]);
      const [row] = await handle.db.select({ status: claims.status, id: claims.id }).from(claims);
      expect(row).to.deep.equal({ status: "Submitted", id: 1n });
    });

    it("finds the event standby in force for many beneficiaries at once, the fastest when several overlap", async function () {
      // 120 beneficiaries (three IN lists): each has a booking covering NOW except every third.
      const beneficiaries = Array.from({ length: 120 }, () => randomAddress());
      for (const [i, b] of beneficiaries.entries()) {
        const start = i % 3 === 0 ? NOW + 1n : NOW - 100n;
        await insertBooking(handle.db, {
          beneficiary: b,
          start,
          end: NOW + 100n,
          slaFactorBps: 5_000,
          block: BigInt(i),
        });
      }
      // The last one has a faster booking too, ending exactly at NOW + 1.
      const last = beneficiaries.at(-1)!;
      await insertBooking(handle.db, {
        beneficiary: last,
        start: NOW,
        end: NOW + 1n,
        slaFactorBps: 2_500,
        block: 500n,
      });
      const found = await reader.standby([...beneficiaries, beneficiaries[1]!], NOW);
      expect(found.size).to.equal(80);
      expect([...found.keys()]).to.have.members(
        beneficiaries.filter((_, i) => i % 3 !== 0).map((b) => b.toLowerCase()),
      );
      expect(found.get(last.toLowerCase())).to.deep.equal({
        beneficiary: last,
        packageId: 3n,
        slaFactorBps: 2_500,
        start: NOW,
        end: NOW + 1n,
      });
      expect((await reader.standby([last], NOW + 1n)).get(last.toLowerCase())?.slaFactorBps).to.equal(5_000);
      expect((await reader.standby([last], NOW + 100n)).size).to.equal(0);
      expect((await reader.standby([], NOW)).size).to.equal(0);
    });

    it("reads the breach credits in force: 0 until set", async function () {
      expect(await reader.breachCreditTerms()).to.deep.equal({ noResponse: 0n, resolution: 0n });
      await setBreachCredits(handle.db, 5n, 7n);
      expect(await reader.breachCreditTerms()).to.deep.equal({ noResponse: 5n, resolution: 7n });
    });

    it("keeps the chain's clock: the head block's time plus the time since it was seen", async function () {
      const h = { current: { number: 10n, timestamp: 5_000n } };
      let fail = false;
      const clock = chainClock(async () => {
        if (fail) throw new Error("indexer down");
        return h.current;
      });
      expect(await clock(1_000_000)).to.equal(5_000n); // first seen at wall 1,000 s
      expect(await clock(1_001_999)).to.equal(5_001n); // whole seconds
      expect(await clock(1_060_000)).to.equal(5_060n);
      expect(await clock(999_000)).to.equal(5_000n); // a wall clock stepped back before the sighting: no time elapsed
      h.current = { number: 11n, timestamp: 9_000n }; // time travel: a new block far ahead
      expect(await clock(1_061_000)).to.equal(9_000n);
      h.current = { number: 11n, timestamp: 8_990n }; // a reorg replaced the head
      expect(await clock(1_062_000)).to.equal(8_990n);
      fail = true; // the head cannot be read: the last anchor keeps running
      expect(await clock(1_072_000)).to.equal(9_000n);
      let thrown: unknown;
      await chainClock(async () => Promise.reject(new Error("indexer down")))(0).catch((e: unknown) => (thrown = e));
      expect((thrown as Error).message).to.equal("indexer down");
    });

    it("keeps the same clock for a caller that holds the head (`at`), one anchor for both forms", async function () {
      const h = { current: { number: 10n, timestamp: 5_000n } };
      const clock = chainClock(async () => h.current);
      expect(clock.at(h.current, 1_000_000)).to.equal(5_000n); // anchored here, at wall 1,000 s
      expect(await clock(1_030_000)).to.equal(5_030n); // the promise form runs from that anchor
      expect(clock.at(h.current, 1_045_500)).to.equal(5_045n);
      h.current = { number: 12n, timestamp: 7_000n };
      expect(await clock(1_050_000)).to.equal(7_000n); // re-anchored by the promise form
      expect(clock.at(h.current, 1_052_000)).to.equal(7_002n);
      expect(clock.at({ number: 12n, timestamp: 6_990n }, 1_053_000)).to.equal(6_990n); // a replaced head
      expect(clock.at({ number: 12n, timestamp: 6_990n }, 1_000_000)).to.equal(6_990n); // never before its sighting
    });

    it("gives the head and the clock without waiting only when the head is at hand (`clockAt`)", async function () {
      const h = { current: { number: 10n, timestamp: 5_000n } as ChainHead | undefined };
      const withHead = createIndexerReader({ db: handle.db, head: async () => h.current!, headNow: () => h.current });
      expect(withHead.clockAt!(1_000_000)).to.deep.equal({ head: h.current, now: 5_000n });
      expect(withHead.clockAt!(1_002_000)).to.deep.equal({ head: h.current, now: 5_002n });
      expect(await withHead.chainNow(1_003_000)).to.equal(5_003n); // one clock
      h.current = undefined; // the head cache holds nothing now
      expect(withHead.clockAt!(1_004_000)).to.equal(undefined);
      const without = createIndexerReader({ db: handle.db, head: async () => ({ number: 1n, timestamp: 1n }) });
      expect(without.clockAt!(1_000_000)).to.equal(undefined);
    });

    it("reads one claim with its tier's SLA factor, and nothing for an unknown id", async function () {
      await insertClaims(handle.db, [
        { id: 7n, tier: 1, submittedAt: T0 + 10n, amountRequested: 5n * 10n ** 18n },
        { id: 8n, tier: 9, submittedAt: T0 + 10n },
      ]);
      const claim = await reader.claim(7n);
      expect(claim?.id).to.equal(7n);
      expect(claim?.amountRequested).to.equal(5n * 10n ** 18n);
      expect(claim?.tierSlaFactorBps).to.equal(5000);
      expect(claim?.claimant).to.equal(ALICE.toLowerCase());
      expect((await reader.claim(8n))?.tierSlaFactorBps).to.equal(null);
      expect(await reader.claim(9n)).to.equal(undefined);
    });

    it("returns a claim's transitions in chain order (block, then log index)", async function () {
      await insertClaims(handle.db, [
        {
          id: 1n,
          submittedAt: T0 + 10n,
          steps: [
            { status: "Accepted", at: T0 + 20n, block: 20n, logIndex: 3 },
            { status: "Investigating", at: T0 + 20n, block: 20n, logIndex: 5 },
            { status: "Approved", at: T0 + 40n },
          ],
        },
      ]);
      const statuses = (await reader.transitions(1n)).map((t) => t.status);
      expect(statuses).to.deep.equal(["Submitted", "Accepted", "Investigating", "Approved"]);
      expect(await reader.transitions(2n)).to.deep.equal([]);
      // The tracking page's single query gives the same claim and transitions.
      const timeline = await reader.timeline(1n);
      expect(timeline?.claim).to.deep.equal(await reader.claim(1n));
      expect(timeline?.transitions).to.deep.equal(await reader.transitions(1n));
      expect(await reader.timeline(2n)).to.equal(undefined);
      await insertClaims(handle.db, [{ id: 2n, submittedAt: T0, noSubmittedTransition: true }]);
      expect(await reader.timeline(2n)).to.deep.equal({ claim: await reader.claim(2n), transitions: [] });
    });

    it("keeps amounts, block numbers and times past 2^53 exact in a timeline (it travels as JSON)", async function () {
      const far = 2n ** 53n;
      await insertClaims(handle.db, [
        {
          id: 3n,
          submittedAt: T0,
          steps: [
            { status: "Accepted", at: far + 3n, block: far + 1n, logIndex: 2 },
            { status: "Investigating", at: far + 5n, block: far + 1n, logIndex: 1 },
          ],
        },
      ]);
      const MAX_UINT256 = 2n ** 256n - 1n;
      await handle.db.execute(
        sql`UPDATE ${claims} SET amount_requested = ${MAX_UINT256.toString()}, amount_approved = ${(far + 7n).toString()},
          approved_at = ${(far + 9n).toString()}, gasless = true WHERE id = 3`,
      );
      const timeline = await reader.timeline(3n);
      // The claim as the plain row query reads it, column by column: same values, same types, nulls kept.
      expect(timeline?.claim).to.deep.equal(await reader.claim(3n));
      expect(timeline?.claim).to.deep.include({
        amountRequested: MAX_UINT256,
        amountApproved: far + 7n,
        approvedAt: far + 9n,
        paidAt: null,
        gasless: true,
        status: "Investigating",
      });
      expect(timeline?.claim.tier).to.be.a("number");
      expect(timeline?.transitions).to.deep.equal(await reader.transitions(3n));
      const investigating = timeline?.transitions.find((t) => t.status === "Investigating");
      expect(investigating).to.deep.include({ blockNumber: far + 1n, blockTimestamp: far + 5n, logIndex: 1 });
      expect(timeline?.transitions.map((t) => t.status)).to.deep.equal(["Submitted", "Investigating", "Accepted"]);
    });

    it("reports the transitions and breach credits of recent blocks, the newest such block and the tier factors in one change window (claim cache checks)", async function () {
      const changes = reader.changes!;
      expect(await changes.newestTransitionBlock()).to.equal(null);
      const empty = await changes.changeWindow(0n, 10);
      const tierFactors = [
        { tier: 0, slaFactorBps: 10_000 },
        { tier: 1, slaFactorBps: 5_000 },
      ];
      expect(empty.read()).to.deep.equal({ transitions: [], tiers: tierFactors });
      await insertClaims(handle.db, [
        { id: 1n, submittedAt: T0 + 10n, steps: [{ status: "Accepted", at: T0 + 30n, block: 30n, logIndex: 2 }] },
        { id: 2n, submittedAt: T0 + 20n, steps: [{ status: "Cancelled", at: T0 + 30n, block: 30n, logIndex: 1 }] },
      ]);
      expect(await changes.newestTransitionBlock()).to.equal(30n);
      const window = await changes.changeWindow(10n, 10);
      const after = window.read().transitions;
      // Block, then id (Ponder's event ids sort in chain order); the block-10 row (claim 1's
      // submission) is not above 10.
      expect(after.map((r) => [r.blockNumber, r.claimId])).to.deep.equal([
        [20n, 2n],
        [30n, 1n],
        [30n, 2n],
      ]);
      expect(after[1]!.id < after[2]!.id).to.equal(true);
      expect(after[0]!.txHash).to.match(/^0x[0-9a-f]{64}$/);
      expect((await changes.changeWindow(10n, 2)).read().transitions).to.have.length(2);
      // The same rows, the same text: a check compares texts before it parses anything.
      expect((await changes.changeWindow(10n, 10)).text).to.equal(window.text);
      expect((await changes.changeWindow(20n, 10)).text).not.to.equal(window.text);

      // A breach credit changes a claim's row without a transition: it is in the window too.
      const credit = await insertBreachCredit(handle.db, {
        claimId: 1n,
        claimant: ALICE,
        kind: "NoResponse",
        amount: 10n ** 17n,
        block: 25n,
      });
      const withCredit = await changes.changeWindow(10n, 10);
      expect(withCredit.text).not.to.equal(window.text);
      expect(withCredit.read().transitions.map((r) => [r.blockNumber, r.claimId, r.txHash])).to.deep.equal([
        [20n, 2n, after[0]!.txHash],
        [25n, 1n, credit.txHash],
        [30n, 1n, after[1]!.txHash],
        [30n, 2n, after[2]!.txHash],
      ]);
      // A transition replaced in a reorg (another transaction, same id) changes the text.
      await handle.db.execute(
        sql`UPDATE claim_transitions SET tx_hash = ${"0x" + "ab".repeat(32)} WHERE claim_id = 2 AND block_number = 30`,
      );
      const replaced = await changes.changeWindow(10n, 10);
      expect(replaced.text).not.to.equal(withCredit.text);
      expect(replaced.read().transitions.find((r) => r.claimId === 2n && r.blockNumber === 30n)?.txHash).to.equal(
        "0x" + "ab".repeat(32),
      );
      // So does a tier's SLA factor.
      await handle.db.execute(sql`UPDATE tiers SET sla_factor_bps = 4000 WHERE tier = 1`);
      const retiered = await changes.changeWindow(10n, 10);
      expect(retiered.text).not.to.equal(replaced.text);
      expect(retiered.read().tiers).to.deep.equal([tierFactors[0], { tier: 1, slaFactorBps: 4_000 }]);
      expect(retiered.read().transitions).to.deep.equal(replaced.read().transitions);
    });

    it("reads timelines page by page in id order, and finds the nth newest claim (claim cache warm-up)", async function () {
      const changes = reader.changes!;
      expect(await changes.nthNewestClaimId!(1)).to.equal(null);
      expect(await changes.timelinesAfter!(-1n, 10)).to.deep.equal([]);
      // Ids with gaps (a page is by id order, not by id arithmetic).
      const ids = [2n, 3n, 5n, 8n, 13n, 21n];
      await insertClaims(
        handle.db,
        ids.map((id) => ({
          id,
          submittedAt: T0 + id,
          steps: id % 2n === 1n ? [{ status: "Accepted" as const, at: T0 + id + 5n, block: id + 5n }] : [],
        })),
      );
      expect(await changes.nthNewestClaimId!(1)).to.equal(21n);
      expect(await changes.nthNewestClaimId!(4)).to.equal(5n);
      expect(await changes.nthNewestClaimId!(7)).to.equal(null);
      let refused: unknown;
      await changes.nthNewestClaimId!(0).catch((e: unknown) => (refused = e));
      expect(String(refused)).to.match(/positive integer/);
      const first = await changes.timelinesAfter!(-1n, 4);
      expect(first.map((t) => t.claim.id)).to.deep.equal([2n, 3n, 5n, 8n]);
      const rest = await changes.timelinesAfter!(8n, 4);
      expect(rest.map((t) => t.claim.id)).to.deep.equal([13n, 21n]);
      // Each exactly what the single timeline read gives.
      for (const t of [...first, ...rest]) expect(t).to.deep.equal(await reader.timeline(t.claim.id));
      expect(rest[0]!.transitions.map((t) => t.status)).to.deep.equal(["Submitted", "Accepted"]);
      expect(await changes.timelinesAfter!(21n, 4)).to.deep.equal([]);
    });

    it("lists an account's claims newest first, by keyset and by offset", async function () {
      await insertClaims(handle.db, [
        { id: 1n, claimant: ALICE, submittedAt: T0 },
        { id: 2n, claimant: BOB, submittedAt: T0 },
        { id: 3n, claimant: ALICE, submittedAt: T0 },
        { id: 4n, claimant: ALICE, submittedAt: T0 },
      ]);
      const ids = (rows: Array<{ id: bigint }>) => rows.map((r) => r.id);
      expect(ids(await reader.claimsByAccount(ALICE, { limit: 10 }))).to.deep.equal([4n, 3n, 1n]);
      expect(ids(await reader.claimsByAccount(ALICE, { limit: 10, beforeId: 4n }))).to.deep.equal([3n, 1n]);
      expect(ids(await reader.claimsByAccount(ALICE, { limit: 1, offset: 1 }))).to.deep.equal([3n]);
      expect(ids(await reader.claimsByAccount(BOB, { limit: 10 }))).to.deep.equal([2n]);
    });

    it("queues open claims by the deadline each waits on, and filters them", async function () {
      const at = T0 + 1000n;
      await insertClaims(handle.db, [
        // waits on response at +600
        { id: 1n, submittedAt: at, kind: "MissingReward" },
        // priority: waits on response at +300, so it comes first
        { id: 2n, submittedAt: at, tier: 1, responseWindow: 300n, kind: "DataApiOutage" },
        // accepted: waits on resolution at +14400
        { id: 3n, submittedAt: at, steps: [{ status: "Accepted", at: at + 5n }] },
        // approved, payable later (guardian window): waits on payable time
        { id: 4n, submittedAt: at, payableAt: at + 900n, steps: [{ status: "Approved", at: at + 50n }] },
        // approved and payable already, paid, rejected, cancelled: not queued
        { id: 5n, submittedAt: at, steps: [{ status: "Approved", at: at + 50n }] },
        { id: 6n, submittedAt: at, steps: [{ status: "Paid", at: at + 60n }] },
        { id: 7n, submittedAt: at, steps: [{ status: "Rejected", at: at + 60n }] },
        { id: 8n, submittedAt: at, steps: [{ status: "Cancelled", at: at + 60n }] },
        // submitted long ago: its response deadline has passed
        { id: 9n, submittedAt: T0, kind: "DataApiOutage" },
      ]);
      const now = at + 100n;
      const ids = async (q: Partial<Parameters<IndexerReader["queue"]>[0]>) =>
        (await reader.queue({ now, limit: 50, ...q })).map((r) => [r.id, r.deadline]);
      expect(await ids({})).to.deep.equal([
        [9n, T0 + 600n],
        [2n, at + 300n],
        [1n, at + 600n],
        [4n, at + 900n],
        [3n, at + 14_400n],
      ]);
      expect(await ids({ breached: true })).to.deep.equal([[9n, T0 + 600n]]);
      expect((await ids({ breached: false })).map(([id]) => id)).to.deep.equal([2n, 1n, 4n, 3n]);
      expect((await ids({ kind: "DataApiOutage" })).map(([id]) => id)).to.deep.equal([9n, 2n]);
      expect((await ids({ tier: 1 })).map(([id]) => id)).to.deep.equal([2n]);
      expect((await ids({ limit: 2, after: { deadline: at + 300n, id: 2n } })).map(([id]) => id)).to.deep.equal([
        1n,
        4n,
      ]);
      // Once the guardian window is over, claim 4 leaves the queue.
      expect((await reader.queue({ now: at + 900n, limit: 50 })).map((r) => r.id)).to.not.include(4n);
    });

    it("computes the station figures in SQL exactly as the definitions say (checked against a plain implementation)", async function () {
      const specs = randomClaims(400, 42);
      await insertClaims(handle.db, specs);
      const actual = normalise(await reader.stats(NOW));
      const expected = normalise(referenceStats(specs, NOW));
      expect(actual.open).to.deep.equal(expected.open);
      expect(actual.sla).to.deep.equal(expected.sla);
      expect(actual.durations).to.deep.equal(expected.durations);
      expect(actual.acceptHistogram).to.deep.equal(expected.acceptHistogram);
      // The data is rich enough for the comparison to mean something.
      expect(expected.durations.length).to.be.greaterThan(40);
      expect(expected.sla.some((r) => r.met < r.due && r.met > 0 && r.win === "24h")).to.equal(true);
    });

    it("answers nearest-rank percentiles for a small known set", async function () {
      // Accepted after 10, 20, 30, 40 and 100 seconds: median 30, p90 100 (rank ceil(4.5) = 5).
      await insertClaims(
        handle.db,
        [10n, 20n, 30n, 40n, 100n].map((d, i) => ({
          id: BigInt(i + 1),
          submittedAt: NOW - 1000n,
          steps: [{ status: "Accepted" as const, at: NOW - 1000n + d }],
        })),
      );
      const stats = await reader.stats(NOW);
      const overall = stats.durations.find((d) => d.metric === "accept" && d.win === "24h" && d.dim === "all");
      expect(overall).to.deep.include({ n: 5, p50: 30, p90: 100, mean: 40 });
      const response = stats.sla.find((r) => r.sla === "response" && r.win === "all" && r.dim === "all");
      expect(response).to.deep.include({ due: 5, met: 5 });
    });

    describe("through Ponder's SQL over HTTP (@ponder/client against a stand-in checked by Ponder's own allow-list)", function () {
      it("gives the same answers as the direct database for every read", async function () {
        const specs = randomClaims(120, 7);
        await insertClaims(handle.db, specs);
        const stub = await FakePonder.start(handle.db, { head: head.current });
        try {
          const remote = ponderIndexer({
            indexerUrl: stub.url,
            chainId: 31337,
            log: createLogger("silent"),
            headCacheMs: 0,
          }).reader;
          expect(await remote.head()).to.deep.equal(head.current);
          expect(await remote.claim(5n)).to.deep.equal(await reader.claim(5n));
          expect(await remote.claim(9999n)).to.equal(undefined);
          expect(await remote.transitions(5n)).to.deep.equal(await reader.transitions(5n));
          expect(await remote.timeline(5n)).to.deep.equal(await reader.timeline(5n));
          expect((await remote.timeline(5n))?.transitions.length).to.be.greaterThan(1);
          expect(await remote.timeline(9999n)).to.equal(undefined);
          const page = { limit: 7, beforeId: 100n };
          // Every form of an account's page: the first, by keyset and by offset.
          for (const q of [page, { limit: 7 }, { limit: 5, offset: 3 }]) {
            const local = await reader.claimsByAccount(BOB, q);
            expect(local.length).to.be.greaterThan(0);
            expect(await remote.claimsByAccount(BOB, q)).to.deep.equal(local);
          }
          const q = {
            now: NOW,
            limit: 10,
            breached: true,
            after: { deadline: 0n, id: 0n },
            kind: "MissingReward" as const,
          };
          expect(await remote.queue(q)).to.deep.equal(await reader.queue(q));
          // Event standby (60 beneficiaries: two IN lists) and the breach credits in force.
          const booked = Array.from({ length: 60 }, () => randomAddress());
          for (const [i, b] of booked.entries()) {
            await insertBooking(handle.db, {
              beneficiary: b,
              start: NOW - 10n,
              end: NOW + 10n,
              slaFactorBps: 2_500 + i,
              block: BigInt(i),
            });
          }
          const standby = await remote.standby([...booked, BOB], NOW);
          expect(standby.size).to.equal(60);
          expect(standby).to.deep.equal(await reader.standby([...booked, BOB], NOW));
          await setBreachCredits(handle.db, 3n, 4n);
          expect(await remote.breachCreditTerms()).to.deep.equal({ noResponse: 3n, resolution: 4n });
          expect(await remote.chainNow(Date.now())).to.equal(head.current.timestamp);
          expect(normalise(await remote.stats(NOW))).to.deep.equal(normalise(await reader.stats(NOW)));
          // The per-assessor rows (a join, no sub-query, nothing Ponder refuses).
          const assessors = await reader.assessorRows!();
          expect(assessors.handled.length).to.be.greaterThan(0);
          expect(await remote.assessorRows!()).to.deep.equal(assessors);
          // The purge loop's look-up of openings filed as claims' evidence.
          const evidence = (await reader.claim(5n))!.evidenceHash.toLowerCase() as Hex;
          const filed = await reader.filedEvidence!([evidence, `0x${"ee".repeat(32)}`]);
          expect([...filed]).to.deep.equal([evidence]);
          expect(await remote.filedEvidence!([evidence, `0x${"ee".repeat(32)}`])).to.deep.equal(filed);
          expect(await reader.filedEvidence!([])).to.deep.equal(new Set());
          // The claim cache's change checks.
          const [local, over] = [reader.changes!, remote.changes!];
          expect(await over.newestTransitionBlock()).to.equal(await local.newestTransitionBlock());
          const recent = await local.changeWindow(NOW - T0 - 2n * 86_400n, 500);
          expect(recent.read().transitions.length).to.be.greaterThan(5);
          const remoteWindow = await over.changeWindow(NOW - T0 - 2n * 86_400n, 500);
          expect(remoteWindow.read()).to.deep.equal(recent.read());
          expect(remoteWindow.text).to.equal(recent.text);
          // The station figures' ledger: claims by id, and page by page when it loads.
          const byId = await local.statsSources!({ ids: [5n, 6n] });
          expect(byId.length).to.equal(2);
          expect(await over.statsSources!({ ids: [5n, 6n] })).to.deep.equal(byId);
          const pageOf = { after: 3n, limit: 4 };
          expect(await over.statsSources!(pageOf)).to.deep.equal(await local.statsSources!(pageOf));
          // The claim cache's warm-up: the nth newest claim, and timelines page by page.
          expect(await over.nthNewestClaimId!(30)).to.equal(await local.nthNewestClaimId!(30));
          const warmPage = await local.timelinesAfter!(90n, 20);
          expect(warmPage).to.have.length(20);
          expect(await over.timelinesAfter!(90n, 20)).to.deep.equal(warmPage);
          expect(stub.queries.length).to.be.greaterThanOrEqual(15);
          expect(stub.refused).to.deep.equal([]);
        } finally {
          await stub.stop();
        }
      });

      it("uses a stand-in that really enforces Ponder's rules (percentile_cont and sub-queries are refused)", async function () {
        const validate = await ponderValidator();
        let refused = 0;
        for (const q of [
          "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY id) FROM claims",
          "SELECT id FROM claims WHERE id IN (SELECT claim_id FROM claim_transitions)",
        ]) {
          await validate(q).catch(() => (refused += 1));
        }
        expect(refused).to.equal(2);
      });
    });
  });
}
