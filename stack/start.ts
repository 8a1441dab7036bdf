/**
 * `npm start`: the whole station on this machine in one command — a Hardhat node on
 * 127.0.0.1:8545, the LocalStation deployment, the Ponder indexer (PGlite) and the service with
 * the web page. Prints the URLs, the addresses and the dev accounts' roles; Ctrl-C stops it all.
 *
 *   npm start                      local chain, fresh data every start (.data/local)
 *   npm start -- --demo            the same, then a scenario so the page has something to show
 *   RPC_URL=… CHAIN_ID=… npm start a real network: indexer + service only (see README)
 *
 * Env: CHAIN_PORT (8545), INDEXER_PORT (42069), SERVICE_PORT (8787) — 0 picks a free port;
 * STATION_DATA_DIR (.data/local); STATION_DEPLOYMENT_ID (chain-31337: Ignition's journal id); RPC_URL, CHAIN_ID, DATABASE_URL and the addresses
 * (STATION_POOL / POOL_ADDRESS, STATION_STAKING, STATION_PACKAGES, STATION_C_TOKEN, …, plus the
 * indexer's PONDER_<CONTRACT>_ADDRESS and PONDER_START_BLOCK) for a real network.
 * Child processes log to .data/logs/.
 */
import path from "node:path";
import { parseArgs } from "node:util";

import { playDemo } from "./demo.js";
import { DEV_ACCOUNTS, addressesFromEnv, startStack } from "./stack.js";
import { DATA_DIR } from "./proc.js";
import { describeEvent } from "./supervisor.js";
import { buildWeb } from "./web.js";

const { values } = parseArgs({ options: { help: { type: "boolean" }, demo: { type: "boolean" } }, strict: true });
if (values.help) {
  console.log("Usage: npm start [-- --demo]   (env: see the header of stack/start.ts and README)");
  process.exit(0);
}

const env = process.env;
const num = (name: string) => (env[name] === undefined || env[name] === "" ? undefined : Number(env[name]));
const started = Date.now();

let stopping: Promise<void> | undefined;
let stack: Awaited<ReturnType<typeof startStack>> | undefined;
const shutdown = (signal: string, exitCode = 0) => {
  if (stopping) return;
  console.log(`\n${signal}: stopping the station…`);
  stopping = (async () => {
    await stack?.stop();
    console.log("Stopped.");
    process.exit(exitCode);
  })();
};
// Registered before anything is spawned: stack/proc.ts then leaves the signals to us.
process.on("SIGINT", () => shutdown("SIGINT"));
process.on("SIGTERM", () => shutdown("SIGTERM"));

// The page is built while the chain starts; a stale web/dist after a pull would mislead.
const web = buildWeb().then(
  () => undefined,
  (error: Error) => error,
);
try {
  stack = await startStack({
    ...(env.RPC_URL
      ? { rpcUrl: env.RPC_URL, chainId: num("CHAIN_ID"), addresses: addressesFromEnv(env) }
      : { chainPort: num("CHAIN_PORT") }),
    indexerPort: num("INDEXER_PORT"),
    servicePort: num("SERVICE_PORT"),
    ...(env.STATION_DATA_DIR ? { dataDir: env.STATION_DATA_DIR } : {}),
    ...(env.STATION_DEPLOYMENT_ID ? { deploymentId: env.STATION_DEPLOYMENT_ID } : {}),
    // PostgreSQL only for a real network: Ponder caches raw blocks per database by chain id, and a
    // restarted local chain 31337 would be served the previous chain's blocks.
    ...(env.RPC_URL && env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
    progress: (line) => console.log(line),
    // A crashed indexer or service is reported here and restarted (at most 5 times in 10 minutes).
    supervise: { onEvent: (event) => console.log(describeEvent(event)) },
  });
} catch (error) {
  console.error(`Could not start the station: ${(error as Error).message}`);
  process.exit(1);
}
if (stopping) await stopping;
const webError = await web;
if (webError) console.error(`The web page could not be built (${webError.message}); the API still runs.`);

const s = stack;
let demoNote: string | undefined;
if (values.demo) {
  if (!s.local) {
    console.error("--demo plays on the local chain only; ignored with RPC_URL");
  } else {
    try {
      const demo = await playDemo(s, path.join(env.STATION_DATA_DIR ?? path.join(DATA_DIR, "local"), "demo"), (line) =>
        console.log(line),
      );
      demoNote = `demo played (${demo.steps} CLI steps); incident round file for the page: ${demo.incidentFile}`;
    } catch (error) {
      console.error(`The demo stopped: ${(error as Error).message}`);
    }
  }
}
const lines = [
  "",
  `Emergency Station is ready (${((Date.now() - started) / 1000).toFixed(1)} s)`,
  "",
  `  web page   ${s.urls.web}`,
  `  service    ${s.urls.service}   (API docs: ${s.urls.service}/docs)`,
  `  indexer    ${s.urls.indexer}   (GraphQL: ${s.urls.indexer}/graphql)`,
  `  chain      ${s.urls.rpc}   (chain id ${s.chainId})`,
  "",
  "  contracts",
  ...Object.entries(s.addresses).map(([name, address]) => `    ${name.padEnd(11)} ${address}`),
];
if (s.local) {
  lines.push("", "  dev accounts (Hardhat's well-known keys; `npx hardhat node` prints them)");
  DEV_ACCOUNTS.forEach((a, i) => lines.push(`    #${i} ${a.address}  ${a.role}`));
  lines.push("", "  CLI: STATION_ACCOUNT=1 npx station queue   (account #1 is the assessor)");
}
if (demoNote) lines.push("", `  ${demoNote}`);
lines.push("", `  logs       .data/logs/`, "", "Press Ctrl-C to stop.");
console.log(lines.join("\n"));
void s.gaveUp?.then((name) => {
  const why =
    name === "local chain"
      ? "the local chain is gone and its state with it (it lived in memory)"
      : `the ${name} keeps failing (see its log)`;
  console.error(`\n${why}: run npm start again.`);
  shutdown("gave up", 1);
});
