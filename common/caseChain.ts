/**
 * The chain as the case verifier reads it, through nothing but an RPC URL: the claim's
 * `ClaimSubmitted` (claimant and evidence hash) and its `ClaimStatusChanged` notes.
 */
import { createPublicClient, getAbiItem, http, type Address, type Hex } from "viem";

import { CompensationPoolAbi } from "./abis/CompensationPool.js";
import type { ChainView } from "./case.js";
import { statusOf } from "./claims.js";

const submitted = getAbiItem({ abi: CompensationPoolAbi, name: "ClaimSubmitted" });
const changed = getAbiItem({ abi: CompensationPoolAbi, name: "ClaimStatusChanged" });

export function rpcChainView(rpcUrl: string, pool: Address): ChainView {
  const client = createPublicClient({ transport: http(rpcUrl, { timeout: 15_000, retryCount: 2 }) });
  return {
    chainId: () => client.getChainId(),
    async claim(claimId, fromBlock) {
      const logs = await client.getLogs({
        address: pool,
        event: submitted,
        args: { claimId },
        fromBlock,
        toBlock: "latest",
      });
      const log = logs[0];
      if (log === undefined) return undefined;
      return { claimant: log.args.claimant!, evidenceHash: log.args.evidenceHash! };
    },
    async transitions(claimId, fromBlock) {
      const logs = await client.getLogs({
        address: pool,
        event: changed,
        args: { claimId },
        fromBlock,
        toBlock: "latest",
      });
      return logs.map((l) => ({
        status: statusOf(l.args.status!)!,
        actor: l.args.actor!,
        noteHash: l.args.noteHash!,
        txHash: l.transactionHash as Hex,
      }));
    },
    verifyWallet: ({ address, message, signature }) => client.verifyMessage({ address, message, signature }),
  };
}
