import { expect } from "chai";
import { sql } from "drizzle-orm";

import { queryRows } from "../../service/src/db/client.js";
import { HELP_ARTICLES, type HelpArticle } from "../../service/src/help/articles.js";
import { seedHelpArticles } from "../../service/src/help/seed.js";
import { FeedbackLimiter, recordFeedback, recordUnanswered, unansweredWords } from "../../service/src/help/insights.js";
import { fuzziness, prefixes, SearchIndex, tokenize } from "../../service/src/help/search.js";
import { LANGUAGES } from "../../service/src/claims/i18n.js";
import { ENGINES } from "./helpers.js";
import { ASSESSOR } from "./indexer.js";
import { getJson, readFixture, type ReadFixture } from "./readApp.js";

type Result = { slug: string; title: string; answer: string; lang: string; score: number | null; claimFlow: unknown };
type SearchBody = { lang: string; query: string | null; results: Result[] };
type ErrorBody = { error: { code: string; message: string } };
type InsightsBody = {
  unanswered: Array<{ lang: string; words: string; count: number; firstSeen: string; lastSeen: string }>;
  feedback: Array<{
    slug: string;
    solved: number;
    notSolved: number;
    solvedShare: number;
    byLanguage: Array<{ lang: string; solved: number; notSolved: number }>;
  }>;
};

describe("help search terms", function () {
  it("lower-cases, drops accents, apostrophes and stopwords", function () {
    expect(tokenize("I haven't received C!")).to.deep.equal(["havent", "received", "c"]);
    expect(tokenize("¿Cómo cancelo una autorización?")).to.deep.equal(["cancelo", "autorizacion"]);
    expect(tokenize("Perdí mi frase de recuperación")).to.deep.equal(["perdi", "frase", "recuperacion"]);
  });

  it("cuts Chinese into the segmenter's words and character pairs", function () {
    // The segmenter's cut follows the runtime's ICU dictionary ("被盗" may come out as 被 / 盗):
    // the pairs are what make the match independent of it.
    const words = tokenize("钱包被盗", "words");
    expect(words[0]).to.equal("钱包");
    expect(words.join("")).to.equal("钱包被盗");
    expect(tokenize("钱包被盗", "pairs")).to.deep.equal(["钱包", "包被", "被盗"]);
    expect(tokenize("钱包被盗")).to.deep.equal([...words, "钱包", "包被", "被盗"]);
    // Latin inside Han text stays a word of its own; 了 is a stopword.
    expect(tokenize("没有收到C了", "words")).to.include.members(["c", "收到"]);
    expect(tokenize("没有收到C了", "words")).to.not.include("了");
  });

  it("forgives one typo from 4 letters and two from 7, never in Han terms, and prefixes from 3 letters", function () {
    expect([fuzziness("gas"), fuzziness("seed"), fuzziness("recieve"), fuzziness("钱包被盗")]).to.deep.equal([
      0, 1, 2, 0,
    ]);
    expect([prefixes("re"), prefixes("red"), prefixes("钱包")]).to.deep.equal([false, true, false]);
  });

  it("ranks the reader's language first among equal articles, and says how much of the query matched", function () {
    const doc = (slug: string, lang: "en" | "es", title: string) => ({
      slug,
      lang,
      title,
      keywords: "",
      answer: "",
      details: "",
    });
    const index = new SearchIndex([doc("a", "en", "token approval"), doc("b", "es", "token approval")]);
    expect(index.search("token approval", "es", 5).map((h) => h.slug)).to.deep.equal(["b", "a"]);
    expect(index.search("token approval", "en", 5).map((h) => h.slug)).to.deep.equal(["a", "b"]);
    const [hit] = index.search("token xylophone", "en", 5);
    expect(hit?.coverage).to.equal(0.5);
    expect(index.search("the of", "en", 5)).to.deep.equal([]);
  });
});

describe("help insights: what is counted", function () {
  it("keeps a question's normalised words, once each, without addresses, hashes or long numbers", function () {
    expect(unansweredWords("My C not ARRIVE, c not arrive!")).to.equal("c not arrive");
    expect(unansweredWords("¿Dónde está mi C? 0x70997970C51812dc3A010C7d01b50e0d17dc79C8")).to.equal("donde esta c");
    expect(unansweredWords("order 12345678 tx 5f2a9c0e11d4b7a8e3c6f9d2")).to.equal("order tx");
    // Chinese is kept as the segmenter's words (not character pairs), without stopwords such as 了.
    expect(unansweredWords("钱包被盗了怎么办"))
      .to.match(/^钱包 被 ?盗 /)
      .and.not.include("了");
    expect(unansweredWords("the of 的")).to.equal("");
    expect(unansweredWords("word ".repeat(10) + "x".repeat(190) + " tail").length).to.be.at.most(200);
  });

  it("limits answers per article and per hour for each client, and forgets after an hour", function () {
    const limiter = new FeedbackLimiter({ perHour: 3, perArticleMs: 600_000 });
    limiter.take("1.2.3.4", "gas-fees", 0);
    expect(() => limiter.take("1.2.3.4", "gas-fees", 599_999)).to.throw("one answer per article per 10 minutes");
    limiter.take("1.2.3.4", "gas-fees", 600_000);
    limiter.take("5.6.7.8", "gas-fees", 1); // another client is not affected
    limiter.take("1.2.3.4", "wrong-network", 600_001);
    expect(() => limiter.take("1.2.3.4", "fake-airdrop", 600_002)).to.throw("at most 3 answers per client per hour");
    limiter.take("1.2.3.4", "fake-airdrop", 3_600_001);
  });
});

describe("help articles shipped with the repo", function () {
  it("answers every question in all four languages, with a one-step answer", function () {
    expect(HELP_ARTICLES.length).to.be.greaterThanOrEqual(30);
    const slugs = HELP_ARTICLES.map((a) => a.slug);
    expect(new Set(slugs).size).to.equal(slugs.length);
    for (const article of HELP_ARTICLES) {
      expect(article.slug).to.match(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      for (const lang of LANGUAGES) {
        const text = article.texts[lang];
        expect(text.title.length, `${article.slug}/${lang}`).to.be.greaterThan(3);
        expect(text.answer.length, `${article.slug}/${lang}`).to.be.within(20, 300);
        expect(text.details.length, `${article.slug}/${lang}`).to.be.greaterThan(20);
      }
    }
    // The list: wallet basics, projects and merchants, the station's own flows.
    expect(slugs).to.include.members([
      ...["seed-phrase-backup", "gas-fees", "block-confirmations", "stuck-or-failed-transaction", "wrong-network"],
      ...["token-approvals", "connect-wallet", "hardware-wallet", "lost-seed-phrase", "phishing-site"],
      ...["fake-airdrop", "fake-support", "verify-agent", "wallet-stolen"],
      ...["data-api-errors-event", "node-sync-backup-endpoint", "redemption-tool-stuck", "emergency-qr-code"],
      ...["event-standby", "file-claim", "late-answer", "staking-priority", "buy-package", "incident-payout"],
      ...["case-conversation", "rate-support", "not-received-c", "cancel-authorisation", "track-claim"],
    ]);
  });

  it("gives every article its own title in each language, in that language's script", function () {
    for (const lang of LANGUAGES) {
      const titles = HELP_ARTICLES.map((a) => a.texts[lang].title);
      expect(new Set(titles).size, lang).to.equal(titles.length);
    }
    for (const article of HELP_ARTICLES) {
      expect(article.texts.zh.title, article.slug).to.match(/\p{Script=Han}/u);
      // A translation, not a copy of the English text.
      for (const lang of ["id", "es", "zh"] as const) {
        expect(article.texts[lang].answer, `${article.slug}/${lang}`).to.not.equal(article.texts.en.answer);
      }
    }
    expect(HELP_ARTICLES.find((a) => a.slug === "verify-agent")?.texts.en.answer).to.include("station verify");
  });
});

for (const engine of ENGINES) {
  describe(`help library (${engine})`, function () {
    let f: ReadFixture;
    beforeEach(async function () {
      f = await readFixture(engine);
      await seedHelpArticles(f.handle.db);
    });
    afterEach(async function () {
      await f.close();
    });

    const top = async (q: string, lang?: string) => {
      const query = new URLSearchParams({ q, ...(lang === undefined ? {} : { lang }) });
      const { status, body } = await getJson<SearchBody>(f.app(), `/v1/help?${query}`);
      expect(status).to.equal(200);
      return body.results.map((r) => r.slug);
    };

    it("seeds idempotently: a second start writes nothing, a changed article is rewritten", async function () {
      const before = await queryRows<{ slug: string; updated_at: unknown }>(
        f.handle.db,
        sql`SELECT slug, updated_at FROM help_articles ORDER BY slug`,
      );
      expect(before.length).to.equal(HELP_ARTICLES.length);
      expect(await seedHelpArticles(f.handle.db)).to.deep.equal([]);
      const after = await queryRows(f.handle.db, sql`SELECT slug, updated_at FROM help_articles ORDER BY slug`);
      expect(after).to.deep.equal(before);
      const texts = await queryRows<{ n: number }>(f.handle.db, sql`SELECT count(*)::int AS n FROM help_article_texts`);
      expect(texts).to.deep.equal([{ n: HELP_ARTICLES.length * 4 }]);

      const edited: HelpArticle[] = HELP_ARTICLES.map((a) =>
        a.slug === "late-answer" ? { ...a, texts: { ...a.texts, en: { ...a.texts.en, title: "Answered late?" } } } : a,
      );
      expect(await seedHelpArticles(f.handle.db, edited)).to.deep.equal(["late-answer"]);
      const { body } = await getJson<Result>(f.app(), "/v1/help/late-answer");
      expect(body.title).to.equal("Answered late?");
    });

    it("seeds once when replicas start together", async function () {
      const fresh = await readFixture(engine);
      try {
        const [a, b] = await Promise.all([seedHelpArticles(fresh.handle.db), seedHelpArticles(fresh.handle.db)]);
        expect([...a, ...b].sort()).to.deep.equal(HELP_ARTICLES.map((x) => x.slug).sort());
      } finally {
        await fresh.close();
      }
    });

    it("finds the right article first despite typos", async function () {
      expect((await top("recieve C"))[0]).to.equal("not-received-c");
      expect((await top("havent recieved my C"))[0]).to.equal("not-received-c");
      expect((await top("redemtion stuck"))[0]).to.equal("redemption-tool-stuck");
      expect((await top("redemption tool frozen"))[0]).to.equal("redemption-tool-stuck");
      expect((await top("cancle authorisaton"))[0]).to.equal("cancel-authorisation");
      expect((await top("data api eror during event"))[0]).to.equal("data-api-errors-event");
      expect((await top("stakng priorty"))[0]).to.equal("staking-priority");
      expect((await top("buy emergancy package"))[0]).to.equal("buy-package");
      expect((await top("incident payout eligible"))[0]).to.equal("incident-payout");
      expect((await top("no gas to submit"))[0]).to.equal("gasless-claim");
      expect((await top("lost my seed phrse"))[0]).to.equal("lost-seed-phrase");
      expect((await top("revoke unlimited alowance"))[0]).to.equal("token-approvals");
    });

    it("searches in each language and answers in the reader's", async function () {
      expect((await top("belum menerima C", "id"))[0]).to.equal("not-received-c");
      expect((await top("alat penukaran macet", "id"))[0]).to.equal("redemption-tool-stuck");
      expect((await top("herramienta de canje bloqueada", "es"))[0]).to.equal("redemption-tool-stuck");
      expect((await top("cancelar autorizacion", "es"))[0]).to.equal("cancel-authorisation");
      expect((await top("没有收到C", "zh"))[0]).to.equal("not-received-c");
      expect((await top("活动期间 API 报错", "zh"))[0]).to.equal("data-api-errors-event");
      expect((await top("钱包被盗了怎么办", "zh"))[0]).to.equal("wallet-stolen");
      expect((await top("助记词丢了", "zh"))[0]).to.equal("lost-seed-phrase");
      expect((await top("frase semilla perdida", "es"))[0]).to.equal("lost-seed-phrase");
      expect((await top("ada yang ngaku admin minta seed", "id"))[0]).to.equal("fake-support");
      const { body, headers } = await getJson<SearchBody>(f.app(), "/v1/help?q=redemption%20stuck&lang=es");
      expect(body.lang).to.equal("es");
      expect(headers.get("content-language")).to.equal("es");
      expect(body.results[0]).to.deep.include({
        slug: "redemption-tool-stuck",
        title: "Mi herramienta de canje está bloqueada",
        lang: "es",
        claimFlow: { kind: "RedemptionToolFailure", href: "/?kind=RedemptionToolFailure#emergency" },
      });
    });

    it("ranks by relevance and finds nothing for words it does not know", async function () {
      const { body } = await getJson<SearchBody>(f.app(), "/v1/help?q=redemption%20tool%20stuck");
      const scores = body.results.map((r) => r.score ?? 0);
      expect(scores).to.deep.equal([...scores].sort((a, b) => b - a));
      expect(scores[0]).to.be.greaterThan(2 * (scores[1] ?? 0));
      expect(await top("xylophone quasar")).to.deep.equal([]);
    });

    it("lists every article in library order without a query", async function () {
      const { body } = await getJson<SearchBody>(f.app(), "/v1/help?limit=50", { "Accept-Language": "zh-CN" });
      expect(body.lang).to.equal("zh");
      expect(body.query).to.equal(null);
      expect(body.results.map((r) => r.slug)).to.deep.equal(HELP_ARTICLES.map((a) => a.slug));
      expect(body.results[0]?.title).to.equal("我还没有收到 C");
    });

    it("serves one article in each language, with its claim-flow link", async function () {
      for (const lang of LANGUAGES) {
        const { status, body } = await getJson<Result & { languages: string[] }>(
          f.app(),
          `/v1/help/data-api-errors-event?lang=${lang}`,
        );
        expect(status).to.equal(200);
        expect(body.lang).to.equal(lang);
        expect(body.title).to.equal(HELP_ARTICLES.find((a) => a.slug === "data-api-errors-event")?.texts[lang].title);
        expect(body.languages).to.deep.equal(["en", "id", "es", "zh"]);
        expect(body.claimFlow).to.deep.equal({ kind: "DataApiOutage", href: "/?kind=DataApiOutage#emergency" });
      }
      expect((await getJson<Result>(f.app(), "/v1/help/gasless-claim")).body.claimFlow).to.deep.equal({
        kind: null,
        href: "/#emergency",
      });
      expect((await getJson<Result>(f.app(), "/v1/help/staking-priority")).body.claimFlow).to.equal(null);
    });

    const insights = async (headers: Record<string, string> = { Authorization: `Test ${ASSESSOR}` }, query = "") =>
      getJson<InsightsBody & ErrorBody>(f.app(), `/v1/help/insights${query}`, headers);
    const feedback = (slug: string, body: unknown, query = "", app = f.app()) =>
      app.request(`/v1/help/${slug}/feedback${query}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });

    it("counts searches with no good answer by their words, never those it answers", async function () {
      expect(await top("xylophone quasar")).to.deep.equal([]);
      expect(await top("Xylophone, QUASAR!")).to.deep.equal([]);
      await top("ksatria ajaib 0x90F79bf6EB2c4f870365E785982E1f101E93b906", "id");
      // Answered (every word matches an article): not counted. An empty query lists articles: not counted.
      await top("redemption tool stuck");
      await getJson(f.app(), "/v1/help");
      // One word of four matches an article: not a good answer, counted.
      await top("gas zorblax quimbo flurp");

      const { status, body } = await insights();
      expect(status).to.equal(200);
      expect(body.unanswered.map(({ lang, words, count }) => ({ lang, words, count }))).to.deep.equal([
        { lang: "en", words: "xylophone quasar", count: 2 },
        // Equal counts: the most recent first.
        { lang: "en", words: "gas zorblax quimbo flurp", count: 1 },
        { lang: "id", words: "ksatria ajaib", count: 1 },
      ]);
      const first = body.unanswered[0]!;
      expect(Date.parse(first.lastSeen)).to.be.at.least(Date.parse(first.firstSeen));
      const stored = await queryRows<{ words: string }>(f.handle.db, sql`SELECT words FROM help_unanswered`);
      expect(JSON.stringify(stored)).to.not.match(/0x|90f79/i);
      expect((await insights(undefined, "?limit=1")).body.unanswered).to.have.length(1);
    });

    it("stops adding new unanswered questions when the table is full, but keeps counting known ones", async function () {
      expect(await recordUnanswered(f.handle.db, "en", "alpha beta", 2)).to.equal(true);
      expect(await recordUnanswered(f.handle.db, "en", "gamma", 2)).to.equal(true);
      expect(await recordUnanswered(f.handle.db, "en", "delta", 2)).to.equal(false);
      expect(await recordUnanswered(f.handle.db, "en", "Alpha, BETA", 2)).to.equal(true);
      expect(await recordUnanswered(f.handle.db, "en", "the of", 2)).to.equal(false);
      const rows = await queryRows<{ words: string; count: number }>(
        f.handle.db,
        sql`SELECT words, count FROM help_unanswered ORDER BY words`,
      );
      expect(rows).to.deep.equal([
        { words: "alpha beta", count: 2 },
        { words: "gamma", count: 1 },
      ]);
    });

    it('takes "did this solve it?" answers per article and shows operators the least solved first', async function () {
      // One app: the limits live in the running service's memory.
      const app = f.app();
      const yes = await feedback("gas-fees", { solved: true }, "?lang=es", app);
      expect(yes.status).to.equal(201);
      expect(await yes.json()).to.deep.equal({ slug: "gas-fees", lang: "es", solved: true });
      // In-process requests share one client: the next answer on gas-fees is limited, others are not.
      const again = await feedback("gas-fees", { solved: false }, "", app);
      expect(again.status).to.equal(429);
      expect(((await again.json()) as ErrorBody).error.code).to.equal("rate_limited");
      expect((await feedback("wrong-network", { solved: false, lang: "zh" }, "", app)).status).to.equal(201);
      expect((await feedback("token-approvals", { solved: true, lang: "en" }, "", app)).status).to.equal(201);

      const { body } = await insights();
      expect(
        body.feedback.map(({ slug, solved, notSolved, solvedShare, byLanguage }) => ({
          slug,
          solved,
          notSolved,
          solvedShare,
          byLanguage,
        })),
      ).to.deep.equal([
        {
          slug: "wrong-network",
          solved: 0,
          notSolved: 1,
          solvedShare: 0,
          byLanguage: [{ lang: "zh", solved: 0, notSolved: 1 }],
        },
        {
          slug: "gas-fees",
          solved: 1,
          notSolved: 0,
          solvedShare: 1,
          byLanguage: [{ lang: "es", solved: 1, notSolved: 0 }],
        },
        {
          slug: "token-approvals",
          solved: 1,
          notSolved: 0,
          solvedShare: 1,
          byLanguage: [{ lang: "en", solved: 1, notSolved: 0 }],
        },
      ]);
    });

    it("adds answers from many clients into one article's counts", async function () {
      for (const solved of [true, true, false]) await recordFeedback(f.handle.db, "fake-support", "id", solved);
      await recordFeedback(f.handle.db, "fake-support", "en", false);
      const [row] = (await insights()).body.feedback;
      expect(row).to.deep.include({ slug: "fake-support", solved: 2, notSolved: 2, solvedShare: 0.5 });
      expect(row?.byLanguage).to.deep.equal([
        { lang: "en", solved: 0, notSolved: 1 },
        { lang: "id", solved: 2, notSolved: 1 },
      ]);
    });

    it("refuses feedback that is malformed or names no article", async function () {
      const missing = await feedback("no-such-article", { solved: true });
      expect(missing.status).to.equal(404);
      expect(await missing.json()).to.deep.equal({
        error: {
          code: "not_found",
          message: "no help article no-such-article",
          requestId: missing.headers.get("x-request-id"),
        },
      });
      for (const [slug, body] of [
        ["gas-fees", {}],
        ["gas-fees", { solved: "yes" }],
        ["gas-fees", { solved: true, lang: "fr" }],
        ["gas-fees", { solved: true, who: "0xabc" }],
        ["Bad_Slug", { solved: true }],
      ] as const) {
        const res = await feedback(slug, body);
        expect(res.status, JSON.stringify(body)).to.equal(400);
        expect(((await res.json()) as ErrorBody).error.code).to.equal("invalid_request");
      }
      const counted = await queryRows<{ n: number }>(f.handle.db, sql`SELECT count(*)::int AS n FROM help_feedback`);
      expect(counted).to.deep.equal([{ n: 0 }]);
    });

    it("shows insights to assessors only", async function () {
      expect((await insights({})).status).to.equal(401);
      const stranger = await insights({ Authorization: `Test ${"0x" + "11".repeat(20)}` });
      expect(stranger.status).to.equal(403);
      expect(stranger.body.error.code).to.equal("forbidden");
      expect((await insights(undefined, "?limit=0")).status).to.equal(400);
      const empty = await insights();
      expect(empty.body).to.deep.equal({ unanswered: [], feedback: [] });
    });

    it("documents the insights and feedback routes in the OpenAPI document", async function () {
      const { body } = await getJson<{ paths: Record<string, Record<string, unknown>> }>(f.app(), "/openapi.json");
      expect(body.paths["/v1/help/insights"]).to.have.property("get");
      expect(body.paths["/v1/help/{slug}/feedback"]).to.have.property("post");
    });

    it("answers unknown and malformed slugs and queries with the error shape", async function () {
      const missing = await getJson<ErrorBody>(f.app(), "/v1/help/no-such-article");
      expect(missing.status).to.equal(404);
      expect(missing.body).to.deep.equal({
        error: {
          code: "not_found",
          message: "no help article no-such-article",
          requestId: missing.headers.get("x-request-id"),
        },
      });
      for (const path of ["/v1/help/Bad_Slug", "/v1/help?limit=0", `/v1/help?q=${"x".repeat(201)}`]) {
        const { status, body } = await getJson<ErrorBody>(f.app(), path);
        expect(status, path).to.equal(400);
        expect(body.error.code).to.equal("invalid_request");
      }
    });
  });
}
