/**
 * The web page in a real browser: Debian's Chromium driven by playwright-core at phone width
 * (390 px) against the page served by a started stack. The wallet is a small injected EIP-1193
 * provider whose requests the test forwards to the Hardhat node, signing as the node's unlocked
 * dev account #5. Screenshots go to test-results/.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import { expect } from "chai";
import { type BrowserContext, type Page, chromium } from "playwright-core";
import { createPublicClient, createWalletClient, http, parseUnits } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";

import { MockCTokenAbi } from "../../indexer/abis/MockCToken.js";
import { JsonRpcError, rpcCall } from "../../scripts/lib/devchain.js";
import { REPO_ROOT } from "../../scripts/lib/proc.js";
import { type Stack, startStack } from "../../scripts/lib/stack.js";
import { buildWeb } from "../../scripts/lib/web.js";

const CHROMIUM = "/usr/bin/chromium";
const MNEMONIC = "test test test test test test test test test test test junk";
const USER = mnemonicToAccount(MNEMONIC, { addressIndex: 5 }).address;
const RESULTS = path.join(REPO_ROOT, "test-results");

describe("web page in Chromium", function () {
  this.timeout(300_000);
  let stack: Stack;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  const deploymentId = `local-web-${process.pid}`;
  const dataDir = path.join(REPO_ROOT, ".data", `web-${process.pid}`);

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      if (process.env.STATION_BROWSER_REQUIRED === "1") throw new Error(`${CHROMIUM} is missing`);
      console.warn(`      ${CHROMIUM} is missing (apt-get install chromium): browser test skipped`);
      this.skip();
    }
    await buildWeb();
    stack = await startStack({ chainPort: 0, indexerPort: 0, servicePort: 0, dataDir, deploymentId });
    // C for the package purchase.
    const wallet = createWalletClient({
      account: mnemonicToAccount(MNEMONIC, { addressIndex: 0 }),
      chain: hardhat,
      transport: http(stack.urls.rpc),
    });
    const hash = await wallet.writeContract({
      address: stack.addresses.cToken!,
      abi: MockCTokenAbi,
      functionName: "mint",
      args: [USER, parseUnits("500", 18)],
    });
    await createPublicClient({ chain: hardhat, transport: http(stack.urls.rpc) }).waitForTransactionReceipt({ hash });

    await mkdir(RESULTS, { recursive: true });
    profile = await mkdtemp(path.join(tmpdir(), "station-chromium-"));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
      viewport: { width: 390, height: 844 },
    });
    // The wallet: the page asks, the test answers from the node (no CORS, no extension).
    await context.exposeFunction("__stationRpc", async (method: string, params: unknown[]) => {
      if (method === "eth_requestAccounts" || method === "eth_accounts") return { result: [USER] };
      try {
        return { result: await rpcCall(stack.urls.rpc, method, params) };
      } catch (error) {
        const e = error as JsonRpcError;
        return { error: { code: e.code ?? -32603, message: e.message, data: e.data } };
      }
    });
    await context.addInitScript(() => {
      type Answer = { result?: unknown; error?: { code: number; message: string; data?: unknown } };
      const w = window as unknown as {
        __stationRpc(method: string, params: unknown[]): Promise<Answer>;
        ethereum: unknown;
      };
      w.ethereum = {
        async request({ method, params }: { method: string; params?: unknown[] }) {
          // The test plays a person pressing "Reject" in the wallet.
          if ((window as unknown as { __reject?: boolean }).__reject && method === "eth_sendTransaction") {
            throw Object.assign(new Error("User rejected the request."), { code: 4001 });
          }
          const answer = await w.__stationRpc(method, params ?? []);
          if (answer.error) throw Object.assign(new Error(answer.error.message), answer.error);
          return answer.result;
        },
        on() {},
        removeListener() {},
      };
    });
    page = context.pages()[0] ?? (await context.newPage());
  });

  after(async function () {
    await context?.close();
    await stack?.stop();
    if (profile) await rm(profile, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
    await rm(path.join(REPO_ROOT, "ignition", "deployments", deploymentId), { recursive: true, force: true });
  });

  it("sends an emergency claim and shows the assessor's acceptance live", async function () {
    await page.goto(stack.urls.web);
    await page.screenshot({ path: path.join(RESULTS, "web-home-390.png"), fullPage: true });
    // Fits the phone: nothing wider than the viewport.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(390);

    await page.click("#sos");
    await page.waitForSelector("#claim-form:not([hidden])");
    await page.waitForFunction(() => document.querySelector("#account")?.textContent !== "");
    expect(await page.textContent("#account")).to.equal(USER);
    await page.selectOption("#claim-form select[name=kind]", "0");
    await page.fill("#claim-form input[name=amount]", "10");
    await page.fill("#claim-form textarea[name=description]", "My rewards for October never arrived.");
    const relay = await fetch(`${stack.urls.service}/v1/relay/claims`, { method: "POST" });
    if (relay.status !== 404) await page.check("#claim-form input[name=gasless]");
    await page.click("#claim-form button[type=submit]");

    await page.waitForSelector("#stages li.current", { timeout: 60_000 });
    expect(await page.textContent("#stages li.current")).to.include("Request received");
    const id = (await page.textContent("#progress-id"))!.replace("#", "");
    expect(id).to.match(/^\d+$/);

    const { stdout } = await promisify(execFile)(process.execPath, ["bin/station.js", "accept", id], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        STATION_ACCOUNT: "1",
        RPC_URL: stack.urls.rpc,
        SERVICE_URL: stack.urls.service,
        STATION_DEPLOYMENT_ID: deploymentId,
      },
    });
    expect(stdout).to.include(`claim #${id}: Accepted`);

    await page.waitForFunction(
      () => document.querySelector("#stages li.current")?.textContent?.includes("Customer service has accepted"),
      undefined,
      { timeout: 30_000 },
    );
    await page.screenshot({ path: path.join(RESULTS, "web-claim-accepted-390.png"), fullPage: true });
  });

  it("buys a package with C and reports the discounted price paid", async function () {
    const publicClient = createPublicClient({ chain: hardhat, transport: http(stack.urls.rpc) });
    const balance = () =>
      publicClient.readContract({
        address: stack.addresses.cToken!,
        abi: MockCTokenAbi,
        functionName: "balanceOf",
        args: [USER],
      });
    const before = await balance();
    const pkg = page.locator('.package[data-id="1"]');
    await page.waitForSelector('.package[data-id="1"] .price-c');
    expect(await pkg.locator(".price-c").textContent()).to.equal("137.2 C (−30%)");
    await pkg.locator("button[data-pay=c]").click();
    await page.waitForFunction(
      () => document.querySelector("#notice")?.textContent?.includes("Package 1 bought"),
      undefined,
      {
        timeout: 60_000,
      },
    );
    expect(await page.textContent("#notice")).to.equal("Package 1 bought: paid 137.2 C (30% discount).");
    expect(before - (await balance())).to.equal(parseUnits("137.2", 18));
    // The package list reloads after the purchase with the project's new coverage.
    await page.waitForFunction(() => document.querySelector("#coverage")?.textContent?.includes("covered until"));
    await page.screenshot({ path: path.join(RESULTS, "web-package-bought-390.png"), fullPage: true });
  });

  it("explains an insufficient balance and a rejected transaction in plain words", async function () {
    const notice = async (text: string) => {
      await page.waitForFunction((t) => document.querySelector("#notice")?.textContent?.includes(t), text, {
        timeout: 60_000,
      });
      return page.textContent("#notice");
    };
    // 500 C minted, 137.2 C spent: package 2 costs 417.2 C with the discount.
    await page.locator('.package[data-id="2"] button[data-pay=c]').click();
    expect(await notice("Insufficient balance")).to.equal(
      "Insufficient balance: you have 362.8 C and this needs 417.2 C.",
    );
    await page.evaluate(() => ((window as unknown as { __reject: boolean }).__reject = true));
    await page.locator('.package[data-id="3"] button[data-pay=c]').click();
    expect(await notice("rejected")).to.equal("You rejected the request in your wallet.");
    await page.evaluate(() => ((window as unknown as { __reject: boolean }).__reject = false));
    await page.screenshot({ path: path.join(RESULTS, "web-wallet-error-390.png"), fullPage: true });
  });
});
