/** Risk alerts operators posted, in the reader's language, refreshed every 30 s. */
import { html, render } from "lit-html";

import { type AlertListResponse, type Language, service } from "../api.js";
import type { Context } from "../context.js";
import { formatTime } from "../lang.js";
import { pageText } from "../pageText.js";
import { stationText } from "../stationText.js";

const REFRESH_MS = 30_000;

type Alert = AlertListResponse["alerts"][number];

/** An alert's severity in the reader's words (one the page does not know stays as sent). */
const SEVERITY = { info: "severityInfo", warning: "severityWarning", critical: "severityCritical" } as const;
const severity = (value: string, lang: Language) =>
  value in SEVERITY ? stationText(SEVERITY[value as keyof typeof SEVERITY], lang) : value;

export function mountAlerts(host: HTMLElement, ctx: Context) {
  let alerts: Alert[] | undefined;
  let failure: string | undefined;

  const item = (a: Alert) => {
    const lang = ctx.lang.get();
    const time = (iso: string) => formatTime(Date.parse(iso) / 1000, lang);
    const meta =
      stationText("posted", lang, { time: time(a.createdAt) }) +
      (a.expiresAt ? stationText("until", lang, { time: time(a.expiresAt) }) : "") +
      (a.chains.length ? stationText("chains", lang, { list: a.chains.join(", ") }) : "") +
      (a.kinds.length ? stationText("affects", lang, { list: a.kinds.join(", ") }) : "");
    return html`<article class="alert severity-${a.severity}" data-id=${a.id}>
      <p>
        <strong class="alert-title">${a.localized.title}</strong>
        <span class="badge">${severity(a.severity, lang)}</span>
      </p>
      <p class="alert-message">${a.localized.message}</p>
      <p class="muted">${meta}</p>
    </article>`;
  };

  const content = () => {
    const lang = ctx.lang.get();
    if (failure !== undefined) return stationText("alertsUnavailable", lang, { error: failure });
    if (alerts === undefined) return pageText("loading", lang);
    return alerts.length ? alerts.map(item) : html`<p>${stationText("noAlerts", lang)}</p>`;
  };

  const view = () =>
    html`<h2>${stationText("alertsTitle", ctx.lang.get())}</h2>
      <div id="alerts" class=${alerts ? "" : "muted"}>${content()}</div>`;

  function update() {
    render(view(), host);
  }

  async function load() {
    try {
      alerts = (await service.alerts(ctx.lang.get())).alerts;
      failure = undefined;
    } catch (error) {
      failure = ctx.explain(error);
    }
    update();
  }

  // The page's words at once; the alerts' own texts are asked again in the new language.
  ctx.lang.watch(() => {
    update();
    void load();
  });
  update();
  void load();
  window.setInterval(() => void load(), REFRESH_MS);
}
