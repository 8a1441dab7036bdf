/**
 * Deliveries are Standard Webhooks (https://www.standardwebhooks.com/): the `standardwebhooks` npm
 * package, an independent receiver implementation, verifies real deliveries sent by the service's
 * sender, before and during a secret rotation, and across a retry.
 */
import { expect } from "chai";
import { Webhook, WebhookVerificationError } from "standardwebhooks";

import type { Database } from "../../service/src/db/client.js";
import { enqueueEvents } from "../../service/src/webhooks/enqueue.js";
import { envelope } from "../../service/src/webhooks/events.js";
import { harness, Receiver, waitFor, callAs, type Harness } from "./deliveryHarness.js";
import { ENGINES } from "./helpers.js";
import { randomAddress } from "./indexer.js";

type Received = Receiver["requests"][number];

async function queueOne(db: Database, address: string, key: string): Promise<void> {
  const now = new Date();
  const events = [
    {
      type: "claim.status" as const,
      idempotencyKey: key,
      recipients: [address],
      body: envelope(key, "claim.status", now, { key }),
    },
  ];
  await db.transaction((tx) => enqueueEvents(tx, events, now));
}

/** The three Standard Webhooks headers as a receiver reads them. */
function standardHeaders(r: Received, signature = r.headers["webhook-signature"] ?? "") {
  return {
    "webhook-id": r.headers["webhook-id"] ?? "",
    "webhook-timestamp": r.headers["webhook-timestamp"] ?? "",
    "webhook-signature": signature,
  };
}

function refuses(secret: string, r: Received, signature?: string): void {
  expect(() => new Webhook(secret).verify(r.body, standardHeaders(r, signature))).to.throw(WebhookVerificationError);
}

for (const engine of ENGINES) {
  describe(`Standard Webhooks deliveries, verified by the standardwebhooks package (${engine})`, function () {
    this.timeout(60_000);
    let h: Harness;
    let receiver: Receiver;
    const alice = randomAddress();

    beforeEach(async function () {
      // The real clock: the reference library judges timestamps against it.
      h = await harness(engine, { WEBHOOK_SECRET_KEY: "33".repeat(32) });
      receiver = await Receiver.start();
    });
    afterEach(async function () {
      await h.close();
      await receiver.down();
    });

    async function deliver(key: string, attempts = 1): Promise<Received[]> {
      const before = receiver.requests.length;
      await queueOne(h.handle.db, alice, key);
      const sender = h.sender();
      sender.start();
      await waitFor(`delivery ${key}`, () => receiver.requests.length >= before + attempts || undefined);
      await sender.stop();
      return receiver.requests.slice(before, before + attempts);
    }

    it("verifies a delivery with the subscription's secret and refuses it with another", async function () {
      const { secret } = await h.subscribe(alice, receiver.url, ["claim.status"]);
      expect(secret).to.match(/^whsec_[A-Za-z0-9+/]{43}=$/);
      const [got] = await deliver("first");
      expect(got!.headers["webhook-id"]).to.equal("first");
      expect(got!.headers["webhook-signature"]).to.match(/^v1,[A-Za-z0-9+/]{43}=$/);
      const payload = new Webhook(secret).verify(got!.body, standardHeaders(got!));
      expect(payload).to.deep.equal(JSON.parse(got!.body));
      expect(payload).to.have.property("type", "claim.status");
      refuses(`whsec_${Buffer.alloc(32, 1).toString("base64")}`, got!);
      // A body changed on the way fails too.
      expect(() => new Webhook(secret).verify(`${got!.body} `, standardHeaders(got!))).to.throw(
        WebhookVerificationError,
      );
    });

    it("signs with both secrets during a rotation: each signature verifies under its own secret", async function () {
      const { id, secret: old } = await h.subscribe(alice, receiver.url, ["claim.status"]);
      const res = await callAs(h, "POST", `/v1/webhooks/${id}/rotate-secret`, alice, { gracePeriodSeconds: 3600 });
      expect(res.status).to.equal(200);
      const { secret: current } = (await res.json()) as { secret: string };
      expect(current).to.match(/^whsec_[A-Za-z0-9+/]{43}=$/);

      const [got] = await deliver("rotating");
      const entries = (got!.headers["webhook-signature"] ?? "").split(" ");
      expect(entries).to.have.length(2);
      // A receiver holding either secret accepts the delivery as sent.
      expect(new Webhook(current).verify(got!.body, standardHeaders(got!))).to.deep.equal(JSON.parse(got!.body));
      expect(new Webhook(old).verify(got!.body, standardHeaders(got!))).to.deep.equal(JSON.parse(got!.body));
      // Each entry is the signature of one secret: the new one first, then the previous one.
      expect(() => new Webhook(current).verify(got!.body, standardHeaders(got!, entries[0]))).not.to.throw();
      refuses(old, got!, entries[0]);
      expect(() => new Webhook(old).verify(got!.body, standardHeaders(got!, entries[1]))).not.to.throw();
      refuses(current, got!, entries[1]);
    });

    it("keeps the webhook-id across retries and signs every attempt afresh", async function () {
      const { secret } = await h.subscribe(alice, receiver.url, ["claim.status"]);
      receiver.respond = (_req, index) => (index === 0 ? 503 : 200);
      const [first, second] = await deliver("retried", 2);
      expect(first!.headers["webhook-id"]).to.equal("retried");
      expect(second!.headers["webhook-id"]).to.equal("retried");
      for (const got of [first!, second!]) {
        expect(new Webhook(secret).verify(got.body, standardHeaders(got))).to.deep.equal(JSON.parse(got.body));
      }
    });
  });
}
