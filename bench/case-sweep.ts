/**
 * What the purge loop's case sweeps cost at scale (service/src/cases/sweep.ts), on PostgreSQL: the
 * indexer's tables with `BENCH_SIZES` claims (bench/lib/seedClaims.ts) in one schema, the
 * service's tables (its migrations) in another, and in them:
 * - 200 opening statements 31 days old, by 200 people, each citing one file: 100 filed (their hash
 *   is a claim's evidenceHash, spread over all claims) and 100 never filed;
 * - `BENCH_FILES` case files in the database, a tenth of them uncited and two days old.
 *
 * Measured, in wall-clock milliseconds: the look-up of 200 evidence hashes among the claims (no
 * index on evidence_hash: a scan; median of 5), one round of the openings' sweep (that look-up,
 * marking 100, deleting 100 with their contact and releasing their files), and one round of the
 * files' sweep (one DELETE of the uncited tenth). The bucket's path (a request per file) is not
 * measured: the tests' bucket is a local fake.
 *
 *   npm run bench:case-sweep                         100,000 and 1,000,000 claims
 *   BENCH_SIZES=100000 BENCH_FILES=20000 npm run bench:case-sweep
 *
 * PostgreSQL from DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), schemas dropped at
 * the end. Prints a table and writes bench/results/case-sweep.json (merged by size).
 */
import { writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { sql } from "drizzle-orm";
import { keccak256, stringToHex, type Hex } from "viem";

import { CaseBox } from "../service/src/cases/seal.js";
import { sweepUncitedFiles, sweepUnfiledOpenings } from "../service/src/cases/sweep.js";
import { openDatabase, type Database } from "../service/src/db/client.js";
import { migrate } from "../service/src/db/migrate.js";
import { indexerDdl } from "../service/src/indexer/ddl.js";
import { createIndexerReader } from "../service/src/indexer/reader.js";
import { mergedWithEarlier } from "./lib/results.js";
import { seedClaims } from "./lib/seedClaims.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const SIZES = (process.env.BENCH_SIZES ?? "100000,1000000").split(",").map(Number);
const FILES = Number(process.env.BENCH_FILES ?? 100_000);
const PG_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const OPENINGS = 200;
const DAY = 86_400;
const OWNER = "0x00000000000000000000000000000000000000a1";

type Result = {
  claims: number;
  files: number;
  /** Median of 5 look-ups of 200 evidence hashes among the claims, ms. */
  lookupMs: number;
  /** One round of the openings' sweep, ms, and what it did. */
  openingsRoundMs: number;
  openings: { deleted: number; filed: number; released: number };
  /** One round of the files' sweep, ms, and how many files it deleted. */
  filesRoundMs: number;
  filesDeleted: number;
};

const fileHash = (i: number): Hex => keccak256(stringToHex(`file ${i}`));

async function seedService(db: Database, box: CaseBox, claims: number, now: number): Promise<void> {
  const created = now - 31 * DAY;
  for (let i = 0; i < OPENINGS; i++) {
    // Even: a claim's evidence (ids spread over all claims); odd: never filed.
    const hash =
      i % 2 === 0
        ? (`0x${Math.max(1, Math.floor(((i + 1) / OPENINGS) * claims))
            .toString(16)
            .padStart(64, "0")}` as Hex)
        : keccak256(stringToHex(`unfiled ${i}`));
    const sha = fileHash(FILES + i);
    const owner = `0x${(0xb000 + i).toString(16).padStart(40, "0")}`;
    const statement = { text: "bench", attachments: [{ kind: "file", sha256: sha, type: "text/plain", size: 3 }] };
    await db.execute(sql`
      INSERT INTO case_openings (hash, claimant, sealed, contact_sealed, created_at)
      VALUES (${hash}, ${owner}, ${box.sealText(JSON.stringify(statement), hash)}, ${box.sealText("+1 555 0100", `${hash}:contact`)}, ${created})`);
    await db.execute(sql`
      INSERT INTO case_attachments (sha256, owner, content_type, size, sealed, created_at, cited_at)
      VALUES (${sha}, ${owner}, 'text/plain', 3, 'plain:YWJj', ${created}, ${created})`);
  }
  // The files: a tenth uncited and two days old, the rest cited.
  await db.execute(
    sql.raw(`INSERT INTO case_attachments (sha256, owner, content_type, size, sealed, created_at, cited_at)
SELECT '0x' || encode(sha256(('file ' || g)::bytea), 'hex'), '${OWNER}', 'text/plain', 3, 'plain:YWJj',
  ${now - 2 * DAY}, CASE WHEN g % 10 = 0 THEN NULL ELSE ${now - 2 * DAY} END
FROM generate_series(1, ${FILES}) g`),
  );
}

async function measure(claims: number): Promise<Result> {
  const indexerSchema = `bench_sweep_idx_${process.pid}`;
  const serviceSchema = `bench_sweep_svc_${process.pid}`;
  const indexer = await openDatabase({ url: PG_URL, schema: indexerSchema });
  const service = await openDatabase({ url: PG_URL, schema: serviceSchema });
  const drop = async () => {
    await indexer.db.execute(sql.raw(`DROP SCHEMA IF EXISTS ${indexerSchema} CASCADE`));
    await service.db.execute(sql.raw(`DROP SCHEMA IF EXISTS ${serviceSchema} CASCADE`));
  };
  try {
    await drop();
    await indexer.db.execute(sql.raw(`CREATE SCHEMA ${indexerSchema}`));
    await service.db.execute(sql.raw(`CREATE SCHEMA ${serviceSchema}`));
    for (const statement of indexerDdl()) await indexer.db.execute(sql.raw(statement));
    const now = Math.floor(Date.now() / 1000);
    await seedClaims(indexer.db, claims, now, now - 10_000_000);
    await indexer.db.execute(sql`ANALYZE`);
    await migrate(service.db);
    const box = new CaseBox(Buffer.alloc(32, 0x44));
    await seedService(service.db, box, claims, now);
    await service.db.execute(sql`ANALYZE`);
    const reader = createIndexerReader({ db: indexer.db, head: async () => ({ number: 1n, timestamp: BigInt(now) }) });

    const hashes = (
      (await service.db.execute(sql`SELECT hash FROM case_openings`)) as unknown as { rows: Array<{ hash: Hex }> }
    ).rows.map((r) => r.hash);
    const lookups: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      const filed = await reader.filedEvidence!(hashes);
      lookups.push(performance.now() - t);
      if (filed.size !== OPENINGS / 2) throw new Error(`expected ${OPENINGS / 2} filed, found ${filed.size}`);
    }
    lookups.sort((a, b) => a - b);

    let t = performance.now();
    const openings = await sweepUnfiledOpenings({
      db: service.db,
      box,
      indexer: reader,
      nowSeconds: now,
      ttlSeconds: 30 * DAY,
    });
    const openingsRoundMs = performance.now() - t;
    t = performance.now();
    const files = await sweepUncitedFiles({ db: service.db, box, files: undefined, nowSeconds: now, ttlSeconds: DAY });
    const filesRoundMs = performance.now() - t;
    return {
      claims,
      files: FILES + OPENINGS,
      lookupMs: Math.round(lookups[2]! * 10) / 10,
      openingsRoundMs: Math.round(openingsRoundMs),
      openings: { deleted: openings.deleted, filed: openings.filed, released: openings.released },
      filesRoundMs: Math.round(filesRoundMs),
      filesDeleted: files.deleted,
    };
  } finally {
    await drop();
    await indexer.close();
    await service.close();
  }
}

const results: Result[] = [];
for (const claims of SIZES) {
  console.log(`[postgres] ${claims.toLocaleString("en")} claims, ${FILES.toLocaleString("en")} files …`);
  const r = await measure(claims);
  console.log(`[postgres]`, JSON.stringify(r));
  results.push(r);
}
console.table(
  results.map((r) => ({
    claims: r.claims,
    files: r.files,
    "look-up of 200 hashes, ms": r.lookupMs,
    "openings round, ms": r.openingsRoundMs,
    "openings deleted / filed / files released": `${r.openings.deleted} / ${r.openings.filed} / ${r.openings.released}`,
    "files round, ms": r.filesRoundMs,
    "files deleted": r.filesDeleted,
  })),
);
const out = path.join(here, "results", "case-sweep.json");
const merged = await mergedWithEarlier(
  out,
  results,
  (a, b) => a.claims === b.claims && a.files === b.files,
  (a, b) => a.claims - b.claims,
);
await writeFile(
  out,
  JSON.stringify(
    {
      generatedAt: new Date().toISOString(),
      machine: { cpus: os.cpus().length, node: process.version, loadavg: os.loadavg() },
      note: "PostgreSQL; wall-clock ms; see bench/case-sweep.ts",
      results: merged,
    },
    null,
    2,
  ) + "\n",
);
console.log(`wrote ${path.relative(process.cwd(), out)}`);
