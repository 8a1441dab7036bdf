/** `station verify`: is this address station support now, was this message signed by it? Needs no key. */
import type { Command } from "commander";

import type { Deps } from "../lib/command.js";
import { UsageError } from "../lib/station-client.js";
import { VerifyUsageError, verifyCommand } from "../lib/verify-cli.js";

type Options = { message?: string; signature?: string; address?: string };

export function register(parent: Command, deps: Deps) {
  parent
    .command("verify")
    .description("is this address station support right now, and was this message signed by it?")
    .argument("[address]", "the address to check")
    .option("--message <text>", "a message said to come from station support")
    .option("--signature <0x…>", "its signature")
    .option("--address <address>", "who claims to have signed it")
    .action(async (address: string | undefined, options: Options) => {
      const config = async () => (await deps.ctx()).config;
      try {
        const genuine = await verifyCommand(
          { out: deps.io.out, config },
          address === undefined ? [] : [address],
          options,
        );
        if (!genuine) deps.code = 1;
      } catch (error) {
        if (error instanceof VerifyUsageError) throw new UsageError(error.message);
        throw error;
      }
    });
}
