import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";

import { expect } from "chai";

import { e2eRows, readRows, webhookRows } from "../../bench/service.js";

const run = promisify(execFile);

const readRun = (route: string, mode: string, p99: number, rate: number, extra: Record<string, number> = {}) => ({
  engine: "pglite",
  route,
  mode,
  "req/s": rate,
  "p50 ms": 1,
  "p99 ms": p99,
  ...extra,
});

describe("service benchmark summary (bench/service.ts)", function () {
  it("holds read figures to p99 < 50 ms at 1,000 req/s and a paced run that dropped requests fails", function () {
    const rows = readRows({
      generatedAt: "x",
      claims: 100_000,
      runs: [
        readRun("GET /v1/claims/:id (hot set)", "paced 1000/s", 12, 1000, { "cpu µs/req": 140, dropped: 0 }),
        readRun("GET /v1/claims/:id (hot set)", "autocannon, max", 40, 4200),
        readRun("GET /v1/queue", "paced 1000/s", 30, 700, { dropped: 3000 }),
        readRun("GET /v1/queue", "autocannon, max", 300, 180),
        readRun("GET /v1/queue (no cache)", "autocannon, max", 300, 180),
      ],
    });
    const by = (figure: string) => rows.find((r) => r.figure.startsWith(figure));
    expect(by("GET /v1/claims/:id (hot set): p99")).to.include({ measured: 12, goal: "< 50 ms", met: "yes" });
    expect(by("GET /v1/claims/:id (hot set): server CPU")).to.include({ measured: 140, met: "-" });
    expect(by("GET /v1/claims/:id (hot set): throughput")).to.include({ measured: 4200, met: "yes" });
    expect(by("GET /v1/queue: p99")).to.include({ measured: 30, met: "no" });
    expect(by("GET /v1/queue: p99")!.figure).to.contain("3,000 dropped");
    expect(by("GET /v1/queue: throughput")).to.include({ measured: 180, goal: "≥ 1,000 req/s", met: "no" });
    // A run with the caches off is shown for comparison, not judged.
    expect(by("(reference) GET /v1/queue (no cache): throughput")).to.include({ measured: 180, met: "-" });
  });

  it("holds webhook latency to the transaction → webhook goals and lists throughput without one", function () {
    const rows = webhookRows({
      postgres: {
        measuredAt: "x",
        latency: [
          { run: "live", p50Ms: 30, p99Ms: 1600 },
          { run: "polling only (FEED_POLL_MS=1000)", p50Ms: 600, p99Ms: 1000 },
        ],
        throughput: [{ concurrency: 16, perSecond: 800, duplicates: 0 }],
      },
    });
    expect(rows.map((r) => [r.figure, r.engine, r.measured, r.met])).to.deep.equal([
      ["indexer row → webhook p50, live", "postgres", 30, "yes"],
      ["indexer row → webhook p99, live", "postgres", 1600, "no"],
      ["(reference) indexer row → webhook p50, polling only (FEED_POLL_MS=1000)", "postgres", 600, "-"],
      ["(reference) indexer row → webhook p99, polling only (FEED_POLL_MS=1000)", "postgres", 1000, "-"],
      ["sender throughput, concurrency 16", "postgres", 800, "-"],
    ]);
  });

  it("finds every p50/p99 pair in the end-to-end file, named by where it sits", function () {
    const rows = e2eRows({
      machine: { p50Ms: 1, p99Ms: 1 },
      pglite: { receiptToWebhook: { p50Ms: 400, p99Ms: 1400 } },
    });
    expect(rows.map((r) => [r.figure, r.engine, r.measured, r.met])).to.deep.equal([
      ["transaction → webhook, receiptToWebhook p50", "pglite", 400, "yes"],
      ["transaction → webhook, receiptToWebhook p99", "pglite", 1400, "yes"],
    ]);
  });

  it("merges the part files into service.json, and says what was not measured", async function () {
    const dir = await mkdtemp(path.join(tmpdir(), "bench-summary-"));
    try {
      await writeFile(
        path.join(dir, "service-read.json"),
        JSON.stringify({ generatedAt: "t", claims: 1, runs: [readRun("GET /v1/queue", "paced 1000/s", 9, 1000)] }),
      );
      const { stdout } = await run(process.execPath, ["--import", "tsx", "bench/service.ts"], {
        env: { ...process.env, BENCH_RESULTS_DIR: dir },
      });
      expect(stdout).to.contain("GET /v1/queue: p99 at 1,000 req/s");
      expect(stdout).to.match(/not measured: indexer row → webhook \(service-webhook\.json/);
      expect(stdout).to.match(/not measured: transaction → webhook \(service-e2e\.json/);
      const written = JSON.parse(await readFile(path.join(dir, "service.json"), "utf8")) as {
        rows: Array<{ figure: string; met: string }>;
        sources: Record<string, unknown>;
      };
      expect(written.rows.map((r) => r.met)).to.deep.equal(["yes", "not measured", "not measured"]);
      expect(written.sources).to.deep.equal({
        "service-read.json": "t",
        "service-webhook.json": null,
        "service-e2e.json": null,
      });
      await writeFile(path.join(dir, "service-e2e.json"), "{not json");
      const failed = await run(process.execPath, ["--import", "tsx", "bench/service.ts"], {
        env: { ...process.env, BENCH_RESULTS_DIR: dir },
      }).catch((err: { stderr: string }) => err);
      expect((failed as { stderr: string }).stderr).to.contain("service-e2e.json is not readable JSON");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
