/**
 * A claim's progress as the page shows it: one model filled from the service's tracking view
 * (texts in the reader's language, each stage's deadline and its state, finality, tier, amounts)
 * or — when the service is unreachable or has not indexed the claim yet — from the chain alone,
 * which says so.
 */
import { formatUnits } from "viem";

import type { ClaimResponse, ClaimStatus, Language, SlaState } from "./api.js";
import { formatRelative, formatTime } from "./lang.js";

export const esc = (s: unknown) => String(s ?? "").replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
export const C = (wei: bigint | string) => `${formatUnits(BigInt(wei), 18)} C`;

/** Staking tiers by index (ignition/modules/staking.ts names them). */
export const TIER_NAMES = ["Standard", "Priority", "Premier"];
export const tierName = (level: number) => TIER_NAMES[level] ?? `Tier ${level}`;

/** The contract's ClaimStatus order (0 = None). */
export const CHAIN_STATUS: readonly ("None" | ClaimStatus)[] = [
  "None",
  "Submitted",
  "Accepted",
  "Investigating",
  "Approved",
  "Paid",
  "Rejected",
  "Cancelled",
];

/** English stage names for the chain fallback; the service's texts (service/src/tracking/i18n.ts) win when it answers. */
const FALLBACK_TEXT: Record<ClaimStatus, string> = {
  Submitted: "Request received",
  Accepted: "Customer service has accepted the request",
  Investigating: "A technician is investigating",
  Approved: "Solution sent — compensation approved",
  Paid: "Compensation credited",
  Rejected: "Closed: the request was rejected",
  Cancelled: "Closed: cancelled by the requester",
};
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
  /** "service": the station's tracker answered; "chain": read from the contract, with the reason. */
  source: { kind: "service" } | { kind: "chain"; reason: string };
  status: ClaimStatus;
  statusText: string;
  /** Paid, rejected or cancelled: nothing will change any more. */
  closed: boolean;
  tier: { level: number; slaFactorBps: number | null; priority: boolean };
  amounts: { requested: string; approved?: string; lateCredit?: string; paid?: string };
  /** The deadline the claim waits on now. */
  sla: { kind: string; deadline: number; state: SlaState | null; stateText: string | null } | null;
  finalityPending: boolean;
  stages: StageRow[];
};

const isClosed = (status: ClaimStatus) => status === "Paid" || status === "Rejected" || status === "Cancelled";

export function fromService(id: bigint, body: ClaimResponse): TimelineModel {
  return {
    id,
    source: { kind: "service" },
    status: body.status,
    statusText: body.statusText,
    closed: isClosed(body.status),
    tier: body.tier,
    amounts: body.amounts,
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
  status: number;
  tier: number;
  amount: bigint;
  responseDeadline: number;
  payableAt: number;
};

export function fromChain(id: bigint, claim: ChainClaim, reason: string): TimelineModel {
  const status = CHAIN_STATUS[claim.status];
  if (status === undefined || status === "None") throw new Error(`There is no claim #${id}.`);
  const closedAs = status === "Rejected" || status === "Cancelled" ? status : undefined;
  const at = PATH.indexOf(status);
  const stages: StageRow[] = PATH.filter((_, i) => !closedAs || i === 0).map((stage, i) => ({
    stage,
    text: FALLBACK_TEXT[stage],
    reached: closedAs ? i === 0 : i <= at,
    reachedAt: null,
    deadline: stage === "Accepted" ? claim.responseDeadline : null,
    deadlineKind: stage === "Accepted" ? "response" : null,
    state: null,
    stateText: null,
    finalityText: null,
  }));
  if (closedAs) stages.push({ ...stages[0]!, stage: closedAs, text: FALLBACK_TEXT[closedAs], deadline: null });
  return {
    id,
    source: { kind: "chain", reason },
    status,
    statusText: FALLBACK_TEXT[status],
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

const DEADLINE_LABEL: Record<string, string> = {
  response: "Answer due",
  resolution: "Resolution due",
  payable: "Paid out from",
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
  const relative = reached ? "" : ` (${esc(formatRelative(deadline - now, lang))})`;
  return `${DEADLINE_LABEL[kind ?? ""] ?? "Deadline"} ${esc(formatTime(deadline, lang))}${relative}${
    stateText ? ` — ${esc(stateText)}` : ""
  }`;
}

/** The progress view as HTML; the stage list gets `stagesId` when given (the live view's #stages). */
export function renderTimeline(t: TimelineModel, lang: Language, stagesId?: string): string {
  // The current stage is the claim's status; stages before it are done.
  const items = t.stages.map((s) => {
    const cls = s.stage === t.status ? "current" : s.reached ? "done" : "todo";
    const meta: string[] = [];
    if (s.reachedAt !== null) meta.push(`<span class="when">${esc(formatTime(s.reachedAt, lang))}</span>`);
    if (s.deadline !== null) {
      meta.push(
        `<span class="deadline state-${esc(s.state ?? "unknown")}" data-state="${esc(s.state ?? "")}">${deadlineLine(
          s.deadlineKind,
          s.deadline,
          s.stateText,
          lang,
          s.reached,
        )}</span>`,
      );
    }
    if (s.finalityText) meta.push(`<span class="finality">${esc(s.finalityText)}</span>`);
    return (
      `<li class="${cls}" data-stage="${esc(s.stage)}"><span class="stage-text">${esc(s.text)}</span>${
        s.reached ? ' <span aria-hidden="true">✓</span>' : ""
      }` +
      (meta.length ? `<br>${meta.join("<br>")}` : "") +
      "</li>"
    );
  });
  const amounts = [`${esc(C(t.amounts.requested))} requested`];
  if (t.amounts.approved && t.amounts.approved !== "0") amounts.push(`${esc(C(t.amounts.approved))} approved`);
  if (t.amounts.lateCredit && t.amounts.lateCredit !== "0") {
    amounts.push(`${esc(C(t.amounts.lateCredit))} late-response credit`);
  }
  if (t.amounts.paid && t.amounts.paid !== "0") amounts.push(`${esc(C(t.amounts.paid))} paid`);
  const tier =
    `${esc(tierName(t.tier.level))} tier` +
    (t.tier.slaFactorBps !== null && t.tier.slaFactorBps < 10_000
      ? ` (deadlines at ${t.tier.slaFactorBps / 100}% of standard)`
      : "");
  const source =
    t.source.kind === "service"
      ? `<p class="source">Live from the station's tracker.${
          t.finalityPending ? " The latest step is pending finality." : ""
        }</p>`
      : `<p class="source fallback">Read directly from the chain: ${esc(t.source.reason)}. ` +
        "Deadline states and texts in your language appear once the tracker has it.</p>";
  const sla =
    t.sla && !t.closed
      ? `<p class="sla state-${esc(t.sla.state ?? "unknown")}">${deadlineLine(t.sla.kind, t.sla.deadline, t.sla.stateText, lang)}</p>`
      : "";
  return (
    source +
    `<p class="summary"><strong class="status-text">${esc(t.statusText)}</strong><br>` +
    `<span class="tier">${tier}</span> · <span class="amounts">${amounts.join(" · ")}</span></p>` +
    sla +
    `<ol class="stages"${stagesId ? ` id="${esc(stagesId)}"` : ""}>${items.join("")}</ol>`
  );
}
