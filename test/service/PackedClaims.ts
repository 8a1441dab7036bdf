/**
 * A packed claim (service/src/claims/packed.ts) must come back as it was: every field with its
 * value, its type (a bigint stays a bigint, a hex string keeps its case) and the keys in their
 * order, for the rows the real reader returns and for values at the edges of each encoding.
 */
import { randomBytes } from "node:crypto";

import { expect } from "chai";

import { MAX_PACKED_ID, PackedClaims, TimelinePacker } from "../../service/src/claims/packed.js";
import type { DatabaseHandle } from "../../service/src/db/client.js";
import type { ClaimTimeline } from "../../service/src/indexer/reader.js";
import { encodeEventId } from "./eventId.js";
import { CLAIMS_IN_EVERY_STATE, freshIndexerDatabase, insertClaims, insertTiers, T0, testReader } from "./indexer.js";

/** The value as JSON that also names each value's type and keeps the keys' order. */
function typed(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === "bigint" ? `bigint:${v}` : typeof v === "number" ? `number:${Object.is(v, -0) ? "-0" : v}` : v,
  );
}

function roundTrip(packer: TimelinePacker, found: ClaimTimeline): ClaimTimeline {
  const record = packer.pack(found);
  expect(record, "packed").to.be.instanceOf(Buffer);
  // Read from elsewhere in a larger buffer, as the store keeps it.
  const placed = Buffer.alloc(record!.length + 13, 0xee);
  record!.copy(placed, 9);
  const back = packer.unpack(placed, 9);
  expect(typed(back)).to.equal(typed(found));
  return back;
}

const lowerHex = (bytes: number) => `0x${randomBytes(bytes).toString("hex")}`;

/** A claim as the indexer on a real chain holds it: lower-case hex, Ponder's 75-digit event ids. */
function chainLikeClaim(id: bigint, transitions: number): ClaimTimeline {
  const claimant = lowerHex(20);
  const submittedTx = lowerHex(32);
  const steps = ["Submitted", "Accepted", "Approved", "Paid"].slice(0, transitions);
  const rows = steps.map((status, i) => ({
    id: encodeEventId({
      blockTimestamp: 1_750_000_000n + BigInt(i) * 84n,
      chainId: 42_161n,
      blockNumber: 20_000_000n + BigInt(i) * 7n,
      transactionIndex: BigInt(i),
      logIndex: BigInt(i),
    }),
    status,
    actor: i === 0 ? claimant : lowerHex(20),
    noteHash: lowerHex(32),
    blockNumber: 20_000_000n + BigInt(i) * 7n,
    blockTimestamp: 1_750_000_000n + BigInt(i) * 84n,
    txHash: i === 0 ? submittedTx : lowerHex(32),
    logIndex: i,
  }));
  const claim = {
    id,
    claimant,
    kind: "MissingReward",
    status: steps.at(-1)!,
    tier: 1,
    evidenceHash: lowerHex(32),
    gasless: true,
    amountRequested: 25n * 10n ** 18n,
    amountApproved: 20n * 10n ** 18n,
    lateCredit: 0n,
    amountPaid: 20n * 10n ** 18n,
    noResponseCredit: 0n,
    resolutionCredit: 0n,
    responseDeadline: 1_750_000_600n,
    resolutionDeadline: 1_750_014_400n,
    submittedAt: 1_750_000_000n,
    acceptedAt: 1_750_000_084n,
    investigatingAt: null,
    approvedAt: 1_750_000_168n,
    payableAt: 1_750_000_168n,
    paidAt: 1_750_000_252n,
    closedAt: null,
    lastNoteHash: rows.at(-1)!.noteHash,
    submittedBlock: 20_000_000n,
    submittedTx,
    updatedBlock: rows.at(-1)!.blockNumber,
    updatedAt: rows.at(-1)!.blockTimestamp,
    tierSlaFactorBps: 5_000,
  };
  return { claim, transitions: rows } as unknown as ClaimTimeline;
}

describe("packed claims", function () {
  this.timeout(30_000);
  let handle: DatabaseHandle;

  before(async function () {
    handle = await freshIndexerDatabase("pglite");
    await insertTiers(handle.db);
    await insertClaims(handle.db, [
      ...CLAIMS_IN_EVERY_STATE,
      { id: (1n << 255n) + 7n, submittedAt: T0 + 10n, amountRequested: (1n << 250n) + 3n },
    ]);
  });
  after(async function () {
    await handle.close();
  });

  it("gives back the reader's rows field for field, with their types and key order", async function () {
    const reader = testReader(handle.db, { current: { number: 1000n, timestamp: T0 + 1000n } });
    const packer = new TimelinePacker();
    const ids = [...CLAIMS_IN_EVERY_STATE.map((c) => c.id), (1n << 255n) + 7n];
    let transitions = 0;
    for (const id of ids) {
      const found = (await reader.timeline(id))!;
      transitions += found.transitions.length;
      const back = roundTrip(packer, found);
      expect(Object.keys(back.claim)).to.deep.equal(Object.keys(found.claim));
    }
    // The rows had transitions to pack, and the huge claim came back whole.
    expect(transitions).to.be.greaterThan(ids.length);
    const huge = packer.unpack(packer.pack((await reader.timeline((1n << 255n) + 7n))!)!);
    expect(huge.claim.amountRequested).to.equal((1n << 250n) + 3n);
  });

  it("gives back values at the edges of each encoding", function () {
    const packer = new TimelinePacker();
    const edges: Record<string, unknown> = {
      zero: 0n,
      one: 1n,
      six: (1n << 48n) - 1n,
      seven: 1n << 48n,
      uint256: (1n << 256n) - 1n,
      negative: -5n,
      negativeHuge: -(1n << 200n),
      int: 0,
      minusOne: -1,
      intEdge: 0x3fffffff,
      past: 0x40000000,
      minusZero: -0,
      fraction: 0.25,
      nan: Number.NaN,
      nul: null,
      yes: true,
      no: false,
      empty: "",
      emptyHex: "0x",
      hex: "0x00ff10",
      upperHex: "0xABCDEF",
      oddHex: "0x123",
      digits: "0000123",
      oddDigits: "00001",
      evenDigits: "9876543210",
      text: "Submitted",
      unicode: "réclamation ✓ 🚨 索赔",
      longText: "the same long string, said twice",
      again: "the same long string, said twice",
      shortAgain: "abc",
      shortAgain2: "abc",
    };
    const found = { claim: edges, transitions: [{ ...edges, extra: "0x" + "ab".repeat(32) }, { only: 1 }] };
    const back = roundTrip(packer, found as unknown as ClaimTimeline);
    expect(Object.is((back.claim as unknown as Record<string, unknown>).minusZero, -0)).to.equal(true);
    expect(Number.isNaN((back.claim as unknown as Record<string, unknown>).nan)).to.equal(true);
  });

  it("holds a chain-like claim of four stages in under 800 bytes, its repeated hashes once", function () {
    const packer = new TimelinePacker();
    const found = chainLikeClaim(123_456n, 4);
    roundTrip(packer, found);
    const record = Buffer.from(packer.pack(found)!);
    // The same claim whose claimant is not the first actor and whose submitting transaction differs
    // from the first transition's: 20 + 32 bytes more, less the two references' bytes.
    const distinct = structuredClone(found);
    distinct.transitions[0]!.actor = lowerHex(20) as typeof found.claim.claimant;
    distinct.transitions[0]!.txHash = lowerHex(32) as typeof found.claim.submittedTx;
    // Each written out costs its tag, length and bytes (22 and 34) instead of a reference's 2 bytes.
    expect(packer.pack(distinct)!.length - record.length).to.equal(20 + 32);
    // The bytes its distinct values need: nine 32-byte hashes (the last transition's note is the
    // claim's last note, the first transaction its submitting one), four addresses and four
    // 75-digit event ids at two digits a byte; the rest is tags, lengths and small numbers.
    const raw = 9 * 32 + 4 * 20 + 4 * 38;
    expect(record.length).to.be.greaterThan(raw);
    expect(record.length).to.be.lessThan(raw + 240);
    expect(record.length).to.be.lessThan(800);
  });

  it("does not pack what it cannot give back, and does not read another packer's records", function () {
    const packer = new TimelinePacker();
    const found = chainLikeClaim(1n, 2);
    const tooLong = {
      ...found,
      transitions: Array.from({ length: 2_000 }, () => ({ ...found.transitions[1]!, txHash: lowerHex(32) })),
    } as ClaimTimeline;
    expect(packer.pack(tooLong)).to.equal(undefined);
    for (const odd of [undefined, { nested: 1 }, [1, 2], () => 1, Symbol("s")]) {
      const claim = { ...found.claim, odd };
      expect(packer.pack({ ...found, claim } as unknown as ClaimTimeline), String(typeof odd)).to.equal(undefined);
    }
    // Still packs after a failed record.
    roundTrip(packer, found);
    const other = new TimelinePacker();
    other.pack({ claim: { a: 1 }, transitions: [] } as unknown as ClaimTimeline); // shape 0 elsewhere
    const record = Buffer.from(other.pack({ claim: { b: 2 }, transitions: [] } as unknown as ClaimTimeline)!); // shape 1
    expect(() => new TimelinePacker().unpack(record)).to.throw(/shape this packer never wrote/);
  });

  describe("the store", function () {
    const claimsFrom = (first: number, count: number) =>
      Array.from({ length: count }, (_, i) => chainLikeClaim(BigInt(first + i), 1 + (i % 4)));
    const typedOf = (found: ClaimTimeline | undefined) => (found === undefined ? "none" : typed(found));

    it("gives back what it holds, replaces a claim stored again, and forgets what it deletes", function () {
      const store = new PackedClaims({ maxEntries: 100 });
      const claims = claimsFrom(1, 20);
      for (const c of claims) expect(store.set(c.claim.id, c)).to.equal(true);
      for (const c of claims) expect(typedOf(store.get(c.claim.id))).to.equal(typed(c));
      const changed = chainLikeClaim(5n, 4);
      store.set(5n, changed);
      expect(typedOf(store.get(5n))).to.equal(typed(changed));
      expect(store.size).to.equal(20);
      expect(store.delete(7n)).to.equal(true);
      expect(store.delete(7n)).to.equal(false);
      expect([store.get(7n), store.has(7n), store.has(8n), store.get(21n)]).to.deep.equal([
        undefined,
        false,
        true,
        undefined,
      ]);
      // Bytes: the records held, each a 4-byte length and the record, rounded to 8.
      const expected = [...claims.filter((c) => c.claim.id !== 5n && c.claim.id !== 7n), changed].reduce(
        (n, c) => n + Math.ceil((4 + new TimelinePacker().pack(c)!.length) / 8) * 8,
        0,
      );
      expect(store.bytes).to.equal(expected);
      store.clear();
      expect([store.size, store.bytes, store.get(1n), store.slabCount]).to.deep.equal([0, 0, undefined, 0]);
      store.set(3n, claims[2]!);
      expect(typedOf(store.get(3n))).to.equal(typed(claims[2]));
    });

    it("holds at most its size, the first stored going first", function () {
      const store = new PackedClaims({ maxEntries: 3 });
      for (const c of claimsFrom(1, 5)) store.set(c.claim.id, c);
      expect(store.size).to.equal(3);
      expect([1n, 2n, 3n, 4n, 5n].map((id) => store.has(id))).to.deep.equal([false, false, true, true, true]);
      expect(store.firstId()).to.equal(3n);
    });

    it("refuses ids past 2^30 and what cannot be packed, holding nothing for them", function () {
      const store = new PackedClaims({ maxEntries: 10 });
      const big = BigInt(MAX_PACKED_ID) + 1n;
      expect(store.set(big, chainLikeClaim(big, 2))).to.equal(false);
      expect(store.set(BigInt(MAX_PACKED_ID), chainLikeClaim(BigInt(MAX_PACKED_ID), 2))).to.equal(true);
      expect(store.set(-1n, chainLikeClaim(-1n, 2))).to.equal(false);
      const odd = { ...chainLikeClaim(4n, 2), claim: { ...chainLikeClaim(4n, 2).claim, odd: { nested: 1 } } };
      expect(store.set(4n, odd as unknown as ClaimTimeline)).to.equal(false);
      expect([store.size, store.has(big), store.get(big), store.has(4n)]).to.deep.equal([1, false, undefined, false]);
      expect(() => new PackedClaims({ maxEntries: 1, slabBytes: 1 << 15 })).to.throw(/64 KiB to 16 MiB/);
      expect(() => new PackedClaims({ maxEntries: 1, slabBytes: 100_000 })).to.throw(/power of two/);
      expect(() => new PackedClaims({ maxEntries: -1 })).to.throw(/0 or more/);
      expect(() => new PackedClaims({ maxEntries: 1.5 })).to.throw(/0 or more/);
    });

    it("holds nothing with room for none (CLAIM_CACHE_PACKED=0) and allocates no slab", function () {
      const store = new PackedClaims({ maxEntries: 0 });
      expect(store.set(1n, chainLikeClaim(1n, 2))).to.equal(false);
      expect([store.size, store.has(1n), store.get(1n), store.slabCount, store.slabMemory]).to.deep.equal([
        0,
        false,
        undefined,
        0,
        0,
      ]);
    });

    it("packs a claim to a record kept elsewhere, reads it back, and takes it in as `set` would", function () {
      const store = new PackedClaims({ maxEntries: 3 });
      const claims = claimsFrom(1, 4);
      const records = claims.map((c) => store.record(c)!);
      for (const [i, c] of claims.entries()) {
        const record = records[i]!;
        expect(record).to.be.a("string");
        expect(record.length).to.equal(new TimelinePacker().pack(c)!.length);
        expect(typed(store.unpackRecord(record))).to.equal(typed(c));
      }
      // Hashes are random bytes: the records hold characters past 0x7f, one byte each.
      expect(records.some((r) => [...r].some((ch) => ch.charCodeAt(0) > 0x7f))).to.equal(true);
      // Taken in without packing again: the same bytes as `set` stores, the first going first.
      const bySet = new PackedClaims({ maxEntries: 3 });
      for (const [i, c] of claims.entries()) {
        expect(store.setRecord(c.claim.id, records[i]!)).to.equal(true);
        bySet.set(c.claim.id, c);
      }
      expect([store.size, store.bytes, store.firstId()]).to.deep.equal([3, bySet.bytes, 2n]);
      // Records and stored claims read in turn: neither read disturbs the other.
      for (const [i, c] of claims.slice(1).entries()) {
        expect(typedOf(store.get(c.claim.id))).to.equal(typed(c));
        expect(typed(store.unpackRecord(records[i]!))).to.equal(typed(claims[i]));
      }
      // Ids it refuses by `set`'s rule; with room for none, records are still made and read.
      expect(store.setRecord(BigInt(MAX_PACKED_ID) + 1n, records[0]!)).to.equal(false);
      expect(store.setRecord(-1n, records[0]!)).to.equal(false);
      const none = new PackedClaims({ maxEntries: 0 });
      const record = none.record(claims[0]!)!;
      expect(typed(none.unpackRecord(record))).to.equal(typed(claims[0]));
      expect([none.setRecord(1n, record), none.size, none.slabCount]).to.deep.equal([false, 0, 0]);
      const odd = { ...claims[0]!, claim: { ...claims[0]!.claim, odd: { nested: 1 } } };
      expect(store.record(odd as unknown as ClaimTimeline)).to.equal(undefined);
    });

    it("moves a claim stored twice in a slab once, even when the moves fill the newest slab", function () {
      const slab = 1 << 16;
      const store = new PackedClaims({ maxEntries: 10_000, slabBytes: slab });
      const sizer = new TimelinePacker();
      const size = (c: ClaimTimeline) => Math.ceil((4 + sizer.pack(c)!.length) / 8) * 8;
      // The first slab: claims, then one claim stored twice at its end (its id listed twice there).
      const first: ClaimTimeline[] = [];
      const twice = chainLikeClaim(50_000n, 4);
      let used = 0;
      for (let id = 1; ; id++) {
        const c = chainLikeClaim(BigInt(id), 1 + (id % 4));
        if (used + size(c) + 2 * size(twice) > slab) break;
        store.set(c.claim.id, c);
        first.push(c);
        used += size(c);
      }
      store.set(50_000n, chainLikeClaim(50_000n, 2));
      store.set(50_000n, twice);
      expect(store.slabCount).to.equal(1);
      // The second slab three-quarters full, so that moving half of the first one overflows it.
      const second: ClaimTimeline[] = [];
      for (let id = 100_000, filled = 0; filled < 0.75 * slab; id++) {
        const c = chainLikeClaim(BigInt(id), 1 + (id % 4));
        store.set(c.claim.id, c);
        second.push(c);
        filled += size(c);
      }
      expect(store.slabCount).to.equal(2);
      // Most of the first slab goes: the compaction moves the rest, the twice-stored claim last.
      for (const c of first) if (c.claim.id % 4n !== 0n) store.delete(c.claim.id);
      expect(store.slabCount).to.be.greaterThan(1);
      expect(typedOf(store.get(50_000n))).to.equal(typed(twice));
      for (const c of [...first, ...second]) {
        const kept = c.claim.id >= 100_000n || c.claim.id % 4n === 0n;
        expect(typedOf(store.get(c.claim.id)), String(c.claim.id)).to.equal(kept ? typed(c) : "none");
      }
    });

    it("compacts a slab left less than half full into the newest, and loses nothing", function () {
      const store = new PackedClaims({ maxEntries: 10_000, slabBytes: 1 << 16 });
      const claims = claimsFrom(1, 600); // ~5 slabs of 64 KiB
      for (const c of claims) store.set(c.claim.id, c);
      const slabs = store.slabCount;
      expect(slabs).to.be.greaterThan(4);
      // Two claims in three go (as claims that changed would): every full slab drops below half.
      for (const c of claims) if (c.claim.id % 3n !== 0n) store.delete(c.claim.id);
      expect(store.slabCount).to.be.lessThan(slabs / 2 + 1);
      expect(store.slabMemory).to.equal(store.slabCount * (1 << 16));
      for (const c of claims) {
        const kept = c.claim.id % 3n === 0n;
        expect(typedOf(store.get(c.claim.id)), String(c.claim.id)).to.equal(kept ? typed(c) : "none");
      }
      // The order of first-stored survives the moves: eviction still takes the oldest.
      expect(store.firstId()).to.equal(3n);
      // Written again into the freed slabs, replaced, and moved again: still whole.
      for (const c of claimsFrom(1_000, 600)) store.set(c.claim.id, c);
      for (const c of claimsFrom(1_000, 300)) store.set(c.claim.id, chainLikeClaim(c.claim.id, 4));
      for (const c of claimsFrom(1_300, 300)) store.delete(c.claim.id);
      for (const c of claims.filter((x) => x.claim.id % 3n === 0n))
        expect(typedOf(store.get(c.claim.id))).to.equal(typed(c));
      for (const c of claimsFrom(1_000, 300)) expect(store.get(c.claim.id)!.transitions).to.have.length(4);
      expect(store.size).to.equal(200 + 300);
    });
  });
});
