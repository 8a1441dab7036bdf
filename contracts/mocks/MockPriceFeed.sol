// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AggregatorV3Interface} from "../interfaces/AggregatorV3Interface.sol";

/// @notice A Chainlink AggregatorV3-compatible feed whose answer anyone can set, for local use
/// and tests: `setAnswer` starts a fresh complete round now; `setRound` sets every field so
/// tests can produce stale, negative or incomplete rounds. Never deploy to a real network.
contract MockPriceFeed is AggregatorV3Interface {
    uint8 private immutable _DECIMALS;

    uint80 private _roundId;
    int256 private _answer;
    uint256 private _startedAt;
    uint256 private _updatedAt;
    uint80 private _answeredInRound;

    event AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt);

    constructor(uint8 decimals_, int256 initialAnswer) {
        _DECIMALS = decimals_;
        setAnswer(initialAnswer);
    }

    function setAnswer(int256 answer) public {
        setRound(_roundId + 1, answer, block.timestamp, block.timestamp, _roundId + 1);
    }

    function setRound(
        uint80 roundId,
        int256 answer,
        uint256 startedAt,
        uint256 updatedAt,
        uint80 answeredInRound
    ) public {
        _roundId = roundId;
        _answer = answer;
        _startedAt = startedAt;
        _updatedAt = updatedAt;
        _answeredInRound = answeredInRound;
        emit AnswerUpdated(answer, roundId, updatedAt);
    }

    function decimals() external view returns (uint8) {
        return _DECIMALS;
    }

    function description() external pure returns (string memory) {
        return "C / USD (mock)";
    }

    function version() external pure returns (uint256) {
        return 4;
    }

    function latestRoundData() external view returns (uint80, int256, uint256, uint256, uint80) {
        return (_roundId, _answer, _startedAt, _updatedAt, _answeredInRound);
    }
}
