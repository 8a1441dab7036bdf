/**
 * `npm start -- --demo`'s scenario (stack/demo.ts) on a started stack: afterwards the chain
 * holds a claim in every stage, a Priority staker, an open incident round with its proofs file,
 * and packages bought with C and with the stablecoin.
 */
import { readFile, rm } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";
import { createPublicClient, http } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";

import { CStakingAbi } from "../../common/abis/CStaking.js";
import { CompensationPoolAbi } from "../../common/abis/CompensationPool.js";
import { EmergencyPackagesAbi } from "../../common/abis/EmergencyPackages.js";
import { STATUS_NAMES } from "../../cli/index.js";
import { playDemo } from "../../stack/demo.js";
import { REPO_ROOT } from "../../stack/proc.js";
import { type Stack, startStack } from "../../stack/stack.js";

const dev = (i: number) =>
  mnemonicToAccount("test test test test test test test test test test test junk", { addressIndex: i });

describe("npm start -- --demo", function () {
  this.timeout(300_000);
  let stack: Stack;
  const deploymentId = `local-demo-${process.pid}`;
  const dataDir = path.join(REPO_ROOT, ".data", `demo-${process.pid}`);

  before(async function () {
    stack = await startStack({ chainPort: 0, indexerPort: 0, servicePort: 0, dataDir, deploymentId });
  });

  after(async function () {
    await stack?.stop();
    await rm(dataDir, { recursive: true, force: true });
    await rm(path.join(REPO_ROOT, "ignition", "deployments", deploymentId), { recursive: true, force: true });
  });

  it("leaves claims in every stage, a Priority staker, an incident round and bought packages", async function () {
    const lines: string[] = [];
    const result = await playDemo(stack, path.join(dataDir, "demo"), (line) => lines.push(line));
    const chain = createPublicClient({ chain: hardhat, transport: http(stack.urls.rpc) });
    const pool = stack.addresses.pool!;
    const statuses: string[] = [];
    for (let id = 1n; id <= 6n; id++) {
      const claim = await chain.readContract({
        address: pool,
        abi: CompensationPoolAbi,
        functionName: "getClaim",
        args: [id],
      });
      statuses.push(STATUS_NAMES[claim.status]!);
    }
    expect(statuses).to.deep.equal(["Paid", "Approved", "Rejected", "Accepted", "Investigating", "Submitted"]);
    expect(
      await chain.readContract({
        address: stack.addresses.staking!,
        abi: CStakingAbi,
        functionName: "tierOf",
        args: [dev(4).address],
      }),
    ).to.equal(1);
    expect(
      await chain.readContract({ address: pool, abi: CompensationPoolAbi, functionName: "incidentCount" }),
    ).to.equal(1n);
    const round = JSON.parse(await readFile(result.incidentFile, "utf8")) as {
      count: number;
      round: { incidentId: string };
    };
    expect(round.count).to.equal(5);
    expect(round.round.incidentId).to.equal("1");
    for (const i of [7, 8, 9]) {
      const until = await chain.readContract({
        address: stack.addresses.packages!,
        abi: EmergencyPackagesAbi,
        functionName: "coveredUntil",
        args: [dev(i).address],
      });
      expect(until, `coverage of #${i}`).to.be.greaterThan(0n);
    }
    expect(lines.join("\n")).to.include("package 1 bought");
  });
});
