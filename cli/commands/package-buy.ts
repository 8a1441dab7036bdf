/** `station package buy <packageId> --with c|stable`: buys a package at its quoted terms, for you or a beneficiary. */
import type { Command } from "commander";
import { type Address, formatUnits, getAddress, isAddress, parseEventLogs } from "viem";

import { EmergencyPackagesAbi } from "../../common/abis/EmergencyPackages.js";
import { MockCTokenAbi } from "../../common/abis/MockCToken.js";
import { type Deps, idArg, parser } from "../lib/command.js";
import { C, type Ctx, ensureAllowance, send, signer } from "../lib/context.js";
import { ALL_ERRORS_ABI, UsageError, UserError, clients } from "../lib/station-client.js";

type Options = { with?: "c" | "stable"; beneficiary?: Address };

const payWith = parser((text) => {
  const pay = text.toLowerCase();
  if (pay !== "c" && pay !== "stable") throw new UserError("--with must be c or stable");
  return pay;
});
const address = (what: string) =>
  parser((text) => {
    if (!isAddress(text)) throw new UserError(`${what} is not an address: ${text}`);
    return getAddress(text);
  });

export function register(parent: Command, deps: Deps) {
  parent
    .command("buy")
    .description("buy an emergency package, paying in C (at its discount) or the stablecoin")
    .argument("<packageId>", "the package", idArg("<packageId>"))
    .option("--with <token>", "c|stable (required)", payWith)
    .option("--beneficiary <address>", "buy for another address (it must allow you first)", address("--beneficiary"))
    .action(async (id: bigint, options: Options) => {
      const pay = options.with;
      if (pay === undefined) throw new UsageError("package buy needs --with c|stable");
      await buyPackage(await deps.ctx(), id, pay, options.beneficiary);
    });
}

async function buyPackage(ctx: Ctx, id: bigint, pay: "c" | "stable", beneficiaryOption: Address | undefined) {
  const account = await signer(ctx);
  const beneficiary = beneficiaryOption ?? account.address;
  const { publicClient } = clients(ctx.config);
  const packages = ctx.config.addresses.packages;
  if (beneficiary !== account.address) {
    const allowed = await publicClient.readContract({
      address: packages,
      abi: EmergencyPackagesAbi,
      functionName: "isBuyerApproved",
      args: [beneficiary, account.address],
    });
    if (!allowed) {
      throw new UserError(
        `${beneficiary} has not allowed ${account.address} to buy for it: it must first run ` +
          `\`station package allow ${account.address}\``,
      );
    }
  }
  const [amount, discountBps] = await publicClient.readContract({
    address: packages,
    abi: [...EmergencyPackagesAbi, ...ALL_ERRORS_ABI],
    functionName: "quote",
    args: [id, pay === "c", account.address],
  });
  // The purchase names the terms read here and pays at most the quote: it fails if either changed.
  const { termsVersion } = await publicClient.readContract({
    address: packages,
    abi: [...EmergencyPackagesAbi, ...ALL_ERRORS_ABI],
    functionName: "getPackage",
    args: [id],
  });
  const token = pay === "c" ? ctx.config.addresses.cToken : ctx.config.addresses.stablecoin;
  const show = (v: bigint) => (pay === "c" ? C(v) : `${formatUnits(v, 6)} USD`);
  // Checked up front: the purchase pays in two legs (pool and treasury), so the token's own
  // revert would name only the second leg's figures.
  const balance = await publicClient.readContract({
    address: token,
    abi: MockCTokenAbi,
    functionName: "balanceOf",
    args: [account.address],
  });
  if (balance < amount) {
    throw new UserError(
      `insufficient balance: ${account.address} has ${show(balance)}, package ${id} costs ${show(amount)}`,
    );
  }
  await ensureAllowance(ctx, account, token, packages, amount);
  const receipt = await send(ctx, account, {
    address: packages,
    abi: EmergencyPackagesAbi,
    functionName: pay === "c" ? "buyWithC" : "buyWithStable",
    args: [id, beneficiary, termsVersion, amount],
  });
  const [event] = parseEventLogs({ abi: EmergencyPackagesAbi, eventName: "PackagePurchased", logs: receipt.logs });
  const paid = event?.args.paid ?? amount;
  const shown = pay === "c" ? C(paid) : `${formatUnits(paid, 6)} USD (stablecoin)`;
  ctx.out(
    `package ${id} bought for ${beneficiary}: paid ${shown}` +
      (discountBps > 0 ? ` (${Number(discountBps) / 100}% discount)` : "") +
      (event ? `; covered until ${new Date(Number(event.args.coveredUntil) * 1000).toISOString()}` : ""),
  );
}
