/**
 * The web page (web/, built by Vite to web/dist): `/` and its `/assets/*`, plus
 * `/station-config.json` telling the page which chain and contracts to use. The addresses come
 * from the service's validated settings (POOL_ADDRESS, and STATION_C_TOKEN, STATION_STABLECOIN,
 * STATION_STAKING, STATION_PACKAGES set by `npm start`). Without a build, `/` says how to make one.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { serveStatic } from "@hono/node-server/serve-static";

import { type AppDeps } from "../deps.js";
import { newRouter } from "../http/router.js";

export const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "web", "dist");

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Emergency Station</title></head>
<body style="font:16px system-ui;max-width:40rem;margin:3rem auto;padding:0 1rem"><h1>The web page is not built</h1>
<p>Run <code>npm run build:web</code> (or <code>npm start</code>, which builds it) and reload.
The API is up: see <a href="/docs">/docs</a>.</p></body></html>`;

/** Mounted at the root: the page, its assets and its settings. */
export function webRoutes({ config }: Pick<AppDeps, "config">, dist: string = WEB_DIST) {
  const index = serveStatic({ root: dist, path: "index.html" });
  return newRouter()
    .get("/station-config.json", (c) =>
      c.json({
        chainId: config.chainId,
        rpcUrl: config.rpcUrl,
        addresses: {
          pool: config.poolAddress ?? null,
          cToken: config.pageAddresses.cToken ?? null,
          stablecoin: config.pageAddresses.stablecoin ?? null,
          staking: config.pageAddresses.staking ?? null,
          packages: config.pageAddresses.packages ?? null,
        },
      }),
    )
    .get("/assets/*", serveStatic({ root: dist }))
    .get("/", async (c, next) => {
      if (!existsSync(path.join(dist, "index.html"))) return c.html(NOT_BUILT, 503);
      return (await index(c, next)) ?? c.html(NOT_BUILT, 503);
    });
}
