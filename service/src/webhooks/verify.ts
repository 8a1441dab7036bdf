/**
 * Webhook signatures, both sides.
 *
 * Every delivery carries `ES-Signature: t=<unix seconds>,v1=<hex>` where
 * `v1 = HMAC-SHA256(key = the subscription secret as UTF-8, message = "<t>.<raw body>")`.
 * A receiver recomputes the HMAC over the raw request body (the exact bytes, before any JSON
 * parsing), compares in constant time and rejects timestamps outside its tolerance (replays).
 * Several `v1=` entries may appear (secret rotation): any match is accepted.
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

/** The `ES-Signature` header value for `body` signed at `timestamp` (unix seconds). */
export function signatureHeader(secret: string, timestamp: number, body: string | Uint8Array): string {
  return `t=${timestamp},v1=${computeSignature(secret, timestamp, body)}`;
}

/**
 * True when `header` (the `ES-Signature` value) is a valid signature of `body` (the raw request
 * body) under `secret`, made no more than `toleranceSeconds` away from now.
 */
export function verifyWebhookSignature(
  secret: string,
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
  const expected = Buffer.from(computeSignature(secret, timestamp, body), "hex");
  return candidates.some((c) => timingSafeEqual(expected, Buffer.from(c, "hex")));
}
