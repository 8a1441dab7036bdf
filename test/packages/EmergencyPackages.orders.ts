/**
 * Buyer protection (the terms a buyer saw), consent for purchases made for someone else, and
 * scheduled coverage (bookings). Findings 3 and 4 of the contract review and the scheduled event
 * coverage of issue 14.
 */
import { expect } from "chai";
import { network } from "hardhat";

import { BASIC, DAY, DEFAULT_DISCOUNT_BPS, EVENT_DAY, PRO, deployPackages } from "./setup.js";

const { ethers, networkHelpers } = await network.create();
const { time } = networkHelpers;

// Two more SLA levels, so that four distinct factors can be bought cheaply.
const SILVER = { id: 4n, usdPrice: 2_000_000n, duration: DAY, slaFactorBps: 7_500n };
const BRONZE = { id: 5n, usdPrice: 1_000_000n, duration: DAY, slaFactorBps: 9_000n };
const MAX = ethers.MaxUint256;
const MAX_BOOKING_LEAD = 365n * DAY;
const MAX_BOOKING_WINDOW = 31n * DAY;

describe("EmergencyPackages: orders and bookings", function () {
  async function deployFixture() {
    const deployed = await deployPackages(ethers);
    for (const p of [SILVER, BRONZE]) {
      await deployed.packages.connect(deployed.admin).setPackage(p.id, p.usdPrice, p.duration, p.slaFactorBps, true);
    }
    return deployed;
  }

  /** Fixes the next block's timestamp a little ahead, so that windows and events match exactly. */
  async function nextAt(offset = 10n): Promise<bigint> {
    const t = BigInt(await time.latest()) + offset;
    await time.setNextBlockTimestamp(t);
    return t;
  }

  describe("terms the buyer saw (finding 3)", function () {
    it("refuses a stablecoin purchase after the price changed, naming both versions", async function () {
      const { packages, admin, buyer, project } = await networkHelpers.loadFixture(deployFixture);
      const seen = (await packages.getPackage(BASIC.id)).termsVersion;
      await packages.connect(admin).setPackage(BASIC.id, BASIC.usdPrice * 3n, BASIC.duration, BASIC.slaFactorBps, true);
      await expect(packages.connect(buyer).buyWithStable(BASIC.id, project.address, seen, MAX))
        .to.be.revertedWithCustomError(packages, "EmergencyPackagesTermsChanged")
        .withArgs(BASIC.id, 1n, 2n);
    });

    it("refuses a C purchase after the duration shrank, even with a maxC that covers the price", async function () {
      const { packages, admin, buyer, project } = await networkHelpers.loadFixture(deployFixture);
      const [quoted] = await packages.quote(PRO.id, true, buyer.address);
      await packages.connect(admin).setPackage(PRO.id, PRO.usdPrice, 1, PRO.slaFactorBps, true);
      // The price is unchanged, so maxC alone would have let this through.
      expect((await packages.quote(PRO.id, true, buyer.address))[0]).to.equal(quoted);
      await expect(packages.connect(buyer).buyWithC(PRO.id, project.address, 1n, quoted))
        .to.be.revertedWithCustomError(packages, "EmergencyPackagesTermsChanged")
        .withArgs(PRO.id, 1n, 2n);
    });

    it("refuses both kinds of purchase after the SLA factor got worse", async function () {
      const { packages, admin, buyer, project } = await networkHelpers.loadFixture(deployFixture);
      await packages.connect(admin).setPackage(PRO.id, PRO.usdPrice, PRO.duration, 10_000, true);
      await expect(packages.connect(buyer).buyWithStable(PRO.id, project.address, 1n, MAX))
        .to.be.revertedWithCustomError(packages, "EmergencyPackagesTermsChanged")
        .withArgs(PRO.id, 1n, 2n);
      await expect(packages.connect(buyer).buyWithC(PRO.id, project.address, 1n, MAX))
        .to.be.revertedWithCustomError(packages, "EmergencyPackagesTermsChanged")
        .withArgs(PRO.id, 1n, 2n);
    });

    it("sells at the new terms to a buyer who names the new version", async function () {
      const { packages, admin, buyer, project } = await networkHelpers.loadFixture(deployFixture);
      await packages.connect(admin).setPackage(PRO.id, PRO.usdPrice, 7n * DAY, PRO.slaFactorBps, true);
      const t = await nextAt();
      await expect(packages.connect(buyer).buyWithStable(PRO.id, project.address, 2n, PRO.usdPrice))
        .to.emit(packages, "PackagePurchased")
        .withArgs(
          buyer.address,
          project.address,
          PRO.id,
          await packages.stablecoin(),
          PRO.usdPrice,
          0n,
          t + 7n * DAY,
          5_000n,
        );
    });

    it("refuses a stablecoin purchase above the buyer's maximum and accepts it at exactly the price", async function () {
      const { packages, buyer, project } = await networkHelpers.loadFixture(deployFixture);
      await expect(packages.connect(buyer).buyWithStable(BASIC.id, project.address, 1n, BASIC.usdPrice - 1n))
        .to.be.revertedWithCustomError(packages, "EmergencyPackagesPriceAboveMax")
        .withArgs(BASIC.usdPrice, BASIC.usdPrice - 1n);
      await expect(packages.connect(buyer).buyWithStable(BASIC.id, project.address, 1n, BASIC.usdPrice)).to.emit(
        packages,
        "PackagePurchased",
      );
    });

    it("refuses a version from the future as well as one from the past", async function () {
      const { packages, buyer, project } = await networkHelpers.loadFixture(deployFixture);
      await expect(packages.connect(buyer).buyWithStable(BASIC.id, project.address, 2n, MAX))
        .to.be.revertedWithCustomError(packages, "EmergencyPackagesTermsChanged")
        .withArgs(BASIC.id, 2n, 1n);
    });
  });

  describe("consent for purchases made for someone else (finding 4)", function () {
    it("stops a stranger from filling a beneficiary's coverage levels and blocking its own purchase", async function () {
      const { packages, c, usd, treasury: stranger, reserve: victim } = await networkHelpers.loadFixture(deployFixture);
      await usd.mint(stranger.address, 10n ** 12n);
      await usd.connect(stranger).approve(packages, MAX);
      // The attack: four cheap packages at four different factors for the victim. Each is refused.
      for (const p of [EVENT_DAY, PRO, SILVER, BRONZE]) {
        await expect(packages.connect(stranger).buyWithStable(p.id, victim.address, 1n, MAX))
          .to.be.revertedWithCustomError(packages, "EmergencyPackagesBuyerNotApproved")
          .withArgs(victim.address, stranger.address);
      }
      expect(await packages.coverageOf(victim.address)).to.deep.equal([]);
      // So the victim's own later purchase of a fifth factor goes through.
      await c.mint(victim.address, 10n ** 24n);
      await c.connect(victim).approve(packages, MAX);
      await expect(packages.connect(victim).buyWithC(BASIC.id, victim.address, 1n, MAX)).to.emit(
        packages,
        "PackagePurchased",
      );
      expect(await packages.isCovered(victim.address)).to.equal(true);
    });

    it("also stops a stranger from filling a beneficiary's bookings", async function () {
      const { packages, usd, treasury: stranger, reserve: victim } = await networkHelpers.loadFixture(deployFixture);
      await usd.mint(stranger.address, 10n ** 12n);
      await usd.connect(stranger).approve(packages, MAX);
      const start = BigInt(await time.latest()) + DAY;
      await expect(packages.connect(stranger).bookWithStable(BRONZE.id, victim.address, start, start + 1n, 1n, MAX))
        .to.be.revertedWithCustomError(packages, "EmergencyPackagesBuyerNotApproved")
        .withArgs(victim.address, stranger.address);
    });

    it("lets anyone buy for themselves without any approval", async function () {
      const { packages, buyer } = await networkHelpers.loadFixture(deployFixture);
      expect(await packages.isBuyerApproved(buyer.address, buyer.address)).to.equal(false);
      await expect(packages.connect(buyer).buyWithStable(BASIC.id, buyer.address, 1n, MAX)).to.emit(
        packages,
        "PackagePurchased",
      );
    });

    it("lets a beneficiary approve a buyer and later withdraw the approval, with events", async function () {
      const { packages, usd, treasury: sponsor, reserve: merchant } = await networkHelpers.loadFixture(deployFixture);
      await usd.mint(sponsor.address, 10n ** 12n);
      await usd.connect(sponsor).approve(packages, MAX);
      await expect(packages.connect(merchant).setBuyerApproval(sponsor.address, true))
        .to.emit(packages, "BuyerApprovalSet")
        .withArgs(merchant.address, sponsor.address, true);
      expect(await packages.isBuyerApproved(merchant.address, sponsor.address)).to.equal(true);
      await expect(packages.connect(sponsor).buyWithStable(BASIC.id, merchant.address, 1n, MAX)).to.emit(
        packages,
        "PackagePurchased",
      );
      await expect(packages.connect(merchant).setBuyerApproval(sponsor.address, false))
        .to.emit(packages, "BuyerApprovalSet")
        .withArgs(merchant.address, sponsor.address, false);
      await expect(packages.connect(sponsor).buyWithStable(BASIC.id, merchant.address, 1n, MAX))
        .to.be.revertedWithCustomError(packages, "EmergencyPackagesBuyerNotApproved")
        .withArgs(merchant.address, sponsor.address);
    });

    it("keeps an approval to the beneficiary that gave it", async function () {
      const { packages, buyer, project, other } = await networkHelpers.loadFixture(deployFixture);
      // The project approved `buyer`; `other` (another beneficiary) did not.
      await expect(packages.connect(buyer).buyWithStable(BASIC.id, other.address, 1n, MAX))
        .to.be.revertedWithCustomError(packages, "EmergencyPackagesBuyerNotApproved")
        .withArgs(other.address, buyer.address);
      expect(await packages.isBuyerApproved(project.address, buyer.address)).to.equal(true);
    });

    it("refuses to approve the zero address", async function () {
      const { packages, project } = await networkHelpers.loadFixture(deployFixture);
      await expect(packages.connect(project).setBuyerApproval(ethers.ZeroAddress, true)).to.be.revertedWithCustomError(
        packages,
        "EmergencyPackagesZeroAddress",
      );
    });
  });

  describe("scheduled coverage", function () {
    it("books a future window, paid now, counted only inside it", async function () {
      const { packages, usd, buyer, project } = await networkHelpers.loadFixture(deployFixture);
      const now = await nextAt();
      const start = now + 10n * DAY;
      const end = start + DAY;
      await expect(packages.connect(buyer).bookWithStable(EVENT_DAY.id, project.address, start, end, 1n, MAX))
        .to.emit(packages, "CoverageBooked")
        .withArgs(
          buyer.address,
          project.address,
          EVENT_DAY.id,
          await usd.getAddress(),
          EVENT_DAY.usdPrice,
          0n,
          start,
          end,
          EVENT_DAY.slaFactorBps,
          1n,
        );
      expect(await packages.bookingsOf(project.address)).to.deep.equal([[EVENT_DAY.slaFactorBps, start, end]]);
      // Not a continuous window: coveredUntil is unchanged.
      expect(await packages.coveredUntil(project.address)).to.equal(0n);

      const probe = async (at: bigint) => {
        await time.increaseTo(at);
        return [await packages.slaFactorOf(project.address), await packages.isCovered(project.address)];
      };
      expect(await probe(start - 1n)).to.deep.equal([0n, false]);
      expect(await probe(start)).to.deep.equal([2_500n, true]);
      expect(await probe(end - 1n)).to.deep.equal([2_500n, true]);
      expect(await probe(end)).to.deep.equal([0n, false]);
      expect(await packages.bookingsOf(project.address)).to.deep.equal([]);
    });

    it("gives the best factor of the continuous window and the bookings in force", async function () {
      const { packages, buyer, project } = await networkHelpers.loadFixture(deployFixture);
      await packages.connect(buyer).buyWithStable(PRO.id, project.address, 1n, MAX); // 5_000 for 30 days
      const start = BigInt(await time.latest()) + DAY;
      await packages.connect(buyer).bookWithStable(BRONZE.id, project.address, start, start + DAY, 1n, MAX);
      await packages.connect(buyer).bookWithStable(EVENT_DAY.id, project.address, start, start + 2n * DAY, 1n, MAX);
      await time.increaseTo(start);
      // Bronze (9_000) is worse than Pro and changes nothing; Event day (2_500) wins.
      expect(await packages.slaFactorOf(project.address)).to.equal(2_500n);
      await time.increaseTo(start + 2n * DAY);
      expect(await packages.slaFactorOf(project.address)).to.equal(5_000n);
    });

    it("does not pause the continuous window during a booking", async function () {
      const { packages, buyer, project } = await networkHelpers.loadFixture(deployFixture);
      const start = BigInt(await time.latest()) + DAY;
      await packages.connect(buyer).bookWithStable(EVENT_DAY.id, project.address, start, start + DAY, 1n, MAX);
      const t = await nextAt();
      await packages.connect(buyer).buyWithStable(BASIC.id, project.address, 1n, MAX);
      expect(await packages.coveredUntil(project.address)).to.equal(t + BASIC.duration);
      expect(await packages.coverageOf(project.address)).to.deep.equal([[10_000n, t + BASIC.duration]]);
    });

    it("charges whole units of the package's duration, in C at the buyer's discount", async function () {
      const { packages, c, buyer, project } = await networkHelpers.loadFixture(deployFixture);
      const start = BigInt(await time.latest()) + DAY;
      // Three days of a two-day package: two units, the same as a four-day window.
      const [threeDays, discount] = await packages.quoteBooking(
        EVENT_DAY.id,
        true,
        buyer.address,
        start,
        start + 3n * DAY,
      );
      const [twoUnits] = await packages.quote(EVENT_DAY.id, true, buyer.address);
      expect(discount).to.equal(DEFAULT_DISCOUNT_BPS);
      expect((await packages.quoteBooking(EVENT_DAY.id, true, buyer.address, start, start + 4n * DAY))[0]).to.equal(
        threeDays,
      );
      // One rounding over the doubled price, so at most one unit of C away from twice one unit.
      expect(threeDays - 2n * twoUnits).to.be.oneOf([0n, -1n]);
      expect(await packages.quoteBooking(EVENT_DAY.id, false, buyer.address, start, start + 3n * DAY)).to.deep.equal([
        2n * EVENT_DAY.usdPrice,
        0n,
      ]);

      await expect(
        packages.connect(buyer).bookWithC(EVENT_DAY.id, project.address, start, start + 3n * DAY, 1n, threeDays - 1n),
      )
        .to.be.revertedWithCustomError(packages, "EmergencyPackagesPriceAboveMax")
        .withArgs(threeDays, threeDays - 1n);
      const tx = packages
        .connect(buyer)
        .bookWithC(EVENT_DAY.id, project.address, start, start + 3n * DAY, 1n, threeDays);
      await expect(tx)
        .to.emit(packages, "CoverageBooked")
        .withArgs(
          buyer.address,
          project.address,
          EVENT_DAY.id,
          await c.getAddress(),
          threeDays,
          DEFAULT_DISCOUNT_BPS,
          start,
          start + 3n * DAY,
          EVENT_DAY.slaFactorBps,
          2n,
        );
      await expect(tx).to.changeTokenBalance(ethers, c, buyer, -threeDays);
    });

    it("guards bookings with the terms version and the maximum payment", async function () {
      const { packages, admin, buyer, project } = await networkHelpers.loadFixture(deployFixture);
      const start = BigInt(await time.latest()) + DAY;
      await expect(
        packages
          .connect(buyer)
          .bookWithStable(EVENT_DAY.id, project.address, start, start + DAY, 1n, EVENT_DAY.usdPrice - 1n),
      )
        .to.be.revertedWithCustomError(packages, "EmergencyPackagesPriceAboveMax")
        .withArgs(EVENT_DAY.usdPrice, EVENT_DAY.usdPrice - 1n);
      await packages.connect(admin).setPackage(EVENT_DAY.id, EVENT_DAY.usdPrice, EVENT_DAY.duration, 5_000, true);
      await expect(packages.connect(buyer).bookWithC(EVENT_DAY.id, project.address, start, start + DAY, 1n, MAX))
        .to.be.revertedWithCustomError(packages, "EmergencyPackagesTermsChanged")
        .withArgs(EVENT_DAY.id, 1n, 2n);
    });

    it("refuses a window that ends before or when it starts", async function () {
      const { packages, buyer, project } = await networkHelpers.loadFixture(deployFixture);
      const start = BigInt(await time.latest()) + DAY;
      for (const end of [start, start - 1n]) {
        await expect(packages.connect(buyer).bookWithStable(EVENT_DAY.id, project.address, start, end, 1n, MAX))
          .to.be.revertedWithCustomError(packages, "EmergencyPackagesInvalidBookingWindow")
          .withArgs(start, end, MAX_BOOKING_WINDOW);
      }
    });

    it("refuses a window longer than the maximum and accepts one exactly that long", async function () {
      const { packages, buyer, project } = await networkHelpers.loadFixture(deployFixture);
      expect(await packages.MAX_BOOKING_WINDOW()).to.equal(MAX_BOOKING_WINDOW);
      const start = BigInt(await time.latest()) + DAY;
      await expect(
        packages
          .connect(buyer)
          .bookWithStable(EVENT_DAY.id, project.address, start, start + MAX_BOOKING_WINDOW + 1n, 1n, MAX),
      )
        .to.be.revertedWithCustomError(packages, "EmergencyPackagesInvalidBookingWindow")
        .withArgs(start, start + MAX_BOOKING_WINDOW + 1n, MAX_BOOKING_WINDOW);
      await expect(
        packages
          .connect(buyer)
          .bookWithStable(EVENT_DAY.id, project.address, start, start + MAX_BOOKING_WINDOW, 1n, MAX),
      )
        .to.emit(packages, "CoverageBooked")
        .withArgs(
          buyer.address,
          project.address,
          EVENT_DAY.id,
          await packages.stablecoin(),
          16n * EVENT_DAY.usdPrice,
          0n,
          start,
          start + MAX_BOOKING_WINDOW,
          EVENT_DAY.slaFactorBps,
          16n,
        );
    });

    it("refuses a window that already started and accepts one starting in the purchase's block", async function () {
      const { packages, buyer, project } = await networkHelpers.loadFixture(deployFixture);
      const t = await nextAt();
      await expect(packages.connect(buyer).bookWithStable(EVENT_DAY.id, project.address, t - 1n, t + DAY, 1n, MAX))
        .to.be.revertedWithCustomError(packages, "EmergencyPackagesBookingStartPassed")
        .withArgs(t - 1n, t);
      const t2 = await nextAt();
      await packages.connect(buyer).bookWithStable(EVENT_DAY.id, project.address, t2, t2 + DAY, 1n, MAX);
      expect(await packages.slaFactorOf(project.address)).to.equal(EVENT_DAY.slaFactorBps);
    });

    it("refuses a window starting more than a year ahead (a start in milliseconds, say)", async function () {
      const { packages, buyer, project } = await networkHelpers.loadFixture(deployFixture);
      expect(await packages.MAX_BOOKING_LEAD()).to.equal(MAX_BOOKING_LEAD);
      const t = await nextAt();
      const tooFar = t + MAX_BOOKING_LEAD + 1n;
      await expect(packages.connect(buyer).bookWithStable(EVENT_DAY.id, project.address, tooFar, tooFar + DAY, 1n, MAX))
        .to.be.revertedWithCustomError(packages, "EmergencyPackagesBookingTooFarAhead")
        .withArgs(tooFar, t + MAX_BOOKING_LEAD);
      const t2 = await nextAt();
      const latest = t2 + MAX_BOOKING_LEAD;
      await expect(
        packages.connect(buyer).bookWithStable(EVENT_DAY.id, project.address, latest, latest + DAY, 1n, MAX),
      ).to.emit(packages, "CoverageBooked");
      // quoteBooking refuses the same windows.
      await expect(packages.quoteBooking(EVENT_DAY.id, false, buyer.address, t2 - 1n, t2 + DAY))
        .to.be.revertedWithCustomError(packages, "EmergencyPackagesBookingStartPassed")
        .withArgs(t2 - 1n, t2);
    });

    it("holds at most four bookings that have not ended, and makes room as they end", async function () {
      const { packages, buyer, project } = await networkHelpers.loadFixture(deployFixture);
      expect(await packages.MAX_BOOKINGS()).to.equal(4n);
      const start = BigInt(await time.latest()) + DAY;
      for (let i = 0n; i < 4n; i++) {
        await packages
          .connect(buyer)
          .bookWithStable(BRONZE.id, project.address, start + i * DAY, start + (i + 1n) * DAY, 1n, MAX);
      }
      await expect(
        packages
          .connect(buyer)
          .bookWithStable(BRONZE.id, project.address, start + 9n * DAY, start + 10n * DAY, 1n, MAX),
      )
        .to.be.revertedWithCustomError(packages, "EmergencyPackagesTooManyBookings")
        .withArgs(project.address, 4n);
      // The first booking ends; the new one takes its place at the end of the list.
      await time.increaseTo(start + DAY);
      await packages
        .connect(buyer)
        .bookWithStable(BRONZE.id, project.address, start + 9n * DAY, start + 10n * DAY, 1n, MAX);
      expect((await packages.bookingsOf(project.address)).map((b) => b.start - start)).to.deep.equal([
        DAY,
        2n * DAY,
        3n * DAY,
        9n * DAY,
      ]);
    });

    it("refuses bookings while paused", async function () {
      const { packages, guardian, buyer, project } = await networkHelpers.loadFixture(deployFixture);
      await packages.connect(guardian).pause();
      const start = BigInt(await time.latest()) + DAY;
      await expect(
        packages.connect(buyer).bookWithStable(EVENT_DAY.id, project.address, start, start + DAY, 1n, MAX),
      ).to.be.revertedWithCustomError(packages, "EnforcedPause");
      await expect(
        packages.connect(buyer).bookWithC(EVENT_DAY.id, project.address, start, start + DAY, 1n, MAX),
      ).to.be.revertedWithCustomError(packages, "EnforcedPause");
    });
  });
});
