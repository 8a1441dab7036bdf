import { expect } from "chai";
import { eq, sql } from "drizzle-orm";
import type { Address } from "viem";

import * as schema from "../../indexer/ponder.schema.js";
import { AlertWatcher } from "../../service/src/alerts/watcher.js";
import { slaLevel } from "../../service/src/alerts/sla.js";
import { createApp } from "../../service/src/app.js";
import { chainClock } from "../../service/src/indexer/clock.js";
import { queryRows } from "../../service/src/db/client.js";
import type { IndexerDb } from "../../service/src/feed/source.js";
import { deliveryMetrics } from "../../service/src/webhooks/metrics.js";
import { verifyWebhook } from "../../service/src/webhooks/verify.js";
import { harness, OPERATOR, Receiver, waitFor, type Harness } from "./deliveryHarness.js";
import { ENGINES } from "./helpers.js";
import { insertClaim, insertCoverage, randomAddress, T0 } from "./indexer.js";

type Envelope = { id: string; type: string; data: Record<string, unknown> };
type ErrorBody = { error: { code: string; message: string } };

describe("SLA levels", function () {
  it("is at risk in the last quarter of the window and breached once past the deadline", function () {
    // Window 600 s from 1000: at risk when fewer than 150 s are left.
    expect(slaLevel(1000n, 1600n, 1450n, 0.25)).to.equal("on-track");
    expect(slaLevel(1000n, 1600n, 1451n, 0.25)).to.equal("at-risk");
    expect(slaLevel(1000n, 1600n, 1599n, 0.25)).to.equal("at-risk");
    expect(slaLevel(1000n, 1600n, 1600n, 0.25)).to.equal("at-risk");
    expect(slaLevel(1000n, 1600n, 1601n, 0.25)).to.equal("breached");
    expect(slaLevel(1000n, 1600n, 1100n, 0.9)).to.equal("at-risk");
  });
});

for (const engine of ENGINES) {
  describe(`alerts (${engine})`, function () {
    this.timeout(60_000);
    let h: Harness;
    let receiver: Receiver;
    beforeEach(async function () {
      h = await harness(engine);
      receiver = await Receiver.start();
    });
    afterEach(async function () {
      await h.close();
      await receiver.down();
    });

    const watcher = () =>
      new AlertWatcher({
        db: h.handle.db,
        indexer: h.indexer.db,
        log: h.log,
        metrics: deliveryMetrics(h.deps.metrics),
        config: h.deps.config.alerts,
        atRiskFraction: h.deps.config.slaAtRiskFraction,
        now: () => h.clock.now ?? Date.now(),
      });
    const at = (seconds: bigint) => {
      h.clock.now = Number(seconds) * 1000;
    };
    const alertKeys = async () =>
      (
        await queryRows<{ idempotency_key: string }>(
          h.handle.db,
          sql`SELECT idempotency_key FROM webhook_deliveries ORDER BY id`,
        )
      ).map((r) => r.idempotency_key);

    describe("SLA watcher", function () {
      let claimant: Address;
      beforeEach(async function () {
        claimant = randomAddress();
        await h.subscribe(claimant, receiver.url, ["sla.*"]);
        // Response window 600 s, resolution window 14,400 s, both from submission at T0.
        await insertClaim(h.indexer.db, { id: 1n, claimant, submittedAt: T0 });
      });

      it("judges deadlines by the chain's clock: breached once the chain passed the deadline, whatever the wall clock says", async function () {
        const head = { current: { number: 1n, timestamp: T0 + 100n } };
        const onChain = () =>
          new AlertWatcher({
            db: h.handle.db,
            indexer: h.indexer.db,
            log: h.log,
            metrics: deliveryMetrics(h.deps.metrics),
            config: h.deps.config.alerts,
            atRiskFraction: h.deps.config.slaAtRiskFraction,
            now: () => h.clock.now ?? Date.now(),
            chainNow: chainClock(async () => head.current),
          });
        // The wall clock is past the response deadline (T0+600), the chain is not: nothing yet.
        at(T0 + 700n);
        expect(await onChain().sla.check()).to.equal(0);
        // Time travel: the chain is past the deadline, the wall clock back before it.
        at(T0 + 100n);
        head.current = { number: 2n, timestamp: T0 + 601n };
        expect(await onChain().sla.check()).to.equal(1);
        expect(await alertKeys()).to.deep.equal(["alert:sla:1:response:breached"]);
      });

      it("raises at-risk then breached once per stage, never again after a restart or from a second replica", async function () {
        at(T0 + 100n);
        expect(await watcher().sla.check()).to.equal(0);
        at(T0 + 460n); // 140 s of 600 left
        const w = watcher();
        expect(await w.sla.check()).to.equal(1);
        expect(await w.sla.check()).to.equal(0);
        expect(await watcher().sla.check()).to.equal(0); // restarted
        at(T0 + 600n); // at the deadline: still at risk
        expect(await watcher().sla.check()).to.equal(0);
        at(T0 + 601n);
        const [a, b] = await Promise.all([watcher().sla.check(), watcher().sla.check()]); // two replicas
        expect(a + b).to.equal(1);
        expect(await watcher().sla.check()).to.equal(0);
        // Accepted: the resolution deadline applies now.
        await h.indexer.db
          .update(schema.claims)
          .set({ status: "Accepted", acceptedAt: T0 + 700n })
          .where(eq(schema.claims.id, 1n));
        at(T0 + 14_400n - 3_601n);
        expect(await watcher().sla.check()).to.equal(0);
        at(T0 + 14_400n - 3_599n);
        expect(await watcher().sla.check()).to.equal(1);
        at(T0 + 14_401n);
        expect(await watcher().sla.check()).to.equal(1);
        expect(await watcher().sla.check()).to.equal(0);

        expect(await alertKeys()).to.deep.equal([
          "alert:sla:1:response:at_risk",
          "alert:sla:1:response:breached",
          "alert:sla:1:resolution:at_risk",
          "alert:sla:1:resolution:breached",
        ]);
        const lines = h.log.entries.filter((e) => e.msg === "sla alert");
        expect(lines.map((l) => [l.level, l.fields.stage, l.fields.level])).to.deep.equal([
          ["warn", "response", "at-risk"],
          ["warn", "response", "breached"],
          ["warn", "resolution", "at-risk"],
          ["warn", "resolution", "breached"],
        ]);
        const metric = await h.deps.metrics.getSingleMetricAsString("es_sla_alerts_total");
        expect(metric).to.contain('es_sla_alerts_total{stage="response",level="at-risk"} 1');
        expect(metric).to.contain('es_sla_alerts_total{stage="resolution",level="breached"} 1');

        h.clock.now = undefined; // real time for signatures
        const sender = h.sender();
        sender.start();
        await waitFor("four alerts delivered", () => receiver.requests.length === 4);
        await sender.stop();
        const first = JSON.parse(receiver.requests.find((r) => r.body.includes("response:at_risk"))!.body) as Envelope;
        expect(first.type).to.equal("sla.at_risk");
        expect(first.data).to.include({
          claimId: "1",
          claimant,
          stage: "response",
          level: "at-risk",
          deadline: Number(T0 + 600n),
          secondsLeft: 140,
        });
      });

      it("raises only the breach for a stage it first sees already late, and nothing for closed claims", async function () {
        await insertClaim(h.indexer.db, {
          id: 2n,
          claimant,
          submittedAt: T0,
          steps: [{ status: "Approved", at: T0 + 60n }],
        });
        at(T0 + 700n);
        expect(await watcher().sla.check()).to.equal(1);
        expect(await alertKeys()).to.deep.equal(["alert:sla:1:response:breached"]);
      });

      it("stops alerting on deadlines older than the lookback", async function () {
        at(T0 + 600n + BigInt(h.deps.config.alerts.slaLookbackSeconds) + 1n);
        expect(await watcher().sla.check()).to.equal(0);
      });
    });

    it("raises coverage-expiring once per (beneficiary, coveredUntil)", async function () {
      const beneficiary = randomAddress();
      const far = randomAddress();
      await h.subscribe(beneficiary, receiver.url, ["coverage.expiring"]);
      at(T0);
      await insertCoverage(h.indexer.db, beneficiary, T0 + 2n * 86_400n);
      await insertCoverage(h.indexer.db, far, T0 + 30n * 86_400n);
      expect(await watcher().coverage.check()).to.equal(1);
      expect(await watcher().coverage.check()).to.equal(0);
      // Renewed, and later approaching its new end: a new alert.
      await insertCoverage(h.indexer.db, beneficiary, T0 + 10n * 86_400n);
      expect(await watcher().coverage.check()).to.equal(0);
      at(T0 + 8n * 86_400n);
      expect(await watcher().coverage.check()).to.equal(1);
      at(T0 + 11n * 86_400n); // lapsed
      expect(await watcher().coverage.check()).to.equal(0);
      const key = (until: bigint) => `alert:coverage:${beneficiary.toLowerCase()}:${until}`;
      expect(await alertKeys()).to.deep.equal([key(T0 + 2n * 86_400n), key(T0 + 10n * 86_400n)]);
    });

    describe("risk alerts", function () {
      const post = (body: unknown, who: Address | null = OPERATOR) =>
        h.app.request("/v1/alerts", {
          method: "POST",
          headers: {
            "content-type": "application/json",
            ...(who === null ? {} : { authorization: `Test ${who}` }),
          },
          body: JSON.stringify(body),
        });

      it("goes to every subscriber with active coverage, once, and shows on the public list", async function () {
        const covered = randomAddress();
        const uncovered = randomAddress();
        const otherType = randomAddress();
        const lapsed = randomAddress();
        const { secret } = await h.subscribe(covered, receiver.url, ["risk.alert"]);
        await h.subscribe(uncovered, receiver.url, ["risk.alert"]);
        await h.subscribe(otherType, receiver.url, ["claim.status"]);
        await h.subscribe(lapsed, receiver.url, ["risk.alert"]);
        const nowSec = BigInt(Math.floor(Date.now() / 1000));
        await insertCoverage(h.indexer.db, covered, nowSec + 86_400n);
        await insertCoverage(h.indexer.db, otherType, nowSec + 86_400n);
        await insertCoverage(h.indexer.db, lapsed, nowSec - 1n);

        const res = await post({
          title: { en: "Chain upgrade", es: "Actualización de la cadena" },
          message: { en: "The data API uses the backup endpoint today.", es: "La API usa el respaldo hoy." },
          severity: "critical",
          chains: ["C-chain"],
          kinds: ["data-api"],
        });
        expect(res.status).to.equal(201);
        const { alert, deliveries } = (await res.json()) as { alert: { id: string }; deliveries: number };
        expect(deliveries).to.equal(1);
        // The watcher's retry pass finds nothing left to send.
        await watcher().tick();
        expect((await alertKeys()).filter((k) => k === `alert:${alert.id}`)).to.have.length(1);

        const sender = h.sender();
        sender.start();
        await waitFor("the risk alert", () => receiver.requests.length === 1);
        await sender.stop();
        const got = receiver.requests[0]!;
        expect(verifyWebhook(secret, got.headers, got.body)).to.equal(true);
        expect(got.headers["idempotency-key"]).to.equal(`alert:${alert.id}`);
        const body = JSON.parse(got.body) as Envelope;
        expect(body.type).to.equal("risk.alert");
        expect(body.data).to.deep.include({ severity: "critical", chains: ["C-chain"], kinds: ["data-api"] });

        const list = await h.app.request("/v1/alerts?lang=es");
        expect(list.status).to.equal(200);
        const { alerts } = (await list.json()) as {
          alerts: Array<{ id: string; localized: { lang: string; title: string; message: string } }>;
        };
        expect(alerts.map((a) => a.id)).to.deep.equal([alert.id]);
        expect(alerts[0]!.localized).to.deep.equal({
          lang: "es",
          title: "Actualización de la cadena",
          message: "La API usa el respaldo hoy.",
        });
        const zh = await h.app.request("/v1/alerts", { headers: { "accept-language": "zh-CN,zh;q=0.9,en;q=0.5" } });
        const zhBody = (await zh.json()) as { alerts: Array<{ localized: { lang: string; title: string } }> };
        expect(zhBody.alerts[0]!.localized).to.include({ lang: "zh", title: "Chain upgrade" }); // falls back to en
        // An unsupported language gets English, as on the claim and help routes, and says so.
        const fr = await h.app.request("/v1/alerts?lang=fr");
        expect(fr.status).to.equal(200);
        expect(fr.headers.get("content-language")).to.equal("en");
        const frBody = (await fr.json()) as { alerts: Array<{ localized: { lang: string; title: string } }> };
        expect(frBody.alerts[0]!.localized).to.include({ lang: "en", title: "Chain upgrade" });
      });

      it("hides expired alerts from the public list", async function () {
        const expiresAt = new Date(Date.now() + 60_000).toISOString();
        expect((await post({ title: "Short-lived", message: "Soon over.", expiresAt })).status).to.equal(201);
        expect((await post({ title: "Standing", message: "Until further notice." })).status).to.equal(201);
        h.clock.now = Date.now() + 120_000;
        const { alerts } = (await (await h.app.request("/v1/alerts")).json()) as { alerts: Array<{ title: object }> };
        expect(alerts.map((a) => a.title)).to.deep.equal([{ en: "Standing" }]);
      });

      it("defers the fan-out while the indexer is unreachable and sends it once from the watcher", async function () {
        const covered = randomAddress();
        await h.subscribe(covered, receiver.url, ["risk.alert"]);
        await insertCoverage(h.indexer.db, covered, BigInt(Math.floor(Date.now() / 1000)) + 86_400n);
        const broken: IndexerDb = {
          select: () => {
            throw new Error("indexer unreachable");
          },
        } as unknown as IndexerDb;
        const app = createApp({ ...h.deps, indexerSource: { db: broken, head: async () => undefined } });
        const res = await app.request("/v1/alerts", {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Test ${OPERATOR}` },
          body: JSON.stringify({ title: "Backup endpoint", message: "Switching." }),
        });
        expect(res.status).to.equal(201);
        expect(((await res.json()) as { deliveries: number | null }).deliveries).to.equal(null);
        expect(await alertKeys()).to.deep.equal([]);
        await Promise.all([watcher().tick(), watcher().tick()]);
        expect(await watcher().tick()).to.equal(0);
        expect(await alertKeys()).to.have.length(1);
      });

      it("is for operators only", async function () {
        const body = { title: "x", message: "y" };
        const anonymous = await post(body, null);
        expect(anonymous.status).to.equal(401);
        const stranger = await post(body, randomAddress());
        expect(stranger.status).to.equal(403);
        expect(((await stranger.json()) as ErrorBody).error.code).to.equal("forbidden");
      });

      const invalid: Array<[string, unknown, RegExp]> = [
        ["a missing title", { message: "m" }, /title/],
        ["no English text", { title: { es: "hola" }, message: "m" }, /title/],
        ["an empty message", { title: "t", message: "  " }, /message/],
        ["an unknown severity", { title: "t", message: "m", severity: "urgent" }, /severity/],
        ["a date that is not ISO 8601", { title: "t", message: "m", expiresAt: "tomorrow" }, /expiresAt/],
        [
          "an expiry in the past",
          { title: "t", message: "m", expiresAt: "2020-01-01T00:00:00Z" },
          /expiresAt: must be in the future/,
        ],
        ["an odd chain label", { title: "t", message: "m", chains: ["<script>"] }, /chains/],
        ["an unknown field", { title: "t", message: "m", audience: "all" }, /audience|unrecognized/i],
      ];
      for (const [what, body, message] of invalid) {
        it(`rejects ${what} with 400 and a clear message`, async function () {
          const res = await post(body);
          expect(res.status).to.equal(400);
          const err = (await res.json()) as ErrorBody;
          expect(err.error.code).to.equal("invalid_request");
          expect(err.error.message).to.match(message);
        });
      }
    });
  });
}
