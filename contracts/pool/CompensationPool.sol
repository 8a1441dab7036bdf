// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IERC5267} from "@openzeppelin/contracts/interfaces/IERC5267.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {ITierSource} from "../interfaces/ITierSource.sol";
import {ICoverageSource} from "../interfaces/ICoverageSource.sol";
import {ICompensationPool} from "./ICompensationPool.sol";
import {ICompensationPoolFunding} from "./ICompensationPoolFunding.sol";
import {IIncidentVault} from "./IIncidentVault.sol";
import {IncidentVaultFactory} from "./IncidentVaultFactory.sol";
import {BreachLanes} from "./BreachLanes.sol";
import {PackedClaim, PackedClaimLib} from "./PackedClaim.sol";
import {RollingBudget} from "./RollingBudget.sol";

// Sixteen state variables, each its own slot on purpose: hot paths read them apart.
// solhint-disable max-states-count

/// @title CompensationPool
/// @notice Escrow of C for compensation claims answered against deadlines, and for incident-wide
/// Merkle rounds. See {ICompensationPool} for the lifecycle, events and errors.
///
/// Gas, on purpose: a submission writes one new slot (the packed claim), updates its lane in a
/// slot shared by eight claims (the resolution deadline; see {BreachLanes}) and reads two config
/// slots (`_core`, which also holds the claim counter and the pause flag, and `_claimTerms`). An
/// incident claim does not touch the pool at all: each round's total is escrowed in an
/// {IncidentVault} of its own, deployed at {openIncident}, whose claims read only immutables and
/// one bitmap word. The pool ends a round's claims by taking its vault's balance back (on pause,
/// returned on unpause; on cancel and close), so `reserved()` adds, for each open round (at most
/// {MAX_OPEN_INCIDENTS}), what its vault (or, while paused, the pool) still holds for it.
/// EIP-712: the domain name "EmergencyStation CompensationPool" is 33 bytes, and OpenZeppelin 5.7's
/// `EIP712` only accepts names up to 31 bytes, so the domain separator is built here (cached for
/// the deployment chain, rebuilt on another chain id) and exposed through ERC-5267 `eip712Domain`.
contract CompensationPool is ICompensationPool, IERC5267, AccessControl, Nonces, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;
    using RollingBudget for RollingBudget.Window;

    // =============================================================== types

    /// @dev Everything a submission reads besides the SLA table, pause flag included: fits one slot
    /// (232 bits). Our own pause flag instead of OpenZeppelin's Pausable, whose separate slot would
    /// cost every submission another cold read (2,100 gas); incident claims read a mirror of it.
    struct Core {
        address tierSource;
        uint64 claimCount;
        bool paused;
    }

    /// @dev Read on approval and on opening a round: fits one slot (240 bits). Amounts in units.
    struct PayoutTerms {
        uint64 approvalBudget;
        uint64 largeClaimThreshold;
        uint48 lateCredit;
        uint32 payoutDelay;
        uint32 challengeWindow;
    }

    /// @dev Read only by breach credits: fits one slot (160 bits). Amounts in units.
    struct BreachTerms {
        uint48 noResponseCredit;
        uint48 resolutionCredit;
        uint64 dailyBudget;
    }

    /// @dev An approval's terms, computed in memory (keeps `approveClaim` off the stack limit).
    struct Approval {
        uint256 creditUnits;
        uint256 payoutUnits;
        uint256 budgetUsed;
        uint256 payableAt;
        bool delayed;
    }

    /// @dev One incident's state: fits one slot. `held` is what the pool took back from the round's
    /// vault while paused (at most `total`), returned on unpause; `claimed` is set when the round
    /// ends (until then it is `total` less what the vault and the pool hold for it).
    // solhint-disable-next-line gas-struct-packing
    struct IncidentState {
        uint88 total;
        uint88 held;
        uint32 claimableAt;
        uint32 claimDeadline;
        IncidentStatus status;
    }

    /// @dev Where a round's claims go and, once ended, what they took.
    struct IncidentRecord {
        bytes32 root;
        IIncidentVault vault;
        uint88 claimed;
    }

    // ============================================================ constants

    bytes32 public constant ASSESSOR_ROLE = keccak256("ASSESSOR_ROLE");
    bytes32 public constant GUARDIAN_ROLE = keccak256("GUARDIAN_ROLE");
    // solhint-disable gas-small-strings
    bytes32 public constant CLAIM_REQUEST_TYPEHASH = keccak256(
        "ClaimRequest(address claimant,uint8 kind,uint256 amount,bytes32 evidenceHash,"
        "uint256 nonce,uint256 deadline)"
    );

    /// @notice Claim amounts are stored in this unit (10^12 wei = 0.000001 C).
    uint256 public constant AMOUNT_UNIT = 1e12;
    /// @notice Largest claim amount and payout: (2^48 − 1) units ≈ 281,474,976.7 C.
    uint256 public constant MAX_CLAIM_AMOUNT = uint256(type(uint48).max) * AMOUNT_UNIT;
    /// @notice Largest incident total: 2^88 − 1 wei ≈ 309,485,009.8 C.
    uint256 public constant MAX_INCIDENT_TOTAL = type(uint88).max;
    uint256 public constant MAX_OPEN_INCIDENTS = 16;
    /// @notice Longest base SLA, in seconds (2^24 − 1 ≈ 194 days).
    uint256 public constant MAX_SLA_SECONDS = type(uint24).max;
    /// @notice Longest payout delay and challenge window.
    uint256 public constant MAX_DELAY = 30 days;

    /// @dev Sets of claim statuses for {_requireStatus}: bit `1 << status`.
    uint256 private constant _SUBMITTED = 1 << uint256(ClaimStatus.Submitted);
    uint256 private constant _ACCEPTED = 1 << uint256(ClaimStatus.Accepted);
    uint256 private constant _INVESTIGATING = 1 << uint256(ClaimStatus.Investigating);
    uint256 private constant _APPROVED = 1 << uint256(ClaimStatus.Approved);
    /// @dev Rejectable, cancellable, and still owing a resolution.
    uint256 private constant _OPEN_BEFORE_APPROVAL = _SUBMITTED | _ACCEPTED | _INVESTIGATING;

    uint256 private constant _BPS = 10_000;
    uint256 private constant _UINT24_MASK = (1 << 24) - 1;
    uint256 private constant _UINT48_MASK = (1 << 48) - 1;
    /// @dev `_claimTerms`: kind k's response SLA at bits [48k, 48k+24), resolution at
    /// [48k+24, 48k+48); the per-claim cap in units at [192, 240).
    uint256 private constant _CAP_SHIFT = 192;

    string private constant _EIP712_NAME = "EmergencyStation CompensationPool";
    string private constant _EIP712_VERSION = "1";
    bytes32 private constant _EIP712_DOMAIN_TYPEHASH = keccak256(
        "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
    );
    // solhint-enable gas-small-strings

    IERC20 private immutable _TOKEN;
    IncidentVaultFactory private immutable _VAULT_FACTORY;
    bytes32 private immutable _CACHED_DOMAIN_SEPARATOR;
    uint256 private immutable _CACHED_CHAIN_ID;

    // ============================================================== storage

    Core private _core;
    uint256 private _claimTerms;
    /// @dev Read on submission only when set; its own slot (`_core` is full).
    address private _coverageSource;
    PayoutTerms private _payoutTerms;
    RollingBudget.Window private _budget;
    uint256 private _claimsReserved;
    uint256 private _incidentCount;
    uint256[] private _openIncidentIds;
    mapping(uint256 claimId => PackedClaim) private _claims;
    mapping(uint256 incidentId => IncidentRecord) private _incidentRecords;
    mapping(uint256 incidentId => IncidentState) private _incidents;
    /// @dev Σ `held` over open rounds: C in the pool's balance that paused rounds own.
    uint256 private _incidentsHeld;
    BreachTerms private _breachTerms;
    /// @dev When the current (or last) pause began; read only by unpause and closeIncident.
    uint32 private _pausedAt;
    /// @dev Breach credits' own rolling window, apart from approvals': a burst of credits cannot
    /// starve approvals, nor the other way round.
    RollingBudget.Window private _breachBudget;
    /// @dev Eight claims' resolution deadlines and credit bits per word (see {BreachLanes}).
    mapping(uint256 word => uint256 lanes) private _breachLanes;

    // ========================================================== constructor

    /// @param token_ the C token escrowed and paid out
    /// @param tierSource_ where claimants' tiers and SLA factors are read
    /// @param admin gets DEFAULT_ADMIN_ROLE; `assessor` and `guardian` get their roles unless zero
    constructor(
        IERC20 token_,
        address tierSource_,
        address admin,
        address assessor,
        address guardian,
        InitialTerms memory terms
    ) {
        if (address(token_) == address(0) || admin == address(0)) revert CompensationPoolZeroAddress();
        _TOKEN = token_;
        _VAULT_FACTORY = new IncidentVaultFactory();
        _CACHED_CHAIN_ID = block.chainid;
        _CACHED_DOMAIN_SEPARATOR = _buildDomainSeparator();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        if (assessor != address(0)) _grantRole(ASSESSOR_ROLE, assessor);
        if (guardian != address(0)) _grantRole(GUARDIAN_ROLE, guardian);
        _setTierSource(tierSource_);
        for (uint256 k = 0; k < 4; ++k) {
            _setSla(ClaimKind(k), terms.responseSeconds[k], terms.resolutionSeconds[k]);
        }
        _setPerClaimCap(terms.perClaimCap);
        _setApprovalBudget(terms.approvalBudget);
        _setLargeClaimThreshold(terms.largeClaimThreshold);
        _setPayoutDelay(terms.payoutDelay);
        _setLateCredit(terms.lateCredit);
        _setChallengeWindow(terms.challengeWindow);
    }

    // ================================================================ funds

    /// @inheritdoc ICompensationPoolFunding
    function fund(uint256 amount) external nonReentrant {
        if (amount == 0) revert CompensationPoolZeroAmount();
        _TOKEN.safeTransferFrom(msg.sender, address(this), amount);
        emit PoolFunded(msg.sender, amount);
    }

    /// @inheritdoc ICompensationPool
    function sweep(address to, uint256 amount) external nonReentrant onlyRole(DEFAULT_ADMIN_ROLE) {
        if (to == address(0)) revert CompensationPoolZeroAddress();
        if (amount == 0) revert CompensationPoolZeroAmount();
        _requireFree(amount);
        emit Swept(to, amount);
        _TOKEN.safeTransfer(to, amount);
    }

    // =============================================================== claims

    /// @inheritdoc ICompensationPool
    function submitClaim(ClaimKind kind, uint256 amount, bytes32 evidenceHash) external returns (uint256) {
        return _submit(msg.sender, kind, amount, evidenceHash);
    }

    /// @inheritdoc ICompensationPool
    function submitClaimWithSig(ClaimRequest calldata request, bytes calldata signature) external returns (uint256) {
        if (block.timestamp > request.deadline) revert CompensationPoolSignatureExpired(request.deadline);
        if (request.kind > uint8(type(ClaimKind).max)) revert CompensationPoolInvalidKind(request.kind);
        uint256 expected = _useNonce(request.claimant);
        if (request.nonce != expected) {
            revert CompensationPoolInvalidNonce(request.claimant, expected, request.nonce);
        }
        if (!_isClaimantSignature(request.claimant, _hashClaimRequest(request), signature)) {
            revert CompensationPoolInvalidSigner(request.claimant);
        }
        return _submit(request.claimant, ClaimKind(request.kind), request.amount, request.evidenceHash);
    }

    /// @inheritdoc ICompensationPool
    function acceptClaim(uint256 claimId, bytes32 noteHash) external onlyRole(ASSESSOR_ROLE) {
        PackedClaim c = _claims[claimId];
        _requireStatus(claimId, c, _SUBMITTED);
        c = c.withStatus(ClaimStatus.Accepted);
        // On time up to and including the response deadline.
        if (block.timestamp > c.time()) c = c.withLate();
        _claims[claimId] = c;
        emit ClaimStatusChanged(claimId, ClaimStatus.Accepted, msg.sender, noteHash);
    }

    /// @inheritdoc ICompensationPool
    function markInvestigating(uint256 claimId, bytes32 noteHash) external onlyRole(ASSESSOR_ROLE) {
        PackedClaim c = _claims[claimId];
        _requireStatus(claimId, c, _ACCEPTED);
        _claims[claimId] = c.withStatus(ClaimStatus.Investigating);
        emit ClaimStatusChanged(claimId, ClaimStatus.Investigating, msg.sender, noteHash);
    }

    /// @inheritdoc ICompensationPool
    function approveClaim(
        uint256 claimId,
        uint256 amount,
        bytes32 noteHash
    ) external nonReentrant onlyRole(ASSESSOR_ROLE) {
        _requireNotPaused();
        PackedClaim c = _claims[claimId];
        _requireStatus(claimId, c, _ACCEPTED | _INVESTIGATING);
        uint256 approvedUnits = _toUnits(amount, _UINT48_MASK);
        if (approvedUnits > c.units()) {
            revert CompensationPoolApprovalAboveRequest(claimId, c.units() * AMOUNT_UNIT, amount);
        }
        uint256 capUnits = (_claimTerms >> _CAP_SHIFT) & _UINT48_MASK;
        if (approvedUnits > capUnits) revert CompensationPoolAmountAboveCap(amount, capUnits * AMOUNT_UNIT);

        Approval memory a = _priceApproval(approvedUnits, c.acceptedLate());
        _claims[claimId] = c.withApproval(
            a.payoutUnits,
            SafeCast.toUint32(a.payableAt),
            a.delayed ? ClaimStatus.Approved : ClaimStatus.Paid
        );
        uint256 payout = a.payoutUnits * AMOUNT_UNIT;
        if (a.delayed) _claimsReserved += payout;
        emit ClaimApproved(claimId, amount, a.creditUnits * AMOUNT_UNIT, uint48(a.payableAt), a.budgetUsed);
        emit ClaimStatusChanged(claimId, ClaimStatus.Approved, msg.sender, noteHash);
        if (!a.delayed) _emitPaidAndPay(claimId, c.claimant(), payout);
    }

    /// @inheritdoc ICompensationPool
    function rejectClaim(uint256 claimId, bytes32 reasonHash) external onlyRole(ASSESSOR_ROLE) {
        PackedClaim c = _claims[claimId];
        _requireStatus(claimId, c, _OPEN_BEFORE_APPROVAL);
        _claims[claimId] = c.withStatus(ClaimStatus.Rejected);
        emit ClaimStatusChanged(claimId, ClaimStatus.Rejected, msg.sender, reasonHash);
    }

    /// @inheritdoc ICompensationPool
    function cancelClaim(uint256 claimId) external {
        PackedClaim c = _claims[claimId];
        _requireStatus(claimId, c, _OPEN_BEFORE_APPROVAL);
        if (msg.sender != c.claimant()) revert CompensationPoolNotClaimant(claimId, msg.sender);
        _claims[claimId] = c.withStatus(ClaimStatus.Cancelled);
        emit ClaimStatusChanged(claimId, ClaimStatus.Cancelled, msg.sender, bytes32(0));
    }

    /// @inheritdoc ICompensationPool
    function vetoPayout(uint256 claimId, bytes32 reasonHash) external onlyRole(GUARDIAN_ROLE) {
        PackedClaim c = _claims[claimId];
        _requireStatus(claimId, c, _APPROVED);
        // The veto window and the payout window meet at `payableAt` without overlapping.
        if (!(block.timestamp < c.time())) revert CompensationPoolVetoWindowClosed(claimId, uint48(c.time()));
        _claims[claimId] = c.withStatus(ClaimStatus.Rejected);
        uint256 payout = c.units() * AMOUNT_UNIT;
        _claimsReserved -= payout;
        emit PayoutVetoed(claimId, msg.sender, payout);
        emit ClaimStatusChanged(claimId, ClaimStatus.Rejected, msg.sender, reasonHash);
    }

    /// @inheritdoc ICompensationPool
    function executePayout(uint256 claimId) external nonReentrant {
        _executePayout(claimId, address(0));
    }

    /// @inheritdoc ICompensationPool
    function executePayoutTo(uint256 claimId, address recipient) external nonReentrant {
        if (recipient == address(0)) revert CompensationPoolZeroAddress();
        _executePayout(claimId, recipient);
    }

    /// @inheritdoc ICompensationPool
    function claimNoResponseCredit(uint256 claimId) external nonReentrant {
        _payBreachCredit(claimId, BreachKind.NoResponse, _SUBMITTED);
    }

    /// @inheritdoc ICompensationPool
    function claimResolutionCredit(uint256 claimId) external nonReentrant {
        // Approved and Paid claims were resolved; Rejected and Cancelled ones were closed.
        _payBreachCredit(claimId, BreachKind.Resolution, _OPEN_BEFORE_APPROVAL);
    }

    // ============================================================ incidents

    /// @inheritdoc ICompensationPool
    function openIncident(
        bytes32 root,
        uint256 total,
        uint48 claimDeadline,
        bytes32 metadataHash
    ) external nonReentrant onlyRole(DEFAULT_ADMIN_ROLE) returns (uint256 incidentId) {
        _requireNotPaused();
        if (root == bytes32(0)) revert CompensationPoolZeroRoot();
        if (total == 0) revert CompensationPoolZeroAmount();
        if (total > MAX_INCIDENT_TOTAL) revert CompensationPoolAmountNotRepresentable(total);
        if (_openIncidentIds.length == MAX_OPEN_INCIDENTS) {
            revert CompensationPoolTooManyOpenIncidents(MAX_OPEN_INCIDENTS);
        }
        uint256 claimableAt = block.timestamp + _payoutTerms.challengeWindow;
        if (!(claimDeadline > claimableAt) || claimDeadline > type(uint32).max) {
            revert CompensationPoolInvalidClaimDeadline(claimDeadline, uint48(claimableAt));
        }
        _requireFree(total);

        incidentId = ++_incidentCount;
        address vault = _VAULT_FACTORY.deploy(_TOKEN, incidentId, root, uint48(claimableAt));
        _incidentRecords[incidentId] = IncidentRecord({root: root, vault: IIncidentVault(vault), claimed: 0});
        _incidents[incidentId] = IncidentState({
            total: uint88(total),
            held: 0,
            claimableAt: uint32(claimableAt),
            claimDeadline: uint32(claimDeadline),
            status: IncidentStatus.Open
        });
        _openIncidentIds.push(incidentId);
        emit IncidentOpened(incidentId, root, total, uint48(claimableAt), claimDeadline, metadataHash, vault);
        _TOKEN.safeTransfer(vault, total);
    }

    /// @inheritdoc ICompensationPool
    function cancelIncident(uint256 incidentId, bytes32 reasonHash) external nonReentrant onlyRole(GUARDIAN_ROLE) {
        IncidentState storage s = _openIncident(incidentId);
        if (!(block.timestamp < s.claimableAt)) revert CompensationPoolChallengeWindowOver(incidentId, s.claimableAt);
        s.status = IncidentStatus.Cancelled;
        _removeOpenIncident(incidentId);
        // Nothing could be claimed before claimableAt: the whole total comes back.
        _endIncident(incidentId, s);
        emit IncidentCancelled(incidentId, msg.sender, reasonHash, s.total);
    }

    /// @inheritdoc ICompensationPool
    function closeIncident(uint256 incidentId) external nonReentrant {
        IncidentState storage s = _openIncident(incidentId);
        // A pause that began before the deadline will extend it on unpause: until then the round's
        // true deadline is unknown, and closing now would take the paused time from claimants.
        if (_core.paused && !(_pausedAt > s.claimDeadline)) revert CompensationPoolEnforcedPause();
        if (!(block.timestamp > s.claimDeadline)) {
            revert CompensationPoolIncidentClaimPeriodNotOver(incidentId, s.claimDeadline);
        }
        s.status = IncidentStatus.Closed;
        _removeOpenIncident(incidentId);
        uint256 claimed = _endIncident(incidentId, s);
        emit IncidentClosed(incidentId, claimed, s.total - claimed);
    }

    // ============================================================= guardian

    /// @inheritdoc ICompensationPool
    function pause() external onlyRole(GUARDIAN_ROLE) {
        if (_core.paused) revert CompensationPoolEnforcedPause();
        _core.paused = true;
        _pausedAt = uint32(block.timestamp);
        _holdOpenIncidents();
        emit Paused(msg.sender);
    }

    /// @inheritdoc ICompensationPool
    function unpause() external onlyRole(GUARDIAN_ROLE) {
        if (!_core.paused) revert CompensationPoolExpectedPause();
        _core.paused = false;
        _resumeOpenIncidents();
        emit Unpaused(msg.sender);
    }

    // ======================================================== admin setters

    /// @inheritdoc ICompensationPool
    function setSla(
        ClaimKind kind,
        uint32 responseSeconds,
        uint32 resolutionSeconds
    ) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setSla(kind, responseSeconds, resolutionSeconds);
    }

    /// @inheritdoc ICompensationPool
    function setPerClaimCap(uint256 cap) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setPerClaimCap(cap);
    }

    /// @inheritdoc ICompensationPool
    function setApprovalBudget(uint256 budget) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setApprovalBudget(budget);
    }

    /// @inheritdoc ICompensationPool
    function setLargeClaimThreshold(uint256 threshold) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setLargeClaimThreshold(threshold);
    }

    /// @inheritdoc ICompensationPool
    function setPayoutDelay(uint32 delay) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setPayoutDelay(delay);
    }

    /// @inheritdoc ICompensationPool
    function setLateCredit(uint256 credit) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setLateCredit(credit);
    }

    /// @inheritdoc ICompensationPool
    function setChallengeWindow(uint32 window) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setChallengeWindow(window);
    }

    /// @inheritdoc ICompensationPool
    function setBreachCredits(
        uint256 noResponseCredit,
        uint256 resolutionCredit,
        uint256 dailyBudget
    ) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _breachTerms = BreachTerms({
            noResponseCredit: uint48(_toUnits(noResponseCredit, _UINT48_MASK)),
            resolutionCredit: uint48(_toUnits(resolutionCredit, _UINT48_MASK)),
            dailyBudget: uint64(_toUnits(dailyBudget, type(uint64).max))
        });
        emit BreachCreditsSet(noResponseCredit, resolutionCredit, dailyBudget);
    }

    /// @inheritdoc ICompensationPool
    function setTierSource(address tierSource_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setTierSource(tierSource_);
    }

    /// @inheritdoc ICompensationPool
    function setCoverageSource(address coverageSource_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _coverageSource = coverageSource_;
        emit CoverageSourceSet(coverageSource_);
    }

    // ================================================================ views

    /// @inheritdoc ICompensationPool
    function token() external view returns (address) {
        return address(_TOKEN);
    }

    /// @inheritdoc ICompensationPool
    function coverageSource() external view returns (address) {
        return _coverageSource;
    }

    /// @inheritdoc ICompensationPool
    function tierSource() external view returns (address) {
        return _core.tierSource;
    }

    /// @inheritdoc ICompensationPool
    function paused() external view returns (bool) {
        return _core.paused;
    }

    /// @inheritdoc ICompensationPool
    function claimCount() external view returns (uint256) {
        return _core.claimCount;
    }

    /// @inheritdoc ICompensationPool
    function incidentCount() external view returns (uint256) {
        return _incidentCount;
    }

    /// @inheritdoc ICompensationPool
    function getClaim(uint256 claimId) external view returns (Claim memory claim) {
        PackedClaim c = _claims[claimId];
        claim.claimant = c.claimant();
        claim.status = c.status();
        claim.kind = c.kind();
        claim.tier = c.tier();
        claim.acceptedLate = c.acceptedLate();
        claim.amount = c.units() * AMOUNT_UNIT;
        claim.standing = c.standing();
        (uint256 word, uint256 shift) = BreachLanes.locate(claimId);
        uint256 lanes = _breachLanes[word];
        if (c.approved()) {
            claim.payableAt = uint48(c.time());
        } else {
            claim.responseDeadline = uint48(c.time());
            claim.resolutionDeadline = uint48(c.time() + BreachLanes.gap(lanes, shift));
        }
        claim.noResponseCreditPaid = lanes & BreachLanes.paidBit(shift, uint256(BreachKind.NoResponse)) != 0;
        claim.resolutionCreditPaid = lanes & BreachLanes.paidBit(shift, uint256(BreachKind.Resolution)) != 0;
    }

    /// @inheritdoc ICompensationPool
    function getIncident(uint256 incidentId) external view returns (Incident memory incident) {
        IncidentRecord memory r = _incidentRecords[incidentId];
        IncidentState memory s = _incidents[incidentId];
        incident = Incident({
            root: r.root,
            total: s.total,
            claimed: s.status == IncidentStatus.Open ? s.total - _unclaimed(r.vault, s) : r.claimed,
            claimableAt: s.claimableAt,
            claimDeadline: s.claimDeadline,
            status: s.status,
            vault: address(r.vault)
        });
    }

    /// @inheritdoc ICompensationPool
    function isIncidentClaimed(uint256 incidentId, uint256 index) external view returns (bool) {
        IIncidentVault vault = _incidentRecords[incidentId].vault;
        return address(vault) != address(0) && vault.isClaimed(index);
    }

    /// @inheritdoc ICompensationPool
    function openIncidentIds() external view returns (uint256[] memory) {
        return _openIncidentIds;
    }

    /// @inheritdoc ICompensationPool
    function reserved() external view returns (uint256) {
        return _reserved();
    }

    /// @inheritdoc ICompensationPool
    function claimsReserved() external view returns (uint256) {
        return _claimsReserved;
    }

    /// @inheritdoc ICompensationPool
    function freeBalance() external view returns (uint256) {
        return _freeBalance();
    }

    /// @inheritdoc ICompensationPool
    function approvalBudgetUsage() external view returns (uint256 used, uint256 budget) {
        used = _budget.usage() * AMOUNT_UNIT;
        budget = uint256(_payoutTerms.approvalBudget) * AMOUNT_UNIT;
    }

    /// @inheritdoc ICompensationPool
    function slaOf(ClaimKind kind) external view returns (uint32 responseSeconds, uint32 resolutionSeconds) {
        uint256 shift = uint256(kind) * 48;
        uint256 terms = _claimTerms;
        responseSeconds = uint32((terms >> shift) & _UINT24_MASK);
        resolutionSeconds = uint32((terms >> (shift + 24)) & _UINT24_MASK);
    }

    /// @inheritdoc ICompensationPool
    function perClaimCap() external view returns (uint256) {
        return ((_claimTerms >> _CAP_SHIFT) & _UINT48_MASK) * AMOUNT_UNIT;
    }

    /// @inheritdoc ICompensationPool
    function approvalBudget() external view returns (uint256) {
        return uint256(_payoutTerms.approvalBudget) * AMOUNT_UNIT;
    }

    /// @inheritdoc ICompensationPool
    function largeClaimThreshold() external view returns (uint256) {
        return uint256(_payoutTerms.largeClaimThreshold) * AMOUNT_UNIT;
    }

    /// @inheritdoc ICompensationPool
    function payoutDelay() external view returns (uint32) {
        return _payoutTerms.payoutDelay;
    }

    /// @inheritdoc ICompensationPool
    function lateCredit() external view returns (uint256) {
        return uint256(_payoutTerms.lateCredit) * AMOUNT_UNIT;
    }

    /// @inheritdoc ICompensationPool
    function challengeWindow() external view returns (uint32) {
        return _payoutTerms.challengeWindow;
    }

    /// @inheritdoc ICompensationPool
    function breachCredits()
        external
        view
        returns (uint256 noResponseCredit, uint256 resolutionCredit, uint256 dailyBudget)
    {
        BreachTerms memory terms = _breachTerms;
        return (
            uint256(terms.noResponseCredit) * AMOUNT_UNIT,
            uint256(terms.resolutionCredit) * AMOUNT_UNIT,
            uint256(terms.dailyBudget) * AMOUNT_UNIT
        );
    }

    /// @inheritdoc ICompensationPool
    function breachBudgetUsage() external view returns (uint256 used, uint256 budget) {
        used = _breachBudget.usage() * AMOUNT_UNIT;
        budget = uint256(_breachTerms.dailyBudget) * AMOUNT_UNIT;
    }

    /// @inheritdoc ICompensationPool
    function previewDeadlines(
        address claimant,
        ClaimKind kind
    ) external view returns (uint8 tier, uint48 responseDeadline, uint48 resolutionDeadline) {
        (uint256 tier_, uint256 factorBps, ) = _factorOf(_core.tierSource, claimant);
        (uint256 response, uint256 resolution) = _deadlines(_claimTerms, kind, factorBps);
        return (uint8(tier_), uint48(response), uint48(resolution));
    }

    /// @inheritdoc ICompensationPool
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() public view returns (bytes32) {
        return block.chainid == _CACHED_CHAIN_ID ? _CACHED_DOMAIN_SEPARATOR : _buildDomainSeparator();
    }

    /// @inheritdoc IERC5267
    function eip712Domain()
        external
        view
        returns (
            bytes1 fields,
            string memory name,
            string memory version,
            uint256 chainId,
            address verifyingContract,
            bytes32 salt,
            uint256[] memory extensions
        )
    {
        return (hex"0f", _EIP712_NAME, _EIP712_VERSION, block.chainid, address(this), bytes32(0), new uint256[](0));
    }

    /// @inheritdoc ICompensationPool
    function hashClaimRequest(ClaimRequest calldata request) external view returns (bytes32) {
        return _hashClaimRequest(request);
    }

    // ============================================================= internal

    function _submit(
        address claimant,
        ClaimKind kind,
        uint256 amount,
        bytes32 evidenceHash
    ) private returns (uint256 claimId) {
        Core memory core = _core;
        if (core.paused) revert CompensationPoolEnforcedPause();
        (PackedClaim packed, uint256 tier, uint256 responseDeadline, uint256 resolutionDeadline) = _draftClaim(
            claimant,
            kind,
            amount,
            core.tierSource
        );
        // 2^64 claims are out of reach.
        unchecked {
            claimId = uint256(core.claimCount) + 1;
        }
        _core.claimCount = uint64(claimId);
        _claims[claimId] = packed;
        _recordResolutionGap(claimId, resolutionDeadline - responseDeadline);
        emit ClaimSubmitted(
            claimId,
            claimant,
            kind,
            amount,
            evidenceHash,
            uint8(tier),
            uint48(responseDeadline),
            uint48(resolutionDeadline)
        );
        emit ClaimStatusChanged(claimId, ClaimStatus.Submitted, claimant, evidenceHash);
    }

    /// @dev Checks the amount against the cap, reads the tier and computes the deadlines.
    function _draftClaim(
        address claimant,
        ClaimKind kind,
        uint256 amount,
        address source
    ) private view returns (PackedClaim packed, uint256 tier, uint256 responseDeadline, uint256 resolutionDeadline) {
        uint256 units;
        bool covered;
        {
            uint256 terms = _claimTerms;
            units = _toUnits(amount, _UINT48_MASK);
            if (units == 0) revert CompensationPoolZeroAmount();
            uint256 capUnits = (terms >> _CAP_SHIFT) & _UINT48_MASK;
            if (units > capUnits) revert CompensationPoolAmountAboveCap(amount, capUnits * AMOUNT_UNIT);
            uint256 factorBps;
            (tier, factorBps, covered) = _factorOf(source, claimant);
            (responseDeadline, resolutionDeadline) = _deadlines(terms, kind, factorBps);
        }
        packed = PackedClaimLib.pack(claimant, units, SafeCast.toUint32(responseDeadline), tier, kind);
        // Standing: a stake that reached a tier, or a support plan in force.
        if (tier != 0 || covered) packed = packed.withStanding();
    }

    /// @dev Writes the claim's lane: `gap` = resolution − response deadline ≤ MAX_SLA_SECONDS (each
    /// deadline is the base SLA × a factor ≤ 1, rounded down, and response ≤ resolution), so it fits
    /// 24 bits. The lane of a new id is still 0, hence the plain `|`.
    function _recordResolutionGap(uint256 claimId, uint256 gap) private {
        if (gap == 0) return;
        (uint256 word, uint256 shift) = BreachLanes.locate(claimId);
        _breachLanes[word] |= gap << shift;
    }

    /// @dev Checks the pause, the status (in `allowed`), standing, the once-per-claim bit and the
    /// deadline, then charges the credit and pays it.
    function _payBreachCredit(uint256 claimId, BreachKind kind, uint256 allowed) private {
        _requireNotPaused();
        PackedClaim c = _claims[claimId];
        _requireStatus(claimId, c, allowed);
        if (!c.standing()) revert CompensationPoolNoStanding(claimId, c.claimant());
        (uint256 word, uint256 shift) = BreachLanes.locate(claimId);
        uint256 lanes = _breachLanes[word];
        uint256 paid = BreachLanes.paidBit(shift, uint256(kind));
        if (lanes & paid != 0) revert CompensationPoolBreachCreditAlreadyPaid(claimId, kind);
        {
            // `time` is still the response deadline: only a claim never approved gets here.
            uint256 deadline = c.time();
            if (kind == BreachKind.Resolution) deadline += BreachLanes.gap(lanes, shift);
            // The deadline itself is still on time, as for acceptances.
            if (!(block.timestamp > deadline)) {
                revert CompensationPoolBreachCreditTooEarly(claimId, kind, uint48(deadline));
            }
        }
        uint256 amount = _chargeBreachCredit(kind);
        // Effects before the transfer: a re-entered call finds the credit paid.
        _breachLanes[word] = lanes | paid;
        emit BreachCreditPaid(claimId, c.claimant(), kind, amount);
        _TOKEN.safeTransfer(c.claimant(), amount);
    }

    /// @dev The `kind` credit in wei, charged to the breach budget and checked against the free
    /// balance: never paid out of reserved funds (approved payouts and open rounds stay covered).
    function _chargeBreachCredit(BreachKind kind) private returns (uint256 amount) {
        BreachTerms memory terms = _breachTerms;
        uint256 units = kind == BreachKind.NoResponse ? terms.noResponseCredit : terms.resolutionCredit;
        if (units == 0) revert CompensationPoolBreachCreditOff(kind);
        uint256 budget = terms.dailyBudget;
        (bool ok, uint256 used) = _breachBudget.tryCharge(units, budget);
        if (!ok)
            revert CompensationPoolBreachBudgetExceeded(used * AMOUNT_UNIT, units * AMOUNT_UNIT, budget * AMOUNT_UNIT);
        amount = units * AMOUNT_UNIT;
        _requireFree(amount);
    }

    /// @dev Adds the late credit, charges the payout to the rolling budget, checks the free balance,
    /// and decides: payouts at or above the threshold wait for the delay (a guardian may veto them
    /// meanwhile), smaller ones are paid at once.
    function _priceApproval(uint256 approvedUnits, bool late) private returns (Approval memory a) {
        PayoutTerms memory terms = _payoutTerms;
        a.creditUnits = late ? terms.lateCredit : 0;
        a.payoutUnits = approvedUnits + a.creditUnits;
        if (a.payoutUnits > _UINT48_MASK) revert CompensationPoolAmountNotRepresentable(a.payoutUnits * AMOUNT_UNIT);
        a.budgetUsed = _chargeBudget(a.payoutUnits, terms.approvalBudget);
        _requireFree(a.payoutUnits * AMOUNT_UNIT);
        a.delayed = !(a.payoutUnits < terms.largeClaimThreshold);
        a.payableAt = a.delayed ? block.timestamp + terms.payoutDelay : block.timestamp;
    }

    /// @dev `Approved → Paid` from `payableAt`, paying `recipient`: the claimant when zero (anyone
    /// may send it), else only the claimant may name it.
    function _executePayout(uint256 claimId, address recipient) private {
        _requireNotPaused();
        PackedClaim c = _claims[claimId];
        _requireStatus(claimId, c, _APPROVED);
        if (block.timestamp < c.time()) revert CompensationPoolPayoutNotReady(claimId, uint48(c.time()));
        address claimant = c.claimant();
        if (recipient == address(0)) recipient = claimant;
        else if (msg.sender != claimant) revert CompensationPoolNotClaimant(claimId, msg.sender);
        // Effects before the transfer: a re-entered call finds the claim already Paid.
        _claims[claimId] = c.withStatus(ClaimStatus.Paid);
        uint256 payout = c.units() * AMOUNT_UNIT;
        _claimsReserved -= payout;
        _emitPaidAndPay(claimId, recipient, payout);
    }

    function _emitPaidAndPay(uint256 claimId, address claimant, uint256 payout) private {
        emit ClaimPaid(claimId, claimant, payout);
        emit ClaimStatusChanged(claimId, ClaimStatus.Paid, msg.sender, bytes32(0));
        if (payout != 0) _TOKEN.safeTransfer(claimant, payout);
    }

    /// @dev Deadlines = now + base SLA of `kind` × factor / 10,000 (rounded down).
    function _deadlines(
        uint256 terms,
        ClaimKind kind,
        uint256 factorBps
    ) private view returns (uint256 responseDeadline, uint256 resolutionDeadline) {
        uint256 shift = uint256(kind) * 48;
        responseDeadline = block.timestamp + (((terms >> shift) & _UINT24_MASK) * factorBps) / _BPS;
        resolutionDeadline = block.timestamp + (((terms >> (shift + 24)) & _UINT24_MASK) * factorBps) / _BPS;
    }

    /// @dev Reads `tierTermsOf(account)`. A tier source that reverts, returns too little or out of
    /// range values is treated as tier 0 with the standard factor: a broken staking contract must
    /// not stop people from filing claims (they only lose their priority).
    /// @dev The claimant's own ECDSA signature first, then ERC-1271: an EIP-7702 account (an EOA with
    /// delegated code) keeps signing with its key even when its delegate does not implement ERC-1271.
    function _isClaimantSignature(
        address claimant,
        bytes32 hash,
        bytes calldata signature
    ) private view returns (bool) {
        (address recovered, ECDSA.RecoverError err, ) = ECDSA.tryRecoverCalldata(hash, signature);
        if (err == ECDSA.RecoverError.NoError && recovered == claimant) return true;
        return
            claimant.code.length != 0 && SignatureChecker.isValidERC1271SignatureNowCalldata(claimant, hash, signature);
    }

    /// @dev The claimant's tier and deadline factor: the best (lowest) of the tier's and the coverage's;
    /// `covered` when the coverage source reports a plan in force (any factor in (0, 10_000], the
    /// standard one included: a plan bought at standard deadlines still gives standing).
    function _factorOf(
        address tierSource_,
        address account
    ) private view returns (uint256 tier, uint256 factorBps, bool covered) {
        (tier, factorBps) = _tierTermsOf(tierSource_, account);
        address coverage = _coverageSource;
        if (coverage != address(0)) {
            uint256 coveredFactor = _coverageFactorOf(coverage, account);
            covered = coveredFactor != 0;
            if (covered && coveredFactor < factorBps) factorBps = coveredFactor;
        }
    }

    /// @dev The coverage's factor, 0 for none. A coverage source that reverts, answers garbage or a
    /// factor outside (0, 10_000] gives no coverage: a broken registry must not block claims, make
    /// every acceptance late, nor grant standing.
    function _coverageFactorOf(address source, address account) private view returns (uint256 factorBps) {
        bytes4 selector = ICoverageSource.slaFactorOf.selector;
        bool ok;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, selector)
            mstore(add(ptr, 0x04), account)
            ok := staticcall(gas(), source, ptr, 0x24, ptr, 0x20)
            ok := and(ok, gt(returndatasize(), 0x1f))
            factorBps := mload(ptr)
        }
        if (!ok || factorBps > _BPS) return 0;
    }

    /// @dev A tier source's factor outside (0, 10_000] is clamped to 10_000: a factor of 0 would make
    /// every acceptance late, one above 10_000 would stretch deadlines beyond the standard.
    function _tierTermsOf(address source, address account) private view returns (uint256 tier, uint256 factorBps) {
        bytes4 selector = ITierSource.tierTermsOf.selector;
        bool ok;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, selector)
            mstore(add(ptr, 0x04), account)
            ok := staticcall(gas(), source, ptr, 0x24, ptr, 0x60)
            ok := and(ok, gt(returndatasize(), 0x5f))
            tier := mload(ptr)
            factorBps := mload(add(ptr, 0x20))
        }
        if (!ok || tier > type(uint8).max) return (0, _BPS);
        if (factorBps == 0 || factorBps > _BPS) factorBps = _BPS;
    }

    function _hashClaimRequest(ClaimRequest calldata r) private view returns (bytes32) {
        bytes32 structHash = keccak256(
            abi.encode(CLAIM_REQUEST_TYPEHASH, r.claimant, r.kind, r.amount, r.evidenceHash, r.nonce, r.deadline)
        );
        return MessageHashUtils.toTypedDataHash(DOMAIN_SEPARATOR(), structHash);
    }

    function _buildDomainSeparator() private view returns (bytes32) {
        return
            keccak256(
                abi.encode(
                    _EIP712_DOMAIN_TYPEHASH,
                    keccak256(bytes(_EIP712_NAME)),
                    keccak256(bytes(_EIP712_VERSION)),
                    block.chainid,
                    address(this)
                )
            );
    }

    function _chargeBudget(uint256 units, uint256 budgetUnits) private returns (uint256 usedAfter) {
        (bool ok, uint256 used) = _budget.tryCharge(units, budgetUnits);
        if (!ok) {
            revert CompensationPoolBudgetExceeded(used * AMOUNT_UNIT, units * AMOUNT_UNIT, budgetUnits * AMOUNT_UNIT);
        }
        return used * AMOUNT_UNIT;
    }

    function _requireNotPaused() private view {
        if (_core.paused) revert CompensationPoolEnforcedPause();
    }

    function _requireFree(uint256 needed) private view {
        uint256 available = _freeBalance();
        if (needed > available) revert CompensationPoolInsufficientFunds(available, needed);
    }

    /// @dev The pool's balance less what it owes from it: approved payouts and paused rounds' funds
    /// (open rounds' other funds are in their vaults, not in this balance).
    function _freeBalance() private view returns (uint256) {
        uint256 balance = _TOKEN.balanceOf(address(this));
        uint256 owed = _claimsReserved + _incidentsHeld;
        return balance > owed ? balance - owed : 0;
    }

    /// @dev Bounded: at most MAX_OPEN_INCIDENTS rounds are open.
    function _reserved() private view returns (uint256 total) {
        total = _claimsReserved;
        uint256 n = _openIncidentIds.length;
        for (uint256 i = 0; i < n; ++i) {
            uint256 id = _openIncidentIds[i];
            total += _unclaimed(_incidentRecords[id].vault, _incidents[id]);
        }
    }

    /// @dev What an open round can still pay: while paused, what the pool holds for it; otherwise
    /// its vault's balance, at most its total (C sent to a vault directly is not the round's).
    function _unclaimed(IIncidentVault vault, IncidentState memory s) private view returns (uint256) {
        if (_core.paused) return s.held;
        uint256 balance = _TOKEN.balanceOf(address(vault));
        return balance < s.total ? balance : s.total;
    }

    /// @dev On pause: takes every open round's funds back from its vault, which stops its claims.
    /// A vault's surplus over its total (C sent to it directly) stays in the pool as free balance.
    /// Bounded: at most MAX_OPEN_INCIDENTS rounds are open.
    function _holdOpenIncidents() private {
        uint256 held;
        uint256 n = _openIncidentIds.length;
        for (uint256 i = 0; i < n; ++i) {
            uint256 id = _openIncidentIds[i];
            IncidentState storage s = _incidents[id];
            uint256 taken = _incidentRecords[id].vault.release(address(this));
            if (taken > s.total) taken = s.total;
            s.held = uint88(taken);
            held += taken;
        }
        _incidentsHeld = held;
    }

    /// @dev Ends an open round whose status was just set: takes back what its vault (and, if paused,
    /// the pool) holds for it and records what was claimed, which it returns.
    function _endIncident(uint256 incidentId, IncidentState storage s) private returns (uint256 claimed) {
        IncidentRecord storage r = _incidentRecords[incidentId];
        uint256 left = r.vault.release(address(this));
        if (s.held != 0) {
            left += s.held;
            _incidentsHeld -= s.held;
            s.held = 0;
        }
        claimed = left < s.total ? s.total - left : 0;
        r.claimed = uint88(claimed);
    }

    /// @dev Returns every open round's funds to its vault and gives back the claim time the pause
    /// took. A round whose deadline had not passed when the pause began had `deadline − pausedAt`
    /// seconds of claims left and gets them again from now: its deadline moves by the pause's
    /// length from `max(pausedAt, claimableAt)` (a challenge window takes no claims anyway).
    /// Bounded: at most MAX_OPEN_INCIDENTS rounds are open.
    function _resumeOpenIncidents() private {
        uint256 pausedAt = _pausedAt;
        uint256 n = _openIncidentIds.length;
        _incidentsHeld = 0;
        for (uint256 i = 0; i < n; ++i) {
            uint256 id = _openIncidentIds[i];
            IncidentState storage s = _incidents[id];
            if (s.held != 0) {
                _TOKEN.safeTransfer(address(_incidentRecords[id].vault), s.held);
                s.held = 0;
            }
            uint256 deadline = s.claimDeadline;
            uint256 from = pausedAt > s.claimableAt ? pausedAt : s.claimableAt;
            if (pausedAt > deadline || !(block.timestamp > from)) continue;
            uint256 lost = block.timestamp - from;
            deadline += lost;
            if (deadline > type(uint32).max) deadline = type(uint32).max;
            s.claimDeadline = uint32(deadline);
            emit IncidentDeadlineExtended(id, uint48(deadline), uint48(lost));
        }
    }

    function _openIncident(uint256 incidentId) private view returns (IncidentState storage s) {
        s = _incidents[incidentId];
        if (s.status == IncidentStatus.None) revert CompensationPoolUnknownIncident(incidentId);
        if (s.status != IncidentStatus.Open) revert CompensationPoolIncidentNotOpen(incidentId, s.status);
    }

    function _removeOpenIncident(uint256 incidentId) private {
        uint256 last = _openIncidentIds.length - 1;
        for (uint256 i = 0; i < last; ++i) {
            if (_openIncidentIds[i] == incidentId) {
                _openIncidentIds[i] = _openIncidentIds[last];
                break;
            }
        }
        _openIncidentIds.pop();
    }

    /// @dev Reverts unless the claim's status is in `allowed`, a set of `1 << status` bits. One
    /// shared check instead of one revert site per transition keeps the contract under EIP-170.
    function _requireStatus(uint256 claimId, PackedClaim c, uint256 allowed) private pure {
        ClaimStatus status = c.status();
        if ((allowed >> uint256(status)) & 1 == 0) revert CompensationPoolInvalidClaimStatus(claimId, status);
    }

    /// @dev `amount` in units; reverts unless it is a whole number of units not above `maxUnits`.
    function _toUnits(uint256 amount, uint256 maxUnits) private pure returns (uint256 units) {
        units = amount / AMOUNT_UNIT;
        if (amount % AMOUNT_UNIT != 0 || units > maxUnits) revert CompensationPoolAmountNotRepresentable(amount);
    }

    function _setSla(ClaimKind kind, uint32 responseSeconds, uint32 resolutionSeconds) private {
        if (responseSeconds == 0 || responseSeconds > resolutionSeconds || resolutionSeconds > MAX_SLA_SECONDS) {
            revert CompensationPoolInvalidSla(responseSeconds, resolutionSeconds);
        }
        uint256 shift = uint256(kind) * 48;
        uint256 cleared = _claimTerms & ~(_UINT48_MASK << shift);
        _claimTerms = cleared | (uint256(responseSeconds) << shift) | (uint256(resolutionSeconds) << (shift + 24));
        emit SlaSet(kind, responseSeconds, resolutionSeconds);
    }

    function _setPerClaimCap(uint256 cap) private {
        uint256 units = _toUnits(cap, _UINT48_MASK);
        if (units == 0) revert CompensationPoolZeroAmount();
        _claimTerms = (_claimTerms & ~(_UINT48_MASK << _CAP_SHIFT)) | (units << _CAP_SHIFT);
        emit PerClaimCapSet(cap);
    }

    function _setApprovalBudget(uint256 budget) private {
        _payoutTerms.approvalBudget = uint64(_toUnits(budget, type(uint64).max));
        emit ApprovalBudgetSet(budget);
    }

    function _setLargeClaimThreshold(uint256 threshold) private {
        _payoutTerms.largeClaimThreshold = uint64(_toUnits(threshold, type(uint64).max));
        emit LargeClaimThresholdSet(threshold);
    }

    function _setPayoutDelay(uint32 delay) private {
        if (delay > MAX_DELAY) revert CompensationPoolDurationTooLong(delay, MAX_DELAY);
        _payoutTerms.payoutDelay = delay;
        emit PayoutDelaySet(delay);
    }

    function _setLateCredit(uint256 credit) private {
        _payoutTerms.lateCredit = uint48(_toUnits(credit, _UINT48_MASK));
        emit LateCreditSet(credit);
    }

    function _setChallengeWindow(uint32 window) private {
        if (window > MAX_DELAY) revert CompensationPoolDurationTooLong(window, MAX_DELAY);
        _payoutTerms.challengeWindow = window;
        emit ChallengeWindowSet(window);
    }

    function _setTierSource(address tierSource_) private {
        if (tierSource_ == address(0)) revert CompensationPoolZeroAddress();
        _core.tierSource = tierSource_;
        emit TierSourceSet(tierSource_);
    }
}
