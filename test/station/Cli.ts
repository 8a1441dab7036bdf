/**
 * The `station` CLI against a started stack (stack/stack.ts on free ports): every command,
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

import { CStakingAbi } from "../../common/abis/CStaking.js";
import { type OpeningStatement, openingHash } from "../../common/case.js";
import { CompensationPoolAbi } from "../../common/abis/CompensationPool.js";
import { IncidentVaultAbi } from "../../common/abis/IncidentVault.js";
import { MockCTokenAbi } from "../../common/abis/MockCToken.js";
import { MockStablecoinAbi } from "../../common/abis/MockStablecoin.js";
import { STAGE_TEXT, STATUS_NAMES, runCli } from "../../cli/index.js";
import { askSecret, keystoreFile } from "../../cli/lib/keystore.js";
import { REPO_ROOT } from "../../stack/proc.js";
import { type Stack, startStack } from "../../stack/stack.js";

/** A 1×1 PNG (70 bytes). */
const PNG_1X1 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
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

  const nonceLimit = process.env.AUTH_NONCE_PER_IP_PER_MINUTE;

  before(async function () {
    // Every command that writes to a case signs in (one SIWE nonce each), all from 127.0.0.1:
    // more in a minute than the service's default allowance for one address.
    process.env.AUTH_NONCE_PER_IP_PER_MINUTE = "1000";
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
    if (nonceLimit === undefined) delete process.env.AUTH_NONCE_PER_IP_PER_MINUTE;
    else process.env.AUTH_NONCE_PER_IP_PER_MINUTE = nonceLimit;
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

    const submitted = await station(
      ["claim", "submit", "--kind", "data-api-outage", "--amount", "12.5", "--description", "API down"],
      { account: 5 },
    );
    expect(submitted.code, submitted.err).to.equal(0);
    expect(submitted.out).to.match(/^claim #1 submitted \(12\.5 C, data-api-outage\)/);
    await station(["claim", "submit", "--kind", "other", "--amount", "3", "--description", "other"], { account: 5 });

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

  it("vetoes a large payout as a guardian, with the reason as a signed message of the case", async function () {
    const filed = await station(
      ["claim", "submit", "--kind", "other", "--amount", "1200", "--description", "Merchant tool down all day"],
      { account: 6 },
    );
    expect(filed.code, filed.err).to.equal(0);
    const id = /^claim #(\d+) submitted/.exec(filed.out)![1]!;
    expect((await station(["accept", id], { account: 1 })).code).to.equal(0);
    const approved = await station(["approve", id, "1100", "--note", "Approved after checking the logs"], {
      account: 1,
    });
    expect(approved.code, approved.err).to.equal(0);
    expect(await statusOf(BigInt(id))).to.equal("Approved"); // from 1,000 C the payout waits for the delay
    const noReason = await station(["veto", id], { account: 2 });
    expect(noReason.code).to.equal(2);
    expect(noReason.err).to.include("veto needs --reason");
    const notGuardian = await station(["veto", id, "--reason", "x"], { account: 5 });
    expect(notGuardian.code).to.equal(1);
    const vetoed = await station(["veto", id, "--reason", "The logs were edited after the fact"], { account: 2 });
    expect(vetoed.code, vetoed.err).to.equal(0);
    expect(vetoed.out).to.include(`claim #${id}: Rejected`);
    expect(await statusOf(BigInt(id))).to.equal("Rejected");
    // The claimant reads the reason; every note is sealed on-chain.
    let shown = await station(["case", "show", id, "--json"], { account: 6 });
    for (let i = 0; i < 20 && !shown.out.includes("Rejected"); i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      shown = await station(["case", "show", id, "--json"], { account: 6 });
    }
    const view = JSON.parse(shown.out) as {
      messages: Array<{ anchor: string; message: { role: string; action: string; text: string } }>;
    };
    const veto = view.messages.at(-1)!;
    expect(veto.message).to.include({ role: "guardian", action: "veto", text: "The logs were edited after the fact" });
    expect(veto.anchor).to.equal("matches the chain");
  });

  it("submits a gasless claim through the relayer, or says clearly that the service has no relayer", async function () {
    const result = await station(
      ["claim", "submit", "--kind", "other", "--amount", "2", "--description", "no gas", "--gasless"],
      { account: 8 },
    );
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
    const gift = ["package", "buy", "1", "--with", "stable", "--beneficiary", dev(9).address];
    expect((await station(gift, { account: 6 })).err).to.include(
      `${dev(9).address} has not allowed ${buyer} to buy for it: it must first run \`station package allow ${buyer}\``,
    );
    const allowed = await station(["package", "allow", buyer], { account: 9 });
    expect(allowed.out, allowed.err).to.include(`${buyer} may now buy packages for ${dev(9).address}`);
    const withStable = await station(gift, { account: 6 });
    expect(withStable.out, withStable.err).to.include(`package 1 bought for ${dev(9).address}: paid 49 USD`);
  });

  it("opens an incident round from a CSV, writes the proofs, and refuses to close it early", async function () {
    const bad = path.join(dir, "bad.csv");
    await writeFile(bad, "account,amount\n0x123,5\n");
    const badRun = await station(["incident", "open", "--csv", bad], { account: 0 });
    expect(badRun.err).to.include('line 2: bad address "0x123"');

    const csv = path.join(dir, "outage.csv");
    await writeFile(csv, `account,amount\n${dev(10).address},5\n${dev(11).address},7.5\n${dev(12).address},1\n`);
    const out = path.join(dir, "outage.json");
    const opened = await station(["incident", "open", "--csv", csv, "--deadline", "+2d", "--out", out], {
      account: 0,
    });
    expect(opened.code, opened.err).to.equal(0);
    expect(opened.out).to.include("incident #1 opened: 3 accounts, 13.5 C");
    expect(opened.out).to.include(`round published: claimants find their proofs at ${stack.urls.service}/v1/rounds/1`);
    // Published: a claimant's proof is one lookup by address.
    const leaf = (await (await fetch(`${stack.urls.service}/v1/rounds/1/proofs/${dev(11).address}`)).json()) as {
      index: number;
      amount: string;
    };
    expect(leaf).to.deep.include({ index: 1, amount: parseUnits("7.5", 18).toString() });
    const round = JSON.parse(await readFile(out, "utf8")) as {
      round: { incidentId: string };
      claims: Record<string, { amount: string }>;
    };
    expect(round.round.incidentId).to.equal("1");
    expect(round.claims[dev(11).address]!.amount).to.equal(parseUnits("7.5", 18).toString());

    const early = await station(["incident", "close", "1"], { account: 0 });
    expect(early.err).to.include("reverted: CompensationPoolIncidentClaimPeriodNotOver(incidentId: 1");
  });

  it("opens a round without the service (--no-publish) under a given metadata hash, and refuses a deadline inside the challenge window before drafting", async function () {
    const csv = path.join(dir, "no-service.csv");
    await writeFile(csv, `${dev(13).address},2\n${dev(14).address},3\n`);
    const out = path.join(dir, "no-service.json");
    const count = () =>
      publicClient().readContract({
        address: stack.addresses.pool!,
        abi: CompensationPoolAbi,
        functionName: "incidentCount",
      });
    const before = await count();

    // Refused from the chain's figures before the service drafts or anything is sent.
    const early = await station(["incident", "open", "--csv", csv, "--deadline", "+1m", "--out", out], { account: 0 });
    expect(early.code).to.equal(1);
    expect(early.err).to.match(
      /must be after the round becomes claimable \(about \d+: the latest block plus the \d+ s challenge window\)/,
    );
    expect(early.err).to.not.include("draft");
    expect(await count()).to.equal(before);

    // A service that does not answer is not needed with --no-publish; the pool named in env (as on
    // a network without a local deployment) is the one opened.
    const metadataHash = `0x${"ab".repeat(32)}`;
    const opened = await station(
      ["incident", "open", "--csv", csv, "--no-publish", "--metadata-hash", metadataHash, "--out", out],
      {
        account: 0,
        env: {
          SERVICE_URL: "http://127.0.0.1:1",
          STATION_DEPLOYMENT_ID: "no-such-deployment",
          STATION_POOL: stack.addresses.pool,
          STATION_STAKING: stack.addresses.staking,
          STATION_PACKAGES: stack.addresses.packages,
          STATION_C_TOKEN: stack.addresses.cToken,
          STATION_STABLECOIN: stack.addresses.stablecoin,
        },
      },
    );
    expect(opened.code, opened.err).to.equal(0);
    const id = before + 1n;
    expect(opened.out).to.include(`incident #${id} opened: 2 accounts, 5 C`);
    expect(opened.out).to.include("not published (--no-publish)");
    const round = JSON.parse(await readFile(out, "utf8")) as {
      root: string;
      round: { incidentId: string; pool: string; metadataHash: string; claimableAt: number };
      claims: Record<string, { index: number; amount: string; proof: string[] }>;
    };
    expect(round.round.incidentId).to.equal(id.toString());
    expect(round.round.pool).to.equal(stack.addresses.pool);
    expect(round.round.metadataHash).to.equal(metadataHash);
    const [event] = await publicClient().getContractEvents({
      address: stack.addresses.pool!,
      abi: CompensationPoolAbi,
      eventName: "IncidentOpened",
      args: { incidentId: id },
      fromBlock: 0n,
    });
    expect(event!.args.metadataHash).to.equal(metadataHash);
    expect(event!.args.root).to.equal(round.root);

    // A proof from the round file claims on-chain once the round is claimable.
    const latest = Number((await publicClient().getBlock()).timestamp);
    await stack.chain!.increaseTime(Math.max(0, round.round.claimableAt - latest) + 1);
    const claim = round.claims[dev(13).address]!;
    const wallet = createWalletClient({ account: dev(13), chain: hardhat, transport: http(stack.urls.rpc) });
    const { vault } = await publicClient().readContract({
      address: stack.addresses.pool!,
      abi: CompensationPoolAbi,
      functionName: "getIncident",
      args: [id],
    });
    const hash = await wallet.writeContract({
      address: vault,
      abi: IncidentVaultAbi,
      functionName: "claim",
      args: [BigInt(claim.index), dev(13).address, BigInt(claim.amount), claim.proof as `0x${string}`[]],
    });
    expect((await publicClient().waitForTransactionReceipt({ hash })).status).to.equal("success");
    const balance = await publicClient().readContract({
      address: stack.addresses.cToken!,
      abi: MockCTokenAbi,
      functionName: "balanceOf",
      args: [dev(13).address],
    });
    expect(balance).to.equal(parseUnits("2", 18));
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

  it("verifies a support agent: an address with the assessor role, a message signed by it, and a fake", async function () {
    const real = await station(["verify", dev(1).address]);
    expect(real.code, real.err).to.equal(0);
    expect(real.out).to.include(`✓ ${dev(1).address} is station staff now (assessor)`);
    const fake = await station(["verify", dev(7).address]);
    expect(fake.code).to.equal(1);
    expect(fake.out).to.include("is NOT station support");
    const message = "I am station support, case #12";
    const signed = await station([
      "verify",
      "--message",
      message,
      "--signature",
      await dev(1).signMessage({ message }),
    ]);
    expect(signed.code, signed.err).to.equal(0);
    expect(signed.out).to.include(`signed by ${dev(1).address}`);
    // An impostor signs and claims to be the assessor.
    const forged = await station([
      "verify",
      "--message",
      message,
      "--signature",
      await dev(7).signMessage({ message }),
      "--address",
      dev(1).address,
    ]);
    expect(forged.code).to.equal(1);
    expect(forged.out).to.include(`✗ the signature is NOT by ${dev(1).address}`);
    const usage = await station(["verify", "--message", message]);
    expect(usage.code).to.equal(2);
    expect(usage.err).to.include("--message and --signature go together");
    expect((await station(["verify", "0x1234"])).code).to.equal(2);
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
      const submit = ["claim", "submit", "--kind", "other", "--amount", "1", "--description", "keystore"];

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
      const code = await runCli(["claim", "submit", "--kind", "other", "--amount", "2", "--description", "asked"], {
        env: {
          PATH: process.env.PATH,
          RPC_URL: stack.urls.rpc,
          SERVICE_URL: stack.urls.service,
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

  it("keeps a claim's case: a signed opening with a file, replies, a note sealed on-chain, an export that verifies and a tampered copy that does not", async function () {
    const png = path.join(dir, "screenshot.png");
    await writeFile(png, Buffer.from(PNG_1X1, "base64"));
    const description = "The data API answered 503 for two hours. 数据接口中断 🚨";

    const noDescription = await station(["claim", "submit", "--kind", "other", "--amount", "1"], { account: 6 });
    expect(noDescription.code).to.equal(2);
    expect(noDescription.err).to.include("claim submit needs --description <text>");
    const badLink = await station(
      ["claim", "submit", "--kind", "other", "--amount", "1", "--description", "x", "--link", "ftp://example.org"],
      { account: 6 },
    );
    expect(badLink.code).to.equal(2);
    expect(badLink.err).to.include("--link: must be an http(s) URL");

    const submitted = await station(
      [
        ...["claim", "submit", "--kind", "data-api-outage", "--amount", "4", "--description", description],
        ...["--attach", png, "--link", "https://status.example.org/incidents/42"],
      ],
      { account: 6 },
    );
    expect(submitted.code, submitted.err).to.equal(0);
    const id = /^claim #(\d+) submitted/.exec(submitted.out)![1]!;

    // The claimant's view, once the indexer has the claim (bounded wait): the opening statement
    // is the one whose hash the chain holds as the evidence hash.
    let own = await station(["case", "show", id, "--json"], { account: 6 });
    for (let i = 0; i < 20 && own.code !== 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      own = await station(["case", "show", id, "--json"], { account: 6 });
    }
    expect(own.code, own.err).to.equal(0);
    const view = JSON.parse(own.out) as {
      evidenceHash: string;
      viewer: { role: string };
      opening: { hash: string; anchor: string; statement: OpeningStatement };
    };
    expect(view.viewer.role).to.equal("claimant");
    expect(view.opening.anchor).to.equal("matches the chain");
    expect(view.opening.statement.text).to.equal(description);
    expect(openingHash(view.opening.statement)).to.equal(view.evidenceHash.toLowerCase());
    const [submittedLog] = await publicClient().getContractEvents({
      address: stack.addresses.pool!,
      abi: CompensationPoolAbi,
      eventName: "ClaimSubmitted",
      args: { claimId: BigInt(id) },
      fromBlock: 0n,
    });
    expect(submittedLog!.args.evidenceHash).to.equal(view.opening.hash);

    // The assessor reads it, asks, the claimant answers, the assessor accepts with a note.
    const shown = await station(["case", "show", id], { account: 1 });
    expect(shown.code, shown.err).to.equal(0);
    expect(shown.out).to.include(`case #${id}: Submitted`).and.include("you read it as assessor");
    expect(shown.out).to.include("[matches the chain]").and.include(`    ${description}`);
    expect(shown.out).to.match(/\+ file screenshot\.png \(image\/png, 70 B, sha256 0x[0-9a-f]{64}\)/);
    expect(shown.out).to.include("+ link https://status.example.org/incidents/42");
    const asked = await station(["case", "reply", id, "--text", "Which endpoint? Please send the request id."], {
      account: 1,
    });
    expect(asked.code, asked.err).to.equal(0);
    expect(asked.out).to.match(new RegExp(`^message #1 posted to case #${id} \\(0x[0-9a-f]{64}\\)$`));
    const answered = await station(
      ["case", "reply", id, "--text", "GET /v1/rewards, request id 7f3a", "--attach", png],
      {
        account: 6,
      },
    );
    expect(answered.out, answered.err).to.match(/^message #2 posted/);
    const accepted = await station(["accept", id, "--note", "Confirmed on our side: the outage hit you."], {
      account: 1,
    });
    expect(accepted.code, accepted.err).to.equal(0);
    expect(accepted.out).to.include(`claim #${id}: Accepted`);
    const noteHash = /note: message #3 of the case \((0x[0-9a-f]{64})\)/.exec(accepted.out)![1]!;
    const changes = await publicClient().getContractEvents({
      address: stack.addresses.pool!,
      abi: CompensationPoolAbi,
      eventName: "ClaimStatusChanged",
      args: { claimId: BigInt(id) },
      fromBlock: 0n,
    });
    expect(changes.map((c) => c.args.noteHash)).to.include(noteHash);

    // Everyone's view says so once the indexer has the transition (bounded wait).
    let again = await station(["case", "show", id], { account: 6 });
    for (let i = 0; i < 20 && !again.out.includes("(assessor, accept)  [matches the chain]"); i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      again = await station(["case", "show", id], { account: 6 });
    }
    expect(again.out).to.include("(assessor, accept)  [matches the chain]");
    expect(again.out).to.include("    GET /v1/rewards, request id 7f3a");
    const stranger = await station(["case", "show", id], { account: 9 });
    expect(stranger.code).to.equal(1);
    expect(stranger.err).to.include("HTTP 404");

    // The export verifies against the chain alone; a copy with one word changed does not.
    const bundle = path.join(dir, `case-${id}.json`);
    const exported = await station(["case", "export", id, "--out", bundle], { account: 6 });
    expect(exported.code, exported.err).to.equal(0);
    expect(exported.out).to.include(`case #${id} exported to ${bundle} (3 messages)`);
    const verified = await station(["case", "verify", bundle, "--rpc", stack.urls.rpc], {
      env: { RPC_URL: undefined },
    });
    expect(verified.code, verified.err).to.equal(0);
    const lines = verified.out.split("\n");
    expect(lines.filter((l) => /^message \d  0x[0-9a-f]{64}  matches the chain/.test(l))).to.have.length(3);
    expect(lines).to.include(`opening    ${view.opening.hash}  matches the chain`);
    expect(lines.at(-1)).to.equal("verified: the transcript is the one the chain sealed");

    const tampered = path.join(dir, `case-${id}-tampered.json`);
    const copy = JSON.parse(await readFile(bundle, "utf8")) as { messages: { message: { text: string } }[] };
    copy.messages[1]!.message.text = "GET /v1/rewards, request id 7f3a; also pay me 1,000 C";
    await writeFile(tampered, JSON.stringify(copy));
    const refused = await station(["case", "verify", tampered]);
    expect(refused.code).to.equal(1);
    expect(refused.out).to.match(/^message 2  0x[0-9a-f]{64}  mismatch/m);
    expect(refused.err).to.include(`${tampered} does not verify:`);
    expect(refused.err).to.include("  - message 2 does not hash to its stated hash (edited)");
  });

  // Last: it moves the chain's clock past the deadlines.
  it("pays the no-answer credit for a covered claimant's unanswered claim, and says why none is due otherwise", async function () {
    const covered = dev(4);
    await mint("stable", covered.address, 200_000_000n);
    // Package 2 halves response times: coverage in force gives the claimant standing.
    const bought = await station(["package", "buy", "2", "--with", "stable"], { account: 4 });
    expect(bought.code, bought.err).to.equal(0);
    const admin = createWalletClient({ account: dev(0), chain: hardhat, transport: http(stack.urls.rpc) });
    const C = 10n ** 18n;
    await publicClient().waitForTransactionReceipt({
      hash: await admin.writeContract({
        address: stack.addresses.pool!,
        abi: CompensationPoolAbi,
        functionName: "setBreachCredits",
        args: [5n * C, 10n * C, 100n * C],
      }),
    });
    const file = async (account: number) => {
      const filed = await station(
        ["claim", "submit", "--kind", "other", "--amount", "3", "--description", "Nobody answers"],
        { account },
      );
      expect(filed.code, filed.err).to.equal(0);
      return /^claim #(\d+) submitted/.exec(filed.out)![1]!;
    };
    const id = await file(4);
    const uncovered = await file(8);
    const early = await station(["claim", "credit", id], { account: 5 });
    expect(early.code).to.equal(1);
    expect(early.err).to.include(`no credit is due yet: claim #${id} may be answered until`);

    await stack.chain!.increaseTime(3_601); // past both claims' response deadlines (1 h, or 30 min covered)
    const before = await publicClient().readContract({
      address: stack.addresses.cToken!,
      abi: MockCTokenAbi,
      functionName: "balanceOf",
      args: [covered.address],
    });
    // Anyone may trigger it; the claimant is paid.
    const paid = await station(["claim", "credit", id], { account: 5 });
    expect(paid.code, paid.err).to.equal(0);
    expect(paid.out).to.include(`claim #${id}: 5 C no-answer credit paid to ${covered.address}`);
    const after = await publicClient().readContract({
      address: stack.addresses.cToken!,
      abi: MockCTokenAbi,
      functionName: "balanceOf",
      args: [covered.address],
    });
    expect(after - before).to.equal(5n * C);
    const twice = await station(["claim", "credit", id], { account: 5 });
    expect(twice.err).to.include(`no credit is due yet: claim #${id} may be answered until`);
    const noStanding = await station(["claim", "credit", uncovered], { account: 5 });
    expect(noStanding.code).to.equal(1);
    expect(noStanding.err).to.include("earns no breach credit: its claimant had no priority tier or package coverage");
    // The service's view shows the credit once indexed.
    let status = await station(["claim", "status", id]);
    for (let i = 0; i < 20 && !status.out.includes("no-answer credit"); i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      status = await station(["claim", "status", id]);
    }
    expect(status.out).to.include("5 C no-answer credit");
  });
});
