/**
 * The whole path with real processes: transactions on a Hardhat node → `ponder start` indexes them
 * → the service (started as production starts it, reading Ponder through @ponder/client) turns
 * them into signed webhooks → a receiver listening on 127.0.0.1 in this test. Every expectation
 * comes from the chain: the webhooks a receiver must get are the logs of the transactions'
 * receipts, keyed `chainId:txHash:logIndex`.
 *
 * One chain and one Ponder per engine; each test starts its own service instance(s) on a fresh
 * database and subscribes its own development account, so tests do not see each other's events.
 * PGlite always; PostgreSQL too when DATABASE_URL is set (two replicas on one database only there).
 */
import { expect } from "chai";

import type { Envelope } from "../../service/src/webhooks/events.js";
import { verifyWebhook } from "../../service/src/webhooks/verify.js";
import { Receiver, waitFor, type Received } from "./deliveryHarness.js";
import { ENGINES } from "./helpers.js";
import { startLiveStation, type ChainEvent, type LiveStation, type RunningService, type Sent } from "./liveStation.js";

const C = 10n ** 18n;

type DeliveryView = {
  id: string;
  idempotencyKey: string;
  status: string;
  attempts: number;
  deliveredAt: string | null;
  attemptLog: Array<{ attempt: number; statusCode: number | null; error: string | null }>;
};

/** The delivery log of a subscription, over the service's API. */
async function deliveryLog(service: RunningService, id: string, token: string): Promise<DeliveryView[]> {
  const res = await fetch(`${service.url}/v1/webhooks/${id}/deliveries?limit=100`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.status).to.equal(200);
  return ((await res.json()) as { deliveries: DeliveryView[] }).deliveries;
}

/**
 * The delivery log once no delivery is still being sent: the receiver may hold a request before the
 * sender has recorded its answer (the row is `in_flight` until then).
 */
async function settledLog(service: RunningService, id: string, token: string): Promise<DeliveryView[]> {
  return waitFor("the delivery log to settle", async () => {
    const log = await deliveryLog(service, id, token);
    return log.every((d) => d.status !== "in_flight" && d.status !== "pending") && log;
  });
}

const eventsOf = (sent: Sent[]): ChainEvent[] => sent.flatMap((s) => s.events);

/**
 * Every expected event arrived exactly once (per key, among the requests `counted`), nothing else
 * arrived, and each request is signed with the subscription's secret and names its key twice
 * (header and body).
 */
function expectExactlyOnce(requests: Received[], expected: ChainEvent[], secret: string): void {
  const byKey = new Map<string, Received[]>();
  for (const r of requests) {
    const key = r.headers["idempotency-key"] ?? "";
    byKey.set(key, [...(byKey.get(key) ?? []), r]);
  }
  const duplicates = [...byKey].filter(([, rs]) => rs.length > 1).map(([k]) => k);
  const missing = expected.filter((e) => !byKey.has(e.key)).map((e) => e.key);
  const unexpected = [...byKey.keys()].filter((k) => !expected.some((e) => e.key === k));
  expect({ duplicates, missing, unexpected }).to.deep.equal({ duplicates: [], missing: [], unexpected: [] });
  for (const r of requests) {
    expect(verifyWebhook(secret, r.headers, r.body), "signature").to.equal(true);
    expect((JSON.parse(r.body) as Envelope).id).to.equal(r.headers["idempotency-key"]);
  }
}

/** Sends transactions one after another, `gapMs` apart, until stopped; keeps what it sent. */
function producer(next: (i: number) => Promise<Sent | Sent[]>, gapMs: number) {
  const sent: Sent[] = [];
  let running = true;
  let failure: unknown;
  const done = (async () => {
    for (let i = 0; running; i++) {
      try {
        sent.push(...[await next(i)].flat());
      } catch (error) {
        failure = error;
        return;
      }
      await new Promise((r) => setTimeout(r, gapMs));
    }
  })();
  return {
    sent,
    /** Resolves once `n` more transactions than now have been mined. */
    async more(n: number): Promise<void> {
      const target = sent.length + n;
      await waitFor(
        `${n} more transactions`,
        () => {
          if (failure !== undefined) throw failure;
          return sent.length >= target;
        },
        60_000,
      );
    },
    async stop(): Promise<Sent[]> {
      running = false;
      await done;
      if (failure !== undefined) throw failure;
      return sent;
    },
  };
}

for (const engine of ENGINES) {
  describe(`the station end to end on ${engine}: transaction → Ponder → service → signed webhook`, function () {
    this.timeout(180_000);
    let station: LiveStation;
    let receiver: Receiver;
    const drops: Array<() => Promise<void>> = [];

    before(async function () {
      this.timeout(300_000);
      station = await startLiveStation(engine);
      // Each test has its own account: 10 (a), 11 (b), 12 (c), 13 (d).
      for (const account of [10, 11, 12, 13]) await station.fund(account);
    });
    after(async function () {
      this.timeout(60_000);
      await station?.stop();
      for (const drop of drops) await drop().catch(() => {});
    });
    beforeEach(async function () {
      receiver = await Receiver.start();
    });
    afterEach(async function () {
      await receiver.down();
    });

    /** A fresh service database (dropped after the suite) and the env that selects it. */
    async function database(): Promise<Record<string, string>> {
      const db = await station.serviceDatabase();
      drops.push(db.drop);
      return db.env;
    }

    it("delivers a claim's transitions, a stake and a package purchase as signed webhooks keyed by their receipt logs", async function () {
      const service = await station.startService(await database());
      const sub = await station.subscribe(service, 10, receiver.url, [
        "claim.status",
        "stake.changed",
        "coverage.purchased",
      ]);
      const submitted = await station.submitClaim(10, 5n * C);
      const claimId = submitted.claimId!;
      const sent = [
        submitted,
        await station.acceptClaim(claimId),
        await station.approveClaim(claimId, 4n * C),
        await station.stake(10, 100n * C),
        await station.buyWithStable(10, 1n),
      ];
      const expected = eventsOf(sent);
      // Submitted, Accepted, Approved + Paid (one transaction, two logs), Staked, PackagePurchased.
      expect(expected.map((e) => e.event)).to.deep.equal([
        "ClaimStatusChanged",
        "ClaimStatusChanged",
        "ClaimStatusChanged",
        "ClaimStatusChanged",
        "Staked",
        "PackagePurchased",
      ]);
      await waitFor("six webhooks", () => receiver.requests.length >= expected.length, 60_000);
      expectExactlyOnce(receiver.requests, expected, sub.secret);

      const txOf = new Map(sent.flatMap((s) => s.events.map((e) => [e.key, s.hash] as const)));
      for (const event of expected) {
        const request = receiver.requests.find((r) => r.headers["idempotency-key"] === event.key)!;
        const body = JSON.parse(request.body) as Envelope<{ txHash: string; logIndex: number; chainId: number }>;
        expect(request.headers["es-event-type"]).to.equal(event.type);
        expect(body.type).to.equal(event.type);
        expect(body.data).to.include({ chainId: 31337, txHash: txOf.get(event.key), logIndex: event.logIndex });
      }
      const statuses = receiver.requests
        .filter((r) => r.headers["es-event-type"] === "claim.status")
        .map((r) => (JSON.parse(r.body) as Envelope<{ status: string; claimId: string }>).data);
      expect(statuses.map((d) => d.status).sort()).to.deep.equal(["Accepted", "Approved", "Paid", "Submitted"]);
      expect(new Set(statuses.map((d) => d.claimId))).to.deep.equal(new Set([claimId.toString()]));

      const log = await settledLog(service, sub.id, sub.token);
      expect(log.map((d) => [d.idempotencyKey, d.status, d.attempts]).sort()).to.deep.equal(
        expected.map((e) => [e.key, "delivered", 1]).sort(),
      );
    });

    it("loses and doubles nothing when the service restarts while transactions keep coming", async function () {
      const env = await database();
      let service = await station.startService(env);
      const sub = await station.subscribe(service, 11, receiver.url, ["claim.status"]);
      // Claims submitted by account 11, every other one accepted by the assessor right after.
      let lastClaim = 0n;
      const chain = producer(async (i) => {
        if (i % 2 === 1) return station.acceptClaim(lastClaim);
        const s = await station.submitClaim(11);
        lastClaim = s.claimId!;
        return s;
      }, 50);
      try {
        await waitFor("the stream to be flowing", () => receiver.requests.length >= 3, 60_000);
        await service.stop();
        const deliveredBeforeStop = receiver.requests.length;
        await chain.more(8); // mined while no service runs
        expect(receiver.requests.length).to.equal(deliveredBeforeStop);
        service = await station.startService(env);
        await chain.more(6);
      } finally {
        await chain.stop();
      }
      const expected = eventsOf(chain.sent);
      expect(expected.length).to.be.greaterThanOrEqual(17);
      await waitFor(`all ${expected.length} webhooks`, () => receiver.requests.length >= expected.length, 60_000);
      // A moment more for anything that should not come (a duplicate would arrive right behind).
      await new Promise((r) => setTimeout(r, 1_000));
      expectExactlyOnce(receiver.requests, expected, sub.secret);
      const log = await settledLog(service, sub.id, sub.token);
      expect(log.filter((d) => d.status === "delivered")).to.have.length(expected.length);
    });

    it("retries while the receiver answers 503 and while it is closed, then delivers once it is back", async function () {
      const service = await station.startService({
        ...(await database()),
        WEBHOOK_RETRY_BASE_MS: "100",
        WEBHOOK_RETRY_MAX_MS: "300",
        WEBHOOK_MAX_ATTEMPTS: "50",
      });
      const sub = await station.subscribe(service, 12, receiver.url, ["claim.status"]);
      // What the receiver answered each request (by the request's index).
      const answers: number[] = [];
      let answer = 503;
      receiver.respond = (_, index) => (answers[index] = answer);
      const answered = (key: string, status: number) =>
        receiver.requests.filter((r, i) => answers[i] === status && r.headers["idempotency-key"] === key);
      const submitted = await station.submitClaim(12);
      const expected = eventsOf([submitted, await station.acceptClaim(submitted.claimId!)]);
      expect(expected).to.have.length(2);
      await waitFor(
        "two refusals of each delivery",
        () => expected.every((e) => answered(e.key, 503).length >= 2),
        60_000,
      );

      await receiver.down();
      const log = () => deliveryLog(service, sub.id, sub.token);
      // An attempt in flight as the port closes may end in a reset instead: wait for real refusals.
      const refusedConnection = (d: DeliveryView) =>
        d.attemptLog.some((a) => a.statusCode === null && (a.error ?? "").includes("ECONNREFUSED"));
      await waitFor(
        "refused connections to the closed port",
        async () => {
          const deliveries = await log();
          return deliveries.length === 2 && deliveries.every(refusedConnection);
        },
        60_000,
      );
      expect((await log()).map((d) => d.status)).to.not.include("delivered");

      answer = 200;
      await receiver.up();
      await waitFor("both delivered", async () => (await log()).every((d) => d.status === "delivered"), 60_000);
      expectExactlyOnce(
        receiver.requests.filter((_, i) => answers[i] === 200),
        expected,
        sub.secret,
      );
      for (const d of await log()) {
        const codes = d.attemptLog.map((a) => a.statusCode);
        // Refused with 503, then connection refused, then accepted: every attempt in the log.
        expect(codes.indexOf(503)).to.equal(0);
        expect(codes.indexOf(null)).to.be.greaterThan(codes.lastIndexOf(503));
        expect(codes.at(-1)).to.equal(200);
        const failures = d.attemptLog.filter((x) => x.statusCode === null).map((x) => x.error ?? "");
        // Transport failures (the sender uses node:http with a pinned lookup), not e.g. signing errors
        // or an address refused; on a loaded machine an attempt may also time out.
        const transport = /ECONNREFUSED|ECONNRESET|EPIPE|socket hang up|timed out after/;
        expect(failures.filter((e) => !transport.test(e))).to.deep.equal([]);
        expect(failures.some((e) => e.includes("ECONNREFUSED"))).to.equal(true);
        expect(d.attempts).to.equal(d.attemptLog.length);
        expect(d.deliveredAt).to.be.a("string");
        // The successful request carried the attempt number the log ends with.
        const success = answered(d.idempotencyKey, 200);
        expect(success.map((r) => Number(r.headers["es-attempt"]))).to.deep.equal([d.attempts]);
      }
    });

    if (engine === "postgres") {
      it("sends each delivery exactly once with two service instances on one PostgreSQL", async function () {
        // Senders that poll every 10 ms and take two deliveries at a time claim often, so the two
        // replicas really compete for the same rows (production's 500 ms rarely collide in a test).
        const env = { ...(await database()), WEBHOOK_POLL_MS: "10", WEBHOOK_CONCURRENCY: "2" };
        const a = await station.startService(env);
        const b = await station.startService(env);
        const sub = await station.subscribe(a, 13, receiver.url, ["claim.status"]);
        const passes = () => [a.delivery!.feed.passes, b.delivery!.feed.passes];
        const [a0, b0] = passes();
        // Bursts of claims in one block give both replicas a batch to fight over; singles in between.
        const chain = producer(
          (i) => (i % 2 === 0 ? station.submitClaimsInOneBlock(13, 8) : station.submitClaim(13)),
          100,
        );
        await chain.more(40);
        const sent = await chain.stop();
        const expected = eventsOf(sent);
        await waitFor(`all ${expected.length} webhooks`, () => receiver.requests.length >= expected.length, 60_000);
        await new Promise((r) => setTimeout(r, 1_000));
        expectExactlyOnce(receiver.requests, expected, sub.secret);
        // Both replicas were reading the indexer all along (they competed for every batch).
        const [a1, b1] = passes();
        expect(a1! - a0!).to.be.greaterThan(0);
        expect(b1! - b0!).to.be.greaterThan(0);
        const log = await settledLog(b, sub.id, sub.token);
        expect(log.every((d) => d.status === "delivered" && d.attempts === 1)).to.equal(true);
        expect(log).to.have.length(expected.length);
      });
    }
  });
}
