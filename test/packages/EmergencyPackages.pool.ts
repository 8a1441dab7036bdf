/**
 * EmergencyPackages as the CompensationPool's coverage source, deployed by LocalStation: a booked
 * event window shortens a claimant's deadlines only inside the window (finding 1 with scheduled
 * coverage). Uses the real pool, not the mock.
 */
import { expect } from "chai";
import { network } from "hardhat";

import LocalStation from "../../ignition/modules/LocalStation.js";

const { ethers, ignition, networkHelpers } = await network.create();
const { time } = networkHelpers;

const DAY = 86_400n;
const MISSING_REWARD = 0; // ClaimKind: response 600 s, resolution 14,400 s at the standard factor
const EVENT_DAY = 3n; // seed catalogue: $29, 2 days, factor 2_500
const BASIC = 1n; // seed catalogue: $49, 30 days, standard deadlines (factor 10_000)

describe("EmergencyPackages: coverage read by the pool", function () {
  async function deployFixture() {
    const deployed = await ignition.deploy(LocalStation, { parameters: "ignition/parameters/localhost.json" });
    const pool = await ethers.getContractAt("CompensationPool", await deployed.compensationPool.getAddress());
    const packages = await ethers.getContractAt("EmergencyPackages", await deployed.packages.getAddress());
    const usd = await ethers.getContractAt("MockStablecoin", await deployed.stablecoin.getAddress());
    const [, , , , merchant] = await ethers.getSigners();
    await usd.mint(merchant!.address, 1_000_000_000n);
    await usd.connect(merchant!).approve(packages, ethers.MaxUint256);
    return { pool, packages, merchant: merchant! };
  }

  /** The response and resolution windows (seconds) a claim submitted in the next block would get. */
  async function windows(pool: Awaited<ReturnType<typeof deployFixture>>["pool"], who: string) {
    const now = BigInt(await time.latest());
    const [, response, resolution] = await pool.previewDeadlines(who, MISSING_REWARD);
    return [response - now, resolution - now];
  }

  it("gives standard deadlines before a booked window, 75% shorter inside it, standard again after", async function () {
    const { pool, packages, merchant } = await networkHelpers.loadFixture(deployFixture);
    expect(await pool.coverageSource()).to.equal(await packages.getAddress());
    const start = BigInt(await time.latest()) + DAY;
    await packages
      .connect(merchant)
      .bookWithStable(EVENT_DAY, merchant.address, start, start + 2n * DAY, 1n, ethers.MaxUint256);

    expect(await windows(pool, merchant.address)).to.deep.equal([600n, 14_400n]);
    await time.increaseTo(start);
    expect(await windows(pool, merchant.address)).to.deep.equal([150n, 3_600n]);
    await time.increaseTo(start + 2n * DAY);
    expect(await windows(pool, merchant.address)).to.deep.equal([600n, 14_400n]);
  });

  it("gives a Basic buyer (standard deadlines) standing for breach credits, and the credit once unanswered", async function () {
    const { pool, packages, merchant } = await networkHelpers.loadFixture(deployFixture);
    const [admin, , , , , stranger] = await ethers.getSigners();
    const basic = await packages.getPackage(BASIC);
    expect(basic.slaFactorBps).to.equal(10_000n);
    await packages.connect(merchant).buyWithStable(BASIC, merchant.address, basic.termsVersion, basic.usdPrice);
    expect(await packages.slaFactorOf(merchant.address)).to.equal(10_000n);
    expect(await packages.slaFactorOf(stranger!.address)).to.equal(0n);
    // The seeded pool pays no breach credit; turn them on (admin: LocalStation's deployer).
    await pool
      .connect(admin!)
      .setBreachCredits(ethers.parseEther("1"), ethers.parseEther("2"), ethers.parseEther("100"));

    await pool.connect(merchant).submitClaim(MISSING_REWARD, ethers.parseEther("1"), ethers.id("basic"));
    const covered = await pool.claimCount();
    await pool.connect(stranger!).submitClaim(MISSING_REWARD, ethers.parseEther("1"), ethers.id("bare"));
    const bare = await pool.claimCount();
    expect((await pool.getClaim(covered)).standing).to.equal(true);
    expect((await pool.getClaim(bare)).standing).to.equal(false);
    // Standard deadlines for both: Basic shortens nothing.
    expect(await windows(pool, merchant.address)).to.deep.equal([600n, 14_400n]);

    await time.increase(601);
    await expect(pool.claimNoResponseCredit(covered))
      .to.emit(pool, "BreachCreditPaid")
      .withArgs(covered, merchant.address, 0, ethers.parseEther("1"));
    await expect(pool.claimNoResponseCredit(bare))
      .to.be.revertedWithCustomError(pool, "CompensationPoolNoStanding")
      .withArgs(bare, stranger!.address);
  });
});
