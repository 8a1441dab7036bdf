/**
 * Builds an incident round from a CSV (account,amount), writes the root and every account's
 * proof as JSON, and opens the round on the CompensationPool unless --dry-run. Run with
 * `--help` for the options; see scripts/lib/incident-cli.ts.
 *
 *   npx tsx scripts/incident.ts --csv payouts.csv --pool 0x... --network target
 *   INCIDENT_ARGS="--csv payouts.csv --pool 0x..." npx hardhat run --network target scripts/incident.ts
 */
import path from "node:path";
import { fileURLToPath } from "node:url";

import { network } from "hardhat";

import { IncidentCsvError } from "../cli/lib/incident.js";
import { runIncidentCli } from "../cli/lib/incident-cli.js";

// Run directly (tsx), the arguments follow the script; under `hardhat run`, they come from
// INCIDENT_ARGS because Hardhat does not pass script arguments on.
const direct = path.resolve(process.argv[1] ?? "") === fileURLToPath(import.meta.url);
const argv = direct ? process.argv.slice(2) : (process.env.INCIDENT_ARGS ?? "").split(/\s+/).filter(Boolean);

try {
  await runIncidentCli(argv, {
    connect: async (name) => (await network.create(direct ? name : undefined)).ethers,
    log: (message) => console.error(message),
  });
} catch (error) {
  console.error(error instanceof IncidentCsvError || error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
