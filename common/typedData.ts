/**
 * The EIP-712 domain and types under which CompensationPool checks a signed claim request
 * (`submitClaimWithSig`). The one definition shared by the relayer, the web page, the CLI, the
 * tests and the gas benchmark; dependency-free so the page can bundle it. The pool's own tests
 * check it against the contract's `hashClaimRequest` and `eip712Domain()`.
 */
export const CLAIM_DOMAIN = { name: "EmergencyStation CompensationPool", version: "1" } as const;

export const CLAIM_REQUEST_TYPES = {
  ClaimRequest: [
    { name: "claimant", type: "address" },
    { name: "kind", type: "uint8" },
    { name: "amount", type: "uint256" },
    { name: "evidenceHash", type: "bytes32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

/** The full domain for one pool on one chain. */
export function claimDomain<Id extends number | bigint, A extends string>(chainId: Id, verifyingContract: A) {
  return { ...CLAIM_DOMAIN, chainId, verifyingContract };
}
