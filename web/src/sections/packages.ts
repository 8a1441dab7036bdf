/**
 * Emergency packages for projects: each package on sale with its price in stablecoin and in C
 * (with the staking discount of the connected account), buying with either, and the project's
 * coverage.
 */
import { type TemplateResult, html, nothing, render } from "lit-html";
import { parseEventLogs } from "viem";

import { EmergencyPackagesAbi } from "../../../common/abis/EmergencyPackages.js";
import { MockCTokenAbi } from "../../../common/abis/MockCToken.js";
import type { Language } from "../api.js";
import type { Context } from "../context.js";
import { C, USD } from "../format.js";
import { formatTime } from "../lang.js";
import { pageText } from "../pageText.js";
import { explain } from "../wallet.js";

/** The package ids the page looks at (the contract numbers them from 1). */
const MAX_PACKAGES = 10n;
const NO_BUYER = "0x0000000000000000000000000000000000000001";

/** A package on sale; `inC` is its price in C with the discount, or undefined while the price feed is unusable. */
type Offer = { id: bigint; days: number; slaPercent: number; usdPrice: bigint; inC: string | undefined };
type Pay = "c" | "stable";
/** What the section shows, in the language asked: drawn again at once when the reader picks another. */
type Body = (lang: Language) => TemplateResult | string;

export function mountPackages(host: HTMLElement, ctx: Context) {
  /** The packages on sale and the coverage, once read (or why not). */
  let body: Body | undefined;
  let loaded = false;
  /** Numbers the loads: only the latest one started shows what it read (a slower, older one is dropped). */
  let loads = 0;

  /** Reads the packages and the coverage; `seq` numbers this load (what `reload` passes on). */
  async function load(seq = ++loads) {
    const packages = ctx.config.addresses.packages;
    if (!packages) {
      body = (lang) => pageText("packagesOff", lang);
      return update();
    }
    const account = ctx.wallet.account();
    const reader = ctx.chain.reader();
    const offers: Offer[] = [];
    for (let id = 1n; id <= MAX_PACKAGES; id++) {
      let pkg;
      try {
        pkg = await reader.readContract({
          address: packages,
          abi: EmergencyPackagesAbi,
          functionName: "getPackage",
          args: [id],
        });
      } catch {
        break; // past the last package
      }
      if (!pkg.active || pkg.usdPrice === 0n) continue;
      let inC: string | undefined;
      try {
        const [amount, discount] = await reader.readContract({
          address: packages,
          abi: EmergencyPackagesAbi,
          functionName: "quote",
          args: [id, true, account ?? NO_BUYER],
        });
        inC = `${C(amount)} (−${discount / 100}%)`;
      } catch {
        // price feed stale or unusable: the stablecoin price still stands
      }
      offers.push({
        id,
        days: Math.round(pkg.duration / 86_400),
        slaPercent: pkg.slaFactorBps / 100,
        usdPrice: pkg.usdPrice,
        inC,
      });
    }
    /** The connected account's coverage: until when (a Unix time), 0 for none; undefined without an account. */
    let covered: number | undefined;
    if (account) {
      const until = await reader.readContract({
        address: packages,
        abi: EmergencyPackagesAbi,
        functionName: "coveredUntil",
        args: [account],
      });
      covered = Number(until) > (await ctx.chain.now()) ? Number(until) : 0;
    }
    if (seq !== loads) return;
    loaded = true;
    body = (lang) =>
      html`${offers.length ? offers.map((o) => offer(o, lang)) : pageText("noPackages", lang)}${
        covered === undefined ? nothing : html`<p id="coverage">${coverageText(covered, lang)}</p>`
      }`;
    update();
  }

  const coverageText = (until: number, lang: Language) =>
    until > 0 ? pageText("coveredUntil", lang, { time: formatTime(until, lang) }) : pageText("notCovered", lang);

  async function buy(id: bigint, pay: Pay) {
    const account = await ctx.account();
    const packages = ctx.chain.need("packages");
    const reader = ctx.chain.reader();
    const [amount] = await reader.readContract({
      address: packages,
      abi: EmergencyPackagesAbi,
      functionName: "quote",
      args: [id, pay === "c", account],
    });
    // The purchase names the terms read here and pays at most the quote: it fails if either changed.
    const { termsVersion } = await reader.readContract({
      address: packages,
      abi: EmergencyPackagesAbi,
      functionName: "getPackage",
      args: [id],
    });
    const token = pay === "c" ? ctx.chain.need("cToken") : ctx.chain.need("stablecoin");
    const show = (v: bigint) => (pay === "c" ? C(v) : USD(v));
    // Checked up front: the purchase moves the payment in two legs (pool and treasury), so the
    // token's own error would name only the second leg's figures.
    const balance = await reader.readContract({
      address: token,
      abi: MockCTokenAbi,
      functionName: "balanceOf",
      args: [account],
    });
    if (balance < amount) {
      throw new Error(pageText("insufficient", ctx.lang.get(), { balance: show(balance), amount: show(amount) }));
    }
    await ctx.chain.approve(token, packages, amount);
    const receipt = await ctx.chain.send({
      address: packages,
      abi: EmergencyPackagesAbi,
      functionName: pay === "c" ? "buyWithC" : "buyWithStable",
      args: [id, account, termsVersion, amount],
    });
    const [event] = parseEventLogs({ abi: EmergencyPackagesAbi, eventName: "PackagePurchased", logs: receipt.logs });
    const paid = event?.args.paid ?? amount;
    const discount = event ? Number(event.args.discountBps) / 100 : 0;
    ctx.notify((lang) =>
      pageText("bought", lang, {
        id,
        paid: show(paid),
        discount: discount > 0 ? pageText("discount", lang, { percent: discount }) : "",
      }),
    );
    await load();
  }

  const buyButton = (id: bigint, pay: Pay, label: string) =>
    html`<button
      type="button"
      data-pay=${pay}
      @click=${(e: Event) => void ctx.guarded(e.currentTarget as HTMLButtonElement, () => buy(id, pay))()}
    >
      ${label}
    </button>`;

  const offer = (o: Offer, lang: Language) => {
    const title = pageText("package", lang, { id: o.id, days: o.days, percent: o.slaPercent });
    const price = pageText("inStablecoin", lang, { price: USD(o.usdPrice) });
    return html`<div class="package" data-id=${o.id}>
      <strong>${title}</strong>
      <span>${price}<span class="price-c">${o.inC ?? pageText("noCPrice", lang)}</span></span>
      ${buyButton(o.id, "stable", pageText("buyStable", lang))} ${buyButton(o.id, "c", pageText("buyC", lang))}
    </div>`;
  };

  const view = () => {
    const lang = ctx.lang.get();
    return html`<h2>${pageText("packagesTitle", lang)}</h2>
      <div id="packages" class=${loaded ? "" : "muted"}>${body?.(lang) ?? pageText("loading", lang)}</div>`;
  };

  function update() {
    render(view(), host);
  }
  const reload = () => {
    const seq = ++loads;
    void load(seq).catch((error: unknown) => {
      if (seq !== loads) return;
      body = (lang) => explain(error, lang);
      update();
    });
  };
  ctx.wallet.onChange(reload);
  // Everything shown is kept as read, so another language needs no new reads from the chain.
  ctx.lang.watch(update);
  update();
  reload();
}
