/**
 * `station accept|investigate|approve|reject|veto <claimId>`: one shape, five transitions. Each
 * note (or reason) is a signed message of the claim's case; its hash is the transition's noteHash.
 */
import type { Command } from "commander";
import { type Hex, zeroHash } from "viem";

import { CompensationPoolAbi } from "../../common/abis/CompensationPool.js";
import { type Deps, amountArg, collect, idArg } from "../lib/command.js";
import { type Call, type Ctx, readClaim, send, signer, simulate } from "../lib/context.js";
import { postNote } from "../lib/case-cli.js";
import { UsageError } from "../lib/station-client.js";
import { STAGE_TEXT, STATUS_NAMES } from "../lib/vocabulary.js";

type Action = "accept" | "investigate" | "approve" | "reject" | "veto";
type Options = { note?: string; reason?: string; attach?: string[]; tx?: string[]; link?: string[] };

const DESCRIPTIONS: Record<Action, string> = {
  accept: "accept a claim (assessors)",
  investigate: "mark a claim as under investigation (assessors)",
  approve: "approve a claim for <amountC> (assessors); from the large-claim threshold it waits for the delay",
  reject: "reject a claim, with the reason (assessors)",
  veto: "stop an approved payout during its delay, with the reason (guardians)",
};

export function register(parent: Command, deps: Deps) {
  for (const action of Object.keys(DESCRIPTIONS) as Action[]) {
    const needsReason = action === "reject" || action === "veto";
    const command = parent
      .command(action)
      .description(DESCRIPTIONS[action])
      .argument("<claimId>", "the claim", idArg("<claimId>"));
    if (action === "approve") command.argument("<amountC>", "the amount approved, in C", amountArg("<amountC>"));
    command
      .option(
        needsReason ? "--reason <text>" : "--note <text>",
        needsReason
          ? "why: a signed message of the case, its hash goes on-chain (required)"
          : "a signed message of the case; its hash goes on-chain",
      )
      .option("--attach <file>", "a file for the note (repeatable)", collect)
      .option("--tx <hash>", "a transaction the note cites (repeatable)", collect)
      .option("--link <url>", "a link the note cites (repeatable)", collect)
      .action(async (id: bigint, ...rest: unknown[]) => {
        const amount = action === "approve" ? (rest.shift() as bigint) : 0n;
        const options = rest[0] as Options;
        const text = (needsReason ? options.reason : options.note) ?? "";
        if (needsReason && text.trim() === "") {
          throw new UsageError(
            `${action} needs --reason <text> (a signed message of the case; its hash goes on-chain)`,
          );
        }
        await assess(await deps.ctx(), action, id, amount, text, options);
      });
  }
}

async function assess(ctx: Ctx, action: Action, id: bigint, amount: bigint, text: string, options: Options) {
  const account = await signer(ctx);
  const call = (note: Hex): Call => ({
    address: ctx.config.addresses.pool,
    abi: CompensationPoolAbi,
    ...(action === "accept"
      ? { functionName: "acceptClaim", args: [id, note] }
      : action === "investigate"
        ? { functionName: "markInvestigating", args: [id, note] }
        : action === "approve"
          ? { functionName: "approveClaim", args: [id, amount, note] }
          : action === "veto"
            ? { functionName: "vetoPayout", args: [id, note] }
            : { functionName: "rejectClaim", args: [id, note] }),
  });
  // A transition that would revert is refused before its note is posted (the note's hash does
  // not change the outcome); then the note, then the transaction that seals it.
  await simulate(ctx, account, call(zeroHash));
  const note = await postNote(ctx.config, account, id, action, text, options, ctx.err);
  const receipt = await send(ctx, account, call(note.hash));
  const claim = await readClaim(ctx, id);
  const status = STATUS_NAMES[claim.status]!;
  ctx.out(`claim #${id}: ${status} — ${STAGE_TEXT[status]} (${receipt.transactionHash})`);
  ctx.out(`  note: message #${note.seq} of the case (${note.hash})`);
}
