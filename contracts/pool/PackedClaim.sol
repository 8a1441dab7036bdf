// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ICompensationPool} from "./ICompensationPool.sol";

/// @notice A claim in one storage slot, so that submitting one costs a single new slot.
///
/// | bits    | field                                                                   |
/// | ------- | ----------------------------------------------------------------------- |
/// | 0–159   | claimant                                                                |
/// | 160–207 | amount in units of 10^12 wei: requested, then payout from approval on   |
/// | 208–239 | time: the response deadline, then `payableAt` from approval on          |
/// | 240–247 | tier read at submission                                                 |
/// | 248–250 | status (8 values fit 3 bits)                                            |
/// | 251–252 | kind (4 values fit 2 bits)                                              |
/// | 253     | accepted after the response deadline                                    |
/// | 254     | approved at some point (tells which meaning `amount` and `time` have)   |
/// | 255     | the claimant had standing at submission (earns breach credits)          |
///
/// The slot is full. The resolution deadline and the breach-credit bits live next door, in
/// {BreachLanes}, eight claims to a slot.
type PackedClaim is uint256;

using PackedClaimLib for PackedClaim global;

library PackedClaimLib {
    uint256 private constant _ADDRESS_MASK = (1 << 160) - 1;
    uint256 private constant _UNITS_SHIFT = 160;
    uint256 private constant _UNITS_MASK = (1 << 48) - 1;
    uint256 private constant _TIME_SHIFT = 208;
    uint256 private constant _TIME_MASK = (1 << 32) - 1;
    uint256 private constant _TIER_SHIFT = 240;
    uint256 private constant _STATUS_SHIFT = 248;
    uint256 private constant _KIND_SHIFT = 251;
    uint256 private constant _LATE_BIT = 1 << 253;
    uint256 private constant _APPROVED_BIT = 1 << 254;
    uint256 private constant _STANDING_BIT = 1 << 255;

    /// @dev Callers guarantee `units` < 2^48, `time` < 2^32 and `tier` < 2^8.
    function pack(
        address claimant_,
        uint256 units_,
        uint256 time_,
        uint256 tier_,
        ICompensationPool.ClaimKind kind_
    ) internal pure returns (PackedClaim) {
        return
            PackedClaim.wrap(
                uint256(uint160(claimant_)) |
                    (units_ << _UNITS_SHIFT) |
                    (time_ << _TIME_SHIFT) |
                    (tier_ << _TIER_SHIFT) |
                    (uint256(ICompensationPool.ClaimStatus.Submitted) << _STATUS_SHIFT) |
                    (uint256(kind_) << _KIND_SHIFT)
            );
    }

    function claimant(PackedClaim c) internal pure returns (address) {
        return address(uint160(PackedClaim.unwrap(c) & _ADDRESS_MASK));
    }

    function units(PackedClaim c) internal pure returns (uint256) {
        return (PackedClaim.unwrap(c) >> _UNITS_SHIFT) & _UNITS_MASK;
    }

    function time(PackedClaim c) internal pure returns (uint256) {
        return (PackedClaim.unwrap(c) >> _TIME_SHIFT) & _TIME_MASK;
    }

    function tier(PackedClaim c) internal pure returns (uint8) {
        return uint8(PackedClaim.unwrap(c) >> _TIER_SHIFT);
    }

    function status(PackedClaim c) internal pure returns (ICompensationPool.ClaimStatus) {
        return ICompensationPool.ClaimStatus((PackedClaim.unwrap(c) >> _STATUS_SHIFT) & 7);
    }

    function kind(PackedClaim c) internal pure returns (ICompensationPool.ClaimKind) {
        return ICompensationPool.ClaimKind((PackedClaim.unwrap(c) >> _KIND_SHIFT) & 3);
    }

    function acceptedLate(PackedClaim c) internal pure returns (bool) {
        return PackedClaim.unwrap(c) & _LATE_BIT != 0;
    }

    function approved(PackedClaim c) internal pure returns (bool) {
        return PackedClaim.unwrap(c) & _APPROVED_BIT != 0;
    }

    function standing(PackedClaim c) internal pure returns (bool) {
        return PackedClaim.unwrap(c) & _STANDING_BIT != 0;
    }

    function withStanding(PackedClaim c) internal pure returns (PackedClaim) {
        return PackedClaim.wrap(PackedClaim.unwrap(c) | _STANDING_BIT);
    }

    function withStatus(PackedClaim c, ICompensationPool.ClaimStatus status_) internal pure returns (PackedClaim) {
        return
            PackedClaim.wrap(
                (PackedClaim.unwrap(c) & ~(uint256(7) << _STATUS_SHIFT)) | (uint256(status_) << _STATUS_SHIFT)
            );
    }

    function withLate(PackedClaim c) internal pure returns (PackedClaim) {
        return PackedClaim.wrap(PackedClaim.unwrap(c) | _LATE_BIT);
    }

    /// @dev Overwrites the amount with the payout and the time with `payableAt`; `payoutUnits` < 2^48.
    function withApproval(
        PackedClaim c,
        uint256 payoutUnits,
        uint256 payableAt,
        ICompensationPool.ClaimStatus status_
    ) internal pure returns (PackedClaim) {
        uint256 cleared =
            PackedClaim.unwrap(c) &
                ~((_UNITS_MASK << _UNITS_SHIFT) | (_TIME_MASK << _TIME_SHIFT) | (uint256(7) << _STATUS_SHIFT));
        return
            PackedClaim.wrap(
                cleared |
                    (payoutUnits << _UNITS_SHIFT) |
                    (payableAt << _TIME_SHIFT) |
                    (uint256(status_) << _STATUS_SHIFT) |
                    _APPROVED_BIT
            );
    }
}
