/**
 * The service's web route (service/src/web/routes.ts) without a server: the page's settings, the
 * built page, and a clear answer when the page is not built.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

import { loadConfig } from "../../service/src/config.js";
import { webRoutes } from "../../service/src/web/routes.js";

const POOL = "0x5FC8d32690cc91D4c39d9d3abcBD16989F875707";
const PACKAGES = "0xa513E6E4b8f2a923D98304ec87F64353C4D5C853";

describe("service web route", function () {
  let dir: string;
  const config = loadConfig({ POOL_ADDRESS: POOL, CHAIN_ID: "31337", RPC_URL: "http://127.0.0.1:9545" });

  before(async function () {
    dir = await mkdtemp(path.join(tmpdir(), "station-web-"));
  });
  after(async function () {
    await rm(dir, { recursive: true, force: true });
  });

  it("tells the page its chain and addresses, with null for those not configured", async function () {
    const withPackages = loadConfig({
      POOL_ADDRESS: POOL,
      CHAIN_ID: "31337",
      RPC_URL: "http://127.0.0.1:9545",
      STATION_PACKAGES: PACKAGES.toLowerCase(),
    });
    const app = webRoutes({ config: withPackages }, dir);
    const response = await app.request("/station-config.json");
    expect(response.status).to.equal(200);
    expect(await response.json()).to.deep.equal({
      chainId: 31337,
      rpcUrl: "http://127.0.0.1:9545",
      addresses: { pool: POOL, cToken: null, stablecoin: null, staking: null, packages: PACKAGES },
    });
  });

  it("refuses a page address that is not an address when the settings are read", function () {
    expect(() => loadConfig({ STATION_STAKING: "nonsense" })).to.throw(
      /invalid service configuration: STATION_STAKING: must be an address/,
    );
  });

  it("answers 503 with how to build the page when web/dist has no index.html", async function () {
    const response = await webRoutes({ config }, path.join(dir, "missing")).request("/");
    expect(response.status).to.equal(503);
    expect(await response.text()).to.include("npm run build:web");
  });

  it("serves the built page and its assets", async function () {
    await mkdir(path.join(dir, "assets"), { recursive: true });
    await writeFile(path.join(dir, "index.html"), "<!doctype html><title>page</title>");
    await writeFile(path.join(dir, "assets", "app.js"), "console.log(1)");
    const app = webRoutes({ config }, dir);
    const page = await app.request("/");
    expect(page.status).to.equal(200);
    expect(await page.text()).to.include("<title>page</title>");
    const asset = await app.request("/assets/app.js");
    expect(asset.headers.get("content-type")).to.match(/javascript/);
    expect((await app.request("/assets/none.js")).status).to.equal(404);
  });
});
