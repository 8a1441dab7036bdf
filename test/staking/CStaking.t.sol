// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {TestBase} from "../utils/TestBase.sol";
import {MockCToken} from "../../contracts/mocks/MockCToken.sol";
import {CStaking} from "../../contracts/staking/CStaking.sol";
import {ICStaking} from "../../contracts/staking/ICStaking.sol";

/// @notice Fuzz tests of CStaking: the tier lookup against a plain reference, monotonicity, the
/// effective stake against a replayed history, and the cooldown boundary.
contract CStakingFuzzTest is TestBase {
    uint256 internal constant C = 1e18;
    uint48 internal constant WARMUP = 1 days;
    uint48 internal constant COOLDOWN = 7 days;
    uint48 internal constant START = 1_700_000_000;

    MockCToken internal c;
    CStaking internal staking;

    function setUp() public {
        vm.warp(START);
        c = new MockCToken();
        staking = new CStaking(c, address(this), WARMUP, COOLDOWN, _defaultTiers());
        c.approve(address(staking), type(uint256).max);
    }

    // ─── Tier lookup ──────────────────────────────────────────────────────────────────────────

    /// The packed lookup agrees with a linear scan of `tiers()` in base units, for random valid
    /// tables and stakes drawn both at random and right around the thresholds.
    function testFuzz_tierLookupMatchesReference(uint256 seed, uint256 stakeSeed) public {
        ICStaking.Tier[] memory table = _randomTable(seed);
        staking.configureTiers(table);

        uint256 amount = _stakeNear(table, stakeSeed);
        (uint8 tier, uint16 slaFactorBps, uint16 discountBps) = staking.termsForStake(amount);
        uint256 expected = _referenceTier(table, amount);
        assertEq(tier, expected, "tier");
        assertEq(slaFactorBps, table[expected].slaFactorBps, "slaFactorBps");
        assertEq(discountBps, table[expected].discountBps, "discountBps");
    }

    /// The table reads back exactly as configured, and the warmup survives the change.
    function testFuzz_tableRoundTrips(uint256 seed) public {
        ICStaking.Tier[] memory table = _randomTable(seed);
        staking.configureTiers(table);
        ICStaking.Tier[] memory stored = staking.tiers();
        assertEq(stored.length, table.length, "rows");
        for (uint256 i = 0; i < table.length; ++i) {
            assertEq(stored[i].thresholdWholeC, table[i].thresholdWholeC, "threshold");
            assertEq(stored[i].slaFactorBps, table[i].slaFactorBps, "slaFactorBps");
            assertEq(stored[i].discountBps, table[i].discountBps, "discountBps");
        }
        assertEq(staking.warmup(), WARMUP, "warmup kept");
    }

    /// More effective stake never means a lower tier.
    function testFuzz_tierMonotoneInEffectiveStake(uint256 seed, uint256 a, uint256 b) public {
        staking.configureTiers(_randomTable(seed));
        if (a > b) (a, b) = (b, a);
        (uint8 tierA, , ) = staking.termsForStake(a);
        (uint8 tierB, , ) = staking.termsForStake(b);
        assertLe(tierA, tierB, "tier(a) <= tier(b) for a <= b");
    }

    // ─── Effective stake ──────────────────────────────────────────────────────────────────────

    /// A stake and a tier read in the same transaction: the stake buys nothing until the warmup has
    /// passed, to the second.
    function test_flashStakeInOneTransactionGainsNothing() public {
        c.mint(address(this), 20_000 * C);
        staking.stake(20_000 * C);
        (uint8 tier, uint16 slaFactorBps, uint16 discountBps) = staking.tierTermsOf(address(this));
        assertEq(tier, 0, "tier right after staking");
        assertEq(slaFactorBps, 10_000, "standard SLA");
        assertEq(discountBps, 3_000, "standard discount");
        vm.warp(START + WARMUP - 1);
        assertEq(staking.tierOf(address(this)), 0, "tier a second before the warmup ends");
        vm.warp(START + WARMUP);
        assertEq(staking.tierOf(address(this)), 2, "tier once warm");
    }

    /// On a chain younger than the warmup nothing has warmed up yet, whatever the stake.
    function test_chainYoungerThanWarmupCountsNothing() public {
        vm.warp(100);
        CStaking young = new CStaking(c, address(this), WARMUP, COOLDOWN, _defaultTiers());
        c.mint(address(this), 20_000 * C);
        c.approve(address(young), 20_000 * C);
        young.stake(20_000 * C);
        vm.warp(WARMUP - 1);
        assertEq(young.effectiveStakeOf(address(this)), 0, "effective before the chain is a warmup old");
        vm.warp(100 + WARMUP);
        assertEq(young.effectiveStakeOf(address(this)), 20_000 * C, "effective once warm");
    }

    /// Random stake/unstake/warp sequences: the effective stake always equals min(now, a warmup ago)
    /// computed from a replayed history, never exceeds the current stake, and `stakeAt` agrees with
    /// the history at every past change.
    function testFuzz_effectiveStakeMatchesHistory(uint256 seed) public {
        uint256[] memory times = new uint256[](24);
        uint256[] memory values = new uint256[](24);
        uint256 n;
        uint256 current;
        c.mint(address(this), 1e30);
        for (uint256 step = 0; step < 24; ++step) {
            uint256 r = uint256(keccak256(abi.encode(seed, step)));
            uint256 op = r % 3;
            if (op == 0) {
                uint256 amount = bound(r >> 8, 1, 20_000 * C);
                staking.stake(amount);
                current += amount;
            } else if (op == 1 && current > 0) {
                uint256 amount = bound(r >> 8, 1, current);
                staking.unstake(amount);
                current -= amount;
            } else {
                vm.warp(block.timestamp + bound(r >> 8, 0, 2 * WARMUP));
                continue;
            }
            if (n > 0 && times[n - 1] == block.timestamp) values[n - 1] = current;
            else (times[n], values[n], n) = (block.timestamp, current, n + 1);

            vm.warp(block.timestamp + bound(r >> 128, 0, WARMUP / 2));
            uint256 then = _valueAt(times, values, n, block.timestamp - WARMUP);
            uint256 expected = then < current ? then : current;
            assertEq(staking.stakeOf(address(this)), current, "current stake");
            assertEq(staking.effectiveStakeOf(address(this)), expected, "effective stake");
            assertLe(staking.effectiveStakeOf(address(this)), current, "effective <= current");
            (uint8 tier, , ) = staking.termsForStake(expected);
            assertEq(staking.tierOf(address(this)), tier, "tier of the effective stake");
        }
        vm.warp(block.timestamp + 1);
        for (uint256 i = 0; i < n; ++i) {
            assertEq(staking.stakeAt(address(this), times[i]), values[i], "stakeAt a change");
            assertEq(staking.stakeAt(address(this), times[i] - 1), i == 0 ? 0 : values[i - 1], "stakeAt before");
        }
    }

    // ─── Cooldown ─────────────────────────────────────────────────────────────────────────────

    /// A request pays exactly from `now + cooldown` on, for any cooldown and wait.
    function testFuzz_withdrawOnlyFromReleaseTime(uint48 cooldown, uint48 wait, uint256 amount) public {
        cooldown = uint48(bound(cooldown, 0, staking.MAX_COOLDOWN()));
        wait = uint48(bound(wait, 0, uint256(cooldown) * 2 + 2));
        amount = bound(amount, 1, 1e30);
        staking.setCooldown(cooldown);
        c.mint(address(this), amount);
        staking.stake(amount);
        staking.unstake(amount);
        uint48 releaseAt = START + cooldown;
        vm.warp(START + uint256(wait));
        if (wait < cooldown) {
            vm.expectRevert(abi.encodeWithSelector(ICStaking.CStakingNothingToWithdraw.selector, releaseAt));
            staking.withdraw();
        } else {
            uint256 before = c.balanceOf(address(this));
            assertEq(staking.withdraw(), amount, "paid");
            assertEq(c.balanceOf(address(this)) - before, amount, "received");
        }
    }

    /// Whatever cooldown changes happen between requests, release times along a queue never
    /// decrease, so `withdraw` pays a prefix and never skips a matured request.
    function testFuzz_releaseTimesNeverDecrease(uint256 seed) public {
        c.mint(address(this), 1e30);
        staking.stake(1e24);
        uint48 previous;
        for (uint256 i = 0; i < 12; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            staking.setCooldown(uint48(bound(r, 0, 30 days)));
            vm.warp(block.timestamp + bound(r >> 64, 0, 10 days));
            uint256 id = staking.unstake(1);
            (, uint48 releaseAt) = staking.unstakeRequestOf(address(this), id);
            assertGe(releaseAt, previous, "release time non-decreasing");
            assertGe(releaseAt, block.timestamp + staking.cooldown(), "at least now + cooldown");
            previous = releaseAt;
        }
        vm.warp(previous);
        assertEq(staking.withdraw(), 12, "all paid once the last one matures");
    }

    // ─── Helpers ──────────────────────────────────────────────────────────────────────────────

    function _defaultTiers() internal pure returns (ICStaking.Tier[] memory t) {
        t = new ICStaking.Tier[](3);
        t[0] = ICStaking.Tier(0, 10_000, 3_000);
        t[1] = ICStaking.Tier(1_000, 5_000, 3_000);
        t[2] = ICStaking.Tier(10_000, 2_500, 3_500);
    }

    /// A valid table of 1..8 rows with random strictly increasing thresholds up to 2**32 − 1.
    function _randomTable(uint256 seed) internal pure returns (ICStaking.Tier[] memory table) {
        uint256 n = bound(seed, 1, 8);
        table = new ICStaking.Tier[](n);
        uint256 threshold;
        for (uint256 i = 0; i < n; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            if (i > 0) {
                // Leave room for the rows still to come: each needs at least one more whole C.
                uint256 room = type(uint32).max - threshold - (n - 1 - i);
                uint256 step = r % 4 == 0 ? room : (r >> 2) % 20_000;
                threshold += bound(step, 1, room);
            }
            table[i] = ICStaking.Tier(
                uint32(threshold),
                uint16(bound(r >> 64, 1, 10_000)),
                uint16(bound(r >> 128, 0, 5_000))
            );
        }
    }

    /// A stake right at, just below or just above a random threshold, or anything at all.
    function _stakeNear(ICStaking.Tier[] memory table, uint256 seed) internal pure returns (uint256) {
        uint256 kind = seed % 4;
        if (kind == 3) return seed >> 2;
        uint256 atThreshold = uint256(table[(seed >> 2) % table.length].thresholdWholeC) * C;
        if (kind == 0) return atThreshold;
        if (kind == 1) return atThreshold == 0 ? 0 : atThreshold - 1;
        return atThreshold + 1;
    }

    function _referenceTier(ICStaking.Tier[] memory table, uint256 amount) internal pure returns (uint256 tier) {
        for (uint256 i = 0; i < table.length; ++i) {
            if (amount >= uint256(table[i].thresholdWholeC) * C) tier = i;
        }
    }

    function _valueAt(
        uint256[] memory times,
        uint256[] memory values,
        uint256 n,
        uint256 timepoint
    ) internal pure returns (uint256 value) {
        for (uint256 i = 0; i < n && times[i] <= timepoint; ++i) value = values[i];
    }
}
