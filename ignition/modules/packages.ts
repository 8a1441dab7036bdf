import type { ContractFuture, IgnitionModuleBuilder } from "@nomicfoundation/ignition-core";

const DAY = 86_400;

/** What EmergencyPackages is built on: futures of contracts deployed or referenced elsewhere. */
export type PackagesDeps = {
  cToken: ContractFuture<string>;
  stablecoin: ContractFuture<string>;
  priceFeed: ContractFuture<string>;
  tierSource: ContractFuture<string>;
  pool: ContractFuture<string>;
  /** When given (the `Station` module's timelock), it takes the admin and catalogue roles instead of `packagesAdmin`. */
  admin?: ContractFuture<string>;
};

/**
 * The seed catalogue (prices in USD with 6 decimals, durations in seconds, SLA factors in bps):
 * 1 "Basic"     $49,  30 days, standard deadlines;
 * 2 "Pro"       $149, 30 days, deadlines 50% shorter;
 * 3 "Event day" $29,   2 days, deadlines 75% shorter (for a launch or an incident).
 * Names live off-chain; the ids are the contract's.
 */
export const DEFAULT_CATALOGUE = [
  { id: 1, usdPrice: 49_000_000, duration: 30 * DAY, slaFactorBps: 10_000, active: true },
  { id: 2, usdPrice: 149_000_000, duration: 30 * DAY, slaFactorBps: 5_000, active: true },
  { id: 3, usdPrice: 29_000_000, duration: 2 * DAY, slaFactorBps: 2_500, active: true },
];

/**
 * Adds EmergencyPackages to module `m`. Every setting is a module parameter with a default:
 * - `packagesAdmin` (account 0): DEFAULT_ADMIN_ROLE and CATALOGUE_ROLE (ignored when `deps.admin` is given);
 * - `packagesGuardian` (account 0): GUARDIAN_ROLE (pause);
 * - `packagesTreasury` (account 0): receives the non-pool part of every payment;
 * - `packagesStableReserve` (account 0): receives the pool share of stablecoin payments;
 * - `packagesPoolShareBps` (5000): share of each payment for the pool side;
 * - `packagesOracleHeartbeat` (86400): maximum age of a C/USD answer, in seconds;
 * - `packagesCatalogue` ({@link DEFAULT_CATALOGUE}): the packages set at deploy.
 * The catalogue is a constructor argument rather than `setPackage` calls, so that seeding it
 * needs no role on the deploying account when `packagesAdmin` is another address.
 */
export function buildPackages(m: IgnitionModuleBuilder, deps: PackagesDeps) {
  const packages = m.contract("EmergencyPackages", [
    {
      admin: deps.admin ?? m.getParameter("packagesAdmin", m.getAccount(0)),
      guardian: m.getParameter("packagesGuardian", m.getAccount(0)),
      cToken: deps.cToken,
      stablecoin: deps.stablecoin,
      tierSource: deps.tierSource,
      compensationPool: deps.pool,
      priceFeed: deps.priceFeed,
      heartbeat: m.getParameter("packagesOracleHeartbeat", DAY),
      treasury: m.getParameter("packagesTreasury", m.getAccount(0)),
      stableReserve: m.getParameter("packagesStableReserve", m.getAccount(0)),
      poolShareBps: m.getParameter("packagesPoolShareBps", 5_000),
    },
    m.getParameter("packagesCatalogue", DEFAULT_CATALOGUE),
  ]);
  return { packages };
}
