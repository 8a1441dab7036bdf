import { createPublicClient, http, keccak256, parseAbi, toHex } from "viem";

import type { Logger } from "../app.js";
import type { ServiceConfig } from "../config.js";
import type { RoleChecker, SignatureVerifier } from "./siwe.js";

/** OpenZeppelin AccessControl's role id: keccak256 of the role's name. */
export const ASSESSOR_ROLE = keccak256(toHex("ASSESSOR_ROLE"));

// OpenZeppelin's IAccessControl.hasRole: a standard interface, not one of this project's ABIs.
const accessControlAbi = parseAbi(["function hasRole(bytes32 role, address account) view returns (bool)"]);

function client(config: ServiceConfig) {
  return createPublicClient({ transport: http(config.rpcUrl, { timeout: 5_000, retryCount: 1 }) });
}

/** Reads `hasRole(ASSESSOR_ROLE, address)` on the pool. Without a pool address nobody is an assessor. */
export function onchainAssessorCheck(config: ServiceConfig, log: Logger): RoleChecker {
  const pool = config.poolAddress;
  if (pool === undefined) {
    log.warn("POOL_ADDRESS is not set: assessor endpoints will refuse everyone");
    return async () => false;
  }
  const c = client(config);
  return (address) =>
    c.readContract({ address: pool, abi: accessControlAbi, functionName: "hasRole", args: [ASSESSOR_ROLE, address] });
}

/** EOA signatures, and EIP-1271 / ERC-6492 contract wallets through the chain. */
export function onchainSignatureVerifier(config: ServiceConfig): SignatureVerifier {
  const c = client(config);
  return ({ address, message, signature }) => c.verifyMessage({ address, message, signature });
}
