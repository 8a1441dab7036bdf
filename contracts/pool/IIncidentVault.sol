// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IIncidentVault
/// @notice One incident round's escrow and claim bitmap. {CompensationPool.openIncident} deploys a
/// vault per round and moves the round's total into it; claimants claim their leaf from the vault.
/// The round's terms that a claim checks (root, challenge window) are immutable, and its funds are
/// its own balance, so a claim touches no state but its bitmap word and the token balances (gas
/// within 2% of a bare Merkle distributor). The pool ends a round's claims by taking its balance
/// back ({release}): on pause (returned on unpause), on cancel and on close.
interface IIncidentVault {
    /// @notice Leaf `index` of round `incidentId` paid `amount` to `account`.
    event IncidentClaimed(uint256 indexed incidentId, uint256 indexed index, address indexed account, uint256 amount);

    /// @notice The caller is not the pool that opened the round.
    error IncidentVaultOnlyPool(address caller);

    /// @notice Anyone, from the round's `claimableAt` until the pool takes the funds back: pays leaf
    /// `(index, account, amount)` to `account`. Reverts, with the pool's errors, for a leaf already
    /// claimed, a proof that does not lead to the round's root, a zero amount, before `claimableAt`,
    /// and — once the round was closed, cancelled or paused, or its funds run short — with the
    /// reason the funds are not there.
    function claim(uint256 index, address account, uint256 amount, bytes32[] calldata proof) external;

    /// @notice Pool only: sends the vault's whole balance to `to` and returns it.
    function release(address to) external returns (uint256 amount);

    function isClaimed(uint256 index) external view returns (bool);

    function pool() external view returns (address);

    function incidentId() external view returns (uint256);

    function root() external view returns (bytes32);

    function claimableAt() external view returns (uint48);
}
