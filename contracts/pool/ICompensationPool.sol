// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title ICompensationPool
/// @notice Escrow of C for compensation claims and incident rounds.
/// @dev Seam fixed before the pool exists: EmergencyPackages funds the pool through `fund`.
/// The pool's issue extends this interface; `fund` keeps this signature and meaning.
interface ICompensationPool {
    /// @notice `from` added `amount` C to the pool.
    event PoolFunded(address indexed from, uint256 amount);

    /// @notice Pulls `amount` C from the caller (who must have approved the pool) into the pool.
    function fund(uint256 amount) external;
}
