// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import {ICompensationPool} from "./ICompensationPool.sol";
import {IIncidentVault} from "./IIncidentVault.sol";

/// @title IncidentVault
/// @notice See {IIncidentVault}. Deployed by {IncidentVaultFactory} for the pool.
///
/// Gas, on purpose: a claim reads and writes one bitmap word and otherwise only immutables. What
/// the pool used to keep per round and check per claim lives elsewhere: the claimed total is what
/// left the vault's balance (so a bad root can never take more than its round's total), and
/// whether the round still pays is whether the vault still holds its funds (the pool takes them on
/// pause, cancel and close). The claim deadline is the pool's: a round stays claimable until it is
/// closed, which anyone can do once the deadline (extended by any pause) has passed.
contract IncidentVault is IIncidentVault {
    using SafeERC20 for IERC20;

    IERC20 private immutable _TOKEN;
    address private immutable _POOL;
    uint256 private immutable _INCIDENT_ID;
    bytes32 private immutable _ROOT;
    uint256 private immutable _CLAIMABLE_AT;

    /// @dev Claimed bitmap: bit `index % 256` of word `index / 256`.
    mapping(uint256 word => uint256 bits) private _claimedWords;

    constructor(IERC20 token_, address pool_, uint256 incidentId_, bytes32 root_, uint48 claimableAt_) {
        _TOKEN = token_;
        _POOL = pool_;
        _INCIDENT_ID = incidentId_;
        _ROOT = root_;
        _CLAIMABLE_AT = claimableAt_;
    }

    /// @inheritdoc IIncidentVault
    function claim(uint256 index, address account, uint256 amount, bytes32[] calldata proof) external {
        if (block.timestamp < _CLAIMABLE_AT) {
            revert ICompensationPool.CompensationPoolIncidentNotClaimable(_INCIDENT_ID, uint48(_CLAIMABLE_AT));
        }
        // A zero leaf would pay nothing and so be claimable after the round ended.
        if (amount == 0) revert ICompensationPool.CompensationPoolZeroAmount();
        uint256 bits = _claimedWords[index >> 8];
        uint256 mask = 1 << (index & 0xff);
        if (bits & mask != 0) revert ICompensationPool.CompensationPoolAlreadyClaimed(_INCIDENT_ID, index);
        if (_rootOf(index, account, amount, proof) != _ROOT) {
            revert ICompensationPool.CompensationPoolInvalidProof(_INCIDENT_ID, index);
        }
        // Effects before the transfer: a re-entered call finds the index claimed.
        _claimedWords[index >> 8] = bits | mask;
        emit IncidentClaimed(_INCIDENT_ID, index, account, amount);
        if (!_TOKEN.trySafeTransfer(account, amount)) _revertUnpaid(account, amount);
    }

    /// @inheritdoc IIncidentVault
    function release(address to) external returns (uint256 amount) {
        if (msg.sender != _POOL) revert IncidentVaultOnlyPool(msg.sender);
        amount = _TOKEN.balanceOf(address(this));
        if (amount != 0) _TOKEN.safeTransfer(to, amount);
    }

    /// @inheritdoc IIncidentVault
    function isClaimed(uint256 index) external view returns (bool) {
        return _claimedWords[index >> 8] & (1 << (index & 0xff)) != 0;
    }

    /// @inheritdoc IIncidentVault
    function pool() external view returns (address) {
        return _POOL;
    }

    /// @inheritdoc IIncidentVault
    function incidentId() external view returns (uint256) {
        return _INCIDENT_ID;
    }

    /// @inheritdoc IIncidentVault
    function root() external view returns (bytes32) {
        return _ROOT;
    }

    /// @inheritdoc IIncidentVault
    function claimableAt() external view returns (uint48) {
        return uint48(_CLAIMABLE_AT);
    }

    /// @dev Only on the failure path: why the vault could not pay. The round ended or is paused (the
    /// pool took its funds), or a bad root's leaves add up to more than the round's total; failing
    /// those, the token's own reason (a blocklist, say), by sending again to revert with it.
    function _revertUnpaid(address account, uint256 amount) private {
        ICompensationPool pool_ = ICompensationPool(_POOL);
        ICompensationPool.Incident memory round = pool_.getIncident(_INCIDENT_ID);
        if (round.status != ICompensationPool.IncidentStatus.Open) {
            revert ICompensationPool.CompensationPoolIncidentNotOpen(_INCIDENT_ID, round.status);
        }
        if (pool_.paused()) revert ICompensationPool.CompensationPoolEnforcedPause();
        if (amount > _TOKEN.balanceOf(address(this))) {
            revert ICompensationPool.CompensationPoolIncidentOverdrawn(
                _INCIDENT_ID,
                round.claimed,
                amount,
                round.total
            );
        }
        _TOKEN.safeTransfer(account, amount);
    }

    /// @dev The root that `proof` leads to from the StandardMerkleTree leaf
    /// `keccak256(bytes.concat(keccak256(abi.encode(index, account, amount))))`, hashing pairs in
    /// sorted order as OpenZeppelin's `MerkleProof.processProofCalldata` does (the tests check both
    /// agree). In assembly because it runs on every claim: the scratch space holds each pair, so
    /// nothing is allocated.
    function _rootOf(
        uint256 index,
        address account,
        uint256 amount,
        bytes32[] calldata proof
    ) private pure returns (bytes32 node) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            // abi.encode(index, account, amount) in the free memory, which is left as it was.
            let free := mload(0x40)
            mstore(free, index)
            mstore(add(free, 0x20), account)
            mstore(add(free, 0x40), amount)
            mstore(0x00, keccak256(free, 0x60))
            node := keccak256(0x00, 0x20)
            let end := add(proof.offset, shl(5, proof.length))
            for {
                let p := proof.offset
            } lt(p, end) {
                p := add(p, 0x20)
            } {
                let sibling := calldataload(p)
                // The smaller of the two goes first: node at 0x20 when it is the larger.
                let at := shl(5, gt(node, sibling))
                mstore(at, node)
                mstore(xor(at, 0x20), sibling)
                node := keccak256(0x00, 0x40)
            }
        }
    }
}
