/**
 * A settled claim's answer to GET /v1/claims/{id}, rendered once and filled in per request.
 *
 * Most claims are settled (paid, rejected or cancelled) and their stages final, and a settled
 * claim's view no longer depends on the time: every deadline is decided and none is pending. It
 * still depends on the chain head (each stage's confirmations, the head block) and on the reader's
 * language (the texts). So the view is rendered once, as JSON with a hole at each of those values,
 * and a request fills the holes: a few numbers and shared texts instead of building the view
 * and serialising it — and, for claims read rarely, without the claimant's EIP-55 checksum (a
 * keccak-256 per address not yet remembered) on the request's path.
 *
 * The holes are found by rendering the view itself (`claimView`, the same code the router runs)
 * with a marker in place of each such value, so the filled answer is the view's JSON byte for byte;
 * test/service/ClaimAnswer.ts checks that on random claims at many heads in every language. A claim
 * that is not settled, or a head below the one from which every stage is final, gets no rendered
 * answer: the view is computed per request as before.
 */
import { LANGUAGES, kindText, stageText, stateText, type Language } from "./i18n.js";
import { CLOSED_STATUSES, SLA_STATES, type SlaState } from "./sla.js";
import { claimView, type TrackingPolicy } from "./view.js";
import { CLAIM_KINDS, CLAIM_STATUSES, type ChainHead, type ClaimTimeline } from "../indexer/reader.js";

/** A text in every language, each already JSON-encoded; shared by every answer that uses it. */
type Texts = Readonly<Record<Language, string>>;

/** What fills a hole: the head block, the confirmations of a block (its number), or a text. */
type Hole = typeof HEAD | bigint | Texts;

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
 * GET /v1/claims/{id}'s body for a claim as the cache holds it: its rendered answer filled in when
 * it has one that answers at `head` under `policy`, else `{ lang, ...claimView(…) }` computed.
 */
export function claimBody(
  found: ClaimTimeline,
  answer: ClaimAnswer | undefined,
  head: ChainHead,
  now: bigint,
  policy: TrackingPolicy,
  lang: Language,
): string {
  const rendered = answer?.finalityConfirmations === policy.finalityConfirmations ? answer.body(head, lang) : undefined;
  return rendered ?? JSON.stringify({ lang, ...claimView(found.claim, found.transitions, head, now, policy, lang) });
}

export class ClaimAnswer {
  private constructor(
    /** The rendered JSON; the text around the holes lies between `bounds` (start and end of each piece). */
    private readonly json: string,
    private readonly bounds: readonly number[],
    /** What fills each hole, in order: one fewer than the pieces. */
    private readonly holes: readonly Hole[],
    /** The confirmations a stage needs to be final, as rendered. */
    readonly finalityConfirmations: number,
    /** The lowest head block at which every stage is final; below it the view shows pending finality. */
    readonly finalFrom: bigint,
  ) {}

  /**
   * The answer of a settled claim, or undefined when the claim is not settled (its view depends on
   * the time) or its view holds something the holes do not cover.
   */
  static of(found: ClaimTimeline, policy: TrackingPolicy): ClaimAnswer | undefined {
    const { claim, transitions } = found;
    if (!CLOSED_STATUSES.includes(claim.status)) return undefined;
    const required = BigInt(Math.max(policy.finalityConfirmations, 1));
    let newest = claim.updatedBlock;
    for (const t of transitions) if (t.blockNumber > newest) newest = t.blockNumber;
    if (claim.submittedBlock > newest) newest = claim.submittedBlock;
    const finalFrom = newest + required - 1n;
    const view = claimView(claim, transitions, { number: finalFrom, timestamp: 0n }, claim.updatedAt, policy, "en");
    if (view.sla !== null || view.finality.pending) return undefined;

    // Each value that changes with the head or the language is replaced by a marker naming its hole.
    const holes: Hole[] = [];
    const hole = (h: Hole) => `\u0000${holes.push(h) - 1}`;
    const root: Record<string, unknown> = { lang: hole(LANGUAGE_TEXTS), ...view };
    root.statusText = hole(STAGE_TEXTS.get(claim.status)!);
    root.kindText = hole(KIND_TEXTS.get(claim.kind)!);
    root.finality = { ...view.finality, headBlock: hole(HEAD), confirmations: hole(claim.updatedBlock) };
    const timeline: Array<Record<string, unknown>> = [];
    for (const stage of view.timeline) {
      // A deadline never reached is judged by the time; a stage not final says how far it is.
      if ((stage.state !== null && stage.reachedAt === null) || stage.pendingFinality) return undefined;
      const marked: Record<string, unknown> = { ...stage, text: hole(STAGE_TEXTS.get(stage.stage)!) };
      if (stage.state !== null) marked.stateText = hole(STATE_TEXTS.get(stage.state)!);
      if (stage.confirmations !== null) {
        if (stage.blockNumber === null || !Number.isSafeInteger(stage.blockNumber)) return undefined;
        marked.confirmations = hole(BigInt(stage.blockNumber));
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
    return new ClaimAnswer(json, bounds, ordered, policy.finalityConfirmations, finalFrom);
  }

  /**
   * The answer's JSON at `head` in `lang`, exactly as `{ lang, ...claimView(…) }` serialises;
   * undefined below `finalFrom` (a reorg can move the head back), where the view must be computed.
   */
  body(head: ChainHead, lang: Language): string | undefined {
    const top = head.number;
    if (top < this.finalFrom) return undefined;
    const { json, bounds, holes } = this;
    let out = json.slice(bounds[0], bounds[1]);
    for (let i = 0; i < holes.length; i++) {
      const h = holes[i]!;
      out += typeof h === "bigint" ? String(top - h + 1n) : h === HEAD ? String(top) : h[lang];
      out += json.slice(bounds[2 * i + 2], bounds[2 * i + 3]);
    }
    return out;
  }
}
