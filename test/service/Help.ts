import { expect } from "chai";
import { sql } from "drizzle-orm";

import { queryRows } from "../../service/src/db/client.js";
import { HELP_ARTICLES, type HelpArticle } from "../../service/src/help/articles.js";
import { seedHelpArticles } from "../../service/src/help/seed.js";
import { editDistance, similarity, tokenize } from "../../service/src/help/search.js";
import { LANGUAGES } from "../../service/src/tracking/i18n.js";
import { ENGINES } from "./helpers.js";
import { getJson, readFixture, type ReadFixture } from "./readApp.js";

type Result = { slug: string; title: string; answer: string; lang: string; score: number | null; claimFlow: unknown };
type SearchBody = { lang: string; query: string | null; results: Result[] };
type ErrorBody = { error: { code: string; message: string } };

describe("help search matching", function () {
  it("tokenises without accents or apostrophes, and pairs Han characters", function () {
    expect(tokenize("I haven't received C!")).to.deep.equal(["havent", "received", "c"]);
    expect(tokenize("¿Cómo cancelo una autorización?")).to.deep.equal(["cancelo", "autorizacion"]);
    expect(tokenize("没有收到C")).to.deep.equal(["没有", "有收", "收到", "c"]);
  });

  it("counts edits, a swap of neighbours as one", function () {
    expect(editDistance("recieve", "receive", 2)).to.equal(1);
    expect(editDistance("redemtion", "redemption", 2)).to.equal(1);
    expect(editDistance("staking", "stacking", 2)).to.equal(1);
    expect(editDistance("abc", "xyz", 1)).to.equal(2);
  });

  it("rates exact over prefix over typo, and leaves short words exact", function () {
    expect(similarity("redemption", "redemption")).to.equal(1);
    expect(similarity("redem", "redemption")).to.equal(0.85);
    expect(similarity("errors", "error")).to.equal(0.8);
    expect(similarity("redemtion", "redemption")).to.equal(0.75);
    expect(similarity("recieve", "received")).to.be.greaterThan(0);
    expect(similarity("gas", "has")).to.equal(0);
    expect(similarity("收到", "没有")).to.equal(0);
  });
});

describe("help articles shipped with the repo", function () {
  it("answers every question in all four languages, with a one-step answer", function () {
    expect(HELP_ARTICLES.length).to.be.greaterThanOrEqual(8);
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
    expect(slugs).to.include.members([
      "not-received-c",
      "cancel-authorisation",
      "redemption-tool-stuck",
      "data-api-errors-event",
    ]);
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
    });

    it("searches in each language and answers in the reader's", async function () {
      expect((await top("belum menerima C", "id"))[0]).to.equal("not-received-c");
      expect((await top("alat penukaran macet", "id"))[0]).to.equal("redemption-tool-stuck");
      expect((await top("herramienta de canje bloqueada", "es"))[0]).to.equal("redemption-tool-stuck");
      expect((await top("cancelar autorizacion", "es"))[0]).to.equal("cancel-authorisation");
      expect((await top("没有收到C", "zh"))[0]).to.equal("not-received-c");
      expect((await top("活动期间 API 报错", "zh"))[0]).to.equal("data-api-errors-event");
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

    it("answers unknown and malformed slugs and queries with the error shape", async function () {
      const missing = await getJson<ErrorBody>(f.app(), "/v1/help/no-such-article");
      expect(missing.status).to.equal(404);
      expect(missing.body).to.deep.equal({ error: { code: "not_found", message: "no help article no-such-article" } });
      for (const path of ["/v1/help/Bad_Slug", "/v1/help?limit=0", `/v1/help?q=${"x".repeat(201)}`]) {
        const { status, body } = await getJson<ErrorBody>(f.app(), path);
        expect(status, path).to.equal(400);
        expect(body.error.code).to.equal("invalid_request");
      }
    });
  });
}
