// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice Test-only C with a blocklist, as USDC-style tokens keep: transfers to a blocked account
/// revert. Never deploy to a real network.
contract MockBlocklistCToken is ERC20 {
    mapping(address account => bool) private _blocked;

    event BlockedSet(address indexed account, bool blocked);

    error MockBlocklistCTokenBlocked(address account);

    constructor() ERC20("Blocklist C (mock)", "C") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function setBlocked(address account, bool blocked) external {
        _blocked[account] = blocked;
        emit BlockedSet(account, blocked);
    }

    function _update(address from, address to, uint256 value) internal override {
        if (_blocked[to]) revert MockBlocklistCTokenBlocked(to);
        super._update(from, to, value);
    }
}
