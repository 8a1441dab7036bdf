/**
 * The live progress of the claim being followed (just sent, picked from a list, or linked as
 * `#claim-<id>`): asked again every 1.5 s until it is closed and final.
 */
import { html, nothing, render } from "lit-html";

import { CompensationPoolAbi } from "../../../common/abis/CompensationPool.js";
import { caseText } from "../caseText.js";
import { claimTimeline } from "../claims.js";
import type { Context } from "../context.js";
import { pageText } from "../pageText.js";
import { type TimelineModel, renderTimeline } from "../timeline.js";

const POLL_MS = 1500;

/** `onModel` hears each answer about the claim followed (the conversation follows the same claim). */
export function mountProgress(host: HTMLElement, ctx: Context, onModel?: (model: TimelineModel) => void) {
  let following: bigint | undefined;
  let model: TimelineModel | undefined;
  let detail = "";
  let timer: number | undefined;
  /** The chain's time at the last answer (deadlines are judged by it), while the claim is open. */
  let chainNow: number | undefined;

  /**
   * The breach credit this claim may be owed now (the pool decides; the page only offers): the
   * no-answer credit while unanswered past the response deadline, else the late-resolution credit.
   */
  const creditDue = (m: TimelineModel) => {
    if (m.deadlines === undefined || chainNow === undefined) return undefined;
    const now = chainNow;
    const unresolved = m.status === "Submitted" || m.status === "Accepted" || m.status === "Investigating";
    if (m.status === "Submitted" && now > m.deadlines.response && (m.amounts.noResponseCredit ?? "0") === "0") {
      return { fn: "claimNoResponseCredit", label: "creditNoResponse" } as const;
    }
    if (unresolved && now > m.deadlines.resolution && (m.amounts.resolutionCredit ?? "0") === "0") {
      return { fn: "claimResolutionCredit", label: "creditResolution" } as const;
    }
    return undefined;
  };
  const credit = (m: TimelineModel) => {
    const lang = ctx.lang.get();
    const due = creditDue(m);
    if (due === undefined) return nothing;
    const onClick = (e: Event) =>
      void ctx.guarded(e.currentTarget as HTMLButtonElement, async () => {
        await ctx.chain.send({
          address: ctx.chain.need("pool"),
          abi: CompensationPoolAbi,
          functionName: due.fn,
          args: [m.id],
        });
        ctx.notify((lang) => pageText("creditPaid", lang), "info");
      })();
    return html`<p class="credit">
      <button type="button" id="claim-credit" data-credit=${due.fn} @click=${onClick}>
        ${pageText(due.label, lang)}
      </button>
      <span class="muted">${pageText("creditWhy", lang)}</span>
    </p>`;
  };

  const view = () =>
    following === undefined
      ? nothing
      : html`<h2>${caseText("yourRequest", ctx.lang.get())} <span id="progress-id">#${following}</span></h2>
          <div id="progress-body" aria-live="polite">
            ${model && model.id === following ? renderTimeline(model, ctx.lang.get(), "stages") : nothing}
          </div>
          ${model && model.id === following ? credit(model) : nothing}
          <p id="progress-detail" class="muted">${detail}</p>`;

  function update() {
    host.hidden = following === undefined;
    render(view(), host);
  }

  function follow(id: bigint) {
    following = id;
    detail = "";
    window.clearInterval(timer);
    update();
    const tick = async () => {
      try {
        const t = await claimTimeline(ctx, id);
        if (following !== id) return;
        model = t;
        detail = "";
        chainNow = t.closed ? undefined : await ctx.chain.now().catch(() => undefined);
        onModel?.(t);
        // Nothing changes once closed and final; until then the tracker is asked again.
        if (t.closed && t.source.kind === "service" && !t.finalityPending) window.clearInterval(timer);
      } catch (error) {
        if (following !== id) return;
        detail = ctx.explain(error);
      }
      update();
    };
    void tick();
    timer = window.setInterval(() => void tick(), POLL_MS);
  }

  // The texts come from the service in the reader's language: ask again in the new one.
  ctx.lang.watch(() => {
    if (following !== undefined) follow(following);
  });
  update();
  return { follow };
}
