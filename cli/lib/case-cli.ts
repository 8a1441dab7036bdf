/**
 * The case conversation from the terminal (`station case …`, and the notes `station accept|…`
 * and `station claim submit` write): a session key delegated in the SIWE sign-in signs every
 * record (common/case.ts), so the wallet signs once per command, never per line.
 */
import { readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";

import type { InferResponseType } from "hono/client";
import { type Account, type Address, type Hex, isAddress, isHex } from "viem";
import { type PrivateKeyAccount, generatePrivateKey, privateKeyToAccount } from "viem/accounts";

import {
  type AttachmentRef,
  type CaseAction,
  type CaseBundle,
  type CaseMessage,
  type CaseRole,
  type FileRef,
  type OpeningStatement,
  CASE_ENCODING,
  CaseEncodingError,
  HELP_CHANNELS,
  LIMITS,
  contactCommitment,
  messageHash,
  newSalt,
  normalizeMessage,
  normalizeOpening,
  openingHash,
  sessionKeyResource,
  verifyBundle,
} from "../../common/case.js";
import { rpcChainView } from "../../common/caseChain.js";
import type { ClaimKind } from "../../common/claims.js";
import type { ServiceClient } from "../../service/src/client.js";
import {
  ServiceError,
  type StationConfig,
  UsageError,
  UserError,
  reach,
  refused,
  signInSession,
} from "./station-client.js";

/** The case as the service answers GET /v1/cases/:claimId (its records still to be checked). */
export type CaseAnswer = InferResponseType<ServiceClient["v1"]["cases"][":claimId"]["$get"], 200>;

export const CASE_USAGE = `Cases (the private conversation of a claim; its hashes are the claim's on-chain notes)
  station case show <claimId> [--json]
  station case reply <claimId> --text <text> [--attach <file>]… [--tx <hash>]… [--link <url>]…
  station case export <claimId> [--out <file>]      the bundle anyone can verify (stdout without --out)
  station case verify <bundle.json> [--rpc <url>]   check a bundle against the chain (RPC_URL otherwise)`;

type Values = Record<string, unknown>;
const str = (values: Values, name: string) => (typeof values[name] === "string" ? values[name] : undefined);
const strs = (values: Values, name: string): string[] => {
  const v = values[name];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : typeof v === "string" ? [v] : [];
};

// ─── The session ────────────────────────────────────────────────────────────────────────────

export type CaseSession = { config: StationConfig; token: string; wallet: Address; key: PrivateKeyAccount };

/** How long a CLI session key may sign: one command's work, with room for a slow keystore prompt. */
const SESSION_KEY_SECONDS = 3600;

/**
 * Signs in with a fresh session key: the wallet signs one SIWE message that delegates the key
 * (nonce → SIWE with the key's resource → /v1/auth/verify); the key signs the records after.
 */
export async function caseSession(config: StationConfig, account: Account): Promise<CaseSession> {
  const key = privateKeyToAccount(generatePrivateKey());
  const session = await signInSession(config, account, {
    resources: [sessionKeyResource(key.address)],
    validForSeconds: SESSION_KEY_SECONDS,
  });
  if (session.sessionKey?.toLowerCase() !== key.address.toLowerCase()) {
    throw new UserError(
      `the service at ${config.serviceUrl} did not take the session key (no case conversations there?)`,
    );
  }
  return { config, token: session.token, wallet: account.address, key };
}

/** A typed call to the service as the session (its bearer token). */
const call = <R>(s: CaseSession, fn: (api: ServiceClient) => Promise<R>) => reach(s.config, fn, s.token);
const param = (claimId: bigint) => ({ param: { claimId: claimId.toString() } });

// ─── Records ────────────────────────────────────────────────────────────────────────────────

/** A CaseEncodingError in the words of the command line: the option that carried the field. */
function recordError(error: unknown, textOption: string): never {
  if (!(error instanceof CaseEncodingError)) throw error;
  const option =
    error.field === "text"
      ? textOption
      : error.field === "origin"
        ? "--origin"
        : error.field.startsWith("attachments")
          ? /\.url$/.test(error.field)
            ? "--link"
            : /\.hash$/.test(error.field)
              ? "--tx"
              : "--attach/--tx/--link"
          : error.field;
  throw new UsageError(`${option}: ${error.message.slice(error.field.length + 2)}`);
}

/** Uploads one file; the service sniffs its type and commits to its SHA-256. */
export async function uploadFile(s: CaseSession, file: string): Promise<FileRef> {
  const info = await stat(file).catch(() => undefined);
  if (info === undefined || !info.isFile()) throw new UsageError(`--attach: cannot read ${file}`);
  if (info.size > LIMITS.attachmentBytes) {
    throw new UsageError(`--attach: ${file} is ${info.size} bytes; files may be at most ${LIMITS.attachmentBytes}`);
  }
  if (info.size === 0) throw new UsageError(`--attach: ${file} is empty`);
  const name = [...path.basename(file)].slice(-LIMITS.nameChars).join("");
  const bytes = new Uint8Array(await readFile(file));
  const res = await call(s, (api) =>
    api.v1.cases.attachments.$post(
      { query: { name } },
      { headers: { "content-type": "application/octet-stream" }, init: { body: bytes } },
    ),
  );
  if (res.status !== 201) throw await refused(res, "POST /v1/cases/attachments");
  const { ref } = await res.json();
  const { sha256, type, size } = ref;
  if (ref.kind !== "file" || typeof sha256 !== "string" || !isHex(sha256) || typeof type !== "string") {
    throw new UserError(`the service answered the upload of ${file} with no file reference`);
  }
  if (typeof size !== "number") throw new UserError(`the service answered the upload of ${file} without its size`);
  return { kind: "file", sha256, type, size, name: typeof ref.name === "string" ? ref.name : name };
}

/** The --tx and --link references (checked), and the number of files still to upload. */
function references(values: Values): { refs: AttachmentRef[]; files: string[] } {
  const refs: AttachmentRef[] = [
    ...strs(values, "tx").map((hash): AttachmentRef => ({ kind: "tx", hash: hash as Hex })),
    ...strs(values, "link").map((url): AttachmentRef => ({ kind: "link", url })),
  ];
  const files = strs(values, "attach");
  if (refs.length + files.length > LIMITS.attachmentsPerRecord) {
    throw new UsageError(`--attach/--tx/--link: at most ${LIMITS.attachmentsPerRecord} attachments in all`);
  }
  return { refs, files };
}

const uploadAll = async (s: CaseSession, files: string[]) => {
  const refs: FileRef[] = [];
  for (const file of files) refs.push(await uploadFile(s, file));
  return refs;
};

/**
 * The claimant's opening statement: checked, files uploaded, stored with the service. Its hash is
 * the claim's evidenceHash; post it before filing the claim.
 */
export async function fileOpening(
  config: StationConfig,
  account: Account,
  claim: { kind: ClaimKind; description: string },
  values: Values,
): Promise<{ statement: OpeningStatement; hash: Hex }> {
  const contact = str(values, "contact");
  const channel = str(values, "channel") ?? (contact === undefined ? "text" : "callback");
  if (!(HELP_CHANNELS as readonly string[]).includes(channel)) {
    throw new UsageError(`--channel must be one of ${HELP_CHANNELS.join(", ")}`);
  }
  if (channel === "text" && contact !== undefined)
    throw new UsageError("--contact goes with --channel callback|remote");
  if (channel !== "text" && (contact === undefined || contact.trim() === "")) {
    throw new UsageError(`--channel ${channel} needs --contact <handle> (how to reach you; sealed with the service)`);
  }
  const origin = str(values, "origin");
  if (origin !== undefined && !isAddress(origin, { strict: false })) {
    throw new UsageError(`--origin must be an address, got ${origin}`);
  }
  const { refs, files } = references(values);
  const salt = newSalt();
  const draft = (attachments: AttachmentRef[]) => {
    try {
      return normalizeOpening({
        encoding: CASE_ENCODING,
        type: "opening",
        chainId: config.chainId,
        pool: config.addresses.pool,
        claimant: account.address,
        kind: claim.kind,
        text: claim.description,
        channel,
        contact: contact === undefined ? null : contactCommitment(salt, contact),
        attachments,
        origin: origin ?? null,
        salt,
      });
    } catch (error) {
      return recordError(error, "--description");
    }
  };
  draft(refs); // every mistake is reported before a file is uploaded
  const session = await caseSession(config, account);
  const statement = draft([...(await uploadAll(session, files)), ...refs]);
  const res = await call(session, (api) =>
    api.v1.cases.openings.$post({ json: { statement, ...(contact !== undefined ? { contact } : {}) } }),
  );
  if (res.status !== 200 && res.status !== 201) throw await refused(res, "POST /v1/cases/openings");
  const { hash } = await res.json();
  if (hash.toLowerCase() !== openingHash(statement)) {
    throw new UserError(
      `the service stored the opening statement under ${hash}, not its hash ${openingHash(statement)}`,
    );
  }
  return { statement, hash: openingHash(statement) };
}

// ─── The case view (GET /v1/cases/:claimId) ─────────────────────────────────────────────────

/**
 * The case. With `waitMs`, a 404 is retried until then: the service learns of a claim from the
 * indexer a moment after the chain (callers that have just seen the claim on-chain wait).
 */
async function readCase(
  s: CaseSession,
  claimId: bigint,
  waitMs = 0,
  err?: (line: string) => void,
): Promise<CaseAnswer> {
  const until = Date.now() + waitMs;
  for (let said = false; ; said = true) {
    try {
      const res = await call(s, (api) => api.v1.cases[":claimId"].$get(param(claimId)));
      if (res.status !== 200) throw await refused(res, `GET /v1/cases/${claimId}`);
      return await res.json();
    } catch (error) {
      if (!(error instanceof ServiceError) || error.status !== 404 || Date.now() >= until) throw error;
      if (!said) err?.(`(waiting for the service to index claim #${claimId})`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

/**
 * Posts a message as the next one of the case, signed by the session key; retried when another
 * message came first (409 stale_prev). Returns its hash: a note's hash is the transition's noteHash.
 */
export async function postMessage(
  s: CaseSession,
  claimId: bigint,
  body: { role?: CaseRole; action: CaseAction | null; text: string; attachments: AttachmentRef[]; textOption: string },
  options: { waitMs?: number; err?: (line: string) => void } = {},
): Promise<{ hash: Hex; seq: number; message: CaseMessage }> {
  for (let attempt = 1; ; attempt++) {
    const view = await readCase(s, claimId, options.waitMs, options.err);
    let message: CaseMessage;
    try {
      message = normalizeMessage({
        encoding: CASE_ENCODING,
        type: "message",
        chainId: s.config.chainId,
        pool: s.config.addresses.pool,
        claimId: claimId.toString(),
        seq: view.next.seq,
        prev: view.next.prev,
        author: s.wallet,
        role: body.role ?? view.viewer.role,
        action: body.action,
        text: body.text,
        attachments: body.attachments,
        article: null,
        at: Math.floor(Date.now() / 1000),
      });
    } catch (error) {
      return recordError(error, body.textOption);
    }
    const hash = messageHash(message);
    const signature = await s.key.signMessage({ message: { raw: hash } });
    try {
      const res = await call(s, (api) =>
        api.v1.cases[":claimId"].messages.$post({ ...param(claimId), json: { message, signature } }),
      );
      if (res.status !== 201) throw await refused(res, `POST /v1/cases/${claimId}/messages`);
      const posted = await res.json();
      if (!isHex(posted.hash)) throw new UserError(`the service stored message #${posted.seq} under no hash`);
      return { hash: posted.hash, seq: posted.seq, message };
    } catch (error) {
      if (error instanceof ServiceError && error.code === "stale_prev" && attempt < 3) continue;
      throw error;
    }
  }
}

/** A staff note for an on-chain transition: the message to post before sending it (its hash is the noteHash). */
export async function postNote(
  config: StationConfig,
  account: Account,
  claimId: bigint,
  action: CaseAction,
  text: string,
  values: Values,
  err: (line: string) => void,
) {
  const { refs, files } = references(values);
  const session = await caseSession(config, account);
  const attachments = [...(await uploadAll(session, files)), ...refs];
  // The transition was just simulated, so the claim is on-chain: a 404 is the indexer catching up.
  return postMessage(
    session,
    claimId,
    {
      role: action === "veto" ? "guardian" : "assessor",
      action,
      text,
      attachments,
      textOption: action === "reject" || action === "veto" ? "--reason" : "--note",
    },
    { waitMs: 20_000, err },
  );
}

// ─── Commands ───────────────────────────────────────────────────────────────────────────────

const when = (unix: number) => new Date(unix * 1000).toISOString().replace(".000Z", "Z");
const indented = (text: string) => text.split("\n").map((l) => `    ${l}`);

function attachmentLine(a: AttachmentRef): string {
  if (a.kind === "file") return `file ${a.name || "(unnamed)"} (${a.type}, ${a.size} B, sha256 ${a.sha256})`;
  if (a.kind === "tx") return `transaction ${a.hash}`;
  return `link ${a.url}`;
}

/** A record the service sent, checked as common/case.ts defines it (a malformed one is the service's fault). */
function checked<T>(what: string, normalize: (input: unknown) => T, input: unknown): T {
  try {
    return normalize(input);
  } catch (error) {
    if (error instanceof CaseEncodingError)
      throw new UserError(`the service sent a malformed ${what}: ${error.message}`);
    throw error;
  }
}

function printCase(out: (line: string) => void, view: CaseAnswer) {
  out(
    `case #${view.claimId}: ${view.status} · ${view.kind} · tier ${view.tier} · claimant ${view.claimant}` +
      ` · you read it as ${view.viewer.role}`,
  );
  const o = view.opening;
  out(`opening statement  ${o.hash}  [${o.anchor}]`);
  if (o.statement === null) out(o.anchor === "erased" ? "    (erased by the claimant)" : "    (not with the service)");
  else {
    const statement = checked("opening statement", normalizeOpening, o.statement);
    for (const l of indented(statement.text)) out(l);
    const contact = o.contact === null ? "" : ` · contact ${o.contact}`;
    out(`    channel ${statement.channel}${contact}${statement.origin ? ` · from ${statement.origin}` : ""}`);
    for (const a of statement.attachments) out(`    + ${attachmentLine(a)}`);
  }
  if (view.messages.length === 0) out("(no messages yet)");
  for (const m of view.messages) {
    const tx = m.txHash === null ? "" : ` · tx ${m.txHash}`;
    if (m.message === null) {
      out(`#${m.seq}  ${m.hash}  [${m.anchor}]${tx}`);
      out("    (erased)");
      continue;
    }
    const message = checked(`message #${m.seq}`, normalizeMessage, m.message);
    const who = `${message.author} (${message.role}${message.action ? `, ${message.action}` : ""})`;
    out(`#${m.seq}  ${when(message.at)}  ${who}  [${m.anchor}]${tx}`);
    if (message.text !== "") for (const l of indented(message.text)) out(l);
    if (message.article !== null) out(`    article: ${message.article}`);
    for (const a of message.attachments) out(`    + ${attachmentLine(a)}`);
  }
  if (view.rating !== null) {
    out(
      `rating: ${"★".repeat(view.rating.stars)}${"☆".repeat(5 - view.rating.stars)} ${view.rating.comment ?? ""}`.trimEnd(),
    );
  }
}

type Io = { out: (line: string) => void; err: (line: string) => void };

/** `station case show <claimId>`: the case as its reader sees it, or the service's JSON. */
export async function caseShow(io: Io, session: CaseSession, claimId: bigint, json: boolean) {
  const view = await readCase(session, claimId);
  if (json) io.out(JSON.stringify(view, null, 2));
  else printCase(io.out, view);
}

/** A reply needs words or an attachment: checked before anyone signs in. */
export function checkReply(values: Values) {
  const { refs, files } = references(values);
  if ((str(values, "text") ?? "").trim() === "" && refs.length + files.length === 0) {
    throw new UsageError("case reply needs --text <text> (or an attachment)");
  }
}

/** `station case reply <claimId>`: a message of the case, signed by the session key. */
export async function caseReply(io: Io, session: CaseSession, claimId: bigint, values: Values) {
  const text = str(values, "text") ?? "";
  const { refs, files } = references(values);
  const attachments = [...(await uploadAll(session, files)), ...refs];
  const posted = await postMessage(session, claimId, { action: null, text, attachments, textOption: "--text" });
  io.out(`message #${posted.seq} posted to case #${claimId} (${posted.hash})`);
}

/** `station case export <claimId>`: the bundle anyone can verify, to stdout or a file. */
export async function caseExport(io: Io, session: CaseSession, claimId: bigint, out: string | undefined) {
  const res = await call(session, (api) => api.v1.cases[":claimId"].export.$get(param(claimId)));
  if (res.status !== 200) throw await refused(res, `GET /v1/cases/${claimId}/export`);
  const bundle = await res.json();
  const json = JSON.stringify(bundle, null, 2);
  if (out === undefined) io.out(json);
  else {
    await writeFile(out, `${json}\n`);
    const messages = Array.isArray(bundle.messages) ? bundle.messages.length : 0;
    io.out(`case #${claimId} exported to ${out} (${messages} messages); check it: station case verify ${out}`);
  }
}

/** `station case verify <bundle.json>`: checks an exported case against the chain alone. */
export async function caseVerify(io: Io, file: string, rpc: string) {
  let bundle: CaseBundle;
  try {
    bundle = JSON.parse(await readFile(file, "utf8")) as CaseBundle;
  } catch (error) {
    throw new UserError(`cannot read ${file} as JSON (${(error as Error).message})`);
  }
  if (typeof bundle !== "object" || bundle === null || typeof bundle.pool !== "string" || !isAddress(bundle.pool)) {
    throw new UserError(`${file} is not a case bundle`);
  }
  const report = await verifyBundle(bundle, rpcChainView(rpc, bundle.pool)).catch((error: unknown) => {
    if (error instanceof TypeError || error instanceof SyntaxError || error instanceof RangeError) {
      throw new UserError(`${file} is not a well-formed case bundle (${error.message})`);
    }
    throw error;
  });
  io.out(`case #${bundle.claimId} · chain ${bundle.chainId} · pool ${bundle.pool}`);
  io.out(`opening    ${bundle.opening.hash}  ${report.opening}`);
  for (const m of report.messages) {
    io.out(`message ${m.seq}  ${m.hash}  ${m.state}${m.signedBy === null ? "" : `  (signed for ${m.signedBy})`}`);
  }
  io.out(`rating     ${report.rating}`);
  if (!report.ok) {
    throw new UserError(`${file} does not verify:\n${report.problems.map((p) => `  - ${p}`).join("\n")}`);
  }
  io.out("verified: the transcript is the one the chain sealed");
}
