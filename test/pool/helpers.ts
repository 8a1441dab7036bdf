/** Shared constants and helpers of the CompensationPool tests (no tests in here). */
import { id } from "ethers";
import type { Signer, TypedDataDomain } from "ethers";

import { POOL_DEFAULTS } from "../../ignition/modules/pool.js";
import { CLAIM_REQUEST_TYPES as SHARED_TYPES, claimDomain as sharedDomain } from "../../common/typedData.js";

export { POOL_DEFAULTS };

export const C = 10n ** 18n;
export const UNIT = 10n ** 12n;
export const HOUR = 3_600;
export const DAY = 86_400;

export const Kind = { MissingReward: 0, DataApiOutage: 1, RedemptionToolFailure: 2, Other: 3 } as const;
export const Status = {
  None: 0,
  Submitted: 1,
  Accepted: 2,
  Investigating: 3,
  Approved: 4,
  Paid: 5,
  Rejected: 6,
  Cancelled: 7,
} as const;
export const IncidentStatus = { None: 0, Open: 1, Cancelled: 2, Closed: 3 } as const;

export const ASSESSOR_ROLE = id("ASSESSOR_ROLE");
export const GUARDIAN_ROLE = id("GUARDIAN_ROLE");
export const DEFAULT_ADMIN_ROLE = "0x" + "00".repeat(32);

/** The shared definition (service/src/relayer/typedData.ts), as ethers wants it (mutable arrays). */
export const CLAIM_REQUEST_TYPES = { ClaimRequest: [...SHARED_TYPES.ClaimRequest] };

export type ClaimRequest = {
  claimant: string;
  kind: number;
  amount: bigint;
  evidenceHash: string;
  nonce: bigint;
  deadline: bigint;
};

export function claimDomain(chainId: bigint, verifyingContract: string): TypedDataDomain {
  return sharedDomain(chainId, verifyingContract);
}

export async function signClaimRequest(
  signer: Signer,
  request: ClaimRequest,
  chainId: bigint,
  verifyingContract: string,
): Promise<string> {
  return signer.signTypedData(claimDomain(chainId, verifyingContract), CLAIM_REQUEST_TYPES, request);
}

/** Deadline = now + base × factor / 10,000, rounded down, as the pool computes it. */
export function deadline(now: number, baseSeconds: number, factorBps: number): bigint {
  return BigInt(now) + (BigInt(baseSeconds) * BigInt(factorBps)) / 10_000n;
}

/** One value per ClaimKind. */
export type PerKind = [number, number, number, number];

/** The default terms as the constructor's `InitialTerms` (mutable copies of the arrays). */
export function defaultTerms() {
  return {
    ...POOL_DEFAULTS,
    responseSeconds: [...POOL_DEFAULTS.responseSeconds] as PerKind,
    resolutionSeconds: [...POOL_DEFAULTS.resolutionSeconds] as PerKind,
  };
}
