import { randomUUID } from "node:crypto";

import { expect } from "chai";
import { sql } from "drizzle-orm";

import { countDeliveries, deliveryRecords, describeRepeats, UNRECORDED_WINDOW_MS } from "../../bench/lib/deliveries.js";
import { queryRows } from "../../service/src/db/client.js";
import { ENGINES, freshServiceDatabase } from "../service/helpers.js";

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

// The soak reads the service's own database at the end of a run; `npm run test:db` runs this.
(ENGINES.includes("postgres") ? describe : describe.skip)(
  "soak: the service's record of a repeated delivery",
  function () {
    this.timeout(60_000);

    it("reads each key's row and its attempts in order, with their workers, and leaves out a key it lacks", async function () {
      const handle = await freshServiceDatabase("postgres");
      try {
        const [{ schema } = { schema: "" }] = await queryRows<{ schema: string }>(
          handle.db,
          sql`SELECT current_schema() AS schema`,
        );
        const sub = randomUUID();
        const other = randomUUID();
        await handle.db.execute(sql`
        INSERT INTO webhook_subscriptions (id, address, url, event_types, secret, status)
        VALUES (${sub}, '0xa1', 'https://a.example/hook', '{claim.status}', 'sealed', 'active'),
               (${other}, '0xa2', 'https://a.example/hook', '{claim.status}', 'sealed', 'active')`);
        const t = new Date("2026-12-07T10:00:00Z");
        const later = (s: number) => new Date(t.getTime() + s * 1000);
        const ids = await queryRows<{ id: string }>(
          handle.db,
          sql`INSERT INTO webhook_deliveries (subscription_id, event_type, idempotency_key, body, status, attempts,
              next_attempt_at, last_error, created_at)
            VALUES (${sub}, 'claim.status', '31337:0xaa:1', '{}', 'delivered', 2, ${t}, NULL, ${t}),
                   (${sub}, 'claim.status', '31337:0xbb:0', '{}', 'in_flight', 1, ${t}, 'lease expired', ${t}),
                   (${other}, 'claim.status', '31337:0xaa:1', '{}', 'pending', 0, ${t}, NULL, ${t})
            RETURNING id`,
        );
        const first = ids[0]!.id;
        // Inserted out of order: the record lists them as they were started.
        await handle.db.execute(sql`
        INSERT INTO webhook_attempts (delivery_id, attempt, started_at, duration_ms, status_code, error, worker)
        VALUES (${first}, 2, ${later(41)}, 9, 200, NULL, 'worker-b'),
               (${first}, 1, ${later(1)}, 12, NULL, 'timed out after 10000 ms', 'worker-a')`);
        const url = new URL(process.env.DATABASE_URL!);
        url.searchParams.set("options", `-c search_path=${schema}`);
        const a = `${sub}|31337:0xaa:1`;
        const b = `${sub}|31337:0xbb:0`;
        const records = await deliveryRecords(url.toString(), [a, b, `${sub}|31337:0xcc:0`]);
        expect([...records.keys()]).to.deep.equal([a, b]);
        expect(records.get(a)).to.deep.equal({
          status: "delivered",
          lastError: null,
          attempts: [
            {
              attempt: 1,
              startedAt: later(1).getTime(),
              durationMs: 12,
              statusCode: null,
              error: "timed out after 10000 ms",
              worker: "worker-a",
            },
            {
              attempt: 2,
              startedAt: later(41).getTime(),
              durationMs: 9,
              statusCode: 200,
              error: null,
              worker: "worker-b",
            },
          ],
        });
        expect(records.get(b)).to.deep.equal({ status: "in_flight", lastError: "lease expired", attempts: [] });
        expect(await deliveryRecords(url.toString(), [])).to.deep.equal(new Map());
      } finally {
        await handle.close();
      }
    });
  },
);
