/**
 * The command line of scripts/incident.ts, separate from its entry point so tests can run it
 * against an in-process network.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";

import type { Signer } from "ethers";

import {
  type AmountUnit,
  type Incident,
  buildIncident,
  hashCsv,
  openIncidentRound,
  parseIncidentCsv,
  writeIncidentJson,
} from "./incident.js";
import { deadlineAt, parseDeadline } from "../../common/deadline.js";

export const USAGE = `Build an incident compensation round from a CSV and open it on the CompensationPool.

  npx tsx scripts/incident.ts --csv <file> [options]
  INCIDENT_ARGS="--csv <file> [options]" npx hardhat run --network <name> scripts/incident.ts

Options:
  --csv <file>             rows of account,amount (a first line "account,amount" is a header)
  --unit C|wei             unit of the amount column (default C, up to 18 decimals)
  --out <file>             JSON to write (default: the CSV's path with .json)
  --dry-run                build and write the JSON only; no network, no transaction
  --pool <address>         the CompensationPool (required unless --dry-run)
  --deadline <when>        claim deadline: +<n>d or +<n>h from the latest block, unix seconds,
                           or an ISO date (default +30d)
  --metadata-hash <0x..>   bytes32 for IncidentOpened (default: keccak256 of the CSV file)
  --network <name>         network of hardhat.config.ts when run with tsx (with hardhat run,
                           use its own --network)
  --help                   this text

The JSON holds root, total (wei), count, leafEncoding, round (null on a dry run; pool,
chainId, incidentId, claimableAt, claimDeadline, metadataHash, transactionHash once opened)
and claims: { "<account>": { index, amount, proof } }. The signer is the network's first
account and must hold the pool's DEFAULT_ADMIN_ROLE.`;

export type CliDeps = {
  /** Connects to the network and returns its signers (only called when not a dry run). */
  connect: (network: string | undefined) => Promise<{ getSigners(): Promise<Signer[]> }>;
  log: (message: string) => void;
};

export type CliResult = { outPath: string; incident: Omit<Incident, "claims"> } | { help: true };

export async function runIncidentCli(argv: string[], deps: CliDeps): Promise<CliResult> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      csv: { type: "string" },
      unit: { type: "string", default: "C" },
      out: { type: "string" },
      "dry-run": { type: "boolean", default: false },
      pool: { type: "string" },
      deadline: { type: "string", default: "+30d" },
      "metadata-hash": { type: "string" },
      network: { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    deps.log(USAGE);
    return { help: true };
  }
  if (values.csv === undefined) throw new Error(`--csv is required\n\n${USAGE}`);
  if (values.unit !== "C" && values.unit !== "wei") throw new Error(`--unit must be C or wei, not "${values.unit}"`);
  const dryRun = values["dry-run"];
  if (!dryRun && values.pool === undefined) throw new Error("--pool is required unless --dry-run");
  const metadataHashArg = values["metadata-hash"];
  if (metadataHashArg !== undefined && !/^0x[0-9a-fA-F]{64}$/.test(metadataHashArg)) {
    throw new Error(`--metadata-hash must be 0x and 64 hex digits, not "${metadataHashArg}"`);
  }
  const deadline = parseDeadline(values.deadline);

  const csvBytes = await readFile(values.csv);
  const rows = parseIncidentCsv(csvBytes.toString("utf8"), values.unit as AmountUnit, deps.log);
  deps.log(`read ${rows.length} accounts from ${values.csv}`);
  const incident = buildIncident(rows, deps.log);
  const outPath = values.out ?? defaultOut(values.csv);
  await writeIncidentJson(outPath, incident, deps.log);
  deps.log(`wrote ${outPath}`);
  const { claims: _claims, ...summary } = incident;
  if (dryRun) {
    deps.log("dry run: no round opened");
    return { outPath, incident: summary };
  }

  const connection = await deps.connect(values.network);
  const [signer] = await connection.getSigners();
  if (signer === undefined) throw new Error("the network has no account to send from");
  const provider = signer.provider!;
  const now = (await provider.getBlock("latest"))!.timestamp;
  const claimDeadline = deadlineAt(deadline, now);
  const metadataHash = metadataHashArg ?? hashCsv(csvBytes);
  deps.log(`opening the round on ${values.pool} from ${await signer.getAddress()}, claim deadline ${claimDeadline}`);
  incident.round = await openIncidentRound(signer, values.pool!, incident, claimDeadline, metadataHash);
  deps.log(
    `opened incident ${incident.round.incidentId} in ${incident.round.transactionHash}; ` +
      `claimable from ${incident.round.claimableAt} to ${incident.round.claimDeadline}`,
  );
  await writeIncidentJson(outPath, incident, deps.log);
  deps.log(`wrote ${outPath} with the round`);
  const { claims: _written, ...opened } = incident;
  return { outPath, incident: opened };
}

function defaultOut(csvPath: string): string {
  const parsed = path.parse(csvPath);
  return path.join(parsed.dir, `${parsed.name}.json`);
}
