// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {AggregatorV3Interface} from "../interfaces/AggregatorV3Interface.sol";
import {ICoverageSource} from "../interfaces/ICoverageSource.sol";
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
    /// @inheritdoc IEmergencyPackages
    uint256 public constant MAX_BOOKINGS = 4;
    /// @inheritdoc IEmergencyPackages
    uint256 public constant MAX_BOOKING_LEAD = 365 days;
    /// @inheritdoc IEmergencyPackages
    uint256 public constant MAX_BOOKING_WINDOW = 31 days;

    uint16 private constant _BPS = 10_000;
    uint16 private constant _MAX_DISCOUNT_BPS = _BPS - 1;
    /// @dev List prices are USD with 6 decimals.
    uint256 private constant _USD_UNIT = 1e6;
    /// @dev Keeps `10 ** (C decimals + feed decimals)` within 256 bits.
    uint8 private constant _MAX_DECIMALS = 36;

    /// @dev Coverage slot layout (see `_coverage`): a stretch takes 56 bits, the booking count
    /// sits above the four stretches.
    uint256 private constant _STRETCH_BITS = 56;
    uint256 private constant _BOOKING_COUNT_SHIFT = 224;
    uint256 private constant _STRETCHES_MASK = (1 << 224) - 1;
    /// @dev Booking slot layout (see `_bookings`): two bookings of 128 bits per slot.
    uint256 private constant _BOOKING_BITS = 128;

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
    /// stretch `i` takes bits `[56i, 56i + 56)`, its `until` in the low 40 bits (enough for
    /// 34,000 years) and its SLA factor in the next 16. `until` values increase with `i`; an empty
    /// stretch has `until` 0. Stretches that ran out stay until the next purchase prunes them.
    /// Bits `[224, 232)` count the beneficiary's stored bookings, so that `slaFactorOf` (read by
    /// the pool on every claim) reads the booking slots only for accounts that have bookings.
    mapping(address project => uint256) private _coverage;

    /// @dev A beneficiary's bookings, stored from index 0 without gaps, two per slot: booking `i`
    /// in slot `i / 2`, bits `[128(i % 2), 128(i % 2) + 112)`: start (48 bits), end (48), factor
    /// (16). Bookings that ended stay until the next booking prunes them.
    mapping(address project => uint256[2]) private _bookings;

    /// @dev Who may buy for whom besides the beneficiary itself; read only by purchases for another.
    mapping(address beneficiary => mapping(address buyer => bool)) private _approvedBuyers;

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
        address beneficiary,
        uint32 termsVersion,
        uint256 maxAmount
    ) external whenNotPaused returns (uint256 paid, uint64 coveredUntil_) {
        Package memory pkg = _orderable(packageId, beneficiary, termsVersion);
        paid = _atMost(_stableAmount(pkg.usdPrice), maxAmount);
        coveredUntil_ = _cover(beneficiary, packageId, pkg, address(_STABLECOIN), paid, 0);
        _collectStable(paid);
    }

    /// @inheritdoc IEmergencyPackages
    function buyWithC(
        uint256 packageId,
        address beneficiary,
        uint32 termsVersion,
        uint256 maxC
    ) external whenNotPaused returns (uint256 paid, uint64 coveredUntil_) {
        Package memory pkg = _orderable(packageId, beneficiary, termsVersion);
        uint16 discountBps = _discountOf(msg.sender);
        paid = _atMost(_cAmount(pkg.usdPrice, discountBps), maxC);
        coveredUntil_ = _cover(beneficiary, packageId, pkg, address(_C_TOKEN), paid, discountBps);
        _collectC(paid);
    }

    /// @inheritdoc IEmergencyPackages
    function bookWithStable(
        uint256 packageId,
        address beneficiary,
        uint48 start,
        uint48 end,
        uint32 termsVersion,
        uint256 maxAmount
    ) external whenNotPaused returns (uint256 paid) {
        Package memory pkg = _orderable(packageId, beneficiary, termsVersion);
        uint256 units = _bookingUnits(pkg.duration, start, end);
        paid = _atMost(_stableAmount(pkg.usdPrice * units), maxAmount);
        _book(beneficiary, pkg.slaFactorBps, start, end);
        emit CoverageBooked(
            msg.sender,
            beneficiary,
            packageId,
            address(_STABLECOIN),
            paid,
            0,
            start,
            end,
            pkg.slaFactorBps,
            units
        );
        _collectStable(paid);
    }

    /// @inheritdoc IEmergencyPackages
    function bookWithC(
        uint256 packageId,
        address beneficiary,
        uint48 start,
        uint48 end,
        uint32 termsVersion,
        uint256 maxC
    ) external whenNotPaused returns (uint256 paid) {
        Package memory pkg = _orderable(packageId, beneficiary, termsVersion);
        uint256 units = _bookingUnits(pkg.duration, start, end);
        uint16 discountBps = _discountOf(msg.sender);
        paid = _atMost(_cAmount(pkg.usdPrice * units, discountBps), maxC);
        _book(beneficiary, pkg.slaFactorBps, start, end);
        emit CoverageBooked(
            msg.sender,
            beneficiary,
            packageId,
            address(_C_TOKEN),
            paid,
            discountBps,
            start,
            end,
            pkg.slaFactorBps,
            units
        );
        _collectC(paid);
    }

    /// @inheritdoc IEmergencyPackages
    function setBuyerApproval(address buyer, bool approved) external {
        if (buyer == address(0)) revert EmergencyPackagesZeroAddress();
        _approvedBuyers[msg.sender][buyer] = approved;
        emit BuyerApprovalSet(msg.sender, buyer, approved);
    }

    /// @inheritdoc IEmergencyPackages
    function quote(
        uint256 packageId,
        bool payWithC,
        address buyer
    ) external view returns (uint256 amount, uint16 discountBps) {
        Package memory pkg = _saleable(packageId);
        return _quote(pkg.usdPrice, payWithC, buyer);
    }

    /// @inheritdoc IEmergencyPackages
    function quoteBooking(
        uint256 packageId,
        bool payWithC,
        address buyer,
        uint48 start,
        uint48 end
    ) external view returns (uint256 amount, uint16 discountBps) {
        Package memory pkg = _saleable(packageId);
        return _quote(pkg.usdPrice * _bookingUnits(pkg.duration, start, end), payWithC, buyer);
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
    function coveredUntil(address project) public view returns (uint64) {
        return _windowEnd(_coverage[project]);
    }

    /// @inheritdoc IEmergencyPackages
    function isCovered(address project) external view returns (bool) {
        return _factorNow(project) != 0;
    }

    /// @inheritdoc ICoverageSource
    /// @dev The best factor among the continuous window's current stretch and every booking whose
    /// window contains now (see {IEmergencyPackages}).
    function slaFactorOf(address project) external view returns (uint16) {
        return _factorNow(project);
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
    function bookingsOf(address project) external view returns (Booking[] memory bookings) {
        (Booking[MAX_BOOKINGS] memory live, uint256 n) = _liveBookings(project, _bookingCount(_coverage[project]));
        bookings = new Booking[](n);
        for (uint256 i; i < n; ++i) bookings[i] = live[i];
    }

    /// @inheritdoc IEmergencyPackages
    function isBuyerApproved(address beneficiary, address buyer) external view returns (bool) {
        return _approvedBuyers[beneficiary][buyer];
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
        // Any change, even to the same terms, invalidates orders made against the old version.
        uint32 termsVersion = _packages[id].termsVersion + 1;
        _packages[id] = Package(uint128(usdPrice), duration, slaFactorBps, active, termsVersion);
        emit PackageSet(id, usdPrice, duration, slaFactorBps, active, termsVersion);
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

    /// @dev A package the caller may order for `beneficiary` at the terms it saw.
    function _orderable(
        uint256 packageId,
        address beneficiary,
        uint32 termsVersion
    ) private view returns (Package memory pkg) {
        if (beneficiary == address(0)) revert EmergencyPackagesZeroAddress();
        if (beneficiary != msg.sender && !_approvedBuyers[beneficiary][msg.sender]) {
            revert EmergencyPackagesBuyerNotApproved(beneficiary, msg.sender);
        }
        pkg = _saleable(packageId);
        if (pkg.termsVersion != termsVersion) {
            revert EmergencyPackagesTermsChanged(packageId, termsVersion, pkg.termsVersion);
        }
    }

    function _atMost(uint256 amount, uint256 maxAmount) private pure returns (uint256) {
        if (amount > maxAmount) revert EmergencyPackagesPriceAboveMax(amount, maxAmount);
        return amount;
    }

    function _quote(
        uint256 usdPrice,
        bool payWithC,
        address buyer
    ) private view returns (uint256 amount, uint16 discountBps) {
        if (!payWithC) return (_stableAmount(usdPrice), 0);
        discountBps = _discountOf(buyer);
        amount = _cAmount(usdPrice, discountBps);
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

    /// @dev Interactions last in every purchase. The pool escrows only C, so its share of a
    /// stablecoin payment goes to the reserve, whose operator converts it; both parts go straight
    /// from the buyer.
    function _collectStable(uint256 paid) private {
        (uint256 toPool, uint256 toTreasury) = _split(paid);
        if (toPool != 0) _STABLECOIN.safeTransferFrom(msg.sender, _stableReserve, toPool);
        if (toTreasury != 0) _STABLECOIN.safeTransferFrom(msg.sender, _treasury, toTreasury);
    }

    function _collectC(uint256 paid) private {
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
        // The booking count is kept as it was.
        newPacked = packed & ~_STRETCHES_MASK;
        for (uint256 j; j < n; ++j) {
            newPacked |=
                (uint256(factors[j]) << (_STRETCH_BITS * j + 40)) |
                (uint256(SafeCast.toUint40(untils[j])) << (_STRETCH_BITS * j));
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
                factors[n] = uint16(packed >> (_STRETCH_BITS * i + 40));
                untils[n] = until;
                ++n;
            }
        }
    }

    function _untilAt(uint256 packed, uint256 i) private pure returns (uint48) {
        return uint40(packed >> (_STRETCH_BITS * i));
    }

    function _windowEnd(uint256 packed) private pure returns (uint48 until) {
        for (uint256 i; i < MAX_COVERAGE_LEVELS; ++i) {
            uint48 u = _untilAt(packed, i);
            if (u == 0) break;
            until = u;
        }
    }

    /// @dev The best factor in force for `project` now, or 0 when nothing covers it now.
    function _factorNow(address project) private view returns (uint16 best) {
        uint256 packed = _coverage[project];
        // The first live stretch is the fastest; its factor is in force now.
        for (uint256 i; i < MAX_COVERAGE_LEVELS; ++i) {
            uint48 until = _untilAt(packed, i);
            if (until == 0) break;
            if (until > block.timestamp) {
                best = uint16(packed >> (_STRETCH_BITS * i + 40));
                break;
            }
        }
        uint256 count = _bookingCount(packed);
        if (count == 0) return best;
        (Booking[MAX_BOOKINGS] memory live, uint256 n) = _liveBookings(project, count);
        for (uint256 i; i < n; ++i) {
            Booking memory b = live[i];
            // A live booking has not ended; it is in force once its start is reached (inclusive).
            // solhint-disable-next-line gas-strict-inequalities
            if (b.start <= block.timestamp && (best == 0 || b.slaFactorBps < best)) best = b.slaFactorBps;
        }
    }

    // ─── Internal: bookings ─────────────────────────────────────────────────────────────

    /// @dev How many package durations the window `[start, end)` takes, after checking the window.
    function _bookingUnits(uint32 duration, uint48 start, uint48 end) private view returns (uint256) {
        // An empty window (end == start) is as invalid as a reversed one.
        // solhint-disable-next-line gas-strict-inequalities
        if (end <= start || end - start > MAX_BOOKING_WINDOW) {
            revert EmergencyPackagesInvalidBookingWindow(start, end, MAX_BOOKING_WINDOW);
        }
        if (start < block.timestamp) revert EmergencyPackagesBookingStartPassed(start, block.timestamp);
        uint256 latestStart = block.timestamp + MAX_BOOKING_LEAD;
        if (start > latestStart) revert EmergencyPackagesBookingTooFarAhead(start, latestStart);
        return Math.ceilDiv(end - start, duration);
    }

    /// @dev Stores a booking after pruning those that ended; refuses one past {MAX_BOOKINGS}.
    function _book(address beneficiary, uint16 factor, uint48 start, uint48 end) private {
        uint256 packed = _coverage[beneficiary];
        (Booking[MAX_BOOKINGS] memory live, uint256 n) = _liveBookings(beneficiary, _bookingCount(packed));
        if (n == MAX_BOOKINGS) revert EmergencyPackagesTooManyBookings(beneficiary, MAX_BOOKINGS);
        live[n] = Booking(factor, start, end);
        ++n;
        uint256[2] memory slots;
        for (uint256 i; i < n; ++i) {
            Booking memory b = live[i];
            slots[i / 2] |=
                (uint256(b.start) | (uint256(b.end) << 48) | (uint256(b.slaFactorBps) << 96)) <<
                (_BOOKING_BITS * (i % 2));
        }
        _bookings[beneficiary] = slots;
        _coverage[beneficiary] = (packed & _STRETCHES_MASK) | (n << _BOOKING_COUNT_SHIFT);
    }

    /// @dev The first `count` stored bookings of `project` that have not ended, in order.
    function _liveBookings(
        address project,
        uint256 count
    ) private view returns (Booking[MAX_BOOKINGS] memory live, uint256 n) {
        if (count == 0) return (live, 0);
        uint256[2] storage slots = _bookings[project];
        uint256 slot;
        for (uint256 i; i < count; ++i) {
            // One storage read per two bookings.
            if (i % 2 == 0) slot = slots[i / 2];
            uint256 word = slot >> (_BOOKING_BITS * (i % 2));
            uint48 end = uint48(word >> 48);
            if (end > block.timestamp) {
                live[n] = Booking(uint16(word >> 96), uint48(word), end);
                ++n;
            }
        }
    }

    function _bookingCount(uint256 packed) private pure returns (uint256) {
        return uint8(packed >> _BOOKING_COUNT_SHIFT);
    }
}
