import { expect } from "chai";

import { countDeliveries, describeRepeats, UNRECORDED_WINDOW_MS } from "../../bench/lib/deliveries.js";

describe("soak delivery check (at least once, deduplicated by idempotency key)", function () {
  const KILL = 100_000;

  it("counts each key once when nothing repeats", function () {
    const r = countDeliveries(
      [
        { key: "a", at: 1 },
        { key: "b", at: 2 },
      ],
      [KILL],
    );
    expect([...r.accepted]).to.deep.equal([
      ["a", 1],
      ["b", 1],
    ]);
    expect(r.redelivered).to.deep.equal([]);
    expect(r.doubled).to.deep.equal([]);
  });

  it("allows one resend of a delivery accepted just before a sender was killed", function () {
    const r = countDeliveries(
      [
        { key: "a", at: KILL - 200 },
        { key: "a", at: KILL + 35_000 }, // after the lease expired
      ],
      [KILL],
    );
    expect(r.redelivered).to.deep.equal(["a"]);
    expect(r.doubled).to.deep.equal([]);
  });

  it("fails a repeat with no fault just after its first acceptance, and a third acceptance", function () {
    const r = countDeliveries(
      [
        { key: "early", at: KILL - UNRECORDED_WINDOW_MS - 1 },
        { key: "early", at: KILL + 30_000 },
        { key: "after", at: KILL + 1_000 },
        { key: "after", at: KILL + 2_000 },
        { key: "thrice", at: KILL - 100 },
        { key: "thrice", at: KILL + 30_000 },
        { key: "thrice", at: KILL + 60_000 },
        { key: "none", at: 10 },
        { key: "none", at: 20 },
      ],
      [KILL],
    );
    expect(r.redelivered).to.deep.equal([]);
    expect(r.doubled).to.deep.equal(["early", "after", "thrice", "none"]);
  });

  it("tells each repeat's story: its acceptances, the nearest fault and the service's record of its attempts", function () {
    const t0 = 1_000_000;
    const acceptances = [
      { key: "s|a", at: t0 + 50_000 },
      { key: "s|b", at: t0 + 60_000 },
      { key: "s|a", at: t0 + 95_500 },
      { key: "s|a", at: t0 + 140_000 },
    ];
    const faults = [
      { fault: "replica SIGKILL", at: t0 + 10_000 },
      { fault: "reorg of 2 blocks", at: t0 + 49_000 },
    ];
    const records = new Map([
      [
        "s|a",
        {
          status: "delivered",
          lastError: null,
          attempts: [
            { attempt: 1, startedAt: t0 + 49_900, durationMs: 12, statusCode: 200, error: null, worker: "w1" },
            { attempt: 2, startedAt: t0 + 95_400, durationMs: 9, statusCode: 200, error: null, worker: "w2" },
          ],
        },
      ],
    ]);
    const [a, b] = describeRepeats({ doubled: ["s|a"], redelivered: ["s|b"] }, acceptances, faults, records, t0);
    expect(a).to.deep.equal({
      key: "s|a",
      verdict: "doubled",
      acceptedAtS: [50, 95.5, 140],
      nearestFault: { fault: "reorg of 2 blocks", afterS: 1 },
      row: { status: "delivered", lastError: null },
      attempts: [
        { attempt: 1, startedAtS: 49.9, durationMs: 12, statusCode: 200, error: null, worker: "w1" },
        { attempt: 2, startedAtS: 95.4, durationMs: 9, statusCode: 200, error: null, worker: "w2" },
      ],
    });
    // No record of it in the service (the rows gone, or not read): the receiver's side still tells.
    expect(b).to.deep.include({ key: "s|b", verdict: "redelivered after a sender fault", row: null, attempts: [] });
    expect(b!.nearestFault).to.deep.equal({ fault: "reorg of 2 blocks", afterS: 11 });
    expect(
      describeRepeats({ doubled: ["s|a"], redelivered: [] }, acceptances, [], records, t0)[0]!.nearestFault,
    ).to.equal(null);
  });
});
