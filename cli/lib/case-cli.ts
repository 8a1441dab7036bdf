/**
 * The case conversation from the terminal (`station case …`, and the notes `station accept|…`
 * and `station claim submit` write): a session key delegated in the SIWE sign-in signs every
 * record (common/case.ts), so the wallet signs once per command, never per line.
 */
import { readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";

import { type Account, type Address, type Hex, isAddress } from "viem";
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
import type { CaseView } from "../../service/src/cases/cases.js";
import { ServiceError, type StationConfig, UserError, serviceRequest, signInSession } from "./station-client.js";

/** A usage mistake (a missing or malformed option): `station` exits 2 for these. */
export class UsageError extends UserError {
  override name = "UsageError";
}

/** The options the case commands add to `station`'s (parseArgs form). */
export const CASE_OPTIONS = {
  attach: { type: "string", multiple: true },
  tx: { type: "string", multiple: true },
  link: { type: "string", multiple: true },
  channel: { type: "string" },
  contact: { type: "string" },
  origin: { type: "string" },
  text: { type: "string" },
  rpc: { type: "string" },
} as const;

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

/** What a case command needs; config and account load only when the command needs them. */
export type CaseCtx = {
  env: NodeJS.ProcessEnv;
  out: (line: string) => void;
  err: (line: string) => void;
  config: () => Promise<StationConfig>;
  account: () => Promise<Account>;
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

const request = <T>(
  s: CaseSession,
  method: string,
  route: string,
  options: { body?: unknown; bytes?: Uint8Array<ArrayBuffer> } = {},
) => serviceRequest<T>(s.config, method, route, { ...options, token: s.token });

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
  const { ref } = await request<{ ref: FileRef }>(s, "POST", `/v1/cases/attachments?name=${encodeURIComponent(name)}`, {
    bytes: new Uint8Array(await readFile(file)),
  });
  return ref;
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
  const { hash } = await request<{ hash: Hex }>(session, "POST", "/v1/cases/openings", {
    body: { statement, ...(contact !== undefined ? { contact } : {}) },
  });
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
async function readCase(s: CaseSession, claimId: bigint, waitMs = 0, err?: (line: string) => void): Promise<CaseView> {
  const until = Date.now() + waitMs;
  for (let said = false; ; said = true) {
    try {
      return await request<CaseView>(s, "GET", `/v1/cases/${claimId}`);
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
      const posted = await request<{ hash: Hex; seq: number }>(s, "POST", `/v1/cases/${claimId}/messages`, {
        body: { message, signature },
      });
      return { ...posted, message };
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

function printCase(out: (line: string) => void, view: CaseView) {
  out(
    `case #${view.claimId}: ${view.status} · ${view.kind} · tier ${view.tier} · claimant ${view.claimant}` +
      ` · you read it as ${view.viewer.role}`,
  );
  const o = view.opening;
  out(`opening statement  ${o.hash}  [${o.anchor}]`);
  if (o.statement === null) out(o.anchor === "erased" ? "    (erased by the claimant)" : "    (not with the service)");
  else {
    for (const l of indented(o.statement.text)) out(l);
    const contact = o.contact === null ? "" : ` · contact ${o.contact}`;
    out(`    channel ${o.statement.channel}${contact}${o.statement.origin ? ` · from ${o.statement.origin}` : ""}`);
    for (const a of o.statement.attachments) out(`    + ${attachmentLine(a)}`);
  }
  if (view.messages.length === 0) out("(no messages yet)");
  for (const m of view.messages) {
    const tx = m.txHash === null ? "" : ` · tx ${m.txHash}`;
    if (m.message === null) {
      out(`#${m.seq}  ${m.hash}  [${m.anchor}]${tx}`);
      out("    (erased)");
      continue;
    }
    const who = `${m.message.author} (${m.message.role}${m.message.action ? `, ${m.message.action}` : ""})`;
    out(`#${m.seq}  ${when(m.message.at)}  ${who}  [${m.anchor}]${tx}`);
    if (m.message.text !== "") for (const l of indented(m.message.text)) out(l);
    if (m.message.article !== null) out(`    article: ${m.message.article}`);
    for (const a of m.message.attachments) out(`    + ${attachmentLine(a)}`);
  }
  if (view.rating !== null) {
    out(
      `rating: ${"★".repeat(view.rating.stars)}${"☆".repeat(5 - view.rating.stars)} ${view.rating.comment ?? ""}`.trimEnd(),
    );
  }
}

function parseClaimId(text: string | undefined): bigint {
  if (text === undefined || !/^\d+$/.test(text)) throw new UsageError("<claimId> must be a whole number");
  return BigInt(text);
}

async function verifyFile(ctx: CaseCtx, file: string | undefined, values: Values) {
  if (file === undefined) throw new UsageError("usage: station case verify <bundle.json> [--rpc <url>]");
  const rpc = str(values, "rpc") ?? ctx.env.RPC_URL;
  if (rpc === undefined) throw new UsageError("case verify reads the chain: give --rpc <url> or set RPC_URL");
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
  ctx.out(`case #${bundle.claimId} · chain ${bundle.chainId} · pool ${bundle.pool}`);
  ctx.out(`opening    ${bundle.opening.hash}  ${report.opening}`);
  for (const m of report.messages) {
    ctx.out(`message ${m.seq}  ${m.hash}  ${m.state}${m.signedBy === null ? "" : `  (signed for ${m.signedBy})`}`);
  }
  ctx.out(`rating     ${report.rating}`);
  if (!report.ok) {
    throw new UserError(`${file} does not verify:\n${report.problems.map((p) => `  - ${p}`).join("\n")}`);
  }
  ctx.out("verified: the transcript is the one the chain sealed");
}

/** `station case show|reply|export|verify …` */
export async function caseCommand(ctx: CaseCtx, positionals: string[], values: Values): Promise<void> {
  const [sub, arg] = positionals;
  if (sub === "verify") return verifyFile(ctx, arg, values);
  if (sub !== "show" && sub !== "reply" && sub !== "export") throw new UsageError(CASE_USAGE);
  const claimId = parseClaimId(arg);
  const config = await ctx.config();
  const session = await caseSession(config, await ctx.account());
  if (sub === "show") {
    const view = await readCase(session, claimId);
    if (values.json) ctx.out(JSON.stringify(view, null, 2));
    else printCase(ctx.out, view);
  } else if (sub === "reply") {
    const text = str(values, "text") ?? "";
    const { refs, files } = references(values);
    if (text.trim() === "" && refs.length + files.length === 0) {
      throw new UsageError("case reply needs --text <text> (or an attachment)");
    }
    const attachments = [...(await uploadAll(session, files)), ...refs];
    const posted = await postMessage(session, claimId, { action: null, text, attachments, textOption: "--text" });
    ctx.out(`message #${posted.seq} posted to case #${claimId} (${posted.hash})`);
  } else {
    const bundle = await request<CaseBundle>(session, "GET", `/v1/cases/${claimId}/export`);
    const json = JSON.stringify(bundle, null, 2);
    const out = str(values, "out");
    if (out === undefined) ctx.out(json);
    else {
      await writeFile(out, `${json}\n`);
      ctx.out(
        `case #${claimId} exported to ${out} (${bundle.messages.length} messages); check it: station case verify ${out}`,
      );
    }
  }
}
