// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

import {TestBase} from "../utils/TestBase.sol";
import {MockCToken} from "../../contracts/mocks/MockCToken.sol";
import {MockStablecoin} from "../../contracts/mocks/MockStablecoin.sol";
import {MockPriceFeed} from "../../contracts/mocks/MockPriceFeed.sol";
import {MockTierSource} from "../../contracts/mocks/MockTierSource.sol";
import {MockCompensationPool} from "../../contracts/mocks/MockCompensationPool.sol";
import {EmergencyPackages} from "../../contracts/packages/EmergencyPackages.sol";
import {IEmergencyPackages} from "../../contracts/packages/IEmergencyPackages.sol";

/// @notice A token with any number of decimals, to stand in for stablecoins other than 6-decimal ones.
contract DecimalsToken is ERC20 {
    uint8 private immutable _DECIMALS;

    constructor(uint8 decimals_) ERC20("Any-decimals USD", "USDX") {
        _DECIMALS = decimals_;
    }

    function decimals() public view override returns (uint8) {
        return _DECIMALS;
    }

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}

/// @notice Properties of EmergencyPackages over random prices, feed decimals, answers, tiers,
/// shares and purchase sequences. The test contract is the admin and the buyer.
contract EmergencyPackagesPropertiesTest is TestBase {
    uint256 internal constant PACKAGE_ID = 7;
    address internal constant TREASURY = address(0x7ea5);
    address internal constant RESERVE = address(0x5e5e);
    address internal constant PROJECT = address(0x9a0);

    MockCToken internal c;
    MockStablecoin internal usd;
    MockTierSource internal tiers;
    MockCompensationPool internal pool;

    function setUp() public {
        vm.warp(1_700_000_000);
        c = new MockCToken();
        usd = new MockStablecoin();
        tiers = new MockTierSource(10_000, 3_000);
        pool = new MockCompensationPool(c);
    }

    function _deploy(
        address stablecoin,
        address feed,
        uint16 poolShareBps,
        IEmergencyPackages.PackageConfig[] memory catalogue
    ) internal returns (EmergencyPackages packages) {
        packages = new EmergencyPackages(
            IEmergencyPackages.Config({
                admin: address(this),
                guardian: address(this),
                cToken: address(c),
                stablecoin: stablecoin,
                tierSource: address(tiers),
                compensationPool: address(pool),
                priceFeed: feed,
                heartbeat: 1 hours,
                treasury: TREASURY,
                stableReserve: RESERVE,
                poolShareBps: poolShareBps
            }),
            catalogue
        );
        // The test contract buys for PROJECT, which allows it to.
        vm.prank(PROJECT);
        packages.setBuyerApproval(address(this), true);
    }

    function _one(uint256 usdPrice) internal pure returns (IEmergencyPackages.PackageConfig[] memory catalogue) {
        catalogue = new IEmergencyPackages.PackageConfig[](1);
        catalogue[0] = IEmergencyPackages.PackageConfig(PACKAGE_ID, usdPrice, 30 days, 5_000, true);
    }

    // ─── Pricing and proceeds ───────────────────────────────────────────────────────────

    /// `quote` equals what `buyWithC` takes; that amount is the least C worth the discounted
    /// price; the pool and treasury parts sum to it; nothing stays in the contract.
    function testFuzz_quoteEqualsWhatBuyWithCTakes(
        uint256 usdPrice,
        uint256 feedDecimals,
        uint256 answer,
        uint256 discountBps,
        uint256 poolShareBps
    ) public {
        usdPrice = bound(usdPrice, 1, 1e18); // up to $10^12
        feedDecimals = bound(feedDecimals, 0, 36);
        answer = bound(answer, 1, 1e40);
        discountBps = bound(discountBps, 0, 9_999);
        poolShareBps = bound(poolShareBps, 0, 10_000);

        MockPriceFeed feed = new MockPriceFeed(uint8(feedDecimals), int256(answer));
        EmergencyPackages packages = _deploy(address(usd), address(feed), uint16(poolShareBps), _one(usdPrice));
        tiers.setTerms(address(this), 1, 10_000, uint16(discountBps));

        (uint256 quoted, uint16 quotedDiscount) = packages.quote(PACKAGE_ID, true, address(this));
        assertEq(quotedDiscount, discountBps, "quoted discount");

        // Least amount worth the price: amount · answer / 10^(18 + feedDecimals) ≥ usdPrice · (1 − d) / 10^6,
        // and one unit less is not.
        uint256 owed = usdPrice * (10_000 - discountBps) * 10 ** (18 + feedDecimals);
        assertGe(quoted * answer * 1e10, owed, "quote covers the price");
        assertTrue((quoted - 1) * answer * 1e10 < owed, "quote is the least amount covering the price");

        c.mint(address(this), quoted);
        c.approve(address(packages), quoted);
        vm.expectRevert(
            abi.encodeWithSelector(IEmergencyPackages.EmergencyPackagesPriceAboveMax.selector, quoted, quoted - 1)
        );
        packages.buyWithC(PACKAGE_ID, PROJECT, 1, quoted - 1);

        (uint256 paid, ) = packages.buyWithC(PACKAGE_ID, PROJECT, 1, quoted);
        assertEq(paid, quoted, "paid");
        assertEq(c.balanceOf(address(this)), 0, "buyer paid exactly the quote");
        uint256 toPool = c.balanceOf(address(pool));
        uint256 toTreasury = c.balanceOf(TREASURY);
        assertEq(toPool + toTreasury, quoted, "parts sum to the payment");
        assertEq(toPool, (quoted * poolShareBps) / 10_000, "pool share rounded down");
        assertEq(c.balanceOf(address(packages)), 0, "nothing stays");
        assertEq(c.allowance(address(packages), address(pool)), 0, "no allowance left");
    }

    /// A stablecoin of any decimals is charged the least amount worth the list price, split
    /// without dust.
    function testFuzz_stablecoinOfAnyDecimalsPaysTheListPrice(
        uint256 usdPrice,
        uint256 decimals,
        uint256 poolShareBps
    ) public {
        usdPrice = bound(usdPrice, 1, type(uint128).max);
        decimals = bound(decimals, 0, 36);
        poolShareBps = bound(poolShareBps, 0, 10_000);

        DecimalsToken stable = new DecimalsToken(uint8(decimals));
        MockPriceFeed feed = new MockPriceFeed(8, 1e8);
        EmergencyPackages packages = _deploy(address(stable), address(feed), uint16(poolShareBps), _one(usdPrice));

        (uint256 quoted, uint16 discount) = packages.quote(PACKAGE_ID, false, address(this));
        assertEq(discount, 0, "no discount for the stablecoin");
        uint256 owed = usdPrice * 10 ** decimals;
        assertGe(quoted * 1e6, owed, "covers the list price");
        assertTrue((quoted - 1) * 1e6 < owed, "least amount covering the list price");

        stable.mint(address(this), quoted);
        stable.approve(address(packages), quoted);
        (uint256 paid, ) = packages.buyWithStable(PACKAGE_ID, PROJECT, 1, quoted);
        assertEq(paid, quoted, "paid the quote");
        assertEq(stable.balanceOf(address(this)), 0, "buyer paid exactly the quote");
        assertEq(stable.balanceOf(RESERVE) + stable.balanceOf(TREASURY), quoted, "parts sum to the payment");
        assertEq(stable.balanceOf(RESERVE), (quoted * poolShareBps) / 10_000, "reserve share rounded down");
        assertEq(stable.balanceOf(address(packages)), 0, "nothing stays");
    }

    // ─── Coverage ───────────────────────────────────────────────────────────────────────

    uint16[4] internal _factors = [2_500, 5_000, 7_500, 10_000];
    uint32[4] internal _durations = [2 days, 30 days, 10 days, 30 days];

    /// The packed window agrees, after every step of a random sequence of purchases and waits,
    /// with a reference model that keeps remaining seconds per factor and spends the fastest
    /// first.
    function testFuzz_coverageMatchesSecondsPerFactorModel(uint256 seed) public {
        IEmergencyPackages.PackageConfig[] memory catalogue = new IEmergencyPackages.PackageConfig[](4);
        for (uint256 k; k < 4; ++k) {
            catalogue[k] = IEmergencyPackages.PackageConfig(k, 1e6, _durations[k], _factors[k], true);
        }
        MockPriceFeed feed = new MockPriceFeed(8, 1e8);
        EmergencyPackages packages = _deploy(address(usd), address(feed), 5_000, catalogue);
        usd.mint(address(this), 1e12);
        usd.approve(address(packages), type(uint256).max);

        uint256[4] memory remaining; // the model: seconds left per factor
        uint256 lastEnd;
        for (uint256 step; step < 12; ++step) {
            uint256 r = uint256(keccak256(abi.encode(seed, step)));
            uint256 wait = bound(r >> 8, 0, 40 days);
            uint256 k = r % 4;

            vm.warp(block.timestamp + wait);
            _spend(remaining, wait);
            _check(packages, remaining, lastEnd);

            (, uint64 until) = packages.buyWithStable(k, PROJECT, 1, type(uint256).max);
            remaining[k] += _durations[k];
            lastEnd = block.timestamp + remaining[0] + remaining[1] + remaining[2] + remaining[3];
            assertEq(until, lastEnd, "returned end");
            _check(packages, remaining, lastEnd);
        }
    }

    function _spend(uint256[4] memory remaining, uint256 elapsed) internal pure {
        for (uint256 k; k < 4 && elapsed != 0; ++k) {
            uint256 used = remaining[k] < elapsed ? remaining[k] : elapsed;
            remaining[k] -= used;
            elapsed -= used;
        }
    }

    function _check(EmergencyPackages packages, uint256[4] memory remaining, uint256 lastEnd) internal view {
        IEmergencyPackages.CoverageSegment[] memory segments = packages.coverageOf(PROJECT);
        uint256 end = block.timestamp;
        uint256 n;
        uint256 factorNow; // 0: no coverage in force
        for (uint256 k; k < 4; ++k) {
            if (remaining[k] == 0) continue;
            if (n == 0) factorNow = _factors[k];
            end += remaining[k];
            assertTrue(n < segments.length, "a stretch is missing");
            assertEq(segments[n].slaFactorBps, _factors[k], "stretch factor");
            assertEq(segments[n].until, end, "stretch end");
            ++n;
        }
        assertEq(segments.length, n, "stretch count");
        assertEq(packages.slaFactorOf(PROJECT), factorNow, "factor in force");
        assertTrue(packages.isCovered(PROJECT) == (n != 0), "covered");
        assertEq(packages.coveredUntil(PROJECT), lastEnd, "covered until");
    }

    // ─── Scheduled coverage ─────────────────────────────────────────────────────────────

    struct ModelBooking {
        uint256 start;
        uint256 end;
        uint16 factor;
    }

    /// Over a random sequence of bookings, continuous purchases and waits, `slaFactorOf` is the
    /// best factor among the continuous window's current stretch and the bookings whose window
    /// contains now (10_000 when none), `isCovered` says whether any of them does, `bookingsOf`
    /// lists exactly the bookings that have not ended, and a fifth live booking is refused.
    function testFuzz_bookingsCountOnlyInsideTheirWindows(uint256 seed) public {
        IEmergencyPackages.PackageConfig[] memory catalogue = new IEmergencyPackages.PackageConfig[](4);
        for (uint256 k; k < 4; ++k) {
            catalogue[k] = IEmergencyPackages.PackageConfig(k, 1e6, _durations[k], _factors[k], true);
        }
        MockPriceFeed feed = new MockPriceFeed(8, 1e8);
        EmergencyPackages packages = _deploy(address(usd), address(feed), 5_000, catalogue);
        usd.mint(address(this), 1e15);
        usd.approve(address(packages), type(uint256).max);

        ModelBooking[] memory model = new ModelBooking[](16);
        uint256 modelCount;
        uint256[4] memory remaining;
        for (uint256 step; step < 16; ++step) {
            uint256 r = uint256(keccak256(abi.encode(seed, step)));
            uint256 wait = bound(r >> 16, 0, 10 days);
            vm.warp(block.timestamp + wait);
            _spend(remaining, wait);
            _checkBookings(packages, model, modelCount, remaining);

            uint256 k = (r >> 8) % 4;
            if (r % 3 == 0) {
                packages.buyWithStable(k, PROJECT, 1, type(uint256).max);
                remaining[k] += _durations[k];
            } else {
                uint256 start = block.timestamp + bound(r >> 64, 0, 20 days);
                uint256 end = start + bound(r >> 128, 1, 31 days);
                uint256 live;
                for (uint256 i; i < modelCount; ++i) if (model[i].end > block.timestamp) ++live;
                if (live == 4) {
                    vm.expectRevert(
                        abi.encodeWithSelector(
                            IEmergencyPackages.EmergencyPackagesTooManyBookings.selector,
                            PROJECT,
                            uint256(4)
                        )
                    );
                    packages.bookWithStable(k, PROJECT, uint48(start), uint48(end), 1, type(uint256).max);
                } else {
                    uint256 paid = packages.bookWithStable(
                        k,
                        PROJECT,
                        uint48(start),
                        uint48(end),
                        1,
                        type(uint256).max
                    );
                    uint256 units = (end - start + _durations[k] - 1) / _durations[k];
                    assertEq(paid, units * 1e6, "whole units of the duration, at list price");
                    model[modelCount++] = ModelBooking(start, end, _factors[k]);
                }
            }
            _checkBookings(packages, model, modelCount, remaining);
        }
    }

    function _checkBookings(
        EmergencyPackages packages,
        ModelBooking[] memory model,
        uint256 modelCount,
        uint256[4] memory remaining
    ) internal view {
        uint256 best;
        for (uint256 k; k < 4; ++k) {
            if (remaining[k] != 0) {
                best = _factors[k];
                break;
            }
        }
        uint256 live;
        IEmergencyPackages.Booking[] memory stored = packages.bookingsOf(PROJECT);
        for (uint256 i; i < modelCount; ++i) {
            ModelBooking memory b = model[i];
            if (b.end <= block.timestamp) continue;
            assertTrue(live < stored.length, "a booking is missing");
            assertEq(stored[live].start, b.start, "booking start");
            assertEq(stored[live].end, b.end, "booking end");
            assertEq(stored[live].slaFactorBps, b.factor, "booking factor");
            ++live;
            if (b.start <= block.timestamp && (best == 0 || b.factor < best)) best = b.factor;
        }
        assertEq(stored.length, live, "booking count");
        assertEq(packages.slaFactorOf(PROJECT), best, "factor in force (0: none)");
        assertTrue(packages.isCovered(PROJECT) == (best != 0), "covered");
    }
}
