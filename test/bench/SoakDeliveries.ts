import { expect } from "chai";

import { countDeliveries, UNRECORDED_WINDOW_MS } from "../../bench/lib/deliveries.js";

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
});
