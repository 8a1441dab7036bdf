import { expect } from "chai";
import { network } from "hardhat";

import { BASIC, DAY, EVENT_DAY, PRO, deployPackages } from "./setup.js";

const { ethers, networkHelpers } = await network.create();
const { time } = networkHelpers;

// Two more SLA levels, so that a window can hold more factors than it has room for.
const SILVER = { id: 4n, usdPrice: 20_000_000n, duration: 10n * DAY, slaFactorBps: 7_500n };
const BRONZE = { id: 5n, usdPrice: 10_000_000n, duration: 10n * DAY, slaFactorBps: 9_000n };

describe("EmergencyPackages: coverage", function () {
  async function deployFixture() {
    const deployed = await deployPackages(ethers);
    for (const p of [SILVER, BRONZE]) {
      await deployed.packages.connect(deployed.admin).setPackage(p.id, p.usdPrice, p.duration, p.slaFactorBps, true);
    }
    return deployed;
  }

  type Deployed = Awaited<ReturnType<typeof deployFixture>>;

  /** Buys `pkg` for the project with the stablecoin in a block at timestamp `at`. */
  async function buyAt({ packages, buyer, project }: Deployed, pkg: { id: bigint }, at: bigint) {
    await time.setNextBlockTimestamp(at);
    return packages.connect(buyer).buyWithStable(pkg.id, project.address, 1n, ethers.MaxUint256);
  }

  /** The views at timestamp `at` (a block is mined there). */
  async function viewsAt({ packages, project }: Deployed, at: bigint) {
    await time.increaseTo(at);
    return {
      coveredUntil: await packages.coveredUntil(project.address),
      isCovered: await packages.isCovered(project.address),
      slaFactor: await packages.slaFactorOf(project.address),
      segments: (await packages.coverageOf(project.address)).map((s) => [s.slaFactorBps, s.until]),
    };
  }

  async function start(): Promise<bigint> {
    return BigInt(await time.latest()) + 100n;
  }

  it("reports an account that never bought as uncovered, with no factor (0)", async function () {
    const deployed = await networkHelpers.loadFixture(deployFixture);
    const t0 = await start();
    expect(await viewsAt(deployed, t0)).to.deep.equal({
      coveredUntil: 0n,
      isCovered: false,
      slaFactor: 0n,
      segments: [],
    });
  });

  it("covers a first purchase from now for the package's duration, end excluded", async function () {
    const deployed = await networkHelpers.loadFixture(deployFixture);
    const t0 = await start();
    await expect(buyAt(deployed, PRO, t0))
      .to.emit(deployed.packages, "PackagePurchased")
      .withArgs(
        deployed.buyer.address,
        deployed.project.address,
        PRO.id,
        await deployed.usd.getAddress(),
        PRO.usdPrice,
        0n,
        t0 + 30n * DAY,
        5_000n,
      );
    expect(await viewsAt(deployed, t0 + 30n * DAY - 1n)).to.deep.equal({
      coveredUntil: t0 + 30n * DAY,
      isCovered: true,
      slaFactor: 5_000n,
      segments: [[5_000n, t0 + 30n * DAY]],
    });
    expect(await viewsAt(deployed, t0 + 30n * DAY)).to.deep.equal({
      coveredUntil: t0 + 30n * DAY,
      isCovered: false,
      slaFactor: 0n,
      segments: [],
    });
  });

  it("extends from the current end when bought again while covered", async function () {
    const deployed = await networkHelpers.loadFixture(deployFixture);
    const t0 = await start();
    await buyAt(deployed, BASIC, t0);
    await expect(buyAt(deployed, BASIC, t0 + 10n * DAY))
      .to.emit(deployed.packages, "PackagePurchased")
      .withArgs(
        deployed.buyer.address,
        deployed.project.address,
        BASIC.id,
        await deployed.usd.getAddress(),
        BASIC.usdPrice,
        0n,
        t0 + 60n * DAY,
        10_000n,
      );
    expect((await viewsAt(deployed, t0 + 60n * DAY - 1n)).segments).to.deep.equal([[10_000n, t0 + 60n * DAY]]);
  });

  it("starts from now when bought after the coverage ran out", async function () {
    const deployed = await networkHelpers.loadFixture(deployFixture);
    const t0 = await start();
    await buyAt(deployed, BASIC, t0);
    const t1 = t0 + 45n * DAY;
    await buyAt(deployed, PRO, t1);
    expect(await viewsAt(deployed, t1 + 1n)).to.deep.equal({
      coveredUntil: t1 + 30n * DAY,
      isCovered: true,
      slaFactor: 5_000n,
      segments: [[5_000n, t1 + 30n * DAY]],
    });
  });

  it("starts from now when bought at the very second the coverage ends", async function () {
    const deployed = await networkHelpers.loadFixture(deployFixture);
    const t0 = await start();
    await buyAt(deployed, EVENT_DAY, t0);
    await buyAt(deployed, BASIC, t0 + 2n * DAY);
    expect((await viewsAt(deployed, t0 + 2n * DAY + 1n)).segments).to.deep.equal([[10_000n, t0 + 32n * DAY]]);
  });

  it("applies an upgrade at once and moves the rest of the window back by its duration", async function () {
    const deployed = await networkHelpers.loadFixture(deployFixture);
    const t0 = await start();
    await buyAt(deployed, BASIC, t0);
    const t1 = t0 + 10n * DAY;
    await expect(buyAt(deployed, PRO, t1))
      .to.emit(deployed.packages, "PackagePurchased")
      .withArgs(
        deployed.buyer.address,
        deployed.project.address,
        PRO.id,
        await deployed.usd.getAddress(),
        PRO.usdPrice,
        0n,
        t0 + 60n * DAY,
        5_000n,
      );
    // Pro's 30 days run first; Basic's 20 remaining days follow them.
    expect(await viewsAt(deployed, t1 + 1n)).to.deep.equal({
      coveredUntil: t0 + 60n * DAY,
      isCovered: true,
      slaFactor: 5_000n,
      segments: [
        [5_000n, t1 + 30n * DAY],
        [10_000n, t0 + 60n * DAY],
      ],
    });
    expect(await viewsAt(deployed, t1 + 30n * DAY)).to.deep.equal({
      coveredUntil: t0 + 60n * DAY,
      isCovered: true,
      slaFactor: 10_000n,
      segments: [[10_000n, t0 + 60n * DAY]],
    });
  });

  it("never lets a downgrade worsen the time already paid at a better factor", async function () {
    const deployed = await networkHelpers.loadFixture(deployFixture);
    const t0 = await start();
    await buyAt(deployed, PRO, t0);
    await expect(buyAt(deployed, BASIC, t0 + 10n * DAY))
      .to.emit(deployed.packages, "PackagePurchased")
      .withArgs(
        deployed.buyer.address,
        deployed.project.address,
        BASIC.id,
        await deployed.usd.getAddress(),
        BASIC.usdPrice,
        0n,
        t0 + 60n * DAY,
        5_000n,
      );
    expect((await viewsAt(deployed, t0 + 30n * DAY - 1n)).slaFactor).to.equal(5_000n);
    expect(await viewsAt(deployed, t0 + 30n * DAY)).to.deep.equal({
      coveredUntil: t0 + 60n * DAY,
      isCovered: true,
      slaFactor: 10_000n,
      segments: [[10_000n, t0 + 60n * DAY]],
    });
  });

  it("does not keep Pro's factor when Pro is bought once and then extended with Basic", async function () {
    const deployed = await networkHelpers.loadFixture(deployFixture);
    const t0 = await start();
    await buyAt(deployed, PRO, t0);
    for (let i = 1n; i <= 3n; i++) await buyAt(deployed, BASIC, t0 + i * DAY);
    const views = await viewsAt(deployed, t0 + 30n * DAY);
    expect(views.isCovered).to.equal(true);
    expect(views.coveredUntil).to.equal(t0 + 120n * DAY);
    expect(views.slaFactor).to.equal(10_000n);
  });

  it("merges a repeat purchase into the stretch of the same factor", async function () {
    const deployed = await networkHelpers.loadFixture(deployFixture);
    const t0 = await start();
    await buyAt(deployed, BASIC, t0);
    await buyAt(deployed, PRO, t0 + DAY);
    await buyAt(deployed, PRO, t0 + 2n * DAY);
    // Pro: 60 days from t0 + 1 day; Basic's remaining 29 days after them.
    expect((await viewsAt(deployed, t0 + 2n * DAY + 1n)).segments).to.deep.equal([
      [5_000n, t0 + 61n * DAY],
      [10_000n, t0 + 90n * DAY],
    ]);
  });

  it("orders three factors fastest first, whatever the order they were bought in", async function () {
    const deployed = await networkHelpers.loadFixture(deployFixture);
    const t0 = await start();
    await buyAt(deployed, BASIC, t0); // 30 days at 10_000
    await buyAt(deployed, EVENT_DAY, t0 + DAY); // 2 days at 2_500, at once
    await buyAt(deployed, PRO, t0 + 2n * DAY); // 30 days at 5_000, after Event day's last day
    expect(await viewsAt(deployed, t0 + 2n * DAY + 1n)).to.deep.equal({
      coveredUntil: t0 + 62n * DAY,
      isCovered: true,
      slaFactor: 2_500n,
      segments: [
        [2_500n, t0 + 3n * DAY],
        [5_000n, t0 + 33n * DAY],
        [10_000n, t0 + 62n * DAY],
      ],
    });
    expect((await viewsAt(deployed, t0 + 3n * DAY)).slaFactor).to.equal(5_000n);
    expect((await viewsAt(deployed, t0 + 33n * DAY)).slaFactor).to.equal(10_000n);
    expect((await viewsAt(deployed, t0 + 62n * DAY)).isCovered).to.equal(false);
  });

  it("keeps what was paid when the package's terms change later", async function () {
    const deployed = await networkHelpers.loadFixture(deployFixture);
    const t0 = await start();
    await buyAt(deployed, PRO, t0);
    await deployed.packages.connect(deployed.admin).setPackage(PRO.id, PRO.usdPrice, 1, 9_000, true);
    expect(await viewsAt(deployed, t0 + 29n * DAY)).to.deep.include({
      slaFactor: 5_000n,
      coveredUntil: t0 + 30n * DAY,
    });
  });

  it("refuses a fifth factor in one window but still sells the four it holds", async function () {
    const deployed = await networkHelpers.loadFixture(deployFixture);
    const t0 = await start();
    await buyAt(deployed, EVENT_DAY, t0);
    await buyAt(deployed, PRO, t0 + 1n);
    await buyAt(deployed, SILVER, t0 + 2n);
    await buyAt(deployed, BRONZE, t0 + 3n);
    await expect(buyAt(deployed, BASIC, t0 + 4n))
      .to.be.revertedWithCustomError(deployed.packages, "EmergencyPackagesTooManyCoverageLevels")
      .withArgs(deployed.project.address, 4n);
    await expect(buyAt(deployed, PRO, t0 + 5n)).to.emit(deployed.packages, "PackagePurchased");
    // Once Event day's stretch runs out, there is room again.
    await expect(buyAt(deployed, BASIC, t0 + 2n * DAY)).to.emit(deployed.packages, "PackagePurchased");
    expect((await viewsAt(deployed, t0 + 2n * DAY + 1n)).segments).to.deep.equal([
      [5_000n, t0 + 62n * DAY],
      [7_500n, t0 + 72n * DAY],
      [9_000n, t0 + 82n * DAY],
      [10_000n, t0 + 112n * DAY],
    ]);
  });

  it("covers the beneficiary only, not the buyer", async function () {
    const deployed = await networkHelpers.loadFixture(deployFixture);
    const t0 = await start();
    await buyAt(deployed, PRO, t0);
    expect(await deployed.packages.isCovered(deployed.project.address)).to.equal(true);
    expect(await deployed.packages.isCovered(deployed.buyer.address)).to.equal(false);
    expect(await deployed.packages.slaFactorOf(deployed.buyer.address)).to.equal(0n);
  });

  it("extends the same window whichever way it is paid", async function () {
    const deployed = await networkHelpers.loadFixture(deployFixture);
    const t0 = await start();
    await buyAt(deployed, BASIC, t0);
    await time.setNextBlockTimestamp(t0 + DAY);
    await deployed.feed8.setAnswer(12_345_600n); // a fresh answer for the C purchase
    await deployed.packages.connect(deployed.buyer).buyWithC(BASIC.id, deployed.project.address, 1n, ethers.MaxUint256);
    expect(await deployed.packages.coveredUntil(deployed.project.address)).to.equal(t0 + 60n * DAY);
  });
});
