import { execFile } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import { getAddress, keccak256, parseUnits, solidityPackedKeccak256 } from "ethers";
import { network } from "hardhat";

import {
  IncidentCsvError,
  buildIncident,
  parseIncidentCsv,
  readIncidentJson,
  type Incident,
} from "../../cli/lib/incident.js";
import { runIncidentCli } from "../../cli/lib/incident-cli.js";
import { C, DAY, IncidentStatus, POOL_DEFAULTS } from "./helpers.js";
import { deployPool } from "../fixtures/station.js";

const { ethers, networkHelpers } = await network.create();

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures", "incident.csv");
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const HARDHAT_CLI = path.join(
  path.dirname(createRequire(import.meta.url).resolve("hardhat/package.json")),
  "dist/src/cli.js",
);
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

describe("scripts/incident.ts", function () {
  async function deployFixture() {
    const [admin, stranger] = await ethers.getSigners();
    const c = await ethers.deployContract("MockCToken");
    const { pool } = await deployPool(ethers, { token: c, admin: admin!, mint: 100_000n * C, fund: 10_000n * C });
    const dir = await mkdtemp(path.join(tmpdir(), "incident-"));
    return { c, pool, admin: admin!, stranger: stranger!, dir };
  }

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
        (m) => messages.push(m),
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

  describe("command line", function () {
    it("builds from the CSV fixture, opens the round, and a written proof claims on-chain", async function () {
      const { c, pool, stranger, dir } = await networkHelpers.loadFixture(deployFixture);
      const out = path.join(dir, "round.json");
      const messages: string[] = [];
      const before = await networkHelpers.time.latest();
      await runIncidentCli(["--csv", FIXTURE, "--out", out, "--pool", await pool.getAddress(), "--deadline", "+10d"], {
        connect: async () => ethers,
        log: (m) => messages.push(m),
      });
      const written: Incident = await readIncidentJson(out);
      expect(written.round).to.not.equal(null);
      expect(written.round!.incidentId).to.equal("1");
      expect(written.round!.pool).to.equal(await pool.getAddress());
      expect(written.round!.metadataHash).to.equal(keccak256(await readFile(FIXTURE)));
      expect(written.round!.claimDeadline).to.be.within(before + 10 * DAY, before + 10 * DAY + 5);
      expect(messages.some((m) => m.startsWith("opened incident 1 in 0x"))).to.equal(true);

      const incident = await pool.getIncident(1n);
      expect(incident.root).to.equal(written.root);
      expect(incident.total).to.equal(BigInt(written.total));
      expect(incident.status).to.equal(BigInt(IncidentStatus.Open));
      expect(incident.claimDeadline).to.equal(BigInt(written.round!.claimDeadline));

      await networkHelpers.time.increaseTo(written.round!.claimableAt);
      const claim = written.claims[A]!;
      await expect(pool.connect(stranger).claimIncident(1n, claim.index, A, claim.amount, claim.proof))
        .to.emit(pool, "IncidentClaimed")
        .withArgs(1n, claim.index, A, 12n * C + C / 2n);
      expect(await c.balanceOf(A)).to.equal(12n * C + C / 2n);
    });

    it("writes the JSON without touching the network on a dry run", async function () {
      const { pool, dir } = await networkHelpers.loadFixture(deployFixture);
      const out = path.join(dir, "dry.json");
      let connected = false;
      const result = await runIncidentCli(["--csv", FIXTURE, "--out", out, "--dry-run"], {
        connect: async () => {
          connected = true;
          return ethers;
        },
        log: () => {},
      });
      expect(connected).to.equal(false);
      expect(await pool.incidentCount()).to.equal(0n);
      const written = await readIncidentJson(out);
      expect(written.round).to.equal(null);
      expect(written.count).to.equal(5);
      expect("incident" in result && result.incident.root).to.equal(written.root);
    });

    it("refuses a deadline inside the challenge window before sending anything", async function () {
      const { pool, dir } = await networkHelpers.loadFixture(deployFixture);
      const args = ["--csv", FIXTURE, "--out", path.join(dir, "x.json"), "--pool", await pool.getAddress()];
      let message = "";
      try {
        await runIncidentCli([...args, "--deadline", "+1h"], { connect: async () => ethers, log: () => {} });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).to.match(
        new RegExp(
          `must be after the round becomes claimable .*the ${POOL_DEFAULTS.challengeWindow} s challenge window`,
        ),
      );
      expect(await pool.incidentCount()).to.equal(0n);
    });

    it("stops on bad arguments and bad CSV rows with clear messages", async function () {
      const { dir } = await networkHelpers.loadFixture(deployFixture);
      const bad = path.join(dir, "bad.csv");
      await writeFile(bad, `${A},1\n${A},2\n`);
      const deps = { connect: async () => ethers, log: () => {} };
      const cases: [string[], RegExp][] = [
        [["--dry-run"], /^--csv is required/],
        [["--csv", FIXTURE, "--unit", "gwei", "--dry-run"], /--unit must be C or wei, not "gwei"/],
        [["--csv", FIXTURE], /--pool is required unless --dry-run/],
        [["--csv", FIXTURE, "--dry-run", "--metadata-hash", "0x12"], /--metadata-hash must be 0x and 64 hex digits/],
        [["--csv", FIXTURE, "--dry-run", "--deadline", "soon"], /--deadline must be \+<n>d/],
        [["--csv", bad, "--dry-run"], /line 2: duplicate account/],
      ];
      for (const [argv, pattern] of cases) {
        let message = "";
        try {
          await runIncidentCli(argv, deps);
        } catch (error) {
          message = (error as Error).message;
        }
        expect(message).to.match(pattern);
      }
    });

    it("runs as a script under hardhat run, taking its arguments from INCIDENT_ARGS", async function () {
      const { dir } = await networkHelpers.loadFixture(deployFixture);
      const out = path.join(dir, "from-script.json");
      const run = (args: string) =>
        promisify(execFile)(process.execPath, [HARDHAT_CLI, "run", "--no-compile", "scripts/incident.ts"], {
          cwd: ROOT,
          env: { ...process.env, INCIDENT_ARGS: args },
        });
      const { stderr } = await run(`--csv ${FIXTURE} --out ${out} --dry-run`);
      expect(stderr).to.include("read 5 accounts");
      expect(stderr).to.include("dry run: no round opened");
      expect((await readIncidentJson(out)).count).to.equal(5);

      const bad = path.join(dir, "dup.csv");
      await writeFile(bad, `${A},1\n${A},2\n`);
      let failure: { code?: number; stderr?: string } = {};
      try {
        await run(`--csv ${bad} --dry-run`);
      } catch (error) {
        failure = error as { code?: number; stderr?: string };
      }
      expect(failure.code).to.equal(1);
      expect(failure.stderr).to.include(`line 2: duplicate account ${A} (first on line 1)`);
    });
  });
});
