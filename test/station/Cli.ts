/**
 * The `station` CLI against a started stack (scripts/lib/stack.ts on free ports): every command,
 * with the messages a person sees when something is wrong. Commands run in-process through
 * `runCli` (same code as `npx station`); the bin shim itself is run once as a child process.
 */
import { execFile, spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { promisify } from "node:util";

import { expect } from "chai";
import { type Address, createPublicClient, createWalletClient, http, parseUnits, toHex } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";

import { CStakingAbi } from "../../indexer/abis/CStaking.js";
import { CompensationPoolAbi } from "../../indexer/abis/CompensationPool.js";
import { MockCTokenAbi } from "../../indexer/abis/MockCToken.js";
import { MockStablecoinAbi } from "../../indexer/abis/MockStablecoin.js";
import { STAGE_TEXT, STATUS_NAMES, runCli } from "../../scripts/cli.js";
import { askSecret, keystoreFile } from "../../scripts/lib/keystore.js";
import { REPO_ROOT } from "../../scripts/lib/proc.js";
import { type Stack, startStack } from "../../scripts/lib/stack.js";

const MNEMONIC = "test test test test test test test test test test test junk";
const dev = (i: number) => mnemonicToAccount(MNEMONIC, { addressIndex: i });
const HARDHAT_CLI = path.join(REPO_ROOT, "node_modules", "hardhat", "dist", "src", "cli.js");

/** Env that points Hardhat's config directory (and so its keystore) into `home`, on any OS. */
const isolatedHome = (home: string): NodeJS.ProcessEnv => ({
  HOME: home,
  USERPROFILE: home,
  XDG_CONFIG_HOME: path.join(home, "config"),
  APPDATA: path.join(home, "appdata"),
});

/**
 * Runs `hardhat keystore <args>` as a person would, typing `answers` at its prompts, with Hardhat's
 * config directory in `home` (never the real one). Returns what it printed.
 */
async function hardhatKeystore(home: string, args: string[], answers: string[] = []): Promise<string> {
  const child = spawn(process.execPath, [HARDHAT_CLI, "keystore", ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...isolatedHome(home) },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  let since = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    out += chunk;
    since += chunk;
    if (!/\[hardhat-keystore\][^\n]*: $/.test(since)) return;
    since = "";
    const answer = answers.shift();
    if (answer === undefined) child.kill();
    else child.stdin.write(`${answer}\n`);
    if (answers.length === 0) child.stdin.end();
  });
  let err = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (err += chunk));
  if (answers.length === 0) child.stdin.end();
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  if (code !== 0) throw new Error(`hardhat keystore ${args.join(" ")} exited ${code}: ${out}${err}`);
  return out;
}

describe("station CLI", function () {
  this.timeout(300_000);
  let stack: Stack;
  let dir: string;
  const deploymentId = `local-cli-${process.pid}`;

  before(async function () {
    stack = await startStack({
      chainPort: 0,
      indexerPort: 0,
      servicePort: 0,
      dataDir: path.join(REPO_ROOT, ".data", `cli-${process.pid}`),
      deploymentId,
    });
    dir = await mkdtemp(path.join(tmpdir(), "station-cli-"));
  });

  after(async function () {
    await stack?.stop();
    await rm(path.join(REPO_ROOT, ".data", `cli-${process.pid}`), { recursive: true, force: true });
    await rm(path.join(REPO_ROOT, "ignition", "deployments", deploymentId), { recursive: true, force: true });
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Runs `station …` as dev account `account` (or with `env`); returns exit code and output. */
  async function station(args: string[], options: { account?: number; env?: NodeJS.ProcessEnv } = {}) {
    const out: string[] = [];
    const err: string[] = [];
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      RPC_URL: stack.urls.rpc,
      SERVICE_URL: stack.urls.service,
      STATION_DEPLOYMENT_ID: deploymentId,
      ...(options.account !== undefined ? { STATION_ACCOUNT: String(options.account) } : {}),
      ...options.env,
    };
    const code = await runCli(args, { env, out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join("\n"), err: err.join("\n") };
  }

  const publicClient = () => createPublicClient({ chain: hardhat, transport: http(stack.urls.rpc) });

  async function mint(token: "c" | "stable", to: Address, amount: bigint) {
    const wallet = createWalletClient({ account: dev(0), chain: hardhat, transport: http(stack.urls.rpc) });
    const hash = await wallet.writeContract({
      address: token === "c" ? stack.addresses.cToken! : stack.addresses.stablecoin!,
      abi: token === "c" ? MockCTokenAbi : MockStablecoinAbi,
      functionName: "mint",
      args: [to, amount],
    });
    await publicClient().waitForTransactionReceipt({ hash });
  }

  async function statusOf(id: bigint) {
    const claim = await publicClient().readContract({
      address: stack.addresses.pool!,
      abi: CompensationPoolAbi,
      functionName: "getClaim",
      args: [id],
    });
    return STATUS_NAMES[claim.status]!;
  }

  it("prints usage for no command (exit 2) and for help (exit 0), and names an unknown command", async function () {
    expect((await station([])).code).to.equal(2);
    const help = await station(["help"]);
    expect(help.code).to.equal(0);
    expect(help.out).to.include("station incident open --csv <file>");
    const unknown = await station(["frobnicate"]);
    expect(unknown.code).to.equal(2);
    expect(unknown.err).to.include('unknown command "frobnicate"');
  });

  it("refuses to run without a key, and with a CHAIN_ID that is not the node's", async function () {
    const noKey = await station(["stake", "1"]);
    expect(noKey.code).to.equal(1);
    expect(noKey.err).to.include("no key: set STATION_PRIVATE_KEY");
    const wrongChain = await station(["stake", "1"], { account: 4, env: { CHAIN_ID: "1" } });
    expect(wrongChain.code).to.equal(1);
    expect(wrongChain.err).to.include("wrong chain: CHAIN_ID is 1 but");
    const noNode = await station(["stake", "1"], { account: 4, env: { RPC_URL: "http://127.0.0.1:1" } });
    expect(noNode.err).to.include("no chain answers at http://127.0.0.1:1");
  });

  it("submits claims, moves them through the assessor commands and shows their status", async function () {
    const badKind = await station(["claim", "submit", "--kind", "bored", "--amount", "1"], { account: 5 });
    expect(badKind.err).to.include("--kind must be one of missing-reward");
    const tooPrecise = await station(["claim", "submit", "--kind", "other", "--amount", "1.0000001"], { account: 5 });
    expect(tooPrecise.err).to.include("--amount may have at most 6 decimals");

    const submitted = await station(["claim", "submit", "--kind", "data-api-outage", "--amount", "12.5"], {
      account: 5,
    });
    expect(submitted.code, submitted.err).to.equal(0);
    expect(submitted.out).to.match(/^claim #1 submitted \(12\.5 C, data-api-outage\)/);
    await station(["claim", "submit", "--kind", "other", "--amount", "3"], { account: 5 });

    // The queue comes from the indexer, which follows the chain a moment later: wait (bounded)
    // until it has both claims.
    let queue = await station(["queue"], { account: 1 });
    for (let i = 0; i < 20 && !/#2\s+Submitted/.test(queue.out); i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      queue = await station(["queue"], { account: 1 });
    }
    expect(queue.code, queue.err).to.equal(0);
    expect(queue.out).to.match(/#1\s+Submitted\s+12\.5 C/);
    expect(queue.out).to.match(/#2\s+Submitted\s+3 C/);

    const notAssessor = await station(["accept", "1"], { account: 5 });
    expect(notAssessor.code).to.equal(1);
    expect(notAssessor.err).to.include(
      `reverted: AccessControlUnauthorizedAccount(account: ${dev(5).address}, neededRole:`,
    );

    const accepted = await station(["accept", "1"], { account: 1 });
    expect(accepted.out).to.include("claim #1: Accepted — Customer service has accepted the request");
    expect(await statusOf(1n)).to.equal("Accepted");
    const again = await station(["accept", "1"], { account: 1 });
    expect(again.err).to.include("reverted: CompensationPoolInvalidClaimStatus(claimId: 1, current: 2)");

    expect((await station(["investigate", "1", "--note", "looking"], { account: 1 })).out).to.include(
      "A technician is investigating",
    );
    const approved = await station(["approve", "1", "10"], { account: 1 });
    expect(approved.code, approved.err).to.equal(0);
    // Below the 1,000 C large-claim threshold: paid at once.
    expect(await statusOf(1n)).to.equal("Paid");
    expect(approved.out).to.include(`claim #1: Paid — ${STAGE_TEXT.Paid}`);

    expect((await station(["reject", "2"], { account: 1 })).err).to.include("reject needs --reason");
    expect((await station(["reject", "2", "--reason", "duplicate"], { account: 1 })).out).to.include(
      "claim #2: Rejected",
    );

    // The service's view, once the indexer has the payment (bounded wait).
    let status = await station(["claim", "status", "1"]);
    for (let i = 0; i < 20 && !status.out.startsWith("claim #1: Paid"); i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      status = await station(["claim", "status", "1"]);
    }
    expect(status.code, status.err).to.equal(0);
    expect(status.err).to.equal("");
    const lines = status.out.split("\n");
    expect(lines[0]).to.equal("claim #1: Paid — Compensation credited");
    expect(lines[2]).to.equal("  amounts   12.5 C requested · 10 C approved · 10 C paid");
    const acceptedLine = lines.find((l) => l.includes("Customer service has accepted the request"))!;
    expect(acceptedLine).to.match(/^ {2}✓ Customer service has accepted the request {2}· {2}\d{4}-/);
    expect(acceptedLine).to.include("response deadline").and.include("— Done within the deadline");
    const inIndonesian = await station(["claim", "status", "1", "--lang", "id"]);
    expect(inIndonesian.out.split("\n")[0]).to.equal("claim #1: Paid — Kompensasi telah dikreditkan");
    expect(inIndonesian.out).to.include("Selesai sebelum tenggat");
    const json = JSON.parse((await station(["claim", "status", "1", "--json"])).out) as {
      status: string;
      timeline: { stage: string }[];
    };
    expect(json.status).to.equal("Paid");
    expect(json.timeline.map((t) => t.stage)).to.deep.equal([
      "Submitted",
      "Accepted",
      "Investigating",
      "Approved",
      "Paid",
    ]);
    expect((await station(["claim", "status", "1", "--lang", "fr"])).err).to.include(
      "--lang must be one of en, id, es, zh",
    );
    expect((await station(["claim", "status", "99"])).err).to.include("99");
  });

  it("submits a gasless claim through the relayer, or says clearly that the service has no relayer", async function () {
    const result = await station(["claim", "submit", "--kind", "other", "--amount", "2", "--gasless"], {
      account: 8,
    });
    if (result.code === 0) expect(result.out).to.match(/^claim #\d+ submitted without gas/);
    else expect(result.err).to.include("POST /v1/relay/claims: HTTP 404");
  });

  it("stakes, unstakes and withdraws after the cooldown", async function () {
    const me = dev(4).address;
    const poor = await station(["stake", "10"], { account: 4 });
    expect(poor.err).to.include(`reverted: ERC20InsufficientBalance(sender: ${me}, balance: 0, needed: ${10n ** 19n})`);
    await mint("c", me, parseUnits("5000", 18));
    expect((await station(["stake", "1000"], { account: 4 })).out).to.include(`stake of ${me}: 1000 C`);
    expect((await station(["unstake", "400"], { account: 4 })).out).to.include(`stake of ${me}: 600 C`);
    expect((await station(["withdraw"], { account: 4 })).err).to.include("nothing to withdraw yet");
    await stack.chain!.increaseTime(301);
    expect((await station(["withdraw"], { account: 4 })).out).to.include("withdrew 400 C");
    const stake = await publicClient().readContract({
      address: stack.addresses.staking!,
      abi: CStakingAbi,
      functionName: "stakeOf",
      args: [me],
    });
    expect(stake).to.equal(parseUnits("600", 18));
  });

  it("buys a package with C at the discount and with the stablecoin at full price", async function () {
    const buyer = dev(6).address;
    expect((await station(["package", "buy", "1", "--with", "gold"], { account: 6 })).err).to.include(
      "--with must be c or stable",
    );
    const broke = await station(["package", "buy", "1", "--with", "c"], { account: 6 });
    expect(broke.err).to.include(`insufficient balance: ${buyer} has 0 C, package 1 costs 137.2 C`);
    await mint("c", buyer, parseUnits("1000", 18));
    await mint("stable", buyer, 100_000_000n);
    // $49 × 0.7 / $0.25 per C.
    const withC = await station(["package", "buy", "1", "--with", "c"], { account: 6 });
    expect(withC.out, withC.err).to.include(`package 1 bought for ${buyer}: paid 137.2 C (30% discount)`);
    const withStable = await station(["package", "buy", "1", "--with", "stable", "--beneficiary", dev(9).address], {
      account: 6,
    });
    expect(withStable.out, withStable.err).to.include(`package 1 bought for ${dev(9).address}: paid 49 USD`);
  });

  it("opens an incident round from a CSV, writes the proofs, and refuses to close it early", async function () {
    const bad = path.join(dir, "bad.csv");
    await writeFile(bad, "account,amount\n0x123,5\n");
    const badRun = await station(["incident", "open", "--csv", bad], { account: 0 });
    expect(badRun.err).to.include('line 2: bad address "0x123"');

    const csv = path.join(dir, "outage.csv");
    await writeFile(csv, `account,amount\n${dev(10).address},5\n${dev(11).address},7.5\n${dev(12).address},1\n`);
    const opened = await station(["incident", "open", "--csv", csv, "--deadline", "+2d"], { account: 0 });
    expect(opened.code, opened.err).to.equal(0);
    expect(opened.out).to.include("incident #1 opened: 3 accounts, 13.5 C");
    const round = JSON.parse(await readFile(path.join(dir, "outage.json"), "utf8")) as {
      round: { incidentId: string };
      claims: Record<string, { amount: string }>;
    };
    expect(round.round.incidentId).to.equal("1");
    expect(round.claims[dev(11).address]!.amount).to.equal(parseUnits("7.5", 18).toString());

    const early = await station(["incident", "close", "1"], { account: 0 });
    expect(early.err).to.include("reverted: CompensationPoolIncidentClaimPeriodNotOver(incidentId: 1");
  });

  it("posts an alert as an operator with a SIWE session, and refuses a non-operator", async function () {
    expect((await station(["alert", "--title", "x"], { account: 0 })).err).to.include("--title <text> and --message");
    // Only operators (the pool's assessor role: dev account #1 locally) may post risk alerts.
    const refused = await station(["alert", "--title", "Data API degraded", "--message", "Expect delays"], {
      account: 0,
    });
    expect(refused.code).to.equal(1);
    expect(refused.err).to.include("POST /v1/alerts: HTTP 403");
    const result = await station(["alert", "--title", "Data API degraded", "--message", "Expect delays"], {
      account: 1,
    });
    expect(result.code, result.err).to.equal(0);
    expect(result.out).to.include("alert posted");
    expect(result.out).to.include("Data API degraded");
  });

  it("runs as `station` through the bin shim", async function () {
    const { stdout } = await promisify(execFile)(process.execPath, ["bin/station.js", "claim", "status", "1"], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        RPC_URL: stack.urls.rpc,
        SERVICE_URL: stack.urls.service,
        STATION_DEPLOYMENT_ID: deploymentId,
      },
    });
    expect(stdout).to.match(/Paid|Compensation credited/);
  });
  it("reads the keystore password without echo, with backspace, and stops on Ctrl-C", async function () {
    const typed = new PassThrough();
    const shown = new PassThrough();
    let screen = "";
    shown.setEncoding("utf8").on("data", (chunk: string) => (screen += chunk));
    const answer = askSecret("Password: ", typed, shown);
    typed.write("hunter3\u007f2");
    typed.write("x\u007f\r");
    expect(await answer).to.equal("hunter2");
    expect(screen).to.equal("Password: \n");

    const cancelled = askSecret("Password: ", typed, shown);
    typed.write("abc\u0003");
    await cancelled.then(
      () => expect.fail("Ctrl-C must cancel"),
      (error: Error) => expect(error.message).to.equal("cancelled"),
    );
  });

  it("signs with a key from Hardhat's keystore, the password from env or asked, with clear errors", async function () {
    const home = await mkdtemp(path.join(tmpdir(), "station-keystore-"));
    try {
      // Hardhat's own keystore tasks create the file; first make sure they write inside `home`.
      const file = (await hardhatKeystore(home, ["path"])).trim();
      expect(file.startsWith(home), `hardhat keystore path printed ${file}`).to.equal(true);
      expect(keystoreFile(isolatedHome(home))).to.equal(file);
      const password = "correct horse battery";
      const key = toHex(dev(7).getHdKey().privateKey!);
      await hardhatKeystore(home, ["set", "STATION_DEV7"], [password, password, key]);
      await hardhatKeystore(home, ["set", "NOT_A_KEY"], [password, "hello"]);

      const withKeystore = (env: NodeJS.ProcessEnv) => ({
        ...isolatedHome(home),
        STATION_KEYSTORE_KEY: "STATION_DEV7",
        ...env,
      });
      const submit = ["claim", "submit", "--kind", "other", "--amount", "1"];

      // The password from env (scripts).
      const viaEnv = await station(submit, { env: withKeystore({ STATION_KEYSTORE_PASSWORD: password }) });
      expect(viaEnv.code, viaEnv.err).to.equal(0);
      const id = BigInt(/^claim #(\d+) submitted/.exec(viaEnv.out)![1]!);
      const claim = await publicClient().readContract({
        address: stack.addresses.pool!,
        abi: CompensationPoolAbi,
        functionName: "getClaim",
        args: [id],
      });
      expect(claim.claimant).to.equal(dev(7).address);

      // The password asked at the terminal, once.
      const asked: string[] = [];
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(["claim", "submit", "--kind", "other", "--amount", "2"], {
        env: {
          PATH: process.env.PATH,
          RPC_URL: stack.urls.rpc,
          STATION_DEPLOYMENT_ID: deploymentId,
          ...withKeystore({}),
        },
        out: (l) => out.push(l),
        err: (l) => err.push(l),
        prompt: async (question) => {
          asked.push(question);
          return password;
        },
      });
      expect(code, err.join("\n")).to.equal(0);
      expect(asked).to.deep.equal([`Password of the Hardhat keystore ${file}: `]);
      expect(out.join("\n")).to.match(/^claim #\d+ submitted \(2 C, other\)/);

      // STATION_KEYSTORE_FILE names the file wherever Hardhat's directory is.
      const elsewhere = await station(submit, {
        env: { STATION_KEYSTORE_KEY: "STATION_DEV7", STATION_KEYSTORE_FILE: file, STATION_KEYSTORE_PASSWORD: password },
      });
      expect(elsewhere.code, elsewhere.err).to.equal(0);

      const fails = async (env: NodeJS.ProcessEnv) => {
        const result = await station(["withdraw"], { env });
        expect(result.code).to.equal(1);
        return result.err;
      };
      expect(await fails(withKeystore({ STATION_KEYSTORE_PASSWORD: "not the password" }))).to.equal(
        `station withdraw: wrong password for the Hardhat keystore ${file} (or the file is damaged)`,
      );
      expect(
        await fails(withKeystore({ STATION_KEYSTORE_KEY: "DEPLOYER", STATION_KEYSTORE_PASSWORD: password })),
      ).to.equal(
        `station withdraw: the Hardhat keystore ${file} has no key "DEPLOYER" (it has: STATION_DEV7, NOT_A_KEY); ` +
          "add it with `npx hardhat keystore set DEPLOYER`",
      );
      expect(
        await fails(withKeystore({ STATION_KEYSTORE_KEY: "NOT_A_KEY", STATION_KEYSTORE_PASSWORD: password })),
      ).to.include('the keystore value "NOT_A_KEY" is not a private key (expected 32 bytes of hex)');
      expect(await fails(withKeystore({}))).to.include(
        "the keystore needs its password: set STATION_KEYSTORE_PASSWORD, or run in a terminal to be asked for it",
      );
      expect(await fails(withKeystore({ STATION_KEYSTORE_KEY: " " }))).to.include("STATION_KEYSTORE_KEY is empty");
      expect(await fails(withKeystore({ STATION_PRIVATE_KEY: key }))).to.include(
        "set only one of STATION_PRIVATE_KEY, STATION_KEYSTORE_KEY, STATION_ACCOUNT (found STATION_PRIVATE_KEY and STATION_KEYSTORE_KEY)",
      );

      // No keystore where Hardhat keeps it, or none at STATION_KEYSTORE_FILE.
      const empty = path.join(home, "empty");
      await mkdir(empty);
      expect(await fails({ ...isolatedHome(empty), STATION_KEYSTORE_KEY: "STATION_DEV7" })).to.equal(
        `station withdraw: no Hardhat keystore at ${keystoreFile(isolatedHome(empty))}: ` +
          "create it with `npx hardhat keystore set STATION_DEV7` (or point STATION_KEYSTORE_FILE at one)",
      );
      const missing = path.join(home, "missing.json");
      expect(await fails({ STATION_KEYSTORE_KEY: "STATION_DEV7", STATION_KEYSTORE_FILE: missing })).to.include(
        `no Hardhat keystore at ${missing}`,
      );

      // A file that is not a keystore, and a keystore changed outside Hardhat.
      const notJson = path.join(home, "not.json");
      await writeFile(notJson, "password=1234\n");
      expect(await fails({ STATION_KEYSTORE_KEY: "STATION_DEV7", STATION_KEYSTORE_FILE: notJson })).to.include(
        `${notJson} is not a Hardhat keystore (not JSON)`,
      );
      const tampered = path.join(home, "tampered.json");
      const original = JSON.parse(await readFile(file, "utf8")) as { secrets: Record<string, unknown> };
      delete original.secrets.NOT_A_KEY;
      await writeFile(tampered, JSON.stringify(original));
      expect(
        await fails({
          STATION_KEYSTORE_KEY: "STATION_DEV7",
          STATION_KEYSTORE_FILE: tampered,
          STATION_KEYSTORE_PASSWORD: password,
        }),
      ).to.include(`the Hardhat keystore ${tampered} fails its integrity check: it was changed outside Hardhat`);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});
