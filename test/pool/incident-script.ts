/**
 * Incident rounds without a chain: the CSV parsing and round building of cli/lib/incident.ts, and
 * `station incident open --dry-run` (no key, no chain, no service). Opening a round on-chain is
 * tested against a started stack in test/station/Cli.ts.
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import { getAddress, parseUnits, solidityPackedKeccak256 } from "ethers";

import {
  IncidentCsvError,
  buildIncident,
  parseIncidentCsv,
  readIncidentJson,
  type Incident,
} from "../../cli/lib/incident.js";
import { runCli } from "../../cli/index.js";
import { C } from "./helpers.js";

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures", "incident.csv");
const A = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const B = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof IncidentCsvError) return error.problems;
    throw error;
  }
  throw new Error("expected an IncidentCsvError");
}

describe("incident rounds: cli/lib/incident.ts and station incident open --dry-run", function () {
  let dir: string;
  before(async function () {
    dir = await mkdtemp(path.join(tmpdir(), "incident-"));
  });
  after(async function () {
    await rm(dir, { recursive: true, force: true });
  });

  describe("CSV parsing", function () {
    it("reads rows with or without a header, skipping blank lines, in C with up to 18 decimals", async function () {
      const withHeader = parseIncidentCsv(
        `Account,Amount\r\n${A},12.5\r\n\r\n ${B.toLowerCase()} , 0.000000000000000001 \n`,
      );
      expect(withHeader).to.deep.equal([
        { line: 2, account: A, amount: 12n * C + C / 2n },
        { line: 4, account: B, amount: 1n },
      ]);
      const withoutHeader = parseIncidentCsv(`${A},3\n${B},4`);
      expect(withoutHeader.map((row) => row.amount)).to.deep.equal([3n * C, 4n * C]);
    });

    it("reads integer wei amounts with --unit wei", async function () {
      expect(parseIncidentCsv(`${A},1000000000000000001`, "wei")[0]!.amount).to.equal(C + 1n);
      expect(problemsOf(() => parseIncidentCsv(`${A},1.5`, "wei"))).to.deep.equal([
        'line 1: bad amount "1.5" (expected a whole number of wei above 0)',
      ]);
    });

    it("reports every bad row with its line: address, checksum, amount, columns, duplicates, header", async function () {
      const csv = [
        `${A},12.5`,
        `${A.toLowerCase()},1`,
        "0x1234,5",
        `${B.slice(0, -1)}c,5`,
        `${B},-3`,
        `${B},0`,
        "0x90f79bf6eb2c4f870365e785982e1f101e93b906,1.0000000000000000001",
        "0x976EA74026E726554dB657fA54763abd0C3a0aa9",
        "0x0000000000000000000000000000000000000000,1",
        "account,amount",
      ].join("\n");
      expect(problemsOf(() => parseIncidentCsv(csv))).to.deep.equal([
        `line 2: duplicate account ${A} (first on line 1)`,
        'line 3: bad address "0x1234"',
        `line 4: bad address "${B.slice(0, -1)}c" (mixed case with a wrong checksum)`,
        'line 5: bad amount "-3" (expected a number of C above 0 with at most 18 decimals)',
        'line 6: bad amount "0" (expected a number of C above 0 with at most 18 decimals)',
        'line 7: bad amount "1.0000000000000000001" (expected a number of C above 0 with at most 18 decimals)',
        "line 8: expected 2 columns (account,amount), got 1",
        'line 9: bad address "0x0000000000000000000000000000000000000000" (the zero address cannot receive C)',
        'line 10: a header "account,amount" is allowed only as the first line',
      ]);
    });

    it("rejects a CSV without rows and caps a long list of problems at 50", async function () {
      expect(problemsOf(() => parseIncidentCsv("account,amount\n\n"))).to.deep.equal([
        "no rows: the CSV holds no account,amount line",
      ]);
      const many = Array.from({ length: 70 }, () => "nope,1").join("\n");
      const problems = problemsOf(() => parseIncidentCsv(many));
      expect(problems).to.have.length(51);
      expect(problems[50]).to.equal("… and 20 more");
    });
  });

  describe("building a round", function () {
    it("indexes leaves in CSV order, totals the amounts and gives proofs the tree verifies", async function () {
      const incident = buildIncident(parseIncidentCsv(await readFile(FIXTURE, "utf8")));
      expect(incident.count).to.equal(5);
      expect(incident.total).to.equal(parseUnits("1267.623456789012345679", 18).toString());
      expect(incident.leafEncoding).to.deep.equal(["uint256", "address", "uint256"]);
      const third = incident.claims[getAddress("0x90f79bf6eb2c4f870365e785982e1f101e93b906")]!;
      expect(third.index).to.equal(2);
      expect(third.amount).to.equal("1");
      for (const [account, { index, amount, proof }] of Object.entries(incident.claims)) {
        expect(
          StandardMerkleTree.verify(incident.root, incident.leafEncoding, [index, account, amount], proof),
        ).to.equal(true);
      }
    });

    it("reports progress while parsing and proving a large file", async function () {
      const rows = Array.from(
        { length: 20_001 },
        (_, i) => `${getAddress("0x" + solidityPackedKeccak256(["uint256"], [i]).slice(26))},${1 + (i % 97)}`,
      );
      const messages: string[] = [];
      const incident = buildIncident(
        parseIncidentCsv(rows.join("\n"), "C", (m) => messages.push(m)),
        (m: string) => messages.push(m),
      );
      expect(messages).to.include.members([
        "parsed 10000 rows",
        "parsed 20000 rows",
        "building the Merkle tree of 20001 leaves",
        "proofs: 10000/20001",
        "proofs: 20000/20001",
      ]);
      const [account, claim] = Object.entries(incident.claims)[20_000]!;
      expect(claim.index).to.equal(20_000);
      expect(
        StandardMerkleTree.verify(
          incident.root,
          incident.leafEncoding,
          [claim.index, account, claim.amount],
          claim.proof,
        ),
      ).to.equal(true);
    });
  });

  describe("station incident open --dry-run", function () {
    /** No key, and a chain and service that do not answer: a dry run must need none of them. */
    const OFFLINE = { RPC_URL: "http://127.0.0.1:1", SERVICE_URL: "http://127.0.0.1:1" };
    async function station(args: string[]) {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(["incident", "open", ...args], {
        env: OFFLINE,
        out: (l) => out.push(l),
        err: (l) => err.push(l),
      });
      return { code, out: out.join("\n"), err: err.join("\n") };
    }

    it("builds the round from the CSV fixture and writes the round file, with no key, chain or service", async function () {
      const out = path.join(dir, "dry.json");
      const run = await station(["--csv", FIXTURE, "--out", out, "--dry-run"]);
      expect(run.code, run.err).to.equal(0);
      const written: Incident = await readIncidentJson(out);
      const built = buildIncident(parseIncidentCsv(await readFile(FIXTURE, "utf8")));
      expect(written.round).to.equal(null);
      expect(written.count).to.equal(5);
      expect(written.root).to.equal(built.root);
      expect(written.claims).to.deep.equal(built.claims);
      expect(run.out).to.include(`dry run: no round opened; 5 accounts, 1267.623456789012345679 C, root ${built.root}`);
      expect(run.out).to.include(`round file (root, proofs): ${out}`);
      expect(run.err).to.include(`read 5 accounts from ${FIXTURE}`);
    });

    it("writes next to the CSV, with .json, without --out; reads wei with --unit wei", async function () {
      const csv = path.join(dir, "payouts.csv");
      await copyFile(FIXTURE, csv);
      expect((await station(["--csv", csv, "--dry-run"])).code).to.equal(0);
      expect((await readIncidentJson(path.join(dir, "payouts.json"))).count).to.equal(5);

      const wei = path.join(dir, "wei.csv");
      await writeFile(wei, `${A},1000000000000000001\n${B},2\n`);
      expect((await station(["--csv", wei, "--unit", "wei", "--dry-run"])).code).to.equal(0);
      expect((await readIncidentJson(path.join(dir, "wei.json"))).total).to.equal((C + 3n).toString());
    });

    it("refuses bad arguments with the command's usage (exit 2) and bad rows with every problem (exit 1)", async function () {
      const bad = path.join(dir, "bad.csv");
      await writeFile(bad, `${A},1\n${A},2\n`);
      const usage: [string[], string][] = [
        [["--dry-run"], "incident open needs --csv <file>"],
        [["--csv", FIXTURE, "--unit", "gwei", "--dry-run"], '--unit must be C or wei, not "gwei"'],
        [
          ["--csv", FIXTURE, "--dry-run", "--metadata-hash", "0x12"],
          '--metadata-hash must be 0x and 64 hex digits, not "0x12"',
        ],
        [
          ["--csv", FIXTURE, "--dry-run", "--deadline", "soon"],
          '--deadline must be +<n>d, +<n>h, +<n>m, unix seconds or an ISO date, not "soon"',
        ],
        [["--csv", FIXTURE, "--no-publish"], "--no-publish needs --out <file>"],
        [["--csv", FIXTURE, "--dry-run", "--pool", "0x1234"], "unknown option '--pool'"],
      ];
      for (const [args, message] of usage) {
        const run = await station(args);
        expect(run.code, args.join(" ")).to.equal(2);
        expect(run.err).to.include(message);
        expect(run.err).to.include("Usage: station incident open [options]");
      }
      const rows = await station(["--csv", bad, "--dry-run"]);
      expect(rows.code).to.equal(1);
      expect(rows.err).to.include(`line 2: duplicate account ${A} (first on line 1)`);
      const missing = await station(["--csv", path.join(dir, "nope.csv"), "--dry-run"]);
      expect(missing.code).to.equal(1);
      expect(missing.err).to.include(`cannot read ${path.join(dir, "nope.csv")}`);
    });
  });
});
