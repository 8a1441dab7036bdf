import { expect } from "chai";
import { network } from "hardhat";

const { ethers, networkHelpers } = await network.create();

describe("mocks", function () {
  async function deployFixture() {
    const [deployer, alice] = await ethers.getSigners();
    const c = await ethers.deployContract("MockCToken");
    const usd = await ethers.deployContract("MockStablecoin");
    const feed = await ethers.deployContract("MockPriceFeed", [8, 25_000_000n]);
    return { deployer, alice, c, usd, feed };
  }

  it("gives the stablecoin 6 decimals and C 18", async function () {
    const { c, usd } = await networkHelpers.loadFixture(deployFixture);
    expect(await usd.decimals()).to.equal(6n);
    expect(await c.decimals()).to.equal(18n);
  });

  it("lets the feed report a stale, negative or incomplete round exactly as set", async function () {
    const { feed } = await networkHelpers.loadFixture(deployFixture);
    await expect(feed.setRound(7n, -5n, 100n, 90n, 6n))
      .to.emit(feed, "AnswerUpdated")
      .withArgs(-5n, 7n, 90n);
    const [roundId, answer, startedAt, updatedAt, answeredInRound] = await feed.latestRoundData();
    expect([roundId, answer, startedAt, updatedAt, answeredInRound]).to.deep.equal([7n, -5n, 100n, 90n, 6n]);
  });

  it("starts a fresh complete round on setAnswer", async function () {
    const { feed } = await networkHelpers.loadFixture(deployFixture);
    await feed.setAnswer(31_000_000n);
    const [roundId, answer, , updatedAt, answeredInRound] = await feed.latestRoundData();
    expect(roundId).to.equal(2n);
    expect(answer).to.equal(31_000_000n);
    expect(answeredInRound).to.equal(roundId);
    expect(updatedAt).to.equal(BigInt(await networkHelpers.time.latest()));
  });
});
