/** What `stake`, `unstake` and `withdraw` print after: the stake and the tier it gives. */
import type { Address } from "viem";

import { CStakingAbi } from "../../common/abis/CStaking.js";
import { C, type Ctx } from "./context.js";
import { clients } from "./station-client.js";

export async function printStake(ctx: Ctx, account: Address) {
  const { publicClient } = clients(ctx.config);
  const address = ctx.config.addresses.staking;
  const [stake, tier] = await Promise.all([
    publicClient.readContract({ address, abi: CStakingAbi, functionName: "stakeOf", args: [account] }),
    publicClient.readContract({ address, abi: CStakingAbi, functionName: "tierOf", args: [account] }),
  ]);
  ctx.out(`stake of ${account}: ${C(stake)} (effective tier now: ${tier}; stake counts after the warmup)`);
}
