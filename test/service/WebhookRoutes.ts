import { expect } from "chai";
import { sql } from "drizzle-orm";

import { queryRows } from "../../service/src/db/client.js";
import { verifyWebhook } from "../../service/src/webhooks/verify.js";
import { harness, Receiver, waitFor, type Harness, callAs } from "./deliveryHarness.js";
import { ENGINES } from "./helpers.js";
import { insertClaim, insertTransition, randomAddress } from "./indexer.js";

type ErrorBody = { error: { code: string; message: string; details?: Array<{ path: string; message: string }> } };
type Webhook = { id: string; address: string; url: string; events: string[]; status: string; secret?: string };

const KEY = "11".repeat(32);

for (const engine of ENGINES) {
  describe(`webhook routes (${engine})`, function () {
    this.timeout(60_000);
    let h: Harness;
    const alice = randomAddress();
    const bob = randomAddress();
    beforeEach(async function () {
      h = await harness(engine, { WEBHOOK_SECRET_KEY: KEY });
    });
    afterEach(async function () {
      await h.close();
    });

    const call = (method: string, path: string, who: string | null, body?: unknown) =>
      callAs(h, method, path, who, body);

    it("creates a subscription for the signed-in address and shows its secret only once", async function () {
      const res = await call("POST", "/v1/webhooks", alice.toLowerCase(), {
        url: "https://example.org/hooks?x=1",
        events: ["claim.status", "incident.*"],
        description: "ops",
      });
      expect(res.status).to.equal(201);
      const created = (await res.json()) as Webhook;
      expect(created.address).to.equal(alice); // checksummed
      expect(created.events).to.deep.equal([
        "claim.status",
        "incident.opened",
        "incident.cancelled",
        "incident.closed",
      ]);
      // Standard Webhooks: whsec_ and base64 of the 32 key bytes.
      expect(created.secret).to.match(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(Buffer.from((created.secret ?? "").slice(6), "base64")).to.have.length(32);
      const list = (await (await call("GET", "/v1/webhooks", alice)).json()) as { webhooks: Webhook[] };
      expect(list.webhooks.map((w) => w.id)).to.deep.equal([created.id]);
      expect(list.webhooks[0]).to.not.have.property("secret");
      expect(JSON.stringify(list)).to.not.contain(created.secret);
      // Bob sees none of Alice's subscriptions.
      expect(
        ((await (await call("GET", "/v1/webhooks", bob)).json()) as { webhooks: Webhook[] }).webhooks,
      ).to.deep.equal([]);
    });

    it("stores the secret sealed with WEBHOOK_SECRET_KEY and still signs with it", async function () {
      const receiver = await Receiver.start();
      try {
        const { id, secret } = await h.subscribe(alice, receiver.url, ["claim.status"]);
        const [row] = await queryRows<{ secret: string }>(
          h.handle.db,
          sql`SELECT secret FROM webhook_subscriptions WHERE id = ${id}`,
        );
        expect(row!.secret).to.match(/^enc:v1:/);
        expect(row!.secret).to.not.contain(secret.slice("whsec_".length));
        await insertClaim(h.indexer.db, { id: 5n, claimant: alice });
        await insertTransition(h.indexer.db, { claimId: 5n, status: "Submitted", block: 1n });
        const feed = h.feed();
        const sender = h.sender();
        await feed.start();
        sender.start();
        const got = await waitFor("the delivery", () => receiver.requests[0]);
        expect(verifyWebhook(secret, got.headers, got.body)).to.equal(true);
      } finally {
        await receiver.down();
      }
    });

    it("deletes only the caller's own subscriptions; others' look missing", async function () {
      const created = (await (
        await call("POST", "/v1/webhooks", alice, { url: "https://a.example", events: ["risk.alert"] })
      ).json()) as Webhook;
      for (const [method, path] of [
        ["DELETE", `/v1/webhooks/${created.id}`],
        ["GET", `/v1/webhooks/${created.id}/deliveries`],
        ["POST", `/v1/webhooks/${created.id}/deliveries/1/redeliver`],
      ] as const) {
        const res = await call(method, path, bob);
        expect(res.status, `${method} ${path}`).to.equal(404);
        expect(((await res.json()) as ErrorBody).error.code).to.equal("not_found");
      }
      expect((await call("DELETE", `/v1/webhooks/${created.id}`, alice)).status).to.equal(204);
      expect((await call("DELETE", `/v1/webhooks/${created.id}`, alice)).status).to.equal(404);
    });

    it("answers 404 for a delivery id that is not the subscription's", async function () {
      const created = (await (
        await call("POST", "/v1/webhooks", alice, { url: "https://a.example", events: ["risk.alert"] })
      ).json()) as Webhook;
      const res = await call("POST", `/v1/webhooks/${created.id}/deliveries/999/redeliver`, alice);
      expect(res.status).to.equal(404);
    });

    it("requires a session", async function () {
      expect((await call("GET", "/v1/webhooks", null)).status).to.equal(401);
      expect(
        (await call("POST", "/v1/webhooks", null, { url: "https://a.example", events: ["risk.alert"] })).status,
      ).to.equal(401);
    });

    it("limits how many subscriptions one address holds", async function () {
      for (let i = 0; i < 25; i++) {
        expect(
          (await call("POST", "/v1/webhooks", alice, { url: `https://a.example/${i}`, events: ["risk.alert"] })).status,
        ).to.equal(201);
      }
      const res = await call("POST", "/v1/webhooks", alice, { url: "https://a.example/26", events: ["risk.alert"] });
      expect(res.status).to.equal(409);
      expect(((await res.json()) as ErrorBody).error.code).to.equal("limit_reached");
    });

    const invalid: Array<[string, unknown, RegExp]> = [
      ["a string that is not a URL", { url: "not a url", events: ["claim.status"] }, /url: not a valid absolute URL/],
      ["plain http to a public host", { url: "http://example.org/h", events: ["claim.status"] }, /url: must use https/],
      ["another scheme", { url: "ftp://example.org/h", events: ["claim.status"] }, /url: must use https/],
      ["credentials in the URL", { url: "https://u:p@example.org/h", events: ["claim.status"] }, /credentials/],
      [
        "an unknown event type",
        { url: "https://example.org", events: ["claim.nope"] },
        /events\.0: unknown event type "claim\.nope"/,
      ],
      ["no event type", { url: "https://example.org", events: [] }, /events: subscribe to at least one event type/],
      ["a missing url", { events: ["claim.status"] }, /url/],
      ["an unknown field", { url: "https://example.org", events: ["claim.status"], secret: "mine" }, /secret/],
      ["malformed JSON", "{not json", /Malformed JSON/],
    ];
    for (const [what, body, message] of invalid) {
      it(`rejects ${what} with 400 and a clear message`, async function () {
        const res = await call("POST", "/v1/webhooks", alice, body);
        expect(res.status).to.equal(400);
        const err = (await res.json()) as ErrorBody;
        expect(err.error.code).to.equal("invalid_request");
        expect(err.error.message).to.match(message);
      });
    }

    it("resolves the receiver's host name and refuses names leading to non-public addresses", async function () {
      h.dns.set("hooks.partner.example", ["93.184.215.14"]);
      h.dns.set("intranet.partner.example", ["10.1.2.3"]);
      h.dns.set("v6.partner.example", ["2606:4700:4700::1111", "fd00::5"]);
      h.dns.set("metadata.partner.example", ["169.254.169.254"]);
      const ok = await call("POST", "/v1/webhooks", alice, {
        url: "https://hooks.partner.example/in",
        events: ["claim.status"],
      });
      expect(ok.status).to.equal(201);
      const refused: Array<[string, string]> = [
        [
          "https://intranet.partner.example/in",
          "url: must not point to a non-public address: host intranet.partner.example resolves to 10.1.2.3, a private address",
        ],
        [
          "https://v6.partner.example/in",
          "url: must not point to a non-public address: host v6.partner.example resolves to fd00::5 (one of 2 addresses), a unique local address",
        ],
        [
          "https://metadata.partner.example/in",
          "url: must not point to a non-public address: host metadata.partner.example resolves to 169.254.169.254, a link-local address",
        ],
        ["https://unknown.partner.example/in", "url: host unknown.partner.example does not resolve (ENOTFOUND)"],
      ];
      for (const [url, message] of refused) {
        const res = await call("POST", "/v1/webhooks", alice, { url, events: ["claim.status"] });
        expect(res.status, url).to.equal(400);
        const err = (await res.json()) as ErrorBody;
        expect(err.error.code).to.equal("invalid_request");
        expect(err.error.message).to.equal(`invalid request: ${message}`);
        expect(err.error.details).to.deep.equal([{ path: "url", message: message.slice("url: ".length) }]);
      }
      const list = (await (await call("GET", "/v1/webhooks", alice)).json()) as { webhooks: Webhook[] };
      expect(list.webhooks.map((w) => w.url)).to.deep.equal(["https://hooks.partner.example/in"]);
    });

    it("rejects malformed ids and log queries with 400", async function () {
      const cases: Array<[string, string, RegExp]> = [
        ["DELETE", "/v1/webhooks/not-a-uuid", /id: webhook id must be a UUID/],
        ["GET", "/v1/webhooks/00000000-0000-4000-8000-000000000000/deliveries?limit=0", /limit/],
        ["GET", "/v1/webhooks/00000000-0000-4000-8000-000000000000/deliveries?status=lost", /status/],
        [
          "POST",
          "/v1/webhooks/00000000-0000-4000-8000-000000000000/deliveries/abc/redeliver",
          /delivery id must be a positive integer/,
        ],
      ];
      for (const [method, path, message] of cases) {
        const res = await call(method, path, alice);
        expect(res.status, path).to.equal(400);
        expect(((await res.json()) as ErrorBody).error.message).to.match(message);
      }
    });

    it("lists its routes in the OpenAPI document", async function () {
      const doc = (await (await h.app.request("/openapi.json")).json()) as { paths: Record<string, object> };
      expect(Object.keys(doc.paths)).to.include.members([
        "/v1/webhooks",
        "/v1/webhooks/{id}",
        "/v1/webhooks/{id}/deliveries",
        "/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver",
        "/v1/webhooks/{id}/rotate-secret",
        "/v1/alerts",
      ]);
    });
  });
}

describe("webhook receiver URLs when local receivers are not allowed", function () {
  this.timeout(30_000);
  let h: Harness;
  before(async function () {
    h = await harness("pglite", { WEBHOOK_ALLOW_LOCAL: "false" });
  });
  after(async function () {
    await h.close();
  });

  for (const url of [
    "http://127.0.0.1:9000/h",
    "https://127.0.0.1/h",
    "https://localhost/h",
    "https://10.1.2.3/h",
    "https://192.168.1.1/h",
    "https://[::1]/h",
  ]) {
    it(`rejects ${url}`, async function () {
      const res = await h.app.request("/v1/webhooks", {
        method: "POST",
        headers: { authorization: `Test ${randomAddress()}`, "content-type": "application/json" },
        body: JSON.stringify({ url, events: ["claim.status"] }),
      });
      expect(res.status).to.equal(400);
      expect(((await res.json()) as ErrorBody).error.message).to.match(
        /url: must (use https|not point to a non-public address: .*(is|resolves to .*,) a (loopback|private) address)/,
      );
    });
  }
});
