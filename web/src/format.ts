/** Amounts as the page writes them. */
import { formatUnits } from "viem";

/** An amount of C (18 decimals): "137.2 C". */
export const C = (wei: bigint | string) => `${formatUnits(BigInt(wei), 18)} C`;

/** An amount of the stablecoin (6 decimals): "$199". */
export const USD = (units: bigint) => `$${formatUnits(units, 6)}`;

// Tier names are words, in the reader's language: ./stationText.ts `tierName`.
