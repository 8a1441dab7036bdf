// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ICompensationPoolFunding} from "./ICompensationPoolFunding.sol";

/// @title ICompensationPool
/// @notice Escrow of C for compensation claims and incident rounds.
///
/// A claim is `Submitted` by the claimant (by transaction, or by an EIP-712 signature that a relayer
/// sends), `Accepted` and optionally marked `Investigating` by an assessor, then `Approved` (possibly
/// for less than asked) and `Paid`, or `Rejected` (by an assessor, or by a guardian's veto of a large
/// payout during its delay), or `Cancelled` by the claimant before approval. Every transition emits
/// {ClaimStatusChanged}. Deadlines come from the kind's base SLA times the claimant's tier factor; an
/// acceptance after the response deadline adds the late-response credit to the payout.
///
/// An incident round reserves `total` for a Merkle tree of `(uint256 index, address account,
/// uint256 amount)` leaves (OpenZeppelin StandardMerkleTree); it becomes claimable after a challenge
/// window in which a guardian may cancel it, and `closeIncident` after its claim deadline returns
/// what was not claimed to the free balance.
///
/// The promise binds: a claim left unanswered past its response deadline earns the no-response
/// credit ({claimNoResponseCredit}), one left unresolved past its resolution deadline the
/// resolution credit ({claimResolutionCredit}); anyone may trigger either, the pool pays the
/// claimant at once and the claim stays open. The abuse bound, so that spam cannot drain the pool:
/// - standing: only claims whose claimant had, at submission, a tier above 0 in the tier source or
///   package coverage in force (any plan, the standard-deadline one included) earn credits. Buying standing costs
///   a stake that has warmed up or a package, and an unanswered claim can always be rejected;
/// - once: each credit at most once per claim (two bits per claim);
/// - budget: credits are charged to a rolling 24-hour budget of their own ({RollingBudget}, as
///   approvals are), so whatever an attacker files, the pool pays at most one budget of breach
///   credits in any 24 hours;
/// - free funds only: a credit is paid from the unreserved balance, never from approved payouts or
///   incident rounds; a credit the free balance cannot cover is refused.
/// Setting a credit to 0 turns that credit off.
///
/// Amounts in the ABI are plain wei of C. Claim amounts (requested, approved, late credit, cap,
/// budgets, threshold and breach credits) are stored in units of {AMOUNT_UNIT} (10^12 wei = 0.000001 C) so a claim
/// fits one storage slot: they must be whole multiples of it and at most {MAX_CLAIM_AMOUNT}.
/// Incident amounts have no such restriction.
///
/// @dev EmergencyPackages funds the pool through {ICompensationPoolFunding-fund}.
interface ICompensationPool is ICompensationPoolFunding {
    // =============================================================== types

    /// @notice Lifecycle of a claim. `None` is the status of an id that was never submitted.
    enum ClaimStatus {
        None,
        Submitted,
        Accepted,
        Investigating,
        Approved,
        Paid,
        Rejected,
        Cancelled
    }

    /// @notice What went wrong: users (missing C reward), projects (data API outage), merchants
    /// (redemption tool failure), anything else.
    enum ClaimKind {
        MissingReward,
        DataApiOutage,
        RedemptionToolFailure,
        Other
    }

    /// @notice Which promise a breach credit pays for: the response deadline or the resolution deadline.
    enum BreachKind {
        NoResponse,
        Resolution
    }

    /// @notice Lifecycle of an incident round. Claimable while `Open`, from `claimableAt` to
    /// `claimDeadline` inclusive.
    enum IncidentStatus {
        None,
        Open,
        Cancelled,
        Closed
    }

    /// @notice The EIP-712 message of {submitClaimWithSig}, type string
    /// `ClaimRequest(address claimant,uint8 kind,uint256 amount,bytes32 evidenceHash,uint256 nonce,uint256 deadline)`
    /// in the domain `{name: "EmergencyStation CompensationPool", version: "1", chainId, verifyingContract: pool}`.
    struct ClaimRequest {
        address claimant;
        uint8 kind;
        uint256 amount;
        bytes32 evidenceHash;
        uint256 nonce;
        uint256 deadline;
    }

    /// @notice A claim as stored, decoded.
    /// @param amount the requested amount until approval; from approval on, the payout (approved
    /// amount plus any late-response credit)
    /// @param responseDeadline the response deadline while the claim was never approved, else 0
    /// @param payableAt when an approved claim became or becomes payable, else 0
    /// @param acceptedLate whether the claim was accepted after its response deadline
    /// @param resolutionDeadline the resolution deadline while the claim was never approved, else 0
    /// @param standing whether the claimant had standing at submission (tier > 0 or coverage in
    /// force), without which the claim earns no breach credit
    /// @param noResponseCreditPaid whether the no-response credit was paid for this claim
    /// @param resolutionCreditPaid whether the resolution credit was paid for this claim
    // solhint-disable-next-line gas-struct-packing
    struct Claim {
        address claimant;
        ClaimStatus status;
        ClaimKind kind;
        uint8 tier;
        bool acceptedLate;
        uint256 amount;
        uint48 responseDeadline;
        uint48 payableAt;
        uint48 resolutionDeadline;
        bool standing;
        bool noResponseCreditPaid;
        bool resolutionCreditPaid;
    }

    /// @notice An incident round, decoded.
    // solhint-disable-next-line gas-struct-packing
    struct Incident {
        bytes32 root;
        uint256 total;
        uint256 claimed;
        uint48 claimableAt;
        uint48 claimDeadline;
        IncidentStatus status;
        /// @dev where the round's total is escrowed and its leaves are claimed ({IIncidentVault})
        address vault;
    }

    /// @notice Parameters set at deploy (each one can be changed later by its setter).
    /// @param responseSeconds base response SLA per kind (indexed by `ClaimKind`), before the tier factor
    /// @param resolutionSeconds base resolution SLA per kind, before the tier factor
    // solhint-disable-next-line gas-struct-packing
    struct InitialTerms {
        uint32[4] responseSeconds;
        uint32[4] resolutionSeconds;
        uint256 perClaimCap;
        uint256 approvalBudget;
        uint256 largeClaimThreshold;
        uint32 payoutDelay;
        uint256 lateCredit;
        uint32 challengeWindow;
    }

    // ============================================================== events

    /// @notice The admin sent `amount` of the unreserved balance to `to`.
    event Swept(address indexed to, uint256 amount);

    /// @notice A claim was filed. Deadlines are the submission time plus the kind's base SLA times
    /// the tier's factor / 10,000.
    event ClaimSubmitted(
        uint256 indexed claimId,
        address indexed claimant,
        ClaimKind kind,
        uint256 amount,
        bytes32 evidenceHash,
        uint8 tier,
        uint48 responseDeadline,
        uint48 resolutionDeadline
    );

    /// @notice Emitted on every transition, `Submitted` and `Paid` included. `actor` is who caused it
    /// (the claimant for `Submitted`, even when a relayer sent the transaction); `noteHash` is the
    /// evidence hash for `Submitted`, the assessor's note or reason, the guardian's veto reason, or 0.
    event ClaimStatusChanged(
        uint256 indexed claimId,
        ClaimStatus indexed status,
        address indexed actor,
        bytes32 noteHash
    );

    /// @notice An assessor approved `approvedAmount` (+ `lateCredit` if accepted late); the payout
    /// `approvedAmount + lateCredit` is reserved until paid or vetoed, and payable from `payableAt`
    /// (the approval time for a payout below the large-claim threshold, which is paid at once).
    /// `budgetUsed` is the rolling approval usage after this approval, this payout included.
    event ClaimApproved(
        uint256 indexed claimId,
        uint256 approvedAmount,
        uint256 lateCredit,
        uint48 payableAt,
        uint256 budgetUsed
    );

    /// @notice `amount` C left the pool to `recipient` (the claimant, or whom the claimant named
    /// through {executePayoutTo}) for `claimId`.
    event ClaimPaid(uint256 indexed claimId, address indexed recipient, uint256 amount);

    /// @notice The pool paid `claimant` the `kind` breach credit (`amount`) of `claimId`, which stays open.
    event BreachCreditPaid(uint256 indexed claimId, address indexed claimant, BreachKind kind, uint256 amount);

    /// @notice A guardian vetoed an approved payout during its delay; `amount` is no longer reserved.
    event PayoutVetoed(uint256 indexed claimId, address indexed guardian, uint256 amount);

    /// @notice An incident round reserving `total` was opened, its total moved to `vault`, where its
    /// leaves are claimed (`IIncidentVault.claim`, which emits `IncidentClaimed`) from `claimableAt`
    /// until the round is closed, which anyone can do after `claimDeadline`.
    event IncidentOpened(
        uint256 indexed incidentId,
        bytes32 root,
        uint256 total,
        uint48 claimableAt,
        uint48 claimDeadline,
        bytes32 metadataHash,
        address vault
    );

    /// @notice A guardian cancelled a round during its challenge window; `released` is `total`.
    event IncidentCancelled(uint256 indexed incidentId, address indexed guardian, bytes32 reasonHash, uint256 released);

    /// @notice Unpausing gave the round back `pausedSeconds` of its claim window: its claim deadline is
    /// now `claimDeadline`.
    event IncidentDeadlineExtended(uint256 indexed incidentId, uint48 claimDeadline, uint48 pausedSeconds);

    /// @notice A round past its deadline was closed; `released` (= total − claimed) is free again.
    event IncidentClosed(uint256 indexed incidentId, uint256 claimed, uint256 released);

    /// @notice The base SLA of `kind` changed (seconds, before the tier factor).
    event SlaSet(ClaimKind indexed kind, uint32 responseSeconds, uint32 resolutionSeconds);
    event PerClaimCapSet(uint256 cap);
    event ApprovalBudgetSet(uint256 budget);
    event LargeClaimThresholdSet(uint256 threshold);
    event PayoutDelaySet(uint32 delay);
    event LateCreditSet(uint256 credit);
    event ChallengeWindowSet(uint32 window);
    /// @notice The breach credits and their rolling 24-hour budget changed (0 turns a credit off).
    event BreachCreditsSet(uint256 noResponseCredit, uint256 resolutionCredit, uint256 dailyBudget);
    event TierSourceSet(address indexed tierSource);
    /// @notice The registry whose coverage can shorten a claimant's deadlines (zero: none).
    event CoverageSourceSet(address indexed coverageSource);

    /// @notice Same signatures as OpenZeppelin's Pausable.
    event Paused(address account);
    event Unpaused(address account);

    // ============================================================== errors

    error CompensationPoolZeroAddress();
    error CompensationPoolZeroAmount();
    error CompensationPoolEnforcedPause();
    error CompensationPoolExpectedPause();
    /// @notice `amount` is not a whole multiple of {AMOUNT_UNIT} or is above what the pool can store.
    error CompensationPoolAmountNotRepresentable(uint256 amount);
    error CompensationPoolAmountAboveCap(uint256 amount, uint256 cap);
    error CompensationPoolInsufficientFunds(uint256 available, uint256 needed);
    error CompensationPoolBudgetExceeded(uint256 used, uint256 charge, uint256 budget);
    error CompensationPoolInvalidSla(uint32 responseSeconds, uint32 resolutionSeconds);
    error CompensationPoolDurationTooLong(uint256 duration, uint256 max);

    /// @notice The transition is not legal from `current` (`None` for an id never submitted).
    error CompensationPoolInvalidClaimStatus(uint256 claimId, ClaimStatus current);
    error CompensationPoolNotClaimant(uint256 claimId, address caller);
    error CompensationPoolApprovalAboveRequest(uint256 claimId, uint256 requested, uint256 approved);
    error CompensationPoolVetoWindowClosed(uint256 claimId, uint48 payableAt);
    error CompensationPoolPayoutNotReady(uint256 claimId, uint48 payableAt);

    /// @notice The claim's `kind` deadline (inclusive) has not passed yet.
    error CompensationPoolBreachCreditTooEarly(uint256 claimId, BreachKind kind, uint48 deadline);
    error CompensationPoolBreachCreditAlreadyPaid(uint256 claimId, BreachKind kind);
    /// @notice `claimant` had neither a tier above 0 nor coverage when it filed `claimId`.
    error CompensationPoolNoStanding(uint256 claimId, address claimant);
    /// @notice The `kind` credit is set to 0.
    error CompensationPoolBreachCreditOff(BreachKind kind);
    error CompensationPoolBreachBudgetExceeded(uint256 used, uint256 charge, uint256 budget);

    error CompensationPoolSignatureExpired(uint256 deadline);
    error CompensationPoolInvalidNonce(address claimant, uint256 expected, uint256 provided);
    error CompensationPoolInvalidSigner(address claimant);
    error CompensationPoolInvalidKind(uint8 kind);

    error CompensationPoolZeroRoot();
    error CompensationPoolInvalidClaimDeadline(uint256 claimDeadline, uint48 claimableAt);
    error CompensationPoolTooManyOpenIncidents(uint256 max);
    error CompensationPoolUnknownIncident(uint256 incidentId);
    error CompensationPoolIncidentNotOpen(uint256 incidentId, IncidentStatus status);
    error CompensationPoolChallengeWindowOver(uint256 incidentId, uint48 claimableAt);
    error CompensationPoolIncidentNotClaimable(uint256 incidentId, uint48 claimableAt);
    error CompensationPoolIncidentClaimPeriodOver(uint256 incidentId, uint48 claimDeadline);
    error CompensationPoolIncidentClaimPeriodNotOver(uint256 incidentId, uint48 claimDeadline);
    error CompensationPoolInvalidProof(uint256 incidentId, uint256 index);
    error CompensationPoolAlreadyClaimed(uint256 incidentId, uint256 index);
    error CompensationPoolIncidentOverdrawn(uint256 incidentId, uint256 claimed, uint256 amount, uint256 total);

    // ============================================================== funds

    /// @notice Admin: sends `amount` of the unreserved balance to `to`.
    function sweep(address to, uint256 amount) external;

    // ============================================================== claims

    /// @notice Files a claim for the caller. Reverts while paused, for 0, for an amount that is not
    /// representable or above the per-claim cap.
    function submitClaim(ClaimKind kind, uint256 amount, bytes32 evidenceHash) external returns (uint256 claimId);

    /// @notice Files a claim for `request.claimant`, who signed `request` (EOA or EIP-1271 wallet);
    /// anyone may send it. Consumes the claimant's nonce.
    function submitClaimWithSig(
        ClaimRequest calldata request,
        bytes calldata signature
    ) external returns (uint256 claimId);

    /// @notice Assessor: `Submitted → Accepted`. Late if after the response deadline.
    function acceptClaim(uint256 claimId, bytes32 noteHash) external;

    /// @notice Assessor: `Accepted → Investigating`.
    function markInvestigating(uint256 claimId, bytes32 noteHash) external;

    /// @notice Assessor: `Accepted | Investigating → Approved` for `amount` ≤ requested and ≤ cap,
    /// charging the payout to the rolling budget; a payout below the large-claim threshold is paid
    /// in the same transaction (`→ Paid`).
    function approveClaim(uint256 claimId, uint256 amount, bytes32 noteHash) external;

    /// @notice Assessor: `Submitted | Accepted | Investigating → Rejected`.
    function rejectClaim(uint256 claimId, bytes32 reasonHash) external;

    /// @notice Claimant: `Submitted | Accepted | Investigating → Cancelled`.
    function cancelClaim(uint256 claimId) external;

    /// @notice Guardian: `Approved → Rejected` before `payableAt`; releases the reservation.
    function vetoPayout(uint256 claimId, bytes32 reasonHash) external;

    /// @notice Anyone, from `payableAt`: `Approved → Paid`, paying the claimant.
    function executePayout(uint256 claimId) external;

    /// @notice Claimant, from `payableAt`: `Approved → Paid`, paying `recipient` instead. The way out
    /// for a claimant the token will not pay (blocklisted, or a contract that rejects transfers):
    /// the payout stays reserved for the claimant until paid, and only the claimant can redirect it.
    function executePayoutTo(uint256 claimId, address recipient) external;

    /// @notice Anyone, after the response deadline of a claim still `Submitted` whose claimant had
    /// standing: pays the claimant the no-response credit from the free balance, charged to the
    /// breach budget. Once per claim; the claim stays open and can still be answered. Reverts while
    /// paused.
    function claimNoResponseCredit(uint256 claimId) external;

    /// @notice Anyone, after the resolution deadline of a claim still `Submitted`, `Accepted` or
    /// `Investigating` whose claimant had standing: pays the claimant the resolution credit, as
    /// {claimNoResponseCredit} does. Once per claim.
    function claimResolutionCredit(uint256 claimId) external;

    // ============================================================== incidents

    /// @notice Admin: opens a round reserving `total`: deploys the round's vault and moves `total`
    /// into it. Claimable there after the challenge window until the round is closed, which anyone
    /// can do once `claimDeadline` has passed.
    function openIncident(
        bytes32 root,
        uint256 total,
        uint48 claimDeadline,
        bytes32 metadataHash
    ) external returns (uint256 incidentId);

    /// @notice Guardian: cancels a round before it becomes claimable; releases its total.
    function cancelIncident(uint256 incidentId, bytes32 reasonHash) external;

    /// @notice Anyone, after the claim deadline: closes the round and releases what was not claimed.
    /// Time paused does not count against claimants: {unpause} extends every open round's deadline by
    /// the part of the pause that fell inside its claim window, and while paused a round whose
    /// deadline had not passed when the pause began cannot be closed.
    function closeIncident(uint256 incidentId) external;

    // ============================================================== guardian

    function pause() external;

    /// @notice Guardian: ends the pause; every open round's claim deadline grows by the part of the
    /// pause that fell inside its claim window ({IncidentDeadlineExtended}).
    function unpause() external;

    // ============================================================== admin setters

    function setSla(ClaimKind kind, uint32 responseSeconds, uint32 resolutionSeconds) external;

    function setPerClaimCap(uint256 cap) external;

    function setApprovalBudget(uint256 budget) external;

    function setLargeClaimThreshold(uint256 threshold) external;

    function setPayoutDelay(uint32 delay) external;

    function setLateCredit(uint256 credit) external;

    function setChallengeWindow(uint32 window) external;

    /// @notice Sets the no-response and resolution credits and the rolling 24-hour budget they are
    /// charged to (whole multiples of {AMOUNT_UNIT}; a credit of 0 is off).
    function setBreachCredits(uint256 noResponseCredit, uint256 resolutionCredit, uint256 dailyBudget) external;

    function setTierSource(address tierSource) external;

    /// @notice Sets where claimants' package coverage is read (`ICoverageSource`); zero turns it off.
    /// A claim's deadline factor is the best (lowest) of its claimant's tier and coverage factors.
    function setCoverageSource(address coverageSource) external;

    // ============================================================== views

    function token() external view returns (address);

    function tierSource() external view returns (address);

    function coverageSource() external view returns (address);

    function paused() external view returns (bool);

    function claimCount() external view returns (uint256);

    function incidentCount() external view returns (uint256);

    function getClaim(uint256 claimId) external view returns (Claim memory);

    function getIncident(uint256 incidentId) external view returns (Incident memory);

    function isIncidentClaimed(uint256 incidentId, uint256 index) external view returns (bool);

    /// @notice Ids of the rounds currently `Open` (at most {MAX_OPEN_INCIDENTS}).
    function openIncidentIds() external view returns (uint256[] memory);

    /// @notice Reserved C: approved claims not yet paid plus, for each open round, what it can
    /// still pay (its vault's balance up to its total; while paused, what the pool took back from it).
    function reserved() external view returns (uint256);

    /// @notice The approved-but-unpaid part of {reserved}.
    function claimsReserved() external view returns (uint256);

    /// @notice The pool's C balance minus what it owes from it: approved claims not yet paid and
    /// paused rounds' funds (0 if the balance is short). Open rounds' funds are in their vaults.
    function freeBalance() external view returns (uint256);

    /// @notice Approval usage charged in the current hour and the 24 before it, and the budget.
    function approvalBudgetUsage() external view returns (uint256 used, uint256 budget);

    function slaOf(ClaimKind kind) external view returns (uint32 responseSeconds, uint32 resolutionSeconds);

    function perClaimCap() external view returns (uint256);

    function approvalBudget() external view returns (uint256);

    function largeClaimThreshold() external view returns (uint256);

    function payoutDelay() external view returns (uint32);

    function lateCredit() external view returns (uint256);

    function challengeWindow() external view returns (uint32);

    function breachCredits()
        external
        view
        returns (uint256 noResponseCredit, uint256 resolutionCredit, uint256 dailyBudget);

    /// @notice Breach credits charged in the current hour and the 24 before it, and the budget.
    function breachBudgetUsage() external view returns (uint256 used, uint256 budget);

    /// @notice The tier and deadlines a claim of `kind` by `claimant` submitted now would get.
    function previewDeadlines(
        address claimant,
        ClaimKind kind
    ) external view returns (uint8 tier, uint48 responseDeadline, uint48 resolutionDeadline);

    /// @notice The EIP-712 domain separator on the current chain.
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32);

    /// @notice The EIP-712 digest the claimant signs for `request`.
    function hashClaimRequest(ClaimRequest calldata request) external view returns (bytes32);
}
