/**
 * A claim's progress as the page shows it: one model filled from the service's tracking view
 * (texts in the reader's language, each stage's deadline and its state, finality, tier, amounts)
 * or — when the service is unreachable or has not indexed the claim yet — from the chain alone,
 * which says so.
 */
import { type TemplateResult, html, nothing } from "lit-html";
import { ifDefined } from "lit-html/directives/if-defined.js";
import { type Address, getAddress } from "viem";

import type { ClaimResponse, ClaimStatus, Language, SlaState } from "./api.js";
import { C } from "./format.js";
import { stageText } from "../../service/src/claims/i18n.js";
import { formatRelative, formatTime } from "./lang.js";
import { type PageTextKey, pageText } from "./pageText.js";
import { tierName } from "./stationText.js";
import { CHAIN_STATUS } from "./vocab.js";

const PATH: ClaimStatus[] = ["Submitted", "Accepted", "Investigating", "Approved", "Paid"];

export type StageRow = {
  stage: ClaimStatus;
  text: string;
  reached: boolean;
  reachedAt: number | null;
  deadline: number | null;
  deadlineKind: "response" | "resolution" | null;
  state: SlaState | null;
  stateText: string | null;
  finalityText: string | null;
};

export type TimelineModel = {
  id: bigint;
  claimant: Address;
  /** "service": the station's tracker answered; "chain": read from the contract, with the reason. */
  source: { kind: "service" } | { kind: "chain"; reason: string };
  status: ClaimStatus;
  statusText: string;
  /** Paid, rejected or cancelled: nothing will change any more. */
  closed: boolean;
  tier: { level: number; slaFactorBps: number | null; priority: boolean };
  amounts: {
    requested: string;
    approved?: string;
    lateCredit?: string;
    noResponseCredit?: string;
    resolutionCredit?: string;
    paid?: string;
  };
  /** Unix seconds (absent when read from the chain). */
  deadlines?: { response: number; resolution: number };
  /** The deadline the claim waits on now. */
  sla: { kind: string; deadline: number; state: SlaState | null; stateText: string | null } | null;
  finalityPending: boolean;
  stages: StageRow[];
};

const isClosed = (status: ClaimStatus) => status === "Paid" || status === "Rejected" || status === "Cancelled";

export function fromService(id: bigint, body: ClaimResponse): TimelineModel {
  return {
    id,
    claimant: getAddress(body.claimant),
    source: { kind: "service" },
    status: body.status,
    statusText: body.statusText,
    closed: isClosed(body.status),
    tier: body.tier,
    amounts: body.amounts,
    deadlines: body.deadlines,
    sla: body.sla && {
      kind: body.sla.deadlineKind,
      deadline: body.sla.deadline,
      state: body.sla.state,
      stateText: body.sla.stateText,
    },
    finalityPending: body.finality.pending,
    stages: body.timeline.map((s) => ({
      stage: s.stage,
      text: s.text,
      reached: s.reached,
      reachedAt: s.reachedAt,
      deadline: s.deadline,
      deadlineKind: s.deadlineKind,
      state: s.state,
      stateText: s.stateText,
      finalityText: s.pendingFinality ? s.finalityText : null,
    })),
  };
}

export type ChainClaim = {
  claimant: Address;
  status: number;
  tier: number;
  amount: bigint;
  responseDeadline: number;
  payableAt: number;
};

/** The claim as the contract holds it, with the stage texts in `lang` (the service's texts). */
export function fromChain(id: bigint, claim: ChainClaim, reason: string, lang: Language): TimelineModel {
  const status = CHAIN_STATUS[claim.status];
  if (status === undefined || status === "None") throw new Error(pageText("noClaim", lang, { id }));
  const closedAs = status === "Rejected" || status === "Cancelled" ? status : undefined;
  const at = PATH.indexOf(status);
  const stages: StageRow[] = PATH.filter((_, i) => !closedAs || i === 0).map((stage, i) => ({
    stage,
    text: stageText(stage, lang),
    reached: closedAs ? i === 0 : i <= at,
    reachedAt: null,
    deadline: stage === "Accepted" ? claim.responseDeadline : null,
    deadlineKind: stage === "Accepted" ? "response" : null,
    state: null,
    stateText: null,
    finalityText: null,
  }));
  if (closedAs) stages.push({ ...stages[0]!, stage: closedAs, text: stageText(closedAs, lang), deadline: null });
  return {
    id,
    claimant: claim.claimant,
    source: { kind: "chain", reason },
    status,
    statusText: stageText(status, lang),
    closed: isClosed(status),
    tier: { level: claim.tier, slaFactorBps: null, priority: claim.tier > 0 },
    amounts: { requested: claim.amount.toString() },
    sla:
      status === "Submitted"
        ? { kind: "response", deadline: claim.responseDeadline, state: null, stateText: null }
        : status === "Approved" && claim.payableAt > 0
          ? { kind: "payable", deadline: claim.payableAt, state: null, stateText: null }
          : null,
    finalityPending: false,
    stages,
  };
}

const DEADLINE_LABEL: Record<string, PageTextKey> = {
  response: "deadlineResponse",
  resolution: "deadlineResolution",
  payable: "deadlinePayable",
};

/** "Answer due <time> (in 10 minutes) — On track"; once the stage is reached, no countdown. */
function deadlineLine(
  kind: string | null,
  deadline: number,
  stateText: string | null,
  lang: Language,
  reached = false,
) {
  const now = Math.floor(Date.now() / 1000);
  const relative = reached ? "" : ` (${formatRelative(deadline - now, lang)})`;
  return `${pageText(DEADLINE_LABEL[kind ?? ""] ?? "deadline", lang)} ${formatTime(deadline, lang)}${relative}${
    stateText ? ` — ${stateText}` : ""
  }`;
}

function stageItem(s: StageRow, t: TimelineModel, lang: Language) {
  // The current stage is the claim's status; stages before it are done.
  const cls = s.stage === t.status ? "current" : s.reached ? "done" : "todo";
  const meta: TemplateResult[] = [];
  if (s.reachedAt !== null) meta.push(html`<span class="when">${formatTime(s.reachedAt, lang)}</span>`);
  if (s.deadline !== null) {
    meta.push(
      html`<span class="deadline state-${s.state ?? "unknown"}" data-state=${s.state ?? ""}
        >${deadlineLine(s.deadlineKind, s.deadline, s.stateText, lang, s.reached)}</span
      >`,
    );
  }
  if (s.finalityText) meta.push(html`<span class="finality">${s.finalityText}</span>`);
  return html`<li class=${cls} data-stage=${s.stage}>
    <span class="stage-text">${s.text}</span>${s.reached ? html` <span aria-hidden="true">✓</span>` : nothing}
    ${meta.map((m) => html`<br />${m}`)}
  </li>`;
}

/** The progress view; the stage list gets `stagesId` when given (the live view's #stages). */
export function renderTimeline(t: TimelineModel, lang: Language, stagesId?: string): TemplateResult {
  const amount = (key: PageTextKey, value: string) => pageText(key, lang, { amount: C(value) });
  const amounts = [amount("requested", t.amounts.requested)];
  if (t.amounts.approved && t.amounts.approved !== "0") amounts.push(amount("approved", t.amounts.approved));
  if (t.amounts.lateCredit && t.amounts.lateCredit !== "0") amounts.push(amount("lateCredit", t.amounts.lateCredit));
  if (t.amounts.paid && t.amounts.paid !== "0") amounts.push(amount("paid", t.amounts.paid));
  const tier =
    pageText("tier", lang, { tier: tierName(t.tier.level, lang) }) +
    (t.tier.slaFactorBps !== null && t.tier.slaFactorBps < 10_000
      ? pageText("tierFaster", lang, { percent: t.tier.slaFactorBps / 100 })
      : "");
  const source =
    t.source.kind === "service"
      ? html`<p class="source">
          ${pageText("live", lang)}${t.finalityPending ? ` ${pageText("finalityPending", lang)}` : ""}
        </p>`
      : html`<p class="source fallback">${pageText("fromChain", lang, { reason: t.source.reason })}</p>`;
  const sla =
    t.sla && !t.closed
      ? html`<p class="sla state-${t.sla.state ?? "unknown"}">
          ${deadlineLine(t.sla.kind, t.sla.deadline, t.sla.stateText, lang)}
        </p>`
      : nothing;
  return html`${source}
    <p class="summary">
      <strong class="status-text">${t.statusText}</strong><br />
      <span class="tier">${tier}</span> · <span class="amounts">${amounts.join(" · ")}</span>
    </p>
    ${sla}
    <ol class="stages" id=${ifDefined(stagesId)}>
      ${t.stages.map((s) => stageItem(s, t, lang))}
    </ol>`;
}
