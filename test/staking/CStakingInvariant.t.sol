// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {TestBase} from "../utils/TestBase.sol";
import {Vm} from "../utils/Vm.sol";
import {MockCToken} from "../../contracts/mocks/MockCToken.sol";
import {CStaking} from "../../contracts/staking/CStaking.sol";
import {ICStaking} from "../../contracts/staking/ICStaking.sol";

/// @notice What the invariant runner calls: random stakes, unstakes, withdrawals, time jumps and
/// cooldown/warmup changes by three actors, with running totals kept alongside. A check that
/// fails inside a handler call is recorded in `violations` (a revert there would only be counted
/// as a reverted call, not as a failure).
contract CStakingHandler {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    CStaking public immutable staking;
    MockCToken public immutable c;
    address[3] internal _actors;

    /// @notice The handler's clock: every call runs at it (a warp does not outlive its call).
    uint256 public currentTime;

    uint256 public ghostTotalStake;
    uint256 public ghostPending;
    uint256 public ghostWithdrawn;
    mapping(address account => uint256) public ghostStakeOf;

    uint256 public calls;
    uint256 public stakes;
    uint256 public unstakes;
    uint256 public withdrawals;
    uint256 public violations;

    modifier atCurrentTime() {
        vm.warp(currentTime);
        ++calls;
        _;
    }

    constructor(CStaking staking_, MockCToken c_, uint256 startTime) {
        staking = staking_;
        c = c_;
        currentTime = startTime;
        _actors = [address(0xA11CE), address(0xB0B), address(0xCA7)];
    }

    function actor(uint256 index) external view returns (address) {
        return _actors[index];
    }

    function stake(uint256 actorSeed, uint256 amount) external atCurrentTime {
        address who = _actors[actorSeed % 3];
        // Mostly tier-sized amounts (the default table's thresholds are 1,000 and 10,000 C), some dust.
        amount = amount % 2 == 0 ? _bound(amount, 1, 30_000e18) : _bound(amount, 1, 1e6);
        c.mint(who, amount);
        vm.startPrank(who);
        c.approve(address(staking), amount);
        staking.stake(amount);
        vm.stopPrank();
        ghostTotalStake += amount;
        ghostStakeOf[who] += amount;
        ++stakes;
    }

    function unstake(uint256 actorSeed, uint256 amount) external atCurrentTime {
        address who = _actors[actorSeed % 3];
        uint256 staked = ghostStakeOf[who];
        if (staked == 0) return;
        amount = _bound(amount, 1, staked);
        (, uint256 tailBefore, uint48 lastReleaseBefore) = staking.unstakeQueueOf(who);
        vm.prank(who);
        uint256 id = staking.unstake(amount);
        (uint256 queued, uint48 releaseAt) = staking.unstakeRequestOf(who, id);
        if (id != tailBefore || queued != amount || releaseAt < lastReleaseBefore) ++violations;
        if (releaseAt < currentTime + staking.cooldown()) ++violations;
        ghostTotalStake -= amount;
        ghostStakeOf[who] -= amount;
        ghostPending += amount;
        ++unstakes;
    }

    function withdraw(uint256 actorSeed, uint256 maxRequests) external atCurrentTime {
        address who = _actors[actorSeed % 3];
        (uint256 head, uint256 tail, ) = staking.unstakeQueueOf(who);
        (, uint256 withdrawable) = staking.pendingWithdrawalsOf(who);
        maxRequests = _bound(maxRequests, 1, 4);
        uint256 balanceBefore = c.balanceOf(who);
        vm.prank(who);
        try staking.withdrawUpTo(maxRequests) returns (uint256 paid) {
            if (c.balanceOf(who) - balanceBefore != paid || paid == 0) ++violations;
            // With room for the whole queue it must pay exactly what had matured.
            if (tail - head <= maxRequests && paid != withdrawable) ++violations;
            ghostPending -= paid;
            ghostWithdrawn += paid;
            ++withdrawals;
        } catch {
            // Refused only when nothing had matured.
            if (withdrawable != 0) ++violations;
        }
    }

    function warp(uint256 secondsForward) external atCurrentTime {
        // Up to a little over the default cooldown, so requests mature within a run.
        currentTime += _bound(secondsForward, 0, 8 days);
    }

    function setCooldown(uint256 newCooldown) external atCurrentTime {
        staking.setCooldown(uint48(_bound(newCooldown, 0, 10 days)));
    }

    function setWarmup(uint256 newWarmup) external atCurrentTime {
        staking.setWarmup(uint48(_bound(newWarmup, 0, 3 days)));
    }

    /// Same mapping as TestBase.bound: in-range values map to themselves.
    function _bound(uint256 x, uint256 min, uint256 max) private pure returns (uint256) {
        if (x >= min && x <= max) return x;
        return min + (x % (max - min + 1));
    }
}

/// @notice Invariants of CStaking under random use by the handler above.
contract CStakingInvariantTest is TestBase {
    uint256 internal constant START = 1_700_000_000;

    MockCToken internal c;
    CStaking internal staking;
    CStakingHandler internal handler;

    function setUp() public {
        vm.warp(START);
        c = new MockCToken();
        ICStaking.Tier[] memory t = new ICStaking.Tier[](3);
        t[0] = ICStaking.Tier(0, 10_000, 3_000);
        t[1] = ICStaking.Tier(1_000, 5_000, 3_000);
        t[2] = ICStaking.Tier(10_000, 2_500, 3_500);
        staking = new CStaking(c, address(this), 1 days, 7 days, t);
        handler = new CStakingHandler(staking, c, START);
        staking.grantRole(staking.GOVERNOR_ROLE(), address(handler));
        _targetContract(address(handler));
    }

    /// Σ stakes == totalStake == the handler's running total.
    function invariant_stakesAddUpToTotal() public {
        vm.warp(handler.currentTime());
        uint256 sum;
        for (uint256 i = 0; i < 3; ++i) {
            address who = handler.actor(i);
            assertEq(staking.stakeOf(who), handler.ghostStakeOf(who), "stake of an actor");
            sum += staking.stakeOf(who);
        }
        assertEq(sum, staking.totalStake(), "sum of stakes == totalStake");
        assertEq(staking.totalStake(), handler.ghostTotalStake(), "totalStake == running total");
    }

    /// The current stakes (kept apart for cheap tier reads) agree with the checkpointed history:
    /// one second on, the history's value for now is the current value.
    function invariant_currentStakeMatchesHistory() public {
        uint256 now_ = handler.currentTime();
        vm.warp(now_ + 1);
        for (uint256 i = 0; i < 3; ++i) {
            address who = handler.actor(i);
            assertEq(staking.stakeAt(who, now_), staking.stakeOf(who), "stakeAt(now) == stakeOf");
        }
        assertEq(staking.totalStakeAt(now_), staking.totalStake(), "totalStakeAt(now) == totalStake");
    }

    /// The contract holds exactly total stake + pending withdrawals, and the queues' contents
    /// match the running total of what was unstaked and not yet paid.
    function invariant_balanceIsStakePlusPending() public {
        vm.warp(handler.currentTime());
        uint256 pending;
        for (uint256 i = 0; i < 3; ++i) {
            (uint256 p, uint256 w) = staking.pendingWithdrawalsOf(handler.actor(i));
            assertLe(w, p, "withdrawable <= pending");
            pending += p;
        }
        assertEq(pending, handler.ghostPending(), "queued == running pending");
        assertEq(c.balanceOf(address(staking)) - pending, staking.totalStake(), "balance - pending == totalStake");
        uint256 heldByActors;
        for (uint256 i = 0; i < 3; ++i) heldByActors += c.balanceOf(handler.actor(i));
        assertEq(heldByActors, handler.ghostWithdrawn(), "actors hold exactly what was paid out");
        assertEq(c.balanceOf(address(staking)) + heldByActors, c.totalSupply(), "no C created or lost");
    }

    /// Effective stake never exceeds the current stake, equals min(now, a warmup ago), and the tier
    /// is the table's tier for it; between actors, more effective stake never means a lower tier.
    function invariant_effectiveStakeAndTier() public {
        vm.warp(handler.currentTime());
        uint256 warmup = staking.warmup();
        uint256[3] memory effective;
        uint8[3] memory tier;
        for (uint256 i = 0; i < 3; ++i) {
            address who = handler.actor(i);
            uint256 current = staking.stakeOf(who);
            effective[i] = staking.effectiveStakeOf(who);
            assertLe(effective[i], current, "effective <= current");
            if (warmup > 0) {
                uint256 then = staking.stakeAt(who, block.timestamp - warmup);
                assertEq(effective[i], then < current ? then : current, "effective == min(now, then)");
            } else {
                assertEq(effective[i], current, "no warmup: effective == current");
            }
            tier[i] = staking.tierOf(who);
            (uint8 expected, , ) = staking.termsForStake(effective[i]);
            assertEq(tier[i], expected, "tierOf == tier of the effective stake");
        }
        for (uint256 i = 0; i < 3; ++i) {
            for (uint256 j = 0; j < 3; ++j) {
                if (effective[i] <= effective[j]) assertLe(tier[i], tier[j], "tier monotone in effective stake");
            }
        }
    }

    /// Along every queue, release times never decrease and every pending request holds C.
    function invariant_queuesOrdered() public view {
        for (uint256 i = 0; i < 3; ++i) {
            address who = handler.actor(i);
            (uint256 head, uint256 tail, uint48 lastReleaseAt) = staking.unstakeQueueOf(who);
            assertLe(head, tail, "head <= tail");
            uint48 previous;
            for (uint256 id = head; id < tail; ++id) {
                (uint256 amount, uint48 releaseAt) = staking.unstakeRequestOf(who, id);
                assertTrue(amount > 0, "pending request holds C");
                assertGe(releaseAt, previous, "release times non-decreasing");
                previous = releaseAt;
            }
            if (head < tail) assertEq(previous, lastReleaseAt, "lastReleaseAt is the newest request's");
        }
    }

    /// No check inside a handler call failed.
    function invariant_handlerChecksHeld() public view {
        assertEq(handler.violations(), 0, "handler-side violations");
    }

    /// Runs after each run: the handler was really called (an invariant nobody exercises cannot
    /// fail). `test_handlerDrivesEveryPath` shows each handler action doing what it should.
    function afterInvariant() public view {
        assertGe(handler.calls(), 1, "handler calls in this run");
    }

    /// A fixed sequence through the handler: each action changes what it should, and every
    /// invariant holds after it.
    function test_handlerDrivesEveryPath() public {
        handler.stake(0, 2 * 12_000e18); // even amount: tier-sized
        handler.stake(1, 7); // odd amount: dust
        handler.unstake(0, 5_000e18);
        handler.unstake(0, 1);
        handler.setCooldown(2 days);
        handler.unstake(1, 3);
        handler.withdraw(0, 4); // nothing matured yet: refused
        assertEq(handler.withdrawals(), 0, "refused withdrawal");
        handler.warp(7 days);
        handler.withdraw(0, 4);
        handler.setWarmup(0);
        handler.warp(1 days);
        handler.withdraw(1, 4);
        assertEq(handler.calls(), 12, "calls");
        assertEq(handler.stakes(), 2, "stakes");
        assertEq(handler.unstakes(), 3, "unstakes");
        assertEq(handler.withdrawals(), 2, "withdrawals");
        assertTrue(handler.ghostWithdrawn() > 0, "something was paid");
        assertEq(handler.ghostPending(), 0, "everything matured was paid");
        assertEq(handler.ghostTotalStake(), staking.totalStake(), "running total");
        invariant_stakesAddUpToTotal();
        invariant_currentStakeMatchesHistory();
        invariant_balanceIsStakePlusPending();
        invariant_effectiveStakeAndTier();
        invariant_queuesOrdered();
        invariant_handlerChecksHeld();
    }
}
