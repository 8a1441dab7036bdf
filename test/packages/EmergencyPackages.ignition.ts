import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { expect } from "chai";
import { network } from "hardhat";

import { DEFAULT_CATALOGUE, buildPackages } from "../../ignition/modules/packages.js";

const { ethers, ignition, networkHelpers } = await network.create();

const DAY = 86_400n;
const CATALOGUE_ROLE = ethers.id("CATALOGUE_ROLE");
const GUARDIAN_ROLE = ethers.id("GUARDIAN_ROLE");

/** A tiny module: the mocks the packages depend on, then the builder under test. */
const PackagesTestModule = buildModule("PackagesTest", (m) => {
  const cToken = m.contract("MockCToken");
  const stablecoin = m.contract("MockStablecoin");
  const priceFeed = m.contract("MockPriceFeed", [8, 12_345_600n]);
  const tierSource = m.contract("MockTierSource", [10_000, 3_000]);
  const pool = m.contract("MockCompensationPool", [cToken]);
  const { packages } = buildPackages(m, { cToken, stablecoin, priceFeed, tierSource, pool });
  return { packages, cToken, stablecoin, priceFeed, tierSource, pool };
});

describe("EmergencyPackages: Ignition builder", function () {
  async function deployFixture() {
    const deployed = await ignition.deploy(PackagesTestModule);
    const packages = await ethers.getContractAt("EmergencyPackages", await deployed.packages.getAddress());
    const [deployer] = await ethers.getSigners();
    return { deployed, packages, deployer: deployer! };
  }

  it("deploys with the defaults: account 0 in every role, half to the pool, a one-day heartbeat", async function () {
    const { deployed, packages, deployer } = await networkHelpers.loadFixture(deployFixture);
    expect(await packages.hasRole(ethers.ZeroHash, deployer.address)).to.equal(true);
    expect(await packages.hasRole(CATALOGUE_ROLE, deployer.address)).to.equal(true);
    expect(await packages.hasRole(GUARDIAN_ROLE, deployer.address)).to.equal(true);
    expect(await packages.proceeds()).to.deep.equal([deployer.address, deployer.address, 5_000n]);
    expect(await packages.oracle()).to.deep.equal([await deployed.priceFeed.getAddress(), DAY]);
    expect(await packages.cToken()).to.equal(await deployed.cToken.getAddress());
    expect(await packages.stablecoin()).to.equal(await deployed.stablecoin.getAddress());
    expect(await packages.tierSource()).to.equal(await deployed.tierSource.getAddress());
    expect(await packages.compensationPool()).to.equal(await deployed.pool.getAddress());
  });

  it("seeds Basic, Pro and Event day", async function () {
    const { packages } = await networkHelpers.loadFixture(deployFixture);
    expect(DEFAULT_CATALOGUE).to.have.length(3);
    expect(await packages.getPackage(1n)).to.deep.equal([49_000_000n, 30n * DAY, 10_000n, true, 1n]);
    expect(await packages.getPackage(2n)).to.deep.equal([149_000_000n, 30n * DAY, 5_000n, true, 1n]);
    expect(await packages.getPackage(3n)).to.deep.equal([29_000_000n, 2n * DAY, 2_500n, true, 1n]);
    expect((await packages.getPackage(4n)).duration).to.equal(0n);
  });

  it('takes every setting from a JSON parameter file, bigints written as "<digits>n"', async function () {
    const [, admin, guardian, treasury, reserve] = await ethers.getSigners();
    const dir = await mkdtemp(path.join(tmpdir(), "packages-params-"));
    const file = path.join(dir, "params.json");
    await writeFile(
      file,
      JSON.stringify({
        PackagesTest: {
          packagesAdmin: admin!.address,
          packagesGuardian: guardian!.address,
          packagesTreasury: treasury!.address,
          packagesStableReserve: reserve!.address,
          packagesPoolShareBps: 1_234,
          packagesOracleHeartbeat: 600,
          packagesCatalogue: [
            {
              id: "1000000000000000000000n",
              usdPrice: "340282366920938463463374607431768211455n",
              duration: 60,
              slaFactorBps: 1,
              active: false,
            },
            { id: 7, usdPrice: 12_345_678, duration: 3_600, slaFactorBps: 9_000, active: true },
          ],
        },
      }),
    );
    const deployed = await ignition.deploy(PackagesTestModule, { parameters: file });
    await rm(dir, { recursive: true });
    const packages = await ethers.getContractAt("EmergencyPackages", await deployed.packages.getAddress());

    expect(await packages.hasRole(ethers.ZeroHash, admin!.address)).to.equal(true);
    expect(await packages.hasRole(CATALOGUE_ROLE, admin!.address)).to.equal(true);
    expect(await packages.hasRole(GUARDIAN_ROLE, guardian!.address)).to.equal(true);
    expect(await packages.proceeds()).to.deep.equal([treasury!.address, reserve!.address, 1_234n]);
    expect((await packages.oracle())[1]).to.equal(600n);
    expect(await packages.getPackage(10n ** 21n)).to.deep.equal([2n ** 128n - 1n, 60n, 1n, false, 1n]);
    expect(await packages.getPackage(7n)).to.deep.equal([12_345_678n, 3_600n, 9_000n, true, 1n]);
    // Only the catalogue from the file: the default seeds are not there.
    expect((await packages.getPackage(1n)).duration).to.equal(0n);
  });
});
