/**
 * Checksummed addresses (EIP-55) for answers, remembered: checksumming hashes the address
 * (keccak-256), and a queue page names 50 claimants, a claim view its claimant, on every request.
 * viem keeps its own cache of 8,192 addresses, which a million claims' 20,000-odd claimants
 * thrash. Bounded: past `MAX` addresses the memory starts over.
 */
import { type Address, getAddress } from "viem";

const MAX = 100_000;
const known = new Map<string, Address>();

/** `address` (any case) checksummed, as viem's `getAddress` gives it (and throws on the same input). */
export function checksummed(address: string): Address {
  const key = address.toLowerCase();
  let found = known.get(key);
  if (found === undefined) {
    found = getAddress(address);
    if (known.size >= MAX) known.clear();
    known.set(key, found);
  }
  return found;
}
