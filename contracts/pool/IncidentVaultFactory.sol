// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IIncidentVault} from "./IIncidentVault.sol";
import {IncidentVault} from "./IncidentVault.sol";

/// @title IncidentVaultFactory
/// @notice Deploys {IncidentVault}s for the pool that created it (in the pool's constructor, so the
/// vault's code stays out of the pool's, which is near EIP-170's limit).
contract IncidentVaultFactory {
    address private immutable _POOL;

    constructor() {
        _POOL = msg.sender;
    }

    /// @notice Pool only: a new vault for round `incidentId`.
    function deploy(
        IERC20 token,
        uint256 incidentId,
        bytes32 root,
        uint48 claimableAt
    ) external returns (address vault) {
        if (msg.sender != _POOL) revert IIncidentVault.IncidentVaultOnlyPool(msg.sender);
        vault = address(new IncidentVault(token, _POOL, incidentId, root, claimableAt));
    }
}
