/**
 * Track a claim by its number (the service's view, or the chain's) or list an address's claims
 * (the service only), newest first, ten at a time.
 */
import { type TemplateResult, html, nothing, render } from "lit-html";
import { getAddress, isAddress } from "viem";

import { type AccountClaimsResponse, type ClaimSummary, ServiceError, service } from "../api.js";
import { claimTimeline } from "../claims.js";
import type { Context } from "../context.js";
import { C } from "../format.js";
import { formatTime } from "../lang.js";
import { pageText } from "../pageText.js";
import { tierName } from "../stationText.js";
import { withParts } from "../text.js";
import { renderTimeline } from "../timeline.js";

type Shown =
  | { kind: "none" }
  | { kind: "view"; template: () => TemplateResult }
  | { kind: "list"; account: string; items: ClaimSummary[]; nextCursor: string | null };

export function mountTrack(host: HTMLElement, ctx: Context, onFollow: (id: bigint) => void) {
  let query: string | undefined;
  let shown: Shown = { kind: "none" };

  async function track(q: string, cursor?: string) {
    query = q;
    if (/^\d+$/.test(q)) {
      const t = await claimTimeline(ctx, BigInt(q));
      shown = { kind: "view", template: () => renderTimeline(t, ctx.lang.get()) };
      return update();
    }
    if (!isAddress(q, { strict: false })) throw new Error(pageText("trackWhat", ctx.lang.get()));
    let body: AccountClaimsResponse;
    try {
      body = await service.accountClaims(getAddress(q), ctx.lang.get(), cursor);
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      const message = error.message;
      shown = {
        kind: "view",
        template: () => html`<p class="source fallback">${pageText("trackNoService", ctx.lang.get(), { message })}</p>`,
      };
      return update();
    }
    const earlier = cursor !== undefined && shown.kind === "list" ? shown.items : [];
    shown = { kind: "list", account: body.account, items: [...earlier, ...body.items], nextCursor: body.nextCursor };
    update();
  }

  const run = (q: string, cursor?: string) => void ctx.guarded(null, () => track(q, cursor))();

  const row = (c: ClaimSummary) =>
    html`<li data-claim=${c.id}>
      <button type="button" class="link" data-follow=${c.id} @click=${() => onFollow(BigInt(c.id))}>#${c.id}</button>
      <strong>${c.statusText}</strong> · ${C(c.amounts.requested)} · ${tierName(c.tier.level, ctx.lang.get())} ·
      ${formatTime(c.submittedAt, ctx.lang.get())}${
        c.sla
          ? html` · <span class="state-${c.sla.state}" data-state=${c.sla.state}>${c.sla.stateText}</span>`
          : nothing
      }
    </li>`;

  const result = () => {
    switch (shown.kind) {
      case "none":
        return nothing;
      case "view":
        return shown.template();
      case "list": {
        const { account, items, nextCursor } = shown;
        const lang = ctx.lang.get();
        const code = html`<code>${account}</code>`;
        if (items.length === 0) return html`<p>${withParts(pageText("noClaims", lang), { account: code })}</p>`;
        return html`<p>${withParts(pageText("claimsOf", lang), { account: code })}</p>
          <ul class="claim-list">
            ${items.map(row)}
          </ul>
          ${
            nextCursor && query
              ? html`<button type="button" id="track-more" @click=${() => run(query!, nextCursor)}>
                  ${pageText("more", lang)}
                </button>`
              : nothing
          }`;
      }
    }
  };

  const onSubmit = (e: SubmitEvent) => {
    e.preventDefault();
    run(String(new FormData(e.currentTarget as HTMLFormElement).get("q") ?? "").trim());
  };

  const view = () => {
    const lang = ctx.lang.get();
    return html`<h2>${pageText("trackTitle", lang)}</h2>
      <form id="track-form" class="inline" @submit=${onSubmit}>
        <input
          name="q"
          placeholder=${pageText("trackPlaceholder", lang)}
          aria-label=${pageText("trackLabel", lang)}
          required
        />
        <button type="submit">${pageText("track", lang)}</button>
      </form>
      <div id="track-result">${result()}</div>`;
  };

  function update() {
    render(view(), host);
  }
  // Texts and dates come in the reader's language: ask again in the new one.
  ctx.lang.watch(() => {
    update();
    if (query !== undefined) run(query);
  });
  update();
}
