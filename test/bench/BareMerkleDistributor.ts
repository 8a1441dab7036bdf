import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import { network } from "hardhat";

const { ethers, networkHelpers } = await network.create();

const C = 10n ** 18n;

/** The gas bench's baseline (contracts/bench/BareMerkleDistributor.sol): it must be a working distributor. */
describe("BareMerkleDistributor (gas baseline)", function () {
  async function deployFixture() {
    const [deployer, alice, bob] = await ethers.getSigners();
    const c = await ethers.deployContract("MockCToken");
    const leaves: [bigint, string, bigint][] = [
      [0n, alice!.address, 7n * C],
      [1n, bob!.address, 9n * C],
      [300n, bob!.address, 2n * C], // another bitmap word
    ];
    const tree = StandardMerkleTree.of(leaves, ["uint256", "address", "uint256"]);
    const bare = await ethers.deployContract("BareMerkleDistributor", [c, tree.root]);
    await c.mint(deployer!, 100n * C);
    return { c, bare, tree, leaves, deployer: deployer! };
  }

  it("pays each leaf once, to its account, whoever sends it", async function () {
    const { c, bare, tree, leaves } = await networkHelpers.loadFixture(deployFixture);
    await c.transfer(bare, 18n * C);
    for (const [i, leaf] of leaves.entries()) {
      const [index, account, amount] = leaf;
      const before = await c.balanceOf(account);
      await expect(bare.claim(index, account, amount, tree.getProof(i)))
        .to.emit(bare, "Claimed")
        .withArgs(index, account, amount);
      expect(await c.balanceOf(account)).to.equal(before + amount);
      await expect(bare.claim(index, account, amount, tree.getProof(i)))
        .to.be.revertedWithCustomError(bare, "AlreadyClaimed")
        .withArgs(index);
    }
    expect(await c.balanceOf(bare)).to.equal(0n);
  });

  it("refuses a leaf that is not in the tree, and pays nothing", async function () {
    const { c, bare, tree, leaves } = await networkHelpers.loadFixture(deployFixture);
    await c.transfer(bare, 18n * C);
    const [index, account, amount] = leaves[0]!;
    await expect(bare.claim(index, account, amount + 1n, tree.getProof(0)))
      .to.be.revertedWithCustomError(bare, "InvalidProof")
      .withArgs(index);
    await expect(bare.claim(index, account, amount, tree.getProof(1)))
      .to.be.revertedWithCustomError(bare, "InvalidProof")
      .withArgs(index);
    expect(await c.balanceOf(bare)).to.equal(18n * C);
  });

  it("reverts without marking the leaf when it cannot pay", async function () {
    const { c, bare, tree, leaves } = await networkHelpers.loadFixture(deployFixture);
    const [index, account, amount] = leaves[0]!;
    await expect(bare.claim(index, account, amount, tree.getProof(0))).to.be.revertedWithCustomError(
      c,
      "ERC20InsufficientBalance",
    );
    await c.transfer(bare, amount);
    await expect(bare.claim(index, account, amount, tree.getProof(0))).to.emit(bare, "Claimed");
  });
});
