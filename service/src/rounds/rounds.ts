/**
 * Incident rounds as the service keeps them (migrations/0009_rounds.sql, 0011): a draft is the tree
 * of an uploaded CSV with every leaf's proof stored per (round, account); a published round is a
 * draft whose root and total the chain's incident carries. Claimants look their leaf up by address.
 * A draft is 'building' while its leaves are stored (its progress readable from any replica), then
 * 'draft', or 'failed' with its reason; only a built draft can be published.
 */
import { randomUUID } from "node:crypto";

import { and, eq, inArray, sql } from "drizzle-orm";
import { type Address, type Hex, getAddress } from "viem";

import {
  type AmountUnit,
  type IncidentCsv,
  type RejectedRow,
  buildIncidentTree,
  readIncidentCsv,
} from "../../../common/incident.js";
import { incidentClaims, incidents } from "../../../indexer/ponder.schema.js";
import { type Database, queryRows } from "../db/client.js";
import type { IndexerDb } from "../feed/source.js";
import { HttpError } from "../http/errors.js";
import type { Logger } from "../http/router.js";

/** Leaves per INSERT: 5 parameters each, well under PostgreSQL's 65,535 per statement. */
export const INSERT_BATCH = 2_000;
/** Refused rows named in a draft's answer; the count is always whole. */
export const MAX_REJECTED_SHOWN = 1_000;

export type Draft = {
  draftId: string;
  root: Hex;
  total: string;
  count: number;
  rejected: RejectedRow[];
  rejectedCount: number;
};

export type BuildPhase = "reading" | "tree" | "storing" | "done";

/** A draft as it is being built, and once built or failed (GET /v1/rounds/drafts/{id}). */
export type DraftProgress = {
  draftId: string;
  status: "building" | "failed" | "draft" | "published";
  phase: BuildPhase;
  /** Leaves stored so far (phase storing), of how many; in other phases `of` is the rows or lines read. */
  done: number;
  of: number;
  root: Hex | null;
  total: string | null;
  count: number | null;
  rejected: RejectedRow[];
  rejectedCount: number;
  incidentId: string | null;
  error: { code: string; message: string } | null;
};

/** Background builds one process runs at once: each holds a CSV of up to 16 MiB and its tree. */
export const MAX_BUILDS = 2;
/** A build with no sign of life for this long has stopped (its process died). */
export const BUILD_STALL_SECONDS = 120;

/** The incident as the indexer holds it (IncidentOpened and what followed). */
export type ChainIncident = {
  root: Hex;
  total: bigint;
  status: "Open" | "Cancelled" | "Closed";
  claimableAt: bigint;
  claimDeadline: bigint;
};

export type RoundView = {
  incidentId: string;
  root: Hex;
  total: string;
  count: number;
  claimableAt: number;
  claimDeadline: number;
  publishedAt: number;
  /** The round's state on-chain now, as indexed; null when the indexer did not answer. */
  status: ChainIncident["status"] | null;
};

export type LeafView = { incidentId: string; account: Address; index: number; amount: string; proof: Hex[] };

export type EligibleRound = LeafView &
  Pick<RoundView, "root" | "claimableAt" | "claimDeadline" | "status"> & { claimed: boolean };

type RoundRow = {
  id: string;
  status: DraftProgress["status"];
  incident_id: string | null;
  root: Hex;
  total: string;
  count: number;
  claimable_at: string | number | null;
  claim_deadline: string | number | null;
  published_at: string | number | null;
};

type ProgressRow = {
  phase: BuildPhase;
  progress_done: number;
  progress_of: number;
  heartbeat_at: string | number | null;
  rejected: string | null;
  rejected_count: number;
  error: string | null;
};

type LeafRow = { round: string; account: string; leaf_index: number; amount: string; proof: Uint8Array };

const packProof = (proof: readonly Hex[]) => Buffer.from(proof.map((node) => node.slice(2)).join(""), "hex");
function unpackProof(bytes: Uint8Array): Hex[] {
  const hex = Buffer.from(bytes).toString("hex");
  const proof: Hex[] = [];
  for (let i = 0; i < hex.length; i += 64) proof.push(`0x${hex.slice(i, i + 64)}`);
  return proof;
}

/**
 * Deletes drafts (and their leaves) uploaded more than `ttlSeconds` before `nowSeconds` and never
 * published: an abandoned upload of 100,000 accounts is 100,000 stored proofs. Published rounds
 * stay. Idempotent, so every replica may run it. Returns how many drafts went.
 */
export async function purgeStaleDrafts(db: Database, nowSeconds: number, ttlSeconds: number): Promise<number> {
  const gone = await queryRows<{ id: string }>(
    db,
    sql`DELETE FROM rounds WHERE status IN ('draft', 'building', 'failed') AND created_at < ${nowSeconds - ttlSeconds}
      RETURNING id`,
  );
  return gone.length;
}

function noRows(rejected: RejectedRow[], rejectedCount: number): HttpError {
  return new HttpError(422, "no_rows", "the CSV holds no acceptable account,amount row", { rejected, rejectedCount });
}

function lineCount(csv: string): number {
  let lines = csv.length > 0 && !csv.endsWith("\n") ? 1 : 0;
  for (let i = csv.indexOf("\n"); i !== -1; i = csv.indexOf("\n", i + 1)) lines++;
  return lines;
}

/** Lets the event loop serve other requests between a build's long synchronous steps. */
const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve));

export function createRounds(deps: { db: Database; indexer: IndexerDb; now: () => number; log?: Logger }) {
  const { db } = deps;
  const seconds = () => Math.floor(deps.now() / 1000);

  /** Incidents by id as the indexer holds them. */
  async function chainIncidents(ids: string[]): Promise<Map<string, ChainIncident>> {
    if (ids.length === 0) return new Map();
    const rows = await deps.indexer
      .select({
        id: incidents.id,
        root: incidents.root,
        total: incidents.total,
        status: incidents.status,
        claimableAt: incidents.claimableAt,
        claimDeadline: incidents.claimDeadline,
      })
      .from(incidents)
      .where(inArray(incidents.id, ids.map(BigInt)));
    return new Map(
      rows.map((r) => [
        String(r.id),
        {
          root: r.root,
          total: BigInt(r.total),
          status: r.status,
          claimableAt: BigInt(r.claimableAt),
          claimDeadline: BigInt(r.claimDeadline),
        },
      ]),
    );
  }

  /** Marks a build's progress (and that it is alive). */
  async function progress(draftId: string, phase: BuildPhase, done: number, of: number) {
    await db.execute(sql`UPDATE rounds SET phase = ${phase}, progress_done = ${done}, progress_of = ${of},
        heartbeat_at = ${seconds()} WHERE id = ${draftId} AND status = 'building'`);
  }

  /**
   * Builds the draft `draftId` (a 'building' row): reads the CSV, builds the tree, stores every
   * leaf with its proof in batches (progress after each), then turns the row into a 'draft' with
   * its root and total. A failure ends as 'failed' with its reason and no leaves.
   */
  async function build(draftId: string, csv: string, unit: AmountUnit, read?: IncidentCsv): Promise<Draft> {
    try {
      const { rows, rejected } = read ?? readIncidentCsv(csv, unit);
      const shown = rejected.slice(0, MAX_REJECTED_SHOWN);
      await db.execute(sql`UPDATE rounds SET rejected = ${JSON.stringify(shown)}, rejected_count = ${rejected.length}
          WHERE id = ${draftId}`);
      if (rows.length === 0) throw noRows(shown, rejected.length);
      await progress(draftId, "tree", 0, rows.length);
      await yieldToOthers();
      const tree = buildIncidentTree(rows);
      await progress(draftId, "storing", 0, tree.count);
      for (let start = 0; start < tree.leaves.length; start += INSERT_BATCH) {
        const batch = tree.leaves.slice(start, start + INSERT_BATCH);
        const values = sql.join(
          batch.map(
            (leaf) =>
              sql`(${draftId}, ${leaf.account}, ${leaf.index}, ${leaf.amount.toString()}, ${packProof(leaf.proof)})`,
          ),
          sql`, `,
        );
        await db.execute(sql`INSERT INTO round_leaves (round, account, leaf_index, amount, proof) VALUES ${values}`);
        await progress(draftId, "storing", start + batch.length, tree.count);
        // PGlite answers within the same turn of the event loop: without this, a build would hold
        // every other request (progress polls included) until its last leaf is stored.
        await yieldToOthers();
      }
      await db.execute(sql`UPDATE rounds SET status = 'draft', phase = 'done', root = ${tree.root},
          total = ${tree.total.toString()}, count = ${tree.count}, heartbeat_at = ${seconds()}
        WHERE id = ${draftId} AND status = 'building'`);
      return {
        draftId,
        root: tree.root,
        total: tree.total.toString(),
        count: tree.count,
        rejected: shown,
        rejectedCount: rejected.length,
      };
    } catch (error) {
      const reason =
        error instanceof HttpError
          ? { code: error.code, message: error.message }
          : { code: "build_failed", message: "the round could not be built; upload it again" };
      if (!(error instanceof HttpError)) deps.log?.error("round draft failed", { draftId, error: String(error) });
      await db
        .transaction(async (tx) => {
          await tx.execute(sql`DELETE FROM round_leaves WHERE round = ${draftId}`);
          await tx.execute(sql`UPDATE rounds SET status = 'failed', phase = 'done', error = ${JSON.stringify(reason)},
              heartbeat_at = ${seconds()} WHERE id = ${draftId}`);
        })
        .catch((cleanup: unknown) =>
          deps.log?.error("round draft cleanup failed", { draftId, error: String(cleanup) }),
        );
      throw error;
    }
  }

  async function insertBuilding(createdBy: Address, csv: string): Promise<string> {
    const draftId = randomUUID();
    await db.execute(sql`INSERT INTO rounds (id, status, phase, progress_of, heartbeat_at, created_by, created_at)
        VALUES (${draftId}, 'building', 'reading', ${lineCount(csv)}, ${seconds()}, ${createdBy}, ${seconds()})`);
    return draftId;
  }

  /** Builds running in this process (each holds its CSV and tree in memory). */
  let building = 0;

  return {
    /**
     * Reads the CSV, builds the tree and stores it with every proof, then answers the draft.
     * Refuses a file without a single good row (422, with the refused rows) and stores nothing.
     */
    async createDraft(createdBy: Address, csv: string, unit: AmountUnit): Promise<Draft> {
      const read = readIncidentCsv(csv, unit);
      if (read.rows.length === 0) throw noRows(read.rejected.slice(0, MAX_REJECTED_SHOWN), read.rejected.length);
      const draftId = await insertBuilding(createdBy, csv);
      return build(draftId, csv, unit, read);
    },

    /**
     * Starts drafting in the background and answers at once with the draft's progress: for rounds
     * too large to wait for. Its progress (and outcome) is read with `draftProgress`, from any
     * replica. At most MAX_BUILDS run at once in one process (429 beyond).
     */
    async startDraft(createdBy: Address, csv: string, unit: AmountUnit): Promise<DraftProgress> {
      if (building >= MAX_BUILDS) {
        throw new HttpError(
          429,
          "busy",
          `${building} rounds are being drafted on this replica already; retry when one is done`,
        );
      }
      building++;
      let draftId: string;
      try {
        draftId = await insertBuilding(createdBy, csv);
      } catch (error) {
        building--;
        throw error;
      }
      void (async () => {
        await yieldToOthers();
        await build(draftId, csv, unit);
      })()
        .catch(() => undefined) // recorded as 'failed' by build()
        .finally(() => building--);
      // As inserted: the build has not started (it waits for this answer to go out).
      return {
        draftId,
        status: "building",
        phase: "reading",
        done: 0,
        of: lineCount(csv),
        root: null,
        total: null,
        count: null,
        rejected: [],
        rejectedCount: 0,
        incidentId: null,
        error: null,
      };
    },

    /** A draft's state and progress; a build silent for BUILD_STALL_SECONDS has stopped. */
    async draftProgress(draftId: string): Promise<DraftProgress | undefined> {
      const [row] = await queryRows<RoundRow & ProgressRow>(db, sql`SELECT * FROM rounds WHERE id = ${draftId}`);
      if (row === undefined) return undefined;
      const stalled = row.status === "building" && seconds() - Number(row.heartbeat_at ?? 0) > BUILD_STALL_SECONDS;
      const error = stalled
        ? { code: "build_stopped", message: "the build stopped (its service process ended); upload the CSV again" }
        : row.error === null
          ? null
          : (JSON.parse(row.error) as DraftProgress["error"]);
      return {
        draftId: row.id,
        status: stalled ? "failed" : row.status,
        phase: stalled ? "done" : row.phase,
        done: Number(row.progress_done),
        of: Number(row.progress_of),
        root: row.root,
        total: row.total,
        count: row.count === null ? null : Number(row.count),
        rejected: row.rejected === null ? [] : (JSON.parse(row.rejected) as RejectedRow[]),
        rejectedCount: Number(row.rejected_count),
        incidentId: row.incident_id,
        error,
      };
    },

    /**
     * Publishes a draft under `incidentId` once the indexer shows that incident with the draft's
     * root and total. Publishing the same draft under the same incident again answers the same.
     */
    async publish(draftId: string, incidentId: string, publishedBy: Address): Promise<RoundView> {
      const [draft] = await queryRows<RoundRow>(db, sql`SELECT * FROM rounds WHERE id = ${draftId}`);
      if (draft === undefined) throw new HttpError(404, "not_found", `no draft ${draftId}`);
      if (draft.status === "building") {
        throw new HttpError(409, "draft_not_ready", `draft ${draftId} is still being built; wait for it`);
      }
      if (draft.status === "failed") {
        throw new HttpError(409, "draft_failed", `draft ${draftId} failed to build; upload the CSV again`);
      }
      if (draft.status === "published") {
        if (draft.incident_id === incidentId) return (await this.round(incidentId))!;
        throw new HttpError(409, "already_published", `draft ${draftId} is published as incident ${draft.incident_id}`);
      }
      const incident = (await chainIncidents([incidentId])).get(incidentId);
      if (incident === undefined) {
        throw new HttpError(
          409,
          "incident_not_indexed",
          `incident ${incidentId} is not (yet) in the indexer: open it on-chain first, or retry in a few seconds`,
        );
      }
      if (incident.root.toLowerCase() !== draft.root.toLowerCase() || incident.total !== BigInt(draft.total)) {
        throw new HttpError(
          409,
          "incident_mismatch",
          `incident ${incidentId} on-chain has root ${incident.root} and total ${incident.total}, ` +
            `not this draft's root ${draft.root} and total ${draft.total}`,
          {
            chain: { root: incident.root, total: incident.total.toString() },
            draft: { root: draft.root, total: draft.total },
          },
        );
      }
      const [taken] = await queryRows<{ id: string }>(db, sql`SELECT id FROM rounds WHERE incident_id = ${incidentId}`);
      if (taken !== undefined) {
        throw new HttpError(
          409,
          "already_published",
          `incident ${incidentId} is already published (draft ${taken.id})`,
        );
      }
      await db.execute(sql`UPDATE rounds SET status = 'published', incident_id = ${incidentId},
          published_by = ${publishedBy}, published_at = ${seconds()},
          claimable_at = ${Number(incident.claimableAt)}, claim_deadline = ${Number(incident.claimDeadline)}
        WHERE id = ${draftId} AND status = 'draft'`);
      return (await this.round(incidentId, incident))!;
    },

    /** A published round; its on-chain status from the indexer (null when the indexer is down). */
    async round(incidentId: string, known?: ChainIncident): Promise<RoundView | undefined> {
      const [row] = await queryRows<RoundRow>(
        db,
        sql`SELECT * FROM rounds WHERE incident_id = ${incidentId} AND status = 'published'`,
      );
      if (row === undefined) return undefined;
      let status: RoundView["status"] = known?.status ?? null;
      if (known === undefined) {
        status = await chainIncidents([incidentId]).then(
          (found) => found.get(incidentId)?.status ?? null,
          () => null,
        );
      }
      return view(row, status);
    },

    /** One account's leaf of a published round: an index lookup. */
    async proof(incidentId: string, account: Address): Promise<LeafView | undefined> {
      const [leaf] = await queryRows<LeafRow>(
        db,
        sql`SELECT l.* FROM rounds r JOIN round_leaves l ON l.round = r.id
          WHERE r.incident_id = ${incidentId} AND r.status = 'published' AND l.account = ${account}`,
      );
      return leaf === undefined ? undefined : leafView(incidentId, leaf);
    },

    /**
     * Every published round `account` is in that can still be claimed: open on-chain (a round's
     * vault pays until the round is closed, past its deadline too), with whether the leaf was
     * already claimed.
     */
    async eligible(account: Address): Promise<EligibleRound[]> {
      const leaves = await queryRows<LeafRow & RoundRow>(
        db,
        sql`SELECT r.*, l.account, l.leaf_index, l.amount, l.proof FROM round_leaves l JOIN rounds r ON r.id = l.round
          WHERE l.account = ${account} AND r.status = 'published' ORDER BY r.claim_deadline, r.incident_id`,
      );
      if (leaves.length === 0) return [];
      const ids = leaves.map((l) => l.incident_id!);
      const onChain = await chainIncidents(ids);
      const claimed = await deps.indexer
        .select({ incidentId: incidentClaims.incidentId, index: incidentClaims.index })
        .from(incidentClaims)
        .where(
          and(
            eq(incidentClaims.account, account.toLowerCase() as Hex),
            inArray(incidentClaims.incidentId, ids.map(BigInt)),
          ),
        );
      const claimedKeys = new Set(claimed.map((c) => `${c.incidentId}:${c.index}`));
      return leaves.flatMap((row) => {
        const incident = onChain.get(row.incident_id!);
        if (incident === undefined || incident.status !== "Open") return [];
        const round = view(row, incident.status);
        return [
          {
            ...leafView(row.incident_id!, row),
            root: round.root,
            claimableAt: round.claimableAt,
            claimDeadline: round.claimDeadline,
            status: round.status,
            claimed: claimedKeys.has(`${row.incident_id}:${row.leaf_index}`),
          },
        ];
      });
    },
  };
}

export type Rounds = ReturnType<typeof createRounds>;

function view(row: RoundRow, status: RoundView["status"]): RoundView {
  return {
    incidentId: row.incident_id!,
    root: row.root,
    total: row.total,
    count: Number(row.count),
    claimableAt: Number(row.claimable_at),
    claimDeadline: Number(row.claim_deadline),
    publishedAt: Number(row.published_at),
    status,
  };
}

function leafView(incidentId: string, row: Pick<LeafRow, "account" | "leaf_index" | "amount" | "proof">): LeafView {
  return {
    incidentId,
    account: getAddress(row.account),
    index: Number(row.leaf_index),
    amount: row.amount,
    proof: unpackProof(row.proof),
  };
}
