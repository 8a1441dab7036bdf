/**
 * The station's figures from /v1/stats: open claims and those past their deadline, deadlines met
 * and median times per window; when the service is down, the pool's free balance from the chain.
 */
import { type TemplateResult, html, render } from "lit-html";

import { CompensationPoolAbi } from "../../../common/abis/CompensationPool.js";
import { type Language, type StatsResponse, service } from "../api.js";
import type { Context } from "../context.js";
import { C } from "../format.js";
import { formatDuration, formatTime } from "../lang.js";
import { pageText } from "../pageText.js";
import { type StationTextKey, counted, stationText } from "../stationText.js";
import { withParts } from "../text.js";

const REFRESH_MS = 30_000;
const WINDOW_LABELS: Record<string, StationTextKey> = { "24h": "window24h", "7d": "window7d", all: "windowAll" };
const STAGE_LABELS: Record<string, StationTextKey> = {
  Submitted: "stageSubmitted",
  Accepted: "stageAccepted",
  Investigating: "stageInvestigating",
  Approved: "stageApproved",
};

type Window = StatsResponse["windows"][number];

/** A window's or stage's name in the reader's words (one the page does not know stays as sent). */
const named = (labels: Record<string, StationTextKey>, value: string, lang: Language) => {
  const key = labels[value];
  return key ? stationText(key, lang) : value;
};

const shareCell = (s: { due: number; met: number; share: number | null }, lang: Language) =>
  s.share === null
    ? html`<span class="muted">${stationText("noneDue", lang)}</span>`
    : html`${Math.round(s.share * 100)}%<br /><small>${stationText("metOf", lang, { met: s.met, due: s.due })}</small>`;

const durationCell = (d: { count: number; p50Seconds: number | null }, lang: Language) =>
  d.p50Seconds === null
    ? html`<span class="muted">—</span>`
    : html`${formatDuration(d.p50Seconds, lang)}<br /><small>${counted(d.count, "claims", lang)}</small>`;

const ROWS: [label: StationTextKey, key: string, cell: (w: Window, lang: Language) => TemplateResult][] = [
  ["answeredInTime", "response", (w, lang) => shareCell(w.overall.response, lang)],
  ["resolvedInTime", "resolution", (w, lang) => shareCell(w.overall.resolution, lang)],
  ["medianToAccept", "accept", (w, lang) => durationCell(w.overall.timeToAccept, lang)],
  ["medianToResolve", "resolve", (w, lang) => durationCell(w.overall.timeToResolve, lang)],
];

export function renderStats(stats: StatsResponse, lang: Language): TemplateResult {
  const open = stats.open;
  const stages = Object.entries(open.byStage)
    .map(([stage, n]) => `${named(STAGE_LABELS, stage, lang)} ${n}`)
    .join(" · ");
  return html`<p>
      ${withParts(stationText(open.total === 1 ? "openOne" : "openMany", lang), {
        total: html`<strong data-figure="open-total">${open.total}</strong>`,
        overdue: html`<strong data-figure="open-overdue">${open.overdue}</strong>`,
        stages: open.total ? html` <span class="muted">(${stages})</span>` : html``,
      })}
    </p>
    <table class="figures">
      <thead>
        <tr>
          <td></td>
          ${stats.windows.map((w) => html`<th scope="col">${named(WINDOW_LABELS, w.window, lang)}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${ROWS.map(
          ([label, key, cell]) =>
            html`<tr>
              <th scope="row">${stationText(label, lang)}</th>
              ${stats.windows.map((w) => html`<td data-figure="${key}-${w.window}">${cell(w, lang)}</td>`)}
            </tr>`,
        )}
      </tbody>
    </table>
    <p class="muted">
      ${withParts(stationText("computedAt", lang), {
        time: html`<span data-generated-at=${stats.generatedAt}>${formatTime(stats.generatedAt, lang)}</span>`,
      })}
    </p>`;
}

type Assessors = Awaited<ReturnType<typeof service.statsAssessors>>["assessors"];
type Replies = Awaited<ReturnType<typeof service.statsReplies>>;

const short = (address: string) => `${address.slice(0, 6)}…${address.slice(-4)}`;
const percent = (share: number | null) => (share === null ? "—" : `${Math.round(share * 100)}%`);

/** Service judged by its record: each assessor's public figures, and how fast people get a first human reply. */
export function renderRecord(assessors: Assessors, replies: Replies, lang: Language): TemplateResult {
  const first = replies.firstReply.overall;
  const t = (key: StationTextKey) => stationText(key, lang);
  return html`<p data-figure="first-reply">
      ${withParts(t("firstReply"), {
        value:
          first.p50Seconds === null
            ? html`<span class="muted">${t("noReplies")}</span>`
            : withParts(stationText("medianOver", lang, { cases: counted(first.count, "cases", lang) }), {
                duration: html`<strong>${formatDuration(first.p50Seconds, lang)}</strong>`,
              }),
      })}
    </p>
    ${
      assessors.length === 0
        ? html`<p class="muted">${t("noAssessor")}</p>`
        : html`<table class="figures" id="assessor-record" role="table">
            <thead role="rowgroup">
              <tr role="row">
                <th scope="col" role="columnheader">${t("assessor")}</th>
                <th scope="col" role="columnheader">${t("claims")}</th>
                <th scope="col" role="columnheader">${t("medianAccept")}</th>
                <th scope="col" role="columnheader">${t("answeredInTime")}</th>
                <th scope="col" role="columnheader">${t("rating")}</th>
              </tr>
            </thead>
            <tbody role="rowgroup">
              ${assessors.map(
                (a) =>
                  html`<tr role="row" data-assessor=${a.assessor}>
                    <th scope="row" role="rowheader" title=${a.assessor}>${short(a.assessor)}</th>
                    <td role="cell" data-label=${t("claims")}>${a.claimsHandled}</td>
                    <td role="cell" data-label=${t("medianAccept")}>
                      ${a.timeToAccept.p50Seconds === null ? "—" : formatDuration(a.timeToAccept.p50Seconds, lang)}
                    </td>
                    <td role="cell" data-label=${t("answeredInTime")}>${percent(a.withinResponseDeadline)}</td>
                    <td role="cell" data-label=${t("rating")}>
                      ${a.rating.mean === null ? "—" : html`${a.rating.mean} / 5 <small>(${a.rating.count})</small>`}
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }`;
}

export function mountStatus(host: HTMLElement, ctx: Context) {
  /** The last answers, kept as data: a language change renders them again at once. */
  let stats: StatsResponse | undefined;
  let record: { assessors: Assessors; replies: Replies } | "unavailable" | undefined;
  let failure: { error: string; free?: bigint } | undefined;

  async function load() {
    try {
      stats = await service.stats();
      failure = undefined;
      record = await Promise.all([service.statsAssessors(), service.statsReplies()])
        .then(([a, replies]) => ({ assessors: a.assessors, replies }))
        .catch(() => "unavailable" as const);
    } catch (error) {
      stats = undefined;
      failure = { error: ctx.explain(error) };
      const pool = ctx.config.addresses.pool;
      if (pool) {
        try {
          failure.free = await ctx.chain
            .reader()
            .readContract({ address: pool, abi: CompensationPoolAbi, functionName: "freeBalance" });
        } catch {
          // no chain either: the sentence above says what is missing
        }
      }
    }
    update();
  }

  const body = (lang: Language): TemplateResult | string => {
    if (stats) return renderStats(stats, lang);
    if (failure === undefined) return pageText("loading", lang);
    return (
      stationText("figuresUnavailable", lang, { error: failure.error }) +
      (failure.free === undefined ? "" : stationText("freeOnChain", lang, { amount: C(failure.free) }))
    );
  };
  const recordView = (shown: NonNullable<typeof record>, lang: Language) =>
    shown === "unavailable"
      ? html`<p class="muted">${stationText("recordUnavailable", lang)}</p>`
      : renderRecord(shown.assessors, shown.replies, lang);

  const view = () => {
    const lang = ctx.lang.get();
    return html`<h2>${stationText("statusTitle", lang)}</h2>
      <div id="stats" class=${stats ? "" : "muted"}>${body(lang)}</div>
      ${
        record === undefined
          ? ""
          : html`<h3>${stationText("whoAnswers", lang)}</h3>
              <div id="record">${recordView(record, lang)}</div>`
      }`;
  };

  function update() {
    render(view(), host);
  }
  // The figures are numbers: a language change only says them again in the new words.
  ctx.lang.watch(update);
  update();
  void load();
  window.setInterval(() => void load(), REFRESH_MS);
}
