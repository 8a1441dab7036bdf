import { expect } from "chai";
import { id } from "ethers";
import { network } from "hardhat";

import { ASSESSOR_ROLE, C, GUARDIAN_ROLE, HOUR, Kind, POOL_DEFAULTS, Status, UNIT, deadline } from "./helpers.js";
import { deployPool } from "../fixtures/station.js";

const { ethers, networkHelpers } = await network.create();
const { time, loadFixture } = networkHelpers;

const EVIDENCE = id("evidence: screenshots and tx hashes");
const NOTE = id("assessor note");
const LATE_CREDIT = POOL_DEFAULTS.lateCredit;
const DELAY = POOL_DEFAULTS.payoutDelay;

describe("CompensationPool claims", function () {
  async function deployFixture() {
    const [admin, assessor, guardian, alice, bob, carol, stranger] = await ethers.getSigners();
    const c = await ethers.deployContract("MockCToken");
    const { tiers, pool } = await deployPool(ethers, {
      token: c,
      admin: admin!,
      assessor: assessor!,
      guardian: guardian!,
      mint: 1_000_000n * C,
      fund: 100_000n * C,
    });
    // bob stakes for the priority channel: deadlines 50% shorter.
    await tiers.setTerms(bob!, 1, 5_000, 3_000);
    return {
      c,
      tiers,
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

  async function submit(f: Fixture, who: Fixture["alice"], amount: bigint, kind: number = Kind.MissingReward) {
    await f.pool.connect(who).submitClaim(kind, amount, EVIDENCE);
    return f.pool.claimCount();
  }

  async function accepted(f: Fixture, amount: bigint, who: Fixture["alice"] = f.alice) {
    const claimId = await submit(f, who, amount);
    await f.pool.connect(f.assessor).acceptClaim(claimId, NOTE);
    return claimId;
  }

  describe("submission", function () {
    it("files a claim and emits ClaimSubmitted and ClaimStatusChanged(Submitted) with its deadlines", async function () {
      const f = await loadFixture(deployFixture);
      const now = (await time.latest()) + 10;
      await time.setNextBlockTimestamp(now);
      const tx = f.pool.connect(f.alice).submitClaim(Kind.DataApiOutage, 250n * C, EVIDENCE);
      await expect(tx)
        .to.emit(f.pool, "ClaimSubmitted")
        .withArgs(1n, f.alice.address, Kind.DataApiOutage, 250n * C, EVIDENCE, 0, now + 3_600, now + 14_400);
      await expect(tx).to.emit(f.pool, "ClaimStatusChanged").withArgs(1n, Status.Submitted, f.alice.address, EVIDENCE);
      const claim = await f.pool.getClaim(1n);
      expect(claim.claimant).to.equal(f.alice.address);
      expect(claim.status).to.equal(BigInt(Status.Submitted));
      expect(claim.kind).to.equal(BigInt(Kind.DataApiOutage));
      expect(claim.tier).to.equal(0n);
      expect(claim.acceptedLate).to.equal(false);
      expect(claim.amount).to.equal(250n * C);
      expect(claim.responseDeadline).to.equal(BigInt(now + 3_600));
      expect(claim.payableAt).to.equal(0n);
      expect(await f.pool.claimCount()).to.equal(1n);
    });

    it("numbers claims from 1 in submission order", async function () {
      const f = await loadFixture(deployFixture);
      expect(await submit(f, f.alice, 1n * C)).to.equal(1n);
      expect(await submit(f, f.bob, 2n * C)).to.equal(2n);
      expect((await f.pool.getClaim(2n)).claimant).to.equal(f.bob.address);
      expect((await f.pool.getClaim(3n)).status).to.equal(BigInt(Status.None));
    });

    it("computes both deadlines from the kind's base SLA times the tier factor, rounding down", async function () {
      const f = await loadFixture(deployFixture);
      // Factors above 10,000 are a misbehaving source's and are clamped (CompensationPool.admin.ts).
      const factors = [10_000, 5_000, 3_333, 1];
      for (const [tier, factor] of factors.entries()) {
        await f.tiers.setTerms(f.carol, tier, factor, 0);
        for (const kind of Object.values(Kind)) {
          const now = (await time.latest()) + 7;
          await time.setNextBlockTimestamp(now);
          const claimId = (await f.pool.claimCount()) + 1n;
          await expect(f.pool.connect(f.carol).submitClaim(kind, 1n * C, EVIDENCE))
            .to.emit(f.pool, "ClaimSubmitted")
            .withArgs(
              claimId,
              f.carol.address,
              kind,
              1n * C,
              EVIDENCE,
              tier,
              deadline(now, POOL_DEFAULTS.responseSeconds[kind]!, factor),
              deadline(now, POOL_DEFAULTS.resolutionSeconds[kind]!, factor),
            );
          expect((await f.pool.getClaim(claimId)).responseDeadline).to.equal(
            deadline(now, POOL_DEFAULTS.responseSeconds[kind]!, factor),
          );
        }
      }
    });

    it("gives a priority staker half the seed deadlines: users 5 min, projects 30 min / 2 h", async function () {
      const f = await loadFixture(deployFixture);
      const now = (await time.latest()) + 5;
      await time.setNextBlockTimestamp(now);
      await expect(f.pool.connect(f.bob).submitClaim(Kind.MissingReward, 1n * C, EVIDENCE))
        .to.emit(f.pool, "ClaimSubmitted")
        .withArgs(1n, f.bob.address, Kind.MissingReward, 1n * C, EVIDENCE, 1, now + 300, now + 7_200);
      await time.setNextBlockTimestamp(now + 1);
      await expect(f.pool.connect(f.bob).submitClaim(Kind.DataApiOutage, 1n * C, EVIDENCE))
        .to.emit(f.pool, "ClaimSubmitted")
        .withArgs(2n, f.bob.address, Kind.DataApiOutage, 1n * C, EVIDENCE, 1, now + 1 + 1_800, now + 1 + 7_200);
    });

    it("previews the tier and deadlines a claim submitted now would get", async function () {
      const f = await loadFixture(deployFixture);
      const [tier, response, resolution] = await f.pool.previewDeadlines(f.bob, Kind.RedemptionToolFailure);
      const now = await time.latest();
      expect(tier).to.equal(1n);
      expect(response).to.equal(BigInt(now + 150));
      expect(resolution).to.equal(BigInt(now + 900));
    });

    it("keeps the tier read at submission when the stake changes later", async function () {
      const f = await loadFixture(deployFixture);
      const claimId = await submit(f, f.bob, 1n * C);
      await f.tiers.setTerms(f.bob, 0, 10_000, 0);
      const claim = await f.pool.getClaim(claimId);
      expect(claim.tier).to.equal(1n);
    });

    it("applies a changed SLA to later claims only", async function () {
      const f = await loadFixture(deployFixture);
      const first = await submit(f, f.alice, 1n * C);
      const before = (await f.pool.getClaim(first)).responseDeadline;
      await f.pool.connect(f.admin).setSla(Kind.MissingReward, 60, 120);
      const now = (await time.latest()) + 3;
      await time.setNextBlockTimestamp(now);
      const second = await submit(f, f.alice, 1n * C);
      expect((await f.pool.getClaim(first)).responseDeadline).to.equal(before);
      expect((await f.pool.getClaim(second)).responseDeadline).to.equal(BigInt(now + 60));
    });

    it("rejects a zero amount", async function () {
      const f = await loadFixture(deployFixture);
      await expect(f.pool.connect(f.alice).submitClaim(Kind.Other, 0n, EVIDENCE)).to.be.revertedWithCustomError(
        f.pool,
        "CompensationPoolZeroAmount",
      );
    });

    it("rejects an amount that is not a whole number of units (10^12 wei)", async function () {
      const f = await loadFixture(deployFixture);
      const amount = 5n * C + 1n;
      await expect(f.pool.connect(f.alice).submitClaim(Kind.Other, amount, EVIDENCE))
        .to.be.revertedWithCustomError(f.pool, "CompensationPoolAmountNotRepresentable")
        .withArgs(amount);
      await expect(f.pool.connect(f.alice).submitClaim(Kind.Other, 5n * C + UNIT, EVIDENCE)).not.to.revert(ethers);
    });

    it("rejects an amount above what a claim slot can hold", async function () {
      const f = await loadFixture(deployFixture);
      const tooBig = 2n ** 48n * UNIT;
      await expect(f.pool.connect(f.alice).submitClaim(Kind.Other, tooBig, EVIDENCE))
        .to.be.revertedWithCustomError(f.pool, "CompensationPoolAmountNotRepresentable")
        .withArgs(tooBig);
    });

    it("rejects an amount above the per-claim cap and accepts the cap itself", async function () {
      const f = await loadFixture(deployFixture);
      const cap = POOL_DEFAULTS.perClaimCap;
      await expect(f.pool.connect(f.alice).submitClaim(Kind.Other, cap + UNIT, EVIDENCE))
        .to.be.revertedWithCustomError(f.pool, "CompensationPoolAmountAboveCap")
        .withArgs(cap + UNIT, cap);
      await expect(f.pool.connect(f.alice).submitClaim(Kind.Other, cap, EVIDENCE)).to.emit(f.pool, "ClaimSubmitted");
    });

    it("rejects a kind outside the enum", async function () {
      const f = await loadFixture(deployFixture);
      await expect(f.pool.connect(f.alice).submitClaim(4, 1n * C, EVIDENCE)).to.be.revertedWithoutReason(ethers);
    });

    it("refuses submissions while paused and takes them again after unpause", async function () {
      const f = await loadFixture(deployFixture);
      await f.pool.connect(f.guardian).pause();
      await expect(f.pool.connect(f.alice).submitClaim(Kind.Other, 1n * C, EVIDENCE)).to.be.revertedWithCustomError(
        f.pool,
        "CompensationPoolEnforcedPause",
      );
      await f.pool.connect(f.guardian).unpause();
      await expect(f.pool.connect(f.alice).submitClaim(Kind.Other, 1n * C, EVIDENCE)).to.emit(f.pool, "ClaimSubmitted");
    });
  });

  describe("transitions", function () {
    // A claim of 2,000 C: approving all of it is a large payout (delayed), so every status is reachable.
    const REQUEST = 2_000n * C;
    const UNKNOWN = 999n;

    async function claimIn(f: Fixture, status: number): Promise<bigint> {
      if (status === Status.None) return UNKNOWN;
      const claimId = await submit(f, f.alice, REQUEST);
      if (status === Status.Rejected) await f.pool.connect(f.assessor).rejectClaim(claimId, NOTE);
      if (status === Status.Cancelled) await f.pool.connect(f.alice).cancelClaim(claimId);
      if (status === Status.Submitted || status === Status.Rejected || status === Status.Cancelled) return claimId;
      await f.pool.connect(f.assessor).acceptClaim(claimId, NOTE);
      if (status === Status.Investigating) await f.pool.connect(f.assessor).markInvestigating(claimId, NOTE);
      if (status === Status.Accepted || status === Status.Investigating) return claimId;
      await f.pool.connect(f.assessor).approveClaim(claimId, REQUEST, NOTE);
      if (status === Status.Paid) {
        await time.increase(DELAY);
        await f.pool.executePayout(claimId);
      }
      return claimId;
    }

    const actions: {
      name: string;
      legal: number[];
      after: number;
      run: (f: Fixture, claimId: bigint) => Promise<unknown>;
    }[] = [
      {
        name: "acceptClaim",
        legal: [Status.Submitted],
        after: Status.Accepted,
        run: (f, claimId) => f.pool.connect(f.assessor).acceptClaim(claimId, NOTE),
      },
      {
        name: "markInvestigating",
        legal: [Status.Accepted],
        after: Status.Investigating,
        run: (f, claimId) => f.pool.connect(f.assessor).markInvestigating(claimId, NOTE),
      },
      {
        name: "approveClaim",
        legal: [Status.Accepted, Status.Investigating],
        after: Status.Paid, // 100 C is a small payout: paid at once
        run: (f, claimId) => f.pool.connect(f.assessor).approveClaim(claimId, 100n * C, NOTE),
      },
      {
        name: "rejectClaim",
        legal: [Status.Submitted, Status.Accepted, Status.Investigating],
        after: Status.Rejected,
        run: (f, claimId) => f.pool.connect(f.assessor).rejectClaim(claimId, NOTE),
      },
      {
        name: "cancelClaim",
        legal: [Status.Submitted, Status.Accepted, Status.Investigating],
        after: Status.Cancelled,
        run: (f, claimId) => f.pool.connect(f.alice).cancelClaim(claimId),
      },
      {
        name: "vetoPayout",
        legal: [Status.Approved],
        after: Status.Rejected,
        run: (f, claimId) => f.pool.connect(f.guardian).vetoPayout(claimId, NOTE),
      },
      {
        name: "executePayout",
        legal: [Status.Approved],
        after: Status.Paid,
        run: async (f, claimId) => {
          const { status } = await f.pool.getClaim(claimId);
          if (status === BigInt(Status.Approved)) await time.increase(DELAY);
          return f.pool.executePayout(claimId);
        },
      },
    ];

    for (const action of actions) {
      for (const [statusName, status] of Object.entries(Status)) {
        if (action.legal.includes(status)) {
          it(`lets ${action.name} move a claim from ${statusName} to ${Object.keys(Status)[action.after]}`, async function () {
            const f = await loadFixture(deployFixture);
            const claimId = await claimIn(f, status);
            await action.run(f, claimId);
            expect((await f.pool.getClaim(claimId)).status).to.equal(BigInt(action.after));
          });
        } else {
          it(`refuses ${action.name} on a claim in ${statusName}, naming that status`, async function () {
            const f = await loadFixture(deployFixture);
            const claimId = await claimIn(f, status);
            await expect(action.run(f, claimId))
              .to.be.revertedWithCustomError(f.pool, "CompensationPoolInvalidClaimStatus")
              .withArgs(claimId, status);
          });
        }
      }
    }

    it("emits ClaimStatusChanged with the assessor and note on accept, investigate and reject", async function () {
      const f = await loadFixture(deployFixture);
      const claimId = await submit(f, f.alice, 10n * C);
      await expect(f.pool.connect(f.assessor).acceptClaim(claimId, id("on it")))
        .to.emit(f.pool, "ClaimStatusChanged")
        .withArgs(claimId, Status.Accepted, f.assessor.address, id("on it"));
      await expect(f.pool.connect(f.assessor).markInvestigating(claimId, id("node sync")))
        .to.emit(f.pool, "ClaimStatusChanged")
        .withArgs(claimId, Status.Investigating, f.assessor.address, id("node sync"));
      await expect(f.pool.connect(f.assessor).rejectClaim(claimId, id("duplicate")))
        .to.emit(f.pool, "ClaimStatusChanged")
        .withArgs(claimId, Status.Rejected, f.assessor.address, id("duplicate"));
    });

    it("lets only assessors accept, investigate, approve and reject", async function () {
      const f = await loadFixture(deployFixture);
      const claimId = await submit(f, f.alice, 10n * C);
      const calls = [
        f.pool.connect(f.stranger).acceptClaim(claimId, NOTE),
        f.pool.connect(f.stranger).markInvestigating(claimId, NOTE),
        f.pool.connect(f.stranger).approveClaim(claimId, 1n * C, NOTE),
        f.pool.connect(f.guardian).rejectClaim(claimId, NOTE),
      ];
      for (const call of calls) {
        await expect(call)
          .to.be.revertedWithCustomError(f.pool, "AccessControlUnauthorizedAccount")
          .withArgs(call === calls[3] ? f.guardian.address : f.stranger.address, ASSESSOR_ROLE);
      }
    });

    it("lets the claimant, and only the claimant, cancel before approval", async function () {
      const f = await loadFixture(deployFixture);
      const claimId = await submit(f, f.alice, 10n * C);
      await expect(f.pool.connect(f.bob).cancelClaim(claimId))
        .to.be.revertedWithCustomError(f.pool, "CompensationPoolNotClaimant")
        .withArgs(claimId, f.bob.address);
      await expect(f.pool.connect(f.alice).cancelClaim(claimId))
        .to.emit(f.pool, "ClaimStatusChanged")
        .withArgs(claimId, Status.Cancelled, f.alice.address, ethers.ZeroHash);
    });

    it("still lets assessors triage and claimants cancel while paused", async function () {
      const f = await loadFixture(deployFixture);
      const a = await submit(f, f.alice, 10n * C);
      const b = await submit(f, f.alice, 10n * C);
      await f.pool.connect(f.guardian).pause();
      await f.pool.connect(f.assessor).acceptClaim(a, NOTE);
      await f.pool.connect(f.assessor).markInvestigating(a, NOTE);
      await f.pool.connect(f.assessor).rejectClaim(a, NOTE);
      await f.pool.connect(f.alice).cancelClaim(b);
      expect((await f.pool.getClaim(a)).status).to.equal(BigInt(Status.Rejected));
      expect((await f.pool.getClaim(b)).status).to.equal(BigInt(Status.Cancelled));
    });
  });

  describe("approval and payout", function () {
    it("approves less than requested and pays a small payout in the same transaction", async function () {
      const f = await loadFixture(deployFixture);
      const claimId = await accepted(f, 300n * C);
      const before = await f.c.balanceOf(f.alice);
      const now = (await time.latest()) + 1;
      await time.setNextBlockTimestamp(now);
      const tx = f.pool.connect(f.assessor).approveClaim(claimId, 120n * C, NOTE);
      await expect(tx)
        .to.emit(f.pool, "ClaimApproved")
        .withArgs(claimId, 120n * C, 0n, now, 120n * C);
      await expect(tx)
        .to.emit(f.pool, "ClaimStatusChanged")
        .withArgs(claimId, Status.Approved, f.assessor.address, NOTE);
      await expect(tx)
        .to.emit(f.pool, "ClaimPaid")
        .withArgs(claimId, f.alice.address, 120n * C);
      await expect(tx)
        .to.emit(f.pool, "ClaimStatusChanged")
        .withArgs(claimId, Status.Paid, f.assessor.address, ethers.ZeroHash);
      expect((await f.c.balanceOf(f.alice)) - before).to.equal(120n * C);
      const claim = await f.pool.getClaim(claimId);
      expect(claim.status).to.equal(BigInt(Status.Paid));
      expect(claim.amount).to.equal(120n * C);
      expect(claim.payableAt).to.equal(BigInt(now));
      expect(claim.responseDeadline).to.equal(0n);
      expect(await f.pool.reserved()).to.equal(0n);
    });

    it("reserves a payout at the large-claim threshold and makes it payable after the delay", async function () {
      const f = await loadFixture(deployFixture);
      const threshold = POOL_DEFAULTS.largeClaimThreshold;
      const claimId = await accepted(f, threshold);
      const free = await f.pool.freeBalance();
      const now = (await time.latest()) + 1;
      await time.setNextBlockTimestamp(now);
      const tx = f.pool.connect(f.assessor).approveClaim(claimId, threshold, NOTE);
      await expect(tx)
        .to.emit(f.pool, "ClaimApproved")
        .withArgs(claimId, threshold, 0n, now + DELAY, threshold);
      await expect(tx).not.to.emit(f.pool, "ClaimPaid");
      expect(await f.pool.claimsReserved()).to.equal(threshold);
      expect(await f.pool.reserved()).to.equal(threshold);
      expect(await f.pool.freeBalance()).to.equal(free - threshold);
      const claim = await f.pool.getClaim(claimId);
      expect(claim.status).to.equal(BigInt(Status.Approved));
      expect(claim.payableAt).to.equal(BigInt(now + DELAY));
    });

    it("pays a payout one unit below the threshold at once", async function () {
      const f = await loadFixture(deployFixture);
      const amount = POOL_DEFAULTS.largeClaimThreshold - UNIT;
      const claimId = await accepted(f, amount);
      await expect(f.pool.connect(f.assessor).approveClaim(claimId, amount, NOTE))
        .to.emit(f.pool, "ClaimPaid")
        .withArgs(claimId, f.alice.address, amount);
    });

    it("compares the payout including the late credit with the threshold", async function () {
      const f = await loadFixture(deployFixture);
      const claimId = await submit(f, f.alice, 1_000n * C);
      await time.increase(POOL_DEFAULTS.responseSeconds[Kind.MissingReward]! + 1);
      await f.pool.connect(f.assessor).acceptClaim(claimId, NOTE);
      // 996 C + 5 C credit = 1,001 C ≥ 1,000 C: delayed.
      await f.pool.connect(f.assessor).approveClaim(claimId, 996n * C, NOTE);
      const claim = await f.pool.getClaim(claimId);
      expect(claim.status).to.equal(BigInt(Status.Approved));
      expect(claim.amount).to.equal(1_001n * C);
    });

    it("refuses an approval above the requested amount", async function () {
      const f = await loadFixture(deployFixture);
      const claimId = await accepted(f, 50n * C);
      await expect(f.pool.connect(f.assessor).approveClaim(claimId, 50n * C + UNIT, NOTE))
        .to.be.revertedWithCustomError(f.pool, "CompensationPoolApprovalAboveRequest")
        .withArgs(claimId, 50n * C, 50n * C + UNIT);
    });

    it("refuses an approval above a per-claim cap lowered after submission", async function () {
      const f = await loadFixture(deployFixture);
      const claimId = await accepted(f, 500n * C);
      await f.pool.connect(f.admin).setPerClaimCap(200n * C);
      await expect(f.pool.connect(f.assessor).approveClaim(claimId, 201n * C, NOTE))
        .to.be.revertedWithCustomError(f.pool, "CompensationPoolAmountAboveCap")
        .withArgs(201n * C, 200n * C);
      await expect(f.pool.connect(f.assessor).approveClaim(claimId, 200n * C, NOTE)).to.emit(f.pool, "ClaimPaid");
    });

    it("refuses an approved amount that is not a whole number of units", async function () {
      const f = await loadFixture(deployFixture);
      const claimId = await accepted(f, 50n * C);
      await expect(f.pool.connect(f.assessor).approveClaim(claimId, 10n * C + 7n, NOTE))
        .to.be.revertedWithCustomError(f.pool, "CompensationPoolAmountNotRepresentable")
        .withArgs(10n * C + 7n);
    });

    it("refuses an approval whose payout with the late credit is more than a claim slot holds", async function () {
      const f = await loadFixture(deployFixture);
      const max = await f.pool.MAX_CLAIM_AMOUNT();
      await f.pool.connect(f.admin).setPerClaimCap(max);
      const claimId = await submit(f, f.alice, max);
      await time.increase(3_600);
      await f.pool.connect(f.assessor).acceptClaim(claimId, NOTE);
      await expect(f.pool.connect(f.assessor).approveClaim(claimId, max, NOTE))
        .to.be.revertedWithCustomError(f.pool, "CompensationPoolAmountNotRepresentable")
        .withArgs(max + LATE_CREDIT);
    });

    it("closes an on-time claim approved for nothing as Paid without a transfer", async function () {
      const f = await loadFixture(deployFixture);
      const claimId = await accepted(f, 50n * C);
      const tx = f.pool.connect(f.assessor).approveClaim(claimId, 0n, NOTE);
      await expect(tx).to.emit(f.pool, "ClaimPaid").withArgs(claimId, f.alice.address, 0n);
      await expect(tx).not.to.emit(f.c, "Transfer");
      expect((await f.pool.getClaim(claimId)).status).to.equal(BigInt(Status.Paid));
    });

    it("refuses an approval the free balance cannot cover, leaving reserved funds alone", async function () {
      const f = await loadFixture(deployFixture);
      const big = await accepted(f, 5_000n * C);
      await f.pool.connect(f.assessor).approveClaim(big, 5_000n * C, NOTE); // reserved
      const free = await f.pool.freeBalance();
      await f.pool.connect(f.admin).sweep(f.admin, free - 10n * C);
      const claimId = await accepted(f, 50n * C);
      await expect(f.pool.connect(f.assessor).approveClaim(claimId, 11n * C, NOTE))
        .to.be.revertedWithCustomError(f.pool, "CompensationPoolInsufficientFunds")
        .withArgs(10n * C, 11n * C);
      await expect(f.pool.connect(f.assessor).approveClaim(claimId, 10n * C, NOTE)).to.emit(f.pool, "ClaimPaid");
      expect(await f.c.balanceOf(f.pool)).to.equal(5_000n * C);
      expect(await f.pool.reserved()).to.equal(5_000n * C);
    });

    it("refuses approvals and payouts while paused", async function () {
      const f = await loadFixture(deployFixture);
      const small = await accepted(f, 50n * C);
      const large = await accepted(f, 2_000n * C);
      await f.pool.connect(f.assessor).approveClaim(large, 2_000n * C, NOTE);
      await time.increase(DELAY);
      await f.pool.connect(f.guardian).pause();
      await expect(f.pool.connect(f.assessor).approveClaim(small, 50n * C, NOTE)).to.be.revertedWithCustomError(
        f.pool,
        "CompensationPoolEnforcedPause",
      );
      await expect(f.pool.executePayout(large)).to.be.revertedWithCustomError(f.pool, "CompensationPoolEnforcedPause");
      await f.pool.connect(f.guardian).unpause();
      await expect(f.pool.executePayout(large)).to.emit(f.pool, "ClaimPaid");
    });
  });

  describe("late-response credit", function () {
    async function approvalAfterAcceptAt(f: Fixture, offset: number, who: Fixture["alice"] = f.alice) {
      const submittedAt = (await time.latest()) + 1;
      await time.setNextBlockTimestamp(submittedAt);
      const claimId = await submit(f, who, 100n * C);
      const { responseDeadline } = await f.pool.getClaim(claimId);
      await time.setNextBlockTimestamp(Number(responseDeadline) + offset);
      await f.pool.connect(f.assessor).acceptClaim(claimId, NOTE);
      return { claimId, tx: f.pool.connect(f.assessor).approveClaim(claimId, 40n * C, NOTE) };
    }

    it("adds no credit when the claim was accepted one second before the response deadline", async function () {
      const f = await loadFixture(deployFixture);
      const { claimId, tx } = await approvalAfterAcceptAt(f, -1);
      await expect(tx)
        .to.emit(f.pool, "ClaimPaid")
        .withArgs(claimId, f.alice.address, 40n * C);
      expect((await f.pool.getClaim(claimId)).acceptedLate).to.equal(false);
    });

    it("adds no credit when the claim was accepted exactly at the response deadline", async function () {
      const f = await loadFixture(deployFixture);
      const { claimId, tx } = await approvalAfterAcceptAt(f, 0);
      await expect(tx)
        .to.emit(f.pool, "ClaimPaid")
        .withArgs(claimId, f.alice.address, 40n * C);
    });

    it("adds the 5 C credit when the claim was accepted one second after the response deadline", async function () {
      const f = await loadFixture(deployFixture);
      const { claimId, tx } = await approvalAfterAcceptAt(f, 1);
      await expect(tx).to.emit(f.pool, "ClaimApproved");
      const receipt = await (await tx).wait();
      const approved = receipt!.logs
        .map((log) => f.pool.interface.parseLog(log))
        .find((parsed) => parsed?.name === "ClaimApproved");
      expect(approved!.args.approvedAmount).to.equal(40n * C);
      expect(approved!.args.lateCredit).to.equal(LATE_CREDIT);
      await expect(tx)
        .to.emit(f.pool, "ClaimPaid")
        .withArgs(claimId, f.alice.address, 40n * C + LATE_CREDIT);
      const claim = await f.pool.getClaim(claimId);
      expect(claim.acceptedLate).to.equal(true);
      expect(claim.amount).to.equal(40n * C + LATE_CREDIT);
    });

    it("measures lateness against the priority deadline for a staker", async function () {
      const f = await loadFixture(deployFixture);
      // bob's response deadline is 300 s (users, Priority); 301 s is late for him though not for alice.
      const { claimId, tx } = await approvalAfterAcceptAt(f, 1, f.bob);
      await expect(tx)
        .to.emit(f.pool, "ClaimPaid")
        .withArgs(claimId, f.bob.address, 40n * C + LATE_CREDIT);
    });

    it("pays the late credit even when nothing else is approved", async function () {
      const f = await loadFixture(deployFixture);
      const claimId = await submit(f, f.alice, 100n * C);
      await time.increase(3_600);
      await f.pool.connect(f.assessor).acceptClaim(claimId, NOTE);
      await expect(f.pool.connect(f.assessor).approveClaim(claimId, 0n, NOTE))
        .to.emit(f.pool, "ClaimPaid")
        .withArgs(claimId, f.alice.address, LATE_CREDIT);
    });

    it("adds nothing once the credit is switched off, though the claim is marked late", async function () {
      const f = await loadFixture(deployFixture);
      await f.pool.connect(f.admin).setLateCredit(0n);
      const { claimId, tx } = await approvalAfterAcceptAt(f, 1);
      await expect(tx)
        .to.emit(f.pool, "ClaimPaid")
        .withArgs(claimId, f.alice.address, 40n * C);
      expect((await f.pool.getClaim(claimId)).acceptedLate).to.equal(true);
    });

    it("uses the credit in force at approval time", async function () {
      const f = await loadFixture(deployFixture);
      const claimId = await submit(f, f.alice, 100n * C);
      await time.increase(3_600);
      await f.pool.connect(f.assessor).acceptClaim(claimId, NOTE);
      await f.pool.connect(f.admin).setLateCredit(7n * C);
      await expect(f.pool.connect(f.assessor).approveClaim(claimId, 1n * C, NOTE))
        .to.emit(f.pool, "ClaimPaid")
        .withArgs(claimId, f.alice.address, 8n * C);
    });

    it("gives no credit to a late claim that is rejected", async function () {
      const f = await loadFixture(deployFixture);
      const claimId = await submit(f, f.alice, 100n * C);
      await time.increase(3_600);
      await f.pool.connect(f.assessor).acceptClaim(claimId, NOTE);
      const before = await f.c.balanceOf(f.alice);
      await f.pool.connect(f.assessor).rejectClaim(claimId, NOTE);
      expect(await f.c.balanceOf(f.alice)).to.equal(before);
    });
  });

  describe("rolling 24-hour approval budget", function () {
    async function budgetFixture() {
      const f = await deployFixture();
      await f.pool.connect(f.admin).setApprovalBudget(100n * C);
      return f;
    }

    /** A timestamp in the last second of an hour a little ahead. */
    async function endOfHourAhead(): Promise<number> {
      return (Math.floor((await time.latest()) / HOUR) + 2) * HOUR + HOUR - 1;
    }

    it("lets approvals reach the budget exactly and refuses the next unit", async function () {
      const f = await loadFixture(budgetFixture);
      const a = await accepted(f, 60n * C);
      const b = await accepted(f, 40n * C);
      const c = await accepted(f, 1n * C);
      await f.pool.connect(f.assessor).approveClaim(a, 60n * C, NOTE);
      await expect(f.pool.connect(f.assessor).approveClaim(b, 40n * C, NOTE))
        .to.emit(f.pool, "ClaimApproved")
        .withArgs(b, 40n * C, 0n, (await time.latest()) + 1, 100n * C);
      await expect(f.pool.connect(f.assessor).approveClaim(c, UNIT, NOTE))
        .to.be.revertedWithCustomError(f.pool, "CompensationPoolBudgetExceeded")
        .withArgs(100n * C, UNIT, 100n * C);
      const [used, budget] = await f.pool.approvalBudgetUsage();
      expect(used).to.equal(100n * C);
      expect(budget).to.equal(100n * C);
    });

    it("counts the late credit against the budget", async function () {
      const f = await loadFixture(budgetFixture);
      const claimId = await submit(f, f.alice, 100n * C);
      await time.increase(3_600);
      await f.pool.connect(f.assessor).acceptClaim(claimId, NOTE);
      await expect(f.pool.connect(f.assessor).approveClaim(claimId, 96n * C, NOTE))
        .to.be.revertedWithCustomError(f.pool, "CompensationPoolBudgetExceeded")
        .withArgs(0n, 101n * C, 100n * C);
      await expect(f.pool.connect(f.assessor).approveClaim(claimId, 95n * C, NOTE)).to.emit(f.pool, "ClaimPaid");
      expect((await f.pool.approvalBudgetUsage())[0]).to.equal(100n * C);
    });

    it("keeps an approval counted through the 24th full hour after its own and frees it at the 25th", async function () {
      const f = await loadFixture(budgetFixture);
      const a = await accepted(f, 100n * C);
      const b = await accepted(f, 100n * C);
      const t = await endOfHourAhead();
      await time.setNextBlockTimestamp(t);
      await f.pool.connect(f.assessor).approveClaim(a, 100n * C, NOTE);
      // 24 h later, still inside a 24-hour span with the first approval: refused.
      await time.setNextBlockTimestamp(t + 86_400);
      await expect(f.pool.connect(f.assessor).approveClaim(b, 1n * C, NOTE))
        .to.be.revertedWithCustomError(f.pool, "CompensationPoolBudgetExceeded")
        .withArgs(100n * C, 1n * C, 100n * C);
      // One second later the first approval's hour has left the window.
      await time.setNextBlockTimestamp(t + 86_401);
      await expect(f.pool.connect(f.assessor).approveClaim(b, 100n * C, NOTE))
        .to.emit(f.pool, "ClaimApproved")
        .withArgs(b, 100n * C, 0n, t + 86_401, 100n * C);
    });

    it("rolls over hour by hour, releasing only the hours that left the window", async function () {
      const f = await loadFixture(budgetFixture);
      const ids = [];
      for (let i = 0; i < 5; i++) ids.push(await accepted(f, 50n * C));
      const start = (Math.floor((await time.latest()) / HOUR) + 2) * HOUR;
      for (let i = 0; i < 3; i++) {
        await time.setNextBlockTimestamp(start + i * HOUR + 10);
        await f.pool.connect(f.assessor).approveClaim(ids[i]!, 30n * C, NOTE);
      }
      // Hour start+25h: the first hour's 30 C left, the other 60 C still count.
      await time.setNextBlockTimestamp(start + 25 * HOUR);
      await expect(f.pool.connect(f.assessor).approveClaim(ids[3]!, 40n * C + UNIT, NOTE))
        .to.be.revertedWithCustomError(f.pool, "CompensationPoolBudgetExceeded")
        .withArgs(60n * C, 40n * C + UNIT, 100n * C);
      await time.setNextBlockTimestamp(start + 25 * HOUR + 1);
      await f.pool.connect(f.assessor).approveClaim(ids[3]!, 40n * C, NOTE);
      await time.increase(10);
      expect((await f.pool.approvalBudgetUsage())[0]).to.equal(100n * C);
      // Two days of silence empty the whole window.
      await time.increase(2 * 86_400);
      expect((await f.pool.approvalBudgetUsage())[0]).to.equal(0n);
      await expect(f.pool.connect(f.assessor).approveClaim(ids[4]!, 40n * C, NOTE)).to.emit(f.pool, "ClaimPaid");
    });

    it("reports the usage a view call sees as hours pass, without writing", async function () {
      const f = await loadFixture(budgetFixture);
      const a = await accepted(f, 70n * C);
      const t = await endOfHourAhead();
      await time.setNextBlockTimestamp(t);
      await f.pool.connect(f.assessor).approveClaim(a, 70n * C, NOTE);
      await time.increaseTo(t + 86_400);
      expect((await f.pool.approvalBudgetUsage())[0]).to.equal(70n * C);
      await time.increaseTo(t + 86_401);
      expect((await f.pool.approvalBudgetUsage())[0]).to.equal(0n);
    });

    it("keeps a vetoed approval charged, so a stolen key cannot loop", async function () {
      const f = await loadFixture(deployFixture);
      await f.pool.connect(f.admin).setApprovalBudget(3_000n * C);
      const a = await accepted(f, 2_000n * C);
      const b = await accepted(f, 2_000n * C);
      await f.pool.connect(f.assessor).approveClaim(a, 2_000n * C, NOTE);
      await f.pool.connect(f.guardian).vetoPayout(a, NOTE);
      await expect(f.pool.connect(f.assessor).approveClaim(b, 1_500n * C, NOTE))
        .to.be.revertedWithCustomError(f.pool, "CompensationPoolBudgetExceeded")
        .withArgs(2_000n * C, 1_500n * C, 3_000n * C);
    });

    it("applies a lowered budget to the usage already counted", async function () {
      const f = await loadFixture(budgetFixture);
      const a = await accepted(f, 50n * C);
      const b = await accepted(f, 50n * C);
      await f.pool.connect(f.assessor).approveClaim(a, 50n * C, NOTE);
      await f.pool.connect(f.admin).setApprovalBudget(40n * C);
      await expect(f.pool.connect(f.assessor).approveClaim(b, 1n * C, NOTE))
        .to.be.revertedWithCustomError(f.pool, "CompensationPoolBudgetExceeded")
        .withArgs(50n * C, 1n * C, 40n * C);
    });
  });

  describe("veto and delayed payout", function () {
    async function approvedLarge(f: Fixture) {
      const claimId = await accepted(f, 3_000n * C);
      const now = (await time.latest()) + 1;
      await time.setNextBlockTimestamp(now);
      await f.pool.connect(f.assessor).approveClaim(claimId, 3_000n * C, NOTE);
      return { claimId, payableAt: now + DELAY };
    }

    it("lets a guardian veto one second before the payout becomes payable, releasing the reservation", async function () {
      const f = await loadFixture(deployFixture);
      const { claimId, payableAt } = await approvedLarge(f);
      await time.setNextBlockTimestamp(payableAt - 1);
      const reason = id("assessor key compromised");
      const tx = f.pool.connect(f.guardian).vetoPayout(claimId, reason);
      await expect(tx)
        .to.emit(f.pool, "PayoutVetoed")
        .withArgs(claimId, f.guardian.address, 3_000n * C);
      await expect(tx)
        .to.emit(f.pool, "ClaimStatusChanged")
        .withArgs(claimId, Status.Rejected, f.guardian.address, reason);
      expect(await f.pool.reserved()).to.equal(0n);
      expect((await f.pool.getClaim(claimId)).status).to.equal(BigInt(Status.Rejected));
    });

    it("refuses a veto from the moment the payout is payable", async function () {
      const f = await loadFixture(deployFixture);
      const { claimId, payableAt } = await approvedLarge(f);
      await time.setNextBlockTimestamp(payableAt);
      await expect(f.pool.connect(f.guardian).vetoPayout(claimId, NOTE))
        .to.be.revertedWithCustomError(f.pool, "CompensationPoolVetoWindowClosed")
        .withArgs(claimId, payableAt);
    });

    it("refuses the payout one second before it is payable", async function () {
      const f = await loadFixture(deployFixture);
      const { claimId, payableAt } = await approvedLarge(f);
      await time.setNextBlockTimestamp(payableAt - 1);
      await expect(f.pool.executePayout(claimId))
        .to.be.revertedWithCustomError(f.pool, "CompensationPoolPayoutNotReady")
        .withArgs(claimId, payableAt);
    });

    it("lets anyone execute the payout at payableAt, paying the claimant once", async function () {
      const f = await loadFixture(deployFixture);
      const { claimId, payableAt } = await approvedLarge(f);
      const before = await f.c.balanceOf(f.alice);
      await time.setNextBlockTimestamp(payableAt);
      const tx = f.pool.connect(f.stranger).executePayout(claimId);
      await expect(tx)
        .to.emit(f.pool, "ClaimPaid")
        .withArgs(claimId, f.alice.address, 3_000n * C);
      await expect(tx)
        .to.emit(f.pool, "ClaimStatusChanged")
        .withArgs(claimId, Status.Paid, f.stranger.address, ethers.ZeroHash);
      expect((await f.c.balanceOf(f.alice)) - before).to.equal(3_000n * C);
      expect(await f.pool.reserved()).to.equal(0n);
      await expect(f.pool.executePayout(claimId))
        .to.be.revertedWithCustomError(f.pool, "CompensationPoolInvalidClaimStatus")
        .withArgs(claimId, Status.Paid);
    });

    it("lets only guardians veto, also while paused", async function () {
      const f = await loadFixture(deployFixture);
      const { claimId } = await approvedLarge(f);
      await expect(f.pool.connect(f.assessor).vetoPayout(claimId, NOTE))
        .to.be.revertedWithCustomError(f.pool, "AccessControlUnauthorizedAccount")
        .withArgs(f.assessor.address, GUARDIAN_ROLE);
      await f.pool.connect(f.guardian).pause();
      await expect(f.pool.connect(f.guardian).vetoPayout(claimId, NOTE)).to.emit(f.pool, "PayoutVetoed");
    });

    it("makes a large payout payable at once, with no veto window, when the delay is zero", async function () {
      const f = await loadFixture(deployFixture);
      await f.pool.connect(f.admin).setPayoutDelay(0);
      const { claimId, payableAt } = await approvedLarge(f);
      expect((await f.pool.getClaim(claimId)).payableAt).to.equal(BigInt(payableAt - DELAY));
      await expect(f.pool.connect(f.guardian).vetoPayout(claimId, NOTE)).to.be.revertedWithCustomError(
        f.pool,
        "CompensationPoolVetoWindowClosed",
      );
      await expect(f.pool.executePayout(claimId)).to.emit(f.pool, "ClaimPaid");
    });
  });
});
