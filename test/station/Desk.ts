/**
 * The assessors' desk in a real browser (Debian's Chromium via playwright-core) against one
 * started stack, as test/station/Browser.ts drives the public page: an injected EIP-1193 wallet
 * whose requests the test forwards to the Hardhat node, answering as whichever dev account the
 * test plays (the local deployment's roles: #1 assessor, #2 guardian; #5 has none). Each person
 * gets a tab of their own (the page keeps its session per tab). The service judges a claim at
 * risk once 5% of its window has passed (SLA_AT_RISK_FRACTION), so a merchant's claim (5 min to
 * respond) turns at risk within 15 s. Screenshots go to test-results/. The tests build on each other (bail).
 */
import path from "node:path";

import { expect } from "chai";
import type { BrowserContext, Page } from "playwright-core";
import { type Address, encodeFunctionData, keccak256, toHex } from "viem";

import { CompensationPoolAbi } from "../../common/abis/CompensationPool.js";

import { runCli } from "../../cli/index.js";
import type { Stack } from "../../stack/stack.js";
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
const GUARDIAN = dev(2).address;
const CLAIMANT = dev(5).address;

type CaseJson = {
  status: string;
  messages: {
    seq: number;
    anchor: string;
    message: { role: string; action: string | null; article: string | null } | null;
  }[];
  transitions: { status: string; anchor: string }[];
};

describe("assessors' desk in Chromium", function () {
  this.timeout(300_000);
  this.bail(true);
  let stack: Stack;
  let stopStack: (() => Promise<void>) | undefined;
  let deploymentId: string;
  let context: BrowserContext;
  let closeBrowser: (() => Promise<void>) | undefined;
  /** The account the injected wallet answers as. */
  let wallet: Address = CLAIMANT;
  let claimId: string;

  async function station(args: string[], account: number) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(args, {
      env: {
        PATH: process.env.PATH,
        RPC_URL: stack.urls.rpc,
        SERVICE_URL: stack.urls.service,
        STATION_DEPLOYMENT_ID: deploymentId,
        STATION_ACCOUNT: String(account),
      },
      out: (l) => out.push(l),
      err: (l) => err.push(l),
    });
    expect(code, err.join("\n")).to.equal(0);
    return out.join("\n");
  }

  /** A fresh tab (its own session) whose wallet answers as `account`. */
  async function tab(account: Address): Promise<Page> {
    wallet = account;
    const page = await context.newPage();
    page.on("pageerror", (error) => console.error(`      page error: ${error.message}`));
    return page;
  }

  async function notice(page: Page, text: string) {
    await page.waitForFunction((t) => document.querySelector("#notice")?.textContent?.includes(t), text, {
      timeout: 60_000,
    });
    return (await page.textContent("#notice"))!;
  }

  /** The tab's session token (the page keeps it in sessionStorage). */
  const tokenOf = (page: Page) =>
    page.evaluate(() => (JSON.parse(sessionStorage.getItem("station.session") ?? "{}") as { token?: string }).token);

  const api = (route: string, token: string | undefined, method = "GET") =>
    fetch(`${stack.urls.service}${route}`, {
      method,
      headers: token === undefined ? {} : { Authorization: `Bearer ${token}` },
    });

  async function caseOf(token: string): Promise<CaseJson> {
    const res = await api(`/v1/cases/${claimId}`, token);
    expect(res.status).to.equal(200);
    return (await res.json()) as CaseJson;
  }

  /** Opens the desk (`#desk`) and signs in with the wallet: the desk's own heading once staff. */
  async function signInAtDesk(page: Page) {
    await page.goto(`${stack.urls.web}#desk`);
    await page.click("#desk-sign-in");
  }

  /** Writes a decision's note and presses its button. */
  async function decide(page: Page, form: string, action: string, note: string, amount?: string) {
    await page.fill(`${form} textarea[name=note]`, note);
    if (amount !== undefined) await page.fill(`${form} input[name=amount]`, amount);
    await page.click(`${form} button[data-action=${action}]`);
  }

  before(async function () {
    needChromium(this);
    // At risk once 5% of a window has passed (see above); figures recomputed on every request.
    const started = await startBrowserStack("desk", { SLA_AT_RISK_FRACTION: "0.95", STATS_CACHE_SECONDS: "0" });
    ({ stack, deploymentId, stop: stopStack } = started);
    ({ context, close: closeBrowser } = await launchWithWallet({
      rpcUrl: stack.urls.rpc,
      accountOf: () => wallet,
      profile: "station-desk",
    }));
  });

  after(async function () {
    await closeBrowser?.();
    await stopStack?.();
  });

  it("never shows the desk to an account without a staff role, and its /v1/desk calls get 403", async function () {
    const page = await tab(CLAIMANT);
    try {
      await page.goto(stack.urls.web);
      await page.waitForSelector("#lang option[value=id]", { state: "attached" });
      expect(await page.isHidden("#desk")).to.equal(true);
      await signInAtDesk(page);
      await notice(page, "This account holds no staff role on the pool");
      await page.waitForSelector("#desk", { state: "hidden" });
      expect(await page.locator("#desk-queue, #desk-me, #desk-case").count()).to.equal(0);

      const token = await tokenOf(page);
      expect(token).to.be.a("string");
      for (const [method, route] of [
        ["GET", "/v1/desk/me"],
        ["GET", "/v1/desk/assignments"],
        ["GET", "/v1/desk/payouts"],
        ["POST", "/v1/desk/claims/1/take"],
        ["DELETE", "/v1/desk/claims/1/take"],
      ] as const) {
        expect((await api(route, token, method)).status, `${method} ${route}`).to.equal(403);
        expect((await api(route, undefined, method)).status, `${method} ${route} signed out`).to.equal(401);
      }
    } finally {
      await page.close();
    }
  });

  it("shows the assessor a new claim live, at risk in time; takes it, replies with an article, accepts, investigates and approves with notes the chain seals", async function () {
    const page = await tab(ASSESSOR);
    try {
      await signInAtDesk(page);
      await textOf(page, "#desk-me", ASSESSOR);
      expect(await page.textContent("#desk-me")).to.include("Assessor");
      await page.waitForSelector("#desk-empty");
      await page.evaluate(() => Object.assign(window, { __sameLoad: true }));

      // A claimant files from the command line; the desk shows it without a reload.
      const filed = await station(
        [
          "claim",
          "submit",
          "--kind",
          "redemption-tool-failure",
          "--amount",
          "1500",
          "--description",
          "Our merchant terminal stopped redeeming C after the upgrade.",
        ],
        5,
      );
      claimId = /claim #(\d+) submitted/.exec(filed)![1]!;
      const item = `#desk-queue li[data-claim="${claimId}"]`;
      await page.waitForSelector(item, { timeout: 60_000 });
      expect(await page.evaluate(() => (window as unknown as { __sameLoad?: boolean }).__sameLoad)).to.equal(true);
      expect(await page.textContent(`${item} .desk-item-head`))
        .to.include("Redemption tool failure")
        .and.include("Standard")
        .and.include("1500 C");
      expect(await page.textContent(`${item} .countdown`))
        .to.include("Response due")
        .and.match(/\d+ (s|min) left/);
      // 5% of its 5 minutes: at risk (in colour and words), and the tab's title says so.
      await page.waitForSelector(`${item} .countdown[data-state=at-risk]`, { timeout: 60_000 });
      expect(await page.textContent(`${item} .countdown`)).to.include("At risk of missing the deadline");
      await page.waitForFunction(() => document.title.startsWith("(1 at risk)"));

      // Take it: the filters follow.
      await page.click(`${item} button[data-do=take]`);
      await textOf(page, `${item} .holder`, "Taken by you");
      await page.selectOption("#desk-filters select[name=assigned]", "unassigned");
      await page.waitForSelector(item, { state: "detached" });
      await page.selectOption("#desk-filters select[name=assigned]", "mine");
      await page.waitForSelector(item);
      // Released, it is anyone's again; taken back.
      await page.click(`${item} button[data-do=release]`);
      await page.waitForSelector(item, { state: "detached" });
      await page.selectOption("#desk-filters select[name=assigned]", "unassigned");
      await page.click(`${item} button[data-do=take]`);
      await page.waitForSelector(item, { state: "detached" });
      await page.selectOption("#desk-filters select[name=assigned]", "mine");
      await page.waitForSelector(item);
      const taken = (await (await api("/v1/desk/assignments", await tokenOf(page))).json()) as { claimId: string }[];
      expect(taken.map((a) => a.claimId)).to.deep.equal([claimId]);

      // The case: the claimant's words, tier and SLA clock.
      await page.click(`${item} button[data-do=open]`);
      await textOf(page, "#desk-opening", "Our merchant terminal stopped redeeming C");
      expect(await page.textContent("#desk-tier")).to.equal("Standard");
      expect(await page.textContent("#desk-sla")).to.include("At risk");

      // Live: the claimant writes (from the command line) and the open case shows it over the
      // case's event stream, with no read of the case meanwhile (the 3 s poll reads it only while
      // the stream is down).
      await page.waitForSelector("#desk-case-stream[data-connection=live]");
      const caseReads: string[] = [];
      const onRequest = (r: { url(): string }) => {
        if (new URL(r.url()).pathname === `/v1/cases/${claimId}`) caseReads.push(r.url());
      };
      page.on("request", onRequest);
      await station(["case", "reply", claimId, "--text", "The terminal shows error E42 at every redemption."], 5);
      await textOf(page, "#desk-messages li[data-role=claimant]", "error E42");
      page.off("request", onRequest);
      expect(caseReads).to.deep.equal([]);

      // A reply with a help article inserted.
      await page.click("#desk-case .desk-articles summary");
      await page.fill("#desk-article-form input[name=q]", "rewards missing");
      await page.click("#desk-article-form button[type=submit]");
      await page.click("#desk-case .desk-article-list li:first-child button");
      const slug = await page.getAttribute("#desk-case .desk-article-list li:first-child", "data-slug");
      expect(await page.inputValue("#desk-reply textarea[name=text]")).to.not.equal("");
      await page.click("#desk-reply button[type=submit]");
      await page.waitForSelector("#desk-messages li[data-role=assessor]");
      const token = (await tokenOf(page))!;
      const replied = (await caseOf(token)).messages.find((m) => m.message?.role === "assessor");
      expect(replied?.message?.article).to.equal(slug);

      // Accept with a note: posted, then sent with noteHash = its hash.
      await decide(page, "#desk-decide", "accept", "Accepted: a technician will check the terminal today.");
      await notice(page, `Claim #${claimId}: Accept recorded on-chain`);
      await page.waitForSelector("#desk-status[data-status=Accepted]", { timeout: 30_000 });

      await decide(page, "#desk-decide", "investigate", "Investigating: the terminal's logs are on their way.");
      await notice(page, `Claim #${claimId}: Investigate recorded on-chain`);
      await page.waitForSelector("#desk-status[data-status=Investigating]", { timeout: 30_000 });

      // More than asked: the dry run refuses in words and nothing is posted.
      const before = (await caseOf(token)).messages.length;
      await decide(page, "#desk-decide", "approve", "Approved in full and more.", "2000");
      expect(await notice(page, "More than the claimant asked")).to.equal(
        "More than the claimant asked: at most 1500 C.",
      );
      expect((await caseOf(token)).messages.length).to.equal(before);

      // Approved for less than asked (1200 C: above the local large-claim threshold, so delayed).
      await decide(page, "#desk-decide", "approve", "Approved 1200 C: the rest was a fee.", "1200");
      await notice(page, `Claim #${claimId}: Approve recorded on-chain`);
      await page.waitForSelector("#desk-status[data-status=Approved]", { timeout: 30_000 });
      // The reply and the three notes: the approval's note seals the transcript up to it.
      await page.waitForFunction(
        () =>
          document.querySelectorAll("#desk-messages li[data-role=assessor] [data-anchor='matches the chain']")
            .length === 4,
        undefined,
        { timeout: 30_000 },
      );
      const sealed = await caseOf(token);
      const notes = sealed.messages.filter((m) => m.message?.action);
      expect(notes.map((m) => [m.message!.action, m.anchor])).to.deep.equal([
        ["accept", "matches the chain"],
        ["investigate", "matches the chain"],
        ["approve", "matches the chain"],
      ]);
      expect(sealed.transitions.filter((t) => t.status !== "Submitted").map((t) => [t.status, t.anchor])).to.deep.equal(
        [
          ["Accepted", "matches the chain"],
          ["Investigating", "matches the chain"],
          ["Approved", "matches the chain"],
        ],
      );

      // The assessor's own record counts the claim (the service recomputes it on every request here).
      await page.click("#desk-record summary");
      await textOf(page, "#desk-record [data-figure=handled]", "1");
      // As the operator, a risk alert: on the public list at once.
      await page.click(".desk-alert summary");
      await page.fill("#desk-alert-form input[name=title]", "Redemption terminals: firmware 2.1 fails");
      await page.fill("#desk-alert-form textarea[name=message]", "Stay on 2.0 until the fix ships.");
      await page.selectOption("#desk-alert-form select[name=severity]", "critical");
      // With its Indonesian translation; a translation missing its message is refused before sending.
      await page.click(".desk-alert-translations summary");
      await page.fill("#desk-alert-form input[name=title-id]", "Terminal penukaran: firmware 2.1 gagal");
      await page.click("#desk-alert-form button[type=submit]");
      await notice(page, "A translation needs both its title and its message.");
      await page.fill("#desk-alert-form textarea[name=message-id]", "Tetap di 2.0 sampai perbaikan dirilis.");
      await page.click("#desk-alert-form button[type=submit]");
      await notice(page, "Alert posted");
      const alerts = (await (await api("/v1/alerts", undefined)).json()) as { alerts: { severity: string }[] };
      expect(alerts.alerts.map((a) => a.severity)).to.deep.equal(["critical"]);
      const inIndonesian = (await (await api("/v1/alerts?lang=id", undefined)).json()) as {
        alerts: { localized: { title: string; message: string } }[];
      };
      expect(inIndonesian.alerts[0]!.localized).to.deep.include({
        title: "Terminal penukaran: firmware 2.1 gagal",
        message: "Tetap di 2.0 sampai perbaikan dirilis.",
      });
      // In another language, the desk's words follow.
      await page.selectOption("#lang", "id");
      await textOf(page, "#desk h2", "Meja penilai");
      await textOf(page, `${item} .countdown`, "Dapat dibayar");
      await page.selectOption("#lang", "en");
      await page.selectOption("#desk-filters select[name=assigned]", "all");
      await page.screenshot({ path: path.join(RESULTS, "web-desk-390.png"), fullPage: true });
      await fitsWidth(page);
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.screenshot({ path: path.join(RESULTS, "web-desk-1280.png"), fullPage: true });
      await fitsWidth(page);
    } finally {
      await page.close();
    }
  });

  it("lets the guardian veto the approved payout with a reason while its window is open", async function () {
    const page = await tab(GUARDIAN);
    try {
      await signInAtDesk(page);
      await textOf(page, "#desk-me", "Guardian");
      expect(await page.locator("#desk-queue").count()).to.equal(0);
      const item = `#desk-payouts li[data-claim="${claimId}"]`;
      await page.waitForSelector(item, { timeout: 30_000 });
      expect(await page.textContent(item))
        .to.include("1200 C")
        .and.include("veto possible for");
      // By keyboard: the payout's Open button, then focus lands on the case's heading.
      await page.focus(`${item} button[data-do=open]`);
      await page.keyboard.press("Enter");
      await page.waitForFunction(() => document.activeElement?.matches("#desk-case h3") === true);
      await decide(page, "#desk-veto", "veto", "Vetoed: the same terminal was compensated last week.");
      await notice(page, `Claim #${claimId}: Veto the payout recorded on-chain`);
      await page.waitForSelector("#desk-status[data-status=Rejected]", { timeout: 30_000 });
      await page.waitForSelector(item, { state: "detached", timeout: 30_000 });
      const sealed = await caseOf((await tokenOf(page))!);
      expect(sealed.status).to.equal("Rejected");
      const veto = sealed.messages.find((m) => m.message?.action === "veto");
      expect(veto?.anchor).to.equal("matches the chain");
      await page.screenshot({ path: path.join(RESULTS, "web-desk-guardian-390.png"), fullPage: true });
      await fitsWidth(page);
    } finally {
      await page.close();
    }
  });

  it("lets a colleague take a claim over: refused while its holder is active, at once for a lead", async function () {
    // Dev #6 becomes a second assessor, #7 a lead (assessor and guardian), granted by the admin (#0).
    const pool = stack.addresses.pool!;
    const grant = (role: string, account: Address) => ({
      from: dev(0).address,
      to: pool,
      data: encodeFunctionData({
        abi: CompensationPoolAbi,
        functionName: "grantRole",
        args: [keccak256(toHex(role)), account],
      }),
    });
    const [hashA, hashB, hashC] = await stack.chain!.sendTransactions([
      grant("ASSESSOR_ROLE", dev(6).address),
      grant("ASSESSOR_ROLE", dev(7).address),
      grant("GUARDIAN_ROLE", dev(7).address),
    ]);
    const receipts = await stack.chain!.receipts([hashA!, hashB!, hashC!]);
    expect(receipts.map((r) => r.status)).to.deep.equal(["0x1", "0x1", "0x1"]);
    const filed = await station(
      ["claim", "submit", "--kind", "data-api-outage", "--amount", "20", "--description", "Feed down since noon."],
      5,
    );
    const id = /claim #(\d+) submitted/.exec(filed)![1]!;
    const item = `#desk-queue li[data-claim="${id}"]`;

    const holder = await tab(ASSESSOR);
    try {
      await signInAtDesk(holder);
      await holder.waitForSelector(`${item} button[data-do=take]`, { timeout: 60_000 });
      await holder.click(`${item} button[data-do=take]`);
      await holder.waitForSelector(`${item} [data-holder=me]`, { timeout: 30_000 });
    } finally {
      await holder.close();
    }

    const colleague = await tab(dev(6).address);
    try {
      await signInAtDesk(colleague);
      await colleague.waitForSelector(`${item} [data-holder="${ASSESSOR}"]`, { timeout: 60_000 });
      await colleague.click(`${item} button[data-do=takeover]`);
      await colleague.fill(`${item} .desk-takeover input[name=reason]`, "My shift now");
      await colleague.click(`${item} .desk-takeover button[type=submit]`);
      const refusal = await notice(colleague, "is working on it; you can take it over from");
      expect(refusal).to.include(ASSESSOR);
    } finally {
      await colleague.close();
    }

    const lead = await tab(dev(7).address);
    try {
      await signInAtDesk(lead);
      await lead.waitForSelector(`${item} [data-holder="${ASSESSOR}"]`, { timeout: 60_000 });
      await lead.click(`${item} button[data-do=takeover]`);
      await lead.fill(`${item} .desk-takeover input[name=reason]`, "Escalated: the project's event starts soon");
      await lead.click(`${item} .desk-takeover button[type=submit]`);
      await notice(lead, `Claim #${id} is yours now (was ${ASSESSOR}'s).`);
      await lead.waitForSelector(`${item} [data-holder=me]`, { timeout: 30_000 });
      const history = await api(`/v1/desk/claims/${id}/takeovers`, await tokenOf(lead));
      expect(await history.json())
        .to.have.length(1)
        .and.to.have.nested.property("[0].grounds", "lead");
      await lead.screenshot({ path: path.join(RESULTS, "web-desk-takeover-390.png"), fullPage: true });
      await fitsWidth(lead);
    } finally {
      await lead.close();
    }
  });

  it("reaches every claim beyond the 100 nearest deadlines, and filters the whole queue at the service", async function () {
    // 110 more open claims from dev #8, filed last: their deadlines come after every claim above.
    const pool = stack.addresses.pool!;
    const hashes = await stack.chain!.sendTransactions(
      Array.from({ length: 110 }, (_, i) => ({
        from: dev(8).address,
        to: pool,
        // Estimated one by one, a batch's later claims would need more (they open fresh lanes).
        gas: 300_000n,
        data: encodeFunctionData({
          abi: CompensationPoolAbi,
          functionName: "submitClaim",
          args: [0, BigInt(i + 1) * 10n ** 15n, keccak256(toHex(`page test ${i}`))],
        }),
      })),
    );
    const receipts = await stack.chain!.receipts(hashes);
    expect(receipts.every((r) => r.status === "0x1")).to.equal(true);
    const last = BigInt(receipts.at(-1)!.logs[0]!.topics[1]!).toString();

    const page = await tab(ASSESSOR);
    try {
      await signInAtDesk(page);
      const lastItem = `#desk-queue li[data-claim="${last}"]`;
      // The first page: the 100 nearest deadlines, and a way to the rest.
      await page.waitForSelector("#desk-more", { timeout: 60_000 });
      expect(await page.locator("#desk-queue > li").count()).to.equal(100);
      expect(await page.locator(lastItem).count()).to.equal(0);
      await page.click("#desk-more");
      await page.waitForSelector(lastItem, { timeout: 30_000 });
      expect(await page.locator("#desk-queue > li").count()).to.be.above(100);
      // Still there after the next polls: every poll reads the pages opened.
      await page.waitForTimeout(4_000);
      expect(await page.locator(lastItem).count()).to.equal(1);

      // A filter narrows the whole queue at the service, from its first page again.
      const token = (await tokenOf(page))!;
      const res = await api("/v1/queue?kind=DataApiOutage&limit=100", token);
      const outages = ((await res.json()) as { items: { id: string }[] }).items.map((i) => i.id);
      expect(outages.length).to.be.above(0);
      await page.selectOption("#desk-filters select[name=kind]", "DataApiOutage");
      await page.waitForFunction((n) => document.querySelectorAll("#desk-queue > li").length === n, outages.length, {
        timeout: 30_000,
      });
      const shown = await page.$$eval("#desk-queue > li", (items) => items.map((li) => li.getAttribute("data-claim")));
      expect(shown).to.have.members(outages);
      expect(await page.locator("#desk-more").count()).to.equal(0);
      await page.screenshot({ path: path.join(RESULTS, "web-desk-filtered.png"), fullPage: true });
    } finally {
      await page.close();
    }
  });
});
