// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IMaliciousTokenReceiver} from "./MaliciousReentrantToken.sol";

/// @notice Test-only claimant contract that, when told of an incoming token transfer, calls back
/// into the pool with a prepared payload (once) and records what happened. It can also file
/// claims itself. Never deploy to a real network.
contract MaliciousReceiver is IMaliciousTokenReceiver {
    address private immutable _POOL;
    bytes private _payload;
    bool private _armed;
    bool private _lastCallOk;
    bytes private _lastCallReturn;
    uint256 private _attempts;

    event AttackAttempted(bool ok, bytes returnData);

    constructor(address pool) {
        _POOL = pool;
    }

    /// @notice Sends `data` to the pool now (e.g. to submit or cancel a claim as this contract).
    function callPool(bytes calldata data) external {
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory ret) = _POOL.call(data);
        if (!ok) {
            // solhint-disable-next-line no-inline-assembly
            assembly ("memory-safe") {
                revert(add(ret, 0x20), mload(ret))
            }
        }
    }

    /// @notice The next incoming transfer calls the pool with `payload` (once).
    function arm(bytes calldata payload) external {
        _payload = payload;
        _armed = true;
    }

    function lastAttack() external view returns (uint256 attempts, bool ok, bytes memory returnData) {
        return (_attempts, _lastCallOk, _lastCallReturn);
    }

    function onTokenReceived(address, uint256) external {
        if (!_armed) return;
        _armed = false;
        ++_attempts;
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory ret) = _POOL.call(_payload);
        _lastCallOk = ok;
        _lastCallReturn = ret;
        emit AttackAttempted(ok, ret);
    }
}
