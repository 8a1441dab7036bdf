// SPDX-License-Identifier: MIT
// Implemented by third parties (price feeds and their adapters), so any recent compiler may build
// against it.
// solhint-disable-next-line compiler-version
pragma solidity ^0.8.20;

/// @notice Chainlink's AggregatorV3 price-feed interface (the subset every Chainlink-compatible
/// feed serves). Declared here so the contracts do not depend on Chainlink's package.
interface AggregatorV3Interface {
    function decimals() external view returns (uint8);

    function description() external view returns (string memory);

    function version() external view returns (uint256);

    function latestRoundData()
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound);
}
