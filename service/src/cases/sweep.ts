/**
 * Case files nobody cites do not stay: a file uploaded but never cited by a stored opening
 * statement or message (the person changed their mind, the page was closed, an upload that did not
 * finish) is deleted `ttlSeconds` after its upload, from the database or from the bucket. Files a
 * record cites are marked so in the transaction that stores the record (cases.ts, `citeFiles`), and
 * are never touched here.
 *
 * An opening statement no claim was filed with (its hash is no claim's evidenceHash) within
 * `CASE_OPENING_TTL_DAYS` is deleted too, contact handle included: the person stored it and never
 * filed. Its files are no longer cited by it, so they follow the rule above unless another record
 * of theirs cites them. The indexer must have indexed the chain past that deadline first, so a
 * backfilling indexer deletes nothing.
 *
 * In the bucket the row goes last: the row is marked 'sweeping' (from then on nothing cites the
 * file and an upload of it waits), the object is deleted, then the row. While the bucket fails,
 * marked rows stay and the next sweep finishes them; no object is left that no row names.
 */
import { sql } from "drizzle-orm";
import { Counter, Gauge, type Registry } from "prom-client";

import type { OpeningStatement } from "../../../common/case.js";
import { queryRows, type Database } from "../db/client.js";
import type { IndexerReader } from "../indexer/reader.js";
import { citedFilesOf, filesCitedElsewhere } from "./citations.js";
import { StorageUnavailable, type ObjectStore } from "./files.js";
import type { CaseBox } from "./seal.js";

export type SweepOptions = {
  db: Database;
  box: CaseBox;
  /** The bucket (CASE_FILES_S3_URL); a replica without it deletes only files in the database. */
  files: ObjectStore | undefined;
  nowSeconds: number;
  ttlSeconds: number;
  /** At most this many files of the bucket per call (each is a request to it). */
  limit?: number;
};

export type SweepResult = {
  /** Uncited files deleted (rows and their bytes, wherever they were). */
  deleted: number;
  /** Marked files of the bucket not deleted yet: the bucket failed, or this replica has none, or past the limit. */
  waiting: number;
  /** The limit was reached: call again. */
  more: boolean;
  /** Why the bucket stopped this sweep, if it did. */
  storageError?: string;
};

export async function sweepUncitedFiles(o: SweepOptions): Promise<SweepResult> {
  const cutoff = o.nowSeconds - o.ttlSeconds;
  const limit = o.limit ?? 200;
  // In the database, one statement: a record citing one of these files at the same moment either
  // marked it first (and it stays) or finds it gone (and is refused, nothing stored).
  const inDatabase = await queryRows<{ sha256: string }>(
    o.db,
    sql`DELETE FROM case_attachments
        WHERE cited_at IS NULL AND created_at <= ${cutoff} AND stored_in = 'database' RETURNING sha256`,
  );
  let deleted = inDatabase.length;
  const pending = async () =>
    Number(
      (
        await queryRows<{ n: number | string }>(
          o.db,
          sql`SELECT count(*) AS n FROM case_attachments WHERE stored_in = 'sweeping'`,
        )
      )[0]?.n ?? 0,
    );
  if (o.files === undefined) return { deleted, waiting: await pending(), more: false };
  const files = o.files;
  await o.db.execute(sql`
    UPDATE case_attachments SET stored_in = 'sweeping'
    WHERE cited_at IS NULL AND created_at <= ${cutoff} AND stored_in IN ('object', 'uploading')`);
  const marked = await queryRows<{ sha256: string; owner: string }>(
    o.db,
    sql`SELECT sha256, owner FROM case_attachments WHERE stored_in = 'sweeping' ORDER BY created_at LIMIT ${limit}`,
  );
  for (const { sha256, owner } of marked) {
    try {
      await files.delete(o.box.fileName(`${sha256}:${owner}`));
    } catch (err) {
      if (!(err instanceof StorageUnavailable)) throw err;
      // The marked rows wait for the next sweep.
      return { deleted, waiting: await pending(), more: false, storageError: err.message };
    }
    const gone = await queryRows(
      o.db,
      sql`DELETE FROM case_attachments WHERE sha256 = ${sha256} AND owner = ${owner} AND stored_in = 'sweeping' RETURNING sha256`,
    );
    deleted += gone.length;
  }
  return { deleted, waiting: await pending(), more: marked.length === limit };
}

export type OpeningSweepOptions = {
  db: Database;
  box: CaseBox;
  indexer: Pick<IndexerReader, "head" | "filedEvidence">;
  nowSeconds: number;
  ttlSeconds: number;
  /** At most this many openings looked up per call (one query to the indexer). */
  limit?: number;
};

export type OpeningSweepResult = {
  /** Openings deleted: no claim was filed with them in time. */
  deleted: number;
  /** Openings found filed (marked, not looked up again). */
  filed: number;
  /** Files those deleted openings cited that no other record of their owner cites (now uncited). */
  released: number;
  /** The limit was reached: call again. */
  more: boolean;
};

export async function sweepUnfiledOpenings(o: OpeningSweepOptions): Promise<OpeningSweepResult> {
  const none = { deleted: 0, filed: 0, released: 0, more: false };
  const lookup = o.indexer.filedEvidence?.bind(o.indexer);
  if (lookup === undefined) return none;
  const limit = o.limit ?? 200;
  const oldest = await queryRows<{
    hash: string;
    claimant: string;
    sealed: string | null;
    created_at: number | string;
  }>(
    o.db,
    sql`SELECT hash, claimant, sealed, created_at FROM case_openings
        WHERE filed_at IS NULL AND created_at <= ${o.nowSeconds - o.ttlSeconds} ORDER BY created_at LIMIT ${limit}`,
  );
  // Most rounds find nothing due and ask the indexer nothing.
  if (oldest.length === 0) return none;
  // Judged by the chain as indexed, too: an indexer still catching up has not seen every filing.
  // (The oldest first: those due by the head are a prefix of them.)
  const head = await o.indexer.head();
  const cutoff = Number(head.timestamp) - o.ttlSeconds;
  const due = oldest.filter((r) => Number(r.created_at) <= cutoff);
  if (due.length === 0) return none;
  const filed = await lookup(due.map((r) => r.hash as `0x${string}`));
  const result = { ...none, more: due.length === limit };
  const found = due.filter((r) => filed.has(r.hash)).map((r) => r.hash);
  if (found.length > 0) {
    const marked = await queryRows(
      o.db,
      sql`UPDATE case_openings SET filed_at = ${o.nowSeconds} WHERE hash IN (${sql.join(
        found.map((h) => sql`${h}`),
        sql`, `,
      )}) RETURNING hash`,
    );
    result.filed = marked.length;
  }
  for (const row of due) {
    if (filed.has(row.hash)) continue;
    const files =
      row.sealed === null ? [] : citedFilesOf(JSON.parse(o.box.openText(row.sealed, row.hash)) as OpeningStatement);
    const gone = await queryRows(
      o.db,
      sql`DELETE FROM case_openings WHERE hash = ${row.hash} AND filed_at IS NULL RETURNING hash`,
    );
    if (gone.length === 0) continue;
    result.deleted += 1;
    // Its files: uncited from now unless another record of the owner cites them, so the file
    // sweep deletes them a day from now unless something cites them again.
    const mine = new Set(files);
    for (const sha of await filesCitedElsewhere(o.db, o.box, row.claimant, mine, { opening: row.hash }))
      mine.delete(sha);
    for (const sha of mine) {
      const released = await queryRows(
        o.db,
        sql`UPDATE case_attachments SET cited_at = NULL, created_at = ${o.nowSeconds}
            WHERE sha256 = ${sha} AND owner = ${row.claimant} AND cited_at IS NOT NULL AND erased_at IS NULL RETURNING sha256`,
      );
      result.released += released.length;
    }
  }
  return result;
}

/**
 * The sweeps' metrics: `station_case_sweep_deleted_total{kind="file"|"opening"}`, and
 * `station_case_files_awaiting_deletion`, the bucket's files marked for deletion and not deleted
 * yet as of the last sweep (it stays above 0 while the bucket refuses deletes, for instance
 * credentials without s3:DeleteObject; uploads of those files answer 503 meanwhile).
 */
export function sweepMetrics(registry: Registry) {
  const deleted = new Counter({
    name: "station_case_sweep_deleted_total",
    help: "Case files no record cited and opening statements never filed, deleted by the purge loop.",
    labelNames: ["kind"] as const,
    registers: [registry],
  });
  const waiting = new Gauge({
    name: "station_case_files_awaiting_deletion",
    help: "Case files in the bucket marked for deletion and not deleted yet, as of the last sweep.",
    registers: [registry],
  });
  return {
    openings(r: OpeningSweepResult) {
      deleted.inc({ kind: "opening" }, r.deleted);
    },
    files(r: SweepResult) {
      deleted.inc({ kind: "file" }, r.deleted);
      waiting.set(r.waiting);
    },
  };
}
