/**
 * Incident rounds on the web page in a real browser (Debian's Chromium through playwright-core,
 * one started stack): an operator (dev account #0, the pool's admin) uploads a CSV at the desk,
 * sees the totals and the refused row, opens the round from the wallet and publishes it; a
 * claimant (dev account #6) connects, sees the round without any file, waits out the challenge
 * window (evm_increaseTime) and claims with one click. The injected wallet answers each page as
 * its own account and forwards everything else to the Hardhat node. Screenshots at 390 px and
 * 1280 px go to test-results/.
 */
import path from "node:path";

import { expect } from "chai";
import type { BrowserContext, Page } from "playwright-core";
import { type Address, createPublicClient, getAddress, http, keccak256, parseUnits, toHex } from "viem";
import { hardhat } from "viem/chains";

import { MockCTokenAbi } from "../../common/abis/MockCToken.js";
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

const OPERATOR = dev(0).address;
const CLAIMANT = dev(6).address;

describe("incident rounds on the web page in Chromium", function () {
  this.timeout(300_000);
  this.bail(true);
  let stack: Stack;
  let stopStack: (() => Promise<void>) | undefined;
  let context: BrowserContext;
  let closeBrowser: (() => Promise<void>) | undefined;
  const accounts = new Map<Page, Address>();

  const balanceOf = (who: Address) =>
    createPublicClient({ chain: hardhat, transport: http(stack.urls.rpc) }).readContract({
      address: stack.addresses.cToken!,
      abi: MockCTokenAbi,
      functionName: "balanceOf",
      args: [who],
    });

  async function pageAs(account: Address): Promise<Page> {
    const page = await context.newPage();
    accounts.set(page, account);
    page.on("pageerror", (error) => console.error(`      page error: ${error.message}`));
    await page.goto(stack.urls.web);
    return page;
  }

  async function connect(page: Page) {
    await page.click("#connect");
    await page.waitForFunction(() => document.querySelector("#account")?.textContent !== "");
  }

  async function shots(page: Page, name: string) {
    for (const width of [390, 1280]) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      await page.screenshot({ path: path.join(RESULTS, `${name}-${width}.png`), fullPage: true });
      await fitsWidth(page);
    }
    await page.setViewportSize({ width: 390, height: 844 });
  }

  before(async function () {
    needChromium(this);
    ({ stack, stop: stopStack } = await startBrowserStack("rounds"));
    // Each page's wallet holds its own account; the node signs and sends for it (unlocked dev keys).
    ({ context, close: closeBrowser } = await launchWithWallet({
      rpcUrl: stack.urls.rpc,
      accountOf: (page) => accounts.get(page),
      profile: "station-rounds-chromium",
    }));
  });

  after(async function () {
    await closeBrowser?.();
    await stopStack?.();
  });

  it("an operator opens a round from a CSV at the desk, and a claimant sees it after connecting and claims with one click", async function () {
    // The operator: the desk form appears only to staff.
    const desk = await pageAs(OPERATOR);
    expect(await desk.locator("#rounds-desk:not([hidden])").count()).to.equal(0);
    await connect(desk);
    await desk.waitForSelector("#rounds-desk:not([hidden])");
    const csv = `account,amount\n${CLAIMANT},12.5\n${dev(7).address},3\nnot-an-address,4\n${dev(8).address},0.25\n`;
    await desk.setInputFiles("#desk-csv", { name: "outage.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await desk.click("#desk-draft-button"); // signs in (one SIWE message), then drafts
    const drafted = await textOf(desk, "#desk-draft", "3 accounts", 60_000);
    expect(drafted).to.include("15.75 C");
    expect(await desk.textContent("#desk-rejected")).to.include('line 4: bad address "not-an-address"');
    await desk.fill("#desk-days", "2");
    await desk.click("#desk-open");
    const published = await textOf(desk, "#desk-published", "published", 60_000);
    const incidentId = /Incident #(\d+) published/.exec(published)![1]!;
    await shots(desk, "rounds-desk");

    // The claimant: no file, the round is listed after connecting, not yet claimable.
    const claimant = await pageAs(CLAIMANT);
    await connect(claimant);
    const listed = await textOf(claimant, `#rounds-mine [data-incident="${incidentId}"]`, "claimable from", 60_000);
    expect(listed).to.include(`Incident #${incidentId}`).and.include("12.5 C");
    expect(await claimant.locator(`[data-claim="${incidentId}"]`).count()).to.equal(0);

    // localhost.json: a 120 s challenge window.
    await stack.chain!.increaseTime(121);
    await claimant.reload();
    await connect(claimant);
    await claimant.waitForSelector(`[data-claim="${incidentId}"]`, { timeout: 60_000 });
    expect((await claimant.textContent(`[data-claim="${incidentId}"]`))!.trim()).to.equal("Claim 12.5 C");
    const before = await balanceOf(CLAIMANT);
    await claimant.click(`[data-claim="${incidentId}"]`);
    await textOf(claimant, "#notice", `Claimed: 12.5 C from incident #${incidentId}`, 60_000);
    expect((await balanceOf(CLAIMANT)) - before).to.equal(parseUnits("12.5", 18));
    await textOf(claimant, `#rounds-mine [data-incident="${incidentId}"]`, "claimed", 60_000);
    await shots(claimant, "rounds-claimed");
  });

  it("follows a large round's build with a progress bar, and names the rows of a file it refuses", async function () {
    const desk = await pageAs(OPERATOR);
    await connect(desk);
    await desk.waitForSelector("#rounds-desk:not([hidden])");
    const n = 30_000;
    const rows = Array.from({ length: n }, (_, i) => `${getAddress(`0x${keccak256(toHex(i)).slice(26)}`)},0.000001`);
    await desk.setInputFiles("#desk-csv", {
      name: "large.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(`account,amount\n${rows.join("\n")}\n`),
    });
    await desk.click("#desk-draft-button");
    // The proofs are stored in batches; the form shows how far it is before the draft appears.
    await desk.waitForFunction(
      () =>
        /Storing the proofs: [\d,]+ of 30,000/.test(document.querySelector("#desk-draft-progress")?.textContent ?? ""),
      null,
      { timeout: 60_000 },
    );
    await shots(desk, "rounds-progress");
    await textOf(desk, "#desk-draft", `${n} accounts`);
    expect(await desk.locator("#desk-draft-progress").count()).to.equal(0);

    await desk.setInputFiles("#desk-csv", {
      name: "bad.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("account,amount\nnot-an-address,4\n"),
    });
    await desk.click("#desk-draft-button");
    await textOf(desk, "#desk-draft-failed", "the CSV holds no acceptable account,amount row");
    expect(await desk.textContent("#desk-rejected")).to.include('line 2: bad address "not-an-address"');
    expect(await desk.locator("#desk-draft").count()).to.equal(0);
  });
});
