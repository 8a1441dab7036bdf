import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import { buildTimelock } from "./governance.js";
import { buildPackages } from "./packages.js";
import { buildCompensationPool } from "./pool.js";
import { buildStaking } from "./staking.js";

/**
 * The station on a real network: attaches to the network's existing C token, stablecoin and
 * C/USD feed (addresses are parameters: `cToken`, `stablecoin`, `priceFeed`) and deploys
 * CStaking, the CompensationPool and EmergencyPackages, governed by an OpenZeppelin
 * `TimelockController` (see `governance.ts` for its parameters).
 *
 * Who holds what once deployed:
 * - the timelock: every admin and parameter role — CStaking's DEFAULT_ADMIN_ROLE and
 *   GOVERNOR_ROLE (tiers, warmup, cooldown), the pool's DEFAULT_ADMIN_ROLE (SLAs, credits, caps,
 *   budgets, tier source, incident rounds, sweep), EmergencyPackages' DEFAULT_ADMIN_ROLE and
 *   CATALOGUE_ROLE (catalogue, proceeds, oracle, resuming sales) — and its own admin role;
 * - the guardians (`poolGuardian`, `packagesGuardian`, `timelockCanceller`): pause, payout veto,
 *   incident cancel and the veto of a queued proposal, all at once, outside the delay;
 * - the assessor (`poolAssessor`): the day-to-day claim work;
 * - the deployer: nothing. It administers the pool only between its deployment and the hand-over
 *   below, so `poolAdmin` must be left unset here.
 *
 * See `ignition/parameters/example-mainnet.json`. To use an existing staking contract instead of
 * CStaking, deploy an `ITierSource` adapter and point the pool and packages at it.
 */
export default buildModule("Station", (m) => {
  const cToken = m.contractAt("IERC20Metadata", m.getParameter<string>("cToken"), { id: "CToken" });
  const stablecoin = m.contractAt("IERC20Metadata", m.getParameter<string>("stablecoin"), { id: "Stablecoin" });
  const priceFeed = m.contractAt("AggregatorV3Interface", m.getParameter<string>("priceFeed"), { id: "PriceFeed" });

  const { timelock } = buildTimelock(m);
  const { staking } = buildStaking(m, { cToken, admin: timelock });
  const { compensationPool } = buildCompensationPool(m, { token: cToken, tierSource: staking });
  const { packages } = buildPackages(m, {
    cToken,
    stablecoin,
    priceFeed,
    tierSource: staking,
    pool: compensationPool,
    admin: timelock,
  });

  // The pool is built with the deployer as admin: point it at the packages' coverage (a package's
  // SLA factor shortens its holder's deadlines), hand the role to the timelock, then give it up.
  const coverageSet = m.call(compensationPool, "setCoverageSource", [packages], { id: "PoolCoverageSource" });
  const poolAdminRole = m.staticCall(compensationPool, "DEFAULT_ADMIN_ROLE", [], 0, { id: "PoolAdminRole" });
  const handedOver = m.call(compensationPool, "grantRole", [poolAdminRole, timelock], {
    id: "PoolAdminToTimelock",
    after: [coverageSet],
  });
  m.call(compensationPool, "renounceRole", [poolAdminRole, m.getAccount(0)], {
    id: "PoolDeployerRenounces",
    after: [handedOver],
  });

  return { cToken, stablecoin, priceFeed, timelock, staking, compensationPool, packages };
});
