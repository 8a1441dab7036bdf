/**
 * The web page in a real browser: Debian's Chromium driven by playwright-core at phone width
 * (390 × 844) against the page served by one started stack. The wallet is a small injected
 * EIP-1193 provider whose requests the test forwards to the Hardhat node, signing as the node's
 * unlocked dev account #5; flags on `window` make it reject requests or sit on another chain. The
 * last test announces several wallets through EIP-6963 on a page of its own.
 * The texts asserted are the service's own (service/src/tracking/i18n.ts). Screenshots go to
 * test-results/. The tests run in order on one stack, each building on the chain the previous
 * left, so the first failure stops the rest (bail) instead of cascading into misleading ones.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import { expect } from "chai";
import type { BrowserContext, Page } from "playwright-core";
import {
  type Address,
  type Hex,
  createPublicClient,
  createWalletClient,
  http,
  keccak256,
  maxUint256,
  parseEventLogs,
  parseUnits,
  toFunctionSelector,
  toHex,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { createSiweMessage } from "viem/siwe";

import { CompensationPoolAbi } from "../../common/abis/CompensationPool.js";
import {
  CASE_ENCODING,
  type CaseBundle,
  messageHash,
  normalizeMessage,
  normalizeOpening,
  type OpeningStatement,
  sessionKeyResource,
  verifyBundle,
} from "../../common/case.js";
import { rpcChainView } from "../../common/caseChain.js";
import { EmergencyPackagesAbi } from "../../common/abis/EmergencyPackages.js";
import { CLAIM_KINDS } from "../../common/claims.js";
import { kindText } from "../../common/stages.js";
import { MockCTokenAbi } from "../../common/abis/MockCToken.js";
import { MockStablecoinAbi } from "../../common/abis/MockStablecoin.js";
import { runCli } from "../../cli/index.js";
import { REPO_ROOT } from "../../stack/proc.js";
import type { Stack } from "../../stack/stack.js";
import type { HelpSearchResponse } from "../../service/src/help/routes.js";
import type { StatsResponse } from "../../service/src/stats/routes.js";
import {
  RESULTS,
  type WalletFlags,
  dev,
  fitsWidth as fitsWidthOf,
  launchWithWallet,
  wrapsBetweenWords,
  needChromium,
  startBrowserStack,
  textOf as textOfPage,
} from "./browser-fixture.js";

const USER = dev(5).address;
/** A 1 × 1 PNG: the claimant's "screenshot". */
const PNG_1X1 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

describe("web page in Chromium", function () {
  this.timeout(300_000);
  this.bail(true);
  let stack: Stack;
  let stopStack: (() => Promise<void>) | undefined;
  let deploymentId: string;
  let context: BrowserContext;
  let closeBrowser: (() => Promise<void>) | undefined;
  let page: Page;
  const cspViolations: string[] = [];
  /** Every script the claimant's tab fetched, through all the tests. */
  const scripts: string[] = [];
  let dir: string;
  let claimId: string;

  const publicClient = () => createPublicClient({ chain: hardhat, transport: http(stack.urls.rpc) });
  const balanceOfUser = () =>
    publicClient().readContract({
      address: stack.addresses.cToken!,
      abi: MockCTokenAbi,
      functionName: "balanceOf",
      args: [USER],
    });

  async function mintC(to: Address, whole: string) {
    const wallet = createWalletClient({ account: dev(0), chain: hardhat, transport: http(stack.urls.rpc) });
    const hash = await wallet.writeContract({
      address: stack.addresses.cToken!,
      abi: MockCTokenAbi,
      functionName: "mint",
      args: [to, parseUnits(whole, 18)],
    });
    await publicClient().waitForTransactionReceipt({ hash });
  }

  /** `station …` in-process, as dev account `account`. */
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

  const flags = (f: WalletFlags) =>
    page.evaluate((values) => Object.assign(window as unknown as WalletFlags, values), f);

  async function notice(text: string) {
    await page.waitForFunction((t) => document.querySelector("#notice")?.textContent?.includes(t), text, {
      timeout: 60_000,
    });
    return (await page.textContent("#notice"))!;
  }

  /** Waits until `selector`'s text includes `text`; returns the whole text. */
  const textOf = (selector: string, text: string, timeout?: number) => textOfPage(page, selector, text, timeout);

  /** Nothing is wider than the viewport (no sideways scrolling). */
  const fitsWidth = () => fitsWidthOf(page);

  const shot = (name: string) => page.screenshot({ path: path.join(RESULTS, `${name}.png`), fullPage: true });

  async function connect() {
    await page.click("#connect");
    await page.waitForFunction(() => document.querySelector("#account")?.textContent !== "");
  }

  before(async function () {
    needChromium(this);
    // Fresh station figures on every request (the default reuses them for 30 s), so the status
    // panel shows this run's claims.
    ({ stack, deploymentId, stop: stopStack } = await startBrowserStack("web", { STATS_CACHE_SECONDS: "0" }));
    // C for the package purchase.
    await mintC(USER, "500");
    dir = await mkdtemp(path.join(tmpdir(), "station-web-"));
    ({ context, close: closeBrowser } = await launchWithWallet({
      rpcUrl: stack.urls.rpc,
      accountOf: () => USER,
      profile: "station-chromium",
    }));
    page = context.pages()[0] ?? (await context.newPage());
    // The page's own errors belong in the test's output.
    page.on("pageerror", (error) => console.error(`      page error: ${error.message}`));
    // Anything the service's content security policy blocks (an inline script, a foreign origin).
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    page.on("request", (request) => {
      if (request.resourceType() === "script") scripts.push(new URL(request.url()).pathname);
    });
  });

  after(async function () {
    await closeBrowser?.();
    await stopStack?.();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("sends an emergency claim and shows the service's stages, deadline states and finality live", async function () {
    await page.goto(stack.urls.web);
    await page.waitForSelector("#lang option[value=id]", { state: "attached" });
    expect(await page.inputValue("#lang")).to.equal("en");
    await shot("web-home-390");
    await fitsWidth();

    await page.click("#sos");
    await page.waitForSelector("#claim-form:not([hidden])");
    await page.waitForFunction(() => document.querySelector("#account")?.textContent !== "");
    expect(await page.textContent("#account")).to.equal(USER);
    await page.selectOption("#claim-form select[name=kind]", "0");
    await page.fill("#claim-form input[name=amount]", "10");
    await page.fill("#claim-form textarea[name=description]", "My rewards for October never arrived.");
    await page.check("#claim-form input[name=gasless]");
    await page.click("#claim-form button[type=submit]");

    // Until the indexer has it the chain answers (and says so); then the tracker's view.
    await page.waitForSelector("#progress-body .source:not(.fallback)", { timeout: 60_000 });
    expect(await page.textContent("#stages li.current")).to.include("Request received");
    claimId = (await page.textContent("#progress-id"))!.replace("#", "");
    expect(claimId).to.match(/^\d+$/);
    // The response deadline is pending and far away: on track.
    expect(await page.getAttribute("#stages li[data-stage=Accepted] .deadline", "data-state")).to.equal("on-track");
    expect(await page.textContent("#stages li[data-stage=Accepted] .deadline")).to.include("On track");
    expect(await page.textContent("#progress-body .summary"))
      .to.include("Standard tier")
      .and.include("10 C requested");

    const { stdout } = await promisify(execFile)(process.execPath, ["bin/station.js", "accept", claimId], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        STATION_ACCOUNT: "1",
        RPC_URL: stack.urls.rpc,
        SERVICE_URL: stack.urls.service,
        STATION_DEPLOYMENT_ID: deploymentId,
      },
    });
    expect(stdout).to.include(`claim #${claimId}: Accepted`);

    await textOf("#stages li.current", "Customer service has accepted the request");
    // One confirmation of the two a local chain needs: pending finality, until the next block.
    await textOf("#stages li.current .finality", "Pending finality (1 of 2 confirmations)");
    expect(await page.getAttribute("#stages li[data-stage=Accepted] .deadline", "data-state")).to.equal("met");
    expect(await page.textContent("#stages li[data-stage=Accepted] .deadline")).to.include("Done within the deadline");
    expect(await page.textContent("#stages li[data-stage=Approved] .deadline")).to.include("On track");
    expect(await page.textContent("#progress-body .sla"))
      .to.include("Resolution due")
      .and.include("On track");
    await shot("web-claim-accepted-390");

    await stack.chain!.mine(1);
    await page.waitForSelector("#stages li.current .stage-text");
    await page.waitForFunction(() => !document.querySelector("#stages .finality"), undefined, { timeout: 30_000 });
  });

  it("shows the progress in Indonesian when the reader picks it (texts from the service with lang=id)", async function () {
    const asked = page.waitForRequest((r) => r.url().includes(`/v1/claims/${claimId}?lang=id`));
    await page.selectOption("#lang", "id");
    await asked;
    await textOf("#stages li.current", "Layanan pelanggan telah menerima permintaan");
    expect(await page.textContent("#stages li[data-stage=Accepted] .deadline")).to.include("Selesai sebelum tenggat");
    expect(await page.textContent("#stages li[data-stage=Approved] .deadline")).to.include("Sesuai jadwal");
    expect(await page.getAttribute("html", "lang")).to.equal("id");
    // The notice still showing from the claim just sent is written again in Indonesian.
    expect(await page.textContent("#notice")).to.equal(
      `Permintaan #${claimId} terkirim. Setiap langkahnya akan kami tampilkan di sini.`,
    );
    await shot("web-claim-accepted-id-390");
    // The chain's fallback shows the same stage texts (the service's own), in Indonesian too.
    await page.route("**/v1/claims/**", (route) => route.abort("connectionrefused"));
    try {
      await textOf("#progress-body .source.fallback", "Dibaca langsung dari rantai", 60_000);
      expect(await page.textContent("#stages li.current")).to.include("Layanan pelanggan telah menerima permintaan");
      expect(await page.textContent("#progress-body .status-text")).to.equal(
        "Layanan pelanggan telah menerima permintaan",
      );
    } finally {
      await page.unroute("**/v1/claims/**");
    }
    // The emergency form speaks the reader's language too, naming each kind as the API does.
    expect((await page.textContent("#sos"))?.trim()).to.equal("Ada masalah — minta bantuan");
    const kinds = await page.$$eval("#claim-form select[name=kind] option", (o) => o.map((x) => x.textContent?.trim()));
    expect(kinds).to.deep.equal(CLAIM_KINDS.map((k) => kindText(k, "id")));
    expect(await page.textContent("#claim-form button[type=submit]")).to.include("Kirim permintaan saya");
    // And so do its errors: an amount with seven decimals is refused before anything is sent.
    await page.click("#sos");
    await page.waitForSelector("#claim-form:not([hidden])");
    await page.fill("#claim-form input[name=amount]", "1.1234567");
    await page.fill("#claim-form textarea[name=description]", "Uji.");
    await page.click("#claim-form button[type=submit]");
    expect(await notice("Jumlah:")).to.include("Jumlah: angka dalam C dengan paling banyak 6 desimal.");
    await page.fill("#claim-form input[name=amount]", "10");
    await page.fill("#claim-form textarea[name=description]", "");
    await page.selectOption("#lang", "en");
    await textOf("#stages li.current", "Customer service has accepted the request");
    expect((await page.textContent("#sos"))?.trim()).to.equal("Something went wrong — get help");
  });

  it("speaks Indonesian in the progress, its timeline, tracking, staking and packages, and English again after", async function () {
    // What the packages and staking sections read from the chain is drawn again in the new language
    // at once: nothing stays English while (or because) the chain is read again.
    await textOf("#packages .package button[data-pay=c]", "Buy with C");
    await textOf("#stake-info", "Current tier: Standard");
    await page.selectOption("#lang", "id");
    const drawn = await page.evaluate(() => ({
      offer: document.querySelector("#packages .package strong")?.textContent,
      buy: document.querySelector("#packages .package button[data-pay=stable]")?.textContent?.trim(),
      coverage: document.querySelector("#coverage")?.textContent,
      stake: document.querySelector("#stake-info")?.textContent,
    }));
    expect(drawn.offer).to.match(/^Paket \d+: \d+ hari, respons \d+% dari standar$/);
    expect(drawn.buy).to.equal("Beli dengan stablecoin");
    expect(drawn.coverage).to.equal("Proyek Anda tidak memiliki paket aktif.");
    expect(drawn.stake).to.include("Tingkat saat ini: Standar").and.not.include("Current tier");
    await textOf("#progress h2", "Permintaan Anda");
    expect(await page.textContent("#progress-id")).to.equal(`#${claimId}`);
    await textOf("#progress-body .source", "Langsung dari pelacak stasiun.");
    const summary = await page.textContent("#progress-body .summary");
    expect(summary).to.include("Tingkat Standar").and.include("10 C diminta").and.not.include("requested");
    expect(summary).to.not.include("Standard");
    // The deadline labels: the response deadline met, the resolution deadline ahead.
    await textOf("#stages li[data-stage=Accepted] .deadline", "Batas jawaban");
    expect(await page.textContent("#stages li[data-stage=Approved] .deadline")).to.include("Batas penyelesaian");
    expect(await page.textContent("#progress-body .sla"))
      .to.include("Batas penyelesaian")
      .and.not.include("due");
    expect(await page.textContent("#track h2")).to.equal("Lacak klaim");
    expect(await page.getAttribute("#track-form input[name=q]", "placeholder")).to.equal("nomor klaim atau alamat");
    expect((await page.textContent("#track-form button[type=submit]"))?.trim()).to.equal("Lacak");
    expect(await page.textContent("#staking h2")).to.equal("Staking: dukungan prioritas");
    expect((await page.textContent("#stake-refresh"))?.trim()).to.equal("Muat ulang");
    expect(await page.textContent("#packages-section h2")).to.equal("Paket darurat untuk proyek");
    await textOf("#packages .package button[data-pay=c]", "Beli dengan C");
    await fitsWidth();
    await shot("web-sections-id-390");

    await page.selectOption("#lang", "en");
    await textOf("#progress h2", "Your request");
    await textOf("#progress-body .source", "Live from the station's tracker.");
    expect(await page.textContent("#progress-body .sla")).to.include("Resolution due");
    expect(await page.textContent("#staking h2")).to.equal("Staking: priority support");
    await textOf("#packages .package button[data-pay=c]", "Buy with C");
  });

  it("tracks by address from the service, and by id from the chain when the service is unreachable", async function () {
    await page.fill("#track-form input[name=q]", USER.toLowerCase());
    await page.click("#track-form button[type=submit]");
    const list = await textOf("#track-result", `#${claimId}`);
    expect(list).to.include("Customer service has accepted the request").and.include("10 C");

    await page.route("**/v1/claims/**", (route) => route.abort("connectionrefused"));
    try {
      await page.fill("#track-form input[name=q]", claimId);
      await page.click("#track-form button[type=submit]");
      const fallback = await textOf("#track-result .source.fallback", "Read directly from the chain");
      expect(fallback).to.include("unreachable");
      expect(await page.textContent("#track-result li.current")).to.include(
        "Customer service has accepted the request",
      );
      await shot("web-track-fallback-390");
    } finally {
      await page.unroute("**/v1/claims/**");
    }
    // The tracker answers but has not indexed the claim (yet): the chain again, saying why.
    await page.route("**/v1/claims/**", (route) =>
      route.fulfill({
        status: 404,
        contentType: "application/json",
        body: JSON.stringify({ error: { code: "not_found", message: `claim ${claimId} does not exist` } }),
      }),
    );
    try {
      await page.click("#track-form button[type=submit]");
      await textOf("#track-result .source.fallback", "has not indexed this claim yet");
    } finally {
      await page.unroute("**/v1/claims/**");
    }
    await page.click("#track-form button[type=submit]");
    await page.waitForSelector("#track-result .source:not(.fallback)");
    expect(await page.textContent("#track-result li[data-stage=Accepted] .deadline")).to.include(
      "Done within the deadline",
    );
  });

  it("buys a package with C and reports the discounted price paid", async function () {
    const before = await balanceOfUser();
    const pkg = page.locator('.package[data-id="1"]');
    await page.waitForSelector('.package[data-id="1"] .price-c');
    expect(await pkg.locator(".price-c").textContent()).to.equal("137.2 C (−30%)");
    await pkg.locator("button[data-pay=c]").click();
    expect(await notice("Package 1 bought")).to.equal("Package 1 bought: paid 137.2 C (30% discount).");
    expect(before - (await balanceOfUser())).to.equal(parseUnits("137.2", 18));
    // The package list reloads after the purchase with the project's new coverage.
    await page.waitForFunction(() => document.querySelector("#coverage")?.textContent?.includes("covered until"));
    await shot("web-package-bought-390");
  });

  it("explains an insufficient balance, a rejected transaction and a rejected signature in plain words", async function () {
    // 500 C minted, 137.2 C spent: package 2 costs 417.2 C with the discount.
    await page.locator('.package[data-id="2"] button[data-pay=c]').click();
    expect(await notice("Insufficient balance")).to.equal(
      "Insufficient balance: you have 362.8 C and this needs 417.2 C.",
    );
    await flags({ __reject: true });
    try {
      await page.locator('.package[data-id="3"] button[data-pay=c]').click();
      expect(await notice("rejected")).to.equal("You rejected the request in your wallet.");
      await page.evaluate(() => (document.querySelector("#notice")!.textContent = ""));

      // The gasless claim asks for an EIP-712 signature: rejected too.
      await page.click("#sos");
      await page.waitForSelector("#claim-form:not([hidden])");
      await page.fill("#claim-form textarea[name=description]", "Rejected on purpose.");
      await page.check("#claim-form input[name=gasless]");
      await page.click("#claim-form button[type=submit]");
      expect(await notice("rejected")).to.equal("You rejected the request in your wallet.");
      await shot("web-wallet-error-390");
    } finally {
      await flags({ __reject: false });
    }
  });

  it("says clearly when the wallet is on the wrong chain, and goes on once it switches", async function () {
    await flags({ __chainId: "0x1", __allowSwitch: false });
    await page.locator('.package[data-id="1"] button[data-pay=c]').click();
    expect(await notice("Wrong network")).to.equal(
      "Wrong network: your wallet is on chain 1, this station runs on chain 31337. " +
        "You declined the switch: switch networks in your wallet and retry.",
    );
    await shot("web-wrong-chain-390");
    // A wallet that accepts the switch: the action goes through.
    await flags({ __allowSwitch: true });
    await connect();
    await page.waitForSelector("#stake-tier");
    expect(await page.evaluate(() => (window as unknown as WalletFlags).__chainId)).to.equal(undefined);
  });

  it("stakes, shows the tier and what it unlocks, unstakes and withdraws after the cooldown", async function () {
    await mintC(USER, "1000");
    const before = await balanceOfUser();
    await page.fill("#stake-form input[name=amount]", "1000");
    await page.click("#stake-form button[value=stake]");
    expect(await notice("Staked")).to.equal("Staked: 1000 C.");
    await textOf("#stake-amount", "1000 C");
    expect(await page.textContent("#stake-info")).to.include(
      "1000 C of it counts after the warmup (1 min after staking)",
    );
    expect(await page.textContent("#stake-tier")).to.equal("Standard");
    expect(await page.textContent("#stake-info")).to.include("Next: Priority from 1000 C");

    // localhost.json: 60 s warmup, 300 s cooldown.
    await stack.chain!.increaseTime(61);
    await page.click("#stake-refresh");
    await textOf("#stake-tier", "Priority");
    expect(await page.textContent("#stake-unlocks")).to.equal(
      "deadlines at 50% of standard (answers 2× as fast), 30% off packages paid in C",
    );
    expect(await page.textContent("#stake-info")).to.include("Next: Premier from 10000 C");
    await shot("web-staking-390");

    await page.fill("#stake-form input[name=amount]", "1000");
    await page.click("#stake-form button[value=unstake]");
    expect(await notice("Unstake requested")).to.equal("Unstake requested: 1000 C.");
    expect(await textOf("#stake-pending", "Unstaking 1000 C")).to.include("withdrawable now: 0 C");
    expect(await page.textContent("#stake-tier")).to.equal("Standard");

    await page.click("#stake-form button[value=withdraw]");
    expect(await notice("Nothing to withdraw yet")).to.match(/^Nothing to withdraw yet: the cooldown ends /);

    await stack.chain!.increaseTime(301);
    await page.click("#stake-form button[value=withdraw]");
    expect(await notice("Withdrawn")).to.equal("Withdrawn: 1000 C.");
    expect(await balanceOfUser()).to.equal(before);
    await page.waitForFunction(() => !document.querySelector("#stake-pending"));
  });

  it("keeps a newer stake read when an older one fails after it", async function () {
    await mintC(USER, "1");
    // The refresh's read hangs, then fails; meanwhile a stake, and the read after it, succeed.
    await flags({ __failNextCall: { selector: toFunctionSelector("stakeOf(address)"), afterMs: 4_000 } });
    await page.click("#stake-refresh");
    await page.waitForFunction(() => (window as unknown as WalletFlags).__failNextCall === undefined);
    await page.fill("#stake-form input[name=amount]", "1");
    await page.click("#stake-form button[value=stake]");
    expect(await notice("Staked")).to.equal("Staked: 1 C.");
    await textOf("#stake-amount", "1 C");
    // Once the old read has failed (its button comes back), nothing it said replaces the newer.
    await page.waitForFunction(() => !(document.querySelector("#stake-refresh") as HTMLButtonElement).disabled, null, {
      timeout: 10_000,
    });
    expect(await page.textContent("#notice")).to.equal("Staked: 1 C.");
    expect(await page.textContent("#stake-amount")).to.equal("1 C");
    // Put back as the tests after it expect: nothing staked.
    await page.fill("#stake-form input[name=amount]", "1");
    await page.click("#stake-form button[value=unstake]");
    expect(await notice("Unstake requested")).to.equal("Unstake requested: 1 C.");
    await stack.chain!.increaseTime(301);
    await page.click("#stake-form button[value=withdraw]");
    expect(await notice("Withdrawn")).to.equal("Withdrawn: 1 C.");
  });

  it("answers 'am I eligible?' for an incident round and claims with the proof after the challenge window", async function () {
    const csv = path.join(dir, "outage.csv");
    await writeFile(csv, `account,amount\n${dev(10).address},5\n${USER},7.5\n${dev(12).address},1\n`);
    const opened = await station(
      ["incident", "open", "--csv", csv, "--deadline", "+2d", "--out", path.join(dir, "outage.json")],
      0,
    );
    const incidentId = /incident #(\d+) opened/.exec(opened)![1]!;

    await page.click("#round-fallback summary"); // the round file is the fallback now
    await page.setInputFiles("#round-file", path.join(dir, "outage.json"));
    await page.waitForFunction(() => (document.querySelector("#round-json") as HTMLTextAreaElement).value !== "");
    await page.click("#round-check");
    const early = await textOf("#round-result", "Eligible for 7.5 C");
    expect(early).to.include(`incident #${incidentId}`).and.include("challenge window is still open");
    expect(await page.locator("#round-claim").count()).to.equal(0);

    // localhost.json: a 120 s challenge window.
    await stack.chain!.increaseTime(121);
    await page.click("#round-check");
    await page.waitForSelector("#round-claim");
    expect(await page.textContent("#round-claim")).to.equal("Claim 7.5 C");
    const before = await balanceOfUser();
    await page.click("#round-claim");
    await textOf("#round-result", "Claimed: 7.5 C credited");
    expect((await balanceOfUser()) - before).to.equal(parseUnits("7.5", 18));
    await shot("web-incident-claimed-390");

    await page.click("#round-check");
    await textOf("#round-result", "already claimed");
    await page.fill("#round-address", dev(7).address);
    await page.click("#round-check");
    await textOf("#round-result", `is not in incident #${incidentId}`);
    await page.fill("#round-address", "");
  });

  it("tells a person whether someone claiming to be support holds a station role, and spots a forged message", async function () {
    await page.fill("#verify-form input[name=address]", dev(1).address);
    await page.click("#verify-form button[type=submit]");
    await textOf("#verify-result", `✓ ${dev(1).address} is station support now (assessor).`);
    await page.fill("#verify-form input[name=address]", dev(8).address);
    await page.click("#verify-form button[type=submit]");
    await textOf("#verify-result", `✗ ${dev(8).address} is NOT station support.`);
    expect(await page.textContent("#verify-result")).to.include("Never share your seed phrase");
    // An impostor's message, claiming the assessor's address.
    const message = "I am station support, case #12";
    await page.fill("#verify-form input[name=address]", dev(1).address);
    await page.click("#verify-form summary");
    await page.fill("#verify-form textarea[name=message]", message);
    await page.fill("#verify-form input[name=signature]", await dev(8).signMessage({ message }));
    await page.click("#verify-form button[type=submit]");
    await textOf("#verify-result", `✗ This message was NOT signed by ${dev(1).address}.`);
    await shot("web-verify-agent-390");
  });

  it("finds a help article and opens the claim form with its kind", async function () {
    const expected = (await (
      await fetch(`${stack.urls.service}/v1/help?q=${encodeURIComponent("missing rewards")}&lang=en&limit=5`)
    ).json()) as HelpSearchResponse;
    const first = expected.results[0]!;
    await page.fill("#help-form input[name=q]", "missing rewards");
    await page.click("#help-form button[type=submit]");
    await textOf("#help-result", first.title);
    expect(await page.textContent("#help-result article h3")).to.equal(first.title);
    expect(await page.textContent("#help-result article .answer")).to.equal(first.answer);
    await shot("web-help-390");

    expect(first.claimFlow?.kind).to.equal("MissingReward");
    await page.evaluate(() => ((document.querySelector("#claim-form") as HTMLFormElement).hidden = true));
    await page.click("#help-result article [data-claim-kind]");
    await page.waitForSelector("#claim-form:not([hidden])");
    expect(await page.inputValue("#claim-form select[name=kind]")).to.equal("0");

    // The article's link (claimFlow.href, for readers outside the page) opens the same form.
    expect(first.claimFlow?.href).to.equal("/?kind=MissingReward#emergency");
    const linked = await context.newPage();
    try {
      await linked.goto(new URL(first.claimFlow!.href, stack.urls.service).toString());
      await linked.waitForSelector("#claim-form:not([hidden])");
      expect(await linked.inputValue("#claim-form select[name=kind]")).to.equal("0");
      // An emergency card's or the embeddable button's link: kind, origin and language preselected.
      const merchant = dev(9).address;
      await linked.goto(
        `${stack.urls.web}?kind=RedemptionToolFailure&origin=${merchant.toLowerCase()}&lang=es#emergency`,
      );
      await linked.waitForSelector("#claim-form:not([hidden])");
      expect(await linked.inputValue("#claim-form select[name=kind]")).to.equal("2");
      expect(await linked.textContent("#claim-form .origin code")).to.equal(merchant);
      expect(await linked.inputValue("#lang")).to.equal("es");
      expect(await linked.getAttribute("html", "lang")).to.equal("es");
    } finally {
      await linked.close();
    }
  });

  it("shows the station's figures from /v1/stats and a risk alert an operator posted", async function () {
    const posted = await station(
      ["alert", "--title", "Data API degraded", "--message", "The data API answers slowly until 12:00 UTC."],
      1,
    );
    expect(posted).to.match(/alert posted \(#[0-9a-f-]{36}\): Data API degraded/);
    // Texts from the service are text, never markup (the page renders with lit-html, escaping by default).
    const markup = '<img src=x id="alert-markup">Markup in a title';
    await station(["alert", "--title", markup, "--message", '<b id="alert-bold">not bold</b>'], 1);

    const statsResponse = page.waitForResponse((r) => r.url().endsWith("/v1/stats"));
    await page.reload();
    const stats = (await (await statsResponse).json()) as StatsResponse;
    await page.waitForSelector("#stats [data-figure=open-total]");
    expect(await page.textContent("#stats [data-figure=open-total]")).to.equal(String(stats.open.total));
    expect(await page.textContent("#stats [data-figure=open-overdue]")).to.equal(String(stats.open.overdue));
    expect(stats.open.total).to.be.at.least(1); // the accepted claim
    const all = stats.windows.find((w) => w.window === "all")!;
    expect(all.overall.response.due).to.be.at.least(1);
    expect(await page.textContent("#stats [data-figure=response-all]")).to.equal(
      `${Math.round(all.overall.response.share! * 100)}%${all.overall.response.met} of ${all.overall.response.due}`,
    );
    expect(await page.getAttribute("#stats [data-generated-at]", "data-generated-at")).to.equal(
      String(stats.generatedAt),
    );
    // Service judged by its record: each assessor's public figures (the first claim's acceptance).
    const record = (await (await fetch(`${stack.urls.service}/v1/stats/assessors`)).json()) as {
      assessors: Array<{ assessor: string; claimsHandled: number }>;
    };
    expect(record.assessors.length).to.be.at.least(1);
    const top = record.assessors[0]!;
    const row = `#assessor-record tr[data-assessor="${top.assessor}"]`;
    await page.waitForSelector(row);
    expect(await page.textContent(`${row} td`)).to.equal(String(top.claimsHandled));
    // On a phone the figures' headings go over lines between words, never inside one.
    await wrapsBetweenWords(page, "#status table.figures th, #status table.figures td");
    await fitsWidth();
    await shot("web-status-390");

    expect(await textOf("#alerts", "Data API degraded")).to.include("The data API answers slowly until 12:00 UTC.");
    expect(await page.textContent("#alerts .alert .badge")).to.equal("warning");
    expect(await textOf("#alerts", markup)).to.include('<b id="alert-bold">not bold</b>');
    expect(await page.locator("#alert-markup, #alert-bold").count()).to.equal(0);
  });

  it("speaks Indonesian in the wallet corner, incident rounds, risk alerts, 'is this really support?' and the station's figures, and English again after", async function () {
    await connect();
    await page.selectOption("#lang", "id");
    // The wallet corner: its words, and the name the page gives a wallet that announced none.
    await textOf("#connect", "Terhubung");
    expect(await page.textContent("header .wallet-name")).to.equal("Dompet peramban");
    // Incident rounds: the connected account's round from the service, then the round file's answer.
    await textOf("#incident h2", "Kompensasi insiden: apakah saya berhak?");
    const round = await textOf("#rounds-mine", "sudah diklaim");
    expect(round).to.match(/Insiden #\d+: 7\.5 C, klaim sebelum /);
    expect(await page.textContent("#round-fallback summary")).to.equal("Punya file putaran?");
    await page.click("#round-fallback summary");
    expect(await page.getAttribute("#round-json", "placeholder")).to.equal("Tempel JSON putaran (atau muat file-nya)");
    await page.setInputFiles("#round-file", path.join(dir, "outage.json"));
    await page.waitForFunction(() => (document.querySelector("#round-json") as HTMLTextAreaElement).value !== "");
    await page.fill("#round-address", USER);
    expect((await page.textContent("#round-check"))?.trim()).to.equal("Apakah saya berhak?");
    await page.click("#round-check");
    await textOf("#round-result", `${USER} sudah menerima kompensasi 7.5 C — sudah diklaim.`);

    // Risk alerts: the page's words around the operator's (English) alert.
    expect(await page.textContent("#alerts-section h2")).to.equal("Peringatan risiko");
    const alert = page.locator("#alerts .alert").filter({ hasText: "Data API degraded" });
    expect(await alert.locator(".badge").textContent()).to.equal("peringatan");
    expect(await alert.locator(".muted").textContent()).to.match(/^Diterbitkan /);

    // "Is this really station support?"
    expect(await page.textContent("#verify h2")).to.equal("Benarkah ini dukungan stasiun?");
    expect(await page.textContent("#verify-form summary")).to.equal("Cek pesan bertanda tangan");
    await page.fill("#verify-form input[name=address]", dev(1).address);
    expect((await page.textContent("#verify-form button[type=submit]"))?.trim()).to.equal("Cek");
    await page.click("#verify-form button[type=submit]");
    await textOf("#verify-result", `✓ ${dev(1).address} saat ini adalah dukungan stasiun (assessor).`);

    // The station's figures: labels, windows, duration units and counts in Indonesian.
    expect(await page.textContent("#status h2")).to.equal("Status stasiun");
    const stats = await textOf("#stats", "klaim terbuka");
    expect(stats).to.include("melewati tenggat").and.include("Semua waktu").and.include("Dijawab tepat waktu");
    expect(stats).to.include("Dihitung dari data rantai yang terindeks").and.not.include("open claim");
    expect(await page.textContent("#stats [data-figure=response-all]")).to.match(/^\d+%\d+ dari \d+$/);
    expect(await page.textContent("#stats [data-figure=accept-all]")).to.match(/^[\d.]+ (dtk|mnt|jam|hari)\d+ klaim$/);
    expect(await page.textContent("#status h3")).to.equal("Siapa yang menjawab");
    expect(await page.textContent("#record"))
      .to.include("Balasan pertama dari manusia")
      .and.include("Penilai");
    await wrapsBetweenWords(page, "#status table.figures th, #status table.figures td");
    await fitsWidth();
    await shot("web-sections2-id-390");
    await page.locator("#status").screenshot({ path: path.join(RESULTS, "web-status-id-390.png") });

    // Back to English: every one of those sections, and the answers already shown, at once.
    await page.selectOption("#lang", "en");
    await textOf("#connect", "Connected");
    expect(await page.textContent("header .wallet-name")).to.equal("Browser wallet");
    await textOf("#incident h2", "Incident compensation: am I eligible?");
    expect(await page.textContent("#rounds-mine")).to.match(/Incident #\d+: 7\.5 C, claim by /);
    await textOf("#round-result", `${USER} was compensated 7.5 C — already claimed.`);
    expect(await page.textContent("#alerts-section h2")).to.equal("Risk alerts");
    await textOf("#alerts .alert .muted", "Posted ");
    expect(await alert.locator(".badge").textContent()).to.equal("warning");
    expect(await page.textContent("#verify h2")).to.equal("Is this really station support?");
    await textOf("#verify-result", `✓ ${dev(1).address} is station support now (assessor).`);
    expect(await page.textContent("#status h2")).to.equal("Station status");
    expect(await textOf("#stats", "open claim"))
      .to.include("All time")
      .and.include("Answered in time");
    expect(await page.textContent("#stats [data-figure=accept-all]")).to.match(/^[\d.]+ (s|min|h|d)\d+ claims?$/);
    expect(await page.textContent("#record")).to.include("First human reply in a case");
  });

  it("files a claim with a screenshot, shows the assessor's reply live and sealed by the chain, then rates, exports and erases", async function () {
    await page.goto(stack.urls.web);
    // Marks this page load: the reply must arrive without a reload.
    await page.evaluate(() => Object.assign(window, { __sameLoad: true }));
    await page.click("#sos");
    await page.waitForSelector("#claim-form:not([hidden])");
    const description = "The redemption tool failed twice; the screenshot shows the error.";
    await page.fill("#claim-form textarea[name=description]", description);
    await textOf("#description-count", `${description.length} of 4000 characters`);
    await page.setInputFiles("#claim-form input[name=files]", {
      name: "error.png",
      mimeType: "image/png",
      buffer: Buffer.from(PNG_1X1, "base64"),
    });
    // The contact field is asked only for a call-back or remote assistance.
    expect(await page.locator("#claim-form input[name=contact]").count()).to.equal(0);
    await page.check("#claim-form input[name=channel][value=callback]");
    await page.fill("#claim-form input[name=contact]", "+62 812 0000 0000");
    await page.click("#claim-form button[type=submit]");
    const sent = await notice("sent");
    const caseId = /Request #(\d+) sent/.exec(sent)![1]!;

    // The claim's evidence hash on-chain is the stored opening statement's hash.
    await textOf("#case-opening .text", description, 60_000);
    expect(await page.textContent("#case-opening .attachments")).to.include("error.png");
    await page.waitForSelector("#case-opening [data-anchor='matches the chain']", { timeout: 60_000 });
    await page.waitForSelector("#case-connection[data-connection=live]", { timeout: 30_000 });

    // The assessor (dev account 1) signs in with a session key of their own, as the staff's tools do.
    const assessor = dev(1);
    const sessionKey = privateKeyToAccount(generatePrivateKey());
    const api = async <T>(route: string, init: RequestInit & { token?: string } = {}): Promise<T> => {
      const headers = new Headers(init.headers);
      if (init.token) headers.set("Authorization", `Bearer ${init.token}`);
      if (init.body) headers.set("Content-Type", "application/json");
      const res = await fetch(`${stack.urls.service}${route}`, { ...init, headers });
      expect(res.ok, `${route}: ${res.status} ${await res.clone().text()}`).to.equal(true);
      return (await res.json()) as T;
    };
    /** Sign-In with Ethereum as `who`, with a session key if given. */
    const signIn = async (who: ReturnType<typeof dev>, key?: { address: Address }) => {
      const { nonce } = await api<{ nonce: string }>("/v1/auth/nonce", { method: "POST" });
      const siwe = createSiweMessage({
        address: who.address,
        chainId: hardhat.id,
        domain: new URL(stack.urls.service).host,
        uri: new URL(stack.urls.service).origin,
        version: "1",
        nonce,
        issuedAt: new Date(),
        resources: key === undefined ? [] : [sessionKeyResource(key.address)],
      });
      return api<{ token: string; sessionKey: string | null }>("/v1/auth/verify", {
        method: "POST",
        body: JSON.stringify({ message: siwe, signature: await who.signMessage({ message: siwe }) }),
      });
    };
    const signedIn = await signIn(assessor, sessionKey);
    expect(signedIn.sessionKey).to.equal(sessionKey.address);
    const { token } = signedIn;
    expect((await api<{ viewer: { role: string } }>(`/v1/cases/${caseId}`, { token })).viewer.role).to.equal(
      "assessor",
    );
    const staff = createWalletClient({ account: assessor, chain: hardhat, transport: http(stack.urls.rpc) });
    /** The assessor's message at the case's head, signed by the session key; its seq and hash. */
    const says = async (action: "accept" | "reject", text: string) => {
      const { next } = await api<{ next: { seq: number; prev: Hex } }>(`/v1/cases/${caseId}`, { token });
      const message = normalizeMessage({
        encoding: CASE_ENCODING,
        type: "message",
        chainId: hardhat.id,
        pool: stack.addresses.pool!,
        claimId: caseId,
        seq: next.seq,
        prev: next.prev,
        author: assessor.address,
        role: "assessor",
        action,
        text,
        attachments: [],
        article: null,
        at: Math.floor(Date.now() / 1000),
      });
      const posted = await api<{ hash: Hex }>(`/v1/cases/${caseId}/messages`, {
        method: "POST",
        token,
        body: JSON.stringify({
          message,
          signature: await sessionKey.signMessage({ message: { raw: messageHash(message) } }),
        }),
      });
      expect(posted.hash).to.equal(messageHash(message));
      return { seq: next.seq, hash: posted.hash };
    };
    /** The transition the message is the note of, sent by the assessor. */
    const seal = async (functionName: "acceptClaim" | "rejectClaim", note: Hex) => {
      const hash = await staff.writeContract({
        address: stack.addresses.pool!,
        abi: CompensationPoolAbi,
        functionName,
        args: [BigInt(caseId), note],
      });
      await publicClient().waitForTransactionReceipt({ hash });
    };

    // The assessor answers from the CLI: a reply, then the acceptance with its note.
    const station = async (args: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const env = {
        PATH: process.env.PATH,
        RPC_URL: stack.urls.rpc,
        SERVICE_URL: stack.urls.service,
        STATION_DEPLOYMENT_ID: deploymentId,
        STATION_ACCOUNT: "1",
      };
      const code = await runCli(args, { env, out: (l) => out.push(l), err: (l) => err.push(l) });
      expect(code, err.join("\n")).to.equal(0);
      return out.join("\n");
    };
    const looking = "Looking at it now: is it the redemption tool at the counter?";
    await station(["case", "reply", caseId, "--text", looking]);
    // Live, before any transaction: the message, not anchored yet.
    const first = `#case-messages li[data-role=assessor][data-seq="1"]`;
    await textOf(first, looking);
    expect(await page.textContent(`${first} .author`)).to.equal("Assessor");
    expect(await page.textContent(`${first} .anchor`)).to.equal("not anchored");
    // The anti-phishing badge: the author holds the assessor role on the pool now.
    expect(await page.textContent(`${first} .agent`)).to.equal("✓ verified station staff");
    const reply = "Accepted: a technician will look at the redemption tool today.";
    const acceptedOut = await station(["accept", caseId, "--note", reply]);
    const accepted = { seq: Number(/note: message #(\d+)/.exec(acceptedOut)![1]) };
    const item = `#case-messages li[data-role=assessor][data-seq="${accepted.seq}"]`;
    await textOf(item, reply);
    await page.waitForSelector(`${item} [data-anchor='matches the chain']`, { timeout: 60_000 });
    // The earlier reply is sealed by the note that followed it.
    await page.waitForSelector(`${first} [data-anchor='matches the chain']`, { timeout: 60_000 });
    expect(await page.textContent(`${item} .anchor`)).to.equal("matches the chain");
    expect(await page.evaluate(() => (window as unknown as { __sameLoad?: boolean }).__sameLoad)).to.equal(true);
    await shot("web-conversation-390");
    await fitsWidth();
    await page.setViewportSize({ width: 1280, height: 900 });
    await shot("web-conversation-1280");
    await fitsWidth();
    await page.setViewportSize({ width: 390, height: 844 });

    // The claimant answers from the page: signed by the tab's session key, no wallet question.
    const answer = "Thanks. It fails at the last step, every time.";
    await page.fill("#case-reply textarea[name=text]", answer);
    await page.click("#case-reply button[type=submit]");
    const mine = `#case-messages li[data-role=claimant][data-seq="${accepted.seq + 1}"]`;
    await textOf(mine, answer);
    expect(await page.textContent(`${mine} .author`)).to.equal("You");
    expect(await page.locator(`${mine} .agent`).count(), "no badge on the claimant's own words").to.equal(0);
    // The screenshot comes back as a download, byte for byte.
    const screenshot = page.waitForEvent("download");
    await page.click("#case-opening .attachments button");
    expect(await readFile((await (await screenshot).path())!)).to.deep.equal(Buffer.from(PNG_1X1, "base64"));

    // Closed (rejected, with its note): the claimant rates once, exports the transcript and erases.
    const rejected = await says("reject", "The tool works as designed; see the help article.");
    await seal("rejectClaim", rejected.hash);
    await page.waitForSelector("#case-rate", { timeout: 60_000 });
    expect(await page.locator("#case-reply").count()).to.equal(0);
    await page.check("#case-rate input[name=stars][value='4']");
    await page.fill("#case-rate textarea[name=comment]", "Quick and clear.");
    await page.click("#case-rate button[type=submit]");
    expect(await textOf("#case-rating", "★★★★☆")).to.include("Quick and clear.");
    await shot("web-conversation-closed-390");

    const exported = page.waitForEvent("download");
    await page.click("#case-export");
    const bundle = JSON.parse(await readFile((await (await exported).path())!, "utf8")) as CaseBundle;
    const report = await verifyBundle(bundle, rpcChainView(stack.urls.rpc, stack.addresses.pool!));
    expect(report.problems).to.deep.equal([]);
    expect(report.opening).to.equal("matches the chain");
    // The CLI's reply, the accept note, the claimant's answer, the reject note.
    expect(report.messages.map((m) => m.state)).to.deep.equal([
      "matches the chain",
      "matches the chain",
      "matches the chain",
      "matches the chain",
    ]);
    expect(report.rating).to.equal("valid");

    // The claimant starts another claim with the same screenshot (its statement stored, the claim
    // not sent): erasing this case keeps the file for that one, and the page says so.
    const claimant = await signIn(dev(5));
    const { opening } = await api<{ opening: { statement: OpeningStatement } }>(`/v1/cases/${caseId}`, {
      token: claimant.token,
    });
    const another = normalizeOpening({
      ...opening.statement,
      text: "The same error at the other counter.",
      channel: "text",
      contact: null,
      salt: keccak256(toHex("another claim")),
    });
    expect(another.attachments.map((a) => a.kind)).to.deep.equal(["file"]);
    await api("/v1/cases/openings", {
      method: "POST",
      token: claimant.token,
      body: JSON.stringify({ statement: another }),
    });
    page.once("dialog", (dialog) => void dialog.accept());
    await page.click("#case-erase");
    await notice("Files you also attached to another of your claims stay with that claim");
    await shot("web-conversation-erased-kept-390");
    await textOf("#case-opening", "(content erased)");
    await page.waitForSelector("#case-opening [data-anchor=erased]");
    expect(await page.locator("#case-erase").count()).to.equal(0);
  });

  it("fits a phone (390 px) and a desktop with every section filled", async function () {
    await page.goto(`${stack.urls.web}#claim-${claimId}`);
    await textOf("#stages li.current", "Customer service has accepted the request");
    await connect();
    await page.fill("#track-form input[name=q]", USER);
    await page.click("#track-form button[type=submit]");
    await textOf("#track-result", `#${claimId}`);
    await page.fill("#help-form input[name=q]", "package");
    await page.click("#help-form button[type=submit]");
    await page.waitForSelector("#help-result article");
    await page.click("#round-fallback summary"); // the round file is the fallback now
    await page.setInputFiles("#round-file", path.join(dir, "outage.json"));
    await page.waitForFunction(() => (document.querySelector("#round-json") as HTMLTextAreaElement).value !== "");
    await page.click("#round-check");
    await textOf("#round-result", "already claimed");
    await page.waitForSelector("#stake-tier");
    await page.waitForSelector("#stats [data-figure=open-total]");
    await page.waitForSelector("#alerts .alert");
    await shot("web-full-390");
    await fitsWidth();

    await page.setViewportSize({ width: 1280, height: 900 });
    await shot("web-full-1280");
    await fitsWidth();
    await page.setViewportSize({ width: 390, height: 844 });
    expect(
      await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations),
    ).to.deep.equal([]);
  });

  it("offers every wallet announced through EIP-6963, uses the one chosen and remembers it", async function () {
    const other = dev(6).address;
    const wallets = await context.newPage();
    try {
      // Three wallets announce themselves (as extensions do, answering eip6963:requestProvider):
      // Alpha answers as account #5, Beta as #6; Gamma's icon is a remote URL and its name is
      // markup, so it must show as text and without an image. Each records the methods it was asked.
      await wallets.addInitScript(
        ({ alpha, beta }) => {
          type Answer = { result?: unknown; error?: { code: number; message: string; data?: unknown } };
          const w = window as unknown as {
            __stationRpc(method: string, params: unknown[]): Promise<Answer>;
            __calls: Record<string, string[]>;
          };
          w.__calls = { alpha: [], beta: [], gamma: [] };
          const svg = "data:image/svg+xml;base64," + btoa('<svg xmlns="http://www.w3.org/2000/svg"/>');
          const png =
            "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
          const details = [
            { key: "alpha", account: alpha, name: "Alpha Wallet", icon: svg, rdns: "test.alpha" },
            { key: "beta", account: beta, name: "Beta Wallet", icon: png, rdns: "test.beta" },
            {
              key: "gamma",
              account: alpha,
              name: '<img src=x id="injected-markup">Gamma',
              icon: "https://wallet.example/icon.png",
              rdns: "test.gamma",
            },
          ].map((d) =>
            Object.freeze({
              info: { uuid: crypto.randomUUID(), name: d.name, icon: d.icon, rdns: d.rdns },
              provider: {
                async request({ method, params }: { method: string; params?: unknown[] }) {
                  w.__calls[d.key]!.push(method);
                  if (method === "eth_requestAccounts" || method === "eth_accounts") return [d.account];
                  const answer = await w.__stationRpc(method, params ?? []);
                  if (answer.error) throw Object.assign(new Error(answer.error.message), answer.error);
                  return answer.result;
                },
                on() {},
                removeListener() {},
              },
            }),
          );
          window.addEventListener("eip6963:requestProvider", () => {
            for (const detail of details) {
              window.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail }));
            }
          });
        },
        { alpha: USER, beta: other },
      );
      const calls = () => wallets.evaluate(() => (window as unknown as { __calls: Record<string, string[]> }).__calls);

      await wallets.goto(stack.urls.web);
      await wallets.click("#connect");
      await wallets.waitForSelector("#wallet-chooser");
      const names = await wallets.locator("#wallet-chooser .wallet-option").allTextContents();
      expect(names.map((n) => n.trim())).to.deep.equal([
        "Alpha Wallet",
        "Beta Wallet",
        '<img src=x id="injected-markup">Gamma',
      ]);
      // window.ethereum is there too, but announced wallets replace it in the offer.
      expect(await wallets.locator("#wallet-chooser [data-wallet=injected]").count()).to.equal(0);
      expect(await wallets.locator("#injected-markup").count()).to.equal(0);
      expect(await wallets.getAttribute("[data-wallet='test.alpha'] img", "src")).to.match(/^data:image\/svg\+xml;/);
      expect(await wallets.getAttribute("[data-wallet='test.beta'] img", "src")).to.match(/^data:image\/png;/);
      expect(await wallets.locator("[data-wallet='test.gamma'] img").count()).to.equal(0);
      await wallets.screenshot({ path: path.join(RESULTS, "web-wallet-chooser-390.png"), fullPage: true });
      await fitsWidthOf(wallets);
      expect((await calls()).beta).to.deep.equal([]);

      await wallets.click("[data-wallet='test.beta']");
      await wallets.waitForFunction((a) => document.querySelector("#account")?.textContent === a, other);
      await wallets.waitForSelector("#wallet-chooser", { state: "detached" });
      expect(await wallets.textContent(".wallet-name")).to.equal("Beta Wallet");
      // Beta signs the gasless claim; Alpha is never asked for anything.
      await wallets.click("#sos");
      await wallets.fill("#claim-form textarea[name=description]", "Sent from the second wallet.");
      await wallets.check("#claim-form input[name=gasless]");
      await wallets.click("#claim-form button[type=submit]");
      await wallets.waitForFunction(() => document.querySelector("#notice")?.textContent?.includes("sent"), undefined, {
        timeout: 60_000,
      });
      const newClaim = (await wallets.textContent("#progress-id"))!.replace("#", "");
      const used = await calls();
      expect(used.beta).to.include("eth_requestAccounts").and.include("eth_signTypedData_v4");
      expect(used.alpha).to.deep.equal([]);
      expect(used.gamma).to.deep.equal([]);
      const claimant = await publicClient().readContract({
        address: stack.addresses.pool!,
        abi: CompensationPoolAbi,
        functionName: "getClaim",
        args: [BigInt(newClaim)],
      });
      expect(claimant.claimant).to.equal(other);

      // The choice is remembered: after a reload, connecting asks no question and uses Beta again.
      await wallets.reload();
      await wallets.click("#connect");
      await wallets.waitForFunction((a) => document.querySelector("#account")?.textContent === a, other);
      expect(await wallets.locator("#wallet-chooser").count()).to.equal(0);
      expect((await calls()).beta).to.include("eth_requestAccounts");
      // "Change wallet" asks again; Alpha answers as the other account.
      await wallets.click("#wallet-change");
      await wallets.click("[data-wallet='test.alpha']");
      await wallets.waitForFunction((a) => document.querySelector("#account")?.textContent === a, USER);
      expect((await calls()).alpha).to.include("eth_requestAccounts");
    } finally {
      await wallets.close();
    }
  });

  it("offers the no-answer credit once the response deadline passes unanswered, and pays it from the wallet", async function () {
    const C = 10n ** 18n;
    const user = dev(5);
    const admin = createWalletClient({ account: dev(0), chain: hardhat, transport: http(stack.urls.rpc) });
    const mine = createWalletClient({ account: user, chain: hardhat, transport: http(stack.urls.rpc) });
    const mined = async (hash: Hex) => void (await publicClient().waitForTransactionReceipt({ hash }));
    await mined(
      await admin.writeContract({
        address: stack.addresses.pool!,
        abi: CompensationPoolAbi,
        functionName: "setBreachCredits",
        args: [5n * C, 10n * C, 100n * C],
      }),
    );
    // Standing: package 2 (response times halved) in force for the claimant.
    await mined(
      await admin.writeContract({
        address: stack.addresses.stablecoin!,
        abi: MockStablecoinAbi,
        functionName: "mint",
        args: [user.address, 200_000_000n],
      }),
    );
    await mined(
      await mine.writeContract({
        address: stack.addresses.stablecoin!,
        abi: MockStablecoinAbi,
        functionName: "approve",
        args: [stack.addresses.packages!, 200_000_000n],
      }),
    );
    await mined(
      await mine.writeContract({
        address: stack.addresses.packages!,
        abi: EmergencyPackagesAbi,
        functionName: "buyWithStable",
        args: [2n, user.address, 1, maxUint256],
      }),
    );
    const w = createWalletClient({ account: user, chain: hardhat, transport: http(stack.urls.rpc) });
    const receipt = await publicClient().waitForTransactionReceipt({
      hash: await w.writeContract({
        address: stack.addresses.pool!,
        abi: CompensationPoolAbi,
        functionName: "submitClaim",
        args: [3, 3n * C, `0x${"77".repeat(32)}`],
      }),
    });
    const [filed] = parseEventLogs({ abi: CompensationPoolAbi, eventName: "ClaimSubmitted", logs: receipt.logs });
    const id = filed!.args.claimId;
    await page.goto(`${stack.urls.web}#claim-${id}`);
    await textOf("#stages li.current", "Request received");
    expect(await page.locator("#claim-credit").count(), "not before the deadline").to.equal(0);

    await stack.chain!.increaseTime(3_601);
    await textOf("#claim-credit", "No answer in time — claim your credit");
    await shot("web-credit-due-390");
    const balance = () =>
      publicClient().readContract({
        address: stack.addresses.cToken!,
        abi: MockCTokenAbi,
        functionName: "balanceOf",
        args: [user.address],
      });
    const before = await balance();
    await connect();
    await page.click("#claim-credit");
    await notice("The credit was paid");
    expect((await balance()) - before).to.equal(5n * C);
    // Once indexed, the claim shows the credit and no longer offers it.
    await page.waitForSelector("#claim-credit", { state: "detached", timeout: 60_000 });
  });

  it("runs every section above under the service's content security policy without a violation", async function () {
    const response = await page.goto(stack.urls.web);
    const policy = response?.headers()["content-security-policy"] ?? "";
    expect(policy).to.contain("script-src 'self';");
    expect(policy).not.to.match(/script-src[^;]*unsafe-inline/);
    await page.waitForSelector("#lang option[value=id]", { state: "attached" });
    expect(cspViolations).to.deep.equal([]);
  });

  it("never downloads the assessors' desk for a claimant, signed in or not", async function () {
    // The claimant signed in above (the case conversation); the desk's code is a chunk of its own.
    const built = await readdir(path.join(REPO_ROOT, "web", "dist", "assets"));
    expect(built.filter((f) => /^desk-.*\.js$/.test(f))).to.have.length(1);
    expect(
      scripts.some((p) => /^\/assets\/index-.*\.js$/.test(p)),
      scripts.join(", "),
    ).to.equal(true);
    expect(scripts.filter((p) => p.includes("/desk-"))).to.deep.equal([]);
    // Nor the desk's incident round form (staff only), though the claimant's wallet was connected.
    expect(scripts.filter((p) => p.includes("/rounds-"))).to.deep.equal([]);
  });

  it("loads incident rounds' code only once a wallet connects or the round file is opened", async function () {
    const fresh = await context.newPage();
    const fetched: string[] = [];
    fresh.on("request", (request) => {
      if (request.resourceType() === "script") fetched.push(new URL(request.url()).pathname);
    });
    const incidentChunks = () => fetched.filter((p) => /^\/assets\/incident-.*\.js$/.test(p));
    try {
      await fresh.setViewportSize({ width: 390, height: 844 });
      await fresh.goto(stack.urls.web);
      await fresh.waitForSelector("#incident #rounds-connect");
      expect(await fresh.textContent("#account")).to.equal("");
      expect(await fresh.textContent("#incident h2")).to.equal("Incident compensation: am I eligible?");
      expect(incidentChunks()).to.deep.equal([]);
      // Opening the round file brings the section's code, and the file's form opens as asked.
      await fresh.click("#round-fallback summary");
      await fresh.waitForSelector("#round-json", { state: "visible" });
      expect(incidentChunks()).to.have.length(1);
      expect(await fresh.textContent("#round-check")).to.equal("Am I eligible?");
    } finally {
      await fresh.close();
    }
  });
});
