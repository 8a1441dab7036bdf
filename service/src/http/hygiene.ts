/**
 * Request hygiene for every route: request ids (echoed in `X-Request-Id` and in error bodies), an
 * access log line per request, body limits, security headers with a content security policy, and
 * a fixed-window rate limiter for unauthenticated POSTs.
 */
import { getConnInfo } from "@hono/node-server/conninfo";
import { Hono, type Context, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";

import { errorBody } from "./errors.js";
import type { Logger } from "./router.js";

export const REQUEST_ID_HEADER = "X-Request-Id";
const REQUEST_ID_MAX_LENGTH = 128;

/** Whether a caller's `X-Request-Id` is kept (Hono's rule: 1–128 characters of [A-Za-z0-9_=-]); else a UUID is given. */
export function isCallerRequestId(value: string): boolean {
  return value.length > 0 && value.length <= REQUEST_ID_MAX_LENGTH && !/[^\w\-=]/.test(value);
}

/**
 * Gives each request an id (the caller's `X-Request-Id` when it is a short token, else a UUID),
 * sends it back in `X-Request-Id`, and adds it to every error body (`error.requestId`) so a user
 * reporting an error hands over the key to the log line.
 */
export function requestIds(): MiddlewareHandler {
  const assign = requestId({ headerName: REQUEST_ID_HEADER, limitLength: REQUEST_ID_MAX_LENGTH });
  return async (c, next) =>
    assign(c, async () => {
      await next();
      if (c.res.status < 400 || !(c.res.headers.get("content-type") ?? "").startsWith("application/json")) return;
      const body: unknown = await c.res
        .clone()
        .json()
        .catch(() => undefined);
      if (typeof body !== "object" || body === null || !("error" in body)) return;
      const { error } = body;
      if (typeof error !== "object" || error === null) return;
      const headers = new Headers(c.res.headers);
      headers.delete("content-length");
      c.res = new Response(JSON.stringify({ ...body, error: { ...error, requestId: c.var.requestId } }), {
        status: c.res.status,
        headers,
      });
    });
}

/**
 * One log line per request: method, path (never the query string, which may carry tokens),
 * status, duration and request id.
 */
export function accessLog(log: Logger): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();
    logRequest(log, c.req.method, c.req.path, c.res.status, started, c.get("requestId"));
  };
}

/**
 * The access-log line: one per answered request, with its duration since `started`
 * (`performance.now()`) to a tenth of a millisecond. The claim read's lane (claims/lane.ts) writes
 * its lines with this too, so the two cannot drift apart.
 */
export function logRequest(
  log: Logger,
  method: string,
  path: string,
  status: number,
  started: number,
  requestId: string,
): void {
  log.info("request", { method, path, status, ms: Math.round((performance.now() - started) * 10) / 10, requestId });
}

/**
 * Bodies above `maxBytes` are refused with 413 in the error shape before any handler reads them.
 * GET and HEAD requests carry no body (a Fetch API request of those methods cannot have one), so
 * they pass without a look: asking for the body would build the full Fetch request from Node's,
 * which the server adapter otherwise never does for a read.
 */
export function limitBody(maxBytes: number): MiddlewareHandler {
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: (c) =>
      c.json(errorBody("payload_too_large", `request body larger than ${maxBytes} bytes`, { maxBytes }), 413),
  });
  return (c, next) => (c.req.method === "GET" || c.req.method === "HEAD" ? next() : limit(c, next));
}

/** Request body limits per route class. */
export const BODY_LIMITS = {
  /** Unauthenticated JSON (sign-in, the relayer): a SIWE message or a signed claim request. */
  public: 16 * 1024,
  /** A case attachment (common/case.ts LIMITS.attachmentBytes), raw bytes. */
  attachment: 2 * 1024 * 1024,
  /** An incident round's CSV (100,000 rows of address and amount with 18 decimals fit). */
  roundCsv: 16 * 1024 * 1024,
  /** Everything else (webhook subscriptions, alerts, case messages). */
  default: 64 * 1024,
} as const;

/**
 * Security headers on every response, and a content security policy that allows scripts only
 * from the station itself (no inline script); the page's chain reads go to `rpcUrl`.
 * `/embed.js` is loaded by other sites, so it may be read cross-origin.
 */
export function securityHeaders({ rpcUrl }: { rpcUrl: string }): MiddlewareHandler {
  const rpcOrigin = new URL(rpcUrl).origin;
  const options = {
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      // Printable cards carry their own <style>; style attributes cannot run code.
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", "data:"],
      connectSrc: ["'self'", rpcOrigin],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'self'"],
    },
    // Wallet extensions and connectors may open pop-ups that talk back to the page.
    crossOriginOpenerPolicy: "same-origin-allow-popups",
  } satisfies Parameters<typeof secureHeaders>[0];
  const local = secureHeaders(options);
  const shared = secureHeaders({ ...options, crossOriginResourcePolicy: "cross-origin" });
  return (c, next) => (c.req.path === "/embed.js" ? shared(c, next) : local(c, next));
}

/**
 * The security headers `securityHeaders` gives a response on `path`, as [name, value] pairs: the
 * middleware itself run once on an empty response (the claim read's lane sends these).
 */
export async function securityHeaderPairs(config: { rpcUrl: string }, path = "/"): Promise<Array<[string, string]>> {
  const probe = new Hono();
  probe.use("*", securityHeaders(config));
  probe.all("*", (c) => c.body(null, 204));
  const res = await probe.request(path);
  const pairs: Array<[string, string]> = [];
  res.headers.forEach((value, name) => pairs.push([name, value]));
  return pairs;
}

/** The address of the connected client; in-process requests (tests) have none and share one key. */
export function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown";
  }
}

/**
 * Counts hits per key in fixed windows of `windowMs`. Bounded: when `maxKeys` keys are held, the
 * expired windows go first, then everything.
 */
export class FixedWindowLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 10_000,
  ) {}

  /** Counts one hit; when over the limit, says how many seconds until the window ends. */
  hit(key: string): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
    const t = this.now();
    let window = this.windows.get(key);
    if (window === undefined || t - window.start >= this.windowMs) {
      if (window === undefined && this.windows.size >= this.maxKeys) this.evict(t);
      window = { start: t, count: 0 };
      this.windows.set(key, window);
    }
    window.count += 1;
    if (window.count <= this.limit) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((window.start + this.windowMs - t) / 1000)) };
  }

  private evict(t: number): void {
    for (const [k, w] of this.windows) if (t - w.start >= this.windowMs) this.windows.delete(k);
    if (this.windows.size >= this.maxKeys) this.windows.clear();
  }
}

/** Refuses a client over its limit with 429, `Retry-After` and the error shape. */
export function rateLimit(limiter: FixedWindowLimiter, key: (c: Context) => string = clientAddress): MiddlewareHandler {
  return async (c, next) => {
    const verdict = limiter.hit(key(c));
    if (!verdict.allowed) {
      c.header("Retry-After", String(verdict.retryAfterSeconds));
      return c.json(
        errorBody("rate_limited", `too many requests; try again in ${verdict.retryAfterSeconds} s`, {
          limit: limiter.limit,
          windowSeconds: limiter.windowMs / 1000,
        }),
        429,
      );
    }
    await next();
  };
}
