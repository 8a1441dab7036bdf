/**
 * The claim vocabulary the page needs before the service answers: the contract's status order (the
 * chain fallback) and its kind order (the claim form's values, help articles' claim links). The
 * form names each kind as every surface does (common/stages.ts `kindText`, in the reader's language).
 */
import { CLAIM_KINDS, CLAIM_STATUSES, type ClaimStatus } from "../../common/claims.js";

export { CLAIM_KINDS };

/** The contract's ClaimStatus order (0 = None). */
export const CHAIN_STATUS: readonly ("None" | ClaimStatus)[] = ["None", ...CLAIM_STATUSES];
