/**
 * What the real-browser tests share (Browser.ts, Desk.ts, Rounds.ts, Help.ts): Debian's Chromium
 * through playwright-core with an injected EIP-1193 wallet, and one started stack.
 *
 * The wallet: the page asks `window.ethereum`, the test answers from the Hardhat node (no CORS, no
 * extension). Accounts are whatever `accountOf(page)` says for the asking tab, so one browser can
 * play several people; everything else goes to the node, whose dev accounts are unlocked, so
 * transactions and signatures need no key in the page. Flags a test sets on a page's window steer
 * it: `__reject` (the person presses "Reject" on a transaction or typed-data signature),
 * `__chainId` (the wallet sits on another chain), `__allowSwitch` (it switches when asked) and
 * `__failNextCall` (the next `eth_call` whose data starts with `selector` fails after `afterMs`,
 * as over a network that drops; the flag clears when that call is asked). Content-security-policy
 * violations are kept in `window.__cspViolations`.
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { type BrowserContext, type Page, chromium } from "playwright-core";
import type { Address } from "viem";
import { mnemonicToAccount } from "viem/accounts";

import { JsonRpcError, rpcCall } from "../../stack/devchain.js";
import { REPO_ROOT } from "../../stack/proc.js";
import { type Stack, startStack } from "../../stack/stack.js";
import { buildWeb } from "../../stack/web.js";

export const CHROMIUM = "/usr/bin/chromium";
/** Screenshots, kept as the tests' artifacts. */
export const RESULTS = path.join(REPO_ROOT, "test-results");
const MNEMONIC = "test test test test test test test test test test test junk";
/** Hardhat dev account `i` (the local deployment: #0 admin, #1 assessor, #2 guardian). */
export const dev = (i: number) => mnemonicToAccount(MNEMONIC, { addressIndex: i });

/** Flags a test sets on a page's window to steer the injected wallet. */
export type WalletFlags = {
  __reject?: boolean;
  __chainId?: string;
  __allowSwitch?: boolean;
  __failNextCall?: { selector: string; afterMs: number };
};

/** Skips the suite when Chromium is missing (fails instead with STATION_BROWSER_REQUIRED=1). */
export function needChromium(suite: Mocha.Context) {
  if (existsSync(CHROMIUM)) return;
  if (process.env.STATION_BROWSER_REQUIRED === "1") throw new Error(`${CHROMIUM} is missing`);
  console.warn(`      ${CHROMIUM} is missing (apt-get install chromium): browser test skipped`);
  suite.skip();
}

/** A stack on free ports for one test file, with the page built and `env` set while it starts. */
export async function startBrowserStack(name: string, env: Record<string, string> = {}) {
  await buildWeb(); // the page and the embeddable button
  const deploymentId = `local-${name}-${process.pid}`;
  const dataDir = path.join(REPO_ROOT, ".data", `${name}-${process.pid}`);
  // The service takes its env when it starts.
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  let stack: Stack;
  try {
    stack = await startStack({ chainPort: 0, indexerPort: 0, servicePort: 0, dataDir, deploymentId });
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  await mkdir(RESULTS, { recursive: true });
  return {
    stack,
    deploymentId,
    async stop() {
      await stack.stop();
      await rm(dataDir, { recursive: true, force: true });
      await rm(path.join(REPO_ROOT, "ignition", "deployments", deploymentId), { recursive: true, force: true });
    },
  };
}

/** Chromium at 390 × 844 (a phone) in a fresh profile, every tab with the injected wallet. */
export async function launchWithWallet(opts: {
  rpcUrl: string;
  accountOf: (page: Page) => Address | undefined;
  profile: string;
}): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = await mkdtemp(path.join(tmpdir(), `${opts.profile}-`));
  const context = await chromium.launchPersistentContext(profile, {
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
    locale: "en-US",
  });
  await context.exposeBinding("__stationRpc", async (source, method: string, params: unknown[]) => {
    if (method === "eth_requestAccounts" || method === "eth_accounts") {
      const account = opts.accountOf(source.page);
      return { result: account ? [account] : [] };
    }
    try {
      return { result: await rpcCall(opts.rpcUrl, method, params) };
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
      __reject?: boolean;
      __chainId?: string;
      __allowSwitch?: boolean;
      __failNextCall?: { selector: string; afterMs: number };
    };
    // (No named function values in here: tsx's __name helper does not exist in the page.)
    // Content-security-policy violations (the service's CSP allows no inline script) are recorded.
    const violations: string[] = [];
    Object.assign(w, { __cspViolations: violations });
    document.addEventListener("securitypolicyviolation", (e) => {
      violations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
    const rejected = { code: 4001, message: "User rejected the request." };
    w.ethereum = {
      async request({ method, params }: { method: string; params?: unknown[] }) {
        // The test plays a person pressing "Reject" in the wallet (transactions and signatures).
        if (w.__reject && (method === "eth_sendTransaction" || method.startsWith("eth_signTypedData"))) {
          throw Object.assign(new Error(rejected.message), rejected);
        }
        // ... or a wallet sitting on another chain, which switches only when allowed to.
        if (w.__chainId !== undefined) {
          if (method === "eth_chainId") return w.__chainId;
          if (method === "wallet_switchEthereumChain") {
            if (!w.__allowSwitch) throw Object.assign(new Error(rejected.message), rejected);
            w.__chainId = undefined;
            return null;
          }
        }
        // ... or a read lost on the way, answered with an error only after a while.
        const fail = w.__failNextCall;
        const call = method === "eth_call" ? (params?.[0] as { data?: string } | undefined) : undefined;
        if (fail !== undefined && call?.data?.startsWith(fail.selector) === true) {
          w.__failNextCall = undefined;
          await new Promise((resolve) => setTimeout(resolve, fail.afterMs));
          // 4900, disconnected (EIP-1193): viem does not retry it (it retries -32603).
          throw Object.assign(new Error("The connection to the network dropped."), { code: 4900 });
        }
        const answer = await w.__stationRpc(method, params ?? []);
        if (answer.error) throw Object.assign(new Error(answer.error.message), answer.error);
        return answer.result;
      },
      on() {},
      removeListener() {},
    };
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Nothing is wider than the viewport (no sideways scrolling). */
export async function fitsWidth(page: Page) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  if (scrollWidth > innerWidth) throw new Error(`page is ${scrollWidth}px wide in a ${innerWidth}px viewport`);
}

/**
 * Throws if a cell matched by `selector` breaks inside a word: a cell of N words must take at most
 * N lines ("Median to accept" may go over three lines on a phone, "Claims" must not become "Clai /
 * ms"). Lines are counted as the distinct tops of the text's line boxes; cells hidden from sight
 * (a 1 px box kept for screen readers) are left out.
 */
export async function wrapsBetweenWords(page: Page, selector: string) {
  const cells = await page.$$eval(selector, (found) =>
    found
      .filter((cell) => cell.getBoundingClientRect().width > 1)
      .map((cell) => {
        const range = document.createRange();
        range.selectNodeContents(cell);
        const text = (cell.textContent ?? "").trim();
        const tops = new Set(
          Array.from(range.getClientRects())
            .filter((r) => r.width > 0)
            .map((r) => Math.round(r.top)),
        );
        return { text, lines: tops.size, words: text === "" ? 0 : text.split(/\s+/).length };
      }),
  );
  if (cells.length === 0) throw new Error(`no cell matches ${selector}`);
  const broken = cells.filter((c) => c.lines > c.words);
  if (broken.length > 0) {
    throw new Error(`broken inside a word: ${broken.map((c) => `"${c.text}" on ${c.lines} lines`).join(", ")}`);
  }
}

/** Waits until `selector`'s text includes `text`; returns the whole text. */
export async function textOf(page: Page, selector: string, text: string, timeout = 30_000) {
  await page.waitForFunction(
    ([s, t]) => document.querySelector(s!)?.textContent?.includes(t!),
    [selector, text] as const,
    { timeout },
  );
  return (await page.textContent(selector))!;
}
