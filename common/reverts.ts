/**
 * A contract's refusal, decoded once for every part: the custom error a viem call reverted with
 * (its name, arguments and argument names), and every station contract's errors as one ABI to
 * decode with. The page and the CLI put it in words; this module only says what it was.
 */
import { type Abi, BaseError, ContractFunctionRevertedError } from "viem";

import { CStakingAbi } from "./abis/CStaking.js";
import { CompensationPoolAbi } from "./abis/CompensationPool.js";
import { EmergencyPackagesAbi } from "./abis/EmergencyPackages.js";
import { MockCTokenAbi } from "./abis/MockCToken.js";
import { MockStablecoinAbi } from "./abis/MockStablecoin.js";

/** Every custom error a station call can meet (pool, staking, packages, and the tokens' ERC-20 errors). */
// Marked pure so that a bundle which only decodes (the web page, through `revertOf`) leaves the
// list, and the stablecoin's ABI it alone brings in, out.
export const STATION_ERRORS_ABI = /* @__PURE__ */ [
  ...CompensationPoolAbi,
  ...CStakingAbi,
  ...EmergencyPackagesAbi,
  ...MockCTokenAbi,
  ...MockStablecoinAbi,
].filter((item) => item.type === "error") as Abi;

/** A decoded custom error: its name, its arguments and their names (as the ABI names them). */
export type Revert = { errorName: string; args: readonly unknown[]; names: readonly (string | undefined)[] };

/** The custom error `error` (a viem error, however wrapped) reverted with; undefined for any other failure. */
export function revertOf(error: unknown): Revert | undefined {
  if (!(error instanceof BaseError)) return undefined;
  const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
  if (!(reverted instanceof ContractFunctionRevertedError) || !reverted.data?.errorName) return undefined;
  const inputs = (reverted.data.abiItem as { inputs?: readonly { name?: string }[] } | undefined)?.inputs ?? [];
  return { errorName: reverted.data.errorName, args: reverted.data.args ?? [], names: inputs.map((i) => i.name) };
}

/** `Name(arg: 1, other: 0xab…)`: the revert as its signature with values, for logs and the CLI. */
export function revertSignature({ errorName, args, names }: Revert): string {
  const shown = args.map((a, i) => `${names[i] ? `${names[i]}: ` : ""}${formatArg(a)}`);
  return `${errorName}(${shown.join(", ")})`;
}

function formatArg(value: unknown): string {
  return typeof value === "bigint" ? value.toString() : typeof value === "string" ? value : JSON.stringify(value);
}
