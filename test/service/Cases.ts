/**
 * The case conversation through the service's routes, with the real Sign-In with Ethereum flow
 * (session keys delegated in the SIWE message) and the indexer's tables in a test database:
 * who may read a case, what is stored (sealed), every bad input refused with nothing stored,
 * the live stream, the webhook, rating and erasure, and an exported bundle that verifies.
 */
import { createHash, randomUUID } from "node:crypto";

import { expect } from "chai";
import { eq, sql } from "drizzle-orm";
import canonicalize from "canonicalize";
import { getAddress, keccak256, stringToBytes, verifyMessage, zeroHash, type Address, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";

import {
  CASE_ENCODING,
  messageHash,
  newSalt,
  openingHash,
  sessionKeyResource,
  verifyBundle,
  type CaseBundle,
  type CaseMessage,
  type ChainView,
  type OpeningStatement,
} from "../../common/case.js";
import type { ClaimStatus } from "../../common/claims.js";
import * as schema from "../../indexer/ponder.schema.js";
import { createApp } from "../../service/src/app.js";
import type { StaffRole } from "../../service/src/auth/onchain.js";
import { createSiweAuth } from "../../service/src/auth/siwe.js";
import { loadConfig } from "../../service/src/config.js";
import { queryRows, type DatabaseHandle } from "../../service/src/db/client.js";
import { createLogger } from "../../service/src/http/log.js";
import type { IndexerReader } from "../../service/src/indexer/reader.js";
import { createMetricsRegistry } from "../../service/src/http/metrics.js";
import { webhookDeliveries, webhookSubscriptions } from "../../service/src/webhooks/schema.js";
import { ObjectStore } from "../../service/src/cases/files.js";
import { CaseBox } from "../../service/src/cases/seal.js";
import { sweepUncitedFiles, sweepUnfiledOpenings } from "../../service/src/cases/sweep.js";
import { FakeS3 } from "./fakeS3.js";
import { ENGINES, freshServiceDatabase } from "./helpers.js";
import { freshIndexerDatabase, insertClaims, offlineIndexer, testReader } from "./indexer.js";

// Hardhat's well-known development keys (public knowledge, never used for real funds).
const alice = privateKeyToAccount("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a7876bd36ef12a4b4af");
const bob = privateKeyToAccount("0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a");
const assessor = privateKeyToAccount("0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6");
const POOL = getAddress("0x5fbdb2315678afecb367f032d93f642f64180aa3");
const CHAIN_ID = 31337;
const DOMAIN = "station.test";
const PNG = Buffer.from(
  "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5f3b9e40000000049454e44ae426082",
  "hex",
);

type Session = { token: string; key: PrivateKeyAccount; wallet: PrivateKeyAccount };

for (const engine of ENGINES) {
  describe(`case conversation (${engine})`, function () {
    this.timeout(30_000);
    let service: DatabaseHandle;
    let indexer: DatabaseHandle;
    let staff: Map<Address, StaffRole[]>;
    let offsetSeconds: number;
    let chainDown = false;
    let app: ReturnType<typeof createApp>;

    // The service's clock, frozen per test so that figures in seconds are exact; tests move it.
    let base = Math.floor(Date.now() / 1000);
    const nowSeconds = () => base + offsetSeconds;

    beforeEach(async function () {
      service = await freshServiceDatabase(engine);
      indexer = await freshIndexerDatabase(engine);
      staff = new Map([[assessor.address, ["assessor"]]]);
      offsetSeconds = 0;
      chainDown = false;
      base = Math.floor(Date.now() / 1000);
      app = serviceApp();
    });
    afterEach(async function () {
      await service.close();
      await indexer.close();
    });

    /**
     * The service on this test's databases; `env` adds settings (case files in a bucket), `reader`
     * replaces the indexer (one that is down).
     */
    function serviceApp(env: Record<string, string> = {}, reader?: IndexerReader) {
      const config = loadConfig({
        POOL_ADDRESS: POOL,
        CHAIN_ID: String(CHAIN_ID),
        WEBHOOK_SECRET_KEY: "44".repeat(32),
        CASE_WRITES_PER_MINUTE: "1000",
        ...env,
      });
      const siwe = createSiweAuth({
        db: service.db,
        settings: { domain: DOMAIN, chainId: CHAIN_ID, nonceTtlSeconds: 600, sessionTtlSeconds: 3600 },
        isAssessor: async (a) => staff.get(a)?.includes("assessor") ?? false,
        now: nowSeconds,
      });
      const head = { current: { number: 100n, timestamp: BigInt(nowSeconds()) } };
      return createApp({
        db: service.db,
        config,
        log: createLogger("silent"),
        auth: siwe.guards,
        siwe,
        metrics: createMetricsRegistry({ defaults: false }),
        indexerSource: { db: indexer.db, head: async () => undefined },
        indexer: reader ?? testReader(indexer.db, head),
        now: () => nowSeconds() * 1000,
        staffRoles: async (a) => {
          if (chainDown) throw new Error("the RPC did not answer");
          return staff.get(a) ?? [];
        },
      });
    }

    // ─── helpers: a person signs in once with a session key, then writes without the wallet

    async function signIn(wallet: PrivateKeyAccount, withKey = true): Promise<Session> {
      const { nonce } = (await (await app.request("/v1/auth/nonce", { method: "POST" })).json()) as { nonce: string };
      const key = privateKeyToAccount(generatePrivateKey());
      const message = createSiweMessage({
        domain: DOMAIN,
        address: wallet.address,
        statement: "Sign in to Emergency Station",
        uri: `https://${DOMAIN}`,
        version: "1",
        chainId: CHAIN_ID,
        nonce,
        issuedAt: new Date(nowSeconds() * 1000),
        expirationTime: new Date((nowSeconds() + 3600) * 1000),
        ...(withKey ? { resources: [sessionKeyResource(key.address)] } : {}),
      });
      const signature = await wallet.signMessage({ message });
      const res = await app.request("/v1/auth/verify", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ message, signature }),
      });
      expect(res.status).to.equal(200);
      const body = (await res.json()) as { token: string; sessionKey: string | null };
      expect(body.sessionKey).to.equal(withKey ? key.address : null);
      return { token: body.token, key, wallet };
    }
    const call = (s: Session | undefined, path: string, init: RequestInit = {}) =>
      app.request(path, {
        ...init,
        headers: {
          ...(init.body !== undefined && !(init.body instanceof Uint8Array)
            ? { "content-type": "application/json" }
            : {}),
          ...(s === undefined ? {} : { authorization: `Bearer ${s.token}` }),
          ...(init.headers as Record<string, string> | undefined),
        },
      });
    const post = (s: Session | undefined, path: string, body: unknown) =>
      call(s, path, { method: "POST", body: JSON.stringify(body) });

    async function upload(s: Session, bytes: Uint8Array, name = "screenshot.png") {
      return call(s, `/v1/cases/attachments?name=${encodeURIComponent(name)}`, {
        method: "POST",
        body: new Uint8Array(bytes) as unknown as BodyInit,
      });
    }

    function statement(over: Partial<OpeningStatement> = {}): OpeningStatement {
      return {
        encoding: CASE_ENCODING,
        type: "opening",
        chainId: CHAIN_ID,
        pool: POOL.toLowerCase() as Address,
        claimant: alice.address.toLowerCase() as Address,
        kind: "DataApiOutage",
        text: "The data API answered 502 for an hour during our event; 40 users got no C.",
        channel: "text",
        contact: null,
        attachments: [],
        origin: null,
        salt: newSalt(),
        ...over,
      };
    }

    /** Files claim 1 on the "chain" (the indexer's tables) with this opening's hash as evidence. */
    async function fileClaim(opening: OpeningStatement, id = 1n, filedSecondsAgo = 120) {
      await insertClaims(indexer.db, [
        {
          id,
          claimant: alice.address,
          kind: "DataApiOutage",
          tier: 2,
          submittedAt: BigInt(nowSeconds() - filedSecondsAgo),
        },
      ]);
      const hash = openingHash(opening);
      await indexer.db.update(schema.claims).set({ evidenceHash: hash }).where(eq(schema.claims.id, id));
      await indexer.db
        .update(schema.claimTransitions)
        .set({ noteHash: hash })
        .where(eq(schema.claimTransitions.claimId, id));
    }
    let block = 10n ** 12n; // after the filing block (fixtures number blocks by their time)
    /** A transition mined with `noteHash`, sent by `actor`. */
    async function transition(id: bigint, status: ClaimStatus, actor: Address, noteHash: Hex) {
      block += 1n;
      await indexer.db.insert(schema.claimTransitions).values({
        id: `${block.toString().padStart(16, "0")}-${id}`,
        chainId: CHAIN_ID,
        claimId: id,
        status,
        actor: actor.toLowerCase() as Hex,
        noteHash,
        blockNumber: block,
        blockTimestamp: BigInt(nowSeconds()),
        txHash: `0x${block.toString(16).padStart(64, "0")}`,
        logIndex: 0,
      });
      await indexer.db.update(schema.claims).set({ status }).where(eq(schema.claims.id, id));
    }

    type View = {
      next: { seq: number; prev: Hex };
      messages: {
        seq: number;
        hash: Hex;
        anchor: string;
        message: CaseMessage | null;
        erased: boolean;
        agent: { standing: string; roles: string[] } | null;
      }[];
      opening: { anchor: string; statement: OpeningStatement | null; contact: string | null };
      viewer: { role: string };
      transitions: { status: string; anchor: string }[];
      rating: { stars: number; comment: string | null } | null;
    };
    async function view(s: Session, id = 1n): Promise<View> {
      const res = await call(s, `/v1/cases/${id}`);
      expect(res.status, await res.clone().text()).to.equal(200);
      return (await res.json()) as View;
    }
    async function draft(s: Session, over: Partial<CaseMessage> = {}, id = 1n): Promise<CaseMessage> {
      // Strangers and unknown claims get no view: their drafts name the first position.
      const res = await call(s, `/v1/cases/${id}`);
      const v = res.status === 200 ? ((await res.json()) as View) : { next: { seq: 1, prev: zeroHash as Hex } };
      const mine = s.wallet.address === alice.address;
      return {
        encoding: CASE_ENCODING,
        type: "message",
        chainId: CHAIN_ID,
        pool: POOL.toLowerCase() as Address,
        claimId: id.toString(),
        seq: v.next.seq,
        prev: v.next.prev,
        author: s.wallet.address.toLowerCase() as Address,
        role: mine ? "claimant" : "assessor",
        action: null,
        text: "hello",
        attachments: [],
        article: null,
        at: nowSeconds(),
        ...over,
      };
    }
    // Signs the record as sent, even a malformed one (the service must refuse it, not the test).
    const sign = (s: Session, m: CaseMessage) =>
      s.key.signMessage({ message: { raw: keccak256(stringToBytes(canonicalize(m)!)) } });
    async function say(s: Session, over: Partial<CaseMessage> = {}, id = 1n) {
      const message = await draft(s, over, id);
      return post(s, `/v1/cases/${id}/messages`, { message, signature: await sign(s, message) });
    }
    const count = async (table: string) =>
      (await queryRows<{ n: number }>(service.db, sql.raw(`SELECT count(*)::int AS n FROM ${table}`)))[0]!.n;

    /** One run of the sweep of uncited case files, as the service's purge loop runs it, at the test's clock. */
    function sweep(env: Record<string, string> = {}) {
      const config = loadConfig({ POOL_ADDRESS: POOL, WEBHOOK_SECRET_KEY: "44".repeat(32), ...env });
      return sweepUncitedFiles({
        db: service.db,
        box: new CaseBox(config.webhooks.secretKey),
        files: config.cases.files === undefined ? undefined : new ObjectStore(config.cases.files),
        nowSeconds: nowSeconds(),
        ttlSeconds: config.cases.uploadTtlSeconds,
      });
    }
    const DAY = 86_400;
    const TEXT_FILE = Buffer.from("2026-12-07 error: 502 from the data API\n");
    const fileRows = () =>
      queryRows<{ sha256: string; stored_in: string; cited: boolean; erased: boolean }>(
        service.db,
        sql`SELECT sha256, stored_in, cited_at IS NOT NULL AS cited, erased_at IS NOT NULL AS erased
            FROM case_attachments ORDER BY sha256`,
      );

    /** The chain as the verifier reads it, from the indexer's tables (what the chain emitted). */
    const chainView = (): ChainView => ({
      chainId: async () => CHAIN_ID,
      async claim(id) {
        const [c] = await indexer.db.select().from(schema.claims).where(eq(schema.claims.id, id));
        return c === undefined ? undefined : { claimant: getAddress(c.claimant), evidenceHash: c.evidenceHash };
      },
      async transitions(id) {
        const rows = await indexer.db
          .select()
          .from(schema.claimTransitions)
          .where(eq(schema.claimTransitions.claimId, id))
          .orderBy(schema.claimTransitions.blockNumber);
        return rows.map((r) => ({
          status: r.status,
          actor: getAddress(r.actor),
          noteHash: r.noteHash,
          txHash: r.txHash,
        }));
      },
      verifyWallet: ({ address, message, signature }) => verifyMessage({ address, message, signature }),
    });

    // ─── the conversation

    it("holds a conversation whose every line matches the chain, and exports a bundle that verifies", async function () {
      const a = await signIn(alice);
      const up = await upload(a, PNG);
      expect(up.status).to.equal(201);
      const { ref } = (await up.json()) as { ref: { sha256: Hex; type: string; size: number } };
      expect(ref).to.include({ type: "image/png", size: PNG.length });
      const opening = statement({ attachments: [{ kind: "file", ...ref, name: "screenshot.png" } as never] });
      const stored = await post(a, "/v1/cases/openings", { statement: opening });
      expect(stored.status).to.equal(201);
      expect(((await stored.json()) as { hash: Hex }).hash).to.equal(openingHash(opening));
      expect((await post(a, "/v1/cases/openings", { statement: opening })).status, "idempotent").to.equal(200);
      await fileClaim(opening);

      const s = await signIn(assessor);
      let v = await view(s);
      expect(v.viewer.role).to.equal("assessor");
      expect(v.opening.anchor).to.equal("matches the chain");
      expect(v.opening.statement?.text).to.equal(opening.text);
      // The assessor sees the SLA clock and the claimant's other claims.
      await insertClaims(indexer.db, [{ id: 7n, claimant: alice.address, kind: "MissingReward" }]);
      const full = (await view(s)) as unknown as {
        clock: { responseDeadline: number; submittedAt: number };
        history: Array<{ claimId: string }>;
      };
      expect(full.clock.responseDeadline - full.clock.submittedAt).to.equal(600);
      expect(full.history.map((h) => h.claimId)).to.deep.equal(["7"]);
      // The assessor reads the screenshot, as a download that never renders.
      const file = await call(s, `/v1/cases/1/attachments/${ref.sha256}`);
      expect(file.status).to.equal(200);
      expect(file.headers.get("content-disposition")).to.match(/^attachment/);
      expect(file.headers.get("x-content-type-options")).to.equal("nosniff");
      expect(Buffer.from(await file.arrayBuffer()).equals(PNG)).to.equal(true);

      // A chat line, then a note that goes on-chain with the acceptance.
      expect((await say(s, { text: "Looking at it now." })).status).to.equal(201);
      const note = await say(s, { action: "accept", text: "Data matching delay; compensation is being prepared." });
      expect(note.status).to.equal(201);
      const { hash: noteHash } = (await note.json()) as { hash: Hex };
      v = await view(s);
      expect(v.messages.map((m) => m.anchor)).to.deep.equal(["not anchored", "not anchored"]);
      await transition(1n, "Accepted", assessor.address, noteHash);
      expect((await say(a, { text: "Thank you!" })).status).to.equal(201);
      v = await view(a);
      expect(v.viewer.role).to.equal("claimant");
      expect(v.messages.map((m) => m.anchor)).to.deep.equal(["matches the chain", "matches the chain", "not anchored"]);
      expect(v.transitions.map((t) => [t.status, t.anchor])).to.deep.equal([
        ["Submitted", "matches the chain"],
        ["Accepted", "matches the chain"],
      ]);

      const exported = await call(a, "/v1/cases/1/export");
      expect(exported.headers.get("content-disposition")).to.equal('attachment; filename="case-1.json"');
      const bundle = (await exported.json()) as CaseBundle;
      const report = await verifyBundle(bundle, chainView());
      expect(report.problems).to.deep.equal([]);
      expect(report.ok).to.equal(true);
      expect(report.opening).to.equal("matches the chain");
      expect(report.messages.map((m) => m.state)).to.deep.equal([
        "matches the chain",
        "matches the chain",
        "not anchored",
      ]);

      // A note on-chain that is no message of the transcript (an assessor hashed something else).
      await transition(1n, "Investigating", assessor.address, `0x${"5a".repeat(32)}`);
      v = await view(a);
      expect(v.transitions.at(-1)).to.deep.include({ status: "Investigating", anchor: "mismatch" });
      const withStray = (await (await call(a, "/v1/cases/1/export")).json()) as CaseBundle;
      const strayReport = await verifyBundle(withStray, chainView());
      expect(strayReport.ok).to.equal(false);
      expect(strayReport.problems.join(" ")).to.match(
        /Investigating note on-chain .* is no message of this transcript/,
      );

      // Editing a stored message is caught by the service's own check and by the verifier.
      const tampered = structuredClone(bundle);
      tampered.messages[0]!.message!.text = "Nothing to see.";
      expect((await verifyBundle(tampered, chainView())).ok).to.equal(false);
    });

    it("stores the words sealed: the database holds no readable text, contact or file", async function () {
      const a = await signIn(alice);
      const up = (await (await upload(a, Buffer.from("2026-12-04 error: upstream timeout\n"), "log.txt")).json()) as {
        ref: object;
      };
      const opening = statement({
        channel: "callback",
        contact: `0x${"ab".repeat(32)}`,
        attachments: [{ ...up.ref, name: "log.txt" } as never],
      });
      expect(
        (await post(a, "/v1/cases/openings", { statement: opening, contact: "@alice_on_telegram" })).status,
      ).to.equal(201);
      await fileClaim(opening);
      expect((await say(a, { text: "my secret account detail 12345" })).status).to.equal(201);
      const dump = JSON.stringify(
        await queryRows(
          service.db,
          sql`SELECT (SELECT json_agg(o) FROM case_openings o) AS o, (SELECT json_agg(m) FROM case_messages m) AS m,
                     (SELECT json_agg(f) FROM case_attachments f) AS f`,
        ),
      );
      for (const secret of ["upstream timeout", "answered 502", "@alice_on_telegram", "12345", "dXBzdHJlYW0"]) {
        expect(dump).not.to.include(secret);
      }
      expect(dump).to.include("enc:v1:");
      // The assessor sees the contact handle; it is not in the statement (only its commitment is).
      const v = await view(await signIn(assessor));
      expect(v.opening.contact).to.equal("@alice_on_telegram");
    });

    it("serves a file a message cites to the case's people only, listing citations without opening messages", async function () {
      const a = await signIn(alice);
      const opening = statement();
      await post(a, "/v1/cases/openings", { statement: opening });
      await fileClaim(opening);
      const s = await signIn(assessor);
      const { ref } = (await (await upload(s, PNG, "fix.png")).json()) as { ref: { sha256: Hex } };
      expect(
        (await say(s, { text: "Here is the fix.", attachments: [{ ...ref, name: "fix.png" } as never] })).status,
      ).to.equal(201);
      expect((await say(a, { text: "Thanks." })).status).to.equal(201);
      const cites = await queryRows<{ seq: number; cites: string | null }>(
        service.db,
        sql`SELECT seq, cites FROM case_messages ORDER BY seq`,
      );
      expect(cites).to.deep.equal([
        { seq: 1, cites: ref.sha256.toLowerCase() },
        { seq: 2, cites: "" },
      ]);
      const read = async (who: Session, id = 1n) => call(who, `/v1/cases/${id}/attachments/${ref.sha256}`);
      const file = await read(a);
      expect(file.status).to.equal(200);
      expect(Buffer.from(await file.arrayBuffer()).equals(PNG)).to.equal(true);
      // A message stored before the column existed is opened to find what it cites.
      await service.db.execute(sql`UPDATE case_messages SET cites = NULL`);
      expect((await read(a)).status).to.equal(200);
      // The same file asked for through another claim's case, which does not cite it: 404.
      const other = statement({ text: "another problem" });
      await post(a, "/v1/cases/openings", { statement: other });
      await fileClaim(other, 2n);
      const elsewhere = await read(s, 2n);
      expect(elsewhere.status).to.equal(404);
      expect(await elsewhere.text()).to.match(/no attachment/);
      // A stranger gets the case's 404, not the file.
      expect((await read(await signIn(bob))).status).to.equal(404);
    });

    it("deletes a file no record cites a day after its last upload, keeps cited ones, and refuses a record citing a deleted one", async function () {
      let a = await signIn(alice);
      const png = ((await (await upload(a, PNG)).json()) as { ref: { sha256: Hex; type: string; size: number } }).ref;
      const text = ((await (await upload(a, TEXT_FILE, "log.txt")).json()) as { ref: typeof png }).ref;
      const opening = statement({ attachments: [{ kind: "file", ...png, name: "s.png" } as never] });
      expect((await post(a, "/v1/cases/openings", { statement: opening })).status).to.equal(201);
      await fileClaim(opening);
      const cited = async () => Object.fromEntries((await fileRows()).map((r) => [r.sha256, r.cited]));
      expect(await cited()).to.deep.equal({ [png.sha256.toLowerCase()]: true, [text.sha256.toLowerCase()]: false });

      offsetSeconds += DAY - 60;
      // Uploaded again before the day is out: its day starts again.
      a = await signIn(alice);
      expect((await upload(a, TEXT_FILE, "log.txt")).status).to.equal(201);
      offsetSeconds += 120;
      expect(await sweep()).to.deep.include({ deleted: 0, waiting: 0 });
      offsetSeconds += DAY;
      expect(await sweep()).to.deep.include({ deleted: 1, waiting: 0 });
      expect(await cited()).to.deep.equal({ [png.sha256.toLowerCase()]: true });
      // The cited file is still served; the deleted one can no longer be cited, and says why.
      a = await signIn(alice);
      expect((await call(await signIn(assessor), `/v1/cases/1/attachments/${png.sha256}`)).status).to.equal(200);
      const late = await say(a, {
        text: "The log.",
        attachments: [{ kind: "file", ...text, name: "log.txt" } as never],
      });
      expect(late.status).to.equal(422);
      expect(await late.text()).to.match(/unknown_attachment.*within 24 h.*upload it again/);
      expect(await count("case_messages"), "nothing stored").to.equal(0);
      expect((await upload(a, TEXT_FILE, "log.txt")).status).to.equal(201);
      expect(
        (await say(a, { text: "The log.", attachments: [{ kind: "file", ...text, name: "log.txt" } as never] })).status,
      ).to.equal(201);
      offsetSeconds += 2 * DAY;
      expect(await sweep()).to.deep.include({ deleted: 0 });
      expect(Object.values(await cited())).to.deep.equal([true, true]);
    });

    it("deletes an opening statement no claim was filed with in 30 days, contact included, once the indexer has seen that far", async function () {
      let a = await signIn(alice);
      const png = ((await (await upload(a, PNG)).json()) as { ref: { sha256: Hex; type: string; size: number } }).ref;
      const text = ((await (await upload(a, TEXT_FILE, "log.txt")).json()) as { ref: typeof png }).ref;
      const file = (r: typeof png, name: string) => ({ kind: "file", ...r, name }) as never;
      // Filed: cites the log. Never filed: a call-back with a contact handle, citing both files.
      const filed = statement({ attachments: [file(text, "log.txt")] });
      const unfiled = statement({
        text: "Stored, then never filed.",
        channel: "callback",
        contact: `0x${"cd".repeat(32)}`,
        attachments: [file(png, "s.png"), file(text, "log.txt")],
      });
      expect((await post(a, "/v1/cases/openings", { statement: filed })).status).to.equal(201);
      expect(
        (await post(a, "/v1/cases/openings", { statement: unfiled, contact: "+62 812 0000 0000" })).status,
      ).to.equal(201);
      await fileClaim(filed);
      const head = { current: { number: 100n, timestamp: BigInt(nowSeconds()) } };
      const reader = testReader(indexer.db, head);
      const sweepOpenings = () =>
        sweepUnfiledOpenings({
          db: service.db,
          box: new CaseBox(Buffer.from("44".repeat(32), "hex")),
          indexer: reader,
          nowSeconds: nowSeconds(),
          ttlSeconds: loadConfig({}).cases.openingTtlSeconds,
        });
      const openings = async () =>
        (
          await queryRows<{ hash: string; filed: boolean }>(
            service.db,
            sql`SELECT hash, filed_at IS NOT NULL AS filed FROM case_openings ORDER BY hash`,
          )
        ).map((r) => [r.hash, r.filed]);
      const both = [openingHash(filed), openingHash(unfiled)].sort();

      offsetSeconds += 30 * DAY - 60;
      expect(await sweepOpenings(), "not 30 days yet").to.deep.equal({
        deleted: 0,
        filed: 0,
        released: 0,
        more: false,
      });
      offsetSeconds += 120;
      // The indexer has not indexed that far (it is catching up): nothing is judged.
      expect(await sweepOpenings()).to.deep.include({ deleted: 0, filed: 0 });
      // A reader that cannot look up evidence hashes deletes nothing either.
      const blind = await sweepUnfiledOpenings({
        db: service.db,
        box: new CaseBox(Buffer.from("44".repeat(32), "hex")),
        indexer: { head: reader.head },
        nowSeconds: nowSeconds(),
        ttlSeconds: 30 * DAY,
      });
      expect(blind.deleted).to.equal(0);
      expect((await openings()).map(([h]) => h)).to.deep.equal(both);

      head.current = { number: 200n, timestamp: BigInt(nowSeconds()) };
      expect(await sweepOpenings()).to.deep.equal({ deleted: 1, filed: 1, released: 1, more: false });
      expect(await openings()).to.deep.equal([[openingHash(filed), true]]);
      // Gone with its contact: nothing of it is left in the database.
      const dump = JSON.stringify(await queryRows(service.db, sql`SELECT * FROM case_openings`));
      expect(dump).not.to.include(openingHash(unfiled));
      // The screenshot only it cited is uncited now, and goes a day later; the log the filed
      // claim cites stays.
      a = await signIn(alice);
      const cited = Object.fromEntries((await fileRows()).map((r) => [r.sha256, r.cited]));
      expect(cited).to.deep.equal({ [png.sha256.toLowerCase()]: false, [text.sha256.toLowerCase()]: true });
      offsetSeconds += DAY;
      expect(await sweep()).to.deep.include({ deleted: 1 });
      expect((await fileRows()).map((r) => r.sha256)).to.deep.equal([text.sha256.toLowerCase()]);
      // The filed one is not looked up again.
      expect(await sweepOpenings()).to.deep.equal({ deleted: 0, filed: 0, released: 0, more: false });
      expect((await call(await signIn(assessor), `/v1/cases/1/attachments/${text.sha256}`)).status).to.equal(200);
    });

    it("erases a claim's files but keeps those its claimant cites in another case, until that one is erased", async function () {
      const a = await signIn(alice);
      const s = await signIn(assessor);
      const png = ((await (await upload(a, PNG)).json()) as { ref: { sha256: Hex; type: string; size: number } }).ref;
      const text = ((await (await upload(a, TEXT_FILE, "log.txt")).json()) as { ref: typeof png }).ref;
      const file = (r: typeof png, name: string) => ({ kind: "file", ...r, name }) as never;
      // Claim 1 cites both files in its opening; claim 2 cites the screenshot in its opening and the
      // log in a message.
      const first = statement({ attachments: [file(png, "s.png"), file(text, "log.txt")] });
      const second = statement({ text: "The same outage, the next day.", attachments: [file(png, "s.png")] });
      for (const o of [first, second])
        expect((await post(a, "/v1/cases/openings", { statement: o })).status).to.equal(201);
      await fileClaim(first, 1n);
      await fileClaim(second, 2n);
      expect((await say(a, { text: "The log again.", attachments: [file(text, "log.txt")] }, 2n)).status).to.equal(201);
      const read = (who: Session, id: bigint, sha: Hex) => call(who, `/v1/cases/${id}/attachments/${sha}`);

      const reject = async (id: bigint) => {
        const note = (await (await say(s, { action: "reject", text: "Not covered." }, id)).json()) as { hash: Hex };
        await transition(id, "Rejected", assessor.address, note.hash);
      };
      await reject(1n);
      const first_ = await post(a, "/v1/cases/1/erase", {});
      expect(first_.status).to.equal(200);
      expect(await first_.json()).to.deep.equal({ erased: 1, kept: 2 });
      for (const sha of [png.sha256, text.sha256]) {
        expect((await read(a, 1n, sha)).status, "not in the erased case").to.equal(404);
        const there = await read(s, 2n, sha);
        expect(there.status, "still evidence in claim 2").to.equal(200);
      }
      expect(Buffer.from(await (await read(s, 2n, png.sha256)).arrayBuffer()).equals(PNG)).to.equal(true);

      await reject(2n);
      expect(await (await post(a, "/v1/cases/2/erase", {})).json()).to.deep.equal({ erased: 4, kept: 0 });
      for (const sha of [png.sha256, text.sha256]) expect((await read(s, 2n, sha)).status).to.equal(404);
      expect((await fileRows()).map((r) => [r.erased, r.stored_in])).to.deep.equal([
        [true, "database"],
        [true, "database"],
      ]);
      const sealed = await queryRows<{ n: number }>(
        service.db,
        sql`SELECT count(*)::int AS n FROM case_attachments WHERE sealed IS NOT NULL`,
      );
      expect(sealed[0]!.n, "no bytes left").to.equal(0);
    });

    // ─── case files in an S3-compatible bucket (CASE_FILES_S3_URL)

    describe("with case files in object storage", function () {
      let s3: FakeS3;
      beforeEach(async function () {
        s3 = new FakeS3();
        await s3.start();
        app = serviceApp(s3.env());
      });
      afterEach(async function () {
        await s3.close();
      });

      const fileRow = async (sha: Hex) =>
        (
          await queryRows<{ stored_in: string; sealed: string | null }>(
            service.db,
            sql`SELECT stored_in, sealed FROM case_attachments WHERE sha256 = ${sha.toLowerCase()}`,
          )
        )[0];
      const puts = () => s3.requests.filter((r) => r.method === "PUT").length;
      /** Closes claim 1 (the assessor rejects it), so its claimant may erase. */
      async function closeClaim() {
        const s = await signIn(assessor);
        const note = (await (await say(s, { action: "reject", text: "Not covered." })).json()) as { hash: Hex };
        await transition(1n, "Rejected", assessor.address, note.hash);
      }

      it("keeps a file sealed in the bucket under a name that tells nothing, serves it to the case's people only, and erases it there", async function () {
        const a = await signIn(alice);
        const { ref } = (await (await upload(a, PNG)).json()) as { ref: { sha256: Hex } };
        const opening = statement({ attachments: [{ ...ref, name: "screenshot.png" } as never] });
        expect((await post(a, "/v1/cases/openings", { statement: opening })).status).to.equal(201);
        await fileClaim(opening);

        // In the bucket: one object, sealed, named by neither the file's hash nor its owner.
        const [[name, object]] = [...s3.objects] as [[string, Buffer]];
        expect(name).to.match(/^case-files\/[0-9a-f]{64}$/);
        expect(name).not.to.include(ref.sha256.slice(2).toLowerCase());
        expect(name).not.to.include(alice.address.slice(2).toLowerCase());
        expect(object.toString()).to.match(/^enc:v1:/);
        expect(object.toString()).not.to.include(PNG.toString("base64").slice(0, 24));
        // In the database: what the file is, not its bytes.
        expect(await fileRow(ref.sha256)).to.deep.equal({ stored_in: "object", sealed: null });
        // The same file again is not stored twice.
        expect((await upload(a, PNG)).status).to.equal(201);
        expect(puts()).to.equal(1);

        const read = (who: Session) => call(who, `/v1/cases/1/attachments/${ref.sha256}`);
        for (const who of [a, await signIn(assessor)]) {
          const file = await read(who);
          expect(file.status).to.equal(200);
          expect(file.headers.get("content-type")).to.equal("image/png");
          expect(Buffer.from(await file.arrayBuffer()).equals(PNG)).to.equal(true);
        }
        expect((await read(await signIn(bob))).status, "a stranger").to.equal(404);
        // An object the bucket lost is said to be gone, not served from anywhere else.
        s3.objects.delete(name);
        const lost = await read(a);
        expect(lost.status).to.equal(410);
        expect(await lost.text()).to.match(/no longer in storage/);
        s3.objects.set(name, object);

        await closeClaim();
        expect((await post(a, "/v1/cases/1/erase", {})).status).to.equal(200);
        expect(s3.objects.size, "deleted from the bucket").to.equal(0);
        expect(s3.requests.at(-1)).to.include({ method: "DELETE", key: name, status: 204 });
        // The erased words no longer name the file: the case has no such attachment.
        const gone = await read(a);
        expect(gone.status).to.equal(404);
        expect(await gone.text()).to.match(/no attachment/);
        // Uploading an erased file again stores it anew, cited by nothing: the erased words still
        // name nothing, and unless a new record cites it the sweep deletes it a day later.
        expect((await upload(a, PNG)).status).to.equal(201);
        expect(s3.objects.size).to.equal(1);
        expect(await fileRows()).to.deep.equal([
          { sha256: ref.sha256.toLowerCase(), stored_in: "object", cited: false, erased: false },
        ]);
        expect((await read(a)).status, "still not in the erased case").to.equal(404);
        offsetSeconds += DAY;
        expect(await sweep(s3.env())).to.deep.include({ deleted: 1, waiting: 0 });
        expect(s3.objects.size).to.equal(0);
      });

      it("names every object by a row: a failed upload is finished by the next one or swept, and the sweep waits while the bucket fails", async function () {
        let a = await signIn(alice);
        const box = new CaseBox(Buffer.from("44".repeat(32), "hex"));
        const sha = (b: Buffer) => `0x${createHash("sha256").update(b).digest("hex")}`;
        const objectOf = (b: Buffer) => box.fileName(`${sha(b)}:${alice.address.toLowerCase()}`);

        // The upload fails: the row that announced it stays, and nothing may cite it.
        s3.fault = "error";
        expect((await upload(a, PNG)).status).to.equal(503);
        expect(await fileRows()).to.deep.equal([
          { sha256: sha(PNG), stored_in: "uploading", cited: false, erased: false },
        ]);
        const ref = { kind: "file", sha256: sha(PNG), type: "image/png", size: PNG.length, name: "s.png" };
        const citing = await post(a, "/v1/cases/openings", { statement: statement({ attachments: [ref as never] }) });
        expect(citing.status).to.equal(422);
        expect(await citing.text()).to.match(/unknown_attachment.*upload it again/);
        expect(await count("case_openings")).to.equal(0);
        // Uploaded again: finished, and citable.
        s3.fault = undefined;
        expect((await upload(a, PNG)).status).to.equal(201);
        expect((await fileRows())[0]).to.include({ stored_in: "object" });
        const opening = statement({ attachments: [ref as never] });
        expect((await post(a, "/v1/cases/openings", { statement: opening })).status).to.equal(201);
        expect((await fileRows())[0]).to.include({ cited: true });
        await fileClaim(opening);

        // Another upload fails after its bytes reached the bucket (the answer was lost): the row
        // names the object, and a day later the sweep deletes both.
        s3.fault = "error";
        expect((await upload(a, TEXT_FILE, "log.txt")).status).to.equal(503);
        s3.fault = undefined;
        s3.objects.set(objectOf(TEXT_FILE), Buffer.from("enc:v1:whatever arrived"));
        // A third, stored and never cited.
        const GIF = Buffer.from("474946383961010001000000002c00000000010001000002", "hex");
        expect((await upload(a, GIF, "x.gif")).status).to.equal(201);
        expect(s3.objects.size).to.equal(3);

        offsetSeconds += DAY - 1;
        expect(await sweep(s3.env()), "not a day yet").to.deep.include({ deleted: 0, waiting: 0 });
        offsetSeconds += 1;
        // The bucket fails: the rows are marked and wait; an upload of a marked file is told to wait.
        s3.fault = "error";
        const held = await sweep(s3.env());
        expect(held).to.deep.include({ deleted: 0, waiting: 2 });
        expect(held.storageError).to.match(/500 InternalError/);
        s3.fault = undefined;
        a = await signIn(alice); // the session of a day ago has expired
        const busy = await upload(a, GIF, "x.gif");
        expect(busy.status).to.equal(503);
        expect(await busy.text()).to.match(/being deleted from storage/);
        const cite = await say(a, {
          text: "x",
          attachments: [{ ...ref, sha256: sha(GIF), type: "image/gif", size: GIF.length } as never],
        });
        expect(cite.status, "a marked file cannot be cited").to.equal(422);
        // A replica without the bucket deletes nothing of it, and says what waits.
        expect(await sweep()).to.deep.include({ deleted: 0, waiting: 2 });
        expect(await sweep(s3.env())).to.deep.include({ deleted: 2, waiting: 0 });
        expect([...s3.objects.keys()]).to.deep.equal([objectOf(PNG)]);
        expect(await fileRows()).to.deep.equal([{ sha256: sha(PNG), stored_in: "object", cited: true, erased: false }]);
        // Gone means gone: uploaded again it is stored anew.
        expect((await upload(a, GIF, "x.gif")).status).to.equal(201);
        expect(s3.objects.size).to.equal(2);

        // An upload that failed a day ago, sent again while a sweep runs: the sweep leaves it alone
        // (its day started again; it takes only the GIF, uncited for a day), and the object stays named.
        s3.fault = "error";
        expect((await upload(a, TEXT_FILE, "log.txt")).status).to.equal(503);
        s3.fault = undefined;
        offsetSeconds += DAY + 1;
        a = await signIn(alice);
        let during: Awaited<ReturnType<typeof sweep>> | undefined;
        s3.duringPut = async () => {
          s3.duringPut = undefined;
          during = await sweep(s3.env());
        };
        expect((await upload(a, TEXT_FILE, "log.txt")).status).to.equal(201);
        expect(during).to.deep.include({ deleted: 1, waiting: 0 });
        expect([...s3.objects.keys()].sort()).to.deep.equal([objectOf(PNG), objectOf(TEXT_FILE)].sort());
        expect((await fileRows()).find((r) => r.sha256 === sha(TEXT_FILE))).to.include({ stored_in: "object" });
      });

      it("answers 503 and keeps nothing while the bucket fails, is down or refuses the signature; files stored in the database before stay served", async function () {
        const a = await signIn(alice);
        // A file uploaded while the service kept files in its database.
        app = serviceApp();
        const before = (await (await upload(a, Buffer.from("2026-12-04 error: timeout\n"), "log.txt")).json()) as {
          ref: { sha256: Hex };
        };
        app = serviceApp(s3.env());
        const opening = statement({ attachments: [{ ...before.ref, name: "log.txt" } as never] });
        await post(a, "/v1/cases/openings", { statement: opening });
        await fileClaim(opening);
        const old = await call(a, `/v1/cases/1/attachments/${before.ref.sha256}`);
        expect(old.status).to.equal(200);
        expect(await old.text()).to.equal("2026-12-04 error: timeout\n");
        expect(s3.requests, "read from the database").to.deep.equal([]);

        // Uploads refused with a clear 503 while the bucket cannot take them; what is left is the
        // row that announced the upload, which nothing may cite (the next upload finishes it).
        const refused = async (why: RegExp) => {
          const res = await upload(a, PNG);
          expect(res.status, await res.clone().text()).to.equal(503);
          const body = (await res.json()) as { error: { code: string; message: string } };
          expect(body.error.code).to.equal("storage_unavailable");
          expect(body.error.message).to.match(why);
          expect((await fileRows()).map((r) => r.stored_in).sort()).to.deep.equal(["database", "uploading"]);
        };
        s3.fault = "error";
        await refused(/refused to store: 500 InternalError/);
        await s3.down();
        await refused(/did not answer/);
        await s3.up();
        app = serviceApp(s3.env("not-the-secret"));
        await refused(/403 SignatureDoesNotMatch/);
        expect(s3.objects.size).to.equal(0);

        // Back: stored, cited, read; a read while the bucket fails is a 503, and then served again.
        app = serviceApp(s3.env());
        const { ref } = (await (await upload(a, PNG)).json()) as { ref: { sha256: Hex } };
        expect(
          (await say(a, { text: "The screen.", attachments: [{ ...ref, name: "s.png" } as never] })).status,
        ).to.equal(201);
        const read = () => call(a, `/v1/cases/1/attachments/${ref.sha256}`);
        s3.fault = "error";
        expect((await read()).status).to.equal(503);
        s3.fault = undefined;
        expect((await read()).status).to.equal(200);
        // A replica not configured with the bucket says so rather than guessing.
        app = serviceApp();
        const unconfigured = await read();
        expect(unconfigured.status).to.equal(503);
        expect(await unconfigured.text()).to.match(/not_configured.*CASE_FILES_S3_URL/);
        app = serviceApp(s3.env());

        // Erasing while the bucket fails erases nothing (the words neither); asked again, all of it.
        await closeClaim();
        s3.fault = "error";
        const failed = await post(a, "/v1/cases/1/erase", {});
        expect(failed.status).to.equal(503);
        expect((await view(a)).opening.anchor).to.not.equal("erased");
        expect(s3.objects.size).to.equal(1);
        s3.fault = undefined;
        expect((await post(a, "/v1/cases/1/erase", {})).status).to.equal(200);
        expect(s3.objects.size).to.equal(0);
        expect((await view(a)).opening.anchor).to.equal("erased");
        expect((await read()).status).to.equal(404);
        expect((await call(a, `/v1/cases/1/attachments/${before.ref.sha256}`)).status).to.equal(404);
      });
    });

    // ─── who may read

    it("answers a stranger, a revoked assessor and an unknown case with the same 404", async function () {
      const a = await signIn(alice);
      const opening = statement();
      await post(a, "/v1/cases/openings", { statement: opening });
      await fileClaim(opening);
      expect((await say(a, { text: "private words" })).status).to.equal(201);
      const stranger = await signIn(bob);
      const unknown = await call(stranger, "/v1/cases/99");
      expect(unknown.status).to.equal(404);
      const unknownBody = ((await unknown.json()) as { error: { code: string } }).error.code;
      for (const path of [
        "/v1/cases/1",
        "/v1/cases/1/export",
        "/v1/cases/1/stream",
        `/v1/cases/1/attachments/0x${"11".repeat(32)}`,
      ]) {
        const res = await call(stranger, path);
        expect(res.status, path).to.equal(404);
        const body = await res.text();
        expect(body, path).not.to.include("private words");
        expect((JSON.parse(body) as { error: { code: string } }).error.code).to.equal(unknownBody);
      }
      const bobWrites = await say(stranger, { role: "assessor", text: "let me in" });
      expect(bobWrites.status).to.equal(404);
      expect((await post(stranger, "/v1/cases/1/erase", {})).status).to.equal(404);

      const s = await signIn(assessor);
      expect((await call(s, "/v1/cases/1")).status).to.equal(200);
      staff.delete(assessor.address); // the role is revoked on-chain
      expect((await call(s, "/v1/cases/1")).status).to.equal(404);
      staff.set(bob.address, ["guardian"]);
      expect((await view(stranger)).viewer.role).to.equal("guardian");

      expect((await call(undefined, "/v1/cases/1")).status, "no session").to.equal(401);
      offsetSeconds = 3601; // the session expired
      expect((await call(a, "/v1/cases/1")).status).to.equal(401);
    });

    it("answers 503 without internals while the indexer is down, stores nothing, and serves the case once it is back", async function () {
      const a = await signIn(alice);
      const opening = statement();
      await post(a, "/v1/cases/openings", { statement: opening });
      await fileClaim(opening);
      expect((await say(a, { text: "Nothing arrived." })).status).to.equal(201);
      const s = await signIn(assessor);
      const up = app;
      const next = await draft(a); // drafted while the indexer answers, sent while it does not
      app = serviceApp({}, offlineIndexer());
      const unavailable = {
        code: "indexer_unavailable",
        message: "the indexer did not answer; try again shortly",
      };
      for (const [who, path] of [
        [a, "/v1/cases/1"],
        [s, "/v1/cases/1"],
        [a, "/v1/cases/1/export"],
        [a, "/v1/cases/1/stream"],
      ] as const) {
        const res = await call(who, path);
        expect(res.status, path).to.equal(503);
        const body = await res.text();
        expect(body, path).not.to.include("ECONNREFUSED");
        expect((JSON.parse(body) as { error: object }).error, path).to.deep.include(unavailable);
      }
      const refused = await post(a, "/v1/cases/1/messages", { message: next, signature: await sign(a, next) });
      expect(refused.status).to.equal(503);
      expect(await count("case_messages")).to.equal(1);
      app = up;
      expect((await view(a)).messages.map((m) => m.message?.text)).to.deep.equal(["Nothing arrived."]);
      const sent = await post(a, "/v1/cases/1/messages", { message: next, signature: await sign(a, next) });
      expect(sent.status, await sent.clone().text()).to.equal(201);
    });

    it("badges each staff message by whether its author holds a station role now, never a claimant's", async function () {
      const a = await signIn(alice);
      const opening = statement();
      await post(a, "/v1/cases/openings", { statement: opening });
      await fileClaim(opening);
      expect((await say(a, { text: "Is anyone there?" })).status).to.equal(201);
      const s = await signIn(assessor);
      expect((await say(s, { role: "assessor", text: "Station support here; looking now." })).status).to.equal(201);
      const agents = async () => (await view(a)).messages.map((m) => m.agent);

      expect(await agents()).to.deep.equal([null, { standing: "verified", roles: ["assessor"] }]);
      // Revoked on-chain: the badge turns once the 30 s the roles are reused for have passed.
      staff.delete(assessor.address);
      expect((await agents())[1]).to.deep.equal({ standing: "verified", roles: ["assessor"] });
      offsetSeconds += 31;
      expect(await agents()).to.deep.equal([null, { standing: "no longer staff", roles: [] }]);
      // The chain not answering is said as such, not as a verdict.
      staff.set(assessor.address, ["assessor"]);
      offsetSeconds += 31;
      chainDown = true;
      expect((await agents())[1]).to.deep.equal({ standing: "unchecked", roles: [] });
      // Once the chain answers again, so does the badge.
      chainDown = false;
      offsetSeconds += 31;
      expect((await agents())[1]).to.deep.equal({ standing: "verified", roles: ["assessor"] });
    });

    // ─── bad input: a clear 4xx, nothing stored

    it("refuses bad messages with a clear 4xx and stores none of them", async function () {
      const a = await signIn(alice);
      const opening = statement();
      await post(a, "/v1/cases/openings", { statement: opening });
      await fileClaim(opening);
      const s = await signIn(assessor);
      const before = await count("case_messages");
      const refusals: Array<[string, () => Response | Promise<Response>, number, RegExp]> = [];
      const expectRefusal = (what: string, res: () => Response | Promise<Response>, status: number, code: RegExp) =>
        refusals.push([what, res, status, code]);

      expectRefusal("oversize", () => say(s, { text: "x".repeat(4001) }), 400, /invalid_request/);
      expectRefusal("empty", () => say(s, { text: "   " }), 400, /invalid_request/);
      expectRefusal("stale prev", () => say(s, { prev: `0x${"12".repeat(32)}` }), 409, /stale_prev/);
      expectRefusal("wrong seq", () => say(s, { seq: 5 }), 409, /stale_prev/);
      expectRefusal(
        "another's name",
        () => say(s, { author: alice.address.toLowerCase() as Address, role: "claimant" }),
        403,
        /forbidden/,
      );
      expectRefusal("claimant noting a transition", () => say(a, { action: "accept" }), 400, /invalid_request/);
      expectRefusal("a role not held", () => say(s, { role: "guardian" }), 403, /forbidden/);
      expectRefusal("another claim", () => say(s, { claimId: "2" }), 400, /invalid_request/);
      expectRefusal("clock far off", () => say(s, { at: nowSeconds() - 3600 }), 400, /invalid_request/);
      expectRefusal(
        "unknown attachment",
        () =>
          say(s, {
            attachments: [{ kind: "file", sha256: `0x${"34".repeat(32)}`, type: "image/png", size: 10, name: "x.png" }],
          }),
        422,
        /unknown_attachment/,
      );
      // Forged: signed by a key this session did not delegate.
      const m = await draft(s);
      const forged = privateKeyToAccount(generatePrivateKey());
      expectRefusal(
        "forged signature",
        async () =>
          post(s, "/v1/cases/1/messages", {
            message: m,
            signature: await forged.signMessage({ message: { raw: messageHash(m) } }),
          }),
        403,
        /bad_signature/,
      );
      expectRefusal(
        "not hex",
        () => post(s, "/v1/cases/1/messages", { message: m, signature: "0xzz" }),
        400,
        /invalid_request/,
      );
      expectRefusal("unknown claim", () => say(s, { claimId: "99" }, 99n), 404, /not_found/);
      for (const [what, res, status, code] of refusals) {
        const r = await res();
        expect(r.status, what).to.equal(status);
        expect(await r.text(), what).to.match(code);
      }
      expect(await count("case_messages")).to.equal(before);

      // A session signed in without a session key cannot write (but can read).
      const keyless = await signIn(assessor, false);
      const keylessMessage = await draft(keyless);
      const r = await post(keyless, "/v1/cases/1/messages", {
        message: keylessMessage,
        signature: await s.key.signMessage({ message: { raw: messageHash(keylessMessage) } }),
      });
      expect(r.status).to.equal(401);
      expect(await r.text()).to.match(/no_session_key/);

      // Replayed: the same signed message twice is stored once.
      const once = await draft(s);
      const sig = await sign(s, once);
      expect((await post(s, "/v1/cases/1/messages", { message: once, signature: sig })).status).to.equal(201);
      const replay = await post(s, "/v1/cases/1/messages", { message: once, signature: sig });
      expect(replay.status).to.equal(409);
      expect(await count("case_messages")).to.equal(before + 1);
    });

    it("refuses attachments by their bytes: HTML or SVG posing as an image, empty, too large", async function () {
      const a = await signIn(alice);
      const html = await upload(a, Buffer.from("<html><script>alert(1)</script></html>"), "photo.png");
      expect(html.status).to.equal(415);
      const svg = await upload(a, Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), "x.svg");
      expect(svg.status).to.equal(415);
      const binary = await upload(a, Buffer.from([0x00, 0x01, 0x02, 0xfe, 0xff]), "x.png");
      expect(binary.status).to.equal(415);
      expect((await upload(a, new Uint8Array(0))).status).to.equal(400);
      const big = Buffer.concat([PNG, Buffer.alloc(2 * 1024 * 1024)]);
      expect((await upload(a, big)).status).to.equal(413);
      expect(await count("case_attachments")).to.equal(0);
      // An opening citing a file someone else uploaded is refused.
      const s = await signIn(assessor);
      const { ref } = (await (await upload(s, PNG)).json()) as { ref: object };
      const res = await post(a, "/v1/cases/openings", { statement: statement({ attachments: [ref as never] }) });
      expect(res.status).to.equal(422);
      // And nobody stores an opening in another claimant's name.
      expect((await post(s, "/v1/cases/openings", { statement: statement() })).status).to.equal(403);
      expect(await count("case_openings")).to.equal(0);
    });

    // ─── live

    it("streams a new message to an open page within a second, and tells webhooks only that it exists", async function () {
      const a = await signIn(alice);
      const opening = statement();
      await post(a, "/v1/cases/openings", { statement: opening });
      await fileClaim(opening);
      await service.db.insert(webhookSubscriptions).values({
        id: randomUUID(),
        address: alice.address,
        url: "https://receiver.example/hook",
        eventTypes: ["case.message"],
        secret: "plain:whsec_x",
        status: "active",
      });
      const res = await call(a, "/v1/cases/1/stream");
      expect(res.status).to.equal(200);
      expect(res.headers.get("content-type")).to.match(/text\/event-stream/);
      const reader = res.body!.getReader();
      const s = await signIn(assessor);
      const sentAt = Date.now();
      expect((await say(s, { text: "We are on it." })).status).to.equal(201);
      let seen = "";
      while (!seen.includes("We are on it.")) {
        const chunk = await reader.read();
        if (chunk.done) break;
        seen += new TextDecoder().decode(chunk.value);
      }
      const latency = Date.now() - sentAt;
      expect(seen).to.match(/event: message/);
      expect(seen).to.include("We are on it.");
      expect(latency).to.be.below(1000);

      const deliveries = await service.db.select().from(webhookDeliveries);
      expect(deliveries).to.have.length(1);
      expect(deliveries[0]!.eventType).to.equal("case.message");
      const body = JSON.parse(deliveries[0]!.body) as { data: Record<string, unknown> };
      expect(body.data).to.include({ claimId: "1", seq: 1, role: "assessor" });
      expect(deliveries[0]!.body).not.to.include("We are on it.");

      // Idle polls (the case's head unchanged) send nothing; what moves the head still arrives:
      // a later message, and an on-chain transition.
      await new Promise((r) => setTimeout(r, 1_000));
      expect((await say(a, { text: "Thank you, waiting." })).status).to.equal(201);
      await transition(1n, "Accepted", assessor.address, zeroHash);
      seen = "";
      while (!(seen.includes("Thank you, waiting.") && seen.includes("event: transition"))) {
        const chunk = await reader.read();
        if (chunk.done) break;
        seen += new TextDecoder().decode(chunk.value);
      }
      await reader.cancel();
      expect(seen).to.include("Thank you, waiting.");
      expect(seen).to.match(/event: transition\ndata: \{[^\n]*"Accepted"/);
      expect(seen, "a message is sent once").not.to.include("We are on it.");
    });

    // ─── after closure

    it("takes one signed rating after closure, and erases the claimant's words leaving hashes that still verify", async function () {
      const a = await signIn(alice);
      const opening = statement();
      await post(a, "/v1/cases/openings", { statement: opening });
      await fileClaim(opening);
      const s = await signIn(assessor);
      const note = (await (
        await say(s, { action: "reject", text: "Not covered: the outage was on your side." })
      ).json()) as {
        hash: Hex;
      };
      expect((await say(a, { text: "I disagree, here is why." })).status).to.equal(201);
      const rating = {
        encoding: CASE_ENCODING,
        type: "rating" as const,
        chainId: CHAIN_ID,
        pool: POOL.toLowerCase() as Address,
        claimId: "1",
        author: alice.address.toLowerCase() as Address,
        stars: 2,
        comment: "Fast, but wrong.",
        at: nowSeconds(),
      };
      const rate = async (r = rating, who = a) =>
        post(who, "/v1/cases/1/rating", {
          rating: r,
          signature: await who.key.signMessage({ message: { raw: keccak256(stringToBytes(canonicalize(r)!)) } }),
        });
      const early = await rate();
      expect(early.status).to.equal(409);
      expect(await early.text()).to.match(/not_closed/);
      expect((await post(a, "/v1/cases/1/erase", {})).status).to.equal(409);

      await transition(1n, "Rejected", assessor.address, note.hash);
      expect((await rate({ ...rating, stars: 6 })).status).to.equal(400);
      expect((await rate(rating, s)).status, "the assessor cannot rate").to.equal(403);
      const forged = await post(a, "/v1/cases/1/rating", {
        rating,
        signature: await privateKeyToAccount(generatePrivateKey()).signMessage({
          message: { raw: keccak256(stringToBytes(canonicalize(rating)!)) },
        }),
      });
      expect(forged.status, "a key the session did not delegate").to.equal(403);
      expect(await forged.text()).to.match(/bad_signature.*rating's hash/);
      expect((await view(s)).rating, "nothing stored").to.equal(null);
      expect((await rate()).status).to.equal(201);
      const again = await rate({ ...rating, stars: 5 });
      expect(again.status).to.equal(409);
      expect(await again.text()).to.match(/already_rated/);
      expect((await view(s)).rating).to.deep.equal({ stars: 2, comment: "Fast, but wrong.", at: rating.at });

      expect((await post(s, "/v1/cases/1/erase", {})).status, "only the claimant erases").to.equal(403);
      const erased = await post(a, "/v1/cases/1/erase", {});
      expect(erased.status).to.equal(200);
      expect(((await erased.json()) as { erased: number }).erased).to.equal(3);
      const v = await view(s);
      expect(v.opening.anchor).to.equal("erased");
      expect(v.messages.map((m) => [m.anchor, m.message === null])).to.deep.equal([
        ["matches the chain", false],
        ["erased", true],
      ]);
      expect(v.rating).to.deep.equal({ stars: 2, comment: null, at: rating.at });
      const bundle = (await (await call(a, "/v1/cases/1/export")).json()) as CaseBundle;
      const report = await verifyBundle(bundle, chainView());
      expect(report.problems).to.deep.equal([]);
      expect(report.opening).to.equal("erased");
      expect(report.messages.map((m) => m.state)).to.deep.equal(["matches the chain", "erased"]);
      expect(report.rating).to.equal("erased");
      expect(JSON.stringify(bundle)).not.to.include("I disagree");
    });

    // ─── the station's figures

    it("counts staff reply times per case, kind and tier, and each assessor's record with the ratings", async function () {
      const a = await signIn(alice);
      const s = await signIn(assessor);
      const opening = statement();
      await post(a, "/v1/cases/openings", { statement: opening });
      await fileClaim(opening, 1n, 300); // filed 5 minutes ago
      expect((await say(a, { text: "Anyone there?" })).status).to.equal(201);
      const first = (await (await say(s, { action: "accept", text: "Yes, on it." })).json()) as { hash: Hex };
      await transition(1n, "Accepted", assessor.address, first.hash);
      offsetSeconds += 40;
      expect((await say(a, { text: "Any news?" })).status).to.equal(201);
      offsetSeconds += 20;
      expect((await say(s, { text: "Approving now." })).status).to.equal(201);
      expect((await say(s, { text: "And one more detail." })).status).to.equal(201);
      const close = (await (await say(s, { action: "reject", text: "Closing: not covered." })).json()) as { hash: Hex };
      await transition(1n, "Rejected", assessor.address, close.hash);

      const v = await view(a);
      // First reply 300 s after filing; then 20 s after "Any news?"; later staff lines answer nobody waiting.
      expect((v as unknown as { replies: unknown }).replies).to.deep.equal({
        firstReplySeconds: 300,
        replySeconds: [300, 20],
      });

      const replies = (await (await app.request("/v1/stats/replies")).json()) as {
        firstReply: { overall: { count: number; p50Seconds: number }; byTier: Record<string, { count: number }> };
        reply: {
          overall: { count: number; p50Seconds: number; p90Seconds: number };
          byKind: Record<string, { count: number }>;
        };
      };
      expect(replies.firstReply.overall).to.include({ count: 1, p50Seconds: 300 });
      expect(replies.firstReply.byTier["2"]).to.include({ count: 1 });
      expect(replies.reply.overall).to.include({ count: 2, p50Seconds: 20, p90Seconds: 300 });
      expect(replies.reply.byKind.DataApiOutage).to.include({ count: 2 });
      expect(replies.reply.byKind.MissingReward).to.include({ count: 0 });

      const rating = {
        encoding: CASE_ENCODING,
        type: "rating" as const,
        chainId: CHAIN_ID,
        pool: POOL.toLowerCase() as Address,
        claimId: "1",
        author: alice.address.toLowerCase() as Address,
        stars: 4,
        comment: "",
        at: nowSeconds(),
      };
      const rated = await post(a, "/v1/cases/1/rating", {
        rating,
        signature: await a.key.signMessage({ message: { raw: keccak256(stringToBytes(canonicalize(rating)!)) } }),
      });
      expect(rated.status).to.equal(201);
      const { assessors } = (await (await app.request("/v1/stats/assessors")).json()) as {
        assessors: Array<{
          assessor: string;
          claimsHandled: number;
          timeToAccept: { p50Seconds: number };
          withinResponseDeadline: number;
          rating: { count: number; mean: number };
        }>;
      };
      const mine = assessors.find((x) => x.assessor === assessor.address)!;
      expect(mine.claimsHandled).to.equal(1);
      expect(mine.timeToAccept.p50Seconds).to.equal(300);
      expect(mine.withinResponseDeadline).to.equal(1); // 300 s against a 600 s response deadline
      expect(mine.rating).to.deep.equal({ count: 1, mean: 4 });
    });
  });
}
