/**
 * The case conversation's canonical encoding, shared by the page, the CLI, the relayer, the
 * service and the offline verifier: one content, one hash.
 *
 * Every record (the opening statement, each message, the rating) is a JSON object encoded with
 * the JSON Canonicalization Scheme (RFC 8785: keys sorted, no whitespace, numbers and strings in
 * one spelling) and hashed with keccak256 over its UTF-8 bytes. Addresses are lowercase hex,
 * hashes 0x-prefixed lowercase hex, claim ids decimal strings, times unix seconds.
 *
 * - The opening statement's hash is the claim's on-chain `evidenceHash`. It carries a random
 *   salt, so the hash on-chain gives nothing away about a short text ("API down").
 * - Message n names message n-1's hash in `prev` (message 1 names the opening's hash), so the
 *   transcript is a hash chain. A message that goes with an on-chain transition has an `action`,
 *   and its hash is that transition's `noteHash`: the chain dates and seals the transcript as it
 *   stood.
 * - Messages and ratings are signed by a session key the author's wallet delegated once, in its
 *   Sign-In with Ethereum message (a `urn:emergency-station:session-key:<address>` resource):
 *   one wallet signature per session, none per chat line.
 */
import canonicalize from "canonicalize";
import {
  bytesToHex,
  concatBytes,
  getAddress,
  hexToBytes,
  isAddress,
  isHex,
  keccak256,
  recoverMessageAddress,
  stringToBytes,
  type Address,
  type Hex,
} from "viem";
import { parseSiweMessage } from "viem/siwe";

import { CLAIM_KINDS, type ClaimKind, type ClaimStatus } from "./claims.js";

export const CASE_ENCODING = "emergency-station/case/v1";
export const BUNDLE_FORMAT = "emergency-station/case-bundle/v1";
export const SESSION_KEY_RESOURCE_PREFIX = "urn:emergency-station:session-key:";

export const HELP_CHANNELS = ["text", "callback", "remote"] as const;
export type HelpChannel = (typeof HELP_CHANNELS)[number];
export const CASE_ROLES = ["claimant", "assessor", "guardian", "admin"] as const;
export type CaseRole = (typeof CASE_ROLES)[number];
/** Actions a message can carry: the note of the on-chain transition it goes with. */
export const CASE_ACTIONS = ["accept", "investigate", "approve", "reject", "veto"] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

/** The status a transition carrying each action's note moves the claim to. */
export const ACTION_STATUS: Record<CaseAction, ClaimStatus> = {
  accept: "Accepted",
  investigate: "Investigating",
  approve: "Approved",
  reject: "Rejected",
  veto: "Rejected",
};

export const LIMITS = {
  textChars: 4000,
  attachmentsPerRecord: 5,
  attachmentBytes: 2 * 1024 * 1024,
  nameChars: 120,
  ratingCommentChars: 1000,
} as const;

/** A file's commitment: its SHA-256, its type as sniffed from the bytes, its size. */
export type FileRef = { kind: "file"; sha256: Hex; type: string; size: number; name: string };
/** A transaction the claimant points at, or a link. Neither needs uploading. */
export type TxRef = { kind: "tx"; hash: Hex };
export type LinkRef = { kind: "link"; url: string };
export type AttachmentRef = FileRef | TxRef | LinkRef;

export type OpeningStatement = {
  encoding: typeof CASE_ENCODING;
  type: "opening";
  chainId: number;
  pool: Address;
  claimant: Address;
  kind: ClaimKind;
  text: string;
  channel: HelpChannel;
  /** keccak256(salt ‖ contact handle) when the claimant asked for a call-back; the handle itself stays sealed with the service. */
  contact: Hex | null;
  attachments: AttachmentRef[];
  /** The merchant or project whose card or button the claim came from. */
  origin: Address | null;
  salt: Hex;
};

export type CaseMessage = {
  encoding: typeof CASE_ENCODING;
  type: "message";
  chainId: number;
  pool: Address;
  claimId: string;
  seq: number;
  prev: Hex;
  author: Address;
  role: CaseRole;
  action: CaseAction | null;
  text: string;
  attachments: AttachmentRef[];
  /** A help-library article the assessor inserted (its slug), or null. */
  article: string | null;
  at: number;
};

export type CaseRating = {
  encoding: typeof CASE_ENCODING;
  type: "rating";
  chainId: number;
  pool: Address;
  claimId: string;
  author: Address;
  stars: number;
  comment: string;
  at: number;
};

export class CaseEncodingError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = "CaseEncodingError";
  }
}

const fail = (field: string, message: string): never => {
  throw new CaseEncodingError(field, message);
};
const hex32 = (field: string, v: unknown): Hex =>
  typeof v === "string" && isHex(v, { strict: true }) && v.length === 66
    ? (v.toLowerCase() as Hex)
    : fail(field, "must be 32 bytes of 0x-prefixed hex");
const address = (field: string, v: unknown): Address =>
  typeof v === "string" && isAddress(v, { strict: false })
    ? (v.toLowerCase() as Address)
    : fail(field, "must be an address");
const text = (field: string, v: unknown, max: number, min = 0): string => {
  if (typeof v !== "string") return fail(field, "must be a string");
  const s = v.normalize("NFC");
  if (s.trim().length < min) return fail(field, "must not be empty");
  if ([...s].length > max) return fail(field, `must be at most ${max} characters`);
  return s;
};
const int = (field: string, v: unknown, min: number, max: number): number =>
  typeof v === "number" && Number.isSafeInteger(v) && v >= min && v <= max
    ? v
    : fail(field, `must be a whole number from ${min} to ${max}`);
const oneOf = <T extends string>(field: string, v: unknown, allowed: readonly T[]): T =>
  allowed.includes(v as T) ? (v as T) : fail(field, `must be one of ${allowed.join(", ")}`);
const object = (field: string, v: unknown): Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : fail(field, "must be an object");
const onlyKeys = (field: string, o: Record<string, unknown>, keys: readonly string[]) => {
  const extra = Object.keys(o).filter((k) => !keys.includes(k));
  if (extra.length > 0) fail(field, `unknown field ${extra[0]}`);
};

function attachment(field: string, v: unknown): AttachmentRef {
  const o = object(field, v);
  switch (o.kind) {
    case "file":
      onlyKeys(field, o, ["kind", "sha256", "type", "size", "name"]);
      return {
        kind: "file",
        sha256: hex32(`${field}.sha256`, o.sha256),
        type: text(`${field}.type`, o.type, 100, 1),
        size: int(`${field}.size`, o.size, 1, LIMITS.attachmentBytes),
        name: text(`${field}.name`, o.name, LIMITS.nameChars),
      };
    case "tx":
      onlyKeys(field, o, ["kind", "hash"]);
      return { kind: "tx", hash: hex32(`${field}.hash`, o.hash) };
    case "link": {
      onlyKeys(field, o, ["kind", "url"]);
      const url = text(`${field}.url`, o.url, 2000, 1);
      let parsed: URL | undefined;
      try {
        parsed = new URL(url);
      } catch {
        parsed = undefined;
      }
      if (parsed === undefined || (parsed.protocol !== "https:" && parsed.protocol !== "http:")) {
        fail(`${field}.url`, "must be an http(s) URL");
      }
      return { kind: "link", url };
    }
    default:
      return fail(`${field}.kind`, "must be file, tx or link");
  }
}
const attachments = (field: string, v: unknown): AttachmentRef[] => {
  if (!Array.isArray(v)) return fail(field, "must be a list");
  if (v.length > LIMITS.attachmentsPerRecord) fail(field, `at most ${LIMITS.attachmentsPerRecord} attachments`);
  return v.map((a, i) => attachment(`${field}[${i}]`, a));
};
const envelope = (o: Record<string, unknown>, type: string) => {
  if (o.encoding !== CASE_ENCODING) fail("encoding", `must be ${CASE_ENCODING}`);
  if (o.type !== type) fail("type", `must be ${type}`);
  return {
    encoding: CASE_ENCODING,
    chainId: int("chainId", o.chainId, 1, Number.MAX_SAFE_INTEGER),
    pool: address("pool", o.pool),
  } as const;
};
const claimIdText = (v: unknown): string =>
  typeof v === "string" && /^(0|[1-9][0-9]{0,77})$/.test(v) ? v : fail("claimId", "must be a decimal string");

/** Checks an opening statement and puts it in canonical form (lowercase hex, NFC text); throws CaseEncodingError. */
export function normalizeOpening(input: unknown): OpeningStatement {
  const o = object("statement", input);
  onlyKeys("statement", o, [
    "encoding",
    "type",
    "chainId",
    "pool",
    "claimant",
    "kind",
    "text",
    "channel",
    "contact",
    "attachments",
    "origin",
    "salt",
  ]);
  return {
    ...envelope(o, "opening"),
    type: "opening",
    claimant: address("claimant", o.claimant),
    kind: oneOf("kind", o.kind, CLAIM_KINDS),
    text: text("text", o.text, LIMITS.textChars, 1),
    channel: oneOf("channel", o.channel, HELP_CHANNELS),
    contact: o.contact === null ? null : hex32("contact", o.contact),
    attachments: attachments("attachments", o.attachments),
    origin: o.origin === null ? null : address("origin", o.origin),
    salt: hex32("salt", o.salt),
  };
}

export function normalizeMessage(input: unknown): CaseMessage {
  const o = object("message", input);
  onlyKeys("message", o, [
    "encoding",
    "type",
    "chainId",
    "pool",
    "claimId",
    "seq",
    "prev",
    "author",
    "role",
    "action",
    "text",
    "attachments",
    "article",
    "at",
  ]);
  const action = o.action === null ? null : oneOf("action", o.action, CASE_ACTIONS);
  const role = oneOf("role", o.role, CASE_ROLES);
  if (action !== null && role === "claimant") fail("action", "only the station's staff note transitions");
  const msg: CaseMessage = {
    ...envelope(o, "message"),
    type: "message",
    claimId: claimIdText(o.claimId),
    seq: int("seq", o.seq, 1, 1_000_000),
    prev: hex32("prev", o.prev),
    author: address("author", o.author),
    role,
    action,
    // A transition's note may be empty ("accepted"); a chat line may not.
    text: text("text", o.text, LIMITS.textChars, action === null ? 1 : 0),
    attachments: attachments("attachments", o.attachments),
    article: o.article === null ? null : text("article", o.article, 100, 1),
    at: int("at", o.at, 0, 2 ** 40),
  };
  if (msg.text.trim() === "" && msg.attachments.length === 0 && msg.article === null && action === null) {
    fail("text", "must not be empty");
  }
  return msg;
}

export function normalizeRating(input: unknown): CaseRating {
  const o = object("rating", input);
  onlyKeys("rating", o, ["encoding", "type", "chainId", "pool", "claimId", "author", "stars", "comment", "at"]);
  return {
    ...envelope(o, "rating"),
    type: "rating",
    claimId: claimIdText(o.claimId),
    author: address("author", o.author),
    stars: int("stars", o.stars, 1, 5),
    comment: text("comment", o.comment, LIMITS.ratingCommentChars),
    at: int("at", o.at, 0, 2 ** 40),
  };
}

/** RFC 8785 canonical JSON of a record. */
export function canonicalJson(record: OpeningStatement | CaseMessage | CaseRating): string {
  const out = canonicalize(record);
  if (out === undefined) throw new Error("record cannot be encoded");
  return out;
}

/** keccak256 of the canonical JSON's UTF-8 bytes. Normalizes first, so any spelling of one record hashes alike. */
export const openingHash = (statement: unknown): Hex =>
  keccak256(stringToBytes(canonicalJson(normalizeOpening(statement))));
export const messageHash = (message: unknown): Hex =>
  keccak256(stringToBytes(canonicalJson(normalizeMessage(message))));
export const ratingHash = (rating: unknown): Hex => keccak256(stringToBytes(canonicalJson(normalizeRating(rating))));

/** The commitment to a call-back handle: keccak256(salt ‖ UTF-8 handle). */
export const contactCommitment = (salt: Hex, handle: string): Hex =>
  keccak256(concatBytes([hexToBytes(salt), stringToBytes(handle.normalize("NFC"))]));

/** A fresh 32-byte salt. */
export const newSalt = (): Hex => bytesToHex(crypto.getRandomValues(new Uint8Array(32)));

/** The SIWE resource that delegates a session key. */
export const sessionKeyResource = (key: Address) => `${SESSION_KEY_RESOURCE_PREFIX}${key.toLowerCase()}`;

/** The session key a SIWE message delegates, if it names exactly one. */
export function delegatedKey(siweMessage: string): Address | undefined {
  const keys = (parseSiweMessage(siweMessage).resources ?? [])
    .filter((r) => r.startsWith(SESSION_KEY_RESOURCE_PREFIX))
    .map((r) => r.slice(SESSION_KEY_RESOURCE_PREFIX.length));
  return keys.length === 1 && isAddress(keys[0]!, { strict: false }) ? getAddress(keys[0]!) : undefined;
}

/** The address that signed a record hash (EIP-191 personal_sign over the 32 raw bytes). */
export const recordSigner = (hash: Hex, signature: Hex): Promise<Address> =>
  recoverMessageAddress({ message: { raw: hash }, signature });

// ──────────────────────────────────────────────────────────────────────────── the bundle

/** A wallet's delegation of a session key: the SIWE message and the wallet's signature of it. */
export type Delegation = { message: string; signature: Hex };

/** A record in a bundle: its body (null once erased), its hash, and for signed records the session key's signature. */
export type BundleMessage = {
  hash: Hex;
  message: CaseMessage | null;
  signature: Hex;
  /** Index into `delegations`. */
  delegation: number;
  erased?: true;
};

export type BundleAnchor = {
  status: ClaimStatus;
  actor: Address;
  noteHash: Hex;
  txHash: Hex;
  blockNumber: string;
};

export type CaseBundle = {
  format: typeof BUNDLE_FORMAT;
  chainId: number;
  pool: Address;
  claimId: string;
  /** The block the claim was filed in; the verifier reads the chain's notes from there. */
  fromBlock: string;
  opening: { hash: Hex; statement: OpeningStatement | null; erased?: true };
  delegations: Delegation[];
  messages: BundleMessage[];
  rating: { hash: Hex; rating: CaseRating | null; signature: Hex; delegation: number; erased?: true } | null;
  /** What the service saw on-chain when it exported; the verifier reads the chain itself and does not trust these. */
  anchors: BundleAnchor[];
  exportedAt: number;
};

/** What the verifier needs from the chain. */
export type ChainView = {
  chainId(): Promise<number>;
  /** The claim's claimant and evidence hash from its ClaimSubmitted event at or after `fromBlock` (undefined when none). */
  claim(claimId: bigint, fromBlock: bigint): Promise<{ claimant: Address; evidenceHash: Hex } | undefined>;
  /** The claim's ClaimStatusChanged events in chain order, from `fromBlock`. */
  transitions(claimId: bigint, fromBlock: bigint): Promise<Omit<BundleAnchor, "blockNumber">[]>;
  /** Checks a wallet's personal_sign signature (EOA, and EIP-1271 wallets through the chain). */
  verifyWallet(args: { address: Address; message: string; signature: Hex }): Promise<boolean>;
};

export type AnchorState = "matches the chain" | "not anchored" | "mismatch" | "erased";

export type VerificationReport = {
  ok: boolean;
  /** Every failed check, in words. */
  problems: string[];
  opening: AnchorState;
  messages: { seq: number; hash: Hex; state: AnchorState; signedBy: Address | null }[];
  rating: "valid" | "invalid" | "erased" | "none";
};

/**
 * Verifies a bundle against the chain: the opening's hash is the claim's evidenceHash, the
 * messages form one hash chain from it, each is signed by a key its author's wallet delegated,
 * every note on-chain is a message with the matching action and author, in order, and the
 * rating is the claimant's. An erased record keeps its hash; its content cannot be checked.
 */
export async function verifyBundle(bundle: CaseBundle, chain: ChainView): Promise<VerificationReport> {
  const problems: string[] = [];
  const problem = (p: string) => problems.push(p);
  const report: VerificationReport = { ok: false, problems, opening: "mismatch", messages: [], rating: "none" };
  if (bundle.format !== BUNDLE_FORMAT) {
    problem(`not a case bundle (format ${String(bundle.format)})`);
    return report;
  }
  const claimId = BigInt(bundle.claimId);
  const chainId = await chain.chainId();
  if (chainId !== bundle.chainId) problem(`the bundle is for chain ${bundle.chainId}, the RPC serves chain ${chainId}`);
  const onChain = await chain.claim(claimId, BigInt(bundle.fromBlock));
  if (onChain === undefined) {
    problem(`claim ${bundle.claimId} does not exist on-chain`);
    return report;
  }
  const pool = bundle.pool.toLowerCase();
  const claimant = onChain.claimant.toLowerCase() as Address;

  // The opening statement.
  const opening = bundle.opening;
  let openingOk = opening.hash.toLowerCase() === onChain.evidenceHash.toLowerCase();
  if (!openingOk) problem("the opening statement's hash is not the claim's evidenceHash on-chain");
  if (opening.statement === null) {
    report.opening = openingOk ? "erased" : "mismatch";
  } else {
    try {
      const s = normalizeOpening(opening.statement);
      if (openingHash(s) !== opening.hash.toLowerCase()) {
        openingOk = false;
        problem("the opening statement does not hash to its stated hash (edited)");
      }
      if (s.claimant !== claimant) {
        openingOk = false;
        problem("the opening statement names another claimant than the chain");
      }
      if (s.pool !== pool || s.chainId !== bundle.chainId) {
        openingOk = false;
        problem("the opening statement is for another pool or chain");
      }
    } catch (e) {
      openingOk = false;
      problem(`the opening statement is malformed (${(e as Error).message})`);
    }
    report.opening = openingOk ? "matches the chain" : "mismatch";
  }

  // Delegations: which session key speaks for which wallet, and when.
  const delegations = await Promise.all(
    bundle.delegations.map(async (d) => {
      try {
        const fields = parseSiweMessage(d.message);
        const key = delegatedKey(d.message);
        if (fields.address === undefined || key === undefined) return undefined;
        if (fields.chainId !== bundle.chainId) return undefined;
        const ok = await chain.verifyWallet({ address: fields.address, message: d.message, signature: d.signature });
        if (!ok) return undefined;
        return {
          wallet: fields.address.toLowerCase() as Address,
          key,
          from: fields.issuedAt === undefined ? 0 : Math.floor(fields.issuedAt.getTime() / 1000),
          until: fields.expirationTime === undefined ? Infinity : Math.floor(fields.expirationTime.getTime() / 1000),
        };
      } catch {
        return undefined;
      }
    }),
  );
  const signedBy = async (
    hash: Hex,
    signature: Hex,
    index: number,
    author: Address | undefined,
    at: number | undefined,
  ): Promise<Address | null> => {
    const d = delegations[index];
    if (d === undefined) return null;
    const signer = await recordSigner(hash, signature).catch(() => undefined);
    if (signer === undefined || signer.toLowerCase() !== d.key.toLowerCase()) return null;
    if (author !== undefined && author !== d.wallet) return null;
    if (at !== undefined && (at < d.from - 300 || at > d.until)) return null;
    return d.wallet;
  };

  // The hash chain of messages.
  const notes = new Map<string, { action: CaseAction | null; author: Address | null; seq: number }>();
  let prev = opening.hash.toLowerCase() as Hex;
  for (const [i, entry] of bundle.messages.entries()) {
    const seq = i + 1;
    const hash = entry.hash.toLowerCase() as Hex;
    let ok = true;
    let author: Address | null = null;
    let action: CaseAction | null = null;
    if (entry.message === null) {
      // Erased: the hash stands for it; the next message's `prev` still links to it.
    } else {
      try {
        const m = normalizeMessage(entry.message);
        author = m.author;
        action = m.action;
        if (messageHash(m) !== hash) {
          ok = false;
          problem(`message ${seq} does not hash to its stated hash (edited)`);
        }
        if (m.seq !== seq) {
          ok = false;
          problem(`message ${seq} says it is number ${m.seq} (a message was dropped or reordered)`);
        }
        if (m.prev !== prev) {
          ok = false;
          problem(`message ${seq} does not follow the one before it (a message was dropped, edited or inserted)`);
        }
        if (m.claimId !== bundle.claimId || m.pool !== pool || m.chainId !== bundle.chainId) {
          ok = false;
          problem(`message ${seq} belongs to another claim`);
        }
        if ((m.role === "claimant") !== (m.author === claimant)) {
          ok = false;
          problem(`message ${seq} claims role ${m.role}, which its author does not have on this claim`);
        }
      } catch (e) {
        ok = false;
        problem(`message ${seq} is malformed (${(e as Error).message})`);
      }
    }
    const signer =
      entry.message === null
        ? null
        : await signedBy(hash, entry.signature, entry.delegation, author ?? undefined, entry.message.at);
    if (entry.message !== null && signer === null) {
      ok = false;
      problem(`message ${seq} is not signed by a session key its author's wallet delegated`);
    }
    notes.set(hash, { action, author, seq });
    report.messages.push({
      seq,
      hash,
      state: entry.message === null ? "erased" : ok ? "not anchored" : "mismatch",
      signedBy: signer,
    });
    prev = hash;
  }

  // Every note on-chain is a message, with the matching action and author, in order.
  const transitions = await chain.transitions(claimId, BigInt(bundle.fromBlock));
  let lastSeq = 0;
  for (const t of transitions) {
    if (t.status === "Submitted" || t.status === "Paid" || t.status === "Cancelled") continue;
    const note = t.noteHash.toLowerCase();
    const found = notes.get(note);
    if (found === undefined) {
      problem(`the ${t.status} note on-chain (${note}) is no message of this transcript (dropped or edited)`);
      continue;
    }
    const row = report.messages[found.seq - 1]!;
    let ok = row.state !== "mismatch";
    if (found.action !== null && ACTION_STATUS[found.action] !== t.status) {
      ok = false;
      problem(`message ${found.seq} is a note for "${found.action}" but the chain recorded it on ${t.status}`);
    }
    if (found.author !== null && found.author !== t.actor.toLowerCase()) {
      ok = false;
      problem(`message ${found.seq} is by ${found.author} but ${t.actor} sent its transition`);
    }
    if (found.seq < lastSeq) {
      ok = false;
      problem(`message ${found.seq} was anchored after a later message (out of order)`);
    }
    lastSeq = Math.max(lastSeq, found.seq);
    row.state = row.state === "erased" ? "erased" : ok ? "matches the chain" : "mismatch";
  }
  // A message before an anchored note is sealed by it: the note's hash commits to the chain of prev hashes.
  for (const row of report.messages) {
    if (row.seq < lastSeq && row.state === "not anchored") row.state = "matches the chain";
  }

  // The rating.
  if (bundle.rating !== null) {
    const r = bundle.rating;
    if (r.rating === null) report.rating = "erased";
    else {
      let ok = false;
      try {
        const n = normalizeRating(r.rating);
        ok =
          ratingHash(n) === r.hash.toLowerCase() &&
          n.author === claimant &&
          n.claimId === bundle.claimId &&
          (await signedBy(r.hash.toLowerCase() as Hex, r.signature, r.delegation, n.author, n.at)) !== null;
      } catch {
        ok = false;
      }
      report.rating = ok ? "valid" : "invalid";
      if (!ok) problem("the rating is not the claimant's signed rating of this claim");
    }
  }
  report.ok = problems.length === 0;
  return report;
}
