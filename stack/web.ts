/**
 * Builds the web page (web/ → web/dist) and the embeddable button (web/dist/embed.js, served at
 * /embed.js) with Vite's JS API: `npm start` and the browser tests call it.
 */
import path from "node:path";

import { REPO_ROOT } from "./proc.js";

export const WEB_ROOT = path.join(REPO_ROOT, "web");

/**
 * Always a production build, whatever NODE_ENV the caller runs under: Vite takes the page's
 * `process.env.NODE_ENV` (and `import.meta.env.PROD`) from NODE_ENV when it is set, so under mocha
 * (NODE_ENV=test) the browser tests were served a build that kept its libraries' development
 * branches (8 kB more) rather than the page people get.
 */
export async function buildWeb(): Promise<void> {
  const { build } = await import("vite");
  const callers = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({ root: WEB_ROOT, logLevel: "warn", build: { emptyOutDir: true } });
    // The button is a build of its own, into the same folder (after the page's, which empties it).
    await build({ configFile: path.join(WEB_ROOT, "embed", "vite.config.ts"), logLevel: "warn" });
  } finally {
    if (callers === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = callers;
  }
}
