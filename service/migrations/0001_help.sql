-- The help library ("common questions emergency library"): one row per article, one per article
-- and language. Seed content ships in service/src/help/articles.ts and is upserted on start when
-- its content hash changes.
CREATE TABLE IF NOT EXISTS help_articles (
  slug text PRIMARY KEY,
  -- The claim kind the article's "file a claim" link preselects; NULL for the generic claim flow.
  claim_kind text,
  -- Whether the article links to the claim flow at all.
  links_to_claim boolean NOT NULL DEFAULT false,
  position integer NOT NULL,
  content_hash text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS help_article_texts (
  slug text NOT NULL REFERENCES help_articles (slug) ON DELETE CASCADE,
  lang text NOT NULL,
  title text NOT NULL,
  -- The one-step answer.
  answer text NOT NULL,
  details text NOT NULL DEFAULT '',
  -- Extra words people search with (synonyms, common phrasings); searched, never shown.
  keywords text NOT NULL DEFAULT '',
  PRIMARY KEY (slug, lang)
);
