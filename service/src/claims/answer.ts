/**
 * A claim's answer to GET /v1/claims/{id}, rendered once and filled in per request.
 *
 * A claim's view depends on the chain head (each stage's confirmations, the head block, how far a
 * stage not yet final is), on the time (seconds left, and whether each deadline still pending is on
 * track, at risk or breached) and on the reader's language (the texts). Most of those change in
 * steps: a deadline's state at two instants, whether a stage is final at a head. So the view is
 * rendered as JSON with a hole at each value that changes continuously (the head block, a count of
 * confirmations, seconds left, a text) and with the steps it was rendered at; while a request falls
 * on the same steps, it fills the holes — a few numbers and shared texts instead of building the
 * view and serialising it, and without the claimant's EIP-55 checksum (a keccak-256 per address
 * not yet remembered) on the request's path.
 *
 * A settled claim (paid, rejected or cancelled) no longer depends on the time at all, and once every
 * stage is final not on the steps of the head either: the claim cache renders its answer when it
 * stores it. An open claim's answer is rendered at its first read and again when a step is crossed.
 *
 * The holes are found by rendering the view itself (`claimView`, the same code the router runs)
 * with a marker in place of each such value, so a filled answer is the view's JSON byte for byte;
 * test/service/ClaimAnswer.ts checks that on random claims at many heads and times in every language.
 */
import { LANGUAGES, kindText, pendingFinalityText, stageText, stateText, type Language } from "./i18n.js";
import { CLOSED_STATUSES, deadlineState, SLA_STATES, type SlaState } from "./sla.js";
import { claimView, type TrackingPolicy } from "./view.js";
import {
  CLAIM_KINDS,
  CLAIM_STATUSES,
  type ChainHead,
  type ClaimRecord,
  type ClaimTimeline,
} from "../indexer/reader.js";

/** A text in every language, each already JSON-encoded; shared by every answer that uses it. */
type Texts = Readonly<Record<Language, string>>;

/**
 * What fills a hole: the head block; the confirmations of a block (its number); a text; the seconds
 * left to a deadline; or the text saying how far from final a stage in a block is.
 */
type Hole = typeof HEAD | bigint | Texts | { left: bigint } | { pendingIn: bigint };

const HEAD = Symbol("head block");

function textsOf(text: (lang: Language) => string): Texts {
  return Object.fromEntries(LANGUAGES.map((lang) => [lang, JSON.stringify(text(lang))])) as Texts;
}
const LANGUAGE_TEXTS = textsOf((lang) => lang);
const STAGE_TEXTS = new Map(CLAIM_STATUSES.map((s) => [s, textsOf((lang) => stageText(s, lang))]));
const KIND_TEXTS = new Map(CLAIM_KINDS.map((k) => [k, textsOf((lang) => kindText(k, lang))]));
const STATE_TEXTS = new Map(SLA_STATES.map((s) => [s, textsOf((lang) => stateText(s as SlaState, lang))]));

/** The marker a hole leaves in the rendered JSON: a string no claim field can hold (a NUL). */
const MARKER = /"\\u0000(\d+)"/g;

/**
 * The steps of the time a claim's view depends on, as one string: the state of its response and
 * resolution deadlines were they pending (the view judges by the time only those not reached), and
 * whether its payable time has passed. Two instants with the same steps give the same view but for
 * the seconds left.
 */
function timeSteps(claim: ClaimRecord, now: bigint, atRiskFraction: number): string {
  const state = (deadline: bigint) => deadlineState({ start: claim.submittedAt, deadline, now, atRiskFraction });
  const payable = claim.payableAt !== null && claim.payableAt <= now;
  return `${state(claim.responseDeadline)} ${state(claim.resolutionDeadline)} ${payable}`;
}

/**
 * A claim the cache holds, with the answer rendered for it: undefined until one is, null when its
 * view holds something the holes do not cover (it is then computed per request).
 */
export type HeldClaim = { readonly found: ClaimTimeline; answer: ClaimAnswer | null | undefined };

/**
 * GET /v1/claims/{id}'s body for a claim the cache holds: its answer filled in when it has one for
 * this head, time and policy; otherwise `{ lang, ...claimView(…) }` computed, and the answer
 * rendered again on `held` for the next read (when `render`).
 */
export function claimBody(
  held: HeldClaim,
  head: ChainHead,
  now: bigint,
  policy: TrackingPolicy,
  lang: Language,
  render: boolean,
): string {
  const filled = held.answer?.body(head, now, policy, lang);
  if (filled !== undefined) return filled;
  if (render && held.answer !== null) {
    held.answer = ClaimAnswer.of(held.found, policy, head, now) ?? null;
    const rendered = held.answer?.body(head, now, policy, lang);
    if (rendered !== undefined) return rendered;
  }
  const { claim, transitions } = held.found;
  return JSON.stringify({ lang, ...claimView(claim, transitions, head, now, policy, lang) });
}

export class ClaimAnswer {
  private constructor(
    /** The rendered JSON; the text around the holes lies between `bounds` (start and end of each piece). */
    private readonly json: string,
    private readonly bounds: readonly number[],
    /** What fills each hole, in order: one fewer than the pieces. */
    private readonly holes: readonly Hole[],
    private readonly policy: TrackingPolicy,
    /** The head blocks it answers for: from `headFrom`, and below `headUntil` when set. */
    readonly headFrom: bigint,
    readonly headUntil: bigint | undefined,
    /**
     * The claim and the time's steps it was rendered at (`timeSteps`); undefined for a settled claim,
     * which answers for any time (and then holds nothing of the claim's objects).
     */
    private readonly timed: { claim: ClaimRecord; steps: string } | undefined,
  ) {}

  /**
   * A settled claim's answer, for any time and every head from which all its stages are final;
   * undefined for a claim not settled, null for one whose view the holes do not cover.
   */
  static settled(found: ClaimTimeline, policy: TrackingPolicy): ClaimAnswer | null | undefined {
    const { claim, transitions } = found;
    if (!CLOSED_STATUSES.includes(claim.status)) return undefined;
    let newest = claim.updatedBlock;
    for (const t of transitions) if (t.blockNumber > newest) newest = t.blockNumber;
    if (claim.submittedBlock > newest) newest = claim.submittedBlock;
    const head: ChainHead = { number: newest + BigInt(Math.max(policy.finalityConfirmations, 1)) - 1n, timestamp: 0n };
    return ClaimAnswer.of(found, policy, head, claim.updatedAt) ?? null;
  }

  /**
   * The claim's answer rendered at `head` and `now`, or undefined when its view holds something the
   * holes do not cover.
   */
  static of(found: ClaimTimeline, policy: TrackingPolicy, head: ChainHead, now: bigint): ClaimAnswer | undefined {
    const { claim, transitions } = found;
    const settled = CLOSED_STATUSES.includes(claim.status);
    const view = claimView(claim, transitions, head, now, policy, "en");
    const required = BigInt(policy.finalityConfirmations);
    // The head's steps: each stage final or not as now. A stage in `block` has `confirmations`
    // (none below it) and becomes final at block + required - 1.
    let headFrom = 0n;
    let headUntil: bigint | undefined;
    const step = (block: bigint) => {
      if (required === 0n) return;
      const finalAt = block + required - 1n;
      if (head.number >= finalAt) {
        if (finalAt > headFrom) headFrom = finalAt;
      } else if (headUntil === undefined || finalAt < headUntil) headUntil = finalAt;
    };
    step(claim.updatedBlock);

    // Each value that changes within the steps is replaced by a marker naming its hole.
    const holes: Hole[] = [];
    const hole = (h: Hole) => `\u0000${holes.push(h) - 1}`;
    const root: Record<string, unknown> = { lang: hole(LANGUAGE_TEXTS), ...view };
    root.statusText = hole(STAGE_TEXTS.get(claim.status)!);
    root.kindText = hole(KIND_TEXTS.get(claim.kind)!);
    if (view.sla !== null) {
      if (settled) return undefined;
      root.sla = {
        ...view.sla,
        secondsLeft: hole({ left: BigInt(view.sla.deadline) }),
        stateText: hole(STATE_TEXTS.get(view.sla.state)!),
      };
    }
    root.finality = { ...view.finality, headBlock: hole(HEAD), confirmations: hole(claim.updatedBlock) };
    const timeline: Array<Record<string, unknown>> = [];
    for (const stage of view.timeline) {
      const marked: Record<string, unknown> = { ...stage, text: hole(STAGE_TEXTS.get(stage.stage)!) };
      if (stage.state !== null) {
        // A settled claim's deadline never reached would be judged by the time.
        if (settled && stage.reachedAt === null) return undefined;
        marked.stateText = hole(STATE_TEXTS.get(stage.state)!);
      }
      if (stage.confirmations !== null) {
        if (stage.blockNumber === null || !Number.isSafeInteger(stage.blockNumber)) return undefined;
        const block = BigInt(stage.blockNumber);
        step(block);
        marked.confirmations = hole(block);
        if (stage.finalityText !== null) marked.finalityText = hole({ pendingIn: block });
      }
      timeline.push(marked);
    }
    root.timeline = timeline;

    const json = JSON.stringify(root);
    const bounds: number[] = [];
    const ordered: Hole[] = [];
    let at = 0;
    for (const m of json.matchAll(MARKER)) {
      const h = holes[Number(m[1])];
      if (h === undefined) return undefined;
      ordered.push(h);
      bounds.push(at, m.index);
      at = m.index + m[0].length;
    }
    // Every hole exactly once (a marker is a NUL, which no claim field holds).
    if (ordered.length !== holes.length || new Set(json.match(MARKER)).size !== holes.length) return undefined;
    bounds.push(at, json.length);
    const timed = settled ? undefined : { claim, steps: timeSteps(claim, now, policy.atRiskFraction) };
    return new ClaimAnswer(json, bounds, ordered, policy, headFrom, headUntil, timed);
  }

  /**
   * The answer's JSON at `head` and `now` in `lang`, exactly as `{ lang, ...claimView(…) }`
   * serialises; undefined when they fall on other steps than it was rendered at (a stage became
   * final, a deadline's state changed, a reorg moved the head back) or under another policy.
   */
  body(head: ChainHead, now: bigint, policy: TrackingPolicy, lang: Language): string | undefined {
    const top = head.number;
    if (top < this.headFrom || (this.headUntil !== undefined && top >= this.headUntil)) return undefined;
    const rendered = this.policy;
    if (
      policy.finalityConfirmations !== rendered.finalityConfirmations ||
      policy.atRiskFraction !== rendered.atRiskFraction
    ) {
      return undefined;
    }
    const { timed } = this;
    if (timed !== undefined && timeSteps(timed.claim, now, policy.atRiskFraction) !== timed.steps) return undefined;
    const { json, bounds, holes } = this;
    let out = json.slice(bounds[0], bounds[1]);
    for (let i = 0; i < holes.length; i++) {
      out += fill(holes[i]!, top, now, rendered.finalityConfirmations, lang);
      out += json.slice(bounds[2 * i + 2], bounds[2 * i + 3]);
    }
    return out;
  }
}

/** A block's confirmations at head `top`, as the view counts them (none until the head reaches it). */
function confirmations(top: bigint, block: bigint): number {
  return top >= block ? Number(top - block) + 1 : 0;
}

function fill(h: Hole, top: bigint, now: bigint, required: number, lang: Language): string {
  if (typeof h === "bigint") return String(confirmations(top, h));
  if (h === HEAD) return String(top);
  if ("left" in h) return String(h.left - now);
  if ("pendingIn" in h) return JSON.stringify(pendingFinalityText(confirmations(top, h.pendingIn), required, lang));
  return h[lang];
}
