/** `station stake|unstake <amountC>`: one shape, two directions; both print the stake and tier after. */
import type { Command } from "commander";

import { CStakingAbi } from "../../common/abis/CStaking.js";
import { type Deps, amountArg } from "../lib/command.js";
import { type Ctx, ensureAllowance, send, signer } from "../lib/context.js";
import { printStake } from "../lib/staking.js";

export function register(parent: Command, deps: Deps) {
  for (const action of ["stake", "unstake"] as const) {
    parent
      .command(action)
      .description(action === "stake" ? "stake C for a support tier" : "start the cooldown of staked C (then withdraw)")
      .argument("<amountC>", "the amount, in C", amountArg("<amountC>"))
      .action(async (amount: bigint) => staking(await deps.ctx(), action, amount));
  }
}

async function staking(ctx: Ctx, action: "stake" | "unstake", amount: bigint) {
  const account = await signer(ctx);
  const address = ctx.config.addresses.staking;
  if (action === "stake") {
    await ensureAllowance(ctx, account, ctx.config.addresses.cToken, address, amount);
    await send(ctx, account, { address, abi: CStakingAbi, functionName: "stake", args: [amount] });
  } else {
    await send(ctx, account, { address, abi: CStakingAbi, functionName: "unstake", args: [amount] });
  }
  await printStake(ctx, account.address);
}
