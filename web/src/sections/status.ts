/**
 * The station's figures from /v1/stats: open claims and those past their deadline, deadlines met
 * and median times per window; when the service is down, the pool's free balance from the chain.
 */
import { type TemplateResult, html, render } from "lit-html";

import { CompensationPoolAbi } from "../../../common/abis/CompensationPool.js";
import { type Language, type StatsResponse, service } from "../api.js";
import type { Context } from "../context.js";
import { C, plural } from "../format.js";
import { formatDuration, formatTime } from "../lang.js";

const REFRESH_MS = 30_000;
const WINDOW_LABELS: Record<string, string> = { "24h": "24 h", "7d": "7 days", all: "All time" };

type Window = StatsResponse["windows"][number];

const shareCell = (s: { due: number; met: number; share: number | null }) =>
  s.share === null
    ? html`<span class="muted">none due</span>`
    : html`${Math.round(s.share * 100)}%<br /><small>${s.met} of ${s.due}</small>`;

const durationCell = (d: { count: number; p50Seconds: number | null }) =>
  d.p50Seconds === null
    ? html`<span class="muted">—</span>`
    : html`${formatDuration(d.p50Seconds)}<br /><small>${plural(d.count, "claim")}</small>`;

const ROWS: [label: string, key: string, cell: (w: Window) => TemplateResult][] = [
  ["Answered in time", "response", (w) => shareCell(w.overall.response)],
  ["Resolved in time", "resolution", (w) => shareCell(w.overall.resolution)],
  ["Median time to accept", "accept", (w) => durationCell(w.overall.timeToAccept)],
  ["Median time to resolve", "resolve", (w) => durationCell(w.overall.timeToResolve)],
];

export function renderStats(stats: StatsResponse, lang: Language): TemplateResult {
  const open = stats.open;
  const stages = Object.entries(open.byStage)
    .map(([stage, n]) => `${stage} ${n}`)
    .join(" · ");
  const openText = ` open ${open.total === 1 ? "claim" : "claims"}, `;
  return html`<p>
      <strong data-figure="open-total">${open.total}</strong>${openText}<strong data-figure="open-overdue"
        >${open.overdue}</strong
      >
      past their deadline${open.total ? html` <span class="muted">(${stages})</span>` : ""}.
    </p>
    <table class="figures">
      <thead>
        <tr>
          <td></td>
          ${stats.windows.map((w) => html`<th scope="col">${WINDOW_LABELS[w.window] ?? w.window}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${ROWS.map(
          ([label, key, cell]) =>
            html`<tr>
              <th scope="row">${label}</th>
              ${stats.windows.map((w) => html`<td data-figure="${key}-${w.window}">${cell(w)}</td>`)}
            </tr>`,
        )}
      </tbody>
    </table>
    <p class="muted">
      Computed from the indexed chain at
      <span data-generated-at=${stats.generatedAt}>${formatTime(stats.generatedAt, lang)}</span>.
    </p>`;
}

type Assessors = Awaited<ReturnType<typeof service.statsAssessors>>["assessors"];
type Replies = Awaited<ReturnType<typeof service.statsReplies>>;

const short = (address: string) => `${address.slice(0, 6)}…${address.slice(-4)}`;
const percent = (share: number | null) => (share === null ? "—" : `${Math.round(share * 100)}%`);

/** Service judged by its record: each assessor's public figures, and how fast people get a first human reply. */
export function renderRecord(assessors: Assessors, replies: Replies): TemplateResult {
  const first = replies.firstReply.overall;
  return html`<p data-figure="first-reply">
      First human reply in a case:
      ${
        first.p50Seconds === null
          ? html`<span class="muted">no replies yet</span>`
          : html`<strong>${formatDuration(first.p50Seconds)}</strong> median over ${plural(first.count, "case")}`
      }.
    </p>
    ${
      assessors.length === 0
        ? html`<p class="muted">No assessor has handled a claim yet.</p>`
        : html`<table class="figures" id="assessor-record">
            <thead>
              <tr>
                <th scope="col">Assessor</th>
                <th scope="col">Claims</th>
                <th scope="col">Median to accept</th>
                <th scope="col">Answered in time</th>
                <th scope="col">Rating</th>
              </tr>
            </thead>
            <tbody>
              ${assessors.map(
                (a) =>
                  html`<tr data-assessor=${a.assessor}>
                    <th scope="row" title=${a.assessor}>${short(a.assessor)}</th>
                    <td>${a.claimsHandled}</td>
                    <td>${a.timeToAccept.p50Seconds === null ? "—" : formatDuration(a.timeToAccept.p50Seconds)}</td>
                    <td>${percent(a.withinResponseDeadline)}</td>
                    <td>
                      ${a.rating.mean === null ? "—" : html`${a.rating.mean} / 5 <small>(${a.rating.count})</small>`}
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }`;
}

export function mountStatus(host: HTMLElement, ctx: Context) {
  let body: TemplateResult | string = "Loading…";
  let record: TemplateResult | undefined;
  let loaded = false;

  async function load() {
    try {
      const stats = await service.stats();
      loaded = true;
      body = renderStats(stats, ctx.lang.get());
      record = await Promise.all([service.statsAssessors(), service.statsReplies()])
        .then(([a, r]) => renderRecord(a.assessors, r))
        .catch(() => html`<p class="muted">The assessors' record is unavailable right now.</p>`);
    } catch (error) {
      loaded = false;
      body = `Live figures are unavailable right now (${ctx.explain(error)}).`;
      const pool = ctx.config.addresses.pool;
      if (pool) {
        try {
          const free = await ctx.chain
            .reader()
            .readContract({ address: pool, abi: CompensationPoolAbi, functionName: "freeBalance" });
          body += ` On-chain: ${C(free)} available for compensation.`;
        } catch {
          // no chain either: the sentence above says what is missing
        }
      }
    }
    update();
  }

  const view = () =>
    html`<h2>Station status</h2>
      <div id="stats" class=${loaded ? "" : "muted"}>${body}</div>
      ${
        record === undefined
          ? ""
          : html`<h3>Who answers</h3>
              <div id="record">${record}</div>`
      }`;

  function update() {
    render(view(), host);
  }
  ctx.lang.watch(() => void load());
  update();
  void load();
  window.setInterval(() => void load(), REFRESH_MS);
}
