import { expect } from "chai";
import fc from "fast-check";

import type { ClaimKind, QueueQuery, QueueRecord } from "../../service/src/indexer/reader.js";
import { byQueueOrder, OpenClaimsQueue } from "../../service/src/queue/openClaims.js";

const KINDS: ClaimKind[] = ["MissingReward", "DataApiOutage", "RedemptionToolFailure", "Other"];
const STAGES = ["Submitted", "Accepted", "Investigating", "Approved"] as const;

function record(id: number, stage: number, kind: number, tier: number, deadline: number): QueueRecord {
  const status = STAGES[stage]!;
  const at = BigInt(deadline);
  return {
    id: BigInt(id),
    claimant: "0x0000000000000000000000000000000000000001",
    kind: KINDS[kind]!,
    status,
    tier,
    amountRequested: 1n,
    amountApproved: 0n,
    submittedAt: 0n,
    responseDeadline: status === "Submitted" ? at : 0n,
    resolutionDeadline: status === "Accepted" || status === "Investigating" ? at : 0n,
    payableAt: status === "Approved" ? at : null,
    updatedBlock: 1n,
    noResponseCredit: 0n,
    resolutionCredit: 0n,
    deadline: at,
  };
}

/** The queue as the SQL defines it: every open claim filtered, sorted, after the cursor, cut to the limit. */
function reference(records: Iterable<QueueRecord>, q: QueueQuery): QueueRecord[] {
  return [...records]
    .filter((r) => r.status !== "Approved" || (r.payableAt !== null && r.payableAt > q.now))
    .filter((r) => q.kind === undefined || r.kind === q.kind)
    .filter((r) => q.tier === undefined || r.tier === q.tier)
    .filter((r) => q.breached === undefined || (q.breached ? r.deadline < q.now : r.deadline >= q.now))
    .filter(
      (r) =>
        q.after === undefined ||
        r.deadline > q.after.deadline ||
        (r.deadline === q.after.deadline && r.id > q.after.id),
    )
    .sort(byQueueOrder)
    .slice(0, q.limit);
}

// Few deadlines and ids, so that ties, cursors on existing items and replacements are common.
const op = fc.record({
  id: fc.integer({ min: 1, max: 40 }),
  remove: fc.boolean(),
  stage: fc.integer({ min: 0, max: 3 }),
  kind: fc.integer({ min: 0, max: 3 }),
  tier: fc.integer({ min: 0, max: 1 }),
  deadline: fc.integer({ min: 0, max: 20 }),
});
const query = fc.record({
  now: fc.integer({ min: 0, max: 21 }),
  kind: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
  tier: fc.option(fc.integer({ min: 0, max: 1 }), { nil: undefined }),
  breached: fc.option(fc.boolean(), { nil: undefined }),
  after: fc.option(fc.record({ deadline: fc.integer({ min: 0, max: 20 }), id: fc.integer({ min: 0, max: 41 }) }), {
    nil: undefined,
  }),
  limit: fc.integer({ min: 1, max: 50 }),
});
const toQuery = (q: typeof query extends fc.Arbitrary<infer T> ? T : never): QueueQuery => ({
  now: BigInt(q.now),
  kind: q.kind === undefined ? undefined : KINDS[q.kind],
  tier: q.tier,
  breached: q.breached,
  after: q.after === undefined ? undefined : { deadline: BigInt(q.after.deadline), id: BigInt(q.after.id) },
  limit: q.limit,
});

describe("OpenClaimsQueue", function () {
  it("pages exactly as the SQL queue would after any sequence of claims entering, moving and leaving", function () {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), fc.array(query, { minLength: 1, maxLength: 8 }), (ops, queries) => {
        const queue = new OpenClaimsQueue();
        const model = new Map<bigint, QueueRecord>();
        for (const o of ops) {
          if (o.remove) {
            queue.delete(BigInt(o.id));
            model.delete(BigInt(o.id));
          } else {
            const r = record(o.id, o.stage, o.kind, o.tier, o.deadline);
            queue.set(r);
            model.set(r.id, r);
          }
        }
        expect(queue.size).to.equal(model.size);
        for (const q of queries) expect(queue.page(toQuery(q))).to.deep.equal(reference(model.values(), toQuery(q)));
        // Built in one go from the same claims, it answers the same.
        const built = OpenClaimsQueue.of(model.values());
        for (const q of queries) expect(built.page(toQuery(q))).to.deep.equal(queue.page(toQuery(q)));
      }),
      { seed: 1616, numRuns: 400 },
    );
  });

  it("pages through every claim in order with the last item as the cursor", function () {
    const records = Array.from({ length: 250 }, (_, i) => record(i + 1, i % 4, i % 3, i % 2, (i * 7919) % 100));
    const queue = OpenClaimsQueue.of(records);
    const seen: QueueRecord[] = [];
    let after: QueueQuery["after"];
    for (let page = 0; page < 100; page++) {
      const items = queue.page({ now: 0n, after, limit: 30 });
      seen.push(...items);
      const last = items.at(-1);
      if (last === undefined) break;
      after = { deadline: last.deadline, id: last.id };
    }
    // Approved claims with a payable time of 0 are not waiting (payable at now = 0).
    const expected = records.filter((r) => r.status !== "Approved" || r.deadline > 0n).sort(byQueueOrder);
    expect(seen.map((r) => r.id)).to.deep.equal(expected.map((r) => r.id));
  });

  it("answers copies: a caller changing an item does not change the queue", function () {
    const queue = OpenClaimsQueue.of([record(1, 0, 0, 0, 5)]);
    const [item] = queue.page({ now: 0n, limit: 1 });
    item!.deadline = 99n;
    expect(queue.page({ now: 0n, limit: 1 })[0]!.deadline).to.equal(5n);
  });
});
