// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Hashes} from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";

import {TestBase} from "../utils/TestBase.sol";
import {Vm} from "../utils/Vm.sol";
import {MockCToken} from "../../contracts/mocks/MockCToken.sol";
import {MockTierSource} from "../../contracts/mocks/MockTierSource.sol";
import {CompensationPool} from "../../contracts/pool/CompensationPool.sol";
import {ICompensationPool} from "../../contracts/pool/ICompensationPool.sol";
import {IIncidentVault} from "../../contracts/pool/IIncidentVault.sol";
import {PackedClaim, PackedClaimLib} from "../../contracts/pool/PackedClaim.sol";
import {RollingBudget} from "../../contracts/pool/RollingBudget.sol";

uint256 constant UNIT = 1e12;

function poolTerms() pure returns (ICompensationPool.InitialTerms memory terms) {
    terms.responseSeconds = [uint32(600), 3_600, 300, 3_600];
    terms.resolutionSeconds = [uint32(14_400), 14_400, 1_800, 259_200];
    terms.perClaimCap = 10_000e18;
    terms.approvalBudget = 20_000e18;
    terms.largeClaimThreshold = 1_000e18;
    terms.payoutDelay = 1 hours;
    terms.lateCredit = 5e18;
    terms.challengeWindow = 1 hours;
}

// ================================================================ packing, units, deadlines

contract CompensationPoolFuzzTest is TestBase {
    MockCToken internal c;
    MockTierSource internal tiers;
    CompensationPool internal pool;

    function setUp() public {
        c = new MockCToken();
        tiers = new MockTierSource(10_000, 0);
        pool = new CompensationPool(c, address(tiers), address(this), address(this), address(this), poolTerms());
    }

    function testFuzz_packedClaimRoundTrips(
        address claimant,
        uint256 units,
        uint256 time,
        uint8 tier,
        uint8 kindSeed,
        uint8 statusSeed
    ) public pure {
        units = bound(units, 0, type(uint48).max);
        time = bound(time, 0, type(uint32).max);
        ICompensationPool.ClaimKind kind = ICompensationPool.ClaimKind(kindSeed % 4);
        ICompensationPool.ClaimStatus status = ICompensationPool.ClaimStatus(statusSeed % 8);
        PackedClaim packed = PackedClaimLib.pack(claimant, units, time, tier, kind).withStatus(status);
        assertEq(packed.claimant(), claimant, "claimant");
        assertEq(packed.units(), units, "units");
        assertEq(packed.time(), time, "time");
        assertEq(packed.tier(), tier, "tier");
        assertEq(uint256(packed.kind()), uint256(kind), "kind");
        assertEq(uint256(packed.status()), uint256(status), "status");
        assertTrue(!packed.acceptedLate() && !packed.approved(), "flags clear");

        PackedClaim late = packed.withLate();
        assertTrue(late.acceptedLate(), "late set");
        assertEq(late.units(), units, "late keeps units");
        assertEq(uint256(late.status()), uint256(status), "late keeps status");

        uint256 payout = bound(uint256(keccak256(abi.encode(units))), 0, type(uint48).max);
        PackedClaim approvedClaim = late.withApproval(payout, ~time & type(uint32).max, status);
        assertEq(approvedClaim.claimant(), claimant, "approval keeps claimant");
        assertEq(approvedClaim.units(), payout, "approval units");
        assertEq(approvedClaim.time(), ~time & type(uint32).max, "approval time");
        assertEq(approvedClaim.tier(), tier, "approval keeps tier");
        assertEq(uint256(approvedClaim.kind()), uint256(kind), "approval keeps kind");
        assertTrue(approvedClaim.approved() && approvedClaim.acceptedLate(), "approval flags");
    }

    function testFuzz_deadlinesFollowKindAndTierFactor(uint8 kindSeed, uint16 factor, uint256 warpTo) public {
        ICompensationPool.ClaimKind kind = ICompensationPool.ClaimKind(kindSeed % 4);
        warpTo = bound(warpTo, 1_700_000_000, 3_000_000_000);
        vm.warp(warpTo);
        address claimant = address(0xC1A1);
        tiers.setTerms(claimant, 3, factor, 0);
        (uint32 response, uint32 resolution) = pool.slaOf(kind);
        vm.prank(claimant);
        uint256 claimId = pool.submitClaim(kind, 1e18, bytes32(0));
        ICompensationPool.Claim memory claim = pool.getClaim(claimId);
        // A factor of 0 or above 10,000 is a misbehaving source's: clamped to the standard.
        uint256 effective = factor == 0 || factor > 10_000 ? 10_000 : factor;
        assertEq(claim.responseDeadline, warpTo + (uint256(response) * effective) / 10_000, "response");
        assertEq(claim.tier, 3, "tier");
        (, , uint48 resolutionDeadline) = pool.previewDeadlines(claimant, kind);
        assertEq(resolutionDeadline, warpTo + (uint256(resolution) * effective) / 10_000, "resolution");
    }

    function testFuzz_amountsKeepWeiPrecisionInWholeUnits(uint256 amount) public {
        amount = bound(amount, 1, 10_000e18);
        bool whole = amount % UNIT == 0;
        if (!whole) {
            vm.expectRevert(
                abi.encodeWithSelector(ICompensationPool.CompensationPoolAmountNotRepresentable.selector, amount)
            );
        }
        uint256 claimId = pool.submitClaim(ICompensationPool.ClaimKind.Other, amount, bytes32(0));
        if (whole) assertEq(pool.getClaim(claimId).amount, amount, "amount");
    }
}

// ================================================================ rolling budget vs a reference model

contract RollingBudgetHarness {
    using RollingBudget for RollingBudget.Window;

    RollingBudget.Window private _window;

    function charge(uint256 amount, uint256 limit) external returns (bool ok, uint256 used) {
        (ok, used) = _window.tryCharge(amount, limit);
        if (!ok) revert("refused"); // as the pool does: nothing of a refused charge stays
    }

    function usage() external view returns (uint256) {
        return _window.usage();
    }
}

contract RollingBudgetTest is TestBase {
    RollingBudgetHarness internal harness;

    uint256[] internal chargeTimes;
    uint256[] internal chargeAmounts;

    function setUp() public {
        harness = new RollingBudgetHarness();
    }

    /// @dev The specification: the charges of the current hour and the 24 hours before it.
    function referenceUsage() internal view returns (uint256 used) {
        uint256 hour = block.timestamp / 1 hours;
        for (uint256 i = 0; i < chargeTimes.length; ++i) {
            if (chargeTimes[i] / 1 hours + 24 + 1 > hour) used += chargeAmounts[i];
        }
    }

    function testFuzz_matchesTheReferenceWindow(uint256 seed) public {
        uint256 limit = 1_000;
        uint256 t = 1_700_000_000 + (seed % 1 hours);
        for (uint256 step = 0; step < 40; ++step) {
            uint256 r = uint256(keccak256(abi.encode(seed, step)));
            // Mostly minutes apart, sometimes hours, now and then more than a day.
            uint256 gap = r % 8 == 0 ? (r >> 8) % 3 days : (r >> 8) % 2 hours;
            t += gap;
            vm.warp(t);
            uint256 amount = (r >> 64) % 400;
            uint256 expectedBefore = referenceUsage();
            assertEq(harness.usage(), expectedBefore, "usage before charge");
            bool fits = expectedBefore + amount < limit + 1;
            try harness.charge(amount, limit) returns (bool ok, uint256 used) {
                assertTrue(ok && fits, "accepted only what fits");
                assertEq(used, expectedBefore + amount, "usage after charge");
                chargeTimes.push(t);
                chargeAmounts.push(amount);
            } catch {
                assertTrue(!fits, "refused only what does not fit");
            }
        }
    }

    function testFuzz_anyDayHoldsAtMostOneLimit(uint256 seed) public {
        uint256 limit = 100;
        uint256 t = 1_700_000_000;
        for (uint256 step = 0; step < 60; ++step) {
            uint256 r = uint256(keccak256(abi.encode(seed, step)));
            t += (r % 3 hours) + 1;
            vm.warp(t);
            try harness.charge((r >> 32) % 60, limit) {
                chargeTimes.push(t);
                chargeAmounts.push((r >> 32) % 60);
            } catch {}
        }
        // Every 24-hour span starting at a charge holds at most the limit.
        for (uint256 i = 0; i < chargeTimes.length; ++i) {
            uint256 sum;
            for (uint256 j = i; j < chargeTimes.length && chargeTimes[j] < chargeTimes[i] + 1 days; ++j) {
                sum += chargeAmounts[j];
            }
            assertLe(sum, limit, "a 24-hour span");
        }
    }
}

// ================================================================ invariants

/// @notice Drives the pool through random sequences of fund, submit, transitions, approve, veto,
/// pay, incident open/claim/cancel/close, sweep, pause and time, keeping running totals of what
/// should have moved. The handler holds the admin, assessor and guardian roles; claimants,
/// incident accounts and the sweep recipient receive only from the pool.
///
/// Steering: most calls act on a claim or round in the state the action needs (found, or created
/// on the way), moving time forward when needed; one call in four targets a random claim or round
/// at the current time instead, so refused transitions are exercised as well.
contract PoolHandler {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    struct Round {
        uint256 id;
        uint256[4] amounts;
        bytes32[4] leaves;
        bytes32 n01;
        bytes32 n23;
    }

    CompensationPool public immutable pool;
    MockCToken public immutable c;
    address public constant SWEEP_TO = address(0x5EE9);

    address[3] internal actors = [address(0xA1), address(0xA2), address(0xA3)];
    address[4] internal incidentAccounts = [address(0xB0), address(0xB1), address(0xB2), address(0xB3)];
    uint256[] internal claimIds;
    Round[] internal rounds;

    // Running totals (ghosts).
    uint256 public ghostFunded;
    uint256 public ghostPaidClaims;
    uint256 public ghostPaidIncidents;
    uint256 public ghostSwept;
    uint256 public ghostClaimsReserved;
    uint256 public maxPayoutsPerClaim;
    uint256 public maxPayoutsPerLeaf;
    bool public paidWhilePaused;
    mapping(uint256 claimId => uint256) public payoutsOf;
    mapping(uint256 incidentId => mapping(uint256 index => uint256)) public leafPayouts;
    mapping(uint256 incidentId => uint256) public ghostIncidentPaid;

    // How often each action succeeded (the handler is exercised, not just called).
    uint256 public calls;
    uint256 public successes;
    mapping(bytes32 action => uint256) public succeeded;

    constructor(CompensationPool pool_, MockCToken c_) {
        pool = pool_;
        c = c_;
    }

    // ------------------------------------------------------------ actions

    function fund(uint256 amount) external {
        _fund(_bound(amount, 1, 100_000e18));
    }

    function submit(uint256 actorSeed, uint256 kindSeed, uint256 wholeC) external {
        _unpauseMostly(actorSeed);
        _submit(actorSeed, kindSeed, wholeC);
    }

    function accept(uint256 seed) external {
        _unpauseMostly(seed);
        _accept(_claimFor(seed, ICompensationPool.ClaimStatus.Submitted));
    }

    function investigate(uint256 seed) external {
        _unpauseMostly(seed);
        uint256 claimId = _claimFor(seed, ICompensationPool.ClaimStatus.Accepted);
        try pool.markInvestigating(claimId, bytes32(0)) {
            _ok("investigate");
        } catch {
            _fail();
        }
    }

    function approve(uint256 seed, uint256 fraction) external {
        _unpauseMostly(seed);
        _approve(_claimFor(seed, ICompensationPool.ClaimStatus.Accepted), fraction);
    }

    function reject(uint256 seed) external {
        uint256 claimId = _claimFor(seed, ICompensationPool.ClaimStatus.Submitted);
        try pool.rejectClaim(claimId, bytes32(0)) {
            _ok("reject");
        } catch {
            _fail();
        }
    }

    function cancel(uint256 seed) external {
        uint256 claimId = _claimFor(seed, ICompensationPool.ClaimStatus.Accepted);
        vm.prank(pool.getClaim(claimId).claimant);
        try pool.cancelClaim(claimId) {
            _ok("cancel");
        } catch {
            _fail();
        }
    }

    function veto(uint256 seed) external {
        uint256 claimId = _claimFor(seed, ICompensationPool.ClaimStatus.Approved);
        uint256 amount = pool.getClaim(claimId).amount;
        try pool.vetoPayout(claimId, bytes32(0)) {
            ghostClaimsReserved -= amount;
            _ok("veto");
        } catch {
            _fail();
        }
    }

    function execute(uint256 seed) external {
        _unpauseMostly(seed);
        uint256 claimId = _claimFor(seed, ICompensationPool.ClaimStatus.Approved);
        ICompensationPool.Claim memory claim = pool.getClaim(claimId);
        if (seed % 4 != 0 && block.timestamp < claim.payableAt) vm.warp(claim.payableAt);
        try pool.executePayout(claimId) {
            ghostClaimsReserved -= claim.amount;
            _recordClaimPaid(claimId, claim.amount);
            _ok("execute");
        } catch {
            _fail();
        }
    }

    function openIncident(uint256 seed, uint256 deficit, uint256 claimWindow) external {
        _unpauseMostly(seed);
        _openIncident(seed, deficit, claimWindow);
    }

    function claimIncident(uint256 roundSeed, uint256 index) external {
        _unpauseMostly(roundSeed);
        Round storage round = _roundFor(roundSeed);
        ICompensationPool.Incident memory incident = pool.getIncident(round.id);
        if (roundSeed % 4 != 0 && block.timestamp < incident.claimableAt) vm.warp(incident.claimableAt);
        index %= 4;
        bytes32[] memory proof = new bytes32[](2);
        proof[0] = round.leaves[index ^ 1];
        proof[1] = index < 2 ? round.n23 : round.n01;
        uint256 amount = round.amounts[index];
        try IIncidentVault(incident.vault).claim(index, incidentAccounts[index], amount, proof) {
            if (pool.paused()) paidWhilePaused = true;
            uint256 payouts = ++leafPayouts[round.id][index];
            if (payouts > maxPayoutsPerLeaf) maxPayoutsPerLeaf = payouts;
            ghostPaidIncidents += amount;
            ghostIncidentPaid[round.id] += amount;
            _ok("claimIncident");
        } catch {
            _fail();
        }
    }

    function cancelIncident(uint256 roundSeed) external {
        _unpauseMostly(roundSeed);
        uint256 incidentId = _roundFor(roundSeed).id;
        // Mostly a round still in its challenge window: open a fresh one when the picked one is not.
        if (roundSeed % 4 != 0 && !(block.timestamp < pool.getIncident(incidentId).claimableAt)) {
            (incidentId, ) = _openIncident(roundSeed, 1, 1 days);
        }
        try pool.cancelIncident(incidentId, bytes32(0)) {
            _ok("cancelIncident");
        } catch {
            _fail();
        }
    }

    function closeIncident(uint256 roundSeed) external {
        uint256 incidentId = _roundFor(roundSeed).id;
        uint256 claimDeadline = pool.getIncident(incidentId).claimDeadline;
        if (roundSeed % 4 != 0 && !(block.timestamp > claimDeadline)) vm.warp(claimDeadline + 1);
        try pool.closeIncident(incidentId) {
            _ok("closeIncident");
        } catch {
            _fail();
        }
    }

    function sweep(uint256 amount) external {
        // Up to a little more than the free balance (which must be refused).
        amount = _bound(amount, 1, pool.freeBalance() + 100e18);
        try pool.sweep(SWEEP_TO, amount) {
            ghostSwept += amount;
            _ok("sweep");
        } catch {
            _fail();
        }
    }

    function togglePause(uint256 seed) external {
        if (pool.paused()) {
            pool.unpause();
            _ok("unpause");
            return;
        }
        pool.pause();
        _ok("pause");
        // While paused, a due payout must be refused.
        if (claimIds.length == 0) return;
        uint256 claimId = claimIds[seed % claimIds.length];
        uint256 amount = pool.getClaim(claimId).amount;
        try pool.executePayout(claimId) {
            paidWhilePaused = true;
            ghostClaimsReserved -= amount;
            _recordClaimPaid(claimId, amount);
        } catch {}
        // And so must an incident leaf: the pool took the round's funds back from its vault.
        if (rounds.length == 0) return;
        Round storage round = rounds[seed % rounds.length];
        uint256 index = (seed >> 8) % 4;
        bytes32[] memory proof = new bytes32[](2);
        proof[0] = round.leaves[index ^ 1];
        proof[1] = index < 2 ? round.n23 : round.n01;
        uint256 leafAmount = round.amounts[index];
        IIncidentVault vault = IIncidentVault(pool.getIncident(round.id).vault);
        if (block.timestamp < vault.claimableAt()) vm.warp(vault.claimableAt());
        try vault.claim(index, incidentAccounts[index], leafAmount, proof) {
            paidWhilePaused = true;
            ++leafPayouts[round.id][index];
            ghostPaidIncidents += leafAmount;
            ghostIncidentPaid[round.id] += leafAmount;
        } catch {}
    }

    function warp(uint256 secondsAhead) external {
        vm.warp(block.timestamp + _bound(secondsAhead, 1, 30 hours));
        _ok("warp");
    }

    // ------------------------------------------------------------ views for the invariants

    function roundCount() external view returns (uint256) {
        return rounds.length;
    }

    function roundId(uint256 i) external view returns (uint256) {
        return rounds[i].id;
    }

    function claimantBalances() external view returns (uint256 sum) {
        for (uint256 i = 0; i < actors.length; ++i) sum += c.balanceOf(actors[i]);
    }

    /// @dev What the rounds' vaults hold (a closed or cancelled round's vault holds nothing).
    function vaultBalances() external view returns (uint256 sum) {
        for (uint256 i = 0; i < rounds.length; ++i) sum += c.balanceOf(pool.getIncident(rounds[i].id).vault);
    }

    function incidentAccountBalances() external view returns (uint256 sum) {
        for (uint256 i = 0; i < incidentAccounts.length; ++i) sum += c.balanceOf(incidentAccounts[i]);
    }

    // ------------------------------------------------------------ steps shared by the actions

    function _fund(uint256 amount) internal {
        c.mint(address(this), amount);
        c.approve(address(pool), amount);
        pool.fund(amount);
        ghostFunded += amount;
        _ok("fund");
    }

    function _submit(uint256 actorSeed, uint256 kindSeed, uint256 wholeC) internal returns (uint256 claimId) {
        // Whole C up to 3,000: some approvals are large (≥ 1,000 C) and some claims are above the cap.
        uint256 amount = _bound(wholeC, 1, 3_000) * 1e18;
        vm.prank(actors[actorSeed % 3]);
        try pool.submitClaim(ICompensationPool.ClaimKind(kindSeed % 4), amount, bytes32(wholeC)) returns (uint256 id) {
            claimIds.push(id);
            _ok("submit");
            return id;
        } catch {
            _fail();
        }
    }

    function _accept(uint256 claimId) internal {
        try pool.acceptClaim(claimId, bytes32(0)) {
            _ok("accept");
        } catch {
            _fail();
        }
    }

    function _approve(uint256 claimId, uint256 fraction) internal {
        ICompensationPool.Claim memory before = pool.getClaim(claimId);
        // From nothing to a little above the request (which must be refused).
        uint256 units = ((before.amount / UNIT) * _bound(fraction, 0, 110)) / 100;
        if (pool.freeBalance() < units * UNIT + 10e18) _fund(units * UNIT + 10e18);
        try pool.approveClaim(claimId, units * UNIT, bytes32(0)) {
            ICompensationPool.Claim memory afterwards = pool.getClaim(claimId);
            if (afterwards.status == ICompensationPool.ClaimStatus.Paid) {
                _recordClaimPaid(claimId, afterwards.amount);
            } else {
                ghostClaimsReserved += afterwards.amount;
            }
            _ok("approve");
        } catch {
            _fail();
        }
    }

    function _openIncident(
        uint256 seed,
        uint256 deficit,
        uint256 claimWindow
    ) internal returns (uint256 incidentId, bool opened) {
        Round memory round;
        uint256 sum;
        for (uint256 i = 0; i < 4; ++i) {
            round.amounts[i] = _bound(uint256(keccak256(abi.encode(seed, i))), 0, 500) * 1e18 + (seed % 1000);
            round.leaves[i] = keccak256(bytes.concat(keccak256(abi.encode(i, incidentAccounts[i], round.amounts[i]))));
            sum += round.amounts[i];
        }
        round.n01 = Hashes.commutativeKeccak256(round.leaves[0], round.leaves[1]);
        round.n23 = Hashes.commutativeKeccak256(round.leaves[2], round.leaves[3]);
        bytes32 root = Hashes.commutativeKeccak256(round.n01, round.n23);
        // One round in three is opened with a bad total below what its leaves add up to.
        uint256 total = deficit % 3 == 0 && sum > 1 ? sum - _bound(deficit, 1, sum - 1) : sum;
        if (total == 0) return (0, false);
        if (pool.freeBalance() < total) _fund(total);
        uint256 claimDeadline = block.timestamp + pool.challengeWindow() + _bound(claimWindow, 1, 3 days);
        try pool.openIncident(root, total, uint48(claimDeadline), bytes32(seed)) returns (uint256 id) {
            round.id = id;
            rounds.push(round);
            _ok("openIncident");
            return (id, true);
        } catch {
            _fail();
        }
    }

    /// @dev A claim for an action that needs `wanted` (Submitted, Accepted or Approved): one already
    /// there, or a new one brought there; one seed in four gives a random claim instead.
    function _claimFor(uint256 seed, ICompensationPool.ClaimStatus wanted) internal returns (uint256 claimId) {
        uint256 n = claimIds.length;
        if (n != 0 && seed % 4 == 0) return claimIds[(seed >> 8) % n];
        for (uint256 i = 0; i < n; ++i) {
            claimId = claimIds[(seed + i) % n];
            ICompensationPool.ClaimStatus status = pool.getClaim(claimId).status;
            if (status == wanted) return claimId;
            if (
                wanted == ICompensationPool.ClaimStatus.Accepted &&
                status == ICompensationPool.ClaimStatus.Investigating
            ) {
                return claimId;
            }
        }
        bool large = wanted == ICompensationPool.ClaimStatus.Approved;
        claimId = _submit(seed, seed >> 4, large ? 1_000 + (seed % 2_000) : seed >> 16);
        if (claimId == 0 || wanted == ICompensationPool.ClaimStatus.Submitted) return claimId;
        _accept(claimId);
        if (large) _approve(claimId, 100);
    }

    /// @dev A round to act on: the picked one, or a new one when there is none.
    function _roundFor(uint256 seed) internal returns (Round storage) {
        if (rounds.length == 0) _openIncident(seed, seed >> 8, seed >> 16);
        if (rounds.length == 0) _openIncident(seed + 1, 1, 1 days);
        return rounds[seed % rounds.length];
    }

    function _unpauseMostly(uint256 seed) internal {
        if (pool.paused() && seed % 4 != 0) pool.unpause();
    }

    function _recordClaimPaid(uint256 claimId, uint256 amount) internal {
        uint256 payouts = ++payoutsOf[claimId];
        if (payouts > maxPayoutsPerClaim) maxPayoutsPerClaim = payouts;
        ghostPaidClaims += amount;
    }

    function _ok(bytes32 action) internal {
        ++calls;
        ++successes;
        ++succeeded[action];
    }

    function _fail() internal {
        ++calls;
    }

    function _bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        if (x >= min && x <= max) return x;
        return min + (x % (max - min + 1));
    }
}

contract CompensationPoolInvariantTest is TestBase {
    MockCToken internal c;
    CompensationPool internal pool;
    PoolHandler internal handler;

    function setUp() public {
        vm.warp(1_800_000_000);
        c = new MockCToken();
        MockTierSource tiers = new MockTierSource(10_000, 0);
        // The pool is created before the handler knows it: give the roles to the handler's address.
        address handlerAddress = _nextContractAddress();
        pool = new CompensationPool(c, address(tiers), handlerAddress, handlerAddress, handlerAddress, poolTerms());
        handler = new PoolHandler(pool, c);
        assertEq(address(handler), handlerAddress, "handler address");
        tiers.setTerms(address(0xA2), 1, 5_000, 0);
        _targetContract(address(handler));
    }

    /// @dev Open rounds' funds sit in their vaults (in the pool while paused).
    function invariant_balanceCoversReserved() public view {
        uint256 held = c.balanceOf(address(pool)) + handler.vaultBalances();
        assertGe(held, pool.reserved(), "pool and vault balances >= reserved");
        // What the pool owes from its own balance (approved payouts) is in that balance.
        assertLe(pool.freeBalance() + pool.claimsReserved(), c.balanceOf(address(pool)), "free + owed <= pool balance");
    }

    function invariant_paidNeverExceedsFunded() public view {
        uint256 out = handler.ghostPaidClaims() + handler.ghostPaidIncidents() + handler.ghostSwept();
        assertLe(out, handler.ghostFunded(), "paid + swept <= funded");
        assertEq(
            c.balanceOf(address(pool)) + handler.vaultBalances(),
            handler.ghostFunded() - out,
            "pool and vault balances = funded - out"
        );
    }

    function invariant_tokensWentWhereTheGhostsSay() public view {
        assertEq(handler.claimantBalances(), handler.ghostPaidClaims(), "claimants received");
        assertEq(handler.incidentAccountBalances(), handler.ghostPaidIncidents(), "incident accounts received");
        assertEq(c.balanceOf(handler.SWEEP_TO()), handler.ghostSwept(), "sweep recipient received");
    }

    function invariant_eachClaimAndLeafPaysAtMostOnce() public view {
        assertLe(handler.maxPayoutsPerClaim(), 1, "payouts per claim");
        assertLe(handler.maxPayoutsPerLeaf(), 1, "payouts per incident index");
    }

    function invariant_nothingIsPaidWhilePaused() public view {
        assertTrue(!handler.paidWhilePaused(), "a payout went through while paused");
    }

    function invariant_reservationsMatchTheLedger() public view {
        assertEq(pool.claimsReserved(), handler.ghostClaimsReserved(), "claims reserved");
        uint256 n = handler.roundCount();
        uint256 openOutstanding;
        for (uint256 i = 0; i < n; ++i) {
            uint256 incidentId = handler.roundId(i);
            ICompensationPool.Incident memory incident = pool.getIncident(incidentId);
            assertLe(incident.claimed, incident.total, "round claimed <= total");
            assertEq(incident.claimed, handler.ghostIncidentPaid(incidentId), "round claimed = paid");
            if (incident.status == ICompensationPool.IncidentStatus.Open) {
                openOutstanding += incident.total - incident.claimed;
            }
        }
        assertEq(pool.reserved(), handler.ghostClaimsReserved() + openOutstanding, "reserved");
    }

    /// @dev A fixed walk through every action (seeds chosen to steer, not to pick at random): each
    /// one can succeed, so a fuzzed run can reach it.
    function test_handlerCanPerformEveryAction() public {
        handler.fund(50_000e18);
        handler.submit(1, 0, 10);
        handler.accept(1); // the claim above
        handler.investigate(1);
        handler.approve(1, 50); // 5 C: paid at once
        handler.reject(1); // a new claim, rejected
        handler.cancel(1); // a new claim, accepted, then cancelled
        handler.veto(1); // a new large claim approved, then vetoed
        handler.execute(1); // a new large claim approved, time moved to payableAt, paid
        handler.openIncident(1, 1, 1 days);
        handler.claimIncident(1, 0); // time moved to claimableAt
        handler.claimIncident(1, 3);
        handler.claimIncident(1, 3); // second time: refused
        handler.cancelIncident(1); // the first round is past its window: a new one, cancelled
        handler.closeIncident(2); // the first round again, time moved past its deadline
        handler.sweep(1e18);
        handler.togglePause(1);
        handler.togglePause(1);
        handler.warp(1 hours);
        bytes32[17] memory actions = [
            bytes32("fund"),
            "submit",
            "accept",
            "investigate",
            "approve",
            "reject",
            "cancel",
            "veto",
            "execute",
            "openIncident",
            "cancelIncident",
            "claimIncident",
            "closeIncident",
            "sweep",
            "pause",
            "unpause",
            "warp"
        ];
        for (uint256 i = 0; i < actions.length; ++i) {
            assertGe(handler.succeeded(actions[i]), 1, string(abi.encodePacked(actions[i])));
        }
        assertEq(handler.succeeded("claimIncident"), 2, "the repeated leaf claim was refused");
        assertEq(handler.maxPayoutsPerLeaf(), 1, "max payouts per leaf");
        assertEq(handler.maxPayoutsPerClaim(), 1, "max payouts per claim");
        invariant_balanceCoversReserved();
        invariant_paidNeverExceedsFunded();
        invariant_tokensWentWhereTheGhostsSay();
        invariant_reservationsMatchTheLedger();
        invariant_nothingIsPaidWhilePaused();
    }

    function _nextContractAddress() internal view returns (address) {
        // This test contract's nonce: 1 at deploy, +1 per CREATE (token, tier source, pool so far).
        return _create1Address(address(this), 4);
    }

    function _create1Address(address deployer, uint256 nonce) internal pure returns (address) {
        return
            address(uint160(uint256(keccak256(abi.encodePacked(bytes1(0xd6), bytes1(0x94), deployer, uint8(nonce))))));
    }
}
