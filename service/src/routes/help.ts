import { createRoute, z } from "@hono/zod-openapi";

import { newRouter, type AppDeps } from "../app.js";
import { HttpError } from "../errors.js";
import { HelpLibrary } from "../help/library.js";
import { CLAIM_KINDS } from "../indexer/reader.js";
import { LANGUAGES } from "../tracking/i18n.js";
import { LangQuery, language, LanguageSchema } from "../tracking/http.js";
import { ErrorSchema } from "./health.js";

const ClaimFlow = z
  .object({
    kind: z.enum(CLAIM_KINDS).nullable().openapi({ description: "claim kind to preselect; null for the generic flow" }),
    href: z.string().openapi({ example: "/?kind=MissingReward#emergency" }),
  })
  .openapi("ClaimFlowLink");

const Article = z
  .object({
    lang: LanguageSchema,
    slug: z.string(),
    title: z.string(),
    answer: z.string().openapi({ description: "the one step to take" }),
    details: z.string(),
    claimFlow: ClaimFlow.nullable(),
    languages: z.array(z.enum(LANGUAGES)),
  })
  .openapi("HelpArticle");

const SearchResults = z
  .object({
    lang: LanguageSchema,
    query: z.string().nullable(),
    results: z.array(Article.extend({ score: z.number().nullable() })),
  })
  .openapi("HelpSearch");

/** Body of GET /v1/help (the web page imports this type). */
export type HelpSearchResponse = z.infer<typeof SearchResults>;

export function helpRoutes(deps: AppDeps) {
  const library = new HelpLibrary(deps.db);
  return newRouter()
    .openapi(
      createRoute({
        method: "get",
        path: "/v1/help",
        summary:
          "Search the help library by keywords (typos tolerated), best match first; without q, every article in library order.",
        request: {
          query: z.object({
            q: z.string().max(200).optional().openapi({ example: "recieve C" }),
            lang: LangQuery,
            limit: z.coerce.number().int().min(1).max(50).default(10).openapi({ type: "integer" }),
          }),
        },
        responses: {
          200: { description: "matching articles", content: { "application/json": { schema: SearchResults } } },
          400: { description: "invalid input", content: { "application/json": { schema: ErrorSchema } } },
        },
      }),
      async (c) => {
        const { q, lang: langQuery, limit } = c.req.valid("query");
        const lang = language(c, langQuery);
        const results = await library.search(q ?? "", lang, limit);
        return c.json({ lang, query: q ?? null, results }, 200);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/v1/help/{slug}",
        summary: "One help article in the reader's language.",
        request: {
          params: z.object({
            slug: z
              .string()
              .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: "must be an article slug such as not-received-c" })
              .max(80)
              .openapi({ param: { name: "slug", in: "path" }, example: "not-received-c" }),
          }),
          query: z.object({ lang: LangQuery }),
        },
        responses: {
          200: { description: "the article", content: { "application/json": { schema: Article } } },
          400: { description: "invalid input", content: { "application/json": { schema: ErrorSchema } } },
          404: { description: "no such article", content: { "application/json": { schema: ErrorSchema } } },
        },
      }),
      async (c) => {
        const { slug } = c.req.valid("param");
        const lang = language(c, c.req.valid("query").lang);
        const article = await library.get(slug, lang);
        if (article === undefined) throw new HttpError(404, "not_found", `no help article ${slug}`);
        if (article.lang !== lang) c.header("Content-Language", article.lang);
        return c.json(article, 200);
      },
    );
}
