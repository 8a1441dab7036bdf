/**
 * One decoding of a contract's refusal (common/reverts.ts), read by the CLI (its signature with
 * values), the desk and the wallet's words: a custom error of any station contract, however viem
 * wraps it; anything else is no revert.
 */
import { expect } from "chai";
import {
  BaseError,
  ContractFunctionExecutionError,
  ContractFunctionRevertedError,
  encodeErrorResult,
  parseUnits,
} from "viem";

import { STATION_ERRORS_ABI, revertOf, revertSignature } from "../../common/reverts.js";
import { describeError } from "../../cli/lib/station-client.js";

function reverted(errorName: string, args: readonly unknown[]) {
  const data = encodeErrorResult({ abi: STATION_ERRORS_ABI, errorName, args } as never);
  return new ContractFunctionRevertedError({ abi: STATION_ERRORS_ABI, data, functionName: "approveClaim" });
}

describe("common/reverts.ts", function () {
  it("decodes a custom error of the pool, staking or a token, with its arguments' names", function () {
    const cap = revertOf(
      reverted("CompensationPoolAmountAboveCap", [parseUnits("12000", 18), parseUnits("10000", 18)]),
    );
    expect(cap?.errorName).to.equal("CompensationPoolAmountAboveCap");
    expect(cap?.args).to.deep.equal([parseUnits("12000", 18), parseUnits("10000", 18)]);
    expect(cap?.names).to.have.length(2);
    expect(revertSignature(revertOf(reverted("CStakingInsufficientStake", [5n, 7n]))!)).to.equal(
      "CStakingInsufficientStake(staked: 5, requested: 7)",
    );
    const balance = reverted("ERC20InsufficientBalance", ["0x70997970C51812dc3A010C7d01b50e0d17dc79C8", 1n, 2n]);
    expect(revertSignature(revertOf(balance)!)).to.equal(
      "ERC20InsufficientBalance(sender: 0x70997970C51812dc3A010C7d01b50e0d17dc79C8, balance: 1, needed: 2)",
    );
  });

  it("finds the revert however viem wraps it, and says the same through the CLI", function () {
    const inner = reverted("CompensationPoolEnforcedPause", []);
    const wrapped = new ContractFunctionExecutionError(inner, {
      abi: STATION_ERRORS_ABI,
      functionName: "approveClaim",
    });
    expect(revertOf(wrapped)?.errorName).to.equal("CompensationPoolEnforcedPause");
    expect(describeError(wrapped)).to.equal("reverted: CompensationPoolEnforcedPause()");
  });

  it("is no revert for other failures", function () {
    expect(revertOf(new Error("network down"))).to.equal(undefined);
    expect(revertOf(new BaseError("timeout"))).to.equal(undefined);
    expect(revertOf("nope")).to.equal(undefined);
  });
});
