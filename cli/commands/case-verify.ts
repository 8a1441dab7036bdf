/** `station case verify <bundle.json>`: checks an exported case against the chain alone (no key, no service). */
import type { Command } from "commander";

import type { Deps } from "../lib/command.js";
import { caseVerify } from "../lib/case-cli.js";
import { UsageError } from "../lib/station-client.js";

export function register(parent: Command, deps: Deps) {
  parent
    .command("verify")
    .description("check an exported case bundle against the chain")
    .argument("<bundle.json>", "the bundle `station case export` wrote")
    .option("--rpc <url>", "the chain to check against (default RPC_URL)")
    .action(async (file: string, options: { rpc?: string }) => {
      const rpc = options.rpc ?? deps.io.env.RPC_URL;
      if (rpc === undefined) throw new UsageError("case verify reads the chain: give --rpc <url> or set RPC_URL");
      await caseVerify(deps.io, file, rpc);
    });
}
