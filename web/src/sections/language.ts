/** The header's language picker: the choice is remembered and every section re-renders in it. */
import { html, render } from "lit-html";
import { live } from "lit-html/directives/live.js";

import type { Language } from "../api.js";
import { LANGUAGES, rememberLanguage, servedLanguage } from "../lang.js";
import type { Watched } from "../state.js";

export function mountLanguage(host: HTMLElement, lang: Watched<Language>) {
  const changed = (e: Event) => {
    const next = servedLanguage((e.target as HTMLSelectElement).value);
    if (next) lang.set(next);
  };
  const view = () =>
    html`<label class="lang"
      ><span class="visually-hidden">Language</span>
      <select id="lang" aria-label="Language" .value=${live(lang.get())} @change=${changed}>
        ${LANGUAGES.map((l) => html`<option value=${l.code} ?selected=${l.code === lang.get()}>${l.name}</option>`)}
      </select></label
    >`;
  const apply = (next: Language) => {
    document.documentElement.lang = next;
    rememberLanguage(next);
    render(view(), host);
  };
  lang.watch(apply);
  document.documentElement.lang = lang.get();
  render(view(), host);
}
