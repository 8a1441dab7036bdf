/**
 * The page's checks of what it reads from outside (no browser needed): wallet icons announced
 * through EIP-6963, the station's settings, and the incident round file a reader pastes.
 */
import { expect } from "chai";

import { LIMITS, contactCommitment, openingHash } from "../../common/case.js";
import { parseStationConfig } from "../../web/src/chain.js";
import { buildOpening, namedRefs } from "../../web/src/sections/emergency.js";
import { parseRound } from "../../web/src/sections/incident.js";
import { safeIcon } from "../../web/src/wallet.js";

const POOL = "0x5FC8d32690cc91D4c39d9d3abcBD16989F875707";
const USER = "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc";

describe("web page inputs", function () {
  describe("wallet icons", function () {
    it("keeps PNG, JPEG, WebP and SVG data URIs", function () {
      for (const icon of [
        "data:image/png;base64,iVBORw0KGgo=",
        "data:image/jpeg;base64,/9j/4AAQ",
        "data:image/webp;base64,UklGRg==",
        "data:image/svg+xml;base64,PHN2Zy8+",
        "data:image/svg+xml,%3Csvg%2F%3E",
      ]) {
        expect(safeIcon(icon), icon).to.equal(icon);
      }
    });

    it("drops remote URLs, other types, scripts and oversized icons", function () {
      for (const icon of [
        "https://wallet.example/icon.png",
        "javascript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "data:image/gif;base64,R0lGOD",
        "data:image/svg",
        " data:image/png;base64,iVBORw0KGgo=",
        `data:image/png;base64,${"A".repeat(262_144)}`,
        undefined,
        42,
      ]) {
        expect(safeIcon(icon), String(icon).slice(0, 40)).to.equal(undefined);
      }
    });
  });

  describe("station settings", function () {
    const good = {
      chainId: 31337,
      rpcUrl: "http://127.0.0.1:8545",
      addresses: { pool: POOL.toLowerCase(), cToken: null, stablecoin: null, staking: null, packages: null },
    };

    it("normalises addresses and keeps null for contracts not configured", function () {
      expect(parseStationConfig(good)).to.deep.equal({ ...good, addresses: { ...good.addresses, pool: POOL } });
    });

    it("names the setting that is wrong", function () {
      expect(() => parseStationConfig(null)).to.throw("the station's settings have no object");
      expect(() => parseStationConfig({ ...good, chainId: "31337" })).to.throw("no valid chainId");
      expect(() => parseStationConfig({ ...good, rpcUrl: "ws://x" })).to.throw("no http(s) rpcUrl");
      expect(() => parseStationConfig({ ...good, addresses: { ...good.addresses, staking: "0x12" } })).to.throw(
        "no valid staking address",
      );
      expect(() => parseStationConfig({ ...good, addresses: { pool: POOL } })).to.throw("no valid cToken address");
    });
  });

  describe("incident round files", function () {
    const entry = { index: 1, amount: "7500000000000000000", proof: [`0x${"ab".repeat(32)}`] };
    const round = { round: { incidentId: "3", pool: POOL }, root: `0x${"cd".repeat(32)}`, claims: { [USER]: entry } };

    it("reads the incident, pool, root and each account's entry", function () {
      const parsed = parseRound(JSON.stringify(round));
      expect(parsed.incidentId).to.equal(3n);
      expect(parsed.pool).to.equal(POOL);
      expect(parsed.claims.get(USER)).to.deep.equal({ ...entry, amount: 7_500_000_000_000_000_000n });
      // Keys in lower case still find the account.
      const lower = parseRound(JSON.stringify({ ...round, claims: { [USER.toLowerCase()]: entry } }));
      expect(lower.claims.get(USER)?.index).to.equal(1);
    });

    it("refuses what is not a round file, saying what is wrong", function () {
      expect(() => parseRound("{")).to.throw("paste the JSON the operator published");
      expect(() => parseRound("[]")).to.throw("it has no claims");
      expect(() => parseRound(JSON.stringify({ ...round, round: null }))).to.throw("not been opened on-chain");
      expect(() => parseRound(JSON.stringify({ ...round, round: { incidentId: "x" } }))).to.throw(
        "incident id x is not a number",
      );
      expect(() => parseRound(JSON.stringify({ ...round, claims: { [USER]: { ...entry, amount: 5 } } }))).to.throw(
        `the entry for ${USER} has no amount`,
      );
      expect(() => parseRound(JSON.stringify({ ...round, claims: { [USER]: { ...entry, proof: ["zz"] } } }))).to.throw(
        `the entry for ${USER} has no proof`,
      );
      expect(() => parseRound(JSON.stringify({ ...round, claims: { nobody: entry } }))).to.throw(
        "the entry for nobody is malformed",
      );
    });
  });

  describe("the opening statement", function () {
    const salt = `0x${"11".repeat(32)}` as const;
    const base = {
      chainId: 31337,
      pool: POOL,
      claimant: USER,
      kind: "Other",
      text: "  It broke.  ",
      channel: "text",
      contact: "",
      attachments: [],
      origin: undefined,
      salt,
    } as const;

    it("commits to the words, the origin a card or button named, and the salt", function () {
      const plain = buildOpening(base);
      expect(plain.text).to.equal("It broke.");
      expect(plain.origin).to.equal(null);
      expect(plain.claimant).to.equal(USER.toLowerCase());
      const fromCard = buildOpening({ ...base, origin: POOL });
      expect(fromCard.origin).to.equal(POOL.toLowerCase());
      expect(openingHash(fromCard)).not.to.equal(openingHash(plain));
      expect(openingHash(buildOpening({ ...base, salt: `0x${"22".repeat(32)}` }))).not.to.equal(openingHash(plain));
    });

    it("commits to a call-back's contact handle without carrying it, and asks for one", function () {
      expect(buildOpening(base).contact).to.equal(null);
      const callback = buildOpening({ ...base, channel: "callback", contact: " +62 812 555 " });
      expect(callback.contact).to.equal(contactCommitment(salt, "+62 812 555"));
      expect(JSON.stringify(callback)).not.to.include("812");
      expect(() => buildOpening({ ...base, channel: "remote", contact: " " })).to.throw("Contact");
    });

    it("refuses an empty or over-long description, and checks a named transaction and link", function () {
      expect(() => buildOpening({ ...base, text: "   " })).to.throw("What happened");
      expect(() => buildOpening({ ...base, text: "x".repeat(LIMITS.textChars + 1) })).to.throw("at most 4000");
      expect(buildOpening({ ...base, text: "é".repeat(LIMITS.textChars) }).text).to.have.length(LIMITS.textChars);
      const tx = `0x${"ab".repeat(32)}`;
      expect(namedRefs(` ${tx.toUpperCase().replace("0X", "0x")} `, "https://status.example/x")).to.deep.equal([
        { kind: "tx", hash: tx },
        { kind: "link", url: "https://status.example/x" },
      ]);
      expect(namedRefs("", "")).to.deep.equal([]);
      expect(() => namedRefs("0x1234", "")).to.throw("Transaction hash");
      expect(() => namedRefs("", "javascript:alert(1)")).to.throw("Link");
    });
  });
});
