/** Amounts and tiers as the page writes them. */
import { formatUnits } from "viem";

/** An amount of C (18 decimals): "137.2 C". */
export const C = (wei: bigint | string) => `${formatUnits(BigInt(wei), 18)} C`;

/** An amount of the stablecoin (6 decimals): "$199". */
export const USD = (units: bigint) => `$${formatUnits(units, 6)}`;

/** Staking tiers by index (ignition/modules/staking.ts names them). */
export const TIER_NAMES = ["Standard", "Priority", "Premier"] as const;
export const tierName = (level: number) => TIER_NAMES[level] ?? `Tier ${level}`;

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
