// SPDX-License-Identifier: MIT
// Implemented by third parties (adapters), so any recent compiler may build against it.
// solhint-disable-next-line compiler-version
pragma solidity ^0.8.20;

/// @title ITierSource
/// @notice Where the other contracts read an account's support tier. `CStaking` implements it;
/// a deployment with an existing C staking contract points the pool and the packages at an
/// adapter implementing this interface instead.
interface ITierSource {
    /// @notice The tier index of `account` (0 = the lowest tier, Standard).
    function tierOf(address account) external view returns (uint8 tier);

    /// @notice The tier of `account` with its terms, in one call.
    /// @return tier the tier index (0 = Standard)
    /// @return slaFactorBps deadlines are multiplied by this factor / 10_000 (10_000 = standard, 5_000 = 50% faster)
    /// @return discountBps discount on a payment made in C, in basis points
    function tierTermsOf(address account) external view returns (uint8 tier, uint16 slaFactorBps, uint16 discountBps);
}
