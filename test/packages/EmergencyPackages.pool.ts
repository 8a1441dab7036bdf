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
});
