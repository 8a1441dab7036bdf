/**
 * Search over the help library with MiniSearch: an in-memory BM25 index built from the articles'
 * texts, one document per article and language (the library is small; the index is rebuilt when
 * the tables change, and behaves the same on PGlite and PostgreSQL).
 *
 * - Words are lower-cased without accents ("autorización" = "autorizacion", "perdí" = "perdi"),
 *   without apostrophes ("haven't" = "havent"), and a short list of words that carry no meaning in
 *   the four languages is dropped.
 * - Chinese has no spaces: `Intl.Segmenter` cuts Han runs into words ("钱包被盗了" → 钱包 / 被 / 盗 /
 *   了), and every run also yields its overlapping character pairs, which catch words the
 *   runtime's dictionary cuts differently in the question and in the article, or not at all
 *   (bench/help.ts compares words, pairs and both).
 * - Typos: latin words of 4+ letters match within one edit, 7+ within two (fuzzy matches weigh half).
 *   MiniSearch counts edits as Levenshtein does, so a swapped pair costs two; two edits from 6
 *   letters would find "wlalet" but also match made-up words ("quasar" → "usar"), so it stops at
 *   7. Words of 3+ letters also match longer words they start ("redem" → "redemption"). Han terms
 *   match exactly.
 * - Fields weigh title 3, keywords 2, answer 1, details 0.5 (BM25 within each); a document's score
 *   is scaled by the share of the query's terms it matched; an article scores its best language,
 *   the reader's own weighted up by 20%.
 */
import MiniSearch, { type SearchResult } from "minisearch";

import type { Language } from "../claims/i18n.js";

export type SearchDoc = {
  slug: string;
  lang: Language;
  title: string;
  keywords: string;
  answer: string;
  details: string;
};

const FIELD_BOOSTS = { title: 3, keywords: 2, answer: 1, details: 0.5 } as const;
const READER_LANGUAGE_BOOST = 1.2;
const MAX_QUERY_TOKENS = 16;

// Words that carry no meaning for matching, in the four languages. Kept short on purpose; rare
// words are already favoured by BM25. ("c" is not here: it is the token's name.)
const STOPWORDS = new Set(
  (
    "a an the i im ive my me mine is are am was were be been do does did how what when where why who to of in on " +
    "for and or it its this that with from at by can could you your we our have has had will would should " +
    "saya aku anda kamu yang di ke dari dan untuk dengan ini itu apa bagaimana cara adalah atau sudah akan bisa " +
    "el la los las un una unos unas de del al y o en mi mis tu tus su sus que por para con es son se lo le como " +
    "我 的 了 吗 呢 是 在 和 吧 啊"
  ).split(" "),
);

const HAN = /\p{Script=Han}/u;
const HAN_RUN = /\p{Script=Han}+|[^\p{Script=Han}]+/gu;
const segmenter = new Intl.Segmenter("zh", { granularity: "word" });

/** Lower case, accents and apostrophes removed, full-width forms folded (NFKD). */
export function normalise(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/['’`]/g, "");
}

/** How Han text becomes terms: the segmenter's words, overlapping character pairs, or both (the default). */
export type HanTerms = "words" | "pairs" | "both";

function hanTerms(run: string, mode: HanTerms): string[] {
  const out: string[] = [];
  if (mode !== "pairs") {
    for (const { segment, isWordLike } of segmenter.segment(run)) if (isWordLike) out.push(segment);
  }
  if (mode !== "words") {
    const chars = [...run];
    if (chars.length === 1 && mode === "pairs") out.push(run);
    for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  }
  return out;
}

/**
 * Terms of a text for the index and for queries: normalised latin words, and for Han text the
 * segmenter's words plus character pairs; stopwords dropped. Order follows the text; terms may repeat.
 */
export function tokenize(text: string, han: HanTerms = "both"): string[] {
  const out: string[] = [];
  for (const [word] of normalise(text).matchAll(/[\p{L}\p{N}]+/gu)) {
    for (const part of word.match(HAN_RUN) ?? []) {
      if (HAN.test(part)) out.push(...hanTerms(part, han));
      else out.push(part);
    }
  }
  return out.filter((t) => !STOPWORDS.has(t));
}

/** Edits forgiven for a query term: none for Han or short words, one from 4 letters, two from 7. */
export function fuzziness(term: string): number {
  if (HAN.test(term) || term.length < 4) return 0;
  return term.length < 7 ? 1 : 2;
}

/** Whether a query term also matches longer words it starts. */
export function prefixes(term: string): boolean {
  return term.length >= 3 && !HAN.test(term);
}

export type SearchHit = {
  slug: string;
  score: number;
  /** Share of the query's distinct terms that the article matched (0–1): how good the hit is. */
  coverage: number;
};

type Stored = { slug: string; lang: Language };

export class SearchIndex {
  private readonly index: MiniSearch<SearchDoc & { id: number }>;

  constructor(
    docs: SearchDoc[],
    private readonly han: HanTerms = "both",
  ) {
    this.index = new MiniSearch<SearchDoc & { id: number }>({
      fields: ["title", "keywords", "answer", "details"],
      storeFields: ["slug", "lang"],
      tokenize: (text) => tokenize(text, han),
      // tokenize already normalises; a term is indexed as it comes.
      processTerm: (term) => term,
      searchOptions: {
        boost: { ...FIELD_BOOSTS },
        fuzzy: (term) => fuzziness(term),
        prefix: (term) => prefixes(term),
        weights: { fuzzy: 0.5, prefix: 0.6 },
        combineWith: "OR",
      },
    });
    this.index.addAll(docs.map((doc, id) => ({ ...doc, id })));
  }

  /** Distinct query terms, as the index sees them. */
  terms(query: string): string[] {
    return [...new Set(tokenize(query, this.han))].slice(0, MAX_QUERY_TOKENS);
  }

  search(query: string, lang: Language, limit: number): SearchHit[] {
    const terms = this.terms(query);
    if (terms.length === 0) return [];
    const results: SearchResult[] = this.index.search(terms.join(" "), {
      // Already tokenised: the terms go to the index as they are.
      tokenize: () => terms,
      boostDocument: (_id, _term, stored) =>
        (stored as Stored | undefined)?.lang === lang ? READER_LANGUAGE_BOOST : 1,
    });
    const bySlug = new Map<string, SearchHit>();
    for (const r of results) {
      const slug = (r as SearchResult & Stored).slug;
      const coverage = Math.min(1, new Set(r.queryTerms).size / terms.length);
      // An article that matches more of the question's words ranks above one that matches a
      // single common word strongly.
      const score = r.score * coverage;
      const seen = bySlug.get(slug);
      if (seen === undefined || score > seen.score) {
        bySlug.set(slug, { slug, score: Math.round(score * 1000) / 1000, coverage });
      }
    }
    return [...bySlug.values()].sort((a, b) => b.score - a.score || a.slug.localeCompare(b.slug)).slice(0, limit);
  }
}
