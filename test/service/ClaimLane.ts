/**
 * The claim read's lane (service/src/claims/lane.ts) answers GET /v1/claims/{id} in front of the
 * router. These tests serve one app twice over real sockets, once with the lane and once without,
 * and hold the two answers equal: status, body, every header but the date (and a generated request
 * id), and the access-log line. They also check that the lane answered what it should and handed
 * everything else to the router.
 */
import { request, type Server } from "node:http";

import { expect } from "chai";

import { createApp, type App } from "../../service/src/app.js";
import { ClaimAnswer } from "../../service/src/claims/answer.js";
import { CachedIndexerReader } from "../../service/src/claims/cache.js";
import { LANGUAGES } from "../../service/src/claims/i18n.js";
import { trackingPolicy, type TrackingPolicy } from "../../service/src/claims/view.js";
import { loadConfig } from "../../service/src/config.js";
import { createIndexerReader, type IndexerReader } from "../../service/src/indexer/reader.js";
import { createMetricsRegistry } from "../../service/src/http/metrics.js";
import type { Logger } from "../../service/src/http/router.js";
import { serveApp } from "../../service/src/server.js";
import { testGuards } from "./guards.js";
import { ENGINES } from "./helpers.js";
import { ASSESSOR, insertClaims, offlineIndexer, T0 } from "./indexer.js";
import { claimsFixture, type ReadFixture } from "./readApp.js";

type Line = { msg: string; fields: Record<string, unknown> };
type Answer = { status: number; headers: Record<string, string>; body: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A logger that keeps info lines (the access log). */
function capturingLog(lines: Line[]): Logger {
  const keep = (msg: string, fields: Record<string, unknown> = {}) => lines.push({ msg, fields });
  return { info: keep, warn: keep, error: keep };
}

/** The app served twice: through the lane (counting what reached the router) and router only. */
async function servePair(f: ReadFixture, indexer: IndexerReader = f.reader) {
  const laneLog: Line[] = [];
  const routerLog: Line[] = [];
  const config = loadConfig({});
  const now = () => Number(f.clock.now) * 1000;
  const build = (log: Logger) =>
    createApp({
      db: f.handle.db,
      config,
      log,
      auth: testGuards([ASSESSOR]),
      metrics: createMetricsRegistry({ defaults: false }),
      indexer,
      indexerSource: { db: f.handle.db, head: async () => undefined },
      now,
    });
  const laneApp = build(capturingLog(laneLog));
  const routed = { count: 0 };
  // The router behind the lane, counting the requests that reach it.
  const counted = Object.assign(Object.create(laneApp) as App, {
    fetch: (...args: Parameters<App["fetch"]>) => {
      routed.count++;
      return laneApp.fetch(...args);
    },
  });
  const withLane = await serveApp(
    counted,
    { indexer, log: capturingLog(laneLog), now, config },
    {
      hostname: "127.0.0.1",
      port: 0,
    },
  );
  const routerApp = build(capturingLog(routerLog));
  const routerOnly = await serveApp(
    routerApp,
    { indexer, log: capturingLog(routerLog), now, config },
    {
      hostname: "127.0.0.1",
      port: 0,
      claimLane: false,
    },
  );
  const ask = async (port: number, path: string, init: RequestInit = {}): Promise<Answer> => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, init);
    const headers: Record<string, string> = {};
    res.headers.forEach((value, name) => (headers[name] = value));
    return { status: res.status, headers, body: await res.text() };
  };
  /** A GET with header lines exactly as given (repeated, in any case), which fetch would merge. */
  const askRaw = (port: number, path: string, lines: string[]): Promise<Answer> =>
    new Promise((resolve, reject) => {
      // Given as a list, the headers are sent as they are: Host too must be in it.
      const headers = ["Host", `127.0.0.1:${port}`, ...lines];
      const req = request({ host: "127.0.0.1", port, path, headers }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers)) headers[name] = String(value);
          resolve({ status: res.statusCode ?? 0, headers, body });
        });
      });
      req.on("error", reject);
      req.end();
    });
  return {
    routed,
    laneLog,
    laneRaw: (path: string, lines: string[]) => askRaw(withLane.port, path, lines),
    routerRaw: (path: string, lines: string[]) => askRaw(routerOnly.port, path, lines),
    routerLog,
    lane: (path: string, init?: RequestInit) => ask(withLane.port, path, init),
    router: (path: string, init?: RequestInit) => ask(routerOnly.port, path, init),
    close: () => Promise.all([withLane.server, routerOnly.server].map(closeServer)),
  };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/**
 * A claim cache over the fixture's indexer, with the chain head at hand (as Ponder's head cache
 * holds it: the lane answers held claims without a promise) or only awaited; `answers` renders
 * settled claims' answers when stored, as the service does.
 */
function claimCache(f: ReadFixture, headAtHand: boolean, answers?: TrackingPolicy): CachedIndexerReader {
  const reader = headAtHand
    ? createIndexerReader({ db: f.handle.db, head: async () => f.head.current, headNow: () => f.head.current })
    : f.reader;
  return new CachedIndexerReader(reader, f.reader.changes!, {
    maxEntries: 100,
    staleMs: 3_600_000,
    log: capturingLog([]),
    now: () => Number(f.clock.now) * 1000,
    answers,
  });
}

/** Headers that differ between any two answers: the date, and the connection's own. */
function comparable(headers: Record<string, string>, keepRequestId: boolean): Record<string, string> {
  const { date: _date, connection: _connection, "keep-alive": _keepAlive, ...rest } = headers;
  if (!keepRequestId) delete rest["x-request-id"];
  return rest;
}

for (const engine of ENGINES) {
  describe(`the claim read's lane (${engine})`, function () {
    let f: ReadFixture;
    let pair: Awaited<ReturnType<typeof servePair>>;
    beforeEach(async function () {
      f = await claimsFixture(engine);
      pair = await servePair(f);
    });
    afterEach(async function () {
      await pair.close();
      await f.close();
    });

    it("answers a claim read itself, with the router's status, headers and body", async function () {
      const cases: Array<[string, Record<string, string>]> = [
        ["/v1/claims/1", {}],
        ["/v1/claims/2", {}],
        ["/v1/claims/3", {}],
        ["/v1/claims/4", {}],
        ["/v1/claims/5", {}],
        ["/v1/claims/1?lang=id", {}],
        ["/v1/claims/4?lang=zh", { "Accept-Language": "es" }],
        ["/v1/claims/1?lang=fr", { "Accept-Language": "id" }],
        ["/v1/claims/1?lang=ES", {}],
        ["/v1/claims/2", { "Accept-Language": "fr;q=1, es-MX;q=0.7, zh;q=0.5" }],
        ["/v1/claims/3", { "Accept-Language": "garbage;;;q=x" }],
      ];
      for (const [path, headers] of cases) {
        const lane = await pair.lane(path, { headers });
        const router = await pair.router(path, { headers });
        expect(lane.status, path).to.equal(200);
        expect(lane.body, path).to.equal(router.body);
        expect(comparable(lane.headers, false), path).to.deep.equal(comparable(router.headers, false));
        expect(lane.headers["x-request-id"], path).to.match(UUID);
      }
      expect(pair.routed.count, "requests the lane handed to the router").to.equal(0);
      // The security headers are there, not merely equal (an empty set on both sides would pass).
      const { headers } = await pair.lane("/v1/claims/1");
      expect(headers["content-security-policy"]).to.include("script-src 'self'");
      expect(headers).to.include({
        "x-content-type-options": "nosniff",
        "content-type": "application/json",
        "content-language": "en",
        vary: "Accept-Language",
      });
    });

    it("keeps a caller's request id by the router's rule, and gives a new one otherwise", async function () {
      const kept = ["abc-123", "A_b=c", "x".repeat(128)];
      const replaced = ["x".repeat(129), "has space", "dot.ted", "é"];
      for (const id of [...kept, ...replaced]) {
        const headers = { "X-Request-Id": id };
        const lane = await pair.lane("/v1/claims/1", { headers });
        const router = await pair.router("/v1/claims/1", { headers });
        if (kept.includes(id)) {
          expect(lane.headers["x-request-id"], id).to.equal(id);
          expect(router.headers["x-request-id"], id).to.equal(id);
        } else {
          expect(lane.headers["x-request-id"], id).to.match(UUID);
          expect(router.headers["x-request-id"], id).to.match(UUID);
        }
      }
      expect(pair.routed.count).to.equal(0);
    });

    it("reads a header sent on several lines, in any case, as the router does (joined in order)", async function () {
      // The first line alone would pick id, the last alone es; joined, zh has the highest q.
      const cases: Array<[string[], string, RegExp | string]> = [
        [["Accept-Language", "id;q=0.3", "ACCEPT-language", "zh;q=0.9", "accept-language", "es;q=0.5"], "zh", UUID],
        [["x-request-id", "trace-2"], "en", "trace-2"],
        [["X-REQUEST-ID", "trace-3", "Accept-Language", "es"], "es", "trace-3"],
        // Joined, two ids are "a, b": not a token, so both give a new one.
        [["X-Request-Id", "a", "x-request-id", "b"], "en", UUID],
        [["X-Request-Idx", "trace-4", "Accept-Languages", "es"], "en", UUID],
      ];
      for (const [lines, lang, id] of cases) {
        const lane = await pair.laneRaw("/v1/claims/2", lines);
        const router = await pair.routerRaw("/v1/claims/2", lines);
        const what = lines.join(" ");
        expect(lane.status, what).to.equal(200);
        expect(lane.headers["content-language"], what).to.equal(lang);
        expect(router.headers["content-language"], what).to.equal(lang);
        expect(lane.body, what).to.equal(router.body);
        expect(comparable(lane.headers, false), what).to.deep.equal(comparable(router.headers, false));
        for (const answer of [lane, router]) {
          if (typeof id === "string") expect(answer.headers["x-request-id"], what).to.equal(id);
          else expect(answer.headers["x-request-id"], what).to.match(id);
        }
      }
      expect(pair.routed.count, "requests the lane handed to the router").to.equal(0);
    });

    it("writes the router's access-log line", async function () {
      await pair.lane("/v1/claims/1?lang=id", { headers: { "X-Request-Id": "trace-1" } });
      await pair.router("/v1/claims/1?lang=id", { headers: { "X-Request-Id": "trace-1" } });
      const strip = ({ msg, fields }: Line) => ({ msg, ...fields, ms: typeof fields.ms });
      expect(pair.laneLog.map(strip)).to.deep.equal(pair.routerLog.map(strip));
      expect(pair.laneLog.map(strip)).to.deep.equal([
        { msg: "request", method: "GET", path: "/v1/claims/1", status: 200, ms: "number", requestId: "trace-1" },
      ]);
    });

    it("hands everything else to the router, which answers as it always does", async function () {
      const tooLarge = String(1n << 256n);
      const cases: Array<[string, RequestInit, number]> = [
        ["/v1/claims/999", {}, 404], // unknown claim
        ["/v1/claims/abc", {}, 400],
        ["/v1/claims/01", {}, 400],
        [`/v1/claims/${tooLarge}`, {}, 400],
        [`/v1/claims/${String((1n << 256n) - 1n)}`, {}, 404],
        ["/v1/claims/1?lang=id&x=1", {}, 200], // other query parameters
        ["/v1/claims/1?lang=%69d", {}, 200], // an encoded value
        ["/v1/claims/1?lang=", {}, 200],
        ["/v1/claims/1/", {}, 404],
        ["/v1/claims/1", { method: "HEAD" }, 200],
        ["/v1/claims/1", { method: "POST", body: "{}" }, 404],
      ];
      for (const [path, init, status] of cases) {
        const before = pair.routed.count;
        const lane = await pair.lane(path, init);
        const router = await pair.router(path, init);
        const what = `${init.method ?? "GET"} ${path}`;
        expect(lane.status, what).to.equal(status);
        expect(router.status, what).to.equal(status);
        expect(pair.routed.count - before, `${what} reached the router`).to.equal(1);
        // Error bodies carry the request id: compare them without it.
        const body = (a: Answer) => a.body.replace(/"requestId":"[^"]*"/, "");
        expect(body(lane), what).to.equal(body(router));
        expect(comparable(lane.headers, false), what).to.deep.equal(comparable(router.headers, false));
      }
    });

    it("leaves a failing indexer to the router: 503 in the error shape, the cause logged once per read", async function () {
      await pair.close();
      pair = await servePair(f, offlineIndexer());
      const lane = await pair.lane("/v1/claims/1");
      expect(lane.status).to.equal(503);
      expect(JSON.parse(lane.body)).to.deep.equal({
        error: {
          code: "indexer_unavailable",
          message: "the indexer did not answer; try again shortly",
          requestId: lane.headers["x-request-id"],
        },
      });
      expect(pair.routed.count).to.equal(1);
      expect(pair.laneLog.filter((l) => l.msg === "indexer read failed")).to.have.length(1);
    });

    for (const atHand of [false, true]) {
      const how = atHand ? "the head at hand: no promise on the way" : "the head awaited";
      it(`answers from the answers the claim cache renders, as the router computes them, at any head and in any language (${how})`, async function () {
        await pair.close();
        const cache = claimCache(f, atHand, trackingPolicy(loadConfig({})));
        await cache.check();
        pair = await servePair(f, cache);
        // Reads that went through the cache's promise (the router's among them).
        let awaited = 0;
        const answered = cache.answered.bind(cache);
        cache.answered = (id: bigint) => (awaited++, answered(id));
        // Claims 3, 4 and 5 are settled (rejected, paid, cancelled); 1 and 2 are open.
        let filled = 0;
        let rendered = 0;
        const { body } = ClaimAnswer.prototype;
        const of = ClaimAnswer.of.bind(ClaimAnswer);
        ClaimAnswer.prototype.body = function (this: ClaimAnswer, ...args: Parameters<typeof body>) {
          const out = body.apply(this, args);
          if (out !== undefined) filled++;
          return out;
        };
        ClaimAnswer.of = (...args: Parameters<typeof of>) => {
          rendered++;
          return of(...args);
        };
        let laneAwaited = 0;
        try {
          // At head 300 claim 3 (rejected in block 300) and claim 4 (paid in block 510) are not final
          // yet; at 1000 and later they are. Claim 2's response deadline (T0 + 1100) passes at T0 + 1101.
          for (const [head, now] of [
            [300n, 1000n],
            [1000n, 1000n],
            [1001n, 1050n],
            [5_000_000n, 1101n],
          ] as const) {
            f.head.current = { number: head, timestamp: T0 + head };
            f.clock.now = T0 + now;
            for (const id of [1, 2, 3, 4, 5]) {
              for (const lang of LANGUAGES) {
                const path = `/v1/claims/${id}?lang=${lang}`;
                const before = awaited;
                const lane = await pair.lane(path);
                laneAwaited += awaited - before;
                const router = await pair.router(path);
                expect(lane.status, path).to.equal(200);
                expect(lane.body, `${path} at head ${head}`).to.equal(router.body);
              }
            }
          }
        } finally {
          ClaimAnswer.prototype.body = body;
          ClaimAnswer.of = of;
        }
        // With the head at hand, only each claim's first read waited: the one that brought it into the cache.
        expect(laneAwaited).to.equal(atHand ? 5 : 5 * 4 * 4);
        for (const id of [1n, 2n, 3n, 4n, 5n])
          expect((await cache.answered(id)).answer, `claim ${id}`).not.to.equal(undefined);
        // Every lane read was filled in from an answer (at head 300, below some claims' own blocks, the
        // view counts no confirmations, a step like any other); an answer served all four languages,
        // and was rendered again only when the head or the time crossed a step.
        expect(filled).to.equal(5 * 4 * 4);
        expect(rendered).to.be.within(5, 5 * 4);
        expect(pair.routed.count).to.equal(0);
        await cache.stop();
      });
    }

    it("answers without a promise only what memory holds, and hands an unknown claim to the router", async function () {
      await pair.close();
      const cache = claimCache(f, true);
      await cache.check();
      pair = await servePair(f, cache);
      let awaited = 0;
      const answered = cache.answered.bind(cache);
      cache.answered = (id: bigint) => (awaited++, answered(id));
      // Not held yet: the lane reads it through the promise (and the cache keeps it) …
      expect((await pair.lane("/v1/claims/1")).status).to.equal(200);
      expect([awaited, pair.routed.count]).to.deep.equal([1, 0]);
      // … then from memory.
      expect((await pair.lane("/v1/claims/1")).status).to.equal(200);
      expect([awaited, pair.routed.count]).to.deep.equal([1, 0]);
      // An unknown id, remembered as unknown after its first read: the router answers 404 both times.
      for (let i = 0; i < 2; i++) {
        const lane = await pair.lane("/v1/claims/999");
        expect(lane.status).to.equal(404);
        expect(JSON.parse(lane.body)).to.have.nested.property("error.code", "not_found");
      }
      expect(pair.routed.count).to.equal(2);
      // A failure on the way from memory: logged, and the router answers.
      const { answeredNow } = cache;
      cache.answeredNow = () => {
        cache.answeredNow = answeredNow;
        throw new Error("broken on purpose");
      };
      expect((await pair.lane("/v1/claims/1")).status).to.equal(200);
      expect(pair.routed.count).to.equal(3);
      expect(pair.laneLog.filter((l) => l.msg === "claim lane failed").map((l) => l.fields.error)).to.deep.equal([
        "Error: broken on purpose",
      ]);
      await cache.stop();
    });

    it("answers from the state of the moment: a new transition shows at once without the claim cache", async function () {
      const before = JSON.parse((await pair.lane("/v1/claims/2")).body) as { status: string };
      expect(before.status).to.equal("Submitted");
      await insertClaims(f.handle.db, [{ id: 6n, submittedAt: T0 + 600n }]);
      expect((await pair.lane("/v1/claims/6")).status).to.equal(200);
      f.clock.now = T0 + 5000n; // past claim 2's response deadline
      const lane = await pair.lane("/v1/claims/2");
      const router = await pair.router("/v1/claims/2");
      expect(lane.body).to.equal(router.body);
      expect((JSON.parse(lane.body) as { sla: { state: string } }).sla.state).to.equal("breached");
      expect(pair.routed.count).to.equal(0);
    });
  });
}
