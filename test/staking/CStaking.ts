import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import { expect } from "chai";
import { network } from "hardhat";

import type { CStaking, MockCToken } from "../../types/ethers-contracts/index.js";

const { ethers, networkHelpers } = await network.create();
const { time } = networkHelpers;

const C = 10n ** 18n;
const WARMUP = 86_400n;
const COOLDOWN = 604_800n;
const GOVERNOR_ROLE = ethers.id("GOVERNOR_ROLE");
const DEFAULT_ADMIN_ROLE = ethers.ZeroHash;

type Row = { thresholdWholeC: number; slaFactorBps: number; discountBps: number };
const row = (thresholdWholeC: number, slaFactorBps: number, discountBps: number): Row => ({
  thresholdWholeC,
  slaFactorBps,
  discountBps,
});
const TIERS: Row[] = [row(0, 10_000, 3_000), row(1_000, 5_000, 3_000), row(10_000, 2_500, 3_500)];
/** How a Tier[] comes back from the chain (an event argument or `tiers()`). */
const asTuples = (rows: Row[]) =>
  rows.map((r) => [BigInt(r.thresholdWholeC), BigInt(r.slaFactorBps), BigInt(r.discountBps)]);

/** Timestamp of the block a transaction was mined in. */
async function minedAt(tx: { wait(): Promise<{ blockNumber: number } | null> }): Promise<bigint> {
  const receipt = await tx.wait();
  const block = await ethers.provider.getBlock(receipt!.blockNumber);
  return BigInt(block!.timestamp);
}

describe("CStaking", function () {
  async function deployFixture() {
    const [admin, alice, bob, mallory] = await ethers.getSigners();
    const c: MockCToken = await ethers.deployContract("MockCToken");
    const staking: CStaking = await ethers.deployContract("CStaking", [
      await c.getAddress(),
      admin!.address,
      WARMUP,
      COOLDOWN,
      TIERS,
    ]);
    const stakingAddress = await staking.getAddress();
    for (const who of [alice!, bob!]) {
      await c.mint(who.address, 1_000_000n * C);
      await c.connect(who).approve(stakingAddress, ethers.MaxUint256);
    }
    return { c, staking, stakingAddress, admin: admin!, alice: alice!, bob: bob!, mallory: mallory! };
  }

  /** alice stakes `amount` and the warmup passes. */
  async function warmStakeFixture() {
    const f = await deployFixture();
    await f.staking.connect(f.alice).stake(2_000n * C);
    await time.increase(WARMUP);
    return f;
  }

  // ─── Deployment ───────────────────────────────────────────────────────────────────────────

  describe("deployment", function () {
    it("records the token, the roles, the warmup, the cooldown and the tier table", async function () {
      const { c, staking, admin } = await networkHelpers.loadFixture(deployFixture);
      expect(await staking.cToken()).to.equal(await c.getAddress());
      expect(await staking.thresholdUnit()).to.equal(C);
      expect(await staking.hasRole(DEFAULT_ADMIN_ROLE, admin.address)).to.equal(true);
      expect(await staking.hasRole(GOVERNOR_ROLE, admin.address)).to.equal(true);
      expect(await staking.GOVERNOR_ROLE()).to.equal(GOVERNOR_ROLE);
      expect(await staking.warmup()).to.equal(WARMUP);
      expect(await staking.cooldown()).to.equal(COOLDOWN);
      expect(await staking.tiers()).to.deep.equal(asTuples(TIERS));
      expect(await staking.totalStake()).to.equal(0n);
    });

    it("announces its initial table, warmup and cooldown as events", async function () {
      const { c, admin } = await networkHelpers.loadFixture(deployFixture);
      const factory = await ethers.getContractFactory("CStaking");
      const staking = await factory.deploy(await c.getAddress(), admin.address, 5n, 7n, TIERS);
      const tx = staking.deploymentTransaction()!;
      await expect(tx).to.emit(staking, "TiersConfigured").withArgs(asTuples(TIERS));
      await expect(tx).to.emit(staking, "WarmupSet").withArgs(0n, 5n);
      await expect(tx).to.emit(staking, "CooldownSet").withArgs(0n, 7n);
    });

    it("refuses a zero token or admin address", async function () {
      const { c, admin, staking } = await networkHelpers.loadFixture(deployFixture);
      const factory = await ethers.getContractFactory("CStaking");
      await expect(factory.deploy(ethers.ZeroAddress, admin.address, WARMUP, COOLDOWN, TIERS))
        .to.be.revertedWithCustomError(staking, "CStakingZeroAddress")
        .withArgs();
      await expect(factory.deploy(await c.getAddress(), ethers.ZeroAddress, WARMUP, COOLDOWN, TIERS))
        .to.be.revertedWithCustomError(staking, "CStakingZeroAddress")
        .withArgs();
    });

    it("refuses a bad initial table, warmup or cooldown", async function () {
      const { c, admin, staking } = await networkHelpers.loadFixture(deployFixture);
      const factory = await ethers.getContractFactory("CStaking");
      const token = await c.getAddress();
      await expect(factory.deploy(token, admin.address, WARMUP, COOLDOWN, []))
        .to.be.revertedWithCustomError(staking, "CStakingInvalidTierCount")
        .withArgs(0n, 8n);
      await expect(factory.deploy(token, admin.address, 365n * 86_400n + 1n, COOLDOWN, TIERS))
        .to.be.revertedWithCustomError(staking, "CStakingWarmupTooLong")
        .withArgs(365n * 86_400n + 1n, 365n * 86_400n);
      await expect(factory.deploy(token, admin.address, WARMUP, 365n * 86_400n + 1n, TIERS))
        .to.be.revertedWithCustomError(staking, "CStakingCooldownTooLong")
        .withArgs(365n * 86_400n + 1n, 365n * 86_400n);
    });

    it("runs an ERC-6372 timestamp clock", async function () {
      const { staking } = await networkHelpers.loadFixture(deployFixture);
      expect(await staking.CLOCK_MODE()).to.equal("mode=timestamp");
      expect(await staking.clock()).to.equal(BigInt(await time.latest()));
    });

    it("declares ITierSource, ERC-6372 and AccessControl through ERC-165", async function () {
      const { staking } = await networkHelpers.loadFixture(deployFixture);
      const tierSource = ethers.Interface.from([
        "function tierOf(address) view returns (uint8)",
        "function tierTermsOf(address) view returns (uint8, uint16, uint16)",
      ]);
      const erc6372 = ethers.Interface.from([
        "function clock() view returns (uint48)",
        "function CLOCK_MODE() view returns (string)",
      ]);
      const interfaceId = (iface: typeof tierSource) => {
        let id = 0n;
        iface.forEachFunction((f) => (id ^= BigInt(f.selector)));
        return ethers.toBeHex(id, 4);
      };
      expect(await staking.supportsInterface(interfaceId(tierSource))).to.equal(true);
      expect(await staking.supportsInterface(interfaceId(erc6372))).to.equal(true);
      expect(await staking.supportsInterface("0x7965db0b")).to.equal(true); // IAccessControl
      expect(await staking.supportsInterface("0x01ffc9a7")).to.equal(true); // IERC165
      expect(await staking.supportsInterface("0xffffffff")).to.equal(false);
    });
  });

  // ─── stake ────────────────────────────────────────────────────────────────────────────────

  describe("stake", function () {
    it("takes the C, raises the account's and the total stake, and emits Staked", async function () {
      const { c, staking, stakingAddress, alice } = await networkHelpers.loadFixture(deployFixture);
      const tx = staking.connect(alice).stake(300n * C);
      await expect(tx)
        .to.emit(staking, "Staked")
        .withArgs(alice.address, 300n * C, 300n * C);
      await expect(tx).to.changeTokenBalances(ethers, c, [alice, stakingAddress], [-300n * C, 300n * C]);
      expect(await staking.stakeOf(alice.address)).to.equal(300n * C);
      expect(await staking.totalStake()).to.equal(300n * C);
    });

    it("adds a second stake to the first and keeps the total across accounts", async function () {
      const { staking, alice, bob } = await networkHelpers.loadFixture(deployFixture);
      await staking.connect(alice).stake(300n * C);
      await expect(staking.connect(alice).stake(50n * C))
        .to.emit(staking, "Staked")
        .withArgs(alice.address, 50n * C, 350n * C);
      await staking.connect(bob).stake(7n);
      expect(await staking.stakeOf(alice.address)).to.equal(350n * C);
      expect(await staking.stakeOf(bob.address)).to.equal(7n);
      expect(await staking.totalStake()).to.equal(350n * C + 7n);
    });

    it("rejects a zero amount", async function () {
      const { staking, alice } = await networkHelpers.loadFixture(deployFixture);
      await expect(staking.connect(alice).stake(0n))
        .to.be.revertedWithCustomError(staking, "CStakingZeroAmount")
        .withArgs();
    });

    it("fails with the token's error when the allowance is short", async function () {
      const { c, staking, stakingAddress, mallory } = await networkHelpers.loadFixture(deployFixture);
      await c.mint(mallory.address, 10n * C);
      await c.connect(mallory).approve(stakingAddress, 4n * C);
      await expect(staking.connect(mallory).stake(5n * C))
        .to.be.revertedWithCustomError(c, "ERC20InsufficientAllowance")
        .withArgs(stakingAddress, 4n * C, 5n * C);
    });

    it("refuses a stake whose new total does not fit 208 bits", async function () {
      const { c, staking, mallory, stakingAddress } = await networkHelpers.loadFixture(deployFixture);
      const tooMuch = 2n ** 208n;
      await c.mint(mallory.address, tooMuch);
      await c.connect(mallory).approve(stakingAddress, tooMuch);
      await expect(staking.connect(mallory).stake(tooMuch))
        .to.be.revertedWithCustomError(staking, "SafeCastOverflowedUintDowncast")
        .withArgs(208n, tooMuch);
    });

    it("checkpoints each change, readable afterwards with stakeAt and totalStakeAt", async function () {
      const { staking, alice, bob } = await networkHelpers.loadFixture(deployFixture);
      const t1 = await minedAt(await staking.connect(alice).stake(100n));
      const t2 = await minedAt(await staking.connect(bob).stake(40n));
      const t3 = await minedAt(await staking.connect(alice).unstake(30n));
      await time.increase(1);
      expect(await staking.stakeAt(alice.address, t1 - 1n)).to.equal(0n);
      expect(await staking.stakeAt(alice.address, t1)).to.equal(100n);
      expect(await staking.stakeAt(alice.address, t3 - 1n)).to.equal(100n);
      expect(await staking.stakeAt(alice.address, t3)).to.equal(70n);
      expect(await staking.stakeAt(bob.address, t2)).to.equal(40n);
      expect(await staking.totalStakeAt(t1)).to.equal(100n);
      expect(await staking.totalStakeAt(t2)).to.equal(140n);
      expect(await staking.totalStakeAt(t3)).to.equal(110n);
    });

    it("refuses stakeAt and totalStakeAt for the current second or later", async function () {
      const { staking, alice } = await networkHelpers.loadFixture(deployFixture);
      const now = BigInt(await time.latest());
      await expect(staking.stakeAt(alice.address, now))
        .to.be.revertedWithCustomError(staking, "CStakingFutureLookup")
        .withArgs(now, now);
      await expect(staking.totalStakeAt(now + 10n))
        .to.be.revertedWithCustomError(staking, "CStakingFutureLookup")
        .withArgs(now + 10n, now);
      expect(await staking.totalStakeAt(now - 1n)).to.equal(0n);
    });
  });

  // ─── stakeWithPermit ──────────────────────────────────────────────────────────────────────

  describe("stakeWithPermit", function () {
    async function permitFixture() {
      const f = await deployFixture();
      const { c, mallory, stakingAddress } = f;
      await c.mint(mallory.address, 1_000n * C); // mallory has C but never approved
      const [, name, version, chainId, verifyingContract] = await c.eip712Domain();
      const domain = { name, version, chainId, verifyingContract };
      const types = {
        Permit: [
          { name: "owner", type: "address" },
          { name: "spender", type: "address" },
          { name: "value", type: "uint256" },
          { name: "nonce", type: "uint256" },
          { name: "deadline", type: "uint256" },
        ],
      };
      async function sign(value: bigint, deadline: bigint, signer = mallory, owner = signer.address) {
        const nonce = await c.nonces(owner);
        const signature = await signer.signTypedData(domain, types, {
          owner,
          spender: stakingAddress,
          value,
          nonce,
          deadline,
        });
        return ethers.Signature.from(signature);
      }
      return { ...f, sign };
    }

    it("stakes in one transaction from a signed permit", async function () {
      const { c, staking, stakingAddress, mallory, sign } = await networkHelpers.loadFixture(permitFixture);
      const deadline = BigInt(await time.latest()) + 3_600n;
      const { v, r, s } = await sign(200n * C, deadline);
      const tx = staking.connect(mallory).stakeWithPermit(200n * C, deadline, v, r, s);
      await expect(tx)
        .to.emit(staking, "Staked")
        .withArgs(mallory.address, 200n * C, 200n * C);
      await expect(tx).to.changeTokenBalances(ethers, c, [mallory, stakingAddress], [-200n * C, 200n * C]);
      expect(await c.nonces(mallory.address)).to.equal(1n);
      expect(await c.allowance(mallory.address, stakingAddress)).to.equal(0n);
    });

    it("goes ahead when someone front-ran the permit, as the allowance is in place", async function () {
      const { c, staking, stakingAddress, mallory, bob, sign } = await networkHelpers.loadFixture(permitFixture);
      const deadline = BigInt(await time.latest()) + 3_600n;
      const { v, r, s } = await sign(200n * C, deadline);
      // bob copies the permit from the mempool and submits it first
      await c.connect(bob).permit(mallory.address, stakingAddress, 200n * C, deadline, v, r, s);
      expect(await c.allowance(mallory.address, stakingAddress)).to.equal(200n * C);
      await expect(staking.connect(mallory).stakeWithPermit(200n * C, deadline, v, r, s))
        .to.emit(staking, "Staked")
        .withArgs(mallory.address, 200n * C, 200n * C);
      expect(await staking.stakeOf(mallory.address)).to.equal(200n * C);
    });

    it("re-raises the permit's error for an expired permit when no allowance covers the amount", async function () {
      const { c, staking, mallory, sign } = await networkHelpers.loadFixture(permitFixture);
      const deadline = BigInt(await time.latest()) + 10n;
      const { v, r, s } = await sign(200n * C, deadline);
      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(staking.connect(mallory).stakeWithPermit(200n * C, deadline, v, r, s))
        .to.be.revertedWithCustomError(c, "ERC2612ExpiredSignature")
        .withArgs(deadline);
    });

    it("re-raises the permit's error for a permit signed by someone else", async function () {
      const { c, staking, mallory, bob, sign } = await networkHelpers.loadFixture(permitFixture);
      const deadline = BigInt(await time.latest()) + 3_600n;
      const { v, r, s } = await sign(200n * C, deadline, bob, mallory.address); // bob signs for mallory's C
      await expect(staking.connect(mallory).stakeWithPermit(200n * C, deadline, v, r, s))
        .to.be.revertedWithCustomError(c, "ERC2612InvalidSigner")
        .withArgs(bob.address, mallory.address);
    });

    it("re-raises the permit's error when a front-run permit's allowance was already spent", async function () {
      const { c, staking, stakingAddress, mallory, bob, sign } = await networkHelpers.loadFixture(permitFixture);
      const deadline = BigInt(await time.latest()) + 3_600n;
      const { v, r, s } = await sign(200n * C, deadline);
      await c.connect(bob).permit(mallory.address, stakingAddress, 200n * C, deadline, v, r, s);
      await staking.connect(mallory).stake(150n * C); // uses 150 of the 200 allowed
      const nonce = await c.nonces(mallory.address);
      // The replayed signature now recovers to some other address: the token says so.
      await expect(staking.connect(mallory).stakeWithPermit(200n * C, deadline, v, r, s))
        .to.be.revertedWithCustomError(c, "ERC2612InvalidSigner")
        .withArgs(anyValue, mallory.address);
      expect(nonce).to.equal(1n);
      expect(await staking.stakeOf(mallory.address)).to.equal(150n * C);
    });

    it("ignores an expired permit when an earlier approval covers the amount", async function () {
      const { c, staking, stakingAddress, alice } = await networkHelpers.loadFixture(permitFixture);
      const deadline = BigInt(await time.latest()) - 1n;
      const bogus = ethers.Signature.from({ r: ethers.ZeroHash.replace(/0$/, "1"), s: ethers.ZeroHash, v: 27 });
      expect(await c.allowance(alice.address, stakingAddress)).to.equal(ethers.MaxUint256);
      await expect(staking.connect(alice).stakeWithPermit(5n * C, deadline, bogus.v, bogus.r, bogus.s))
        .to.emit(staking, "Staked")
        .withArgs(alice.address, 5n * C, 5n * C);
    });

    it("rejects a zero amount before touching the permit", async function () {
      const { c, staking, mallory, sign } = await networkHelpers.loadFixture(permitFixture);
      const deadline = BigInt(await time.latest()) + 3_600n;
      const { v, r, s } = await sign(0n, deadline);
      await expect(staking.connect(mallory).stakeWithPermit(0n, deadline, v, r, s))
        .to.be.revertedWithCustomError(staking, "CStakingZeroAmount")
        .withArgs();
      expect(await c.nonces(mallory.address)).to.equal(0n);
    });
  });

  // ─── unstake ──────────────────────────────────────────────────────────────────────────────

  describe("unstake", function () {
    it("lowers the stake at once, queues the amount until now + cooldown and emits UnstakeRequested", async function () {
      const { staking, alice } = await networkHelpers.loadFixture(warmStakeFixture);
      const at = BigInt(await time.latest()) + 5n;
      await time.setNextBlockTimestamp(at);
      await expect(staking.connect(alice).unstake(500n * C))
        .to.emit(staking, "UnstakeRequested")
        .withArgs(alice.address, 0n, 500n * C, 1_500n * C, at + COOLDOWN);
      expect(await staking.stakeOf(alice.address)).to.equal(1_500n * C);
      expect(await staking.totalStake()).to.equal(1_500n * C);
      expect(await staking.unstakeQueueOf(alice.address)).to.deep.equal([0n, 1n, at + COOLDOWN]);
      expect(await staking.unstakeRequestOf(alice.address, 0n)).to.deep.equal([500n * C, at + COOLDOWN]);
      expect(await staking.pendingWithdrawalsOf(alice.address)).to.deep.equal([500n * C, 0n]);
    });

    it("drops the tier in the same second", async function () {
      const { staking, alice } = await networkHelpers.loadFixture(warmStakeFixture);
      expect(await staking.tierOf(alice.address)).to.equal(1n);
      const tx = await staking.connect(alice).unstake(1_000n * C + 1n);
      const receipt = await tx.wait();
      expect(await staking.tierOf(alice.address, { blockTag: receipt!.blockNumber })).to.equal(0n);
      expect(await staking.effectiveStakeOf(alice.address)).to.equal(1_000n * C - 1n);
    });

    it("can unstake everything", async function () {
      const { staking, alice } = await networkHelpers.loadFixture(warmStakeFixture);
      await expect(staking.connect(alice).unstake(2_000n * C))
        .to.emit(staking, "UnstakeRequested")
        .withArgs(alice.address, 0n, 2_000n * C, 0n, (v: bigint) => v > 0n);
      expect(await staking.stakeOf(alice.address)).to.equal(0n);
    });

    it("rejects a zero amount", async function () {
      const { staking, alice } = await networkHelpers.loadFixture(warmStakeFixture);
      await expect(staking.connect(alice).unstake(0n))
        .to.be.revertedWithCustomError(staking, "CStakingZeroAmount")
        .withArgs();
    });

    it("rejects more than the stake, naming both", async function () {
      const { staking, alice, bob } = await networkHelpers.loadFixture(warmStakeFixture);
      await expect(staking.connect(alice).unstake(2_000n * C + 1n))
        .to.be.revertedWithCustomError(staking, "CStakingInsufficientStake")
        .withArgs(2_000n * C, 2_000n * C + 1n);
      await expect(staking.connect(bob).unstake(1n))
        .to.be.revertedWithCustomError(staking, "CStakingInsufficientStake")
        .withArgs(0n, 1n);
    });

    it("keeps several pending requests, each with its own id, amount and release time", async function () {
      const { staking, alice } = await networkHelpers.loadFixture(warmStakeFixture);
      const t0 = await minedAt(await staking.connect(alice).unstake(100n));
      await time.increase(10);
      const t1 = await minedAt(await staking.connect(alice).unstake(200n));
      const t2 = await minedAt(await staking.connect(alice).unstake(300n));
      expect(await staking.unstakeQueueOf(alice.address)).to.deep.equal([0n, 3n, t2 + COOLDOWN]);
      expect(await staking.unstakeRequestOf(alice.address, 0n)).to.deep.equal([100n, t0 + COOLDOWN]);
      expect(await staking.unstakeRequestOf(alice.address, 1n)).to.deep.equal([200n, t1 + COOLDOWN]);
      expect(await staking.unstakeRequestOf(alice.address, 2n)).to.deep.equal([300n, t2 + COOLDOWN]);
      expect(await staking.unstakeRequestOf(alice.address, 3n)).to.deep.equal([0n, 0n]);
      expect(await staking.pendingWithdrawalsOf(alice.address)).to.deep.equal([600n, 0n]);
    });

    it("never lets a later request mature before an earlier one, even after a cooldown cut", async function () {
      const { staking, admin, alice } = await networkHelpers.loadFixture(warmStakeFixture);
      const t0 = await minedAt(await staking.connect(alice).unstake(100n));
      await staking.connect(admin).setCooldown(60n);
      const at = t0 + 100n;
      await time.setNextBlockTimestamp(at);
      // now + 60 s would be long before the first request's release: it waits for it instead
      await expect(staking.connect(alice).unstake(50n))
        .to.emit(staking, "UnstakeRequested")
        .withArgs(alice.address, 1n, 50n, 2_000n * C - 150n, t0 + COOLDOWN);
      // once the queue is clear the cut applies in full
      await time.increaseTo(t0 + COOLDOWN);
      await staking.connect(alice).withdraw();
      const t2 = await minedAt(await staking.connect(alice).unstake(25n));
      expect(await staking.unstakeRequestOf(alice.address, 2n)).to.deep.equal([25n, t2 + 60n]);
    });

    it("gives later requests the longer release time after a cooldown rise", async function () {
      const { staking, admin, alice } = await networkHelpers.loadFixture(warmStakeFixture);
      const t0 = await minedAt(await staking.connect(alice).unstake(100n));
      await staking.connect(admin).setCooldown(2n * COOLDOWN);
      const t1 = await minedAt(await staking.connect(alice).unstake(100n));
      expect(await staking.unstakeRequestOf(alice.address, 0n)).to.deep.equal([100n, t0 + COOLDOWN]);
      expect(await staking.unstakeRequestOf(alice.address, 1n)).to.deep.equal([100n, t1 + 2n * COOLDOWN]);
    });
  });

  // ─── withdraw ─────────────────────────────────────────────────────────────────────────────

  describe("withdraw", function () {
    async function oneRequestFixture() {
      const f = await warmStakeFixture();
      const requestedAt = await minedAt(await f.staking.connect(f.alice).unstake(400n * C));
      return { ...f, releaseAt: requestedAt + COOLDOWN };
    }

    it("refuses one second before the release time, naming it", async function () {
      const { staking, alice, releaseAt } = await networkHelpers.loadFixture(oneRequestFixture);
      await time.setNextBlockTimestamp(releaseAt - 1n);
      await expect(staking.connect(alice).withdraw())
        .to.be.revertedWithCustomError(staking, "CStakingNothingToWithdraw")
        .withArgs(releaseAt);
    });

    it("pays at exactly the release time and emits Withdrawn with the settled request", async function () {
      const { c, staking, stakingAddress, alice, releaseAt } = await networkHelpers.loadFixture(oneRequestFixture);
      await time.setNextBlockTimestamp(releaseAt);
      const tx = staking.connect(alice).withdraw();
      await expect(tx)
        .to.emit(staking, "Withdrawn")
        .withArgs(alice.address, 400n * C, 0n, 0n);
      await expect(tx).to.changeTokenBalances(ethers, c, [alice, stakingAddress], [400n * C, -400n * C]);
      expect(await staking.unstakeQueueOf(alice.address)).to.deep.equal([1n, 1n, releaseAt]);
      expect(await staking.unstakeRequestOf(alice.address, 0n)).to.deep.equal([0n, 0n]);
      expect(await staking.pendingWithdrawalsOf(alice.address)).to.deep.equal([0n, 0n]);
      // the stake itself was not touched by the withdrawal
      expect(await staking.stakeOf(alice.address)).to.equal(1_600n * C);
    });

    it("pays one second after the release time", async function () {
      const { staking, alice, releaseAt } = await networkHelpers.loadFixture(oneRequestFixture);
      await time.setNextBlockTimestamp(releaseAt + 1n);
      await expect(staking.connect(alice).withdraw())
        .to.emit(staking, "Withdrawn")
        .withArgs(alice.address, 400n * C, 0n, 0n);
    });

    it("refuses a second withdrawal of the same request", async function () {
      const { staking, alice, releaseAt } = await networkHelpers.loadFixture(oneRequestFixture);
      await time.setNextBlockTimestamp(releaseAt);
      await staking.connect(alice).withdraw();
      await expect(staking.connect(alice).withdraw())
        .to.be.revertedWithCustomError(staking, "CStakingNothingToWithdraw")
        .withArgs(0n);
    });

    it("refuses an account that never unstaked, with release time 0", async function () {
      const { staking, bob } = await networkHelpers.loadFixture(oneRequestFixture);
      await expect(staking.connect(bob).withdraw())
        .to.be.revertedWithCustomError(staking, "CStakingNothingToWithdraw")
        .withArgs(0n);
    });

    it("pays every matured request in one call and leaves the others queued", async function () {
      const { c, staking, alice } = await networkHelpers.loadFixture(warmStakeFixture);
      const t0 = await minedAt(await staking.connect(alice).unstake(1n * C));
      await minedAt(await staking.connect(alice).unstake(2n * C));
      await time.increase(100);
      const t2 = await minedAt(await staking.connect(alice).unstake(4n * C));
      await time.increaseTo(t2 + COOLDOWN - 2n); // requests 0 and 1 have matured, 2 has not
      expect(await staking.pendingWithdrawalsOf(alice.address)).to.deep.equal([7n * C, 3n * C]);
      const before = await c.balanceOf(alice.address);
      await time.setNextBlockTimestamp(t2 + COOLDOWN - 1n);
      await expect(staking.connect(alice).withdraw())
        .to.emit(staking, "Withdrawn")
        .withArgs(alice.address, 3n * C, 0n, 1n);
      expect((await c.balanceOf(alice.address)) - before).to.equal(3n * C);
      expect(await staking.unstakeQueueOf(alice.address)).to.deep.equal([2n, 3n, t2 + COOLDOWN]);
      expect(await staking.pendingWithdrawalsOf(alice.address)).to.deep.equal([4n * C, 0n]);
      await time.setNextBlockTimestamp(t2 + COOLDOWN);
      await expect(staking.connect(alice).withdraw())
        .to.emit(staking, "Withdrawn")
        .withArgs(alice.address, 4n * C, 2n, 2n);
      expect(t0).to.be.lessThan(t2);
    });

    it("settles at most maxRequests with withdrawUpTo", async function () {
      const { staking, alice } = await networkHelpers.loadFixture(warmStakeFixture);
      for (const amount of [1n, 2n, 4n]) await staking.connect(alice).unstake(amount);
      await time.increase(COOLDOWN);
      await expect(staking.connect(alice).withdrawUpTo(2n))
        .to.emit(staking, "Withdrawn")
        .withArgs(alice.address, 3n, 0n, 1n);
      await expect(staking.connect(alice).withdrawUpTo(ethers.MaxUint256))
        .to.emit(staking, "Withdrawn")
        .withArgs(alice.address, 4n, 2n, 2n);
    });

    it("rejects withdrawUpTo(0)", async function () {
      const { staking, alice } = await networkHelpers.loadFixture(warmStakeFixture);
      await expect(staking.connect(alice).withdrawUpTo(0n))
        .to.be.revertedWithCustomError(staking, "CStakingZeroMaxRequests")
        .withArgs();
    });

    it("settles at most MAX_WITHDRAW_REQUESTS per withdraw(), the rest on the next call", async function () {
      const { staking, alice } = await networkHelpers.loadFixture(warmStakeFixture);
      const max = await staking.MAX_WITHDRAW_REQUESTS();
      expect(max).to.equal(100n);
      for (let i = 0n; i <= max; i++) await staking.connect(alice).unstake(1n);
      await time.increase(COOLDOWN);
      await expect(staking.connect(alice).withdraw())
        .to.emit(staking, "Withdrawn")
        .withArgs(alice.address, max, 0n, max - 1n);
      await expect(staking.connect(alice).withdraw())
        .to.emit(staking, "Withdrawn")
        .withArgs(alice.address, 1n, max, max);
    });

    it("keeps accounts' queues apart", async function () {
      const { staking, alice, bob } = await networkHelpers.loadFixture(warmStakeFixture);
      await staking.connect(bob).stake(10n);
      await staking.connect(alice).unstake(3n);
      await staking.connect(bob).unstake(5n);
      await time.increase(COOLDOWN);
      await expect(staking.connect(bob).withdraw()).to.emit(staking, "Withdrawn").withArgs(bob.address, 5n, 0n, 0n);
      expect(await staking.pendingWithdrawalsOf(alice.address)).to.deep.equal([3n, 3n]);
    });
  });

  // ─── Tiers and effective stake ────────────────────────────────────────────────────────────

  describe("tiers", function () {
    it("gives a fresh stake nothing in its own second (flash stake) and counts it only after the warmup", async function () {
      const { staking, alice } = await networkHelpers.loadFixture(deployFixture);
      const t = BigInt(await time.latest()) + 1n;
      await time.setNextBlockTimestamp(t);
      const receipt = await (await staking.connect(alice).stake(20_000n * C)).wait();
      const atStake = { blockTag: receipt!.blockNumber };
      expect(await staking.tierOf(alice.address, atStake)).to.equal(0n);
      expect(await staking.tierTermsOf(alice.address, atStake)).to.deep.equal([0n, 10_000n, 3_000n]);
      expect(await staking.effectiveStakeOf(alice.address, atStake)).to.equal(0n);

      await time.increaseTo(t + WARMUP - 1n);
      expect(await staking.tierOf(alice.address)).to.equal(0n);
      expect(await staking.effectiveStakeOf(alice.address)).to.equal(0n);

      await time.increaseTo(t + WARMUP);
      expect(await staking.tierOf(alice.address)).to.equal(2n);
      expect(await staking.tierTermsOf(alice.address)).to.deep.equal([2n, 2_500n, 3_500n]);
      expect(await staking.effectiveStakeOf(alice.address)).to.equal(20_000n * C);
    });

    it("counts a top-up only after its own warmup, the earlier stake all along", async function () {
      const { staking, alice } = await networkHelpers.loadFixture(warmStakeFixture);
      expect(await staking.tierOf(alice.address)).to.equal(1n);
      const t = await minedAt(await staking.connect(alice).stake(8_000n * C));
      expect(await staking.tierOf(alice.address)).to.equal(1n);
      expect(await staking.effectiveStakeOf(alice.address)).to.equal(2_000n * C);
      await time.increaseTo(t + WARMUP - 1n);
      expect(await staking.tierOf(alice.address)).to.equal(1n);
      await time.increaseTo(t + WARMUP);
      expect(await staking.tierOf(alice.address)).to.equal(2n);
    });

    it("takes the lower of the stake now and a warmup ago, so a drop counts at once and a rise late", async function () {
      const { staking, alice } = await networkHelpers.loadFixture(warmStakeFixture);
      const t1 = await minedAt(await staking.connect(alice).unstake(1_500n * C)); // 500 now, 2,000 a warmup ago
      expect(await staking.effectiveStakeOf(alice.address)).to.equal(500n * C);
      const t2 = await minedAt(await staking.connect(alice).stake(1_000n * C)); // 1,500 now, 2,000 a warmup ago
      expect(await staking.effectiveStakeOf(alice.address)).to.equal(1_500n * C);
      expect(await staking.tierOf(alice.address)).to.equal(1n);
      await time.increaseTo(t1 + WARMUP); // 1,500 now, 500 a warmup ago
      expect(await staking.effectiveStakeOf(alice.address)).to.equal(500n * C);
      expect(await staking.tierOf(alice.address)).to.equal(0n);
      await time.increaseTo(t2 + WARMUP); // 1,500 now and a warmup ago
      expect(await staking.effectiveStakeOf(alice.address)).to.equal(1_500n * C);
      expect(await staking.tierOf(alice.address)).to.equal(1n);
    });

    it("puts a stake exactly at a threshold in that tier and one base unit less in the tier below", async function () {
      const { staking } = await networkHelpers.loadFixture(deployFixture);
      expect(await staking.termsForStake(0n)).to.deep.equal([0n, 10_000n, 3_000n]);
      expect(await staking.termsForStake(1_000n * C - 1n)).to.deep.equal([0n, 10_000n, 3_000n]);
      expect(await staking.termsForStake(1_000n * C)).to.deep.equal([1n, 5_000n, 3_000n]);
      expect(await staking.termsForStake(10_000n * C - 1n)).to.deep.equal([1n, 5_000n, 3_000n]);
      expect(await staking.termsForStake(10_000n * C)).to.deep.equal([2n, 2_500n, 3_500n]);
      expect(await staking.termsForStake(ethers.MaxUint256)).to.deep.equal([2n, 2_500n, 3_500n]);
    });

    it("reports tier 0 with Standard terms for an account that never staked", async function () {
      const { staking, mallory } = await networkHelpers.loadFixture(deployFixture);
      expect(await staking.tierOf(mallory.address)).to.equal(0n);
      expect(await staking.tierTermsOf(mallory.address)).to.deep.equal([0n, 10_000n, 3_000n]);
    });

    it("applies a warmup change to every account at once", async function () {
      const { staking, admin, alice, bob } = await networkHelpers.loadFixture(warmStakeFixture);
      await staking.connect(bob).stake(1_000n * C);
      expect(await staking.tierOf(bob.address)).to.equal(0n);
      await staking.connect(admin).setWarmup(0n);
      expect(await staking.tierOf(bob.address)).to.equal(1n);
      await staking.connect(admin).setWarmup(10n * WARMUP);
      expect(await staking.tierOf(alice.address)).to.equal(0n);
      expect(await staking.tierOf(bob.address)).to.equal(0n);
    });
  });

  // ─── Governance ───────────────────────────────────────────────────────────────────────────

  describe("governance", function () {
    it("replaces the tier table, emits it whole and re-tiers accounts at once", async function () {
      const { staking, admin, alice } = await networkHelpers.loadFixture(warmStakeFixture);
      const table = [row(0, 9_000, 0), row(500, 8_000, 100), row(2_000, 1, 5_000)];
      await expect(staking.connect(admin).configureTiers(table))
        .to.emit(staking, "TiersConfigured")
        .withArgs(asTuples(table));
      expect(await staking.tiers()).to.deep.equal(asTuples(table));
      expect(await staking.tierTermsOf(alice.address)).to.deep.equal([2n, 1n, 5_000n]);
    });

    it("accepts the largest table and the boundary values", async function () {
      const { staking, admin } = await networkHelpers.loadFixture(deployFixture);
      const table = [0, 1, 2, 3, 4, 5, 6, 2 ** 32 - 1].map((t, i) => row(t, i === 0 ? 10_000 : 10_000 - i, 5_000));
      await staking.connect(admin).configureTiers(table);
      expect(await staking.tiers()).to.deep.equal(asTuples(table));
      expect((await staking.termsForStake(6n * C))[0]).to.equal(6n);
      expect((await staking.termsForStake((2n ** 32n - 1n) * C - 1n))[0]).to.equal(6n);
      expect((await staking.termsForStake((2n ** 32n - 1n) * C))[0]).to.equal(7n);
    });

    it("forgets rows beyond a shorter new table", async function () {
      const { staking, admin, alice } = await networkHelpers.loadFixture(warmStakeFixture);
      const single = [row(0, 10_000, 0)];
      await staking.connect(admin).configureTiers(single);
      expect(await staking.tiers()).to.deep.equal(asTuples(single));
      expect(await staking.tierTermsOf(alice.address)).to.deep.equal([0n, 10_000n, 0n]);
      expect(await staking.termsForStake(ethers.MaxUint256)).to.deep.equal([0n, 10_000n, 0n]);
    });

    it("keeps the warmup when the table changes and the table when the warmup changes", async function () {
      const { staking, admin } = await networkHelpers.loadFixture(deployFixture);
      const table = [row(0, 10_000, 0), row(7, 5_000, 0)];
      await staking.connect(admin).configureTiers(table);
      expect(await staking.warmup()).to.equal(WARMUP);
      await staking.connect(admin).setWarmup(365n * 86_400n);
      expect(await staking.tiers()).to.deep.equal(asTuples(table));
      expect(await staking.warmup()).to.equal(365n * 86_400n);
    });

    const badTables: { what: string; table: Row[]; error: string; args: bigint[] }[] = [
      { what: "an empty table", table: [], error: "CStakingInvalidTierCount", args: [0n, 8n] },
      {
        what: "more than eight rows",
        table: [0, 1, 2, 3, 4, 5, 6, 7, 8].map((t) => row(t, 10_000, 0)),
        error: "CStakingInvalidTierCount",
        args: [9n, 8n],
      },
      {
        what: "a first threshold above zero",
        table: [row(5, 10_000, 0), row(6, 5_000, 0)],
        error: "CStakingFirstThresholdNotZero",
        args: [5n],
      },
      {
        what: "a repeated threshold",
        table: [row(0, 10_000, 0), row(100, 5_000, 0), row(100, 2_500, 0)],
        error: "CStakingThresholdNotIncreasing",
        args: [2n, 100n, 100n],
      },
      {
        what: "a falling threshold",
        table: [row(0, 10_000, 0), row(100, 5_000, 0), row(99, 2_500, 0)],
        error: "CStakingThresholdNotIncreasing",
        args: [2n, 100n, 99n],
      },
      {
        what: "a second row at threshold zero",
        table: [row(0, 10_000, 0), row(0, 5_000, 0)],
        error: "CStakingThresholdNotIncreasing",
        args: [1n, 0n, 0n],
      },
      {
        what: "an SLA factor of zero",
        table: [row(0, 10_000, 0), row(100, 0, 0)],
        error: "CStakingInvalidSlaFactor",
        args: [1n, 0n],
      },
      {
        what: "an SLA factor above 10,000 bps",
        table: [row(0, 10_001, 0)],
        error: "CStakingInvalidSlaFactor",
        args: [0n, 10_001n],
      },
      {
        what: "a discount above 50%",
        table: [row(0, 10_000, 0), row(100, 5_000, 5_001)],
        error: "CStakingDiscountTooHigh",
        args: [1n, 5_001n, 5_000n],
      },
    ];
    for (const { what, table, error, args } of badTables) {
      it(`rejects ${what} with ${error}`, async function () {
        const { staking, admin } = await networkHelpers.loadFixture(deployFixture);
        await expect(staking.connect(admin).configureTiers(table))
          .to.be.revertedWithCustomError(staking, error)
          .withArgs(...args);
      });
    }

    it("sets the warmup up to the cap, evented with old and new values", async function () {
      const { staking, admin } = await networkHelpers.loadFixture(deployFixture);
      const max = await staking.MAX_WARMUP();
      expect(max).to.equal(365n * 86_400n);
      await expect(staking.connect(admin).setWarmup(max)).to.emit(staking, "WarmupSet").withArgs(WARMUP, max);
      expect(await staking.warmup()).to.equal(max);
      await expect(staking.connect(admin).setWarmup(max + 1n))
        .to.be.revertedWithCustomError(staking, "CStakingWarmupTooLong")
        .withArgs(max + 1n, max);
      await expect(staking.connect(admin).setWarmup(0n)).to.emit(staking, "WarmupSet").withArgs(max, 0n);
    });

    it("sets the cooldown up to the cap, evented with old and new values", async function () {
      const { staking, admin } = await networkHelpers.loadFixture(deployFixture);
      const max = await staking.MAX_COOLDOWN();
      expect(max).to.equal(365n * 86_400n);
      await expect(staking.connect(admin).setCooldown(max)).to.emit(staking, "CooldownSet").withArgs(COOLDOWN, max);
      expect(await staking.cooldown()).to.equal(max);
      await expect(staking.connect(admin).setCooldown(max + 1n))
        .to.be.revertedWithCustomError(staking, "CStakingCooldownTooLong")
        .withArgs(max + 1n, max);
      await expect(staking.connect(admin).setCooldown(0n)).to.emit(staking, "CooldownSet").withArgs(max, 0n);
    });

    it("lets a cooldown of zero make an unstake withdrawable in the same second", async function () {
      const { staking, admin, alice } = await networkHelpers.loadFixture(warmStakeFixture);
      await staking.connect(admin).setCooldown(0n);
      const t = await minedAt(await staking.connect(alice).unstake(5n));
      expect(await staking.unstakeRequestOf(alice.address, 0n)).to.deep.equal([5n, t]);
      await expect(staking.connect(alice).withdraw()).to.emit(staking, "Withdrawn").withArgs(alice.address, 5n, 0n, 0n);
    });

    it("refuses governance calls from an account without GOVERNOR_ROLE", async function () {
      const { staking, mallory } = await networkHelpers.loadFixture(deployFixture);
      await expect(staking.connect(mallory).configureTiers(TIERS))
        .to.be.revertedWithCustomError(staking, "AccessControlUnauthorizedAccount")
        .withArgs(mallory.address, GOVERNOR_ROLE);
      await expect(staking.connect(mallory).setWarmup(1n))
        .to.be.revertedWithCustomError(staking, "AccessControlUnauthorizedAccount")
        .withArgs(mallory.address, GOVERNOR_ROLE);
      await expect(staking.connect(mallory).setCooldown(1n))
        .to.be.revertedWithCustomError(staking, "AccessControlUnauthorizedAccount")
        .withArgs(mallory.address, GOVERNOR_ROLE);
      await expect(staking.connect(mallory).grantRole(GOVERNOR_ROLE, mallory.address))
        .to.be.revertedWithCustomError(staking, "AccessControlUnauthorizedAccount")
        .withArgs(mallory.address, DEFAULT_ADMIN_ROLE);
    });

    it("lets the admin hand GOVERNOR_ROLE to another account and take it back", async function () {
      const { staking, admin, bob } = await networkHelpers.loadFixture(deployFixture);
      await staking.connect(admin).grantRole(GOVERNOR_ROLE, bob.address);
      await expect(staking.connect(bob).setWarmup(1n)).to.emit(staking, "WarmupSet").withArgs(WARMUP, 1n);
      await staking.connect(admin).revokeRole(GOVERNOR_ROLE, bob.address);
      await expect(staking.connect(bob).setWarmup(2n))
        .to.be.revertedWithCustomError(staking, "AccessControlUnauthorizedAccount")
        .withArgs(bob.address, GOVERNOR_ROLE);
    });
  });
});
