/**
 * The case conversation's service side: who may read a case, storing the opening statement,
 * messages, attachments and the rating (sealed at rest), checking each against the chain, and
 * the exported bundle. The encoding and the verifier are shared (common/case.ts).
 */
import { createHash } from "node:crypto";

import { sql } from "drizzle-orm";
import { getAddress, zeroHash, type Address, type Hex } from "viem";

import {
  ACTION_STATUS,
  BUNDLE_FORMAT,
  CaseEncodingError,
  messageHash,
  normalizeMessage,
  normalizeOpening,
  normalizeRating,
  openingHash,
  ratingHash,
  recordSigner,
  type AnchorState,
  type CaseBundle,
  type CaseMessage,
  type CaseRating,
  type CaseRole,
  type OpeningStatement,
} from "../../../common/case.js";
import type { ClaimStatus } from "../../../common/claims.js";
import type { StaffRole, StaffRoleChecker } from "../auth/onchain.js";
import { queryRows, type Database } from "../db/client.js";
import { HttpError } from "../http/errors.js";
import { fromIndexer } from "../http/params.js";
import type { Logger } from "../http/router.js";
import type { ClaimRecord, IndexerReader, TransitionRecord } from "../indexer/reader.js";
import { enqueueEvents } from "../webhooks/enqueue.js";
import { envelope } from "../webhooks/events.js";
import { citedFilesOf, filesCitedElsewhere } from "./citations.js";
import { StorageUnavailable, type ObjectStore } from "./files.js";
import { CaseBox } from "./seal.js";
import { ALLOWED_TYPES, sniffType } from "./sniff.js";

/**
 * Where a case file's sealed bytes are: the database (`sealed`), the bucket, or on their way into
 * or out of it (the row is written before the upload and deleted after the object; see
 * migrations/0014).
 */
export type StoredIn = "database" | "object" | "uploading" | "sweeping";

export const CLOSED_STATUSES: ClaimStatus[] = ["Paid", "Rejected", "Cancelled"];
/** How far a message's `at` may be from the service's clock. */
export const CLOCK_SKEW_SECONDS = 300;

export type CasesDeps = {
  db: Database;
  /** Read through `fromIndexer`: a case is a 503 while the indexer does not answer. */
  indexer: IndexerReader;
  log: Logger;
  staffRoles: StaffRoleChecker;
  box: CaseBox;
  /** Where new case files go (CASE_FILES_S3_URL); undefined: the database. */
  files?: ObjectStore;
  chainId: number;
  pool: Address | undefined;
  /** Unix milliseconds. */
  now: () => number;
  /** Files no record cites are deleted this long after their upload (CASE_UPLOAD_TTL_HOURS). */
  uploadTtlSeconds: number;
  /** Told after a message is stored (wakes this replica's webhook sender). */
  onMessage?: () => void;
};

/**
 * Whether a staff message's author holds a station role on the pool now (the anti-phishing badge):
 * "verified" with the roles, "no longer staff" once revoked, "unchecked" when the chain did not answer.
 */
export type AgentStanding = { standing: "verified" | "no longer staff" | "unchecked"; roles: StaffRole[] };
/** How long an author's roles, read on-chain, are reused for the badge. */
export const AGENT_TTL_MS = 30_000;

export type MessageView = {
  seq: number;
  hash: Hex;
  message: CaseMessage | null;
  signature: Hex;
  erased: boolean;
  anchor: AnchorState;
  txHash: Hex | null;
  /** Staff messages only (null for the claimant's and erased ones). */
  agent: AgentStanding | null;
};
export type TransitionView = {
  status: ClaimStatus;
  actor: Address;
  noteHash: Hex;
  txHash: Hex;
  blockNumber: string;
  anchor: "matches the chain" | "mismatch" | "no note";
};
export type CaseView = {
  claimId: string;
  claimant: Address;
  status: ClaimStatus;
  kind: string;
  tier: number;
  evidenceHash: Hex;
  viewer: { address: Address; role: CaseRole };
  opening: {
    hash: Hex;
    statement: OpeningStatement | null;
    contact: string | null;
    anchor: "matches the chain" | "mismatch" | "missing" | "erased";
  };
  messages: MessageView[];
  next: { seq: number; prev: Hex };
  transitions: TransitionView[];
  rating: { stars: number; comment: string | null; at: number } | null;
  erased: boolean;
  /** The claim's money and SLA clock (unix seconds; amounts in C wei as decimal strings). */
  clock: {
    amountRequested: string;
    submittedAt: number;
    responseDeadline: number;
    resolutionDeadline: number;
    payableAt: number | null;
  };
  /** The claimant's other claims, newest first (at most 20). */
  history: Array<{ claimId: string; status: ClaimStatus; kind: string; amountRequested: string; submittedAt: number }>;
  /** This case's reply times: the first staff reply after filing, and every staff reply to a waiting claimant. */
  replies: { firstReplySeconds: number | null; replySeconds: number[] };
};

/** The claim, its transitions and the caller's part in it (`CaseRole` first, then any other staff role). */
type CaseAccess = {
  claim: ClaimRecord;
  role: CaseRole;
  staffRoles: readonly CaseRole[];
  transitions: TransitionRecord[];
};

type MessageRow = {
  claim_id: string;
  seq: number;
  hash: string;
  prev: string;
  author: string;
  role: string;
  action: string | null;
  sealed: string | null;
  signature: string;
  delegation_id: string;
  at: string | number;
  erased_at: string | number | null;
  reply_seconds: string | number | null;
  first_reply: boolean;
  /** The files the message cites, space-separated lower-case sha256 ("" for none); NULL on rows stored before 0010. */
  cites: string | null;
};
type OpeningRow = {
  hash: string;
  claimant: string;
  sealed: string | null;
  contact_sealed: string | null;
  erased_at: unknown;
};
type RatingRow = {
  hash: string;
  author: string;
  stars: number;
  sealed: string | null;
  signature: string;
  delegation_id: string;
  at: string | number;
  erased_at: unknown;
};

const lower = (a: string) => a.toLowerCase() as Hex;
const encodingError = (e: unknown): never => {
  if (e instanceof CaseEncodingError) throw new HttpError(400, "invalid_request", `invalid record: ${e.message}`);
  throw e;
};
/** A claim's advisory lock key: "case" in the high bytes, the claim id's low 32 bits below. */
const caseLockKey = (claimId: bigint) => (0x63617365n << 32n) | (claimId & 0xffffffffn);
/** A record must be signed by the session key its delegation names; 403 otherwise. */
async function requireSessionSignature(hash: Hex, signature: Hex, key: string, what: "message" | "rating") {
  const signer = await recordSigner(hash, signature).catch(() => undefined);
  if (signer === undefined || lower(signer) !== lower(key)) {
    throw new HttpError(403, "bad_signature", `the signature is not by this session's key over the ${what}'s hash`);
  }
}
/** The one answer for an unknown case and for a case the caller may not read. */
const notFound = (claimId: bigint) => new HttpError(404, "not_found", `no case for claim ${claimId}`);

export function createCases(deps: CasesDeps) {
  const { db, box } = deps;
  const nowSeconds = () => Math.floor(deps.now() / 1000);

  /** The claim and the caller's part in it; 404 for strangers exactly as for unknown claims. */
  async function access(claimId: bigint, caller: Address): Promise<CaseAccess> {
    const timeline = await fromIndexer(deps.log, "case claim", () => deps.indexer.timeline(claimId));
    if (timeline === undefined) throw notFound(claimId);
    const { claim, transitions } = timeline;
    if (lower(claim.claimant) === lower(caller)) return { claim, role: "claimant", staffRoles: [], transitions };
    const staffRoles = await deps.staffRoles(caller);
    const role = staffRoles[0];
    if (role === undefined) throw notFound(claimId);
    return { claim, role, staffRoles, transitions };
  }

  const pool = (): Address => {
    if (deps.pool === undefined) throw new HttpError(503, "not_configured", "POOL_ADDRESS is not set");
    return deps.pool;
  };

  // ─── attachments

  async function uploadAttachment(owner: Address, bytes: Uint8Array, name: string) {
    if (bytes.length === 0) throw new HttpError(400, "invalid_request", "the file is empty");
    const type = sniffType(bytes);
    if (type === undefined) throw new HttpError(415, "unsupported_type", `attachments must be ${ALLOWED_TYPES}`);
    const sha256 = `0x${createHash("sha256").update(bytes).digest("hex")}` as Hex;
    const me = lower(owner);
    const boundTo = `${sha256}:${me}`;
    const sealed = box.sealBytes(bytes, boundTo);
    const t = nowSeconds();
    const [row] = await queryRows<{ stored_in: StoredIn; erased_at: unknown; cited_at: unknown }>(
      db,
      sql`SELECT stored_in, erased_at, cited_at FROM case_attachments WHERE sha256 = ${sha256} AND owner = ${me}`,
    );
    const ref = { kind: "file" as const, sha256, type, size: bytes.length, name: name.normalize("NFC").slice(0, 120) };
    const sweeping = () =>
      new HttpError(
        503,
        "storage_unavailable",
        "this file is being deleted from storage (no case cited it in time); upload it again in a minute",
      );
    if (row?.stored_in === "sweeping") throw sweeping();
    if (row !== undefined && row.erased_at === null && row.stored_in !== "uploading") {
      // Stored already: not stored twice. An upload of a file nothing cites yet renews its time.
      if (row.cited_at === null) {
        await db.execute(sql`UPDATE case_attachments SET created_at = ${t}
          WHERE sha256 = ${sha256} AND owner = ${me} AND cited_at IS NULL AND stored_in IN ('database', 'object')`);
      }
      return ref;
    }
    // New, erased before (stored anew, uncited: the erased records still name nothing), or an
    // upload to the bucket that did not finish.
    if (deps.files === undefined) {
      if (row !== undefined && row.erased_at === null) {
        // 'uploading' (a replica with the bucket began it): this replica cannot finish it.
        throw new HttpError(503, "not_configured", "the file is in object storage, and CASE_FILES_S3_URL is not set");
      }
      await db.execute(sql`
        INSERT INTO case_attachments (sha256, owner, content_type, size, sealed, stored_in, created_at)
        VALUES (${sha256}, ${me}, ${type}, ${bytes.length}, ${sealed}, 'database', ${t})
        ON CONFLICT (sha256, owner) DO UPDATE SET sealed = excluded.sealed, stored_in = 'database',
          created_at = excluded.created_at, erased_at = NULL, cited_at = NULL
        WHERE case_attachments.erased_at IS NOT NULL`);
      return ref;
    }
    // The row first, saying the bytes are on their way; then the bytes; then the row says they are
    // there. A failed upload leaves a row that nothing may cite and that the sweep deletes, with
    // whatever reached the bucket; the client uploads again and finishes it.
    await db.execute(sql`
      INSERT INTO case_attachments (sha256, owner, content_type, size, sealed, stored_in, created_at)
      VALUES (${sha256}, ${me}, ${type}, ${bytes.length}, NULL, 'uploading', ${t})
      ON CONFLICT (sha256, owner) DO UPDATE SET sealed = NULL, stored_in = 'uploading',
        created_at = excluded.created_at, erased_at = NULL, cited_at = NULL
      WHERE case_attachments.erased_at IS NOT NULL OR case_attachments.stored_in = 'uploading'`);
    await storage((files) => files.put(box.fileName(boundTo), sealed));
    const stored = await queryRows(
      db,
      sql`UPDATE case_attachments SET stored_in = 'object', created_at = ${t}
          WHERE sha256 = ${sha256} AND owner = ${me} AND stored_in = 'uploading' RETURNING sha256`,
    );
    // The sweep took an old unfinished upload of this file while this one was on its way.
    if (stored.length === 0) throw sweeping();
    return ref;
  }

  /** Every file a record cites must have been uploaded by its author, with the stated type and size. */
  async function checkFiles(owner: Address, record: { attachments: OpeningStatement["attachments"] }) {
    for (const a of record.attachments) {
      if (a.kind !== "file") continue;
      const rows = await queryRows<{ content_type: string; size: number }>(
        db,
        sql`SELECT content_type, size FROM case_attachments
            WHERE sha256 = ${a.sha256} AND owner = ${lower(owner)} AND erased_at IS NULL AND stored_in IN ('database', 'object')`,
      );
      const row = rows[0];
      if (row === undefined) throw unknownFile(a.sha256, owner);
      if (row.content_type !== a.type || Number(row.size) !== a.size) {
        throw new HttpError(
          422,
          "attachment_mismatch",
          `attachment ${a.sha256} is ${row.content_type}, ${row.size} bytes`,
        );
      }
    }
  }
  const unknownFile = (sha256: string, owner: Address) =>
    new HttpError(
      422,
      "unknown_attachment",
      `attachment ${sha256} was not uploaded by ${owner}, or no case cited it within ${deps.uploadTtlSeconds / 3_600} h of its upload and it was deleted: upload it again`,
    );

  /**
   * Marks the files a record cites as cited, in the transaction that stores the record: from then
   * on the sweep keeps them. A file the sweep took since `checkFiles` fails the whole record.
   */
  async function citeFiles(tx: Database, owner: Address, record: { attachments: OpeningStatement["attachments"] }) {
    const shas = [...new Set(record.attachments.flatMap((a) => (a.kind === "file" ? [lower(a.sha256)] : [])))];
    if (shas.length === 0) return;
    const marked = await queryRows<{ sha256: string }>(
      tx,
      sql`UPDATE case_attachments SET cited_at = coalesce(cited_at, ${nowSeconds()})
          WHERE owner = ${lower(owner)} AND erased_at IS NULL AND stored_in IN ('database', 'object')
            AND sha256 IN (${sql.join(
              shas.map((sha) => sql`${sha}`),
              sql`, `,
            )})
          RETURNING sha256`,
    );
    const found = new Set(marked.map((r) => r.sha256));
    const missing = shas.find((sha) => !found.has(sha));
    if (missing !== undefined) throw unknownFile(missing, owner);
  }

  async function readAttachment(claimId: bigint, caller: Address, sha256: Hex) {
    const { claim } = await access(claimId, caller);
    const sha = lower(sha256);
    // Only files the case cites, uploaded by whoever cited them. Messages list the files they cite
    // in clear (`cites`), so only a message stored before that column (NULL) is opened to look.
    let owner: string | undefined;
    const citing = await queryRows<Pick<MessageRow, "hash" | "author" | "sealed" | "cites">>(
      db,
      sql`SELECT hash, author, sealed, cites FROM case_messages
          WHERE claim_id = ${claimId.toString()} AND sealed IS NOT NULL AND (cites IS NULL OR strpos(cites, ${sha}) > 0)`,
    );
    for (const row of citing) if (citedFiles(row).includes(sha)) owner = lower(row.author);
    if (owner === undefined) {
      const opening = await openingOf(claim);
      const files = opening?.statement?.attachments ?? [];
      if (files.some((a) => a.kind === "file" && lower(a.sha256) === sha)) owner = lower(claim.claimant);
    }
    if (owner === undefined) throw new HttpError(404, "not_found", `no attachment ${sha256} in this case`);
    const rows = await queryRows<{
      content_type: string;
      sealed: string | null;
      stored_in: StoredIn;
      erased_at: unknown;
    }>(
      db,
      sql`SELECT content_type, sealed, stored_in, erased_at FROM case_attachments WHERE sha256 = ${sha} AND owner = ${owner}`,
    );
    const row = rows[0];
    const boundTo = `${sha}:${owner}`;
    const erased = () => new HttpError(410, "erased", "this attachment was erased");
    if (row === undefined || row.erased_at !== null) throw erased();
    if (row.stored_in === "database") {
      if (row.sealed === null) throw erased();
      return { type: row.content_type, bytes: box.openBytes(row.sealed, boundTo) };
    }
    if (row.stored_in !== "object") throw new HttpError(410, "gone", "this attachment is no longer in storage");
    const sealed = await storage((files) => files.get(box.fileName(boundTo)));
    if (sealed === undefined) throw new HttpError(410, "gone", "this attachment is no longer in storage");
    return { type: row.content_type, bytes: box.openBytes(sealed, boundTo) };
  }

  /**
   * Runs a request to the case file bucket; its failure is the caller's 503, with nothing changed,
   * as is a file in the bucket on a replica not configured with it.
   */
  async function storage<T>(request: (files: ObjectStore) => Promise<T>): Promise<T> {
    const files = deps.files;
    if (files === undefined) {
      throw new HttpError(503, "not_configured", "the file is in object storage, and CASE_FILES_S3_URL is not set");
    }
    try {
      return await request(files);
    } catch (err) {
      if (err instanceof StorageUnavailable) {
        throw new HttpError(
          503,
          "storage_unavailable",
          `files cannot be stored or read right now; try again in a moment (${err.message})`,
        );
      }
      throw err;
    }
  }

  // ─── the opening statement

  async function storeOpening(caller: Address, input: unknown, contact: string | undefined) {
    let statement: OpeningStatement;
    try {
      statement = normalizeOpening(input);
    } catch (e) {
      return encodingError(e);
    }
    if (statement.claimant !== lower(caller)) {
      throw new HttpError(403, "forbidden", "an opening statement is stored by its claimant only");
    }
    if (statement.chainId !== deps.chainId || statement.pool !== lower(pool())) {
      throw new HttpError(400, "invalid_request", `the statement must name chain ${deps.chainId} and pool ${pool()}`);
    }
    if ((statement.channel === "text") !== (statement.contact === null)) {
      throw new HttpError(
        400,
        "invalid_request",
        "a call-back or remote session needs a contact; a text consultation has none",
      );
    }
    if (statement.contact !== null && contact === undefined) {
      throw new HttpError(400, "invalid_request", "the contact handle the statement commits to is missing");
    }
    await checkFiles(caller, statement);
    const hash = openingHash(statement);
    const inserted = await db.transaction(async (tx) => {
      await citeFiles(tx, caller, statement);
      return queryRows<{ hash: string }>(
        tx,
        sql`INSERT INTO case_openings (hash, claimant, sealed, contact_sealed, created_at)
            VALUES (${hash}, ${statement.claimant}, ${box.sealText(JSON.stringify(statement), hash)},
                    ${contact === undefined ? null : box.sealText(contact, `${hash}:contact`)}, ${nowSeconds()})
            ON CONFLICT (hash) DO NOTHING RETURNING hash`,
      );
    });
    return { hash, created: inserted.length === 1 };
  }

  async function openingOf(claim: ClaimRecord) {
    const rows = await queryRows<OpeningRow>(
      db,
      sql`SELECT hash, claimant, sealed, contact_sealed, erased_at FROM case_openings WHERE hash = ${lower(claim.evidenceHash)}`,
    );
    const row = rows[0];
    if (row === undefined) return undefined;
    const statement = row.sealed === null ? null : (JSON.parse(box.openText(row.sealed, row.hash)) as OpeningStatement);
    const contact = row.contact_sealed === null ? null : box.openText(row.contact_sealed, `${row.hash}:contact`);
    return { statement, contact, erased: row.erased_at !== null };
  }

  // ─── messages

  const messageRows = (claimId: bigint, afterSeq = 0) =>
    queryRows<MessageRow>(
      db,
      sql`SELECT claim_id, seq, hash, prev, author, role, action, sealed, signature, delegation_id, at, erased_at,
                 reply_seconds, first_reply, cites
          FROM case_messages WHERE claim_id = ${claimId.toString()} AND seq > ${afterSeq} ORDER BY seq`,
    );
  const openMessage = (row: Pick<MessageRow, "hash" | "sealed">): CaseMessage | null =>
    row.sealed === null ? null : (JSON.parse(box.openText(row.sealed, row.hash)) as CaseMessage);
  /** The files a stored message cites (lower-case sha256): from `cites`, or by opening a row older than it. */
  const citedFiles = (row: Pick<MessageRow, "hash" | "sealed" | "cites">): string[] => {
    if (row.sealed === null) return [];
    if (row.cites !== null) return row.cites === "" ? [] : row.cites.split(" ");
    const message = openMessage(row);
    return message === null ? [] : citedFilesOf(message);
  };

  async function postMessage(
    claimId: bigint,
    caller: Address,
    delegation: { id: string; key: Address } | undefined,
    input: unknown,
    signature: Hex,
  ): Promise<{ hash: Hex; seq: number }> {
    const { claim, role, staffRoles } = await access(claimId, caller);
    if (delegation === undefined) {
      throw new HttpError(
        401,
        "no_session_key",
        "this session has no session key: sign in again with a urn:emergency-station:session-key resource",
      );
    }
    let message: CaseMessage;
    try {
      message = normalizeMessage(input);
    } catch (e) {
      return encodingError(e);
    }
    if (message.claimId !== claimId.toString())
      throw new HttpError(400, "invalid_request", "the message is for another claim");
    if (message.chainId !== deps.chainId || message.pool !== lower(pool())) {
      throw new HttpError(400, "invalid_request", `the message must name chain ${deps.chainId} and pool ${pool()}`);
    }
    if (message.author !== lower(caller))
      throw new HttpError(403, "forbidden", "a message is posted by its author only");
    if (role === "claimant" ? message.role !== "claimant" : !staffRoles.includes(message.role as CaseRole)) {
      throw new HttpError(403, "forbidden", `${caller} cannot write as ${message.role} on this claim`);
    }
    if (Math.abs(message.at - nowSeconds()) > CLOCK_SKEW_SECONDS) {
      throw new HttpError(
        400,
        "invalid_request",
        `at must be within ${CLOCK_SKEW_SECONDS} s of the service's clock (${nowSeconds()})`,
      );
    }
    const hash = messageHash(message);
    await requireSessionSignature(hash, signature, delegation.key, "message");
    await checkFiles(caller, message);
    const stored = await db.transaction(async (tx) => {
      // One writer per case at a time: the head is read and extended under a row-free lock.
      await tx.execute(sql`SELECT pg_advisory_xact_lock(${caseLockKey(claimId).toString()}::bigint)`);
      const head = await queryRows<{ seq: number; hash: string }>(
        tx,
        sql`SELECT seq, hash FROM case_messages WHERE claim_id = ${claimId.toString()} ORDER BY seq DESC LIMIT 1`,
      );
      const next = { seq: (head[0]?.seq ?? 0) + 1, prev: lower(head[0]?.hash ?? claim.evidenceHash) };
      const replay = await queryRows<{ hash: string }>(tx, sql`SELECT hash FROM case_messages WHERE hash = ${hash}`);
      if (replay.length > 0) throw new HttpError(409, "duplicate", "this message is already in the case");
      if (message.seq !== next.seq || message.prev !== next.prev) {
        throw new HttpError(409, "stale_prev", "the case moved on: build the message on its current head", { next });
      }
      // How long the claimant had been waiting for this staff reply (the station's reply figures).
      let replySeconds: number | null = null;
      let firstReply = false;
      if (message.role !== "claimant") {
        const waits = await queryRows<{ staff: number; waiting_since: string | null }>(
          tx,
          sql`SELECT (SELECT count(*)::int FROM case_messages WHERE claim_id = ${claimId.toString()} AND role <> 'claimant') AS staff,
                     (SELECT min(at) FROM case_messages WHERE claim_id = ${claimId.toString()} AND role = 'claimant'
                        AND seq > coalesce((SELECT max(seq) FROM case_messages WHERE claim_id = ${claimId.toString()} AND role <> 'claimant'), 0)
                     ) AS waiting_since`,
        );
        const w = waits[0]!;
        firstReply = Number(w.staff) === 0;
        const since = firstReply
          ? Number(claim.submittedAt)
          : w.waiting_since === null
            ? null
            : Number(w.waiting_since);
        replySeconds = since === null ? null : Math.max(0, message.at - since);
      }
      await citeFiles(tx, caller, message);
      await tx.execute(sql`
        INSERT INTO case_messages (claim_id, seq, hash, prev, author, role, action, sealed, signature, delegation_id, at,
                                   created_at, kind, tier, reply_seconds, first_reply, cites)
        VALUES (${claimId.toString()}, ${message.seq}, ${hash}, ${message.prev}, ${message.author}, ${message.role},
                ${message.action}, ${box.sealText(JSON.stringify(message), hash)}, ${signature}, ${delegation.id},
                ${message.at}, ${nowSeconds()}, ${claim.kind}, ${claim.tier}, ${replySeconds}, ${firstReply},
                ${citedFilesOf(message).join(" ")})`);
      // Metadata only: who wrote, when, which case; never the words.
      const participants = await queryRows<{ author: string }>(
        tx,
        sql`SELECT DISTINCT author FROM case_messages WHERE claim_id = ${claimId.toString()}`,
      );
      const recipients = [...new Set([lower(claim.claimant), ...participants.map((p) => lower(p.author))])].map((a) =>
        getAddress(a),
      );
      const id = `case:${claimId}:${message.seq}`;
      await enqueueEvents(
        tx,
        [
          {
            type: "case.message",
            idempotencyKey: id,
            recipients,
            body: envelope(id, "case.message", new Date(deps.now()), {
              claimId: claimId.toString(),
              seq: message.seq,
              hash,
              role: message.role,
              action: message.action,
              at: message.at,
            }),
          },
        ],
        new Date(deps.now()),
      );
      return { hash, seq: message.seq };
    });
    deps.onMessage?.();
    return stored;
  }

  // ─── the view

  function anchors(
    claim: ClaimRecord,
    transitions: TransitionRecord[],
    rows: MessageRow[],
    messages: (CaseMessage | null)[],
  ) {
    const byHash = new Map(rows.map((r, i) => [lower(r.hash), i]));
    const states: AnchorState[] = rows.map((r, i) => {
      if (messages[i] === null) return "erased";
      // The stored words must still hash to the stored hash, and follow the one before.
      const m = messages[i]!;
      const prev = i === 0 ? lower(claim.evidenceHash) : lower(rows[i - 1]!.hash);
      return messageHash(m) === lower(r.hash) && m.prev === prev ? "not anchored" : "mismatch";
    });
    const txOf: (Hex | null)[] = rows.map(() => null);
    let lastAnchored = -1;
    const tviews: TransitionView[] = transitions.map((t) => {
      const base = {
        status: t.status,
        actor: getAddress(t.actor),
        noteHash: t.noteHash,
        txHash: t.txHash,
        blockNumber: t.blockNumber.toString(),
      };
      if (t.status === "Submitted") {
        return { ...base, anchor: lower(t.noteHash) === lower(claim.evidenceHash) ? "matches the chain" : "mismatch" };
      }
      if (t.noteHash === zeroHash) return { ...base, anchor: "no note" };
      const i = byHash.get(lower(t.noteHash));
      if (i === undefined) return { ...base, anchor: "mismatch" };
      const row = rows[i]!;
      const fits =
        row.action !== null &&
        ACTION_STATUS[row.action as keyof typeof ACTION_STATUS] === t.status &&
        lower(row.author) === lower(t.actor);
      if (states[i] !== "erased") states[i] = fits && states[i] !== "mismatch" ? "matches the chain" : "mismatch";
      txOf[i] = t.txHash;
      lastAnchored = Math.max(lastAnchored, i);
      return { ...base, anchor: fits ? "matches the chain" : "mismatch" };
    });
    // Earlier messages are sealed by a later anchored note: its hash commits to the whole chain.
    for (let i = 0; i < lastAnchored; i++) if (states[i] === "not anchored") states[i] = "matches the chain";
    return { states, txOf, tviews };
  }

  /**
   * What an open stream needs to know whether the case moved: the caller's access (checked as for
   * the view), the messages' count, last seq and erasures, and the transitions. Reads no sealed
   * words, so a stream's idle polls decrypt nothing.
   */
  async function head(claimId: bigint, caller: Address): Promise<{ key: string; access: CaseAccess }> {
    const known = await access(claimId, caller);
    const { transitions } = known;
    const [m] = await queryRows<{ n: number | string; last: number | null; erased: number | string }>(
      db,
      sql`SELECT count(*) AS n, max(seq) AS last, count(*) FILTER (WHERE sealed IS NULL) AS erased
          FROM case_messages WHERE claim_id = ${claimId.toString()}`,
    );
    const t = transitions[transitions.length - 1];
    const key = [m?.n ?? 0, m?.last ?? 0, m?.erased ?? 0, transitions.length, t?.txHash ?? "", t?.logIndex ?? ""];
    return { key: key.join(":"), access: known };
  }

  /**
   * The case as `caller` sees it. `known` is the caller's access when it was just checked (by
   * `head`), so a stream's rebuild reads the claim's timeline once.
   */
  async function view(claimId: bigint, caller: Address, known?: CaseAccess): Promise<CaseView> {
    const v = (await assemble(claimId, caller, known)).view;
    const staffAuthors = [
      ...new Set(v.messages.flatMap((m) => (m.message && m.message.role !== "claimant" ? [m.message.author] : []))),
    ];
    const standings = new Map(await Promise.all(staffAuthors.map(async (a) => [a, await agentOf(a)] as const)));
    for (const m of v.messages) {
      if (m.message && m.message.role !== "claimant") m.agent = standings.get(m.message.author) ?? null;
    }
    return v;
  }

  /** Authors' roles read on-chain, reused for AGENT_TTL_MS (a case view shows them on every message). */
  const agents = new Map<string, { roles: StaffRole[]; until: number }>();
  async function agentOf(author: string): Promise<AgentStanding> {
    const now = deps.now();
    let known = agents.get(author);
    if (known === undefined || known.until <= now) {
      try {
        known = { roles: await deps.staffRoles(getAddress(author)), until: now + AGENT_TTL_MS };
      } catch {
        return { standing: "unchecked", roles: [] };
      }
      if (agents.size >= 10_000) agents.clear();
      agents.set(author, known);
    }
    return { standing: known.roles.length > 0 ? "verified" : "no longer staff", roles: known.roles };
  }

  /** The view, with the stored rows it was built from (the export signs over the same reads). */
  async function assemble(claimId: bigint, caller: Address, known?: CaseAccess) {
    const { claim, role, transitions } = known ?? (await access(claimId, caller));
    const opening = await openingOf(claim);
    const rows = await messageRows(claimId);
    const messages = rows.map(openMessage);
    const { states, txOf, tviews } = anchors(claim, transitions, rows, messages);
    const ratingRows = await queryRows<RatingRow>(
      db,
      sql`SELECT hash, author, stars, sealed, signature, delegation_id, at, erased_at FROM case_ratings WHERE claim_id = ${claimId.toString()}`,
    );
    const r = ratingRows[0];
    const earlier = await fromIndexer(deps.log, "case claimant's claims", () =>
      deps.indexer.claimsByAccount(getAddress(claim.claimant), { limit: 21 }),
    );
    const last = rows[rows.length - 1];
    let openingAnchor: CaseView["opening"]["anchor"] = "missing";
    if (opening !== undefined) {
      openingAnchor =
        opening.statement === null
          ? "erased"
          : openingHash(opening.statement) === lower(claim.evidenceHash) &&
              opening.statement.claimant === lower(claim.claimant)
            ? "matches the chain"
            : "mismatch";
    }
    const view: CaseView = {
      claimId: claimId.toString(),
      claimant: getAddress(claim.claimant),
      status: claim.status,
      kind: claim.kind,
      tier: claim.tier,
      evidenceHash: claim.evidenceHash,
      viewer: { address: caller, role },
      opening: {
        hash: claim.evidenceHash,
        statement: opening?.statement ?? null,
        contact: opening?.contact ?? null,
        anchor: openingAnchor,
      },
      messages: rows.map((row, i) => ({
        seq: row.seq,
        hash: row.hash as Hex,
        message: messages[i]!,
        signature: row.signature as Hex,
        erased: row.erased_at !== null,
        anchor: states[i]!,
        txHash: txOf[i]!,
        agent: null,
      })),
      next: { seq: (last?.seq ?? 0) + 1, prev: lower(last?.hash ?? claim.evidenceHash) },
      transitions: tviews,
      rating:
        r === undefined
          ? null
          : { stars: r.stars, comment: r.sealed === null ? null : box.openText(r.sealed, r.hash), at: Number(r.at) },
      erased: opening?.erased ?? false,
      clock: {
        amountRequested: claim.amountRequested.toString(),
        submittedAt: Number(claim.submittedAt),
        responseDeadline: Number(claim.responseDeadline),
        resolutionDeadline: Number(claim.resolutionDeadline),
        payableAt: claim.payableAt === null ? null : Number(claim.payableAt),
      },
      history: earlier
        .filter((c) => c.id !== claim.id)
        .slice(0, 20)
        .map((c) => ({
          claimId: c.id.toString(),
          status: c.status,
          kind: c.kind,
          amountRequested: c.amountRequested.toString(),
          submittedAt: Number(c.submittedAt),
        })),
      replies: {
        firstReplySeconds: ((r) => (r === undefined ? null : Number(r.reply_seconds)))(rows.find((r) => r.first_reply)),
        replySeconds: rows.flatMap((r) => (r.reply_seconds === null ? [] : [Number(r.reply_seconds)])),
      },
    };
    return { view, claim, rows, ratingRows };
  }

  // ─── rating, erasure, export

  async function rate(
    claimId: bigint,
    caller: Address,
    delegation: { id: string; key: Address } | undefined,
    input: unknown,
    signature: Hex,
  ) {
    const { claim, role, transitions } = await access(claimId, caller);
    if (role !== "claimant") throw new HttpError(403, "forbidden", "only the claimant rates the help");
    // The rating counts for whoever resolved the claim on-chain.
    const resolver = transitions.findLast((t) => t.status === "Approved" || t.status === "Rejected")?.actor ?? null;
    if (!CLOSED_STATUSES.includes(claim.status)) {
      throw new HttpError(409, "not_closed", "a claim is rated once it is closed (paid, rejected or cancelled)");
    }
    if (delegation === undefined) throw new HttpError(401, "no_session_key", "this session has no session key");
    let rating: CaseRating;
    try {
      rating = normalizeRating(input);
    } catch (e) {
      return encodingError(e);
    }
    if (rating.claimId !== claimId.toString() || rating.author !== lower(caller)) {
      throw new HttpError(400, "invalid_request", "the rating must be this claim's, by its claimant");
    }
    if (rating.chainId !== deps.chainId || rating.pool !== lower(pool())) {
      throw new HttpError(400, "invalid_request", `the rating must name chain ${deps.chainId} and pool ${pool()}`);
    }
    const hash = ratingHash(rating);
    await requireSessionSignature(hash, signature, delegation.key, "rating");
    const inserted = await queryRows<{ claim_id: string }>(
      db,
      sql`INSERT INTO case_ratings (claim_id, assessor, hash, author, stars, sealed, signature, delegation_id, at, created_at)
          VALUES (${claimId.toString()}, ${resolver === null ? null : lower(resolver)}, ${hash}, ${rating.author}, ${rating.stars}, ${box.sealText(rating.comment, hash)},
                  ${signature}, ${delegation.id}, ${rating.at}, ${nowSeconds()})
          ON CONFLICT (claim_id) DO NOTHING RETURNING claim_id`,
    );
    if (inserted.length === 0)
      throw new HttpError(409, "already_rated", "this claim was rated already; a rating is given once");
    return { hash };
  }

  /** The claimant erases their words after closure: the opening, their messages, files and rating comment. Hashes stay. */
  async function erase(claimId: bigint, caller: Address): Promise<{ erased: number; kept: number }> {
    const { claim, role } = await access(claimId, caller);
    if (role !== "claimant") throw new HttpError(403, "forbidden", "only the claimant erases their content");
    if (!CLOSED_STATUSES.includes(claim.status)) {
      throw new HttpError(409, "not_closed", "content can be erased once the claim is closed");
    }
    const t = nowSeconds();
    const me = lower(caller);
    // The claimant's files, found before the transaction (PGlite has one connection: no reads beside it).
    const opening = await openingOf(claim);
    const files = new Set<string>();
    for (const a of opening?.statement?.attachments ?? []) if (a.kind === "file") files.add(a.sha256);
    for (const row of await messageRows(claimId)) {
      if (lower(row.author) !== me) continue;
      for (const sha of citedFiles(row)) files.add(sha);
    }
    // A file this claimant also cites in another case they have not erased stays: erasing one case
    // takes no evidence from another. It goes when the last case citing it is erased.
    const kept = await filesCitedElsewhere(db, box, me, files, { claimId, opening: claim.evidenceHash });
    for (const sha of kept) files.delete(sha);
    // Files in object storage are deleted there first (a failure erases nothing: ask again); a
    // file deleted whose row then failed to change reads as gone, never as present.
    const stored =
      files.size === 0
        ? []
        : await queryRows<{ sha256: string }>(
            db,
            sql`SELECT sha256 FROM case_attachments
          WHERE owner = ${me} AND stored_in = 'object' AND erased_at IS NULL AND sha256 IN (${sql.join(
            [...files].map((sha) => sql`${lower(sha)}`),
            sql`, `,
          )})`,
          );
    for (const { sha256 } of stored) await storage((objects) => objects.delete(box.fileName(`${sha256}:${me}`)));
    const erased = await db.transaction(async (tx) => {
      let n = 0;
      const count = (rows: unknown[]) => (n += rows.length);
      count(
        await queryRows(
          tx,
          sql`UPDATE case_openings SET sealed = NULL, contact_sealed = NULL, erased_at = ${t}
              WHERE hash = ${lower(claim.evidenceHash)} AND erased_at IS NULL RETURNING hash`,
        ),
      );
      count(
        await queryRows(
          tx,
          sql`UPDATE case_messages SET sealed = NULL, cites = NULL, erased_at = ${t}
              WHERE claim_id = ${claimId.toString()} AND author = ${me} AND erased_at IS NULL RETURNING hash`,
        ),
      );
      count(
        await queryRows(
          tx,
          sql`UPDATE case_ratings SET sealed = NULL, erased_at = ${t} WHERE claim_id = ${claimId.toString()} AND erased_at IS NULL RETURNING hash`,
        ),
      );
      for (const sha of files) {
        count(
          await queryRows(
            tx,
            sql`UPDATE case_attachments SET sealed = NULL, erased_at = ${t} WHERE sha256 = ${sha} AND owner = ${me} AND erased_at IS NULL RETURNING sha256`,
          ),
        );
      }
      return n;
    });
    return { erased, kept: kept.length };
  }

  async function exportBundle(claimId: bigint, caller: Address): Promise<CaseBundle> {
    const { view: v, claim, rows, ratingRows } = await assemble(claimId, caller);
    const delegationIds = [
      ...new Set([...rows.map((r) => r.delegation_id), ...ratingRows.map((r) => r.delegation_id)]),
    ];
    const delegations =
      delegationIds.length === 0
        ? []
        : await queryRows<{ id: string; message: string; signature: string }>(
            db,
            sql`SELECT id, message, signature FROM case_delegations WHERE id IN (${sql.join(
              delegationIds.map((d) => sql`${d}`),
              sql`, `,
            )})`,
          );
    const index = new Map(delegationIds.map((id, i) => [id, i]));
    const byId = new Map(delegations.map((d) => [d.id, d]));
    const r = ratingRows[0];
    let rating: CaseBundle["rating"] = null;
    if (r !== undefined) {
      const comment = r.sealed === null ? null : box.openText(r.sealed, r.hash);
      rating = {
        hash: r.hash as Hex,
        rating:
          comment === null
            ? null
            : {
                encoding: "emergency-station/case/v1",
                type: "rating",
                chainId: deps.chainId,
                pool: lower(pool()),
                claimId: claimId.toString(),
                author: lower(r.author),
                stars: r.stars,
                comment,
                at: Number(r.at),
              },
        signature: r.signature as Hex,
        delegation: index.get(r.delegation_id)!,
        ...(comment === null ? { erased: true as const } : {}),
      };
    }
    return {
      format: BUNDLE_FORMAT,
      chainId: deps.chainId,
      pool: lower(pool()),
      claimId: claimId.toString(),
      fromBlock: claim.submittedBlock.toString(),
      opening: {
        hash: lower(claim.evidenceHash),
        statement: v.opening.statement,
        ...(v.opening.anchor === "erased" ? { erased: true as const } : {}),
      },
      delegations: delegationIds.map((id) => {
        const d = byId.get(id)!;
        return { message: d.message, signature: d.signature as Hex };
      }),
      messages: v.messages.map((m, i) => ({
        hash: m.hash,
        message: m.message,
        signature: m.signature,
        delegation: index.get(rows[i]!.delegation_id)!,
        ...(m.erased ? { erased: true as const } : {}),
      })),
      rating,
      anchors: v.transitions.map((t) => ({
        status: t.status,
        actor: t.actor,
        noteHash: t.noteHash,
        txHash: t.txHash,
        blockNumber: t.blockNumber,
      })),
      exportedAt: nowSeconds(),
    };
  }

  return { access, uploadAttachment, readAttachment, storeOpening, postMessage, head, view, rate, erase, exportBundle };
}

export type Cases = ReturnType<typeof createCases>;
