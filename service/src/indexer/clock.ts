/**
 * The chain's clock as the service sees it. The pool decides whether a deadline has passed (and a
 * breach credit is due) with `block.timestamp`, not with the service's wall clock; on a chain
 * whose time differs — a local chain after `evm_increaseTime`, a node or indexer that lags — a
 * wall-clock answer says "on track" while the credit is already claimable on-chain, or the
 * reverse. So the claim view, the queue and the SLA alerts judge deadlines by this clock.
 *
 * The rule: the timestamp of the newest block the indexer has processed, plus the wall-clock time
 * elapsed since the service first saw that block (whole seconds, never negative). Between blocks
 * the estimate runs at wall-clock speed, which is what the next block's timestamp will roughly be
 * (a node mining on demand stamps it with its own clock plus any time travel); a new block
 * re-anchors it, so a jump in the chain's time shows at once. A block first seen late (the
 * service started long after it was mined on an idle chain) counts from when it was seen: the
 * estimate is behind by that delay until the next block.
 */
/** The newest block the indexer has processed (reader.ts's `ChainHead`). */
type Head = { number: bigint; timestamp: bigint };

/**
 * Unix seconds on the chain at wall-clock instant `wallMs` (milliseconds); `at` gives the same for
 * a head the caller has just read itself, without asking for it again.
 */
export type ChainClock = ((wallMs: number) => Promise<bigint>) & { at(current: Head, wallMs: number): bigint };

/**
 * A clock anchored on `head()`. When the head cannot be read, the last anchor keeps running (the
 * chain's time did not stop); with no anchor yet the error is the caller's.
 */
export function chainClock(head: () => Promise<Head>): ChainClock {
  let anchor: { number: bigint; timestamp: bigint; seenAtMs: number } | undefined;
  const reanchor = (current: Head, wallMs: number) => {
    if (anchor === undefined || current.number !== anchor.number || current.timestamp !== anchor.timestamp) {
      anchor = { number: current.number, timestamp: current.timestamp, seenAtMs: wallMs };
    }
    return anchor;
  };
  const since = (from: NonNullable<typeof anchor>, wallMs: number) =>
    from.timestamp + BigInt(Math.max(0, Math.floor((wallMs - from.seenAtMs) / 1000)));
  const clock = async (wallMs: number) => {
    let current: Head | undefined;
    try {
      current = await head();
    } catch (error) {
      if (anchor === undefined) throw error;
    }
    return since(current === undefined ? anchor! : reanchor(current, wallMs), wallMs);
  };
  return Object.assign(clock, { at: (current: Head, wallMs: number) => since(reanchor(current, wallMs), wallMs) });
}
