/**
 * `npx station …`: the station from a terminal, for assessors, operators, projects and users.
 * Run `npx station help`. `runCli` is the whole program (tests call it in-process); the bottom
 * of the file is the entry point used by bin/station.js.
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";

import {
  type Abi,
  type Account,
  type Address,
  type Hex,
  formatUnits,
  getAddress,
  isAddress,
  keccak256,
  parseEventLogs,
  parseUnits,
  zeroHash,
} from "viem";

import { CStakingAbi } from "../common/abis/CStaking.js";
import { CompensationPoolAbi } from "../common/abis/CompensationPool.js";
import { CLAIM_REQUEST_TYPES, claimDomain } from "../common/typedData.js";
import { EmergencyPackagesAbi } from "../common/abis/EmergencyPackages.js";
import { MockCTokenAbi } from "../common/abis/MockCToken.js";
import type { ClaimResponse } from "../service/src/claims/routes.js";
import { CLAIM_KINDS as ALL_KINDS, CLAIM_STATUSES, kindSlug } from "../common/claims.js";
import { deadlineAt, parseDeadline } from "../common/deadline.js";
import { stageText } from "../common/stages.js";
import { CASE_OPTIONS, CASE_USAGE, UsageError, caseCommand, fileOpening, postNote } from "./lib/case-cli.js";
import { VERIFY_OPTIONS, VERIFY_USAGE, VerifyUsageError, verifyCommand } from "./lib/verify-cli.js";
import { buildIncident, parseIncidentCsv, writeIncidentJson } from "./lib/incident.js";
import { type SecretPrompt, askSecret } from "./lib/keystore.js";
import {
  ALL_ERRORS_ABI,
  ServiceError,
  type StationConfig,
  UserError,
  clients,
  describeError,
  loadAccount,
  loadStationConfig,
  reach,
  refused,
  signIn,
} from "./lib/station-client.js";

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
                         drafts the round in the service, opens it on-chain, publishes it (claimants
                         find their proofs by address); --out also writes the round file
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
Keys are never read from arguments.`;

/** Kinds as typed on the command line (`data-api-outage`), in the contract's order. */
export const CLAIM_KINDS = ALL_KINDS.map(kindSlug);
/** The contract's ClaimStatus order (0 = None). */
export const STATUS_NAMES = ["None", ...CLAIM_STATUSES] as const;
/** English stage texts: the same as the API's and the webhooks' (common/stages.ts). */
export const STAGE_TEXT = Object.fromEntries(CLAIM_STATUSES.map((s) => [s, stageText(s, "en")])) as Record<
  string,
  string
>;

/** Claim amounts are stored in units of 10^12 wei (CompensationPoolAmountNotRepresentable). */
const CLAIM_UNIT = 10n ** 12n;

export type CliIo = {
  env: NodeJS.ProcessEnv;
  out: (line: string) => void;
  err: (line: string) => void;
  /** Asks for the keystore password; absent where there is no terminal. */
  prompt?: SecretPrompt;
};

type Ctx = CliIo & { config: StationConfig; account?: Account };

function parseC(text: string | undefined, what: string): bigint {
  if (text === undefined || !/^\d+(\.\d{1,18})?$/.test(text)) {
    throw new UserError(`${what} must be a number of C (up to 18 decimals), got ${text ?? "nothing"}`);
  }
  const amount = parseUnits(text, 18);
  if (amount === 0n) throw new UserError(`${what} must be above 0`);
  return amount;
}

function parseId(text: string | undefined, what: string): bigint {
  if (text === undefined || !/^\d+$/.test(text)) throw new UserError(`${what} must be a whole number`);
  return BigInt(text);
}

const C = (wei: bigint) => `${formatUnits(wei, 18)} C`;

type Call = { address: Address; abi: Abi; functionName: string; args: readonly unknown[] };

/** Simulates a call: a revert throws with its reason decoded. */
async function simulate(ctx: Ctx, account: Account, call: Call) {
  const { publicClient } = clients(ctx.config, account);
  const { request } = await publicClient.simulateContract({
    ...call,
    abi: [...call.abi, ...ALL_ERRORS_ABI],
    account,
  } as Parameters<typeof publicClient.simulateContract>[0]);
  return request;
}

/** Simulates (decoded revert reasons), sends, waits; returns the receipt's logs. */
async function send(ctx: Ctx, account: Account, call: Call) {
  const { publicClient, walletClient } = clients(ctx.config, account);
  const request = await simulate(ctx, account, call);
  const hash = await walletClient!.writeContract(
    request as Parameters<NonNullable<typeof walletClient>["writeContract"]>[0],
  );
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new UserError(`transaction ${hash} reverted`);
  return receipt;
}

async function ensureAllowance(ctx: Ctx, account: Account, token: Address, spender: Address, amount: bigint) {
  const { publicClient } = clients(ctx.config);
  const allowance = await publicClient.readContract({
    address: token,
    abi: MockCTokenAbi,
    functionName: "allowance",
    args: [account.address, spender],
  });
  if (allowance >= amount) return;
  await send(ctx, account, { address: token, abi: MockCTokenAbi, functionName: "approve", args: [spender, amount] });
}

/** The signing account, loaded once per command (a keystore asks its password once). */
async function signer(ctx: Ctx): Promise<Account> {
  ctx.account ??= await loadAccount(ctx.env, ctx.config.chainId, ctx.prompt);
  return ctx.account;
}

// ─── Claims ───────────────────────────────────────────────────────────────────────────────

async function readClaim(ctx: Ctx, id: bigint) {
  const { publicClient } = clients(ctx.config);
  const claim = await publicClient.readContract({
    address: ctx.config.addresses.pool,
    abi: CompensationPoolAbi,
    functionName: "getClaim",
    args: [id],
  });
  if (claim.status === 0) throw new UserError(`no claim #${id} on the pool ${ctx.config.addresses.pool}`);
  return claim;
}

function deadlineText(unix: number | bigint): string {
  const n = Number(unix);
  if (n === 0) return "—";
  const left = n - Math.floor(Date.now() / 1000);
  return `${new Date(n * 1000).toISOString()} (${left >= 0 ? `in ${left} s` : `${-left} s ago`})`;
}

const LANGS = ["en", "id", "es", "zh"] as const;

/** The service's tracking view as lines: stages in the chosen language, deadlines and their state. */
function printClaimView(ctx: Ctx, view: ClaimResponse) {
  const stamp = (unix: number) => new Date(unix * 1000).toISOString();
  ctx.out(`claim #${view.id}: ${view.status} — ${view.statusText}`);
  ctx.out(
    `  claimant  ${view.claimant}  (${view.kind}, tier ${view.tier.level}${view.tier.priority ? ", priority" : ""})`,
  );
  const amounts = [`${C(BigInt(view.amounts.requested))} requested`];
  for (const [name, value] of [
    ["approved", view.amounts.approved],
    ["late-response credit", view.amounts.lateCredit],
    ["no-answer credit", view.amounts.noResponseCredit],
    ["late-resolution credit", view.amounts.resolutionCredit],
    ["paid", view.amounts.paid],
  ] as const) {
    if (value !== "0") amounts.push(`${C(BigInt(value))} ${name}`);
  }
  ctx.out(`  amounts   ${amounts.join(" · ")}`);
  if (view.sla)
    ctx.out(`  waiting   ${view.sla.deadlineKind} by ${deadlineText(view.sla.deadline)} — ${view.sla.stateText}`);
  for (const stage of view.timeline) {
    const parts = [`  ${stage.reached ? "✓" : " "} ${stage.text}`];
    if (stage.reachedAt !== null) parts.push(stamp(stage.reachedAt));
    if (stage.deadline !== null) {
      parts.push(
        `${stage.deadlineKind} deadline ${stamp(stage.deadline)}${stage.stateText ? ` — ${stage.stateText}` : ""}`,
      );
    }
    if (stage.pendingFinality && stage.finalityText) parts.push(stage.finalityText);
    ctx.out(parts.join("  ·  "));
  }
}

async function claimStatus(ctx: Ctx, id: bigint, values: Record<string, unknown>) {
  const lang = (values.lang as string | undefined) ?? "en";
  if (!(LANGS as readonly string[]).includes(lang)) throw new UserError(`--lang must be one of ${LANGS.join(", ")}`);
  try {
    const res = await reach(ctx.config, (api) =>
      api.v1.claims[":id"].$get({ param: { id: id.toString() }, query: { lang: lang as (typeof LANGS)[number] } }),
    );
    if (res.status !== 200) throw await refused(res, `GET /v1/claims/${id}`);
    const view = await res.json();
    if (values.json) ctx.out(JSON.stringify(view, null, 2));
    else printClaimView(ctx, view);
    return;
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    ctx.err(`(the service has no timeline for it — ${error.message}; reading the chain)`);
  }
  const claim = await readClaim(ctx, id);
  const status = STATUS_NAMES[claim.status] ?? String(claim.status);
  ctx.out(`claim #${id}: ${status} — ${STAGE_TEXT[status] ?? status}`);
  ctx.out(`  claimant           ${claim.claimant}`);
  ctx.out(`  kind               ${CLAIM_KINDS[claim.kind] ?? claim.kind}`);
  ctx.out(`  amount             ${C(claim.amount)}`);
  ctx.out(`  tier               ${claim.tier}`);
  ctx.out(`  response deadline  ${deadlineText(claim.responseDeadline)}`);
  if (claim.payableAt !== 0) ctx.out(`  payable at         ${deadlineText(claim.payableAt)}`);
}

async function queue(ctx: Ctx) {
  const account = await signer(ctx);
  try {
    const token = await signIn(ctx.config, account);
    const res = await reach(ctx.config, (api) => api.v1.queue.$get({ query: {} }), token);
    if (res.status !== 200) throw await refused(res, "GET /v1/queue");
    const { items } = await res.json();
    if (items.length === 0) ctx.out("no open claims");
    for (const c of items) {
      const due = `${c.deadlineKind === "payable" ? "payable" : c.deadlineKind === "resolution" ? "resolve" : "respond"} by`;
      ctx.out(
        `#${c.id}  ${c.status.padEnd(13)} ${C(BigInt(c.amountRequested)).padEnd(14)} ${c.claimant}  ${due} ${deadlineText(c.deadline)} (${c.state})`,
      );
    }
    return;
  } catch (error) {
    if (!(error instanceof ServiceError) || (error.status !== 404 && error.status !== 0)) throw error;
    ctx.err(`(no SLA queue from the service — ${error.message}; listing open claims from the chain)`);
  }
  const { publicClient } = clients(ctx.config);
  const count = await publicClient.readContract({
    address: ctx.config.addresses.pool,
    abi: CompensationPoolAbi,
    functionName: "claimCount",
  });
  const open: { id: bigint; status: string; deadline: number; amount: bigint; claimant: Address }[] = [];
  for (let id = 1n; id <= count; id++) {
    const claim = await publicClient.readContract({
      address: ctx.config.addresses.pool,
      abi: CompensationPoolAbi,
      functionName: "getClaim",
      args: [id],
    });
    if (claim.status >= 1 && claim.status <= 3) {
      const status = STATUS_NAMES[claim.status]!;
      open.push({ id, status, deadline: claim.responseDeadline, amount: claim.amount, claimant: claim.claimant });
    }
  }
  open.sort((a, b) => a.deadline - b.deadline);
  if (open.length === 0) ctx.out("no open claims");
  for (const c of open) {
    ctx.out(
      `#${c.id}  ${c.status.padEnd(13)} ${C(c.amount).padEnd(14)} ${c.claimant}  respond by ${deadlineText(c.deadline)}`,
    );
  }
}

async function submitClaim(ctx: Ctx, values: Record<string, unknown>) {
  const kindName = String(values.kind ?? "");
  const kind = CLAIM_KINDS.indexOf(kindName as (typeof CLAIM_KINDS)[number]);
  if (kind < 0) throw new UserError(`--kind must be one of ${CLAIM_KINDS.join(", ")}`);
  const amount = parseC(values.amount as string | undefined, "--amount");
  if (amount % CLAIM_UNIT !== 0n) throw new UserError("--amount may have at most 6 decimals");
  const description = values.description as string | undefined;
  if (description === undefined || description.trim() === "") {
    throw new UsageError("claim submit needs --description <text>: what happened (sealed with the service)");
  }
  const account = await signer(ctx);
  const pool = ctx.config.addresses.pool;
  // The opening statement is stored first: its hash is what the claim commits to on-chain.
  const { hash: evidenceHash } = await fileOpening(
    ctx.config,
    account,
    { kind: ALL_KINDS[kind]!, description },
    values,
  );
  if (values.gasless) {
    const { publicClient } = clients(ctx.config);
    const nonce = await publicClient.readContract({
      address: pool,
      abi: CompensationPoolAbi,
      functionName: "nonces",
      args: [account.address],
    });
    const deadline = BigInt(Math.floor(Date.now() / 1000) + 3600);
    const message = { claimant: account.address, kind, amount, evidenceHash, nonce, deadline };
    if (account.signTypedData === undefined) throw new UserError("this key cannot sign typed data");
    const signature = await account.signTypedData({
      domain: claimDomain(ctx.config.chainId, pool),
      types: CLAIM_REQUEST_TYPES,
      primaryType: "ClaimRequest",
      message,
    });
    const res = await reach(ctx.config, (api) =>
      api.v1.relay.claims.$post({
        json: {
          request: { ...message, amount: amount.toString(), nonce: nonce.toString(), deadline: deadline.toString() },
          signature,
        },
      }),
    );
    if (res.status !== 200) throw await refused(res, "POST /v1/relay/claims");
    const result = await res.json();
    ctx.out(`claim #${result.claimId} submitted without gas (relayed in ${result.txHash})`);
    return;
  }
  const receipt = await send(ctx, account, {
    address: pool,
    abi: CompensationPoolAbi,
    functionName: "submitClaim",
    args: [kind, amount, evidenceHash],
  });
  const [event] = parseEventLogs({ abi: CompensationPoolAbi, eventName: "ClaimSubmitted", logs: receipt.logs });
  if (!event) throw new UserError(`no ClaimSubmitted event in ${receipt.transactionHash}`);
  ctx.out(`claim #${event.args.claimId} submitted (${C(amount)}, ${kindName}) in ${receipt.transactionHash}`);
  ctx.out(`  respond by ${deadlineText(event.args.responseDeadline)}`);
}

/**
 * `station claim credit <claimId>`: the breach credit the pool owes when a deadline passed — the
 * no-answer credit while the claim is still unanswered after its response deadline, else the
 * late-resolution credit once its resolution deadline passed unresolved. Anyone may trigger it;
 * the claimant is paid. Says in words why none is due.
 */
async function claimCredit(ctx: Ctx, id: bigint) {
  const claim = await readClaim(ctx, id);
  const { publicClient } = clients(ctx.config);
  const now = (await publicClient.getBlock()).timestamp;
  const status = STATUS_NAMES[claim.status]!;
  const unresolved = status === "Submitted" || status === "Accepted" || status === "Investigating";
  let functionName: "claimNoResponseCredit" | "claimResolutionCredit";
  if (status === "Submitted" && !claim.noResponseCreditPaid && now > claim.responseDeadline) {
    functionName = "claimNoResponseCredit";
  } else if (unresolved && !claim.resolutionCreditPaid && now > claim.resolutionDeadline) {
    functionName = "claimResolutionCredit";
  } else if (!unresolved) {
    throw new UserError(`claim #${id} is ${status}: no breach credit is due once a claim is resolved`);
  } else {
    const next =
      status === "Submitted" && !claim.noResponseCreditPaid ? claim.responseDeadline : claim.resolutionDeadline;
    throw new UserError(
      claim.resolutionCreditPaid
        ? `claim #${id} has had both its credits`
        : `no credit is due yet: claim #${id} may be answered until ${deadlineText(next)}`,
    );
  }
  if (!claim.standing) {
    throw new UserError(
      `claim #${id} earns no breach credit: its claimant had no priority tier or package coverage when filing`,
    );
  }
  const account = await signer(ctx);
  const receipt = await send(ctx, account, {
    address: ctx.config.addresses.pool,
    abi: CompensationPoolAbi,
    functionName,
    args: [id],
  });
  const [paid] = parseEventLogs({ abi: CompensationPoolAbi, eventName: "BreachCreditPaid", logs: receipt.logs });
  const what = functionName === "claimNoResponseCredit" ? "no-answer credit" : "late-resolution credit";
  ctx.out(`claim #${id}: ${C(paid?.args.amount ?? 0n)} ${what} paid to ${claim.claimant} (${receipt.transactionHash})`);
}

async function assess(
  ctx: Ctx,
  action: "accept" | "investigate" | "approve" | "reject" | "veto",
  positionals: string[],
  values: Record<string, unknown>,
) {
  const id = parseId(positionals[0], "<claimId>");
  const amount = action === "approve" ? parseC(positionals[1], "<amountC>") : 0n;
  const needsReason = action === "reject" || action === "veto";
  const text = ((needsReason ? values.reason : values.note) as string | undefined) ?? "";
  if (needsReason && text.trim() === "") {
    throw new UserError(`${action} needs --reason <text> (a signed message of the case; its hash goes on-chain)`);
  }
  const account = await signer(ctx);
  const call = (note: Hex): Call => ({
    address: ctx.config.addresses.pool,
    abi: CompensationPoolAbi,
    ...(action === "accept"
      ? { functionName: "acceptClaim", args: [id, note] }
      : action === "investigate"
        ? { functionName: "markInvestigating", args: [id, note] }
        : action === "approve"
          ? { functionName: "approveClaim", args: [id, amount, note] }
          : action === "veto"
            ? { functionName: "vetoPayout", args: [id, note] }
            : { functionName: "rejectClaim", args: [id, note] }),
  });
  // A transition that would revert is refused before its note is posted (the note's hash does
  // not change the outcome); then the note, then the transaction that seals it.
  await simulate(ctx, account, call(zeroHash));
  const note = await postNote(ctx.config, account, id, action, text, values, ctx.err);
  const receipt = await send(ctx, account, call(note.hash));
  const claim = await readClaim(ctx, id);
  const status = STATUS_NAMES[claim.status]!;
  ctx.out(`claim #${id}: ${status} — ${STAGE_TEXT[status]} (${receipt.transactionHash})`);
  ctx.out(`  note: message #${note.seq} of the case (${note.hash})`);
}

// ─── Staking ──────────────────────────────────────────────────────────────────────────────

async function staking(ctx: Ctx, action: string, positionals: string[]) {
  const account = await signer(ctx);
  const address = ctx.config.addresses.staking;
  if (action === "stake") {
    const amount = parseC(positionals[0], "<amountC>");
    await ensureAllowance(ctx, account, ctx.config.addresses.cToken, address, amount);
    await send(ctx, account, { address, abi: CStakingAbi, functionName: "stake", args: [amount] });
  } else if (action === "unstake") {
    const amount = parseC(positionals[0], "<amountC>");
    await send(ctx, account, { address, abi: CStakingAbi, functionName: "unstake", args: [amount] });
  } else {
    const { publicClient } = clients(ctx.config);
    const [, withdrawable] = await publicClient.readContract({
      address,
      abi: CStakingAbi,
      functionName: "pendingWithdrawalsOf",
      args: [account.address],
    });
    if (withdrawable === 0n) throw new UserError("nothing to withdraw yet (the cooldown has not passed)");
    await send(ctx, account, { address, abi: CStakingAbi, functionName: "withdraw", args: [] });
    ctx.out(`withdrew ${C(withdrawable)}`);
  }
  const { publicClient } = clients(ctx.config);
  const [stake, tier] = await Promise.all([
    publicClient.readContract({ address, abi: CStakingAbi, functionName: "stakeOf", args: [account.address] }),
    publicClient.readContract({ address, abi: CStakingAbi, functionName: "tierOf", args: [account.address] }),
  ]);
  ctx.out(`stake of ${account.address}: ${C(stake)} (effective tier now: ${tier}; stake counts after the warmup)`);
}

// ─── Packages ─────────────────────────────────────────────────────────────────────────────

async function buyPackage(ctx: Ctx, positionals: string[], values: Record<string, unknown>) {
  const id = parseId(positionals[0], "<packageId>");
  const pay = String(values.with ?? "").toLowerCase();
  if (pay !== "c" && pay !== "stable") throw new UserError("--with must be c or stable");
  const account = await signer(ctx);
  const beneficiaryText = (values.beneficiary as string | undefined) ?? account.address;
  if (!isAddress(beneficiaryText)) throw new UserError(`--beneficiary is not an address: ${beneficiaryText}`);
  const beneficiary = getAddress(beneficiaryText);
  const { publicClient } = clients(ctx.config);
  const packages = ctx.config.addresses.packages;
  if (beneficiary !== account.address) {
    const allowed = await publicClient.readContract({
      address: packages,
      abi: EmergencyPackagesAbi,
      functionName: "isBuyerApproved",
      args: [beneficiary, account.address],
    });
    if (!allowed) {
      throw new UserError(
        `${beneficiary} has not allowed ${account.address} to buy for it: it must first run ` +
          `\`station package allow ${account.address}\``,
      );
    }
  }
  const [amount, discountBps] = await publicClient.readContract({
    address: packages,
    abi: [...EmergencyPackagesAbi, ...ALL_ERRORS_ABI],
    functionName: "quote",
    args: [id, pay === "c", account.address],
  });
  // The purchase names the terms read here and pays at most the quote: it fails if either changed.
  const { termsVersion } = await publicClient.readContract({
    address: packages,
    abi: [...EmergencyPackagesAbi, ...ALL_ERRORS_ABI],
    functionName: "getPackage",
    args: [id],
  });
  const token = pay === "c" ? ctx.config.addresses.cToken : ctx.config.addresses.stablecoin;
  const show = (v: bigint) => (pay === "c" ? C(v) : `${formatUnits(v, 6)} USD`);
  // Checked up front: the purchase pays in two legs (pool and treasury), so the token's own
  // revert would name only the second leg's figures.
  const balance = await publicClient.readContract({
    address: token,
    abi: MockCTokenAbi,
    functionName: "balanceOf",
    args: [account.address],
  });
  if (balance < amount) {
    throw new UserError(
      `insufficient balance: ${account.address} has ${show(balance)}, package ${id} costs ${show(amount)}`,
    );
  }
  await ensureAllowance(ctx, account, token, packages, amount);
  const receipt = await send(ctx, account, {
    address: packages,
    abi: EmergencyPackagesAbi,
    functionName: pay === "c" ? "buyWithC" : "buyWithStable",
    args: [id, beneficiary, termsVersion, amount],
  });
  const [event] = parseEventLogs({ abi: EmergencyPackagesAbi, eventName: "PackagePurchased", logs: receipt.logs });
  const paid = event?.args.paid ?? amount;
  const shown = pay === "c" ? C(paid) : `${formatUnits(paid, 6)} USD (stablecoin)`;
  ctx.out(
    `package ${id} bought for ${beneficiary}: paid ${shown}` +
      (discountBps > 0 ? ` (${Number(discountBps) / 100}% discount)` : "") +
      (event ? `; covered until ${new Date(Number(event.args.coveredUntil) * 1000).toISOString()}` : ""),
  );
}

async function allowBuyer(ctx: Ctx, positionals: string[], approved: boolean) {
  const buyerText = positionals[0] ?? "";
  if (!isAddress(buyerText)) throw new UserError(`<buyerAddress> is not an address: ${buyerText || "(missing)"}`);
  const buyer = getAddress(buyerText);
  const account = await signer(ctx);
  await send(ctx, account, {
    address: ctx.config.addresses.packages,
    abi: EmergencyPackagesAbi,
    functionName: "setBuyerApproval",
    args: [buyer, approved],
  });
  ctx.out(`${buyer} ${approved ? "may now buy" : "may no longer buy"} packages for ${account.address}`);
}

// ─── Incidents and alerts ─────────────────────────────────────────────────────────────────

function parseDeadlineOption(text: string, latest: number): number {
  try {
    return deadlineAt(parseDeadline(text), latest);
  } catch (error) {
    throw new UserError((error as Error).message);
  }
}

function progressBar(err: (line: string) => void) {
  return (message: string) => {
    const m = /(\d+)\/(\d+)/.exec(message);
    if (!m) return err(message);
    const fraction = Number(m[1]) / Number(m[2]);
    const width = 30;
    const filled = Math.round(fraction * width);
    err(`[${"#".repeat(filled)}${" ".repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${message}`);
  };
}

async function incident(ctx: Ctx, positionals: string[], values: Record<string, unknown>) {
  const [action, idText] = positionals;
  const account = await signer(ctx);
  const pool = ctx.config.addresses.pool;
  if (action === "close") {
    const id = parseId(idText, "<incidentId>");
    await send(ctx, account, { address: pool, abi: CompensationPoolAbi, functionName: "closeIncident", args: [id] });
    ctx.out(`incident #${id} closed; its unclaimed rest is released to the pool`);
    return;
  }
  if (action !== "open") throw new UserError("usage: station incident open --csv <file> | station incident close <id>");
  const csvPath = values.csv as string | undefined;
  if (!csvPath) throw new UserError("incident open needs --csv <file>");
  const unit = ((values.unit as string | undefined) ?? "C") as "C" | "wei";
  if (unit !== "C" && unit !== "wei") throw new UserError("--unit must be C or wei");
  const bytes = await readFile(csvPath).catch(() => {
    throw new UserError(`cannot read ${csvPath}`);
  });
  const progress = progressBar(ctx.err);
  let rows;
  try {
    rows = parseIncidentCsv(bytes.toString("utf8"), unit, progress);
  } catch (error) {
    throw new UserError((error as Error).message);
  }
  const built = buildIncident(rows, progress);
  const { publicClient } = clients(ctx.config);
  const latest = Number((await publicClient.getBlock()).timestamp);
  const claimDeadline = parseDeadlineOption((values.deadline as string | undefined) ?? "+30d", latest);
  const metadataHash = keccak256(bytes);

  // 1. The service drafts the same round from the same file; its root must be ours.
  const token = await signIn(ctx.config, account);
  const draft = await draftInService(ctx, token, new Uint8Array(bytes), unit, progress);
  if (draft.root !== built.root || draft.total !== built.total || draft.count !== built.count) {
    throw new UserError(
      `the service drafted another round (root ${draft.root}, total ${draft.total}, ${draft.count} accounts) ` +
        `than this file gives (root ${built.root}, total ${built.total}, ${built.count} accounts): nothing opened`,
    );
  }
  ctx.err(`draft ${draft.draftId}: root ${draft.root}`);

  // 2. The round on-chain.
  const receipt = await send(ctx, account, {
    address: pool,
    abi: CompensationPoolAbi,
    functionName: "openIncident",
    args: [built.root as Hex, BigInt(built.total), claimDeadline, metadataHash],
  });
  const [event] = parseEventLogs({ abi: CompensationPoolAbi, eventName: "IncidentOpened", logs: receipt.logs });
  if (!event) throw new UserError(`no IncidentOpened event in ${receipt.transactionHash}`);
  const incidentId = event.args.incidentId.toString();
  ctx.out(
    `incident #${incidentId} opened: ${built.count} accounts, ${C(BigInt(built.total))}, ` +
      `claimable from ${new Date(Number(event.args.claimableAt) * 1000).toISOString()}`,
  );

  // 3. Published once the indexer has the incident (it follows the chain a moment later).
  await publishRound(ctx, token, draft.draftId, incidentId);
  ctx.out(`round published: claimants find their proofs at ${ctx.config.serviceUrl}/v1/rounds/${incidentId}`);

  const out = values.out as string | undefined;
  if (out !== undefined) {
    built.round = {
      pool,
      chainId: String(ctx.config.chainId),
      incidentId,
      claimableAt: Number(event.args.claimableAt),
      claimDeadline: Number(event.args.claimDeadline),
      metadataHash,
      transactionHash: receipt.transactionHash,
    };
    await writeIncidentJson(out, built, progress);
    ctx.out(`round file (root, proofs): ${out}`);
  }
}

/** How often `incident open` asks how far the service's draft is. */
const DRAFT_POLL_MS = 500;

/**
 * Drafts the round in the service's background (Prefer: respond-async) and follows the build,
 * reporting the proofs stored, until it is a draft (its root and total) or fails (its reason).
 */
async function draftInService(
  ctx: Ctx,
  token: string,
  csv: Uint8Array<ArrayBuffer>,
  unit: "C" | "wei",
  progress: (message: string) => void,
) {
  const started = await reach(
    ctx.config,
    (api) =>
      api.v1.rounds.drafts.$post(
        { query: { unit } },
        { headers: { Prefer: "respond-async", "content-type": "text/csv" }, init: { body: csv } },
      ),
    token,
  );
  if (started.status !== 202) throw await refused(started, "POST /v1/rounds/drafts");
  let state = await started.json();
  while (state.status === "building") {
    if (state.phase === "storing") progress(`service: stored ${state.done}/${state.of} proofs`);
    await new Promise((resolve) => setTimeout(resolve, DRAFT_POLL_MS));
    const draftId = state.draftId;
    const res = await reach(ctx.config, (api) => api.v1.rounds.drafts[":draftId"].$get({ param: { draftId } }), token);
    if (res.status !== 200) throw await refused(res, `GET /v1/rounds/drafts/${draftId}`);
    state = await res.json();
  }
  if (state.status !== "draft" || state.root === null || state.total === null || state.count === null) {
    const rows = state.rejected.map((r) => `\n  line ${r.line}: ${r.reason}`).join("");
    throw new UserError(`the service did not draft the round: ${state.error?.message ?? state.status}${rows}`);
  }
  return { draftId: state.draftId, root: state.root, total: state.total, count: state.count };
}

/** How long `incident open` waits for the indexer to show the new incident before giving up. */
const PUBLISH_WAIT_MS = 60_000;

async function publishRound(ctx: Ctx, token: string, draftId: string, incidentId: string) {
  const until = Date.now() + PUBLISH_WAIT_MS;
  for (;;) {
    try {
      const res = await reach(
        ctx.config,
        (api) => api.v1.rounds.drafts[":draftId"].publish.$post({ param: { draftId }, json: { incidentId } }),
        token,
      );
      if (res.status !== 200) throw await refused(res, `POST /v1/rounds/drafts/${draftId}/publish`);
      return;
    } catch (error) {
      const waiting = error instanceof ServiceError && error.code === "incident_not_indexed";
      if (!waiting || Date.now() > until) {
        throw new UserError(
          `${describeError(error)}\nthe round is open on-chain; publish it later with ` +
            `POST /v1/rounds/drafts/${draftId}/publish {"incidentId":"${incidentId}"}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

async function alert(ctx: Ctx, values: Record<string, unknown>) {
  const title = values.title as string | undefined;
  const message = values.message as string | undefined;
  if (!title || !message) throw new UserError("alert needs --title <text> and --message <text>");
  const token = await signIn(ctx.config, await signer(ctx));
  const res = await reach(ctx.config, (api) => api.v1.alerts.$post({ json: { title, message } }), token);
  if (res.status !== 201) throw await refused(res, "POST /v1/alerts");
  const { alert: posted, deliveries } = await res.json();
  ctx.out(
    `alert posted (#${posted.id}): ${posted.title.en}` +
      (deliveries === null ? " (webhook fan-out deferred)" : `; ${deliveries} webhook deliveries queued`),
  );
}

// ─── Entry ────────────────────────────────────────────────────────────────────────────────

const OPTIONS = {
  help: { type: "boolean" },
  note: { type: "string" },
  reason: { type: "string" },
  csv: { type: "string" },
  deadline: { type: "string" },
  unit: { type: "string" },
  out: { type: "string" },
  title: { type: "string" },
  message: { type: "string" },
  with: { type: "string" },
  beneficiary: { type: "string" },
  kind: { type: "string" },
  amount: { type: "string" },
  description: { type: "string" },
  gasless: { type: "boolean" },
  lang: { type: "string" },
  json: { type: "boolean" },
  ...CASE_OPTIONS,
  ...VERIFY_OPTIONS,
} as const;

/** Runs one command; returns the exit code (0 ok, 1 failed, 2 usage). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    io.err(`station: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (command === undefined || command === "help" || values.help) {
    io.out(USAGE);
    return command === undefined && !values.help ? 2 : 0;
  }
  const known = [
    "queue",
    "accept",
    "investigate",
    "approve",
    "reject",
    "veto",
    "incident",
    "alert",
    "package",
    "claim",
    "stake",
    "unstake",
    "withdraw",
    "case",
    "verify",
  ];
  if (!known.includes(command)) {
    io.err(`station: unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  try {
    if (command === "verify") {
      // Needs no key: only the service's address.
      const genuine = await verifyCommand({ ...io, config: () => loadStationConfig(io.env) }, rest, values).catch(
        (error: unknown) => {
          if (error instanceof VerifyUsageError) throw new UsageError(error.message);
          throw error;
        },
      );
      return genuine ? 0 : 1;
    }
    if (command === "case") {
      // `case verify` needs neither the station's addresses nor a key: they load on demand.
      let loaded: Ctx | undefined;
      const load = async () => (loaded ??= { ...io, config: await loadStationConfig(io.env) });
      await caseCommand(
        { ...io, config: async () => (await load()).config, account: async () => signer(await load()) },
        rest,
        values,
      );
      return 0;
    }
    const ctx: Ctx = { ...io, config: await loadStationConfig(io.env) };
    switch (command) {
      case "queue":
        await queue(ctx);
        break;
      case "accept":
      case "investigate":
      case "approve":
      case "reject":
      case "veto":
        await assess(ctx, command, rest, values);
        break;
      case "incident":
        await incident(ctx, rest, values);
        break;
      case "alert":
        await alert(ctx, values);
        break;
      case "package":
        if (rest[0] === "buy") await buyPackage(ctx, rest.slice(1), values);
        else if (rest[0] === "allow" || rest[0] === "disallow") {
          await allowBuyer(ctx, rest.slice(1), rest[0] === "allow");
        } else {
          throw new UserError(
            "usage: station package buy <packageId> --with c|stable | station package allow|disallow <buyerAddress>",
          );
        }
        break;
      case "claim":
        if (rest[0] === "submit") await submitClaim(ctx, values);
        else if (rest[0] === "status") await claimStatus(ctx, parseId(rest[1], "<claimId>"), values);
        else if (rest[0] === "credit") await claimCredit(ctx, parseId(rest[1], "<claimId>"));
        else
          throw new UserError(
            "usage: station claim submit … | station claim status <claimId> | station claim credit <claimId>",
          );
        break;
      default:
        await staking(ctx, command, rest);
    }
    return 0;
  } catch (error) {
    io.err(`station ${command}: ${describeError(error)}`);
    return error instanceof UsageError ? 2 : 1;
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
