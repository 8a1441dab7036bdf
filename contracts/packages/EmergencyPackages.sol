// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {AggregatorV3Interface} from "../interfaces/AggregatorV3Interface.sol";
import {ITierSource} from "../interfaces/ITierSource.sol";
import {ICompensationPoolFunding} from "../pool/ICompensationPoolFunding.sol";
import {IEmergencyPackages} from "./IEmergencyPackages.sol";

/// @title EmergencyPackages
/// @notice Support plans bought with a stablecoin at list price or with C at the buyer's tier
/// discount; see {IEmergencyPackages} for pricing, coverage and proceeds rules.
/// @dev No ReentrancyGuard: each purchase writes all its state (the beneficiary's coverage)
/// before its first token call, the tokens, tier source and pool are fixed at deploy, and a
/// re-entered purchase would simply be another fully paid purchase.
contract EmergencyPackages is IEmergencyPackages, AccessControl, Pausable {
    using SafeERC20 for IERC20;

    // ─── Constants and immutables ───────────────────────────────────────────────────────

    /// @notice May create and change catalogue entries.
    bytes32 public constant CATALOGUE_ROLE = keccak256("CATALOGUE_ROLE");
    /// @notice May pause purchases.
    bytes32 public constant GUARDIAN_ROLE = keccak256("GUARDIAN_ROLE");

    /// @inheritdoc IEmergencyPackages
    uint256 public constant MAX_COVERAGE_LEVELS = 4;

    uint16 private constant _BPS = 10_000;
    uint16 private constant _MAX_DISCOUNT_BPS = _BPS - 1;
    /// @dev List prices are USD with 6 decimals.
    uint256 private constant _USD_UNIT = 1e6;
    /// @dev Keeps `10 ** (C decimals + feed decimals)` within 256 bits.
    uint8 private constant _MAX_DECIMALS = 36;

    IERC20 private immutable _C_TOKEN;
    IERC20 private immutable _STABLECOIN;
    ITierSource private immutable _TIER_SOURCE;
    ICompensationPoolFunding private immutable _POOL;
    /// @dev `10 ** decimals` of C and of the stablecoin, read once at deploy.
    uint256 private immutable _C_UNIT;
    uint256 private immutable _STABLE_UNIT;

    // ─── Storage ────────────────────────────────────────────────────────────────────────

    // Treasury and pool share fit one slot: both are read by every purchase.
    address private _treasury;
    uint16 private _poolShareBps;
    address private _stableReserve;
    // Feed and heartbeat fit one slot: both are read by every C purchase.
    AggregatorV3Interface private _priceFeed;
    uint32 private _heartbeat;

    mapping(uint256 packageId => Package) private _packages;

    /// @dev A beneficiary's covered window, fastest stretch first, packed into one slot:
    /// stretch `i` takes bits `[64i, 64i + 64)`, its `until` in the low 48 bits and its SLA
    /// factor in the next 16. `until` values increase with `i`; an empty stretch has `until` 0.
    /// Stretches that ran out stay until the next purchase prunes them.
    mapping(address project => uint256) private _coverage;

    // ─── Constructor ────────────────────────────────────────────────────────────────────

    /// @param config the roles, fixed contracts and initial settings; see {IEmergencyPackages-Config}
    /// @param initialPackages catalogue entries set at deploy, each evented as by {setPackage}
    constructor(Config memory config, PackageConfig[] memory initialPackages) {
        if (
            config.admin == address(0) ||
            config.guardian == address(0) ||
            config.cToken == address(0) ||
            config.stablecoin == address(0) ||
            config.tierSource == address(0) ||
            config.compensationPool == address(0)
        ) revert EmergencyPackagesZeroAddress();
        _C_TOKEN = IERC20(config.cToken);
        _STABLECOIN = IERC20(config.stablecoin);
        _TIER_SOURCE = ITierSource(config.tierSource);
        _POOL = ICompensationPoolFunding(config.compensationPool);
        _C_UNIT = _unitOf(config.cToken);
        _STABLE_UNIT = _unitOf(config.stablecoin);

        _grantRole(DEFAULT_ADMIN_ROLE, config.admin);
        _grantRole(CATALOGUE_ROLE, config.admin);
        _grantRole(GUARDIAN_ROLE, config.guardian);
        _setProceeds(config.treasury, config.stableReserve, config.poolShareBps);
        _setOracle(config.priceFeed, config.heartbeat);
        // Deploy-time only, with the deployer's own input.
        for (uint256 i; i < initialPackages.length; ++i) {
            PackageConfig memory p = initialPackages[i];
            _setPackage(p.id, p.usdPrice, p.duration, p.slaFactorBps, p.active);
        }
    }

    // ─── Purchases ──────────────────────────────────────────────────────────────────────

    /// @inheritdoc IEmergencyPackages
    function buyWithStable(
        uint256 packageId,
        address beneficiary
    ) external whenNotPaused returns (uint256 paid, uint64 coveredUntil_) {
        Package memory pkg = _saleable(packageId);
        paid = _stableAmount(pkg.usdPrice);
        coveredUntil_ = _cover(beneficiary, packageId, pkg, address(_STABLECOIN), paid, 0);

        // Interactions last. The pool escrows only C, so its share of a stablecoin payment goes to
        // the reserve, whose operator converts it; both parts go straight from the buyer.
        (uint256 toPool, uint256 toTreasury) = _split(paid);
        if (toPool != 0) _STABLECOIN.safeTransferFrom(msg.sender, _stableReserve, toPool);
        if (toTreasury != 0) _STABLECOIN.safeTransferFrom(msg.sender, _treasury, toTreasury);
    }

    /// @inheritdoc IEmergencyPackages
    function buyWithC(
        uint256 packageId,
        address beneficiary,
        uint256 maxC
    ) external whenNotPaused returns (uint256 paid, uint64 coveredUntil_) {
        Package memory pkg = _saleable(packageId);
        uint16 discountBps = _discountOf(msg.sender);
        paid = _cAmount(pkg.usdPrice, discountBps);
        if (paid > maxC) revert EmergencyPackagesPriceAboveMax(paid, maxC);
        coveredUntil_ = _cover(beneficiary, packageId, pkg, address(_C_TOKEN), paid, discountBps);

        // Interactions last.
        (uint256 toPool, uint256 toTreasury) = _split(paid);
        if (toTreasury != 0) _C_TOKEN.safeTransferFrom(msg.sender, _treasury, toTreasury);
        if (toPool != 0) {
            // `fund` pulls from its caller, so the pool's share passes through here within this
            // call; anything `fund` leaves behind reverts the purchase rather than staying here.
            _C_TOKEN.safeTransferFrom(msg.sender, address(this), toPool);
            _C_TOKEN.forceApprove(address(_POOL), toPool);
            _POOL.fund(toPool);
            uint256 unpulled = _C_TOKEN.allowance(address(this), address(_POOL));
            if (unpulled != 0) revert EmergencyPackagesPoolFundingShort(unpulled);
        }
    }

    /// @inheritdoc IEmergencyPackages
    function quote(
        uint256 packageId,
        bool payWithC,
        address buyer
    ) external view returns (uint256 amount, uint16 discountBps) {
        Package memory pkg = _saleable(packageId);
        if (!payWithC) return (_stableAmount(pkg.usdPrice), 0);
        discountBps = _discountOf(buyer);
        amount = _cAmount(pkg.usdPrice, discountBps);
    }

    // ─── Administration ─────────────────────────────────────────────────────────────────

    /// @inheritdoc IEmergencyPackages
    function setPackage(
        uint256 id,
        uint256 usdPrice,
        uint32 duration,
        uint16 slaFactorBps,
        bool active
    ) external onlyRole(CATALOGUE_ROLE) {
        _setPackage(id, usdPrice, duration, slaFactorBps, active);
    }

    /// @inheritdoc IEmergencyPackages
    function setProceeds(
        address treasury,
        address stableReserve,
        uint16 poolShareBps
    ) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setProceeds(treasury, stableReserve, poolShareBps);
    }

    /// @inheritdoc IEmergencyPackages
    function setOracle(address priceFeed, uint32 heartbeat) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setOracle(priceFeed, heartbeat);
    }

    /// @inheritdoc IEmergencyPackages
    function pause() external onlyRole(GUARDIAN_ROLE) {
        _pause();
    }

    /// @inheritdoc IEmergencyPackages
    function unpause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _unpause();
    }

    /// @inheritdoc IEmergencyPackages
    function rescueTokens(address token, address to, uint256 amount) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (to == address(0)) revert EmergencyPackagesZeroAddress();
        IERC20(token).safeTransfer(to, amount);
        emit TokensRescued(token, to, amount);
    }

    // ─── Views ──────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IEmergencyPackages
    function getPackage(uint256 packageId) external view returns (Package memory) {
        return _packages[packageId];
    }

    /// @inheritdoc IEmergencyPackages
    function coveredUntil(address project) public view returns (uint64 until) {
        uint256 packed = _coverage[project];
        for (uint256 i; i < MAX_COVERAGE_LEVELS; ++i) {
            uint48 u = _untilAt(packed, i);
            if (u == 0) break;
            until = u;
        }
    }

    /// @inheritdoc IEmergencyPackages
    function isCovered(address project) external view returns (bool) {
        return block.timestamp < coveredUntil(project);
    }

    /// @inheritdoc IEmergencyPackages
    function slaFactorOf(address project) external view returns (uint16) {
        (uint16[MAX_COVERAGE_LEVELS] memory factors, , uint256 n) = _liveCoverage(_coverage[project]);
        return n == 0 ? _BPS : factors[0];
    }

    /// @inheritdoc IEmergencyPackages
    function coverageOf(address project) external view returns (CoverageSegment[] memory segments) {
        (
            uint16[MAX_COVERAGE_LEVELS] memory factors,
            uint48[MAX_COVERAGE_LEVELS] memory untils,
            uint256 n
        ) = _liveCoverage(_coverage[project]);
        segments = new CoverageSegment[](n);
        for (uint256 i; i < n; ++i) segments[i] = CoverageSegment(factors[i], untils[i]);
    }

    /// @inheritdoc IEmergencyPackages
    function proceeds() external view returns (address treasury, address stableReserve, uint16 poolShareBps) {
        return (_treasury, _stableReserve, _poolShareBps);
    }

    /// @inheritdoc IEmergencyPackages
    function oracle() external view returns (address priceFeed, uint32 heartbeat) {
        return (address(_priceFeed), _heartbeat);
    }

    /// @inheritdoc IEmergencyPackages
    function cToken() external view returns (address) {
        return address(_C_TOKEN);
    }

    /// @inheritdoc IEmergencyPackages
    function stablecoin() external view returns (address) {
        return address(_STABLECOIN);
    }

    /// @inheritdoc IEmergencyPackages
    function tierSource() external view returns (address) {
        return address(_TIER_SOURCE);
    }

    /// @inheritdoc IEmergencyPackages
    function compensationPool() external view returns (address) {
        return address(_POOL);
    }

    // ─── Internal: settings ─────────────────────────────────────────────────────────────

    function _setPackage(uint256 id, uint256 usdPrice, uint32 duration, uint16 slaFactorBps, bool active) private {
        if (usdPrice == 0 || usdPrice > type(uint128).max) revert EmergencyPackagesInvalidUsdPrice(usdPrice);
        if (duration == 0) revert EmergencyPackagesInvalidDuration(duration);
        if (slaFactorBps == 0 || slaFactorBps > _BPS) revert EmergencyPackagesInvalidSlaFactor(slaFactorBps);
        _packages[id] = Package(uint128(usdPrice), duration, slaFactorBps, active);
        emit PackageSet(id, usdPrice, duration, slaFactorBps, active);
    }

    function _setProceeds(address treasury, address stableReserve, uint16 poolShareBps) private {
        if (treasury == address(0) || stableReserve == address(0)) revert EmergencyPackagesZeroAddress();
        if (poolShareBps > _BPS) revert EmergencyPackagesInvalidPoolShare(poolShareBps);
        _treasury = treasury;
        _poolShareBps = poolShareBps;
        _stableReserve = stableReserve;
        emit ProceedsConfigured(treasury, stableReserve, poolShareBps);
    }

    function _setOracle(address priceFeed, uint32 heartbeat) private {
        if (priceFeed == address(0)) revert EmergencyPackagesZeroAddress();
        if (heartbeat == 0) revert EmergencyPackagesInvalidHeartbeat(heartbeat);
        // Also proves the address answers like a feed before any purchase depends on it.
        uint8 feedDecimals = AggregatorV3Interface(priceFeed).decimals();
        if (feedDecimals > _MAX_DECIMALS) revert EmergencyPackagesUnsupportedDecimals(priceFeed, feedDecimals);
        _priceFeed = AggregatorV3Interface(priceFeed);
        _heartbeat = heartbeat;
        emit OracleConfigured(priceFeed, heartbeat);
    }

    function _unitOf(address token) private view returns (uint256) {
        uint8 decimals = IERC20Metadata(token).decimals();
        if (decimals > _MAX_DECIMALS) revert EmergencyPackagesUnsupportedDecimals(token, decimals);
        return 10 ** decimals;
    }

    // ─── Internal: pricing and proceeds ─────────────────────────────────────────────────

    function _saleable(uint256 packageId) private view returns (Package memory pkg) {
        pkg = _packages[packageId];
        // Every set package has a duration, so zero means never set.
        if (pkg.duration == 0) revert EmergencyPackagesUnknownPackage(packageId);
        if (!pkg.active) revert EmergencyPackagesPackageInactive(packageId);
    }

    function _discountOf(address buyer) private view returns (uint16 discountBps) {
        (, , discountBps) = _TIER_SOURCE.tierTermsOf(buyer);
        // A purchase always costs something, whatever the tier source says.
        if (discountBps > _MAX_DISCOUNT_BPS) revert EmergencyPackagesInvalidDiscount(discountBps);
    }

    /// @dev The list price in the stablecoin's decimals; rounded up when it has fewer than 6.
    function _stableAmount(uint256 usdPrice) private view returns (uint256) {
        return Math.mulDiv(usdPrice, _STABLE_UNIT, _USD_UNIT, Math.Rounding.Ceil);
    }

    /// @dev `ceil(usdPrice · (1 − discount) / price)` in C's smallest unit, with a single rounding:
    /// usdPrice·(10_000 − d)·10^cDecimals·10^feedDecimals / (answer·10_000·10^6). Rounding up
    /// makes the C paid worth at least the discounted price at the feed's answer.
    function _cAmount(uint256 usdPrice, uint16 discountBps) private view returns (uint256) {
        (AggregatorV3Interface feed, uint256 heartbeat) = (_priceFeed, _heartbeat);
        (uint80 roundId, int256 answer, , uint256 updatedAt, uint80 answeredInRound) = feed.latestRoundData();
        if (answer < 1) revert EmergencyPackagesNonPositivePrice(answer);
        if (updatedAt == 0 || answeredInRound < roundId) {
            revert EmergencyPackagesIncompleteRound(roundId, answeredInRound, updatedAt);
        }
        if (updatedAt > block.timestamp) revert EmergencyPackagesFuturePrice(updatedAt, block.timestamp);
        // Cannot underflow: updatedAt <= block.timestamp was just checked.
        unchecked {
            if (block.timestamp - updatedAt > heartbeat) revert EmergencyPackagesStalePrice(updatedAt, heartbeat);
        }
        // Read on every purchase (the feed is warm by now) rather than cached, so a feed whose
        // decimals change behind a proxy is still priced right.
        uint8 feedDecimals = feed.decimals();
        if (feedDecimals > _MAX_DECIMALS) revert EmergencyPackagesUnsupportedDecimals(address(feed), feedDecimals);
        return
            Math.mulDiv(
                usdPrice * (_BPS - discountBps),
                _C_UNIT * 10 ** feedDecimals,
                uint256(answer) * (uint256(_BPS) * _USD_UNIT),
                Math.Rounding.Ceil
            );
    }

    /// @dev The pool's part is rounded down and the treasury takes the rest, so the parts always
    /// sum to `amount`.
    function _split(uint256 amount) private view returns (uint256 toPool, uint256 toTreasury) {
        toPool = (amount * _poolShareBps) / _BPS;
        // Cannot underflow: toPool <= amount since the share is at most 10_000 bps.
        unchecked {
            toTreasury = amount - toPool;
        }
    }

    // ─── Internal: coverage ─────────────────────────────────────────────────────────────

    /// @dev Adds `pkg`'s time to `beneficiary`'s window and emits the purchase.
    function _cover(
        address beneficiary,
        uint256 packageId,
        Package memory pkg,
        address payToken,
        uint256 paid,
        uint16 discountBps
    ) private returns (uint64 until) {
        if (beneficiary == address(0)) revert EmergencyPackagesZeroAddress();
        (uint256 packed, uint48 end, uint16 factorNow) = _extended(
            _coverage[beneficiary],
            beneficiary,
            pkg.slaFactorBps,
            pkg.duration
        );
        _coverage[beneficiary] = packed;
        until = end;
        emit PackagePurchased(msg.sender, beneficiary, packageId, payToken, paid, discountBps, until, factorNow);
    }

    /// @dev The window after adding `duration` seconds at `factor`: the time joins the stretch of
    /// that factor, or a new stretch placed after every faster one; either way, it and every
    /// slower stretch after it end `duration` later. The window's end therefore moves from
    /// `max(now, end)` by `duration`, and no paid second is lost or changes factor except by
    /// being used later.
    function _extended(
        uint256 packed,
        address beneficiary,
        uint16 factor,
        uint32 duration
    ) private view returns (uint256 newPacked, uint48 end, uint16 factorNow) {
        (
            uint16[MAX_COVERAGE_LEVELS] memory factors,
            uint48[MAX_COVERAGE_LEVELS] memory untils,
            uint256 n
        ) = _liveCoverage(packed);
        uint256 p;
        while (p < n && factors[p] < factor) ++p;
        if (p == n || factors[p] != factor) {
            if (n == MAX_COVERAGE_LEVELS) {
                revert EmergencyPackagesTooManyCoverageLevels(beneficiary, MAX_COVERAGE_LEVELS);
            }
            for (uint256 j = n; j > p; --j) {
                factors[j] = factors[j - 1];
                untils[j] = untils[j - 1];
            }
            // An empty stretch where the new one starts; the loop below gives it its length.
            factors[p] = factor;
            untils[p] = p == 0 ? uint48(block.timestamp) : untils[p - 1];
            ++n;
        }
        for (uint256 j = p; j < n; ++j) untils[j] += duration;
        for (uint256 j; j < n; ++j) {
            newPacked |= (uint256(factors[j]) << (64 * j + 48)) | (uint256(untils[j]) << (64 * j));
        }
        return (newPacked, untils[n - 1], factors[0]);
    }

    /// @dev The stretches of `packed` that have not run out, in order.
    function _liveCoverage(
        uint256 packed
    )
        private
        view
        returns (uint16[MAX_COVERAGE_LEVELS] memory factors, uint48[MAX_COVERAGE_LEVELS] memory untils, uint256 n)
    {
        for (uint256 i; i < MAX_COVERAGE_LEVELS; ++i) {
            uint48 until = _untilAt(packed, i);
            if (until == 0) break;
            // Ends increase along the window, so the stretches that ran out are a prefix.
            if (until > block.timestamp) {
                factors[n] = uint16(packed >> (64 * i + 48));
                untils[n] = until;
                ++n;
            }
        }
    }

    function _untilAt(uint256 packed, uint256 i) private pure returns (uint48) {
        return uint48(packed >> (64 * i));
    }
}
