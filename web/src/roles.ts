/**
 * Whether an account holds a station role on the pool, read from the chain: what decides whether
 * the page loads staff-only code (the incident round form). Its own module, so that the loader
 * (./sections/lazyLoaders.ts) and the form it loads (./sections/rounds.ts) both import it without
 * importing each other.
 */
import { type Address, keccak256, zeroHash } from "viem";

import { CompensationPoolAbi } from "../../common/abis/CompensationPool.js";
import type { Context } from "./context.js";

const ASSESSOR_ROLE = keccak256(new TextEncoder().encode("ASSESSOR_ROLE"));
const GUARDIAN_ROLE = keccak256(new TextEncoder().encode("GUARDIAN_ROLE"));

/** Whether `account` holds a station role on the pool (admin, assessor or guardian), from the chain. */
export async function holdsStationRole(ctx: Context, account: Address | undefined): Promise<boolean> {
  if (account === undefined || !ctx.config.addresses.pool) return false;
  const pool = ctx.chain.need("pool");
  const reader = ctx.chain.reader();
  const held = await Promise.all(
    [zeroHash, ASSESSOR_ROLE, GUARDIAN_ROLE].map((role) =>
      reader
        .readContract({ address: pool, abi: CompensationPoolAbi, functionName: "hasRole", args: [role, account] })
        .catch(() => false),
    ),
  );
  return held.some(Boolean);
}
