// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title ICompensationPoolFunding
/// @notice The part of the pool that other contracts pay into: EmergencyPackages sends the pool's
/// share of C proceeds through `fund`. Kept apart from {ICompensationPool} so a payer depends only
/// on what it calls.
interface ICompensationPoolFunding {
    /// @notice `from` added `amount` C to the pool.
    event PoolFunded(address indexed from, uint256 amount);

    /// @notice Pulls `amount` C from the caller (who must have approved the pool) into the pool.
    function fund(uint256 amount) external;
}
