import { createHmac } from "node:crypto";

import { expect } from "chai";
import { Webhook } from "standardwebhooks";

import { loadConfig } from "../../service/src/config.js";
import { decodeEventId, encodeEventId } from "./eventId.js";
import { generateSecret, SecretBox } from "../../service/src/webhooks/secrets.js";
import { signatureHeader, verifyWebhook, webhookHeaders } from "../../service/src/webhooks/verify.js";

describe("webhook signatures (Standard Webhooks)", function () {
  const key = Buffer.alloc(32, 9);
  const secret = `whsec_${key.toString("base64")}`;
  const body = '{"id":"31337:0xabc:1","type":"claim.status"}';
  const id = "claim:31337:0xabc:1";
  const now = 1_700_000_000;
  const headers = (signature: string, ts = now, msgId = id) => ({
    "webhook-id": msgId,
    "webhook-timestamp": String(ts),
    "webhook-signature": signature,
  });

  it("is base64 HMAC-SHA256 over `<id>.<timestamp>.<body>` keyed by the secret's base64 bytes, as `v1,<base64>`", function () {
    const expected = createHmac("sha256", key).update(`${id}.${now}.${body}`).digest("base64");
    expect(signatureHeader(secret, id, now, body)).to.equal(`v1,${expected}`);
    expect(webhookHeaders(secret, id, now, body)).to.deep.equal(headers(`v1,${expected}`));
    // The reference library signs the same bytes the same way.
    expect(new Webhook(secret).sign(id, new Date(now * 1000), body)).to.equal(`v1,${expected}`);
  });

  it("verifies the raw body as a string or as bytes, within the tolerance", function () {
    const h = headers(signatureHeader(secret, id, now, body));
    expect(verifyWebhook(secret, h, body, 300, now + 300)).to.equal(true);
    expect(verifyWebhook(secret, new Headers(h), Buffer.from(body), 300, now - 300)).to.equal(true);
    expect(verifyWebhook(secret, h, body, 300, now + 301)).to.equal(false);
    expect(verifyWebhook(secret, h, `${body} `, 300, now)).to.equal(false);
    // The id is signed: the same signature under another message id does not verify.
    expect(verifyWebhook(secret, { ...h, "webhook-id": "other" }, body, 300, now)).to.equal(false);
  });

  it("signs with every given secret, in order, space-separated (a rotation's grace period)", function () {
    const other = `whsec_${Buffer.alloc(32, 3).toString("base64")}`;
    const signature = signatureHeader([secret, other], id, now, body);
    const entries = signature.split(" ");
    expect(entries).to.deep.equal([signatureHeader(secret, id, now, body), signatureHeader(other, id, now, body)]);
    expect(verifyWebhook(secret, headers(signature), body, 300, now)).to.equal(true);
    expect(verifyWebhook(other, headers(signature), body, 300, now)).to.equal(true);
    expect(
      verifyWebhook(`whsec_${Buffer.alloc(32, 4).toString("base64")}`, headers(signature), body, 300, now),
    ).to.equal(false);
  });

  it("verifies against several secrets a receiver holds while it switches over", function () {
    const older = `whsec_${Buffer.alloc(32, 1).toString("base64")}`;
    const byOld = headers(signatureHeader(older, id, now, body));
    const byNew = headers(signatureHeader(secret, id, now, body));
    expect(verifyWebhook([secret, older], byOld, body, 300, now)).to.equal(true);
    expect(verifyWebhook([secret, older], byNew, body, 300, now)).to.equal(true);
    expect(verifyWebhook([secret], byOld, body, 300, now)).to.equal(false);
    expect(verifyWebhook([], byNew, body, 300, now)).to.equal(false);
  });

  it("rejects missing, malformed or foreign headers", function () {
    const good = signatureHeader(secret, id, now, body);
    for (const h of [
      {},
      headers(""),
      headers("garbage"),
      headers(good.replace("v1,", "v0,")),
      headers(good.replace("v1,", "v1=")),
      headers(`${good}x`),
      headers(good.slice(0, -2)),
      headers(good, Number.NaN),
      { "webhook-timestamp": String(now), "webhook-signature": good },
      { "webhook-id": id, "webhook-signature": good },
      { ...headers(good), "webhook-timestamp": "soon" },
    ]) {
      expect(verifyWebhook(secret, h, body, 300, now), JSON.stringify(h)).to.equal(false);
    }
  });
});

describe("webhook secrets at rest", function () {
  const key = Buffer.alloc(32, 7);

  it("seals with AES-256-GCM bound to the subscription id, and opens only with the same key and id", function () {
    const secret = generateSecret();
    const box = new SecretBox(key);
    const sealed = box.seal(secret, "sub-1");
    expect(sealed).to.match(/^enc:v1:[A-Za-z0-9+/=]+$/);
    expect(sealed).to.not.contain(secret);
    expect(box.open(sealed, "sub-1")).to.equal(secret);
    expect(() => box.open(sealed, "sub-2")).to.throw();
    expect(() => new SecretBox(Buffer.alloc(32, 8)).open(sealed, "sub-1")).to.throw();
    expect(() => new SecretBox(undefined).open(sealed, "sub-1")).to.throw(/WEBHOOK_SECRET_KEY/);
  });

  it("stores secrets as they are without a key (local mode), and still opens them once a key is set", function () {
    const sealed = new SecretBox(undefined).seal("whsec_x", "sub-1");
    expect(sealed).to.equal("plain:whsec_x");
    expect(new SecretBox(key).open(sealed, "sub-1")).to.equal("whsec_x");
  });
});

describe("delivery configuration", function () {
  it("allows local receivers and no confirmations by default in local mode", function () {
    const c = loadConfig({});
    expect(c.mode).to.equal("local");
    expect(c.webhooks.allowLocal).to.equal(true);
    expect(c.feed.confirmations).to.equal(0);
    expect(c.webhooks.leaseMs).to.equal(c.webhooks.timeoutMs + 30_000);
  });

  it("requires a secret key in production, and then refuses local receivers and waits for confirmations", function () {
    expect(() => loadConfig({ SERVICE_MODE: "production" })).to.throw(/WEBHOOK_SECRET_KEY: required in production/);
    const c = loadConfig({ SERVICE_MODE: "production", WEBHOOK_SECRET_KEY: "ab".repeat(32) });
    expect(c.webhooks.allowLocal).to.equal(false);
    expect(c.webhooks.secretKey?.length).to.equal(32);
    expect(c.feed.confirmations).to.equal(12);
  });

  it("rejects inconsistent or malformed delivery settings", function () {
    expect(() => loadConfig({ WEBHOOK_SECRET_KEY: "short" })).to.throw(/WEBHOOK_SECRET_KEY: must be 32 bytes/);
    expect(() => loadConfig({ WEBHOOK_TIMEOUT_MS: "5000", WEBHOOK_LEASE_MS: "4000" })).to.throw(/WEBHOOK_LEASE_MS/);
    expect(() => loadConfig({ WEBHOOK_RETRY_BASE_MS: "5000", WEBHOOK_RETRY_MAX_MS: "10" })).to.throw(
      /WEBHOOK_RETRY_MAX_MS/,
    );
    expect(() => loadConfig({ SLA_AT_RISK_FRACTION: "1.5" })).to.throw(/SLA_AT_RISK_FRACTION/);
    expect(() => loadConfig({ FEED_LIVE: "maybe" })).to.throw(/FEED_LIVE/);
  });
});

describe("Ponder event ids", function () {
  it("decode to chain, block and log index, and sort in chain order", function () {
    const a = encodeEventId({
      blockTimestamp: 1_700_000_000n,
      chainId: 31337n,
      blockNumber: 9n,
      transactionIndex: 2n,
      logIndex: 11n,
    });
    const b = encodeEventId({
      blockTimestamp: 1_700_000_002n,
      chainId: 31337n,
      blockNumber: 10n,
      transactionIndex: 0n,
      logIndex: 0n,
    });
    expect(a).to.have.length(75);
    expect(a < b).to.equal(true);
    expect(decodeEventId(a)).to.deep.equal({
      blockTimestamp: 1_700_000_000n,
      chainId: 31337n,
      blockNumber: 9n,
      transactionIndex: 2n,
      logIndex: 11n,
    });
    expect(decodeEventId("0xabc-1")).to.equal(undefined);
  });
});
