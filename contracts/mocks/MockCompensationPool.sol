// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import {ICompensationPoolFunding} from "../pool/ICompensationPoolFunding.sol";

/// @notice A minimal `ICompensationPoolFunding` for tests and local use: `fund` pulls C from the caller
/// and emits `PoolFunded`. Tests can make it refuse (`Mode.Revert`) or pull only half of what it
/// was asked (`Mode.PullHalf`) to check how funders handle a faulty pool. Never deploy to a real
/// network.
contract MockCompensationPool is ICompensationPoolFunding {
    using SafeERC20 for IERC20;

    enum Mode {
        Pull,
        Revert,
        PullHalf
    }

    IERC20 private immutable _C_TOKEN;
    Mode private _mode;

    event ModeSet(Mode mode);

    error MockCompensationPoolRefused(uint256 amount);

    constructor(IERC20 cToken_) {
        _C_TOKEN = cToken_;
    }

    function setMode(Mode mode) external {
        _mode = mode;
        emit ModeSet(mode);
    }

    function fund(uint256 amount) external {
        if (_mode == Mode.Revert) revert MockCompensationPoolRefused(amount);
        uint256 pulled = _mode == Mode.PullHalf ? amount / 2 : amount;
        _C_TOKEN.safeTransferFrom(msg.sender, address(this), pulled);
        emit PoolFunded(msg.sender, pulled);
    }

    function cToken() external view returns (address) {
        return address(_C_TOKEN);
    }
}
