// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC6372} from "@openzeppelin/contracts/interfaces/IERC6372.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {LowLevelCall} from "@openzeppelin/contracts/utils/LowLevelCall.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";

import {ITierSource} from "../interfaces/ITierSource.sol";
import {ICStaking} from "./ICStaking.sol";

/// @title CStaking
/// @notice Stake C for a support tier: priority SLAs and a discount on payments in C.
/// @dev Assumes C is a plain ERC-20 (no fee on transfer, no rebasing): the contract credits the
/// amounts it is asked to move, so its balance always equals total stake + pending withdrawals.
///
/// The tier table is read by `tierTermsOf` inside the CompensationPool's `submitClaim`, so it lives
/// in two packed words, each of which fits one slot:
///   `_thresholdsAndWarmup`  bits [0, 32): warmup in seconds;
///                           bits [32·i, 32·i + 32), i = 1..7: threshold of tier i in whole C,
///                           0 for a row that is not configured (a configured row i ≥ 1 has a
///                           threshold ≥ 1, as row 0 has 0 and thresholds strictly increase).
///   `_terms`                bits [32·i, 32·i + 16), i = 0..7: SLA factor of tier i in bps,
///                           bits [32·i + 16, 32·i + 32): its discount in bps; factor 0 = no row.
/// Each account's stake history is an OpenZeppelin `Checkpoints.Trace208`. Reading its newest entry
/// takes two slots (the array's length, then the entry), so the newest entry is also kept in
/// `_latestStakes`, one slot at a fixed place. A cold `tierTermsOf` thus reads three slots: the two
/// words above and that one. The history is read only while the account's last change is younger
/// than the warmup. The copy costs each stake change one more storage write; tier reads sit on the
/// CompensationPool's `submitClaim` path, stake changes on no budgeted path.
contract CStaking is ICStaking, AccessControl {
    using Checkpoints for Checkpoints.Trace208;
    using SafeCast for uint256;
    using SafeERC20 for IERC20;

    /// @dev An account's stake and when it last changed: a copy of its newest checkpoint. Fits one slot.
    struct LatestStake {
        uint48 since;
        uint208 amount;
    }

    /// @dev A queued unstake. Fits one slot.
    struct UnstakeRequest {
        uint208 amount;
        uint48 releaseAt;
    }

    /// @dev An account's FIFO queue of unstakes: pending ids are [head, tail). The three counters
    /// fit one slot. `lastReleaseAt` keeps release times non-decreasing along the queue, so the
    /// matured requests are always a prefix of it.
    struct UnstakeQueue {
        uint64 head;
        uint64 tail;
        uint48 lastReleaseAt;
        mapping(uint256 requestId => UnstakeRequest) requests;
    }

    // ─── Constants and immutables ────────────────────────────────────────────────────────────

    /// @notice May configure tiers, warmup and cooldown.
    bytes32 public constant GOVERNOR_ROLE = keccak256("GOVERNOR_ROLE");

    /// @notice Most rows a tier table may have (tiers 0..7).
    uint256 public constant MAX_TIERS = 8;
    /// @notice Largest SLA factor: 10_000 bps = the standard deadline.
    uint16 public constant MAX_SLA_FACTOR_BPS = 10_000;
    /// @notice Largest discount on payments in C: 50%.
    uint16 public constant MAX_DISCOUNT_BPS = 5_000;
    /// @notice Longest warmup governance may set.
    uint48 public constant MAX_WARMUP = 365 days;
    /// @notice Longest cooldown governance may set.
    uint48 public constant MAX_COOLDOWN = 365 days;
    /// @notice Most requests one `withdraw()` settles, so no queue can make it run out of gas.
    uint256 public constant MAX_WITHDRAW_REQUESTS = 100;

    uint256 private constant _WORD32 = 0xffffffff;
    uint256 private constant _WORD16 = 0xffff;

    IERC20 private immutable _C_TOKEN;
    uint256 private immutable _THRESHOLD_UNIT;

    // ─── Storage ─────────────────────────────────────────────────────────────────────────────

    mapping(address account => Checkpoints.Trace208) private _stakes;
    /// @dev Always equal to the newest checkpoint in `_stakes[account]` (zero before the first).
    mapping(address account => LatestStake) private _latestStakes;
    Checkpoints.Trace208 private _totalStake;
    mapping(address account => UnstakeQueue) private _queues;

    /// @dev Warmup and tier thresholds 1..7, laid out as in the contract's notes. Fits one slot.
    uint256 private _thresholdsAndWarmup;
    /// @dev SLA factor and discount of tiers 0..7, laid out as in the contract's notes. Fits one slot.
    uint256 private _terms;
    /// @dev Read only by `unstake`, so it is not squeezed into the hot words above.
    uint48 private _cooldown;

    // ─── Constructor ─────────────────────────────────────────────────────────────────────────

    /// @param cToken_ the C token (ERC-20 with `decimals`; EIP-2612 for `stakeWithPermit`)
    /// @param admin gets DEFAULT_ADMIN_ROLE and GOVERNOR_ROLE
    /// @param warmup_ seconds a stake is held before it counts, at most `MAX_WARMUP`
    /// @param cooldown_ seconds from an unstake to its withdrawal, at most `MAX_COOLDOWN`
    /// @param initialTiers the tier table, validated as by `configureTiers`
    constructor(IERC20 cToken_, address admin, uint48 warmup_, uint48 cooldown_, Tier[] memory initialTiers) {
        if (address(cToken_) == address(0) || admin == address(0)) revert CStakingZeroAddress();
        _C_TOKEN = cToken_;
        _THRESHOLD_UNIT = 10 ** IERC20Metadata(address(cToken_)).decimals();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(GOVERNOR_ROLE, admin);
        _configureTiers(initialTiers);
        _setWarmup(warmup_);
        _setCooldown(cooldown_);
    }

    // ─── Staking ─────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc ICStaking
    function stake(uint256 amount) external {
        if (amount == 0) revert CStakingZeroAmount();
        _stake(msg.sender, amount);
    }

    /// @inheritdoc ICStaking
    function stakeWithPermit(uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external {
        if (amount == 0) revert CStakingZeroAmount();
        // A permit is public once in the mempool: anyone may submit it first, spending its nonce, and
        // ours then reverts. The allowance it granted is still there, so go on if it covers `amount`.
        // solhint-disable-next-line no-empty-blocks
        try IERC20Permit(address(_C_TOKEN)).permit(msg.sender, address(this), amount, deadline, v, r, s) {} catch (
            bytes memory reason
        ) {
            if (_C_TOKEN.allowance(msg.sender, address(this)) < amount) LowLevelCall.bubbleRevert(reason);
        }
        _stake(msg.sender, amount);
    }

    /// @inheritdoc ICStaking
    function unstake(uint256 amount) external returns (uint256 requestId) {
        if (amount == 0) revert CStakingZeroAmount();
        uint256 staked = _latestStakes[msg.sender].amount;
        if (amount > staked) revert CStakingInsufficientStake(staked, amount);

        uint48 now_ = clock();
        uint256 newStake;
        uint256 newTotal;
        // amount <= staked <= totalStake: neither subtraction can underflow.
        unchecked {
            newStake = staked - amount;
            newTotal = _totalStake.latest() - amount;
        }
        // Both are below values already held in 208 bits, so they fit.
        _writeStake(msg.sender, now_, uint208(newStake));
        _totalStake.push(now_, uint208(newTotal));

        UnstakeQueue storage queue = _queues[msg.sender];
        uint48 lastReleaseAt = queue.lastReleaseAt;
        // now_ + cooldown stays far below 2**48 (cooldown <= 365 days).
        uint48 releaseAt = now_ + _cooldown;
        if (releaseAt < lastReleaseAt) releaseAt = lastReleaseAt;
        requestId = queue.tail;
        // amount <= staked, which was read from a Trace208, so it fits 208 bits.
        queue.requests[requestId] = UnstakeRequest({amount: uint208(amount), releaseAt: releaseAt});
        // A uint64 id cannot wrap: each id costs a transaction.
        queue.tail = uint64(requestId + 1);
        queue.lastReleaseAt = releaseAt;
        emit UnstakeRequested(msg.sender, requestId, amount, newStake, releaseAt);
    }

    /// @inheritdoc ICStaking
    function withdraw() external returns (uint256 amount) {
        return _withdraw(msg.sender, MAX_WITHDRAW_REQUESTS);
    }

    /// @inheritdoc ICStaking
    function withdrawUpTo(uint256 maxRequests) external returns (uint256 amount) {
        if (maxRequests == 0) revert CStakingZeroMaxRequests();
        return _withdraw(msg.sender, maxRequests);
    }

    // ─── Governance ──────────────────────────────────────────────────────────────────────────

    /// @inheritdoc ICStaking
    function configureTiers(Tier[] calldata newTiers) external onlyRole(GOVERNOR_ROLE) {
        _configureTiers(newTiers);
    }

    /// @inheritdoc ICStaking
    function setWarmup(uint48 newWarmup) external onlyRole(GOVERNOR_ROLE) {
        _setWarmup(newWarmup);
    }

    /// @inheritdoc ICStaking
    function setCooldown(uint48 newCooldown) external onlyRole(GOVERNOR_ROLE) {
        _setCooldown(newCooldown);
    }

    // ─── Tier reads ──────────────────────────────────────────────────────────────────────────

    /// @inheritdoc ITierSource
    function tierOf(address account) external view returns (uint8 tier) {
        uint256 thresholdsAndWarmup = _thresholdsAndWarmup;
        return _tierFor(thresholdsAndWarmup, _effectiveStake(account, thresholdsAndWarmup & _WORD32));
    }

    /// @inheritdoc ITierSource
    function tierTermsOf(address account) external view returns (uint8 tier, uint16 slaFactorBps, uint16 discountBps) {
        uint256 thresholdsAndWarmup = _thresholdsAndWarmup;
        tier = _tierFor(thresholdsAndWarmup, _effectiveStake(account, thresholdsAndWarmup & _WORD32));
        (slaFactorBps, discountBps) = _termsOfTier(_terms, tier);
    }

    /// @inheritdoc ICStaking
    function termsForStake(
        uint256 effectiveStake
    ) external view returns (uint8 tier, uint16 slaFactorBps, uint16 discountBps) {
        tier = _tierFor(_thresholdsAndWarmup, effectiveStake);
        (slaFactorBps, discountBps) = _termsOfTier(_terms, tier);
    }

    /// @inheritdoc ICStaking
    function effectiveStakeOf(address account) external view returns (uint256) {
        return _effectiveStake(account, _thresholdsAndWarmup & _WORD32);
    }

    // ─── Other views ─────────────────────────────────────────────────────────────────────────

    /// @inheritdoc ICStaking
    function cToken() external view returns (address) {
        return address(_C_TOKEN);
    }

    /// @inheritdoc ICStaking
    function thresholdUnit() external view returns (uint256) {
        return _THRESHOLD_UNIT;
    }

    /// @inheritdoc ICStaking
    function stakeOf(address account) external view returns (uint256) {
        return _latestStakes[account].amount;
    }

    /// @inheritdoc ICStaking
    function stakeAt(address account, uint256 timepoint) external view returns (uint256) {
        return _stakes[account].upperLookupRecent(_pastTimepoint(timepoint));
    }

    /// @inheritdoc ICStaking
    function totalStake() external view returns (uint256) {
        return _totalStake.latest();
    }

    /// @inheritdoc ICStaking
    function totalStakeAt(uint256 timepoint) external view returns (uint256) {
        return _totalStake.upperLookupRecent(_pastTimepoint(timepoint));
    }

    /// @inheritdoc ICStaking
    function tiers() external view returns (Tier[] memory table) {
        uint256 thresholdsAndWarmup = _thresholdsAndWarmup;
        uint256 terms = _terms;
        uint256 count = 1;
        while (count < MAX_TIERS && (terms >> (32 * count)) & _WORD16 != 0) ++count;
        table = new Tier[](count);
        for (uint256 i = 0; i < count; ++i) {
            (uint16 slaFactorBps, uint16 discountBps) = _termsOfTier(terms, i);
            table[i] = Tier({
                // Row 0's bits hold the warmup; its threshold is 0 by construction.
                thresholdWholeC: i == 0 ? 0 : uint32((thresholdsAndWarmup >> (32 * i)) & _WORD32),
                slaFactorBps: slaFactorBps,
                discountBps: discountBps
            });
        }
    }

    /// @inheritdoc ICStaking
    function warmup() external view returns (uint48) {
        return uint48(_thresholdsAndWarmup & _WORD32);
    }

    /// @inheritdoc ICStaking
    function cooldown() external view returns (uint48) {
        return _cooldown;
    }

    /// @inheritdoc ICStaking
    function unstakeQueueOf(address account) external view returns (uint256 head, uint256 tail, uint48 lastReleaseAt) {
        UnstakeQueue storage queue = _queues[account];
        return (queue.head, queue.tail, queue.lastReleaseAt);
    }

    /// @inheritdoc ICStaking
    function unstakeRequestOf(
        address account,
        uint256 requestId
    ) external view returns (uint256 amount, uint48 releaseAt) {
        UnstakeRequest storage request = _queues[account].requests[requestId];
        return (request.amount, request.releaseAt);
    }

    /// @inheritdoc ICStaking
    function pendingWithdrawalsOf(address account) external view returns (uint256 pending, uint256 withdrawable) {
        UnstakeQueue storage queue = _queues[account];
        uint48 now_ = clock();
        for (uint256 id = queue.head; id < queue.tail; ++id) {
            UnstakeRequest storage request = queue.requests[id];
            pending += request.amount;
            if (now_ < request.releaseAt) continue;
            withdrawable += request.amount;
        }
    }

    /// @inheritdoc IERC6372
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() external pure returns (string memory) {
        return "mode=timestamp";
    }

    /// @inheritdoc IERC6372
    function clock() public view returns (uint48) {
        return Time.timestamp();
    }

    /// @inheritdoc AccessControl
    function supportsInterface(bytes4 interfaceId) public view override returns (bool) {
        return
            interfaceId == type(ITierSource).interfaceId ||
            interfaceId == type(ICStaking).interfaceId ||
            interfaceId == type(IERC6372).interfaceId ||
            super.supportsInterface(interfaceId);
    }

    // ─── Internal ────────────────────────────────────────────────────────────────────────────

    function _stake(address account, uint256 amount) private {
        uint48 now_ = clock();
        uint208 newStake = (_latestStakes[account].amount + amount).toUint208();
        _writeStake(account, now_, newStake);
        _totalStake.push(now_, (_totalStake.latest() + amount).toUint208());
        emit Staked(account, amount, newStake);
        // Books first, then the pull (checks-effects-interactions): whatever code the token runs
        // sees final state, and a failed pull reverts the whole stake.
        _C_TOKEN.safeTransferFrom(account, address(this), amount);
    }

    /// @dev The one place an account's stake changes: history and its copy of the newest entry together.
    function _writeStake(address account, uint48 now_, uint208 newStake) private {
        _stakes[account].push(now_, newStake);
        _latestStakes[account] = LatestStake({since: now_, amount: newStake});
    }

    function _withdraw(address account, uint256 maxRequests) private returns (uint256 amount) {
        UnstakeQueue storage queue = _queues[account];
        uint256 head = queue.head;
        uint256 tail = queue.tail;
        // head <= tail always; compare the distance so a huge maxRequests cannot overflow.
        uint256 end = tail - head > maxRequests ? head + maxRequests : tail;
        uint48 now_ = clock();
        uint256 id = head;
        // Release times are non-decreasing along the queue: stop at the first that has not matured.
        for (; id < end; ++id) {
            UnstakeRequest storage request = queue.requests[id];
            if (request.releaseAt > now_) break;
            amount += request.amount;
            delete queue.requests[id];
        }
        if (id == head) revert CStakingNothingToWithdraw(head < tail ? queue.requests[head].releaseAt : 0);
        // id <= tail, which is a uint64.
        queue.head = uint64(id);
        emit Withdrawn(account, amount, head, id - 1);
        // Queue advanced before paying (checks-effects-interactions): a re-entrant withdraw finds
        // these requests settled.
        _C_TOKEN.safeTransfer(account, amount);
    }

    function _configureTiers(Tier[] memory newTiers) private {
        uint256 count = newTiers.length;
        if (count == 0 || count > MAX_TIERS) revert CStakingInvalidTierCount(count, MAX_TIERS);
        if (newTiers[0].thresholdWholeC != 0) revert CStakingFirstThresholdNotZero(newTiers[0].thresholdWholeC);
        // Keep the warmup, clear every threshold: rows beyond `count` read as "not configured".
        uint256 thresholdsAndWarmup = _thresholdsAndWarmup & _WORD32;
        uint256 terms;
        for (uint256 i = 0; i < count; ++i) {
            Tier memory row = newTiers[i];
            // solhint-disable-next-line gas-strict-inequalities
            if (i > 0 && row.thresholdWholeC <= newTiers[i - 1].thresholdWholeC) {
                revert CStakingThresholdNotIncreasing(i, newTiers[i - 1].thresholdWholeC, row.thresholdWholeC);
            }
            if (row.slaFactorBps == 0 || row.slaFactorBps > MAX_SLA_FACTOR_BPS) {
                revert CStakingInvalidSlaFactor(i, row.slaFactorBps);
            }
            if (row.discountBps > MAX_DISCOUNT_BPS) {
                revert CStakingDiscountTooHigh(i, row.discountBps, MAX_DISCOUNT_BPS);
            }
            // Row 0's threshold is 0, so writing it leaves the warmup bits untouched.
            thresholdsAndWarmup |= uint256(row.thresholdWholeC) << (32 * i);
            terms |= (uint256(row.slaFactorBps) | (uint256(row.discountBps) << 16)) << (32 * i);
        }
        _thresholdsAndWarmup = thresholdsAndWarmup;
        _terms = terms;
        emit TiersConfigured(newTiers);
    }

    function _setWarmup(uint48 newWarmup) private {
        if (newWarmup > MAX_WARMUP) revert CStakingWarmupTooLong(newWarmup, MAX_WARMUP);
        uint256 thresholdsAndWarmup = _thresholdsAndWarmup;
        // MAX_WARMUP < 2**32: the warmup fits its 32 bits.
        _thresholdsAndWarmup = (thresholdsAndWarmup & ~_WORD32) | newWarmup;
        emit WarmupSet(uint48(thresholdsAndWarmup & _WORD32), newWarmup);
    }

    function _setCooldown(uint48 newCooldown) private {
        if (newCooldown > MAX_COOLDOWN) revert CStakingCooldownTooLong(newCooldown, MAX_COOLDOWN);
        uint48 oldCooldown = _cooldown;
        _cooldown = newCooldown;
        emit CooldownSet(oldCooldown, newCooldown);
    }

    /// @dev min(stake now, stake at now − warmup). One slot when the account's last change is older
    /// than the warmup (the usual case): then both terms are the newest checkpoint.
    function _effectiveStake(address account, uint256 warmup_) private view returns (uint256) {
        LatestStake memory latest = _latestStakes[account];
        uint256 current = latest.amount;
        uint256 now_ = clock();
        // Nothing before time 0 can have warmed up (only reachable on a chain younger than the warmup).
        if (warmup_ > now_) return 0;
        uint48 past;
        // warmup_ <= now_ checked above.
        unchecked {
            past = uint48(now_ - warmup_);
        }
        if (past < latest.since) {
            // The newest change is inside the warmup, so the history holds at least that entry.
            Checkpoints.Trace208 storage history = _stakes[account];
            uint256 length = history.length();
            uint256 then;
            if (length > 1) {
                // Usually only the newest change is that recent: then the entry before it answers.
                Checkpoints.Checkpoint208 memory previous = history.pos(uint32(length - 2));
                // solhint-disable-next-line gas-strict-inequalities
                then = previous._key <= past ? previous._value : history.upperLookupRecent(past);
            }
            // (A single entry newer than `past` means no stake at `past`: `then` stays 0.)
            if (then < current) return then;
        }
        return current;
    }

    /// @dev Highest tier whose threshold `effectiveStake` meets. Thresholds are compared in whole C:
    /// for an integer threshold t, stake >= t·unit exactly when floor(stake / unit) >= t.
    function _tierFor(uint256 thresholdsAndWarmup, uint256 effectiveStake) private view returns (uint8 tier) {
        uint256 wholeC = effectiveStake / _THRESHOLD_UNIT;
        // Shifts stay below 256 and tier below 8: nothing here can overflow.
        unchecked {
            for (uint256 shift = 32; shift < 256; shift += 32) {
                uint256 threshold = (thresholdsAndWarmup >> shift) & _WORD32;
                // 0 marks the end of the table; thresholds increase, so the first miss ends the search.
                if (threshold == 0 || wholeC < threshold) break;
                ++tier;
            }
        }
    }

    function _termsOfTier(uint256 terms, uint256 tier) private pure returns (uint16 slaFactorBps, uint16 discountBps) {
        uint256 row;
        // tier < 8: the shift is below 256.
        unchecked {
            row = terms >> (32 * tier);
        }
        return (uint16(row & _WORD16), uint16((row >> 16) & _WORD16));
    }

    /// @dev Checkpoint lookups are for the past only: the current second's value can still change.
    function _pastTimepoint(uint256 timepoint) private view returns (uint48) {
        uint48 now_ = clock();
        // solhint-disable-next-line gas-strict-inequalities
        if (timepoint >= now_) revert CStakingFutureLookup(timepoint, now_);
        // timepoint < now_, a uint48.
        return uint48(timepoint);
    }
}
