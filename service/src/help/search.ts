/**
 * Keyword search over the help library that forgives typos, in TypeScript over an in-memory token
 * index (the library is small; this behaves the same on PGlite and PostgreSQL, no extension).
 *
 * Ranking: every query word is matched against the index's vocabulary — exactly (1.0), as the
 * start of a longer word ("redem" → "redemption", 0.85), as a longer form of an indexed word
 * ("errors" → "error", 0.8), or within a small edit distance (Damerau/OSA: one edit for words of
 * 4–5 letters, two from 6; "recieve" → "receive", "redemtion" → "redemption"), also against the
 * start of a longer word ("recieve" → "received"). A document scores, per query word, its best
 * match's similarity × the word's rarity (IDF) × where it occurs (title 3, keywords 2, answer 1,
 * details 0.5), summed over the query words and scaled by the share of query words matched. An
 * article's score is its best language, with the reader's language weighted up by 20%.
 * Chinese has no spaces: Han text is indexed as overlapping character pairs, matched exactly.
 */
import type { Language } from "../tracking/i18n.js";

export type SearchDoc = {
  slug: string;
  lang: Language;
  title: string;
  keywords: string;
  answer: string;
  details: string;
};

const FIELD_WEIGHTS = { title: 3, keywords: 2, answer: 1, details: 0.5 } as const;
const READER_LANGUAGE_BOOST = 1.2;
const MAX_QUERY_TOKENS = 12;

// Words that carry no meaning for matching, in the four languages. Kept short on purpose; rare
// words are already favoured by IDF. ("c" is not here: it is the token's name.)
const STOPWORDS = new Set(
  (
    "a an the i im ive my me mine is are am was were be been do does did how what when where why who to of in on " +
    "for and or it its this that with from at by can could you your we our have has had will would should " +
    "saya aku anda kamu yang di ke dari dan untuk dengan ini itu apa bagaimana cara adalah atau sudah akan bisa " +
    "el la los las un una unos unas de del al y o en mi mis tu tus su sus que por para con es son se lo le como qué cómo " +
    "我 的 了 吗 呢 是 在 和"
  ).split(" "),
);

const HAN = /\p{Script=Han}/u;

function normalise(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/['’`]/g, "");
}

/** Words of a text, lower-cased without accents; Han runs become overlapping character pairs. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const [word] of normalise(text).matchAll(/[\p{L}\p{N}]+/gu)) {
    for (const part of word.match(/\p{Script=Han}+|[^\p{Script=Han}]+/gu) ?? []) {
      if (HAN.test(part)) {
        const chars = [...part];
        if (chars.length === 1) out.push(part);
        for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
      } else if (!STOPWORDS.has(part)) {
        out.push(part);
      }
    }
  }
  return out.filter((t) => !STOPWORDS.has(t));
}

/** Optimal string alignment distance (Damerau–Levenshtein with adjacent transpositions), capped. */
export function editDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  const prev2 = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = new Array<number>(b.length + 1).fill(0);
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > cap) return cap + 1;
    prev2.splice(0, prev2.length, ...prev);
    prev = cur;
  }
  return prev[b.length]!;
}

const maxEdits = (length: number) => (length < 4 ? 0 : length <= 5 ? 1 : 2);

/** How well a query word matches an indexed word, 0 (not at all) to 1 (exactly). */
export function similarity(query: string, term: string): number {
  if (query === term) return 1;
  if (HAN.test(query) || HAN.test(term)) return 0;
  if (query.length >= 3 && term.startsWith(query)) return 0.85;
  if (term.length >= 4 && query.startsWith(term)) return 0.8;
  const cap = maxEdits(query.length);
  if (cap === 0) return 0;
  const whole = editDistance(query, term, cap);
  if (whole <= cap) return whole === 1 ? 0.75 : 0.6;
  // A typo in a word the reader has not finished, or missing its ending: "recieve" → "received".
  if (term.length > query.length && editDistance(query, term.slice(0, query.length), 1) <= 1) return 0.65;
  return 0;
}

export type SearchHit = { slug: string; score: number };

export class SearchIndex {
  /** term → (document index → field weight sum) */
  private readonly postings = new Map<string, Map<number, number>>();
  private readonly matchCache = new Map<string, Array<{ term: string; sim: number }>>();

  constructor(private readonly docs: SearchDoc[]) {
    docs.forEach((doc, i) => {
      for (const field of Object.keys(FIELD_WEIGHTS) as Array<keyof typeof FIELD_WEIGHTS>) {
        for (const term of new Set(tokenize(doc[field]))) {
          let posting = this.postings.get(term);
          if (posting === undefined) this.postings.set(term, (posting = new Map()));
          posting.set(i, (posting.get(i) ?? 0) + FIELD_WEIGHTS[field]);
        }
      }
    });
  }

  private idf(term: string): number {
    const df = this.postings.get(term)?.size ?? 0;
    return Math.log(1 + this.docs.length / Math.max(df, 1));
  }

  private matches(word: string): Array<{ term: string; sim: number }> {
    let found = this.matchCache.get(word);
    if (found === undefined) {
      found = [];
      for (const term of this.postings.keys()) {
        const sim = similarity(word, term);
        if (sim > 0) found.push({ term, sim });
      }
      if (this.matchCache.size > 10_000) this.matchCache.clear();
      this.matchCache.set(word, found);
    }
    return found;
  }

  search(query: string, lang: Language, limit: number): SearchHit[] {
    const words = [...new Set(tokenize(query))].slice(0, MAX_QUERY_TOKENS);
    if (words.length === 0) return [];
    const perDoc = new Map<number, { sum: number; matched: number }>();
    for (const word of words) {
      const best = new Map<number, number>();
      for (const { term, sim } of this.matches(word)) {
        const idf = this.idf(term);
        for (const [doc, weight] of this.postings.get(term) ?? []) {
          const s = sim * idf * weight;
          if (s > (best.get(doc) ?? 0)) best.set(doc, s);
        }
      }
      for (const [doc, s] of best) {
        const acc = perDoc.get(doc) ?? { sum: 0, matched: 0 };
        acc.sum += s;
        acc.matched += 1;
        perDoc.set(doc, acc);
      }
    }
    const bySlug = new Map<string, number>();
    for (const [i, { sum, matched }] of perDoc) {
      const doc = this.docs[i]!;
      const score = sum * (matched / words.length) * (doc.lang === lang ? READER_LANGUAGE_BOOST : 1);
      if (score > (bySlug.get(doc.slug) ?? 0)) bySlug.set(doc.slug, score);
    }
    return [...bySlug]
      .map(([slug, score]) => ({ slug, score: Math.round(score * 1000) / 1000 }))
      .sort((a, b) => b.score - a.score || a.slug.localeCompare(b.slug))
      .slice(0, limit);
  }
}
