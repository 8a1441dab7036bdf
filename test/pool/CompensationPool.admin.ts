import { expect } from "chai";
import { id } from "ethers";
import { network } from "hardhat";

import {
  ASSESSOR_ROLE,
  C,
  DEFAULT_ADMIN_ROLE,
  GUARDIAN_ROLE,
  Kind,
  POOL_DEFAULTS,
  UNIT,
  defaultTerms,
  type PerKind,
} from "./helpers.js";
import { deployPool } from "../fixtures/station.js";

const { ethers, networkHelpers } = await network.create();
const { time, loadFixture } = networkHelpers;

const EVIDENCE = id("evidence");
const NOTE = id("note");

describe("CompensationPool admin, funds and guardian", function () {
  async function deployFixture() {
    const [admin, assessor, guardian, alice, stranger] = await ethers.getSigners();
    const c = await ethers.deployContract("MockCToken");
    const { tiers, pool } = await deployPool(ethers, {
      token: c,
      admin: admin!,
      assessor: assessor!,
      guardian: guardian!,
      mint: 1_000_000n * C,
    });
    await c.mint(alice!, 1_000n * C);
    return {
      c,
      tiers,
      pool,
      admin: admin!,
      assessor: assessor!,
      guardian: guardian!,
      alice: alice!,
      stranger: stranger!,
    };
  }

  describe("deployment", function () {
    it("grants the three roles and reports the initial terms", async function () {
      const f = await loadFixture(deployFixture);
      expect(await f.pool.hasRole(DEFAULT_ADMIN_ROLE, f.admin)).to.equal(true);
      expect(await f.pool.hasRole(ASSESSOR_ROLE, f.assessor)).to.equal(true);
      expect(await f.pool.hasRole(GUARDIAN_ROLE, f.guardian)).to.equal(true);
      expect(await f.pool.hasRole(ASSESSOR_ROLE, f.admin)).to.equal(false);
      expect(await f.pool.ASSESSOR_ROLE()).to.equal(ASSESSOR_ROLE);
      expect(await f.pool.GUARDIAN_ROLE()).to.equal(GUARDIAN_ROLE);
      expect(await f.pool.token()).to.equal(await f.c.getAddress());
      expect(await f.pool.tierSource()).to.equal(await f.tiers.getAddress());
      for (const kind of Object.values(Kind)) {
        const [response, resolution] = await f.pool.slaOf(kind);
        expect(response).to.equal(BigInt(POOL_DEFAULTS.responseSeconds[kind]!));
        expect(resolution).to.equal(BigInt(POOL_DEFAULTS.resolutionSeconds[kind]!));
      }
      expect(await f.pool.perClaimCap()).to.equal(POOL_DEFAULTS.perClaimCap);
      expect(await f.pool.approvalBudget()).to.equal(POOL_DEFAULTS.approvalBudget);
      expect(await f.pool.largeClaimThreshold()).to.equal(POOL_DEFAULTS.largeClaimThreshold);
      expect(await f.pool.payoutDelay()).to.equal(BigInt(POOL_DEFAULTS.payoutDelay));
      expect(await f.pool.lateCredit()).to.equal(POOL_DEFAULTS.lateCredit);
      expect(await f.pool.challengeWindow()).to.equal(BigInt(POOL_DEFAULTS.challengeWindow));
      expect(await f.pool.paused()).to.equal(false);
      expect(await f.pool.AMOUNT_UNIT()).to.equal(UNIT);
      expect(await f.pool.MAX_CLAIM_AMOUNT()).to.equal((2n ** 48n - 1n) * UNIT);
    });

    it("emits every initial setting so an indexer starts from events", async function () {
      const f = await loadFixture(deployFixture);
      const receipt = await f.pool.deploymentTransaction()!.wait();
      const names = receipt!.logs
        .map((log) => f.pool.interface.parseLog(log))
        .filter((parsed) => parsed !== null)
        .map((parsed) => parsed.name);
      expect(names.filter((n) => n === "SlaSet")).to.have.length(4);
      for (const name of [
        "TierSourceSet",
        "PerClaimCapSet",
        "ApprovalBudgetSet",
        "LargeClaimThresholdSet",
        "PayoutDelaySet",
        "LateCreditSet",
        "ChallengeWindowSet",
      ]) {
        expect(names).to.include(name);
      }
      expect(names.filter((n) => n === "RoleGranted")).to.have.length(3);
    });

    it("rejects a zero token, admin or tier source, and skips zero assessor and guardian", async function () {
      const f = await loadFixture(deployFixture);
      const factory = await ethers.getContractFactory("CompensationPool");
      const zero = ethers.ZeroAddress;
      await expect(
        factory.deploy(zero, f.tiers, f.admin, f.admin, f.admin, defaultTerms()),
      ).to.be.revertedWithCustomError(factory, "CompensationPoolZeroAddress");
      await expect(factory.deploy(f.c, f.tiers, zero, f.admin, f.admin, defaultTerms())).to.be.revertedWithCustomError(
        factory,
        "CompensationPoolZeroAddress",
      );
      await expect(factory.deploy(f.c, zero, f.admin, f.admin, f.admin, defaultTerms())).to.be.revertedWithCustomError(
        factory,
        "CompensationPoolZeroAddress",
      );
      const bare = await factory.deploy(f.c, f.tiers, f.admin, zero, zero, defaultTerms());
      expect(await bare.hasRole(ASSESSOR_ROLE, zero)).to.equal(false);
      expect(await bare.hasRole(GUARDIAN_ROLE, zero)).to.equal(false);
    });

    it("validates the initial terms like the setters do", async function () {
      const f = await loadFixture(deployFixture);
      const factory = await ethers.getContractFactory("CompensationPool");
      const bad = { ...defaultTerms(), responseSeconds: [600, 3_600, 0, 3_600] as PerKind };
      await expect(factory.deploy(f.c, f.tiers, f.admin, f.admin, f.admin, bad))
        .to.be.revertedWithCustomError(factory, "CompensationPoolInvalidSla")
        .withArgs(0, POOL_DEFAULTS.resolutionSeconds[2]);
    });
  });

  describe("setters", function () {
    it("changes each setting, emits its event, and is admin-only", async function () {
      const f = await loadFixture(deployFixture);
      const admin = f.pool.connect(f.admin);
      const other = await ethers.deployContract("MockTierSource", [5_000, 0]);
      const cases = [
        {
          call: () => admin.setSla(Kind.Other, 120, 240),
          event: "SlaSet",
          args: [Kind.Other, 120, 240],
          check: async () => expect(await f.pool.slaOf(Kind.Other)).to.deep.equal([120n, 240n]),
        },
        {
          call: () => admin.setPerClaimCap(123n * C),
          event: "PerClaimCapSet",
          args: [123n * C],
          check: async () => expect(await f.pool.perClaimCap()).to.equal(123n * C),
        },
        {
          call: () => admin.setApprovalBudget(7n * C),
          event: "ApprovalBudgetSet",
          args: [7n * C],
          check: async () => expect(await f.pool.approvalBudget()).to.equal(7n * C),
        },
        {
          call: () => admin.setLargeClaimThreshold(0n),
          event: "LargeClaimThresholdSet",
          args: [0n],
          check: async () => expect(await f.pool.largeClaimThreshold()).to.equal(0n),
        },
        {
          call: () => admin.setPayoutDelay(3_600),
          event: "PayoutDelaySet",
          args: [3_600],
          check: async () => expect(await f.pool.payoutDelay()).to.equal(3_600n),
        },
        {
          call: () => admin.setLateCredit(2n * C + UNIT),
          event: "LateCreditSet",
          args: [2n * C + UNIT],
          check: async () => expect(await f.pool.lateCredit()).to.equal(2n * C + UNIT),
        },
        {
          call: () => admin.setChallengeWindow(600),
          event: "ChallengeWindowSet",
          args: [600],
          check: async () => expect(await f.pool.challengeWindow()).to.equal(600n),
        },
        {
          call: () => admin.setTierSource(other),
          event: "TierSourceSet",
          args: [await other.getAddress()],
          check: async () => expect(await f.pool.tierSource()).to.equal(await other.getAddress()),
        },
      ];
      for (const { call, event, args, check } of cases) {
        await expect(call())
          .to.emit(f.pool, event)
          .withArgs(...args);
        await check();
      }
      // The SLA table and the cap share a slot: neither setter disturbs the other.
      expect(await f.pool.slaOf(Kind.MissingReward)).to.deep.equal([600n, 14_400n]);
      expect(await f.pool.perClaimCap()).to.equal(123n * C);

      const strangerCalls = [
        f.pool.connect(f.stranger).setSla(Kind.Other, 1, 2),
        f.pool.connect(f.stranger).setPerClaimCap(1n * C),
        f.pool.connect(f.stranger).setApprovalBudget(1n * C),
        f.pool.connect(f.stranger).setLargeClaimThreshold(1n * C),
        f.pool.connect(f.stranger).setPayoutDelay(1),
        f.pool.connect(f.stranger).setLateCredit(1n * C),
        f.pool.connect(f.stranger).setChallengeWindow(1),
        f.pool.connect(f.stranger).setTierSource(other),
      ];
      for (const call of strangerCalls) {
        await expect(call)
          .to.be.revertedWithCustomError(f.pool, "AccessControlUnauthorizedAccount")
          .withArgs(f.stranger.address, DEFAULT_ADMIN_ROLE);
      }
    });

    it("rejects an SLA with a zero response, a response after the resolution, or above 2^24 − 1 s", async function () {
      const f = await loadFixture(deployFixture);
      const admin = f.pool.connect(f.admin);
      for (const [response, resolution] of [
        [0, 100],
        [101, 100],
        [100, 2 ** 24],
      ] as const) {
        await expect(admin.setSla(Kind.Other, response, resolution))
          .to.be.revertedWithCustomError(f.pool, "CompensationPoolInvalidSla")
          .withArgs(response, resolution);
      }
      await expect(admin.setSla(Kind.Other, 2 ** 24 - 1, 2 ** 24 - 1)).to.emit(f.pool, "SlaSet");
    });

    it("rejects amounts that are not whole units or out of range, and a zero cap", async function () {
      const f = await loadFixture(deployFixture);
      const admin = f.pool.connect(f.admin);
      await expect(admin.setPerClaimCap(0n)).to.be.revertedWithCustomError(f.pool, "CompensationPoolZeroAmount");
      const odd = 1n * C + 1n;
      for (const call of [
        admin.setPerClaimCap(odd),
        admin.setApprovalBudget(odd),
        admin.setLargeClaimThreshold(odd),
        admin.setLateCredit(odd),
      ]) {
        await expect(call)
          .to.be.revertedWithCustomError(f.pool, "CompensationPoolAmountNotRepresentable")
          .withArgs(odd);
      }
      await expect(admin.setPerClaimCap(2n ** 48n * UNIT))
        .to.be.revertedWithCustomError(f.pool, "CompensationPoolAmountNotRepresentable")
        .withArgs(2n ** 48n * UNIT);
      await expect(admin.setApprovalBudget(2n ** 64n * UNIT))
        .to.be.revertedWithCustomError(f.pool, "CompensationPoolAmountNotRepresentable")
        .withArgs(2n ** 64n * UNIT);
      await expect(admin.setApprovalBudget((2n ** 64n - 1n) * UNIT)).to.emit(f.pool, "ApprovalBudgetSet");
    });

    it("rejects a payout delay or challenge window above 30 days", async function () {
      const f = await loadFixture(deployFixture);
      const admin = f.pool.connect(f.admin);
      const max = 30 * 86_400;
      await expect(admin.setPayoutDelay(max + 1))
        .to.be.revertedWithCustomError(f.pool, "CompensationPoolDurationTooLong")
        .withArgs(max + 1, max);
      await expect(admin.setChallengeWindow(max + 1))
        .to.be.revertedWithCustomError(f.pool, "CompensationPoolDurationTooLong")
        .withArgs(max + 1, max);
      await expect(admin.setPayoutDelay(max)).to.emit(f.pool, "PayoutDelaySet");
      await expect(admin.setChallengeWindow(max)).to.emit(f.pool, "ChallengeWindowSet");
    });

    it("rejects a zero tier source", async function () {
      const f = await loadFixture(deployFixture);
      await expect(f.pool.connect(f.admin).setTierSource(ethers.ZeroAddress)).to.be.revertedWithCustomError(
        f.pool,
        "CompensationPoolZeroAddress",
      );
    });

    it("reads tiers from the new source after setTierSource", async function () {
      const f = await loadFixture(deployFixture);
      const other = await ethers.deployContract("MockTierSource", [10_000, 0]);
      await other.setTerms(f.alice, 2, 2_500, 0);
      await f.pool.connect(f.admin).setTierSource(other);
      const now = (await time.latest()) + 1;
      await time.setNextBlockTimestamp(now);
      await expect(f.pool.connect(f.alice).submitClaim(Kind.MissingReward, 1n * C, EVIDENCE))
        .to.emit(f.pool, "ClaimSubmitted")
        .withArgs(1n, f.alice.address, Kind.MissingReward, 1n * C, EVIDENCE, 2, now + 150, now + 3_600);
    });
  });

  describe("a broken tier source", function () {
    for (const [mode, name] of [
      [0, "reverts"],
      [1, "returns too little data"],
      [2, "returns a tier above 255"],
    ] as const) {
      it(`files claims at tier 0 with standard deadlines when the source ${name}`, async function () {
        const f = await loadFixture(deployFixture);
        const broken = await ethers.deployContract("MaliciousTierSource");
        await broken.setMode(mode);
        await f.pool.connect(f.admin).setTierSource(broken);
        const now = (await time.latest()) + 1;
        await time.setNextBlockTimestamp(now);
        await expect(f.pool.connect(f.alice).submitClaim(Kind.DataApiOutage, 1n * C, EVIDENCE))
          .to.emit(f.pool, "ClaimSubmitted")
          .withArgs(1n, f.alice.address, Kind.DataApiOutage, 1n * C, EVIDENCE, 0, now + 3_600, now + 14_400);
      });
    }

    for (const [mode, name] of [
      [3, "an SLA factor of 0"],
      [4, "an SLA factor above 10,000"],
    ] as const) {
      it(`keeps the tier but clamps the deadlines to standard when the source gives ${name}`, async function () {
        const f = await loadFixture(deployFixture);
        const broken = await ethers.deployContract("MaliciousTierSource");
        await broken.setMode(mode);
        await f.pool.connect(f.admin).setTierSource(broken);
        const now = (await time.latest()) + 1;
        await time.setNextBlockTimestamp(now);
        await expect(f.pool.connect(f.alice).submitClaim(Kind.DataApiOutage, 1n * C, EVIDENCE))
          .to.emit(f.pool, "ClaimSubmitted")
          .withArgs(1n, f.alice.address, Kind.DataApiOutage, 1n * C, EVIDENCE, 1, now + 3_600, now + 14_400);
        // Accepted within the standard deadline: not late (a factor of 0 would have made it late).
        await time.increase(60);
        await f.pool.connect(f.assessor).acceptClaim(1n, EVIDENCE);
        expect((await f.pool.getClaim(1n)).acceptedLate).to.equal(false);
      });
    }

    it("files claims at tier 0 when the source has no code", async function () {
      const f = await loadFixture(deployFixture);
      await f.pool.connect(f.admin).setTierSource(f.stranger);
      const [tier, response] = await f.pool.previewDeadlines(f.alice, Kind.MissingReward);
      expect(tier).to.equal(0n);
      expect(response).to.equal(BigInt((await time.latest()) + 600));
    });
  });

  describe("package coverage shortens deadlines", function () {
    async function covered() {
      const f = await loadFixture(deployFixture);
      const coverage = await ethers.deployContract("MockCoverageSource");
      await expect(f.pool.connect(f.admin).setCoverageSource(coverage))
        .to.emit(f.pool, "CoverageSourceSet")
        .withArgs(await coverage.getAddress());
      expect(await f.pool.coverageSource()).to.equal(await coverage.getAddress());
      return { ...f, coverage };
    }
    const submitAt = async (f: Awaited<ReturnType<typeof covered>>) => {
      const now = (await time.latest()) + 1;
      await time.setNextBlockTimestamp(now);
      return { now, tx: f.pool.connect(f.alice).submitClaim(Kind.DataApiOutage, 1n * C, EVIDENCE) };
    };

    it("uses the coverage's factor when it beats the claimant's tier", async function () {
      const f = await covered();
      await f.coverage.setFactor(f.alice, 5_000);
      const { now, tx } = await submitAt(f);
      // DataApiOutage: 1 h / 4 h standard; the tier stays the staking tier (0).
      await expect(tx)
        .to.emit(f.pool, "ClaimSubmitted")
        .withArgs(1n, f.alice.address, Kind.DataApiOutage, 1n * C, EVIDENCE, 0, now + 1_800, now + 7_200);
      const [, response] = await f.pool.previewDeadlines(f.alice, Kind.DataApiOutage);
      expect(response).to.equal(BigInt((await time.latest()) + 1_800));
    });

    it("keeps the tier's factor when it is better than the coverage's", async function () {
      const f = await covered();
      await f.tiers.setTerms(f.alice, 2, 2_500, 0);
      await f.coverage.setFactor(f.alice, 5_000);
      const { now, tx } = await submitAt(f);
      await expect(tx)
        .to.emit(f.pool, "ClaimSubmitted")
        .withArgs(1n, f.alice.address, Kind.DataApiOutage, 1n * C, EVIDENCE, 2, now + 900, now + 3_600);
    });

    it("ignores a coverage source that reverts or gives a factor outside (0, 10,000]", async function () {
      const f = await covered();
      await f.coverage.setFactor(f.alice, 60_000);
      let { now, tx } = await submitAt(f);
      await expect(tx)
        .to.emit(f.pool, "ClaimSubmitted")
        .withArgs(1n, f.alice.address, Kind.DataApiOutage, 1n * C, EVIDENCE, 0, now + 3_600, now + 14_400);
      await f.coverage.setFactor(f.alice, 5_000);
      await f.coverage.setBroken(true);
      ({ now, tx } = await submitAt(f));
      await expect(tx)
        .to.emit(f.pool, "ClaimSubmitted")
        .withArgs(2n, f.alice.address, Kind.DataApiOutage, 1n * C, EVIDENCE, 0, now + 3_600, now + 14_400);
    });

    it("stops reading coverage when the source is set to zero, and lets only the admin set it", async function () {
      const f = await covered();
      await f.coverage.setFactor(f.alice, 5_000);
      await expect(f.pool.connect(f.alice).setCoverageSource(f.alice))
        .to.be.revertedWithCustomError(f.pool, "AccessControlUnauthorizedAccount")
        .withArgs(f.alice.address, DEFAULT_ADMIN_ROLE);
      await expect(f.pool.connect(f.admin).setCoverageSource(ethers.ZeroAddress))
        .to.emit(f.pool, "CoverageSourceSet")
        .withArgs(ethers.ZeroAddress);
      const { now, tx } = await submitAt(f);
      await expect(tx)
        .to.emit(f.pool, "ClaimSubmitted")
        .withArgs(1n, f.alice.address, Kind.DataApiOutage, 1n * C, EVIDENCE, 0, now + 3_600, now + 14_400);
    });
  });

  describe("funding and sweeping", function () {
    it("pulls funds from anyone and emits PoolFunded", async function () {
      const f = await loadFixture(deployFixture);
      await f.c.connect(f.alice).approve(f.pool, 300n * C);
      await expect(f.pool.connect(f.alice).fund(300n * C))
        .to.emit(f.pool, "PoolFunded")
        .withArgs(f.alice.address, 300n * C);
      expect(await f.c.balanceOf(f.pool)).to.equal(300n * C);
      expect(await f.pool.freeBalance()).to.equal(300n * C);
    });

    it("rejects funding of zero and funding without allowance", async function () {
      const f = await loadFixture(deployFixture);
      await expect(f.pool.connect(f.alice).fund(0n)).to.be.revertedWithCustomError(
        f.pool,
        "CompensationPoolZeroAmount",
      );
      await expect(f.pool.connect(f.alice).fund(1n))
        .to.be.revertedWithCustomError(f.c, "ERC20InsufficientAllowance")
        .withArgs(await f.pool.getAddress(), 0n, 1n);
    });

    it("takes funds while paused", async function () {
      const f = await loadFixture(deployFixture);
      await f.pool.connect(f.guardian).pause();
      await expect(f.pool.connect(f.admin).fund(1n)).to.emit(f.pool, "PoolFunded");
    });

    it("sweeps exactly the unreserved balance, never a wei of the reserved part", async function () {
      const f = await loadFixture(deployFixture);
      await f.pool.connect(f.admin).fund(10_000n * C);
      await f.c.connect(f.alice).transfer(f.pool, 5n); // a direct transfer is free balance too
      await f.pool.connect(f.alice).submitClaim(Kind.Other, 2_000n * C, EVIDENCE);
      await f.pool.connect(f.assessor).acceptClaim(1n, NOTE);
      await f.pool.connect(f.assessor).approveClaim(1n, 2_000n * C, NOTE); // reserved
      await f.pool.connect(f.admin).openIncident(id("root"), 3_000n * C, 2 ** 31, NOTE);
      const free = 10_000n * C + 5n - 5_000n * C;
      expect(await f.pool.freeBalance()).to.equal(free);
      await expect(f.pool.connect(f.admin).sweep(f.stranger, free + 1n))
        .to.be.revertedWithCustomError(f.pool, "CompensationPoolInsufficientFunds")
        .withArgs(free, free + 1n);
      await expect(f.pool.connect(f.admin).sweep(f.stranger, free))
        .to.emit(f.pool, "Swept")
        .withArgs(f.stranger.address, free);
      expect(await f.c.balanceOf(f.stranger)).to.equal(free);
      // The approved claim's 2,000 C stay in the pool; the round's 3,000 C are in its vault.
      expect(await f.c.balanceOf(f.pool)).to.equal(2_000n * C);
      expect(await f.c.balanceOf((await f.pool.getIncident(1n)).vault)).to.equal(3_000n * C);
      expect(await f.pool.reserved()).to.equal(5_000n * C);
      expect(await f.pool.freeBalance()).to.equal(0n);
    });

    it("lets only the admin sweep, to a non-zero address, a non-zero amount, also while paused", async function () {
      const f = await loadFixture(deployFixture);
      await f.pool.connect(f.admin).fund(10n * C);
      await expect(f.pool.connect(f.guardian).sweep(f.guardian, 1n))
        .to.be.revertedWithCustomError(f.pool, "AccessControlUnauthorizedAccount")
        .withArgs(f.guardian.address, DEFAULT_ADMIN_ROLE);
      await expect(f.pool.connect(f.admin).sweep(ethers.ZeroAddress, 1n)).to.be.revertedWithCustomError(
        f.pool,
        "CompensationPoolZeroAddress",
      );
      await expect(f.pool.connect(f.admin).sweep(f.admin, 0n)).to.be.revertedWithCustomError(
        f.pool,
        "CompensationPoolZeroAmount",
      );
      await f.pool.connect(f.guardian).pause();
      await expect(f.pool.connect(f.admin).sweep(f.admin, 10n * C)).to.emit(f.pool, "Swept");
    });
  });

  describe("pause", function () {
    it("lets guardians pause and unpause, emitting Paused and Unpaused", async function () {
      const f = await loadFixture(deployFixture);
      await expect(f.pool.connect(f.guardian).pause()).to.emit(f.pool, "Paused").withArgs(f.guardian.address);
      expect(await f.pool.paused()).to.equal(true);
      await expect(f.pool.connect(f.guardian).unpause()).to.emit(f.pool, "Unpaused").withArgs(f.guardian.address);
      expect(await f.pool.paused()).to.equal(false);
    });

    it("refuses to pause twice or unpause when running", async function () {
      const f = await loadFixture(deployFixture);
      await expect(f.pool.connect(f.guardian).unpause()).to.be.revertedWithCustomError(
        f.pool,
        "CompensationPoolExpectedPause",
      );
      await f.pool.connect(f.guardian).pause();
      await expect(f.pool.connect(f.guardian).pause()).to.be.revertedWithCustomError(
        f.pool,
        "CompensationPoolEnforcedPause",
      );
    });

    it("lets only guardians pause and unpause", async function () {
      const f = await loadFixture(deployFixture);
      await expect(f.pool.connect(f.admin).pause())
        .to.be.revertedWithCustomError(f.pool, "AccessControlUnauthorizedAccount")
        .withArgs(f.admin.address, GUARDIAN_ROLE);
      await f.pool.connect(f.guardian).pause();
      await expect(f.pool.connect(f.assessor).unpause())
        .to.be.revertedWithCustomError(f.pool, "AccessControlUnauthorizedAccount")
        .withArgs(f.assessor.address, GUARDIAN_ROLE);
    });

    it("keeps the claim counter and tier source intact across pause and unpause", async function () {
      const f = await loadFixture(deployFixture);
      await f.pool.connect(f.alice).submitClaim(Kind.Other, 1n * C, EVIDENCE);
      await f.pool.connect(f.guardian).pause();
      await f.pool.connect(f.guardian).unpause();
      expect(await f.pool.claimCount()).to.equal(1n);
      expect(await f.pool.tierSource()).to.equal(await f.tiers.getAddress());
      await f.pool.connect(f.alice).submitClaim(Kind.Other, 1n * C, EVIDENCE);
      expect(await f.pool.claimCount()).to.equal(2n);
    });
  });

  describe("views", function () {
    it("reports reserved as unpaid approvals plus each open round's unclaimed rest", async function () {
      const f = await loadFixture(deployFixture);
      await f.pool.connect(f.admin).fund(20_000n * C);
      await f.pool.connect(f.alice).submitClaim(Kind.Other, 1_500n * C, EVIDENCE);
      await f.pool.connect(f.assessor).acceptClaim(1n, NOTE);
      await f.pool.connect(f.assessor).approveClaim(1n, 1_500n * C, NOTE);
      await f.pool.connect(f.admin).openIncident(id("a"), 700n * C, 2 ** 31, NOTE);
      await f.pool.connect(f.admin).openIncident(id("b"), 300n * C, 2 ** 31, NOTE);
      expect(await f.pool.claimsReserved()).to.equal(1_500n * C);
      expect(await f.pool.reserved()).to.equal(2_500n * C);
      expect(await f.pool.freeBalance()).to.equal(17_500n * C);
    });
  });
});
