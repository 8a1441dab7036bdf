/**
 * The help library: search in the reader's language; an article about something the station
 * compensates opens the claim form with its kind. Each article asks "did this solve it?" once per
 * visit (the answer goes to the service, counted per article and language, never with who
 * answered); a "no" offers the emergency button with the article's kind (Other when it has none).
 */
import { html, nothing, render } from "lit-html";

import { type HelpSearchResponse, ServiceError, service } from "../api.js";
import type { Context } from "../context.js";
import { type HelpTextKey, helpText } from "../helpText.js";
import { CLAIM_KINDS } from "../vocab.js";

type Result = HelpSearchResponse["results"][number];
/** An article's "did this solve it?" on this visit: sending, or the answer given. */
type Answer = "sending" | "solved" | "not-solved";

export function mountHelp(host: HTMLElement, ctx: Context, askCompensation: (kind: number) => void) {
  let query: string | undefined;
  let results: Result[] | undefined;
  let failure: string | undefined;
  /** One answer per article per visit, whichever search showed it. */
  const answers = new Map<string, Answer>();

  const t = (key: HelpTextKey, values?: Record<string, string>) => helpText(key, ctx.lang.get(), values);

  async function search(q: string) {
    query = q;
    try {
      results = (await service.help(q, ctx.lang.get())).results;
      failure = undefined;
    } catch (error) {
      failure = ctx.explain(error);
    }
    update();
  }

  async function answer(r: Result, solved: boolean) {
    if (answers.has(r.slug)) return;
    answers.set(r.slug, "sending");
    update();
    try {
      await service.helpFeedback(r.slug, solved, r.lang);
      answers.set(r.slug, solved ? "solved" : "not-solved");
    } catch (error) {
      // 429: this client answered for this article already (another tab): the answer stands.
      if (error instanceof ServiceError && error.status === 429) answers.set(r.slug, solved ? "solved" : "not-solved");
      else {
        answers.delete(r.slug);
        ctx.notify(ctx.explain(error), "error");
      }
    }
    update();
  }

  const feedback = (r: Result, kind: number) => {
    const given = answers.get(r.slug);
    if (given === "solved")
      return html`<p class="feedback" data-feedback="solved" role="status">${t("thanksSolved")}</p>`;
    if (given === "not-solved") {
      // Not compensated by the station: the emergency button still reaches a person.
      const emergencyKind = kind >= 0 ? kind : CLAIM_KINDS.indexOf("Other");
      return html`<p class="feedback" data-feedback="not-solved" role="status">
        ${t("thanksNotSolved")}
        <button
          type="button"
          class="sos-inline"
          data-emergency-kind=${emergencyKind}
          @click=${() => askCompensation(emergencyKind)}
        >
          ${t("emergency")}
        </button>
      </p>`;
    }
    return html`<p class="feedback" data-feedback="ask">
      ${t("solvedQuestion")}
      <button
        type="button"
        class="secondary"
        data-solved="yes"
        ?disabled=${given === "sending"}
        @click=${() => void answer(r, true)}
      >
        ${t("yes")}
      </button>
      <button
        type="button"
        class="secondary"
        data-solved="no"
        ?disabled=${given === "sending"}
        @click=${() => void answer(r, false)}
      >
        ${t("no")}
      </button>
    </p>`;
  };

  const article = (r: Result) => {
    const kind = r.claimFlow ? CLAIM_KINDS.indexOf(r.claimFlow.kind ?? "Other") : -1;
    return html`<article class="article" data-slug=${r.slug}>
      <h3>${r.title}</h3>
      <p class="answer">${r.answer}</p>
      <details>
        <summary>${t("more")}</summary>
        <p class="details">${r.details}</p>
      </details>
      ${
        kind >= 0
          ? html`<button type="button" data-claim-kind=${kind} @click=${() => askCompensation(kind)}>
              ${t("compensation")}
            </button>`
          : nothing
      }
      ${feedback(r, kind)}
    </article>`;
  };

  const result = () => {
    if (failure !== undefined) return html`<p class="muted">${t("unavailable", { reason: failure })}</p>`;
    if (results === undefined) return nothing;
    return results.length ? results.map(article) : html`<p>${t("noMatch")}</p>`;
  };

  const onSubmit = (e: SubmitEvent) => {
    e.preventDefault();
    void search(String(new FormData(e.currentTarget as HTMLFormElement).get("q") ?? "").trim());
  };

  const view = () =>
    html`<h2>${t("title")}</h2>
      <form id="help-form" class="inline" @submit=${onSubmit}>
        <input name="q" placeholder=${t("placeholder")} aria-label=${t("searchLabel")} required />
        <button type="submit">${t("search")}</button>
      </form>
      <div id="help-result">${result()}</div>`;

  function update() {
    render(view(), host);
  }
  ctx.lang.watch(() => {
    if (query !== undefined) void search(query);
    else update();
  });
  update();
}
