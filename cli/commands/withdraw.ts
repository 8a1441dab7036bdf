/** `station withdraw`: takes out the unstaked C whose cooldown has passed. */
import type { Command } from "commander";

import { CStakingAbi } from "../../common/abis/CStaking.js";
import type { Deps } from "../lib/command.js";
import { C, type Ctx, send, signer } from "../lib/context.js";
import { printStake } from "../lib/staking.js";
import { UserError, clients } from "../lib/station-client.js";

export function register(parent: Command, deps: Deps) {
  parent
    .command("withdraw")
    .description("withdraw unstaked C once its cooldown has passed")
    .action(async () => withdraw(await deps.ctx()));
}

async function withdraw(ctx: Ctx) {
  const account = await signer(ctx);
  const address = ctx.config.addresses.staking;
  const { publicClient } = clients(ctx.config);
  const [, withdrawable] = await publicClient.readContract({
    address,
    abi: CStakingAbi,
    functionName: "pendingWithdrawalsOf",
    args: [account.address],
  });
  if (withdrawable === 0n) throw new UserError("nothing to withdraw yet (the cooldown has not passed)");
  await send(ctx, account, { address, abi: CStakingAbi, functionName: "withdraw", args: [] });
  ctx.out(`withdrew ${C(withdrawable)}`);
  await printStake(ctx, account.address);
}
