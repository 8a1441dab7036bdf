// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ICoverageSource} from "../interfaces/ICoverageSource.sol";

/// @notice Test-only coverage registry: a factor per account set by anyone, or broken on demand
/// (reverts). Never deploy to a real network.
contract MockCoverageSource is ICoverageSource {
    mapping(address account => uint16) private _factor;
    bool private _broken;

    event FactorSet(address indexed account, uint16 factorBps);
    event BrokenSet(bool broken);

    error MockCoverageSourceDown();

    function setFactor(address account, uint16 factorBps) external {
        _factor[account] = factorBps;
        emit FactorSet(account, factorBps);
    }

    function setBroken(bool broken) external {
        _broken = broken;
        emit BrokenSet(broken);
    }

    /// @notice The factor set for `account`, 0 when none; reverts while broken.
    function slaFactorOf(address account) external view returns (uint16) {
        if (_broken) revert MockCoverageSourceDown();
        return _factor[account];
    }
}
