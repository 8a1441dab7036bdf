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
