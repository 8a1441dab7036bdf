/**
 * Signing in to the service's private routes (the case conversation) with a session key: when a
 * claimant first needs them, the page makes a fresh key, has the wallet sign one Sign-In with
 * Ethereum message that delegates it (a `urn:emergency-station:session-key:<address>` resource),
 * and keeps the service's bearer token and the key in this tab's sessionStorage only. Messages and
 * ratings are then signed by the key, without asking the wallet again. Another account in the
 * wallet signs the session out.
 */
import { type Address, type Hex, getAddress } from "viem";
import { type PrivateKeyAccount, generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";

import { sessionKeyResource } from "../../common/case.js";
import { ServiceError, service } from "./api.js";
import { PageError } from "./errorText.js";
import type { Wallet } from "./wallet.js";

export type Session = { token: string; address: Address; expiresAt: number; key: PrivateKeyAccount };

export type Sessions = {
  /** The session of the connected account, while it lasts; undefined otherwise. */
  current(): Session | undefined;
  /** The current session, or a new one (the wallet signs one message). */
  signIn(): Promise<Session>;
  signOut(): Promise<void>;
  /** Runs `call` with a session; when the service no longer knows the token (401), signs in again once. */
  authorized<T>(call: (session: Session) => Promise<T>): Promise<T>;
  /** Runs `listener` when the session starts or ends. */
  onChange(listener: (session: Session | undefined) => void): () => void;
};

type Stored = { token: string; address: Address; expiresAt: number; key: Hex };

const STORAGE_KEY = "station.session";
/** The delegation lasts as long as a working day; the service's session may end sooner. */
const DELEGATION_SECONDS = 12 * 3600;
/** A session this close to its end is not used for a new request. */
const MARGIN_SECONDS = 60;

function tabStore(): Pick<Storage, "getItem" | "setItem" | "removeItem"> | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined; // storage disabled: the session lasts while the page is open
  }
}

function parseStored(text: string | null | undefined): Stored | undefined {
  if (!text) return undefined;
  try {
    const o = JSON.parse(text) as Partial<Stored>;
    if (typeof o.token !== "string" || typeof o.address !== "string" || typeof o.expiresAt !== "number") {
      return undefined;
    }
    if (typeof o.key !== "string" || !/^0x[0-9a-f]{64}$/i.test(o.key)) return undefined;
    return { token: o.token, address: getAddress(o.address), expiresAt: o.expiresAt, key: o.key as Hex };
  } catch {
    return undefined;
  }
}

export function createSessions(parts: {
  wallet: Wallet;
  chainId: number;
  /** The connected account, connecting first when there is none. */
  account: () => Promise<Address>;
  storage?: Pick<Storage, "getItem" | "setItem" | "removeItem"> | undefined;
}): Sessions {
  const { wallet, chainId } = parts;
  const storage = parts.storage ?? tabStore();
  const listeners = new Set<(session: Session | undefined) => void>();
  let session: Session | undefined;
  let pending: Promise<Session> | undefined;

  const restored = parseStored(
    (() => {
      try {
        return storage?.getItem(STORAGE_KEY);
      } catch {
        return undefined;
      }
    })(),
  );
  if (restored) session = { ...restored, key: privateKeyToAccount(restored.key) };

  function keep(next: Session | undefined, key?: Hex) {
    session = next;
    try {
      if (next && key) {
        const stored: Stored = { token: next.token, address: next.address, expiresAt: next.expiresAt, key };
        storage?.setItem(STORAGE_KEY, JSON.stringify(stored));
      } else storage?.removeItem(STORAGE_KEY);
    } catch {
      // not kept: the next page load signs in again
    }
    listeners.forEach((l) => l(next));
  }

  function current(): Session | undefined {
    const now = Math.floor(Date.now() / 1000);
    const account = wallet.account();
    if (!session || session.expiresAt <= now + MARGIN_SECONDS) return undefined;
    // Before the wallet is connected again after a reload, the session is the tab's.
    if (account !== undefined && account !== session.address) return undefined;
    return session;
  }

  async function fresh(): Promise<Session> {
    const address = await parts.account();
    const existing = current();
    if (existing && existing.address === address) return existing;
    const privateKey = generatePrivateKey();
    const key = privateKeyToAccount(privateKey);
    const { nonce } = await service.nonce();
    const issuedAt = new Date();
    const message = createSiweMessage({
      address,
      chainId,
      domain: location.host,
      uri: location.origin,
      version: "1",
      nonce,
      issuedAt,
      expirationTime: new Date(issuedAt.getTime() + DELEGATION_SECONDS * 1000),
      statement:
        "Sign in to Emergency Station to talk with its staff about your claims. A key kept in this browser tab signs your messages until the session ends.",
      resources: [sessionKeyResource(key.address)],
    });
    const signature = await wallet.signMessage(message);
    const signedIn = await service.signIn(message, signature);
    if (signedIn.sessionKey === null || getAddress(signedIn.sessionKey) !== key.address) {
      throw new PageError("sessionRefused");
    }
    const next: Session = {
      token: signedIn.token,
      address: getAddress(signedIn.address),
      expiresAt: Math.min(signedIn.expiresAt, Math.floor(issuedAt.getTime() / 1000) + DELEGATION_SECONDS),
      key,
    };
    keep(next, privateKey);
    return next;
  }

  function signIn(): Promise<Session> {
    // One wallet question at a time, however many sections ask.
    pending ??= fresh().finally(() => (pending = undefined));
    return pending;
  }

  async function signOut() {
    const ended = session;
    keep(undefined);
    if (ended) await service.signOut(ended.token).catch(() => undefined);
  }

  wallet.onChange((account) => {
    if (session && account !== undefined && account !== session.address) void signOut();
  });

  return {
    current,
    signIn,
    signOut,
    async authorized(call) {
      const first = await signIn();
      try {
        return await call(first);
      } catch (error) {
        // An ended session, or one without a delegated key: one new sign-in fixes either.
        if (!(error instanceof ServiceError && error.status === 401)) throw error;
        if (session === first) keep(undefined);
        return call(await signIn());
      }
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
