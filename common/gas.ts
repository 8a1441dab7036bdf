/**
 * Gas limits for the station's transactions, shared by the page, the CLI and the relayer.
 *
 * A claim submission updates its lane in a slot shared by eight claims (CompensationPool's
 * `_breachLanes`): whichever claim lands first in a fresh slot writes it from zero, about 22,100
 * gas more than the other seven. An estimate taken while another submission is pending can
 * therefore be short by that much once the other is mined first, and the transaction runs out
 * of gas. Sending the estimate plus this headroom covers the write; unused gas is not charged.
 */
export const CLAIM_SLOT_HEADROOM = 25_000n;

/** The gas limit to send a claim submission (`submitClaim`, `submitClaimWithSig`) with. */
export function claimGasLimit(estimate: bigint): bigint {
  return estimate + CLAIM_SLOT_HEADROOM;
}
