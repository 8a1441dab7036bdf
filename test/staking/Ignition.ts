import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { expect } from "chai";
import { network } from "hardhat";

import { buildStaking, DEFAULT_STAKING_TIERS } from "../../ignition/modules/staking.js";

const { ethers, ignition, networkHelpers } = await network.create();

/** A module like the deployment's: a C token, then CStaking on it through `buildStaking`. */
const StakingTestModule = buildModule("StakingTest", (m) => {
  const cToken = m.contract("MockCToken");
  return { cToken, ...buildStaking(m, { cToken }) };
});

const GOVERNOR_ROLE = ethers.id("GOVERNOR_ROLE");

describe("ignition: buildStaking", function () {
  /** Deploys the module and returns its contracts typed (Ignition hands back untyped ones). */
  async function deploy(parameters?: Parameters<typeof ignition.deploy>[1]) {
    const deployed = await ignition.deploy(StakingTestModule, parameters);
    return {
      staking: await ethers.getContractAt("CStaking", await deployed.staking.getAddress()),
      cToken: await ethers.getContractAt("MockCToken", await deployed.cToken.getAddress()),
    };
  }

  async function deployFixture() {
    return deploy();
  }

  it("deploys with the default parameters: deployer as admin, 1 day warmup, 7 days cooldown", async function () {
    const { staking, cToken } = await networkHelpers.loadFixture(deployFixture);
    const [deployer] = await ethers.getSigners();
    expect(await staking.cToken()).to.equal(await cToken.getAddress());
    expect(await staking.hasRole(GOVERNOR_ROLE, deployer!.address)).to.equal(true);
    expect(await staking.hasRole(ethers.ZeroHash, deployer!.address)).to.equal(true);
    expect(await staking.warmup()).to.equal(86_400n);
    expect(await staking.cooldown()).to.equal(604_800n);
    expect(await staking.tiers()).to.deep.equal([
      [0n, 10_000n, 3_000n],
      [1_000n, 5_000n, 3_000n],
      [10_000n, 2_500n, 3_500n],
    ]);
    expect(DEFAULT_STAKING_TIERS).to.have.length(3);
  });

  it("takes every setting from parameters, as a parameters file would give them", async function () {
    const [, admin] = await ethers.getSigners();
    // The shape `ignition/parameters/<network>.json` has once parsed: the module's id, then the
    // parameters; bigints as "123n" strings in the file arrive as bigint.
    const { staking } = await deploy({
      parameters: {
        StakingTest: {
          stakingAdmin: admin!.address,
          stakingWarmupSeconds: 3_600n,
          stakingCooldownSeconds: 120,
          stakingTiers: [
            { thresholdWholeC: 0, slaFactorBps: 9_000, discountBps: 0 },
            { thresholdWholeC: 50, slaFactorBps: 4_000, discountBps: 5_000 },
          ],
        },
      },
    });
    expect(await staking.hasRole(GOVERNOR_ROLE, admin!.address)).to.equal(true);
    expect(await staking.warmup()).to.equal(3_600n);
    expect(await staking.cooldown()).to.equal(120n);
    expect(await staking.tiers()).to.deep.equal([
      [0n, 9_000n, 0n],
      [50n, 4_000n, 5_000n],
    ]);
  });

  it("reads parameters given under $global too", async function () {
    const { staking } = await deploy({
      parameters: { $global: { stakingCooldownSeconds: 7 } },
    });
    expect(await staking.cooldown()).to.equal(7n);
  });
});
