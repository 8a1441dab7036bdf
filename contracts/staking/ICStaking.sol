// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC6372} from "@openzeppelin/contracts/interfaces/IERC6372.sol";

import {ITierSource} from "../interfaces/ITierSource.sol";

/// @title ICStaking
/// @notice Staking of C for priority support. A stake counts toward a tier only once it has been
/// held for the warmup (effective stake = min(stake now, stake at now − warmup)); an unstake lowers
/// the stake at once and queues the amount, payable by `withdraw` after the cooldown.
/// @dev Stakes are checkpointed per account and in total on an ERC-6372 timestamp clock.
interface ICStaking is ITierSource, IERC6372 {
    /// @notice One row of the tier table. Row `i` is tier `i`; row 0 is Standard (threshold 0).
    /// @param thresholdWholeC least effective stake for the tier, in whole C (units of
    /// `thresholdUnit()` = 10**decimals), so 1_000 means 1,000 C
    /// @param slaFactorBps deadline factor in basis points, in (0, 10_000]; 5_000 = 50% faster
    /// @param discountBps discount on payments made in C, in basis points, at most 5_000
    struct Tier {
        uint32 thresholdWholeC;
        uint16 slaFactorBps;
        uint16 discountBps;
    }

    // ─── Events ──────────────────────────────────────────────────────────────────────────────

    /// @notice `account` staked `amount` C; its stake is now `newStake`.
    event Staked(address indexed account, uint256 amount, uint256 newStake);

    /// @notice `account` lowered its stake by `amount` to `newStake`; the amount is payable from
    /// `releaseAt` on. `requestId` counts from 0 per account: the pair (account, requestId) is unique.
    event UnstakeRequested(
        address indexed account,
        uint256 indexed requestId,
        uint256 amount,
        uint256 newStake,
        uint48 releaseAt
    );

    /// @notice `account` was paid `amount` C, settling its requests `firstRequestId` to
    /// `lastRequestId`, both inclusive (requests settle in id order, so this is every id between).
    event Withdrawn(address indexed account, uint256 amount, uint256 firstRequestId, uint256 lastRequestId);

    /// @notice The tier table is now `tiers` (the whole table; row `i` is tier `i`).
    event TiersConfigured(Tier[] tiers);

    /// @notice The warmup changed from `oldWarmup` to `newWarmup` seconds (`oldWarmup` is 0 at deploy).
    event WarmupSet(uint48 oldWarmup, uint48 newWarmup);

    /// @notice The cooldown changed from `oldCooldown` to `newCooldown` seconds (`oldCooldown` is 0
    /// at deploy). Requests already queued keep their release time.
    event CooldownSet(uint48 oldCooldown, uint48 newCooldown);

    // ─── Errors ──────────────────────────────────────────────────────────────────────────────

    /// @notice A zero token or admin address was given at deploy.
    error CStakingZeroAddress();

    /// @notice An amount of zero was given to stake or unstake.
    error CStakingZeroAmount();

    /// @notice `withdrawUpTo` was asked to settle zero requests.
    error CStakingZeroMaxRequests();

    /// @notice An unstake of `requested` exceeds the caller's stake `staked`.
    error CStakingInsufficientStake(uint256 staked, uint256 requested);

    /// @notice No request of the caller has matured. `nextReleaseAt` is when the oldest pending one
    /// does, or 0 if none is pending.
    error CStakingNothingToWithdraw(uint48 nextReleaseAt);

    /// @notice A past-stake lookup at `timepoint` is not in the past of the clock `currentClock`.
    error CStakingFutureLookup(uint256 timepoint, uint48 currentClock);

    /// @notice A tier table must have 1 to `maxCount` rows; it had `count`.
    error CStakingInvalidTierCount(uint256 count, uint256 maxCount);

    /// @notice Row 0 (Standard, everyone) must have threshold 0; it had `thresholdWholeC`.
    error CStakingFirstThresholdNotZero(uint32 thresholdWholeC);

    /// @notice Row `index` has threshold `thresholdWholeC`, not above the previous row's `previousWholeC`.
    error CStakingThresholdNotIncreasing(uint256 index, uint32 previousWholeC, uint32 thresholdWholeC);

    /// @notice Row `index` has SLA factor `slaFactorBps`, outside (0, 10_000].
    error CStakingInvalidSlaFactor(uint256 index, uint16 slaFactorBps);

    /// @notice Row `index` has discount `discountBps`, above `maxDiscountBps`.
    error CStakingDiscountTooHigh(uint256 index, uint16 discountBps, uint16 maxDiscountBps);

    /// @notice A warmup of `warmup` seconds exceeds the cap `maxWarmup`.
    error CStakingWarmupTooLong(uint48 warmup, uint48 maxWarmup);

    /// @notice A cooldown of `cooldown` seconds exceeds the cap `maxCooldown`.
    error CStakingCooldownTooLong(uint48 cooldown, uint48 maxCooldown);

    // ─── Staking ─────────────────────────────────────────────────────────────────────────────

    /// @notice Stakes `amount` C from the caller, who must have approved this contract. It counts
    /// toward the caller's tier after the warmup.
    function stake(uint256 amount) external;

    /// @notice `stake` with an EIP-2612 permit of `amount` for this contract signed by the caller.
    /// @dev If the permit call fails (e.g. someone front-ran it, spending its nonce) the stake still
    /// goes ahead when the caller's allowance covers `amount`; otherwise the permit's error is re-raised.
    function stakeWithPermit(uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external;

    /// @notice Lowers the caller's stake by `amount` at once (its tier may drop in the same second)
    /// and queues `amount` for `withdraw` after the cooldown.
    /// @dev Release times never decrease along an account's queue: releaseAt = max(now + cooldown,
    /// the previous request's releaseAt), so a cooldown cut by governance cannot reorder a queue.
    /// @return requestId the new request's id (per account, counting from 0)
    function unstake(uint256 amount) external returns (uint256 requestId);

    /// @notice Pays the caller every matured request, oldest first, up to `MAX_WITHDRAW_REQUESTS`
    /// per call (call again, or use `withdrawUpTo`, for more).
    /// @return amount the C paid
    function withdraw() external returns (uint256 amount);

    /// @notice `withdraw`, settling at most `maxRequests` matured requests.
    /// @return amount the C paid
    function withdrawUpTo(uint256 maxRequests) external returns (uint256 amount);

    // ─── Governance (GOVERNOR_ROLE) ──────────────────────────────────────────────────────────

    /// @notice Replaces the tier table: 1 to 8 rows, row 0 threshold 0, thresholds strictly
    /// increasing, SLA factor in (0, 10_000], discount at most 5_000 bps.
    function configureTiers(Tier[] calldata tiers) external;

    /// @notice Sets the warmup in seconds (at most `MAX_WARMUP`). Applies at once to every account,
    /// in both directions: effective stakes are recomputed from the checkpoints on each read.
    function setWarmup(uint48 newWarmup) external;

    /// @notice Sets the cooldown in seconds (at most `MAX_COOLDOWN`) for requests made from now on.
    function setCooldown(uint48 newCooldown) external;

    // ─── Views ───────────────────────────────────────────────────────────────────────────────

    /// @notice The staked token, C.
    function cToken() external view returns (address);

    /// @notice Base units of C per whole C in tier thresholds: 10**decimals of C.
    function thresholdUnit() external view returns (uint256);

    /// @notice The current stake of `account` (what it can still unstake), warm or not.
    function stakeOf(address account) external view returns (uint256);

    /// @notice The stake of `account` at the end of `timepoint` (a past `clock()` value).
    function stakeAt(address account, uint256 timepoint) external view returns (uint256);

    /// @notice The sum of all current stakes (pending withdrawals excluded).
    function totalStake() external view returns (uint256);

    /// @notice The sum of all stakes at the end of `timepoint` (a past `clock()` value).
    function totalStakeAt(uint256 timepoint) external view returns (uint256);

    /// @notice min(stake now, stake at now − warmup): the stake that counts for the tier.
    function effectiveStakeOf(address account) external view returns (uint256);

    /// @notice The tier and terms an effective stake of `effectiveStake` base units of C gets.
    function termsForStake(
        uint256 effectiveStake
    ) external view returns (uint8 tier, uint16 slaFactorBps, uint16 discountBps);

    /// @notice The tier table, row `i` being tier `i`.
    function tiers() external view returns (Tier[] memory);

    /// @notice The warmup, in seconds.
    function warmup() external view returns (uint48);

    /// @notice The cooldown, in seconds.
    function cooldown() external view returns (uint48);

    /// @notice The pending requests of `account` are those with ids in [`head`, `tail`); `tail` is
    /// the id its next request will get. `lastReleaseAt` is the newest request's release time.
    function unstakeQueueOf(address account) external view returns (uint256 head, uint256 tail, uint48 lastReleaseAt);

    /// @notice A pending request of `account`; (0, 0) once settled or if it never existed.
    function unstakeRequestOf(
        address account,
        uint256 requestId
    ) external view returns (uint256 amount, uint48 releaseAt);

    /// @notice What `account` has queued: `pending` in all, of which `withdrawable` has matured.
    /// @dev Walks the whole queue; meant for off-chain reads.
    function pendingWithdrawalsOf(address account) external view returns (uint256 pending, uint256 withdrawable);
}
