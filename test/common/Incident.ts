/**
 * common/incident.ts: the shared CSV reader keeps the good rows and names every refused one, and
 * the hand-built tree is OpenZeppelin's StandardMerkleTree, root and proofs.
 */
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import { type Address, getAddress, keccak256, toHex } from "viem";

import { LEAF_ENCODING, buildIncidentTree, readIncidentCsv, verifyIncidentProof } from "../../common/incident.js";

const account = (i: number): Address => getAddress(`0x${keccak256(toHex(i)).slice(26)}`);

describe("common/incident.ts", function () {
  it("keeps the good rows and lists each refused row with its line and reason", function () {
    const a = account(1);
    const csv = [
      "account,amount",
      `${a},1.5`,
      "0x1234,2",
      `${account(2)},0`,
      `${a},3`,
      "",
      `${account(3)},4,5`,
      `${account(4).toLowerCase()},0.000000000000000001`,
    ].join("\n");
    const { rows, rejected } = readIncidentCsv(csv);
    expect(rows).to.deep.equal([
      { line: 2, account: a, amount: 1_500_000_000_000_000_000n },
      { line: 8, account: account(4), amount: 1n },
    ]);
    expect(rejected).to.deep.equal([
      { line: 3, reason: 'bad address "0x1234"' },
      { line: 4, reason: 'bad amount "0" (expected a number of C above 0 with at most 18 decimals)' },
      { line: 5, reason: `duplicate account ${a} (first on line 2)` },
      { line: 7, reason: "expected 2 columns (account,amount), got 3" },
    ]);
  });

  for (const n of [1, 2, 3, 7, 64, 1001]) {
    it(`builds the same root and proofs as StandardMerkleTree for ${n} leaves`, function () {
      const rows = Array.from({ length: n }, (_, i) => ({
        account: account(i),
        amount: BigInt(1 + (i % 13)) * 10n ** 15n,
      }));
      const built = buildIncidentTree(rows);
      const reference = StandardMerkleTree.of(
        rows.map((r, i) => [BigInt(i), r.account, r.amount]),
        [...LEAF_ENCODING],
      );
      expect(built.root).to.equal(reference.root);
      expect(built.total).to.equal(rows.reduce((sum, r) => sum + r.amount, 0n));
      for (const leaf of built.leaves.filter((_, i) => i % 97 === 0 || i === n - 1)) {
        expect(leaf.proof).to.deep.equal(reference.getProof(leaf.index));
        expect(verifyIncidentProof(built.root, leaf, leaf.proof)).to.equal(true);
      }
      const last = built.leaves[n - 1]!;
      expect(verifyIncidentProof(built.root, { ...last, amount: last.amount + 1n }, last.proof)).to.equal(false);
    });
  }
});
