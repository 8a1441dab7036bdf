/**
 * What the help library learns from use: searches that found no good answer (counted by their
 * normalised words, never by who asked) and "did this solve it?" feedback per article, both read
 * by operators (GET /v1/help/insights).
 */
import { desc, sql } from "drizzle-orm";

import { queryRows, type Database } from "../db/client.js";
import { HttpError } from "../http/errors.js";
import type { Language } from "../claims/i18n.js";
import { helpFeedback, helpUnanswered } from "./schema.js";
import { tokenize } from "./search.js";

/** A search answers well when its best article matches at least this share of the question's terms. */
export const GOOD_COVERAGE = 0.5;
/** Distinct unanswered questions kept; past it only those already counted are counted again (spam cannot grow the table). */
export const MAX_UNANSWERED_ROWS = 10_000;
const MAX_WORDS_LENGTH = 200;

// Tokens that could point at a person rather than a problem: addresses, hashes, long numbers
// (phone numbers, order ids), e-mail-like handles are split by the tokenizer already.
const IDENTIFYING = /^(0x[0-9a-f]{6,}|[0-9a-f]{16,}|\d{6,})$/;

/**
 * The words of a question as counted: normalised (lower case, no accents), stopwords dropped,
 * Chinese cut into words by the segmenter, identifying tokens dropped, each word once, in the
 * order asked. Empty when nothing countable is left.
 */
export function unansweredWords(query: string): string {
  const words = [...new Set(tokenize(query, "words"))].filter((w) => !IDENTIFYING.test(w));
  let out = "";
  for (const w of words) {
    const next = out === "" ? w : `${out} ${w}`;
    if (next.length > MAX_WORDS_LENGTH) break;
    out = next;
  }
  return out;
}

/** Counts one search with no good result; false when it had no countable words or the table is full with others. */
export async function recordUnanswered(
  db: Database,
  lang: Language,
  query: string,
  maxRows: number = MAX_UNANSWERED_ROWS,
): Promise<boolean> {
  const words = unansweredWords(query);
  if (words === "") return false;
  const rows = await queryRows<{ words: string }>(
    db,
    sql`
    WITH room AS (SELECT count(*) < ${maxRows} AS ok FROM help_unanswered)
    INSERT INTO help_unanswered (lang, words)
    SELECT ${lang}, ${words} FROM room
    WHERE room.ok OR EXISTS (SELECT 1 FROM help_unanswered WHERE lang = ${lang} AND words = ${words})
    ON CONFLICT (lang, words) DO UPDATE
      SET count = help_unanswered.count + 1, last_seen = now()
    RETURNING words`,
  );
  return rows.length > 0;
}

/** Adds one "did this solve it?" answer to an article's running counts in the reader's language. */
export async function recordFeedback(db: Database, slug: string, lang: Language, solved: boolean): Promise<void> {
  await db
    .insert(helpFeedback)
    .values({ slug, lang, solved: solved ? 1 : 0, notSolved: solved ? 0 : 1 })
    .onConflictDoUpdate({
      target: [helpFeedback.slug, helpFeedback.lang],
      set: {
        solved: sql`${helpFeedback.solved} + ${solved ? 1 : 0}`,
        notSolved: sql`${helpFeedback.notSolved} + ${solved ? 0 : 1}`,
        lastAt: sql`now()`,
      },
    });
}

export type UnansweredRow = { lang: string; words: string; count: number; firstSeen: string; lastSeen: string };
export type FeedbackRow = {
  slug: string;
  solved: number;
  notSolved: number;
  /** solved ÷ (solved + notSolved), rounded to 3 places. */
  solvedShare: number;
  byLanguage: Array<{ lang: string; solved: number; notSolved: number }>;
  lastAt: string;
};

const iso = (v: unknown) => (v instanceof Date ? v : new Date(String(v))).toISOString();

/** The most asked unanswered questions (most counted first, then most recent), and feedback per article (least solved first). */
export async function readInsights(
  db: Database,
  limit: number,
): Promise<{ unanswered: UnansweredRow[]; feedback: FeedbackRow[] }> {
  const unanswered = await db
    .select()
    .from(helpUnanswered)
    .orderBy(desc(helpUnanswered.count), desc(helpUnanswered.lastSeen), helpUnanswered.lang, helpUnanswered.words)
    .limit(limit);
  const votes = await db.select().from(helpFeedback).orderBy(helpFeedback.slug, helpFeedback.lang);
  const bySlug = new Map<string, FeedbackRow>();
  for (const v of votes) {
    const row = bySlug.get(v.slug) ?? {
      slug: v.slug,
      solved: 0,
      notSolved: 0,
      solvedShare: 0,
      byLanguage: [],
      lastAt: iso(v.lastAt),
    };
    row.solved += v.solved;
    row.notSolved += v.notSolved;
    row.byLanguage.push({ lang: v.lang, solved: v.solved, notSolved: v.notSolved });
    if (iso(v.lastAt) > row.lastAt) row.lastAt = iso(v.lastAt);
    bySlug.set(v.slug, row);
  }
  const feedback = [...bySlug.values()]
    .map((r) => ({ ...r, solvedShare: Math.round((1000 * r.solved) / Math.max(1, r.solved + r.notSolved)) / 1000 }))
    .sort((a, b) => a.solvedShare - b.solvedShare || b.notSolved - a.notSolved || a.slug.localeCompare(b.slug))
    .slice(0, limit);
  return {
    unanswered: unanswered.map((u) => ({
      lang: u.lang,
      words: u.words,
      count: u.count,
      firstSeen: iso(u.firstSeen),
      lastSeen: iso(u.lastSeen),
    })),
    feedback,
  };
}

/**
 * "Did this solve it?" limits per client, in memory (each replica counts its own clients): one
 * answer per article per `perArticleMs`, at most `perHour` answers an hour. Entries expire, so
 * memory stays bounded by the clients of the last hour.
 */
export class FeedbackLimiter {
  private readonly seen = new Map<string, number[]>();

  constructor(
    private readonly limits: { perHour: number; perArticleMs: number } = { perHour: 20, perArticleMs: 3_600_000 },
  ) {}

  /** Throws 429 when the client is over a limit; otherwise records the answer. */
  take(client: string, slug: string, nowMs: number): void {
    const hourAgo = nowMs - 3_600_000;
    if (this.seen.size > 50_000) {
      for (const [k, times] of this.seen) if ((times[times.length - 1] ?? 0) <= hourAgo) this.seen.delete(k);
    }
    const articleKey = `${client}\n${slug}`;
    const lastForArticle = this.seen.get(articleKey)?.[0];
    if (lastForArticle !== undefined && nowMs - lastForArticle < this.limits.perArticleMs) {
      throw new HttpError(
        429,
        "rate_limited",
        `one answer per article per ${this.limits.perArticleMs / 60_000} minutes`,
      );
    }
    const recent = (this.seen.get(client) ?? []).filter((t) => t > hourAgo);
    if (recent.length >= this.limits.perHour) {
      throw new HttpError(429, "rate_limited", `at most ${this.limits.perHour} answers per client per hour`);
    }
    recent.push(nowMs);
    this.seen.set(client, recent);
    this.seen.set(articleKey, [nowMs]);
  }
}
