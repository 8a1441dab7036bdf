/**
 * Request hygiene (service/src/http/hygiene.ts): request ids, the access log, body limits,
 * security headers and the page's content security policy, the nonce rate limit, and the purge
 * of expired sign-in records.
 */
import { expect } from "chai";
import { sql } from "drizzle-orm";

import { createApp } from "../../service/src/app.js";
import { createSiweAuth, type SiweAuth } from "../../service/src/auth/siwe.js";
import { loadConfig } from "../../service/src/config.js";
import { queryRows, type DatabaseHandle } from "../../service/src/db/client.js";
import { FixedWindowLimiter } from "../../service/src/http/hygiene.js";
import { createMetricsRegistry } from "../../service/src/http/metrics.js";
import type { Logger } from "../../service/src/http/router.js";
import { testGuards } from "./guards.js";
import { ENGINES, freshServiceDatabase } from "./helpers.js";
import { ASSESSOR, offlineIndexer } from "./indexer.js";

const T0 = 1_800_000_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type Line = { level: string; msg: string; fields: Record<string, unknown> | undefined };

for (const engine of ENGINES) {
  describe(`service request hygiene (${engine})`, function () {
    let handle: DatabaseHandle;
    let clock: number;
    let siwe: SiweAuth;
    let lines: Line[];

    beforeEach(async function () {
      handle = await freshServiceDatabase(engine);
      clock = T0;
      lines = [];
      siwe = createSiweAuth({
        db: handle.db,
        settings: { domain: "station.example", chainId: 31337, nonceTtlSeconds: 600, sessionTtlSeconds: 3600 },
        isAssessor: async () => false,
        now: () => clock,
      });
    });
    afterEach(async function () {
      await handle.close();
    });

    function app(env: Record<string, string> = {}) {
      const log: Logger = {
        info: (msg, fields) => lines.push({ level: "info", msg, fields }),
        warn: (msg, fields) => lines.push({ level: "warn", msg, fields }),
        error: (msg, fields) => lines.push({ level: "error", msg, fields }),
      };
      return createApp({
        db: handle.db,
        config: loadConfig({ RPC_URL: "http://127.0.0.1:9545", ...env }),
        log,
        auth: testGuards([ASSESSOR]),
        metrics: createMetricsRegistry({ defaults: false }),
        siwe,
        indexerSource: { db: handle.db, head: async () => undefined },
        indexer: offlineIndexer(),
        now: () => clock * 1000,
      });
    }

    it("gives every response a request id, keeps a caller's well-formed one, and puts it in error bodies", async function () {
      const a = app();
      const fresh = await a.request("/health");
      expect(fresh.headers.get("x-request-id")).to.match(UUID);

      const kept = await a.request("/v1/nowhere", { headers: { "X-Request-Id": "support-ticket-42" } });
      expect(kept.status).to.equal(404);
      expect(kept.headers.get("x-request-id")).to.equal("support-ticket-42");
      const body = (await kept.json()) as { error: { code: string; requestId: string } };
      expect(body.error).to.include({ code: "not_found", requestId: "support-ticket-42" });

      // A validation failure inside a feature app, and an id that is not a short token (replaced).
      const invalid = await a.request("/v1/claims/x", { headers: { "X-Request-Id": "two words" } });
      expect(invalid.status).to.equal(400);
      const id = invalid.headers.get("x-request-id");
      expect(id).to.match(UUID);
      expect(((await invalid.json()) as { error: { code: string; requestId: string } }).error).to.include({
        code: "invalid_request",
        requestId: id,
      });
    });

    it("logs one line per request with method, path, status, time and request id, never the query", async function () {
      const a = app();
      const res = await a.request("/v1/claims/x?token=secret-value", { headers: { "X-Request-Id": "req-1" } });
      expect(res.status).to.equal(400);
      const access = lines.filter((l) => l.msg === "request");
      expect(access).to.have.length(1);
      const fields = access[0]!.fields!;
      expect(fields).to.include({ method: "GET", path: "/v1/claims/x", status: 400, requestId: "req-1" });
      expect(fields.ms).to.be.a("number").and.to.be.at.least(0);
      expect(JSON.stringify(lines)).not.to.contain("secret-value");
    });

    it("refuses bodies over the route class's limit with 413 in the error shape", async function () {
      const a = app();
      const big = (bytes: number) => JSON.stringify({ message: "x".repeat(bytes), signature: "0x" });
      const post = (path: string, body: string) =>
        a.request(path, { method: "POST", headers: { "content-type": "application/json" }, body });

      const signIn = await post("/v1/auth/verify", big(17 * 1024));
      expect(signIn.status).to.equal(413);
      const refused = (await signIn.json()) as { error: { code: string; details: { maxBytes: number } } };
      expect(refused.error.code).to.equal("payload_too_large");
      expect(refused.error.details.maxBytes).to.equal(16 * 1024);
      // Under the public limit the body reaches the route (which refuses the message itself).
      expect((await post("/v1/auth/verify", big(8 * 1024))).status).to.equal(400);
      // Subscriptions may be larger, up to 64 KiB.
      expect((await post("/v1/webhooks", big(20 * 1024))).status).not.to.equal(413);
      expect((await post("/v1/webhooks", big(65 * 1024))).status).to.equal(413);
    });

    it("sends security headers, and a policy that allows only the station's own scripts", async function () {
      const a = app();
      for (const path of ["/", "/health", "/docs"]) {
        const res = await a.request(path);
        expect(res.headers.get("x-content-type-options"), path).to.equal("nosniff");
        expect(res.headers.get("x-frame-options"), path).to.equal("SAMEORIGIN");
        expect(res.headers.get("referrer-policy"), path).to.equal("no-referrer");
        expect(res.headers.get("cross-origin-resource-policy"), path).to.equal("same-origin");
        const csp = res.headers.get("content-security-policy") ?? "";
        const directive = (name: string) =>
          csp
            .split(";")
            .map((d) => d.trim())
            .find((d) => d.startsWith(`${name} `));
        expect(directive("script-src"), path).to.equal("script-src 'self'");
        expect(directive("connect-src"), path).to.equal("connect-src 'self' http://127.0.0.1:9545");
        expect(directive("object-src"), path).to.equal("object-src 'none'");
      }
      // The docs page has no inline script (its script is a file), so the policy does not break it.
      const docs = await (await a.request("/docs")).text();
      expect(docs).to.match(/<script type="module" src="\/docs\.js"><\/script>/);
      expect(docs.match(/<script(?![^>]*\ssrc=)[^>]*>/g)).to.equal(null);
      expect((await a.request("/docs.js")).headers.get("content-type")).to.match(/^text\/javascript/);
      // Other sites load the embeddable button.
      expect((await a.request("/embed.js")).headers.get("cross-origin-resource-policy")).to.equal("cross-origin");
    });

    it("limits nonce requests per client address with 429 and Retry-After, per window", async function () {
      const a = app({ AUTH_NONCE_PER_IP_PER_MINUTE: "3" });
      const ask = () => a.request("/v1/auth/nonce", { method: "POST" });
      for (let i = 0; i < 3; i++) expect((await ask()).status).to.equal(200);
      clock += 20;
      const limited = await ask();
      expect(limited.status).to.equal(429);
      expect(limited.headers.get("retry-after")).to.equal("40");
      const body = (await limited.json()) as { error: { code: string; details: unknown } };
      expect(body.error.code).to.equal("rate_limited");
      expect(body.error.details).to.deep.equal({ limit: 3, windowSeconds: 60 });
      // Only 3 nonces were stored: the refused request never reached the route.
      expect(await queryRows(handle.db, sql`SELECT nonce FROM auth_nonces`)).to.have.length(3);
      clock += 40;
      expect((await ask()).status).to.equal(200);
    });

    it("purges nonces and sessions past their expiry and keeps the live ones", async function () {
      await siwe.issueNonce();
      await siwe.issueNonce();
      await handle.db.execute(
        sql`INSERT INTO auth_sessions (token_hash, address, created_at, expires_at) VALUES
            ('old', ${ASSESSOR}, ${T0 - 7200}, ${T0 - 3600}), ('live', ${ASSESSOR}, ${T0}, ${T0 + 3600})`,
      );
      expect(await siwe.purgeExpired()).to.deep.equal({ nonces: 0, sessions: 1 });
      clock = T0 + 600;
      const fresh = await siwe.issueNonce();
      expect(await siwe.purgeExpired()).to.deep.equal({ nonces: 2, sessions: 0 });
      const nonces = await queryRows<{ nonce: string }>(handle.db, sql`SELECT nonce FROM auth_nonces`);
      expect(nonces.map((n) => n.nonce)).to.deep.equal([fresh.nonce]);
      const sessions = await queryRows<{ token_hash: string }>(handle.db, sql`SELECT token_hash FROM auth_sessions`);
      expect(sessions.map((s) => s.token_hash)).to.deep.equal(["live"]);
    });
  });
}

describe("fixed-window limiter", function () {
  it("counts each key on its own and starts a fresh window when one ends", function () {
    let t = 0;
    const limiter = new FixedWindowLimiter(2, 1000, () => t);
    expect(limiter.hit("a")).to.deep.equal({ allowed: true });
    expect(limiter.hit("a")).to.deep.equal({ allowed: true });
    expect(limiter.hit("b")).to.deep.equal({ allowed: true });
    t = 400;
    expect(limiter.hit("a")).to.deep.equal({ allowed: false, retryAfterSeconds: 1 });
    t = 1000;
    expect(limiter.hit("a")).to.deep.equal({ allowed: true });
  });

  it("stays bounded: at capacity, expired windows go first, then everything", function () {
    let t = 0;
    const limiter = new FixedWindowLimiter(1, 1000, () => t, 2);
    limiter.hit("a");
    t = 500;
    limiter.hit("b");
    t = 1200;
    // "a" has expired and is evicted; "b" is still counted.
    limiter.hit("c");
    expect(limiter.hit("b")).to.deep.equal({ allowed: false, retryAfterSeconds: 1 });
  });
});
