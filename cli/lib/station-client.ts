/**
 * What the `station` CLI needs to talk to a station: where it is (RPC, addresses, service URL —
 * env first, else the local Ignition deployment), who signs (a key from env or Hardhat's keystore,
 * never from arguments), and errors a person can act on (custom errors decoded by name with their args).
 */
import { readFileSync } from "node:fs";
import path from "node:path";

import {
  type Account,
  type Address,
  type Chain,
  type Hex,
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  createWalletClient,
  getAddress,
  http,
  isHex,
} from "viem";
import { mnemonicToAccount, privateKeyToAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";

import { LOCAL_CHAIN_ID, stationChain } from "../../common/chain.js";
import { type ServiceClient, createClient } from "../../service/src/client.js";
import { STATION_ERRORS_ABI, revertOf, revertSignature } from "../../common/reverts.js";
import { KeystoreError, type SecretPrompt, keyFromKeystore } from "./keystore.js";
import { REPO_ROOT } from "../../stack/proc.js";

export { LOCAL_CHAIN_ID };
/** Hardhat's default development mnemonic: its accounts are public, for a local chain only. */
const DEV_MNEMONIC = "test test test test test test test test test test test junk";

/** An error meant for the person at the terminal: printed as is, no stack. */
export class UserError extends Error {
  override name = "UserError";
}

/** A usage mistake (a missing or malformed option): `station` exits 2 for these, with the command's usage. */
export class UsageError extends UserError {
  override name = "UsageError";
}

export type StationConfig = {
  rpcUrl: string;
  serviceUrl: string;
  chainId: number;
  chain: Chain;
  addresses: { cToken: Address; stablecoin: Address; staking: Address; pool: Address; packages: Address };
};

const KEYS = {
  cToken: ["STATION_C_TOKEN", "LocalStation#MockCToken"],
  stablecoin: ["STATION_STABLECOIN", "LocalStation#MockStablecoin"],
  staking: ["STATION_STAKING", "LocalStation#CStaking"],
  pool: ["STATION_POOL", "LocalStation#CompensationPool"],
  packages: ["STATION_PACKAGES", "LocalStation#EmergencyPackages"],
} as const;

/** Every ABI, for decoding errors whichever contract (or token) reverted. */
/** Every station contract's custom errors (common/reverts.ts), to decode a revert with. */
export const ALL_ERRORS_ABI = STATION_ERRORS_ABI;

async function rpcChainId(rpcUrl: string): Promise<number> {
  try {
    const response = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
    });
    const body = (await response.json()) as { result?: string };
    if (body.result === undefined) throw new Error("no result");
    return Number(body.result);
  } catch {
    throw new UserError(`no chain answers at ${rpcUrl} (is \`npm start\` running? set RPC_URL otherwise)`);
  }
}

/**
 * RPC_URL (default the local node), SERVICE_URL (default http://127.0.0.1:8787), CHAIN_ID
 * (checked against the node), addresses from STATION_POOL, STATION_STAKING, STATION_PACKAGES,
 * STATION_C_TOKEN, STATION_STABLECOIN or — on chain 31337 — the Ignition deployment
 * (STATION_DEPLOYMENT_ID, default chain-31337).
 */
export async function loadStationConfig(env: NodeJS.ProcessEnv): Promise<StationConfig> {
  const rpcUrl = env.RPC_URL ?? "http://127.0.0.1:8545";
  const serviceUrl = (env.SERVICE_URL ?? "http://127.0.0.1:8787").replace(/\/$/, "");
  const chainId = await rpcChainId(rpcUrl);
  if (env.CHAIN_ID !== undefined && Number(env.CHAIN_ID) !== chainId) {
    throw new UserError(`wrong chain: CHAIN_ID is ${env.CHAIN_ID} but ${rpcUrl} is chain ${chainId}`);
  }
  let deployed: Record<string, string> = {};
  if (chainId === LOCAL_CHAIN_ID) {
    const id = env.STATION_DEPLOYMENT_ID ?? `chain-${chainId}`;
    try {
      deployed = JSON.parse(
        readFileSync(path.join(REPO_ROOT, "ignition", "deployments", id, "deployed_addresses.json"), "utf8"),
      ) as Record<string, string>;
    } catch {
      // fall through: env must name them
    }
  }
  const addresses = Object.fromEntries(
    Object.entries(KEYS).map(([name, [envName, key]]) => {
      const value = env[envName] ?? deployed[key];
      if (value === undefined) {
        throw new UserError(
          `no ${name} address: set ${envName}` +
            (chainId === LOCAL_CHAIN_ID ? " or start the local station (`npm start`)" : ""),
        );
      }
      return [name, getAddress(value)];
    }),
  ) as StationConfig["addresses"];
  const chain = stationChain(chainId, rpcUrl);
  return { rpcUrl, serviceUrl, chainId, chain, addresses };
}

/** Where a signing key may come from; exactly one must be set. */
export const KEY_SOURCES = ["STATION_PRIVATE_KEY", "STATION_KEYSTORE_KEY", "STATION_ACCOUNT"] as const;

/**
 * The signer, from exactly one of: STATION_PRIVATE_KEY; STATION_KEYSTORE_KEY=<name> (a key in
 * Hardhat's keystore, see ./keystore.ts: password from STATION_KEYSTORE_PASSWORD or `prompt`);
 * STATION_ACCOUNT=<n> (Hardhat dev account n, chain 31337 only).
 */
export async function loadAccount(env: NodeJS.ProcessEnv, chainId: number, prompt?: SecretPrompt): Promise<Account> {
  const set = KEY_SOURCES.filter((name) => env[name] !== undefined);
  if (set.length > 1) {
    throw new UserError(`set only one of ${KEY_SOURCES.join(", ")} (found ${set.join(" and ")}): which key signs?`);
  }
  if (env.STATION_PRIVATE_KEY !== undefined) {
    const key = env.STATION_PRIVATE_KEY.startsWith("0x") ? env.STATION_PRIVATE_KEY : `0x${env.STATION_PRIVATE_KEY}`;
    if (!isHex(key) || key.length !== 66) throw new UserError("STATION_PRIVATE_KEY must be 32 bytes of hex");
    return privateKeyToAccount(key);
  }
  if (env.STATION_KEYSTORE_KEY !== undefined) {
    const name = env.STATION_KEYSTORE_KEY.trim();
    if (name === "")
      throw new UserError("STATION_KEYSTORE_KEY is empty: set it to the name of a key in Hardhat's keystore");
    try {
      return privateKeyToAccount(await keyFromKeystore(name, env, prompt));
    } catch (error) {
      if (error instanceof KeystoreError) throw new UserError(error.message);
      throw error;
    }
  }
  if (env.STATION_ACCOUNT !== undefined) {
    if (chainId !== LOCAL_CHAIN_ID) {
      throw new UserError(
        `STATION_ACCOUNT selects a public development key: only on the local chain (31337), not chain ${chainId}`,
      );
    }
    const index = Number(env.STATION_ACCOUNT);
    if (!Number.isInteger(index) || index < 0 || index > 19) {
      throw new UserError("STATION_ACCOUNT must be a dev account index from 0 to 19");
    }
    return mnemonicToAccount(DEV_MNEMONIC, { addressIndex: index });
  }
  throw new UserError(
    "no key: set STATION_PRIVATE_KEY, or STATION_KEYSTORE_KEY=<name> for a key in Hardhat's keystore " +
      "(or STATION_ACCOUNT=<n> for a dev account on the local chain). Keys are never taken from arguments.",
  );
}

export function clients(config: StationConfig, account?: Account) {
  const publicClient = createPublicClient({ chain: config.chain, transport: http(config.rpcUrl) });
  const walletClient = account
    ? createWalletClient({ account, chain: config.chain, transport: http(config.rpcUrl) })
    : undefined;
  return { publicClient, walletClient };
}

/** A revert reason as a sentence: `CompensationPoolInvalidClaimStatus(claimId: 3, current: 2)`. */
export function describeError(error: unknown): string {
  if (error instanceof UserError) return error.message;
  if (error instanceof BaseError) {
    const decoded = revertOf(error);
    if (decoded) return `reverted: ${revertSignature(decoded)}`;
    const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
    if (reverted instanceof ContractFunctionRevertedError) {
      if (reverted.reason) return `reverted: ${reverted.reason}`;
      if (reverted.signature) return `reverted with unknown error ${reverted.signature}`;
    }
    return error.shortMessage;
  }
  return error instanceof Error ? error.message : String(error);
}

// ─── The service over HTTP ───────────────────────────────────────────────────────────────────

export class ServiceError extends UserError {
  constructor(
    readonly status: number,
    message: string,
    /** The service's error code (`not_found`, `stale_prev`, …), when it sent one. */
    readonly code?: string,
  ) {
    super(message);
  }
}

/**
 * The service's typed client (service/src/client.ts, Hono's RPC client on the app's type): paths,
 * bodies and answers are checked by the compiler. With a token, every call carries it.
 */
export function serviceApi(config: StationConfig, token?: string): ServiceClient {
  return createClient(config.serviceUrl, token ? { headers: { authorization: `Bearer ${token}` } } : undefined);
}

/** Makes a typed call; a service that does not answer is a ServiceError naming SERVICE_URL. */
export async function reach<R>(
  config: StationConfig,
  call: (api: ServiceClient) => Promise<R>,
  token?: string,
): Promise<R> {
  const api = serviceApi(config, token);
  try {
    return await call(api);
  } catch {
    throw new ServiceError(0, `the service does not answer at ${config.serviceUrl} (set SERVICE_URL)`);
  }
}

/** A typed call the service refused, as a ServiceError with its own message and code. */
export async function refused(res: { status: number; text(): Promise<string> }, what: string): Promise<ServiceError> {
  const text = await res.text();
  let error: { code?: string; message?: string } | undefined;
  try {
    error = (JSON.parse(text) as { error?: { code?: string; message?: string } }).error;
  } catch {
    error = undefined;
  }
  return new ServiceError(
    res.status,
    `${what}: HTTP ${res.status}: ${error?.message ?? text.slice(0, 200)}`,
    error?.code,
  );
}

/**
 * An untyped request whose answer the caller asserts. The CLI does not use it (its commands go
 * through `reach`); the service tests and the soak bench do, for routes they call as raw HTTP.
 */
export async function serviceRequest<T>(
  config: StationConfig,
  method: string,
  route: string,
  options: { body?: unknown; bytes?: Uint8Array<ArrayBuffer>; token?: string } = {},
): Promise<T> {
  const url = `${config.serviceUrl}${route}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: {
        ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
        ...(options.bytes !== undefined ? { "content-type": "application/octet-stream" } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.bytes !== undefined ? { body: options.bytes } : {}),
    });
  } catch {
    throw new ServiceError(0, `the service does not answer at ${config.serviceUrl} (set SERVICE_URL)`);
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
    const message = error?.message ?? text.slice(0, 200);
    throw new ServiceError(response.status, `${method} ${route}: HTTP ${response.status}: ${message}`, error?.code);
  }
  return body as T;
}

/** A signed-in session: the bearer token and the session key the service accepted, if one was delegated. */
export type ServiceSession = { token: string; address: Address; expiresAt: number; sessionKey: Address | null };

/**
 * Sign-In with Ethereum against the service. `resources` go into the SIWE message (a session-key
 * delegation, common/case.ts); `validForSeconds` bounds the message's validity (and so the delegation's).
 */
export async function signInSession(
  config: StationConfig,
  account: Account,
  options: { resources?: string[]; validForSeconds?: number } = {},
): Promise<ServiceSession> {
  if (account.signMessage === undefined) throw new UserError("this key cannot sign messages");
  const nonceRes = await reach(config, (api) => api.v1.auth.nonce.$post());
  if (nonceRes.status !== 200) throw await refused(nonceRes, "POST /v1/auth/nonce");
  const { nonce } = await nonceRes.json();
  const url = new URL(config.serviceUrl);
  const issuedAt = new Date();
  const message = createSiweMessage({
    domain: url.host,
    address: account.address,
    statement: "Sign in to Emergency Station.",
    uri: config.serviceUrl,
    version: "1",
    chainId: config.chainId,
    nonce,
    issuedAt,
    ...(options.validForSeconds !== undefined
      ? { expirationTime: new Date(issuedAt.getTime() + options.validForSeconds * 1000) }
      : {}),
    ...(options.resources !== undefined ? { resources: options.resources } : {}),
  });
  const signature = await account.signMessage({ message });
  const verified = await reach(config, (api) => api.v1.auth.verify.$post({ json: { message, signature } }));
  if (verified.status !== 200) throw await refused(verified, "POST /v1/auth/verify");
  const session = await verified.json();
  return {
    token: session.token,
    address: getAddress(session.address),
    expiresAt: session.expiresAt,
    sessionKey: session.sessionKey ? getAddress(session.sessionKey) : null,
  };
}

/** Sign-In with Ethereum against the service; returns the bearer token. */
export async function signIn(config: StationConfig, account: Account): Promise<string> {
  return (await signInSession(config, account)).token;
}

export type { Hex };
