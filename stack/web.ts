/**
 * Builds the web page (web/ → web/dist) and the embeddable button (web/dist/embed.js, served at
 * /embed.js) with Vite's JS API: `npm start` and the browser tests call it.
 */
import path from "node:path";

import { REPO_ROOT } from "./proc.js";

export const WEB_ROOT = path.join(REPO_ROOT, "web");

export async function buildWeb(): Promise<void> {
  const { build } = await import("vite");
  await build({ root: WEB_ROOT, logLevel: "warn", build: { emptyOutDir: true } });
  // The button is a build of its own, into the same folder (after the page's, which empties it).
  await build({ configFile: path.join(WEB_ROOT, "embed", "vite.config.ts"), logLevel: "warn" });
}
