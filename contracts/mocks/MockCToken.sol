// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

/// @notice Local stand-in for the network's C token: 18 decimals, EIP-2612 permit, and an
/// open `mint` so local demos and tests can hand out balances. Never deploy to a real network.
contract MockCToken is ERC20, ERC20Permit {
    constructor() ERC20("Chainbase C (mock)", "C") ERC20Permit("Chainbase C (mock)") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}
