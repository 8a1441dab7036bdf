import { expect } from "chai";
import { id } from "ethers";
import { network } from "hardhat";

import { C, DEFAULT_ADMIN_ROLE, HOUR, Kind, POOL_DEFAULTS, Status, UNIT, defaultTerms } from "./helpers.js";
import { deployPool } from "../fixtures/station.js";

const { ethers, networkHelpers } = await network.create();
const { time, loadFixture } = networkHelpers;

const EVIDENCE = id("evidence");
const NOTE = id("note");
const NO_RESPONSE = 0;
const RESOLUTION = 1;
const NO_RESPONSE_CREDIT = 2n * C;
const RESOLUTION_CREDIT = 5n * C;
const DAILY_BUDGET = 10n * C;
// bob holds tier 1 at a factor of 5,000: MissingReward deadlines of 600 s and 14,400 s become 300 s and 7,200 s.
const BOB_RESPONSE = POOL_DEFAULTS.responseSeconds[Kind.MissingReward] / 2;
const BOB_RESOLUTION = POOL_DEFAULTS.resolutionSeconds[Kind.MissingReward] / 2;

describe("CompensationPool breach credits (the promise binds)", function () {
  async function deployFixture() {
    const [admin, assessor, guardian, alice, bob, carol, stranger] = await ethers.getSigners();
    const c = await ethers.deployContract("MockCToken");
    const coverage = await ethers.deployContract("MockCoverageSource");
    const { tiers, pool } = await deployPool(ethers, {
      token: c,
      admin: admin!,
      assessor: assessor!,
      guardian: guardian!,
      mint: 1_000_000n * C,
      fund: 100_000n * C,
    });
    await pool.connect(admin!).setCoverageSource(coverage);
    await pool.connect(admin!).setBreachCredits(NO_RESPONSE_CREDIT, RESOLUTION_CREDIT, DAILY_BUDGET);
    // bob has standing through his stake, carol through a support plan; alice has neither.
    await tiers.setTerms(bob!, 1, 5_000, 3_000);
    await coverage.setFactor(carol!, 7_000);
    return {
      c,
      tiers,
      coverage,
      pool,
      admin: admin!,
      assessor: assessor!,
      guardian: guardian!,
      alice: alice!,
      bob: bob!,
      carol: carol!,
      stranger: stranger!,
    };
  }

  type Fixture = Awaited<ReturnType<typeof deployFixture>>;

  async function submit(f: Fixture, who: Fixture["alice"] = f.bob, amount: bigint = 10n * C) {
    await f.pool.connect(who).submitClaim(Kind.MissingReward, amount, EVIDENCE);
    return f.pool.claimCount();
  }

  describe("what a submission stores", function () {
    it("stores the resolution deadline next to the response deadline, for every claim", async function () {
      const f = await loadFixture(deployFixture);
      const ids: bigint[] = [];
      const expected: [bigint, bigint][] = [];
      // Nine claims: two words of lanes, neighbours in the same word kept apart.
      for (let i = 0; i < 9; i++) {
        const who = [f.alice, f.bob, f.carol][i % 3]!;
        const { 1: response, 2: resolution } = await f.pool.previewDeadlines(who, Kind.Other);
        const now = (await time.latest()) + 1;
        await time.setNextBlockTimestamp(now);
        await f.pool.connect(who).submitClaim(Kind.Other, 10n * C, EVIDENCE);
        ids.push(await f.pool.claimCount());
        const factor = who === f.alice ? 10_000n : who === f.bob ? 5_000n : 7_000n;
        expected.push([BigInt(now) + (3_600n * factor) / 10_000n, BigInt(now) + (259_200n * factor) / 10_000n]);
        // The preview of the block before differs only by the clock.
        expect(resolution - response).to.equal(expected[i]![1] - expected[i]![0]);
      }
      for (let i = 0; i < 9; i++) {
        const claim = await f.pool.getClaim(ids[i]!);
        expect(claim.responseDeadline).to.equal(expected[i]![0]);
        expect(claim.resolutionDeadline).to.equal(expected[i]![1]);
      }
    });

    it("records standing: a tier above 0 or coverage in force, not a bare account", async function () {
      const f = await loadFixture(deployFixture);
      const a = await submit(f, f.alice);
      const b = await submit(f, f.bob);
      const c = await submit(f, f.carol);
      expect((await f.pool.getClaim(a)).standing).to.equal(false);
      expect((await f.pool.getClaim(b)).standing).to.equal(true);
      expect((await f.pool.getClaim(c)).standing).to.equal(true);
      // Standing is read at submission: losing the stake later does not take it away.
      await f.tiers.setTerms(f.bob, 0, 10_000, 0);
      expect((await f.pool.getClaim(b)).standing).to.equal(true);
      expect((await f.pool.getClaim(await submit(f, f.bob))).standing).to.equal(false);
    });

    it("counts a plan at standard deadlines (factor 10,000) as standing, without shortening them", async function () {
      const f = await loadFixture(deployFixture);
      await f.coverage.setFactor(f.alice, 10_000);
      const claimId = await submit(f, f.alice);
      const claim = await f.pool.getClaim(claimId);
      expect(claim.standing).to.equal(true);
      // MissingReward's standard response window, unshortened.
      const [responseSeconds] = await f.pool.slaOf(Kind.MissingReward);
      expect(claim.responseDeadline - BigInt(await time.latest())).to.equal(responseSeconds);
      // A source answering above 10,000 (or reverting) is no plan: no standing.
      await f.coverage.setFactor(f.stranger, 10_001);
      expect((await f.pool.getClaim(await submit(f, f.stranger))).standing).to.equal(false);
    });

    it("clears both deadlines once a claim is approved (the slot then holds payableAt)", async function () {
      const f = await loadFixture(deployFixture);
      const claimId = await submit(f, f.bob);
      await f.pool.connect(f.assessor).acceptClaim(claimId, NOTE);
      await f.pool.connect(f.assessor).approveClaim(claimId, 5n * C, NOTE);
      const claim = await f.pool.getClaim(claimId);
      expect(claim.status).to.equal(BigInt(Status.Paid));
      expect(claim.responseDeadline).to.equal(0n);
      expect(claim.resolutionDeadline).to.equal(0n);
    });
  });

  describe("claimNoResponseCredit", function () {
    it("pays the claimant once the response deadline has passed; anyone may call; the claim stays open", async function () {
      const f = await loadFixture(deployFixture);
      const claimId = await submit(f);
      const { responseDeadline } = await f.pool.getClaim(claimId);
      await time.setNextBlockTimestamp(responseDeadline + 1n);
      const tx = f.pool.connect(f.stranger).claimNoResponseCredit(claimId);
      await expect(tx)
        .to.emit(f.pool, "BreachCreditPaid")
        .withArgs(claimId, f.bob.address, NO_RESPONSE, NO_RESPONSE_CREDIT);
      await expect(tx).to.changeTokenBalances(ethers, f.c, [f.bob, f.pool], [NO_RESPONSE_CREDIT, -NO_RESPONSE_CREDIT]);
      const claim = await f.pool.getClaim(claimId);
      expect(claim.status).to.equal(BigInt(Status.Submitted));
      expect(claim.noResponseCreditPaid).to.equal(true);
      expect(claim.resolutionCreditPaid).to.equal(false);
      expect((await f.pool.breachBudgetUsage()).used).to.equal(NO_RESPONSE_CREDIT);
      // Still answerable: accepted (late) and approved as usual.
      await f.pool.connect(f.assessor).acceptClaim(claimId, NOTE);
      expect((await f.pool.getClaim(claimId)).acceptedLate).to.equal(true);
    });

    it("refuses at the deadline itself (on time up to and including it)", async function () {
      const f = await loadFixture(deployFixture);
      const claimId = await submit(f);
      const { responseDeadline } = await f.pool.getClaim(claimId);
      expect(responseDeadline).to.equal(BigInt((await time.latest()) + BOB_RESPONSE));
      await time.setNextBlockTimestamp(responseDeadline);
      await expect(f.pool.claimNoResponseCredit(claimId))
        .to.be.revertedWithCustomError(f.pool, "CompensationPoolBreachCreditTooEarly")
        .withArgs(claimId, NO_RESPONSE, responseDeadline);
    });

    it("refuses a claim that was answered, closed or never filed", async function () {
      const f = await loadFixture(deployFixture);
      const accepted = await submit(f);
      await f.pool.connect(f.assessor).acceptClaim(accepted, NOTE);
      const rejected = await submit(f);
      await f.pool.connect(f.assessor).rejectClaim(rejected, NOTE);
      const cancelled = await submit(f);
      await f.pool.connect(f.bob).cancelClaim(cancelled);
      await time.increase(BOB_RESPONSE + 1);
      for (const [claimId, status] of [
        [accepted, Status.Accepted],
        [rejected, Status.Rejected],
        [cancelled, Status.Cancelled],
        [99n, Status.None],
      ] as const) {
        await expect(f.pool.claimNoResponseCredit(claimId))
          .to.be.revertedWithCustomError(f.pool, "CompensationPoolInvalidClaimStatus")
          .withArgs(claimId, status);
      }
    });

    it("pays once per claim", async function () {
      const f = await loadFixture(deployFixture);
      const claimId = await submit(f);
      await time.increase(BOB_RESPONSE + 1);
      await f.pool.claimNoResponseCredit(claimId);
      await expect(f.pool.claimNoResponseCredit(claimId))
        .to.be.revertedWithCustomError(f.pool, "CompensationPoolBreachCreditAlreadyPaid")
        .withArgs(claimId, NO_RESPONSE);
    });

    it("refuses a claim filed without standing", async function () {
      const f = await loadFixture(deployFixture);
      const claimId = await submit(f, f.alice);
      await time.increase(600 + 1);
      await expect(f.pool.claimNoResponseCredit(claimId))
        .to.be.revertedWithCustomError(f.pool, "CompensationPoolNoStanding")
        .withArgs(claimId, f.alice.address);
      // Gaining standing later does not help a claim filed without it.
      await f.tiers.setTerms(f.alice, 2, 5_000, 0);
      await expect(f.pool.claimNoResponseCredit(claimId)).to.be.revertedWithCustomError(
        f.pool,
        "CompensationPoolNoStanding",
      );
    });

    it("refuses once the rolling daily budget is used, and pays again a day later", async function () {
      const f = await loadFixture(deployFixture);
      // Budget 10 C, credit 2 C: five claims' worth.
      const ids: bigint[] = [];
      for (let i = 0; i < 6; i++) ids.push(await submit(f, i % 2 === 0 ? f.bob : f.carol));
      await time.increase(HOUR);
      for (const claimId of ids.slice(0, 5)) await f.pool.claimNoResponseCredit(claimId);
      await expect(f.pool.claimNoResponseCredit(ids[5]!))
        .to.be.revertedWithCustomError(f.pool, "CompensationPoolBreachBudgetExceeded")
        .withArgs(DAILY_BUDGET, NO_RESPONSE_CREDIT, DAILY_BUDGET);
      // Charges count for 24 to 25 hours.
      await time.increase(24 * HOUR);
      expect((await f.pool.breachBudgetUsage()).used).to.equal(DAILY_BUDGET);
      await time.increase(HOUR);
      await expect(f.pool.claimNoResponseCredit(ids[5]!)).to.emit(f.pool, "BreachCreditPaid");
    });

    it("never pays out of reserved funds", async function () {
      const f = await loadFixture(deployFixture);
      const claimId = await submit(f);
      // Reserve all but 1 C of the pool: an incident round of the rest.
      const free = await f.pool.freeBalance();
      const claimDeadline = (await time.latest()) + 10 * 86_400;
      await f.pool.connect(f.admin).openIncident(id("root"), free - 1n * C, claimDeadline, id("incident"));
      await time.increase(BOB_RESPONSE + 1);
      await expect(f.pool.claimNoResponseCredit(claimId))
        .to.be.revertedWithCustomError(f.pool, "CompensationPoolInsufficientFunds")
        .withArgs(1n * C, NO_RESPONSE_CREDIT);
      // The refusal charged nothing to the budget.
      expect((await f.pool.breachBudgetUsage()).used).to.equal(0n);
      await f.pool.connect(f.admin).fund(1n * C);
      await expect(f.pool.claimNoResponseCredit(claimId)).to.emit(f.pool, "BreachCreditPaid");
      const vault = (await f.pool.getIncident(await f.pool.incidentCount())).vault;
      const held = (await f.c.balanceOf(f.pool)) + (await f.c.balanceOf(vault));
      expect(held).to.be.greaterThanOrEqual(await f.pool.reserved());
    });

    it("refuses while paused", async function () {
      const f = await loadFixture(deployFixture);
      const claimId = await submit(f);
      await time.increase(BOB_RESPONSE + 1);
      await f.pool.connect(f.guardian).pause();
      await expect(f.pool.claimNoResponseCredit(claimId)).to.be.revertedWithCustomError(
        f.pool,
        "CompensationPoolEnforcedPause",
      );
      await expect(f.pool.claimResolutionCredit(claimId)).to.be.revertedWithCustomError(
        f.pool,
        "CompensationPoolEnforcedPause",
      );
    });

    it("refuses while the credit is set to 0", async function () {
      const f = await loadFixture(deployFixture);
      const claimId = await submit(f);
      await f.pool.connect(f.admin).setBreachCredits(0n, RESOLUTION_CREDIT, DAILY_BUDGET);
      await time.increase(BOB_RESPONSE + 1);
      await expect(f.pool.claimNoResponseCredit(claimId))
        .to.be.revertedWithCustomError(f.pool, "CompensationPoolBreachCreditOff")
        .withArgs(NO_RESPONSE);
      // Nothing was marked paid: it can be paid once the credit is on again.
      await f.pool.connect(f.admin).setBreachCredits(NO_RESPONSE_CREDIT, RESOLUTION_CREDIT, DAILY_BUDGET);
      await expect(f.pool.claimNoResponseCredit(claimId)).to.emit(f.pool, "BreachCreditPaid");
    });
  });

  describe("claimResolutionCredit", function () {
    const cases: [string, string[]][] = [
      ["Submitted", []],
      ["Accepted", ["accept"]],
      ["Investigating", ["accept", "investigate"]],
    ];
    for (const [name, steps] of cases) {
      it(`pays once the resolution deadline has passed on a claim still ${name}`, async function () {
        const f = await loadFixture(deployFixture);
        const claimId = await submit(f);
        if (steps.includes("accept")) await f.pool.connect(f.assessor).acceptClaim(claimId, NOTE);
        if (steps.includes("investigate")) await f.pool.connect(f.assessor).markInvestigating(claimId, NOTE);
        const { resolutionDeadline } = await f.pool.getClaim(claimId);
        await time.setNextBlockTimestamp(resolutionDeadline);
        await expect(f.pool.connect(f.stranger).claimResolutionCredit(claimId))
          .to.be.revertedWithCustomError(f.pool, "CompensationPoolBreachCreditTooEarly")
          .withArgs(claimId, RESOLUTION, resolutionDeadline);
        await time.setNextBlockTimestamp(resolutionDeadline + 1n);
        const tx = f.pool.connect(f.stranger).claimResolutionCredit(claimId);
        await expect(tx)
          .to.emit(f.pool, "BreachCreditPaid")
          .withArgs(claimId, f.bob.address, RESOLUTION, RESOLUTION_CREDIT);
        await expect(tx).to.changeTokenBalance(ethers, f.c, f.bob, RESOLUTION_CREDIT);
        expect((await f.pool.getClaim(claimId)).resolutionCreditPaid).to.equal(true);
        await expect(f.pool.claimResolutionCredit(claimId))
          .to.be.revertedWithCustomError(f.pool, "CompensationPoolBreachCreditAlreadyPaid")
          .withArgs(claimId, RESOLUTION);
      });
    }

    it("pays both credits of one claim, each once, within the budget", async function () {
      const f = await loadFixture(deployFixture);
      const claimId = await submit(f);
      await time.increase(BOB_RESOLUTION + 1);
      await f.pool.claimNoResponseCredit(claimId);
      await f.pool.claimResolutionCredit(claimId);
      const claim = await f.pool.getClaim(claimId);
      expect([claim.noResponseCreditPaid, claim.resolutionCreditPaid]).to.deep.equal([true, true]);
      expect(await f.c.balanceOf(f.bob)).to.equal(NO_RESPONSE_CREDIT + RESOLUTION_CREDIT);
      expect((await f.pool.breachBudgetUsage()).used).to.equal(NO_RESPONSE_CREDIT + RESOLUTION_CREDIT);
    });

    it("refuses a claim approved, paid, rejected or cancelled", async function () {
      const f = await loadFixture(deployFixture);
      const paid = await submit(f);
      await f.pool.connect(f.assessor).acceptClaim(paid, NOTE);
      await f.pool.connect(f.assessor).approveClaim(paid, 5n * C, NOTE);
      const approved = await submit(f, f.bob, 2_000n * C);
      await f.pool.connect(f.assessor).acceptClaim(approved, NOTE);
      await f.pool.connect(f.assessor).approveClaim(approved, 2_000n * C, NOTE);
      const rejected = await submit(f);
      await f.pool.connect(f.assessor).rejectClaim(rejected, NOTE);
      const cancelled = await submit(f);
      await f.pool.connect(f.bob).cancelClaim(cancelled);
      await time.increase(BOB_RESOLUTION + 1);
      for (const [claimId, status] of [
        [paid, Status.Paid],
        [approved, Status.Approved],
        [rejected, Status.Rejected],
        [cancelled, Status.Cancelled],
      ] as const) {
        await expect(f.pool.claimResolutionCredit(claimId))
          .to.be.revertedWithCustomError(f.pool, "CompensationPoolInvalidClaimStatus")
          .withArgs(claimId, status);
      }
    });

    it("refuses a claim filed without standing", async function () {
      const f = await loadFixture(deployFixture);
      const claimId = await submit(f, f.alice);
      await time.increase(14_400 + 1);
      await expect(f.pool.claimResolutionCredit(claimId))
        .to.be.revertedWithCustomError(f.pool, "CompensationPoolNoStanding")
        .withArgs(claimId, f.alice.address);
    });
  });

  describe("setBreachCredits", function () {
    it("sets the credits and the budget, emits BreachCreditsSet, and is admin-only", async function () {
      const f = await loadFixture(deployFixture);
      await expect(f.pool.connect(f.admin).setBreachCredits(1n * C, 3n * C + UNIT, 100n * C))
        .to.emit(f.pool, "BreachCreditsSet")
        .withArgs(1n * C, 3n * C + UNIT, 100n * C);
      expect(await f.pool.breachCredits()).to.deep.equal([1n * C, 3n * C + UNIT, 100n * C]);
      expect((await f.pool.breachBudgetUsage()).budget).to.equal(100n * C);
      await expect(f.pool.connect(f.stranger).setBreachCredits(1n * C, 1n * C, 1n * C))
        .to.be.revertedWithCustomError(f.pool, "AccessControlUnauthorizedAccount")
        .withArgs(f.stranger.address, DEFAULT_ADMIN_ROLE);
    });

    it("rejects amounts that are not whole units", async function () {
      const f = await loadFixture(deployFixture);
      const odd = 1n * C + 1n;
      for (const args of [
        [odd, 1n * C, 1n * C],
        [1n * C, odd, 1n * C],
        [1n * C, 1n * C, odd],
      ] as const) {
        await expect(f.pool.connect(f.admin).setBreachCredits(...args))
          .to.be.revertedWithCustomError(f.pool, "CompensationPoolAmountNotRepresentable")
          .withArgs(odd);
      }
    });

    it("starts with both credits off", async function () {
      const f = await loadFixture(deployFixture);
      const fresh = await ethers.deployContract("CompensationPool", [
        f.c,
        f.tiers,
        f.admin,
        f.assessor,
        f.guardian,
        defaultTerms(),
      ]);
      expect(await fresh.breachCredits()).to.deep.equal([0n, 0n, 0n]);
    });
  });
});
