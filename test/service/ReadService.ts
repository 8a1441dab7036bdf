import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

import type { DatabaseHandle } from "../../service/src/db/client.js";
import { startService } from "../../service/src/index.js";
import { waitFor } from "./deliveryHarness.js";
import { freshIndexerDatabase, insertClaims, insertTiers, T0 } from "./indexer.js";
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
    // A restart on the same data finds the library already seeded and serves it.
    running = await startService(env);
    try {
      const res = await fetch(`http://127.0.0.1:${running.port}/v1/help/not-received-c?lang=es`);
      expect(((await res.json()) as { title: string }).title).to.equal("No he recibido C");
    } finally {
      await running.stop();
    }
  });
});
