/** `station case export <claimId>`: the case as one bundle anyone can verify against the chain. */
import type { Command } from "commander";

import { type Deps, idArg } from "../lib/command.js";
import { caseExport } from "../lib/case-cli.js";
import { openSession } from "../lib/case-command.js";

export function register(parent: Command, deps: Deps) {
  parent
    .command("export")
    .description("the case as a bundle anyone can verify (stdout without --out)")
    .argument("<claimId>", "the claim", idArg("<claimId>"))
    .option("--out <file>", "write the bundle to this file")
    .action(async (id: bigint, options: { out?: string }) =>
      caseExport(deps.io, await openSession(deps), id, options.out),
    );
}
