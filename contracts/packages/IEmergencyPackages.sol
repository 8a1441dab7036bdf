// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ICoverageSource} from "../interfaces/ICoverageSource.sol";

/// @title IEmergencyPackages
/// @notice Support plans ("emergency packages") that projects and merchants buy for a
/// beneficiary address, paying the USD list price in a stablecoin or in C at the buyer's tier
/// discount. A purchase buys covered time at the package's response-SLA factor; part of the
/// proceeds funds the CompensationPool.
///
/// Pricing
/// - List prices are in USD with 6 decimals (`49_990_000` = $49.99).
/// - Stablecoin: the list price, converted to the stablecoin's decimals (read once at deploy);
///   a stablecoin with fewer than 6 decimals is charged the price rounded up.
/// - C: `ceil(usdPrice × (10_000 − discountBps) / 10_000 / (C/USD price))`, in C's smallest unit,
///   with one rounding, up (in the protocol's favour): the buyer pays the least amount of C whose
///   value at the feed price is at least the discounted price. `discountBps` is the buyer's
///   (`msg.sender`'s) tier discount read from the tier source in the same call.
///
/// Buyer protection
/// Every catalogue entry carries a terms version that `setPackage` bumps. A purchase names the
/// version the buyer saw and the most it will pay (in the token it pays with); it fails if the
/// package's price, duration, SLA factor or sale flag changed since, or if it would cost more.
///
/// Consent
/// Anyone may buy for themselves. Buying for another beneficiary needs that beneficiary's
/// approval of the buyer ({setBuyerApproval}): a stranger's purchases could otherwise fill the
/// beneficiary's coverage levels or bookings and block the beneficiary's own later purchase.
///
/// Coverage
/// Each beneficiary has one continuous covered window `[.., coveredUntil)`. A purchase extends it
/// from `max(now, coveredUntil)` by the package's duration. Inside the window, paid time is kept
/// per SLA factor, at most {MAX_COVERAGE_LEVELS} different factors at once, and the best
/// (lowest) factor's time is used first: buying a faster package while covered applies at once
/// and pushes the rest of the window back by its duration (nothing paid is lost); buying a
/// slower one adds its time after all faster time. A factor applies only for as long as its own
/// paid time lasts, so buying Pro once and extending with Basic does not keep Pro's factor.
///
/// Scheduled coverage (bookings)
/// A booking buys a package's factor for a chosen future window `[start, end)` (standby before a
/// holiday, a launch or a store anniversary), paid now at the same price rules, discount and
/// guards, in whole units of the package's duration (`ceil((end − start) / duration)` times the
/// price). A booking runs beside the continuous window without pausing it; it counts only
/// inside its window. The window must start no earlier than the purchase's block, within
/// {MAX_BOOKING_LEAD} of it, and last at most {MAX_BOOKING_WINDOW}; at most
/// {MAX_BOOKINGS} bookings that have not ended are held per beneficiary.
///
/// {slaFactorOf} is the best (lowest) factor of the coverage in force now: the continuous
/// window's current stretch and every booking whose window contains now; 10_000 when none.
///
/// Proceeds
/// `poolShareBps` of every payment, rounded down, goes to the compensation side and the
/// remainder to the treasury, so the two parts always sum to the payment. C: the pool share
/// funds the CompensationPool through `fund`. Stablecoin: the pool escrows only C, so the pool
/// share goes to the `stableReserve` address, whose operator converts it into C for the pool.
/// Tokens move from the buyer straight to their destinations (the pool's C passes through this
/// contract within the same call): the contract never holds funds between calls.
interface IEmergencyPackages is ICoverageSource {
    /// @notice A catalogue entry. Fits one slot.
    struct Package {
        // List price in USD with 6 decimals.
        uint128 usdPrice;
        // Covered time bought, in seconds.
        uint32 duration;
        // Response-SLA factor in basis points while this package's time is in force
        // (10_000 = standard deadlines, 5_000 = deadlines 50% shorter).
        uint16 slaFactorBps;
        bool active;
        // Bumped by every `setPackage` of this id (1 once set); purchases name the version they saw.
        uint32 termsVersion;
    }

    /// @notice The settings given at deploy. The tokens, tier source and pool stay fixed; the rest
    /// can be changed later by the admin.
    struct Config {
        // Gets DEFAULT_ADMIN_ROLE and CATALOGUE_ROLE.
        address admin;
        // Gets GUARDIAN_ROLE.
        address guardian;
        address cToken;
        address stablecoin;
        address tierSource;
        address compensationPool;
        // C/USD feed (AggregatorV3-compatible) and the maximum age of its answers in seconds.
        address priceFeed;
        uint32 heartbeat;
        address treasury;
        address stableReserve;
        uint16 poolShareBps;
    }

    /// @notice One entry of a catalogue given at deploy.
    struct PackageConfig {
        uint256 id;
        uint256 usdPrice;
        uint32 duration;
        uint16 slaFactorBps;
        bool active;
    }

    /// @notice A stretch of a beneficiary's covered window with one SLA factor. The stretch runs
    /// from the previous one's `until` (or from now, for the first) to its own `until`.
    struct CoverageSegment {
        uint16 slaFactorBps;
        uint48 until;
    }

    /// @notice A booked window of scheduled coverage at one SLA factor, `[start, end)`.
    struct Booking {
        uint16 slaFactorBps;
        uint48 start;
        uint48 end;
    }

    // ─── Events ─────────────────────────────────────────────────────────────────────────

    /// @notice Catalogue entry `packageId` was created or changed; purchases must now name
    /// `termsVersion`.
    event PackageSet(
        uint256 indexed packageId,
        uint256 usdPrice,
        uint32 duration,
        uint16 slaFactorBps,
        bool active,
        uint32 termsVersion
    );

    /// @notice `buyer` bought package `packageId` for `beneficiary`, paying `paid` of `payToken`
    /// at `discountBps` off the list price. The beneficiary is now covered until `coveredUntil`,
    /// and `slaFactorBps` is the factor in force right after the purchase.
    event PackagePurchased(
        address indexed buyer,
        address indexed beneficiary,
        uint256 indexed packageId,
        address payToken,
        uint256 paid,
        uint16 discountBps,
        uint64 coveredUntil,
        uint16 slaFactorBps
    );

    /// @notice `buyer` booked package `packageId`'s factor for `beneficiary` over `[start, end)`,
    /// paying `paid` of `payToken` for `units` times the package's duration, at `discountBps` off.
    event CoverageBooked(
        address indexed buyer,
        address indexed beneficiary,
        uint256 indexed packageId,
        address payToken,
        uint256 paid,
        uint16 discountBps,
        uint64 start,
        uint64 end,
        uint16 slaFactorBps,
        uint256 units
    );

    /// @notice `beneficiary` allowed (or no longer allows) `buyer` to buy and book for it.
    event BuyerApprovalSet(address indexed beneficiary, address indexed buyer, bool approved);

    /// @notice Proceeds now go to `treasury`, with `poolShareBps` of each payment going to the
    /// CompensationPool (C) or to `stableReserve` (stablecoin).
    event ProceedsConfigured(address indexed treasury, address indexed stableReserve, uint16 poolShareBps);

    /// @notice C is now priced with `priceFeed`, whose answers older than `heartbeat` seconds are
    /// refused.
    event OracleConfigured(address indexed priceFeed, uint32 heartbeat);

    /// @notice `amount` of `token`, sent to this contract by mistake, was sent to `to`.
    event TokensRescued(address indexed token, address indexed to, uint256 amount);

    // ─── Errors ─────────────────────────────────────────────────────────────────────────

    /// @notice An address that must be set was zero.
    error EmergencyPackagesZeroAddress();

    /// @notice Package `packageId` was never set.
    error EmergencyPackagesUnknownPackage(uint256 packageId);

    /// @notice Package `packageId` exists but is not on sale.
    error EmergencyPackagesPackageInactive(uint256 packageId);

    /// @notice A list price must be above zero and fit 128 bits.
    error EmergencyPackagesInvalidUsdPrice(uint256 usdPrice);

    /// @notice A package's duration must be above zero.
    error EmergencyPackagesInvalidDuration(uint32 duration);

    /// @notice A package's SLA factor must be in `1..10_000`.
    error EmergencyPackagesInvalidSlaFactor(uint16 slaFactorBps);

    /// @notice The pool share must be at most 10_000 basis points.
    error EmergencyPackagesInvalidPoolShare(uint16 poolShareBps);

    /// @notice The oracle heartbeat must be above zero.
    error EmergencyPackagesInvalidHeartbeat(uint32 heartbeat);

    /// @notice `token` (or the price feed) reports more decimals than prices can be converted with.
    error EmergencyPackagesUnsupportedDecimals(address token, uint8 decimals);

    /// @notice The tier source gave the buyer a discount of 100% or more.
    error EmergencyPackagesInvalidDiscount(uint16 discountBps);

    /// @notice The feed's C/USD answer is zero or negative.
    error EmergencyPackagesNonPositivePrice(int256 answer);

    /// @notice The feed's latest round is not complete (`updatedAt` is zero or the answer was
    /// carried over from an earlier round).
    error EmergencyPackagesIncompleteRound(uint80 roundId, uint80 answeredInRound, uint256 updatedAt);

    /// @notice The feed's answer claims to be from the future.
    error EmergencyPackagesFuturePrice(uint256 updatedAt, uint256 timestamp);

    /// @notice The feed's answer is older than the heartbeat allows.
    error EmergencyPackagesStalePrice(uint256 updatedAt, uint256 heartbeat);

    /// @notice The purchase needs `needed` of the payment token, more than the buyer's maximum.
    error EmergencyPackagesPriceAboveMax(uint256 needed, uint256 maxAmount);

    /// @notice Package `packageId`'s terms changed: the buyer saw version `expected`, it is now
    /// `current`. Read them again with {getPackage}.
    error EmergencyPackagesTermsChanged(uint256 packageId, uint32 expected, uint32 current);

    /// @notice `buyer` may not buy for `beneficiary`: the beneficiary has not approved it.
    error EmergencyPackagesBuyerNotApproved(address beneficiary, address buyer);

    /// @notice A booking's window must end after it starts and last at most `maxWindow` seconds.
    error EmergencyPackagesInvalidBookingWindow(uint64 start, uint64 end, uint256 maxWindow);

    /// @notice A booking's window starts at `start`, before the purchase's block at `timestamp`.
    error EmergencyPackagesBookingStartPassed(uint64 start, uint256 timestamp);

    /// @notice A booking's window starts at `start`, later than `latestStart` allows.
    error EmergencyPackagesBookingTooFarAhead(uint64 start, uint256 latestStart);

    /// @notice `beneficiary` already holds the maximum number of bookings that have not ended.
    error EmergencyPackagesTooManyBookings(address beneficiary, uint256 maxBookings);

    /// @notice `beneficiary` already holds paid time at the maximum number of different SLA
    /// factors; buy one of those packages, or wait until one's time runs out.
    error EmergencyPackagesTooManyCoverageLevels(address beneficiary, uint256 maxLevels);

    /// @notice The CompensationPool's `fund` left `unpulled` C of its share in this contract.
    error EmergencyPackagesPoolFundingShort(uint256 unpulled);

    // ─── Purchases ──────────────────────────────────────────────────────────────────────

    /// @notice Buys package `packageId` for `beneficiary` at its full list price in the stablecoin,
    /// pulled from the caller (who must have approved this contract). The caller must be the
    /// beneficiary or approved by it.
    /// @param termsVersion the package's terms version the buyer saw ({getPackage})
    /// @param maxAmount the most stablecoin the buyer will pay
    /// @return paid the stablecoin amount taken
    /// @return coveredUntil the end of the beneficiary's covered window after the purchase
    function buyWithStable(
        uint256 packageId,
        address beneficiary,
        uint32 termsVersion,
        uint256 maxAmount
    ) external returns (uint256 paid, uint64 coveredUntil);

    /// @notice Buys package `packageId` for `beneficiary` in C at the caller's tier discount,
    /// priced with the C/USD feed. The caller must be the beneficiary or approved by it.
    /// @param termsVersion the package's terms version the buyer saw ({getPackage})
    /// @param maxC the most C the buyer will pay
    /// @return paid the C amount taken
    /// @return coveredUntil the end of the beneficiary's covered window after the purchase
    function buyWithC(
        uint256 packageId,
        address beneficiary,
        uint32 termsVersion,
        uint256 maxC
    ) external returns (uint256 paid, uint64 coveredUntil);

    /// @notice Books package `packageId`'s SLA factor for `beneficiary` over `[start, end)`, paid now
    /// in the stablecoin: the list price times `ceil((end − start) / duration)`. Same consent,
    /// terms and maximum-payment guards as {buyWithStable}.
    /// @return paid the stablecoin amount taken
    function bookWithStable(
        uint256 packageId,
        address beneficiary,
        uint48 start,
        uint48 end,
        uint32 termsVersion,
        uint256 maxAmount
    ) external returns (uint256 paid);

    /// @notice Books like {bookWithStable}, paid in C at the caller's tier discount.
    /// @return paid the C amount taken
    function bookWithC(
        uint256 packageId,
        address beneficiary,
        uint48 start,
        uint48 end,
        uint32 termsVersion,
        uint256 maxC
    ) external returns (uint256 paid);

    /// @notice Allows (or stops allowing) `buyer` to buy and book packages for the caller.
    function setBuyerApproval(address buyer, bool approved) external;

    /// @notice The exact amount a purchase of `packageId` by `buyer` would take now, in C when
    /// `payWithC` (at `buyer`'s tier discount) or else in the stablecoin (discount 0). Reverts as
    /// the purchase would for an unknown or inactive package or an unusable feed answer; does
    /// not check the pause.
    function quote(
        uint256 packageId,
        bool payWithC,
        address buyer
    ) external view returns (uint256 amount, uint16 discountBps);

    /// @notice What booking `packageId` over `[start, end)` by `buyer` would take now, like {quote};
    /// also reverts for a window a booking would refuse now.
    function quoteBooking(
        uint256 packageId,
        bool payWithC,
        address buyer,
        uint48 start,
        uint48 end
    ) external view returns (uint256 amount, uint16 discountBps);

    // ─── Administration ─────────────────────────────────────────────────────────────────

    /// @notice Creates or changes catalogue entry `id` (catalogue role) and bumps its terms
    /// version, so purchases signed against the old terms fail. Purchases already made keep the
    /// time and factor they paid for.
    /// @param usdPrice list price in USD with 6 decimals, in `1..2^128-1`
    /// @param duration covered time in seconds, above zero
    /// @param slaFactorBps response-SLA factor in basis points, in `1..10_000`
    function setPackage(uint256 id, uint256 usdPrice, uint32 duration, uint16 slaFactorBps, bool active) external;

    /// @notice Sets where proceeds go (admin).
    /// @param poolShareBps share of each payment for the pool side, at most 10_000
    function setProceeds(address treasury, address stableReserve, uint16 poolShareBps) external;

    /// @notice Sets the C/USD feed and the maximum age of its answers in seconds (admin).
    function setOracle(address priceFeed, uint32 heartbeat) external;

    /// @notice Stops purchases (guardian).
    function pause() external;

    /// @notice Resumes purchases (admin).
    function unpause() external;

    /// @notice Sends `amount` of `token` that was sent to this contract by mistake to `to`
    /// (admin). Purchases never leave tokens here.
    function rescueTokens(address token, address to, uint256 amount) external;

    // ─── Views ──────────────────────────────────────────────────────────────────────────

    /// @notice The most different SLA factors one beneficiary's window can hold at once.
    function MAX_COVERAGE_LEVELS() external view returns (uint256);

    /// @notice The most bookings that have not ended one beneficiary can hold.
    function MAX_BOOKINGS() external view returns (uint256);

    /// @notice The latest a booking's window may start, in seconds after the booking.
    function MAX_BOOKING_LEAD() external view returns (uint256);

    /// @notice The longest a booking's window may last, in seconds.
    function MAX_BOOKING_WINDOW() external view returns (uint256);

    /// @notice Catalogue entry `packageId` (all zero if never set).
    function getPackage(uint256 packageId) external view returns (Package memory);

    /// @notice The end of `project`'s continuous covered window (in the past once it ran out; 0 if
    /// never covered). Bookings are not included: see {bookingsOf}.
    function coveredUntil(address project) external view returns (uint64);

    /// @notice Whether `project` is covered now: inside its continuous window or a booked one.
    function isCovered(address project) external view returns (bool);

    // `slaFactorOf(account)` ({ICoverageSource}, read by the pool): the best (lowest) SLA factor of
    // the coverage in force now — the continuous window's current stretch and every booking whose
    // window contains now; 0 when none (so a plan at the standard 10_000 still counts as coverage).

    /// @notice `project`'s remaining continuous window, stretch by stretch, fastest first.
    function coverageOf(address project) external view returns (CoverageSegment[] memory);

    /// @notice `project`'s bookings that have not ended, in the order they were made.
    function bookingsOf(address project) external view returns (Booking[] memory);

    /// @notice Whether `beneficiary` allows `buyer` to buy and book packages for it.
    function isBuyerApproved(address beneficiary, address buyer) external view returns (bool);

    /// @notice The proceeds settings: treasury, stablecoin reserve, pool share in basis points.
    function proceeds() external view returns (address treasury, address stableReserve, uint16 poolShareBps);

    /// @notice The C/USD feed and the maximum age of its answers in seconds.
    function oracle() external view returns (address priceFeed, uint32 heartbeat);

    /// @notice The C token, the stablecoin, the tier source and the CompensationPool (fixed at
    /// deploy).
    function cToken() external view returns (address);

    function stablecoin() external view returns (address);

    function tierSource() external view returns (address);

    function compensationPool() external view returns (address);
}
