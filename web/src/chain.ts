/**
 * The station's contracts as the page reaches them: reads through the wallet when there is one (no
 * CORS question) or else the configured RPC, and transactions simulated first (so a revert comes
 * back decoded, before the wallet asks) then sent through the connected wallet.
 */
import {
  type Abi,
  type Address,
  type Chain,
  createPublicClient,
  createWalletClient,
  custom,
  getAddress,
  http,
  isAddress,
} from "viem";

import { CStakingAbi } from "../../common/abis/CStaking.js";
import { stationChain as chainOf } from "../../common/chain.js";
import { CompensationPoolAbi } from "../../common/abis/CompensationPool.js";
import { EmergencyPackagesAbi } from "../../common/abis/EmergencyPackages.js";
import { MockCTokenAbi } from "../../common/abis/MockCToken.js";
import { PageError } from "./errorText.js";
import type { Wallet } from "./wallet.js";

/** What `/station-config.json` tells the page. */
export type StationConfig = {
  chainId: number;
  rpcUrl: string;
  addresses: Record<ContractName, Address | null>;
};
export type ContractName = "pool" | "cToken" | "stablecoin" | "staking" | "packages";

const CONTRACTS: readonly ContractName[] = ["pool", "cToken", "stablecoin", "staking", "packages"];

/** `/station-config.json` checked field by field: a wrong setting says which, instead of failing later. */
export function parseStationConfig(json: unknown): StationConfig {
  const bad = (what: string) => new Error(`the station's settings have ${what}`);
  if (typeof json !== "object" || json === null) throw bad("no object");
  const { chainId, rpcUrl, addresses } = json as Record<string, unknown>;
  if (typeof chainId !== "number" || !Number.isSafeInteger(chainId) || chainId <= 0) throw bad("no valid chainId");
  if (typeof rpcUrl !== "string" || !/^https?:\/\//.test(rpcUrl)) throw bad("no http(s) rpcUrl");
  if (typeof addresses !== "object" || addresses === null) throw bad("no addresses");
  const parsed = {} as Record<ContractName, Address | null>;
  for (const name of CONTRACTS) {
    const value = (addresses as Record<string, unknown>)[name];
    if (value !== null && (typeof value !== "string" || !isAddress(value, { strict: false }))) {
      throw bad(`no valid ${name} address`);
    }
    parsed[name] = value === null ? null : getAddress(value);
  }
  return { chainId, rpcUrl, addresses: parsed };
}

/** Every custom error of the station's contracts, so a revert from any call decodes by name. */
const ERRORS = [...CompensationPoolAbi, ...CStakingAbi, ...EmergencyPackagesAbi, ...MockCTokenAbi].filter(
  (i) => i.type === "error",
);

export type ContractCall = {
  address: Address;
  abi: Abi;
  functionName: string;
  args: readonly unknown[];
  /**
   * The gas limit to send with, from the node's estimate (e.g. `claimGasLimit` of common/gas.ts for
   * a claim submission, which may open a fresh storage slot the estimate did not count). Absent:
   * the wallet estimates.
   */
  gasLimit?: (estimate: bigint) => bigint;
};

export function stationChain(config: Pick<StationConfig, "chainId" | "rpcUrl">): Chain {
  return chainOf(config.chainId, config.rpcUrl);
}

export function createChainAccess(config: StationConfig, wallet: Wallet) {
  const chain = stationChain(config);

  function reader() {
    const provider = wallet.readProvider();
    return createPublicClient({ chain, transport: provider ? custom(provider) : http(config.rpcUrl) });
  }

  function need(name: ContractName): Address {
    const address = config.addresses[name];
    if (!address) throw new Error(`The station has no ${name} address configured.`);
    return address;
  }

  /** The connected account, or "connect first" in words. */
  function account(): Address {
    const address = wallet.account();
    if (!address) throw new PageError("connectFirst");
    return address;
  }

  function writer() {
    return createWalletClient({ account: account(), chain, transport: custom(wallet.provider()) });
  }

  /** The chain's time (latest block): what the contracts judge deadlines by. */
  async function now(): Promise<number> {
    return Number((await reader().getBlock()).timestamp);
  }

  async function send(call: ContractCall) {
    await wallet.ensureChain();
    const w = writer();
    // The call's ABI plus every station error: a revert in a nested call still decodes.
    const contract = {
      address: call.address,
      abi: [...call.abi, ...ERRORS],
      functionName: call.functionName,
      args: call.args,
      account: w.account,
    };
    const { request } = await reader().simulateContract(contract);
    const gas = call.gasLimit === undefined ? undefined : call.gasLimit(await reader().estimateContractGas(contract));
    const hash = await w.writeContract(gas === undefined ? request : { ...request, gas });
    const receipt = await reader().waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`The transaction ${hash} failed.`);
    return receipt;
  }

  /** Approves `spender` for `amount` of `token` unless the allowance already covers it. */
  async function approve(token: Address, spender: Address, amount: bigint) {
    const allowance = await reader().readContract({
      address: token,
      abi: MockCTokenAbi,
      functionName: "allowance",
      args: [account(), spender],
    });
    if (allowance < amount) {
      await send({ address: token, abi: MockCTokenAbi, functionName: "approve", args: [spender, amount] });
    }
  }

  return { chain, reader, writer, need, account, now, send, approve };
}

export type ChainAccess = ReturnType<typeof createChainAccess>;
