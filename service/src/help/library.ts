import { asc, count, max } from "drizzle-orm";

import type { Database } from "../db/client.js";
import type { ClaimKind } from "../indexer/reader.js";
import { DEFAULT_LANGUAGE, LANGUAGES, type Language } from "../claims/i18n.js";
import { helpArticles, helpArticleTexts } from "./schema.js";
import { GOOD_COVERAGE } from "./insights.js";
import { SearchIndex, type SearchDoc } from "./search.js";

export type ClaimFlowLink = { kind: ClaimKind | null; href: string };

export type ArticleView = {
  lang: Language;
  slug: string;
  title: string;
  answer: string;
  details: string;
  claimFlow: ClaimFlowLink | null;
  languages: Language[];
};

type Loaded = {
  version: string;
  articles: Map<string, { claimFlow: ClaimFlowLink | null; texts: Map<Language, SearchDoc> }>;
  order: string[];
  index: SearchIndex;
};

/** The web page's claim form (served at `/`); `?kind=` preselects the claim's kind. */
export function claimFlowHref(kind: ClaimKind | null): string {
  return kind === null ? "/#emergency" : `/?kind=${kind}#emergency`;
}

const isLanguage = (v: string): v is Language => (LANGUAGES as readonly string[]).includes(v);

/**
 * The help library as the routes read it: the tables loaded into memory with a search index,
 * reloaded when the tables change (checked per request with one cheap aggregate, so every
 * replica sees a reseed).
 */
export class HelpLibrary {
  private loaded: Promise<Loaded> | undefined;

  constructor(private readonly db: Database) {}

  private async current(): Promise<Loaded> {
    const [v] = await this.db.select({ n: count(), at: max(helpArticles.updatedAt) }).from(helpArticles);
    const version = `${v?.n ?? 0}:${v?.at instanceof Date ? v.at.toISOString() : String(v?.at ?? "")}`;
    const loaded = this.loaded === undefined ? undefined : await this.loaded.catch(() => undefined);
    if (loaded !== undefined && loaded.version === version) return loaded;
    this.loaded = this.load(version);
    return this.loaded;
  }

  private async load(version: string): Promise<Loaded> {
    const rows = await this.db.select().from(helpArticles).orderBy(asc(helpArticles.position), asc(helpArticles.slug));
    const texts = await this.db.select().from(helpArticleTexts);
    const articles: Loaded["articles"] = new Map();
    for (const row of rows) {
      const kind = row.claimKind as ClaimKind | null;
      articles.set(row.slug, {
        claimFlow: row.linksToClaim ? { kind, href: claimFlowHref(kind) } : null,
        texts: new Map(),
      });
    }
    const docs: SearchDoc[] = [];
    for (const t of texts) {
      const article = articles.get(t.slug);
      if (article === undefined || !isLanguage(t.lang)) continue;
      const doc = {
        slug: t.slug,
        lang: t.lang,
        title: t.title,
        keywords: t.keywords,
        answer: t.answer,
        details: t.details,
      };
      article.texts.set(t.lang, doc);
      docs.push(doc);
    }
    return { version, articles, order: rows.map((r) => r.slug), index: new SearchIndex(docs) };
  }

  private view(loaded: Loaded, slug: string, lang: Language): ArticleView | undefined {
    const article = loaded.articles.get(slug);
    if (article === undefined) return undefined;
    // An article missing the reader's language falls back to English, then to any it has.
    const served = article.texts.has(lang)
      ? lang
      : article.texts.has(DEFAULT_LANGUAGE)
        ? DEFAULT_LANGUAGE
        : [...article.texts.keys()][0];
    const text = served === undefined ? undefined : article.texts.get(served);
    if (served === undefined || text === undefined) return undefined;
    return {
      lang: served,
      slug,
      title: text.title,
      answer: text.answer,
      details: text.details,
      claimFlow: article.claimFlow,
      languages: LANGUAGES.filter((l) => article.texts.has(l)),
    };
  }

  async get(slug: string, lang: Language): Promise<ArticleView | undefined> {
    return this.view(await this.current(), slug, lang);
  }

  /**
   * Articles matching `query`, best first; all articles in library order when the query has no
   * words. `answered` says whether the best article matched at least GOOD_COVERAGE of the query's
   * terms (always true without a query).
   */
  async search(
    query: string,
    lang: Language,
    limit: number,
  ): Promise<{ results: Array<ArticleView & { score: number | null }>; answered: boolean }> {
    const loaded = await this.current();
    const hits =
      query.trim() === ""
        ? loaded.order.map((slug) => ({ slug, score: null, coverage: 1 }))
        : loaded.index.search(query, lang, limit);
    const results = hits.slice(0, limit).flatMap((hit) => {
      const view = this.view(loaded, hit.slug, lang);
      return view === undefined ? [] : [{ ...view, score: hit.score }];
    });
    return { results, answered: (hits[0]?.coverage ?? 0) >= GOOD_COVERAGE };
  }

  /** Whether the library holds an article `slug`. */
  async has(slug: string): Promise<boolean> {
    return (await this.current()).articles.has(slug);
  }
}
