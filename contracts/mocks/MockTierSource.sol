// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ITierSource} from "../interfaces/ITierSource.sol";

/// @notice An `ITierSource` whose answers tests set directly, so the pool and the packages can
/// be tested without staking. Unset accounts are tier 0 with the standard terms given at deploy.
contract MockTierSource is ITierSource {
    struct Terms {
        uint8 tier;
        uint16 slaFactorBps;
        uint16 discountBps;
        bool set;
    }

    uint16 private immutable _DEFAULT_SLA_FACTOR_BPS;
    uint16 private immutable _DEFAULT_DISCOUNT_BPS;
    mapping(address account => Terms) private _terms;

    event TermsSet(address indexed account, uint8 tier, uint16 slaFactorBps, uint16 discountBps);

    constructor(uint16 defaultSlaFactorBps, uint16 defaultDiscountBps) {
        _DEFAULT_SLA_FACTOR_BPS = defaultSlaFactorBps;
        _DEFAULT_DISCOUNT_BPS = defaultDiscountBps;
    }

    function setTerms(address account, uint8 tier, uint16 slaFactorBps, uint16 discountBps) external {
        _terms[account] = Terms(tier, slaFactorBps, discountBps, true);
        emit TermsSet(account, tier, slaFactorBps, discountBps);
    }

    function tierOf(address account) external view returns (uint8) {
        return _terms[account].tier;
    }

    function tierTermsOf(address account) external view returns (uint8, uint16, uint16) {
        Terms memory t = _terms[account];
        if (!t.set) return (0, _DEFAULT_SLA_FACTOR_BPS, _DEFAULT_DISCOUNT_BPS);
        return (t.tier, t.slaFactorBps, t.discountBps);
    }
}
