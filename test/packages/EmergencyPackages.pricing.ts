import { expect } from "chai";
import { network } from "hardhat";

import {
  BASIC,
  C_PRICE_8,
  CATALOGUE,
  DEFAULT_DISCOUNT_BPS,
  EVENT_DAY,
  HEARTBEAT,
  PRO,
  RETIRED,
  deployPackages,
} from "./setup.js";

const { ethers, networkHelpers } = await network.create();
const { time } = networkHelpers;

// Hand-checked amounts. Basic lists at $49.99 and C trades at $0.123456.
//   30% off (default tier): 49.99 × 0.70 / 0.123456 = 283.445114048729911871 3… C → rounded up
const C_BASIC_30 = 283_445_114_048_729_911_872n;
//   no discount:            49.99 / 0.123456        = 404.921591498185588387 8… C → rounded up
const C_BASIC_0 = 404_921_591_498_185_588_388n;
//   35% off:                49.99 × 0.65 / 0.123456 = 263.199034473820632452 3… C → rounded up
const C_BASIC_35 = 263_199_034_473_820_632_453n;
// Pool share 33.33%, rounded down; the treasury takes the rest:
//   283.445114048729911872 × 0.3333 = 94.472256512441679626 9… → 94.472256512441679626
const C_BASIC_30_POOL = 94_472_256_512_441_679_626n;
const C_BASIC_30_TREASURY = 188_972_857_536_288_232_246n; // 283.445…872 − 94.472…626
// Event day lists at $12.345678: 12.345678 × 0.3333 = 4.1148144774 → $4.114814 to the reserve.
const USD_EVENT_DAY_RESERVE = 4_114_814n;
const USD_EVENT_DAY_TREASURY = 8_230_864n;

describe("EmergencyPackages: prices and proceeds", function () {
  async function deployFixture() {
    return deployPackages(ethers);
  }

  /** The next block's timestamp, fixed so that events and errors can be matched exactly. */
  async function nextTimestamp(): Promise<bigint> {
    const t = BigInt(await time.latest()) + 1n;
    await time.setNextBlockTimestamp(t);
    return t;
  }

  describe("paying with the stablecoin", function () {
    it("charges the list price in 6 decimals and splits it between the reserve and the treasury", async function () {
      const { packages, usd, buyer, project, reserve, treasury } = await networkHelpers.loadFixture(deployFixture);
      const t = await nextTimestamp();
      const tx = await packages.connect(buyer).buyWithStable(EVENT_DAY.id, project.address, 1n, ethers.MaxUint256);
      await expect(tx)
        .to.emit(packages, "PackagePurchased")
        .withArgs(
          buyer.address,
          project.address,
          EVENT_DAY.id,
          await usd.getAddress(),
          12_345_678n,
          0n,
          t + EVENT_DAY.duration,
          EVENT_DAY.slaFactorBps,
        );
      await expect(tx).to.changeTokenBalances(
        ethers,
        usd,
        [buyer, reserve, treasury, packages],
        [-12_345_678n, USD_EVENT_DAY_RESERVE, USD_EVENT_DAY_TREASURY, 0n],
      );
      expect(USD_EVENT_DAY_RESERVE + USD_EVENT_DAY_TREASURY).to.equal(12_345_678n);
    });

    it("scales the list price to an 18-decimal stablecoin", async function () {
      const { packagesStable18, c, buyer, project, reserve, treasury } =
        await networkHelpers.loadFixture(deployFixture);
      // $12.345678 = 12.345678 × 10^18 units; 33.33% of it is exactly 4.1148144774 × 10^18.
      const tx = await packagesStable18
        .connect(buyer)
        .buyWithStable(EVENT_DAY.id, project.address, 1n, ethers.MaxUint256);
      await expect(tx).to.changeTokenBalances(
        ethers,
        c,
        [buyer, reserve, treasury, packagesStable18],
        [-12_345_678_000_000_000_000n, 4_114_814_477_400_000_000n, 8_230_863_522_600_000_000n, 0n],
      );
      expect(await packagesStable18.quote(EVENT_DAY.id, false, buyer.address)).to.deep.equal([
        12_345_678_000_000_000_000n,
        0n,
      ]);
    });

    it("gives no discount for the stablecoin, whatever the buyer's tier", async function () {
      const { packages, tiers, buyer } = await networkHelpers.loadFixture(deployFixture);
      await tiers.setTerms(buyer.address, 2, 5_000, 3_500);
      expect(await packages.quote(BASIC.id, false, buyer.address)).to.deep.equal([BASIC.usdPrice, 0n]);
    });
  });

  describe("paying with C", function () {
    it("charges C at the 30% default discount at an 8-decimal feed, rounded up, and funds the pool", async function () {
      const { packages, c, pool, buyer, project, treasury } = await networkHelpers.loadFixture(deployFixture);
      const t = await nextTimestamp();
      const tx = await packages.connect(buyer).buyWithC(BASIC.id, project.address, 1n, C_BASIC_30);
      await expect(tx)
        .to.emit(packages, "PackagePurchased")
        .withArgs(
          buyer.address,
          project.address,
          BASIC.id,
          await c.getAddress(),
          C_BASIC_30,
          DEFAULT_DISCOUNT_BPS,
          t + BASIC.duration,
          BASIC.slaFactorBps,
        );
      await expect(tx)
        .to.emit(pool, "PoolFunded")
        .withArgs(await packages.getAddress(), C_BASIC_30_POOL);
      await expect(tx).to.changeTokenBalances(
        ethers,
        c,
        [buyer, pool, treasury, packages],
        [-C_BASIC_30, C_BASIC_30_POOL, C_BASIC_30_TREASURY, 0n],
      );
      expect(await c.allowance(packages, pool)).to.equal(0n);
    });

    it("charges the same C at an 18-decimal feed reporting the same price", async function () {
      const { packages, c, feed18, admin, buyer, project } = await networkHelpers.loadFixture(deployFixture);
      await packages.connect(admin).setOracle(feed18, HEARTBEAT);
      await expect(packages.connect(buyer).buyWithC(BASIC.id, project.address, 1n, C_BASIC_30)).to.changeTokenBalance(
        ethers,
        c,
        buyer,
        -C_BASIC_30,
      );
    });

    it("uses every digit of an 18-decimal feed", async function () {
      const { packages, feed18, admin, buyer } = await networkHelpers.loadFixture(deployFixture);
      await packages.connect(admin).setOracle(feed18, HEARTBEAT);
      // $0.123456789012345678 per C: 49.99 × 0.70 / 0.123456789012345678 = 283.443302550989725283 6…
      // C, rounded up; the digits an 8-decimal feed would drop change the amount (283.4451… at $0.123456).
      await feed18.setAnswer(123_456_789_012_345_678n);
      expect(await packages.quote(BASIC.id, true, buyer.address)).to.deep.equal([
        283_443_302_550_989_725_284n,
        DEFAULT_DISCOUNT_BPS,
      ]);
    });

    it("applies the buyer's tier discount of 0%, 30% or 35%", async function () {
      const { packages, tiers, c, buyer, project } = await networkHelpers.loadFixture(deployFixture);
      for (const [discount, expected] of [
        [0n, C_BASIC_0],
        [3_000n, C_BASIC_30],
        [3_500n, C_BASIC_35],
      ] as const) {
        await tiers.setTerms(buyer.address, discount === 0n ? 0 : 1, 10_000, discount);
        expect(await packages.quote(BASIC.id, true, buyer.address)).to.deep.equal([expected, discount]);
        await expect(packages.connect(buyer).buyWithC(BASIC.id, project.address, 1n, expected))
          .to.emit(packages, "PackagePurchased")
          .withArgs(
            buyer.address,
            project.address,
            BASIC.id,
            await c.getAddress(),
            expected,
            discount,
            (until: bigint) => until > 0n,
            BASIC.slaFactorBps,
          );
      }
    });

    it("takes the discount of the buyer, not of the beneficiary", async function () {
      const { packages, tiers, c, buyer, project } = await networkHelpers.loadFixture(deployFixture);
      await tiers.setTerms(project.address, 1, 5_000, 3_500);
      await tiers.setTerms(buyer.address, 0, 10_000, 0);
      await expect(packages.connect(buyer).buyWithC(BASIC.id, project.address, 1n, C_BASIC_0)).to.changeTokenBalance(
        ethers,
        c,
        buyer,
        -C_BASIC_0,
      );
    });

    it("rejects a discount of 100% from the tier source", async function () {
      const { packages, tiers, buyer, project } = await networkHelpers.loadFixture(deployFixture);
      await tiers.setTerms(buyer.address, 3, 5_000, 10_000);
      await expect(packages.connect(buyer).buyWithC(BASIC.id, project.address, 1n, 1n))
        .to.be.revertedWithCustomError(packages, "EmergencyPackagesInvalidDiscount")
        .withArgs(10_000n);
    });

    it("quotes exactly what each purchase then takes", async function () {
      const { packages, c, usd, buyer, other, project } = await networkHelpers.loadFixture(deployFixture);
      for (const pkg of [BASIC, PRO, EVENT_DAY]) {
        const [inC] = await packages.quote(pkg.id, true, buyer.address);
        await expect(packages.connect(buyer).buyWithC(pkg.id, project.address, 1n, inC)).to.changeTokenBalance(
          ethers,
          c,
          buyer,
          -inC,
        );
        const [inUsd] = await packages.quote(pkg.id, false, other.address);
        expect(inUsd).to.equal(pkg.usdPrice);
        await expect(
          packages.connect(other).buyWithStable(pkg.id, project.address, 1n, ethers.MaxUint256),
        ).to.changeTokenBalance(ethers, usd, other, -inUsd);
      }
    });
  });

  describe("the slippage guard", function () {
    it("accepts a maxC exactly equal to the amount needed", async function () {
      const { packages, buyer, project } = await networkHelpers.loadFixture(deployFixture);
      await expect(packages.connect(buyer).buyWithC(BASIC.id, project.address, 1n, C_BASIC_30)).to.emit(
        packages,
        "PackagePurchased",
      );
    });

    it("rejects a maxC one wei below the amount needed", async function () {
      const { packages, buyer, project } = await networkHelpers.loadFixture(deployFixture);
      await expect(packages.connect(buyer).buyWithC(BASIC.id, project.address, 1n, C_BASIC_30 - 1n))
        .to.be.revertedWithCustomError(packages, "EmergencyPackagesPriceAboveMax")
        .withArgs(C_BASIC_30, C_BASIC_30 - 1n);
    });

    it("rejects a purchase after the price fell, at the maxC quoted before", async function () {
      const { packages, feed8, buyer, project } = await networkHelpers.loadFixture(deployFixture);
      const [quoted] = await packages.quote(BASIC.id, true, buyer.address);
      await feed8.setAnswer(C_PRICE_8 / 2n);
      await expect(packages.connect(buyer).buyWithC(BASIC.id, project.address, 1n, quoted))
        .to.be.revertedWithCustomError(packages, "EmergencyPackagesPriceAboveMax")
        .withArgs(C_BASIC_30 * 2n - 1n, quoted);
    });
  });

  describe("oracle checks", function () {
    it("rejects a negative answer", async function () {
      const { packages, feed8, buyer, project } = await networkHelpers.loadFixture(deployFixture);
      await feed8.setAnswer(-1n);
      await expect(packages.connect(buyer).buyWithC(BASIC.id, project.address, 1n, ethers.MaxUint256))
        .to.be.revertedWithCustomError(packages, "EmergencyPackagesNonPositivePrice")
        .withArgs(-1n);
    });

    it("rejects a zero answer", async function () {
      const { packages, feed8, buyer } = await networkHelpers.loadFixture(deployFixture);
      await feed8.setAnswer(0n);
      await expect(packages.quote(BASIC.id, true, buyer.address))
        .to.be.revertedWithCustomError(packages, "EmergencyPackagesNonPositivePrice")
        .withArgs(0n);
    });

    it("rejects an answer carried over from an earlier round", async function () {
      const { packages, feed8, buyer, project } = await networkHelpers.loadFixture(deployFixture);
      const now = BigInt(await time.latest());
      await feed8.setRound(8n, C_PRICE_8, now, now, 7n);
      await expect(packages.connect(buyer).buyWithC(BASIC.id, project.address, 1n, ethers.MaxUint256))
        .to.be.revertedWithCustomError(packages, "EmergencyPackagesIncompleteRound")
        .withArgs(8n, 7n, now);
    });

    it("rejects a round that was never updated", async function () {
      const { packages, feed8, buyer, project } = await networkHelpers.loadFixture(deployFixture);
      await feed8.setRound(8n, C_PRICE_8, 0n, 0n, 8n);
      await expect(packages.connect(buyer).buyWithC(BASIC.id, project.address, 1n, ethers.MaxUint256))
        .to.be.revertedWithCustomError(packages, "EmergencyPackagesIncompleteRound")
        .withArgs(8n, 8n, 0n);
    });

    it("rejects an answer dated in the future", async function () {
      const { packages, feed8, buyer, project } = await networkHelpers.loadFixture(deployFixture);
      const t = BigInt(await time.latest()) + 10n;
      await feed8.setRound(8n, C_PRICE_8, t + 1n, t + 1n, 8n);
      await time.setNextBlockTimestamp(t);
      await expect(packages.connect(buyer).buyWithC(BASIC.id, project.address, 1n, ethers.MaxUint256))
        .to.be.revertedWithCustomError(packages, "EmergencyPackagesFuturePrice")
        .withArgs(t + 1n, t);
    });

    it("accepts an answer exactly one heartbeat old and rejects one a second older", async function () {
      const { packages, feed8, buyer, project } = await networkHelpers.loadFixture(deployFixture);
      const updatedAt = BigInt(await time.latest()) + 1n;
      await time.setNextBlockTimestamp(updatedAt);
      await feed8.setAnswer(C_PRICE_8);

      await time.setNextBlockTimestamp(updatedAt + HEARTBEAT);
      await expect(packages.connect(buyer).buyWithC(BASIC.id, project.address, 1n, C_BASIC_30)).to.emit(
        packages,
        "PackagePurchased",
      );
      await time.setNextBlockTimestamp(updatedAt + HEARTBEAT + 1n);
      await expect(packages.connect(buyer).buyWithC(BASIC.id, project.address, 1n, C_BASIC_30))
        .to.be.revertedWithCustomError(packages, "EmergencyPackagesStalePrice")
        .withArgs(updatedAt, HEARTBEAT);
    });

    it("does not consult the feed for stablecoin purchases", async function () {
      const { packages, feed8, buyer, project } = await networkHelpers.loadFixture(deployFixture);
      await feed8.setAnswer(-1n);
      await expect(packages.connect(buyer).buyWithStable(BASIC.id, project.address, 1n, ethers.MaxUint256)).to.emit(
        packages,
        "PackagePurchased",
      );
    });
  });

  describe("packages on sale", function () {
    it("rejects an inactive package on both paths and in quotes", async function () {
      const { packages, buyer, project } = await networkHelpers.loadFixture(deployFixture);
      await expect(packages.connect(buyer).buyWithStable(RETIRED.id, project.address, 1n, ethers.MaxUint256))
        .to.be.revertedWithCustomError(packages, "EmergencyPackagesPackageInactive")
        .withArgs(RETIRED.id);
      await expect(packages.connect(buyer).buyWithC(RETIRED.id, project.address, 1n, ethers.MaxUint256))
        .to.be.revertedWithCustomError(packages, "EmergencyPackagesPackageInactive")
        .withArgs(RETIRED.id);
      await expect(packages.quote(RETIRED.id, true, buyer.address))
        .to.be.revertedWithCustomError(packages, "EmergencyPackagesPackageInactive")
        .withArgs(RETIRED.id);
    });

    it("rejects a package that was never set on both paths and in quotes", async function () {
      const { packages, buyer, project } = await networkHelpers.loadFixture(deployFixture);
      await expect(packages.connect(buyer).buyWithStable(77n, project.address, 1n, ethers.MaxUint256))
        .to.be.revertedWithCustomError(packages, "EmergencyPackagesUnknownPackage")
        .withArgs(77n);
      await expect(packages.connect(buyer).buyWithC(0n, project.address, 1n, ethers.MaxUint256))
        .to.be.revertedWithCustomError(packages, "EmergencyPackagesUnknownPackage")
        .withArgs(0n);
      await expect(packages.quote(77n, false, buyer.address))
        .to.be.revertedWithCustomError(packages, "EmergencyPackagesUnknownPackage")
        .withArgs(77n);
    });

    it("sells a package again once it is reactivated", async function () {
      const { packages, admin, buyer, project } = await networkHelpers.loadFixture(deployFixture);
      await packages.connect(admin).setPackage(RETIRED.id, RETIRED.usdPrice, RETIRED.duration, 10_000, true);
      expect(await packages.quote(RETIRED.id, false, buyer.address)).to.deep.equal([RETIRED.usdPrice, 0n]);
      await expect(packages.connect(buyer).buyWithStable(RETIRED.id, project.address, 2n, ethers.MaxUint256)).to.emit(
        packages,
        "PackagePurchased",
      );
    });

    it("rejects the zero address as beneficiary", async function () {
      const { packages, buyer } = await networkHelpers.loadFixture(deployFixture);
      await expect(
        packages.connect(buyer).buyWithStable(BASIC.id, ethers.ZeroAddress, 1n, ethers.MaxUint256),
      ).to.be.revertedWithCustomError(packages, "EmergencyPackagesZeroAddress");
      await expect(
        packages.connect(buyer).buyWithC(BASIC.id, ethers.ZeroAddress, 1n, ethers.MaxUint256),
      ).to.be.revertedWithCustomError(packages, "EmergencyPackagesZeroAddress");
    });
  });

  describe("proceeds", function () {
    it("sums the parts exactly to every payment and leaves nothing in the contract", async function () {
      const { packages, c, usd, pool, buyer, other, project, treasury, reserve } =
        await networkHelpers.loadFixture(deployFixture);
      let paidC = 0n;
      let paidUsd = 0n;
      for (const pkg of CATALOGUE.filter((p) => p.active)) {
        for (const payer of [buyer, other]) {
          const [inC] = await packages.quote(pkg.id, true, payer.address);
          await packages.connect(payer).buyWithC(pkg.id, project.address, 1n, inC);
          await packages.connect(payer).buyWithStable(pkg.id, project.address, 1n, ethers.MaxUint256);
          paidC += inC;
          paidUsd += pkg.usdPrice;
        }
      }
      const toPoolC = await c.balanceOf(pool);
      const toTreasuryC = await c.balanceOf(treasury);
      const toReserveUsd = await usd.balanceOf(reserve);
      const toTreasuryUsd = await usd.balanceOf(treasury);
      expect(toPoolC + toTreasuryC).to.equal(paidC);
      expect(toReserveUsd + toTreasuryUsd).to.equal(paidUsd);
      // Each part was rounded down for the pool side, so that side is at most 33.33%.
      expect(toPoolC).to.be.lessThanOrEqual((paidC * 3_333n) / 10_000n);
      expect(toPoolC).to.be.greaterThan((paidC * 3_333n) / 10_000n - 6n);
      expect(await c.balanceOf(packages)).to.equal(0n);
      expect(await usd.balanceOf(packages)).to.equal(0n);
      expect(await c.allowance(packages, pool)).to.equal(0n);
    });

    it("sends everything to the treasury at a pool share of 0 without calling the pool", async function () {
      const { packages, c, usd, pool, admin, buyer, project, treasury, reserve } =
        await networkHelpers.loadFixture(deployFixture);
      await packages.connect(admin).setProceeds(treasury.address, reserve.address, 0);
      await pool.setMode(1); // a pool that refuses: it must not be called at all
      const c0 = await packages.connect(buyer).buyWithC(BASIC.id, project.address, 1n, C_BASIC_30);
      await expect(c0).not.to.emit(pool, "PoolFunded");
      await expect(c0).to.changeTokenBalances(ethers, c, [treasury, pool], [C_BASIC_30, 0n]);
      await expect(
        packages.connect(buyer).buyWithStable(BASIC.id, project.address, 1n, ethers.MaxUint256),
      ).to.changeTokenBalances(ethers, usd, [treasury, reserve], [BASIC.usdPrice, 0n]);
    });

    it("sends everything to the pool side at a pool share of 10_000", async function () {
      const { packages, c, usd, pool, admin, buyer, project, treasury, reserve } =
        await networkHelpers.loadFixture(deployFixture);
      await packages.connect(admin).setProceeds(treasury.address, reserve.address, 10_000);
      await expect(packages.connect(buyer).buyWithC(BASIC.id, project.address, 1n, C_BASIC_30)).to.changeTokenBalances(
        ethers,
        c,
        [treasury, pool, packages],
        [0n, C_BASIC_30, 0n],
      );
      await expect(
        packages.connect(buyer).buyWithStable(BASIC.id, project.address, 1n, ethers.MaxUint256),
      ).to.changeTokenBalances(ethers, usd, [treasury, reserve], [0n, BASIC.usdPrice]);
    });

    it("reverts the whole purchase when the pool refuses the funds", async function () {
      const { packages, c, pool, buyer, project } = await networkHelpers.loadFixture(deployFixture);
      await pool.setMode(1);
      await expect(packages.connect(buyer).buyWithC(BASIC.id, project.address, 1n, C_BASIC_30))
        .to.be.revertedWithCustomError(pool, "MockCompensationPoolRefused")
        .withArgs(C_BASIC_30_POOL);
      expect(await packages.coveredUntil(project.address)).to.equal(0n);
      expect(await c.balanceOf(packages)).to.equal(0n);
    });

    it("reverts the purchase when the pool pulls less than its share", async function () {
      const { packages, pool, buyer, project } = await networkHelpers.loadFixture(deployFixture);
      await pool.setMode(2); // pulls half, rounded down
      await expect(packages.connect(buyer).buyWithC(BASIC.id, project.address, 1n, C_BASIC_30))
        .to.be.revertedWithCustomError(packages, "EmergencyPackagesPoolFundingShort")
        .withArgs(C_BASIC_30_POOL - C_BASIC_30_POOL / 2n);
    });
  });
});
