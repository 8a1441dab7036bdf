/**
 * indexer/addresses.ts: how ponder.config.ts finds the chain and the contracts from env, and the
 * errors a bad setting gets (the config is evaluated before Ponder logs anything useful).
 */
import { expect } from "chai";

import { resolveContracts, resolveRpcUrls } from "../../indexer/addresses.js";

const POOL = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
const STAKING = "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512";
const PACKAGES = "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0";

describe("indexer settings from env", function () {
  describe("RPC URLs", function () {
    it("defaults to the local node, repeated into 10 rate-limit buckets, on chain 31337", function () {
      expect(resolveRpcUrls(31337, {})).to.deep.equal(Array.from({ length: 10 }, () => "http://127.0.0.1:8545"));
    });

    it("repeats each comma-separated URL PONDER_RPC_BUCKETS times, and once by default elsewhere", function () {
      const env = { PONDER_RPC_URL_8453: " https://a.example , https://b.example," };
      expect(resolveRpcUrls(8453, env)).to.deep.equal(["https://a.example", "https://b.example"]);
      expect(resolveRpcUrls(8453, { ...env, PONDER_RPC_BUCKETS: "2" })).to.deep.equal([
        "https://a.example",
        "https://a.example",
        "https://b.example",
        "https://b.example",
      ]);
    });

    it("asks for an RPC URL on a chain without a default", function () {
      expect(() => resolveRpcUrls(8453, {})).to.throw("Set PONDER_RPC_URL_8453 (one or more comma-separated URLs)");
      expect(() => resolveRpcUrls(8453, { PONDER_RPC_URL_8453: " , " })).to.throw("Set PONDER_RPC_URL_8453");
    });

    it("refuses a bucket count that is not a whole number from 1 to 100", function () {
      for (const value of ["0", "-1", "2.5", "ten", "", "101"]) {
        expect(() => resolveRpcUrls(31337, { PONDER_RPC_BUCKETS: value })).to.throw(
          `PONDER_RPC_BUCKETS must be a whole number from 1 to 100, not "${value}"`,
        );
      }
    });
  });

  describe("contract addresses", function () {
    const env = {
      PONDER_C_STAKING_ADDRESS: STAKING,
      PONDER_COMPENSATION_POOL_ADDRESS: POOL,
      PONDER_EMERGENCY_PACKAGES_ADDRESS: PACKAGES,
    };

    it("reads every address from env, checksummed, with the shared or a per-contract start block", function () {
      expect(
        resolveContracts(8453, { ...env, PONDER_START_BLOCK: "100", PONDER_COMPENSATION_POOL_START_BLOCK: "120" }),
      ).to.deep.equal({
        CStaking: { address: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512", startBlock: 100 },
        CompensationPool: { address: "0x5FbDB2315678afecb367f032d93F642f64180aa3", startBlock: 120 },
        EmergencyPackages: { address: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0", startBlock: 100 },
      });
    });

    it("names the missing address or start block", function () {
      const { PONDER_COMPENSATION_POOL_ADDRESS: _pool, ...withoutPool } = env;
      expect(() => resolveContracts(8453, { ...withoutPool, PONDER_START_BLOCK: "1" })).to.throw(
        "No address for CompensationPool: set PONDER_COMPENSATION_POOL_ADDRESS",
      );
      expect(() => resolveContracts(8453, env)).to.throw(
        "Set PONDER_C_STAKING_START_BLOCK or PONDER_START_BLOCK (block number) for CStaking",
      );
      expect(() => resolveContracts(8453, { ...env, PONDER_START_BLOCK: "12e3" })).to.throw("PONDER_START_BLOCK");
    });

    it("on the local chain, points at the Ignition deployment when an address is missing", function () {
      expect(() => resolveContracts(31337, { PONDER_IGNITION_DEPLOYMENT: "no-such-deployment" })).to.throw(
        "No address for CStaking: set PONDER_C_STAKING_ADDRESS or deploy to ignition/deployments/no-such-deployment",
      );
    });
  });
});
