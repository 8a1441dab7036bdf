#!/usr/bin/env node
// Adds lock entries for optional, other-platform native packages that the package registry
// mirror our machines use does not serve (it has only linux-x64 builds of, e.g., Hardhat's EDR
// and rollup). Without an entry `npm ci` calls the lock "out of sync"; with one marked
// optional and with its os/cpu/libc, `npm ci` recognises it as another platform's build and
// skips it without fetching anything. Idempotent. Run after any `npm install`:
//   node scripts/fix-lockfile.mjs
import { readFileSync, writeFileSync } from "node:fs";

const file = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(file, "utf8"));
const packages = lock.packages;

const OS = ["darwin", "linux", "win32", "android", "freebsd", "openbsd", "openharmony", "sunos", "netbsd", "aix"];
const CPU = ["arm64", "x64", "arm", "ia32", "loong64", "ppc64", "riscv64", "s390x", "mips64el"];

/** Platform of a native build from its package name, e.g. `@rollup/rollup-linux-arm64-musl`. */
function platformOf(name) {
  const parts = name.split("/").pop().split("-");
  const os = OS.find((o) => parts.includes(o));
  const cpu = CPU.find(
    (c) => parts.includes(c) || (c === "arm" && parts.some((p) => p.startsWith("arm") && p !== "arm64")),
  );
  if (os === undefined || cpu === undefined) return undefined;
  const libc =
    os === "linux" ? (parts.includes("musl") || parts.some((p) => p.startsWith("musl")) ? "musl" : "glibc") : undefined;
  return { os, cpu, libc };
}

let added = 0;
for (const [path, entry] of Object.entries(packages)) {
  for (const [dep, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    const present = Object.keys(packages).some(
      (p) => p === `node_modules/${dep}` || p.endsWith(`/node_modules/${dep}`),
    );
    if (present) continue;
    const platform = platformOf(dep);
    if (platform === undefined || !/^\d+\.\d+\.\d+/.test(spec)) {
      console.error(`cannot stub ${dep}@${spec} (needed by ${path || "the root"}): not a recognisable platform build`);
      process.exitCode = 1;
      continue;
    }
    packages[`node_modules/${dep}`] = {
      version: spec,
      cpu: [platform.cpu],
      ...(platform.libc === undefined ? {} : { libc: [platform.libc] }),
      optional: true,
      os: [platform.os],
    };
    added += 1;
  }
}
writeFileSync(file, JSON.stringify(lock, null, 2) + "\n");
console.log(`package-lock.json: ${added} other-platform optional entries added`);
