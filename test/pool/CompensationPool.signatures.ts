import { expect } from "chai";
import { TypedDataEncoder, id, keccak256, toUtf8Bytes } from "ethers";
import { network } from "hardhat";

import { C, CLAIM_REQUEST_TYPES, Kind, Status, claimDomain, signClaimRequest, type ClaimRequest } from "./helpers.js";
import { deployPool } from "../fixtures/station.js";

const { ethers, networkHelpers } = await network.create();
const { time, loadFixture } = networkHelpers;

const EVIDENCE = id("evidence");

describe("CompensationPool signed claims", function () {
  async function deployFixture() {
    const [admin, alice, mallory, relayer, walletOwner] = await ethers.getSigners();
    const c = await ethers.deployContract("MockCToken");
    const { pool } = await deployPool(ethers, { token: c, admin: admin! });
    const wallet = await ethers.deployContract("PoolERC1271Wallet", [walletOwner!]);
    const { chainId } = await ethers.provider.getNetwork();
    const poolAddress = await pool.getAddress();
    return {
      pool,
      wallet,
      chainId,
      poolAddress,
      admin: admin!,
      alice: alice!,
      mallory: mallory!,
      relayer: relayer!,
      walletOwner: walletOwner!,
    };
  }

  type Fixture = Awaited<ReturnType<typeof deployFixture>>;

  async function request(claimant: string, overrides: Partial<ClaimRequest> = {}): Promise<ClaimRequest> {
    return {
      claimant,
      kind: Kind.MissingReward,
      amount: 12n * C,
      evidenceHash: EVIDENCE,
      nonce: 0n,
      deadline: BigInt(await time.latest()) + 600n,
      ...overrides,
    };
  }

  async function sign(f: Fixture, signer: Fixture["alice"], req: ClaimRequest) {
    return signClaimRequest(signer, req, f.chainId, f.poolAddress);
  }

  it("files a claim for the signer when a relayer sends it, and uses up the nonce", async function () {
    const f = await loadFixture(deployFixture);
    const req = await request(f.alice.address);
    const signature = await sign(f, f.alice, req);
    const tx = f.pool.connect(f.relayer).submitClaimWithSig(req, signature);
    await expect(tx).to.emit(f.pool, "ClaimSubmitted");
    await expect(tx).to.emit(f.pool, "ClaimStatusChanged").withArgs(1n, Status.Submitted, f.alice.address, EVIDENCE);
    const claim = await f.pool.getClaim(1n);
    expect(claim.claimant).to.equal(f.alice.address);
    expect(claim.amount).to.equal(12n * C);
    expect(await f.pool.nonces(f.alice)).to.equal(1n);
    expect(await f.pool.nonces(f.relayer)).to.equal(0n);
  });

  it("rejects a replay of a used signature with the expected nonce", async function () {
    const f = await loadFixture(deployFixture);
    const req = await request(f.alice.address);
    const signature = await sign(f, f.alice, req);
    await f.pool.connect(f.relayer).submitClaimWithSig(req, signature);
    await expect(f.pool.connect(f.relayer).submitClaimWithSig(req, signature))
      .to.be.revertedWithCustomError(f.pool, "CompensationPoolInvalidNonce")
      .withArgs(f.alice.address, 1n, 0n);
  });

  it("rejects a nonce ahead of the claimant's", async function () {
    const f = await loadFixture(deployFixture);
    const req = await request(f.alice.address, { nonce: 5n });
    await expect(f.pool.connect(f.relayer).submitClaimWithSig(req, await sign(f, f.alice, req)))
      .to.be.revertedWithCustomError(f.pool, "CompensationPoolInvalidNonce")
      .withArgs(f.alice.address, 0n, 5n);
  });

  it("accepts consecutive nonces", async function () {
    const f = await loadFixture(deployFixture);
    for (const nonce of [0n, 1n, 2n]) {
      const req = await request(f.alice.address, { nonce });
      await f.pool.connect(f.relayer).submitClaimWithSig(req, await sign(f, f.alice, req));
    }
    expect(await f.pool.claimCount()).to.equal(3n);
    expect(await f.pool.nonces(f.alice)).to.equal(3n);
  });

  it("accepts a signature in its deadline's second and rejects it one second later", async function () {
    const f = await loadFixture(deployFixture);
    const at = (await time.latest()) + 100;
    const req = await request(f.alice.address, { deadline: BigInt(at) });
    const signature = await sign(f, f.alice, req);
    await time.setNextBlockTimestamp(at + 1);
    await expect(f.pool.connect(f.relayer).submitClaimWithSig(req, signature))
      .to.be.revertedWithCustomError(f.pool, "CompensationPoolSignatureExpired")
      .withArgs(at);
    // A fresh deployment state is not needed: the failed call consumed nothing.
    const req2 = await request(f.alice.address, { deadline: BigInt(at + 50) });
    await time.setNextBlockTimestamp(at + 50);
    await expect(f.pool.connect(f.relayer).submitClaimWithSig(req2, await sign(f, f.alice, req2))).to.emit(
      f.pool,
      "ClaimSubmitted",
    );
  });

  it("rejects a signature made for another chain id", async function () {
    const f = await loadFixture(deployFixture);
    const req = await request(f.alice.address);
    const signature = await signClaimRequest(f.alice, req, f.chainId + 1n, f.poolAddress);
    await expect(f.pool.connect(f.relayer).submitClaimWithSig(req, signature))
      .to.be.revertedWithCustomError(f.pool, "CompensationPoolInvalidSigner")
      .withArgs(f.alice.address);
  });

  it("rejects a signature made for another pool", async function () {
    const f = await loadFixture(deployFixture);
    const req = await request(f.alice.address);
    const signature = await signClaimRequest(f.alice, req, f.chainId, f.relayer.address);
    await expect(f.pool.connect(f.relayer).submitClaimWithSig(req, signature))
      .to.be.revertedWithCustomError(f.pool, "CompensationPoolInvalidSigner")
      .withArgs(f.alice.address);
  });

  it("rejects a request signed by someone other than the claimant", async function () {
    const f = await loadFixture(deployFixture);
    const req = await request(f.alice.address);
    await expect(f.pool.connect(f.mallory).submitClaimWithSig(req, await sign(f, f.mallory, req)))
      .to.be.revertedWithCustomError(f.pool, "CompensationPoolInvalidSigner")
      .withArgs(f.alice.address);
    expect(await f.pool.nonces(f.alice)).to.equal(0n);
  });

  it("rejects a request altered after signing", async function () {
    const f = await loadFixture(deployFixture);
    const req = await request(f.alice.address);
    const signature = await sign(f, f.alice, req);
    await expect(f.pool.connect(f.relayer).submitClaimWithSig({ ...req, amount: 9_000n * C }, signature))
      .to.be.revertedWithCustomError(f.pool, "CompensationPoolInvalidSigner")
      .withArgs(f.alice.address);
  });

  it("rejects a malformed signature as a wrong signer", async function () {
    const f = await loadFixture(deployFixture);
    const req = await request(f.alice.address);
    await expect(f.pool.connect(f.relayer).submitClaimWithSig(req, "0x1234"))
      .to.be.revertedWithCustomError(f.pool, "CompensationPoolInvalidSigner")
      .withArgs(f.alice.address);
  });

  it("rejects a kind outside the enum with the kind in the error", async function () {
    const f = await loadFixture(deployFixture);
    const req = await request(f.alice.address, { kind: 4 });
    await expect(f.pool.connect(f.relayer).submitClaimWithSig(req, await sign(f, f.alice, req)))
      .to.be.revertedWithCustomError(f.pool, "CompensationPoolInvalidKind")
      .withArgs(4);
  });

  it("applies the submission rules to a signed request", async function () {
    const f = await loadFixture(deployFixture);
    const req = await request(f.alice.address, { amount: 0n });
    await expect(
      f.pool.connect(f.relayer).submitClaimWithSig(req, await sign(f, f.alice, req)),
    ).to.be.revertedWithCustomError(f.pool, "CompensationPoolZeroAmount");
    await f.pool.connect(f.admin).pause();
    const req2 = await request(f.alice.address);
    await expect(
      f.pool.connect(f.relayer).submitClaimWithSig(req2, await sign(f, f.alice, req2)),
    ).to.be.revertedWithCustomError(f.pool, "CompensationPoolEnforcedPause");
  });

  it("accepts an EIP-1271 wallet's signature and files the claim for the wallet", async function () {
    const f = await loadFixture(deployFixture);
    const walletAddress = await f.wallet.getAddress();
    const req = await request(walletAddress, { kind: Kind.RedemptionToolFailure });
    const signature = await sign(f, f.walletOwner, req);
    await expect(f.pool.connect(f.relayer).submitClaimWithSig(req, signature))
      .to.emit(f.pool, "ClaimStatusChanged")
      .withArgs(1n, Status.Submitted, walletAddress, EVIDENCE);
    expect((await f.pool.getClaim(1n)).claimant).to.equal(walletAddress);
    expect(await f.pool.nonces(walletAddress)).to.equal(1n);
  });

  it("rejects an EIP-1271 wallet's signature when the wallet says it is invalid", async function () {
    const f = await loadFixture(deployFixture);
    const walletAddress = await f.wallet.getAddress();
    const req = await request(walletAddress);
    const signature = await sign(f, f.walletOwner, req);
    await f.wallet.setRefuseAll(true);
    await expect(f.pool.connect(f.relayer).submitClaimWithSig(req, signature))
      .to.be.revertedWithCustomError(f.pool, "CompensationPoolInvalidSigner")
      .withArgs(walletAddress);
  });

  it("rejects a signature for a wallet made by a key that does not own it", async function () {
    const f = await loadFixture(deployFixture);
    const walletAddress = await f.wallet.getAddress();
    const req = await request(walletAddress);
    await expect(f.pool.connect(f.relayer).submitClaimWithSig(req, await sign(f, f.mallory, req)))
      .to.be.revertedWithCustomError(f.pool, "CompensationPoolInvalidSigner")
      .withArgs(walletAddress);
  });

  describe("an EIP-7702 account (an EOA with delegated code)", function () {
    /** Gives alice's address code without ERC-1271, as a 7702 delegation to such a contract does. */
    async function delegated(f: Fixture) {
      const code = await ethers.provider.getCode(await f.pool.getAddress());
      await ethers.provider.send("hardhat_setCode", [f.alice.address, code]);
      expect(await ethers.provider.getCode(f.alice.address)).to.not.equal("0x");
    }

    it("accepts the account key's own ECDSA signature although its code lacks ERC-1271", async function () {
      const f = await loadFixture(deployFixture);
      await delegated(f);
      const req = await request(f.alice.address);
      await expect(f.pool.connect(f.relayer).submitClaimWithSig(req, await sign(f, f.alice, req)))
        .to.emit(f.pool, "ClaimStatusChanged")
        .withArgs(1n, Status.Submitted, f.alice.address, EVIDENCE);
      expect((await f.pool.getClaim(1n)).claimant).to.equal(f.alice.address);
    });

    it("still refuses another key's signature for it", async function () {
      const f = await loadFixture(deployFixture);
      await delegated(f);
      const req = await request(f.alice.address);
      await expect(f.pool.connect(f.relayer).submitClaimWithSig(req, await sign(f, f.mallory, req)))
        .to.be.revertedWithCustomError(f.pool, "CompensationPoolInvalidSigner")
        .withArgs(f.alice.address);
    });
  });

  it("publishes the EIP-712 domain, type hash and digest any library can reproduce", async function () {
    const f = await loadFixture(deployFixture);
    const typeString =
      "ClaimRequest(address claimant,uint8 kind,uint256 amount,bytes32 evidenceHash,uint256 nonce,uint256 deadline)";
    expect(await f.pool.CLAIM_REQUEST_TYPEHASH()).to.equal(keccak256(toUtf8Bytes(typeString)));
    const domain = claimDomain(f.chainId, f.poolAddress);
    expect(await f.pool.DOMAIN_SEPARATOR()).to.equal(TypedDataEncoder.hashDomain(domain));
    const req = await request(f.alice.address, { nonce: 3n, kind: Kind.Other });
    expect(await f.pool.hashClaimRequest(req)).to.equal(TypedDataEncoder.hash(domain, CLAIM_REQUEST_TYPES, req));
    const [fields, name, version, chainId, verifyingContract, salt, extensions] = await f.pool.eip712Domain();
    expect(fields).to.equal("0x0f");
    expect(name).to.equal("EmergencyStation CompensationPool");
    expect(version).to.equal("1");
    expect(chainId).to.equal(f.chainId);
    expect(verifyingContract).to.equal(f.poolAddress);
    expect(salt).to.equal(ethers.ZeroHash);
    expect(extensions).to.deep.equal([]);
  });

  it("builds its own EIP-712 domain because OpenZeppelin's EIP712 refuses the 33-byte name", async function () {
    const name = "EmergencyStation CompensationPool";
    expect(toUtf8Bytes(name).length).to.equal(33);
    // OpenZeppelin 5.7's EIP712 keeps name and version in immutable ShortStrings (at most 31
    // bytes) and reverts on longer ones. If an upgrade accepts the name again, this fails: inherit
    // EIP712 in CompensationPool then (same domain, so existing signatures still verify).
    const shortStrings = await ethers.getContractFactory("LongNameEIP712");
    await expect(ethers.deployContract("LongNameEIP712", [name]))
      .to.be.revertedWithCustomError(shortStrings, "StringTooLong")
      .withArgs(name);
    const fits = await ethers.deployContract("LongNameEIP712", [name.slice(0, 31)]);
    expect((await fits.eip712Domain())[1]).to.equal(name.slice(0, 31));
  });
});
