import { expect } from "chai";
import { sql } from "drizzle-orm";

import { openDatabase, queryRows, type Database } from "../../service/src/db/client.js";
import { enqueueEvents } from "../../service/src/webhooks/enqueue.js";
import { envelope } from "../../service/src/webhooks/events.js";
import { deliveryMetrics } from "../../service/src/webhooks/metrics.js";
import { SecretBox } from "../../service/src/webhooks/secrets.js";
import { DeliverySender, retryDelayMs } from "../../service/src/webhooks/sender.js";
import { verifyWebhook } from "../../service/src/webhooks/verify.js";
import { harness, Receiver, waitFor, type Harness } from "./deliveryHarness.js";
import { ENGINES } from "./helpers.js";
import { CHAIN_ID, insertClaim, insertTransition, randomAddress } from "./indexer.js";

type Envelope = { id: string; type: string; createdAt: string; data: Record<string, unknown> };

type LoggedDelivery = {
  id: string;
  idempotencyKey: string;
  status: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  attemptLog: Array<{ attempt: number; statusCode: number | null; error: string | null }>;
};

/** Queues `n` claim.status deliveries for `address` directly (no feed), keys `test:<i>`. */
async function queue(db: Database, address: string, n: number, prefix = "test"): Promise<void> {
  const now = new Date();
  const events = Array.from({ length: n }, (_, i) => ({
    type: "claim.status" as const,
    idempotencyKey: `${prefix}:${i}`,
    recipients: [address],
    body: envelope(`${prefix}:${i}`, "claim.status", now, { i }),
  }));
  await db.transaction((tx) => enqueueEvents(tx, events, now));
}

/**
 * `db` whose transactions lose their connection on demand: `lose(n)` breaks the next `n`. On
 * PostgreSQL the transaction's backend is really terminated (`pg_terminate_backend` of itself, the
 * soak's fault); PGlite has no connection to lose, so there the transaction fails as one would.
 */
function losingConnections(db: Database, engine: string) {
  let toLose = 0;
  const state = {
    lost: 0,
    lose(n: number) {
      toLose = n;
    },
    db: new Proxy(db, {
      get(target, prop, receiver) {
        if (prop !== "transaction") return Reflect.get(target, prop, receiver) as unknown;
        return (fn: (tx: unknown) => Promise<unknown>, config?: unknown) =>
          (target.transaction as (f: typeof fn, c?: unknown) => Promise<unknown>)(async (tx) => {
            if (toLose > 0) {
              toLose--;
              state.lost++;
              if (engine === "postgres") {
                await (tx as Database).execute(sql`SELECT pg_terminate_backend(pg_backend_pid())`);
              }
              throw new Error("Connection terminated unexpectedly");
            }
            return fn(tx);
          }, config);
      },
    }),
  };
  return state;
}

for (const engine of ENGINES) {
  describe(`webhook delivery (${engine})`, function () {
    this.timeout(60_000);
    let h: Harness;
    let receiver: Receiver;
    beforeEach(async function () {
      h = await harness(engine);
      receiver = await Receiver.start();
    });
    afterEach(async function () {
      await h.close();
      await receiver.down();
    });

    it("delivers a claim transition as a signed webhook the receiver can verify", async function () {
      const claimant = randomAddress();
      const { secret } = await h.subscribe(claimant, receiver.url, ["claim.status"]);
      await insertClaim(h.indexer.db, { id: 7n, claimant });
      const row = await insertTransition(h.indexer.db, { claimId: 7n, status: "Accepted", block: 12n, logIndex: 3 });

      const feed = h.feed();
      const sender = h.sender();
      await feed.start();
      sender.start();
      const got = await waitFor("the webhook", () => receiver.requests[0]);

      const key = `${CHAIN_ID}:${row.txHash}:3`;
      expect(got.headers["idempotency-key"]).to.equal(key);
      expect(got.headers["es-event-type"]).to.equal("claim.status");
      expect(got.headers["content-type"]).to.equal("application/json");
      expect(got.headers["webhook-id"]).to.equal(key);
      const signature = got.headers["webhook-signature"];
      expect(signature).to.match(/^v1,[A-Za-z0-9+/]{43}=$/);
      expect(got.headers["webhook-timestamp"]).to.match(/^\d+$/);
      expect(verifyWebhook(secret, got.headers, got.body, 300)).to.equal(true);
      // A wrong secret, a changed body, or a stale timestamp do not verify.
      const other = `whsec_${secret[6] === "A" ? "B" : "A"}${secret.slice(7)}`;
      expect(verifyWebhook(other, got.headers, got.body, 300)).to.equal(false);
      expect(verifyWebhook(secret, got.headers, got.body.replace("Accepted", "Rejected"), 300)).to.equal(false);
      const t = Number(got.headers["webhook-timestamp"]);
      expect(verifyWebhook(secret, got.headers, got.body, 300, t + 301)).to.equal(false);

      const body = JSON.parse(got.body) as Envelope;
      expect(body.id).to.equal(key);
      expect(body.type).to.equal("claim.status");
      expect(body.data).to.include({
        chainId: CHAIN_ID,
        claimId: "7",
        claimant,
        status: "Accepted",
        stage: "Customer service has accepted the request",
        txHash: row.txHash,
        logIndex: 3,
        blockNumber: 12,
      });

      // The delivery log shows it delivered after one attempt.
      const [{ status, attempts } = { status: "", attempts: 0 }] = await waitFor("delivered status", async () => {
        const rows = await queryRows<{ status: string; attempts: number }>(
          h.handle.db,
          sql`SELECT status, attempts FROM webhook_deliveries`,
        );
        return rows[0]?.status === "delivered" ? rows : undefined;
      });
      expect([status, attempts]).to.deep.equal(["delivered", 1]);
    });

    it("sends claim events only to the claimant's subscriptions for that event type", async function () {
      const claimant = randomAddress();
      const other = randomAddress();
      const otherReceiver = await Receiver.start();
      try {
        await h.subscribe(claimant, receiver.url, ["claim.status"]);
        await h.subscribe(claimant, otherReceiver.url, ["sla.breached"]); // the claimant, another type
        await h.subscribe(other, otherReceiver.url, ["claim.status"]); // another address
        await insertClaim(h.indexer.db, { id: 1n, claimant });
        await insertTransition(h.indexer.db, { claimId: 1n, status: "Submitted", block: 1n });
        await insertTransition(h.indexer.db, { claimId: 1n, status: "Accepted", block: 2n });
        const feed = h.feed();
        const sender = h.sender();
        await feed.start();
        sender.start();
        await waitFor("two webhooks", () => receiver.requests.length === 2);
        await feed.stop();
        await sender.stop();
        expect(otherReceiver.requests).to.have.length(0);
        const statuses = receiver.requests.map((r) => (JSON.parse(r.body) as Envelope).data.status);
        expect(statuses.sort()).to.deep.equal(["Accepted", "Submitted"]);
      } finally {
        await otherReceiver.down();
      }
    });

    async function deliveryLog(address: string, id: string, query = ""): Promise<LoggedDelivery[]> {
      const res = await h.app.request(`/v1/webhooks/${id}/deliveries${query}`, {
        headers: { authorization: `Test ${address}` },
      });
      expect(res.status).to.equal(200);
      return ((await res.json()) as { deliveries: LoggedDelivery[] }).deliveries;
    }

    it("retries while the receiver is down and delivers once it is back; the log shows each attempt", async function () {
      const address = randomAddress();
      const { id } = await h.subscribe(address, receiver.url, ["claim.status"]);
      await receiver.down();
      await queue(h.handle.db, address, 1);
      const sender = h.sender({
        config: { ...h.deps.config.webhooks, retryBaseMs: 30, retryMaxMs: 60, maxAttempts: 10 },
      });
      sender.start();
      const failed = await waitFor("two failed attempts", async () => {
        const [d] = await deliveryLog(address, id);
        return d !== undefined && d.attempts >= 2 ? d : undefined;
      });
      expect(failed.status).to.be.oneOf(["pending", "in_flight"]);
      expect(failed.lastError).to.match(/ECONNREFUSED/);
      await receiver.up();
      const delivered = await waitFor("delivery after the receiver came back", async () => {
        const [d] = await deliveryLog(address, id);
        return d?.status === "delivered" ? d : undefined;
      });
      expect(receiver.requests).to.have.length(1);
      expect(delivered.attempts).to.be.greaterThan(2);
      expect(delivered.lastError).to.equal(null);
      expect(delivered.nextAttemptAt).to.equal(null);
      expect(delivered.attemptLog).to.have.length(delivered.attempts);
      expect(
        delivered.attemptLog.slice(0, -1).every((a) => a.statusCode === null && /ECONNREFUSED/.test(a.error ?? "")),
      ).to.equal(true);
      expect(delivered.attemptLog.at(-1)).to.include({ attempt: delivered.attempts, statusCode: 200, error: null });
    });

    it("refuses at delivery a receiver name rebound to a private address since subscribing, and logs why", async function () {
      const address = randomAddress();
      // First answer public (the subscription is accepted), every later one private.
      h.dns.set("rebind.example", ["93.184.215.14"], ["10.0.0.7"]);
      const { id } = await h.subscribe(address, "https://rebind.example/hook", ["claim.status"]);
      await queue(h.handle.db, address, 1);
      const sender = h.sender({ config: { ...h.deps.config.webhooks, maxAttempts: 2 } });
      sender.start();
      const dead = await waitFor("the refused delivery dead-lettered", async () => {
        const [d] = await deliveryLog(address, id, "?status=dead");
        return d;
      });
      expect(dead.attemptLog.map((a) => a.error)).to.deep.equal([
        "not sent: host rebind.example resolves to 10.0.0.7, a private address",
        "not sent: host rebind.example resolves to 10.0.0.7, a private address",
      ]);
      expect(dead.attemptLog.every((a) => a.statusCode === null)).to.equal(true);
      expect(dead.lastError).to.equal(
        "not sent: host rebind.example resolves to 10.0.0.7, a private address (gave up after 2 attempts)",
      );
      // Resolved once to subscribe and once per attempt.
      expect(h.dns.lookups.filter((n) => n === "rebind.example")).to.have.length(3);
    });

    it("resolves the receiver's name again for every attempt and connects to what it checked", async function () {
      const address = randomAddress();
      const url = receiver.url.replace("127.0.0.1", "localhost");
      h.dns.set("localhost", ["127.0.0.1"]);
      const { id } = await h.subscribe(address, url, ["claim.status"]);
      await queue(h.handle.db, address, 2);
      const sender = h.sender();
      sender.start();
      await waitFor("two deliveries", async () => {
        const log = await deliveryLog(address, id);
        return log.length === 2 && log.every((d) => d.status === "delivered");
      });
      expect(receiver.requests.map((r) => r.headers.host)).to.deep.equal([
        url.slice("http://".length, -"/hook".length),
        url.slice("http://".length, -"/hook".length),
      ]);
      expect(h.dns.lookups.filter((n) => n === "localhost")).to.have.length(3);
    });

    it("dead-letters a delivery after the last attempt, and redelivers it on request", async function () {
      const address = randomAddress();
      const { id } = await h.subscribe(address, receiver.url, ["claim.status"]);
      receiver.respond = () => 500;
      await queue(h.handle.db, address, 1);
      const sender = h.sender();
      sender.start();
      const dead = await waitFor("the dead letter", async () => (await deliveryLog(address, id, "?status=dead"))[0]);
      expect(dead.attempts).to.equal(4); // WEBHOOK_MAX_ATTEMPTS in the harness
      expect(dead.lastStatusCode).to.equal(500);
      expect(dead.lastError).to.match(/^HTTP 500: no \(500\) \(gave up after 4 attempts\)$/);
      expect(dead.attemptLog.map((a) => a.statusCode)).to.deep.equal([500, 500, 500, 500]);
      expect(receiver.requests).to.have.length(4);
      // Every attempt carried the same body and idempotency key.
      expect(new Set(receiver.requests.map((r) => r.body)).size).to.equal(1);
      expect(new Set(receiver.requests.map((r) => r.headers["idempotency-key"])).size).to.equal(1);
      expect(receiver.requests.map((r) => r.headers["es-attempt"])).to.deep.equal(["1", "2", "3", "4"]);
      const counted = await h.deps.metrics.getSingleMetricAsString("es_webhook_deliveries_total");
      expect(counted).to.contain('es_webhook_deliveries_total{outcome="retry"} 3');
      expect(counted).to.contain('es_webhook_deliveries_total{outcome="dead"} 1');

      receiver.respond = () => 204;
      const res = await h.app.request(`/v1/webhooks/${id}/deliveries/${dead.id}/redeliver`, {
        method: "POST",
        headers: { authorization: `Test ${address}` },
      });
      expect(res.status).to.equal(202);
      expect(await res.json()).to.include({ status: "pending", attempts: 0 });
      const again = await waitFor("the redelivery", async () => {
        const [d] = await deliveryLog(address, id);
        return d?.status === "delivered" ? d : undefined;
      });
      expect(again.attempts).to.equal(1);
      expect(receiver.requests).to.have.length(5);
      expect(receiver.requests[4]!.headers["idempotency-key"]).to.equal(dead.idempotencyKey);
      // Queued or in-flight deliveries cannot be redelivered.
      await queue(h.handle.db, address, 1, "later");
      await sender.stop();
      const [pending] = await deliveryLog(address, id, "?status=delivered");
      const conflict = await h.app.request(`/v1/webhooks/${id}/deliveries/${pending!.id}/redeliver`, {
        method: "POST",
        headers: { authorization: `Test ${address}` },
      });
      expect(conflict.status).to.equal(202);
      const twice = await h.app.request(`/v1/webhooks/${id}/deliveries/${pending!.id}/redeliver`, {
        method: "POST",
        headers: { authorization: `Test ${address}` },
      });
      expect(twice.status).to.equal(409);
      expect(((await twice.json()) as { error: { code: string } }).error.code).to.equal("not_redeliverable");
    });

    it("disables the subscription when the receiver answers 410 Gone and cancels what was queued", async function () {
      const address = randomAddress();
      const { id } = await h.subscribe(address, receiver.url, ["claim.status"]);
      receiver.respond = () => 410;
      await queue(h.handle.db, address, 3);
      const sender = h.sender({ config: { ...h.deps.config.webhooks, concurrency: 1 } });
      sender.start();
      await waitFor("the subscription disabled", async () => {
        const res = await h.app.request("/v1/webhooks", { headers: { authorization: `Test ${address}` } });
        const { webhooks } = (await res.json()) as { webhooks: Array<{ status: string; disabledReason: string }> };
        return webhooks[0]?.status === "disabled" ? webhooks[0] : undefined;
      });
      await sender.stop();
      const log = await deliveryLog(address, id);
      expect(receiver.requests).to.have.length(1);
      expect(log.map((d) => d.status).sort()).to.deep.equal(["cancelled", "cancelled", "dead"]);
      // A disabled subscription receives nothing new.
      await queue(h.handle.db, address, 2, "after");
      expect(await deliveryLog(address, id)).to.have.length(3);
    });

    it("treats a receiver slower than the timeout as a failed attempt", async function () {
      const address = randomAddress();
      const { id } = await h.subscribe(address, receiver.url, ["claim.status"]);
      let calls = 0;
      receiver.respond = () => (calls++ === 0 ? new Promise((r) => setTimeout(() => r(200), 1_000)) : 200);
      await queue(h.handle.db, address, 1);
      const sender = h.sender({ config: { ...h.deps.config.webhooks, timeoutMs: 150 } });
      sender.start();
      const d = await waitFor("delivery after a timeout", async () => {
        const [row] = await deliveryLog(address, id);
        return row?.status === "delivered" ? row : undefined;
      });
      expect(d.attemptLog[0]).to.include({ statusCode: null, error: "timed out after 150 ms" });
      expect(d.attempts).to.equal(2);
    });

    it("requeues a delivery whose worker died mid-send once its lease expires", async function () {
      const address = randomAddress();
      await h.subscribe(address, receiver.url, ["claim.status"]);
      await queue(h.handle.db, address, 1);
      // A worker claimed it, then vanished without recording an outcome.
      await h.handle.db.execute(
        sql`UPDATE webhook_deliveries SET status = 'in_flight', attempts = 1, lease_owner = 'gone', lease_until = now() - interval '1 second'`,
      );
      const sender = h.sender();
      sender.start();
      await waitFor("the requeued delivery", () => receiver.requests.length === 1);
      await sender.stop();
      const [row] = await queryRows<{ status: string; attempts: number }>(
        h.handle.db,
        sql`SELECT status, attempts FROM webhook_deliveries`,
      );
      expect(row).to.deep.equal({ status: "delivered", attempts: 2 });
    });

    it("writes a delivered outcome again when its connection is lost, and sends the delivery once", async function () {
      const address = randomAddress();
      await h.subscribe(address, receiver.url, ["claim.status"]);
      await queue(h.handle.db, address, 1);
      const faulty = losingConnections(h.handle.db, engine);
      // Accepted, then the next two writes lose their connection: the outcome's first write and its retry.
      receiver.respond = () => (faulty.lose(2), 200);
      const sender = h.sender({ db: faulty.db });
      await sender.tick(); // one round by hand: no other transaction runs meanwhile
      await sender.drain();
      expect(faulty.lost).to.equal(2);
      const [row] = await queryRows<{ status: string; attempts: number; lease_owner: string | null }>(
        h.handle.db,
        sql`SELECT status, attempts, lease_owner FROM webhook_deliveries`,
      );
      expect(row).to.deep.equal({ status: "delivered", attempts: 1, lease_owner: null });
      const attempts = await queryRows<{ attempt: number; status_code: number }>(
        h.handle.db,
        sql`SELECT attempt, status_code FROM webhook_attempts`,
      );
      expect(attempts).to.deep.equal([{ attempt: 1, status_code: 200 }]);
      const retries = h.log.entries.filter((e) => e.msg === "webhook outcomes not recorded yet; writing them again");
      expect(retries.map((e) => e.fields.attempt)).to.deep.equal([1, 2]);
      expect(retries.map((e) => e.fields.inMs)).to.deep.equal([50, 100]);
      expect(h.log.entries.filter((e) => e.level === "error")).to.deep.equal([]);
      // Nothing is left for a lease to expire on: the receiver never sees it again.
      h.clock.now = Date.now() + 600_000;
      await sender.tick();
      await sender.drain();
      expect(receiver.requests).to.have.length(1);
    });

    it("leaves an outcome it cannot write before its lease ends to the lease, and sends the delivery again", async function () {
      const address = randomAddress();
      const { id } = await h.subscribe(address, receiver.url, ["claim.status"]);
      await queue(h.handle.db, address, 1);
      const faulty = losingConnections(h.handle.db, engine);
      receiver.respond = () => (faulty.lose(1_000), 200);
      // The sender's clock stands still, so the sums are exact: a 1.5 s lease less the 1 s margin
      // leaves room to wait 50, 100, 200 and 400 ms before writing again, not 800.
      const t0 = Date.now();
      h.clock.now = t0;
      const sender = h.sender({ db: faulty.db, config: { ...h.deps.config.webhooks, timeoutMs: 400, leaseMs: 1_500 } });
      await sender.tick();
      await sender.drain();
      expect(faulty.lost).to.equal(5);
      const gaveUp = h.log.entries.filter((e) => e.level === "error");
      expect(gaveUp.map((e) => e.msg)).to.deep.equal(["webhook outcomes not recorded"]);
      const [held] = await queryRows<{ status: string }>(h.handle.db, sql`SELECT status FROM webhook_deliveries`);
      expect(held).to.deep.equal({ status: "in_flight" });
      // The database is back; once the lease has expired the delivery is sent again, at least once.
      receiver.respond = () => 200;
      faulty.lose(0);
      h.clock.now = t0 + 10_000;
      await sender.tick(); // reaps the expired lease and claims the delivery again
      await sender.drain();
      const [d] = await deliveryLog(address, id);
      expect(d).to.include({ status: "delivered", attempts: 2 });
      expect(d!.attemptLog.map((a) => a.attempt)).to.deep.equal([2]);
      expect(receiver.requests).to.have.length(2);
      expect(new Set(receiver.requests.map((r) => r.headers["idempotency-key"])).size).to.equal(1);
    });

    it("does not wait for its database to come back while it stops", async function () {
      const address = randomAddress();
      await h.subscribe(address, receiver.url, ["claim.status"]);
      await queue(h.handle.db, address, 1);
      const faulty = losingConnections(h.handle.db, engine);
      let answer: (status: number) => void = () => undefined;
      const answered = new Promise<number>((r) => (answer = r));
      receiver.respond = () => (faulty.lose(1_000), answered);
      const sender = h.sender({ db: faulty.db });
      await sender.tick();
      await waitFor("the request at the receiver", () => receiver.requests.length === 1);
      const stopped = sender.stop();
      answer(200);
      await stopped;
      expect(faulty.lost).to.equal(1);
      expect(h.log.entries.map((e) => e.msg)).to.include("webhook outcomes not recorded");
    });

    it("sends each delivery exactly once with two workers on one database", async function () {
      const address = randomAddress();
      await h.subscribe(address, receiver.url, ["claim.status"]);
      const N = 300;
      await queue(h.handle.db, address, N);
      // The second worker gets its own connection pool on PostgreSQL, as another replica would.
      let other = { db: h.handle.db, close: async () => undefined as void };
      if (engine === "postgres") {
        const [{ schema } = { schema: "" }] = await queryRows<{ schema: string }>(
          h.handle.db,
          sql`SELECT current_schema() AS schema`,
        );
        const second = await openDatabase({ url: process.env.DATABASE_URL, schema, poolSize: 4 });
        other = { db: second.db, close: () => second.close() };
      }
      try {
        const config = { ...h.deps.config.webhooks, concurrency: 8 };
        const a = h.sender({ config, workerId: "a" });
        const b = new DeliverySender({
          db: other.db,
          log: h.log,
          metrics: deliveryMetrics(h.deps.metrics),
          config,
          secrets: new SecretBox(undefined),
          workerId: "b",
        });
        a.start();
        b.start();
        await waitFor(`${N} deliveries`, () => receiver.requests.length >= N);
        await Promise.all([a.stop(), b.stop()]);
        const counts = receiver.countsByKey();
        expect(counts.size).to.equal(N);
        expect([...counts.values()].every((n) => n === 1)).to.equal(true);
        const byWorker = await queryRows<{ worker: string; n: number }>(
          h.handle.db,
          sql`SELECT worker, count(*)::int AS n FROM webhook_attempts GROUP BY worker ORDER BY worker`,
        );
        expect(byWorker.reduce((sum, r) => sum + r.n, 0)).to.equal(N);
        if (engine === "postgres") expect(byWorker.map((r) => r.worker)).to.deep.equal(["a", "b"]);
      } finally {
        await other.close();
      }
    });
  });
}

describe("webhook retry schedule", function () {
  it("draws each delay uniformly below an exponentially growing, capped ceiling (full jitter)", function () {
    expect(retryDelayMs(1, 1_000, 60_000, () => 0.999)).to.equal(999);
    expect(retryDelayMs(3, 1_000, 60_000, () => 0.5)).to.equal(2_000);
    expect(retryDelayMs(10, 1_000, 60_000, () => 0.999)).to.equal(59_940);
    expect(retryDelayMs(4, 1_000, 60_000, () => 0)).to.equal(0);
  });
});
