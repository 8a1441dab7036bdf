/**
 * Webhook signatures, both sides.
 *
 * Every delivery carries `ES-Signature: t=<unix seconds>,v1=<hex>` where
 * `v1 = HMAC-SHA256(key = the subscription secret as UTF-8, message = "<t>.<raw body>")`.
 * A receiver recomputes the HMAC over the raw request body (the exact bytes, before any JSON
 * parsing), compares in constant time and rejects timestamps outside its tolerance (replays).
 * Several `v1=` entries may appear: while a secret rotates, each delivery is signed with the new
 * secret and with the previous one, so a receiver holding either verifies. A receiver may also
 * pass both secrets (new first) while it switches over itself. Any match is accepted.
 *
 * This file has no dependency besides node:crypto so that receivers can copy it as is.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "ES-Signature";

/** The hex HMAC-SHA256 of `${timestamp}.${body}` under `secret`. */
export function computeSignature(secret: string, timestamp: number, body: string | Uint8Array): string {
  const mac = createHmac("sha256", secret);
  mac.update(`${timestamp}.`);
  mac.update(body);
  return mac.digest("hex");
}

/** The `ES-Signature` header value for `body` signed at `timestamp` (unix seconds), one `v1=` per secret. */
export function signatureHeader(
  secret: string | readonly string[],
  timestamp: number,
  body: string | Uint8Array,
): string {
  const secrets = typeof secret === "string" ? [secret] : secret;
  return [`t=${timestamp}`, ...secrets.map((s) => `v1=${computeSignature(s, timestamp, body)}`)].join(",");
}

/**
 * True when `header` (the `ES-Signature` value) is a valid signature of `body` (the raw request
 * body) under `secret` (or under any of several secrets), made no more than `toleranceSeconds`
 * away from now.
 */
export function verifyWebhookSignature(
  secret: string | readonly string[],
  header: string | null | undefined,
  body: string | Uint8Array,
  toleranceSeconds = 300,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): boolean {
  if (typeof header !== "string" || header.length > 4096) return false;
  let timestamp: number | undefined;
  const candidates: string[] = [];
  for (const part of header.split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) return false;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === "t") {
      if (!/^\d{1,12}$/.test(value)) return false;
      timestamp = Number(value);
    } else if (key === "v1" && /^[0-9a-f]{64}$/.test(value)) {
      candidates.push(value);
    }
  }
  if (timestamp === undefined || candidates.length === 0) return false;
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const secrets = typeof secret === "string" ? [secret] : secret;
  return secrets.some((s) => {
    const expected = Buffer.from(computeSignature(s, timestamp, body), "hex");
    return candidates.some((c) => timingSafeEqual(expected, Buffer.from(c, "hex")));
  });
}
