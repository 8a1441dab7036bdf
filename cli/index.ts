/**
 * `npx station …`: the station from a terminal, for assessors, operators, projects and users.
 * Run `npx station help`. `runCli` is the whole program (tests call it in-process): a commander
 * program built per run, one command per file in ./commands/, writing only through `io`. The
 * bottom of the file is the entry point used by bin/station.js.
 */
import { Command, CommanderError } from "commander";

import * as alert from "./commands/alert.js";
import * as assess from "./commands/assess.js";
import * as caseExport from "./commands/case-export.js";
import * as caseReply from "./commands/case-reply.js";
import * as caseShow from "./commands/case-show.js";
import * as caseVerify from "./commands/case-verify.js";
import * as claimCredit from "./commands/claim-credit.js";
import * as claimStatus from "./commands/claim-status.js";
import * as claimSubmit from "./commands/claim-submit.js";
import * as incidentClose from "./commands/incident-close.js";
import * as incidentOpen from "./commands/incident-open.js";
import * as packageAllow from "./commands/package-allow.js";
import * as packageBuy from "./commands/package-buy.js";
import * as queue from "./commands/queue.js";
import * as stake from "./commands/stake.js";
import * as verify from "./commands/verify.js";
import * as withdraw from "./commands/withdraw.js";
import { CASE_USAGE } from "./lib/case-cli.js";
import { type Deps, newDeps } from "./lib/command.js";
import type { CliIo } from "./lib/context.js";
import { askSecret } from "./lib/keystore.js";
import { UsageError, describeError } from "./lib/station-client.js";
import { VERIFY_USAGE } from "./lib/verify-cli.js";

export type { CliIo } from "./lib/context.js";
export { CLAIM_KINDS, STAGE_TEXT, STATUS_NAMES } from "./lib/vocabulary.js";

export const USAGE = `station — Emergency Station from the command line

Assessors
  station queue                          open claims, most urgent first
  station accept <claimId> [--note <text>]
  station investigate <claimId> [--note <text>]
  station approve <claimId> <amountC> [--note <text>]
  station reject <claimId> --reason <text>
Guardians
  station veto <claimId> --reason <text>   stop an approved payout during its delay
                         each note is a signed message of the case; its hash is the transition's noteHash
Operators
  station incident open --csv <file> [--deadline +30d|+12h|<unix>|<ISO date>] [--unit C|wei] [--out <file>]
                        [--metadata-hash <0x…>] [--dry-run] [--no-publish]
                         drafts the round in the service, opens it on-chain, publishes it (claimants
                         find their proofs by address); --out also writes the round file;
                         --dry-run only builds the round file (no key, chain or service);
                         --no-publish opens it on-chain without the service
  station incident close <incidentId>
  station alert --title <text> --message <text>
Projects
  station package buy <packageId> --with c|stable [--beneficiary <address>]
  station package allow|disallow <buyerAddress>   let a buyer buy packages for you (or stop it)
Users
  station claim submit --kind missing-reward|data-api-outage|redemption-tool-failure|other
                       --amount <C> --description <text> [--attach <file>]… [--tx <hash>]… [--link <url>]…
                       [--channel text|callback|remote --contact <handle>] [--origin <address>] [--gasless]
                       (the description opens the claim's private case; its hash is the evidenceHash)
  station claim status <claimId> [--lang en|id|es|zh] [--json]
  station claim credit <claimId>         the credit owed when a deadline passed unanswered or unresolved
  station stake <amountC>
  station unstake <amountC>
  station withdraw
${CASE_USAGE}
${VERIFY_USAGE}

Keys (exactly one): STATION_PRIVATE_KEY; or STATION_KEYSTORE_KEY=<name>, a key in Hardhat's
keystore (\`npx hardhat keystore set <name>\`; STATION_KEYSTORE_FILE for another file than
Hardhat's), its password asked at the terminal or taken from STATION_KEYSTORE_PASSWORD; or
STATION_ACCOUNT=<n>: Hardhat dev account n, local chain only (#1 is the local assessor, #0 the
admin). Env: RPC_URL (http://127.0.0.1:8545), CHAIN_ID,
SERVICE_URL (http://127.0.0.1:8787), STATION_POOL / STATION_STAKING / STATION_PACKAGES /
STATION_C_TOKEN / STATION_STABLECOIN (default on the local chain: the Ignition deployment).
Keys are never read from arguments. \`station <command> --help\` shows a command's options.`;

/**
 * The program for one run. Settings given before `.command()` are inherited by every command
 * under it: commander never exits the process (exitOverride) and writes only through `io`.
 */
function buildProgram(deps: Deps, onAction: (command: Command) => void): Command {
  const line = (write: (line: string) => void) => (text: string) => write(text.replace(/\n$/, ""));
  const program = new Command("station")
    .exitOverride()
    .configureOutput({ writeOut: line(deps.io.out), writeErr: line(deps.io.err) })
    .showHelpAfterError()
    .hook("preAction", (_program, action) => onAction(action));
  const group = (name: string, description: string) => program.command(name).description(description);

  queue.register(program, deps);
  assess.register(program, deps);
  const incident = group("incident", "compensation rounds (operators)");
  incidentOpen.register(incident, deps);
  incidentClose.register(incident, deps);
  alert.register(program, deps);
  const pkg = group("package", "emergency packages (projects)");
  packageBuy.register(pkg, deps);
  packageAllow.register(pkg, deps);
  const claim = group("claim", "claims (users)");
  claimSubmit.register(claim, deps);
  claimStatus.register(claim, deps);
  claimCredit.register(claim, deps);
  stake.register(program, deps);
  withdraw.register(program, deps);
  const kase = group("case", "the private conversation of a claim");
  caseShow.register(kase, deps);
  caseReply.register(kase, deps);
  caseExport.register(kase, deps);
  caseVerify.register(kase, deps);
  verify.register(program, deps);
  return program;
}

/** Runs one command; returns the exit code (0 ok, 1 failed, 2 usage). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.out(USAGE);
    return 2;
  }
  if (first === "help" || first === "--help" || first === "-h") {
    if (rest.length === 0) {
      io.out(USAGE);
      return 0;
    }
    return runCli([...rest, "--help"], io);
  }
  const deps = newDeps(io);
  let running: Command | undefined;
  const program = buildProgram(deps, (command) => (running = command));
  if (!program.commands.some((command) => command.name() === first)) {
    io.err(`station: unknown ${first.startsWith("-") ? "option" : "command"} "${first}"\n\n${USAGE}`);
    return 2;
  }
  try {
    await program.parseAsync(argv, { from: "user" });
    return deps.code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help asked for is a success; help shown for a mistake, and every parse error, is a usage error.
      return error.code === "commander.helpDisplayed" || (error.code === "commander.help" && error.exitCode === 0)
        ? 0
        : 2;
    }
    io.err(`station ${first}: ${describeError(error)}`);
    if (!(error instanceof UsageError)) return 1;
    running?.outputHelp({ error: true });
    return 2;
  }
}

/** The real terminal: output to stdout and stderr, the keystore password asked on a TTY only. */
export function terminalIo(): CliIo {
  return {
    env: process.env,
    out: (line) => console.log(line),
    err: (line) => console.error(line),
    ...(process.stdin.isTTY ? { prompt: (question: string) => askSecret(question) } : {}),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await runCli(process.argv.slice(2), terminalIo());
}
