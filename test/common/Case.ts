/**
 * The case conversation's encoding and verifier (common/case.ts), without a chain: an encoder
 * written here from RFC 8785 and keccak-256 alone agrees with the shared one; malformed records
 * are refused by field; and `verifyBundle` passes a real bundle (SIWE delegations signed by
 * wallets, records signed by session keys) and fails every kind of tampering with its own words.
 */
import { keccak_256 } from "@noble/hashes/sha3.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { expect } from "chai";
import { type Address, type Hex, verifyMessage } from "viem";
import { type PrivateKeyAccount, generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";

import {
  type BundleAnchor,
  type CaseBundle,
  CaseEncodingError,
  type CaseMessage,
  type CaseRating,
  type ChainView,
  type OpeningStatement,
  BUNDLE_FORMAT,
  CASE_ENCODING,
  LIMITS,
  canonicalJson,
  contactCommitment,
  messageHash,
  normalizeMessage,
  normalizeOpening,
  normalizeRating,
  openingHash,
  ratingHash,
  sessionKeyResource,
  verifyBundle,
} from "../../common/case.js";

// ─── An independent encoder: RFC 8785 for plain JSON objects, keccak-256 over UTF-8 ─────────

/** JCS for objects of strings, safe integers, booleans, null and arrays (all a case record holds). */
function jcs(value: unknown): string {
  if (value === null || typeof value === "boolean") return String(value);
  // ES number serialization (RFC 8785 §3.2.2.3) is JSON.stringify's for finite numbers.
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error("not JSON");
    return JSON.stringify(value);
  }
  // JSON.stringify escapes exactly ", \ and U+0000..U+001F (short forms where they exist), as §3.2.2.2 asks.
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(jcs).join(",")}]`;
  if (typeof value === "object") {
    // §3.2.3: members sorted by their names' UTF-16 code units — the default sort order of JS strings.
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${jcs(v)}`).join(",")}}`;
  }
  throw new Error(`not JSON: ${typeof value}`);
}
const independentHash = (record: object): Hex => `0x${bytesToHex(keccak_256(new TextEncoder().encode(jcs(record))))}`;

// ─── Fixtures ──────────────────────────────────────────────────────────────────────────────

const CHAIN_ID = 31337;
const POOL = "0x5fbdb2315678afecb367f032d93f642f64180aa3" as Address;
const T0 = 1_750_000_000;
const DAY = 86_400;
const CLAIM_ID = "7";
const hex32 = (byte: string): Hex => `0x${byte.repeat(32)}`;

// Fixed keys, so a failure reproduces: wallets delegate session keys, session keys sign records.
const claimantWallet = privateKeyToAccount(hex32("11"));
const assessorWallet = privateKeyToAccount(hex32("22"));
const claimantSession = privateKeyToAccount(hex32("33"));
const assessorSession = privateKeyToAccount(hex32("44"));
const lower = (a: Address) => a.toLowerCase() as Address;

function opening(overrides: Partial<OpeningStatement> = {}): OpeningStatement {
  return {
    encoding: CASE_ENCODING,
    type: "opening",
    chainId: CHAIN_ID,
    pool: POOL,
    claimant: lower(claimantWallet.address),
    kind: "DataApiOutage",
    text: "The data API returned 503 for two hours; my rewards job missed its window.",
    channel: "callback",
    contact: contactCommitment(hex32("ab"), "@alice:matrix.org"),
    attachments: [
      { kind: "file", sha256: hex32("cd"), type: "image/png", size: 1234, name: "screenshot.png" },
      { kind: "tx", hash: hex32("ef") },
      { kind: "link", url: "https://status.example.org/incidents/42" },
    ],
    origin: null,
    salt: hex32("5a"),
    ...overrides,
  };
}

function message(overrides: Partial<CaseMessage> = {}): CaseMessage {
  return {
    encoding: CASE_ENCODING,
    type: "message",
    chainId: CHAIN_ID,
    pool: POOL,
    claimId: CLAIM_ID,
    seq: 1,
    prev: hex32("01"),
    author: lower(claimantWallet.address),
    role: "claimant",
    action: null,
    text: "Here is the job's log.",
    attachments: [],
    article: null,
    at: T0 + 60,
    ...overrides,
  };
}

function rating(overrides: Partial<CaseRating> = {}): CaseRating {
  return {
    encoding: CASE_ENCODING,
    type: "rating",
    chainId: CHAIN_ID,
    pool: POOL,
    claimId: CLAIM_ID,
    author: lower(claimantWallet.address),
    stars: 5,
    comment: "Quick and clear.",
    at: T0 + 3 * 3600,
    ...overrides,
  };
}

/** A wallet's SIWE sign-in that delegates `session`, valid for a day from T0. */
async function delegate(wallet: PrivateKeyAccount, session: Address, chainId = CHAIN_ID, signer = wallet) {
  const siwe = createSiweMessage({
    domain: "station.example.org",
    address: wallet.address,
    statement: "Sign in to Emergency Station.",
    uri: "https://station.example.org",
    version: "1",
    chainId,
    nonce: "casetest0001",
    issuedAt: new Date(T0 * 1000),
    expirationTime: new Date((T0 + DAY) * 1000),
    resources: [sessionKeyResource(session)],
  });
  return { message: siwe, signature: await signer.signMessage({ message: siwe }) };
}

const signRecord = (key: PrivateKeyAccount, hash: Hex) => key.signMessage({ message: { raw: hash } });

type Draft = { by: "claimant" | "assessor"; action: CaseMessage["action"]; text: string; at: number };

/** The conversation: claimant, assessor accepts, claimant (in Chinese, with emoji), assessor investigates. */
const DRAFTS: Draft[] = [
  { by: "claimant", action: null, text: "Here is the job's log.", at: T0 + 60 },
  { by: "assessor", action: "accept", text: "Accepted: we see the outage on our side too.", at: T0 + 600 },
  { by: "claimant", action: null, text: "谢谢！数据接口确实中断了 🚨🙏", at: T0 + 900 },
  { by: "assessor", action: "investigate", text: "", at: T0 + 1200 },
];

/**
 * A complete, honest bundle and the chain it matches. `at` overrides a message's time (seq → unix),
 * before it is signed: the records stay a consistent, correctly signed hash chain.
 */
async function honestCase(options: { at?: Record<number, number> } = {}) {
  const statement = opening();
  const openingH = openingHash(statement);
  const delegations = [
    await delegate(claimantWallet, claimantSession.address),
    await delegate(assessorWallet, assessorSession.address),
  ];
  const messages: CaseBundle["messages"] = [];
  let prev = openingH;
  for (const [i, d] of DRAFTS.entries()) {
    const seq = i + 1;
    const m = message({
      seq,
      prev,
      author: lower(d.by === "claimant" ? claimantWallet.address : assessorWallet.address),
      role: d.by,
      action: d.action,
      text: d.text,
      at: options.at?.[seq] ?? d.at,
      attachments: seq === 3 ? [{ kind: "link", url: "https://example.org/日志" }] : [],
    });
    const hash = messageHash(m);
    const key = d.by === "claimant" ? claimantSession : assessorSession;
    messages.push({
      hash,
      message: m,
      signature: await signRecord(key, hash),
      delegation: d.by === "claimant" ? 0 : 1,
    });
    prev = hash;
  }
  const r = rating();
  const rHash = ratingHash(r);
  const anchors: BundleAnchor[] = [
    { status: "Submitted", actor: claimantWallet.address, noteHash: openingH, txHash: hex32("a1"), blockNumber: "10" },
    {
      status: "Accepted",
      actor: assessorWallet.address,
      noteHash: messages[1]!.hash,
      txHash: hex32("a2"),
      blockNumber: "11",
    },
    {
      status: "Investigating",
      actor: assessorWallet.address,
      noteHash: messages[3]!.hash,
      txHash: hex32("a3"),
      blockNumber: "12",
    },
  ];
  const bundle: CaseBundle = {
    format: BUNDLE_FORMAT,
    chainId: CHAIN_ID,
    pool: POOL,
    claimId: CLAIM_ID,
    fromBlock: "10",
    opening: { hash: openingH, statement },
    delegations,
    messages,
    rating: { hash: rHash, rating: r, signature: await signRecord(claimantSession, rHash), delegation: 0 },
    anchors,
    exportedAt: T0 + DAY,
  };
  const chain = {
    chainId: CHAIN_ID,
    claimant: claimantWallet.address,
    evidenceHash: openingH,
    transitions: anchors.map(({ blockNumber: _, ...t }) => t),
  };
  return { bundle, chain };
}

type FakeChain = Awaited<ReturnType<typeof honestCase>>["chain"];

/** The chain as the verifier sees it, from memory; wallet signatures checked as EOA signatures. */
function chainView(c: FakeChain): ChainView {
  return {
    chainId: async () => c.chainId,
    claim: async (claimId) =>
      claimId === BigInt(CLAIM_ID) ? { claimant: c.claimant, evidenceHash: c.evidenceHash } : undefined,
    transitions: async (claimId) => (claimId === BigInt(CLAIM_ID) ? c.transitions : []),
    verifyWallet: ({ address, message, signature }) => verifyMessage({ address, message, signature }),
  };
}

const copy = <T>(v: T): T => structuredClone(v);

// ─── Tests ─────────────────────────────────────────────────────────────────────────────────

describe("case encoding (common/case.ts)", function () {
  describe("hashes", function () {
    const records: [string, object, (r: unknown) => Hex][] = [
      ["an opening statement with every kind of attachment", opening(), openingHash],
      [
        "an opening statement without contact, with an origin",
        opening({ contact: null, channel: "text", attachments: [], origin: lower(assessorWallet.address) }),
        openingHash,
      ],
      [
        "an opening statement in Chinese with emoji",
        opening({ text: "数据接口中断两小时，奖励任务错过了窗口 😞🚨", kind: "Other" }),
        openingHash,
      ],
      ["a claimant's message", message(), messageHash],
      [
        "an assessor's note with an empty text",
        message({ role: "assessor", author: lower(assessorWallet.address), action: "reject", text: "" }),
        messageHash,
      ],
      [
        "a message with an article, quotes, backslashes and control characters",
        message({ text: 'He said "no"\\ then\n\tleft\u0001.', article: "refund-timeline" }),
        messageHash,
      ],
      ["a message of emoji only (outside the BMP)", message({ text: "👍🏽🚀🇮🇩" }), messageHash],
      ["a rating", rating(), ratingHash],
      [
        "a rating with a Spanish and Chinese comment",
        rating({ stars: 3, comment: "Rápido, pero 有点慢 ☕" }),
        ratingHash,
      ],
    ];
    for (const [name, record, hash] of records) {
      it(`agrees with an independent RFC 8785 + keccak-256 encoder on ${name}`, function () {
        expect(hash(record)).to.equal(independentHash(record));
        expect(canonicalJson(record as OpeningStatement)).to.equal(jcs(record));
      });
    }

    it("writes a record's canonical JSON as RFC 8785 spells it: sorted keys, no whitespace, UTF-8 text as is", function () {
      expect(canonicalJson(rating({ comment: "好 👍", stars: 4 }))).to.equal(
        `{"at":${T0 + 3 * 3600},"author":"${lower(claimantWallet.address)}","chainId":31337,"claimId":"7",` +
          `"comment":"好 👍","encoding":"emergency-station/case/v1","pool":"${POOL}","stars":4,"type":"rating"}`,
      );
    });

    it("hashes any spelling of one record alike: checksummed addresses, upper-case hex, decomposed text", function () {
      const canonical = opening({ text: "Café ☕" });
      const spelled = {
        ...canonical,
        claimant: claimantWallet.address,
        pool: POOL.toUpperCase().replace("0X", "0x"),
        salt: canonical.salt.toUpperCase().replace("0X", "0x"),
        text: "Cafe\u0301 ☕",
      };
      expect(spelled.text).to.not.equal(canonical.text);
      expect(openingHash(spelled)).to.equal(independentHash(canonical));
    });

    it("changes the hash with any one field", function () {
      const base = messageHash(message());
      expect(messageHash(message({ text: "Here is the job's log!" }))).to.not.equal(base);
      expect(messageHash(message({ seq: 2 }))).to.not.equal(base);
      expect(messageHash(message({ at: T0 + 61 }))).to.not.equal(base);
      expect(openingHash(opening({ salt: hex32("5b") }))).to.not.equal(openingHash(opening()));
    });
  });

  describe("normalize*", function () {
    function refuses(f: () => unknown, field: string) {
      let error: unknown;
      try {
        f();
      } catch (e) {
        error = e;
      }
      expect(error, `expected CaseEncodingError on ${field}`).to.be.instanceOf(CaseEncodingError);
      expect((error as CaseEncodingError).field).to.equal(field);
    }
    const link = (url: string) => ({ kind: "link" as const, url });

    it("refuses an empty or blank text", function () {
      refuses(() => normalizeOpening(opening({ text: "" })), "text");
      refuses(() => normalizeOpening(opening({ text: " \n\t " })), "text");
      refuses(() => normalizeMessage(message({ text: "  " })), "text");
    });

    it("refuses a text above the limit, counted in characters (an emoji is one)", function () {
      refuses(() => normalizeOpening(opening({ text: "a".repeat(LIMITS.textChars + 1) })), "text");
      refuses(() => normalizeMessage(message({ text: "数".repeat(LIMITS.textChars + 1) })), "text");
      expect(normalizeMessage(message({ text: "🚨".repeat(LIMITS.textChars) })).text).to.have.length(
        2 * LIMITS.textChars,
      );
      refuses(() => normalizeRating(rating({ comment: "x".repeat(LIMITS.ratingCommentChars + 1) })), "comment");
    });

    it("refuses an unknown field", function () {
      refuses(() => normalizeOpening({ ...opening(), note: "hi" }), "statement");
      refuses(() => normalizeMessage({ ...message(), signature: "0x" }), "message");
      refuses(() => normalizeRating({ ...rating(), tip: 1 }), "rating");
      refuses(
        () => normalizeOpening(opening({ attachments: [{ ...link("https://a.example"), title: "x" } as never] })),
        "attachments[0]",
      );
    });

    it("refuses a bad address", function () {
      refuses(() => normalizeOpening(opening({ claimant: "0x1234" as Address })), "claimant");
      refuses(() => normalizeOpening(opening({ origin: "alice.eth" as Address })), "origin");
      refuses(() => normalizeMessage(message({ author: `${claimantWallet.address}00` as Address })), "author");
      refuses(() => normalizeRating(rating({ pool: "0xZZ5fbdb2315678afecb367f032d93f642f6418" as Address })), "pool");
    });

    it("refuses a claimant's message that carries an action", function () {
      refuses(() => normalizeMessage(message({ role: "claimant", action: "approve" })), "action");
      refuses(() => normalizeMessage(message({ role: "assessor", action: "pay" as never })), "action");
    });

    it("refuses more than five attachments", function () {
      const six = Array.from({ length: LIMITS.attachmentsPerRecord + 1 }, (_, i) => link(`https://example.org/${i}`));
      refuses(() => normalizeOpening(opening({ attachments: six })), "attachments");
      refuses(() => normalizeMessage(message({ attachments: six })), "attachments");
      expect(normalizeMessage(message({ attachments: six.slice(1) })).attachments).to.have.length(5);
    });

    it("refuses a link that is not http(s)", function () {
      refuses(() => normalizeOpening(opening({ attachments: [link("javascript:alert(1)")] })), "attachments[0].url");
      refuses(() => normalizeMessage(message({ attachments: [link("ftp://example.org/x")] })), "attachments[0].url");
      refuses(() => normalizeMessage(message({ attachments: [link("not a url")] })), "attachments[0].url");
    });

    it("refuses a wrong encoding, type or claim id", function () {
      refuses(() => normalizeOpening({ ...opening(), encoding: "v0" }), "encoding");
      refuses(() => normalizeOpening({ ...message() }), "statement");
      refuses(() => normalizeMessage(message({ claimId: "07" })), "claimId");
      refuses(() => normalizeRating(rating({ stars: 6 })), "stars");
    });
  });

  describe("verifyBundle", function () {
    it("passes the untouched bundle: every message matches the chain, the rating is valid", async function () {
      const { bundle, chain } = await honestCase();
      const report = await verifyBundle(bundle, chainView(chain));
      expect(report.problems).to.deep.equal([]);
      expect(report.ok).to.equal(true);
      expect(report.opening).to.equal("matches the chain");
      expect(report.messages.map((m) => m.state)).to.deep.equal(Array(4).fill("matches the chain"));
      expect(report.messages.map((m) => m.signedBy)).to.deep.equal(
        DRAFTS.map((d) => lower(d.by === "claimant" ? claimantWallet.address : assessorWallet.address)),
      );
      expect(report.rating).to.equal("valid");
    });

    it("says a message after the last note is signed but not anchored", async function () {
      const { bundle, chain } = await honestCase();
      chain.transitions = chain.transitions.slice(0, 2);
      const report = await verifyBundle(bundle, chainView(chain));
      expect(report.ok, report.problems.join("; ")).to.equal(true);
      expect(report.messages.map((m) => m.state)).to.deep.equal([
        "matches the chain",
        "matches the chain",
        "not anchored",
        "not anchored",
      ]);
    });

    /** Runs the verifier on a tampered copy; returns its problems (and asserts it failed). */
    async function tampered(tamper: (b: CaseBundle, c: FakeChain) => void | Promise<void>, options = {}) {
      const honest = await honestCase(options);
      const bundle = copy(honest.bundle);
      const chain = copy(honest.chain);
      await tamper(bundle, chain);
      const report = await verifyBundle(bundle, chainView(chain));
      expect(report.ok).to.equal(false);
      return report;
    }
    const m = (b: CaseBundle, seq: number) => b.messages[seq - 1]!.message!;

    it("fails an edited opening statement", async function () {
      const report = await tampered((b) => {
        b.opening.statement!.text = "The data API returned 503 for two days.";
      });
      expect(report.problems).to.deep.equal(["the opening statement does not hash to its stated hash (edited)"]);
      expect(report.opening).to.equal("mismatch");
    });

    it("fails an opening statement swapped with its hash for one the chain does not hold", async function () {
      const report = await tampered((b) => {
        b.opening.statement!.text = "Something else entirely.";
        b.opening.hash = openingHash(b.opening.statement);
      });
      expect(report.problems).to.include("the opening statement's hash is not the claim's evidenceHash on-chain");
      expect(report.problems).to.include(
        "message 1 does not follow the one before it (a message was dropped, edited or inserted)",
      );
    });

    it("fails an edited message", async function () {
      const report = await tampered((b) => {
        m(b, 3).text = "谢谢！数据接口没有中断。";
      });
      expect(report.problems).to.include("message 3 does not hash to its stated hash (edited)");
      expect(report.messages[2]!.state).to.equal("mismatch");
      expect(report.messages.filter((r) => r.state === "mismatch")).to.have.length(1);
    });

    it("fails an edited message whose hash was recomputed: its signature, the next link and the chain's note all break", async function () {
      const report = await tampered((b) => {
        m(b, 2).text = "Accepted: 1,000 C will be paid.";
        b.messages[1]!.hash = messageHash(m(b, 2));
      });
      expect(report.problems).to.include("message 2 is not signed by a session key its author's wallet delegated");
      expect(report.problems).to.include(
        "message 3 does not follow the one before it (a message was dropped, edited or inserted)",
      );
      expect(report.problems.some((p) => p.startsWith("the Accepted note on-chain"))).to.equal(true);
      expect(report.problems).to.not.include("message 2 does not hash to its stated hash (edited)");
    });

    it("fails a dropped message", async function () {
      const report = await tampered((b) => {
        b.messages.splice(2, 1);
      });
      expect(report.problems).to.include("message 3 says it is number 4 (a message was dropped or reordered)");
      expect(report.problems).to.include(
        "message 3 does not follow the one before it (a message was dropped, edited or inserted)",
      );
    });

    it("fails reordered messages", async function () {
      const report = await tampered((b) => {
        b.messages.reverse();
      });
      expect(report.problems).to.include("message 1 says it is number 4 (a message was dropped or reordered)");
      expect(report.problems).to.include("message 1 was anchored after a later message (out of order)");
    });

    it("fails an inserted message, even one its author really signed", async function () {
      const report = await tampered(async (b) => {
        const extra = message({ seq: 2, prev: b.messages[0]!.hash, text: "Also, please pay 10x.", at: T0 + 120 });
        const hash = messageHash(extra);
        b.messages.splice(1, 0, {
          hash,
          message: extra,
          signature: await signRecord(claimantSession, hash),
          delegation: 0,
        });
      });
      expect(report.problems).to.include("message 3 says it is number 2 (a message was dropped or reordered)");
      expect(report.problems).to.include(
        "message 3 does not follow the one before it (a message was dropped, edited or inserted)",
      );
      expect(report.messages[1]!.signedBy).to.equal(lower(claimantWallet.address));
    });

    it("fails a message signed by a key no wallet delegated", async function () {
      const report = await tampered(async (b) => {
        b.messages[0]!.signature = await signRecord(privateKeyToAccount(generatePrivateKey()), b.messages[0]!.hash);
      });
      expect(report.problems).to.deep.equal(["message 1 is not signed by a session key its author's wallet delegated"]);
      expect(report.messages[0]).to.include({ state: "mismatch", signedBy: null });
    });

    it("fails a message signed by the other party's session key", async function () {
      const report = await tampered(async (b) => {
        b.messages[0]!.signature = await signRecord(assessorSession, b.messages[0]!.hash);
        b.messages[0]!.delegation = 1;
      });
      expect(report.problems).to.deep.equal(["message 1 is not signed by a session key its author's wallet delegated"]);
    });

    it("fails a delegation signed by another wallet", async function () {
      const report = await tampered(async (b) => {
        b.delegations[0] = await delegate(claimantWallet, claimantSession.address, CHAIN_ID, assessorWallet);
      });
      expect(report.problems).to.include("message 1 is not signed by a session key its author's wallet delegated");
      expect(report.problems).to.include("message 3 is not signed by a session key its author's wallet delegated");
      expect(report.rating).to.equal("invalid");
    });

    it("fails a delegation made on another chain", async function () {
      const report = await tampered(async (b) => {
        b.delegations[1] = await delegate(assessorWallet, assessorSession.address, 1);
      });
      expect(report.problems).to.include("message 2 is not signed by a session key its author's wallet delegated");
      expect(report.problems).to.include("message 4 is not signed by a session key its author's wallet delegated");
    });

    it("fails a message dated outside its delegation's time window", async function () {
      const late = await tampered(() => {}, { at: { 3: T0 + DAY + 1 } });
      expect(late.problems).to.deep.equal(["message 3 is not signed by a session key its author's wallet delegated"]);
      const early = await tampered(() => {}, { at: { 1: T0 - 301 } });
      expect(early.problems).to.deep.equal(["message 1 is not signed by a session key its author's wallet delegated"]);
    });

    it("fails a bundle checked against another chain", async function () {
      const report = await tampered((_, c) => {
        c.chainId = 1;
      });
      expect(report.problems).to.deep.equal(["the bundle is for chain 31337, the RPC serves chain 1"]);
    });

    it("fails when a note on-chain matches no message", async function () {
      const stray = hex32("99");
      const report = await tampered((_, c) => {
        c.transitions.push({ status: "Approved", actor: assessorWallet.address, noteHash: stray, txHash: hex32("a4") });
      });
      expect(report.problems).to.deep.equal([
        `the Approved note on-chain (${stray}) is no message of this transcript (dropped or edited)`,
      ]);
    });

    it("fails a note sent on-chain by another actor than the message's author", async function () {
      const intruder = privateKeyToAccount(hex32("55")).address;
      const report = await tampered((_, c) => {
        c.transitions[1]!.actor = intruder;
      });
      expect(report.problems).to.deep.equal([
        `message 2 is by ${lower(assessorWallet.address)} but ${intruder} sent its transition`,
      ]);
      expect(report.messages[1]!.state).to.equal("mismatch");
    });

    it("fails a note recorded on another transition than its action", async function () {
      const report = await tampered((_, c) => {
        c.transitions[1]!.status = "Approved";
      });
      expect(report.problems).to.deep.equal(['message 2 is a note for "accept" but the chain recorded it on Approved']);
    });

    it("fails a forged rating", async function () {
      const edited = await tampered((b) => {
        b.rating!.rating!.stars = 1;
      });
      expect(edited.problems).to.deep.equal(["the rating is not the claimant's signed rating of this claim"]);
      expect(edited.rating).to.equal("invalid");
      const rehashed = await tampered((b) => {
        b.rating!.rating!.stars = 1;
        b.rating!.hash = ratingHash(b.rating!.rating);
      });
      expect(rehashed.rating).to.equal("invalid");
      const byAssessor = await tampered(async (b) => {
        const r = rating({ author: lower(assessorWallet.address), stars: 1 });
        const hash = ratingHash(r);
        b.rating = { hash, rating: r, signature: await signRecord(assessorSession, hash), delegation: 1 };
      });
      expect(byAssessor.rating).to.equal("invalid");
    });

    it("verifies an erased message and an erased opening by their hashes, and says so", async function () {
      const { bundle, chain } = await honestCase();
      bundle.messages[2] = { ...bundle.messages[2]!, message: null, erased: true };
      bundle.opening = { hash: bundle.opening.hash, statement: null, erased: true };
      bundle.rating = { ...bundle.rating!, rating: null, erased: true };
      const report = await verifyBundle(bundle, chainView(chain));
      expect(report.problems).to.deep.equal([]);
      expect(report.ok).to.equal(true);
      expect(report.opening).to.equal("erased");
      expect(report.messages.map((r) => r.state)).to.deep.equal([
        "matches the chain",
        "matches the chain",
        "erased",
        "matches the chain",
      ]);
      expect(report.rating).to.equal("erased");
    });

    it("does not let an erased record hide a dropped one", async function () {
      const report = await tampered((b) => {
        b.messages[2] = { ...b.messages[2]!, message: null, erased: true };
        b.messages.splice(1, 1);
      });
      expect(report.problems).to.include("message 3 says it is number 4 (a message was dropped or reordered)");
      expect(report.problems.some((p) => p.startsWith("the Accepted note on-chain"))).to.equal(true);
    });
  });
});
