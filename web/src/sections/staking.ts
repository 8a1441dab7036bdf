/**
 * Staking for priority support: the stake, what counts after the warmup, the tier and what it
 * unlocks, the next tier, pending withdrawals; stake (approving first), unstake and withdraw.
 */
import { type TemplateResult, html, nothing, render } from "lit-html";
import { parseUnits } from "viem";

import { CStakingAbi } from "../../../common/abis/CStaking.js";
import type { Context } from "../context.js";
import { C, tierName } from "../format.js";
import { formatDuration, formatTime } from "../lang.js";

const NOT_CONNECTED = "Connect a wallet to see your tier.";

type TierRow = { thresholdWholeC: number; slaFactorBps: number; discountBps: number };
type Action = "stake" | "unstake" | "withdraw";

/** What a tier unlocks, in words. */
export function unlocks(t: TierRow): string {
  const speed =
    t.slaFactorBps >= 10_000
      ? "standard deadlines"
      : `deadlines at ${t.slaFactorBps / 100}% of standard (answers ${(10_000 / t.slaFactorBps).toFixed(1).replace(/\.0$/, "")}× as fast)`;
  return `${speed}, ${t.discountBps / 100}% off packages paid in C`;
}

export function mountStaking(host: HTMLElement, ctx: Context) {
  let info: TemplateResult | string = NOT_CONNECTED;
  let loaded = false;

  async function refresh() {
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
    const lang = ctx.lang.get();
    const missing = next ? parseUnits(String(next.thresholdWholeC), 18) - effective : 0n;
    const last = Number(queue[2]);
    const warmingText =
      warming > 0n
        ? ` — ${C(warming)} of it counts after the warmup (${formatDuration(Number(warmup))} after staking).`
        : ".";
    const nextText = next
      ? `from ${next.thresholdWholeC} C — ${unlocks(next)}` +
        (missing > 0n ? `; ${C(missing)} more counting stake needed.` : ".")
      : "";
    const pendingText =
      `Unstaking ${C(pending[0])}; withdrawable now: ${C(pending[1])}` +
      (pending[1] < pending[0] && last > 0 ? `; the rest from ${formatTime(last, lang)}` : "") +
      ".";
    info = html`<p>Staked <strong id="stake-amount">${C(stake)}</strong>${warmingText}</p>
      <p>
        Current tier: <strong id="stake-tier">${tierName(tier)}</strong> —
        <span id="stake-unlocks">${unlocks(current)}</span>.
      </p>
      ${next ? html`<p>Next: <strong>${tierName(tier + 1)}</strong> ${nextText}</p>` : html`<p>You are in the top tier.</p>`}
      ${pending[0] > 0n ? html`<p id="stake-pending">${pendingText}</p>` : nothing}`;
    loaded = true;
    update();
  }

  const show = (error: unknown) => {
    info = ctx.explain(error);
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
      ctx.notify(`Withdrawn: ${C(withdrawable)}.`);
    } else {
      if (!/^\d+(\.\d{1,18})?$/.test(amountText)) throw new Error("Amount: a number of C.");
      const amount = parseUnits(amountText, 18);
      if (amount === 0n) throw new Error("Amount: more than 0 C.");
      if (action === "stake") await ctx.chain.approve(ctx.chain.need("cToken"), staking, amount);
      await ctx.chain.send({ address: staking, abi: CStakingAbi, functionName: action, args: [amount] });
      ctx.notify(`${action === "stake" ? "Staked" : "Unstake requested"}: ${amountText} C.`);
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

  const view = () =>
    html`<h2>Staking: priority support</h2>
      <div id="stake-info" class=${loaded ? "" : "muted"}>${info}</div>
      <form id="stake-form" class="inline" @submit=${onSubmit}>
        <input name="amount" inputmode="decimal" placeholder="C" aria-label="Amount of C" required />
        <button name="action" value="stake" type="submit">Stake</button>
        <button name="action" value="unstake" type="submit">Unstake</button>
        <button name="action" value="withdraw" type="submit" formnovalidate>Withdraw</button>
        <button id="stake-refresh" type="button" class="secondary" @click=${onRefresh}>Refresh</button>
      </form>`;

  function update() {
    render(view(), host);
  }
  ctx.wallet.onChange((account) => {
    if (account) return void refresh().catch(show);
    // Disconnected in the wallet: nobody's stake to show.
    info = NOT_CONNECTED;
    loaded = false;
    update();
  });
  ctx.lang.watch(() => void refresh().catch(show));
  update();
  return { refresh };
}
