/** `station case reply <claimId> --text <text>`: a message of the case, signed by the session key. */
import type { Command } from "commander";

import { type Deps, collect, idArg } from "../lib/command.js";
import { caseReply, checkReply } from "../lib/case-cli.js";
import { openSession } from "../lib/case-command.js";

export function register(parent: Command, deps: Deps) {
  parent
    .command("reply")
    .description("write to a claim's case")
    .argument("<claimId>", "the claim", idArg("<claimId>"))
    .option("--text <text>", "the message (required unless it carries an attachment)")
    .option("--attach <file>", "a file (repeatable)", collect)
    .option("--tx <hash>", "a transaction the message cites (repeatable)", collect)
    .option("--link <url>", "a link the message cites (repeatable)", collect)
    .action(async (id: bigint, options: Record<string, unknown>) => {
      checkReply(options);
      await caseReply(deps.io, await openSession(deps), id, options);
    });
}
