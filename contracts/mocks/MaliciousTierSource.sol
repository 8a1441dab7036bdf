// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice Test-only broken tier source: answers `tierTermsOf(address)` by reverting, with too
/// little return data, with values outside uint8/uint16, or with an SLA factor of 0 or above
/// 10,000. Never deploy to a real network.
contract MaliciousTierSource {
    enum Mode {
        Revert,
        ShortReturn,
        OutOfRange,
        FactorZero,
        FactorAboveStandard
    }

    Mode private _mode;

    event ModeSet(Mode mode);

    error MaliciousTierSourceDown();

    function setMode(Mode mode) external {
        _mode = mode;
        emit ModeSet(mode);
    }

    /// @dev Same selector as ITierSource.tierTermsOf, wider return types on purpose.
    function tierTermsOf(address) external view returns (uint256 tier, uint256 slaFactorBps, uint256 discountBps) {
        Mode mode = _mode;
        if (mode == Mode.Revert) revert MaliciousTierSourceDown();
        if (mode == Mode.ShortReturn) {
            // solhint-disable-next-line no-inline-assembly
            assembly ("memory-safe") {
                mstore(0x00, 1)
                return(0x00, 0x20)
            }
        }
        if (mode == Mode.FactorZero) return (1, 0, 0);
        if (mode == Mode.FactorAboveStandard) return (1, 20_000, 0);
        return (256, 5_000, 0);
    }
}
