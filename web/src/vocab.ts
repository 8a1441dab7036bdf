/**
 * The claim vocabulary the page needs before the service answers: the contract's status order (the
 * chain fallback), its kind order (the claim form's values, help articles' claim links) and the
 * labels the form shows. Statuses, kinds and stage texts come from the shared vocabulary
 * (common/claims.ts, common/stages.ts).
 */
import { CLAIM_KINDS, CLAIM_STATUSES, type ClaimKind, type ClaimStatus } from "../../common/claims.js";

export { CLAIM_KINDS };

/** The contract's ClaimStatus order (0 = None). */
export const CHAIN_STATUS: readonly ("None" | ClaimStatus)[] = ["None", ...CLAIM_STATUSES];

/** What the claim form says for each kind. */
export const KIND_LABELS: Record<ClaimKind, string> = {
  MissingReward: "My data rewards are missing",
  DataApiOutage: "The data API is down for my project",
  RedemptionToolFailure: "A redemption tool failed",
  Other: "Something else",
};
