/** `station incident close <incidentId>`: after the claim period, releases the round's unclaimed rest to the pool. */
import type { Command } from "commander";

import { CompensationPoolAbi } from "../../common/abis/CompensationPool.js";
import { type Deps, idArg } from "../lib/command.js";
import { send, signer } from "../lib/context.js";

export function register(parent: Command, deps: Deps) {
  parent
    .command("close")
    .description("close an incident round after its claim period; its unclaimed rest returns to the pool")
    .argument("<incidentId>", "the incident", idArg("<incidentId>"))
    .action(async (id: bigint) => {
      const ctx = await deps.ctx();
      const account = await signer(ctx);
      const pool = ctx.config.addresses.pool;
      await send(ctx, account, { address: pool, abi: CompensationPoolAbi, functionName: "closeIncident", args: [id] });
      ctx.out(`incident #${id} closed; its unclaimed rest is released to the pool`);
    });
}
