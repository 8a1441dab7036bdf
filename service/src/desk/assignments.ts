/**
 * Who has taken which claim at the assessors' desk: one holder per claim, off-chain. Taking is a
 * courtesy between colleagues (the chain decides who may act); it is refused while another holds
 * the claim, and only the holder releases it — unless the claim is taken over: by a guardian or
 * admin at any time, by an assessor when the holder no longer holds the role, or when the holder
 * has been quiet on it (no case message) for the take-over delay. Every take-over is recorded.
 */
import { sql } from "drizzle-orm";
import { getAddress, type Address } from "viem";

import { queryRows, type Database } from "../db/client.js";
import { HttpError } from "../http/errors.js";

export type Assignment = { claimId: string; assessor: Address; takenAt: number };
export type TakeoverGrounds = "lead" | "revoked" | "idle";
export type Takeover = { assignment: Assignment; from: Address; grounds: TakeoverGrounds; reason: string };

type Row = { claim_id: string; assessor: string; taken_at: string | number };
const view = (r: Row): Assignment => ({
  claimId: r.claim_id,
  assessor: getAddress(r.assessor),
  takenAt: Number(r.taken_at),
});
const lower = (a: Address) => a.toLowerCase();

export function createAssignments(deps: {
  db: Database;
  now: () => number;
  /** How long a holder may stay quiet on a claim before a colleague may take it over. */
  takeoverAfterSeconds: number;
}) {
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

  /**
   * Takes `claimId` over from its holder for `caller`. Allowed to a guardian or admin (`lead`),
   * when the holder no longer holds the assessor role (`revoked`, read by `holderRoles`), or when
   * the holder took it and wrote nothing on its case for `takeoverAfterSeconds` (`idle`); else
   * 409 `not_idle` saying from when. A free claim is simply taken.
   */
  async function takeOver(
    claimId: bigint,
    caller: Address,
    callerRoles: readonly string[],
    holderRoles: (holder: Address) => Promise<readonly string[]>,
    reason: string,
  ): Promise<Takeover | { assignment: Assignment; created: boolean }> {
    const held = await holder(claimId);
    if (held === undefined || held.assessor === getAddress(caller)) return take(claimId, caller);
    const now = Math.floor(deps.now() / 1000);
    let grounds: TakeoverGrounds | undefined;
    if (callerRoles.includes("guardian") || callerRoles.includes("admin")) grounds = "lead";
    else if (!(await holderRoles(held.assessor)).includes("assessor")) grounds = "revoked";
    else {
      const [last] = await queryRows<{ at: string | number | null }>(
        db,
        sql`SELECT max(at) AS at FROM case_messages WHERE claim_id = ${claimId.toString()} AND lower(author) = ${lower(held.assessor)}`,
      );
      const quietSince = Math.max(held.takenAt, Number(last?.at ?? 0));
      const allowedAt = quietSince + deps.takeoverAfterSeconds;
      if (now < allowedAt) {
        throw new HttpError(
          409,
          "not_idle",
          `claim ${claimId} is held by ${held.assessor}, active on it ${now - quietSince} s ago; ` +
            `it can be taken over from ${new Date(allowedAt * 1000).toISOString()} (or by a guardian)`,
          { ...held, quietSince, allowedAt },
        );
      }
      grounds = "idle";
    }
    // Compare-and-swap on the holder: a release or another take-over in between wins.
    const moved = await db.transaction(async (tx) => {
      const rows = await queryRows<Row>(
        tx,
        sql`UPDATE desk_assignments SET assessor = ${lower(caller)}, taken_at = ${now}
            WHERE claim_id = ${claimId.toString()} AND assessor = ${lower(held.assessor)}
            RETURNING claim_id, assessor, taken_at`,
      );
      if (rows[0] === undefined) return undefined;
      await tx.execute(sql`INSERT INTO desk_takeovers (claim_id, from_assessor, to_assessor, at, grounds, reason)
          VALUES (${claimId.toString()}, ${lower(held.assessor)}, ${lower(caller)}, ${now}, ${grounds}, ${reason})`);
      return rows[0];
    });
    if (moved === undefined) throw new HttpError(409, "taken", `claim ${claimId} changed hands; try again`);
    return { assignment: view(moved), from: held.assessor, grounds, reason };
  }

  /** The take-overs of one claim, oldest first. */
  async function takeovers(claimId: bigint) {
    const rows = await queryRows<{
      from_assessor: string;
      to_assessor: string;
      at: string | number;
      grounds: string;
      reason: string;
    }>(
      db,
      sql`SELECT from_assessor, to_assessor, at, grounds, reason FROM desk_takeovers
          WHERE claim_id = ${claimId.toString()} ORDER BY at`,
    );
    return rows.map((r) => ({
      from: getAddress(r.from_assessor),
      to: getAddress(r.to_assessor),
      at: Number(r.at),
      grounds: r.grounds as TakeoverGrounds,
      reason: r.reason,
    }));
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

  return { take, takeOver, takeovers, release, holder, list };
}
