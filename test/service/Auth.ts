import { expect } from "chai";
import { Hono } from "hono";
import type { Address } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";

import { createApp } from "../../service/src/app.js";
import type { AuthVariables } from "../../service/src/auth/guards.js";
import { createSiweAuth, type SiweAuth } from "../../service/src/auth/siwe.js";
import { loadConfig } from "../../service/src/config.js";
import type { DatabaseHandle } from "../../service/src/db/client.js";
import { createLogger } from "../../service/src/http/log.js";
import { createMetricsRegistry } from "../../service/src/http/metrics.js";
import { ENGINES, freshServiceDatabase } from "./helpers.js";
import { offlineIndexer } from "./indexer.js";

// Hardhat's well-known development keys (public knowledge, never used for real funds).
const alice = privateKeyToAccount("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
const mallory = privateKeyToAccount("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a7876bd36ef12a4b4af");
const DOMAIN = "station.example:8787";
const CHAIN_ID = 31337;
const T0 = 1_800_000_000;

for (const engine of ENGINES) {
  describe(`Sign-In with Ethereum (${engine})`, function () {
    let handle: DatabaseHandle;
    let clock: number;
    let auth: SiweAuth;
    let assessors: Set<Address>;

    beforeEach(async function () {
      handle = await freshServiceDatabase(engine);
      clock = T0;
      assessors = new Set();
      auth = createSiweAuth({
        db: handle.db,
        settings: { domain: DOMAIN, chainId: CHAIN_ID, nonceTtlSeconds: 600, sessionTtlSeconds: 3600 },
        isAssessor: async (a) => assessors.has(a),
        now: () => clock,
      });
    });
    afterEach(async function () {
      await handle.close();
    });

    function app() {
      const a = createApp({
        db: handle.db,
        config: loadConfig({}),
        log: createLogger("silent"),
        auth: auth.guards,
        metrics: createMetricsRegistry({ defaults: false }),
        siwe: auth,
        indexerSource: { db: handle.db, head: async () => undefined },
        indexer: offlineIndexer(),
        now: Date.now,
      });
      const probe = new Hono<{ Variables: AuthVariables }>();
      probe.get("/probe/session", auth.guards.session, (c) => c.json({ address: c.var.address }));
      probe.get("/probe/assessor", auth.guards.assessor, (c) => c.json({ address: c.var.address }));
      a.route("/", probe);
      return a;
    }

    async function nonce(a = app()): Promise<string> {
      const res = await a.request("/v1/auth/nonce", { method: "POST" });
      expect(res.status).to.equal(200);
      const body = (await res.json()) as { nonce: string; expiresAt: number };
      expect(body.expiresAt).to.equal(T0 + 600);
      return body.nonce;
    }

    function message(n: string, overrides: Partial<Parameters<typeof createSiweMessage>[0]> = {}) {
      return createSiweMessage({
        domain: DOMAIN,
        address: alice.address,
        statement: "Sign in to Emergency Station",
        uri: `http://${DOMAIN}`,
        version: "1",
        chainId: CHAIN_ID,
        nonce: n,
        issuedAt: new Date(T0 * 1000),
        ...overrides,
      });
    }

    async function verify(a: ReturnType<typeof app>, msg: string, signature: string) {
      const res = await a.request("/v1/auth/verify", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ message: msg, signature }),
      });
      return {
        status: res.status,
        body: (await res.json()) as Record<string, unknown> & { error?: { code: string; message: string } },
      };
    }

    it("signs in with a valid message and the session guard knows the address", async function () {
      const a = app();
      const msg = message(await nonce(a));
      const { status, body } = await verify(a, msg, await alice.signMessage({ message: msg }));
      expect(status).to.equal(200);
      expect(body.address).to.equal(alice.address);
      expect(body.expiresAt).to.equal(T0 + 3600);
      const me = await a.request("/probe/session", { headers: { authorization: `Bearer ${String(body.token)}` } });
      expect(me.status).to.equal(200);
      expect(await me.json()).to.deep.equal({ address: alice.address });
    });

    it("refuses a replayed nonce", async function () {
      const a = app();
      const msg = message(await nonce(a));
      const sig = await alice.signMessage({ message: msg });
      expect((await verify(a, msg, sig)).status).to.equal(200);
      const again = await verify(a, msg, sig);
      expect(again.status).to.equal(401);
      expect(again.body.error?.message).to.match(/already used nonce/);
    });

    it("refuses a nonce the service never issued", async function () {
      const msg = message("abcdefgh12345678");
      const res = await verify(app(), msg, await alice.signMessage({ message: msg }));
      expect(res.status).to.equal(401);
      expect(res.body.error?.message).to.match(/unknown, expired or already used nonce/);
    });

    it("refuses a nonce after its time to live", async function () {
      const a = app();
      const msg = message(await nonce(a));
      clock = T0 + 601;
      const res = await verify(a, msg, await alice.signMessage({ message: msg }));
      expect(res.status).to.equal(401);
      expect(res.body.error?.message).to.match(/nonce/);
    });

    it("refuses a message for another domain", async function () {
      const a = app();
      const msg = message(await nonce(a), { domain: "phishing.example" });
      const res = await verify(a, msg, await alice.signMessage({ message: msg }));
      expect(res.status).to.equal(401);
      expect(res.body.error?.message).to.equal(
        "sign-in refused: message is for domain phishing.example, not station.example:8787",
      );
    });

    it("refuses a message for another chain", async function () {
      const a = app();
      const msg = message(await nonce(a), { chainId: 1 });
      const res = await verify(a, msg, await alice.signMessage({ message: msg }));
      expect(res.status).to.equal(401);
      expect(res.body.error?.message).to.match(/chain 1, not 31337/);
    });

    it("refuses an expired message and one not yet valid", async function () {
      const a = app();
      const expired = message(await nonce(a), { expirationTime: new Date((T0 - 1) * 1000) });
      expect((await verify(a, expired, await alice.signMessage({ message: expired }))).body.error?.message).to.match(
        /expired/,
      );
      const early = message(await nonce(a), { notBefore: new Date((T0 + 60) * 1000) });
      expect((await verify(a, early, await alice.signMessage({ message: early }))).body.error?.message).to.match(
        /not yet valid/,
      );
    });

    it("refuses a signature by another key and keeps the nonce usable by its owner", async function () {
      const a = app();
      const msg = message(await nonce(a));
      const forged = await verify(a, msg, await mallory.signMessage({ message: msg }));
      expect(forged.status).to.equal(401);
      expect(forged.body.error?.message).to.match(/signature does not match/);
      expect((await verify(a, msg, await alice.signMessage({ message: msg }))).status).to.equal(200);
    });

    it("answers malformed input with 400 and the error shape", async function () {
      const a = app();
      const notSiwe = await verify(a, "hello", "0x1234");
      expect(notSiwe.status).to.equal(400);
      expect(notSiwe.body.error?.code).to.equal("invalid_request");
      const badSig = await verify(a, message("abcdefgh12345678"), "not-hex");
      expect(badSig.status).to.equal(400);
      expect(badSig.body.error?.message).to.match(/signature must be 0x-prefixed hex/);
      const noBody = await a.request("/v1/auth/verify", { method: "POST" });
      expect(noBody.status).to.equal(400);
    });

    it("refuses missing, unknown and expired session tokens", async function () {
      const a = app();
      expect((await a.request("/probe/session")).status).to.equal(401);
      const bogus = await a.request("/probe/session", { headers: { authorization: "Bearer " + "x".repeat(43) } });
      expect(bogus.status).to.equal(401);
      const msg = message(await nonce(a));
      const { body } = await verify(a, msg, await alice.signMessage({ message: msg }));
      clock = T0 + 3600;
      const late = await a.request("/probe/session", { headers: { authorization: `Bearer ${String(body.token)}` } });
      expect(late.status).to.equal(401);
    });

    it("lets only holders of the assessor role past the assessor guard", async function () {
      const a = app();
      const msg = message(await nonce(a));
      const { body } = await verify(a, msg, await alice.signMessage({ message: msg }));
      const headers = { authorization: `Bearer ${String(body.token)}` };
      const refused = await a.request("/probe/assessor", { headers });
      expect(refused.status).to.equal(403);
      expect(((await refused.json()) as { error: { code: string } }).error.code).to.equal("forbidden");
      assessors.add(alice.address);
      expect((await a.request("/probe/assessor", { headers })).status).to.equal(200);
    });

    it("ends a session on logout", async function () {
      const a = app();
      const msg = message(await nonce(a));
      const { body } = await verify(a, msg, await alice.signMessage({ message: msg }));
      const headers = { authorization: `Bearer ${String(body.token)}` };
      expect((await a.request("/v1/auth/logout", { method: "POST", headers })).status).to.equal(204);
      expect((await a.request("/probe/session", { headers })).status).to.equal(401);
    });
  });
}
