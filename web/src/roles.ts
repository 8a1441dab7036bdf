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

/** Answers per account for this page's life, so the loader and the form it loads share one read. */
const answers = new Map<string, Promise<boolean>>();

/**
 * Whether `account` holds a station role on the pool (admin, assessor or guardian), from the chain.
 * Asked once per account while the page is open (a role granted later shows after a reload); an
 * answer that failed to read is not kept, so the next wallet event asks again.
 */
export function holdsStationRole(ctx: Context, account: Address | undefined): Promise<boolean> {
  if (account === undefined || !ctx.config.addresses.pool) return Promise.resolve(false);
  const key = account.toLowerCase();
  let answer = answers.get(key);
  if (answer === undefined) {
    answer = readRoles(ctx, account);
    answers.set(key, answer);
    answer.catch(() => answers.delete(key));
  }
  return answer.catch(() => false);
}

async function readRoles(ctx: Context, account: Address): Promise<boolean> {
  const pool = ctx.chain.need("pool");
  const reader = ctx.chain.reader();
  const held = await Promise.all(
    [zeroHash, ASSESSOR_ROLE, GUARDIAN_ROLE].map((role) =>
      reader.readContract({ address: pool, abi: CompensationPoolAbi, functionName: "hasRole", args: [role, account] }),
    ),
  );
  return held.some(Boolean);
}
