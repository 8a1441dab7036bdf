import { createHmac } from "node:crypto";

import { expect } from "chai";

import { loadConfig } from "../../service/src/config.js";
import { decodeEventId, encodeEventId } from "../../service/src/feed/eventId.js";
import { generateSecret, SecretBox } from "../../service/src/webhooks/secrets.js";
import { signatureHeader, verifyWebhookSignature } from "../../service/src/webhooks/verify.js";

describe("webhook signatures", function () {
  const secret = "whsec_test";
  const body = '{"id":"31337:0xabc:1","type":"claim.status"}';
  const now = 1_700_000_000;

  it("is HMAC-SHA256 over `<timestamp>.<body>` with the secret, in `t=…,v1=<hex>`", function () {
    const expected = createHmac("sha256", secret).update(`${now}.${body}`).digest("hex");
    expect(signatureHeader(secret, now, body)).to.equal(`t=${now},v1=${expected}`);
  });

  it("verifies the raw body as a string or as bytes, within the tolerance", function () {
    const header = signatureHeader(secret, now, body);
    expect(verifyWebhookSignature(secret, header, body, 300, now + 300)).to.equal(true);
    expect(verifyWebhookSignature(secret, header, Buffer.from(body), 300, now - 300)).to.equal(true);
    expect(verifyWebhookSignature(secret, header, body, 300, now + 301)).to.equal(false);
  });

  it("accepts any of several v1 signatures (secret rotation)", function () {
    const header = `${signatureHeader("old", now, body)},v1=${signatureHeader(secret, now, body).split("v1=")[1]}`;
    expect(verifyWebhookSignature(secret, header, body, 300, now)).to.equal(true);
  });

  it("signs with every given secret, in order, one v1 entry each (a rotation's grace period)", function () {
    const header = signatureHeader(["new", "old"], now, body);
    const mac = (k: string) => createHmac("sha256", k).update(`${now}.${body}`).digest("hex");
    expect(header).to.equal(`t=${now},v1=${mac("new")},v1=${mac("old")}`);
    expect(verifyWebhookSignature("new", header, body, 300, now)).to.equal(true);
    expect(verifyWebhookSignature("old", header, body, 300, now)).to.equal(true);
    expect(verifyWebhookSignature("other", header, body, 300, now)).to.equal(false);
  });

  it("verifies against several secrets a receiver holds while it switches over", function () {
    const byOld = signatureHeader("old", now, body);
    const byNew = signatureHeader("new", now, body);
    expect(verifyWebhookSignature(["new", "old"], byOld, body, 300, now)).to.equal(true);
    expect(verifyWebhookSignature(["new", "old"], byNew, body, 300, now)).to.equal(true);
    expect(verifyWebhookSignature(["new"], byOld, body, 300, now)).to.equal(false);
    expect(verifyWebhookSignature([], byNew, body, 300, now)).to.equal(false);
  });

  it("rejects missing, malformed or foreign headers", function () {
    const good = signatureHeader(secret, now, body);
    for (const header of [
      undefined,
      null,
      "",
      "t=abc,v1=00",
      good.replace(/t=\d+,/, ""),
      good.replace(/,v1=.*/, ""),
      good.replace("v1=", "v0="),
      `${good}x`,
      "garbage",
    ]) {
      expect(verifyWebhookSignature(secret, header, body, 300, now), String(header)).to.equal(false);
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
