import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { expect } from "chai";
import { network } from "hardhat";

import { POOL_DEFAULTS, buildCompensationPool } from "../../ignition/modules/pool.js";
import { ASSESSOR_ROLE, C, DEFAULT_ADMIN_ROLE, GUARDIAN_ROLE, Kind } from "./helpers.js";

const { ethers, ignition, networkHelpers } = await network.create();

/** The smallest module composing the pool's builder with local mocks, as LocalStation will. */
const TestPoolModule = buildModule("TestPool", (m) => {
  const token = m.contract("MockCToken");
  const tierSource = m.contract("MockTierSource", [10_000, 0]);
  return { token, tierSource, ...buildCompensationPool(m, { token, tierSource }) };
});

describe("CompensationPool Ignition builder", function () {
  async function deployFixture() {
    const [deployer, admin, assessor, guardian] = await ethers.getSigners();
    return { deployer: deployer!, admin: admin!, assessor: assessor!, guardian: guardian! };
  }

  it("deploys with the default terms and the deployer in every role", async function () {
    const { deployer } = await networkHelpers.loadFixture(deployFixture);
    const { compensationPool, token, tierSource } = await ignition.deploy(TestPoolModule);
    expect(await compensationPool.getFunction("token")()).to.equal(await token.getAddress());
    expect(await compensationPool.getFunction("tierSource")()).to.equal(await tierSource.getAddress());
    for (const role of [DEFAULT_ADMIN_ROLE, ASSESSOR_ROLE, GUARDIAN_ROLE]) {
      expect(await compensationPool.getFunction("hasRole")(role, deployer.address)).to.equal(true);
    }
    const pool = await ethers.getContractAt("CompensationPool", await compensationPool.getAddress());
    expect(await pool.slaOf(Kind.DataApiOutage)).to.deep.equal([3_600n, 14_400n]);
    expect(await pool.perClaimCap()).to.equal(POOL_DEFAULTS.perClaimCap);
    expect(await pool.approvalBudget()).to.equal(POOL_DEFAULTS.approvalBudget);
    expect(await pool.largeClaimThreshold()).to.equal(POOL_DEFAULTS.largeClaimThreshold);
    expect(await pool.payoutDelay()).to.equal(BigInt(POOL_DEFAULTS.payoutDelay));
    expect(await pool.lateCredit()).to.equal(5n * C);
    expect(await pool.challengeWindow()).to.equal(BigInt(POOL_DEFAULTS.challengeWindow));
  });

  it("takes the roles and every term from parameters", async function () {
    const { deployer, admin, assessor, guardian } = await networkHelpers.loadFixture(deployFixture);
    const { compensationPool } = await ignition.deploy(TestPoolModule, {
      parameters: {
        TestPool: {
          poolAdmin: admin.address,
          poolAssessor: assessor.address,
          poolGuardian: guardian.address,
          poolResponseSeconds: [60, 120, 30, 600],
          poolResolutionSeconds: [600, 1_200, 300, 6_000],
          poolPerClaimCap: 100n * C,
          poolApprovalBudget: 1_000n * C,
          poolLargeClaimThreshold: 50n * C,
          poolPayoutDelay: 3_600,
          poolLateCredit: 1n * C,
          poolChallengeWindow: 7_200,
        },
      },
    });
    const pool = await ethers.getContractAt("CompensationPool", await compensationPool.getAddress());
    expect(await pool.hasRole(DEFAULT_ADMIN_ROLE, admin)).to.equal(true);
    expect(await pool.hasRole(ASSESSOR_ROLE, assessor)).to.equal(true);
    expect(await pool.hasRole(GUARDIAN_ROLE, guardian)).to.equal(true);
    expect(await pool.hasRole(DEFAULT_ADMIN_ROLE, deployer)).to.equal(false);
    expect(await pool.slaOf(Kind.RedemptionToolFailure)).to.deep.equal([30n, 300n]);
    expect(await pool.perClaimCap()).to.equal(100n * C);
    expect(await pool.approvalBudget()).to.equal(1_000n * C);
    expect(await pool.largeClaimThreshold()).to.equal(50n * C);
    expect(await pool.payoutDelay()).to.equal(3_600n);
    expect(await pool.lateCredit()).to.equal(1n * C);
    expect(await pool.challengeWindow()).to.equal(7_200n);
  });
});
