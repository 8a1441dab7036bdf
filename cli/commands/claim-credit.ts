/**
 * `station claim credit <claimId>`: the breach credit the pool owes when a deadline passed.
 */
import type { Command } from "commander";
import { parseEventLogs } from "viem";

import { CompensationPoolAbi } from "../../common/abis/CompensationPool.js";
import { type Deps, idArg } from "../lib/command.js";
import { C, type Ctx, deadlineText, readClaim, send, signer } from "../lib/context.js";
import { UserError, clients } from "../lib/station-client.js";
import { STATUS_NAMES } from "../lib/vocabulary.js";

export function register(parent: Command, deps: Deps) {
  parent
    .command("credit")
    .description("the credit owed when a deadline passed unanswered or unresolved (anyone may trigger it)")
    .argument("<claimId>", "the claim", idArg("<claimId>"))
    .action(async (id: bigint) => claimCredit(await deps.ctx(), id));
}

/**
 * `station claim credit <claimId>`: the breach credit the pool owes when a deadline passed — the
 * no-answer credit while the claim is still unanswered after its response deadline, else the
 * late-resolution credit once its resolution deadline passed unresolved. Anyone may trigger it;
 * the claimant is paid. Says in words why none is due.
 */
async function claimCredit(ctx: Ctx, id: bigint) {
  const claim = await readClaim(ctx, id);
  const { publicClient } = clients(ctx.config);
  const now = (await publicClient.getBlock()).timestamp;
  const status = STATUS_NAMES[claim.status]!;
  const unresolved = status === "Submitted" || status === "Accepted" || status === "Investigating";
  let functionName: "claimNoResponseCredit" | "claimResolutionCredit";
  if (status === "Submitted" && !claim.noResponseCreditPaid && now > claim.responseDeadline) {
    functionName = "claimNoResponseCredit";
  } else if (unresolved && !claim.resolutionCreditPaid && now > claim.resolutionDeadline) {
    functionName = "claimResolutionCredit";
  } else if (!unresolved) {
    throw new UserError(`claim #${id} is ${status}: no breach credit is due once a claim is resolved`);
  } else {
    const next =
      status === "Submitted" && !claim.noResponseCreditPaid ? claim.responseDeadline : claim.resolutionDeadline;
    throw new UserError(
      claim.resolutionCreditPaid
        ? `claim #${id} has had both its credits`
        : `no credit is due yet: claim #${id} may be answered until ${deadlineText(next)}`,
    );
  }
  if (!claim.standing) {
    throw new UserError(
      `claim #${id} earns no breach credit: its claimant had no priority tier or package coverage when filing`,
    );
  }
  const account = await signer(ctx);
  const receipt = await send(ctx, account, {
    address: ctx.config.addresses.pool,
    abi: CompensationPoolAbi,
    functionName,
    args: [id],
  });
  const [paid] = parseEventLogs({ abi: CompensationPoolAbi, eventName: "BreachCreditPaid", logs: receipt.logs });
  const what = functionName === "claimNoResponseCredit" ? "no-answer credit" : "late-resolution credit";
  ctx.out(`claim #${id}: ${C(paid?.args.amount ?? 0n)} ${what} paid to ${claim.claimant} (${receipt.transactionHash})`);
}
