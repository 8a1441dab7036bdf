import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import { getAddress, getCreateAddress, hexlify, id, randomBytes } from "ethers";
import fc from "fast-check";
import { network } from "hardhat";

import { C, DAY, DEFAULT_ADMIN_ROLE, GUARDIAN_ROLE, IncidentStatus, POOL_DEFAULTS } from "./helpers.js";
import { incidentVaultAddress } from "../../common/incident.js";
import { deployPool } from "../fixtures/station.js";

const { ethers, networkHelpers } = await network.create();
const { time, loadFixture } = networkHelpers;

const WINDOW = POOL_DEFAULTS.challengeWindow;
const METADATA = id("ipfs://incident-2026-11-01-node-sync");
const LEAF_TYPES = ["uint256", "address", "uint256"];

type Leaf = [bigint, string, bigint];

describe("CompensationPool incident rounds", function () {
  async function deployFixture() {
    const [admin, assessor, guardian, a0, a1, a2, a3, stranger] = await ethers.getSigners();
    const c = await ethers.deployContract("MockCToken");
    const { pool } = await deployPool(ethers, {
      token: c,
      admin: admin!,
      assessor: assessor!,
      guardian: guardian!,
      mint: 1_000_000n * C,
      fund: 100_000n * C,
    });
    const leaves: Leaf[] = [
      [0n, a0!.address, 10n * C],
      [1n, a1!.address, 20n * C],
      [2n, a2!.address, 30n * C],
      [3n, a3!.address, 40n * C + 1n], // incident amounts need not be whole units
    ];
    const tree = StandardMerkleTree.of(leaves, LEAF_TYPES);
    const total = leaves.reduce((sum, [, , amount]) => sum + amount, 0n);
    return {
      c,
      pool,
      tree,
      leaves,
      total,
      admin: admin!,
      assessor: assessor!,
      guardian: guardian!,
      stranger: stranger!,
    };
  }

  type Fixture = Awaited<ReturnType<typeof deployFixture>>;

  async function open(f: Fixture, root = f.tree.root, total = f.total) {
    const openedAt = (await time.latest()) + 1;
    await time.setNextBlockTimestamp(openedAt);
    const claimDeadline = openedAt + WINDOW + 7 * DAY;
    await f.pool.connect(f.admin).openIncident(root, total, claimDeadline, METADATA);
    const incidentId = await f.pool.incidentCount();
    return { incidentId, claimableAt: openedAt + WINDOW, claimDeadline };
  }

  /** The round's vault, where its leaves are claimed. */
  async function vaultOf(f: Fixture, incidentId: bigint) {
    return ethers.getContractAt("IncidentVault", (await f.pool.getIncident(incidentId)).vault);
  }

  /** Claims leaf `(index, account, amount, proof)` of round `incidentId` from its vault, sent by `from`. */
  async function claimOn(
    f: Fixture,
    incidentId: bigint,
    index: bigint,
    account: string,
    amount: bigint,
    proof: readonly string[],
    from = f.admin,
  ) {
    return (await vaultOf(f, incidentId)).connect(from).claim(index, account, amount, [...proof]);
  }

  function claimArgs(f: Fixture, i: number, tree = f.tree, leaves = f.leaves) {
    const [index, account, amount] = leaves[i]!;
    return [index, account, amount, tree.getProof(i)] as const;
  }

  describe("opening", function () {
    it("opens a round, reserves its total and emits IncidentOpened", async function () {
      const f = await loadFixture(deployFixture);
      const openedAt = (await time.latest()) + 1;
      await time.setNextBlockTimestamp(openedAt);
      const free = await f.pool.freeBalance();
      const claimDeadline = openedAt + 30 * DAY;
      await expect(f.pool.connect(f.admin).openIncident(f.tree.root, f.total, claimDeadline, METADATA))
        .to.emit(f.pool, "IncidentOpened")
        .withArgs(1n, f.tree.root, f.total, openedAt + WINDOW, claimDeadline, METADATA, anyValue);
      expect(await f.pool.incidentCount()).to.equal(1n);
      expect(await f.pool.reserved()).to.equal(f.total);
      expect(await f.pool.freeBalance()).to.equal(free - f.total);
      expect(await f.pool.openIncidentIds()).to.deep.equal([1n]);
      const incident = await f.pool.getIncident(1n);
      expect(incident.root).to.equal(f.tree.root);
      expect(incident.total).to.equal(f.total);
      expect(incident.claimed).to.equal(0n);
      expect(incident.claimableAt).to.equal(BigInt(openedAt + WINDOW));
      expect(incident.claimDeadline).to.equal(BigInt(claimDeadline));
      expect(incident.status).to.equal(BigInt(IncidentStatus.Open));
      // The round's total left the pool for the round's own vault, which knows its round.
      const vault = await vaultOf(f, 1n);
      expect(incident.vault).to.equal(incidentVaultAddress(getAddress(await f.pool.getAddress()) as `0x${string}`, 1n));
      expect(await f.c.balanceOf(vault)).to.equal(f.total);
      expect(await vault.pool()).to.equal(await f.pool.getAddress());
      expect(await vault.incidentId()).to.equal(1n);
      expect(await vault.root()).to.equal(f.tree.root);
      expect(await vault.claimableAt()).to.equal(BigInt(openedAt + WINDOW));
    });

    it("lets only the pool deploy vaults through its factory", async function () {
      const f = await loadFixture(deployFixture);
      const factoryAddress = getCreateAddress({ from: await f.pool.getAddress(), nonce: 1 });
      const factory = await ethers.getContractAt("IncidentVaultFactory", factoryAddress);
      for (const who of [f.admin, f.stranger]) {
        await expect(factory.connect(who).deploy(f.c, 1n, f.tree.root, 0))
          .to.be.revertedWithCustomError(factory, "IncidentVaultOnlyPool")
          .withArgs(who.address);
      }
    });

    it("lets only the pool take a vault's funds", async function () {
      const f = await loadFixture(deployFixture);
      const { incidentId } = await open(f);
      const vault = await vaultOf(f, incidentId);
      for (const who of [f.admin, f.guardian, f.stranger]) {
        await expect(vault.connect(who).release(who))
          .to.be.revertedWithCustomError(vault, "IncidentVaultOnlyPool")
          .withArgs(who.address);
      }
      expect(await f.c.balanceOf(vault)).to.equal(f.total);
    });

    it("lets only the admin open a round", async function () {
      const f = await loadFixture(deployFixture);
      await expect(f.pool.connect(f.assessor).openIncident(f.tree.root, f.total, 2 ** 31, METADATA))
        .to.be.revertedWithCustomError(f.pool, "AccessControlUnauthorizedAccount")
        .withArgs(f.assessor.address, DEFAULT_ADMIN_ROLE);
    });

    it("rejects a zero root, a zero total and a total above 2^88 − 1 wei", async function () {
      const f = await loadFixture(deployFixture);
      const pool = f.pool.connect(f.admin);
      await expect(pool.openIncident(ethers.ZeroHash, f.total, 2 ** 31, METADATA)).to.be.revertedWithCustomError(
        f.pool,
        "CompensationPoolZeroRoot",
      );
      await expect(pool.openIncident(f.tree.root, 0n, 2 ** 31, METADATA)).to.be.revertedWithCustomError(
        f.pool,
        "CompensationPoolZeroAmount",
      );
      await expect(pool.openIncident(f.tree.root, 2n ** 88n, 2 ** 31, METADATA))
        .to.be.revertedWithCustomError(f.pool, "CompensationPoolAmountNotRepresentable")
        .withArgs(2n ** 88n);
    });

    it("requires the claim deadline after the challenge window and within 32-bit time", async function () {
      const f = await loadFixture(deployFixture);
      const pool = f.pool.connect(f.admin);
      const openedAt = (await time.latest()) + 1;
      await time.setNextBlockTimestamp(openedAt);
      await expect(pool.openIncident(f.tree.root, f.total, openedAt + WINDOW, METADATA))
        .to.be.revertedWithCustomError(f.pool, "CompensationPoolInvalidClaimDeadline")
        .withArgs(openedAt + WINDOW, openedAt + WINDOW);
      await time.setNextBlockTimestamp(openedAt + 1);
      await expect(pool.openIncident(f.tree.root, f.total, 2 ** 32, METADATA))
        .to.be.revertedWithCustomError(f.pool, "CompensationPoolInvalidClaimDeadline")
        .withArgs(2 ** 32, openedAt + 1 + WINDOW);
      await time.setNextBlockTimestamp(openedAt + 2);
      await expect(pool.openIncident(f.tree.root, f.total, openedAt + 2 + WINDOW + 1, METADATA)).to.emit(
        f.pool,
        "IncidentOpened",
      );
    });

    it("refuses a round the free balance cannot cover", async function () {
      const f = await loadFixture(deployFixture);
      const free = await f.pool.freeBalance();
      await expect(f.pool.connect(f.admin).openIncident(f.tree.root, free + 1n, 2 ** 31, METADATA))
        .to.be.revertedWithCustomError(f.pool, "CompensationPoolInsufficientFunds")
        .withArgs(free, free + 1n);
    });

    it("refuses to open a round while paused", async function () {
      const f = await loadFixture(deployFixture);
      await f.pool.connect(f.guardian).pause();
      await expect(
        f.pool.connect(f.admin).openIncident(f.tree.root, f.total, 2 ** 31, METADATA),
      ).to.be.revertedWithCustomError(f.pool, "CompensationPoolEnforcedPause");
    });

    it("keeps at most 16 rounds open and takes a new one once one closes", async function () {
      const f = await loadFixture(deployFixture);
      for (let i = 0; i < 16; i++) await open(f, f.tree.root, 1n * C);
      await expect(f.pool.connect(f.admin).openIncident(f.tree.root, 1n * C, 2 ** 31, METADATA))
        .to.be.revertedWithCustomError(f.pool, "CompensationPoolTooManyOpenIncidents")
        .withArgs(16n);
      expect(await f.pool.reserved()).to.equal(16n * C);
      await f.pool.connect(f.guardian).cancelIncident(16n, METADATA);
      await expect(f.pool.connect(f.admin).openIncident(f.tree.root, 1n * C, 2 ** 31, METADATA)).to.emit(
        f.pool,
        "IncidentOpened",
      );
    });
  });

  describe("challenge window", function () {
    it("lets a guardian cancel in the window's last second and releases the total", async function () {
      const f = await loadFixture(deployFixture);
      const { incidentId, claimableAt } = await open(f);
      await time.setNextBlockTimestamp(claimableAt - 1);
      const reason = id("root built from the wrong snapshot");
      await expect(f.pool.connect(f.guardian).cancelIncident(incidentId, reason))
        .to.emit(f.pool, "IncidentCancelled")
        .withArgs(incidentId, f.guardian.address, reason, f.total);
      expect(await f.pool.reserved()).to.equal(0n);
      expect(await f.pool.openIncidentIds()).to.deep.equal([]);
      expect((await f.pool.getIncident(incidentId)).status).to.equal(BigInt(IncidentStatus.Cancelled));
      expect(await f.c.balanceOf(await vaultOf(f, incidentId))).to.equal(0n);
      await time.setNextBlockTimestamp(claimableAt);
      await expect(claimOn(f, incidentId, ...claimArgs(f, 0), f.stranger))
        .to.be.revertedWithCustomError(f.pool, "CompensationPoolIncidentNotOpen")
        .withArgs(incidentId, IncidentStatus.Cancelled);
    });

    it("refuses a cancel once the round is claimable", async function () {
      const f = await loadFixture(deployFixture);
      const { incidentId, claimableAt } = await open(f);
      await time.setNextBlockTimestamp(claimableAt);
      await expect(f.pool.connect(f.guardian).cancelIncident(incidentId, METADATA))
        .to.be.revertedWithCustomError(f.pool, "CompensationPoolChallengeWindowOver")
        .withArgs(incidentId, claimableAt);
    });

    it("lets only guardians cancel, and only open rounds that exist", async function () {
      const f = await loadFixture(deployFixture);
      const { incidentId } = await open(f);
      await expect(f.pool.connect(f.admin).cancelIncident(incidentId, METADATA))
        .to.be.revertedWithCustomError(f.pool, "AccessControlUnauthorizedAccount")
        .withArgs(f.admin.address, GUARDIAN_ROLE);
      await expect(f.pool.connect(f.guardian).cancelIncident(7n, METADATA))
        .to.be.revertedWithCustomError(f.pool, "CompensationPoolUnknownIncident")
        .withArgs(7n);
      await f.pool.connect(f.guardian).cancelIncident(incidentId, METADATA);
      await expect(f.pool.connect(f.guardian).cancelIncident(incidentId, METADATA))
        .to.be.revertedWithCustomError(f.pool, "CompensationPoolIncidentNotOpen")
        .withArgs(incidentId, IncidentStatus.Cancelled);
    });
  });

  describe("claiming", function () {
    it("refuses a claim one second before the round is claimable", async function () {
      const f = await loadFixture(deployFixture);
      const { incidentId, claimableAt } = await open(f);
      await time.setNextBlockTimestamp(claimableAt - 1);
      await expect(claimOn(f, incidentId, ...claimArgs(f, 1)))
        .to.be.revertedWithCustomError(f.pool, "CompensationPoolIncidentNotClaimable")
        .withArgs(incidentId, claimableAt);
    });

    it("pays the leaf's account whoever sends it, from claimableAt on", async function () {
      const f = await loadFixture(deployFixture);
      const { incidentId, claimableAt } = await open(f);
      const [index, account, amount] = f.leaves[1]!;
      await time.setNextBlockTimestamp(claimableAt);
      await expect(claimOn(f, incidentId, ...claimArgs(f, 1), f.stranger))
        .to.emit(await vaultOf(f, incidentId), "IncidentClaimed")
        .withArgs(incidentId, index, account, amount);
      expect(await f.c.balanceOf(account)).to.equal(amount);
      expect(await f.c.balanceOf(f.stranger)).to.equal(0n);
      expect(await f.pool.isIncidentClaimed(incidentId, index)).to.equal(true);
      expect(await f.pool.isIncidentClaimed(incidentId, 0n)).to.equal(false);
      expect((await f.pool.getIncident(incidentId)).claimed).to.equal(amount);
      expect(await f.pool.reserved()).to.equal(f.total - amount);
    });

    it("takes claims after the deadline until someone closes the round, then refuses them", async function () {
      const f = await loadFixture(deployFixture);
      const { incidentId, claimDeadline } = await open(f);
      const vault = await vaultOf(f, incidentId);
      await time.setNextBlockTimestamp(claimDeadline);
      await expect(claimOn(f, incidentId, ...claimArgs(f, 0))).to.emit(vault, "IncidentClaimed");
      await time.setNextBlockTimestamp(claimDeadline + 1);
      await expect(claimOn(f, incidentId, ...claimArgs(f, 1))).to.emit(vault, "IncidentClaimed");
      await f.pool.connect(f.stranger).closeIncident(incidentId);
      await expect(claimOn(f, incidentId, ...claimArgs(f, 2)))
        .to.be.revertedWithCustomError(f.pool, "CompensationPoolIncidentNotOpen")
        .withArgs(incidentId, IncidentStatus.Closed);
    });

    it("refuses a leaf of zero, which would stay claimable after the round ended", async function () {
      const f = await loadFixture(deployFixture);
      const leaves: Leaf[] = [
        [0n, f.stranger.address, 0n],
        [1n, f.admin.address, 5n * C],
      ];
      const tree = StandardMerkleTree.of(leaves, LEAF_TYPES);
      const { incidentId } = await open(f, tree.root, 5n * C);
      await time.increase(WINDOW);
      await expect(claimOn(f, incidentId, ...claimArgs(f, 0, tree, leaves))).to.be.revertedWithCustomError(
        f.pool,
        "CompensationPoolZeroAmount",
      );
    });

    it("does not count C sent to a vault directly as the round's, and frees it at close", async function () {
      const f = await loadFixture(deployFixture);
      const { incidentId, claimDeadline } = await open(f, f.tree.root, 55n * C);
      const vault = await vaultOf(f, incidentId);
      await f.c.connect(f.admin).transfer(vault, 7n * C);
      expect(await f.pool.reserved()).to.equal(55n * C);
      expect((await f.pool.getIncident(incidentId)).claimed).to.equal(0n);
      await time.increase(WINDOW);
      await claimOn(f, incidentId, ...claimArgs(f, 1)); // 20 C
      expect(await f.pool.reserved()).to.equal(55n * C - 13n * C); // the gift hides 7 C of claims
      await time.increaseTo(claimDeadline + 1);
      const free = await f.pool.freeBalance();
      // Released: what the vault held (35 C left + the 7 C gift); claimed is counted against the total.
      await expect(f.pool.closeIncident(incidentId))
        .to.emit(f.pool, "IncidentClosed")
        .withArgs(incidentId, 13n * C, 42n * C);
      expect(await f.pool.freeBalance()).to.equal(free + 42n * C);
      expect(await f.c.balanceOf(vault)).to.equal(0n);
    });

    it("passes on the token's own reason when it refuses the transfer", async function () {
      const [admin, assessor, guardian, , , , , stranger] = await ethers.getSigners();
      const token = await ethers.deployContract("MockBlocklistCToken");
      const { pool } = await deployPool(ethers, {
        token,
        admin: admin!,
        assessor: assessor!,
        guardian: guardian!,
        mint: 1_000n * C,
        fund: 1_000n * C,
      });
      const leaves: Leaf[] = [
        [0n, stranger!.address, 1n * C],
        [1n, admin!.address, 2n * C],
      ];
      const tree = StandardMerkleTree.of(leaves, LEAF_TYPES);
      const openedAt = (await time.latest()) + 1;
      await time.setNextBlockTimestamp(openedAt);
      await pool.connect(admin!).openIncident(tree.root, 3n * C, openedAt + WINDOW + DAY, METADATA);
      const vault = await ethers.getContractAt("IncidentVault", (await pool.getIncident(1n)).vault);
      await token.setBlocked(stranger!.address, true);
      await time.increase(WINDOW);
      await expect(vault.claim(0n, stranger!.address, 1n * C, tree.getProof(0)))
        .to.be.revertedWithCustomError(token, "MockBlocklistCTokenBlocked")
        .withArgs(stranger!.address);
      expect(await vault.isClaimed(0n)).to.equal(false);
    });

    it("pays each index once", async function () {
      const f = await loadFixture(deployFixture);
      const { incidentId } = await open(f);
      await time.increase(WINDOW);
      await claimOn(f, incidentId, ...claimArgs(f, 3));
      await expect(claimOn(f, incidentId, ...claimArgs(f, 3)))
        .to.be.revertedWithCustomError(f.pool, "CompensationPoolAlreadyClaimed")
        .withArgs(incidentId, 3n);
      expect(await f.c.balanceOf(f.leaves[3]![1])).to.equal(f.leaves[3]![2]);
    });

    it("rejects a wrong proof, a changed amount, account or index", async function () {
      const f = await loadFixture(deployFixture);
      const { incidentId } = await open(f);
      await time.increase(WINDOW);
      const [index, account, amount, proof] = claimArgs(f, 2);
      const cases: [bigint, string, bigint, string[]][] = [
        [index, account, amount, f.tree.getProof(1)],
        [index, account, amount + 1n, proof],
        [index, f.stranger.address, amount, proof],
        [index + 1n, account, amount, proof],
        [index, account, amount, []],
      ];
      for (const [i, who, much, p] of cases) {
        await expect(claimOn(f, incidentId, i, who, much, p))
          .to.be.revertedWithCustomError(f.pool, "CompensationPoolInvalidProof")
          .withArgs(incidentId, i);
      }
    });

    it("has no vault, and no claimed leaf, for a round that does not exist", async function () {
      const f = await loadFixture(deployFixture);
      expect((await f.pool.getIncident(3n)).vault).to.equal(ethers.ZeroAddress);
      expect(await f.pool.isIncidentClaimed(3n, 0n)).to.equal(false);
    });

    it("keeps rounds apart: a proof for one root does not open another, and bitmaps are separate", async function () {
      const f = await loadFixture(deployFixture);
      const other = StandardMerkleTree.of(
        [
          [0n, f.leaves[0]![1], 1n * C],
          [1n, f.leaves[1]![1], 2n * C],
        ] as Leaf[],
        LEAF_TYPES,
      );
      const first = await open(f);
      const second = await open(f, other.root, 3n * C);
      const third = await open(f); // same root as the first
      await time.increase(WINDOW);
      await expect(claimOn(f, second.incidentId, ...claimArgs(f, 0)))
        .to.be.revertedWithCustomError(f.pool, "CompensationPoolInvalidProof")
        .withArgs(second.incidentId, 0n);
      await claimOn(f, first.incidentId, ...claimArgs(f, 0));
      await expect(claimOn(f, third.incidentId, ...claimArgs(f, 0))).to.emit(
        await vaultOf(f, third.incidentId),
        "IncidentClaimed",
      );
      expect(await f.pool.isIncidentClaimed(second.incidentId, 0n)).to.equal(false);
    });

    it("never pays a round beyond its total, even with a root whose leaves add up to more", async function () {
      const f = await loadFixture(deployFixture);
      // The admin typed 55 C though the leaves hold 100 C + 1 wei.
      const { incidentId } = await open(f, f.tree.root, 55n * C);
      await time.increase(WINDOW);
      await claimOn(f, incidentId, ...claimArgs(f, 0)); // 10
      await claimOn(f, incidentId, ...claimArgs(f, 1)); // 30
      await expect(claimOn(f, incidentId, ...claimArgs(f, 2)))
        .to.be.revertedWithCustomError(f.pool, "CompensationPoolIncidentOverdrawn")
        .withArgs(incidentId, 30n * C, 30n * C, 55n * C);
      expect(await f.pool.isIncidentClaimed(incidentId, 2n)).to.equal(false);
      expect(await f.pool.reserved()).to.equal(25n * C);
      expect(await f.c.balanceOf(await vaultOf(f, incidentId))).to.equal(25n * C);
      expect(await f.c.balanceOf(f.pool)).to.equal(100_000n * C - 55n * C);
    });

    it("stops claims while paused and takes them again after unpause", async function () {
      const f = await loadFixture(deployFixture);
      const { incidentId } = await open(f);
      await time.increase(WINDOW);
      await f.pool.connect(f.guardian).pause();
      // The pool holds the round's funds while paused: still reserved, not free.
      expect(await f.c.balanceOf(await vaultOf(f, incidentId))).to.equal(0n);
      expect(await f.pool.reserved()).to.equal(f.total);
      await expect(claimOn(f, incidentId, ...claimArgs(f, 0))).to.be.revertedWithCustomError(
        f.pool,
        "CompensationPoolEnforcedPause",
      );
      await f.pool.connect(f.guardian).unpause();
      expect(await f.c.balanceOf(await vaultOf(f, incidentId))).to.equal(f.total);
      await expect(claimOn(f, incidentId, ...claimArgs(f, 0))).to.emit(await vaultOf(f, incidentId), "IncidentClaimed");
    });

    it("pauses every open round, including ones swapped around by closing others", async function () {
      const f = await loadFixture(deployFixture);
      const rounds = [];
      for (let i = 0; i < 3; i++) rounds.push(await open(f));
      await f.pool.connect(f.guardian).cancelIncident(rounds[0]!.incidentId, METADATA);
      await time.increase(WINDOW);
      await f.pool.connect(f.guardian).pause();
      for (const { incidentId } of rounds.slice(1)) {
        await expect(claimOn(f, incidentId, ...claimArgs(f, 1))).to.be.revertedWithCustomError(
          f.pool,
          "CompensationPoolEnforcedPause",
        );
      }
      await f.pool.connect(f.guardian).unpause();
      for (const { incidentId } of rounds.slice(1)) {
        await expect(claimOn(f, incidentId, ...claimArgs(f, 1))).to.emit(
          await vaultOf(f, incidentId),
          "IncidentClaimed",
        );
      }
    });
  });

  describe("closing", function () {
    it("refuses to close at the deadline and closes one second later, releasing what was not claimed", async function () {
      const f = await loadFixture(deployFixture);
      const { incidentId, claimableAt, claimDeadline } = await open(f);
      await time.setNextBlockTimestamp(claimableAt);
      await claimOn(f, incidentId, ...claimArgs(f, 2)); // 30 C
      await time.setNextBlockTimestamp(claimDeadline);
      await expect(f.pool.connect(f.stranger).closeIncident(incidentId))
        .to.be.revertedWithCustomError(f.pool, "CompensationPoolIncidentClaimPeriodNotOver")
        .withArgs(incidentId, claimDeadline);
      const free = await f.pool.freeBalance();
      await time.setNextBlockTimestamp(claimDeadline + 1);
      await expect(f.pool.connect(f.stranger).closeIncident(incidentId))
        .to.emit(f.pool, "IncidentClosed")
        .withArgs(incidentId, 30n * C, f.total - 30n * C);
      expect(await f.pool.reserved()).to.equal(0n);
      expect(await f.pool.freeBalance()).to.equal(free + f.total - 30n * C);
      expect((await f.pool.getIncident(incidentId)).status).to.equal(BigInt(IncidentStatus.Closed));
      await expect(claimOn(f, incidentId, ...claimArgs(f, 0)))
        .to.be.revertedWithCustomError(f.pool, "CompensationPoolIncidentNotOpen")
        .withArgs(incidentId, IncidentStatus.Closed);
      await expect(f.pool.closeIncident(incidentId))
        .to.be.revertedWithCustomError(f.pool, "CompensationPoolIncidentNotOpen")
        .withArgs(incidentId, IncidentStatus.Closed);
    });

    it("closes the right round out of several and keeps the others reserved", async function () {
      const f = await loadFixture(deployFixture);
      const a = await open(f, f.tree.root, 1n * C);
      const b = await open(f, f.tree.root, 2n * C);
      const c = await open(f, f.tree.root, 4n * C);
      await time.increaseTo(a.claimDeadline + 1);
      await f.pool.closeIncident(b.incidentId);
      expect(await f.pool.openIncidentIds()).to.deep.equal([a.incidentId, c.incidentId]);
      expect(await f.pool.reserved()).to.equal(5n * C);
      await f.pool.closeIncident(a.incidentId);
      expect(await f.pool.openIncidentIds()).to.deep.equal([c.incidentId]);
      expect(await f.pool.reserved()).to.equal(4n * C);
    });

    it("closes while paused a round whose deadline had passed before the pause began", async function () {
      const f = await loadFixture(deployFixture);
      const { incidentId, claimDeadline } = await open(f);
      await time.increaseTo(claimDeadline + 1);
      await f.pool.connect(f.guardian).pause();
      await expect(f.pool.closeIncident(incidentId)).to.emit(f.pool, "IncidentClosed");
      await expect(f.pool.connect(f.guardian).unpause()).not.to.emit(f.pool, "IncidentDeadlineExtended");
    });

    it("rejects closing a round that does not exist", async function () {
      const f = await loadFixture(deployFixture);
      await expect(f.pool.closeIncident(1n))
        .to.be.revertedWithCustomError(f.pool, "CompensationPoolUnknownIncident")
        .withArgs(1n);
    });
  });

  describe("a pause does not run out a round's claim window", function () {
    it("refuses to close a round paused before its deadline, then gives the paused time back", async function () {
      const f = await loadFixture(deployFixture);
      const { incidentId, claimableAt, claimDeadline } = await open(f);
      const pausedAt = claimableAt + DAY;
      await time.setNextBlockTimestamp(pausedAt);
      await f.pool.connect(f.guardian).pause();
      // The pause outlasts the deadline: the round must neither close nor be swept meanwhile.
      await time.increaseTo(claimDeadline + 10 * DAY);
      await expect(f.pool.closeIncident(incidentId)).to.be.revertedWithCustomError(
        f.pool,
        "CompensationPoolEnforcedPause",
      );
      expect(await f.pool.reserved()).to.equal(f.total);
      const free = await f.pool.freeBalance();
      await expect(f.pool.connect(f.admin).sweep(f.admin, free + 1n)).to.be.revertedWithCustomError(
        f.pool,
        "CompensationPoolInsufficientFunds",
      );
      // Claimants had [pausedAt, claimDeadline] left: they get it again from the unpause on.
      const unpausedAt = claimDeadline + 10 * DAY + 5;
      await time.setNextBlockTimestamp(unpausedAt);
      const lost = unpausedAt - pausedAt;
      const extended = claimDeadline + lost;
      expect(extended - unpausedAt).to.equal(claimDeadline - pausedAt);
      await expect(f.pool.connect(f.guardian).unpause())
        .to.emit(f.pool, "IncidentDeadlineExtended")
        .withArgs(incidentId, extended, lost);
      expect((await f.pool.getIncident(incidentId)).claimDeadline).to.equal(BigInt(extended));
      await expect(claimOn(f, incidentId, ...claimArgs(f, 0))).to.emit(await vaultOf(f, incidentId), "IncidentClaimed");
      await time.setNextBlockTimestamp(extended);
      await expect(f.pool.closeIncident(incidentId))
        .to.be.revertedWithCustomError(f.pool, "CompensationPoolIncidentClaimPeriodNotOver")
        .withArgs(incidentId, extended);
      await expect(claimOn(f, incidentId, ...claimArgs(f, 1))).to.emit(await vaultOf(f, incidentId), "IncidentClaimed");
      await expect(f.pool.closeIncident(incidentId)).to.emit(f.pool, "IncidentClosed");
    });

    it("adds exactly the paused seconds of a pause inside the claim window, pause after pause", async function () {
      const f = await loadFixture(deployFixture);
      const { incidentId, claimableAt, claimDeadline } = await open(f);
      let deadline = claimDeadline;
      for (const [start, length] of [
        [claimableAt + 100, 3_600],
        [claimableAt + DAY, 2 * DAY],
      ] as const) {
        await time.setNextBlockTimestamp(start);
        await f.pool.connect(f.guardian).pause();
        await time.setNextBlockTimestamp(start + length);
        deadline += length;
        await expect(f.pool.connect(f.guardian).unpause())
          .to.emit(f.pool, "IncidentDeadlineExtended")
          .withArgs(incidentId, deadline, length);
      }
      expect((await f.pool.getIncident(incidentId)).claimDeadline).to.equal(BigInt(deadline));
    });

    it("adds nothing for a pause within the challenge window, and counts a straddling one from claimableAt", async function () {
      const f = await loadFixture(deployFixture);
      const { incidentId, claimableAt, claimDeadline } = await open(f);
      await f.pool.connect(f.guardian).pause();
      await time.setNextBlockTimestamp(claimableAt - 1);
      await expect(f.pool.connect(f.guardian).unpause()).not.to.emit(f.pool, "IncidentDeadlineExtended");
      await f.pool.connect(f.guardian).pause();
      await time.setNextBlockTimestamp(claimableAt + 60);
      await expect(f.pool.connect(f.guardian).unpause())
        .to.emit(f.pool, "IncidentDeadlineExtended")
        .withArgs(incidentId, claimDeadline + 60, 60);
    });
  });

  describe("proofs (property)", function () {
    // The pool hashes leaves and proofs in assembly; OpenZeppelin's JavaScript tree is the reference.
    const leafArb = fc.record({
      // Any uint256 index: the claimed-bitmap word is index >> 8, so large indexes matter too.
      index: fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }),
      account: fc
        .uint8Array({ minLength: 20, maxLength: 20 })
        .map((b) => getAddress(hexlify(b)))
        .filter((a) => BigInt(a) !== 0n), // ERC-20 transfers to address zero revert
      amount: fc.bigInt({ min: 1n, max: 100n * C }),
    });
    const treeArb = fc.uniqueArray(leafArb, { minLength: 1, maxLength: 48, selector: (l) => l.index }).chain((leaves) =>
      fc.record({
        leaves: fc.constant(leaves),
        claimed: fc.shuffledSubarray([...leaves.keys()], { minLength: 1, maxLength: Math.min(leaves.length, 6) }),
      }),
    );

    it("pays every leaf of random StandardMerkleTrees once and refuses altered proofs", async function () {
      const f = await loadFixture(deployFixture);
      // Enough for 30 rounds of up to 48 leaves of up to 100 C, all reserved at once.
      await f.pool.connect(f.admin).fund(150_000n * C);
      await fc.assert(
        fc.asyncProperty(treeArb, async ({ leaves, claimed }) => {
          const values: Leaf[] = leaves.map((l) => [l.index, l.account, l.amount]);
          const tree = StandardMerkleTree.of(values, LEAF_TYPES);
          const total = values.reduce((sum, [, , amount]) => sum + amount, 0n);
          const { incidentId, claimDeadline } = await open(f, tree.root, total);
          await time.increase(WINDOW);
          for (const i of claimed) {
            const [index, account, amount] = values[i]!;
            const proof = tree.getProof(values[i]!);
            // An altered proof: one sibling changed, or (single-leaf tree) a sibling added.
            const altered =
              proof.length === 0 ? [hexlify(randomBytes(32))] : proof.map((p, k) => (k === 0 ? id(p) : p));
            expect(StandardMerkleTree.verify(tree.root, LEAF_TYPES, values[i]!, altered)).to.equal(false);
            await expect(claimOn(f, incidentId, index, account, amount, altered))
              .to.be.revertedWithCustomError(f.pool, "CompensationPoolInvalidProof")
              .withArgs(incidentId, index);
            const before = await f.c.balanceOf(account);
            await expect(claimOn(f, incidentId, index, account, amount, proof, f.stranger))
              .to.emit(await vaultOf(f, incidentId), "IncidentClaimed")
              .withArgs(incidentId, index, account, amount);
            expect(await f.c.balanceOf(account)).to.equal(before + amount);
            await expect(claimOn(f, incidentId, index, account, amount, proof))
              .to.be.revertedWithCustomError(f.pool, "CompensationPoolAlreadyClaimed")
              .withArgs(incidentId, index);
          }
          const paid = claimed.reduce((sum, i) => sum + values[i]![2], 0n);
          expect((await f.pool.getIncident(incidentId)).claimed).to.equal(paid);
          // Close the round (at most 16 may be open) and check what it releases.
          await time.increaseTo(claimDeadline + 1);
          await expect(f.pool.closeIncident(incidentId))
            .to.emit(f.pool, "IncidentClosed")
            .withArgs(incidentId, paid, total - paid);
        }),
        { numRuns: 30, seed: 0x5eed },
      );
    });
  });
});
