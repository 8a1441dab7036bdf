/**
 * Incident rounds in the service (issue 13): how long a staff member waits for a 100,000-row CSV
 * to become a draft (read, tree and proofs, stored per leaf), and how long a claimant's proof
 * lookup and eligible-rounds lookup take afterwards, through the app's routes in this process
 * (no network hop), once with PGlite and once with PostgreSQL.
 *
 *   npx tsx bench/rounds.ts                      both engines (PostgreSQL from DATABASE_URL,
 *                                                default postgres://postgres@127.0.0.1:5432/postgres)
 *   BENCH_ENGINES=pglite BENCH_ROWS=20000 npx tsx bench/rounds.ts
 *
 * Prints a table and writes bench/results/rounds.json (raw figures).
 */
import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { sql } from "drizzle-orm";
import type { MiddlewareHandler } from "hono";
import { type Address, type Hex, getAddress, keccak256, toHex } from "viem";

import { buildIncidentTree, readIncidentCsv } from "../common/incident.js";
import * as schema from "../indexer/ponder.schema.js";
import { createApp } from "../service/src/app.js";
import type { AuthGuards, AuthVariables } from "../service/src/auth/guards.js";
import { loadConfig } from "../service/src/config.js";
import { openDatabase, type DatabaseHandle } from "../service/src/db/client.js";
import { migrate } from "../service/src/db/migrate.js";
import { createLogger } from "../service/src/http/log.js";
import { createMetricsRegistry } from "../service/src/http/metrics.js";
import { indexerDdl } from "../service/src/indexer/ddl.js";
import { createIndexerReader } from "../service/src/indexer/reader.js";
import type { RoundDraftResponse } from "../service/src/rounds/routes.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const LOOKUPS = Number(process.env.BENCH_LOOKUPS ?? 2_000);
const PG_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const ENGINES = (process.env.BENCH_ENGINES ?? "pglite,postgres").split(",") as Array<"pglite" | "postgres">;
const OPERATOR = getAddress("0x90f79bf6eb2c4f870365e785982e1f101e93b906");

const account = (i: number): Address => getAddress(`0x${keccak256(toHex(i)).slice(26)}`);
const ms = (start: number) => Math.round((performance.now() - start) * 10) / 10;
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

async function database(engine: "pglite" | "postgres", schemaName: string): Promise<DatabaseHandle> {
  if (engine === "pglite") return openDatabase({});
  const handle = await openDatabase({ url: PG_URL, schema: schemaName, poolSize: 4 });
  return {
    ...handle,
    close: async () => {
      await handle.db.execute(sql.raw(`DROP SCHEMA IF EXISTS ${schemaName} CASCADE`));
      await handle.close();
    },
  };
}

async function run(engine: "pglite" | "postgres", csv: string) {
  const tag = randomBytes(4).toString("hex");
  const service = await database(engine, `bench_rounds_${tag}`);
  const indexer = await database(engine, `bench_rounds_ix_${tag}`);
  try {
    await migrate(service.db);
    for (const statement of indexerDdl()) await indexer.db.execute(sql.raw(statement));
    const staff: MiddlewareHandler<{ Variables: AuthVariables }> = async (c, next) => {
      c.set("address", OPERATOR);
      await next();
    };
    const auth: AuthGuards = { session: staff, assessor: staff };
    const app = createApp({
      db: service.db,
      config: loadConfig({ POOL_ADDRESS: "0x5fbdb2315678afecb367f032d93f642f64180aa3", CHAIN_ID: "31337" }),
      log: createLogger("silent"),
      auth,
      metrics: createMetricsRegistry({ defaults: false }),
      indexerSource: { db: indexer.db, head: async () => undefined },
      indexer: createIndexerReader({ db: indexer.db, head: async () => ({ number: 1n, timestamp: 2_000_000_000n }) }),
      now: () => Date.now(),
      staffRoles: async () => ["admin"],
    });

    let start = performance.now();
    const res = await app.request("/v1/rounds/drafts", { method: "POST", body: csv });
    if (res.status !== 201) throw new Error(`draft: ${res.status} ${await res.text()}`);
    const draftMs = ms(start);
    const draft = (await res.json()) as RoundDraftResponse;

    await indexer.db.insert(schema.incidents).values({
      id: 1n,
      root: draft.root as Hex,
      total: BigInt(draft.total),
      claimed: 0n,
      claimCount: 0,
      claimableAt: 2_000_000_120n,
      claimDeadline: 2_000_172_800n,
      metadataHash: keccak256(toHex("bench")),
      status: "Open",
      openedBy: OPERATOR.toLowerCase() as Hex,
      openedAt: 2_000_000_000n,
      endedAt: null,
      released: 0n,
    });
    start = performance.now();
    const published = await app.request(`/v1/rounds/drafts/${draft.draftId}/publish`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ incidentId: "1" }),
    });
    if (published.status !== 200) throw new Error(`publish: ${published.status} ${await published.text()}`);
    const publishMs = ms(start);

    const timed = async (route: (i: number) => string) => {
      const times: number[] = [];
      for (let n = 0; n < LOOKUPS; n++) {
        const i = Math.floor(Math.random() * ROWS);
        const t = performance.now();
        const r = await app.request(route(i));
        if (r.status !== 200) throw new Error(`${route(i)}: ${r.status}`);
        await r.arrayBuffer();
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      const round = (x: number) => Math.round(x * 100) / 100;
      return {
        n: LOOKUPS,
        p50Ms: round(quantile(times, 0.5)),
        p99Ms: round(quantile(times, 0.99)),
        maxMs: round(times.at(-1)!),
      };
    };
    const proof = await timed((i) => `/v1/rounds/1/proofs/${account(i)}`);
    const eligible = await timed((i) => `/v1/rounds/eligible/${account(i)}`);
    return { engine, rows: draft.count, draftMs, publishMs, proof, eligible };
  } finally {
    await service.close();
    await indexer.close();
  }
}

const lines = ["account,amount"];
for (let i = 0; i < ROWS; i++) lines.push(`${account(i)},${1 + (i % 97)}.25`);
const csv = `${lines.join("\n")}\n`;

// The draft's two CPU-bound steps alone, without a database.
let t = performance.now();
const { rows } = readIncidentCsv(csv);
const parseMs = ms(t);
t = performance.now();
buildIncidentTree(rows);
const treeMs = ms(t);

const results = [];
for (const engine of ENGINES) {
  console.error(`${engine}: drafting ${ROWS} rows …`);
  results.push(await run(engine, csv));
}

console.log(`\nincident round of ${ROWS} rows: CSV read ${parseMs} ms, tree and proofs ${treeMs} ms (no database)\n`);
console.log("engine    draft (ms)  publish (ms)  proof p50/p99 (ms)  eligible p50/p99 (ms)");
for (const r of results) {
  console.log(
    `${r.engine.padEnd(9)} ${String(r.draftMs).padStart(10)}  ${String(r.publishMs).padStart(12)}  ` +
      `${`${r.proof.p50Ms} / ${r.proof.p99Ms}`.padStart(18)}  ${`${r.eligible.p50Ms} / ${r.eligible.p99Ms}`.padStart(21)}`,
  );
}

await mkdir(path.join(here, "results"), { recursive: true });
await writeFile(
  path.join(here, "results", "rounds.json"),
  `${JSON.stringify(
    {
      generatedAt: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? "unknown",
        node: process.version,
        loadAverage1m: Number(os.loadavg()[0]!.toFixed(2)),
      },
      rows: ROWS,
      note: "Through app.request in one process (no HTTP hop, no real sign-in: a staff guard stub). draftMs is the whole POST /v1/rounds/drafts: CSV read, tree and proofs, and the inserts of every leaf with its proof in batches of 2,000 (the progress recorded after each), answered when the draft is built (the synchronous form; the background form, Prefer: respond-async, runs the same build). Lookups are random accounts of the round, one at a time.",
      cpuOnly: { parseMs, treeMs },
      results,
    },
    null,
    2,
  )}\n`,
);
