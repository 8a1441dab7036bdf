import { expect } from "chai";
import { sql } from "drizzle-orm";

import { queryRows, type Database } from "../../service/src/db/client.js";
import { DEFAULT_ROTATION_GRACE_SECONDS } from "../../service/src/webhooks/routes.js";
import { enqueueEvents } from "../../service/src/webhooks/enqueue.js";
import { envelope } from "../../service/src/webhooks/events.js";
import { computeSignature, verifyWebhook } from "../../service/src/webhooks/verify.js";
import { harness, Receiver, waitFor, type Harness, callAs } from "./deliveryHarness.js";
import { ENGINES } from "./helpers.js";
import { randomAddress } from "./indexer.js";

type ErrorBody = { error: { code: string; message: string } };
type Rotated = { id: string; secret: string; secretRotatedAt: string | null; previousSecretExpiresAt: string | null };

const KEY = "22".repeat(32);
const T0 = Date.UTC(2030, 0, 1);

/** Queues one claim.status delivery for `address` directly (no feed). */
async function queueOne(db: Database, address: string, key: string, at: number): Promise<void> {
  const now = new Date(at);
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

for (const engine of ENGINES) {
  describe(`webhook secret rotation (${engine})`, function () {
    this.timeout(60_000);
    let h: Harness;
    let receiver: Receiver;
    const alice = randomAddress();
    const bob = randomAddress();

    beforeEach(async function () {
      h = await harness(engine, { WEBHOOK_SECRET_KEY: KEY });
      h.clock.now = T0;
      receiver = await Receiver.start();
    });
    afterEach(async function () {
      await h.close();
      await receiver.down();
    });

    const call = (method: string, path: string, who: string | null, body?: unknown) =>
      callAs(h, method, path, who, body);

    async function rotate(id: string, body?: unknown): Promise<Rotated> {
      const res = await call("POST", `/v1/webhooks/${id}/rotate-secret`, alice, body);
      expect(res.status, await res.clone().text()).to.equal(200);
      return (await res.json()) as Rotated;
    }

    /** Sends one delivery at the harness clock and returns the signature headers and body the receiver got. */
    async function deliverOne(key: string): Promise<{
      signature: string;
      headers: Record<string, string | string[] | undefined>;
      id: string;
      body: string;
      t: number;
    }> {
      const before = receiver.requests.length;
      await queueOne(h.handle.db, alice, key, h.clock.now!);
      const sender = h.sender();
      sender.start();
      const got = await waitFor(`delivery ${key}`, () => receiver.requests[before]);
      await sender.stop();
      const signature = got.headers["webhook-signature"] ?? "";
      const id = got.headers["webhook-id"] ?? "";
      return { signature, headers: got.headers, id, body: got.body, t: Number(got.headers["webhook-timestamp"]) };
    }

    it("signs with the new and the old secret during the grace period; either verifies", async function () {
      const { id, secret: old } = await h.subscribe(alice, receiver.url, ["claim.status"]);
      const rotated = await rotate(id, { gracePeriodSeconds: 3600 });
      expect(rotated.id).to.equal(id);
      expect(rotated.secret).to.match(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(rotated.secret).to.not.equal(old);
      expect(rotated.secretRotatedAt).to.equal(new Date(T0).toISOString());
      expect(rotated.previousSecretExpiresAt).to.equal(new Date(T0 + 3_600_000).toISOString());

      h.clock.now = T0 + 3_599_000; // one second before the grace period ends
      const { signature, headers, id: messageId, body, t } = await deliverOne("during");
      expect(t).to.equal(Math.floor((T0 + 3_599_000) / 1000));
      expect(messageId).to.equal("during");
      const entries = signature.split(" ");
      expect(entries).to.have.length(2);
      expect(entries[0]).to.equal(`v1,${computeSignature(rotated.secret, messageId, t, body)}`);
      expect(entries[1]).to.equal(`v1,${computeSignature(old, messageId, t, body)}`);
      expect(verifyWebhook(old, headers, body, 300, t)).to.equal(true);
      expect(verifyWebhook(rotated.secret, headers, body, 300, t)).to.equal(true);
      expect(verifyWebhook([rotated.secret, old], headers, body, 300, t)).to.equal(true);
      // Another key (one base64 digit changed) verifies nothing.
      const other = `whsec_${old[6] === "A" ? "B" : "A"}${old.slice(7)}`;
      expect(verifyWebhook(other, headers, body, 300, t)).to.equal(false);

      // Both secrets are sealed at rest; neither appears in the row.
      const [row] = await queryRows<{ secret: string; previous_secret: string }>(
        h.handle.db,
        sql`SELECT secret, previous_secret FROM webhook_subscriptions WHERE id = ${id}`,
      );
      expect(row!.secret).to.match(/^enc:v1:/);
      expect(row!.previous_secret).to.match(/^enc:v1:/);
      for (const s of [old, rotated.secret]) {
        expect(JSON.stringify(row)).to.not.contain(s.slice("whsec_".length));
      }
      // The list shows the grace period, never a secret.
      const list = (await (await call("GET", "/v1/webhooks", alice)).json()) as { webhooks: Rotated[] };
      expect(list.webhooks[0]!.previousSecretExpiresAt).to.equal(new Date(T0 + 3_600_000).toISOString());
      expect(JSON.stringify(list)).to.not.contain(rotated.secret).and.not.contain(old);
    });

    it("signs with the new secret only once the grace period is over, and drops the old one", async function () {
      const { id, secret: old } = await h.subscribe(alice, receiver.url, ["claim.status"]);
      const rotated = await rotate(id, { gracePeriodSeconds: 60 });
      h.clock.now = T0 + 60_000; // the grace period ends at exactly this instant
      const { signature, headers, body, t } = await deliverOne("after");
      expect(signature.split(" ")).to.have.length(1);
      expect(verifyWebhook(rotated.secret, headers, body, 300, t)).to.equal(true);
      expect(verifyWebhook(old, headers, body, 300, t)).to.equal(false);
      const list = (await (await call("GET", "/v1/webhooks", alice)).json()) as { webhooks: Rotated[] };
      expect(list.webhooks[0]!.previousSecretExpiresAt).to.equal(null);

      // The sender's housekeeping (run on its first round) has forgotten the expired secret for good.
      const stored = () =>
        queryRows<{ previous_secret: string | null; previous_secret_expires_at: Date | null }>(
          h.handle.db,
          sql`SELECT previous_secret, previous_secret_expires_at FROM webhook_subscriptions WHERE id = ${id}`,
        );
      expect(await stored()).to.deep.equal([{ previous_secret: null, previous_secret_expires_at: null }]);
      await rotate(id, { gracePeriodSeconds: 60 });
      h.clock.now = T0 + 120_000;
      const sender = h.sender();
      expect(await sender.dropExpiredSecrets()).to.equal(1);
      expect(await stored()).to.deep.equal([{ previous_secret: null, previous_secret_expires_at: null }]);
      expect(await sender.dropExpiredSecrets()).to.equal(0);
    });

    it("keeps an unexpired previous secret when the housekeeping runs", async function () {
      const { id } = await h.subscribe(alice, receiver.url, ["claim.status"]);
      await rotate(id, { gracePeriodSeconds: 60 });
      h.clock.now = T0 + 59_000;
      expect(await h.sender().dropExpiredSecrets()).to.equal(0);
    });

    it("on a second rotation during the grace period, signs with the newest and the one it replaced only", async function () {
      const { id, secret: first } = await h.subscribe(alice, receiver.url, ["claim.status"]);
      const second = await rotate(id, { gracePeriodSeconds: 3600 });
      h.clock.now = T0 + 600_000;
      const third = await rotate(id, { gracePeriodSeconds: 120 });
      expect(third.previousSecretExpiresAt).to.equal(new Date(T0 + 720_000).toISOString());
      const { signature, headers, body, t } = await deliverOne("twice");
      expect(signature.split(" ")).to.have.length(2);
      expect(verifyWebhook(third.secret, headers, body, 300, t)).to.equal(true);
      expect(verifyWebhook(second.secret, headers, body, 300, t)).to.equal(true);
      expect(verifyWebhook(first, headers, body, 300, t)).to.equal(false);
    });

    it("drops the old secret at once with a zero grace period, and defaults to 24 hours", async function () {
      const { id, secret: old } = await h.subscribe(alice, receiver.url, ["claim.status"]);
      const now = await rotate(id, { gracePeriodSeconds: 0 });
      expect(now.previousSecretExpiresAt).to.equal(null);
      const { signature, headers, body, t } = await deliverOne("zero");
      expect(signature.split(" ")).to.have.length(1);
      expect(verifyWebhook(now.secret, headers, body, 300, t)).to.equal(true);
      expect(verifyWebhook(old, headers, body, 300, t)).to.equal(false);

      const withoutBody = await rotate(id);
      expect(withoutBody.previousSecretExpiresAt).to.equal(
        new Date(T0 + DEFAULT_ROTATION_GRACE_SECONDS * 1000).toISOString(),
      );
      const emptyBody = await rotate(id, {});
      expect(emptyBody.previousSecretExpiresAt).to.equal(
        new Date(T0 + DEFAULT_ROTATION_GRACE_SECONDS * 1000).toISOString(),
      );
    });

    it("refuses a rotation by anyone but the owner, and changes nothing", async function () {
      const { id, secret } = await h.subscribe(alice, receiver.url, ["claim.status"]);
      const res = await call("POST", `/v1/webhooks/${id}/rotate-secret`, bob, { gracePeriodSeconds: 60 });
      expect(res.status).to.equal(404);
      expect(((await res.json()) as ErrorBody).error.code).to.equal("not_found");
      expect((await call("POST", `/v1/webhooks/${id}/rotate-secret`, null)).status).to.equal(401);
      const { signature, headers, body, t } = await deliverOne("unchanged");
      expect(signature.split(" ")).to.have.length(1);
      expect(verifyWebhook(secret, headers, body, 300, t)).to.equal(true);
      const [row] = await queryRows<{ previous_secret: string | null; secret_rotated_at: Date | null }>(
        h.handle.db,
        sql`SELECT previous_secret, secret_rotated_at FROM webhook_subscriptions WHERE id = ${id}`,
      );
      expect(row).to.deep.equal({ previous_secret: null, secret_rotated_at: null });
    });

    const invalid: Array<[string, unknown, RegExp]> = [
      [
        "a negative grace period",
        { gracePeriodSeconds: -1 },
        /gracePeriodSeconds: gracePeriodSeconds must not be negative/,
      ],
      [
        "a grace period over 7 days",
        { gracePeriodSeconds: 604_801 },
        /gracePeriodSeconds: gracePeriodSeconds must be at most 604800 \(7 days\)/,
      ],
      ["a fractional grace period", { gracePeriodSeconds: 1.5 }, /gracePeriodSeconds must be a whole number/],
      ["a grace period as a string", { gracePeriodSeconds: "3600" }, /gracePeriodSeconds/],
      ["an unknown field", { gracePeriodSeconds: 60, secret: "mine" }, /secret/],
      ["malformed JSON", "{nope", /Malformed JSON/],
    ];
    for (const [what, body, message] of invalid) {
      it(`rejects ${what} with 400 and leaves the secret alone`, async function () {
        const { id } = await h.subscribe(alice, receiver.url, ["claim.status"]);
        const res = await call("POST", `/v1/webhooks/${id}/rotate-secret`, alice, body);
        expect(res.status).to.equal(400);
        const err = (await res.json()) as ErrorBody;
        expect(err.error.code).to.equal("invalid_request");
        expect(err.error.message).to.match(message);
        const [row] = await queryRows<{ secret_rotated_at: Date | null }>(
          h.handle.db,
          sql`SELECT secret_rotated_at FROM webhook_subscriptions WHERE id = ${id}`,
        );
        expect(row!.secret_rotated_at).to.equal(null);
      });
    }

    it("rejects a malformed webhook id with 400 and an unknown one with 404", async function () {
      const bad = await call("POST", "/v1/webhooks/not-a-uuid/rotate-secret", alice);
      expect(bad.status).to.equal(400);
      expect(((await bad.json()) as ErrorBody).error.message).to.match(/webhook id must be a UUID/);
      const missing = await call("POST", "/v1/webhooks/00000000-0000-4000-8000-000000000000/rotate-secret", alice);
      expect(missing.status).to.equal(404);
    });
  });
}
