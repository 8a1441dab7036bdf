/**
 * The station figures (GET /v1/stats) at scale: the incremental ledger (service/src/stats/ledger.ts)
 * against the full recomputation (the reader's `stats` queries), at 10,000 and 100,000 claims by
 * default, on PGlite and PostgreSQL.
 *
 *   npm run bench:scale                                   both engines, 10,000 and 100,000 claims
 *   BENCH_SIZES=1000000 BENCH_ENGINES=postgres npm run bench:scale
 *
 * PostgreSQL from DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), in a schema of
 * its own dropped at the end. Claims are seeded with bench/lib/seedClaims.ts. Prints a table and
 * writes bench/results/scale.json (merged by engine and size with earlier runs).
 */
import { writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { sql } from "drizzle-orm";

import { openDatabase } from "../service/src/db/client.js";
import { createLogger } from "../service/src/http/log.js";
import { indexerDdl } from "../service/src/indexer/ddl.js";
import { createIndexerReader } from "../service/src/indexer/reader.js";
import { LiveStatsLedger } from "../service/src/stats/ledger.js";
import { shapeFigures } from "../service/src/stats/stats.js";
import { mergedWithEarlier } from "./lib/results.js";
import { seedClaims } from "./lib/seedClaims.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const SIZES = (process.env.BENCH_SIZES ?? "10000,100000").split(",").map(Number);
const ENGINES = (process.env.BENCH_ENGINES ?? "pglite,postgres").split(",") as Array<"pglite" | "postgres">;
const PG_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const LEDGER_ANSWERS = 1000;

type Result = {
  engine: "pglite" | "postgres";
  claims: number;
  seedSeconds: number;
  /** One full recomputation (the reader's four queries and shapeFigures), median of 3, ms. */
  recomputeMs: number;
  /** Loading the ledger: every claim read page by page (10,000 a query) and the ledger built, ms. */
  loadMs: number;
  /** Heap held by the ledger (heapUsed after a forced GC, with and without it), MB. */
  ledgerHeapMB: number;
  /** The first answer after the load (fills the 24 h and 7 d windows), ms. */
  firstAnswerMs: number;
  /** Median and p99 of 1,000 answers, the clock moving 1 s before each, ms. */
  answerMedianMs: number;
  answerP99Ms: number;
  /** 200 changed claims read again (one query) and replaced in the ledger, median of 10, ms. */
  changeMs: number;
  /** The ledger's public figures equal the recomputation's, byte for byte. */
  identical: boolean;
};

const gc = (): void => {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) throw new Error("run with node --expose-gc (npm run bench:scale does)");
  collect();
  collect();
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.ceil(q * xs.length) - 1]!;

async function measure(engine: "pglite" | "postgres", claims: number): Promise<Result> {
  const schema = `bench_scale_${process.pid}`;
  const handle =
    engine === "pglite" ? await openDatabase({}) : await openDatabase({ url: PG_URL, schema, poolSize: 4 });
  try {
    if (engine === "postgres") {
      await handle.db.execute(sql.raw(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
      await handle.db.execute(sql.raw(`CREATE SCHEMA ${schema}`));
    }
    for (const statement of indexerDdl()) await handle.db.execute(sql.raw(statement));
    const now = Math.floor(Date.now() / 1000);
    const base = now - 10_000_000;
    let started = performance.now();
    await seedClaims(handle.db, claims, now, base);
    const seedSeconds = (performance.now() - started) / 1000;
    const head = { number: BigInt(now - base), timestamp: BigInt(now) };
    const reader = createIndexerReader({ db: handle.db, head: async () => head });

    const recompute: number[] = [];
    let sqlFigures = "";
    for (let i = 0; i < 3; i++) {
      started = performance.now();
      sqlFigures = JSON.stringify(shapeFigures(await reader.stats(BigInt(now)), now));
      recompute.push(performance.now() - started);
    }

    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const ledger = new LiveStatsLedger(reader.changes, {
      staleMs: Infinity,
      log: createLogger("warn"),
      now: () => 0,
    });
    ledger.notify({ all: true }, 0);
    await ledger.settled();
    const loadMs = ledger.lastLoadMs!;

    started = performance.now();
    const first = ledger.rows(now)!;
    const firstAnswerMs = performance.now() - started;
    const identical = JSON.stringify(shapeFigures(first, now)) === sqlFigures;
    gc();
    const ledgerHeapMB = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;

    const answers: number[] = [];
    for (let i = 1; i <= LEDGER_ANSWERS; i++) {
      started = performance.now();
      shapeFigures(ledger.rows(now + i)!, now + i);
      answers.push(performance.now() - started);
    }

    // Changes as the watcher reports them: 200 claims read again (one query) and replaced, 10 times.
    const changes: number[] = [];
    for (let k = 0; k < 10; k++) {
      const ids = Array.from({ length: 200 }, (_, i) => BigInt(claims - 2000 + k * 200 + i + 1));
      started = performance.now();
      ledger.notify({ all: false, ids }, 0);
      await ledger.settled();
      changes.push(performance.now() - started);
    }
    const changeMs = median(changes);
    if (ledger.rows(now) === undefined) throw new Error("the ledger stopped answering after the changes");

    return {
      engine,
      claims,
      seedSeconds,
      recomputeMs: median(recompute),
      loadMs,
      ledgerHeapMB,
      firstAnswerMs,
      answerMedianMs: median(answers),
      answerP99Ms: quantile(answers, 0.99),
      changeMs,
      identical,
    };
  } finally {
    if (engine === "postgres") await handle.db.execute(sql.raw(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
    await handle.close();
  }
}

async function main(): Promise<void> {
  const results: Result[] = [];
  for (const claims of SIZES) {
    for (const engine of ENGINES) {
      console.log(`[${engine}] ${claims.toLocaleString("en")} claims …`);
      results.push(await measure(engine, claims));
    }
  }
  const out = path.join(here, "results", "scale.json");
  // Earlier runs of other sizes or engines stay; a run replaces its own engine and size.
  const merged = await mergedWithEarlier(
    out,
    results,
    (e, r) => r.engine === e.engine && r.claims === e.claims,
    (a, b) => a.claims - b.claims || a.engine.localeCompare(b.engine),
  );
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}`;
  await writeFile(out, JSON.stringify({ machine, results: merged }, null, 2) + "\n");

  console.log(
    `\nStation figures (GET /v1/stats) at scale — ${machine}\n` +
      "recompute: the reader's stats queries + shapeFigures, median of 3. ledger load: every claim read\n" +
      "(10,000 a query) and the ledger built. heap: heapUsed after forced GC with the ledger minus before.\n" +
      "answer: ledger.rows(now) + shapeFigures, median and p99 of 1,000 with the clock 1 s further each time\n" +
      "(first: the first answer after loading, which fills the 24 h and 7 d windows). 200 changes: 200\n" +
      "changed claims read again (one query) and replaced in the ledger, median of 10.\n",
  );
  console.table(
    merged.map((r) => ({
      engine: r.engine,
      claims: r.claims.toLocaleString("en"),
      "recompute ms": r.recomputeMs.toFixed(0),
      "ledger answer ms (p50/p99)": `${r.answerMedianMs.toFixed(3)} / ${r.answerP99Ms.toFixed(3)}`,
      "first answer ms": r.firstAnswerMs.toFixed(1),
      "load ms": r.loadMs.toFixed(0),
      "heap MB": r.ledgerHeapMB.toFixed(1),
      "200 changes ms": r.changeMs.toFixed(1),
      identical: r.identical ? "yes" : "NO",
    })),
  );
  if (merged.some((r) => !r.identical)) process.exitCode = 1;
}

await main();
