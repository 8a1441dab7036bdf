import { createHash, randomBytes } from "node:crypto";

import { sql } from "drizzle-orm";
import type { Address, Hex } from "viem";
import { getAddress, keccak256, stringToBytes, verifyMessage } from "viem";
import { generateSiweNonce, parseSiweMessage } from "viem/siwe";

import { delegatedKey } from "../../../common/case.js";
import { queryRows, type Database } from "../db/client.js";
import { errorBody, HttpError } from "../http/errors.js";
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

/** A signed-in caller, and the session key its wallet delegated at sign-in, if any. */
export type Session = { address: Address; delegation: { id: string; key: Address } | undefined };

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
  ): Promise<{ token: string; address: Address; expiresAt: number; sessionKey: Address | null }> {
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

    // A session key named in the message's resources speaks for the wallet in case messages
    // (common/case.ts); the message and signature are kept as the delegation's proof.
    const sessionKey = delegatedKey(message) ?? null;
    let delegationId: string | null = null;
    if (sessionKey !== null) {
      delegationId = keccak256(stringToBytes(message));
      await db.execute(
        sql`INSERT INTO case_delegations (id, address, session_key, message, signature, created_at)
            VALUES (${delegationId}, ${address}, ${sessionKey}, ${message}, ${signature}, ${t}) ON CONFLICT (id) DO NOTHING`,
      );
    }
    const token = randomBytes(32).toString("base64url");
    const expiresAt = t + settings.sessionTtlSeconds;
    await db.execute(
      sql`INSERT INTO auth_sessions (token_hash, address, created_at, expires_at, delegation_id) VALUES (${hashToken(token)}, ${address}, ${t}, ${expiresAt}, ${delegationId})`,
    );
    return { token, address, expiresAt, sessionKey };
  }

  async function signOut(token: string): Promise<void> {
    await db.execute(sql`DELETE FROM auth_sessions WHERE token_hash = ${hashToken(token)}`);
  }

  async function sessionOf(authorization: string | undefined): Promise<Session | undefined> {
    const m = /^Bearer ([A-Za-z0-9_-]{20,100})$/.exec(authorization ?? "");
    if (m?.[1] === undefined) return undefined;
    const rows = await queryRows<{ address: string; delegation_id: string | null; session_key: string | null }>(
      db,
      sql`SELECT s.address, s.delegation_id, d.session_key FROM auth_sessions s
          LEFT JOIN case_delegations d ON d.id = s.delegation_id
          WHERE s.token_hash = ${hashToken(m[1])} AND s.expires_at > ${now()}`,
    );
    const row = rows[0];
    if (row === undefined) return undefined;
    return {
      address: getAddress(row.address),
      delegation:
        row.delegation_id === null || row.session_key === null
          ? undefined
          : { id: row.delegation_id, key: getAddress(row.session_key) },
    };
  }
  const sessionAddress = async (authorization: string | undefined) => (await sessionOf(authorization))?.address;

  const guards: AuthGuards = {
    session: async (c, next) => {
      const session = await sessionOf(c.req.header("authorization"));
      if (session === undefined) {
        return c.json(errorBody("unauthenticated", "sign in with Ethereum first (Authorization: Bearer <token>)"), 401);
      }
      c.set("address", session.address);
      if (session.delegation !== undefined) c.set("delegation", session.delegation);
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

  /**
   * Deletes nonces and sessions past their expiry (neither can be used any more: a nonce is
   * refused after `expires_at` whether used or not). Returns how many rows of each went.
   */
  async function purgeExpired(): Promise<{ nonces: number; sessions: number }> {
    const t = now();
    const nonces = await queryRows<{ nonce: string }>(
      db,
      sql`DELETE FROM auth_nonces WHERE expires_at <= ${t} RETURNING nonce`,
    );
    const sessions = await queryRows<{ token_hash: string }>(
      db,
      sql`DELETE FROM auth_sessions WHERE expires_at <= ${t} RETURNING token_hash`,
    );
    return { nonces: nonces.length, sessions: sessions.length };
  }

  return { issueNonce, signIn, signOut, purgeExpired, guards };
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
