import { createRequire } from "node:module";

import hardhatToolboxMochaEthersPlugin from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { configVariable, defineConfig } from "hardhat/config";

const require = createRequire(import.meta.url);

// No compiler can be downloaded on our machines (nor in CI): compile with the wasm
// build shipped in the `solc` npm package. Its version must equal SOLC_VERSION.
export const SOLC_VERSION = "0.8.30";
const SOLC_SETTINGS = {
  optimizer: { enabled: true, runs: 10_000 },
  evmVersion: "cancun",
};

export default defineConfig({
  plugins: [hardhatToolboxMochaEthersPlugin],
  solidity: {
    compilers: [{ version: SOLC_VERSION, path: require.resolve("solc/soljson.js"), settings: SOLC_SETTINGS }],
    // 10,000 runs would take the pool past EIP-170's 24,576 bytes; at 4,000 runs it fits with room.
    // The Solidity tests that build the pool build it the same way.
    overrides: Object.fromEntries(
      [
        "contracts/pool/CompensationPool.sol",
        "test/pool/CompensationPool.t.sol",
        "test/pool/CompensationPool.breach.t.sol",
      ].map((file) => [
        file,
        {
          version: SOLC_VERSION,
          path: require.resolve("solc/soljson.js"),
          settings: { ...SOLC_SETTINGS, optimizer: { enabled: true, runs: 4_000 } },
        },
      ]),
    ),
    // Artifacts for interfaces a real-network deployment attaches to (Ignition's contractAt), and
    // OpenZeppelin's TimelockController, which the `Station` module deploys as the station's admin.
    npmFilesToBuild: [
      "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol",
      "@openzeppelin/contracts/governance/TimelockController.sol",
    ],
  },
  paths: {
    tests: { mocha: "test", solidity: "test" },
  },
  test: {
    // Spec output, then the slowest files with their hooks (test/file-times-reporter.cjs).
    mocha: { timeout: 120_000, reporter: "./test/file-times-reporter.cjs" },
    solidity: {
      // Fixed seed: property tests are reproducible; flaky tests are bugs.
      fuzz: { runs: 256, seed: "0x5eed" },
      invariant: { runs: 64, depth: 32, failOnRevert: false },
    },
  },
  networks: {
    hardhat: { type: "edr-simulated", chainType: "l1" },
    localhost: { type: "http", chainType: "l1", url: "http://127.0.0.1:8545" },
    // A real network: RPC URL and deployer key come from env or Hardhat's keystore,
    // never from files (`npx hardhat keystore set DEPLOYER_PRIVATE_KEY`).
    target: {
      type: "http",
      chainType: "l1",
      url: configVariable("TARGET_RPC_URL"),
      accounts: [configVariable("DEPLOYER_PRIVATE_KEY")],
    },
  },
});
