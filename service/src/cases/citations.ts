/**
 * Which records cite a case file. A file belongs to its owner (sha256 and owner are its key), and
 * the owner may cite it in several records: opening statements (the files are inside the sealed
 * statement) and messages (listed in clear in `case_messages.cites`, or inside the sealed message
 * for rows older than that column). Erasing one case, or deleting an opening never filed, must not
 * take a file from another record that still cites it.
 */
import { sql } from "drizzle-orm";

import type { CaseMessage, OpeningStatement } from "../../../common/case.js";
import { queryRows, type Database } from "../db/client.js";
import type { CaseBox } from "./seal.js";

/** The files a record cites, lower-case sha256, in its order. */
export const citedFilesOf = (record: Pick<CaseMessage | OpeningStatement, "attachments">): string[] =>
  record.attachments.flatMap((a) => (a.kind === "file" ? [a.sha256.toLowerCase()] : []));

/**
 * Which of `files` (lower-case sha256) `owner` (lower-case) cites in a record not erased, leaving
 * out the messages of `except.claimId` and the opening statement `except.opening`.
 */
export async function filesCitedElsewhere(
  db: Database,
  box: CaseBox,
  owner: string,
  files: ReadonlySet<string>,
  except: { claimId?: bigint; opening: string },
): Promise<string[]> {
  if (files.size === 0) return [];
  const found = new Set<string>();
  const messages = await queryRows<{ hash: string; sealed: string; cites: string | null }>(
    db,
    sql`SELECT hash, sealed, cites FROM case_messages
        WHERE author = ${owner} AND sealed IS NOT NULL AND cites IS DISTINCT FROM ''
          ${except.claimId === undefined ? sql`` : sql`AND claim_id <> ${except.claimId.toString()}`}`,
  );
  for (const row of messages) {
    const cited =
      row.cites !== null
        ? row.cites.split(" ")
        : citedFilesOf(JSON.parse(box.openText(row.sealed, row.hash)) as CaseMessage);
    for (const sha of cited) if (files.has(sha)) found.add(sha);
  }
  const openings = await queryRows<{ hash: string; sealed: string }>(
    db,
    sql`SELECT hash, sealed FROM case_openings
        WHERE claimant = ${owner} AND hash <> ${except.opening.toLowerCase()} AND sealed IS NOT NULL`,
  );
  for (const row of openings) {
    const statement = JSON.parse(box.openText(row.sealed, row.hash)) as OpeningStatement;
    for (const sha of citedFilesOf(statement)) if (files.has(sha)) found.add(sha);
  }
  return [...found];
}
