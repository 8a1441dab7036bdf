/**
 * `station claim submit`: the claimant's opening statement is sealed with the service first (its
 * hash is the claim's evidenceHash), then the claim is filed on-chain, or relayed without gas.
 */
import type { Command } from "commander";
import { parseEventLogs } from "viem";

import { CompensationPoolAbi } from "../../common/abis/CompensationPool.js";
import { CLAIM_KINDS as ALL_KINDS } from "../../common/claims.js";
import { CLAIM_REQUEST_TYPES, claimDomain } from "../../common/typedData.js";
import { type Deps, collect, oneOf, parser } from "../lib/command.js";
import { C, CLAIM_UNIT, type Ctx, deadlineText, parseC, send, signer } from "../lib/context.js";
import { fileOpening } from "../lib/case-cli.js";
import { UsageError, UserError, clients, reach, refused } from "../lib/station-client.js";
import { CLAIM_KINDS } from "../lib/vocabulary.js";

type Options = {
  kind?: (typeof CLAIM_KINDS)[number];
  amount?: bigint;
  description?: string;
  gasless?: boolean;
  attach?: string[];
  tx?: string[];
  link?: string[];
  channel?: string;
  contact?: string;
  origin?: string;
};

const amount = parser((text) => {
  const wei = parseC(text, "--amount");
  if (wei % CLAIM_UNIT !== 0n) throw new UserError("--amount may have at most 6 decimals");
  return wei;
});

export function register(parent: Command, deps: Deps) {
  parent
    .command("submit")
    .description("file a claim; the description opens the claim's private case (its hash is the evidenceHash)")
    .option(`--kind <kind>`, `what went wrong: ${CLAIM_KINDS.join("|")} (required)`, oneOf(CLAIM_KINDS, "--kind"))
    .option("--amount <C>", "the amount claimed, in C, at most 6 decimals (required)", amount)
    .option("--description <text>", "what happened, sealed with the service (required)")
    .option("--attach <file>", "a file for the statement (repeatable)", collect)
    .option("--tx <hash>", "a transaction the statement cites (repeatable)", collect)
    .option("--link <url>", "a link the statement cites (repeatable)", collect)
    .option("--channel <channel>", "how to be helped: text|callback|remote (default text)")
    .option("--contact <handle>", "how to reach you, with --channel callback|remote (sealed with the service)")
    .option("--origin <address>", "the address the claim is about, if not yours")
    .option("--gasless", "sign the claim and let the service's relayer send it")
    .action(async (options: Options) => {
      // Usage first: a mistake is told without reaching the chain or asking for a key.
      if (options.kind === undefined) throw new UsageError(`claim submit needs --kind <${CLAIM_KINDS.join("|")}>`);
      if (options.amount === undefined) throw new UsageError("claim submit needs --amount <C>");
      const { description } = options;
      if (description === undefined || description.trim() === "") {
        throw new UsageError("claim submit needs --description <text>: what happened (sealed with the service)");
      }
      await submitClaim(await deps.ctx(), { ...options, kind: options.kind, amount: options.amount, description });
    });
}

async function submitClaim(ctx: Ctx, options: Options & Required<Pick<Options, "kind" | "amount" | "description">>) {
  const { kind: kindName, amount, description } = options;
  const kind = CLAIM_KINDS.indexOf(kindName);
  const account = await signer(ctx);
  const pool = ctx.config.addresses.pool;
  // The opening statement is stored first: its hash is what the claim commits to on-chain.
  const { hash: evidenceHash } = await fileOpening(
    ctx.config,
    account,
    { kind: ALL_KINDS[kind]!, description },
    options,
  );
  if (options.gasless) {
    const { publicClient } = clients(ctx.config);
    const nonce = await publicClient.readContract({
      address: pool,
      abi: CompensationPoolAbi,
      functionName: "nonces",
      args: [account.address],
    });
    const deadline = BigInt(Math.floor(Date.now() / 1000) + 3600);
    const message = { claimant: account.address, kind, amount, evidenceHash, nonce, deadline };
    if (account.signTypedData === undefined) throw new UserError("this key cannot sign typed data");
    const signature = await account.signTypedData({
      domain: claimDomain(ctx.config.chainId, pool),
      types: CLAIM_REQUEST_TYPES,
      primaryType: "ClaimRequest",
      message,
    });
    const res = await reach(ctx.config, (api) =>
      api.v1.relay.claims.$post({
        json: {
          request: { ...message, amount: amount.toString(), nonce: nonce.toString(), deadline: deadline.toString() },
          signature,
        },
      }),
    );
    if (res.status !== 200) throw await refused(res, "POST /v1/relay/claims");
    const result = await res.json();
    ctx.out(`claim #${result.claimId} submitted without gas (relayed in ${result.txHash})`);
    return;
  }
  const receipt = await send(ctx, account, {
    address: pool,
    abi: CompensationPoolAbi,
    functionName: "submitClaim",
    args: [kind, amount, evidenceHash],
  });
  const [event] = parseEventLogs({ abi: CompensationPoolAbi, eventName: "ClaimSubmitted", logs: receipt.logs });
  if (!event) throw new UserError(`no ClaimSubmitted event in ${receipt.transactionHash}`);
  ctx.out(`claim #${event.args.claimId} submitted (${C(amount)}, ${kindName}) in ${receipt.transactionHash}`);
  ctx.out(`  respond by ${deadlineText(event.args.responseDeadline)}`);
}
