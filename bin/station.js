#!/usr/bin/env node
// `npx station …`: runs cli/index.ts through tsx (registered as a loader in this process).
import { register } from "tsx/esm/api";

register();
const { runCli, terminalIo } = await import("../cli/index.ts");
process.exitCode = await runCli(process.argv.slice(2), terminalIo());
