/**
 * Incident rounds for the CompensationPool: a CSV of (account, amount) becomes an OpenZeppelin
 * StandardMerkleTree of (uint256 index, address account, uint256 amount) leaves, a JSON file with
 * the root, the total and every account's {index, amount, proof}.
 */
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { readFile } from "node:fs/promises";

import {
  type AmountUnit,
  type IncidentRow,
  type Progress,
  LEAF_ENCODING,
  PROGRESS_EVERY,
  buildIncidentTree,
  readIncidentCsv,
} from "../../common/incident.js";

export { LEAF_ENCODING, PROGRESS_EVERY, type AmountUnit, type IncidentRow, type Progress };

/** Every problem found in a CSV, one message per bad row (`line N: ...`). */
export class IncidentCsvError extends Error {
  constructor(readonly problems: string[]) {
    super(`${problems.length} bad row(s) in the incident CSV:\n  ${problems.join("\n  ")}`);
    this.name = "IncidentCsvError";
  }
}

const MAX_REPORTED_PROBLEMS = 50;

/**
 * Reads the CSV as common/incident.ts does, but all or nothing: any refused row stops the file,
 * with every problem reported together (at most 50 shown). The service's drafts, instead, keep the
 * good rows and list the refused ones.
 */
export function parseIncidentCsv(text: string, unit: AmountUnit = "C", progress?: Progress): IncidentRow[] {
  const { rows, rejected } = readIncidentCsv(text, unit, progress);
  if (rejected.length > 0) {
    const problems = rejected.map(({ line, reason }) => `line ${line}: ${reason}`);
    const shown = problems.slice(0, MAX_REPORTED_PROBLEMS);
    if (problems.length > shown.length) shown.push(`… and ${problems.length - shown.length} more`);
    throw new IncidentCsvError(shown);
  }
  if (rows.length === 0) throw new IncidentCsvError(["no rows: the CSV holds no account,amount line"]);
  return rows;
}

export type IncidentClaim = { index: number; amount: string; proof: string[] };

export type IncidentRound = {
  pool: string;
  chainId: string;
  incidentId: string;
  claimableAt: number;
  claimDeadline: number;
  metadataHash: string;
  transactionHash: string;
};

export type Incident = {
  root: string;
  /** Sum of the amounts, in wei, as a decimal string. */
  total: string;
  count: number;
  leafEncoding: string[];
  /** Set once the round is opened on a network. */
  round: IncidentRound | null;
  claims: Record<string, IncidentClaim>;
};

/** The round file's shape of common/incident.ts's tree (leaf `index` is the row's position). */
export function buildIncident(rows: IncidentRow[], progress?: Progress): Incident {
  const tree = buildIncidentTree(rows, progress);
  const claims: Record<string, IncidentClaim> = {};
  for (const { account, index, amount, proof } of tree.leaves) {
    claims[account] = { index, amount: amount.toString(), proof };
  }
  return {
    root: tree.root,
    total: tree.total.toString(),
    count: tree.count,
    leafEncoding: [...LEAF_ENCODING],
    round: null,
    claims,
  };
}

/** Writes the incident JSON claim by claim, so a file of 100,000 proofs never sits in one string. */
export async function writeIncidentJson(path: string, incident: Incident, progress?: Progress): Promise<void> {
  const out = createWriteStream(path, { encoding: "utf8" });
  const write = async (chunk: string) => {
    if (!out.write(chunk)) await once(out, "drain");
  };
  const { claims, ...head } = incident;
  const headJson = JSON.stringify(head, null, 2);
  await write(headJson.slice(0, -2) + ',\n  "claims": {');
  const accounts = Object.keys(claims);
  for (const [i, account] of accounts.entries()) {
    await write(`${i === 0 ? "" : ","}\n    ${JSON.stringify(account)}: ${JSON.stringify(claims[account])}`);
    if ((i + 1) % PROGRESS_EVERY === 0) progress?.(`written ${i + 1}/${accounts.length} claims`);
  }
  await write("\n  }\n}\n");
  out.end();
  await once(out, "finish");
}

export async function readIncidentJson(path: string): Promise<Incident> {
  return JSON.parse(await readFile(path, "utf8")) as Incident;
}
