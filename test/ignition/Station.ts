import { expect } from "chai";
import { network } from "hardhat";

import LocalStation from "../../ignition/modules/LocalStation.js";
import { deployGovernedStation } from "../fixtures/station.js";

const connection = await network.create();
const { ethers, ignition } = connection;

const C = 10n ** 18n;
const ASSESSOR_ROLE = ethers.id("ASSESSOR_ROLE");
const GUARDIAN_ROLE = ethers.id("GUARDIAN_ROLE");

/** Ignition returns untyped contracts; attach the TypeChain-typed ones at the same addresses. */
async function typed(
  s: Record<"cToken" | "staking" | "compensationPool" | "packages", { getAddress(): Promise<string> }>,
) {
  return {
    cToken: await ethers.getContractAt("MockCToken", await s.cToken.getAddress()),
    staking: await ethers.getContractAt("CStaking", await s.staking.getAddress()),
    compensationPool: await ethers.getContractAt("CompensationPool", await s.compensationPool.getAddress()),
    packages: await ethers.getContractAt("EmergencyPackages", await s.packages.getAddress()),
  };
}

describe("Station deployment", function () {
  it("deploys the local station wired together, with roles from localhost.json and a funded pool", async function () {
    const [deployer, assessor, guardian, treasury] = await ethers.getSigners();
    const s = await typed(await ignition.deploy(LocalStation, { parameters: "ignition/parameters/localhost.json" }));
    const { cToken, staking, compensationPool: pool, packages } = s;
    const poolAddress = await pool.getAddress();

    expect(await pool.token()).to.equal(await cToken.getAddress());
    expect(await pool.tierSource()).to.equal(await staking.getAddress());
    expect(await packages.tierSource()).to.equal(await staking.getAddress());
    expect(await packages.compensationPool()).to.equal(poolAddress);
    expect(await packages.cToken()).to.equal(await cToken.getAddress());

    expect(await pool.hasRole(ASSESSOR_ROLE, assessor!.address)).to.equal(true);
    expect(await pool.hasRole(ASSESSOR_ROLE, deployer!.address)).to.equal(false);
    expect(await pool.hasRole(GUARDIAN_ROLE, guardian!.address)).to.equal(true);
    expect(await packages.hasRole(GUARDIAN_ROLE, guardian!.address)).to.equal(true);
    expect(await packages.proceeds()).to.deep.equal([treasury!.address, treasury!.address, 5_000n]);

    expect(await cToken.balanceOf(poolAddress)).to.equal(100_000n * C);
    expect(await pool.freeBalance()).to.equal(100_000n * C);
    expect(await staking.warmup()).to.equal(60n);
    expect(await pool.payoutDelay()).to.equal(300n);
    // The seed catalogue's C price at the mock's $0.25 with the Standard tier's 30% discount:
    // $49 × 0.7 / $0.25 = 137.2 C.
    expect(await packages.quote(1n, true, deployer!.address)).to.deep.equal([1372n * 10n ** 17n, 3_000n]);
  });

  it("attaches the real-network station to existing token, stablecoin and feed addresses, governed by a timelock", async function () {
    const [deployer, , , , multisig, assessor, guardian, treasury, reserve] = await ethers.getSigners();
    const { c, usd, feed, deployed } = await deployGovernedStation(connection, {
      feed: { decimals: 18, answer: 5n * 10n ** 17n },
      timelockMinDelay: 3_600,
      multisig: multisig!,
      guardian: guardian!,
      assessor: assessor!,
      treasury: treasury!,
      stableReserve: reserve!,
      extra: { poolLateCredit: "7000000000000000000n" },
    });
    const s = await typed(deployed);
    const timelock = await deployed.timelock.getAddress();
    expect(await s.cToken.getAddress()).to.equal(await c.getAddress());
    expect(await s.compensationPool.token()).to.equal(await c.getAddress());
    expect(await s.compensationPool.lateCredit()).to.equal(7n * C);
    for (const governed of [s.compensationPool, s.staking, s.packages]) {
      expect(await governed.hasRole(ethers.ZeroHash, timelock)).to.equal(true);
      expect(await governed.hasRole(ethers.ZeroHash, deployer!.address)).to.equal(false);
      expect(await governed.hasRole(ethers.ZeroHash, multisig!.address)).to.equal(false);
    }
    // Wired before the hand-over: the pool reads package coverage for claimants' deadlines.
    expect(await s.compensationPool.coverageSource()).to.equal(await s.packages.getAddress());
    expect(await s.packages.stablecoin()).to.equal(await usd.getAddress());
    const [feedAddress] = await s.packages.oracle();
    expect(feedAddress).to.equal(await feed.getAddress());
  });
});
