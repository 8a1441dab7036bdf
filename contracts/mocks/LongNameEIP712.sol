// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";

/// @notice Test only: OpenZeppelin's `EIP712` given the pool's 33-byte domain name. Deploying it
/// reverts with `StringTooLong` on the OpenZeppelin version installed (5.7.0 keeps names in
/// immutables only), which is why `CompensationPool` builds its domain itself. The test that
/// deploys it fails the day an OpenZeppelin upgrade accepts the name again.
contract LongNameEIP712 is EIP712 {
    constructor(string memory name) EIP712(name, "1") {}
}
