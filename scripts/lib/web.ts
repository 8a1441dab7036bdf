/** Builds the web page (web/ → web/dist) with Vite's JS API: `npm start` and the browser test call it. */
import path from "node:path";

import { REPO_ROOT } from "./proc.js";

export const WEB_ROOT = path.join(REPO_ROOT, "web");

export async function buildWeb(): Promise<void> {
  const { build } = await import("vite");
  await build({ root: WEB_ROOT, logLevel: "warn", build: { emptyOutDir: true } });
}
