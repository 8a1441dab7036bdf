import { expect } from "chai";

import type { ClaimView, StageView } from "../../service/src/claims/view.js";
import { negotiateLanguage } from "../../service/src/claims/i18n.js";
import { deadlineState } from "../../service/src/claims/sla.js";
import type { QueueResponse } from "../../service/src/queue/routes.js";
import { ENGINES } from "./helpers.js";
import {
  ALICE,
  ASSESSOR,
  BOB,
  insertBooking,
  insertClaims,
  offlineIndexer,
  randomAddress,
  setBreachCredits,
  T0,
  testReader,
} from "./indexer.js";
import { claimsFixture, getJson, type ReadFixture } from "./readApp.js";

type ErrorBody = { error: { code: string; message: string; details?: unknown } };
type ClaimBody = ClaimView & { lang: string };
type Page = {
  items: Array<{ id: string; claimant: string; statusText: string }>;
  nextCursor: string | null;
  account: string;
  page: number | null;
};
type QueueBody = QueueResponse;

const stage = (body: ClaimBody, name: string): StageView => {
  const found = body.timeline.find((s) => s.stage === name);
  if (found === undefined) throw new Error(`no stage ${name} in ${body.timeline.map((s) => s.stage).join(", ")}`);
  return found;
};

describe("language negotiation", function () {
  it("lets ?lang= win over Accept-Language", function () {
    expect(negotiateLanguage("id", "es, zh;q=0.9")).to.equal("id");
    expect(negotiateLanguage("zh-Hant-TW", undefined)).to.equal("zh");
    expect(negotiateLanguage("ES", undefined)).to.equal("es");
  });

  it("serves English for a ?lang= it does not have, without consulting the header", function () {
    expect(negotiateLanguage("fr", "id")).to.equal("en");
  });

  it("picks the highest q-value it serves from Accept-Language", function () {
    expect(negotiateLanguage(undefined, "es-MX;q=0.8, zh;q=0.9, en;q=0.1")).to.equal("zh");
    expect(negotiateLanguage(undefined, "fr-FR, de;q=0.9, id-ID;q=0.5")).to.equal("id");
    expect(negotiateLanguage(undefined, "in")).to.equal("id");
    expect(negotiateLanguage(undefined, "es;q=0, zh;q=0.2")).to.equal("zh");
    expect(negotiateLanguage(undefined, "es, id")).to.equal("es");
  });

  it("falls back to English", function () {
    expect(negotiateLanguage(undefined, undefined)).to.equal("en");
    expect(negotiateLanguage(undefined, "fr, de")).to.equal("en");
    expect(negotiateLanguage("", "garbage;;;q=x")).to.equal("en");
  });
});

describe("deadline states", function () {
  const base = { start: 1000n, deadline: 1600n, atRiskFraction: 0.25 };
  it("is on track while at least a quarter of the window is left, at risk below, breached after", function () {
    expect(deadlineState({ ...base, now: 1450n })).to.equal("on-track"); // 150 of 600 left: exactly 25%
    expect(deadlineState({ ...base, now: 1451n })).to.equal("at-risk");
    expect(deadlineState({ ...base, now: 1600n })).to.equal("at-risk");
    expect(deadlineState({ ...base, now: 1601n })).to.equal("breached");
  });

  it("is met or breached once reached, whatever the time now", function () {
    expect(deadlineState({ ...base, now: 99_999n, reachedAt: 1600n })).to.equal("met");
    expect(deadlineState({ ...base, now: 1000n, reachedAt: 1601n })).to.equal("breached");
  });

  it("follows the configured fraction", function () {
    expect(deadlineState({ ...base, now: 1451n, atRiskFraction: 0.1 })).to.equal("on-track");
    expect(deadlineState({ ...base, now: 1541n, atRiskFraction: 0.1 })).to.equal("at-risk");
  });
});

for (const engine of ENGINES) {
  describe(`claim tracking (${engine})`, function () {
    let f: ReadFixture;
    beforeEach(async function () {
      f = await claimsFixture(engine);
    });
    afterEach(async function () {
      await f.close();
    });

    it("shows a claim's stages with times, transactions, deadlines and their states", async function () {
      const { status, body, headers } = await getJson<ClaimBody>(f.app(), "/v1/claims/1");
      expect(status).to.equal(200);
      expect(headers.get("content-language")).to.equal("en");
      expect(body).to.deep.include({ id: "1", lang: "en", kind: "DataApiOutage", status: "Investigating" });
      expect(body.claimant).to.equal(ALICE);
      expect(body.statusText).to.equal("A technician is investigating");
      expect(body.amounts).to.deep.equal({
        requested: "2500000000000000000",
        approved: "0",
        lateCredit: "0",
        noResponseCredit: "0",
        resolutionCredit: "0",
        paid: "0",
      });
      expect(body.tier).to.deep.equal({ level: 0, slaFactorBps: 10_000, priority: false });
      expect(body.deadlines).to.deep.equal({ response: Number(T0) + 700, resolution: Number(T0) + 14_500 });
      expect(body.timeline.map((s) => [s.stage, s.reached])).to.deep.equal([
        ["Submitted", true],
        ["Accepted", true],
        ["Investigating", true],
        ["Approved", false],
        ["Paid", false],
      ]);
      expect(stage(body, "Submitted")).to.deep.include({
        text: "Request received",
        reachedAt: Number(T0) + 100,
        blockNumber: 100,
        confirmations: 901,
        pendingFinality: false,
        deadline: null,
        state: null,
      });
      expect(stage(body, "Submitted").txHash).to.match(/^0x[0-9a-f]{64}$/);
      expect(stage(body, "Accepted")).to.deep.include({
        text: "Customer service has accepted the request",
        deadline: Number(T0) + 700,
        deadlineKind: "response",
        state: "met",
        stateText: "Done within the deadline",
      });
      expect(stage(body, "Approved")).to.deep.include({
        text: "Solution sent — compensation approved",
        reachedAt: null,
        txHash: null,
        deadline: Number(T0) + 14_500,
        deadlineKind: "resolution",
        state: "on-track",
      });
      expect(stage(body, "Paid")).to.deep.include({ text: "Compensation credited", deadline: null, state: null });
      expect(body.sla).to.deep.equal({
        deadlineKind: "resolution",
        deadline: Number(T0) + 14_500,
        secondsLeft: 13_500,
        state: "on-track",
        stateText: "On track",
      });
      expect(body.outcomes).to.deep.equal({ response: "met", resolution: "on-track" });
    });

    it("marks a step pending finality until it has the configured confirmations", async function () {
      // The Investigating transition is in block 999; the head is 1000: two confirmations.
      f.head.current = { number: 999n, timestamp: T0 + 999n };
      let { body } = await getJson<ClaimBody>(f.app(), "/v1/claims/1");
      expect(stage(body, "Investigating")).to.deep.include({
        confirmations: 1,
        pendingFinality: true,
        finalityText: "Pending finality (1 of 2 confirmations)",
      });
      expect(stage(body, "Accepted").pendingFinality).to.equal(false);
      expect(body.finality).to.deep.equal({ headBlock: 999, required: 2, confirmations: 1, pending: true });

      f.head.current = { number: 1000n, timestamp: T0 + 1000n };
      ({ body } = await getJson<ClaimBody>(f.app(), "/v1/claims/1"));
      expect(stage(body, "Investigating")).to.deep.include({
        confirmations: 2,
        pendingFinality: false,
        finalityText: null,
      });
      expect(body.finality.pending).to.equal(false);

      // A mainnet-like setting wants 12.
      ({ body } = await getJson<ClaimBody>(f.app({ CHAIN_ID: "1" }), "/v1/claims/1?lang=es"));
      expect(stage(body, "Investigating").finalityText).to.equal("Pendiente de finalidad (2 de 12 confirmaciones)");
      expect(body.finality).to.deep.include({ required: 12, pending: true });
    });

    it("turns at risk with less than a quarter of the window left, then breached", async function () {
      // Claim 2: submitted T0+500, response deadline T0+1100 (600 s window). Deadlines are judged
      // by the chain's clock: the head block (T0+900, seen now) plus the time since it was seen.
      f.clock.now = T0 + 900n;
      f.head.current = { number: 900n, timestamp: T0 + 900n }; // 200 s left: on track
      expect((await getJson<ClaimBody>(f.app(), "/v1/claims/2")).body.sla?.state).to.equal("on-track");
      f.clock.now = T0 + 1000n; // 100 s left (17%): at risk
      const atRisk = (await getJson<ClaimBody>(f.app(), "/v1/claims/2?lang=id")).body;
      expect(atRisk.sla).to.deep.equal({
        deadlineKind: "response",
        deadline: Number(T0) + 1100,
        secondsLeft: 100,
        state: "at-risk",
        stateText: "Berisiko melewati tenggat",
      });
      expect(stage(atRisk, "Accepted").state).to.equal("at-risk");
      // A smaller configured fraction keeps it on track.
      expect(
        (await getJson<ClaimBody>(f.app({ SLA_AT_RISK_FRACTION: "0.1" }), "/v1/claims/2")).body.sla?.state,
      ).to.equal("on-track");
      f.clock.now = T0 + 1101n;
      const late = (await getJson<ClaimBody>(f.app(), "/v1/claims/2")).body;
      expect(late.sla).to.deep.include({ state: "breached", secondsLeft: -1, stateText: "Deadline missed" });
      expect(late.outcomes.response).to.equal("breached");
    });

    it("shows a closed claim's closing stage and no pending deadline", async function () {
      const rejected = (await getJson<ClaimBody>(f.app(), "/v1/claims/3?lang=zh")).body;
      expect(rejected.timeline.map((s) => s.stage)).to.deep.equal(["Submitted", "Rejected"]);
      expect(stage(rejected, "Rejected")).to.deep.include({
        text: "已关闭：请求被拒绝",
        reachedAt: Number(T0) + 300,
        deadlineKind: "resolution",
        state: "met",
      });
      expect(rejected.sla).to.equal(null);
      expect(rejected.outcomes).to.deep.equal({ response: "met", resolution: "met" });

      const cancelled = (await getJson<ClaimBody>(f.app(), "/v1/claims/5")).body;
      expect(cancelled.timeline.map((s) => [s.stage, s.text])).to.deep.equal([
        ["Submitted", "Request received"],
        ["Cancelled", "Closed: cancelled by the requester"],
      ]);
      expect(cancelled.outcomes).to.deep.equal({ response: null, resolution: null });
    });

    it("shows a paid priority claim with its amounts, a late acceptance, and submission from the claim row", async function () {
      const { body } = await getJson<ClaimBody>(f.app(), "/v1/claims/4");
      expect(body.tier).to.deep.equal({ level: 1, slaFactorBps: 5000, priority: true });
      expect(body.amounts).to.deep.equal({
        requested: "1000000000000000000",
        approved: "1000000000000000000",
        lateCredit: "100000000000000000",
        noResponseCredit: "500000000000000000",
        resolutionCredit: "0",
        paid: "1100000000000000000",
      });
      expect(stage(body, "Accepted").state).to.equal("breached");
      expect(body.outcomes).to.deep.equal({ response: "breached", resolution: "met" });
      // Not in the transitions: taken from the claim row (block, tx) instead.
      expect(stage(body, "Submitted")).to.deep.include({ reached: true, reachedAt: Number(T0), blockNumber: 0 });
      expect(stage(body, "Submitted").txHash).to.match(/^0x0+190$/);
      expect(body.timeline.map((s) => s.stage)).to.deep.equal(["Submitted", "Accepted", "Approved", "Paid"]);
      expect(body.sla).to.equal(null);
    });

    it("speaks Indonesian, Spanish and Chinese, by ?lang= or Accept-Language, and says which it served", async function () {
      const texts = async (path: string, headers: Record<string, string> = {}) => {
        const r = await getJson<ClaimBody>(f.app(), path, headers);
        return [r.body.lang, r.headers.get("content-language"), r.body.timeline.map((s) => s.text)];
      };
      expect(await texts("/v1/claims/1?lang=id")).to.deep.equal([
        "id",
        "id",
        [
          "Permintaan diterima",
          "Layanan pelanggan telah menerima permintaan",
          "Teknisi sedang menyelidiki",
          "Solusi dikirim — kompensasi disetujui",
          "Kompensasi telah dikreditkan",
        ],
      ]);
      expect(await texts("/v1/claims/1", { "Accept-Language": "fr;q=1, es-MX;q=0.7, zh;q=0.5" })).to.deep.equal([
        "es",
        "es",
        [
          "Solicitud recibida",
          "El servicio de atención al cliente ha aceptado la solicitud",
          "Un técnico está investigando",
          "Solución enviada: compensación aprobada",
          "Compensación acreditada",
        ],
      ]);
      expect(await texts("/v1/claims/1?lang=zh", { "Accept-Language": "es" })).to.deep.equal([
        "zh",
        "zh",
        ["已收到请求", "客服已受理请求", "技术人员正在调查", "解决方案已发送——补偿已批准", "补偿已到账"],
      ]);
      const unknown = await texts("/v1/claims/1?lang=fr", { "Accept-Language": "id" });
      expect(unknown.slice(0, 2)).to.deep.equal(["en", "en"]);
    });

    it("refuses ids that are not decimal claim ids, with the error shape", async function () {
      for (const bad of ["abc", "-1", "01", "1.5", "0x10", String(1n << 256n)]) {
        const { status, body } = await getJson<ErrorBody>(f.app(), `/v1/claims/${bad}`);
        expect(status, bad).to.equal(400);
        expect(body.error.code).to.equal("invalid_request");
        expect(body.error.message).to.match(/^invalid request: id: /);
      }
      const max = String((1n << 256n) - 1n);
      expect((await getJson(f.app(), `/v1/claims/${max}`)).status).to.equal(404);
    });

    it("answers an unknown claim with 404 and the error shape", async function () {
      const { status, headers, body } = await getJson<ErrorBody>(f.app(), "/v1/claims/999");
      expect(status).to.equal(404);
      expect(body).to.deep.equal({
        error: { code: "not_found", message: "claim 999 does not exist", requestId: headers.get("x-request-id") },
      });
    });

    it("answers 503 without internals when the indexer is down", async function () {
      for (const path of ["/v1/claims/1", `/v1/accounts/${ALICE}/claims`, "/v1/stats"]) {
        const { status, headers, body } = await getJson<ErrorBody>(f.app({}, offlineIndexer()), path);
        expect(status, path).to.equal(503);
        expect(body).to.deep.equal({
          error: {
            code: "indexer_unavailable",
            message: "the indexer did not answer; try again shortly",
            requestId: headers.get("x-request-id"),
          },
        });
      }
    });

    describe("an account's claims", function () {
      beforeEach(async function () {
        await insertClaims(
          f.handle.db,
          [10n, 11n, 12n].map((id) => ({ id, submittedAt: T0 + id })),
        );
      });

      it("lists them newest first, page by page with the cursor", async function () {
        const seen: string[] = [];
        let path = `/v1/accounts/${ALICE}/claims?limit=2`;
        for (let i = 0; i < 10; i++) {
          const { status, body } = await getJson<Page>(f.app(), path);
          expect(status).to.equal(200);
          seen.push(...body.items.map((c) => c.id));
          if (body.nextCursor === null) break;
          path = `/v1/accounts/${ALICE}/claims?limit=2&cursor=${body.nextCursor}`;
        }
        expect(seen).to.deep.equal(["12", "11", "10", "5", "4", "3", "1"]);
      });

      it("also pages by number, and normalises the address", async function () {
        const { body } = await getJson<Page>(
          f.app(),
          `/v1/accounts/${ALICE.toLowerCase()}/claims?limit=3&page=2&lang=es`,
        );
        expect(body.account).to.equal(ALICE);
        expect(body.page).to.equal(2);
        expect(body.items.map((c) => c.id)).to.deep.equal(["5", "4", "3"]);
        expect(body.items[0]?.statusText).to.equal("Cerrada: cancelada por el solicitante");
        const bob = await getJson<Page>(f.app(), `/v1/accounts/${BOB.toUpperCase().replace("0X", "0x")}/claims`);
        expect(bob.body.items.map((c) => c.id)).to.deep.equal(["2"]);
        expect(bob.body.nextCursor).to.equal(null);
      });

      it("refuses a bad address, checksum, limit or cursor with a clear 400", async function () {
        const broken = ALICE.replace("C51812Dc3A", "c51812Dc3A"); // one letter's case flipped: bad checksum
        const cases: Array<[string, RegExp]> = [
          [`/v1/accounts/${broken}/claims`, /address: .*checksum/],
          ["/v1/accounts/0x1234/claims", /address: /],
          [`/v1/accounts/${ALICE}/claims?limit=101`, /limit: /],
          [`/v1/accounts/${ALICE}/claims?limit=0`, /limit: /],
          [`/v1/accounts/${ALICE}/claims?cursor=!!`, /cursor: not a cursor from this listing/],
          [`/v1/accounts/${ALICE}/claims?cursor=${Buffer.from("q:1:2").toString("base64url")}`, /cursor: /],
          [`/v1/accounts/${ALICE}/claims?page=1&cursor=YToz`, /either cursor or page/],
        ];
        for (const [path, message] of cases) {
          const { status, body } = await getJson<ErrorBody>(f.app(), path);
          expect(status, path).to.equal(400);
          expect(body.error.code, path).to.equal("invalid_request");
          expect(body.error.message, path).to.match(message);
        }
      });
    });

    describe("the chain's clock", function () {
      const auth = { Authorization: `Test ${ASSESSOR}` };
      const item = (body: QueueBody, id: string) => body.items.find((i) => i.id === id)!;

      it("says breached and credit due once the chain has passed a deadline, the wall clock still before it", async function () {
        await setBreachCredits(f.handle.db, 5n * 10n ** 18n, 0n);
        // Claim 2: response deadline T0+1100. Wall clock and chain at T0+1000: at risk, nothing due.
        let claim = (await getJson<ClaimBody>(f.app(), "/v1/claims/2")).body;
        expect(claim.sla).to.deep.include({ state: "at-risk", secondsLeft: 100 });
        let queue = (await getJson<QueueBody>(f.app(), "/v1/queue", auth)).body;
        expect(item(queue, "2")).to.deep.include({ state: "at-risk", secondsLeft: 100 });
        expect(item(queue, "2").credits.due).to.deep.equal([]);

        // Time travel: the chain's next block is stamped T0+1200; the wall clock stays at T0+1000.
        f.head.current = { number: 1001n, timestamp: T0 + 1200n };
        claim = (await getJson<ClaimBody>(f.app(), "/v1/claims/2")).body;
        expect(claim.sla).to.deep.include({ state: "breached", secondsLeft: -100 });
        expect(claim.outcomes.response).to.equal("breached");
        expect(stage(claim, "Accepted").state).to.equal("breached");
        queue = (await getJson<QueueBody>(f.app(), "/v1/queue?breached=true", auth)).body;
        expect(queue.now).to.equal(Number(T0) + 1200);
        expect(queue.items.map((i) => i.id)).to.deep.equal(["2"]);
        expect(item(queue, "2")).to.deep.include({ state: "breached", secondsLeft: -100 });
        expect(item(queue, "2").credits.due).to.deep.equal([
          { kind: "NoResponse", amount: (5n * 10n ** 18n).toString() },
        ]);
        const listed = await getJson<{ items: ClaimBody[] }>(f.app(), `/v1/accounts/${BOB}/claims`);
        expect(listed.body.items.find((c) => c.id === "2")?.sla?.state).to.equal("breached");

        // Between blocks the chain's clock runs with the wall clock from when the block was seen.
        f.clock.now = T0 + 1010n;
        expect((await getJson<ClaimBody>(f.app(), "/v1/claims/2")).body.sla?.secondsLeft).to.equal(-110);
      });

      it("says on track while the chain lags behind the wall clock, and nothing is due", async function () {
        await setBreachCredits(f.handle.db, 5n * 10n ** 18n, 0n);
        // The wall clock is past claim 2's deadline (T0+1100); the chain's newest block says T0+1000.
        f.clock.now = T0 + 1300n;
        const app = f.app({}, testReader(f.handle.db, f.head));
        const claim = (await getJson<ClaimBody>(app, "/v1/claims/2")).body;
        expect(claim.sla).to.deep.include({ state: "at-risk", secondsLeft: 100 });
        expect(claim.outcomes.response).to.equal("at-risk");
        const queue = (await getJson<QueueBody>(app, "/v1/queue", auth)).body;
        expect(queue.now).to.equal(Number(T0) + 1000);
        expect(item(queue, "2")).to.deep.include({ state: "at-risk" });
        expect(item(queue, "2").credits.due).to.deep.equal([]);
      });
    });

    describe("the SLA queue", function () {
      const auth = { Authorization: `Test ${ASSESSOR}` };
      beforeEach(async function () {
        await insertClaims(f.handle.db, [
          { id: 20n, submittedAt: T0 + 900n, kind: "RedemptionToolFailure" }, // response due T0+1500
          { id: 21n, submittedAt: T0 + 900n, tier: 1, responseWindow: 300n, kind: "RedemptionToolFailure" }, // due T0+1200
          { id: 22n, submittedAt: T0 + 950n, payableAt: T0 + 2000n, steps: [{ status: "Approved", at: T0 + 990n }] },
        ]);
      });

      it("is for assessors only", async function () {
        expect((await getJson<ErrorBody>(f.app(), "/v1/queue")).status).to.equal(401);
        const other = await getJson<ErrorBody>(f.app(), "/v1/queue", { Authorization: `Test ${BOB}` });
        expect(other.status).to.equal(403);
        expect(other.body.error.code).to.equal("forbidden");
      });

      it("orders open claims by the nearest deadline, with time left and state", async function () {
        const { status, body } = await getJson<QueueBody>(f.app(), "/v1/queue", auth);
        expect(status).to.equal(200);
        expect(body.now).to.equal(Number(T0) + 1000);
        expect(body.items.map((i) => [i.id, i.deadlineKind, i.secondsLeft, i.state])).to.deep.equal([
          ["2", "response", 100, "at-risk"],
          ["21", "response", 200, "on-track"],
          ["20", "response", 500, "on-track"],
          ["22", "payable", 1000, "on-track"],
          ["1", "resolution", 13_500, "on-track"],
        ]);
        expect(body.items[0]?.claimant).to.equal(BOB);
        expect(body.nextCursor).to.equal(null);
      });

      it("filters by kind, tier and breached, and pages with the cursor", async function () {
        const ids = async (query: string) =>
          (await getJson<QueueBody>(f.app(), `/v1/queue?${query}`, auth)).body.items.map((i) => i.id);
        expect(await ids("kind=RedemptionToolFailure")).to.deep.equal(["21", "20"]);
        expect(await ids("tier=1")).to.deep.equal(["21"]);
        expect(await ids("breached=true")).to.deep.equal([]);
        f.clock.now = T0 + 1300n;
        expect(await ids("breached=true")).to.deep.equal(["2", "21"]);
        expect(await ids("breached=false")).to.deep.equal(["20", "22", "1"]);

        const seen: string[] = [];
        let query = "limit=2";
        for (let i = 0; i < 5; i++) {
          const { body } = await getJson<QueueBody>(f.app(), `/v1/queue?${query}`, auth);
          seen.push(...body.items.map((item) => item.id));
          if (body.nextCursor === null) break;
          query = `limit=2&cursor=${body.nextCursor}`;
        }
        expect(seen).to.deep.equal(["2", "21", "20", "22", "1"]);
      });

      it("answers identical requests within QUEUE_CACHE_MS from one indexer read", async function () {
        const reader = testReader(f.handle.db, f.head);
        let reads = 0;
        const counting = { ...reader, queue: (q: Parameters<typeof reader.queue>[0]) => (reads++, reader.queue(q)) };
        const app = f.app({}, counting);
        const first = await getJson<QueueBody>(app, "/v1/queue", auth);
        await getJson(app, "/v1/queue", auth);
        expect(reads).to.equal(1);
        await getJson(app, "/v1/queue?kind=Other", auth);
        expect(reads).to.equal(2);
        f.clock.now += 1n;
        const later = await getJson<QueueBody>(app, "/v1/queue", auth);
        expect(reads).to.equal(3);
        expect(later.body.now).to.equal(first.body.now + 1);

        reads = 0;
        const uncached = f.app({ QUEUE_CACHE_MS: "0" }, counting);
        await getJson(uncached, "/v1/queue", auth);
        await getJson(uncached, "/v1/queue", auth);
        expect(reads).to.equal(2);
      });

      it("says which claimants have an event standby covering now, with its window", async function () {
        const carol = randomAddress();
        await insertClaims(f.handle.db, [{ id: 23n, submittedAt: T0 + 900n, claimant: carol }]);
        // Bob: two bookings cover now (the faster one shows), one starts later.
        await insertBooking(f.handle.db, {
          beneficiary: BOB,
          start: T0 + 900n,
          end: T0 + 1100n,
          slaFactorBps: 2_500,
          block: 10n,
        });
        await insertBooking(f.handle.db, {
          beneficiary: BOB,
          start: T0 + 1000n,
          end: T0 + 5000n,
          slaFactorBps: 5_000,
          packageId: 2n,
          block: 11n,
        });
        await insertBooking(f.handle.db, {
          beneficiary: BOB,
          start: T0 + 1001n,
          end: T0 + 2000n,
          slaFactorBps: 1_000,
          block: 12n,
        });
        // Alice: one ended exactly now (the end is exclusive), one starts exactly now (inclusive).
        await insertBooking(f.handle.db, {
          beneficiary: ALICE,
          start: T0,
          end: T0 + 1000n,
          slaFactorBps: 1_000,
          block: 13n,
        });
        await insertBooking(f.handle.db, {
          beneficiary: ALICE,
          start: T0 + 1000n,
          end: T0 + 90_000n,
          slaFactorBps: 7_500,
          packageId: 4n,
          block: 14n,
        });
        const standby = async () =>
          Object.fromEntries(
            (await getJson<QueueBody>(f.app(), "/v1/queue", auth)).body.items.map((i) => [i.id, i.standby]),
          );
        const bob = { packageId: "3", slaFactorBps: 2_500, start: Number(T0) + 900, end: Number(T0) + 1100 };
        const alice = { packageId: "4", slaFactorBps: 7_500, start: Number(T0) + 1000, end: Number(T0) + 90_000 };
        expect(await standby()).to.deep.equal({
          "2": bob,
          "21": alice,
          "20": alice,
          "23": null,
          "22": alice,
          "1": alice,
        });
        // 100 s later by the chain's clock: Bob's fastest booking has ended, the 1,000 one has begun.
        f.clock.now = T0 + 1100n;
        expect((await standby())["2"]).to.deep.equal({
          packageId: "3",
          slaFactorBps: 1_000,
          start: Number(T0) + 1001,
          end: Number(T0) + 2000,
        });
      });

      it("shows the breach credits paid on each claim and those claimable now", async function () {
        await insertClaims(f.handle.db, [
          // Response deadline T0+600 passed, its credit already paid; resolution not due yet.
          { id: 30n, submittedAt: T0, noResponseCredit: 5n * 10n ** 18n },
          // Accepted, resolution deadline T0+600 passed: one unpaid, one paid.
          { id: 31n, submittedAt: T0 + 100n, resolutionWindow: 500n, steps: [{ status: "Accepted", at: T0 + 200n }] },
          {
            id: 32n,
            submittedAt: T0 + 100n,
            resolutionWindow: 500n,
            resolutionCredit: 7n * 10n ** 18n,
            steps: [{ status: "Accepted", at: T0 + 200n }],
          },
          // Submitted, both deadlines passed, nothing paid: both credits.
          { id: 33n, submittedAt: T0, resolutionWindow: 900n },
        ]);
        const credits = async () =>
          Object.fromEntries(
            (await getJson<QueueBody>(f.app(), "/v1/queue", auth)).body.items.map((i) => [i.id, i.credits]),
          );
        // Credits off (the pool's default): paid amounts show, nothing is claimable.
        const off = await credits();
        expect(off["30"]).to.deep.equal({ noResponse: (5n * 10n ** 18n).toString(), resolution: "0", due: [] });
        expect(Object.values(off).every((c) => c.due.length === 0)).to.equal(true);

        await setBreachCredits(f.handle.db, 5n * 10n ** 18n, 7n * 10n ** 18n);
        f.clock.now += 1n; // a new answer (the queue cache is keyed by time)
        const on = await credits();
        const noResponse = { kind: "NoResponse", amount: (5n * 10n ** 18n).toString() };
        const resolution = { kind: "Resolution", amount: (7n * 10n ** 18n).toString() };
        expect(on["30"]!.due).to.deep.equal([]);
        expect(on["31"]).to.deep.equal({ noResponse: "0", resolution: "0", due: [resolution] });
        expect(on["32"]).to.deep.equal({ noResponse: "0", resolution: (7n * 10n ** 18n).toString(), due: [] });
        expect(on["33"]!.due).to.deep.equal([noResponse, resolution]);
        // Claim 2's response deadline (T0+1100) has not passed; claim 22 (Approved) earns none.
        expect(on["2"]!.due).to.deep.equal([]);
        expect(on["22"]!.due).to.deep.equal([]);
      });

      it("refuses bad filters with the error shape", async function () {
        for (const query of ["kind=Nope", "tier=-1", "tier=x", "breached=yes", "limit=500", "cursor=YToz"]) {
          const { status, body } = await getJson<ErrorBody>(f.app(), `/v1/queue?${query}`, auth);
          expect(status, query).to.equal(400);
          expect(body.error.code).to.equal("invalid_request");
        }
      });
    });
  });
}
