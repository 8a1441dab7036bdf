/**
 * Incident rounds for the CompensationPool: a CSV of (account, amount) becomes an OpenZeppelin
 * StandardMerkleTree of (uint256 index, address account, uint256 amount) leaves, a JSON file with
 * the root, the total and every account's {index, amount, proof}, and an `openIncident` call.
 */
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { readFile } from "node:fs/promises";

import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { Contract, getAddress, isAddress, keccak256, parseUnits, ZeroAddress } from "ethers";
import type { Signer } from "ethers";

export const LEAF_ENCODING = ["uint256", "address", "uint256"] as const;

/** How often progress is reported while parsing and writing. */
export const PROGRESS_EVERY = 10_000;

export type Progress = (message: string) => void;

export type IncidentRow = { line: number; account: string; amount: bigint };

export type AmountUnit = "C" | "wei";

/** Every problem found in a CSV, one message per bad row (`line N: ...`). */
export class IncidentCsvError extends Error {
  constructor(readonly problems: string[]) {
    super(`${problems.length} bad row(s) in the incident CSV:\n  ${problems.join("\n  ")}`);
    this.name = "IncidentCsvError";
  }
}

const MAX_REPORTED_PROBLEMS = 50;
const DECIMAL_C = /^\d+(\.\d{1,18})?$/;
const INTEGER = /^\d+$/;

/**
 * Parses `account,amount` rows. A first row reading `account,amount` (any case) is a header;
 * blank lines are skipped. Amounts are C with up to 18 decimals (`unit: "C"`) or integer wei
 * (`unit: "wei"`), and must be above zero. Accounts must be addresses (mixed case only with a
 * valid checksum), not the zero address, each at most once. All bad rows are reported together.
 */
export function parseIncidentCsv(text: string, unit: AmountUnit = "C", progress?: Progress): IncidentRow[] {
  const rows: IncidentRow[] = [];
  const problems: string[] = [];
  const firstLine = new Map<string, number>();
  const lines = text.split(/\r?\n/);
  let dataRows = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    const raw = lines[i]!.trim();
    if (raw === "") continue;
    const fields = raw.split(",").map((field) => field.trim());
    if (isHeader(fields)) {
      if (dataRows === 0) continue;
      problems.push(`line ${line}: a header "account,amount" is allowed only as the first line`);
      continue;
    }
    dataRows++;
    if (fields.length !== 2) {
      problems.push(`line ${line}: expected 2 columns (account,amount), got ${fields.length}`);
      continue;
    }
    const [accountField, amountField] = fields as [string, string];
    const lowerCase = accountField.toLowerCase();
    let ok = true;
    if (!isAddress(accountField)) {
      const why = isAddress(lowerCase) ? " (mixed case with a wrong checksum)" : "";
      problems.push(`line ${line}: bad address "${accountField}"${why}`);
      ok = false;
    } else if (getAddress(accountField) === ZeroAddress) {
      problems.push(`line ${line}: bad address "${accountField}" (the zero address cannot receive C)`);
      ok = false;
    }
    const amount = parseAmount(amountField, unit);
    if (amount === undefined) {
      const expected =
        unit === "C" ? "a number of C above 0 with at most 18 decimals" : "a whole number of wei above 0";
      problems.push(`line ${line}: bad amount "${amountField}" (expected ${expected})`);
      ok = false;
    }
    if (ok) {
      const account = getAddress(accountField);
      const first = firstLine.get(account);
      if (first !== undefined) {
        problems.push(`line ${line}: duplicate account ${account} (first on line ${first})`);
      } else {
        firstLine.set(account, line);
        rows.push({ line, account, amount: amount! });
      }
    }
    if (dataRows % PROGRESS_EVERY === 0) progress?.(`parsed ${dataRows} rows`);
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, MAX_REPORTED_PROBLEMS);
    if (problems.length > shown.length) shown.push(`… and ${problems.length - shown.length} more`);
    throw new IncidentCsvError(shown);
  }
  if (rows.length === 0) throw new IncidentCsvError(["no rows: the CSV holds no account,amount line"]);
  return rows;
}

function isHeader(fields: string[]): boolean {
  return fields.length === 2 && fields[0]!.toLowerCase() === "account" && fields[1]!.toLowerCase() === "amount";
}

function parseAmount(field: string, unit: AmountUnit): bigint | undefined {
  if (!(unit === "C" ? DECIMAL_C : INTEGER).test(field)) return undefined;
  const amount = unit === "C" ? parseUnits(field, 18) : BigInt(field);
  return amount > 0n ? amount : undefined;
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

/**
 * Leaf `index` is the row's position among the CSV's data rows (0, 1, 2, ...).
 *
 * Proofs are read off the tree's `standard-v1` dump (root at 0, children of node i at 2i+1 and
 * 2i+2): the library's `getProof` re-hashes and re-verifies every proof, which takes minutes on
 * 100,000 leaves. One proof in every PROGRESS_EVERY, and the last, is still checked with the
 * library's `verify`.
 */
export function buildIncident(rows: IncidentRow[], progress?: Progress): Incident {
  const values = rows.map((row, index) => [BigInt(index), row.account, row.amount] as [bigint, string, bigint]);
  progress?.(`building the Merkle tree of ${values.length} leaves`);
  const tree = StandardMerkleTree.of(values, [...LEAF_ENCODING]);
  const dump = tree.dump();
  const claims: Record<string, IncidentClaim> = {};
  let total = 0n;
  for (const [i, { value, treeIndex }] of dump.values.entries()) {
    const [index, account, amount] = value;
    const proof = proofAt(dump.tree, treeIndex);
    if (i % PROGRESS_EVERY === 0 || i === values.length - 1) {
      if (!StandardMerkleTree.verify(tree.root, [...LEAF_ENCODING], value, proof)) {
        throw new Error(`internal error: the proof of leaf ${index} does not verify`);
      }
    }
    claims[account] = { index: Number(index), amount: amount.toString(), proof };
    total += amount;
    if ((i + 1) % PROGRESS_EVERY === 0) progress?.(`proofs: ${i + 1}/${values.length}`);
  }
  progress?.(`root ${tree.root}, total ${total} wei over ${values.length} accounts`);
  return {
    root: tree.root,
    total: total.toString(),
    count: values.length,
    leafEncoding: [...LEAF_ENCODING],
    round: null,
    claims,
  };
}

function proofAt(nodes: string[], treeIndex: number): string[] {
  const proof: string[] = [];
  for (let i = treeIndex; i > 0; i = Math.floor((i - 1) / 2)) proof.push(nodes[i % 2 === 1 ? i + 1 : i - 1]!);
  return proof;
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

const POOL_ABI = [
  "function openIncident(bytes32 root, uint256 total, uint48 claimDeadline, bytes32 metadataHash) returns (uint256)",
  "function challengeWindow() view returns (uint32)",
  "event IncidentOpened(uint256 indexed incidentId, bytes32 root, uint256 total, uint48 claimableAt, uint48 claimDeadline, bytes32 metadataHash)",
];

/**
 * Opens the round on `pool` with `signer` (which must hold the pool's admin role). Checks the
 * deadline against the challenge window first, so a bad deadline fails with a clear message
 * instead of a reverted transaction.
 */
export async function openIncidentRound(
  signer: Signer,
  poolAddress: string,
  incident: Pick<Incident, "root" | "total">,
  claimDeadline: number,
  metadataHash: string,
): Promise<IncidentRound> {
  const provider = signer.provider;
  if (provider === null) throw new Error("the signer has no provider");
  const pool = new Contract(poolAddress, POOL_ABI, signer);
  const latest = await provider.getBlock("latest");
  const window = Number(await pool.getFunction("challengeWindow")());
  const claimableAt = latest!.timestamp + window;
  if (!(claimDeadline > claimableAt)) {
    throw new Error(
      `claim deadline ${claimDeadline} must be after the round becomes claimable ` +
        `(about ${claimableAt}: the latest block plus the ${window} s challenge window)`,
    );
  }
  const tx = await pool.getFunction("openIncident")(incident.root, incident.total, claimDeadline, metadataHash);
  const receipt = await tx.wait();
  for (const log of receipt?.logs ?? []) {
    const parsed = pool.interface.parseLog(log);
    if (parsed?.name !== "IncidentOpened") continue;
    const { chainId } = await provider.getNetwork();
    return {
      pool: getAddress(poolAddress),
      chainId: chainId.toString(),
      incidentId: parsed.args.incidentId.toString(),
      claimableAt: Number(parsed.args.claimableAt),
      claimDeadline: Number(parsed.args.claimDeadline),
      metadataHash: parsed.args.metadataHash,
      transactionHash: receipt.hash,
    };
  }
  throw new Error(`openIncident transaction ${tx.hash} emitted no IncidentOpened event`);
}

/** The metadata hash default: keccak256 of the CSV file's bytes. */
export function hashCsv(bytes: Uint8Array): string {
  return keccak256(bytes);
}
