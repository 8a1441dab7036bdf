import { expect } from "chai";

import type { StationFigures } from "../../service/src/stats/stats.js";
import { ENGINES } from "./helpers.js";
import { insertClaims, insertTiers, offlineIndexer, T0, testReader } from "./indexer.js";
import { getJson, readFixture, type ReadFixture } from "./readApp.js";

const NOW = T0 + 10n * 86_400n;

for (const engine of ENGINES) {
  describe(`station figures (${engine})`, function () {
    let f: ReadFixture;
    beforeEach(async function () {
      f = await readFixture(engine);
      f.clock.now = NOW;
      await insertTiers(f.handle.db);
      await insertClaims(f.handle.db, [
        // A: accepted after 100 s (response met), waiting on resolution
        { id: 1n, submittedAt: NOW - 1000n, steps: [{ status: "Accepted", at: NOW - 900n }] },
        // B: priority, accepted after 900 s (response missed), approved in time, paid
        {
          id: 2n,
          kind: "DataApiOutage",
          tier: 1,
          submittedAt: NOW - 2000n,
          responseWindow: 300n,
          resolutionWindow: 7200n,
          steps: [
            { status: "Accepted", at: NOW - 1100n },
            { status: "Approved", at: NOW - 1000n },
            { status: "Paid", at: NOW - 990n },
          ],
        },
        // C: unanswered past its response deadline (NOW - 100)
        { id: 3n, submittedAt: NOW - 700n },
        // D: three days ago, accepted after 60 s, rejected after 5060 s
        {
          id: 4n,
          submittedAt: NOW - 3n * 86_400n,
          steps: [
            { status: "Accepted", at: NOW - 3n * 86_400n + 60n },
            { status: "Rejected", at: NOW - 3n * 86_400n + 5060n },
          ],
        },
        // E: just submitted, nothing decided yet
        { id: 5n, submittedAt: NOW - 100n },
      ]);
    });
    afterEach(async function () {
      await f.close();
    });

    it("reports deadlines met, time to accept and resolve, per window, kind and tier", async function () {
      const { status, body, headers } = await getJson<StationFigures>(f.app(), "/v1/stats");
      expect(status).to.equal(200);
      expect(headers.get("cache-control")).to.equal("public, max-age=30");
      expect(body.generatedAt).to.equal(Number(NOW));
      expect(body.windows.map((w) => [w.window, w.from, w.to])).to.deep.equal([
        ["24h", Number(NOW) - 86_400, Number(NOW)],
        ["7d", Number(NOW) - 7 * 86_400, Number(NOW)],
        ["all", null, Number(NOW)],
      ]);
      const [day, week, all] = body.windows;
      expect(day?.overall).to.deep.equal({
        response: { due: 3, met: 1, share: 1 / 3 },
        resolution: { due: 1, met: 1, share: 1 },
        timeToAccept: { count: 2, p50Seconds: 100, p90Seconds: 900, meanSeconds: 500 },
        timeToResolve: { count: 1, p50Seconds: 1010, p90Seconds: 1010, meanSeconds: 1010 },
      });
      expect(week?.overall).to.deep.equal({
        response: { due: 4, met: 2, share: 0.5 },
        resolution: { due: 2, met: 2, share: 1 },
        timeToAccept: { count: 3, p50Seconds: 100, p90Seconds: 900, meanSeconds: 353 },
        timeToResolve: { count: 2, p50Seconds: 1010, p90Seconds: 5060, meanSeconds: 3035 },
      });
      expect(all?.overall).to.deep.equal(week?.overall);
      expect(day?.byKind.DataApiOutage.response).to.deep.equal({ due: 1, met: 0, share: 0 });
      expect(day?.byKind.DataApiOutage.timeToAccept.p50Seconds).to.equal(900);
      expect(day?.byKind.Other).to.deep.equal({
        response: { due: 0, met: 0, share: null },
        resolution: { due: 0, met: 0, share: null },
        timeToAccept: { count: 0, p50Seconds: null, p90Seconds: null, meanSeconds: null },
        timeToResolve: { count: 0, p50Seconds: null, p90Seconds: null, meanSeconds: null },
      });
      expect(Object.keys(day?.byTier ?? {})).to.deep.equal(["0", "1"]);
      expect(day?.byTier["0"]?.response).to.deep.equal({ due: 2, met: 1, share: 0.5 });
      expect(body.open).to.deep.include({
        total: 3,
        overdue: 1,
        byStage: { Submitted: 2, Accepted: 1, Investigating: 0, Approved: 0 },
      });
      expect(body.open.byKind.MissingReward.total).to.equal(3);
      expect(body.open.byKind.DataApiOutage.total).to.equal(0);
      expect(Object.keys(body.open.byTier)).to.deep.equal(["0"]);
    });

    it("reuses the figures for STATS_CACHE_SECONDS, then answers with them while recomputing", async function () {
      const app = f.app();
      const first = (await getJson<StationFigures>(app, "/v1/stats")).body;
      await insertClaims(f.handle.db, [{ id: 6n, submittedAt: NOW - 50n }]);
      f.clock.now = NOW + 29n;
      expect((await getJson<StationFigures>(app, "/v1/stats")).body).to.deep.equal(first);
      // Expired: this caller still gets the old figures at once; a recomputation starts.
      f.clock.now = NOW + 30n;
      expect((await getJson<StationFigures>(app, "/v1/stats")).body).to.deep.equal(first);
      let fresh = first;
      for (let i = 0; i < 100 && fresh.generatedAt === first.generatedAt; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        fresh = (await getJson<StationFigures>(app, "/v1/stats")).body;
      }
      expect(fresh.generatedAt).to.equal(Number(NOW) + 30);
      expect(fresh.open.total).to.equal(4);
    });

    it("stops answering with old figures when the indexer stays down", async function () {
      let down = false;
      const reader = testReader(f.handle.db, f.head);
      const flaky = { ...reader, stats: (now: bigint) => (down ? offlineIndexer().stats(now) : reader.stats(now)) };
      const app = f.app({}, flaky);
      const first = (await getJson<StationFigures>(app, "/v1/stats")).body;
      down = true;
      f.clock.now = NOW + 60n;
      expect((await getJson<StationFigures>(app, "/v1/stats")).body).to.deep.equal(first);
      f.clock.now = NOW + 301n;
      expect((await getJson(app, "/v1/stats")).status).to.equal(503);
    });

    it("serves the same figures on /metrics, refreshed on scrape", async function () {
      const app = f.app({ STATS_CACHE_SECONDS: "0" });
      const text = await (await app.request("/metrics")).text();
      for (const line of [
        "station_indexer_up 1",
        'station_claims_open{stage="Submitted",kind="MissingReward",tier="0"} 2',
        'station_claims_open{stage="Accepted",kind="MissingReward",tier="0"} 1',
        'station_claims_overdue{stage="Submitted"} 1',
        'station_claims_overdue{stage="Accepted"} 0',
        'station_sla_breaches{deadline="response",tier="0"} 1',
        'station_sla_breaches{deadline="response",tier="1"} 1',
        'station_sla_breaches{deadline="resolution",tier="1"} 0',
        'station_sla_decided{deadline="response",tier="0"} 3',
        "# TYPE station_time_to_accept_seconds histogram",
        'station_time_to_accept_seconds_bucket{tier="0",le="30"} 0',
        'station_time_to_accept_seconds_bucket{tier="0",le="60"} 1',
        'station_time_to_accept_seconds_bucket{tier="0",le="120"} 2',
        'station_time_to_accept_seconds_bucket{tier="0",le="+Inf"} 2',
        'station_time_to_accept_seconds_sum{tier="0"} 160',
        'station_time_to_accept_seconds_count{tier="0"} 2',
        'station_time_to_accept_seconds_bucket{tier="1",le="600"} 0',
        'station_time_to_accept_seconds_bucket{tier="1",le="900"} 1',
      ]) {
        expect(text).to.contain(line + "\n");
      }
      // A new claim shows on the next scrape.
      await insertClaims(f.handle.db, [{ id: 6n, submittedAt: NOW - 50n }]);
      expect(await (await app.request("/metrics")).text()).to.contain(
        'station_claims_open{stage="Submitted",kind="MissingReward",tier="0"} 3\n',
      );
    });

    it("keeps /metrics up and says so when the indexer is down", async function () {
      const res = await f.app({}, offlineIndexer()).request("/metrics");
      expect(res.status).to.equal(200);
      const text = await res.text();
      expect(text).to.contain("station_indexer_up 0\n");
      expect(text).to.not.contain("station_claims_open{");
    });

    it("lists every read route in the OpenAPI document", async function () {
      const doc = (await (await f.app().request("/openapi.json")).json()) as { paths: Record<string, object> };
      expect(Object.keys(doc.paths)).to.include.members([
        "/v1/claims/{id}",
        "/v1/accounts/{address}/claims",
        "/v1/queue",
        "/v1/stats",
        "/v1/help",
        "/v1/help/{slug}",
      ]);
    });
  });
}
