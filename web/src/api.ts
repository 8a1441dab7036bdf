/**
 * The service's HTTP API as the page calls it, through the service's typed client
 * (`service/src/client.ts`: Hono's RPC client on the app's exported type). Paths, parameters and
 * response bodies are the routes' own types, imported type-only (the bundle holds `hono/client`
 * and nothing else of the service): `npm run typecheck` fails when a route's shape changes under
 * the page.
 */
import type { InferRequestType, InferResponseType } from "hono/client";
import { type Address, type Hex, getAddress, isHex } from "viem";

import {
  CASE_ROLES,
  type CaseMessage,
  type CaseRating,
  type CaseRole,
  type FileRef,
  type OpeningStatement,
  messageHash,
  normalizeMessage,
  normalizeOpening,
  openingHash,
} from "../../common/case.js";
import { CLAIM_STATUSES } from "../../common/claims.js";

import { createClient } from "../../service/src/client.js";
import type { AlertListResponse } from "../../service/src/alerts/routes.js";
import type { AccountClaimsResponse, ClaimResponse } from "../../service/src/claims/routes.js";
import type { DeskAssignment, DeskMe } from "../../service/src/desk/routes.js";
import type { HelpInsightsResponse, HelpSearchResponse } from "../../service/src/help/routes.js";
import type { QueueResponse } from "../../service/src/queue/routes.js";
import type { RelayResponse } from "../../service/src/relayer/routes.js";
import type {
  EligibleRoundsResponse,
  RoundDraftProgressResponse,
  RoundDraftResponse,
  RoundResponse,
} from "../../service/src/rounds/routes.js";
import type { StatsResponse } from "../../service/src/stats/routes.js";
import type { Language } from "../../service/src/claims/i18n.js";

export type {
  AccountClaimsResponse,
  EligibleRoundsResponse,
  RoundDraftProgressResponse,
  RoundDraftResponse,
  RoundResponse,
  AlertListResponse,
  ClaimResponse,
  DeskAssignment,
  DeskMe,
  HelpInsightsResponse,
  HelpSearchResponse,
  Language,
  RelayResponse,
  StatsResponse,
};
export type ClaimStage = ClaimResponse["timeline"][number];
export type ClaimSummary = AccountClaimsResponse["items"][number];
export type SlaState = NonNullable<ClaimStage["state"]>;
export type ClaimStatus = ClaimResponse["status"];
export type ClaimKind = ClaimResponse["kind"];

/** A failed call: `status` 0 when the service did not answer at all. */
export class ServiceError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The error's `details`, when the service gave any (a 409 `stale_prev` names the expected `next`). */
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "ServiceError";
  }

  /** The service is down or cannot read the chain's index right now (worth a fallback). */
  get unavailable(): boolean {
    return this.status === 0 || this.status === 502 || this.status === 503 || this.status === 504;
  }
}

/** The service's typed client: requests and responses are the routes' own types (no casts). */
const client = createClient(globalThis.location?.origin ?? "http://localhost");

/** Sends a request; a network failure becomes a ServiceError with status 0. */
async function send<R>(request: () => Promise<R>): Promise<R> {
  try {
    return await request();
  } catch {
    throw new ServiceError(0, "unreachable", "the station's service does not answer");
  }
}

const text = (value: unknown, key: string): string | undefined => {
  if (typeof value !== "object" || value === null || !(key in value)) return undefined;
  const field: unknown = (value as Record<string, unknown>)[key];
  return typeof field === "string" ? field : undefined;
};

/** The ServiceError for a response that is not a success, from the service's error shape when it has one. */
async function failure(response: { status: number; json(): Promise<unknown> }): Promise<ServiceError> {
  const body = await response.json().catch(() => undefined);
  const error: unknown = typeof body === "object" && body !== null && "error" in body ? body.error : undefined;
  return new ServiceError(
    response.status,
    text(error, "code") ?? "http_error",
    text(error, "message") ?? `HTTP ${response.status}`,
    typeof error === "object" && error !== null && "details" in error ? error.details : undefined,
  );
}

/** The session token as the service's private routes take it. */
const bearer = (token: string) => ({ headers: { Authorization: `Bearer ${token}` } });

export type RelayRequest = InferRequestType<typeof client.v1.relay.claims.$post>["json"];

export const service = {
  config: async () => {
    const res = await send(() => client["station-config.json"].$get());
    if (res.ok) return res.json();
    throw await failure(res);
  },
  claim: async (id: bigint, lang: Language) => {
    const res = await send(() => client.v1.claims[":id"].$get({ param: { id: id.toString() }, query: { lang } }));
    if (res.status === 200) return res.json();
    throw await failure(res);
  },
  accountClaims: async (address: string, lang: Language, cursor?: string) => {
    const res = await send(() =>
      client.v1.accounts[":address"].claims.$get({ param: { address }, query: { lang, limit: "10", cursor } }),
    );
    if (res.status === 200) return res.json();
    throw await failure(res);
  },
  alerts: async (lang: Language) => {
    const res = await send(() => client.v1.alerts.$get({ query: { lang }, header: {} }));
    if (res.status === 200) return res.json();
    throw await failure(res);
  },
  help: async (query: string, lang: Language) => {
    const res = await send(() => client.v1.help.$get({ query: { q: query, lang, limit: "5" } }));
    if (res.status === 200) return res.json();
    throw await failure(res);
  },
  /** "Did this solve it?" for one article, in the language it was read in (429: this client answered already). */
  helpFeedback: async (slug: string, solved: boolean, lang: Language) => {
    const res = await send(() =>
      client.v1.help[":slug"].feedback.$post({ param: { slug }, query: { lang }, json: { solved, lang } }),
    );
    if (res.status === 201) return res.json();
    throw await failure(res);
  },
  verifyAddress: async (address: string) => {
    const res = await send(() => client.v1.verify[":address"].$get({ param: { address } }));
    if (res.status === 200) return res.json();
    throw await failure(res);
  },
  verifyMessage: async (body: { message: string; signature: string; address?: string }) => {
    const res = await send(() => client.v1.verify.message.$post({ json: body }));
    if (res.status === 200) return res.json();
    throw await failure(res);
  },
  statsAssessors: async () => {
    const res = await send(() => client.v1.stats.assessors.$get());
    if (res.status === 200) return res.json();
    throw await failure(res);
  },
  statsReplies: async () => {
    const res = await send(() => client.v1.stats.replies.$get());
    if (res.status === 200) return res.json();
    throw await failure(res);
  },
  stats: async () => {
    const res = await send(() => client.v1.stats.$get());
    if (res.status === 200) return res.json();
    throw await failure(res);
  },
  relay: async (body: RelayRequest) => {
    const res = await send(() => client.v1.relay.claims.$post({ json: body }));
    if (res.status === 200) return res.json();
    throw await failure(res);
  },
  /** A single-use nonce for a Sign-In with Ethereum message. */
  nonce: async () => {
    const res = await send(() => client.v1.auth.nonce.$post());
    if (res.status === 200) return res.json();
    throw await failure(res);
  },
  /** Opens a session from a signed SIWE message: the bearer token for the private routes. */
  signIn: async (message: string, signature: Hex) => {
    const res = await send(() => client.v1.auth.verify.$post({ json: { message, signature } }));
    if (res.status === 200) return res.json();
    throw await failure(res);
  },
  signOut: async (token: string) => {
    const res = await send(() => client.v1.auth.logout.$post({}, bearer(token)));
    if (res.status !== 204) throw await failure(res);
  },
};

// ─────────────────────────────────────────────── the case conversation (a session's bearer token)

/** A case as the route answers it: records as plain objects, checked by `parseCaseView`. */
export type CaseResponse = InferResponseType<(typeof client.v1.cases)[":claimId"]["$get"], 200>;
type CaseMessageResponse = CaseResponse["messages"][number];

/** A record's anchor state as the service words it (or "mismatch" when the page's own hash check fails). */
export type CaseAnchor = CaseMessageResponse["anchor"];
export type CaseMessageItem = Omit<CaseMessageResponse, "message" | "hash"> & {
  hash: Hex;
  message: CaseMessage | null;
};
export type CaseView = Omit<CaseResponse, "status" | "viewer" | "opening" | "messages" | "next"> & {
  status: ClaimStatus;
  viewer: { address: Address; role: CaseRole };
  opening: Omit<CaseResponse["opening"], "statement" | "hash"> & { hash: Hex; statement: OpeningStatement | null };
  messages: CaseMessageItem[];
  next: { seq: number; prev: Hex };
};

const isOneOf = <T extends string>(list: readonly T[], value: string): value is T =>
  (list as readonly string[]).includes(value);
const hex32 = (value: string): Hex => {
  if (!isHex(value, { strict: true }) || value.length !== 66) throw new Error(`not a hash: ${value}`);
  return value.toLowerCase() as Hex;
};

/**
 * A message as the page shows it: the record checked and hashed here too, so one edited on the
 * way (or in the store) shows as a mismatch whatever the service says.
 */
export function parseMessageItem(item: Omit<CaseMessageResponse, "message"> & { message: unknown }): CaseMessageItem {
  const hash = hex32(item.hash);
  if (item.message === null) return { ...item, hash, message: null };
  try {
    const message = normalizeMessage(item.message);
    return { ...item, hash, message, anchor: messageHash(message) === hash ? item.anchor : "mismatch" };
  } catch {
    return { ...item, hash, message: null, anchor: "mismatch" };
  }
}

const ANCHORS: readonly CaseAnchor[] = ["matches the chain", "not anchored", "mismatch", "erased"];

/** A `message` event of the case's stream (one `messages[]` item as JSON), checked like the view's. */
export function parseStreamedMessage(data: string): CaseMessageItem {
  const o: unknown = JSON.parse(data);
  if (typeof o !== "object" || o === null) throw new Error("not a message event");
  const { seq, hash, message, signature, erased, anchor, txHash, agent } = o as Record<string, unknown>;
  if (typeof seq !== "number" || typeof hash !== "string" || typeof signature !== "string") {
    throw new Error("not a message event");
  }
  if (typeof anchor !== "string" || !isOneOf(ANCHORS, anchor)) throw new Error("not a message event");
  return parseMessageItem({
    seq,
    hash,
    signature,
    anchor,
    erased: erased === true,
    txHash: typeof txHash === "string" ? txHash : null,
    agent: parseAgent(agent),
    message: message ?? null,
  });
}

const STANDINGS = ["verified", "no longer staff", "unchecked"] as const;
const STAFF_ROLES = ["assessor", "guardian", "admin"] as const;

/** A staff message's badge as streamed; anything else is no badge. */
function parseAgent(agent: unknown): CaseMessageItem["agent"] {
  if (typeof agent !== "object" || agent === null) return null;
  const { standing, roles } = agent as Record<string, unknown>;
  if (typeof standing !== "string" || !isOneOf(STANDINGS, standing) || !Array.isArray(roles)) return null;
  return { standing, roles: roles.filter((r): r is (typeof STAFF_ROLES)[number] => isOneOf(STAFF_ROLES, r)) };
}

/** The route's answer checked: statuses and roles from the shared vocabulary, records normalized and re-hashed. */
export function parseCaseView(body: CaseResponse): CaseView {
  const { status, viewer, opening, messages, next } = body;
  if (!isOneOf(CLAIM_STATUSES, status)) throw new ServiceError(502, "bad_answer", `unknown claim status ${status}`);
  if (!isOneOf(CASE_ROLES, viewer.role)) throw new ServiceError(502, "bad_answer", `unknown role ${viewer.role}`);
  const openingHashed = hex32(opening.hash);
  let statement: OpeningStatement | null = null;
  let anchor = opening.anchor;
  if (opening.statement !== null) {
    try {
      statement = normalizeOpening(opening.statement);
      if (openingHash(statement) !== openingHashed) anchor = "mismatch";
    } catch {
      anchor = "mismatch";
    }
  }
  return {
    ...body,
    status,
    viewer: { address: getAddress(viewer.address), role: viewer.role },
    opening: { ...opening, hash: openingHashed, statement, anchor },
    messages: messages.map(parseMessageItem),
    next: { seq: next.seq, prev: hex32(next.prev) },
  };
}

const param = (claimId: bigint | string) => ({ param: { claimId: String(claimId) } });

export const cases = {
  /** Uploads a file (≤ 2 MiB; the service sniffs its type): its commitment for a record's attachments. */
  upload: async (token: string, file: Blob, name: string): Promise<FileRef> => {
    const res = await send(() =>
      client.v1.cases.attachments.$post({ query: { name } }, { ...bearer(token), init: { body: file } }),
    );
    if (res.status !== 201) throw await failure(res);
    const { ref } = await res.json();
    const { sha256, type, size } = ref;
    if (ref.kind !== "file" || typeof sha256 !== "string" || typeof type !== "string" || typeof size !== "number") {
      throw new ServiceError(502, "bad_answer", "the upload's reference is not a file's");
    }
    return { kind: "file", sha256: hex32(sha256), type, size, name: typeof ref.name === "string" ? ref.name : name };
  },
  /** Stores the opening statement (before the claim is sent: its hash is the claim's evidenceHash). */
  open: async (token: string, statement: OpeningStatement, contact?: string) => {
    const res = await send(() =>
      client.v1.cases.openings.$post({ json: contact ? { statement, contact } : { statement } }, bearer(token)),
    );
    if (res.status === 201 || res.status === 200) return res.json();
    throw await failure(res);
  },
  view: async (token: string, claimId: bigint | string): Promise<CaseView> => {
    const res = await send(() => client.v1.cases[":claimId"].$get(param(claimId), bearer(token)));
    if (res.status === 200) return parseCaseView(await res.json());
    throw await failure(res);
  },
  post: async (token: string, claimId: bigint | string, message: CaseMessage, signature: Hex) => {
    const res = await send(() =>
      client.v1.cases[":claimId"].messages.$post({ ...param(claimId), json: { message, signature } }, bearer(token)),
    );
    if (res.status === 201) return res.json();
    throw await failure(res);
  },
  rate: async (token: string, claimId: bigint | string, rating: CaseRating, signature: Hex) => {
    const res = await send(() =>
      client.v1.cases[":claimId"].rating.$post({ ...param(claimId), json: { rating, signature } }, bearer(token)),
    );
    if (res.status === 201) return res.json();
    throw await failure(res);
  },
  erase: async (token: string, claimId: bigint | string) => {
    const res = await send(() => client.v1.cases[":claimId"].erase.$post(param(claimId), bearer(token)));
    if (res.status === 200) return res.json();
    throw await failure(res);
  },
  /** The transcript bundle (CaseBundle JSON), as a file to save. */
  export: async (token: string, claimId: bigint | string): Promise<Blob> => {
    const res = await send(() => client.v1.cases[":claimId"].export.$get(param(claimId), bearer(token)));
    if (res.status === 200) return res.blob();
    throw await failure(res);
  },
  attachment: async (token: string, claimId: bigint | string, sha256: Hex): Promise<Blob> => {
    const res = await send(() =>
      client.v1.cases[":claimId"].attachments[":sha256"].$get(
        { param: { claimId: String(claimId), sha256 } },
        bearer(token),
      ),
    );
    if (res.status === 200) return res.blob();
    throw await failure(res);
  },
  /** The case's live stream (Server-Sent Events), open: its body is read with a stream reader. */
  stream: async (token: string, claimId: bigint | string, signal: AbortSignal): Promise<Response> => {
    const res = await send(() =>
      client.v1.cases[":claimId"].stream.$get(param(claimId), { ...bearer(token), init: { signal } }),
    );
    if (res.status === 200) return res;
    throw await failure(res);
  },
};

// ─────────────────────────────────────────────── the assessors' desk (staff sessions)

export type QueueItem = QueueResponse["items"][number];
export type AssessorRecord = InferResponseType<typeof client.v1.stats.assessors.$get, 200>["assessors"][number];
export type AlertPost = InferRequestType<typeof client.v1.alerts.$post>["json"];

const claimParam = (id: bigint | string) => ({ param: { id: String(id) } });
/** Claims per queue page (the service's largest). */
export const QUEUE_PAGE = 100;

export const desk = {
  /** The caller's staff roles on the pool (a ServiceError 403 for everyone else). */
  me: async (token: string): Promise<DeskMe> => {
    const res = await send(() => client.v1.desk.me.$get({}, bearer(token)));
    if (res.status === 200) return res.json();
    throw await failure(res);
  },
  /** Open claims by the deadline each waits on, nearest first (assessors). */
  queue: async (
    token: string,
    filter: { kind?: ClaimKind; tier?: string; breached?: "true" | "false" } = {},
    cursor?: string,
  ): Promise<QueueResponse> => {
    const query = { ...filter, limit: String(QUEUE_PAGE), ...(cursor === undefined ? {} : { cursor }) };
    const res = await send(() => client.v1.queue.$get({ query }, bearer(token)));
    if (res.status === 200) return res.json();
    throw await failure(res);
  },
  assignments: async (token: string): Promise<DeskAssignment[]> => {
    const res = await send(() => client.v1.desk.assignments.$get({}, bearer(token)));
    if (res.status === 200) return res.json();
    throw await failure(res);
  },
  take: async (token: string, claimId: bigint | string): Promise<DeskAssignment> => {
    const res = await send(() => client.v1.desk.claims[":id"].take.$post(claimParam(claimId), bearer(token)));
    if (res.status === 200 || res.status === 201) return res.json();
    throw await failure(res);
  },
  /** Takes a claim over from its holder, with the reason kept in the desk's record (409 `not_idle` while they are active). */
  takeOver: async (token: string, claimId: bigint | string, reason: string) => {
    const res = await send(() =>
      client.v1.desk.claims[":id"].takeover.$post({ ...claimParam(claimId), json: { reason } }, bearer(token)),
    );
    if (res.status === 200 || res.status === 201) return res.json();
    throw await failure(res);
  },
  release: async (token: string, claimId: bigint | string): Promise<DeskAssignment> => {
    const res = await send(() => client.v1.desk.claims[":id"].take.$delete(claimParam(claimId), bearer(token)));
    if (res.status === 200) return res.json();
    throw await failure(res);
  },
  /** Approved payouts still in their veto window (guardians). */
  payouts: async (token: string) => {
    const res = await send(() => client.v1.desk.payouts.$get({}, bearer(token)));
    if (res.status === 200) return res.json();
    throw await failure(res);
  },
  /** Every assessor's public record (the desk shows the reader's own). */
  records: async (): Promise<AssessorRecord[]> => {
    const res = await send(() => client.v1.stats.assessors.$get());
    if (res.status === 200) return (await res.json()).assessors;
    throw await failure(res);
  },
  /** What the help library learned: unanswered searches and "did this solve it?" per article (assessors). */
  helpInsights: async (token: string): Promise<HelpInsightsResponse> => {
    const res = await send(() => client.v1.help.insights.$get({ query: { limit: "20" } }, bearer(token)));
    if (res.status === 200) return res.json();
    throw await failure(res);
  },
  /** Posts a risk alert (operators: the assessor role). */
  alert: async (token: string, body: AlertPost) => {
    const res = await send(() => client.v1.alerts.$post({ json: body }, bearer(token)));
    if (res.status === 201) return res.json();
    throw await failure(res);
  },
};

// ─────────────────────────────────────────────── incident rounds (public reads; drafts for staff)

export const rounds = {
  /** Every published round `address` can still claim from, with its proof and whether it is claimed. */
  eligible: async (address: string) => {
    const res = await send(() => client.v1.rounds.eligible[":address"].$get({ param: { address } }));
    if (res.status === 200) return res.json();
    throw await failure(res);
  },
  /** Drafts a round from a CSV (staff): root, total and the refused rows. */
  draft: async (token: string, csv: Blob, unit: "C" | "wei") => {
    const res = await send(() =>
      client.v1.rounds.drafts.$post({ query: { unit } }, { ...bearer(token), init: { body: csv } }),
    );
    if (res.status === 201) return res.json();
    throw await failure(res);
  },
  /** Starts drafting a round in the service's background (staff): follow it with `progress`. */
  startDraft: async (token: string, csv: Blob, unit: "C" | "wei") => {
    const res = await send(() =>
      client.v1.rounds.drafts.$post(
        { query: { unit } },
        { headers: { ...bearer(token).headers, Prefer: "respond-async" }, init: { body: csv } },
      ),
    );
    if (res.status === 202) return res.json();
    throw await failure(res);
  },
  /** A draft's build: phase and progress, then its root and total, or why it failed. */
  progress: async (token: string, draftId: string) => {
    const res = await send(() => client.v1.rounds.drafts[":draftId"].$get({ param: { draftId } }, bearer(token)));
    if (res.status === 200) return res.json();
    throw await failure(res);
  },
  /** Publishes a draft once its round is open on-chain (409 `incident_not_indexed` until the indexer has it). */
  publish: async (token: string, draftId: string, incidentId: string) => {
    const res = await send(() =>
      client.v1.rounds.drafts[":draftId"].publish.$post({ param: { draftId }, json: { incidentId } }, bearer(token)),
    );
    if (res.status === 200) return res.json();
    throw await failure(res);
  },
};
