/**
 * The claim read's own lane: GET /v1/claims/{id} answered straight from Node's request, in front
 * of the router. Every claimant's open page polls this route, so it is the station's busiest; through
 * the router a read that memory answers spent most of its CPU on the framework — a Fetch request and
 * response built from Node's, thirteen security headers validated one by one, the parameters checked
 * by a schema, four middleware layers (docs/operations.md, "Where a claim read's CPU goes").
 *
 * The lane answers only the plain case: a well-formed id, no query or only `?lang=` with a plain
 * value, and a claim the indexer holds. When the claim cache holds the claim and the indexer's head
 * cache the head (`IndexerReader.clockAt`), it answers at once, without a promise on the way;
 * otherwise it awaits the same reads the router makes. It sends what the router would: the same body (the same
 * `claimView`, or for a settled claim its answer the claim cache rendered from it, ./answer.ts),
 * the same headers — the security headers are taken once from the app's own middleware
 * (`securityHeaderPairs`), the request id and the language are decided by the same rules — and the
 * same access-log line. Everything else (a malformed id, other query parameters, HEAD, an unknown
 * claim, an indexer that fails) goes to the router, which answers it with its usual errors.
 * test/service/ClaimLane.ts holds the two answers equal.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

import type { AppDeps } from "../deps.js";
import { REQUEST_ID_HEADER, isCallerRequestId, logRequest } from "../http/hygiene.js";
import { CachedIndexerReader, claimExists, type CachedClaim } from "./cache.js";
import { negotiateLanguage } from "./i18n.js";
import { claimBody, type HeldClaim } from "./answer.js";
import { trackingPolicy } from "./view.js";
import type { ChainHead } from "../indexer/reader.js";

/** A Node request listener, as `node:http` calls it. */
export type NodeListener = (req: IncomingMessage, res: ServerResponse) => void;

const MAX_UINT256 = (1n << 256n) - 1n;
/** The id as ClaimIdParam takes it, and at most a `lang` of plain characters (LangQuery: 1–35). */
const CLAIM_READ = /^\/v1\/claims\/(0|[1-9][0-9]{0,77})(?:\?lang=([A-Za-z0-9-]{1,35}))?$/;

export type ClaimLaneDeps = Pick<AppDeps, "indexer" | "log" | "now"> & {
  config: Pick<AppDeps["config"], "finalityConfirmations" | "slaAtRiskFraction">;
  /** The headers every response carries (the app's security headers), as [name, value] pairs. */
  securityHeaders: ReadonlyArray<readonly [string, string]>;
};

/**
 * Wraps `router` (the app's listener) with the claim read's lane. The lane never answers with an
 * error: whatever it cannot answer with a claim goes to `router` untouched (a GET has no body to
 * consume, so handing it on later loses nothing).
 */
export function withClaimLane(router: NodeListener, deps: ClaimLaneDeps): NodeListener {
  const policy = trackingPolicy(deps.config);
  const { indexer } = deps;
  const cache = indexer instanceof CachedIndexerReader ? indexer : undefined;
  const answered =
    cache !== undefined
      ? (id: bigint) => cache.answered(id)
      : async (id: bigint): Promise<CachedClaim> => ({
          found: await indexer.timeline(id),
          answer: undefined,
          passing: true,
        });
  const fixed: string[] = [];
  for (const [name, value] of deps.securityHeaders) fixed.push(name, value);
  fixed.push("Vary", "Accept-Language", "Content-Type", "application/json");

  const failed = (req: IncomingMessage, res: ServerResponse, err: unknown) => {
    deps.log.error("claim lane failed", { error: String(err), stack: (err as Error).stack });
    if (!res.headersSent) router(req, res);
    else res.destroy();
  };

  /** Writes a held claim's answer and its access-log line; a failure goes to `failed`. */
  const send = (req: IncomingMessage, res: ServerResponse, id: bigint, lang: string | undefined, read: Read) => {
    try {
      const { held, head, now } = read;
      const chosen = negotiateLanguage(lang, header(req, "accept-language"));
      // The answer the claim cache holds filled in, or rendered again for the next read (./answer.ts).
      // Sent as bytes: Node would otherwise join the headers and the body into one string and
      // copy it whole (two bytes a character once a text holds one past Latin-1, as the
      // timeline's do), on top of the copy that measuring its length makes (docs/operations.md,
      // "What a read allocates").
      const body = Buffer.from(claimBody(held, head, now, policy, chosen, held.passing !== true));
      const given = header(req, "x-request-id");
      const requestId = given !== undefined && isCallerRequestId(given) ? given : randomUUID();
      res.writeHead(200, [
        REQUEST_ID_HEADER,
        requestId,
        ...fixed,
        "Content-Language",
        chosen,
        "Content-Length",
        String(body.length),
      ]);
      res.end(body);
      logRequest(deps.log, "GET", `/v1/claims/${id}`, 200, read.started, requestId);
    } catch (err) {
      failed(req, res, err);
    }
  };

  /** What the claim's answer is made from; undefined for a claim the indexer does not hold (the router's 404). */
  const readOf = (held: CachedClaim, head: ChainHead, now: bigint, started: number): Read | undefined =>
    claimExists(held) ? { held: held as Read["held"], head, now, started } : undefined;

  /**
   * The read from memory, without a promise, when the head is at hand (the indexer's head cache
   * holds it) and the claim cache holds the claim ("unknown": held as not existing); undefined,
   * having asked nothing, otherwise.
   */
  const readNow = (id: bigint, started: number): Read | "unknown" | undefined => {
    if (cache === undefined) return undefined;
    const clock = indexer.clockAt?.(deps.now());
    if (clock === undefined) return undefined;
    const held = cache.answeredNow(id);
    if (held === undefined) return undefined;
    return readOf(held, clock.head, clock.now, started) ?? "unknown";
  };

  /** The read through the indexer's promises; undefined when the router is to answer. */
  const read = async (id: bigint, started: number): Promise<Read | undefined> => {
    let got;
    try {
      got = await Promise.all([answered(id), indexer.head(), indexer.chainNow(deps.now())]);
    } catch {
      return undefined; // the router asks again and answers 503 (and logs why)
    }
    return readOf(...got, started);
  };

  return (req, res) => {
    const match = req.method === "GET" && req.url !== undefined ? CLAIM_READ.exec(req.url) : null;
    const id = match?.[1] === undefined ? undefined : BigInt(match[1]);
    if (match === null || id === undefined || id > MAX_UINT256) return router(req, res);
    const started = performance.now();
    try {
      const fromMemory = readNow(id, started);
      if (fromMemory === "unknown") return router(req, res);
      if (fromMemory !== undefined) return send(req, res, id, match[2], fromMemory);
    } catch (err) {
      return failed(req, res, err);
    }
    read(id, started).then(
      (later) => (later === undefined ? router(req, res) : send(req, res, id, match[2], later)),
      (err: unknown) => failed(req, res, err),
    );
  };
}

/** What a claim's answer is made from: the claim as held, the head and the chain's time, and when the request began. */
type Read = { held: HeldClaim & CachedClaim; head: ChainHead; now: bigint; started: number };

/** A request header as the Fetch API gives it: repeated values joined with ", ". */
function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}
