import path from "node:path";
import { fileURLToPath } from "node:url";

import { expect } from "chai";
import { sql } from "drizzle-orm";

import { createApp } from "../../service/src/app.js";
import type { ReadinessProbes } from "../../service/src/health/probes.js";
import { loadConfig } from "../../service/src/config.js";
import { migrate } from "../../service/src/db/migrate.js";
import { queryRows, type DatabaseHandle } from "../../service/src/db/client.js";
import { createLogger } from "../../service/src/http/log.js";
import { createMetricsRegistry, EVENT_LOOP_SAMPLE_MS } from "../../service/src/http/metrics.js";
import { testGuards } from "./guards.js";
import { ENGINES, freshDatabase } from "./helpers.js";
import { offlineIndexer } from "./indexer.js";

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures", "migrations");

for (const engine of ENGINES) {
  describe(`service skeleton (${engine})`, function () {
    let handle: DatabaseHandle;
    beforeEach(async function () {
      handle = await freshDatabase(engine);
    });
    afterEach(async function () {
      await handle.close();
    });

    function app(probes?: ReadinessProbes) {
      return createApp({
        probes,
        db: handle.db,
        config: loadConfig({}),
        log: createLogger("silent"),
        auth: testGuards(),
        metrics: createMetricsRegistry({ defaults: false }),
        indexerSource: { db: handle.db, head: async () => undefined },
        indexer: offlineIndexer(),
        now: Date.now,
      });
    }

    it("answers /health and /ready", async function () {
      const health = await app().request("/health");
      expect(health.status).to.equal(200);
      expect(await health.json()).to.deep.equal({ status: "ok" });
      const ready = await app().request("/ready");
      expect(ready.status).to.equal(200);
      const body = (await ready.json()) as { status: string; checks: Record<string, { ok: boolean; ms: number }> };
      expect(body.status).to.equal("ready");
      expect(Object.keys(body.checks)).to.deep.equal(["database"]);
      expect(body.checks.database!.ok).to.equal(true);
    });

    it("reports not-ready with the error shape when the database is gone", async function () {
      const a = app();
      await handle.close();
      const res = await a.request("/ready");
      expect(res.status).to.equal(503);
      const body = (await res.json()) as { error: { code: string } };
      expect(body.error.code).to.equal("not_ready");
      handle = await freshDatabase(engine); // afterEach closes this one
    });

    it("names each dependency that is down, and reports what the others said", async function () {
      const res = await app({
        indexer: async () => {
          throw new Error("connect ECONNREFUSED 127.0.0.1:42069");
        },
        chain: async () => ({ chainId: 31337 }),
      }).request("/ready");
      expect(res.status).to.equal(503);
      const body = (await res.json()) as {
        status: string;
        checks: Record<string, { ok: boolean; error?: string; chainId?: number }>;
        error: { code: string; message: string };
      };
      expect(body.status).to.equal("not_ready");
      expect(body.error).to.deep.equal({
        code: "not_ready",
        message: "indexer unavailable: connect ECONNREFUSED 127.0.0.1:42069",
        requestId: res.headers.get("x-request-id"),
      });
      expect(body.checks.database!.ok).to.equal(true);
      expect(body.checks.indexer).to.include({ ok: false, error: "connect ECONNREFUSED 127.0.0.1:42069" });
      expect(body.checks.chain).to.include({ ok: true, chainId: 31337 });
    });

    it("answers within the probe timeout when a dependency hangs", async function () {
      const started = Date.now();
      const res = await app({ chain: () => new Promise(() => {}) }).request("/ready");
      expect(res.status).to.equal(503);
      expect(Date.now() - started).to.be.below(4_000);
      const body = (await res.json()) as { checks: Record<string, { ok: boolean; error?: string }> };
      expect(body.checks.chain).to.include({ ok: false, error: "no answer within 2000 ms" });
    });

    it("answers an unknown route with the JSON error shape", async function () {
      const res = await app().request("/nope");
      expect(res.status).to.equal(404);
      const requestId = res.headers.get("x-request-id");
      expect(requestId).to.be.a("string");
      expect(await res.json()).to.deep.equal({
        error: { code: "not_found", message: "no route for GET /nope", requestId },
      });
    });

    it("serves Prometheus metrics in the text exposition format", async function () {
      const res = await app().request("/metrics");
      expect(res.status).to.equal(200);
      expect(res.headers.get("content-type")).to.match(/^text\/plain; version=0.0.4/);
    });

    it("samples the event loop's delay, and a stall of it shows in the metrics", async function () {
      const registry = createMetricsRegistry();
      await registry.metrics(); // starts a fresh sampling period
      await new Promise((r) => setTimeout(r, 2 * EVENT_LOOP_SAMPLE_MS));
      const stalled = performance.now();
      while (performance.now() - stalled < 150); // the loop held for 150 ms
      await new Promise((r) => setTimeout(r, 2 * EVENT_LOOP_SAMPLE_MS));
      const max = /^nodejs_eventloop_lag_max_seconds (\S+)$/m.exec(await registry.metrics());
      expect(Number(max?.[1])).to.be.greaterThan(0.1);
    });

    it("serves an OpenAPI document listing its routes, and a docs page", async function () {
      const doc = (await (await app().request("/openapi.json")).json()) as { openapi: string; paths: object };
      expect(doc.openapi).to.equal("3.1.0");
      expect(Object.keys(doc.paths)).to.include.members(["/health", "/ready"]);
      const docs = await app().request("/docs");
      expect(docs.status).to.equal(200);
      expect(await docs.text()).to.contain("/openapi.json");
    });

    it("applies each migration once, in order, and records it", async function () {
      expect(await migrate(handle.db, fixtures)).to.deep.equal(["0001_widgets.sql", "0002_size.sql"]);
      expect(await migrate(handle.db, fixtures)).to.deep.equal([]);
      const rows = await queryRows(handle.db, sql`SELECT id, name, size FROM widgets`);
      expect(rows).to.deep.equal([{ id: 1, name: "first", size: 0 }]);
    });

    it("applies migrations exactly once when two replicas start together", async function () {
      const [a, b] = await Promise.all([migrate(handle.db, fixtures), migrate(handle.db, fixtures)]);
      expect([...a, ...b].sort()).to.deep.equal(["0001_widgets.sql", "0002_size.sql"]);
      const rows = await queryRows(handle.db, sql`SELECT count(*)::int AS n FROM service_migrations`);
      expect(rows).to.deep.equal([{ n: 2 }]);
    });
  });
}

describe("service configuration", function () {
  it("rejects a bad port with a readable message", function () {
    expect(() => loadConfig({ SERVICE_PORT: "99999" })).to.throw(/invalid service configuration: SERVICE_PORT/);
  });

  it("reads the indexer's database directly only with both its URL and its schema, each checked", function () {
    const url = "postgres://reader@standby.internal:5432/ponder";
    expect(loadConfig({ INDEXER_DATABASE_URL: url, INDEXER_DATABASE_SCHEMA: "station" }).indexerDatabase).to.deep.equal(
      {
        url,
        schema: "station",
      },
    );
    expect(() => loadConfig({ INDEXER_DATABASE_URL: url })).to.throw(
      /INDEXER_DATABASE_URL and INDEXER_DATABASE_SCHEMA: set both or neither/,
    );
    expect(() => loadConfig({ INDEXER_DATABASE_SCHEMA: "station" })).to.throw(/set both or neither/);
    expect(() => loadConfig({ INDEXER_DATABASE_URL: "mysql://h/db", INDEXER_DATABASE_SCHEMA: "s" })).to.throw(
      /INDEXER_DATABASE_URL: must be a postgres:\/\/ URL/,
    );
    expect(() => loadConfig({ INDEXER_DATABASE_URL: url, INDEXER_DATABASE_SCHEMA: "x; DROP" })).to.throw(
      /INDEXER_DATABASE_SCHEMA: must be a plain lower-case schema name/,
    );
  });

  it("keeps case files in a bucket only with its URL and both keys, each checked; in the database otherwise", function () {
    const bucket = {
      CASE_FILES_S3_URL: "https://s3.eu-central-1.amazonaws.com/station-case-files",
      CASE_FILES_S3_ACCESS_KEY_ID: "AKIDEXAMPLE",
      CASE_FILES_S3_SECRET_ACCESS_KEY: "secret",
    };
    expect(loadConfig(bucket).cases.files).to.deep.equal({
      url: bucket.CASE_FILES_S3_URL,
      region: "us-east-1",
      accessKeyId: "AKIDEXAMPLE",
      secretAccessKey: "secret",
      timeoutMs: 10_000,
    });
    expect(loadConfig({}).cases.files).to.equal(undefined);
    expect(() => loadConfig({ CASE_FILES_S3_URL: bucket.CASE_FILES_S3_URL })).to.throw(
      /CASE_FILES_S3_URL: needs CASE_FILES_S3_ACCESS_KEY_ID and CASE_FILES_S3_SECRET_ACCESS_KEY/,
    );
    expect(() => loadConfig({ ...bucket, CASE_FILES_S3_URL: undefined })).to.throw(/set CASE_FILES_S3_URL too/);
    expect(() => loadConfig({ ...bucket, CASE_FILES_S3_URL: "ftp://files.example/bucket" })).to.throw(
      /CASE_FILES_S3_URL: must be an http\(s\) URL/,
    );
    expect(() => loadConfig({ ...bucket, CASE_FILES_S3_TIMEOUT_MS: "5" })).to.throw(/CASE_FILES_S3_TIMEOUT_MS/);
  });

  it("uses embedded defaults when nothing is set", function () {
    const c = loadConfig({});
    expect(c.indexerDatabase).to.equal(undefined);
    expect(c.databaseUrl).to.equal(undefined);
    expect(c.port).to.equal(8787);
    expect(c.host).to.equal("127.0.0.1");
  });
});
