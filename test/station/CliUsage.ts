/**
 * Every `station` command's usage, with no stack: `--help` prints the command's usage (exit 0);
 * an unknown option, a missing argument and a bad value are refused with that usage (exit 2)
 * before a chain, a service or a key is needed; an unknown command gets the overview (exit 2).
 */
import { expect } from "chai";

import { USAGE, runCli } from "../../cli/index.js";

/** Nothing answers here and no key is set: a command that got past its usage would fail with 1. */
const OFFLINE = { RPC_URL: "http://127.0.0.1:1", SERVICE_URL: "http://127.0.0.1:1" };
const ADDRESS = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

async function station(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { env: OFFLINE, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/**
 * Each command: its words, arguments it accepts (so only the unknown option is wrong), and a call
 * that leaves out what it requires, with the message that names it.
 */
const COMMANDS: { path: string[]; valid: string[]; missing: string[]; says: string }[] = [
  { path: ["queue"], valid: [], missing: ["extra"], says: "too many arguments for 'queue'" },
  { path: ["accept"], valid: ["1"], missing: [], says: "missing required argument 'claimId'" },
  { path: ["investigate"], valid: ["1"], missing: [], says: "missing required argument 'claimId'" },
  { path: ["approve"], valid: ["1", "10"], missing: ["1"], says: "missing required argument 'amountC'" },
  { path: ["reject"], valid: ["1", "--reason", "x"], missing: [], says: "missing required argument 'claimId'" },
  { path: ["veto"], valid: ["1", "--reason", "x"], missing: [], says: "missing required argument 'claimId'" },
  {
    path: ["incident", "open"],
    valid: ["--csv", "x.csv"],
    missing: ["--dry-run"],
    says: "incident open needs --csv <file>",
  },
  { path: ["incident", "close"], valid: ["1"], missing: [], says: "missing required argument 'incidentId'" },
  {
    path: ["alert"],
    valid: ["--title", "t", "--message", "m"],
    missing: ["--title", "t"],
    says: "alert needs --title <text> and --message <text>",
  },
  {
    path: ["package", "buy"],
    valid: ["1", "--with", "c"],
    missing: ["1"],
    says: "package buy needs --with c|stable",
  },
  { path: ["package", "allow"], valid: [ADDRESS], missing: [], says: "missing required argument 'buyerAddress'" },
  { path: ["package", "disallow"], valid: [ADDRESS], missing: [], says: "missing required argument 'buyerAddress'" },
  {
    path: ["claim", "submit"],
    valid: ["--kind", "other", "--amount", "1", "--description", "d"],
    missing: ["--kind", "other", "--amount", "1"],
    says: "claim submit needs --description <text>",
  },
  { path: ["claim", "status"], valid: ["1"], missing: [], says: "missing required argument 'claimId'" },
  { path: ["claim", "credit"], valid: ["1"], missing: [], says: "missing required argument 'claimId'" },
  { path: ["stake"], valid: ["1"], missing: [], says: "missing required argument 'amountC'" },
  { path: ["unstake"], valid: ["1"], missing: [], says: "missing required argument 'amountC'" },
  { path: ["withdraw"], valid: [], missing: ["extra"], says: "too many arguments for 'withdraw'" },
  { path: ["case", "show"], valid: ["1"], missing: [], says: "missing required argument 'claimId'" },
  { path: ["case", "reply"], valid: ["1", "--text", "t"], missing: ["1"], says: "case reply needs --text <text>" },
  { path: ["case", "export"], valid: ["1"], missing: [], says: "missing required argument 'claimId'" },
  { path: ["case", "verify"], valid: ["b.json"], missing: [], says: "missing required argument 'bundle.json'" },
  { path: ["verify"], valid: [ADDRESS], missing: [], says: "give one address to check" },
];

/** A bad value for each command that takes one, and the words that refuse it. */
const BAD_VALUES: [string[], string][] = [
  [["accept", "one"], "<claimId> must be a whole number"],
  [["approve", "1", "-5"], "<amountC> must be a number of C"],
  [["approve", "1", "ten"], "<amountC> must be a number of C"],
  [["stake", "0"], "<amountC> must be above 0"],
  [["incident", "close", "x"], "<incidentId> must be a whole number"],
  [["incident", "open", "--csv", "x.csv", "--unit", "gwei"], '--unit must be C or wei, not "gwei"'],
  [["incident", "open", "--csv", "x.csv", "--deadline", "soon"], "--deadline must be +<n>d"],
  [["incident", "open", "--csv", "x.csv", "--metadata-hash", "0x12"], "--metadata-hash must be 0x and 64 hex digits"],
  [["package", "buy", "1", "--with", "gold"], "--with must be c or stable"],
  [["package", "buy", "1", "--with", "c", "--beneficiary", "bob"], "--beneficiary is not an address: bob"],
  [["package", "allow", "0x1234"], "<buyerAddress> is not an address: 0x1234"],
  [["claim", "submit", "--kind", "bored"], "--kind must be one of missing-reward"],
  [["claim", "submit", "--amount", "1.0000001"], "--amount may have at most 6 decimals"],
  [["claim", "status", "1", "--lang", "fr"], "--lang must be one of en, id, es, zh"],
  [["reject", "1"], "reject needs --reason <text>"],
  [["veto", "1", "--reason", " "], "veto needs --reason <text>"],
  [["verify", "0x1234"], "give one address to check"],
  [["verify", "--message", "m"], "--message and --signature go together"],
];

describe("station CLI usage (no stack)", function () {
  for (const { path, valid, missing, says } of COMMANDS) {
    const name = `station ${path.join(" ")}`;
    const usage = `Usage: ${name} [options]`;

    it(`${name}: --help prints its usage (exit 0), an unknown option and a missing argument exit 2 with it`, async function () {
      const help = await station([...path, "--help"]);
      expect(help.code).to.equal(0);
      expect(help.out).to.include(usage);
      expect(help.err).to.equal("");
      expect((await station(["help", ...path])).out).to.equal(help.out);

      const unknown = await station([...path, ...valid, "--frobnicate"]);
      expect(unknown.code).to.equal(2);
      expect(unknown.err).to.include("unknown option '--frobnicate'");
      expect(unknown.err).to.include(usage);

      const short = await station([...path, ...missing]);
      expect(short.code, short.err).to.equal(2);
      expect(short.err).to.include(says);
      expect(short.err).to.include(usage);
    });
  }

  it("refuses bad values before reaching the chain, with the command's usage (exit 2)", async function () {
    for (const [args, says] of BAD_VALUES) {
      const result = await station(args);
      expect(result.code, args.join(" ")).to.equal(2);
      expect(result.err, args.join(" ")).to.include(says);
      expect(result.err, args.join(" ")).to.include("Usage: station ");
    }
  });

  it("prints the overview for help and no arguments, and refuses an unknown command or group member with it", async function () {
    for (const args of [["help"], ["--help"], ["-h"]]) {
      const help = await station(args);
      expect(help.code).to.equal(0);
      expect(help.out).to.equal(USAGE);
    }
    const none = await station([]);
    expect(none.code).to.equal(2);
    expect(none.out).to.equal(USAGE);
    const unknown = await station(["frobnicate"]);
    expect(unknown.code).to.equal(2);
    expect(unknown.err).to.equal(`station: unknown command "frobnicate"\n\n${USAGE}`);
    const option = await station(["--frobnicate"]);
    expect(option.code).to.equal(2);
    expect(option.err).to.include(USAGE);
    for (const group of ["incident", "package", "claim", "case"]) {
      const bare = await station([group]);
      expect(bare.code, group).to.equal(2);
      expect(bare.err).to.include(`Usage: station ${group} [options] [command]`);
      const wrong = await station([group, "frobnicate"]);
      expect(wrong.code, group).to.equal(2);
      expect(wrong.err).to.include("unknown command 'frobnicate'");
    }
  });

  it("lists every command in the overview", async function () {
    for (const { path } of COMMANDS) {
      // `allow|disallow` share a line.
      const last = path.at(-1)!;
      const line = new RegExp(`station ${[...path.slice(0, -1), ""].join(" ")}(\\w+\\|)?${last}\\b`);
      expect(USAGE, path.join(" ")).to.match(line);
    }
  });
});
