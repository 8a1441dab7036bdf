/**
 * The desk's pure parts (no browser needed): the queue's live countdown and filters, and the
 * pool's refusals in words, decoded from real revert data with the pool's ABI.
 */
import { expect } from "chai";
import { ContractFunctionRevertedError, encodeErrorResult, parseUnits } from "viem";

import { CompensationPoolAbi } from "../../common/abis/CompensationPool.js";
import type { DeskAssignment, QueueItem } from "../../web/src/api.js";
import { NO_FILTERS, atRisk, live, queueQuery, readPages, visible } from "../../web/src/desk/queue.js";
import { refusalOf, refusalText } from "../../web/src/desk/refusals.js";
import { deskText } from "../../web/src/desk/text.js";

const ME = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const OTHER = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";

function item(id: number, deadline: number, over: Partial<QueueItem> = {}): QueueItem {
  return {
    id: String(id),
    claimant: OTHER,
    kind: "MissingReward",
    status: "Submitted",
    tier: 0,
    amountRequested: "1",
    amountApproved: "0",
    submittedAt: 0,
    deadlineKind: "response",
    deadline,
    secondsLeft: deadline,
    state: "on-track",
    updatedBlock: 1,
    standby: null,
    credits: { noResponse: "0", resolution: "0", due: [] },
    ...over,
  };
}
const held = (id: number, assessor: string): DeskAssignment => ({ claimId: String(id), assessor, takenAt: 0 });

/** What the pool would revert with: the error's ABI encoding, decoded as a simulated call sees it. */
function reverted(errorName: string, args: readonly unknown[]) {
  const data = encodeErrorResult({ abi: CompensationPoolAbi, errorName, args } as never);
  return new ContractFunctionRevertedError({ abi: CompensationPoolAbi, data, functionName: "approveClaim" });
}

describe("web page desk", function () {
  it("counts down from the service's clock and turns a passed deadline breached, but never a payout's delay", function () {
    expect(live(item(1, 100, { state: "at-risk" }), 40)).to.include({ left: 60, live: "at-risk" });
    expect(live(item(1, 100), 100)).to.include({ left: 0, live: "breached" });
    expect(live(item(1, 100, { deadlineKind: "payable" }), 130)).to.include({ left: -30, live: "on-track" });
    expect(atRisk([item(1, 100, { state: "at-risk" }), item(2, 50, { state: "at-risk" }), item(3, 500)], 60)).to.equal(
      1,
    );
  });

  it("filters by kind, tier, missed deadline and assignment, nearest deadline first", function () {
    const queue = [
      item(1, 300, { tier: 1 }),
      item(2, 100, { kind: "DataApiOutage" }),
      item(3, 200),
      item(4, 50, { tier: 1 }),
    ];
    const ids = (f: Partial<typeof NO_FILTERS>, mine = [held(3, ME.toLowerCase()), held(1, OTHER)]) =>
      visible(queue, mine, { ...NO_FILTERS, ...f }, ME, 75).map((i) => i.id);
    expect(ids({})).to.deep.equal(["4", "2", "3", "1"]);
    expect(ids({ kind: "DataApiOutage" })).to.deep.equal(["2"]);
    expect(ids({ tier: 1 })).to.deep.equal(["4", "1"]);
    expect(ids({ deadline: "breached" })).to.deep.equal(["4"]);
    expect(ids({ deadline: "open" })).to.deep.equal(["2", "3", "1"]);
    expect(ids({ assigned: "mine" })).to.deep.equal(["3"]);
    expect(ids({ assigned: "unassigned" })).to.deep.equal(["4", "2"]);
  });

  it("asks the service to filter the whole queue by kind, tier and missed deadline, not assignment", function () {
    expect(queueQuery(NO_FILTERS)).to.deep.equal({});
    expect(queueQuery({ kind: "DataApiOutage", tier: 0, deadline: "breached", assigned: "mine" })).to.deep.equal({
      kind: "DataApiOutage",
      tier: "0",
      breached: "true",
    });
    expect(queueQuery({ ...NO_FILTERS, deadline: "open" })).to.deep.equal({ breached: "false" });
  });

  it("reads the queue's pages by cursor up to the pages opened, and says whether more wait", async function () {
    const all = [1, 2, 3, 4, 5].map((n) => item(n, n * 10));
    const asked: (string | undefined)[] = [];
    // A service with pages of two, cursors naming the next offset.
    const read = async (cursor: string | undefined) => {
      asked.push(cursor);
      const from = cursor === undefined ? 0 : Number(cursor);
      const to = from + 2;
      return { items: all.slice(from, to), now: 100 + from, nextCursor: to < all.length ? String(to) : null };
    };
    const one = await readPages(read, 1);
    expect(one.items.map((i) => i.id)).to.deep.equal(["1", "2"]);
    expect(one.more).to.equal(true);
    const two = await readPages(read, 2);
    expect(two.items.map((i) => i.id)).to.deep.equal(["1", "2", "3", "4"]);
    expect([two.more, two.now]).to.deep.equal([true, 102]);
    asked.length = 0;
    const everything = await readPages(read, 9);
    expect(everything.items.map((i) => i.id)).to.deep.equal(["1", "2", "3", "4", "5"]);
    expect(everything.more).to.equal(false);
    // It stops at the last page instead of asking past it.
    expect(asked).to.deep.equal([undefined, "2", "4"]);
  });

  it("says why the pool would refuse a decision, in the reader's language", function () {
    const C = (n: string) => parseUnits(n, 18);
    const words = (e: unknown, lang: "en" | "es" = "en") => refusalText(refusalOf(e)!, lang);
    expect(words(reverted("CompensationPoolBudgetExceeded", [C("49000"), C("2000"), C("50000")]))).to.equal(
      "The day's approval budget is used up: 49000 C of 50000 C approved in the last 24 h, and this needs 2000 C.",
    );
    expect(words(reverted("CompensationPoolAmountAboveCap", [C("12000"), C("10000")]))).to.equal(
      "Over the per-claim cap: 12000 C is more than the 10000 C one claim may get.",
    );
    expect(words(reverted("CompensationPoolEnforcedPause", []))).to.equal(
      "The pool is paused by a guardian: no claim moves until it resumes.",
    );
    // ClaimStatus 6 = Rejected, named with the page's stage text.
    expect(words(reverted("CompensationPoolInvalidClaimStatus", [7n, 6]))).to.equal(
      "Wrong status: claim #7 is “Closed: the request was rejected” now, so this step does not apply.",
    );
    expect(words(reverted("CompensationPoolEnforcedPause", []), "es")).to.equal(deskText("errPaused", "es"));
    expect(refusalOf(new Error("network down"))).to.equal(undefined);
  });
});
