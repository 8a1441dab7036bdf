/**
 * Ponder's event id is its checkpoint: 75 decimal digits, fixed width, so the strings sort in
 * chain order across tables:
 * blockTimestamp(10) chainId(16) blockNumber(16) transactionIndex(16) eventType(1) eventIndex(16),
 * where eventIndex is the log index for log events (node_modules/ponder/src/utils/checkpoint.ts).
 */
export type DecodedEventId = {
  blockTimestamp: bigint;
  chainId: bigint;
  blockNumber: bigint;
  transactionIndex: bigint;
  logIndex: bigint;
};

const CHECKPOINT = /^(\d{10})(\d{16})(\d{16})(\d{16})(\d)(\d{16})$/;

export function decodeEventId(id: string): DecodedEventId | undefined {
  const m = CHECKPOINT.exec(id);
  if (m === null) return undefined;
  const [, ts, chain, block, tx, , index] = m;
  return {
    blockTimestamp: BigInt(ts!),
    chainId: BigInt(chain!),
    blockNumber: BigInt(block!),
    transactionIndex: BigInt(tx!),
    logIndex: BigInt(index!),
  };
}

/** The same layout, for tests and the benchmark writing rows as Ponder would. */
export function encodeEventId(e: DecodedEventId & { eventType?: number }): string {
  const pad = (v: bigint | number, n: number) => v.toString().padStart(n, "0");
  return (
    pad(e.blockTimestamp, 10) +
    pad(e.chainId, 16) +
    pad(e.blockNumber, 16) +
    pad(e.transactionIndex, 16) +
    String(e.eventType ?? 5) +
    pad(e.logIndex, 16)
  );
}
