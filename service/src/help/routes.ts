import { getConnInfo } from "@hono/node-server/conninfo";
import { createRoute, z } from "@hono/zod-openapi";

import type { AppDeps } from "../deps.js";
import { ErrorSchema, HttpError } from "../http/errors.js";
import { newRouter } from "../http/router.js";
import { FeedbackLimiter, readInsights, recordFeedback, recordUnanswered } from "./insights.js";
import { HelpLibrary } from "./library.js";
import { CLAIM_KINDS } from "../indexer/reader.js";
import { LANGUAGES } from "../claims/i18n.js";
import { LangQuery, language, LanguageSchema, LimitQuery } from "../http/params.js";

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

const SlugParam = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: "must be an article slug such as not-received-c" })
  .max(80)
  .openapi({ param: { name: "slug", in: "path" }, example: "not-received-c" });

const FeedbackBody = z
  .object({
    solved: z.boolean().openapi({ description: "did this article solve it?" }),
    lang: LanguageSchema.optional().openapi({
      description: "the language the article was read in; default: the request's language",
    }),
  })
  .strict()
  .openapi("HelpFeedback");

const FeedbackRecorded = z
  .object({ slug: z.string(), lang: LanguageSchema, solved: z.boolean() })
  .openapi("HelpFeedbackRecorded");

const Insights = z
  .object({
    unanswered: z.array(
      z.object({
        lang: z.string(),
        words: z.string().openapi({ description: "the question's normalised words, as asked", example: "c arrive" }),
        count: z.number().int(),
        firstSeen: z.string().openapi({ description: "ISO 8601" }),
        lastSeen: z.string().openapi({ description: "ISO 8601" }),
      }),
    ),
    feedback: z.array(
      z.object({
        slug: z.string(),
        solved: z.number().int(),
        notSolved: z.number().int(),
        solvedShare: z.number().openapi({ description: "solved ÷ answers, 0–1" }),
        byLanguage: z.array(z.object({ lang: z.string(), solved: z.number().int(), notSolved: z.number().int() })),
        lastAt: z.string().openapi({ description: "ISO 8601" }),
      }),
    ),
  })
  .openapi("HelpInsights");

/** Body of GET /v1/help/insights. */
export type HelpInsightsResponse = z.infer<typeof Insights>;

const err = (description: string) => ({ description, content: { "application/json": { schema: ErrorSchema } } });

/** The client a feedback limit counts: the socket's address; in-process requests share one. */
function clientOf(c: Parameters<typeof getConnInfo>[0]): string {
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown";
  }
}

export function helpRoutes(deps: AppDeps) {
  const library = new HelpLibrary(deps.db);
  const limiter = new FeedbackLimiter();
  return newRouter()
    .openapi(
      // Before /{slug}, which would otherwise take "insights" for a slug.
      createRoute({
        method: "get",
        path: "/insights",
        summary:
          'Operators: searches that found no good answer (most asked first) and each article\'s "did this solve it?" answers (least solved first).',
        description:
          "A search counts as unanswered when no article matched at least half of its words. Questions are kept as their normalised words only (no addresses, hashes or long numbers), never with who asked.",
        middleware: [deps.auth.assessor] as const,
        request: { query: z.object({ limit: LimitQuery(50) }) },
        responses: {
          200: { description: "what the library learned", content: { "application/json": { schema: Insights } } },
          400: err("invalid input"),
          401: err("not signed in"),
          403: err("not an assessor"),
        },
      }),
      async (c) => c.json(await readInsights(deps.db, c.req.valid("query").limit), 200),
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/{slug}/feedback",
        summary: "Did this article solve it? One answer per article per client an hour, 20 an hour in all.",
        request: {
          params: z.object({ slug: SlugParam }),
          query: z.object({ lang: LangQuery }),
          body: { content: { "application/json": { schema: FeedbackBody } }, required: true },
        },
        responses: {
          201: { description: "counted", content: { "application/json": { schema: FeedbackRecorded } } },
          400: err("invalid input"),
          404: err("no such article"),
          429: err("this client answered too often"),
        },
      }),
      async (c) => {
        const { slug } = c.req.valid("param");
        const body = c.req.valid("json");
        const lang = body.lang ?? language(c, c.req.valid("query").lang);
        if (!(await library.has(slug))) throw new HttpError(404, "not_found", `no help article ${slug}`);
        limiter.take(clientOf(c), slug, deps.now());
        await recordFeedback(deps.db, slug, lang, body.solved);
        return c.json({ slug, lang, solved: body.solved }, 201);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/",
        summary:
          "Search the help library (typos tolerated, any of the four languages), best match first; without q, every article in library order.",
        description:
          "A search whose best article matches fewer than half of its words is counted, by its normalised words only, for operators (GET /v1/help/insights).",
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
        const { results, answered } = await library.search(q ?? "", lang, limit);
        if (!answered) {
          // Counting is best effort: a failed count must not fail the reader's search.
          await recordUnanswered(deps.db, lang, q ?? "").catch((error: unknown) =>
            deps.log.warn("help: could not count an unanswered search", { error: String(error) }),
          );
        }
        return c.json({ lang, query: q ?? null, results }, 200);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/{slug}",
        summary: "One help article in the reader's language.",
        request: {
          params: z.object({ slug: SlugParam }),
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
