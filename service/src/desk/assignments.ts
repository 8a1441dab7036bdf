/**
 * Who has taken which claim at the assessors' desk: one holder per claim, off-chain. Taking is a
 * courtesy between colleagues (the chain decides who may act); it is refused while another holds
 * the claim, and only the holder releases it.
 */
import { sql } from "drizzle-orm";
import { getAddress, type Address } from "viem";

import { queryRows, type Database } from "../db/client.js";
import { HttpError } from "../http/errors.js";

export type Assignment = { claimId: string; assessor: Address; takenAt: number };

type Row = { claim_id: string; assessor: string; taken_at: string | number };
const view = (r: Row): Assignment => ({
  claimId: r.claim_id,
  assessor: getAddress(r.assessor),
  takenAt: Number(r.taken_at),
});
const lower = (a: Address) => a.toLowerCase();

export function createAssignments(deps: { db: Database; now: () => number }) {
  const { db } = deps;

  /**
   * Takes `claimId` for `assessor`: `created` when it was free, the standing assignment when the
   * assessor already holds it, and 409 `taken` (naming the holder) when someone else does.
   */
  async function take(claimId: bigint, assessor: Address): Promise<{ assignment: Assignment; created: boolean }> {
    const takenAt = Math.floor(deps.now() / 1000);
    // One statement decides between two assessors taking at once: the primary key lets one insert.
    const inserted = await queryRows<Row>(
      db,
      sql`INSERT INTO desk_assignments (claim_id, assessor, taken_at)
          VALUES (${claimId.toString()}, ${lower(assessor)}, ${takenAt})
          ON CONFLICT (claim_id) DO NOTHING
          RETURNING claim_id, assessor, taken_at`,
    );
    if (inserted[0] !== undefined) return { assignment: view(inserted[0]), created: true };
    const held = await holder(claimId);
    // Released between the two statements: rare enough that asking again is the caller's move.
    if (held === undefined) throw new HttpError(409, "taken", `claim ${claimId} changed hands; try again`);
    if (held.assessor === getAddress(assessor)) return { assignment: held, created: false };
    throw new HttpError(409, "taken", `claim ${claimId} is taken by ${held.assessor}`, held);
  }

  /** Releases `claimId`: 404 when nobody holds it, 409 `taken` when another assessor does. */
  async function release(claimId: bigint, assessor: Address): Promise<Assignment> {
    const deleted = await queryRows<Row>(
      db,
      sql`DELETE FROM desk_assignments WHERE claim_id = ${claimId.toString()} AND assessor = ${lower(assessor)}
          RETURNING claim_id, assessor, taken_at`,
    );
    if (deleted[0] !== undefined) return view(deleted[0]);
    const held = await holder(claimId);
    if (held === undefined) throw new HttpError(404, "not_found", `nobody holds claim ${claimId}`);
    throw new HttpError(409, "taken", `claim ${claimId} is held by ${held.assessor}; only they release it`, held);
  }

  async function holder(claimId: bigint): Promise<Assignment | undefined> {
    const rows = await queryRows<Row>(
      db,
      sql`SELECT claim_id, assessor, taken_at FROM desk_assignments WHERE claim_id = ${claimId.toString()}`,
    );
    return rows[0] === undefined ? undefined : view(rows[0]);
  }

  /** Every standing assignment, oldest first. */
  async function list(): Promise<Assignment[]> {
    const rows = await queryRows<Row>(
      db,
      sql`SELECT claim_id, assessor, taken_at FROM desk_assignments ORDER BY taken_at, claim_id`,
    );
    return rows.map(view);
  }

  return { take, release, holder, list };
}
