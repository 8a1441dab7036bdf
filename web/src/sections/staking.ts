/**
 * Staking for priority support: the stake, what counts after the warmup, the tier and what it
 * unlocks, the next tier, pending withdrawals; stake (approving first), unstake and withdraw.
 */
import { type TemplateResult, html, nothing, render } from "lit-html";
import { parseUnits } from "viem";

import { CStakingAbi } from "../../../common/abis/CStaking.js";
import type { Language } from "../api.js";
import type { Context } from "../context.js";
import { C } from "../format.js";
import { formatDuration, formatTime } from "../lang.js";
import { pageText } from "../pageText.js";
import { tierName } from "../stationText.js";
import { withParts } from "../text.js";
import { explain } from "../wallet.js";

type TierRow = { thresholdWholeC: number; slaFactorBps: number; discountBps: number };
type Action = "stake" | "unstake" | "withdraw";

/** What a tier unlocks, in words. */
export function unlocks(t: TierRow, lang: Language = "en"): string {
  const speed =
    t.slaFactorBps >= 10_000
      ? pageText("standardDeadlines", lang)
      : pageText("fasterDeadlines", lang, {
          percent: t.slaFactorBps / 100,
          times: (10_000 / t.slaFactorBps).toFixed(1).replace(/\.0$/, ""),
        });
  return pageText("unlocks", lang, { speed, discount: t.discountBps / 100 });
}

export function mountStaking(host: HTMLElement, ctx: Context) {
  /**
   * What the chain says of the connected account's stake, in the language asked (drawn again at
   * once when the reader picks another); none while no wallet is connected.
   */
  let info: ((lang: Language) => TemplateResult | string) | undefined;
  let loaded = false;
  /** Numbers the reads: only the latest one started shows what it read (a slower, older one is dropped). */
  let reads = 0;

  /** Reads the stake again; an error thrown is the latest read's (an older read's is dropped with it). */
  async function refresh() {
    const seq = ++reads;
    try {
      await read(seq);
    } catch (error) {
      if (seq === reads) throw error;
    }
  }

  async function read(seq: number) {
    const account = ctx.wallet.account();
    const staking = ctx.config.addresses.staking;
    if (!account || !staking) return;
    const r = ctx.chain.reader();
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
    const current = tiers[tier];
    if (!current) throw new Error(`The staking contract has no tier ${tier}.`);
    const next = tiers[tier + 1];
    const warming = stake > effective ? stake - effective : 0n;
    const stakeView = (lang: Language) => {
      const missing = next ? parseUnits(String(next.thresholdWholeC), 18) - effective : 0n;
      const last = Number(queue[2]);
      const warmingText =
        warming > 0n
          ? pageText("warming", lang, { amount: C(warming), duration: formatDuration(Number(warmup), lang) })
          : ".";
      const nextText = next
        ? pageText("nextFrom", lang, { threshold: next.thresholdWholeC, unlocks: unlocks(next, lang) }) +
          (missing > 0n ? pageText("nextMissing", lang, { amount: C(missing) }) : ".")
        : "";
      const pendingText =
        pageText("unstaking", lang, { amount: C(pending[0]), withdrawable: C(pending[1]) }) +
        (pending[1] < pending[0] && last > 0 ? pageText("restFrom", lang, { time: formatTime(last, lang) }) : "") +
        ".";
      return html`<p>
          ${withParts(pageText("staked", lang), { amount: html`<strong id="stake-amount">${C(stake)}</strong>` })}${warmingText}
        </p>
        <p>
          ${withParts(pageText("currentTier", lang), {
            tier: html`<strong id="stake-tier">${tierName(tier, lang)}</strong>`,
            unlocks: html`<span id="stake-unlocks">${unlocks(current, lang)}</span>`,
          })}
        </p>
        ${
          next
            ? html`<p>
                ${withParts(pageText("nextTier", lang, { next: nextText }), {
                  tier: html`<strong>${tierName(tier + 1, lang)}</strong>`,
                })}
              </p>`
            : html`<p>${pageText("topTier", lang)}</p>`
        }
        ${pending[0] > 0n ? html`<p id="stake-pending">${pendingText}</p>` : nothing}`;
    };
    if (seq !== reads) return;
    info = stakeView;
    loaded = true;
    update();
  }

  const show = (error: unknown) => {
    info = (lang) => explain(error, lang);
    update();
  };

  async function act(action: Action, amountText: string) {
    await ctx.account();
    const staking = ctx.chain.need("staking");
    if (action === "withdraw") {
      const [, withdrawable] = await ctx.chain.reader().readContract({
        address: staking,
        abi: CStakingAbi,
        functionName: "pendingWithdrawalsOf",
        args: [ctx.chain.account()],
      });
      await ctx.chain.send({ address: staking, abi: CStakingAbi, functionName: "withdraw", args: [] });
      ctx.notify((lang) => pageText("withdrawn", lang, { amount: C(withdrawable) }));
    } else {
      if (!/^\d+(\.\d{1,18})?$/.test(amountText)) throw new Error(pageText("amountNumber", ctx.lang.get()));
      const amount = parseUnits(amountText, 18);
      if (amount === 0n) throw new Error(pageText("amountPositive", ctx.lang.get()));
      if (action === "stake") await ctx.chain.approve(ctx.chain.need("cToken"), staking, amount);
      await ctx.chain.send({ address: staking, abi: CStakingAbi, functionName: action, args: [amount] });
      ctx.notify((lang) =>
        pageText(action === "stake" ? "stakedNotice" : "unstakeRequested", lang, { amount: amountText }),
      );
    }
    await refresh();
  }

  const onSubmit = (e: SubmitEvent) => {
    e.preventDefault();
    const submitter = e.submitter instanceof HTMLButtonElement ? e.submitter : null;
    const value = submitter?.value;
    const action: Action = value === "unstake" || value === "withdraw" ? value : "stake";
    const amount = String(new FormData(e.currentTarget as HTMLFormElement).get("amount") ?? "").trim();
    void ctx.guarded(submitter, () => act(action, amount))();
  };
  const onRefresh = (e: Event) =>
    void ctx.guarded(e.currentTarget as HTMLButtonElement, async () => {
      await ctx.account();
      await refresh();
    })();

  const view = () => {
    const lang = ctx.lang.get();
    return html`<h2>${pageText("stakingTitle", lang)}</h2>
      <div id="stake-info" class=${loaded ? "" : "muted"}>${info?.(lang) ?? pageText("notConnected", lang)}</div>
      <form id="stake-form" class="inline" @submit=${onSubmit}>
        <input name="amount" inputmode="decimal" placeholder="C" aria-label=${pageText("amountLabel", lang)} required />
        <button name="action" value="stake" type="submit">${pageText("stake", lang)}</button>
        <button name="action" value="unstake" type="submit">${pageText("unstake", lang)}</button>
        <button name="action" value="withdraw" type="submit" formnovalidate>${pageText("withdraw", lang)}</button>
        <button id="stake-refresh" type="button" class="secondary" @click=${onRefresh}>
          ${pageText("refresh", lang)}
        </button>
      </form>`;
  };

  function update() {
    render(view(), host);
  }
  ctx.wallet.onChange((account) => {
    if (account) return void refresh().catch(show);
    // Disconnected in the wallet: nobody's stake to show.
    reads++;
    info = undefined;
    loaded = false;
    update();
  });
  // Everything shown is kept as read, so another language needs no new reads from the chain.
  ctx.lang.watch(update);
  update();
  return { refresh };
}
