/**
 * The assessors' desk through the service's routes, with the real Sign-In with Ethereum flow and
 * the indexer's tables in a test database: only staff (roles read on every request) reach it, a
 * claim is held by one assessor at a time, and only its holder releases it.
 */
import { expect } from "chai";
import { sql } from "drizzle-orm";
import { getAddress, type Address } from "viem";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";

import { createApp } from "../../service/src/app.js";
import type { StaffRole } from "../../service/src/auth/onchain.js";
import { createSiweAuth } from "../../service/src/auth/siwe.js";
import { loadConfig } from "../../service/src/config.js";
import type { DatabaseHandle } from "../../service/src/db/client.js";
import { createLogger } from "../../service/src/http/log.js";
import { createMetricsRegistry } from "../../service/src/http/metrics.js";
import { ENGINES, freshServiceDatabase } from "./helpers.js";
import { freshIndexerDatabase, insertClaims, testReader } from "./indexer.js";

// Hardhat's well-known development keys (public knowledge, never used for real funds).
const claimant = privateKeyToAccount("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a7876bd36ef12a4b4af");
const ann = privateKeyToAccount("0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a");
const ben = privateKeyToAccount("0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6");
const guardian = privateKeyToAccount("0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a");
// A lead: assessor and guardian both.
const lead = privateKeyToAccount("0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba");
const POOL = getAddress("0x5fbdb2315678afecb367f032d93f642f64180aa3");
const CHAIN_ID = 31337;
const DOMAIN = "station.test";

type Assignment = { claimId: string; assessor: string; takenAt: number };

for (const engine of ENGINES) {
  describe(`assessors' desk (${engine})`, function () {
    this.timeout(30_000);
    let service: DatabaseHandle;
    let indexer: DatabaseHandle;
    let staff: Map<Address, StaffRole[]>;
    let roleChecks: Address[];
    let clock: number;
    let app: ReturnType<typeof createApp>;

    beforeEach(async function () {
      service = await freshServiceDatabase(engine);
      indexer = await freshIndexerDatabase(engine);
      staff = new Map([
        [ann.address, ["assessor"]],
        [ben.address, ["assessor"]],
        [guardian.address, ["guardian"]],
      ]);
      roleChecks = [];
      clock = Math.floor(Date.now() / 1000);
      const siwe = createSiweAuth({
        db: service.db,
        settings: { domain: DOMAIN, chainId: CHAIN_ID, nonceTtlSeconds: 600, sessionTtlSeconds: 3600 },
        isAssessor: async (a) => staff.get(a)?.includes("assessor") ?? false,
        now: () => clock,
      });
      const head = { current: { number: 100n, timestamp: BigInt(clock) } };
      app = createApp({
        db: service.db,
        config: loadConfig({ POOL_ADDRESS: POOL, CHAIN_ID: String(CHAIN_ID) }),
        log: createLogger("silent"),
        auth: siwe.guards,
        siwe,
        metrics: createMetricsRegistry({ defaults: false }),
        indexerSource: { db: indexer.db, head: async () => undefined },
        indexer: testReader(indexer.db, head),
        now: () => clock * 1000,
        staffRoles: async (a) => {
          roleChecks.push(a);
          return staff.get(a) ?? [];
        },
      });
      await insertClaims(indexer.db, [
        { id: 1n, claimant: claimant.address, kind: "DataApiOutage", tier: 0, submittedAt: BigInt(clock - 60) },
        { id: 2n, claimant: claimant.address, kind: "MissingReward", tier: 1, submittedAt: BigInt(clock - 30) },
      ]);
    });
    afterEach(async function () {
      await service.close();
      await indexer.close();
    });

    async function signIn(wallet: PrivateKeyAccount): Promise<string> {
      const { nonce } = (await (await app.request("/v1/auth/nonce", { method: "POST" })).json()) as { nonce: string };
      const message = createSiweMessage({
        domain: DOMAIN,
        address: wallet.address,
        uri: `https://${DOMAIN}`,
        version: "1",
        chainId: CHAIN_ID,
        nonce,
        issuedAt: new Date(clock * 1000),
        expirationTime: new Date((clock + 3600) * 1000),
      });
      const res = await app.request("/v1/auth/verify", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ message, signature: await wallet.signMessage({ message }) }),
      });
      expect(res.status).to.equal(200);
      return ((await res.json()) as { token: string }).token;
    }
    const call = (token: string | undefined, method: string, path: string) =>
      app.request(path, { method, headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
    const take = (token: string, id: string | bigint) => call(token, "POST", `/v1/desk/claims/${id}/take`);
    const release = (token: string, id: string | bigint) => call(token, "DELETE", `/v1/desk/claims/${id}/take`);
    const list = async (token: string) => {
      const res = await call(token, "GET", "/v1/desk/assignments");
      expect(res.status).to.equal(200);
      return (await res.json()) as Assignment[];
    };
    const code = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

    it("tells a member of staff their address and on-chain roles", async function () {
      const token = await signIn(guardian);
      const res = await call(token, "GET", "/v1/desk/me");
      expect(res.status).to.equal(200);
      expect(await res.json()).to.deep.equal({ address: guardian.address, roles: ["guardian"] });
    });

    it("answers 401 without a session and 403 to a signed-in account with no staff role, on every route", async function () {
      const routes: Array<[string, string]> = [
        ["GET", "/v1/desk/me"],
        ["GET", "/v1/desk/assignments"],
        ["POST", "/v1/desk/claims/1/take"],
        ["DELETE", "/v1/desk/claims/1/take"],
        ["GET", "/v1/desk/payouts"],
      ];
      const token = await signIn(claimant);
      for (const [method, path] of routes) {
        expect((await call(undefined, method, path)).status, `${method} ${path}`).to.equal(401);
        const res = await call(token, method, path);
        expect(res.status, `${method} ${path}`).to.equal(403);
        expect(await code(res)).to.equal("forbidden");
      }
      expect(await list(await signIn(ann))).to.deep.equal([]);
    });

    it("reads the roles from the chain on every request: a revoked assessor is refused at once", async function () {
      const token = await signIn(ann);
      expect((await take(token, 1n)).status).to.equal(201);
      const before = roleChecks.length;
      await list(token);
      expect(roleChecks.length).to.equal(before + 1);
      staff.delete(ann.address);
      expect((await call(token, "GET", "/v1/desk/me")).status).to.equal(403);
      expect((await release(token, 1n)).status).to.equal(403);
    });

    it("lets one assessor take a claim, answers 409 naming the holder to another, and lists it", async function () {
      const a = await signIn(ann);
      const b = await signIn(ben);
      const first = await take(a, 1n);
      expect(first.status).to.equal(201);
      expect(await first.json()).to.deep.equal({ claimId: "1", assessor: ann.address, takenAt: clock });
      // Taking it again is harmless and keeps the first time.
      clock += 5;
      const again = await take(a, 1n);
      expect(again.status).to.equal(200);
      expect(((await again.json()) as Assignment).takenAt).to.equal(clock - 5);

      const refused = await take(b, 1n);
      expect(refused.status).to.equal(409);
      const body = (await refused.json()) as { error: { code: string; details: Assignment } };
      expect(body.error.code).to.equal("taken");
      expect(body.error.details.assessor).to.equal(ann.address);
      expect((await take(b, 2n)).status).to.equal(201);

      expect(await list(b)).to.deep.equal([
        { claimId: "1", assessor: ann.address, takenAt: clock - 5 },
        { claimId: "2", assessor: ben.address, takenAt: clock },
      ]);
    });

    it("takes a claim over from a colleague quiet on it for 15 minutes, at once for a lead or a revoked holder, and records why", async function () {
      staff.set(lead.address, ["assessor", "guardian"]);
      const a = await signIn(ann);
      const b = await signIn(ben);
      const takeOver = (token: string, id: bigint, reason: string) =>
        app.request(`/v1/desk/claims/${id}/takeover`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({ reason }),
        });
      expect((await take(a, 1n)).status).to.equal(201);
      const takenAt = clock;

      // Ann is active: refused, saying from when.
      clock += 600;
      const early = await takeOver(b, 1n, "Ann's shift ended");
      expect(early.status).to.equal(409);
      const refusal = (await early.json()) as { error: { code: string; details: { allowedAt: number } } };
      expect(refusal.error.code).to.equal("not_idle");
      expect(refusal.error.details.allowedAt).to.equal(takenAt + 900);
      // A message from Ann on the case restarts her 15 minutes.
      await service.db
        .execute(sql`INSERT INTO case_delegations (id, address, session_key, message, signature, created_at)
          VALUES ('d1', ${ann.address.toLowerCase()}, '0x', 'm', '0x', ${clock})`);
      await service.db
        .execute(sql`INSERT INTO case_messages (claim_id, seq, hash, prev, author, role, signature, delegation_id, at, created_at, kind, tier)
          VALUES ('1', 1, '0xaa', '0xbb', ${ann.address.toLowerCase()}, 'assessor', '0x', 'd1', ${clock}, ${clock}, 'DataApiOutage', 0)`);
      clock += 600; // 1,200 s after taking it, 600 s after her message
      const stillActive = (await (await takeOver(b, 1n, "Ann's shift ended")).json()) as typeof refusal;
      expect(stillActive.error.details.allowedAt).to.equal(clock - 600 + 900);
      clock += 300;
      const idle = await takeOver(b, 1n, "Ann's shift ended");
      expect(idle.status).to.equal(201);
      expect(await idle.json()).to.deep.equal({
        assignment: { claimId: "1", assessor: ben.address, takenAt: clock },
        from: ann.address,
        grounds: "idle",
        reason: "Ann's shift ended",
      });
      expect((await take(a, 1n)).status, "Ann now meets Ben's hold").to.equal(409);

      // Ben loses the assessor role: his claim can be taken over at once.
      expect((await take(b, 2n)).status).to.equal(201);
      staff.delete(ben.address);
      const revoked = (await (await takeOver(a, 2n, "Ben left the team")).json()) as { grounds: string };
      expect(revoked.grounds).to.equal("revoked");
      // A lead reassigns at once, whoever holds it.
      const l = await signIn(lead);
      const led = await takeOver(l, 2n, "escalated to me");
      expect(led.status).to.equal(201);
      expect(((await led.json()) as { grounds: string; from: string }).grounds).to.equal("lead");

      const history = await call(a, "GET", "/v1/desk/claims/2/takeovers");
      expect(await history.json()).to.deep.equal([
        { from: ben.address, to: ann.address, at: clock, grounds: "revoked", reason: "Ben left the team" },
        { from: ann.address, to: lead.address, at: clock, grounds: "lead", reason: "escalated to me" },
      ]);
      // Bad input: no reason, an unknown claim, a guardian without the assessor role.
      expect((await takeOver(a, 1n, "  ")).status).to.equal(400);
      expect((await takeOver(a, 99n, "why not")).status).to.equal(404);
      expect((await takeOver(await signIn(guardian), 1n, "mine")).status).to.equal(403);
      // A free claim is simply taken.
      expect((await release(l, 2n)).status).to.equal(200);
      expect(await (await takeOver(a, 2n, "free")).json()).to.deep.equal({
        claimId: "2",
        assessor: ann.address,
        takenAt: clock,
      });
    });

    it("lets only the holder release a claim; a released claim is free for the next assessor", async function () {
      const a = await signIn(ann);
      const b = await signIn(ben);
      expect((await take(a, 1n)).status).to.equal(201);
      const foreign = await release(b, 1n);
      expect(foreign.status).to.equal(409);
      expect(await code(foreign)).to.equal("taken");
      expect(await list(a)).to.have.length(1);

      const released = await release(a, 1n);
      expect(released.status).to.equal(200);
      expect(((await released.json()) as Assignment).assessor).to.equal(ann.address);
      expect(await list(a)).to.deep.equal([]);
      expect((await release(a, 1n)).status).to.equal(404);
      expect((await take(b, 1n)).status).to.equal(201);
    });

    it("refuses guardians taking claims, unknown claims and malformed ids", async function () {
      const g = await signIn(guardian);
      const refused = await take(g, 1n);
      expect(refused.status).to.equal(403);
      expect(await list(g)).to.deep.equal([]);
      const a = await signIn(ann);
      const unknown = await take(a, 99n);
      expect(unknown.status).to.equal(404);
      expect(await code(unknown)).to.equal("not_found");
      expect((await take(a, "01")).status).to.equal(400);
      expect((await take(a, "x")).status).to.equal(400);
      expect(await list(a)).to.deep.equal([]);
    });

    it("lists approved payouts still in their veto window for guardians, and not those already payable", async function () {
      const approved = (id: bigint, payableAt: bigint) => ({
        id,
        claimant: claimant.address,
        submittedAt: BigInt(clock - 600),
        amountRequested: 2000n * 10n ** 18n,
        amountApproved: 1500n * 10n ** 18n,
        payableAt,
        steps: [
          { status: "Accepted" as const, at: BigInt(clock - 500) },
          { status: "Approved" as const, at: BigInt(clock - 100) },
        ],
      });
      await insertClaims(indexer.db, [approved(3n, BigInt(clock + 200)), approved(4n, BigInt(clock - 1))]);
      const res = await call(await signIn(guardian), "GET", "/v1/desk/payouts");
      expect(res.status).to.equal(200);
      expect(await res.json()).to.deep.equal({
        now: clock,
        items: [
          {
            id: "3",
            claimant: claimant.address,
            kind: "MissingReward",
            tier: 0,
            amountRequested: (2000n * 10n ** 18n).toString(),
            amountApproved: (1500n * 10n ** 18n).toString(),
            payableAt: clock + 200,
            secondsLeft: 200,
          },
        ],
      });
      expect((await call(await signIn(claimant), "GET", "/v1/desk/payouts")).status).to.equal(403);
    });

    it("decides between two assessors taking the same claim at once: exactly one holds it", async function () {
      const a = await signIn(ann);
      const b = await signIn(ben);
      const answers = await Promise.all([take(a, 2n), take(b, 2n), take(a, 2n), take(b, 2n)]);
      const statuses = answers.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).to.have.length(1);
      const [holder] = await list(a);
      const winner = holder!.assessor === ann.address ? [0, 2] : [1, 3];
      for (const [i, s] of statuses.entries()) {
        if (winner.includes(i)) expect(s).to.be.oneOf([200, 201]);
        else expect(s).to.equal(409);
      }
    });
  });
}
