// SPDX-License-Identifier: MIT
// Implemented by third parties (adapters), so any recent compiler may build against it.
// solhint-disable-next-line compiler-version
pragma solidity ^0.8.20;

/// @title ICoverageSource
/// @notice Where the pool reads the SLA factor an account's support plan gives it. `EmergencyPackages`
/// implements it; a deployment may point the pool at another plan registry implementing this.
interface ICoverageSource {
    /// @notice The deadline factor of the coverage `account` holds now, in basis points (10_000 =
    /// standard, 5_000 = 50% faster), or 0 when it holds none. Any factor in (0, 10_000] is coverage
    /// in force, so a plan at standard deadlines still gives the claimant standing for breach credits.
    function slaFactorOf(address account) external view returns (uint16);
}
