-- What the help library learns from use (issue 15). Neither table records who asked or who
-- answered: searches are counted by their normalised words, feedback by article and language.

-- Searches that found no good answer: no article, or none matching at least half the question's
-- words. `words` is the question's normalised words (lower case, no accents, no stopwords, no
-- addresses, hashes or long numbers), space-separated, in the order asked.
CREATE TABLE IF NOT EXISTS help_unanswered (
  lang text NOT NULL,
  words text NOT NULL,
  count integer NOT NULL DEFAULT 1,
  first_seen timestamptz NOT NULL DEFAULT now(),
  last_seen timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (lang, words)
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS help_unanswered_rank ON help_unanswered (count DESC, last_seen DESC);
--> statement-breakpoint
-- "Did this solve it?" answers per article and reading language, as running counts.
CREATE TABLE IF NOT EXISTS help_feedback (
  slug text NOT NULL REFERENCES help_articles (slug) ON DELETE CASCADE,
  lang text NOT NULL,
  solved integer NOT NULL DEFAULT 0,
  not_solved integer NOT NULL DEFAULT 0,
  last_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (slug, lang)
);
