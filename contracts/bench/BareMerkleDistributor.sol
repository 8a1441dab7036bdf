// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

/// @title BareMerkleDistributor
/// @notice Benchmark baseline only, never deployed: the least a Merkle airdrop can do per claim
/// (one proof check on the same StandardMerkleTree leaves as the pool's incident rounds, one
/// bitmap bit, one token transfer, one event), with none of the pool's round state (deadlines,
/// pause, challenge window, the cap on the round's total). `bench/gas/pool.ts` measures it beside
/// `CompensationPool.claimIncident` under the same conditions, so the pool's figure can be read
/// against the floor that the token transfer and the bitmap set.
contract BareMerkleDistributor {
    IERC20 private immutable _TOKEN;
    bytes32 private immutable _ROOT;
    mapping(uint256 word => uint256 bits) private _claimed;

    event Claimed(uint256 index, address account, uint256 amount);

    error AlreadyClaimed(uint256 index);
    error InvalidProof(uint256 index);
    error TransferFailed();

    constructor(IERC20 token, bytes32 root) {
        _TOKEN = token;
        _ROOT = root;
    }

    function claim(uint256 index, address account, uint256 amount, bytes32[] calldata proof) external {
        uint256 bits = _claimed[index >> 8];
        uint256 mask = 1 << (index & 0xff);
        if (bits & mask != 0) revert AlreadyClaimed(index);
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(index, account, amount))));
        if (!MerkleProof.verifyCalldata(proof, _ROOT, leaf)) revert InvalidProof(index);
        _claimed[index >> 8] = bits | mask;
        emit Claimed(index, account, amount);
        if (!_TOKEN.transfer(account, amount)) revert TransferFailed();
    }
}
