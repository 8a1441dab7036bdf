/**
 * The conversation's pure parts (no browser needed): the Server-Sent Events the page reads with a
 * stream reader, and how a streamed message moves the view's `next`.
 */
import { expect } from "chai";

import { CASE_ENCODING, messageHash, normalizeMessage } from "../../common/case.js";
import { type CaseMessageItem, type CaseView, parseMessageItem, parseStreamedMessage } from "../../web/src/api.js";
import { parseSse, withMessage } from "../../web/src/caseStream.js";

const h = (n: number) => `0x${n.toString(16).padStart(64, "0")}` as const;

describe("web page conversation", function () {
  it("reads complete events, keeps the unfinished rest and skips keep-alive comments", function () {
    const first = parseSse(': keep-alive\n\nevent: message\ndata: {"seq":1}\n\nevent: transition\r\ndata: {"a"');
    expect(first.events).to.deep.equal([{ event: "message", data: '{"seq":1}' }]);
    expect(first.rest).to.equal('event: transition\ndata: {"a"');
    const second = parseSse(`${first.rest}:1}\n\ndata: a\ndata: b\n\n`);
    expect(second.events).to.deep.equal([
      { event: "transition", data: '{"a":1}' },
      { event: "message", data: "a\nb" },
    ]);
    expect(second.rest).to.equal("");
  });

  it("adds a streamed message once, in order, and moves next past the newest", function () {
    const item = (seq: number) => ({ seq, hash: h(seq) }) as CaseMessageItem;
    const view = { messages: [item(1)], next: { seq: 2, prev: h(1) } } as CaseView;
    const two = withMessage(withMessage(view, item(2)), item(2));
    expect(two.messages.map((m) => m.seq)).to.deep.equal([1, 2]);
    expect(two.next).to.deep.equal({ seq: 3, prev: h(2) });
    // A late event for an earlier message replaces it and leaves next alone.
    const again = withMessage(two, { ...item(1), anchor: "matches the chain" } as CaseMessageItem);
    expect(again.messages[0]!.anchor).to.equal("matches the chain");
    expect(again.next).to.deep.equal({ seq: 3, prev: h(2) });
  });

  describe("a message the service hands over", function () {
    const message = normalizeMessage({
      encoding: CASE_ENCODING,
      type: "message",
      chainId: 31337,
      pool: "0x5FC8d32690cc91D4c39d9d3abcBD16989F875707",
      claimId: "7",
      seq: 1,
      prev: h(1),
      author: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
      role: "assessor",
      action: "accept",
      text: "Accepted.",
      attachments: [],
      article: null,
      at: 1_800_000_000,
    });
    const item = {
      seq: 1,
      hash: messageHash(message),
      message,
      signature: `0x${"00".repeat(65)}`,
      erased: false,
      anchor: "matches the chain" as const,
      txHash: null,
      agent: null,
    };

    it("keeps the service's anchor state when the record hashes to its hash", function () {
      expect(parseMessageItem(item).anchor).to.equal("matches the chain");
      expect(parseStreamedMessage(JSON.stringify(item)).message).to.deep.equal(message);
    });

    it("shows an edited record as a mismatch whatever the service says", function () {
      const edited = { ...item, message: { ...message, text: "Rejected." } };
      expect(parseMessageItem(edited).anchor).to.equal("mismatch");
      expect(parseStreamedMessage(JSON.stringify(edited)).anchor).to.equal("mismatch");
      const malformed = parseMessageItem({ ...item, message: { ...message, role: "owner" } });
      expect(malformed).to.include({ anchor: "mismatch", message: null });
    });

    it("keeps a staff message's agent badge as streamed, and drops a malformed one", function () {
      const badged = { ...item, agent: { standing: "verified", roles: ["assessor", "owner"] } };
      expect(parseStreamedMessage(JSON.stringify(badged)).agent).to.deep.equal({
        standing: "verified",
        roles: ["assessor"],
      });
      for (const agent of [{ standing: "trust me", roles: [] }, { standing: "verified" }, "verified", 7]) {
        expect(parseStreamedMessage(JSON.stringify({ ...item, agent })).agent, JSON.stringify(agent)).to.equal(null);
      }
    });

    it("refuses a stream event that is no message", function () {
      expect(() => parseStreamedMessage(JSON.stringify({ seq: 1 }))).to.throw("not a message event");
      expect(() => parseStreamedMessage(JSON.stringify({ ...item, anchor: "trust me" }))).to.throw();
    });
  });
});
