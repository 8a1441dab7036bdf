/**
 * The station's chain as viem describes it, from its id and RPC URL: one definition for the page,
 * the CLI and the relayer. Chain 31337 is the local Hardhat node.
 */
import { type Chain, defineChain } from "viem";

export const LOCAL_CHAIN_ID = 31337;

export function stationChain(chainId: number, rpcUrl: string): Chain {
  return defineChain({
    id: chainId,
    name: chainId === LOCAL_CHAIN_ID ? "Hardhat" : `chain ${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
}
