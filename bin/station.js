#!/usr/bin/env node
// `npx station …`: runs scripts/cli.ts through tsx (registered as a loader in this process).
import { register } from "tsx/esm/api";

register();
const { runCli, terminalIo } = await import("../scripts/cli.ts");
process.exitCode = await runCli(process.argv.slice(2), terminalIo());
