/**
 * Incident rounds through the service's routes (/v1/rounds), with the real Sign-In with Ethereum
 * flow and the indexer's tables in a test database: a staff member drafts a round from a CSV (the
 * refused rows named), publishes it once the indexed incident carries its root and total, and a
 * claimant finds their proof by address; everything else is refused with nothing changed.
 */
import { expect } from "chai";
import { sql } from "drizzle-orm";
import { type Address, type Hex, getAddress, keccak256, toHex } from "viem";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";

import { verifyIncidentProof } from "../../common/incident.js";
import * as schema from "../../indexer/ponder.schema.js";
import { createApp } from "../../service/src/app.js";
import type { StaffRole } from "../../service/src/auth/onchain.js";
import { createSiweAuth } from "../../service/src/auth/siwe.js";
import { loadConfig } from "../../service/src/config.js";
import { queryRows, type DatabaseHandle } from "../../service/src/db/client.js";
import { createLogger } from "../../service/src/http/log.js";
import { createMetricsRegistry } from "../../service/src/http/metrics.js";
import type {
  EligibleRoundsResponse,
  RoundDraftProgressResponse,
  RoundDraftResponse,
  RoundResponse,
} from "../../service/src/rounds/routes.js";
import { purgeStaleDrafts } from "../../service/src/rounds/rounds.js";
import { ENGINES, freshServiceDatabase } from "./helpers.js";
import { freshIndexerDatabase, testReader } from "./indexer.js";

// Hardhat's well-known development keys (public knowledge, never used for real funds).
const alice = privateKeyToAccount("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a7876bd36ef12a4b4af");
const bob = privateKeyToAccount("0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a");
const operator = privateKeyToAccount("0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6");
const POOL = getAddress("0x5fbdb2315678afecb367f032d93f642f64180aa3");
const CHAIN_ID = 31337;
const DOMAIN = "station.test";
const C = 10n ** 18n;

const pause = () => new Promise((resolve) => setTimeout(resolve, 25));
const account = (i: number): Address => getAddress(`0x${keccak256(toHex(i)).slice(26)}`);

for (const engine of ENGINES) {
  describe(`incident rounds (${engine})`, function () {
    this.timeout(120_000);
    let service: DatabaseHandle;
    let indexer: DatabaseHandle;
    let staff: Map<Address, StaffRole[]>;
    let roleChecks: Address[];
    let app: ReturnType<typeof createApp>;
    const head = { current: { number: 100n, timestamp: 2_000_000_000n } };

    beforeEach(async function () {
      service = await freshServiceDatabase(engine);
      indexer = await freshIndexerDatabase(engine);
      staff = new Map([[operator.address, ["admin"]]]);
      roleChecks = [];
      head.current = { number: 100n, timestamp: 2_000_000_000n };
      const config = loadConfig({ POOL_ADDRESS: POOL, CHAIN_ID: String(CHAIN_ID) });
      const siwe = createSiweAuth({
        db: service.db,
        settings: { domain: DOMAIN, chainId: CHAIN_ID, nonceTtlSeconds: 600, sessionTtlSeconds: 3600 },
        isAssessor: async () => false,
        now: () => Math.floor(Date.now() / 1000),
      });
      app = createApp({
        db: service.db,
        config,
        log: createLogger("silent"),
        auth: siwe.guards,
        siwe,
        metrics: createMetricsRegistry({ defaults: false }),
        indexerSource: { db: indexer.db, head: async () => undefined },
        indexer: testReader(indexer.db, head),
        now: () => Date.now(),
        staffRoles: async (a) => {
          roleChecks.push(a);
          return staff.get(a) ?? [];
        },
      });
    });
    afterEach(async function () {
      await service.close();
      await indexer.close();
    });

    async function signIn(wallet: PrivateKeyAccount): Promise<string> {
      const { nonce } = (await (await app.request("/v1/auth/nonce", { method: "POST" })).json()) as { nonce: string };
      const now = Date.now();
      const message = createSiweMessage({
        domain: DOMAIN,
        address: wallet.address,
        uri: `https://${DOMAIN}`,
        version: "1",
        chainId: CHAIN_ID,
        nonce,
        issuedAt: new Date(now),
        expirationTime: new Date(now + 3_600_000),
      });
      const res = await app.request("/v1/auth/verify", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ message, signature: await wallet.signMessage({ message }) }),
      });
      expect(res.status).to.equal(200);
      return ((await res.json()) as { token: string }).token;
    }
    const draft = (token: string | undefined, csv: string, unit?: "C" | "wei", headers: Record<string, string> = {}) =>
      app.request(`/v1/rounds/drafts${unit ? `?unit=${unit}` : ""}`, {
        method: "POST",
        headers: { "content-type": "text/csv", ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
        body: csv,
      });
    const progressOf = (token: string | undefined, draftId: string) =>
      app.request(`/v1/rounds/drafts/${draftId}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    const publish = (token: string, draftId: string, incidentId: string) =>
      app.request(`/v1/rounds/drafts/${draftId}/publish`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ incidentId }),
      });
    /** The incident as the indexer writes it after IncidentOpened. */
    async function indexIncident(
      id: bigint,
      root: Hex,
      total: bigint,
      over: Partial<typeof schema.incidents.$inferInsert> = {},
    ) {
      await indexer.db.insert(schema.incidents).values({
        id,
        root,
        total,
        claimed: 0n,
        claimCount: 0,
        claimableAt: 2_000_000_120n,
        claimDeadline: 2_000_172_800n,
        metadataHash: keccak256(toHex("csv")),
        status: "Open",
        openedBy: operator.address.toLowerCase() as Hex,
        openedAt: 2_000_000_000n,
        endedAt: null,
        released: 0n,
        ...over,
      });
    }
    const leaves = () => queryRows<{ n: number }>(service.db, sql`SELECT count(*)::int AS n FROM round_leaves`);

    it("drafts a round from a CSV, names the refused rows, and publishes it once the chain has its root and total", async function () {
      const token = await signIn(operator);
      const csv = `account,amount\n${alice.address},7.5\n${bob.address},1\nnope,2\n${alice.address},3\n${account(1)},0\n`;
      const res = await draft(token, csv);
      expect(res.status).to.equal(201);
      const body = (await res.json()) as RoundDraftResponse;
      expect(body.count).to.equal(2);
      expect(body.total).to.equal(String((85n * C) / 10n));
      expect(body.rejected).to.deep.equal([
        { line: 4, reason: 'bad address "nope"' },
        { line: 5, reason: `duplicate account ${alice.address} (first on line 2)` },
        { line: 6, reason: 'bad amount "0" (expected a number of C above 0 with at most 18 decimals)' },
      ]);
      expect(body.rejectedCount).to.equal(3);
      expect(roleChecks).to.deep.equal([operator.address]);

      // Not yet published: nobody sees it.
      expect((await app.request(`/v1/rounds/1/proofs/${alice.address}`)).status).to.equal(404);
      expect((await publish(token, body.draftId, "1")).status).to.equal(409); // not indexed yet

      await indexIncident(1n, body.root as Hex, BigInt(body.total));
      const published = await publish(token, body.draftId, "1");
      expect(published.status).to.equal(200);
      const round = (await published.json()) as RoundResponse;
      expect(round).to.deep.include({
        incidentId: "1",
        root: body.root,
        total: body.total,
        count: 2,
        claimableAt: 2_000_000_120,
        claimDeadline: 2_000_172_800,
        status: "Open",
      });
      expect(roleChecks).to.have.length(3); // every staff request asks the chain again
      // Publishing again is answered the same; under another incident it is refused.
      expect((await publish(token, body.draftId, "1")).status).to.equal(200);
      expect((await publish(token, body.draftId, "2")).status).to.equal(409);

      expect(await (await app.request("/v1/rounds/1")).json()).to.deep.equal(round);
      const proofRes = await app.request(`/v1/rounds/1/proofs/${alice.address.toLowerCase()}`);
      expect(proofRes.status).to.equal(200);
      const leaf = (await proofRes.json()) as { index: number; amount: string; proof: Hex[]; account: Address };
      expect(leaf).to.deep.include({ index: 0, amount: String((75n * C) / 10n), account: alice.address });
      expect(verifyIncidentProof(body.root as Hex, { ...leaf, amount: BigInt(leaf.amount) }, leaf.proof)).to.equal(
        true,
      );
      expect((await app.request(`/v1/rounds/1/proofs/${operator.address}`)).status).to.equal(404);
      expect((await app.request("/v1/rounds/2")).status).to.equal(404);
    });

    it("drafts in the background on Prefer: respond-async, with progress any caller of the staff can follow, then publishes", async function () {
      const token = await signIn(operator);
      const n = 9_000; // five insert batches
      const csv = `account,amount\n${Array.from({ length: n }, (_, i) => `${account(i)},1`).join("\n")}\nnope,1\n`;
      const res = await draft(token, csv, undefined, { prefer: "respond-async" });
      expect(res.status).to.equal(202);
      expect(res.headers.get("preference-applied")).to.equal("respond-async");
      const started = (await res.json()) as RoundDraftProgressResponse;
      expect(res.headers.get("location")).to.equal(`/v1/rounds/drafts/${started.draftId}`);
      expect(started).to.deep.include({ status: "building", phase: "reading", done: 0, of: n + 2, root: null });

      // Polled until built: every answer is a state the build passes through, in order.
      const seen: RoundDraftProgressResponse[] = [];
      const phases = ["reading", "tree", "storing", "done"];
      for (let last = started; last.status === "building";) {
        await pause(); // as a page polls: the build runs between polls
        const polled = await progressOf(token, started.draftId);
        expect(polled.status).to.equal(200);
        last = (await polled.json()) as RoundDraftProgressResponse;
        const before = seen.at(-1) ?? started;
        expect(phases.indexOf(last.phase)).to.be.at.least(phases.indexOf(before.phase));
        if (last.phase === "storing" && before.phase === "storing") expect(last.done).to.be.at.least(before.done);
        if (last.phase === "storing") expect(last.of).to.equal(n);
        seen.push(last);
      }
      const built = seen.at(-1)!;
      // The page sees the leaves being stored, not only a start and an end.
      expect(
        seen.some((p) => p.phase === "storing" && p.done > 0 && p.done < n),
        JSON.stringify(seen),
      ).to.equal(true);
      expect(built).to.deep.include({ status: "draft", phase: "done", done: n, of: n, count: n, rejectedCount: 1 });
      expect(built.rejected).to.deep.equal([{ line: n + 2, reason: 'bad address "nope"' }]);
      expect(await leaves()).to.deep.equal([{ n }]);
      // The same tree as a synchronous draft of the same file.
      const same = (await (await draft(token, csv)).json()) as RoundDraftResponse;
      expect([built.root, built.total]).to.deep.equal([same.root, same.total]);

      await indexIncident(3n, built.root as Hex, BigInt(built.total!));
      expect((await publish(token, built.draftId, "3")).status).to.equal(200);
      const after = (await (await progressOf(token, built.draftId)).json()) as RoundDraftProgressResponse;
      expect(after).to.deep.include({ status: "published", incidentId: "3" });
      const leaf = await app.request(`/v1/rounds/3/proofs/${account(4_321)}`);
      expect(((await leaf.json()) as { index: number }).index).to.equal(4_321);
    });

    it("says why a background draft failed, never publishes a draft still building or failed, and reports a stopped build", async function () {
      const token = await signIn(operator);
      const res = await draft(token, "account,amount\nnope,1\n", undefined, { prefer: "respond-async" });
      expect(res.status).to.equal(202);
      const { draftId } = (await res.json()) as RoundDraftProgressResponse;
      let failed: RoundDraftProgressResponse;
      do {
        await pause();
        failed = (await (await progressOf(token, draftId)).json()) as RoundDraftProgressResponse;
      } while (failed.status === "building");
      expect(failed).to.deep.include({
        status: "failed",
        error: { code: "no_rows", message: "the CSV holds no acceptable account,amount row" },
        rejectedCount: 1,
        root: null,
      });
      expect(failed.rejected).to.deep.equal([{ line: 2, reason: 'bad address "nope"' }]);
      const refused = await publish(token, draftId, "1");
      expect(refused.status).to.equal(409);
      expect(((await refused.json()) as { error: { code: string } }).error.code).to.equal("draft_failed");

      // A build in progress (as another replica would be writing it) cannot be published yet...
      const now = Math.floor(Date.now() / 1000);
      const building = "00000000-0000-4000-8000-00000000000b";
      await service.db
        .execute(sql`INSERT INTO rounds (id, status, phase, progress_done, progress_of, heartbeat_at, created_by, created_at)
          VALUES (${building}, 'building', 'storing', 2000, 9000, ${now}, ${operator.address}, ${now})`);
      const early = await publish(token, building, "1");
      expect(early.status).to.equal(409);
      expect(((await early.json()) as { error: { code: string } }).error.code).to.equal("draft_not_ready");
      expect(await (await progressOf(token, building)).json()).to.deep.include({ status: "building", done: 2000 });
      // ...and one silent for more than two minutes stopped with its process: it reads as failed.
      await service.db.execute(sql`UPDATE rounds SET heartbeat_at = ${now - 121} WHERE id = ${building}`);
      expect(await (await progressOf(token, building)).json()).to.deep.include({
        status: "failed",
        error: {
          code: "build_stopped",
          message: "the build stopped (its service process ended); upload the CSV again",
        },
      });

      // Only staff read a draft; an unknown draft is 404, a malformed id 400.
      expect((await progressOf(await signIn(bob), draftId)).status).to.equal(403);
      expect((await progressOf(undefined, draftId)).status).to.equal(401);
      expect((await progressOf(token, "00000000-0000-4000-8000-000000000000")).status).to.equal(404);
      expect((await progressOf(token, "nope")).status).to.equal(400);
      // A stranger's background draft is refused before anything is stored.
      const before = await queryRows<{ n: number }>(service.db, sql`SELECT count(*)::int AS n FROM rounds`);
      const stranger = await draft(await signIn(bob), `${alice.address},1`, undefined, { prefer: "respond-async" });
      expect(stranger.status).to.equal(403);
      expect(await queryRows(service.db, sql`SELECT count(*)::int AS n FROM rounds`)).to.deep.equal(before);
    });

    it("purges drafts never published once they are older than the TTL, with their leaves; published rounds stay", async function () {
      const token = await signIn(operator);
      const upload = async (csv: string) => ((await (await draft(token, csv)).json()) as RoundDraftResponse).draftId;
      const stale = await upload(`account,amount\n${alice.address},1\n${bob.address},2\n`);
      const kept = await upload(`account,amount\n${alice.address},3\n`);
      const publishedId = await upload(`account,amount\n${bob.address},4\n`);
      const [root] = await queryRows<{ root: Hex; total: string }>(
        service.db,
        sql`SELECT root, total FROM rounds WHERE id = ${publishedId}`,
      );
      await indexIncident(1n, root!.root, BigInt(root!.total));
      expect((await publish(token, publishedId, "1")).status).to.equal(200);
      // The stale draft and the published round were uploaded 8 days ago; the other draft an hour ago.
      const now = Math.floor(Date.now() / 1000);
      await service.db.execute(
        sql`UPDATE rounds SET created_at = ${now - 8 * 86_400} WHERE id IN (${stale}, ${publishedId})`,
      );
      await service.db.execute(sql`UPDATE rounds SET created_at = ${now - 3_600} WHERE id = ${kept}`);
      expect((await leaves())[0]!.n).to.equal(4);

      expect(await purgeStaleDrafts(service.db, now, 7 * 86_400)).to.equal(1);
      const left = await queryRows<{ id: string; status: string }>(
        service.db,
        sql`SELECT id, status FROM rounds ORDER BY status`,
      );
      expect(left.map((r) => r.id).sort()).to.deep.equal([kept, publishedId].sort());
      expect((await leaves())[0]!.n, "the stale draft's leaves went with it").to.equal(2);
      expect(await purgeStaleDrafts(service.db, now, 7 * 86_400), "idempotent").to.equal(0);
      // The published round still answers; the purged draft cannot be published any more.
      expect((await app.request(`/v1/rounds/1/proofs/${bob.address}`)).status).to.equal(200);
      expect((await publish(token, stale, "2")).status).to.equal(404);
    });

    it("lists an account's claimable rounds with proofs and claimed flags, past their deadline too, leaving out closed and draft ones", async function () {
      const token = await signIn(operator);
      const made: RoundDraftResponse[] = [];
      for (const amount of ["1", "2", "3", "4"]) {
        made.push(
          (await (await draft(token, `${alice.address},${amount}\n${bob.address},9`)).json()) as RoundDraftResponse,
        );
      }
      const [open, claimed, closed, late] = made as [RoundDraftResponse, ...RoundDraftResponse[]];
      await indexIncident(1n, open.root as Hex, BigInt(open.total));
      await indexIncident(2n, claimed!.root as Hex, BigInt(claimed!.total));
      await indexIncident(3n, closed!.root as Hex, BigInt(closed!.total), { status: "Closed" });
      // Past its deadline but not closed: its vault still pays.
      await indexIncident(4n, late!.root as Hex, BigInt(late!.total), { claimDeadline: 1_999_999_999n });
      for (const [i, d] of made.entries())
        expect((await publish(token, d.draftId, String(i + 1))).status).to.equal(200);
      await indexer.db.insert(schema.incidentClaims).values({
        incidentId: 2n,
        index: 0n,
        account: alice.address.toLowerCase() as Hex,
        amount: 2n * C,
        sender: alice.address.toLowerCase() as Hex,
        chainId: CHAIN_ID,
        blockNumber: 101n,
        blockTimestamp: 2_000_000_200n,
        txHash: keccak256(toHex("tx")),
        logIndex: 0,
      });
      // A fifth draft that is never published.
      await draft(token, `${alice.address},5`);

      const res = await app.request(`/v1/rounds/eligible/${alice.address}`);
      expect(res.status).to.equal(200);
      const { account: who, items } = (await res.json()) as EligibleRoundsResponse;
      expect(who).to.equal(alice.address);
      expect(items.map((i) => [i.incidentId, i.amount, i.claimed])).to.deep.equal([
        ["4", String(4n * C), false], // the nearest deadline first
        ["1", String(C), false],
        ["2", String(2n * C), true],
      ]);
      for (const item of items) {
        expect(
          verifyIncidentProof(
            item.root as Hex,
            { ...item, account: alice.address, amount: BigInt(item.amount) },
            item.proof as Hex[],
          ),
        ).to.equal(true);
      }
      const none = (await (
        await app.request(`/v1/rounds/eligible/${operator.address}`)
      ).json()) as EligibleRoundsResponse;
      expect(none.items).to.deep.equal([]);
      expect((await app.request("/v1/rounds/eligible/0x1234")).status).to.equal(400);
    });

    it("refuses drafts from strangers, anonymous callers and files without a good row, and a publication the chain contradicts", async function () {
      const csv = `${alice.address},1`;
      expect((await draft(undefined, csv)).status).to.equal(401);
      const stranger = await signIn(bob);
      const refused = await draft(stranger, csv);
      expect(refused.status).to.equal(403);
      expect(((await refused.json()) as { error: { code: string } }).error.code).to.equal("forbidden");
      expect(await leaves()).to.deep.equal([{ n: 0 }]);

      const token = await signIn(operator);
      const empty = await draft(token, "account,amount\nnope,1\n");
      expect(empty.status).to.equal(422);
      expect(((await empty.json()) as { error: { details: unknown } }).error.details).to.deep.equal({
        rejected: [{ line: 2, reason: 'bad address "nope"' }],
        rejectedCount: 1,
      });
      expect((await draft(token, csv, "wei")).status).to.equal(201);
      const d = (await (await draft(token, `${alice.address},2`)).json()) as RoundDraftResponse;
      expect(BigInt(d.total)).to.equal(2n * C);
      await indexIncident(7n, d.root as Hex, BigInt(d.total) + 1n);
      const mismatch = await publish(token, d.draftId, "7");
      expect(mismatch.status).to.equal(409);
      expect(((await mismatch.json()) as { error: { code: string } }).error.code).to.equal("incident_mismatch");
      expect((await app.request("/v1/rounds/7")).status).to.equal(404);
      // A staff member whose role was revoked is refused on the next request.
      staff.delete(operator.address);
      expect((await publish(token, d.draftId, "7")).status).to.equal(403);
      expect((await publish(token, "00000000-0000-4000-8000-000000000000", "7")).status).to.equal(403);
    });

    it("drafts 100,000 rows and finds a claimant's proof by address", async function () {
      if (engine === "postgres" && process.env.ROUNDS_LARGE !== "1") this.skip();
      const token = await signIn(operator);
      const rows = Array.from({ length: 100_000 }, (_, i) => `${account(i)},${1 + (i % 97)}.25`);
      const res = await draft(token, `account,amount\n${rows.join("\n")}\n`);
      expect(res.status).to.equal(201);
      const body = (await res.json()) as RoundDraftResponse;
      expect(body.count).to.equal(100_000);
      expect(await leaves()).to.deep.equal([{ n: 100_000 }]);
      await indexIncident(1n, body.root as Hex, BigInt(body.total));
      expect((await publish(token, body.draftId, "1")).status).to.equal(200);
      const leaf = (await (await app.request(`/v1/rounds/1/proofs/${account(77_777)}`)).json()) as {
        index: number;
        amount: string;
        proof: Hex[];
      };
      expect(leaf.index).to.equal(77_777);
      expect(leaf.proof).to.have.length.within(16, 17);
      expect(
        verifyIncidentProof(
          body.root as Hex,
          { index: 77_777, account: account(77_777), amount: BigInt(leaf.amount) },
          leaf.proof,
        ),
      ).to.equal(true);
    });
  });
}
