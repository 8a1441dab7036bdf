import type { network } from "hardhat";

/** What a gas measurement file receives: one fresh in-process network connection. */
export type GasContext = Awaited<ReturnType<typeof network.create>>;

/**
 * One measured figure. `key` follows `"<Contract>.<function>[ <case>]"`, e.g.
 * `"CStaking.stake first"`; `gas` is the transaction's gasUsed (21,000 base included) or, for a
 * view, `eth_estimateGas` of calling it as a transaction from cold state.
 */
export type GasFigure = { key: string; gas: bigint };

/** Every file in bench/gas/ default-exports one of these. */
export type GasMeasurement = (ctx: GasContext) => Promise<GasFigure[]>;

/** gasUsed of a mined transaction response. */
export async function gasOf(tx: { wait(): Promise<{ gasUsed: bigint } | null> }): Promise<bigint> {
  const receipt = await tx.wait();
  if (receipt === null) throw new Error("transaction was not mined");
  return receipt.gasUsed;
}
