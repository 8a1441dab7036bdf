import { expect } from "chai";
import { sql } from "drizzle-orm";
import type { Address } from "viem";

import { queryRows } from "../../service/src/db/client.js";
import { harness, Receiver, waitFor, type Harness } from "./deliveryHarness.js";
import { ENGINES } from "./helpers.js";
import {
  blockTime,
  CHAIN_ID,
  insertClaim,
  insertIncident,
  insertIncidentEvent,
  insertPurchase,
  insertStakeEvent,
  insertBreachCredit,
  insertTransition,
  randomAddress,
  revertBlocks,
  T0,
  type IncidentEventRow,
  type TransitionRow,
} from "./indexer.js";

type Envelope = { id: string; type: string; data: Record<string, unknown> };
type DeliveryRow = { idempotency_key: string; status: string; last_error: string | null; event_type: string };

for (const engine of ENGINES) {
  describe(`status feed (${engine})`, function () {
    this.timeout(60_000);
    let h: Harness;
    let receiver: Receiver;
    let claimant: Address;
    beforeEach(async function () {
      h = await harness(engine);
      receiver = await Receiver.start();
      claimant = randomAddress();
      await insertClaim(h.indexer.db, { id: 1n, claimant });
    });
    afterEach(async function () {
      await h.close();
      await receiver.down();
    });

    const deliveries = () =>
      queryRows<DeliveryRow>(
        h.handle.db,
        sql`SELECT idempotency_key, status, last_error, event_type FROM webhook_deliveries ORDER BY id`,
      );
    const keyOf = (row: TransitionRow | IncidentEventRow) => `${CHAIN_ID}:${row.txHash}:${row.logIndex}`;

    /** Ticks `feed` until a tick reports nothing more to read. */
    async function drain(feed: { tick(): Promise<boolean> }) {
      for (let i = 0; i < 1_000 && (await feed.tick()); i++);
    }

    it("resumes after a restart without losing or repeating a transition", async function () {
      await h.subscribe(claimant, receiver.url, ["claim.status"]);
      const rows: TransitionRow[] = [];
      for (let i = 0; i < 30; i++) {
        rows.push(await insertTransition(h.indexer.db, { claimId: 1n, status: "Investigating", block: BigInt(i + 1) }));
      }
      // First instance: one batch of 7, then it dies without stopping (its loop never ran).
      const first = h.feed({ batchSize: 7 });
      await first.ensureCursors();
      expect(await first.tick()).to.equal(true);
      expect(await deliveries()).to.have.length(7);
      // A sender delivers some, then is stopped (it finishes what it has in flight).
      const sender1 = h.sender({ config: { ...h.deps.config.webhooks, concurrency: 2 } });
      sender1.start();
      await waitFor("a few deliveries", () => receiver.requests.length >= 3);
      await sender1.stop();
      // More rows arrive while the service is down.
      for (let i = 30; i < 60; i++) {
        rows.push(await insertTransition(h.indexer.db, { claimId: 1n, status: "Investigating", block: BigInt(i + 1) }));
      }
      // Second instance on the same database.
      const feed2 = h.feed({ batchSize: 7 });
      const sender2 = h.sender();
      await feed2.start();
      sender2.start();
      await waitFor("all 60 deliveries", () => receiver.requests.length >= 60);
      await feed2.stop();
      await sender2.stop();
      const counts = receiver.countsByKey();
      expect([...counts.keys()].sort()).to.deep.equal(rows.map(keyOf).sort());
      expect([...counts.values()].every((n) => n === 1)).to.equal(true);
      expect(await deliveries()).to.have.length(60);
    });

    it("enqueues each row once when two replicas run the feed on one database", async function () {
      await h.subscribe(claimant, receiver.url, ["claim.status"]);
      for (let i = 0; i < 40; i++) {
        await insertTransition(h.indexer.db, { claimId: 1n, status: "Investigating", block: BigInt(i + 1) });
      }
      const a = h.feed({ batchSize: 5 });
      const b = h.feed({ batchSize: 5 });
      await a.ensureCursors();
      for (let i = 0; i < 100; i++) {
        const [moreA, moreB] = await Promise.all([a.tick(), b.tick()]);
        if (!moreA && !moreB) break;
      }
      const rows = await deliveries();
      expect(rows).to.have.length(40);
      expect(new Set(rows.map((r) => r.idempotency_key)).size).to.equal(40);
    });

    it("waits for confirmations, so a row removed by a reorg before then is never delivered", async function () {
      await h.subscribe(claimant, receiver.url, ["claim.status"]);
      const feed = h.feed({ confirmations: 2 });
      await feed.ensureCursors();
      const orphan = await insertTransition(h.indexer.db, { claimId: 1n, status: "Accepted", block: 10n });
      h.indexer.head = 10n;
      await drain(feed);
      h.indexer.head = 11n;
      await drain(feed);
      expect(await deliveries()).to.deep.equal([]);
      // Block 10 is replaced: the orphan's row disappears, another transaction takes its place.
      await revertBlocks(h.indexer.db, 10n);
      const canonical = await insertTransition(h.indexer.db, { claimId: 1n, status: "Rejected", block: 10n });
      h.indexer.head = 12n;
      await drain(feed);
      expect((await deliveries()).map((d) => d.idempotency_key)).to.deep.equal([keyOf(canonical)]);
      // A head reported lower again (another indexer replica lagging) is not mistaken for a reorg.
      h.indexer.head = 11n;
      expect(await feed.tick()).to.equal(false);
      expect(h.log.entries.filter((e) => e.msg.includes("reorg"))).to.deep.equal([]);
      const sender = h.sender();
      sender.start();
      await waitFor("the canonical delivery", () => receiver.requests.length === 1);
      await sender.stop();
      expect(receiver.requests[0]!.headers["idempotency-key"]).to.equal(keyOf(canonical));
      expect(receiver.requests.some((r) => r.headers["idempotency-key"] === keyOf(orphan))).to.equal(false);
    });

    it("without confirmations, walks back over rows a reorg removed and cancels their unsent deliveries", async function () {
      await h.subscribe(claimant, receiver.url, ["claim.status"]);
      const feed = h.feed();
      await feed.ensureCursors();
      const kept = await insertTransition(h.indexer.db, { claimId: 1n, status: "Submitted", block: 9n });
      const gone = [
        await insertTransition(h.indexer.db, { claimId: 1n, status: "Accepted", block: 10n }),
        await insertTransition(h.indexer.db, { claimId: 1n, status: "Investigating", block: 11n }),
        await insertTransition(h.indexer.db, { claimId: 1n, status: "Approved", block: 12n }),
      ];
      await drain(feed);
      expect(await deliveries()).to.have.length(4);
      // A 3-block reorg before the sender ran: blocks 10–12 replaced by a shorter history.
      await revertBlocks(h.indexer.db, 10n);
      const replacement = await insertTransition(h.indexer.db, { claimId: 1n, status: "Rejected", block: 10n });
      await drain(feed);
      const rows = await deliveries();
      expect(rows.map((r) => [r.idempotency_key, r.status])).to.deep.equal([
        [keyOf(kept), "pending"],
        ...gone.map((g) => [keyOf(g), "cancelled"]),
        [keyOf(replacement), "pending"],
      ]);
      expect(rows[1]!.last_error).to.match(/reorganised/);
      const [cursor] = await queryRows<{ position: string }>(
        h.handle.db,
        sql`SELECT position FROM feed_cursors WHERE stream = 'claim_transitions'`,
      );
      expect(cursor!.position).to.equal(replacement.id);
      const sender = h.sender();
      sender.start();
      await waitFor("two deliveries", () => receiver.requests.length === 2);
      await sender.stop();
      expect(receiver.requests.map((r) => r.headers["idempotency-key"]).sort()).to.deep.equal(
        [keyOf(kept), keyOf(replacement)].sort(),
      );
      expect(h.log.entries.some((e) => e.msg.includes("reorg") && e.fields.removedEvents === 3)).to.equal(true);
      expect(await h.deps.metrics.getSingleMetricAsString("es_feed_reorgs_total")).to.contain(
        'es_feed_reorgs_total{stream="claim_transitions"} 1',
      );
    });

    it("does not deliver an event twice when a reorg re-includes the same transaction in a later block", async function () {
      await h.subscribe(claimant, receiver.url, ["claim.status"]);
      const feed = h.feed();
      const sender = h.sender();
      await feed.ensureCursors();
      const first = await insertTransition(h.indexer.db, { claimId: 1n, status: "Accepted", block: 10n, logIndex: 2 });
      await drain(feed);
      sender.start();
      await waitFor("the first delivery", () => receiver.requests.length === 1);
      await revertBlocks(h.indexer.db, 10n);
      await insertTransition(h.indexer.db, {
        claimId: 1n,
        status: "Accepted",
        block: 11n,
        logIndex: 2,
        txHash: first.txHash,
      });
      await drain(feed);
      await drain(feed);
      await sender.stop();
      expect(receiver.requests).to.have.length(1);
      expect((await deliveries()).map((d) => d.status)).to.deep.equal(["delivered"]);
    });

    it("tells a claimant of each breach credit the pool paid them, once, keyed by its log", async function () {
      const claimant = randomAddress();
      const other = randomAddress();
      await h.subscribe(claimant, receiver.url, ["claim.credit"]);
      await h.subscribe(other, receiver.url, ["claim.credit"]);
      const first = await insertBreachCredit(h.indexer.db, {
        claimId: 4n,
        claimant,
        kind: "NoResponse",
        amount: 5n * 10n ** 18n,
        block: 5n,
      });
      const feed = h.feed();
      await feed.ensureCursors();
      await drain(feed);
      await insertBreachCredit(h.indexer.db, {
        claimId: 4n,
        claimant,
        kind: "Resolution",
        amount: 10n ** 19n,
        block: 9n,
      });
      await drain(feed);
      await drain(feed);
      const rows = await deliveries();
      expect(rows.map((r) => r.event_type)).to.deep.equal(["claim.credit", "claim.credit"]);
      const sender = h.sender();
      sender.start();
      await waitFor("2 deliveries", () => receiver.requests.length === 2);
      await sender.stop();
      const events = receiver.requests.map((r) => JSON.parse(r.body) as Envelope);
      expect(events[0]!.id).to.equal(`${CHAIN_ID}:${first.txHash}:${first.logIndex}`);
      expect(events.map((e) => e.data)).to.deep.include.members([
        { ...events[0]!.data, claimId: "4", claimant, kind: "no-response", amount: (5n * 10n ** 18n).toString() },
      ]);
      expect(events.map((e) => (e.data as { kind: string }).kind)).to.deep.equal(["no-response", "resolution"]);
    });

    it("turns purchases, stake changes and incidents into their events for the right subscribers", async function () {
      const buyer = randomAddress();
      const beneficiary = randomAddress();
      const staker = randomAddress();
      const watcher = randomAddress();
      await h.subscribe(beneficiary, receiver.url, ["coverage.purchased"]);
      await h.subscribe(buyer, receiver.url, ["coverage.purchased"]);
      await h.subscribe(staker, receiver.url, ["stake.changed", "claim.status"]);
      await h.subscribe(watcher, receiver.url, ["incident.*"]);
      await insertPurchase(h.indexer.db, { buyer, beneficiary, block: 5n, coveredUntil: T0 + 86_400n, logIndex: 1 });
      await insertStakeEvent(h.indexer.db, { account: staker, block: 6n, amount: 10n, newStake: 10n });
      await insertIncident(h.indexer.db, { id: 1n, openedAt: blockTime(7n) });
      const opened1 = await insertIncidentEvent(h.indexer.db, { incidentId: 1n, kind: "Opened", block: 7n });
      const feed = h.feed();
      await feed.ensureCursors();
      await drain(feed);
      // Incident 1: a leaf claimed (no webhook event), then closed; incident 2 opened and cancelled.
      await insertIncidentEvent(h.indexer.db, { incidentId: 1n, kind: "Claimed", block: 8n, amount: 3n });
      await insertIncident(h.indexer.db, {
        id: 2n,
        status: "Cancelled",
        openedAt: blockTime(8n),
        endedAt: blockTime(9n),
      });
      const opened2 = await insertIncidentEvent(h.indexer.db, {
        incidentId: 2n,
        kind: "Opened",
        block: 8n,
        logIndex: 1,
      });
      const cancelled2 = await insertIncidentEvent(h.indexer.db, { incidentId: 2n, kind: "Cancelled", block: 9n });
      await insertIncident(h.indexer.db, { id: 1n, status: "Closed", openedAt: blockTime(7n), endedAt: blockTime(9n) });
      const closed1 = await insertIncidentEvent(h.indexer.db, {
        incidentId: 1n,
        kind: "Closed",
        block: 9n,
        logIndex: 1,
        amount: 10n ** 21n - 3n,
        claimed: 3n,
      });
      await drain(feed);
      const rows = await deliveries();
      expect(rows.map((r) => r.event_type).sort()).to.deep.equal([
        "coverage.purchased",
        "coverage.purchased",
        "incident.cancelled",
        "incident.closed",
        "incident.opened",
        "incident.opened",
        "stake.changed",
      ]);
      // Incident events in chain order, keyed by their log coordinates.
      expect(rows.filter((r) => r.event_type.startsWith("incident.")).map((r) => r.idempotency_key)).to.deep.equal(
        [opened1, opened2, cancelled2, closed1].map(keyOf),
      );
      const sender = h.sender();
      sender.start();
      await waitFor("7 deliveries", () => receiver.requests.length === 7);
      await sender.stop();
      const purchase = receiver.requests
        .map((r) => JSON.parse(r.body) as Envelope)
        .find((e) => e.type === "coverage.purchased")!;
      expect(purchase.data).to.include({ beneficiary, buyer, coveredUntil: Number(T0 + 86_400n), logIndex: 1 });
      expect(purchase.id).to.match(new RegExp(`^${CHAIN_ID}:0x[0-9a-f]{64}:1$`));
      const closed = receiver.requests
        .map((r) => JSON.parse(r.body) as Envelope)
        .find((e) => e.type === "incident.closed")!;
      expect(closed).to.deep.include({ id: keyOf(closed1) });
      expect(closed.data).to.deep.equal({
        incidentId: "1",
        status: "Closed",
        total: (10n ** 21n).toString(),
        claimed: "3",
        claimCount: 0,
        released: (10n ** 21n - 3n).toString(),
        endedAt: Number(blockTime(9n)),
        chainId: CHAIN_ID,
        blockNumber: 9,
        blockTimestamp: Number(blockTime(9n)),
        txHash: closed1.txHash,
        logIndex: 1,
      });
      const opened = receiver.requests.map((r) => JSON.parse(r.body) as Envelope).find((e) => e.id === keyOf(opened2))!;
      expect(opened.data).to.deep.include({
        incidentId: "2",
        total: (10n ** 21n).toString(),
        claimableAt: Number(blockTime(8n) + 3_600n),
        metadataHash: opened2.noteHash,
        openedAt: Number(blockTime(8n)),
        blockNumber: 8,
        logIndex: 1,
      });
    });

    it("walks back incident events a reorg removed and cancels their unsent deliveries", async function () {
      await h.subscribe(randomAddress(), receiver.url, ["incident.*"]);
      const feed = h.feed();
      await feed.ensureCursors();
      await insertIncident(h.indexer.db, { id: 1n, openedAt: blockTime(9n) });
      const kept = await insertIncidentEvent(h.indexer.db, { incidentId: 1n, kind: "Opened", block: 9n });
      await insertIncident(h.indexer.db, { id: 2n, openedAt: blockTime(10n) });
      const gone = [
        await insertIncidentEvent(h.indexer.db, { incidentId: 2n, kind: "Opened", block: 10n }),
        await insertIncidentEvent(h.indexer.db, { incidentId: 2n, kind: "Cancelled", block: 11n }),
      ];
      await drain(feed);
      expect((await deliveries()).map((d) => d.status)).to.deep.equal(["pending", "pending", "pending"]);
      // Blocks 10–11 replaced: incident 2 is opened again by another transaction, and not cancelled.
      await revertBlocks(h.indexer.db, 10n);
      const replacement = await insertIncidentEvent(h.indexer.db, { incidentId: 2n, kind: "Opened", block: 10n });
      await drain(feed);
      const rows = await deliveries();
      expect(rows.map((r) => [r.idempotency_key, r.status])).to.deep.equal([
        [keyOf(kept), "pending"],
        ...gone.map((g) => [keyOf(g), "cancelled"]),
        [keyOf(replacement), "pending"],
      ]);
      const [cursor] = await queryRows<{ position: string }>(
        h.handle.db,
        sql`SELECT position FROM feed_cursors WHERE stream = 'incident_events'`,
      );
      expect(cursor!.position).to.equal(replacement.id);
      expect(await h.deps.metrics.getSingleMetricAsString("es_feed_reorgs_total")).to.contain(
        'es_feed_reorgs_total{stream="incident_events"} 1',
      );
      const sender = h.sender();
      sender.start();
      await waitFor("two deliveries", () => receiver.requests.length === 2);
      await sender.stop();
      expect(receiver.requests.map((r) => r.headers["idempotency-key"]).sort()).to.deep.equal(
        [keyOf(kept), keyOf(replacement)].sort(),
      );
    });

    it("is woken by the indexer's change notifications instead of waiting for its next poll", async function () {
      await h.subscribe(claimant, receiver.url, ["claim.status"]);
      const feed = h.feed({ pollMs: 60_000, live: true });
      const sender = h.sender();
      await feed.start();
      sender.start();
      // After its first pass the feed sleeps for a minute unless woken.
      await waitFor("the feed's first pass", () => feed.passes >= 1);
      await insertTransition(h.indexer.db, { claimId: 1n, status: "Accepted", block: 3n });
      h.indexer.notify();
      await waitFor("the woken delivery", () => receiver.requests.length === 1, 5_000);
    });
  });
}
