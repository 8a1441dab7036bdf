/**
 * The page's transaction path (web/src/chain.ts) against an in-process Hardhat network: a claim
 * submission goes out with the headroom of common/gas.ts on top of the node's estimate, so a
 * claim mined after another one that opened nothing still gets mined when it must open a fresh
 * breach-lane slot.
 */
import { expect } from "chai";
import { network } from "hardhat";
import { type Address, type EIP1193Provider, type Hex, encodeFunctionData, keccak256, toHex } from "viem";

import { CompensationPoolAbi } from "../../common/abis/CompensationPool.js";
import { CLAIM_SLOT_HEADROOM, claimGasLimit } from "../../common/gas.js";
import LocalStation from "../../ignition/modules/LocalStation.js";
import { createChainAccess, type StationConfig } from "../../web/src/chain.js";
import type { Wallet } from "../../web/src/wallet.js";

const { ethers, ignition, provider } = await network.create();
const C = 10n ** 18n;

const deployed = await ignition.deploy(LocalStation, { parameters: "ignition/parameters/localhost.json" });
const poolAddress = (await deployed.compensationPool.getAddress()) as Address;
const pool = await ethers.getContractAt("CompensationPool", poolAddress);

describe("the page's transactions", function () {
  /** The page's chain access through a wallet that is the Hardhat node, recording what it sends. */
  function page(account: Address) {
    const sent: Array<{ gas?: Hex; data?: Hex }> = [];
    const eip1193 = {
      async request(args: { method: string; params?: unknown }) {
        if (args.method === "eth_sendTransaction") sent.push((args.params as Array<{ gas?: Hex; data?: Hex }>)[0]!);
        return (provider as unknown as EIP1193Provider).request(args as never);
      },
    } as unknown as EIP1193Provider;
    const wallet = {
      account: () => account,
      readProvider: () => eip1193,
      provider: () => eip1193,
      ensureChain: async () => undefined,
    } as unknown as Wallet;
    const config: StationConfig = {
      chainId: 31337,
      rpcUrl: "http://127.0.0.1:8545",
      addresses: { pool: poolAddress, cToken: null, stablecoin: null, staking: null, packages: null },
    };
    return { chain: createChainAccess(config, wallet), sent };
  }

  it("sends a claim with the estimate plus the lane-slot headroom, and the wallet's estimate otherwise", async function () {
    const [, , , , claimant] = await ethers.getSigners();
    const from = (await claimant!.getAddress()) as Address;
    const { chain, sent } = page(from);
    const args = [0, 3n * C, keccak256(toHex("page claim"))] as const;
    const estimate = await (provider as unknown as EIP1193Provider).request({
      method: "eth_estimateGas",
      params: [
        {
          from,
          to: poolAddress,
          data: encodeFunctionData({ abi: CompensationPoolAbi, functionName: "submitClaim", args }),
        },
      ],
    });
    const before = await pool.claimCount();
    const receipt = await chain.send({
      address: poolAddress,
      abi: CompensationPoolAbi,
      functionName: "submitClaim",
      args,
      gasLimit: claimGasLimit,
    });
    expect(receipt.status).to.equal("success");
    expect(await pool.claimCount()).to.equal(before + 1n);
    expect(sent).to.have.length(1);
    expect(BigInt(sent[0]!.gas!)).to.equal(BigInt(estimate) + CLAIM_SLOT_HEADROOM);

    // A call without a gas policy goes out with no headroom: the plain estimate, or none.
    const cancel = encodeFunctionData({ abi: CompensationPoolAbi, functionName: "cancelClaim", args: [before + 1n] });
    const cancelEstimate = await (provider as unknown as EIP1193Provider).request({
      method: "eth_estimateGas",
      params: [{ from, to: poolAddress, data: cancel }],
    });
    await chain.send({
      address: poolAddress,
      abi: CompensationPoolAbi,
      functionName: "cancelClaim",
      args: [before + 1n],
    });
    expect(sent).to.have.length(2);
    expect(sent[1]!.gas === undefined || BigInt(sent[1]!.gas) === BigInt(cancelEstimate)).to.equal(true);
  });
});
