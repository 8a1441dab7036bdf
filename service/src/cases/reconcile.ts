/**
 * Objects in the bucket that no row names ("orphans"), found and deleted by the operator's
 * `npm run cases:orphans` (orphans-command.ts).
 *
 * The service writes a file's row before its object (cases.ts, `uploadAttachment`) and deletes the
 * object before the row (sweep.ts), so it leaves no object that no row names. Older releases put
 * the object first and wrote the row after: a database failure between the two left an object that
 * nothing names, lists or sweeps. An object is an orphan when no `case_attachments` row, whatever
 * its stored_in, is bound to the name it has (`CaseBox.fileName` of the row's sha256 and owner),
 * and it was last modified at least the grace ago: a replica still running an older release may be
 * between its object and its row.
 */
import { sql } from "drizzle-orm";

import { queryRows, type Database } from "../db/client.js";
import { StorageUnavailable, type ObjectStore } from "./files.js";
import { CASE_FILES_PREFIX, type CaseBox } from "./seal.js";

/** An object younger than this is never taken for an orphan. */
export const ORPHAN_GRACE_SECONDS = 3_600;

export type OrphanOptions = {
  db: Database;
  box: CaseBox;
  files: ObjectStore;
  nowSeconds: number;
  /** Objects last modified less than this long ago are kept. Default ORPHAN_GRACE_SECONDS. */
  graceSeconds?: number;
  /** Rows read per query while the rows' names are loaded. */
  batchSize?: number;
};

export type OrphanReport = {
  /** Objects under case-files/. */
  listed: number;
  /** Of those, named by a row. */
  named: number;
  /** Named by no row, and modified within the grace: kept. */
  tooYoung: number;
  /** Named by no row, and modified at least the grace ago. */
  orphans: number;
  orphanKeys: string[];
  /** Rows that say their file is in the bucket (stored_in 'object'). */
  rowsInBucket: number;
  /** Orphans deleted (`deleteOrphanObjects`), in the order of `orphanKeys`. */
  deleted: number;
  deletedKeys: string[];
  /** Orphans a row came to name after the listing: kept. */
  namedSince: number;
  /** Why deleting stopped before the last orphan (the bucket or the database failed, or the names look wrong). */
  stopped?: string;
};

/**
 * Every object under case-files/, listed page by page, told apart by the rows' names. Nothing is
 * deleted. Throws StorageUnavailable when the bucket fails, and the database's error when it does.
 */
export async function findOrphanObjects(o: OrphanOptions): Promise<OrphanReport> {
  const names = await rowNames(o.db, o.box, o.batchSize ?? 5_000);
  const cutoffMs = (o.nowSeconds - (o.graceSeconds ?? ORPHAN_GRACE_SECONDS)) * 1000;
  const report: OrphanReport = {
    listed: 0,
    named: 0,
    tooYoung: 0,
    orphans: 0,
    orphanKeys: [],
    rowsInBucket: names.rowsInBucket,
    deleted: 0,
    deletedKeys: [],
    namedSince: 0,
  };
  let token: string | undefined;
  do {
    const page = await o.files.list(CASE_FILES_PREFIX, token);
    for (const { key, lastModified } of page.objects) {
      // A bucket that does not honour the prefix does not make other objects ours.
      if (!key.startsWith(CASE_FILES_PREFIX)) continue;
      report.listed += 1;
      if (names.names.has(key)) report.named += 1;
      else if (lastModified.getTime() > cutoffMs) report.tooYoung += 1;
      else report.orphanKeys.push(key);
    }
    // The same token again would list the same page for ever.
    if (page.continuationToken !== undefined && page.continuationToken === token) {
      throw new StorageUnavailable("case file storage answered the same continuation token twice");
    }
    token = page.continuationToken;
  } while (token !== undefined);
  report.orphans = report.orphanKeys.length;
  return report;
}

/**
 * `findOrphanObjects`, then each orphan deleted, unless a row names it by then (one written since
 * the listing: the same file uploaded again). The first failure of the bucket or the database
 * stops the deletion: the report says why (`stopped`) and what was deleted before.
 *
 * The re-check reads the rows written since the grace began (created_at is set by every write that
 * makes a row name a file); case_attachments has no index on created_at for cited rows, so each
 * re-check scans the table: orphans are few, and a run is an operator's, once.
 */
export async function deleteOrphanObjects(o: OrphanOptions): Promise<OrphanReport> {
  const report = await findOrphanObjects(o);
  const wrong = namesLookWrong(report);
  if (wrong !== undefined) return { ...report, stopped: `${wrong}; nothing deleted` };
  const since = o.nowSeconds - (o.graceSeconds ?? ORPHAN_GRACE_SECONDS);
  for (const key of report.orphanKeys) {
    let named: boolean;
    try {
      named = await namedNow(o.db, o.box, key, since);
    } catch (err) {
      return { ...report, stopped: `the database failed: ${(err as Error).message}` };
    }
    if (named) {
      report.namedSince += 1;
      continue;
    }
    // A remaining race: an upload of this very file that writes its row after the look-up above
    // and finishes its PUT before this DELETE arrives loses its bytes (its row reads as gone).
    // It takes a person uploading, within one request's time, a file whose earlier upload failed
    // an hour or more before.
    try {
      await o.files.delete(key);
    } catch (err) {
      if (!(err instanceof StorageUnavailable)) throw err;
      return { ...report, stopped: err.message };
    }
    report.deleted += 1;
    report.deletedKeys.push(key);
  }
  return report;
}

/**
 * Rows say files are in the bucket and not one object there has a row's name: the names are
 * computed with another key than the service's (WEBHOOK_SECRET_KEY), or the bucket is not the
 * service's. Every object would look like an orphan.
 */
export function namesLookWrong(report: OrphanReport): string | undefined {
  if (report.named > 0 || report.rowsInBucket === 0 || report.listed === 0) return undefined;
  return (
    `no object in the bucket has a row's name, though ${report.rowsInBucket} rows say their file is there: ` +
    "is WEBHOOK_SECRET_KEY the service's, and CASE_FILES_S3_URL its bucket?"
  );
}

/**
 * The name of every row, read in batches by key (keyset pagination: no query holds the table).
 * Held in a Set of strings: a 75-character name and its Set entry a file, on the order of 130 bytes
 * of heap (an estimate from those sizes, not a benchmark), so ~130 MB for a million files.
 */
async function rowNames(
  db: Database,
  box: CaseBox,
  batchSize: number,
): Promise<{ names: Set<string>; rowsInBucket: number }> {
  const names = new Set<string>();
  let rowsInBucket = 0;
  let after: { sha256: string; owner: string } | undefined;
  for (;;) {
    const rows = await queryRows<{ sha256: string; owner: string; stored_in: string }>(
      db,
      sql`SELECT sha256, owner, stored_in FROM case_attachments
          ${after === undefined ? sql`` : sql`WHERE (sha256, owner) > (${after.sha256}, ${after.owner})`}
          ORDER BY sha256, owner LIMIT ${batchSize}`,
    );
    for (const row of rows) {
      names.add(box.fileName(`${row.sha256}:${row.owner}`));
      if (row.stored_in === "object") rowsInBucket += 1;
    }
    after = rows.at(-1);
    if (after === undefined || rows.length < batchSize) return { names, rowsInBucket };
  }
}

async function namedNow(db: Database, box: CaseBox, key: string, sinceSeconds: number): Promise<boolean> {
  const rows = await queryRows<{ sha256: string; owner: string }>(
    db,
    sql`SELECT sha256, owner FROM case_attachments WHERE created_at >= ${sinceSeconds}`,
  );
  return rows.some((row) => box.fileName(`${row.sha256}:${row.owner}`) === key);
}
