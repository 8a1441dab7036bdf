/**
 * What every `station` command shares: the terminal it writes to, the station it talks to, the
 * signer (loaded once per command), and the chain calls (simulated first, so a revert is told by
 * name before anything is sent).
 */
import type { Abi, Account, Address } from "viem";
import { formatUnits, parseUnits } from "viem";

import { CompensationPoolAbi } from "../../common/abis/CompensationPool.js";
import { MockCTokenAbi } from "../../common/abis/MockCToken.js";
import type { SecretPrompt } from "./keystore.js";
import { ALL_ERRORS_ABI, type StationConfig, UserError, clients, loadAccount } from "./station-client.js";

export type CliIo = {
  env: NodeJS.ProcessEnv;
  out: (line: string) => void;
  err: (line: string) => void;
  /** Asks for the keystore password; absent where there is no terminal. */
  prompt?: SecretPrompt;
};

export type Ctx = CliIo & { config: StationConfig; account?: Account };

/** Claim amounts are stored in units of 10^12 wei (CompensationPoolAmountNotRepresentable). */
export const CLAIM_UNIT = 10n ** 12n;

/** An amount of C as typed (up to 18 decimals, above 0), in wei. */
export function parseC(text: string, what: string): bigint {
  if (!/^\d+(\.\d{1,18})?$/.test(text)) {
    throw new UserError(`${what} must be a number of C (up to 18 decimals), got ${text || "nothing"}`);
  }
  const amount = parseUnits(text, 18);
  if (amount === 0n) throw new UserError(`${what} must be above 0`);
  return amount;
}

export function parseId(text: string, what: string): bigint {
  if (!/^\d+$/.test(text)) throw new UserError(`${what} must be a whole number`);
  return BigInt(text);
}

export const C = (wei: bigint) => `${formatUnits(wei, 18)} C`;

export type Call = { address: Address; abi: Abi; functionName: string; args: readonly unknown[] };

/** Simulates a call: a revert throws with its reason decoded. */
export async function simulate(ctx: Ctx, account: Account, call: Call) {
  const { publicClient } = clients(ctx.config, account);
  const { request } = await publicClient.simulateContract({
    ...call,
    abi: [...call.abi, ...ALL_ERRORS_ABI],
    account,
  } as Parameters<typeof publicClient.simulateContract>[0]);
  return request;
}

/** Simulates (decoded revert reasons), sends, waits; returns the receipt. */
export async function send(ctx: Ctx, account: Account, call: Call) {
  const { publicClient, walletClient } = clients(ctx.config, account);
  const request = await simulate(ctx, account, call);
  const hash = await walletClient!.writeContract(
    request as Parameters<NonNullable<typeof walletClient>["writeContract"]>[0],
  );
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new UserError(`transaction ${hash} reverted`);
  return receipt;
}

export async function ensureAllowance(ctx: Ctx, account: Account, token: Address, spender: Address, amount: bigint) {
  const { publicClient } = clients(ctx.config);
  const allowance = await publicClient.readContract({
    address: token,
    abi: MockCTokenAbi,
    functionName: "allowance",
    args: [account.address, spender],
  });
  if (allowance >= amount) return;
  await send(ctx, account, { address: token, abi: MockCTokenAbi, functionName: "approve", args: [spender, amount] });
}

/** The signing account, loaded once per command (a keystore asks its password once). */
export async function signer(ctx: Ctx): Promise<Account> {
  ctx.account ??= await loadAccount(ctx.env, ctx.config.chainId, ctx.prompt);
  return ctx.account;
}

export async function readClaim(ctx: Ctx, id: bigint) {
  const { publicClient } = clients(ctx.config);
  const claim = await publicClient.readContract({
    address: ctx.config.addresses.pool,
    abi: CompensationPoolAbi,
    functionName: "getClaim",
    args: [id],
  });
  if (claim.status === 0) throw new UserError(`no claim #${id} on the pool ${ctx.config.addresses.pool}`);
  return claim;
}

export function deadlineText(unix: number | bigint): string {
  const n = Number(unix);
  if (n === 0) return "—";
  const left = n - Math.floor(Date.now() / 1000);
  return `${new Date(n * 1000).toISOString()} (${left >= 0 ? `in ${left} s` : `${-left} s ago`})`;
}
