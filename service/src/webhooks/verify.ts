/**
 * Webhook signatures in the Standard Webhooks format (https://www.standardwebhooks.com/), both
 * sides.
 *
 * Every delivery carries three headers:
 * - `webhook-id`: the message id, the same on every retry of one message (use it to deduplicate);
 * - `webhook-timestamp`: unix seconds when this attempt was signed;
 * - `webhook-signature`: space-separated `v1,<base64>` entries, each
 *   `base64(HMAC-SHA256(key, "<webhook-id>.<webhook-timestamp>.<raw body>"))`.
 * The key is the subscription secret's bytes: the secret is `whsec_` followed by base64 of the
 * key. While a secret rotates, each delivery is signed with the new secret and with the previous
 * one (two entries), so a receiver holding either verifies. A receiver may also hold both secrets
 * (new first) while it switches over itself. Any match is accepted.
 *
 * Any Standard Webhooks library verifies these deliveries (e.g. the `standardwebhooks` npm
 * package: `new Webhook(secret).verify(rawBody, headers)`). This file has no dependency besides
 * node:crypto so that receivers can also copy it as is.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const WEBHOOK_ID_HEADER = "webhook-id";
export const WEBHOOK_TIMESTAMP_HEADER = "webhook-timestamp";
export const WEBHOOK_SIGNATURE_HEADER = "webhook-signature";

const SECRET_PREFIX = "whsec_";

/** The HMAC key of a secret: base64-decoded after `whsec_`; any other string is its own UTF-8 bytes. */
export function secretKey(secret: string): Buffer {
  return secret.startsWith(SECRET_PREFIX)
    ? Buffer.from(secret.slice(SECRET_PREFIX.length), "base64")
    : Buffer.from(secret, "utf8");
}

/** The base64 HMAC-SHA256 of `${id}.${timestamp}.${body}` under `secret`. */
export function computeSignature(secret: string, id: string, timestamp: number, body: string | Uint8Array): string {
  const mac = createHmac("sha256", secretKey(secret));
  mac.update(`${id}.${timestamp}.`);
  mac.update(body);
  return mac.digest("base64");
}

/** The `webhook-signature` value: one `v1,<base64>` entry per secret, space-separated. */
export function signatureHeader(
  secret: string | readonly string[],
  id: string,
  timestamp: number,
  body: string | Uint8Array,
): string {
  const secrets = typeof secret === "string" ? [secret] : secret;
  return secrets.map((s) => `v1,${computeSignature(s, id, timestamp, body)}`).join(" ");
}

/** The three Standard Webhooks headers of one delivery attempt. */
export function webhookHeaders(
  secret: string | readonly string[],
  id: string,
  timestamp: number,
  body: string | Uint8Array,
): Record<string, string> {
  return {
    [WEBHOOK_ID_HEADER]: id,
    [WEBHOOK_TIMESTAMP_HEADER]: String(timestamp),
    [WEBHOOK_SIGNATURE_HEADER]: signatureHeader(secret, id, timestamp, body),
  };
}

/** Request headers as a receiver has them: Node's `req.headers`, a Fetch `Headers`, or a plain record. */
export type ReceivedHeaders = Headers | Record<string, string | string[] | undefined>;

function header(headers: ReceivedHeaders, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name] ?? Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
  return typeof value === "string" ? value : undefined;
}

/**
 * True when the delivery's `webhook-signature` holds a valid signature of `body` (the raw request
 * body, before any JSON parsing) under `secret` (or under any of several secrets), for its
 * `webhook-id`, signed no more than `toleranceSeconds` away from now.
 */
export function verifyWebhook(
  secret: string | readonly string[],
  headers: ReceivedHeaders,
  body: string | Uint8Array,
  toleranceSeconds = 300,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): boolean {
  const id = header(headers, WEBHOOK_ID_HEADER);
  const stamp = header(headers, WEBHOOK_TIMESTAMP_HEADER);
  const signature = header(headers, WEBHOOK_SIGNATURE_HEADER);
  if (id === undefined || id.length === 0 || id.length > 256) return false;
  if (stamp === undefined || !/^\d{1,12}$/.test(stamp)) return false;
  if (signature === undefined || signature.length > 4096) return false;
  const timestamp = Number(stamp);
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const candidates: Buffer[] = [];
  for (const entry of signature.split(" ")) {
    const comma = entry.indexOf(",");
    if (comma < 0 || entry.slice(0, comma) !== "v1") continue;
    const value = entry.slice(comma + 1);
    if (/^[A-Za-z0-9+/]{43}=$/.test(value)) candidates.push(Buffer.from(value, "base64"));
  }
  if (candidates.length === 0) return false;
  const secrets = typeof secret === "string" ? [secret] : secret;
  return secrets.some((s) => {
    const expected = Buffer.from(computeSignature(s, id, timestamp, body), "base64");
    return candidates.some((c) => timingSafeEqual(expected, c));
  });
}
