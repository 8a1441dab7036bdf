import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import { buildPackages } from "./packages.js";
import { buildCompensationPool } from "./pool.js";
import { buildStaking } from "./staking.js";

const C = 10n ** 18n;

/**
 * The whole station on a local development chain, with mocks for what a real network already
 * has: the C token, a 6-decimal stablecoin and a C/USD price feed. Roles go to the well-known
 * development accounts named in `ignition/parameters/localhost.json`, and the pool starts funded.
 *
 * Unlike `Station`, there is no timelock here: account 0 administers every contract directly, so
 * that the demo, the CLI and the tests can change a rule and see its effect at once. That is safe
 * only because this chain is throwaway and its keys are public; a real network uses `Station`.
 *
 *   npx hardhat ignition deploy ignition/modules/LocalStation.ts --network localhost \
 *     --parameters ignition/parameters/localhost.json
 *
 * `npm start` does this (and more) for you.
 */
export default buildModule("LocalStation", (m) => {
  const cToken = m.contract("MockCToken");
  const stablecoin = m.contract("MockStablecoin");
  const priceFeed = m.contract("MockPriceFeed", [
    m.getParameter("mockFeedDecimals", 8),
    // C at $0.25 by default.
    m.getParameter("mockCPriceUsd", 25_000_000n),
  ]);

  const { staking } = buildStaking(m, { cToken });
  const { compensationPool } = buildCompensationPool(m, { token: cToken, tierSource: staking });
  const { packages } = buildPackages(m, {
    cToken,
    stablecoin,
    priceFeed,
    tierSource: staking,
    pool: compensationPool,
  });

  // Seed the pool so claims can be paid from the first minute.
  const seed = m.getParameter("localPoolSeed", 100_000n * C);
  const minted = m.call(cToken, "mint", [m.getAccount(0), seed], { id: "MintPoolSeed" });
  const approved = m.call(cToken, "approve", [compensationPool, seed], { id: "ApprovePoolSeed", after: [minted] });
  m.call(compensationPool, "fund", [seed], { id: "FundPool", after: [approved] });
  // A package's SLA factor shortens its holder's deadlines (the pool reads the packages' coverage).
  m.call(compensationPool, "setCoverageSource", [packages], { id: "PoolCoverageSource" });

  return { cToken, stablecoin, priceFeed, staking, compensationPool, packages };
});
