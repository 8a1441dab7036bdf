import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import { buildPackages } from "./packages.js";
import { buildCompensationPool } from "./pool.js";
import { buildStaking } from "./staking.js";

/**
 * The station on a real network: attaches to the network's existing C token, stablecoin and
 * C/USD feed (addresses are parameters: `cToken`, `stablecoin`, `priceFeed`) and deploys
 * CStaking, the CompensationPool and EmergencyPackages. Every role holder is a parameter; see
 * `ignition/parameters/example-mainnet.json`.
 *
 * To use an existing staking contract instead of CStaking, deploy an `ITierSource` adapter and
 * point the pool and packages at it (edit `tierSource` below).
 */
export default buildModule("Station", (m) => {
  const cToken = m.contractAt("IERC20Metadata", m.getParameter<string>("cToken"), { id: "CToken" });
  const stablecoin = m.contractAt("IERC20Metadata", m.getParameter<string>("stablecoin"), { id: "Stablecoin" });
  const priceFeed = m.contractAt("AggregatorV3Interface", m.getParameter<string>("priceFeed"), { id: "PriceFeed" });

  const { staking } = buildStaking(m, { cToken });
  const { compensationPool } = buildCompensationPool(m, { token: cToken, tierSource: staking });
  const { packages } = buildPackages(m, {
    cToken,
    stablecoin,
    priceFeed,
    tierSource: staking,
    pool: compensationPool,
  });
  return { cToken, stablecoin, priceFeed, staking, compensationPool, packages };
});
