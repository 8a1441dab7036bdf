/**
 * Help and the emergency button where people are, in a real browser (Debian's Chromium through
 * playwright-core, one started stack, the injected wallet of ./browser-fixture.ts answering each
 * tab as its own dev account: #1 the assessor, #5 and #7 people asking for help):
 * - "did this solve it?" under each help article, once per visit, in the reader's language; a "no"
 *   offers the emergency button with the article's kind;
 * - operators see what the library learned (unanswered searches, answers per article) at the desk;
 * - a project's emergency card: its short link opens the form with kind and origin preselected,
 *   the claim is filed from the wallet, and the assessor's case shows the origin;
 * - the embeddable button, pasted with the README's snippet into a page served from another
 *   origin, opens the station's form in a new tab, where the claim is filed.
 * Screenshots go to test-results/. The tests build on each other (bail).
 */
import { readFile } from "node:fs/promises";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

import { expect } from "chai";
import type { BrowserContext, Page } from "playwright-core";
import type { Address } from "viem";

import { CLAIM_KINDS } from "../../common/claims.js";
import { REPO_ROOT } from "../../stack/proc.js";
import type { Stack } from "../../stack/stack.js";
import type { HelpInsightsResponse, HelpSearchResponse } from "../../service/src/help/routes.js";
import {
  RESULTS,
  dev,
  fitsWidth,
  launchWithWallet,
  needChromium,
  startBrowserStack,
  textOf,
} from "./browser-fixture.js";

const ASSESSOR = dev(1).address;
const CLAIMANT = dev(5).address;
const SHOPPER = dev(7).address;
/** The project whose emergency card is printed, and the merchant whose till shows the button. */
const PROJECT = dev(11).address;
const MERCHANT = dev(12).address;

type CaseJson = { opening: { statement: { origin: string | null; kind: string; text: string } | null } };

/** The one ```html block that loads embed.js in a Markdown file: the documented snippet. */
async function snippetIn(file: string): Promise<string> {
  const text = await readFile(path.join(REPO_ROOT, file), "utf8");
  const blocks = [...text.matchAll(/```html\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((b) => b.includes("embed.js"));
  expect(blocks, `${file}: one snippet`).to.have.length(1);
  return blocks[0]!;
}

describe("help feedback, emergency cards and the embedded button in Chromium", function () {
  this.timeout(300_000);
  this.bail(true);
  let stack: Stack;
  let stopStack: (() => Promise<void>) | undefined;
  let context: BrowserContext;
  let closeBrowser: (() => Promise<void>) | undefined;
  let host: Server | undefined;
  /** Each tab's account; a tab the station opens by itself (the button's) answers as `newTabs`. */
  const accounts = new Map<Page, Address>();
  let newTabs: Address = CLAIMANT;
  let assessorToken: string;
  const answered = { solved: "", notSolved: "" };
  let cardClaim: string;

  async function tab(account: Address): Promise<Page> {
    const page = await context.newPage();
    accounts.set(page, account);
    return page;
  }

  /** The tab's session token (the page keeps it in sessionStorage). */
  const tokenOf = (page: Page) =>
    page.evaluate(() => (JSON.parse(sessionStorage.getItem("station.session") ?? "{}") as { token?: string }).token);

  const api = (route: string, token?: string) =>
    fetch(`${stack.urls.service}${route}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });

  /** Fills the open claim form and sends it from the wallet: the claim's id once the page follows it. */
  async function fileClaim(page: Page, description: string): Promise<string> {
    await page.fill("#claim-form input[name=amount]", "25");
    await page.fill("#claim-form textarea[name=description]", description);
    await page.click("#claim-form button[type=submit]");
    await page.waitForSelector("#progress-id", { timeout: 60_000 });
    await page.waitForFunction(() => /^#\d+$/.test(document.querySelector("#progress-id")?.textContent ?? ""));
    return (await page.textContent("#progress-id"))!.replace("#", "");
  }

  /** The case as the assessor reads it, once the service has indexed the claim (404 until then). */
  async function caseAsAssessor(claimId: string): Promise<CaseJson> {
    const until = Date.now() + 60_000;
    for (;;) {
      const res = await api(`/v1/cases/${claimId}`, assessorToken);
      if (res.status === 200) return (await res.json()) as CaseJson;
      expect(res.status, `case ${claimId}`).to.equal(404);
      if (Date.now() > until) throw new Error(`case ${claimId} was never indexed`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  before(async function () {
    needChromium(this);
    ({ stack, stop: stopStack } = await startBrowserStack("help"));
    ({ context, close: closeBrowser } = await launchWithWallet({
      rpcUrl: stack.urls.rpc,
      accountOf: (page) => accounts.get(page) ?? newTabs,
      profile: "station-help",
    }));
    context.on("page", (page) => page.on("pageerror", (error) => console.error(`      page error: ${error.message}`)));
  });

  after(async function () {
    await closeBrowser?.();
    // close() alone waits for every open connection to end: Chromium's kept one open for 100 s.
    await new Promise((resolve) => {
      if (host === undefined) return resolve(undefined);
      host.close(resolve);
      host.closeAllConnections();
    });
    await stopStack?.();
  });

  it("asks 'did this solve it?' once per article per visit, in the reader's language; a 'no' offers the emergency button with the article's kind", async function () {
    const page = await tab(CLAIMANT);
    try {
      await page.goto(stack.urls.web);
      const search = async (q: string) => {
        await page.fill("#help-form input[name=q]", q);
        await page.click("#help-form button[type=submit]");
      };
      const expected = (await (
        await api(`/v1/help?q=${encodeURIComponent("missing rewards")}&lang=en&limit=5`)
      ).json()) as HelpSearchResponse;
      const [first, second] = expected.results;
      expect(first && second, "two articles").to.not.equal(undefined);
      const first$ = `#help-result article[data-slug="${first!.slug}"]`;
      const second$ = `#help-result article[data-slug="${second!.slug}"]`;
      await search("missing rewards");
      expect(await textOf(page, `${first$} .feedback`, "Did this solve it?")).to.include("Yes");

      // Yes: thanks, and the buttons are gone; counted once by the service.
      const posted = page.waitForResponse((r) => r.url().includes(`/v1/help/${first!.slug}/feedback`));
      await page.click(`${first$} button[data-solved=yes]`);
      expect((await posted).status()).to.equal(201);
      await textOf(page, `${first$} [data-feedback=solved]`, "glad it helped");
      expect(await page.locator(`${first$} button[data-solved]`).count()).to.equal(0);

      // No on the second: thanks, and the emergency button with the article's kind (Other without one).
      await page.click(`${second$} button[data-solved=no]`);
      await textOf(page, `${second$} [data-feedback=not-solved]`, "A person can help");
      const kind = CLAIM_KINDS.indexOf(second!.claimFlow?.kind ?? "Other");
      expect(await page.getAttribute(`${second$} [data-emergency-kind]`, "data-emergency-kind")).to.equal(String(kind));
      await page.screenshot({ path: path.join(RESULTS, "web-help-feedback-390.png"), fullPage: true });
      await fitsWidth(page);
      await page.click(`${second$} [data-emergency-kind]`);
      await page.waitForSelector("#claim-form:not([hidden])");
      expect(await page.inputValue("#claim-form select[name=kind]")).to.equal(String(kind));

      // Searching again in another language: the same articles keep their answers (once per visit),
      // and the words follow the language.
      await page.selectOption("#lang", "id");
      await textOf(page, "#help h2", "Bantuan");
      await textOf(page, `${first$} [data-feedback=solved]`, "Terima kasih");
      await textOf(page, `${second$} [data-feedback=not-solved]`, "Tombol darurat");
      const others = page.locator("#help-result article [data-feedback=ask]");
      if ((await others.count()) > 0)
        expect(await others.first().textContent()).to.include("Apakah ini menyelesaikannya?");
      await page.selectOption("#lang", "en");
      await search("missing rewards");
      await textOf(page, `${first$} [data-feedback=solved]`, "glad it helped");
      expect(await page.locator(`${first$} button[data-solved], ${second$} button[data-solved]`).count()).to.equal(0);

      // A search nothing answers, counted for the operators by its words.
      await search("xylophone quasar");
      await textOf(page, "#help-result", "No article matches");
      answered.solved = first!.slug;
      answered.notSolved = second!.slug;
    } finally {
      await page.close();
    }
  });

  it("shows operators at the desk the searches with no good answer and each article's answers; others get 403", async function () {
    const page = await tab(ASSESSOR);
    try {
      await page.goto(`${stack.urls.web}#desk`);
      await page.click("#desk-sign-in");
      await textOf(page, "#desk-me", ASSESSOR);
      assessorToken = (await tokenOf(page))!;
      await page.click("#desk-insights summary");
      await textOf(page, `#desk-unanswered li[data-words="xylophone quasar"]`, "xylophone quasar");
      expect(await page.textContent(`#desk-unanswered li[data-words="xylophone quasar"] [data-count]`)).to.equal("1");
      const solved = `#desk-feedback li[data-slug="${answered.solved}"]`;
      const notSolved = `#desk-feedback li[data-slug="${answered.notSolved}"]`;
      expect(await page.textContent(`${solved} [data-solved]`)).to.equal("1");
      expect(await page.textContent(`${solved} [data-not-solved]`)).to.equal("0");
      expect(await page.textContent(`${notSolved} [data-solved]`)).to.equal("0");
      expect(await page.textContent(`${notSolved} [data-not-solved]`)).to.equal("1");
      // Least solved first.
      const order = await page.$$eval("#desk-feedback li", (lis) => lis.map((li) => li.getAttribute("data-slug")));
      expect(order.indexOf(answered.notSolved)).to.be.below(order.indexOf(answered.solved));
      // The panel is the route's answer, nothing more.
      const body = (await (await api("/v1/help/insights?limit=20", assessorToken)).json()) as HelpInsightsResponse;
      expect(body.feedback.map((f) => f.slug)).to.deep.equal(order);
      await page.screenshot({ path: path.join(RESULTS, "web-desk-insights-390.png"), fullPage: true });
      await fitsWidth(page);
    } finally {
      await page.close();
    }
    // A signed-in account without the assessor role, and nobody signed in: refused.
    const other = await tab(CLAIMANT);
    try {
      await other.goto(`${stack.urls.web}#desk`);
      await other.click("#desk-sign-in");
      await textOf(other, "#notice", "This account holds no staff role");
      expect((await api("/v1/help/insights", (await tokenOf(other))!)).status).to.equal(403);
      expect((await api("/v1/help/insights")).status).to.equal(401);
    } finally {
      await other.close();
    }
  });

  it("follows a project's emergency card to a filed claim whose opening statement, and the assessor's case, name the project", async function () {
    const res = await api(`/v1/cards/${PROJECT.toLowerCase()}?kind=DataApiOutage`);
    expect(res.status).to.equal(200);
    const card = (await res.json()) as { origin: string; url: string; shortUrl: string; svg: string; print: string };
    expect(card.origin).to.equal(PROJECT);
    // The printed card carries the short link, and its QR code is served.
    expect(await (await fetch(card.print)).text()).to.include(card.shortUrl);
    expect((await fetch(card.svg)).headers.get("content-type")).to.equal("image/svg+xml");

    const page = await tab(CLAIMANT);
    try {
      // What the phone does with the QR code: open the short link.
      await page.goto(card.shortUrl);
      expect(page.url()).to.equal(card.url);
      await page.waitForSelector("#claim-form:not([hidden])");
      expect(await page.inputValue("#claim-form select[name=kind]")).to.equal("1");
      expect(await page.textContent("#claim-form .origin code")).to.equal(PROJECT);
      cardClaim = await fileClaim(page, "The project's data feed has returned errors since this morning.");
      await page.screenshot({ path: path.join(RESULTS, "web-card-claim-390.png"), fullPage: true });
    } finally {
      await page.close();
    }
    const opening = (await caseAsAssessor(cardClaim)).opening.statement!;
    // Records keep addresses in lower case (canonical JSON); the page shows them checksummed.
    expect(opening.origin).to.equal(PROJECT.toLowerCase());
    expect(opening.kind).to.equal("DataApiOutage");

    // At the desk, the case names the project it came from.
    const desk = await tab(ASSESSOR);
    try {
      await desk.goto(`${stack.urls.web}#desk`);
      await desk.click("#desk-sign-in");
      const item = `#desk-queue li[data-claim="${cardClaim}"]`;
      await desk.waitForSelector(item, { timeout: 60_000 });
      await desk.click(`${item} button[data-do=open]`);
      await textOf(desk, "#desk-opening .origin", PROJECT);
      expect(await desk.getAttribute("#desk-opening .origin", "data-origin")).to.equal(PROJECT);
      await desk.screenshot({ path: path.join(RESULTS, "web-desk-card-origin-390.png"), fullPage: true });
    } finally {
      await desk.close();
    }
  });

  it("files a claim through the embedded button on a page of another origin, with the README's snippet", async function () {
    const snippet = await snippetIn("README.md");
    // One snippet, documented twice: the two copies say the same.
    expect(await snippetIn("docs/service.md")).to.equal(snippet);
    const station = new URL(stack.urls.service).origin;
    const pasted = snippet
      .replace("https://station.example", station)
      .replace("0xYourProjectOrMerchantAddress", MERCHANT);
    expect(pasted).to.include(`${station}/embed.js`).and.include(MERCHANT);
    host = createServer((req, res) => {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(`<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Kasir Kopi</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><h1>Kasir Kopi</h1><p>Total: Rp 25.000</p>${pasted}</body></html>`);
    });
    await new Promise<void>((resolve) => host!.listen(0, "127.0.0.1", resolve));
    const shop = `http://127.0.0.1:${(host.address() as AddressInfo).port}/`;
    expect(new URL(shop).origin).to.not.equal(station);

    newTabs = SHOPPER;
    const till = await tab(SHOPPER);
    try {
      await till.goto(shop);
      const button = till.locator("emergency-station-button button");
      await button.waitFor();
      expect(await button.textContent()).to.equal("Minta bantuan darurat");
      await till.screenshot({ path: path.join(RESULTS, "web-embed-host-390.png"), fullPage: true });
      const opened = context.waitForEvent("page");
      await button.click();
      const form = await opened;
      try {
        await form.waitForLoadState();
        expect(new URL(form.url()).origin).to.equal(station);
        await form.waitForSelector("#claim-form:not([hidden])");
        expect(await form.inputValue("#claim-form select[name=kind]")).to.equal("2");
        expect(await form.textContent("#claim-form .origin code")).to.equal(MERCHANT);
        expect(await form.inputValue("#lang")).to.equal("id");
        // Opened with noopener: the station's tab cannot reach the shop's page.
        expect(await form.evaluate(() => window.opener)).to.equal(null);
        const claimId = await fileClaim(form, "Mesin kasir tidak bisa menukar C sejak pagi.");
        await form.screenshot({ path: path.join(RESULTS, "web-embed-claim-390.png"), fullPage: true });
        const opening = (await caseAsAssessor(claimId)).opening.statement!;
        expect(opening.origin).to.equal(MERCHANT.toLowerCase());
        expect(opening.kind).to.equal("RedemptionToolFailure");
        expect(claimId).to.not.equal(cardClaim);
      } finally {
        await form.close();
      }
    } finally {
      await till.close();
    }
  });
});
