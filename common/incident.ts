/**
 * Incident rounds, the part every side shares (the service drafts rounds, the CLI opens them, the
 * page checks a proof before it claims): a CSV of `account,amount` rows, read with a reason for
 * every row it refuses, becomes an OpenZeppelin StandardMerkleTree of `(uint256 index, address
 * account, uint256 amount)` leaves, the double-hashed leaves a round's IncidentVault checks.
 */
import {
  type Address,
  type Hex,
  bytesToHex,
  getAddress,
  getContractAddress,
  hexToBytes,
  isAddress,
  keccak256,
  parseUnits,
  zeroAddress,
} from "viem";

export const LEAF_ENCODING = ["uint256", "address", "uint256"] as const;

/**
 * Where round `incidentId`'s IncidentVault is, without asking the chain: the pool creates its vault
 * factory first (CREATE, the pool's nonce 1), and the factory creates nothing but vaults, one per
 * round in order (its nonce `incidentId`). `CompensationPool.getIncident(id).vault` is the same
 * address (the contract tests check both).
 */
export function incidentVaultAddress(pool: Address, incidentId: bigint): Address {
  const factory = getContractAddress({ from: pool, nonce: 1n });
  return getContractAddress({ from: factory, nonce: incidentId });
}

/** How often progress is reported while parsing and proving. */
export const PROGRESS_EVERY = 10_000;

export type Progress = (message: string) => void;

export type AmountUnit = "C" | "wei";

export type IncidentRow = { line: number; account: Address; amount: bigint };

/** A row left out of the round, by its line in the file (1 = the first line). */
export type RejectedRow = { line: number; reason: string };

export type IncidentCsv = { rows: IncidentRow[]; rejected: RejectedRow[] };

const DECIMAL_C = /^\d+(\.\d{1,18})?$/;
const INTEGER = /^\d+$/;

/**
 * Reads `account,amount` rows. A first row reading `account,amount` (any case) is a header; blank
 * lines are skipped. Amounts are C with up to 18 decimals (`unit: "C"`) or integer wei (`unit:
 * "wei"`), and must be above zero. Accounts must be addresses (mixed case only with a valid
 * checksum), not the zero address, each at most once (a repeat is refused, the first row kept).
 * Never throws: every refused row is in `rejected` with its reason, in line order.
 */
export function readIncidentCsv(text: string, unit: AmountUnit = "C", progress?: Progress): IncidentCsv {
  const rows: IncidentRow[] = [];
  const rejected: RejectedRow[] = [];
  const firstLine = new Map<Address, number>();
  const lines = text.split(/\r?\n/);
  let dataRows = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    const raw = lines[i]!.trim();
    if (raw === "") continue;
    const fields = raw.split(",").map((field) => field.trim());
    if (isHeader(fields)) {
      if (dataRows > 0) rejected.push({ line, reason: 'a header "account,amount" is allowed only as the first line' });
      continue;
    }
    dataRows++;
    if (dataRows % PROGRESS_EVERY === 0) progress?.(`parsed ${dataRows} rows`);
    if (fields.length !== 2) {
      rejected.push({ line, reason: `expected 2 columns (account,amount), got ${fields.length}` });
      continue;
    }
    const [accountField, amountField] = fields as [string, string];
    const reasons: string[] = [];
    let account: Address | undefined;
    if (!isAddress(accountField)) {
      const why = isAddress(accountField.toLowerCase()) ? " (mixed case with a wrong checksum)" : "";
      reasons.push(`bad address "${accountField}"${why}`);
    } else if ((account = getAddress(accountField)) === zeroAddress) {
      reasons.push(`bad address "${accountField}" (the zero address cannot receive C)`);
    }
    const amount = parseAmount(amountField, unit);
    if (amount === undefined) {
      const expected =
        unit === "C" ? "a number of C above 0 with at most 18 decimals" : "a whole number of wei above 0";
      reasons.push(`bad amount "${amountField}" (expected ${expected})`);
    }
    if (reasons.length > 0 || account === undefined || amount === undefined) {
      for (const reason of reasons) rejected.push({ line, reason });
      continue;
    }
    const first = firstLine.get(account);
    if (first !== undefined) {
      rejected.push({ line, reason: `duplicate account ${account} (first on line ${first})` });
      continue;
    }
    firstLine.set(account, line);
    rows.push({ line, account, amount });
  }
  return { rows, rejected };
}

function isHeader(fields: string[]): boolean {
  return fields.length === 2 && fields[0]!.toLowerCase() === "account" && fields[1]!.toLowerCase() === "amount";
}

function parseAmount(field: string, unit: AmountUnit): bigint | undefined {
  if (!(unit === "C" ? DECIMAL_C : INTEGER).test(field)) return undefined;
  const amount = unit === "C" ? parseUnits(field, 18) : BigInt(field);
  return amount > 0n ? amount : undefined;
}

export type IncidentLeaf = { index: number; account: Address; amount: bigint; proof: Hex[] };

export type IncidentTree = {
  root: Hex;
  /** Sum of the amounts, in wei. */
  total: bigint;
  count: number;
  /** In row order: leaf `index` is the row's position among the accepted rows (0, 1, 2, ...). */
  leaves: IncidentLeaf[];
};

/**
 * Builds the tree and every leaf's proof, byte for byte the tree of OpenZeppelin's
 * `StandardMerkleTree.of(values, LEAF_ENCODING)` (leaves sorted by hash, stored from the end of
 * one array; the children of node i at 2i+1 and 2i+2; pairs hashed in sorted order), built here on
 * bytes because the library takes about 30 s for 100,000 leaves (test/common/Incident.ts checks
 * both agree). One proof in every PROGRESS_EVERY, and the last, is verified before it is handed out.
 */
export function buildIncidentTree(
  rows: readonly Pick<IncidentRow, "account" | "amount">[],
  progress?: Progress,
): IncidentTree {
  const n = rows.length;
  if (n === 0) throw new Error("an incident round needs at least one account");
  progress?.(`building the Merkle tree of ${n} leaves`);
  const hashes = rows.map((row, index) => leafHash(index, row.account, row.amount));
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => compareBytes(hashes[a]!, hashes[b]!));
  const nodes: Uint8Array[] = new Array<Uint8Array>(2 * n - 1);
  const treeIndex = new Array<number>(n);
  order.forEach((leaf, position) => {
    nodes[nodes.length - 1 - position] = hashes[leaf]!;
    treeIndex[leaf] = nodes.length - 1 - position;
  });
  const pair = new Uint8Array(64);
  for (let i = nodes.length - 1 - n; i >= 0; i--) {
    const [a, b] = [nodes[2 * i + 1]!, nodes[2 * i + 2]!];
    const [low, high] = compareBytes(a, b) <= 0 ? [a, b] : [b, a];
    pair.set(low, 0);
    pair.set(high, 32);
    nodes[i] = keccak256(pair, "bytes");
  }
  const hexNodes = new Map<number, Hex>();
  const hexOf = (i: number) => {
    let hex = hexNodes.get(i);
    if (hex === undefined) hexNodes.set(i, (hex = bytesToHex(nodes[i]!)));
    return hex;
  };
  const root = hexOf(0);
  const leaves: IncidentLeaf[] = [];
  let total = 0n;
  for (let i = 0; i < n; i++) {
    const { account, amount } = rows[i]!;
    const proof: Hex[] = [];
    for (let t = treeIndex[i]!; t > 0; t = Math.floor((t - 1) / 2)) proof.push(hexOf(t % 2 === 1 ? t + 1 : t - 1));
    if (i % PROGRESS_EVERY === 0 || i === n - 1) {
      if (!verifyIncidentProof(root, { index: i, account, amount }, proof)) {
        throw new Error(`internal error: the proof of leaf ${i} does not verify`);
      }
    }
    leaves.push({ index: i, account, amount, proof });
    total += amount;
    if ((i + 1) % PROGRESS_EVERY === 0) progress?.(`proofs: ${i + 1}/${n}`);
  }
  progress?.(`root ${root}, total ${total} wei over ${n} accounts`);
  return { root, total, count: n, leaves };
}

/** keccak256(keccak256(abi.encode(index, account, amount))): the standard tree's leaf. */
export function leafHash(index: number | bigint, account: Address, amount: bigint): Uint8Array {
  const encoded = new Uint8Array(96);
  encoded.set(word(BigInt(index)), 0);
  encoded.set(hexToBytes(account), 44);
  encoded.set(word(amount), 64);
  return keccak256(keccak256(encoded, "bytes"), "bytes");
}

function word(value: bigint): Uint8Array {
  if (value < 0n || value >= 1n << 256n) throw new Error(`${value} does not fit a uint256`);
  return hexToBytes(`0x${value.toString(16).padStart(64, "0")}`);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < 32; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/**
 * Whether `proof` proves leaf `(index, account, amount)` under `root`, as claimIncident (and
 * OpenZeppelin's MerkleProof) checks it: pairs hashed in sorted order. Without the tree library,
 * so the page's bundle does not carry it.
 */
export function verifyIncidentProof(
  root: Hex,
  leaf: { index: number | bigint; account: Address; amount: bigint },
  proof: readonly Hex[],
): boolean {
  try {
    let node = leafHash(leaf.index, leaf.account, leaf.amount);
    const pair = new Uint8Array(64);
    for (const sibling of proof) {
      const other = hexToBytes(sibling);
      if (other.length !== 32) return false;
      const [low, high] = compareBytes(node, other) <= 0 ? [node, other] : [other, node];
      pair.set(low, 0);
      pair.set(high, 32);
      node = keccak256(pair, "bytes");
    }
    return bytesToHex(node) === root.toLowerCase();
  } catch {
    return false;
  }
}
