import { expect } from "chai";
import { sql } from "drizzle-orm";

import { queryRows } from "../../service/src/db/client.js";
import { verifyWebhookSignature } from "../../service/src/webhooks/verify.js";
import { harness, Receiver, waitFor, type Harness } from "./deliveryHarness.js";
import { ENGINES } from "./helpers.js";
import { CHAIN_ID, insertClaim, insertTransition, randomAddress } from "./indexerTables.js";

type Envelope = { id: string; type: string; createdAt: string; data: Record<string, unknown> };

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
      const signature = got.headers["es-signature"];
      expect(signature).to.match(/^t=\d+,v1=[0-9a-f]{64}$/);
      expect(verifyWebhookSignature(secret, signature, got.body, 300)).to.equal(true);
      // A wrong secret, a changed body, or a stale timestamp do not verify.
      expect(verifyWebhookSignature(`${secret}x`, signature, got.body, 300)).to.equal(false);
      expect(verifyWebhookSignature(secret, signature, got.body.replace("Accepted", "Rejected"), 300)).to.equal(false);
      const t = Number(/t=(\d+)/.exec(signature!)![1]);
      expect(verifyWebhookSignature(secret, signature, got.body, 300, t + 301)).to.equal(false);

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
  });
}
