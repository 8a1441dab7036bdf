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
import { type EligibleRoundsResponse, type Language, rounds } from "../api.js";
import type { Context } from "../context.js";
import { C } from "../format.js";
import { formatRelative, formatTime } from "../lang.js";
import { type IncidentTextKey, incidentText } from "../incidentText.js";
import { stationText } from "../stationText.js";
import { withParts } from "../text.js";

/** The contract's IncidentStatus order. */
const INCIDENT_STATUS = ["None", "Open", "Cancelled", "Closed"] as const;

type RoundEntry = { index: number; amount: bigint; proof: Hex[] };
export type Round = {
  incidentId: bigint;
  pool: Address | undefined;
  root: Hex | undefined;
  claims: Map<Address, RoundEntry>;
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

/** The published round file, checked field by field (it comes from a paste or a file); what is wrong, in `lang`. */
export function parseRound(text: string, lang: Language = "en"): Round {
  const notRound = (why: IncidentTextKey, values?: Record<string, string>) =>
    new Error(incidentText("notRound", lang, { why: incidentText(why, lang, values) }));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(incidentText("notRoundJson", lang));
  }
  if (!isObject(json) || !isObject(json.claims)) throw notRound("noClaimsIn");
  if (!json.round) throw new Error(incidentText("notOpened", lang));
  if (!isObject(json.round)) throw notRound("roundNotObject");
  const { incidentId, pool } = json.round;
  if (typeof incidentId !== "string" && typeof incidentId !== "number") throw notRound("noIncidentId");
  if (!/^\d+$/.test(String(incidentId))) throw notRound("incidentIdNaN", { id: String(incidentId) });
  if (pool !== undefined && (typeof pool !== "string" || !isAddress(pool))) throw notRound("poolNoAddress");
  if (json.root !== undefined && (typeof json.root !== "string" || !isHex(json.root))) throw notRound("rootNoHex");
  const claims = new Map<Address, RoundEntry>();
  for (const [account, entry] of Object.entries(json.claims)) {
    if (!isAddress(account) || !isObject(entry)) throw notRound("entryMalformed", { account });
    const { index, amount, proof } = entry;
    if (typeof index !== "number" || !Number.isSafeInteger(index) || index < 0) {
      throw notRound("entryNoIndex", { account });
    }
    if (typeof amount !== "string" || !/^\d+$/.test(amount)) throw notRound("entryNoAmount", { account });
    if (!Array.isArray(proof) || !proof.every((p) => typeof p === "string" && isHex(p))) {
      throw notRound("entryNoProof", { account });
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

/** `fileOpen`: the round file was asked for before this code arrived (its summary stays open). */
export function mountIncident(host: HTMLElement, ctx: Context, { fileOpen = false } = {}) {
  const t = (key: IncidentTextKey, values?: Record<string, string | number | bigint>) =>
    incidentText(key, ctx.lang.get(), values);
  /** The last check's answer, drawn again in the reader's language when it changes. */
  let result: () => TemplateResult | typeof nothing = () => nothing;
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
      throw new Error(t("proofMismatch", { id: incidentId }));
    }
    // The round's own vault pays it (its address from the pool, on-chain).
    await ctx.chain.send({
      address: incident.vault,
      abi: IncidentVaultAbi,
      functionName: "claim",
      args: [BigInt(item.index), who, leaf.amount, item.proof as Hex[]],
    });
    done.add(item.incidentId);
    // `t` speaks the reader's language of the moment: the notice follows a switch.
    ctx.notify(() => t("claimedFrom", { amount: C(leaf.amount), id: incidentId }));
    await loadMine(who);
  }

  const eligibleView = () => {
    if (mine === undefined)
      return html`<p class="muted" id="rounds-connect">${stationText("roundsConnect", ctx.lang.get())}</p>`;
    if (mine.error) return html`<p class="muted" id="rounds-mine">${t("roundsFailed", { error: mine.error })}</p>`;
    if (mine.items.length === 0)
      return html`<p class="muted" id="rounds-mine">
        ${withParts(t("roundsNone"), { account: html`<code>${mine.account}</code>` })}
      </p>`;
    const lang = ctx.lang.get();
    const now = mine.now;
    const when = (t: number) => `${formatTime(t, lang)} (${formatRelative(t - now, lang)})`;
    return html`<ul id="rounds-mine" class="rounds">
      ${mine.items.map((item) => {
        const amount = C(BigInt(item.amount));
        const claimed = item.claimed || done.has(item.incidentId);
        const action = claimed
          ? html`<span class="eligible">${t("claimed")}</span>`
          : now < item.claimableAt
            ? html`<span class="muted">${t("claimableFrom", { time: when(item.claimableAt) })}</span>`
            : html`<button
                type="button"
                data-claim=${item.incidentId}
                @click=${(e: Event) =>
                  void ctx.guarded(e.currentTarget as HTMLButtonElement, () => claimFromService(item))()}
              >
                ${t("claimAmount", { amount })}
              </button>`;
        return html`<li data-incident=${item.incidentId}>
          <span
            >${withParts(t("roundLine", { id: item.incidentId, time: when(item.claimDeadline) }), {
              amount: html`<strong>${amount}</strong>`,
            })}</span
          >
          ${action}
        </li>`;
      })}
    </ul>`;
  };
  ctx.wallet.onChange((account) => void loadMine(account));

  const show = (template: () => TemplateResult) => {
    result = template;
    update();
  };

  async function check(address: string) {
    const round = parseRound(roundText, ctx.lang.get());
    const typed = address.trim();
    if (typed && !isAddress(typed, { strict: false })) throw new Error(t("addressFormat"));
    const who = getAddress(typed || (await ctx.account()));
    const pool = ctx.chain.need("pool");
    if (round.pool && round.pool !== pool) {
      throw new Error(t("otherPool", { round: round.pool, pool }));
    }
    const { incidentId } = round;
    const reader = ctx.chain.reader();
    const [incident, now] = await Promise.all([
      reader.readContract({ address: pool, abi: CompensationPoolAbi, functionName: "getIncident", args: [incidentId] }),
      ctx.chain.now(),
    ]);
    if (incident.status === 0) throw new Error(t("noIncident", { id: incidentId }));
    if (round.root && round.root.toLowerCase() !== incident.root.toLowerCase()) {
      throw new Error(t("otherRoot", { id: incidentId }));
    }
    const entry = round.claims.get(who);
    const code = html`<code>${who}</code>`;
    if (!entry) {
      return show(
        () => html`<p class="not-eligible">${withParts(t("notInIncident", { id: incidentId }), { who: code })}</p>`,
      );
    }
    const amount = C(entry.amount);
    const claimed = await reader.readContract({
      address: pool,
      abi: CompensationPoolAbi,
      functionName: "isIncidentClaimed",
      args: [incidentId, BigInt(entry.index)],
    });
    const when = (time: number) => {
      const lang = ctx.lang.get();
      return `${formatTime(time, lang)} (${formatRelative(time - now, lang)})`;
    };
    const status = INCIDENT_STATUS[incident.status] ?? String(incident.status);
    if (claimed) return show(() => html`<p class="eligible">${t("alreadyClaimed", { who, amount })}</p>`);
    if (status !== "Open") {
      return show(
        () => html`<p>${t(status === "Cancelled" ? "incidentCancelled" : "incidentClosed", { id: incidentId })}</p>`,
      );
    }
    const eligible = () =>
      html`<p class="eligible">
        ${withParts(t("eligible", { id: incidentId }), { amount: html`<strong>${amount}</strong>` })}
      </p>`;
    if (now < incident.claimableAt) {
      return show(
        () =>
          html`${eligible()}
            <p class="muted">${t("challengeOpen", { time: when(incident.claimableAt) })}</p>`,
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
        show(() => html`<p class="eligible">${withParts(t("claimedTo", { amount }), { who: code })}</p>`);
      })();
    // The round pays until someone closes it, which anyone may do once the deadline has passed.
    const by = () =>
      now > incident.claimDeadline
        ? html`<p class="muted">${t("periodEnded", { time: when(incident.claimDeadline) })}</p>`
        : html`<p class="muted">${t("claimBy", { time: when(incident.claimDeadline) })}</p>`;
    show(
      () =>
        html`${eligible()} ${by()}
          <button id="round-claim" type="button" @click=${claim}>${t("claimAmount", { amount })}</button>`,
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
    html`<h2>${stationText("incidentTitle", ctx.lang.get())}</h2>
      ${eligibleView()}
      <details id="round-fallback">
        <summary>${stationText("roundFile", ctx.lang.get())}</summary>
        <textarea
          id="round-json"
          rows="3"
          placeholder=${t("roundPlaceholder")}
          aria-label=${t("roundJsonLabel")}
          .value=${roundText}
          @input=${onText}
        ></textarea>
        <input
          id="round-file"
          type="file"
          accept=".json,application/json"
          aria-label=${t("roundFileLabel")}
          @change=${onFile}
        />
        <label
          >${t("addressToCheck")}
          <input id="round-address" placeholder="0x…" autocomplete="off" />
        </label>
        <button id="round-check" type="button" @click=${onCheck}>${t("amIEligible")}</button>
        <div id="round-result">${result()}</div>
      </details>`;

  function update() {
    render(view(), host);
  }
  // The rounds, the round file's last answer and the section's words, in the new language.
  ctx.lang.watch(update);
  update();
  if (fileOpen) {
    const details = host.querySelector<HTMLDetailsElement>("#round-fallback");
    if (details) details.open = true;
  }
  void loadMine(ctx.wallet.account());
}
