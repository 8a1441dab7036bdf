/**
 * The station's web page: a wallet through EIP-1193 (`window.ethereum`, viem), the service's API
 * (./api.ts) for claim progress, alerts, help and figures, and the contracts for everything that
 * moves money. Every section degrades to a clear message when its source does not answer.
 */
import {
  type Abi,
  type Address,
  type EIP1193Provider,
  type Hex,
  BaseError,
  ContractFunctionRevertedError,
  UserRejectedRequestError,
  createPublicClient,
  createWalletClient,
  custom,
  defineChain,
  formatUnits,
  getAddress,
  http,
  isAddress,
  keccak256,
  parseEventLogs,
  parseUnits,
  toHex,
} from "viem";

import { CStakingAbi } from "../../indexer/abis/CStaking.js";
import { CompensationPoolAbi } from "../../indexer/abis/CompensationPool.js";
import { EmergencyPackagesAbi } from "../../indexer/abis/EmergencyPackages.js";
import { MockCTokenAbi } from "../../indexer/abis/MockCToken.js";
import { CLAIM_REQUEST_TYPES, claimDomain } from "../../service/src/relayer/typedData.js";
import {
  type AccountClaimsResponse,
  type ClaimKind,
  type Language,
  type StatsResponse,
  ServiceError,
  api,
  service,
} from "./api.js";
import { LANGUAGES, formatDuration, formatRelative, formatTime, initialLanguage, rememberLanguage } from "./lang.js";
import { C, type TimelineModel, esc, fromChain, fromService, renderTimeline, tierName } from "./timeline.js";

declare global {
  interface Window {
    ethereum?: EIP1193Provider;
  }
}

type Config = {
  chainId: number;
  rpcUrl: string;
  addresses: Record<"pool" | "cToken" | "stablecoin" | "staking" | "packages", Address | null>;
};

const ERRORS = [...CompensationPoolAbi, ...CStakingAbi, ...EmergencyPackagesAbi, ...MockCTokenAbi].filter(
  (i) => i.type === "error",
) as Abi;
/** The contract's ClaimKind order: the claim form's values and the help articles' claim links. */
const CLAIM_KINDS: readonly ClaimKind[] = ["MissingReward", "DataApiOutage", "RedemptionToolFailure", "Other"];
const INCIDENT_STATUS = ["None", "Open", "Cancelled", "Closed"];

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

let config: Config;
let account: Address | undefined;
let lang: Language = "en";
let pollTimer: number | undefined;
let following: bigint | undefined;
let lastTrack: string | undefined;
let lastHelp: string | undefined;

function notify(message: string, kind: "info" | "error" = "info") {
  const el = $("notice");
  el.textContent = message;
  el.className = kind;
  el.hidden = false;
}

// ─── Chain access ─────────────────────────────────────────────────────────────────────────

function chain() {
  return defineChain({
    id: config.chainId,
    name: config.chainId === 31337 ? "Hardhat" : `chain ${config.chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [config.rpcUrl] } },
  });
}

/** Reads through the wallet when there is one (no CORS question), else the configured RPC. */
function reader() {
  return createPublicClient({
    chain: chain(),
    transport: window.ethereum ? custom(window.ethereum) : http(config.rpcUrl),
  });
}

function wallet() {
  if (!window.ethereum) throw new Error("No wallet found: install a browser wallet (EIP-1193) and reload.");
  if (!account) throw new Error("Connect your wallet first.");
  return createWalletClient({ account, chain: chain(), transport: custom(window.ethereum) });
}

function need(name: keyof Config["addresses"]): Address {
  const address = config.addresses[name];
  if (!address) throw new Error(`The station has no ${name} address configured.`);
  return address;
}

/** The chain's time (latest block): what the contracts judge deadlines by. */
async function chainNow(): Promise<number> {
  return Number((await reader().getBlock()).timestamp);
}

/** A wallet or contract error as a sentence a person can act on. */
export function explain(error: unknown): string {
  if (error instanceof BaseError) {
    if (error.walk((e) => e instanceof UserRejectedRequestError)) return "You rejected the request in your wallet.";
    const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
    if (reverted instanceof ContractFunctionRevertedError && reverted.data?.errorName) {
      const { errorName, args = [] } = reverted.data;
      const at = (i: number) => Number(args[i] as bigint | number);
      switch (errorName) {
        case "ERC20InsufficientBalance":
          return `Insufficient balance: you have ${C(args[1] as bigint)} and this needs ${C(args[2] as bigint)}.`;
        case "ERC20InsufficientAllowance":
          return "Insufficient allowance: approve the amount first.";
        case "CStakingNothingToWithdraw":
          return at(0) === 0
            ? "Nothing to withdraw: unstake first."
            : `Nothing to withdraw yet: the cooldown ends ${formatTime(at(0), lang)}.`;
        case "CStakingInsufficientStake":
          return `You can unstake at most ${C(args[0] as bigint)}.`;
        case "CompensationPoolIncidentNotClaimable":
          return `Not claimable yet: the round opens for claims ${formatTime(at(1), lang)}.`;
        case "CompensationPoolIncidentClaimPeriodOver":
          return `The round's claim period ended ${formatTime(at(1), lang)}.`;
        case "CompensationPoolAlreadyClaimed":
          return "This compensation was already claimed.";
        case "CompensationPoolInvalidProof":
          return "The round file's proof does not match this incident: ask the operator for the published file.";
      }
      return `The contract refused: ${errorName}(${args.map(String).join(", ")}).`;
    }
    if (/insufficient funds/i.test(error.message)) return "Insufficient balance for the gas of this transaction.";
    return error.shortMessage;
  }
  const code = (error as { code?: number })?.code;
  if (code === 4001) return "You rejected the request in your wallet.";
  return error instanceof Error ? error.message : String(error);
}

async function ensureChain() {
  const current = Number(await window.ethereum!.request({ method: "eth_chainId" }));
  if (current === config.chainId) return;
  const wanted = toHex(config.chainId);
  const wrong = `Wrong network: your wallet is on chain ${current}, this station runs on chain ${config.chainId}.`;
  try {
    await window.ethereum!.request({ method: "wallet_switchEthereumChain", params: [{ chainId: wanted }] });
  } catch (error) {
    const code = (error as { code?: number }).code;
    if (code === 4001) throw new Error(`${wrong} You declined the switch: switch networks in your wallet and retry.`);
    if (code !== 4902) throw new Error(`${wrong} Switch networks in your wallet and retry.`);
    // The wallet does not know the chain: offer to add it.
    try {
      await window.ethereum!.request({
        method: "wallet_addEthereumChain",
        params: [
          {
            chainId: wanted,
            chainName: chain().name,
            nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
            rpcUrls: [config.rpcUrl],
          },
        ],
      });
    } catch {
      throw new Error(`${wrong} Add chain ${config.chainId} (${config.rpcUrl}) to your wallet and retry.`);
    }
  }
  const now = Number(await window.ethereum!.request({ method: "eth_chainId" }));
  if (now !== config.chainId) throw new Error(`${wrong} Switch networks in your wallet and retry.`);
}

async function send(call: { address: Address; abi: Abi; functionName: string; args: readonly unknown[] }) {
  await ensureChain();
  const w = wallet();
  const { request } = await reader().simulateContract({ ...call, abi: [...call.abi, ...ERRORS], account } as never);
  const hash = await w.writeContract(request as never);
  const receipt = await reader().waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`The transaction ${hash} failed.`);
  return receipt;
}

async function approve(token: Address, spender: Address, amount: bigint) {
  const allowance = await reader().readContract({
    address: token,
    abi: MockCTokenAbi,
    functionName: "allowance",
    args: [account!, spender],
  });
  if (allowance < amount) {
    await send({ address: token, abi: MockCTokenAbi, functionName: "approve", args: [spender, amount] });
  }
}

/** Runs an action behind a button: disables it, reports errors in the notice. */
function guarded(button: HTMLButtonElement | null, action: () => Promise<void>) {
  return async () => {
    if (button) button.disabled = true;
    try {
      await action();
    } catch (error) {
      notify(explain(error), "error");
    } finally {
      if (button) button.disabled = false;
    }
  };
}

// ─── Wallet ───────────────────────────────────────────────────────────────────────────────

function setAccount(address: Address | undefined) {
  account = address;
  $("account").textContent = address ?? "";
  $("connect").textContent = address ? "Connected" : "Connect wallet";
}

async function connect() {
  if (!window.ethereum) throw new Error("No wallet found: install a browser wallet (EIP-1193) and reload.");
  const accounts = (await window.ethereum.request({ method: "eth_requestAccounts" })) as string[];
  if (!accounts[0]) throw new Error("The wallet shared no account.");
  setAccount(getAddress(accounts[0]));
  await ensureChain();
  void refreshStake().catch((error) => ($("stake-info").textContent = explain(error)));
  void loadPackages().catch((error) => ($("packages").textContent = explain(error)));
}

// ─── Claims ───────────────────────────────────────────────────────────────────────────────

async function submitClaim(form: HTMLFormElement) {
  if (!account) await connect();
  const data = new FormData(form);
  const kind = Number(data.get("kind"));
  const amountText = String(data.get("amount")).trim();
  if (!/^\d+(\.\d{1,6})?$/.test(amountText)) throw new Error("Amount: a number of C with at most 6 decimals.");
  const amount = parseUnits(amountText, 18);
  if (amount === 0n) throw new Error("Amount: more than 0 C.");
  const evidenceHash = keccak256(toHex(String(data.get("description"))));
  const pool = need("pool");
  let claimId: bigint;
  if (data.get("gasless")) {
    await ensureChain();
    const nonce = await reader().readContract({
      address: pool,
      abi: CompensationPoolAbi,
      functionName: "nonces",
      args: [account!],
    });
    // An hour from now by the later of the two clocks: the chain's may run ahead of this one.
    const deadline = BigInt(Math.max(Math.floor(Date.now() / 1000), await chainNow()) + 3600);
    const message = { claimant: account!, kind, amount, evidenceHash, nonce, deadline };
    const signature = await wallet().signTypedData({
      domain: claimDomain(config.chainId, pool),
      types: CLAIM_REQUEST_TYPES,
      primaryType: "ClaimRequest",
      message,
    });
    try {
      const result = await service.relay({
        request: { ...message, amount: amount.toString(), nonce: nonce.toString(), deadline: deadline.toString() },
        signature,
      });
      claimId = BigInt(result.claimId);
    } catch (error) {
      if (error instanceof ServiceError && (error.unavailable || error.status === 404)) {
        throw new Error(
          `The gasless relay is not available (${error.message}). Untick "Sign only" to send it as a transaction.`,
        );
      }
      throw new Error(`The station did not relay your signed request: ${(error as Error).message}.`);
    }
  } else {
    const receipt = await send({
      address: pool,
      abi: CompensationPoolAbi,
      functionName: "submitClaim",
      args: [kind, amount, evidenceHash],
    });
    const [event] = parseEventLogs({ abi: CompensationPoolAbi, eventName: "ClaimSubmitted", logs: receipt.logs });
    if (!event) throw new Error("The transaction carried no ClaimSubmitted event.");
    claimId = event.args.claimId;
  }
  form.hidden = true;
  notify(`Request #${claimId} sent. We will show every step here.`);
  follow(claimId);
}

/** Why the chain is read instead of the tracker; undefined when the error is not about availability. */
function fallbackReason(error: unknown): string | undefined {
  if (!(error instanceof ServiceError)) return undefined;
  if (error.status === 404) return "the station's tracker has not indexed this claim yet";
  if (error.unavailable) return `the station's tracker is unreachable right now (${error.message})`;
  return undefined;
}

/** The claim's progress: the service's tracking view; the chain only when the service cannot answer. */
async function timeline(id: bigint): Promise<TimelineModel> {
  let reason: string | undefined;
  try {
    return fromService(id, await service.claim(id, lang));
  } catch (error) {
    reason = fallbackReason(error);
    if (reason === undefined) throw error;
  }
  const claim = await reader().readContract({
    address: need("pool"),
    abi: CompensationPoolAbi,
    functionName: "getClaim",
    args: [id],
  });
  return fromChain(id, claim, reason);
}

function follow(id: bigint) {
  following = id;
  $("progress").hidden = false;
  $("progress-id").textContent = `#${id}`;
  window.clearInterval(pollTimer);
  const tick = async () => {
    try {
      const t = await timeline(id);
      if (following !== id) return;
      $("progress-body").innerHTML = renderTimeline(t, lang, "stages");
      $("progress-detail").textContent = "";
      // Nothing changes once closed and final; until then the tracker is asked again.
      if (t.closed && t.source.kind === "service" && !t.finalityPending) window.clearInterval(pollTimer);
    } catch (error) {
      $("progress-detail").textContent = explain(error);
    }
  };
  void tick();
  pollTimer = window.setInterval(() => void tick(), 1500);
}

function renderAccountClaims(body: AccountClaimsResponse, append: boolean) {
  const out = $("track-result");
  const rows = body.items.map((c) => {
    const sla = c.sla
      ? ` · <span class="state-${esc(c.sla.state)}" data-state="${esc(c.sla.state)}">${esc(c.sla.stateText)}</span>`
      : "";
    return (
      `<li data-claim="${esc(c.id)}"><button type="button" class="link" data-follow="${esc(c.id)}">#${esc(c.id)}</button> ` +
      `<strong>${esc(c.statusText)}</strong> · ${esc(C(c.amounts.requested))} · ${esc(tierName(c.tier.level))}` +
      ` · ${esc(formatTime(c.submittedAt, lang))}${sla}</li>`
    );
  });
  const more = body.nextCursor
    ? `<button type="button" id="track-more" data-cursor="${esc(body.nextCursor)}">More</button>`
    : "";
  if (append) {
    out.querySelector("#track-more")?.remove();
    out.querySelector("ul")?.insertAdjacentHTML("beforeend", rows.join(""));
    out.insertAdjacentHTML("beforeend", more);
    return;
  }
  out.innerHTML = rows.length
    ? `<p>Claims of <code>${esc(body.account)}</code>, newest first:</p><ul class="claim-list">${rows.join("")}</ul>${more}`
    : `<p>No claims for <code>${esc(body.account)}</code>.</p>`;
}

async function track(q: string, cursor?: string) {
  const out = $("track-result");
  lastTrack = q;
  if (/^\d+$/.test(q)) {
    out.innerHTML = renderTimeline(await timeline(BigInt(q)), lang);
    return;
  }
  if (!isAddress(q, { strict: false })) throw new Error("Enter a claim number or an address (0x…).");
  try {
    renderAccountClaims(await service.accountClaims(getAddress(q), lang, cursor), cursor !== undefined);
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    out.innerHTML = `<p class="source fallback">Claims by address come from the station's tracker, which cannot answer right now (${esc(
      error.message,
    )}). Track by claim number instead: that works from the chain too.</p>`;
  }
}

// ─── Incident rounds ──────────────────────────────────────────────────────────────────────

type Round = {
  round: { incidentId: string; pool?: string; chainId?: string } | null;
  root?: string;
  claims: Record<string, { index: number; amount: string; proof: Hex[] }>;
};

function parseRound(text: string): Round {
  let round: Round;
  try {
    round = JSON.parse(text) as Round;
  } catch {
    throw new Error("That is not a round file: paste the JSON the operator published.");
  }
  if (typeof round !== "object" || round === null || typeof round.claims !== "object") {
    throw new Error("That is not a round file: it has no claims.");
  }
  if (!round.round) throw new Error("This round has not been opened on-chain yet.");
  return round;
}

async function checkRound() {
  const out = $("round-result");
  const round = parseRound(($("round-json") as HTMLTextAreaElement).value);
  const typed = ($("round-address") as HTMLInputElement).value.trim();
  if (typed && !isAddress(typed, { strict: false })) throw new Error("Address: 0x and 40 hex digits.");
  if (!typed && !account) await connect();
  const who = getAddress(typed || account!);
  const pool = need("pool");
  if (round.round!.pool && getAddress(round.round!.pool) !== pool) {
    throw new Error(`This round is for the pool ${round.round!.pool}, not this station's (${pool}).`);
  }
  const incidentId = BigInt(round.round!.incidentId);
  const [incident, now] = await Promise.all([
    reader().readContract({ address: pool, abi: CompensationPoolAbi, functionName: "getIncident", args: [incidentId] }),
    chainNow(),
  ]);
  if (incident.status === 0) throw new Error(`There is no incident #${incidentId} on this station.`);
  if (round.root && round.root.toLowerCase() !== incident.root.toLowerCase()) {
    throw new Error(`This file does not match incident #${incidentId} on-chain (another Merkle root).`);
  }
  const entry = round.claims[who];
  if (!entry) {
    out.innerHTML = `<p class="not-eligible"><code>${esc(who)}</code> is not in incident #${incidentId}.</p>`;
    return;
  }
  const amount = C(BigInt(entry.amount));
  const claimed = await reader().readContract({
    address: pool,
    abi: CompensationPoolAbi,
    functionName: "isIncidentClaimed",
    args: [incidentId, BigInt(entry.index)],
  });
  const status = INCIDENT_STATUS[incident.status] ?? String(incident.status);
  const when = (t: number) => `${esc(formatTime(t, lang))} (${esc(formatRelative(t - now, lang))})`;
  let html: string;
  let claimable = false;
  if (claimed) html = `<p class="eligible">${esc(who)} was compensated ${esc(amount)} — already claimed.</p>`;
  else if (status !== "Open")
    html = `<p>Incident #${incidentId} is ${status.toLowerCase()}: nothing can be claimed.</p>`;
  else if (now < incident.claimableAt) {
    html =
      `<p class="eligible">Eligible for <strong>${esc(amount)}</strong> from incident #${incidentId}.</p>` +
      `<p class="muted">Claimable from ${when(incident.claimableAt)}: the round's challenge window is still open.</p>`;
  } else if (now > incident.claimDeadline) {
    html = `<p>Eligible for ${esc(amount)}, but the claim period ended ${when(incident.claimDeadline)}.</p>`;
  } else {
    claimable = true;
    html =
      `<p class="eligible">Eligible for <strong>${esc(amount)}</strong> from incident #${incidentId}.</p>` +
      `<p class="muted">Claim by ${when(incident.claimDeadline)}.</p>` +
      `<button id="round-claim" type="button">Claim ${esc(amount)}</button>`;
  }
  out.innerHTML = html;
  if (!claimable) return;
  const button = $<HTMLButtonElement>("round-claim");
  button.addEventListener(
    "click",
    guarded(button, async () => {
      if (!account) await connect();
      await send({
        address: pool,
        abi: CompensationPoolAbi,
        functionName: "claimIncident",
        args: [incidentId, BigInt(entry.index), who, BigInt(entry.amount), entry.proof],
      });
      out.innerHTML = `<p class="eligible">Claimed: ${esc(amount)} credited to <code>${esc(who)}</code>.</p>`;
    }),
  );
}

// ─── Staking ──────────────────────────────────────────────────────────────────────────────

type TierRow = { thresholdWholeC: number; slaFactorBps: number; discountBps: number };

/** What a tier unlocks, in words. */
function unlocks(t: TierRow): string {
  const speed =
    t.slaFactorBps >= 10_000
      ? "standard deadlines"
      : `deadlines at ${t.slaFactorBps / 100}% of standard (answers ${(10_000 / t.slaFactorBps).toFixed(1).replace(/\.0$/, "")}× as fast)`;
  return `${speed}, ${t.discountBps / 100}% off packages paid in C`;
}

async function refreshStake() {
  if (!account || !config.addresses.staking) return;
  const staking = config.addresses.staking;
  const r = reader();
  const [stake, effective, tiers, pending, queue, warmup] = await Promise.all([
    r.readContract({ address: staking, abi: CStakingAbi, functionName: "stakeOf", args: [account] }),
    r.readContract({ address: staking, abi: CStakingAbi, functionName: "effectiveStakeOf", args: [account] }),
    r.readContract({ address: staking, abi: CStakingAbi, functionName: "tiers" }),
    r.readContract({ address: staking, abi: CStakingAbi, functionName: "pendingWithdrawalsOf", args: [account] }),
    r.readContract({ address: staking, abi: CStakingAbi, functionName: "unstakeQueueOf", args: [account] }),
    r.readContract({ address: staking, abi: CStakingAbi, functionName: "warmup" }),
  ]);
  const [tier] = await r.readContract({
    address: staking,
    abi: CStakingAbi,
    functionName: "termsForStake",
    args: [effective],
  });
  const current = tiers[tier]!;
  const next = tiers[tier + 1];
  const warming = stake > effective ? stake - effective : 0n;
  const parts = [
    `<p>Staked <strong id="stake-amount">${esc(C(stake))}</strong>` +
      (warming > 0n
        ? ` — ${esc(C(warming))} of it counts after the warmup (${esc(formatDuration(Number(warmup)))} after staking).`
        : "."),
    `<p>Current tier: <strong id="stake-tier">${esc(tierName(tier))}</strong> — <span id="stake-unlocks">${esc(unlocks(current))}</span>.</p>`,
  ];
  if (next) {
    const missing = parseUnits(String(next.thresholdWholeC), 18) - effective;
    parts.push(
      `<p>Next: <strong>${esc(tierName(tier + 1))}</strong> from ${next.thresholdWholeC} C — ${esc(unlocks(next))}` +
        (missing > 0n ? `; ${esc(C(missing))} more counting stake needed.` : ".") +
        "</p>",
    );
  } else parts.push("<p>You are in the top tier.</p>");
  if (pending[0] > 0n) {
    const last = Number(queue[2]);
    parts.push(
      `<p id="stake-pending">Unstaking ${esc(C(pending[0]))}; withdrawable now: ${esc(C(pending[1]))}` +
        (pending[1] < pending[0] && last > 0 ? `; the rest from ${esc(formatTime(last, lang))}` : "") +
        ".</p>",
    );
  }
  $("stake-info").classList.remove("muted");
  $("stake-info").innerHTML = parts.join("");
}

async function stakeAction(action: string, amountText: string) {
  const staking = need("staking");
  if (action === "withdraw") {
    const [, withdrawable] = await reader().readContract({
      address: staking,
      abi: CStakingAbi,
      functionName: "pendingWithdrawalsOf",
      args: [account!],
    });
    await send({ address: staking, abi: CStakingAbi, functionName: "withdraw", args: [] });
    notify(`Withdrawn: ${C(withdrawable)}.`);
  } else {
    if (!/^\d+(\.\d{1,18})?$/.test(amountText)) throw new Error("Amount: a number of C.");
    const amount = parseUnits(amountText, 18);
    if (amount === 0n) throw new Error("Amount: more than 0 C.");
    if (action === "stake") await approve(need("cToken"), staking, amount);
    await send({ address: staking, abi: CStakingAbi, functionName: action, args: [amount] });
    notify(`${action === "stake" ? "Staked" : "Unstake requested"}: ${amountText} C.`);
  }
  await refreshStake();
}

// ─── Packages ─────────────────────────────────────────────────────────────────────────────

async function loadPackages() {
  const out = $("packages");
  const packages = config.addresses.packages;
  if (!packages) {
    out.textContent = "Packages are not configured on this station.";
    return;
  }
  const buyer = account ?? "0x0000000000000000000000000000000000000001";
  const rows: string[] = [];
  for (let id = 1n; id <= 10n; id++) {
    let pkg;
    try {
      pkg = await reader().readContract({
        address: packages,
        abi: EmergencyPackagesAbi,
        functionName: "getPackage",
        args: [id],
      });
    } catch {
      break;
    }
    if (!pkg.active || pkg.usdPrice === 0n) continue;
    let inC = "C price unavailable";
    try {
      const [amount, discount] = await reader().readContract({
        address: packages,
        abi: EmergencyPackagesAbi,
        functionName: "quote",
        args: [id, true, buyer],
      });
      inC = `${C(amount)} (−${discount / 100}%)`;
    } catch {
      // price feed stale or unusable: the stablecoin price still stands
    }
    const days = Math.round(pkg.duration / 86_400);
    rows.push(
      `<div class="package" data-id="${id}"><strong>Package ${id}: ${days} days, response ${
        pkg.slaFactorBps / 100
      }% of standard</strong>` +
        `<span>$${formatUnits(pkg.usdPrice, 6)} in stablecoin · <span class="price-c">${esc(inC)}</span></span>` +
        `<button type="button" data-pay="stable">Buy with stablecoin</button><button type="button" data-pay="c">Buy with C</button></div>`,
    );
  }
  out.classList.remove("muted");
  out.innerHTML = rows.length ? rows.join("") : "No packages on sale.";
  if (account) {
    const until = await reader().readContract({
      address: packages,
      abi: EmergencyPackagesAbi,
      functionName: "coveredUntil",
      args: [account],
    });
    const p = document.createElement("p");
    p.id = "coverage";
    p.textContent =
      Number(until) > (await chainNow())
        ? `Your project is covered until ${formatTime(Number(until), lang)}.`
        : "Your project has no active package.";
    out.append(p);
  }
}

async function buyPackage(id: bigint, pay: "c" | "stable") {
  if (!account) await connect();
  const packages = need("packages");
  const [amount] = await reader().readContract({
    address: packages,
    abi: EmergencyPackagesAbi,
    functionName: "quote",
    args: [id, pay === "c", account!],
  });
  const token = pay === "c" ? need("cToken") : need("stablecoin");
  // Checked up front: the purchase moves the payment in two legs (pool and treasury), so the
  // token's own error would name only the second leg's figures.
  const balance = await reader().readContract({
    address: token,
    abi: MockCTokenAbi,
    functionName: "balanceOf",
    args: [account!],
  });
  if (balance < amount) {
    const show = (v: bigint) => (pay === "c" ? C(v) : `$${formatUnits(v, 6)}`);
    throw new Error(`Insufficient balance: you have ${show(balance)} and this needs ${show(amount)}.`);
  }
  await approve(token, packages, amount);
  const receipt = await send({
    address: packages,
    abi: EmergencyPackagesAbi,
    functionName: pay === "c" ? "buyWithC" : "buyWithStable",
    args: pay === "c" ? [id, account!, amount] : [id, account!],
  });
  const [event] = parseEventLogs({ abi: EmergencyPackagesAbi, eventName: "PackagePurchased", logs: receipt.logs });
  const paid = event?.args.paid ?? amount;
  const discount = event ? Number(event.args.discountBps) / 100 : 0;
  notify(
    `Package ${id} bought: paid ${pay === "c" ? C(paid) : `$${formatUnits(paid, 6)}`}` +
      (discount > 0 ? ` (${discount}% discount)` : "") +
      ".",
  );
  await loadPackages();
}

// ─── Alerts, help, status ─────────────────────────────────────────────────────────────────

async function loadAlerts() {
  const out = $("alerts");
  try {
    const { alerts } = await service.alerts(lang);
    out.classList.remove("muted");
    out.innerHTML = alerts.length
      ? alerts
          .map(
            (a) =>
              `<article class="alert severity-${esc(a.severity)}" data-id="${esc(a.id)}">` +
              `<p><strong class="alert-title">${esc(a.localized.title)}</strong> <span class="badge">${esc(a.severity)}</span></p>` +
              `<p class="alert-message">${esc(a.localized.message)}</p>` +
              `<p class="muted">Posted ${esc(formatTime(Date.parse(a.createdAt) / 1000, lang))}` +
              (a.expiresAt ? ` · until ${esc(formatTime(Date.parse(a.expiresAt) / 1000, lang))}` : "") +
              (a.chains.length ? ` · chains: ${esc(a.chains.join(", "))}` : "") +
              (a.kinds.length ? ` · affects: ${esc(a.kinds.join(", "))}` : "") +
              "</p></article>",
          )
          .join("")
      : "<p>No active risk alerts.</p>";
  } catch (error) {
    out.textContent = `Risk alerts are unavailable right now (${(error as Error).message}).`;
  }
}

async function searchHelp(q: string) {
  const out = $("help-result");
  lastHelp = q;
  try {
    const { results } = await service.help(q, lang);
    out.innerHTML = results.length
      ? results
          .map((r) => {
            const kind = r.claimFlow ? CLAIM_KINDS.indexOf(r.claimFlow.kind ?? "Other") : -1;
            return (
              `<article class="article" data-slug="${esc(r.slug)}"><h3>${esc(r.title)}</h3>` +
              `<p class="answer">${esc(r.answer)}</p>` +
              `<details><summary>More</summary><p class="details">${esc(r.details)}</p></details>` +
              (kind >= 0 ? `<button type="button" data-claim-kind="${kind}">Ask for compensation</button>` : "") +
              "</article>"
            );
          })
          .join("")
      : "<p>No article matches; press the emergency button and a person will help.</p>";
  } catch (error) {
    out.innerHTML = `<p class="muted">The help library is unavailable right now (${esc((error as Error).message)}).</p>`;
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function shareCell(s: { due: number; met: number; share: number | null }) {
  return s.share === null
    ? '<span class="muted">none due</span>'
    : `${Math.round(s.share * 100)}%<br><small>${s.met} of ${s.due}</small>`;
}

function durationCell(d: { count: number; p50Seconds: number | null }) {
  return d.p50Seconds === null
    ? '<span class="muted">—</span>'
    : `${esc(formatDuration(d.p50Seconds))}<br><small>${plural(d.count, "claim")}</small>`;
}

function renderStats(stats: StatsResponse): string {
  const labels: Record<string, string> = { "24h": "24 h", "7d": "7 days", all: "All time" };
  const rows: [string, string, (w: StatsResponse["windows"][number]) => string][] = [
    ["Answered in time", "response", (w) => shareCell(w.overall.response)],
    ["Resolved in time", "resolution", (w) => shareCell(w.overall.resolution)],
    ["Median time to accept", "accept", (w) => durationCell(w.overall.timeToAccept)],
    ["Median time to resolve", "resolve", (w) => durationCell(w.overall.timeToResolve)],
  ];
  const head = stats.windows.map((w) => `<th scope="col">${esc(labels[w.window] ?? w.window)}</th>`).join("");
  const body = rows
    .map(
      ([label, key, cell]) =>
        `<tr><th scope="row">${label}</th>${stats.windows
          .map((w) => `<td data-figure="${key}-${esc(w.window)}">${cell(w)}</td>`)
          .join("")}</tr>`,
    )
    .join("");
  const open = stats.open;
  const stages = Object.entries(open.byStage)
    .map(([stage, n]) => `${esc(stage)} ${n}`)
    .join(" · ");
  return (
    `<p><strong data-figure="open-total">${open.total}</strong> open ${open.total === 1 ? "claim" : "claims"}, ` +
    `<strong data-figure="open-overdue">${open.overdue}</strong> past their deadline` +
    (open.total ? ` <span class="muted">(${stages})</span>` : "") +
    ".</p>" +
    `<table class="figures"><thead><tr><td></td>${head}</tr></thead><tbody>${body}</tbody></table>` +
    `<p class="muted">Computed from the indexed chain at <span data-generated-at="${stats.generatedAt}">${esc(
      formatTime(stats.generatedAt, lang),
    )}</span>.</p>`
  );
}

async function loadStats() {
  const out = $("stats");
  try {
    const stats = await service.stats();
    out.classList.remove("muted");
    out.innerHTML = renderStats(stats);
  } catch (error) {
    out.textContent = `Live figures are unavailable right now (${(error as Error).message}).`;
    if (config.addresses.pool) {
      try {
        const free = await reader().readContract({
          address: config.addresses.pool,
          abi: CompensationPoolAbi,
          functionName: "freeBalance",
        });
        out.textContent += ` On-chain: ${C(free)} available for compensation.`;
      } catch {
        // no chain either
      }
    }
  }
}

// ─── Wiring ───────────────────────────────────────────────────────────────────────────────

function setLanguage(next: Language) {
  lang = next;
  document.documentElement.lang = next;
  ($("lang") as HTMLSelectElement).value = next;
  rememberLanguage(next);
  if (following !== undefined && !$("progress").hidden) follow(following);
  if (lastTrack !== undefined) void guarded(null, () => track(lastTrack!))();
  if (lastHelp !== undefined) void searchHelp(lastHelp);
  void loadAlerts();
  void loadStats();
}

async function init() {
  const select = $<HTMLSelectElement>("lang");
  select.innerHTML = LANGUAGES.map((l) => `<option value="${l.code}">${esc(l.name)}</option>`).join("");
  lang = initialLanguage();
  select.value = lang;
  document.documentElement.lang = lang;
  select.addEventListener("change", () => setLanguage(select.value as Language));
  try {
    config = await api<Config>("/station-config.json");
  } catch (error) {
    notify(`The station's settings could not be loaded (${(error as Error).message}).`, "error");
    return;
  }
  window.ethereum?.on?.("accountsChanged", (accounts: string[]) => {
    setAccount(accounts[0] ? getAddress(accounts[0]) : undefined);
    void refreshStake().catch(() => undefined);
  });
  const connectButton = $<HTMLButtonElement>("connect");
  connectButton.addEventListener("click", guarded(connectButton, connect));
  const sos = $<HTMLButtonElement>("sos");
  sos.addEventListener(
    "click",
    guarded(sos, async () => {
      $("claim-form").hidden = false;
      if (!account) await connect();
    }),
  );
  const claimForm = $<HTMLFormElement>("claim-form");
  claimForm.addEventListener("submit", (e) => {
    e.preventDefault();
    void guarded(claimForm.querySelector("button[type=submit]"), () => submitClaim(claimForm))();
  });
  const trackForm = $<HTMLFormElement>("track-form");
  trackForm.addEventListener("submit", (e) => {
    e.preventDefault();
    void guarded(null, () => track(String(new FormData(trackForm).get("q")).trim()))();
  });
  $("track-result").addEventListener("click", (e) => {
    const target = e.target as HTMLElement;
    const followId = target.closest<HTMLElement>("[data-follow]")?.dataset.follow;
    if (followId) follow(BigInt(followId));
    const cursor = target.closest<HTMLElement>("#track-more")?.dataset.cursor;
    if (cursor && lastTrack) void guarded(null, () => track(lastTrack!, cursor))();
  });
  $("round-file").addEventListener("change", async (e) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (file) ($("round-json") as HTMLTextAreaElement).value = await file.text();
  });
  const roundButton = $<HTMLButtonElement>("round-check");
  roundButton.addEventListener("click", guarded(roundButton, checkRound));
  const stakeForm = $<HTMLFormElement>("stake-form");
  stakeForm.addEventListener("submit", (e) => {
    e.preventDefault();
    const action = ((e as SubmitEvent).submitter as HTMLButtonElement | null)?.value ?? "stake";
    void guarded(null, async () => {
      if (!account) await connect();
      await stakeAction(action, String(new FormData(stakeForm).get("amount") ?? ""));
    })();
  });
  const stakeRefresh = $<HTMLButtonElement>("stake-refresh");
  stakeRefresh.addEventListener(
    "click",
    guarded(stakeRefresh, async () => {
      if (!account) await connect();
      await refreshStake();
    }),
  );
  $("packages").addEventListener("click", (e) => {
    const button = (e.target as HTMLElement).closest("button[data-pay]") as HTMLButtonElement | null;
    const id = button?.closest<HTMLElement>("[data-id]")?.dataset.id;
    if (button && id) void guarded(button, () => buyPackage(BigInt(id), button.dataset.pay as "c" | "stable"))();
  });
  const helpForm = $<HTMLFormElement>("help-form");
  helpForm.addEventListener("submit", (e) => {
    e.preventDefault();
    void searchHelp(String(new FormData(helpForm).get("q")).trim());
  });
  const openClaimForm = (kind: string) => {
    const form = $<HTMLFormElement>("claim-form");
    form.hidden = false;
    (form.elements.namedItem("kind") as HTMLSelectElement).value = kind;
    $("emergency").scrollIntoView({ behavior: "smooth" });
  };
  $("help-result").addEventListener("click", (e) => {
    const kind = (e.target as HTMLElement).closest<HTMLElement>("[data-claim-kind]")?.dataset.claimKind;
    if (kind !== undefined) openClaimForm(kind);
  });
  // A help article's claim link (`/?kind=<ClaimKind>#emergency`, the service's claimFlow.href).
  const linkedKind = CLAIM_KINDS.findIndex((k) => k === new URLSearchParams(location.search).get("kind"));
  if (linkedKind >= 0) openClaimForm(String(linkedKind));
  void loadPackages().catch((error) => ($("packages").textContent = explain(error)));
  void loadAlerts();
  void loadStats();
  window.setInterval(() => void loadAlerts(), 30_000);
  window.setInterval(() => void loadStats(), 30_000);
  // `#claim-<id>` links to a claim's live progress.
  const followHash = () => {
    const fromHash = /^#claim-(\d+)$/.exec(location.hash);
    if (fromHash) follow(BigInt(fromHash[1]!));
  };
  window.addEventListener("hashchange", followHash);
  followHash();
}

void init();
