/**
 * The page's station-role check (web/src/roles.ts): which roles it asks the pool about, that the
 * loader and the form it loads share one read per account, and that a failed read is asked again.
 */
import { expect } from "chai";
import { type Address, keccak256, toHex, zeroHash } from "viem";

import type { Context } from "../../web/src/context.js";
import { holdsStationRole } from "../../web/src/roles.js";

const POOL = "0x00000000000000000000000000000000000000a1" as Address;
const ASSESSOR_ROLE = keccak256(toHex("ASSESSOR_ROLE"));
const GUARDIAN_ROLE = keccak256(toHex("GUARDIAN_ROLE"));

/** A page context whose chain answers `hasRole` from `roles` (account → roles held), counting reads. */
function pageWith(roles: Record<string, string[]>, fail?: { left: number }) {
  const reads: Array<{ role: string; account: string }> = [];
  const ctx = {
    config: { addresses: { pool: POOL } },
    chain: {
      need: () => POOL,
      reader: () => ({
        async readContract(call: { address: Address; functionName: string; args: [string, Address] }) {
          expect(call.address).to.equal(POOL);
          expect(call.functionName).to.equal("hasRole");
          const [role, account] = call.args;
          reads.push({ role, account });
          if (fail !== undefined && fail.left > 0) {
            fail.left--;
            throw new Error("rpc down");
          }
          return (roles[account.toLowerCase()] ?? []).includes(role);
        },
      }),
    },
  } as unknown as Context;
  return { ctx, reads };
}

/** A fresh account per test: answers are kept per account for the module's life. */
let next = 1;
const account = () => `0x${(0xbeef0000 + next++).toString(16).padStart(40, "0")}` as Address;

describe("the page's station-role check", function () {
  it("finds the admin, assessor and guardian roles, and nothing for a claimant or no account", async function () {
    const [admin, assessor, guardian, claimant] = [account(), account(), account(), account()];
    const { ctx } = pageWith({
      [admin.toLowerCase()]: [zeroHash],
      [assessor.toLowerCase()]: [ASSESSOR_ROLE],
      [guardian.toLowerCase()]: [GUARDIAN_ROLE],
    });
    expect(await holdsStationRole(ctx, admin)).to.equal(true);
    expect(await holdsStationRole(ctx, assessor)).to.equal(true);
    expect(await holdsStationRole(ctx, guardian)).to.equal(true);
    expect(await holdsStationRole(ctx, claimant)).to.equal(false);
    expect(await holdsStationRole(ctx, undefined)).to.equal(false);
  });

  it("reads the chain once per account, however many parts of the page ask", async function () {
    const assessor = account();
    const { ctx, reads } = pageWith({ [assessor.toLowerCase()]: [ASSESSOR_ROLE] });
    const answers = await Promise.all([
      holdsStationRole(ctx, assessor),
      holdsStationRole(ctx, assessor.toLowerCase() as Address),
    ]);
    expect(answers).to.deep.equal([true, true]);
    expect(await holdsStationRole(ctx, assessor)).to.equal(true);
    expect(reads.map((r) => r.role).sort()).to.deep.equal([zeroHash, ASSESSOR_ROLE, GUARDIAN_ROLE].sort());
  });

  it("answers no while the chain cannot be read, and asks again next time", async function () {
    const guardian = account();
    const { ctx, reads } = pageWith({ [guardian.toLowerCase()]: [GUARDIAN_ROLE] }, { left: 1 });
    expect(await holdsStationRole(ctx, guardian)).to.equal(false);
    expect(await holdsStationRole(ctx, guardian)).to.equal(true);
    expect(reads).to.have.length(6);
  });

  it("answers no without a read when the page knows no pool", async function () {
    const { ctx, reads } = pageWith({});
    (ctx.config.addresses as { pool?: Address }).pool = undefined;
    expect(await holdsStationRole(ctx, account())).to.equal(false);
    expect(reads).to.have.length(0);
  });
});
