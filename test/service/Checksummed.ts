import { expect } from "chai";
import fc from "fast-check";
import { getAddress } from "viem";

import { checksummed } from "../../service/src/http/address.js";

describe("checksummed addresses", function () {
  it("gives viem's checksum for any case of any address, first time and remembered", function () {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 20, maxLength: 20 }), fc.boolean(), (bytes, upper) => {
        const hex = `0x${Buffer.from(bytes).toString("hex")}`;
        const input = upper ? `0x${hex.slice(2).toUpperCase()}` : hex;
        expect(checksummed(input)).to.equal(getAddress(hex));
        expect(checksummed(hex.toLowerCase())).to.equal(getAddress(hex));
      }),
      { numRuns: 300, seed: 0x5eed },
    );
  });

  it("refuses what viem refuses, and remembers nothing for it", function () {
    for (const bad of ["0x1234", "not an address", "0x" + "g".repeat(40)]) {
      expect(() => checksummed(bad)).to.throw();
      expect(() => checksummed(bad)).to.throw();
    }
  });
});
