/**
 * Case files nobody cites do not stay: a file uploaded but never cited by a stored opening
 * statement or message (the person changed their mind, the page was closed, an upload that did not
 * finish) is deleted `ttlSeconds` after its upload, from the database or from the bucket. Files a
 * record cites are marked so in the transaction that stores the record (cases.ts, `citeFiles`), and
 * are never touched here.
 *
 * In the bucket the row goes last: the row is marked 'sweeping' (from then on nothing cites the
 * file and an upload of it waits), the object is deleted, then the row. While the bucket fails,
 * marked rows stay and the next sweep finishes them; no object is left that no row names.
 */
import { sql } from "drizzle-orm";

import { queryRows, type Database } from "../db/client.js";
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
  more?: boolean;
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
  if (o.files === undefined) return { deleted, waiting: await pending() };
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
      return { deleted, waiting: await pending(), storageError: err.message };
    }
    const gone = await queryRows(
      o.db,
      sql`DELETE FROM case_attachments WHERE sha256 = ${sha256} AND owner = ${owner} AND stored_in = 'sweeping' RETURNING sha256`,
    );
    deleted += gone.length;
  }
  return { deleted, waiting: await pending(), more: marked.length === limit };
}
