// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice Per-claim breach data that does not fit the claim's slot, eight claims to a slot: claim
/// `id` owns the 32-bit lane `id % 8` of word `id / 8`, so a submission usually updates a slot that
/// is already non-zero (5,000 gas) instead of creating one (22,100), and the first of eight pays
/// for its seven neighbours.
///
/// | lane bits | field                                                                    |
/// | --------- | ------------------------------------------------------------------------ |
/// | 0–23      | resolution deadline − response deadline (≤ MAX_SLA_SECONDS: fits 24)    |
/// | 24        | the no-response credit was paid                                         |
/// | 25        | the resolution credit was paid                                           |
library BreachLanes {
    uint256 private constant _GAP_MASK = (1 << 24) - 1;
    uint256 private constant _PAID_SHIFT = 24;

    /// @dev The word index of `claimId` and the bit offset of its lane in the word.
    function locate(uint256 claimId) internal pure returns (uint256 word, uint256 shift) {
        return (claimId >> 3, (claimId & 7) << 5);
    }

    function gap(uint256 lanes, uint256 shift) internal pure returns (uint256) {
        return (lanes >> shift) & _GAP_MASK;
    }

    /// @dev The bit of word `lanes` that says credit `kind` (0 or 1) of the claim at `shift` was paid.
    function paidBit(uint256 shift, uint256 kind) internal pure returns (uint256) {
        return 1 << (shift + _PAID_SHIFT + kind);
    }
}
