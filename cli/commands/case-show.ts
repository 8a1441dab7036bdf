/** `station case show <claimId>`: the claim's private conversation, each line's standing against the chain. */
import type { Command } from "commander";

import { type Deps, idArg } from "../lib/command.js";
import { caseShow } from "../lib/case-cli.js";
import { openSession } from "../lib/case-command.js";

export function register(parent: Command, deps: Deps) {
  parent
    .command("show")
    .description("a claim's case: the opening statement, the messages, each against the chain")
    .argument("<claimId>", "the claim", idArg("<claimId>"))
    .option("--json", "the service's view as JSON")
    .action(async (id: bigint, options: { json?: boolean }) =>
      caseShow(deps.io, await openSession(deps), id, options.json === true),
    );
}
