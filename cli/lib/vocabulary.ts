/** The words the CLI prints for claims: the same as the contract's, the API's and the webhooks'. */
import { CLAIM_KINDS as ALL_KINDS, CLAIM_STATUSES, kindSlug } from "../../common/claims.js";
import { stageText } from "../../common/stages.js";

/** Kinds as typed on the command line (`data-api-outage`), in the contract's order. */
export const CLAIM_KINDS = ALL_KINDS.map(kindSlug);
/** The contract's ClaimStatus order (0 = None). */
export const STATUS_NAMES = ["None", ...CLAIM_STATUSES] as const;
/** English stage texts: the same as the API's and the webhooks' (common/stages.ts). */
export const STAGE_TEXT = Object.fromEntries(CLAIM_STATUSES.map((s) => [s, stageText(s, "en")])) as Record<
  string,
  string
>;
