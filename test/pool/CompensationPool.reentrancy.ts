import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import { getAddress, id } from "ethers";
import { network } from "hardhat";

import { C, Kind, POOL_DEFAULTS, Status } from "./helpers.js";
import { incidentVaultAddress } from "../../common/incident.js";
import { deployPool } from "../fixtures/station.js";

const { ethers, networkHelpers } = await network.create();
const { time, loadFixture } = networkHelpers;

const EVIDENCE = id("evidence");
const NOTE = id("note");

describe("CompensationPool against a malicious token and receiver", function () {
  async function deployFixture() {
    const [admin, alice, bob, stranger] = await ethers.getSigners();
    const token = await ethers.deployContract("MaliciousReentrantToken");
    const { pool } = await deployPool(ethers, { token, admin: admin!, mint: 1_000_000n * C, fund: 100_000n * C });
    const receiver = await ethers.deployContract("MaliciousReceiver", [pool]);
    return { token, pool, receiver, admin: admin!, alice: alice!, bob: bob!, stranger: stranger! };
  }

  type Fixture = Awaited<ReturnType<typeof deployFixture>>;

  function reentrantCallError(f: Fixture) {
    return f.pool.interface.encodeErrorResult("ReentrancyGuardReentrantCall", []);
  }

  async function payableLargeClaim(f: Fixture, who: Fixture["alice"], amount = 2_000n * C) {
    await f.pool.connect(who).submitClaim(Kind.Other, amount, EVIDENCE);
    const claimId = await f.pool.claimCount();
    await f.pool.acceptClaim(claimId, NOTE);
    await f.pool.approveClaim(claimId, amount, NOTE);
    await time.increase(POOL_DEFAULTS.payoutDelay);
    return claimId;
  }

  it("stops a token that re-enters executePayout for the same claim, paying once", async function () {
    const f = await loadFixture(deployFixture);
    const claimId = await payableLargeClaim(f, f.alice);
    await f.token.arm(f.pool, f.pool, f.pool.interface.encodeFunctionData("executePayout", [claimId]));
    await expect(f.pool.connect(f.stranger).executePayout(claimId))
      .to.emit(f.token, "AttackAttempted")
      .withArgs(false, reentrantCallError(f));
    expect(await f.token.balanceOf(f.alice)).to.equal(2_000n * C);
    expect(await f.token.balanceOf(f.pool)).to.equal(98_000n * C);
    expect(await f.pool.reserved()).to.equal(0n);
  });

  it("stops a token that re-enters from a same-transaction payout into another payable claim", async function () {
    const f = await loadFixture(deployFixture);
    const large = await payableLargeClaim(f, f.bob);
    await f.pool.connect(f.alice).submitClaim(Kind.Other, 50n * C, EVIDENCE);
    const small = await f.pool.claimCount();
    await f.pool.acceptClaim(small, NOTE);
    await f.token.arm(f.pool, f.pool, f.pool.interface.encodeFunctionData("executePayout", [large]));
    await expect(f.pool.approveClaim(small, 50n * C, NOTE))
      .to.emit(f.token, "AttackAttempted")
      .withArgs(false, reentrantCallError(f));
    expect((await f.pool.getClaim(large)).status).to.equal(BigInt(Status.Approved));
    expect(await f.token.balanceOf(f.bob)).to.equal(0n);
    await expect(f.pool.executePayout(large))
      .to.emit(f.pool, "ClaimPaid")
      .withArgs(large, f.bob.address, 2_000n * C);
  });

  /** Round 1's vault, found before the round opens (and checked against the pool once it has). */
  async function firstVault(f: Fixture) {
    return ethers.getContractAt(
      "IncidentVault",
      incidentVaultAddress(getAddress(await f.pool.getAddress()) as `0x${string}`, 1n),
    );
  }

  function alreadyClaimed(f: Fixture, index: bigint) {
    return f.pool.interface.encodeErrorResult("CompensationPoolAlreadyClaimed", [1n, index]);
  }

  it("stops a token that re-enters a vault's claim for the same leaf, paying once", async function () {
    const f = await loadFixture(deployFixture);
    const leaves: [bigint, string, bigint][] = [
      [0n, f.alice.address, 7n * C],
      [1n, f.bob.address, 9n * C],
    ];
    const tree = StandardMerkleTree.of(leaves, ["uint256", "address", "uint256"]);
    await f.pool.openIncident(tree.root, 16n * C, 2 ** 31, NOTE);
    await time.increase(POOL_DEFAULTS.challengeWindow);
    const vault = await firstVault(f);
    expect((await f.pool.getIncident(1n)).vault).to.equal(await vault.getAddress());
    const args = [...leaves[0]!, tree.getProof(0)] as const;
    // No guard: the leaf's bit, set before the transfer, is what stops it.
    await f.token.arm(vault, vault, vault.interface.encodeFunctionData("claim", [...args]));
    await expect(vault.claim(...args))
      .to.emit(f.token, "AttackAttempted")
      .withArgs(false, alreadyClaimed(f, 0n));
    expect(await f.token.balanceOf(f.alice)).to.equal(7n * C);
    expect((await f.pool.getIncident(1n)).claimed).to.equal(7n * C);
  });

  it("stops a token that re-enters sweep during a sweep", async function () {
    const f = await loadFixture(deployFixture);
    await f.token.arm(f.pool, f.pool, f.pool.interface.encodeFunctionData("sweep", [f.stranger.address, 1n]));
    await expect(f.pool.sweep(f.admin, 10n * C))
      .to.emit(f.token, "AttackAttempted")
      .withArgs(false, reentrantCallError(f));
    expect(await f.token.balanceOf(f.stranger)).to.equal(0n);
  });

  it("leaves a receiver that calls back during its payout facing a claim already marked Paid", async function () {
    const f = await loadFixture(deployFixture);
    await f.receiver.callPool(f.pool.interface.encodeFunctionData("submitClaim", [Kind.Other, 40n * C, EVIDENCE]));
    const claimId = await f.pool.claimCount();
    await f.pool.acceptClaim(claimId, NOTE);
    // cancelClaim has no guard: the claim's state, written before the transfer, is what stops it.
    await f.receiver.arm(f.pool.interface.encodeFunctionData("cancelClaim", [claimId]));
    await expect(f.pool.approveClaim(claimId, 40n * C, NOTE))
      .to.emit(f.receiver, "AttackAttempted")
      .withArgs(
        false,
        f.pool.interface.encodeErrorResult("CompensationPoolInvalidClaimStatus", [claimId, Status.Paid]),
      );
    expect((await f.pool.getClaim(claimId)).status).to.equal(BigInt(Status.Paid));
    expect(await f.token.balanceOf(f.receiver)).to.equal(40n * C);
  });

  it("stops a receiver that re-enters a vault's claim for its own leaf", async function () {
    const f = await loadFixture(deployFixture);
    const vault = await firstVault(f);
    const receiver = await ethers.deployContract("MaliciousReceiver", [vault]);
    const receiverAddress = await receiver.getAddress();
    const leaves: [bigint, string, bigint][] = [
      [0n, receiverAddress, 5n * C],
      [1n, f.bob.address, 6n * C],
    ];
    const tree = StandardMerkleTree.of(leaves, ["uint256", "address", "uint256"]);
    await f.pool.openIncident(tree.root, 11n * C, 2 ** 31, NOTE);
    await time.increase(POOL_DEFAULTS.challengeWindow);
    const args = [...leaves[0]!, tree.getProof(0)] as const;
    await receiver.arm(vault.interface.encodeFunctionData("claim", [...args]));
    await expect(vault.connect(f.stranger).claim(...args))
      .to.emit(receiver, "AttackAttempted")
      .withArgs(false, alreadyClaimed(f, 0n));
    expect(await f.token.balanceOf(receiver)).to.equal(5n * C);
    const [attempts] = await receiver.lastAttack();
    expect(attempts).to.equal(1n);
  });

  it("reports no free balance and refuses approvals when the token takes balance away", async function () {
    const f = await loadFixture(deployFixture);
    const claimId = await payableLargeClaim(f, f.alice, 3_000n * C);
    await f.token.seize(f.pool, 99_000n * C); // balance 1,000 C < reserved 3,000 C
    expect(await f.pool.freeBalance()).to.equal(0n);
    expect(await f.pool.reserved()).to.equal(3_000n * C);
    await f.pool.connect(f.bob).submitClaim(Kind.Other, 1n * C, EVIDENCE);
    const next = await f.pool.claimCount();
    await f.pool.acceptClaim(next, NOTE);
    await expect(f.pool.approveClaim(next, 1n * C, NOTE))
      .to.be.revertedWithCustomError(f.pool, "CompensationPoolInsufficientFunds")
      .withArgs(0n, 1n * C);
    await expect(f.pool.executePayout(claimId))
      .to.be.revertedWithCustomError(f.token, "ERC20InsufficientBalance")
      .withArgs(await f.pool.getAddress(), 1_000n * C, 3_000n * C);
  });
});
