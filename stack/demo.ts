/**
 * `npm start -- --demo`: a scenario played on the local stack so the page has something to show —
 * C for the dev accounts, a stake reaching Priority, claims in every stage (#1 Paid, #2 Approved
 * and waiting out the large-claim delay, #3 Rejected, #4 Accepted, #5 Investigating, #6 Submitted;
 * a seventh gasless when the service relays), an incident round from a small CSV, and package
 * purchases both ways. Every step is a `station` CLI command, so the demo is also a walk through
 * the CLI.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

import { createPublicClient, createWalletClient, http, parseUnits } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";

import { MockCTokenAbi } from "../common/abis/MockCToken.js";
import { MockStablecoinAbi } from "../common/abis/MockStablecoin.js";
import { runCli } from "../cli/index.js";
import type { Stack } from "./stack.js";

const MNEMONIC = "test test test test test test test test test test test junk";
const dev = (i: number) => mnemonicToAccount(MNEMONIC, { addressIndex: i });

export type DemoResult = { incidentFile: string; steps: number };

export async function playDemo(stack: Stack, dir: string, log: (line: string) => void): Promise<DemoResult> {
  if (!stack.local || !stack.chain) throw new Error("the demo plays on the local chain only");
  const chain = stack.chain;
  let steps = 0;
  const station = async (account: number, ...args: string[]) => {
    const errors: string[] = [];
    const code = await runCli(args, {
      env: {
        RPC_URL: stack.urls.rpc,
        SERVICE_URL: stack.urls.service,
        STATION_ACCOUNT: String(account),
        ...(stack.deploymentId ? { STATION_DEPLOYMENT_ID: stack.deploymentId } : {}),
      },
      out: (line) => log(`  ${line}`),
      err: (line) => errors.push(line),
    });
    steps++;
    if (code !== 0)
      throw new Error(`demo step \`station ${args.join(" ")}\` (account #${account}) failed: ${errors.join(" ")}`);
  };

  log("demo: minting C and stablecoin for dev accounts #4–#9");
  const admin = createWalletClient({ account: dev(0), chain: hardhat, transport: http(stack.urls.rpc) });
  const reader = createPublicClient({ chain: hardhat, transport: http(stack.urls.rpc) });
  for (let i = 4; i <= 9; i++) {
    for (const [address, abi, amount] of [
      [stack.addresses.cToken!, MockCTokenAbi, parseUnits("5000", 18)],
      [stack.addresses.stablecoin!, MockStablecoinAbi, 1_000_000_000n],
    ] as const) {
      const hash = await admin.writeContract({ address, abi, functionName: "mint", args: [dev(i).address, amount] });
      await reader.waitForTransactionReceipt({ hash });
    }
  }

  log("demo: #4 stakes 1,500 C and waits out the warmup → Priority (deadlines 50% shorter)");
  await station(4, "stake", "1500");
  await chain.increaseTime(61);

  log("demo: claims in every stage");
  await station(
    5,
    "claim",
    "submit",
    "--kind",
    "missing-reward",
    "--amount",
    "25",
    "--description",
    "October rewards missing",
  );
  await station(1, "accept", "1", "--note", "on it");
  await station(1, "investigate", "1");
  await station(1, "approve", "1", "20");
  await station(6, "claim", "submit", "--kind", "data-api-outage", "--amount", "1500", "--description", "API down 3 h");
  await station(1, "accept", "2");
  await station(1, "investigate", "2");
  await station(1, "approve", "2", "1200");
  await station(7, "claim", "submit", "--kind", "other", "--amount", "5", "--description", "duplicate of #1");
  await station(1, "reject", "3", "--reason", "duplicate of claim #1");
  await station(
    4,
    "claim",
    "submit",
    "--kind",
    "redemption-tool-failure",
    "--amount",
    "40",
    "--description",
    "POS scanner",
  );
  await station(1, "accept", "4");
  await station(5, "claim", "submit", "--kind", "data-api-outage", "--amount", "60", "--description", "API errors");
  await station(1, "accept", "5");
  await station(1, "investigate", "5");
  await station(8, "claim", "submit", "--kind", "missing-reward", "--amount", "12", "--description", "waiting");
  const relayed = await station(
    9,
    "claim",
    "submit",
    "--kind",
    "other",
    "--amount",
    "3",
    "--description",
    "relayed",
    "--gasless",
  ).then(
    () => true,
    () => false,
  );
  if (!relayed) log("  (gasless claim skipped: the service has no relayer route yet)");

  log("demo: an incident round for a data API outage");
  await mkdir(dir, { recursive: true });
  const csv = path.join(dir, "outage.csv");
  const rows = [5, 6, 7, 8, 9].map((i, n) => `${dev(i).address},${(n + 1) * 2.5}`);
  await writeFile(csv, `account,amount\n${rows.join("\n")}\n`);
  await station(0, "incident", "open", "--csv", csv, "--deadline", "+7d", "--out", path.join(dir, "outage.json"));

  log("demo: package purchases, with C at the discount and with the stablecoin");
  await station(7, "package", "buy", "1", "--with", "c");
  await station(8, "package", "buy", "2", "--with", "stable");
  // Buying for someone else needs their consent first.
  await station(9, "package", "allow", dev(4).address);
  await station(4, "package", "buy", "3", "--with", "c", "--beneficiary", dev(9).address);
  return { incidentFile: path.join(dir, "outage.json"), steps };
}
