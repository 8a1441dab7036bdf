// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @notice Test-only EIP-1271 smart wallet: a signature is valid when its owner key signed the
/// hash, unless the wallet has been told to refuse everything. Never deploy to a real network.
contract PoolERC1271Wallet is IERC1271 {
    address private immutable _OWNER;
    bool private _refuseAll;

    event RefuseAllSet(bool refuseAll);

    constructor(address owner_) {
        _OWNER = owner_;
    }

    function setRefuseAll(bool refuseAll) external {
        _refuseAll = refuseAll;
        emit RefuseAllSet(refuseAll);
    }

    function owner() external view returns (address) {
        return _OWNER;
    }

    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        (address recovered, ECDSA.RecoverError err, ) = ECDSA.tryRecoverCalldata(hash, signature);
        if (!_refuseAll && err == ECDSA.RecoverError.NoError && recovered == _OWNER) {
            return IERC1271.isValidSignature.selector;
        }
        return 0xffffffff;
    }
}
