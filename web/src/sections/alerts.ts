/** Risk alerts operators posted, in the reader's language, refreshed every 30 s. */
import { html, render } from "lit-html";

import { type AlertListResponse, service } from "../api.js";
import type { Context } from "../context.js";
import { formatTime } from "../lang.js";

const REFRESH_MS = 30_000;

type Alert = AlertListResponse["alerts"][number];

export function mountAlerts(host: HTMLElement, ctx: Context) {
  let alerts: Alert[] | undefined;
  let failure: string | undefined;

  const item = (a: Alert) => {
    const lang = ctx.lang.get();
    const meta =
      `Posted ${formatTime(Date.parse(a.createdAt) / 1000, lang)}` +
      (a.expiresAt ? ` · until ${formatTime(Date.parse(a.expiresAt) / 1000, lang)}` : "") +
      (a.chains.length ? ` · chains: ${a.chains.join(", ")}` : "") +
      (a.kinds.length ? ` · affects: ${a.kinds.join(", ")}` : "");
    return html`<article class="alert severity-${a.severity}" data-id=${a.id}>
      <p><strong class="alert-title">${a.localized.title}</strong> <span class="badge">${a.severity}</span></p>
      <p class="alert-message">${a.localized.message}</p>
      <p class="muted">${meta}</p>
    </article>`;
  };

  const content = () => {
    if (failure !== undefined) return `Risk alerts are unavailable right now (${failure}).`;
    if (alerts === undefined) return "Loading…";
    return alerts.length ? alerts.map(item) : html`<p>No active risk alerts.</p>`;
  };

  const view = () =>
    html`<h2>Risk alerts</h2>
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

  ctx.lang.watch(() => void load());
  update();
  void load();
  window.setInterval(() => void load(), REFRESH_MS);
}
