// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {TestBase} from "../utils/TestBase.sol";
import {Vm} from "../utils/Vm.sol";
import {MockCToken} from "../../contracts/mocks/MockCToken.sol";
import {MockCoverageSource} from "../../contracts/mocks/MockCoverageSource.sol";
import {MockTierSource} from "../../contracts/mocks/MockTierSource.sol";
import {CompensationPool} from "../../contracts/pool/CompensationPool.sol";
import {ICompensationPool} from "../../contracts/pool/ICompensationPool.sol";

import {poolTerms} from "./CompensationPool.t.sol";

uint256 constant NO_RESPONSE_CREDIT = 3e18;
uint256 constant RESOLUTION_CREDIT = 7e18;
uint256 constant BREACH_BUDGET = 20e18;

/// @notice An attacker's view of breach credits: spam claims from accounts with and without
/// standing, move time, trigger credits (own and others'), answer or approve some claims (which
/// reserves funds), fund a little, pause. It logs every credit paid (time, amount, claim, kind) so
/// the invariants can check any rolling day against the budget.
contract BreachHandler {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    CompensationPool public immutable pool;
    MockCToken public immutable c;

    // Two with a tier, two with coverage (one at standard deadlines), four with neither.
    address[8] internal actors = [
        address(0xC1),
        address(0xC2),
        address(0xC3),
        address(0xC4),
        address(0xD1),
        address(0xD2),
        address(0xD3),
        address(0xD4)
    ];
    uint256[] internal claimIds;

    uint256[] public paidAt;
    uint256[] public paidAmount;
    uint256 public ghostFunded;
    uint256 public ghostCredits;
    uint256 public ghostApprovedPaid;
    uint256 public maxCreditsPerClaimKind;
    bool public creditWithoutStanding;
    mapping(uint256 claimId => mapping(uint256 kind => uint256)) public creditsOf;
    mapping(bytes32 action => uint256) public succeeded;

    constructor(CompensationPool pool_, MockCToken c_) {
        pool = pool_;
        c = c_;
    }

    // ------------------------------------------------------------ actions

    function spam(uint256 actorSeed, uint256 kindSeed, uint256 count) external {
        if (pool.paused() && actorSeed % 4 != 0) pool.unpause();
        count = _bound(count, 1, 8);
        for (uint256 i = 0; i < count; ++i) {
            vm.prank(actors[(actorSeed + i) % actors.length]);
            try pool.submitClaim(ICompensationPool.ClaimKind((kindSeed + i) % 4), 1e18, bytes32(i)) returns (
                uint256 id
            ) {
                claimIds.push(id);
                ++succeeded["submit"];
            } catch {}
        }
    }

    function noResponseCredit(uint256 seed) external {
        _credit(seed, ICompensationPool.BreachKind.NoResponse);
    }

    function resolutionCredit(uint256 seed) external {
        _credit(seed, ICompensationPool.BreachKind.Resolution);
    }

    /// @dev Every claim in turn: the attacker sweeps the whole list in one go.
    function creditEverything() external {
        uint256 n = claimIds.length;
        for (uint256 i = 0; i < n && i < 64; ++i) {
            _tryCredit(claimIds[i], ICompensationPool.BreachKind.NoResponse);
            _tryCredit(claimIds[i], ICompensationPool.BreachKind.Resolution);
        }
    }

    function answer(uint256 seed) external {
        if (claimIds.length == 0) return;
        uint256 claimId = claimIds[seed % claimIds.length];
        try pool.acceptClaim(claimId, bytes32(0)) {
            ++succeeded["accept"];
        } catch {}
        if (seed % 3 == 0) {
            try pool.rejectClaim(claimId, bytes32(0)) {
                ++succeeded["reject"];
            } catch {}
        }
    }

    /// @dev A large approval (≥ the threshold) is reserved until paid: it competes with credits.
    function approveLarge(uint256 seed) external {
        if (pool.paused()) pool.unpause();
        vm.prank(actors[seed % actors.length]);
        try pool.submitClaim(ICompensationPool.ClaimKind.Other, 1_000e18, bytes32(seed)) returns (uint256 id) {
            claimIds.push(id);
            pool.acceptClaim(id, bytes32(0));
            try pool.approveClaim(id, 1_000e18, bytes32(0)) {
                ++succeeded["approve"];
            } catch {}
        } catch {}
    }

    function executeDue(uint256 seed) external {
        if (claimIds.length == 0) return;
        uint256 claimId = claimIds[seed % claimIds.length];
        uint256 amount = pool.getClaim(claimId).amount;
        try pool.executePayout(claimId) {
            ghostApprovedPaid += amount;
            ++succeeded["execute"];
        } catch {}
    }

    function fund(uint256 amount) external {
        amount = _bound(amount, 1e18, 1_500e18);
        c.mint(address(this), amount);
        c.approve(address(pool), amount);
        pool.fund(amount);
        ghostFunded += amount;
    }

    function togglePause() external {
        if (pool.paused()) pool.unpause();
        else pool.pause();
    }

    function warp(uint256 secondsAhead) external {
        vm.warp(block.timestamp + _bound(secondsAhead, 1, 30 hours));
    }

    // ------------------------------------------------------------ views for the invariants

    function paidCount() external view returns (uint256) {
        return paidAt.length;
    }

    // ------------------------------------------------------------ steps

    function _credit(uint256 seed, ICompensationPool.BreachKind kind) internal {
        if (claimIds.length == 0) return;
        if (pool.paused() && seed % 4 != 0) pool.unpause();
        _tryCredit(claimIds[seed % claimIds.length], kind);
    }

    function _tryCredit(uint256 claimId, ICompensationPool.BreachKind kind) internal {
        ICompensationPool.Claim memory claim = pool.getClaim(claimId);
        uint256 before = c.balanceOf(claim.claimant);
        bool ok;
        if (kind == ICompensationPool.BreachKind.NoResponse) {
            try pool.claimNoResponseCredit(claimId) {
                ok = true;
            } catch {}
        } else {
            try pool.claimResolutionCredit(claimId) {
                ok = true;
            } catch {}
        }
        if (!ok) return;
        uint256 amount = c.balanceOf(claim.claimant) - before;
        paidAt.push(block.timestamp);
        paidAmount.push(amount);
        ghostCredits += amount;
        if (!claim.standing) creditWithoutStanding = true;
        uint256 n = ++creditsOf[claimId][uint256(kind)];
        if (n > maxCreditsPerClaimKind) maxCreditsPerClaimKind = n;
        ++succeeded[kind == ICompensationPool.BreachKind.NoResponse ? bytes32("noResponse") : bytes32("resolution")];
    }

    function _bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        if (x >= min && x <= max) return x;
        return min + (x % (max - min + 1));
    }
}

contract CompensationPoolBreachInvariantTest is TestBase {
    MockCToken internal c;
    CompensationPool internal pool;
    BreachHandler internal handler;

    function setUp() public {
        vm.warp(1_800_000_000);
        c = new MockCToken();
        MockTierSource tiers = new MockTierSource(10_000, 0);
        MockCoverageSource coverage = new MockCoverageSource();
        address handlerAddress = _create1Address(address(this), 5);
        pool = new CompensationPool(c, address(tiers), handlerAddress, handlerAddress, handlerAddress, poolTerms());
        handler = new BreachHandler(pool, c);
        assertEq(address(handler), handlerAddress, "handler address");
        tiers.setTerms(address(0xC1), 1, 5_000, 0);
        tiers.setTerms(address(0xC2), 2, 2_500, 0);
        coverage.setFactor(address(0xC3), 5_000);
        coverage.setFactor(address(0xC4), 10_000); // a plan at standard deadlines: standing all the same
        vm.prank(handlerAddress);
        pool.setCoverageSource(address(coverage));
        vm.prank(handlerAddress);
        pool.setBreachCredits(NO_RESPONSE_CREDIT, RESOLUTION_CREDIT, BREACH_BUDGET);
        handler.fund(100e18);
        _targetContract(address(handler));
    }

    /// @dev Any 24 hours ending at a credit hold at most one budget of credits.
    function invariant_creditsInAnyRollingDayStayWithinTheBudget() public view {
        uint256 n = handler.paidCount();
        for (uint256 i = 0; i < n; ++i) {
            uint256 end = handler.paidAt(i);
            uint256 sum;
            for (uint256 j = 0; j < n; ++j) {
                uint256 t = handler.paidAt(j);
                if (t <= end && t + 24 hours > end) sum += handler.paidAmount(j);
            }
            assertLe(sum, BREACH_BUDGET, "credits in a rolling day");
        }
    }

    function invariant_balanceCoversReserved() public view {
        assertGe(c.balanceOf(address(pool)), pool.reserved(), "balance >= reserved");
    }

    function invariant_eachCreditOncePerClaimAndOnlyWithStanding() public view {
        assertLe(handler.maxCreditsPerClaimKind(), 1, "credits per claim and kind");
        assertTrue(!handler.creditWithoutStanding(), "a claim without standing was credited");
    }

    function invariant_poolBalanceIsFundedMinusPaid() public view {
        assertEq(
            c.balanceOf(address(pool)),
            handler.ghostFunded() - handler.ghostCredits() - handler.ghostApprovedPaid(),
            "pool balance"
        );
    }

    /// @dev A fixed walk: spam, then sweep the credits a day at a time. The budget, not the number
    /// of claims, bounds what leaves; the refusals leave nothing behind.
    function test_spamIsBoundedByTheBudget() public {
        handler.fund(1_000e18);
        for (uint256 round = 0; round < 3; ++round) {
            handler.spam(round, 0, 8);
            handler.spam(round + 4, 1, 8);
        }
        handler.approveLarge(0); // reserves 1,000 C
        handler.warp(30 hours);
        handler.creditEverything();
        // 48 claims, 24 with standing, up to 10 C of credits owed to each: one budget paid, no more.
        assertEq(handler.ghostCredits(), BREACH_BUDGET, "first day");
        assertGe(handler.succeeded("noResponse"), 1, "no-response credits paid");
        handler.warp(25 hours);
        handler.creditEverything();
        assertGe(handler.succeeded("resolution"), 1, "resolution credits paid");
        invariant_creditsInAnyRollingDayStayWithinTheBudget();
        invariant_balanceCoversReserved();
        invariant_eachCreditOncePerClaimAndOnlyWithStanding();
        invariant_poolBalanceIsFundedMinusPaid();
    }

    function _create1Address(address deployer, uint256 nonce) internal pure returns (address) {
        return
            address(uint160(uint256(keccak256(abi.encodePacked(bytes1(0xd6), bytes1(0x94), deployer, uint8(nonce))))));
    }
}
