/**
 * Shared deployment for the EmergencyPackages tests: the mocks, a catalogue with odd prices and
 * funded, approving buyers whom the project allows to buy for it. Every catalogue entry is at
 * terms version 1. Each test file wraps `deployPackages` in its own `deployFixture`.
 */
import type { network } from "hardhat";

type Ethers = Awaited<ReturnType<typeof network.create>>["ethers"];

export const DAY = 86_400n;
export const BPS = 10_000n;
export const HEARTBEAT = 3_600n;
/** Odd on purpose, so the pool's part of most payments has a remainder to round down. */
export const POOL_SHARE_BPS = 3_333n;

/** $0.123456 per C, at 8 and at 18 feed decimals. */
export const C_PRICE_8 = 12_345_600n;
export const C_PRICE_18 = 123_456_000_000_000_000n;

/** The tier source's default: standard SLA, 30% off payments in C. */
export const DEFAULT_DISCOUNT_BPS = 3_000n;

export const BASIC = { id: 1n, usdPrice: 49_990_000n, duration: 30n * DAY, slaFactorBps: 10_000n, active: true };
export const PRO = { id: 2n, usdPrice: 149_000_000n, duration: 30n * DAY, slaFactorBps: 5_000n, active: true };
export const EVENT_DAY = { id: 3n, usdPrice: 12_345_678n, duration: 2n * DAY, slaFactorBps: 2_500n, active: true };
export const RETIRED = { id: 9n, usdPrice: 1_000_000n, duration: DAY, slaFactorBps: 10_000n, active: false };
export const CATALOGUE = [BASIC, PRO, EVENT_DAY, RETIRED];

const FUNDS = 10n ** 30n;

export async function deployPackages(ethers: Ethers) {
  const [admin, guardian, treasury, reserve, buyer, project, other] = await ethers.getSigners();
  const c = await ethers.deployContract("MockCToken");
  const usd = await ethers.deployContract("MockStablecoin");
  const feed8 = await ethers.deployContract("MockPriceFeed", [8, C_PRICE_8]);
  const feed18 = await ethers.deployContract("MockPriceFeed", [18, C_PRICE_18]);
  const tiers = await ethers.deployContract("MockTierSource", [10_000, DEFAULT_DISCOUNT_BPS]);
  const pool = await ethers.deployContract("MockCompensationPool", [c]);

  const config = {
    admin: admin!.address,
    guardian: guardian!.address,
    cToken: await c.getAddress(),
    stablecoin: await usd.getAddress(),
    tierSource: await tiers.getAddress(),
    compensationPool: await pool.getAddress(),
    priceFeed: await feed8.getAddress(),
    heartbeat: HEARTBEAT,
    treasury: treasury!.address,
    stableReserve: reserve!.address,
    poolShareBps: POOL_SHARE_BPS,
  };
  const packages = await ethers.deployContract("EmergencyPackages", [config, CATALOGUE]);
  // The same contract with an 18-decimal token (the mock C) standing in for the stablecoin.
  const packagesStable18 = await ethers.deployContract("EmergencyPackages", [
    { ...config, stablecoin: await c.getAddress() },
    CATALOGUE,
  ]);

  // The project lets both buyers buy for it (purchases for another beneficiary need its consent).
  for (const spender of [packages, packagesStable18]) {
    await spender.connect(project!).setBuyerApproval(buyer!.address, true);
    await spender.connect(project!).setBuyerApproval(other!.address, true);
  }
  for (const account of [buyer!, other!]) {
    await c.mint(account.address, FUNDS);
    await usd.mint(account.address, FUNDS);
    for (const spender of [packages, packagesStable18]) {
      await c.connect(account).approve(spender, ethers.MaxUint256);
      await usd.connect(account).approve(spender, ethers.MaxUint256);
    }
  }

  return {
    admin: admin!,
    guardian: guardian!,
    treasury: treasury!,
    reserve: reserve!,
    buyer: buyer!,
    project: project!,
    other: other!,
    c,
    usd,
    feed8,
    feed18,
    tiers,
    pool,
    packages,
    packagesStable18,
    config,
  };
}
