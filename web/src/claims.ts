/**
 * A claim's progress from the best source: the service's tracking view, or the chain when the
 * service cannot answer (down, or not indexed yet), saying why.
 */
import { CompensationPoolAbi } from "../../common/abis/CompensationPool.js";
import { ServiceError, service } from "./api.js";
import type { Context } from "./context.js";
import { type TimelineModel, fromChain, fromService } from "./timeline.js";

/** Why the chain is read instead of the tracker; undefined when the error is not about availability. */
export function fallbackReason(error: unknown): string | undefined {
  if (!(error instanceof ServiceError)) return undefined;
  if (error.status === 404) return "the station's tracker has not indexed this claim yet";
  if (error.unavailable) return `the station's tracker is unreachable right now (${error.message})`;
  return undefined;
}

export async function claimTimeline(ctx: Context, id: bigint): Promise<TimelineModel> {
  let reason: string | undefined;
  try {
    return fromService(id, await service.claim(id, ctx.lang.get()));
  } catch (error) {
    reason = fallbackReason(error);
    if (reason === undefined) throw error;
  }
  const claim = await ctx.chain.reader().readContract({
    address: ctx.chain.need("pool"),
    abi: CompensationPoolAbi,
    functionName: "getClaim",
    args: [id],
  });
  return fromChain(id, claim, reason, ctx.lang.get());
}
