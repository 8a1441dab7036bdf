// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {TestBase} from "../utils/TestBase.sol";
import {MockCToken} from "../../contracts/mocks/MockCToken.sol";

contract MockCTokenTest is TestBase {
    MockCToken internal c;

    function setUp() public {
        c = new MockCToken();
    }

    function testFuzz_mintAddsExactly(address to, uint256 amount) public {
        vm.assume(to != address(0));
        amount = bound(amount, 0, type(uint128).max);
        c.mint(to, amount);
        assertEq(c.balanceOf(to), amount, "balance");
        assertEq(c.totalSupply(), amount, "supply");
    }

    function test_warpMovesTime() public {
        vm.warp(1_000_000);
        assertEq(block.timestamp, 1_000_000, "timestamp");
    }
}
