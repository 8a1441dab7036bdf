/**
 * One webhook POST to a checked receiver (url.ts), connecting only to the addresses that were
 * checked: the request carries a `lookup` that answers with them instead of asking DNS again, so
 * a name rebound to an internal address after the check is never reached. The URL's host name
 * still names the server everywhere else — the Host header, TLS SNI and the certificate check.
 * Redirects are not followed (a 3xx is a failed attempt).
 */
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";

import type { CheckedTarget, ResolvedAddress } from "./url.js";

/** How much of a receiver's answer is kept for the delivery log. */
const SNIPPET_BYTES = 4096;

/** A `lookup` for net.connect that answers `host` with `addresses` only. */
export function pinnedLookup(host: string, addresses: ResolvedAddress[]): LookupFunction {
  return (hostname, options, callback) => {
    const wanted = options.family === 4 || options.family === 6 ? options.family : undefined;
    const usable = addresses.filter((a) => wanted === undefined || a.family === wanted);
    const first = usable[0];
    if (hostname !== host || first === undefined) {
      const error = Object.assign(new Error(`no checked address for ${hostname}`), { code: "ENOTFOUND" });
      callback(error, "", 4);
      return;
    }
    if (options.all === true) callback(null, usable);
    else callback(null, first.address, first.family);
  };
}

export type PostAgents = { http: http.Agent; https: https.Agent; destroy(): void };

/** Keep-alive connection pools for one sender. */
export function postAgents(): PostAgents {
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  return {
    ...agents,
    destroy() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

export type PostResult = { status: number; snippet: string };

/** POSTs `body` to the checked target; resolves with the status and the start of the answer. */
export function postToTarget(
  target: CheckedTarget,
  headers: Record<string, string>,
  body: string,
  options: { timeoutMs: number; agents?: PostAgents },
): Promise<PostResult> {
  const { url } = target;
  const secure = url.protocol === "https:";
  const payload = Buffer.from(body, "utf8");
  return new Promise((resolve, reject) => {
    const req = (secure ? https : http).request({
      method: "POST",
      protocol: url.protocol,
      host: target.host,
      port: url.port === "" ? undefined : Number(url.port),
      path: `${url.pathname}${url.search}`,
      headers: { ...headers, "content-length": String(payload.length) },
      lookup: pinnedLookup(target.host, target.addresses),
      agent: secure ? options.agents?.https : options.agents?.http,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    req.once("error", reject);
    req.once("response", (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let settled = false;
      const finish = () => {
        if (settled) return;
        settled = true;
        const snippet = Buffer.concat(chunks).toString("utf8");
        resolve({ status: res.statusCode ?? 0, snippet });
      };
      res.on("data", (chunk: Buffer) => {
        if (size >= SNIPPET_BYTES) return;
        chunks.push(chunk);
        size += chunk.length;
        // Enough for the log: stop reading (the connection is not reused).
        if (size >= SNIPPET_BYTES) {
          finish();
          res.destroy();
        }
      });
      res.once("end", finish);
      // A receiver that drops the connection after answering still answered.
      res.once("error", finish);
      res.once("close", finish);
    });
    req.end(payload);
  });
}
