import { createHash } from "node:crypto";

import { eq, sql } from "drizzle-orm";

import type { Database } from "../db/client.js";
import { HELP_ARTICLES, type HelpArticle } from "./articles.js";
import { helpArticles, helpArticleTexts } from "./schema.js";

/** A stable fingerprint of an article's content and place: reseeding skips articles whose hash is unchanged. */
export function contentHash(article: HelpArticle, position: number): string {
  return createHash("sha256")
    .update(JSON.stringify({ position, claim: article.claim, texts: article.texts }))
    .digest("hex");
}

/**
 * Writes the shipped articles into the help tables, idempotently: an article is (re)written only
 * when its content hash differs from the stored one, so restarts change nothing and replicas
 * starting together do not fight (the upsert's row lock orders them; the second sees the new hash
 * and skips). Articles no longer shipped are left alone. Returns the slugs written.
 */
export async function seedHelpArticles(db: Database, articles: HelpArticle[] = HELP_ARTICLES): Promise<string[]> {
  return db.transaction(async (tx) => {
    const written: string[] = [];
    for (const [position, article] of articles.entries()) {
      const hash = contentHash(article, position);
      const values = {
        slug: article.slug,
        claimKind: article.claim?.kind ?? null,
        linksToClaim: article.claim !== null,
        position,
        contentHash: hash,
      };
      const changed = await tx
        .insert(helpArticles)
        .values(values)
        .onConflictDoUpdate({
          target: helpArticles.slug,
          set: { ...values, updatedAt: sql`now()` },
          setWhere: sql`${helpArticles.contentHash} <> excluded.content_hash`,
        })
        .returning({ slug: helpArticles.slug });
      if (changed.length === 0) continue;
      await tx.delete(helpArticleTexts).where(eq(helpArticleTexts.slug, article.slug));
      await tx
        .insert(helpArticleTexts)
        .values(Object.entries(article.texts).map(([lang, text]) => ({ slug: article.slug, lang, ...text })));
      written.push(article.slug);
    }
    return written;
  });
}
