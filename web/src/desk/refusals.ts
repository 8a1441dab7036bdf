/**
 * Why the pool would refuse a desk decision, in words: a simulated call's revert decoded with the
 * pool's ABI (common/abis) — the day's budget used up, over the per-claim cap, paused, the claim
 * in another status, and the rest of what a decision can meet.
 */
import type { Language } from "../api.js";
import { C } from "../format.js";
import { formatTime } from "../lang.js";
import { CHAIN_STATUS } from "../vocab.js";
import { type Revert, revertOf } from "../../../common/reverts.js";
import { stageText } from "../../../common/stages.js";
import { deskText } from "./text.js";

/** A decoded custom error: its name and arguments (common/reverts.ts). */
export type Refusal = Pick<Revert, "errorName" | "args">;

/** The custom error a simulated call reverted with, when it did (undefined for any other failure). */
export const refusalOf = (error: unknown): Refusal | undefined => revertOf(error);

/** The refusal as a sentence in the reader's language. */
export function refusalText({ errorName, args }: Refusal, lang: Language): string {
  const amount = (i: number) => C(args[i] as bigint);
  const n = (i: number) => Number(args[i] as bigint | number);
  switch (errorName) {
    case "CompensationPoolBudgetExceeded":
      return deskText("errBudget", lang, { used: amount(0), charge: amount(1), budget: amount(2) });
    case "CompensationPoolAmountAboveCap":
      return deskText("errCap", lang, { amount: amount(0), cap: amount(1) });
    case "CompensationPoolEnforcedPause":
      return deskText("errPaused", lang);
    case "CompensationPoolInvalidClaimStatus": {
      const status = CHAIN_STATUS[n(1)];
      const words = status === undefined || status === "None" ? String(n(1)) : stageText(status, lang);
      return deskText("errStatus", lang, { id: String(args[0]), status: words });
    }
    case "CompensationPoolApprovalAboveRequest":
      return deskText("errAboveRequest", lang, { requested: amount(1) });
    case "CompensationPoolVetoWindowClosed":
      return deskText("errVetoClosed", lang, { time: formatTime(n(1), lang) });
    case "CompensationPoolInsufficientFunds":
      return deskText("errFunds", lang, { available: amount(0), needed: amount(1) });
    case "AccessControlUnauthorizedAccount":
      return deskText("errRole", lang);
  }
  return deskText("errOther", lang, { name: `${errorName}(${args.map(String).join(", ")})` });
}
