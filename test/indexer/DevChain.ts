/**
 * stack/devchain.ts against real Hardhat nodes: the properties the indexer harness relies on.
 */
import { expect } from "chai";

import { type DevChain, startDevChain } from "../../stack/devchain.js";

type Block = { number: string; hash: string; parentHash: string; timestamp: string };

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("devchain", function () {
  const chains: DevChain[] = [];

  after(async function () {
    await Promise.all(chains.map((c) => c.stop()));
  });

  async function start(): Promise<DevChain> {
    const chain = await startDevChain();
    chains.push(chain);
    return chain;
  }

  it("starts nodes side by side on distinct free ports, each answering as chain 31337", async function () {
    const [a, b] = await Promise.all([start(), start()]);
    expect(a!.port).to.not.equal(b!.port);
    expect(await a!.chainId()).to.equal(31337);
    expect(await b!.chainId()).to.equal(31337);
    await a!.mine(2);
    expect(await a!.blockNumber()).to.equal(2n);
    expect(await b!.blockNumber()).to.equal(0n);
  });

  it("mines n blocks that each point at the previous block's hash", async function () {
    const chain = await start();
    await chain.mine(5);
    expect(await chain.blockNumber()).to.equal(5n);
    const blocks = await chain.rpcBatch<Block>(
      [0, 1, 2, 3, 4, 5].map((n) => ({ method: "eth_getBlockByNumber", params: [`0x${n.toString(16)}`, false] })),
    );
    for (let i = 1; i < blocks.length; i++) expect(blocks[i]!.parentHash).to.equal(blocks[i - 1]!.hash);
  });

  it("reverts to a snapshot and then builds a different chain from there", async function () {
    const chain = await start();
    await chain.mine(3);
    const snapshot = await chain.snapshot();
    await chain.mine(3);
    const abandoned = await chain.rpc<Block>("eth_getBlockByNumber", ["0x5", false]);
    await chain.revert(snapshot);
    expect(await chain.blockNumber()).to.equal(3n);
    await chain.increaseTime(60);
    await chain.mine(1);
    const replacement = await chain.rpc<Block>("eth_getBlockByNumber", ["0x5", false]);
    expect(replacement.hash).to.not.equal(abandoned.hash);
    // A snapshot is consumed by its revert.
    expect((await rejection(chain.revert(snapshot))).message).to.include("refused");
  });

  it("moves the next block's timestamp forward by increaseTime's seconds", async function () {
    const chain = await start();
    const before = await chain.rpc<Block>("eth_getBlockByNumber", ["latest", false]);
    await chain.increaseTime(3_600);
    const after = await chain.rpc<Block>("eth_getBlockByNumber", ["latest", false]);
    expect(BigInt(after.number)).to.equal(BigInt(before.number) + 1n);
    const elapsed = BigInt(after.timestamp) - BigInt(before.timestamp);
    expect(elapsed >= 3_600n && elapsed < 3_700n).to.equal(true);
  });

  it("stops the node and leaves no process behind", async function () {
    const chain = await start();
    expect(isAlive(chain.pid)).to.equal(true);
    await chain.stop();
    expect(isAlive(chain.pid)).to.equal(false);
    expect((await rejection(chain.blockNumber())).message).to.match(/fetch failed|ECONNREFUSED/);
  });
});
