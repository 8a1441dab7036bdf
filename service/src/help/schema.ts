/** The help library's tables (created by migrations/0001_help.sql). */
import { boolean, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

export const helpArticles = pgTable("help_articles", {
  slug: text("slug").primaryKey(),
  claimKind: text("claim_kind"),
  linksToClaim: boolean("links_to_claim").notNull(),
  position: integer("position").notNull(),
  contentHash: text("content_hash").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const helpArticleTexts = pgTable(
  "help_article_texts",
  {
    slug: text("slug").notNull(),
    lang: text("lang").notNull(),
    title: text("title").notNull(),
    answer: text("answer").notNull(),
    details: text("details").notNull(),
    keywords: text("keywords").notNull(),
  },
  (t) => [primaryKey({ columns: [t.slug, t.lang] })],
);

/** Searches with no good result, counted by their normalised words (migrations/0006_help_feedback.sql). */
export const helpUnanswered = pgTable(
  "help_unanswered",
  {
    lang: text("lang").notNull(),
    words: text("words").notNull(),
    count: integer("count").notNull(),
    firstSeen: timestamp("first_seen", { withTimezone: true }).notNull().defaultNow(),
    lastSeen: timestamp("last_seen", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.lang, t.words] })],
);

/** "Did this solve it?" running counts per article and reading language. */
export const helpFeedback = pgTable(
  "help_feedback",
  {
    slug: text("slug").notNull(),
    lang: text("lang").notNull(),
    solved: integer("solved").notNull(),
    notSolved: integer("not_solved").notNull(),
    lastAt: timestamp("last_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.slug, t.lang] })],
);
