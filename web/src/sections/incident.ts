/**
 * Incident rounds: once the wallet connects, every open round the account is in, from the service
 * (its proof checked here against the root on-chain), each claimed with one click after the
 * challenge window. The round file the operator may still hand out (pasted or loaded) stays as a
 * fallback for when the service cannot answer.
 */
import { type TemplateResult, html, nothing, render } from "lit-html";
import { type Address, type Hex, getAddress, isAddress, isHex } from "viem";

import { CompensationPoolAbi } from "../../../common/abis/CompensationPool.js";
import { IncidentVaultAbi } from "../../../common/abis/IncidentVault.js";
import { verifyIncidentProof } from "../../../common/incident.js";
import { type EligibleRoundsResponse, rounds } from "../api.js";
import type { Context } from "../context.js";
import { C } from "../format.js";
import { formatRelative, formatTime } from "../lang.js";

/** The contract's IncidentStatus order. */
const INCIDENT_STATUS = ["None", "Open", "Cancelled", "Closed"] as const;

type RoundEntry = { index: number; amount: bigint; proof: Hex[] };
export type Round = {
  incidentId: bigint;
  pool: Address | undefined;
  root: Hex | undefined;
  claims: Map<Address, RoundEntry>;
};

const notRound = (why: string) => new Error(`That is not a round file: ${why}.`);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

/** The published round file, checked field by field (it comes from a paste or a file). */
export function parseRound(text: string): Round {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error("That is not a round file: paste the JSON the operator published.");
  }
  if (!isObject(json) || !isObject(json.claims)) throw notRound("it has no claims");
  if (!json.round) throw new Error("This round has not been opened on-chain yet.");
  if (!isObject(json.round)) throw notRound("its round is not an object");
  const { incidentId, pool } = json.round;
  if (typeof incidentId !== "string" && typeof incidentId !== "number") throw notRound("it has no incident id");
  if (!/^\d+$/.test(String(incidentId))) throw notRound(`its incident id ${String(incidentId)} is not a number`);
  if (pool !== undefined && (typeof pool !== "string" || !isAddress(pool))) throw notRound("its pool is no address");
  if (json.root !== undefined && (typeof json.root !== "string" || !isHex(json.root)))
    throw notRound("its root is no hex");
  const claims = new Map<Address, RoundEntry>();
  for (const [account, entry] of Object.entries(json.claims)) {
    if (!isAddress(account) || !isObject(entry)) throw notRound(`the entry for ${account} is malformed`);
    const { index, amount, proof } = entry;
    if (typeof index !== "number" || !Number.isSafeInteger(index) || index < 0) {
      throw notRound(`the entry for ${account} has no index`);
    }
    if (typeof amount !== "string" || !/^\d+$/.test(amount)) throw notRound(`the entry for ${account} has no amount`);
    if (!Array.isArray(proof) || !proof.every((p) => typeof p === "string" && isHex(p))) {
      throw notRound(`the entry for ${account} has no proof`);
    }
    claims.set(getAddress(account), { index, amount: BigInt(amount), proof: proof as Hex[] });
  }
  return {
    incidentId: BigInt(incidentId),
    pool: pool === undefined ? undefined : getAddress(pool),
    root: json.root === undefined ? undefined : (json.root as Hex),
    claims,
  };
}

type Eligible = EligibleRoundsResponse["items"][number];

export function mountIncident(host: HTMLElement, ctx: Context) {
  let result: TemplateResult | typeof nothing = nothing;
  let roundText = "";
  /** The connected account's rounds from the service; undefined before a wallet connects. */
  let mine: { account: Address; items: Eligible[]; now: number; error?: string } | undefined;
  const done = new Set<string>();

  async function loadMine(account: Address | undefined) {
    if (account === undefined) {
      mine = undefined;
      return update();
    }
    try {
      const [{ items }, now] = await Promise.all([rounds.eligible(account), ctx.chain.now()]);
      if (ctx.wallet.account() === account) mine = { account, items, now };
    } catch (error) {
      mine = { account, items: [], now: 0, error: ctx.explain(error) };
    }
    update();
  }

  async function claimFromService(item: Eligible) {
    const who = await ctx.account();
    const pool = ctx.chain.need("pool");
    const incidentId = BigInt(item.incidentId);
    const incident = await ctx.chain
      .reader()
      .readContract({ address: pool, abi: CompensationPoolAbi, functionName: "getIncident", args: [incidentId] });
    // The service is trusted with nothing: the proof must prove this leaf under the root on-chain.
    const leaf = { index: item.index, account: who, amount: BigInt(item.amount) };
    if (!verifyIncidentProof(incident.root, leaf, item.proof as Hex[])) {
      throw new Error(`The proof the station gave for incident #${incidentId} does not match its root on-chain.`);
    }
    // The round's own vault pays it (its address from the pool, on-chain).
    await ctx.chain.send({
      address: incident.vault,
      abi: IncidentVaultAbi,
      functionName: "claim",
      args: [BigInt(item.index), who, leaf.amount, item.proof as Hex[]],
    });
    done.add(item.incidentId);
    ctx.notify(`Claimed: ${C(leaf.amount)} from incident #${incidentId}, credited to your account.`);
    await loadMine(who);
  }

  const eligibleView = () => {
    if (mine === undefined)
      return html`<p class="muted" id="rounds-connect">Connect your wallet to see the rounds you can claim from.</p>`;
    if (mine.error)
      return html`<p class="muted" id="rounds-mine">
        The station could not list your rounds (${mine.error}); paste the round file below instead.
      </p>`;
    if (mine.items.length === 0)
      return html`<p class="muted" id="rounds-mine">No open incident round for <code>${mine.account}</code>.</p>`;
    const lang = ctx.lang.get();
    const now = mine.now;
    const when = (t: number) => `${formatTime(t, lang)} (${formatRelative(t - now, lang)})`;
    return html`<ul id="rounds-mine" class="rounds">
      ${mine.items.map((item) => {
        const amount = C(BigInt(item.amount));
        const claimed = item.claimed || done.has(item.incidentId);
        const action = claimed
          ? html`<span class="eligible">claimed</span>`
          : now < item.claimableAt
            ? html`<span class="muted">claimable from ${when(item.claimableAt)}</span>`
            : html`<button
                type="button"
                data-claim=${item.incidentId}
                @click=${(e: Event) =>
                  void ctx.guarded(e.currentTarget as HTMLButtonElement, () => claimFromService(item))()}
              >
                Claim ${amount}
              </button>`;
        return html`<li data-incident=${item.incidentId}>
          <span>Incident #${item.incidentId}: <strong>${amount}</strong>, claim by ${when(item.claimDeadline)}</span>
          ${action}
        </li>`;
      })}
    </ul>`;
  };
  ctx.wallet.onChange((account) => void loadMine(account));

  const show = (template: TemplateResult) => {
    result = template;
    update();
  };

  async function check(address: string) {
    const round = parseRound(roundText);
    const typed = address.trim();
    if (typed && !isAddress(typed, { strict: false })) throw new Error("Address: 0x and 40 hex digits.");
    const who = getAddress(typed || (await ctx.account()));
    const pool = ctx.chain.need("pool");
    if (round.pool && round.pool !== pool) {
      throw new Error(`This round is for the pool ${round.pool}, not this station's (${pool}).`);
    }
    const { incidentId } = round;
    const reader = ctx.chain.reader();
    const [incident, now] = await Promise.all([
      reader.readContract({ address: pool, abi: CompensationPoolAbi, functionName: "getIncident", args: [incidentId] }),
      ctx.chain.now(),
    ]);
    if (incident.status === 0) throw new Error(`There is no incident #${incidentId} on this station.`);
    if (round.root && round.root.toLowerCase() !== incident.root.toLowerCase()) {
      throw new Error(`This file does not match incident #${incidentId} on-chain (another Merkle root).`);
    }
    const entry = round.claims.get(who);
    if (!entry) return show(html`<p class="not-eligible"><code>${who}</code> is not in incident #${incidentId}.</p>`);
    const amount = C(entry.amount);
    const claimed = await reader.readContract({
      address: pool,
      abi: CompensationPoolAbi,
      functionName: "isIncidentClaimed",
      args: [incidentId, BigInt(entry.index)],
    });
    const lang = ctx.lang.get();
    const when = (t: number) => `${formatTime(t, lang)} (${formatRelative(t - now, lang)})`;
    const status = INCIDENT_STATUS[incident.status] ?? String(incident.status);
    if (claimed) return show(html`<p class="eligible">${who} was compensated ${amount} — already claimed.</p>`);
    if (status !== "Open") {
      return show(html`<p>Incident #${incidentId} is ${status.toLowerCase()}: nothing can be claimed.</p>`);
    }
    if (now < incident.claimableAt) {
      return show(
        html`<p class="eligible">Eligible for <strong>${amount}</strong> from incident #${incidentId}.</p>
          <p class="muted">
            Claimable from ${when(incident.claimableAt)}: the round's challenge window is still open.
          </p>`,
      );
    }
    const claim = (e: Event) =>
      void ctx.guarded(e.currentTarget as HTMLButtonElement, async () => {
        await ctx.account();
        await ctx.chain.send({
          address: incident.vault,
          abi: IncidentVaultAbi,
          functionName: "claim",
          args: [BigInt(entry.index), who, entry.amount, entry.proof],
        });
        show(html`<p class="eligible">Claimed: ${amount} credited to <code>${who}</code>.</p>`);
      })();
    // The round pays until someone closes it, which anyone may do once the deadline has passed.
    const by =
      now > incident.claimDeadline
        ? html`<p class="muted">
            The claim period ended ${when(incident.claimDeadline)}; the round still pays until someone closes it.
          </p>`
        : html`<p class="muted">Claim by ${when(incident.claimDeadline)}.</p>`;
    show(
      html`<p class="eligible">Eligible for <strong>${amount}</strong> from incident #${incidentId}.</p>
        ${by}
        <button id="round-claim" type="button" @click=${claim}>Claim ${amount}</button>`,
    );
  }

  const onText = (e: Event) => (roundText = (e.target as HTMLTextAreaElement).value);
  const onFile = async (e: Event) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (!file) return;
    roundText = await file.text();
    update();
  };
  const onCheck = (e: Event) => {
    const address = host.querySelector<HTMLInputElement>("#round-address")?.value ?? "";
    void ctx.guarded(e.currentTarget as HTMLButtonElement, () => check(address))();
  };

  const view = () =>
    html`<h2>Incident compensation: am I eligible?</h2>
      ${eligibleView()}
      <details id="round-fallback">
        <summary>Have a round file instead?</summary>
        <textarea
          id="round-json"
          rows="3"
          placeholder="Paste the round JSON (or load the file)"
          aria-label="Round JSON"
          .value=${roundText}
          @input=${onText}
        ></textarea>
        <input id="round-file" type="file" accept=".json,application/json" aria-label="Round file" @change=${onFile} />
        <label
          >Address to check (empty: your wallet's)
          <input id="round-address" placeholder="0x…" autocomplete="off" />
        </label>
        <button id="round-check" type="button" @click=${onCheck}>Am I eligible?</button>
        <div id="round-result">${result}</div>
      </details>`;

  function update() {
    render(view(), host);
  }
  update();
  void loadMine(ctx.wallet.account());
}
