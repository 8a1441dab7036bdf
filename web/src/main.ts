/**
 * The station's web page: a wallet through EIP-1193 (`window.ethereum`, viem), the service's API
 * for timelines, alerts, help and figures, and the contracts for everything that moves money.
 * Every section degrades to a clear message when its source does not answer.
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
const STATUS = ["None", "Submitted", "Accepted", "Investigating", "Approved", "Paid", "Rejected", "Cancelled"];
const STAGES: [string, string][] = [
  ["Submitted", "Request received"],
  ["Accepted", "Customer service has accepted the request"],
  ["Investigating", "A technician is investigating"],
  ["Approved", "Solution sent — compensation approved"],
  ["Paid", "Compensation credited"],
];
const CLOSED: Record<string, string> = {
  Rejected: "Closed — the request was rejected",
  Cancelled: "Closed — cancelled by the claimant",
};

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const esc = (s: unknown) => String(s ?? "").replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
const C = (wei: bigint) => `${formatUnits(wei, 18)} C`;

let config: Config;
let account: Address | undefined;
let pollTimer: number | undefined;

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

/** A wallet or contract error as a sentence a person can act on. */
export function explain(error: unknown): string {
  if (error instanceof BaseError) {
    if (error.walk((e) => e instanceof UserRejectedRequestError)) return "You rejected the request in your wallet.";
    const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
    if (reverted instanceof ContractFunctionRevertedError && reverted.data?.errorName) {
      const { errorName, args = [] } = reverted.data;
      if (errorName === "ERC20InsufficientBalance") {
        return `Insufficient balance: you have ${C(args[1] as bigint)} and this needs ${C(args[2] as bigint)}.`;
      }
      if (errorName === "ERC20InsufficientAllowance") return "Insufficient allowance: approve the amount first.";
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
  try {
    await window.ethereum!.request({
      method: "wallet_switchEthereumChain",
      params: [{ chainId: toHex(config.chainId) }],
    });
  } catch {
    throw new Error(`Wrong network: your wallet is on chain ${current}; switch it to chain ${config.chainId}.`);
  }
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

async function api<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, init);
  if (!response.ok) {
    const body = (await response.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
    throw new Error(body?.error?.message ?? `HTTP ${response.status}`);
  }
  return (await response.json()) as T;
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

async function connect() {
  if (!window.ethereum) throw new Error("No wallet found: install a browser wallet (EIP-1193) and reload.");
  const accounts = (await window.ethereum.request({ method: "eth_requestAccounts" })) as string[];
  if (!accounts[0]) throw new Error("The wallet shared no account.");
  account = getAddress(accounts[0]);
  $("account").textContent = account;
  $("connect").textContent = "Connected";
  await ensureChain();
  void refreshStake();
  void loadPackages();
}

// ─── Claims ───────────────────────────────────────────────────────────────────────────────

async function submitClaim(form: HTMLFormElement) {
  if (!account) await connect();
  const data = new FormData(form);
  const kind = Number(data.get("kind"));
  const amountText = String(data.get("amount")).trim();
  if (!/^\d+(\.\d{1,6})?$/.test(amountText)) throw new Error("Amount: a number of C with at most 6 decimals.");
  const amount = parseUnits(amountText, 18);
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
    const deadline = BigInt(Math.floor(Date.now() / 1000) + 3600);
    const message = { claimant: account!, kind, amount, evidenceHash, nonce, deadline };
    const signature = await wallet().signTypedData({
      domain: {
        name: "EmergencyStation CompensationPool",
        version: "1",
        chainId: config.chainId,
        verifyingContract: pool,
      },
      types: {
        ClaimRequest: [
          { name: "claimant", type: "address" },
          { name: "kind", type: "uint8" },
          { name: "amount", type: "uint256" },
          { name: "evidenceHash", type: "bytes32" },
          { name: "nonce", type: "uint256" },
          { name: "deadline", type: "uint256" },
        ],
      },
      primaryType: "ClaimRequest",
      message,
    });
    try {
      const result = await api<{ claimId: string }>("/v1/relay/claims", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          request: { ...message, amount: amount.toString(), nonce: nonce.toString(), deadline: deadline.toString() },
          signature,
        }),
      });
      claimId = BigInt(result.claimId);
    } catch (error) {
      throw new Error(
        `The gasless relay is not available (${(error as Error).message}). Untick "Sign only" to send it as a transaction.`,
      );
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

type Timeline = { status: string; stages: { status: string; text: string; at?: number | null }[]; detail: string };

/** The claim's timeline: the service's when it has one, else read from the chain. */
async function timeline(id: bigint): Promise<Timeline> {
  try {
    const body = await api<{
      status?: string;
      stage?: { text?: string };
      stages?: { status?: string; text?: string; at?: number | null }[];
    }>(`/v1/claims/${id}?lang=en`);
    if (body.status && Array.isArray(body.stages)) {
      return {
        status: body.status,
        stages: body.stages.map((s) => ({ status: String(s.status), text: String(s.text), at: s.at ?? null })),
        detail: body.stage?.text ?? "",
      };
    }
  } catch {
    // The service has no timeline (yet): the chain has the status.
  }
  const claim = await reader().readContract({
    address: need("pool"),
    abi: CompensationPoolAbi,
    functionName: "getClaim",
    args: [id],
  });
  const status = STATUS[claim.status] ?? "None";
  if (status === "None") throw new Error(`There is no claim #${id}.`);
  const deadline = Number(claim.responseDeadline);
  const left = deadline - Math.floor(Date.now() / 1000);
  return {
    status,
    stages: STAGES.map(([s, text]) => ({ status: s, text })),
    detail:
      `${C(claim.amount)} · ` +
      (status === "Submitted"
        ? left >= 0
          ? `a response is due within ${Math.ceil(left / 60)} min (${new Date(deadline * 1000).toLocaleTimeString()})`
          : "the response deadline has passed — the late-response credit applies"
        : `response deadline was ${new Date(deadline * 1000).toLocaleTimeString()}`),
  };
}

function renderTimeline(id: bigint, t: Timeline, into: HTMLElement) {
  const order = t.stages.map((s) => s.status);
  const at = order.indexOf(t.status);
  const items = t.stages.map((s, i) => {
    const cls = i < at ? "done" : i === at ? "current" : "";
    return `<li class="${cls}">${esc(s.text)}${i <= at ? " ✓" : ""}</li>`;
  });
  if (CLOSED[t.status]) items.push(`<li class="current">${esc(CLOSED[t.status])}</li>`);
  into.innerHTML = `<p><strong>#${id}</strong></p><ol>${items.join("")}</ol><p class="muted">${esc(t.detail)}</p>`;
}

function follow(id: bigint) {
  $("progress").hidden = false;
  $("progress-id").textContent = `#${id}`;
  window.clearInterval(pollTimer);
  const tick = async () => {
    try {
      const t = await timeline(id);
      const box = document.createElement("div");
      renderTimeline(id, t, box);
      $("stages").innerHTML = box.querySelector("ol")!.innerHTML;
      $("progress-detail").textContent = t.detail;
      if (t.status === "Paid" || CLOSED[t.status]) window.clearInterval(pollTimer);
    } catch (error) {
      $("progress-detail").textContent = explain(error);
    }
  };
  void tick();
  pollTimer = window.setInterval(() => void tick(), 1500);
}

async function track(q: string) {
  const out = $("track-result");
  if (/^\d+$/.test(q)) {
    renderTimeline(BigInt(q), await timeline(BigInt(q)), out);
    return;
  }
  if (!isAddress(q)) throw new Error("Enter a claim number or an address (0x…).");
  try {
    const body = await api<{ claims?: { id?: string | number; claimId?: string | number; status?: string }[] }>(
      `/v1/accounts/${getAddress(q)}/claims`,
    );
    const rows = (body.claims ?? []).map(
      (c) => `<tr><td>#${esc(c.id ?? c.claimId)}</td><td>${esc(c.status)}</td></tr>`,
    );
    out.innerHTML = rows.length ? `<table>${rows.join("")}</table>` : "<p>No claims for this address.</p>";
  } catch (error) {
    out.innerHTML = `<p class="muted">Claims by address are not available right now (${esc((error as Error).message)}). Track by claim number instead.</p>`;
  }
}

// ─── Incident rounds ──────────────────────────────────────────────────────────────────────

type Round = {
  round: { incidentId: string } | null;
  claims: Record<string, { index: number; amount: string; proof: Hex[] }>;
};

async function checkRound() {
  const out = $("round-result");
  let round: Round;
  try {
    round = JSON.parse(($("round-json") as HTMLTextAreaElement).value) as Round;
  } catch {
    throw new Error("That is not a round file: paste the JSON the operator published.");
  }
  if (!round.round) throw new Error("This round has not been opened on-chain yet.");
  if (!account) await connect();
  const entry = round.claims?.[account!];
  if (!entry) {
    out.innerHTML = `<p>${esc(account)} is not in this round.</p>`;
    return;
  }
  const incidentId = BigInt(round.round.incidentId);
  const claimed = await reader().readContract({
    address: need("pool"),
    abi: CompensationPoolAbi,
    functionName: "isIncidentClaimed",
    args: [incidentId, BigInt(entry.index)],
  });
  out.innerHTML = claimed
    ? `<p>You were compensated ${esc(C(BigInt(entry.amount)))} — already claimed.</p>`
    : `<p>You are eligible for <strong>${esc(C(BigInt(entry.amount)))}</strong>.</p><button id="round-claim" type="button">Claim it</button>`;
  const button = document.getElementById("round-claim") as HTMLButtonElement | null;
  button?.addEventListener(
    "click",
    guarded(button, async () => {
      await send({
        address: need("pool"),
        abi: CompensationPoolAbi,
        functionName: "claimIncident",
        args: [incidentId, BigInt(entry.index), account!, BigInt(entry.amount), entry.proof],
      });
      out.innerHTML = `<p>Claimed: ${esc(C(BigInt(entry.amount)))} credited to your wallet.</p>`;
    }),
  );
}

// ─── Staking ──────────────────────────────────────────────────────────────────────────────

async function refreshStake() {
  if (!account || !config.addresses.staking) return;
  const staking = config.addresses.staking;
  const r = reader();
  const [stake, effective, tiers, pending] = await Promise.all([
    r.readContract({ address: staking, abi: CStakingAbi, functionName: "stakeOf", args: [account] }),
    r.readContract({ address: staking, abi: CStakingAbi, functionName: "effectiveStakeOf", args: [account] }),
    r.readContract({ address: staking, abi: CStakingAbi, functionName: "tiers" }),
    r.readContract({ address: staking, abi: CStakingAbi, functionName: "pendingWithdrawalsOf", args: [account] }),
  ]);
  const [tier] = await r.readContract({
    address: staking,
    abi: CStakingAbi,
    functionName: "termsForStake",
    args: [effective],
  });
  const name = (i: number) => (i === 0 ? "Standard" : i === 1 ? "Priority" : `Tier ${i}`);
  const next = tiers[tier + 1];
  const describe = (t: (typeof tiers)[number]) =>
    `deadlines at ${t.slaFactorBps / 100}%, ${t.discountBps / 100}% off packages in C`;
  $("stake-info").innerHTML =
    `<p>Staked ${esc(C(stake))} (counts after the warmup: ${esc(C(effective))}). ` +
    `Current tier: <strong>${name(tier)}</strong> — ${esc(describe(tiers[tier]!))}.</p>` +
    (next
      ? `<p>Next: <strong>${name(tier + 1)}</strong> from ${next.thresholdWholeC} C — ${esc(describe(next))}.</p>`
      : "<p>You are in the top tier.</p>") +
    (pending[0] > 0n ? `<p>Unstaking: ${esc(C(pending[0]))}, withdrawable now: ${esc(C(pending[1]))}.</p>` : "");
}

async function stakeAction(action: string, amountText: string) {
  const staking = need("staking");
  if (action === "withdraw") {
    await send({ address: staking, abi: CStakingAbi, functionName: "withdraw", args: [] });
  } else {
    if (!/^\d+(\.\d{1,18})?$/.test(amountText)) throw new Error("Amount: a number of C.");
    const amount = parseUnits(amountText, 18);
    if (action === "stake") await approve(need("cToken"), staking, amount);
    await send({ address: staking, abi: CStakingAbi, functionName: action, args: [amount] });
  }
  notify(
    action === "withdraw" ? "Withdrawn." : `${action === "stake" ? "Staked" : "Unstake requested"}: ${amountText} C.`,
  );
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
      Number(until) * 1000 > Date.now()
        ? `Your project is covered until ${new Date(Number(until) * 1000).toLocaleString()}.`
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
    const body = await api<
      { alerts?: { title?: string; message?: string }[] } | { title?: string; message?: string }[]
    >("/v1/alerts");
    const alerts = Array.isArray(body) ? body : (body.alerts ?? []);
    out.innerHTML = alerts.length
      ? alerts.map((a) => `<p><strong>${esc(a.title)}</strong> — ${esc(a.message)}</p>`).join("")
      : "No active risk alerts.";
  } catch (error) {
    out.textContent = `Risk alerts are unavailable right now (${(error as Error).message}).`;
  }
}

async function searchHelp(q: string) {
  const out = $("help-result");
  try {
    const body = await api<{ results?: { slug?: string; title?: string; excerpt?: string }[] }>(
      `/v1/help?q=${encodeURIComponent(q)}&lang=en`,
    );
    const results = body.results ?? [];
    out.innerHTML = results.length
      ? results.map((r) => `<p><strong>${esc(r.title ?? r.slug)}</strong><br>${esc(r.excerpt ?? "")}</p>`).join("")
      : "<p>No article matches; press the emergency button and a person will help.</p>";
  } catch (error) {
    out.innerHTML = `<p class="muted">The help library is unavailable right now (${esc((error as Error).message)}).</p>`;
  }
}

async function loadStats() {
  const out = $("stats");
  try {
    const stats = await api<Record<string, unknown>>("/v1/stats");
    const rows = Object.entries(stats).map(
      ([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(typeof v === "object" ? JSON.stringify(v) : v)}</td></tr>`,
    );
    out.classList.remove("muted");
    out.innerHTML = `<table>${rows.join("")}</table>`;
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

async function init() {
  try {
    config = await api<Config>("/station-config.json");
  } catch (error) {
    notify(`The station's settings could not be loaded (${(error as Error).message}).`, "error");
    return;
  }
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
  void loadPackages().catch((error) => ($("packages").textContent = explain(error)));
  void loadAlerts();
  void loadStats();
  const fromHash = /^#claim-(\d+)$/.exec(location.hash);
  if (fromHash) follow(BigInt(fromHash[1]!));
}

void init();
