import { expect } from "chai";
import { id } from "ethers";
import { network } from "hardhat";

import { C, POOL_DEFAULTS, Status } from "./helpers.js";
import { deployPool } from "../fixtures/station.js";

const { ethers, networkHelpers } = await network.create();
const { time, loadFixture } = networkHelpers;

const NOTE = id("note");
const LARGE = 2_000n * C;

describe("CompensationPool delayed payout to a claimant the token will not pay", function () {
  async function deployFixture() {
    const [admin, assessor, guardian, bob, carol, stranger] = await ethers.getSigners();
    const c = await ethers.deployContract("MockBlocklistCToken");
    const { pool } = await deployPool(ethers, {
      token: c,
      admin: admin!,
      assessor: assessor!,
      guardian: guardian!,
      mint: 100_000n * C,
      fund: 10_000n * C,
    });
    await pool.connect(bob!).submitClaim(0, LARGE, id("evidence"));
    await pool.connect(assessor!).acceptClaim(1n, NOTE);
    await pool.connect(assessor!).approveClaim(1n, LARGE, NOTE);
    // The token blocks bob after the approval: the delayed payout cannot reach him.
    await c.setBlocked(bob!, true);
    return { c, pool, admin: admin!, bob: bob!, carol: carol!, stranger: stranger! };
  }

  it("keeps the payout reserved while the token refuses the claimant", async function () {
    const f = await loadFixture(deployFixture);
    await time.increase(POOL_DEFAULTS.payoutDelay);
    await expect(f.pool.executePayout(1n))
      .to.be.revertedWithCustomError(f.c, "MockBlocklistCTokenBlocked")
      .withArgs(f.bob.address);
    expect(await f.pool.claimsReserved()).to.equal(LARGE);
  });

  it("lets the claimant name another recipient, which releases the reservation", async function () {
    const f = await loadFixture(deployFixture);
    await time.increase(POOL_DEFAULTS.payoutDelay);
    const tx = f.pool.connect(f.bob).executePayoutTo(1n, f.carol);
    await expect(tx).to.emit(f.pool, "ClaimPaid").withArgs(1n, f.carol.address, LARGE);
    await expect(tx).to.emit(f.pool, "ClaimStatusChanged").withArgs(1n, Status.Paid, f.bob.address, ethers.ZeroHash);
    await expect(tx).to.changeTokenBalances(ethers, f.c, [f.carol, f.pool], [LARGE, -LARGE]);
    expect(await f.pool.claimsReserved()).to.equal(0n);
    expect((await f.pool.getClaim(1n)).status).to.equal(BigInt(Status.Paid));
    await expect(f.pool.connect(f.bob).executePayoutTo(1n, f.carol))
      .to.be.revertedWithCustomError(f.pool, "CompensationPoolInvalidClaimStatus")
      .withArgs(1n, Status.Paid);
  });

  it("lets nobody but the claimant redirect, nor before payableAt, nor to the zero address", async function () {
    const f = await loadFixture(deployFixture);
    const { payableAt } = await f.pool.getClaim(1n);
    await expect(f.pool.connect(f.bob).executePayoutTo(1n, f.carol))
      .to.be.revertedWithCustomError(f.pool, "CompensationPoolPayoutNotReady")
      .withArgs(1n, payableAt);
    await time.increaseTo(payableAt);
    await expect(f.pool.connect(f.stranger).executePayoutTo(1n, f.stranger))
      .to.be.revertedWithCustomError(f.pool, "CompensationPoolNotClaimant")
      .withArgs(1n, f.stranger.address);
    await expect(f.pool.connect(f.bob).executePayoutTo(1n, ethers.ZeroAddress)).to.be.revertedWithCustomError(
      f.pool,
      "CompensationPoolZeroAddress",
    );
    expect(await f.pool.claimsReserved()).to.equal(LARGE);
  });

  it("refuses while paused, like executePayout", async function () {
    const f = await loadFixture(deployFixture);
    await time.increase(POOL_DEFAULTS.payoutDelay);
    await f.pool.connect(f.admin).grantRole(id("GUARDIAN_ROLE"), f.admin);
    await f.pool.connect(f.admin).pause();
    await expect(f.pool.connect(f.bob).executePayoutTo(1n, f.carol)).to.be.revertedWithCustomError(
      f.pool,
      "CompensationPoolEnforcedPause",
    );
  });
});
