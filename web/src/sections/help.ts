/**
 * The help library: search in the reader's language; an article about something the station
 * compensates opens the claim form with its kind.
 */
import { html, nothing, render } from "lit-html";

import { type HelpSearchResponse, service } from "../api.js";
import type { Context } from "../context.js";
import { CLAIM_KINDS } from "../vocab.js";

type Result = HelpSearchResponse["results"][number];

export function mountHelp(host: HTMLElement, ctx: Context, askCompensation: (kind: number) => void) {
  let query: string | undefined;
  let results: Result[] | undefined;
  let failure: string | undefined;

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

  const article = (r: Result) => {
    const kind = r.claimFlow ? CLAIM_KINDS.indexOf(r.claimFlow.kind ?? "Other") : -1;
    return html`<article class="article" data-slug=${r.slug}>
      <h3>${r.title}</h3>
      <p class="answer">${r.answer}</p>
      <details>
        <summary>More</summary>
        <p class="details">${r.details}</p>
      </details>
      ${
        kind >= 0
          ? html`<button type="button" data-claim-kind=${kind} @click=${() => askCompensation(kind)}>
              Ask for compensation
            </button>`
          : nothing
      }
    </article>`;
  };

  const result = () => {
    if (failure !== undefined)
      return html`<p class="muted">The help library is unavailable right now (${failure}).</p>`;
    if (results === undefined) return nothing;
    return results.length
      ? results.map(article)
      : html`<p>No article matches; press the emergency button and a person will help.</p>`;
  };

  const onSubmit = (e: SubmitEvent) => {
    e.preventDefault();
    void search(String(new FormData(e.currentTarget as HTMLFormElement).get("q") ?? "").trim());
  };

  const view = () =>
    html`<h2>Help</h2>
      <form id="help-form" class="inline" @submit=${onSubmit}>
        <input name="q" placeholder="e.g. missing rewards" aria-label="Search the help" required />
        <button type="submit">Search</button>
      </form>
      <div id="help-result">${result()}</div>`;

  function update() {
    render(view(), host);
  }
  ctx.lang.watch(() => {
    if (query !== undefined) void search(query);
  });
  update();
}
