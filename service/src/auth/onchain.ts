import { createPublicClient, http, keccak256, toHex, type PublicClient } from "viem";

import { CompensationPoolAbi } from "../../../indexer/abis/CompensationPool.js";
import type { Logger } from "../app.js";
import type { ServiceConfig } from "../config.js";
import type { RoleChecker, SignatureVerifier } from "./siwe.js";

/** OpenZeppelin AccessControl's role id: keccak256 of the role's name. */
export const ASSESSOR_ROLE = keccak256(toHex("ASSESSOR_ROLE"));

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
