import { expect } from "chai";
import { network } from "hardhat";

import { BASIC, CATALOGUE, C_PRICE_8, EVENT_DAY, HEARTBEAT, POOL_SHARE_BPS, PRO, deployPackages } from "./setup.js";

const { ethers, networkHelpers } = await network.create();

const CATALOGUE_ROLE = ethers.id("CATALOGUE_ROLE");
const GUARDIAN_ROLE = ethers.id("GUARDIAN_ROLE");
const DEFAULT_ADMIN_ROLE = ethers.ZeroHash;
const MAX_UINT128 = 2n ** 128n - 1n;

describe("EmergencyPackages: administration", function () {
  async function deployFixture() {
    return deployPackages(ethers);
  }

  describe("deployment", function () {
    it("grants the admin the admin and catalogue roles and the guardian only the guardian role", async function () {
      const { packages, admin, guardian } = await networkHelpers.loadFixture(deployFixture);
      expect(await packages.CATALOGUE_ROLE()).to.equal(CATALOGUE_ROLE);
      expect(await packages.GUARDIAN_ROLE()).to.equal(GUARDIAN_ROLE);
      expect(await packages.hasRole(DEFAULT_ADMIN_ROLE, admin.address)).to.equal(true);
      expect(await packages.hasRole(CATALOGUE_ROLE, admin.address)).to.equal(true);
      expect(await packages.hasRole(GUARDIAN_ROLE, admin.address)).to.equal(false);
      expect(await packages.hasRole(GUARDIAN_ROLE, guardian.address)).to.equal(true);
      expect(await packages.hasRole(DEFAULT_ADMIN_ROLE, guardian.address)).to.equal(false);
    });

    it("stores the fixed contracts and the initial settings", async function () {
      const { packages, config } = await networkHelpers.loadFixture(deployFixture);
      expect(await packages.cToken()).to.equal(config.cToken);
      expect(await packages.stablecoin()).to.equal(config.stablecoin);
      expect(await packages.tierSource()).to.equal(config.tierSource);
      expect(await packages.compensationPool()).to.equal(config.compensationPool);
      expect(await packages.proceeds()).to.deep.equal([config.treasury, config.stableReserve, POOL_SHARE_BPS]);
      expect(await packages.oracle()).to.deep.equal([config.priceFeed, HEARTBEAT]);
      expect(await packages.MAX_COVERAGE_LEVELS()).to.equal(4n);
    });

    it("sets and events the initial catalogue and settings", async function () {
      const { packages, config } = await networkHelpers.loadFixture(deployFixture);
      const deployTx = packages.deploymentTransaction()!;
      for (const p of CATALOGUE) {
        await expect(deployTx)
          .to.emit(packages, "PackageSet")
          .withArgs(p.id, p.usdPrice, p.duration, p.slaFactorBps, p.active, 1n);
        expect(await packages.getPackage(p.id)).to.deep.equal([p.usdPrice, p.duration, p.slaFactorBps, p.active, 1n]);
      }
      await expect(deployTx)
        .to.emit(packages, "ProceedsConfigured")
        .withArgs(config.treasury, config.stableReserve, POOL_SHARE_BPS);
      await expect(deployTx).to.emit(packages, "OracleConfigured").withArgs(config.priceFeed, HEARTBEAT);
    });

    it("rejects a zero address for any fixed contract or role", async function () {
      const { packages, config } = await networkHelpers.loadFixture(deployFixture);
      const factory = await ethers.getContractFactory("EmergencyPackages");
      for (const key of ["admin", "guardian", "cToken", "stablecoin", "tierSource", "compensationPool"] as const) {
        await expect(factory.deploy({ ...config, [key]: ethers.ZeroAddress }, []), key).to.be.revertedWithCustomError(
          packages,
          "EmergencyPackagesZeroAddress",
        );
      }
    });

    it("validates the initial settings and catalogue like the setters do", async function () {
      const { packages, config } = await networkHelpers.loadFixture(deployFixture);
      const factory = await ethers.getContractFactory("EmergencyPackages");
      await expect(factory.deploy({ ...config, poolShareBps: 10_001 }, []))
        .to.be.revertedWithCustomError(packages, "EmergencyPackagesInvalidPoolShare")
        .withArgs(10_001n);
      await expect(factory.deploy({ ...config, heartbeat: 0 }, []))
        .to.be.revertedWithCustomError(packages, "EmergencyPackagesInvalidHeartbeat")
        .withArgs(0n);
      await expect(factory.deploy(config, [{ ...BASIC, duration: 0n }]))
        .to.be.revertedWithCustomError(packages, "EmergencyPackagesInvalidDuration")
        .withArgs(0n);
    });

    it("rejects a feed with more decimals than prices can be converted with", async function () {
      const { packages, config } = await networkHelpers.loadFixture(deployFixture);
      const feed37 = await ethers.deployContract("MockPriceFeed", [37, 1n]);
      const factory = await ethers.getContractFactory("EmergencyPackages");
      await expect(factory.deploy({ ...config, priceFeed: await feed37.getAddress() }, []))
        .to.be.revertedWithCustomError(packages, "EmergencyPackagesUnsupportedDecimals")
        .withArgs(await feed37.getAddress(), 37n);
    });
  });

  describe("setPackage", function () {
    it("creates a package that can be bought, with an event", async function () {
      const { packages, admin, buyer, project } = await networkHelpers.loadFixture(deployFixture);
      await expect(packages.connect(admin).setPackage(42n, 7_770_001n, 3_600, 7_000, true))
        .to.emit(packages, "PackageSet")
        .withArgs(42n, 7_770_001n, 3_600n, 7_000n, true, 1n);
      expect(await packages.getPackage(42n)).to.deep.equal([7_770_001n, 3_600n, 7_000n, true, 1n]);
      await expect(packages.connect(buyer).buyWithStable(42n, project.address, 1n, ethers.MaxUint256)).to.emit(
        packages,
        "PackagePurchased",
      );
      expect(await packages.slaFactorOf(project.address)).to.equal(7_000n);
    });

    it("changes a package's price for later purchases", async function () {
      const { packages, admin, buyer } = await networkHelpers.loadFixture(deployFixture);
      await packages.connect(admin).setPackage(PRO.id, 99_000_000n, PRO.duration, PRO.slaFactorBps, true);
      expect(await packages.quote(PRO.id, false, buyer.address)).to.deep.equal([99_000_000n, 0n]);
    });

    it("is open to the catalogue role only", async function () {
      const { packages, admin, other } = await networkHelpers.loadFixture(deployFixture);
      await expect(packages.connect(other).setPackage(1n, 1n, 1, 1, true))
        .to.be.revertedWithCustomError(packages, "AccessControlUnauthorizedAccount")
        .withArgs(other.address, CATALOGUE_ROLE);
      await packages.connect(admin).grantRole(CATALOGUE_ROLE, other.address);
      await expect(packages.connect(other).setPackage(1n, 1n, 1, 1, true))
        .to.emit(packages, "PackageSet")
        .withArgs(1n, 1n, 1n, 1n, true, 2n);
    });

    it("rejects a zero price and one beyond 128 bits, and accepts the largest", async function () {
      const { packages, admin } = await networkHelpers.loadFixture(deployFixture);
      await expect(packages.connect(admin).setPackage(5n, 0n, 1, 10_000, true))
        .to.be.revertedWithCustomError(packages, "EmergencyPackagesInvalidUsdPrice")
        .withArgs(0n);
      await expect(packages.connect(admin).setPackage(5n, MAX_UINT128 + 1n, 1, 10_000, true))
        .to.be.revertedWithCustomError(packages, "EmergencyPackagesInvalidUsdPrice")
        .withArgs(MAX_UINT128 + 1n);
      await packages.connect(admin).setPackage(5n, MAX_UINT128, 1, 10_000, true);
      expect((await packages.getPackage(5n)).usdPrice).to.equal(MAX_UINT128);
    });

    it("rejects a zero duration", async function () {
      const { packages, admin } = await networkHelpers.loadFixture(deployFixture);
      await expect(packages.connect(admin).setPackage(5n, 1n, 0, 10_000, true))
        .to.be.revertedWithCustomError(packages, "EmergencyPackagesInvalidDuration")
        .withArgs(0n);
    });

    it("rejects an SLA factor of 0 or above 10_000, and accepts 1 and 10_000", async function () {
      const { packages, admin } = await networkHelpers.loadFixture(deployFixture);
      for (const bad of [0n, 10_001n]) {
        await expect(packages.connect(admin).setPackage(5n, 1n, 1, bad, true))
          .to.be.revertedWithCustomError(packages, "EmergencyPackagesInvalidSlaFactor")
          .withArgs(bad);
      }
      // Each accepted change bumps package 5's terms version: 1, then 2.
      for (const [good, version] of [
        [1n, 1n],
        [10_000n, 2n],
      ] as const) {
        await expect(packages.connect(admin).setPackage(5n, 1n, 1, good, true))
          .to.emit(packages, "PackageSet")
          .withArgs(5n, 1n, 1n, good, true, version);
      }
    });
  });

  describe("setProceeds", function () {
    it("changes where the next payments go, with an event", async function () {
      const { packages, usd, admin, buyer, project, other, guardian } = await networkHelpers.loadFixture(deployFixture);
      await expect(packages.connect(admin).setProceeds(other.address, guardian.address, 5_000))
        .to.emit(packages, "ProceedsConfigured")
        .withArgs(other.address, guardian.address, 5_000n);
      expect(await packages.proceeds()).to.deep.equal([other.address, guardian.address, 5_000n]);
      // $12.345678 at 50%: 6.172839 each.
      await expect(
        packages.connect(buyer).buyWithStable(EVENT_DAY.id, project.address, 1n, ethers.MaxUint256),
      ).to.changeTokenBalances(ethers, usd, [other, guardian], [6_172_839n, 6_172_839n]);
    });

    it("is open to the admin only", async function () {
      const { packages, guardian, treasury, reserve } = await networkHelpers.loadFixture(deployFixture);
      await expect(packages.connect(guardian).setProceeds(treasury.address, reserve.address, 1))
        .to.be.revertedWithCustomError(packages, "AccessControlUnauthorizedAccount")
        .withArgs(guardian.address, DEFAULT_ADMIN_ROLE);
    });

    it("rejects a zero treasury or reserve and a share above 10_000", async function () {
      const { packages, admin, treasury, reserve } = await networkHelpers.loadFixture(deployFixture);
      await expect(
        packages.connect(admin).setProceeds(ethers.ZeroAddress, reserve.address, 1),
      ).to.be.revertedWithCustomError(packages, "EmergencyPackagesZeroAddress");
      await expect(
        packages.connect(admin).setProceeds(treasury.address, ethers.ZeroAddress, 1),
      ).to.be.revertedWithCustomError(packages, "EmergencyPackagesZeroAddress");
      await expect(packages.connect(admin).setProceeds(treasury.address, reserve.address, 10_001))
        .to.be.revertedWithCustomError(packages, "EmergencyPackagesInvalidPoolShare")
        .withArgs(10_001n);
    });
  });

  describe("setOracle", function () {
    it("switches the feed and heartbeat, with an event", async function () {
      const { packages, feed8, feed18, admin, buyer } = await networkHelpers.loadFixture(deployFixture);
      await expect(packages.connect(admin).setOracle(feed18, 60))
        .to.emit(packages, "OracleConfigured")
        .withArgs(await feed18.getAddress(), 60n);
      expect(await packages.oracle()).to.deep.equal([await feed18.getAddress(), 60n]);
      // The old feed no longer matters; the new one, at twice the price, halves the amount (rounded up).
      await feed8.setAnswer(-1n);
      await feed18.setAnswer(2n * 123_456_000_000_000_000n);
      expect((await packages.quote(BASIC.id, true, buyer.address))[0]).to.equal(141_722_557_024_364_955_936n);
    });

    it("is open to the admin only", async function () {
      const { packages, feed18, other } = await networkHelpers.loadFixture(deployFixture);
      await expect(packages.connect(other).setOracle(feed18, 60))
        .to.be.revertedWithCustomError(packages, "AccessControlUnauthorizedAccount")
        .withArgs(other.address, DEFAULT_ADMIN_ROLE);
    });

    it("rejects a zero feed, a zero heartbeat and a feed with too many decimals", async function () {
      const { packages, feed18, admin } = await networkHelpers.loadFixture(deployFixture);
      await expect(packages.connect(admin).setOracle(ethers.ZeroAddress, 60)).to.be.revertedWithCustomError(
        packages,
        "EmergencyPackagesZeroAddress",
      );
      await expect(packages.connect(admin).setOracle(feed18, 0))
        .to.be.revertedWithCustomError(packages, "EmergencyPackagesInvalidHeartbeat")
        .withArgs(0n);
      const feed37 = await ethers.deployContract("MockPriceFeed", [37, C_PRICE_8]);
      await expect(packages.connect(admin).setOracle(feed37, 60))
        .to.be.revertedWithCustomError(packages, "EmergencyPackagesUnsupportedDecimals")
        .withArgs(await feed37.getAddress(), 37n);
    });
  });

  describe("pause", function () {
    it("lets the guardian stop both kinds of purchase", async function () {
      const { packages, guardian, buyer, project } = await networkHelpers.loadFixture(deployFixture);
      await expect(packages.connect(guardian).pause()).to.emit(packages, "Paused").withArgs(guardian.address);
      await expect(
        packages.connect(buyer).buyWithStable(BASIC.id, project.address, 1n, ethers.MaxUint256),
      ).to.be.revertedWithCustomError(packages, "EnforcedPause");
      await expect(
        packages.connect(buyer).buyWithC(BASIC.id, project.address, 1n, ethers.MaxUint256),
      ).to.be.revertedWithCustomError(packages, "EnforcedPause");
      // Prices can still be read while paused.
      expect(await packages.quote(BASIC.id, false, buyer.address)).to.deep.equal([BASIC.usdPrice, 0n]);
    });

    it("lets only the admin resume purchases", async function () {
      const { packages, admin, guardian, buyer, project } = await networkHelpers.loadFixture(deployFixture);
      await packages.connect(guardian).pause();
      await expect(packages.connect(guardian).unpause())
        .to.be.revertedWithCustomError(packages, "AccessControlUnauthorizedAccount")
        .withArgs(guardian.address, DEFAULT_ADMIN_ROLE);
      await expect(packages.connect(admin).unpause()).to.emit(packages, "Unpaused").withArgs(admin.address);
      await expect(packages.connect(buyer).buyWithStable(BASIC.id, project.address, 1n, ethers.MaxUint256)).to.emit(
        packages,
        "PackagePurchased",
      );
    });

    it("does not let anyone but the guardian pause", async function () {
      const { packages, admin, other } = await networkHelpers.loadFixture(deployFixture);
      for (const who of [admin, other]) {
        await expect(packages.connect(who).pause())
          .to.be.revertedWithCustomError(packages, "AccessControlUnauthorizedAccount")
          .withArgs(who.address, GUARDIAN_ROLE);
      }
    });
  });

  describe("rescueTokens", function () {
    it("sends tokens sent here by mistake to the given address, with an event", async function () {
      const { packages, usd, admin, buyer, treasury } = await networkHelpers.loadFixture(deployFixture);
      await usd.connect(buyer).transfer(packages, 1_000n);
      await expect(packages.connect(admin).rescueTokens(usd, treasury.address, 1_000n))
        .to.emit(packages, "TokensRescued")
        .withArgs(await usd.getAddress(), treasury.address, 1_000n);
      expect(await usd.balanceOf(packages)).to.equal(0n);
      expect(await usd.balanceOf(treasury)).to.equal(1_000n);
    });

    it("is open to the admin only and refuses the zero address", async function () {
      const { packages, usd, admin, other } = await networkHelpers.loadFixture(deployFixture);
      await expect(packages.connect(other).rescueTokens(usd, other.address, 0n))
        .to.be.revertedWithCustomError(packages, "AccessControlUnauthorizedAccount")
        .withArgs(other.address, DEFAULT_ADMIN_ROLE);
      await expect(packages.connect(admin).rescueTokens(usd, ethers.ZeroAddress, 0n)).to.be.revertedWithCustomError(
        packages,
        "EmergencyPackagesZeroAddress",
      );
    });
  });
});
