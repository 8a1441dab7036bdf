/**
 * Gas benchmark: runs every measurement in bench/gas/*.ts on a fresh in-process network,
 * prints one table, and writes bench/results/gas.json (`{ "<Contract>.<function>[ <case>]": gas }`).
 *
 *   npm run bench:gas            measure, print, write the snapshot
 *   npm run gas:check            measure, print, fail if any figure grew or vanished vs the
 *                                committed snapshot (regenerate it with bench:gas and explain
 *                                the change in the commit message), or if an incident claim
 *                                costs more than 2% above the bare distributor
 */
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import { network } from "hardhat";

import type { GasFigure, GasMeasurement } from "./lib/gas.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const snapshotPath = path.join(here, "results", "gas.json");
const check = process.env.GAS_CHECK === "1";

const files = (await readdir(path.join(here, "gas"))).filter((f) => f.endsWith(".ts")).sort();
const figures: GasFigure[] = [];
for (const file of files) {
  const mod = (await import(pathToFileURL(path.join(here, "gas", file)).href)) as { default: GasMeasurement };
  figures.push(...(await mod.default(await network.create())));
}

const previous: Record<string, number> = JSON.parse(await readFile(snapshotPath, "utf8").catch(() => "{}"));
const rows = figures.map(({ key, gas }) => {
  const before = previous[key];
  const delta = before === undefined ? "new" : (Number(gas) - before).toString();
  return { figure: key, gas: Number(gas), "vs snapshot": delta };
});
console.table(rows);

// Issue 14's bound: an incident claim within 2% of the bare distributor on the same tree and
// samples, both ways the bench measures it (fresh recipients, recipients holding C).
const gasOfKey = (key: string) => Number(figures.find((f) => f.key === key)?.gas ?? NaN);
const bounds = ["average", "average recipients holding C"].map((variant) => {
  const ours = gasOfKey(`IncidentVault.claim 100k tree ${variant}`);
  const bare = gasOfKey(`BareMerkleDistributor.claim 100k tree ${variant}`);
  return { variant, ours, bare, "ours / bare": (ours / bare).toFixed(4), within2pct: ours <= bare * 1.02 };
});
console.table(bounds);

if (check) {
  if (!bounds.every((b) => b.within2pct)) {
    console.error("An incident claim costs more than 2% above the bare Merkle distributor.");
    process.exit(1);
  }
  const grown = rows.filter((r) => r["vs snapshot"] === "new" || Number(r["vs snapshot"]) > 0);
  const vanished = Object.keys(previous).filter((k) => !figures.some((f) => f.key === k));
  if (grown.length > 0 || vanished.length > 0) {
    console.error(
      "Gas snapshot mismatch: grown or new:",
      grown.map((r) => r.figure),
      "vanished:",
      vanished,
    );
    console.error("If the change is intended, run `npm run bench:gas` and explain it in the commit.");
    process.exit(1);
  }
  console.log("Gas snapshot holds: nothing grew.");
} else {
  const out = Object.fromEntries(figures.map(({ key, gas }) => [key, Number(gas)]));
  await writeFile(snapshotPath, JSON.stringify(out, null, 2) + "\n");
  console.log(`wrote ${path.relative(process.cwd(), snapshotPath)}`);
}
