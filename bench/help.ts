/**
 * The help search's evaluation: every question of bench/help-eval.json is searched in its own
 * language against the shipped articles (the same SearchIndex the service builds at start), and
 * the hit rate of the expected article at rank 1 and within the top 3 is printed per language,
 * for the default Han tokenisation and, for comparison, the segmenter's words alone and
 * character pairs alone. Writes bench/results/help.json (the default's figures, every miss, and
 * the comparison). Goal (issue 15): ≥ 90% top-3 in every language. Exit 1 when a language misses it.
 *
 *   npm run bench:help
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { z } from "zod";

import { HELP_ARTICLES } from "../service/src/help/articles.js";
import { SearchIndex, type HanTerms, type SearchDoc } from "../service/src/help/search.js";
import { LANGUAGES, type Language } from "../service/src/claims/i18n.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const GOAL_TOP3 = 0.9;

const EvalSet = z.object({
  about: z.string(),
  questions: z
    .array(
      z.object({
        lang: z.enum(LANGUAGES),
        q: z.string().min(1),
        slug: z.string().min(1),
        set: z.enum(["first", "held-out"]),
      }),
    )
    .min(60),
});

export type LanguageFigures = { questions: number; top1: number; top3: number };
export type Miss = { lang: Language; q: string; expected: string; got: string[] };
type Question = z.infer<typeof EvalSet>["questions"][number];

export function evaluate(
  questions: Question[],
  han: HanTerms,
): { perLanguage: Record<Language, LanguageFigures>; misses: Miss[] } {
  const docs: SearchDoc[] = HELP_ARTICLES.flatMap((a) =>
    LANGUAGES.map((lang) => ({ slug: a.slug, lang, ...a.texts[lang] })),
  );
  const index = new SearchIndex(docs, han);
  const counts = Object.fromEntries(LANGUAGES.map((l) => [l, { questions: 0, top1: 0, top3: 0 }])) as Record<
    Language,
    LanguageFigures
  >;
  const misses: Miss[] = [];
  for (const { lang, q, slug } of questions) {
    const got = index.search(q, lang, 3).map((h) => h.slug);
    const c = counts[lang];
    c.questions += 1;
    if (got[0] === slug) c.top1 += 1;
    if (got.includes(slug)) c.top3 += 1;
    else misses.push({ lang, q, expected: slug, got });
  }
  return { perLanguage: counts, misses };
}

const pct = (n: number, d: number) => (d === 0 ? 0 : Math.round((1000 * n) / d) / 10);

async function main() {
  const set = EvalSet.parse(JSON.parse(await readFile(path.join(here, "help-eval.json"), "utf8")));
  const slugs = new Set(HELP_ARTICLES.map((a) => a.slug));
  const unknown = set.questions.filter((q) => !slugs.has(q.slug));
  if (unknown.length > 0)
    throw new Error(`help-eval.json names unknown articles: ${unknown.map((u) => u.slug).join(", ")}`);

  const modes: HanTerms[] = ["both", "words", "pairs"];
  const runs = Object.fromEntries(modes.map((m) => [m, evaluate(set.questions, m)])) as Record<
    HanTerms,
    ReturnType<typeof evaluate>
  >;
  const main = runs.both;

  // Cost: building the index (what a replica does on its first search and after a reseed) and one search.
  const docs: SearchDoc[] = HELP_ARTICLES.flatMap((a) =>
    LANGUAGES.map((lang) => ({ slug: a.slug, lang, ...a.texts[lang] })),
  );
  const builds: number[] = [];
  let index = new SearchIndex(docs);
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    index = new SearchIndex(docs);
    builds.push(performance.now() - t);
  }
  const searches: number[] = [];
  for (let round = 0; round < 5; round++) {
    for (const { q, lang } of set.questions) {
      const t = performance.now();
      index.search(q, lang, 10);
      searches.push(performance.now() - t);
    }
  }
  const median = (xs: number[]) => Math.round(100 * [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!) / 100;
  const p99 = (xs: number[]) => Math.round(100 * [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.99)]!) / 100;
  const cost = { indexBuildMsMedian: median(builds), searchMsMedian: median(searches), searchMsP99: p99(searches) };

  console.log(
    `help search: ${set.questions.length} questions, ${HELP_ARTICLES.length} articles × ${LANGUAGES.length} languages`,
  );
  console.log("lang  questions  top-1    top-3    goal top-3 ≥ 90%");
  const table = LANGUAGES.map((lang) => {
    const f = main.perLanguage[lang];
    const row = { lang, questions: f.questions, top1: pct(f.top1, f.questions), top3: pct(f.top3, f.questions) };
    const met = f.top3 / f.questions >= GOAL_TOP3;
    console.log(
      `${lang.padEnd(6)}${String(row.questions).padStart(9)}  ${`${row.top1}%`.padStart(6)}  ${`${row.top3}%`.padStart(7)}    ${met ? "yes" : "no"}`,
    );
    return { ...row, goalMet: met };
  });
  const heldOut = evaluate(
    set.questions.filter((q) => q.set === "held-out"),
    "both",
  );
  console.log("\nheld-out questions only (never used to tune), top-1 / top-3:");
  for (const lang of LANGUAGES) {
    const f = heldOut.perLanguage[lang];
    console.log(
      `  ${lang.padEnd(4)} ${f.questions} questions: ${pct(f.top1, f.questions)}% / ${pct(f.top3, f.questions)}%`,
    );
  }
  console.log("\nChinese tokenisation compared (zh top-1 / top-3):");
  for (const m of modes) {
    const f = runs[m].perLanguage.zh;
    console.log(`  ${m.padEnd(6)} ${pct(f.top1, f.questions)}% / ${pct(f.top3, f.questions)}%`);
  }
  console.log(
    `\nindex build ${cost.indexBuildMsMedian} ms (median of 20); search ${cost.searchMsMedian} ms median, ${cost.searchMsP99} ms p99 (${searches.length} searches)`,
  );
  if (main.misses.length > 0) {
    console.log("\nnot in the top 3:");
    for (const m of main.misses)
      console.log(`  [${m.lang}] ${m.q} → expected ${m.expected}, got ${m.got.join(", ") || "nothing"}`);
  }

  const out = {
    measuredAt: new Date().toISOString(),
    questions: set.questions.length,
    articles: HELP_ARTICLES.length,
    goal: "top-3 hit rate ≥ 90% in every language",
    perLanguage: table,
    cost,
    heldOut: Object.fromEntries(
      LANGUAGES.map((l) => {
        const f = heldOut.perLanguage[l];
        return [l, { questions: f.questions, top1: pct(f.top1, f.questions), top3: pct(f.top3, f.questions) }];
      }),
    ),
    hanTokenisation: Object.fromEntries(
      modes.map((m) => [
        m,
        Object.fromEntries(
          LANGUAGES.map((l) => {
            const f = runs[m].perLanguage[l];
            return [l, { top1: pct(f.top1, f.questions), top3: pct(f.top3, f.questions) }];
          }),
        ),
      ]),
    ),
    misses: main.misses,
  };
  const file = path.join(process.env.BENCH_RESULTS_DIR ?? path.join(here, "results"), "help.json");
  await writeFile(file, JSON.stringify(out, null, 2) + "\n");
  console.log(`\nwrote ${path.relative(process.cwd(), file)}`);
  if (table.some((r) => !r.goalMet)) process.exitCode = 1;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await main();
