import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { sql } from "drizzle-orm";

import * as schema from "../../indexer/ponder.schema.js";
import { AlertWatcher } from "../../service/src/alerts/watcher.js";
import { createApp } from "../../service/src/app.js";
import { openDatabase, queryRows } from "../../service/src/db/client.js";
import { startService } from "../../service/src/index.js";
import { chainHead, ponderIndexer } from "../../service/src/indexer/ponder.js";
import { deliveryMetrics } from "../../service/src/webhooks/metrics.js";
import { verifyWebhook } from "../../service/src/webhooks/verify.js";
import { FAST_ENV, harness, OPERATOR, Receiver, waitFor, type Harness } from "./deliveryHarness.js";
import { FakePonder } from "./fakePonder.js";
import { testGuards } from "./guards.js";
import {
  blockTime,
  insertClaim,
  insertCoverage,
  insertIncident,
  insertIncidentEvent,
  insertPurchase,
  insertStakeEvent,
  insertTransition,
  CHAIN_ID,
  openIndexer,
  randomAddress,
  T0,
  type TestIndexer,
} from "./indexer.js";

describe("the production indexer source (@ponder/client over Ponder's SQL API)", function () {
  this.timeout(60_000);
  let h: Harness;
  let ponder: FakePonder;
  let receiver: Receiver;
  beforeEach(async function () {
    h = await harness("pglite");
    ponder = await FakePonder.start(h.indexer.db);
    receiver = await Receiver.start();
  });
  afterEach(async function () {
    await h.close();
    await ponder.stop();
    await receiver.down();
  });

  it("reads every stream and raises every alert with queries Ponder's SQL allow-list accepts", async function () {
    const { source } = ponderIndexer({ indexerUrl: ponder.url, chainId: CHAIN_ID, log: h.log });
    const claimant = randomAddress();
    await h.subscribe(claimant, receiver.url, ["claim.status", "coverage.*", "stake.changed", "incident.*", "sla.*"]);
    await h.subscribe(claimant, receiver.url, ["risk.alert"]);
    await insertClaim(h.indexer.db, { id: 3n, claimant, submittedAt: T0 });
    await insertTransition(h.indexer.db, { claimId: 3n, status: "Submitted", block: 1n });
    await insertPurchase(h.indexer.db, {
      buyer: claimant,
      beneficiary: claimant,
      block: 2n,
      coveredUntil: T0 + 86_400n,
    });
    await insertStakeEvent(h.indexer.db, { account: claimant, block: 3n, amount: 5n, newStake: 5n });
    await insertIncident(h.indexer.db, { id: 1n, status: "Closed", openedAt: blockTime(4n), endedAt: blockTime(5n) });
    await insertIncidentEvent(h.indexer.db, { incidentId: 1n, kind: "Opened", block: 4n });
    await insertIncidentEvent(h.indexer.db, { incidentId: 1n, kind: "Claimed", block: 5n, amount: 1n });
    await insertIncidentEvent(h.indexer.db, { incidentId: 1n, kind: "Closed", block: 5n, logIndex: 1, claimed: 1n });
    await insertCoverage(h.indexer.db, claimant, T0 + 86_400n);

    ponder.head = { number: 10n, timestamp: T0 };
    const feed = h.feed({ indexer: source, confirmations: 2 });
    await feed.ensureCursors();
    while (await feed.tick());
    const alerts = new AlertWatcher({
      db: h.handle.db,
      indexer: source.db,
      log: h.log,
      metrics: deliveryMetrics(h.deps.metrics),
      config: h.deps.config.alerts,
      atRiskFraction: h.deps.config.slaAtRiskFraction,
      now: () => Number(T0 + 1_000n) * 1000,
    });
    await alerts.tick();
    h.clock.now = Number(T0 + 1_000n) * 1000;
    const posted = await createApp({ ...h.deps, indexerSource: source }).request("/v1/alerts", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Test ${OPERATOR}` },
      body: JSON.stringify({ title: "Upgrade", message: "Backup endpoint in use." }),
    });
    expect(posted.status).to.equal(201);
    expect(((await posted.json()) as { deliveries: number }).deliveries).to.equal(1);

    expect(ponder.refused).to.deep.equal([]);
    const rows = await queryRows<{ event_type: string }>(
      h.handle.db,
      sql`SELECT event_type FROM webhook_deliveries ORDER BY event_type`,
    );
    expect(rows.map((r) => r.event_type)).to.deep.equal([
      "claim.status",
      "coverage.expiring",
      "coverage.purchased",
      "incident.closed",
      "incident.opened",
      "risk.alert",
      "sla.breached",
      "stake.changed",
    ]);
  });

  it("pages through more expiring coverage than one query returns", async function () {
    const { source } = ponderIndexer({ indexerUrl: ponder.url, chainId: CHAIN_ID, log: h.log });
    const until = T0 + 86_400n;
    // 1,001 beneficiaries, half of them ending at the same second: the keyset has to break ties.
    await h.indexer.db.insert(schema.subscriptions).values(
      Array.from({ length: 1_001 }, (_, i) => ({
        beneficiary: randomAddress().toLowerCase() as `0x${string}`,
        coveredUntil: until + BigInt(i % 2),
        slaFactorBps: 10_000,
        lastPackageId: 1n,
        purchaseCount: 1,
        updatedAt: T0,
      })),
    );
    const alerts = new AlertWatcher({
      db: h.handle.db,
      indexer: source.db,
      log: h.log,
      metrics: deliveryMetrics(h.deps.metrics),
      config: h.deps.config.alerts,
      atRiskFraction: h.deps.config.slaAtRiskFraction,
      now: () => Number(T0) * 1000,
    });
    expect(await alerts.coverage.check()).to.equal(1_001);
    expect(await alerts.coverage.check()).to.equal(0);
    expect(ponder.refused).to.deep.equal([]);
  });

  it("holds back rows above the reported head minus the confirmations", async function () {
    const { source } = ponderIndexer({ indexerUrl: ponder.url, chainId: CHAIN_ID, log: h.log });
    const claimant = randomAddress();
    await h.subscribe(claimant, receiver.url, ["claim.status"]);
    await insertClaim(h.indexer.db, { id: 1n, claimant });
    await insertTransition(h.indexer.db, { claimId: 1n, status: "Submitted", block: 8n });
    const feed = h.feed({ indexer: source, confirmations: 3 });
    await feed.ensureCursors();
    ponder.head = { number: 10n, timestamp: T0 };
    await feed.tick();
    const count = async () =>
      (await queryRows<{ n: number }>(h.handle.db, sql`SELECT count(*)::int AS n FROM webhook_deliveries`))[0]!.n;
    expect(await count()).to.equal(0);
    ponder.head = { number: 11n, timestamp: T0 };
    await feed.tick();
    expect(await count()).to.equal(1);
  });

  it("gives the feed and the reads one chain head, the service's chain's: fresh for the feed, cached for reads", async function () {
    const { source, reader, headNow } = ponderIndexer({
      indexerUrl: ponder.url,
      chainId: CHAIN_ID,
      log: h.log,
      headCacheMs: 60_000,
    });
    const failure = (p: Promise<unknown>) =>
      p.then(
        () => "no error",
        (e: Error) => e.message,
      );
    // Nothing indexed yet: the feed waits (unknown head), a read says why it cannot answer.
    expect(await source.head()).to.equal(undefined);
    expect(await failure(reader.head())).to.equal("the indexer has not indexed a block of chain 31337 yet");
    expect([headNow(), reader.clockAt!(Date.now())]).to.deep.equal([undefined, undefined]);

    ponder.head = { number: 10n, timestamp: T0 + 10n };
    const fetching = reader.head();
    expect(headNow(), "at hand before the status answered").to.equal(undefined);
    expect(await fetching).to.deep.equal({ number: 10n, timestamp: T0 + 10n });
    ponder.head = { number: 11n, timestamp: T0 + 11n };
    const asked = ponder.statusRequests;
    // Reads reuse the head they fetched, and have it at hand; the feed always fetches, and the reads see its answer.
    expect(headNow()).to.deep.equal({ number: 10n, timestamp: T0 + 10n });
    expect(reader.clockAt!(Date.now())?.head).to.deep.equal({ number: 10n, timestamp: T0 + 10n });
    expect(await reader.head()).to.deep.equal({ number: 10n, timestamp: T0 + 10n });
    expect(ponder.statusRequests).to.equal(asked);
    expect(await source.head()).to.equal(11n);
    expect(ponder.statusRequests).to.equal(asked + 1);
    expect(headNow()).to.deep.equal({ number: 11n, timestamp: T0 + 11n });
    expect(await reader.head()).to.deep.equal({ number: 11n, timestamp: T0 + 11n });
    expect(ponder.statusRequests).to.equal(asked + 1);
  });

  it("has no head at hand once the cached one is older than headCacheMs, or when the indexer has none", async function () {
    const { reader, headNow } = ponderIndexer({
      indexerUrl: ponder.url,
      chainId: CHAIN_ID,
      log: h.log,
      headCacheMs: 50,
    });
    ponder.head = { number: 10n, timestamp: T0 + 10n };
    await reader.head();
    expect(headNow()).to.deep.equal({ number: 10n, timestamp: T0 + 10n });
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(headNow(), "expired").to.equal(undefined);
    expect(reader.clockAt!(Date.now())).to.equal(undefined);
    await reader.head(); // fetched again: at hand again
    expect(headNow()).to.deep.equal({ number: 10n, timestamp: T0 + 10n });
  });

  it("picks the service's chain out of a multi-chain status, and refuses a status without it", async function () {
    const status = {
      mainnet: { id: 1, block: { number: 5, timestamp: 100 } },
      local: { id: CHAIN_ID, block: { number: 900, timestamp: 200 } },
    };
    // Not the lowest block over all chains: the service's own chain.
    expect(chainHead(status, CHAIN_ID)).to.deep.equal({ number: 900n, timestamp: 200n });
    expect(chainHead({}, CHAIN_ID)).to.equal(undefined);

    const other = await FakePonder.start(h.indexer.db, { chainId: 1, head: { number: 7n, timestamp: T0 } });
    try {
      const { source, reader } = ponderIndexer({ indexerUrl: other.url, chainId: CHAIN_ID, log: h.log });
      const expected = "the indexer reports chains 1 but not the service's chain 31337 (check CHAIN_ID)";
      expect(await source.head().then(String, (e: Error) => e.message)).to.equal(expected);
      expect(await reader.head().then(String, (e: Error) => e.message)).to.equal(expected);
    } finally {
      await other.stop();
    }
  });

  /** A claimant subscribed to claim 1's changes, and a feed that wakes on live queries only (it polls once a minute). */
  async function liveFeed(liveRetryMs?: number): Promise<void> {
    const { source } = ponderIndexer({ indexerUrl: ponder.url, chainId: CHAIN_ID, log: h.log, liveRetryMs });
    const claimant = randomAddress();
    await h.subscribe(claimant, receiver.url, ["claim.status"]);
    await insertClaim(h.indexer.db, { id: 1n, claimant });
    const feed = h.feed({ indexer: source, pollMs: 60_000, live: true });
    await feed.start();
    h.sender().start();
    await waitFor("the first pass", () => feed.passes >= 1);
    await waitFor("four live subscriptions", () => ponder.liveCount === 4);
  }

  /** Ponder indexes a transition and tells its live queries: the woken feed delivers it within seconds. */
  async function deliveredOnNotify(): Promise<void> {
    await insertTransition(h.indexer.db, { claimId: 1n, status: "Accepted", block: 2n });
    await ponder.notify();
    await waitFor("the woken delivery", () => receiver.requests.length === 1, 5_000);
    expect(ponder.refused).to.deep.equal([]);
  }

  it("wakes the feed through a live query when the indexer reports a change", async function () {
    await liveFeed();
    await deliveredOnNotify();
  });

  it("keeps polling when the live queries drop, and subscribes again after the retry delay", async function () {
    await liveFeed(50);
    const subscribed = ponder.queries.length;
    ponder.dropLive();
    await waitFor("the failure to be logged", () =>
      h.log.entries.some((e) => e.msg === "indexer live query failed; polling until it reconnects"),
    );
    await waitFor("four new live subscriptions", () => ponder.liveCount === 4 && ponder.queries.length > subscribed);
    await deliveredOnNotify();
    // One warning for the four dropped streams, not one each.
    expect(h.log.entries.filter((e) => e.msg.startsWith("indexer live query failed"))).to.have.length(1);
  });
});

describe("the service process (startService)", function () {
  this.timeout(60_000);
  let indexer: TestIndexer;
  let ponder: FakePonder;
  let receiver: Receiver;
  let dir: string;
  beforeEach(async function () {
    indexer = await openIndexer("pglite");
    ponder = await FakePonder.start(indexer.db);
    receiver = await Receiver.start();
    dir = await mkdtemp(path.join(tmpdir(), "es-service-"));
  });
  afterEach(async function () {
    await ponder.stop();
    await receiver.down();
    await indexer.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("runs the feed and the sender, and on stop waits for the delivery in flight to be recorded", async function () {
    const running = await startService(
      { ...FAST_ENV, SERVICE_PORT: "0", LOG_LEVEL: "silent", SERVICE_DATA_DIR: dir, INDEXER_URL: ponder.url },
      { auth: testGuards() },
    );
    let stopped = false;
    try {
      const claimant = randomAddress();
      const res = await fetch(`http://127.0.0.1:${running.port}/v1/webhooks`, {
        method: "POST",
        headers: { authorization: `Test ${claimant}`, "content-type": "application/json" },
        body: JSON.stringify({ url: receiver.url, events: ["claim.status"] }),
      });
      expect(res.status).to.equal(201);
      const { secret } = (await res.json()) as { secret: string };
      // The receiver takes its time: the stop below comes while the delivery is in flight.
      let answered = false;
      receiver.respond = () =>
        new Promise((resolve) =>
          setTimeout(() => {
            answered = true;
            resolve(200);
          }, 400),
        );
      await insertClaim(indexer.db, { id: 9n, claimant });
      await insertTransition(indexer.db, { claimId: 9n, status: "Submitted", block: 1n });
      await ponder.notify();
      const got = await waitFor("the webhook to arrive", () => receiver.requests[0]);
      expect(verifyWebhook(secret, got.headers, got.body)).to.equal(true);
      const metrics = await (await fetch(`http://127.0.0.1:${running.port}/metrics`)).text();
      expect(metrics).to.match(/es_feed_events_total\{stream="claim_transitions"\} 1/);
      await running.stop();
      stopped = true;
      expect(answered).to.equal(true);
    } finally {
      if (!stopped) await running.stop();
    }
    // The outcome was written before the database closed.
    const reopened = await openDatabase({ dataDir: dir });
    try {
      const rows = await queryRows<{ status: string }>(reopened.db, sql`SELECT status FROM webhook_deliveries`);
      expect(rows).to.deep.equal([{ status: "delivered" }]);
    } finally {
      await reopened.close();
    }
  });
});
