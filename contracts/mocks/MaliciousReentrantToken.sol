// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice Implemented by contracts that want to hear of incoming transfers of
/// {MaliciousReentrantToken} (as ERC-777 / ERC-1363 tokens would tell them).
interface IMaliciousTokenReceiver {
    function onTokenReceived(address from, uint256 amount) external;
}

/// @notice Test-only ERC-20 that attacks on its way out of a victim: when the victim sends tokens,
/// it calls the armed `target` with the armed `payload` once (a reentrancy attempt through the
/// token), and it tells a contract recipient of a contract's transfer about it (a reentrancy attempt
/// through the receiver). The outcome of the armed call is recorded, not bubbled. Never deploy for real.
contract MaliciousReentrantToken is ERC20 {
    address private _victim;
    address private _target;
    bytes private _payload;
    bool private _armed;
    bool private _lastCallOk;
    bytes private _lastCallReturn;
    uint256 private _attempts;

    event Armed(address victim, address target, bytes payload);
    event AttackAttempted(bool ok, bytes returnData);

    constructor() ERC20("Malicious C", "MC") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Takes `amount` away from `from` (as a rebasing or blacklisting token might).
    function seize(address from, uint256 amount) external {
        _burn(from, amount);
    }

    /// @notice The next transfer out of `victim` calls `target` with `payload` (once).
    function arm(address victim, address target, bytes calldata payload) external {
        _victim = victim;
        _target = target;
        _payload = payload;
        _armed = true;
        emit Armed(victim, target, payload);
    }

    function lastAttack() external view returns (uint256 attempts, bool ok, bytes memory returnData) {
        return (_attempts, _lastCallOk, _lastCallReturn);
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (_armed && from == _victim) {
            _armed = false;
            ++_attempts;
            // solhint-disable-next-line avoid-low-level-calls
            (bool ok, bytes memory ret) = _target.call(_payload);
            _lastCallOk = ok;
            _lastCallReturn = ret;
            emit AttackAttempted(ok, ret);
        }
        // Contract-to-contract transfers (the pool paying a contract claimant) notify the recipient,
        // if it listens (the pool's incident vaults do not).
        if (from.code.length > 0 && to.code.length > 0) {
            // solhint-disable-next-line avoid-low-level-calls
            (bool listened, ) = to.call(abi.encodeCall(IMaliciousTokenReceiver.onTokenReceived, (from, value)));
            listened;
        }
    }
}
