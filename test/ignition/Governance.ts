/**
 * Governance of a real-network station (the `Station` Ignition module): every admin and
 * parameter role sits behind an OpenZeppelin TimelockController; the guardian's pause, payout
 * veto and proposal veto act at once; the deployer keeps nothing.
 */
import { expect } from "chai";
import { network } from "hardhat";

import { deployGovernedStation } from "../fixtures/station.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { time } = networkHelpers;

const C = 10n ** 18n;
const DELAY = 3_600n;
const DEFAULT_ADMIN_ROLE = ethers.ZeroHash;
const CATALOGUE_ROLE = ethers.id("CATALOGUE_ROLE");
const GOVERNOR_ROLE = ethers.id("GOVERNOR_ROLE");
const GUARDIAN_ROLE = ethers.id("GUARDIAN_ROLE");
const PROPOSER_ROLE = ethers.id("PROPOSER_ROLE");
const EXECUTOR_ROLE = ethers.id("EXECUTOR_ROLE");
const CANCELLER_ROLE = ethers.id("CANCELLER_ROLE");
const NO_PREDECESSOR = ethers.ZeroHash;

describe("Station governance: a timelock holds every rule", function () {
  async function deployFixture() {
    const [deployer, multisig, guardian, assessor, treasury, outsider] = await ethers.getSigners();
    const { deployed } = await deployGovernedStation(connection, {
      feed: { decimals: 8, answer: 25_000_000n },
      timelockMinDelay: Number(DELAY),
      multisig: multisig!,
      guardian: guardian!,
      assessor: assessor!,
      treasury: treasury!,
    });
    return {
      deployer: deployer!,
      multisig: multisig!,
      guardian: guardian!,
      outsider: outsider!,
      timelock: await ethers.getContractAt("TimelockController", await deployed.timelock.getAddress()),
      staking: await ethers.getContractAt("CStaking", await deployed.staking.getAddress()),
      pool: await ethers.getContractAt("CompensationPool", await deployed.compensationPool.getAddress()),
      packages: await ethers.getContractAt("EmergencyPackages", await deployed.packages.getAddress()),
    };
  }

  /** One call through the timelock: its target, calldata and a salt naming the proposal. */
  type Call = { target: string; data: string };

  type Target = {
    getAddress(): Promise<string>;
    interface: { encodeFunctionData(fn: string, args: readonly unknown[]): string };
  };

  async function call(contract: Target, fn: string, args: readonly unknown[]): Promise<Call> {
    return { target: await contract.getAddress(), data: contract.interface.encodeFunctionData(fn, args) };
  }

  function batchArgs(calls: Call[], salt: string) {
    return [calls.map((x) => x.target), calls.map(() => 0n), calls.map((x) => x.data), NO_PREDECESSOR, salt] as const;
  }

  it("leaves the deployer no role anywhere and gives each role to the right holder", async function () {
    const { deployer, multisig, guardian, timelock, staking, pool, packages } =
      await networkHelpers.loadFixture(deployFixture);
    const timelockAddress = await timelock.getAddress();

    expect(await staking.hasRole(DEFAULT_ADMIN_ROLE, timelockAddress)).to.equal(true);
    expect(await staking.hasRole(GOVERNOR_ROLE, timelockAddress)).to.equal(true);
    expect(await pool.hasRole(DEFAULT_ADMIN_ROLE, timelockAddress)).to.equal(true);
    expect(await packages.hasRole(DEFAULT_ADMIN_ROLE, timelockAddress)).to.equal(true);
    expect(await packages.hasRole(CATALOGUE_ROLE, timelockAddress)).to.equal(true);
    // The timelock administers itself.
    expect(await timelock.hasRole(DEFAULT_ADMIN_ROLE, timelockAddress)).to.equal(true);

    for (const [contract, role] of [
      [staking, DEFAULT_ADMIN_ROLE],
      [staking, GOVERNOR_ROLE],
      [pool, DEFAULT_ADMIN_ROLE],
      [packages, DEFAULT_ADMIN_ROLE],
      [packages, CATALOGUE_ROLE],
      [timelock, DEFAULT_ADMIN_ROLE],
      [timelock, PROPOSER_ROLE],
      [timelock, CANCELLER_ROLE],
    ] as const) {
      expect(await contract.hasRole(role, deployer.address), `deployer ${role}`).to.equal(false);
    }
    // The multisig proposes and executes but holds no role on the contracts themselves.
    expect(await timelock.hasRole(PROPOSER_ROLE, multisig.address)).to.equal(true);
    expect(await timelock.hasRole(EXECUTOR_ROLE, multisig.address)).to.equal(true);
    expect(await packages.hasRole(CATALOGUE_ROLE, multisig.address)).to.equal(false);
    // The guardian acts at once: pause, veto, and cancelling a queued proposal.
    expect(await pool.hasRole(GUARDIAN_ROLE, guardian.address)).to.equal(true);
    expect(await packages.hasRole(GUARDIAN_ROLE, guardian.address)).to.equal(true);
    expect(await timelock.hasRole(CANCELLER_ROLE, guardian.address)).to.equal(true);
    expect(await timelock.hasRole(PROPOSER_ROLE, guardian.address)).to.equal(false);
    expect(await timelock.getMinDelay()).to.equal(DELAY);
  });

  it("refuses a direct rule change from the deployer and from the multisig itself", async function () {
    const { deployer, multisig, staking, pool, packages } = await networkHelpers.loadFixture(deployFixture);
    for (const who of [deployer, multisig]) {
      await expect(packages.connect(who).setPackage(1n, 1_000_000n, 86_400, 5_000, true))
        .to.be.revertedWithCustomError(packages, "AccessControlUnauthorizedAccount")
        .withArgs(who.address, CATALOGUE_ROLE);
      await expect(pool.connect(who).setLateCredit(1n))
        .to.be.revertedWithCustomError(pool, "AccessControlUnauthorizedAccount")
        .withArgs(who.address, DEFAULT_ADMIN_ROLE);
      await expect(pool.connect(who).setSla(1, 60, 600))
        .to.be.revertedWithCustomError(pool, "AccessControlUnauthorizedAccount")
        .withArgs(who.address, DEFAULT_ADMIN_ROLE);
      await expect(pool.connect(who).setApprovalBudget(1n))
        .to.be.revertedWithCustomError(pool, "AccessControlUnauthorizedAccount")
        .withArgs(who.address, DEFAULT_ADMIN_ROLE);
      await expect(staking.connect(who).setWarmup(1n))
        .to.be.revertedWithCustomError(staking, "AccessControlUnauthorizedAccount")
        .withArgs(who.address, GOVERNOR_ROLE);
      await expect(staking.connect(who).configureTiers([{ thresholdWholeC: 0, slaFactorBps: 10_000, discountBps: 0 }]))
        .to.be.revertedWithCustomError(staking, "AccessControlUnauthorizedAccount")
        .withArgs(who.address, GOVERNOR_ROLE);
    }
  });

  it("proposes rule changes to all three contracts, refuses them before the delay, executes them after", async function () {
    const { multisig, timelock, staking, pool, packages } = await networkHelpers.loadFixture(deployFixture);
    const calls = [
      await call(packages, "setPackage", [1n, 59_000_000n, 30 * 86_400, 7_500, true]),
      await call(pool, "setLateCredit", [9n * C]),
      await call(pool, "setSla", [1, 1_800, 7_200]),
      await call(pool, "setApprovalBudget", [20_000n * C]),
      await call(staking, "setWarmup", [3_600n]),
      await call(staking, "configureTiers", [
        [
          { thresholdWholeC: 0, slaFactorBps: 10_000, discountBps: 2_000 },
          { thresholdWholeC: 500, slaFactorBps: 5_000, discountBps: 3_000 },
        ],
      ]),
    ];
    const salt = ethers.id("Basic $59; late credit 9 C; project SLA 30 min/2 h; budget 20k C; warmup 1 h; tiers");
    const args = batchArgs(calls, salt);
    const id = await timelock.hashOperationBatch(...args);

    await expect(timelock.connect(multisig).scheduleBatch(...args, DELAY)).to.emit(timelock, "CallScheduled");
    expect(await timelock.isOperationPending(id)).to.equal(true);

    // One second early: the timelock refuses, and nothing changed.
    const readyAt = await timelock.getTimestamp(id);
    await time.setNextBlockTimestamp(readyAt - 1n);
    await expect(timelock.connect(multisig).executeBatch(...args)).to.be.revertedWithCustomError(
      timelock,
      "TimelockUnexpectedOperationState",
    );
    expect((await packages.getPackage(1n)).usdPrice).to.equal(49_000_000n);

    await time.setNextBlockTimestamp(readyAt);
    const tx = timelock.connect(multisig).executeBatch(...args);
    await expect(tx)
      .to.emit(packages, "PackageSet")
      .withArgs(1n, 59_000_000n, 30n * 86_400n, 7_500n, true, 2n);
    await expect(tx).to.emit(timelock, "CallExecuted");
    expect(await packages.getPackage(1n)).to.deep.equal([59_000_000n, 30n * 86_400n, 7_500n, true, 2n]);
    expect(await pool.lateCredit()).to.equal(9n * C);
    expect(await pool.slaOf(1)).to.deep.equal([1_800n, 7_200n]);
    expect(await pool.approvalBudget()).to.equal(20_000n * C);
    expect(await staking.warmup()).to.equal(3_600n);
    expect((await staking.tiers()).map((t) => [t.thresholdWholeC, t.discountBps])).to.deep.equal([
      [0n, 2_000n],
      [500n, 3_000n],
    ]);
    expect(await timelock.isOperationDone(id)).to.equal(true);
  });

  it("refuses a proposal with less than the minimum delay, and proposals from anyone but a proposer", async function () {
    const { multisig, guardian, outsider, timelock, pool } = await networkHelpers.loadFixture(deployFixture);
    const c = await call(pool, "setPerClaimCap", [1n * C]);
    await expect(timelock.connect(multisig).schedule(c.target, 0n, c.data, NO_PREDECESSOR, ethers.ZeroHash, DELAY - 1n))
      .to.be.revertedWithCustomError(timelock, "TimelockInsufficientDelay")
      .withArgs(DELAY - 1n, DELAY);
    for (const who of [guardian, outsider]) {
      await expect(timelock.connect(who).schedule(c.target, 0n, c.data, NO_PREDECESSOR, ethers.ZeroHash, DELAY))
        .to.be.revertedWithCustomError(timelock, "AccessControlUnauthorizedAccount")
        .withArgs(who.address, PROPOSER_ROLE);
    }
  });

  it("lets the guardian veto a queued proposal at once", async function () {
    const { multisig, guardian, timelock, pool } = await networkHelpers.loadFixture(deployFixture);
    const c = await call(pool, "setPerClaimCap", [1n]);
    const salt = ethers.id("cap every claim at 1 wei");
    await timelock.connect(multisig).schedule(c.target, 0n, c.data, NO_PREDECESSOR, salt, DELAY);
    const id = await timelock.hashOperation(c.target, 0n, c.data, NO_PREDECESSOR, salt);
    await expect(timelock.connect(guardian).cancel(id)).to.emit(timelock, "Cancelled").withArgs(id);
    await time.increase(DELAY);
    await expect(
      timelock.connect(multisig).execute(c.target, 0n, c.data, NO_PREDECESSOR, salt),
    ).to.be.revertedWithCustomError(timelock, "TimelockUnexpectedOperationState");
    expect(await pool.perClaimCap()).to.equal(10_000n * C);
  });

  it("keeps the guardian's pause outside the delay, and resuming sales a governed decision", async function () {
    const { multisig, guardian, timelock, pool, packages } = await networkHelpers.loadFixture(deployFixture);
    await expect(pool.connect(guardian).pause()).to.emit(pool, "Paused");
    await expect(packages.connect(guardian).pause()).to.emit(packages, "Paused");
    expect(await packages.paused()).to.equal(true);
    await expect(packages.connect(guardian).unpause())
      .to.be.revertedWithCustomError(packages, "AccessControlUnauthorizedAccount")
      .withArgs(guardian.address, DEFAULT_ADMIN_ROLE);

    const c = await call(packages, "unpause", []);
    await timelock.connect(multisig).schedule(c.target, 0n, c.data, NO_PREDECESSOR, ethers.ZeroHash, DELAY);
    await time.increase(DELAY);
    await expect(timelock.connect(multisig).execute(c.target, 0n, c.data, NO_PREDECESSOR, ethers.ZeroHash))
      .to.emit(packages, "Unpaused")
      .withArgs(await timelock.getAddress());
  });

  it("changes its own delay only through a proposal that waits out the current delay", async function () {
    const { multisig, timelock } = await networkHelpers.loadFixture(deployFixture);
    await expect(timelock.connect(multisig).updateDelay(60n))
      .to.be.revertedWithCustomError(timelock, "TimelockUnauthorizedCaller")
      .withArgs(multisig.address);
    const c = await call(timelock, "updateDelay", [2n * DELAY]);
    await timelock.connect(multisig).schedule(c.target, 0n, c.data, NO_PREDECESSOR, ethers.ZeroHash, DELAY);
    await time.increase(DELAY);
    await expect(timelock.connect(multisig).execute(c.target, 0n, c.data, NO_PREDECESSOR, ethers.ZeroHash))
      .to.emit(timelock, "MinDelayChange")
      .withArgs(DELAY, 2n * DELAY);
  });
});
