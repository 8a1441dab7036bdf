import type { ContractFuture, IgnitionModuleBuilder } from "@nomicfoundation/ignition-core";

/**
 * One row of CStaking's tier table, as its constructor and `configureTiers` take it.
 * `thresholdWholeC` is in whole C (1_000 = 1,000 C), not in base units.
 */
export type StakingTier = { thresholdWholeC: number; slaFactorBps: number; discountBps: number };

/** Standard (everyone), Priority (1,000 C: deadlines 50% shorter), Premier (10,000 C: 75% shorter). */
export const DEFAULT_STAKING_TIERS: StakingTier[] = [
  { thresholdWholeC: 0, slaFactorBps: 10_000, discountBps: 3_000 },
  { thresholdWholeC: 1_000, slaFactorBps: 5_000, discountBps: 3_000 },
  { thresholdWholeC: 10_000, slaFactorBps: 2_500, discountBps: 3_500 },
];
export const DEFAULT_STAKING_WARMUP_SECONDS = 86_400;
export const DEFAULT_STAKING_COOLDOWN_SECONDS = 604_800;

/**
 * Adds CStaking to the module being built, staking `deps.cToken`.
 *
 * Parameters (under the calling module's id, or `$global`, in `ignition/parameters/<network>.json`):
 * - `stakingAdmin`: gets DEFAULT_ADMIN_ROLE and GOVERNOR_ROLE (default: the deployer, account 0);
 *   ignored when `deps.admin` is given (the `Station` module passes its timelock)
 * - `stakingWarmupSeconds` (default 86400), `stakingCooldownSeconds` (default 604800): at most 365 days
 * - `stakingTiers`: an array of `{ "thresholdWholeC": 1000, "slaFactorBps": 5000, "discountBps": 3000 }`
 *   rows, row 0 with threshold 0 (default: {@link DEFAULT_STAKING_TIERS})
 */
export function buildStaking(
  m: IgnitionModuleBuilder,
  deps: { cToken: ContractFuture<string>; admin?: ContractFuture<string> },
) {
  const admin = deps.admin ?? m.getParameter("stakingAdmin", m.getAccount(0));
  const warmupSeconds = m.getParameter("stakingWarmupSeconds", DEFAULT_STAKING_WARMUP_SECONDS);
  const cooldownSeconds = m.getParameter("stakingCooldownSeconds", DEFAULT_STAKING_COOLDOWN_SECONDS);
  const tiers = m.getParameter("stakingTiers", DEFAULT_STAKING_TIERS);
  const staking = m.contract("CStaking", [deps.cToken, admin, warmupSeconds, cooldownSeconds, tiers]);
  return { staking };
}
