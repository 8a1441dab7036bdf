import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import type { IgnitionModuleBuilder } from "@nomicfoundation/ignition-core";

/**
 * Local stand-ins for the network's C token, a USD stablecoin, the C/USD price feed and a tier
 * source. Never deploy to a real network.
 *
 * Parameters (module `Mocks`, defaults in brackets):
 * - `priceFeedDecimals` [8], `initialCUsdPrice` [25_000_000 = 0.25 USD]
 * - `defaultSlaFactorBps` [10_000 = standard SLA], `defaultDiscountBps` [3_000 = 30% C discount]
 */
export function buildMocks(m: IgnitionModuleBuilder) {
  const cToken = m.contract("MockCToken");
  const stablecoin = m.contract("MockStablecoin");
  const priceFeed = m.contract("MockPriceFeed", [
    m.getParameter("priceFeedDecimals", 8),
    m.getParameter("initialCUsdPrice", 25_000_000n),
  ]);
  const tierSource = m.contract("MockTierSource", [
    m.getParameter("defaultSlaFactorBps", 10_000),
    m.getParameter("defaultDiscountBps", 3_000),
  ]);
  return { cToken, stablecoin, priceFeed, tierSource };
}

export default buildModule("Mocks", (m) => buildMocks(m));
