/** `station package allow|disallow <buyerAddress>`: let a buyer buy packages for you (or stop it). */
import type { Command } from "commander";
import { type Address, getAddress, isAddress } from "viem";

import { EmergencyPackagesAbi } from "../../common/abis/EmergencyPackages.js";
import { type Deps, parser } from "../lib/command.js";
import { type Ctx, send, signer } from "../lib/context.js";
import { UserError } from "../lib/station-client.js";

const buyerArg = parser((text) => {
  if (!isAddress(text)) throw new UserError(`<buyerAddress> is not an address: ${text}`);
  return getAddress(text);
});

export function register(parent: Command, deps: Deps) {
  for (const approved of [true, false]) {
    parent
      .command(approved ? "allow" : "disallow")
      .description(approved ? "let a buyer buy packages for you" : "stop a buyer buying packages for you")
      .argument("<buyerAddress>", "the buyer", buyerArg)
      .action(async (buyer: Address) => allowBuyer(await deps.ctx(), buyer, approved));
  }
}

async function allowBuyer(ctx: Ctx, buyer: Address, approved: boolean) {
  const account = await signer(ctx);
  await send(ctx, account, {
    address: ctx.config.addresses.packages,
    abi: EmergencyPackagesAbi,
    functionName: "setBuyerApproval",
    args: [buyer, approved],
  });
  ctx.out(`${buyer} ${approved ? "may now buy" : "may no longer buy"} packages for ${account.address}`);
}
