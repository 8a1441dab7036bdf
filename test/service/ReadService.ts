import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { sql } from "drizzle-orm";

import { openDatabase, queryRows, type DatabaseHandle } from "../../service/src/db/client.js";
import { startService } from "../../service/src/index.js";
import { createScratchDatabase, queryPostgres } from "../../stack/ponder.js";
import { freePort, serviceArgs } from "../../stack/proc.js";
import { waitFor } from "./deliveryHarness.js";
import { createIndexerTables, freshIndexerDatabase, insertClaims, insertTiers, T0 } from "./indexer.js";
import { FakePonder } from "./fakePonder.js";

/**
 * The real process wiring (service/src/index.ts) over the network: the service on a port,
 * reading a Ponder stand-in over HTTP through @ponder/client, its help library seeded on start.
 */
describe("read side of the running service", function () {
  let indexerDb: DatabaseHandle;
  let stub: FakePonder;
  let dataDir: string;

  before(async function () {
    indexerDb = await freshIndexerDatabase("pglite");
    await insertTiers(indexerDb.db);
    await insertClaims(indexerDb.db, [{ id: 1n, submittedAt: T0, steps: [{ status: "Accepted", at: T0 + 60n }] }]);
    stub = await FakePonder.start(indexerDb.db, { head: { number: 100n, timestamp: T0 + 100n } });
    dataDir = await mkdtemp(path.join(tmpdir(), "svc-read-"));
  });
  after(async function () {
    await stub.stop();
    await indexerDb.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("serves tracking, stats, metrics and help from a fresh start, and help again after a restart", async function () {
    const env = { SERVICE_PORT: "0", SERVICE_DATA_DIR: dataDir, INDEXER_URL: stub.url, LOG_LEVEL: "silent" };
    let running = await startService(env);
    try {
      const base = `http://127.0.0.1:${running.port}`;
      const claim = (await (await fetch(`${base}/v1/claims/1?lang=id`)).json()) as {
        status: string;
        statusText: string;
        finality: { headBlock: number };
      };
      expect(claim.status).to.equal("Accepted");
      expect(claim.statusText).to.equal("Layanan pelanggan telah menerima permintaan");
      expect(claim.finality.headBlock).to.equal(100);
      // Once the claim cache's first check has passed (its queries through Ponder's allow-list),
      // repeated reads of a claim are answered from memory.
      await waitFor("a claim read answered from the claim cache", async () => {
        await fetch(`${base}/v1/claims/1`);
        const metrics = await (await fetch(`${base}/metrics`)).text();
        return /station_claim_cache_lookups_total\{result="hit"\} [1-9]/.test(metrics);
      });
      expect(stub.queries.some((q) => q.includes('"claim_transitions"."block_number" >'))).to.equal(true);
      // The cache's warm-up with the newest claims went through Ponder too: the nth newest, then a page.
      await waitFor("the claim cache's warm-up", () => stub.queries.some((q) => / between /i.test(q)));
      expect(stub.queries.some((q) => / offset /i.test(q))).to.equal(true);
      expect(stub.refused).to.deep.equal([]);
      const stats = (await (await fetch(`${base}/v1/stats`)).json()) as { open: { total: number } };
      expect(stats.open.total).to.equal(1);
      expect(await (await fetch(`${base}/metrics`)).text()).to.contain("station_indexer_up 1\n");
      const help = (await (await fetch(`${base}/v1/help?q=recieve%20C`)).json()) as {
        results: Array<{ slug: string }>;
      };
      expect(help.results[0]?.slug).to.equal("not-received-c");
    } finally {
      await running.stop();
    }
    // Two case files uploaded two days ago, one cited by a record and one not.
    const old = Math.floor(Date.now() / 1000) - 2 * 86_400;
    const files = await openDatabase({ dataDir });
    await files.db.execute(sql`
      INSERT INTO case_attachments (sha256, owner, content_type, size, sealed, stored_in, created_at, cited_at)
      VALUES (${`0x${"0c".repeat(32)}`}, ${`0x${"a1".repeat(20)}`}, 'text/plain', 3, 'plain:YWJj', 'database', ${old}, ${old}),
             (${`0x${"0d".repeat(32)}`}, ${`0x${"a1".repeat(20)}`}, 'text/plain', 3, 'plain:YWJj', 'database', ${old}, NULL)`);
    // Two opening statements stored 40 days before the indexer's head: claim 1 was filed with one
    // (its evidenceHash), no claim with the other.
    const stored = Number(T0) - 40 * 86_400;
    const filedHash = `0x${(1001).toString(16).padStart(64, "0")}`;
    await files.db.execute(sql`
      INSERT INTO case_openings (hash, claimant, sealed, contact_sealed, created_at)
      VALUES (${filedHash}, ${`0x${"a1".repeat(20)}`}, NULL, NULL, ${stored}),
             (${`0x${"0e".repeat(32)}`}, ${`0x${"a1".repeat(20)}`}, NULL, 'plain:KzYyIDgxMg==', ${stored})`);
    await files.close();
    // A restart on the same data finds the library already seeded and serves it; its purge loop
    // (run once at start) deletes the file no record cites and, asking the indexer through Ponder's
    // SQL, the opening no claim was filed with.
    running = await startService(env);
    try {
      const res = await fetch(`http://127.0.0.1:${running.port}/v1/help/not-received-c?lang=es`);
      expect(((await res.json()) as { title: string }).title).to.equal("No he recibido C");
      await waitFor("the purge loop's first round in the metrics", async () => {
        const metrics = await (await fetch(`http://127.0.0.1:${running.port}/metrics`)).text();
        return (
          metrics.includes('station_case_sweep_deleted_total{kind="opening"} 1\n') &&
          metrics.includes('station_case_sweep_deleted_total{kind="file"} 1\n') &&
          metrics.includes("station_case_files_awaiting_deletion 0\n")
        );
      });
    } finally {
      await running.stop();
    }
    const after = await openDatabase({ dataDir });
    try {
      const left = await queryRows<{ sha256: string }>(after.db, sql`SELECT sha256 FROM case_attachments`);
      expect(left.map((r) => r.sha256)).to.deep.equal([`0x${"0c".repeat(32)}`]);
      const openings = await queryRows<{ hash: string; filed: boolean }>(
        after.db,
        sql`SELECT hash, filed_at IS NOT NULL AS filed FROM case_openings`,
      );
      expect(openings).to.deep.equal([{ hash: filedHash, filed: true }]);
    } finally {
      await after.close();
    }
  });

  it("reads claims straight from a read-only copy of the indexer's database with INDEXER_DATABASE_URL, the head from Ponder", async function () {
    const admin = process.env.DATABASE_URL;
    if (admin === undefined) return this.skip(); // PostgreSQL only (npm run test:db)
    // A database like a hot standby of the indexer's: Ponder's schema holds claim 1 further along
    // (Approved) than the Ponder stand-in's copy (Accepted), and every session is read-only.
    const standby = await createScratchDatabase(admin, "read_only_indexer");
    try {
      const seed = await openDatabase({ url: standby.url, schema: "station", poolSize: 1 });
      await createIndexerTables(seed.db);
      await insertTiers(seed.db);
      await insertClaims(seed.db, [
        {
          id: 1n,
          submittedAt: T0,
          steps: [
            { status: "Accepted", at: T0 + 60n },
            { status: "Approved", at: T0 + 90n },
          ],
        },
      ]);
      await seed.close();
      await queryPostgres(admin, `ALTER DATABASE ${standby.name} SET default_transaction_read_only = on`);
      // The copy refuses writes, CREATE SCHEMA IF NOT EXISTS among them (as a standby does).
      const refused = await queryPostgres(standby.url, "CREATE SCHEMA IF NOT EXISTS station").catch((e: Error) => e);
      expect(refused)
        .to.be.instanceOf(Error)
        .with.property("message")
        .that.matches(/read-only transaction/);

      const before = stub.queries.length;
      const running = await startService({
        SERVICE_PORT: "0",
        SERVICE_DATA_DIR: dataDir,
        INDEXER_URL: stub.url,
        INDEXER_DATABASE_URL: standby.url,
        INDEXER_DATABASE_SCHEMA: "station",
        LOG_LEVEL: "silent",
      });
      try {
        const base = `http://127.0.0.1:${running.port}`;
        const claim = (await (await fetch(`${base}/v1/claims/1`)).json()) as {
          status: string;
          finality: { headBlock: number };
        };
        expect(claim.status).to.equal("Approved");
        expect(claim.finality.headBlock).to.equal(100);
        // The claim cache's checks and warm-up read the copy too, and answer from memory after them.
        await waitFor("a claim read answered from the claim cache", async () => {
          await fetch(`${base}/v1/claims/1`);
          const metrics = await (await fetch(`${base}/metrics`)).text();
          return /station_claim_cache_lookups_total\{result="hit"\} [1-9]/.test(metrics);
        });
        const stats = (await (await fetch(`${base}/v1/stats`)).json()) as { open: { total: number } };
        expect(stats.open.total).to.equal(1);
        // Nothing of the read side went to Ponder: no timeline, no warm-up, no cache check.
        const sent = stub.queries.slice(before);
        expect(sent.filter((q) => /json_agg| offset |"claim_transitions"."block_number" >/i.test(q))).to.deep.equal([]);
        // /ready names the copy among what the replica reads from (no chain runs here: that one is down).
        const ready = (await (await fetch(`${base}/ready`)).json()) as { checks: Record<string, { ok: boolean }> };
        expect(ready.checks.indexerDatabase?.ok).to.equal(true);
      } finally {
        await running.stop();
      }
    } finally {
      await standby.drop();
    }
  });

  it("as its own process, writes the access log in batches of LOG_FLUSH_MS, and what waits when it is stopped", async function () {
    this.timeout(60_000);
    const port = await freePort();
    // As `npm start` runs it, with the service's Node flags.
    const child = spawn(process.execPath, serviceArgs(), {
      env: {
        PATH: process.env.PATH,
        SERVICE_PORT: String(port),
        // Inside the suite's data directory, removed with it.
        SERVICE_DATA_DIR: await mkdtemp(path.join(dataDir, "log-")),
        INDEXER_URL: stub.url,
        LOG_FLUSH_MS: "10000",
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    let code: number | null | undefined;
    const exited = new Promise<number | null>((resolve) => child.once("exit", (c) => resolve((code = c))));
    try {
      await waitFor(
        "the service to answer /health",
        async () => {
          if (code !== undefined) throw new Error(`the service exited with ${code}: ${stderr}`);
          return (await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined))?.ok === true;
        },
        30_000,
      );
      const res = await fetch(`http://127.0.0.1:${port}/v1/claims/1`, { headers: { "X-Request-Id": "batched-1" } });
      expect(res.status).to.equal(200);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(stderr, "info lines wait for their batch").not.to.contain("batched-1");
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).to.equal(0);
    const lines = stderr
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as { msg: string; requestId?: string });
    expect(lines.map((l) => l.msg)).to.include("service listening");
    expect(lines.filter((l) => l.requestId === "batched-1")).to.have.length(1);
  });
});
