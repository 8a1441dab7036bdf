/** Request pieces shared by the read routes: ids, addresses, cursors, languages, indexer failures. */
import { z } from "@hono/zod-openapi";
import { isAddress } from "viem";

import type { Logger } from "./router.js";
import { HttpError } from "./errors.js";
import { LANGUAGES, negotiateLanguage, type Language } from "../claims/i18n.js";

const MAX_UINT256 = (1n << 256n) - 1n;

/** A claim id as the contract numbers them: a decimal uint256 without sign, spaces or leading zeros. */
export const ClaimIdParam = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,77})$/, { message: "must be a decimal claim id such as 42", abort: true })
  .refine((v) => BigInt(v) <= MAX_UINT256, { message: "is larger than a uint256" })
  .openapi({ param: { name: "id", in: "path" }, example: "42" });

/**
 * An account address: 0x and 40 hex digits. All-lowercase and all-uppercase digits carry no
 * checksum; mixed case must be a valid EIP-55 checksum (a mistyped checksummed address is refused
 * rather than silently read as another account).
 */
export function isAccountAddress(value: string): boolean {
  if (!/^0x[0-9a-fA-F]{40}$/.test(value)) return false;
  const digits = value.slice(2);
  return digits === digits.toLowerCase() || digits === digits.toUpperCase() || isAddress(value, { strict: true });
}

export const AddressParam = z
  .string()
  .refine(isAccountAddress, {
    message: "must be a 0x-prefixed 20-byte address (mixed case must be a valid EIP-55 checksum)",
  })
  .openapi({ param: { name: "address", in: "path" }, example: "0x70997970C51812Dc3A010c7D01B50E20D17Dc79C" });

export const LangQuery = z
  .string()
  .max(35)
  .optional()
  .openapi({
    description: `Language of the texts: one of ${LANGUAGES.join(", ")}; wins over Accept-Language. Unknown values get en.`,
    example: "id",
  });

export const LanguageSchema = z.enum(LANGUAGES).openapi({ description: "The language the texts are in." });

export const LimitQuery = (fallback: number) =>
  z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(fallback)
    .openapi({ description: `Items per page, 1–100 (default ${fallback}).`, type: "integer" });

/** The language for this request, and the headers that say so. */
export function language(
  c: { req: { header(name: string): string | undefined }; header(name: string, value: string): void },
  lang: string | undefined,
): Language {
  const chosen = negotiateLanguage(lang, c.req.header("accept-language"));
  c.header("Content-Language", chosen);
  c.header("Vary", "Accept-Language");
  return chosen;
}

/**
 * Cursors are opaque to clients: base64url of a tagged list of decimal numbers. A cursor from one
 * listing is refused by another.
 */
export function encodeCursor(tag: string, values: bigint[]): string {
  return Buffer.from([tag, ...values.map(String)].join(":")).toString("base64url");
}

export function decodeCursor(tag: string, cursor: string, arity: number): bigint[] {
  const invalid = () =>
    new HttpError(400, "invalid_request", "invalid request: cursor: not a cursor from this listing");
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) throw invalid();
  const parts = Buffer.from(cursor, "base64url").toString("utf8").split(":");
  if (parts[0] !== tag || parts.length !== arity + 1) throw invalid();
  const values = parts.slice(1);
  if (!values.every((v) => /^(0|[1-9][0-9]{0,77})$/.test(v))) throw invalid();
  return values.map((v) => BigInt(v));
}

/**
 * Runs a read against the indexer; when the indexer cannot answer, the caller gets a 503 with the
 * error shape and the cause goes to the log only.
 */
export async function fromIndexer<T>(log: Logger, what: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof HttpError) throw err;
    log.warn("indexer read failed", { what, error: String(err) });
    throw new HttpError(503, "indexer_unavailable", "the indexer did not answer; try again shortly");
  }
}

/** Unix seconds from the service clock (milliseconds). */
export const unixSeconds = (ms: number): bigint => BigInt(Math.floor(ms / 1000));
