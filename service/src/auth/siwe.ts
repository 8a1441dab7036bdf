import { createHash, randomBytes } from "node:crypto";

import { sql } from "drizzle-orm";
import type { Address, Hex } from "viem";
import { getAddress, verifyMessage } from "viem";
import { generateSiweNonce, parseSiweMessage } from "viem/siwe";

import { queryRows, type Database } from "../db/client.js";
import { errorBody, HttpError } from "../errors.js";
import type { AuthGuards } from "./guards.js";

export type SiweSettings = {
  /** The RFC 3986 authority the web page is served from (host[:port]); messages for any other are refused. */
  domain: string;
  chainId: number;
  nonceTtlSeconds: number;
  sessionTtlSeconds: number;
};

/** Checks a personal_sign signature; production also accepts EIP-1271 wallets through an RPC. */
export type SignatureVerifier = (args: { address: Address; message: string; signature: Hex }) => Promise<boolean>;

/** Whether an address holds the pool's assessor role on-chain. */
export type RoleChecker = (address: Address) => Promise<boolean>;

export type SiweAuthDeps = {
  db: Database;
  settings: SiweSettings;
  verifySignature?: SignatureVerifier;
  isAssessor: RoleChecker;
  /** Unix seconds; injectable so tests control expiry. */
  now?: () => number;
};

export const verifyEoaSignature: SignatureVerifier = ({ address, message, signature }) =>
  verifyMessage({ address, message, signature });

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/**
 * Sign-In with Ethereum (EIP-4361): issue single-use nonces, verify signed messages (domain,
 * chain id, nonce, expiry, not-before, signature) and hand out bearer session tokens.
 */
export function createSiweAuth(deps: SiweAuthDeps) {
  const { db, settings } = deps;
  const now = deps.now ?? (() => Math.floor(Date.now() / 1000));
  const verifySignature = deps.verifySignature ?? verifyEoaSignature;

  async function issueNonce(): Promise<{ nonce: string; expiresAt: number }> {
    const nonce = generateSiweNonce();
    const expiresAt = now() + settings.nonceTtlSeconds;
    await db.execute(sql`INSERT INTO auth_nonces (nonce, expires_at) VALUES (${nonce}, ${expiresAt})`);
    return { nonce, expiresAt };
  }

  async function signIn(
    message: string,
    signature: Hex,
  ): Promise<{ token: string; address: Address; expiresAt: number }> {
    const refuse = (why: string): never => {
      throw new HttpError(401, "siwe_rejected", `sign-in refused: ${why}`);
    };
    const fields = parseSiweMessage(message);
    if (fields.address === undefined || fields.nonce === undefined || fields.domain === undefined) {
      throw new HttpError(400, "invalid_request", "not an EIP-4361 message (address, domain and nonce are required)");
    }
    const t = now();
    if (fields.domain !== settings.domain) refuse(`message is for domain ${fields.domain}, not ${settings.domain}`);
    if (fields.chainId !== settings.chainId) refuse(`message is for chain ${fields.chainId}, not ${settings.chainId}`);
    if (fields.expirationTime !== undefined && fields.expirationTime.getTime() / 1000 <= t) refuse("message expired");
    if (fields.notBefore !== undefined && fields.notBefore.getTime() / 1000 > t) refuse("message not yet valid");
    const address = getAddress(fields.address);
    if (!(await verifySignature({ address, message, signature }).catch(() => false))) {
      refuse("signature does not match the address");
    }
    // Consume the nonce only after the signature checks out, atomically: a replay finds it used.
    const consumed = await queryRows<{ nonce: string }>(
      db,
      sql`UPDATE auth_nonces SET used_at = ${t} WHERE nonce = ${fields.nonce} AND used_at IS NULL AND expires_at > ${t} RETURNING nonce`,
    );
    if (consumed.length === 0) refuse("unknown, expired or already used nonce");

    const token = randomBytes(32).toString("base64url");
    const expiresAt = t + settings.sessionTtlSeconds;
    await db.execute(
      sql`INSERT INTO auth_sessions (token_hash, address, created_at, expires_at) VALUES (${hashToken(token)}, ${address}, ${t}, ${expiresAt})`,
    );
    return { token, address, expiresAt };
  }

  async function signOut(token: string): Promise<void> {
    await db.execute(sql`DELETE FROM auth_sessions WHERE token_hash = ${hashToken(token)}`);
  }

  async function sessionAddress(authorization: string | undefined): Promise<Address | undefined> {
    const m = /^Bearer ([A-Za-z0-9_-]{20,100})$/.exec(authorization ?? "");
    if (m?.[1] === undefined) return undefined;
    const rows = await queryRows<{ address: string }>(
      db,
      sql`SELECT address FROM auth_sessions WHERE token_hash = ${hashToken(m[1])} AND expires_at > ${now()}`,
    );
    return rows[0] === undefined ? undefined : getAddress(rows[0].address);
  }

  const guards: AuthGuards = {
    session: async (c, next) => {
      const address = await sessionAddress(c.req.header("authorization"));
      if (address === undefined) {
        return c.json(errorBody("unauthenticated", "sign in with Ethereum first (Authorization: Bearer <token>)"), 401);
      }
      c.set("address", address);
      await next();
    },
    assessor: async (c, next) => {
      const address = await sessionAddress(c.req.header("authorization"));
      if (address === undefined) {
        return c.json(errorBody("unauthenticated", "sign in with Ethereum first (Authorization: Bearer <token>)"), 401);
      }
      if (!(await deps.isAssessor(address))) {
        return c.json(errorBody("forbidden", `${address} does not hold the assessor role`), 403);
      }
      c.set("address", address);
      await next();
    },
  };

  return { issueNonce, signIn, signOut, guards };
}

export type SiweAuth = ReturnType<typeof createSiweAuth>;

/** Caches a role check for a short while: the assessor queue is polled, the chain need not be. */
export function cachedRoleChecker(check: RoleChecker, ttlMs = 30_000): RoleChecker {
  const cache = new Map<Address, { value: boolean; until: number }>();
  return async (address) => {
    const hit = cache.get(address);
    if (hit !== undefined && hit.until > Date.now()) return hit.value;
    const value = await check(address);
    cache.set(address, { value, until: Date.now() + ttlMs });
    return value;
  };
}
