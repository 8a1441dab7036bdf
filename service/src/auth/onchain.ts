import { createPublicClient, http, keccak256, toHex, zeroHash, type Address, type PublicClient } from "viem";

import { CompensationPoolAbi } from "../../../common/abis/CompensationPool.js";
import type { Logger } from "../http/router.js";
import type { ServiceConfig } from "../config.js";
import type { RoleChecker, SignatureVerifier } from "./siwe.js";

/** The station's staff roles on the pool, as a case names its participants. */
export type StaffRole = "assessor" | "guardian" | "admin";
/** The staff roles an address holds on-chain now (none: an empty list). */
export type StaffRoleChecker = (address: Address) => Promise<StaffRole[]>;

/** OpenZeppelin AccessControl's role id: keccak256 of the role's name. */
export const ASSESSOR_ROLE = keccak256(toHex("ASSESSOR_ROLE"));
export const GUARDIAN_ROLE = keccak256(toHex("GUARDIAN_ROLE"));
const ROLE_IDS: Record<StaffRole, `0x${string}`> = {
  assessor: ASSESSOR_ROLE,
  guardian: GUARDIAN_ROLE,
  admin: zeroHash,
};

function client(config: Pick<ServiceConfig, "rpcUrl">) {
  return createPublicClient({ transport: http(config.rpcUrl, { timeout: 5_000, retryCount: 1 }) });
}

/**
 * Reads `hasRole(ASSESSOR_ROLE, address)` on the pool, through the pool's generated ABI (AccessControl
 * is part of it). Without a pool address nobody is an assessor. `chain` replaces the RPC client (tests).
 */
export function onchainAssessorCheck(
  config: Pick<ServiceConfig, "poolAddress" | "rpcUrl">,
  log: Logger,
  chain?: Pick<PublicClient, "readContract">,
): RoleChecker {
  const pool = config.poolAddress;
  if (pool === undefined) {
    log.warn("POOL_ADDRESS is not set: assessor endpoints will refuse everyone");
    return async () => false;
  }
  const c = chain ?? client(config);
  return (address) =>
    c.readContract({
      address: pool,
      abi: CompensationPoolAbi,
      functionName: "hasRole",
      args: [ASSESSOR_ROLE, address],
    });
}

/** EOA signatures, and EIP-1271 / ERC-6492 contract wallets through the chain. */
export function onchainSignatureVerifier(config: ServiceConfig): SignatureVerifier {
  const c = client(config);
  return ({ address, message, signature }) => c.verifyMessage({ address, message, signature });
}

/** Reads the pool's assessor, guardian and admin roles for an address (cases are open to all three). */
export function onchainStaffRoles(
  config: Pick<ServiceConfig, "poolAddress" | "rpcUrl">,
  chain?: Pick<PublicClient, "readContract">,
): StaffRoleChecker {
  const pool = config.poolAddress;
  if (pool === undefined) return async () => [];
  const c = chain ?? client(config);
  return async (address) => {
    const held = await Promise.all(
      (Object.entries(ROLE_IDS) as [StaffRole, `0x${string}`][]).map(async ([name, id]) =>
        (await c.readContract({
          address: pool,
          abi: CompensationPoolAbi,
          functionName: "hasRole",
          args: [id, address],
        }))
          ? [name]
          : [],
      ),
    );
    return held.flat();
  };
}

/** Caches staff roles for a short while (a revoked role stops opening cases within `ttlMs`). */
export function cachedStaffRoles(check: StaffRoleChecker, ttlMs = 30_000): StaffRoleChecker {
  const cache = new Map<Address, { value: StaffRole[]; until: number }>();
  return async (address) => {
    const hit = cache.get(address);
    if (hit !== undefined && hit.until > Date.now()) return hit.value;
    const value = await check(address);
    cache.set(address, { value, until: Date.now() + ttlMs });
    return value;
  };
}
