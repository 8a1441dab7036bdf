/** `station queue`: open claims, most urgent first (the service's SLA queue, else the chain's open claims). */
import type { Command } from "commander";
import type { Address } from "viem";

import { CompensationPoolAbi } from "../../common/abis/CompensationPool.js";
import type { Deps } from "../lib/command.js";
import { C, type Ctx, deadlineText, signer } from "../lib/context.js";
import { ServiceError, clients, reach, refused, signIn } from "../lib/station-client.js";
import { STATUS_NAMES } from "../lib/vocabulary.js";

export function register(parent: Command, deps: Deps) {
  parent
    .command("queue")
    .description("open claims, most urgent first")
    .action(async () => queue(await deps.ctx()));
}

async function queue(ctx: Ctx) {
  const account = await signer(ctx);
  try {
    const token = await signIn(ctx.config, account);
    const res = await reach(ctx.config, (api) => api.v1.queue.$get({ query: {} }), token);
    if (res.status !== 200) throw await refused(res, "GET /v1/queue");
    const { items } = await res.json();
    if (items.length === 0) ctx.out("no open claims");
    for (const c of items) {
      const due = `${c.deadlineKind === "payable" ? "payable" : c.deadlineKind === "resolution" ? "resolve" : "respond"} by`;
      ctx.out(
        `#${c.id}  ${c.status.padEnd(13)} ${C(BigInt(c.amountRequested)).padEnd(14)} ${c.claimant}  ${due} ${deadlineText(c.deadline)} (${c.state})`,
      );
    }
    return;
  } catch (error) {
    if (!(error instanceof ServiceError) || (error.status !== 404 && error.status !== 0)) throw error;
    ctx.err(`(no SLA queue from the service — ${error.message}; listing open claims from the chain)`);
  }
  const { publicClient } = clients(ctx.config);
  const count = await publicClient.readContract({
    address: ctx.config.addresses.pool,
    abi: CompensationPoolAbi,
    functionName: "claimCount",
  });
  const open: { id: bigint; status: string; deadline: number; amount: bigint; claimant: Address }[] = [];
  for (let id = 1n; id <= count; id++) {
    const claim = await publicClient.readContract({
      address: ctx.config.addresses.pool,
      abi: CompensationPoolAbi,
      functionName: "getClaim",
      args: [id],
    });
    if (claim.status >= 1 && claim.status <= 3) {
      const status = STATUS_NAMES[claim.status]!;
      open.push({ id, status, deadline: claim.responseDeadline, amount: claim.amount, claimant: claim.claimant });
    }
  }
  open.sort((a, b) => a.deadline - b.deadline);
  if (open.length === 0) ctx.out("no open claims");
  for (const c of open) {
    ctx.out(
      `#${c.id}  ${c.status.padEnd(13)} ${C(c.amount).padEnd(14)} ${c.claimant}  respond by ${deadlineText(c.deadline)}`,
    );
  }
}
