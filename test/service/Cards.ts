import { inflateSync } from "node:zlib";

import { expect } from "chai";
import { encode } from "uqr";

import { cardUrl, decodeShortCode, qrPng, shortCode, type Card } from "../../service/src/cards/card.js";
import { ALICE } from "./indexer.js";
import { readFixture, type ReadFixture } from "./readApp.js";

const MERCHANT = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";

/** Greyscale pixels of a PNG written by qrPng (8-bit, filter 0 on every row). */
function pngPixels(png: Buffer): { width: number; height: number; pixel: (x: number, y: number) => number } {
  expect([...png.subarray(0, 8)]).to.deep.equal([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString("ascii", offset + 4, offset + 8);
    const body = png.subarray(offset + 8, offset + 8 + length);
    if (type === "IHDR") {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      expect([...body.subarray(8)]).to.deep.equal([8, 0, 0, 0, 0]);
    }
    if (type === "IDAT") idat.push(body);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  expect(raw.length).to.equal(height * (width + 1));
  return { width, height, pixel: (x, y) => raw[y * (width + 1) + 1 + x]! };
}

describe("emergency cards", function () {
  it("round-trips a card through its short code, for every kind", function () {
    for (const kind of ["MissingReward", "DataApiOutage", "RedemptionToolFailure", "Other"] as const) {
      const card: Card = { origin: MERCHANT, kind };
      const code = shortCode(card);
      expect(code).to.have.length(28);
      expect(decodeShortCode(code)).to.deep.equal(card);
    }
  });

  it("refuses codes that are not a card's: wrong kind letter, wrong length, non-canonical base64", function () {
    const code = shortCode({ origin: MERCHANT, kind: "DataApiOutage" });
    expect(decodeShortCode(`x${code.slice(1)}`)).to.equal(undefined);
    expect(decodeShortCode(code.slice(0, -1))).to.equal(undefined);
    expect(decodeShortCode(`${code}A`)).to.equal(undefined);
    expect(decodeShortCode("d../../etc/passwd")).to.equal(undefined);
    // The last base64url character carries 2 spare bits: only the canonical spelling decodes.
    const last = code.at(-1)!;
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const sibling = alphabet[(alphabet.indexOf(last) & ~3) | ((alphabet.indexOf(last) + 1) & 3)]!;
    expect(decodeShortCode(code.slice(0, -1) + sibling)).to.equal(undefined);
  });

  it("draws the PNG module for module as the QR matrix, with a 4-module quiet zone", function () {
    const text = "https://station.example/e/" + shortCode({ origin: MERCHANT, kind: "Other" });
    const scale = 3;
    const { data } = encode(text, { ecc: "M", border: 4 });
    const { width, height, pixel } = pngPixels(qrPng(text, scale));
    expect(width).to.equal(data.length * scale);
    expect(height).to.equal(width);
    let dark = 0;
    for (let y = 0; y < data.length; y++) {
      for (let x = 0; x < data.length; x++) {
        const expected = data[y]![x] ? 0 : 255;
        expect(pixel(x * scale + 1, y * scale + 2), `module ${x},${y}`).to.equal(expected);
        if (data[y]![x]) dark++;
      }
    }
    // Quiet zone: the first 4 modules of every side are light.
    for (let i = 0; i < 4 * scale; i++) expect(pixel(i, i)).to.equal(255);
    expect(dark).to.be.greaterThan(100);
  });

  describe("routes", function () {
    let f: ReadFixture;
    before(async function () {
      f = await readFixture("pglite");
    });
    after(async function () {
      await f.close();
    });

    it("describes a card with links on the public URL, kind and origin preselected", async function () {
      const app = f.app({ PUBLIC_URL: "https://help.example.org/ignored/path" });
      const res = await app.request(`/v1/cards/${MERCHANT.toLowerCase()}?kind=RedemptionToolFailure`);
      expect(res.status).to.equal(200);
      const body = (await res.json()) as Record<string, string>;
      const code = shortCode({ origin: MERCHANT, kind: "RedemptionToolFailure" });
      expect(body).to.deep.equal({
        origin: MERCHANT,
        kind: "RedemptionToolFailure",
        url: `https://help.example.org/?kind=RedemptionToolFailure&origin=${MERCHANT}#emergency`,
        shortUrl: `https://help.example.org/e/${code}`,
        svg: `https://help.example.org/v1/cards/${MERCHANT}/qr.svg?kind=RedemptionToolFailure`,
        png: `https://help.example.org/v1/cards/${MERCHANT}/qr.png?kind=RedemptionToolFailure`,
        print: `https://help.example.org/card/${MERCHANT}?kind=RedemptionToolFailure`,
      });
    });

    it("redirects a short link to the form, and answers 404 for anything else", async function () {
      const app = f.app();
      const code = shortCode({ origin: ALICE, kind: "DataApiOutage" });
      const res = await app.request(`http://station.test/e/${code}`);
      expect(res.status).to.equal(302);
      expect(res.headers.get("location")).to.equal(
        cardUrl("http://station.test", { origin: ALICE, kind: "DataApiOutage" }),
      );
      const bad = await app.request("/e/not-a-card");
      expect(bad.status).to.equal(404);
      expect(((await bad.json()) as { error: { code: string } }).error.code).to.equal("not_found");
    });

    it("serves the QR code as SVG and PNG, never sniffable", async function () {
      const app = f.app();
      const svg = await app.request(`/v1/cards/${MERCHANT}/qr.svg`);
      expect(svg.status).to.equal(200);
      expect(svg.headers.get("content-type")).to.equal("image/svg+xml");
      expect(svg.headers.get("x-content-type-options")).to.equal("nosniff");
      expect(await svg.text()).to.match(/^<svg[\s\S]*<\/svg>$/);
      const png = await app.request(`/v1/cards/${MERCHANT}/qr.png?scale=4`);
      expect(png.status).to.equal(200);
      expect(png.headers.get("content-type")).to.equal("image/png");
      expect(pngPixels(Buffer.from(await png.arrayBuffer())).width % 4).to.equal(0);
    });

    it("prints the card with the label escaped and the help line in four languages", async function () {
      const app = f.app();
      const res = await app.request(`/card/${MERCHANT}?kind=Other&label=${encodeURIComponent("<b>Warung & Co</b>")}`);
      expect(res.status).to.equal(200);
      const page = await res.text();
      expect(page).to.include("&lt;b&gt;Warung &amp; Co&lt;/b&gt;");
      expect(page).not.to.include("<b>Warung");
      for (const lang of ["en", "id", "es", "zh"]) expect(page).to.include(`lang="${lang}"`);
      expect(page).to.include("<svg");
      expect(page).to.include(`/e/${shortCode({ origin: MERCHANT, kind: "Other" })}`);
    });

    it("refuses bad input with the one error shape", async function () {
      const app = f.app();
      for (const path of [
        "/v1/cards/0x1234",
        `/v1/cards/${MERCHANT}?kind=Flood`,
        `/v1/cards/${MERCHANT}/qr.png?scale=1000`,
        `/card/${MERCHANT}?label=${"x".repeat(81)}`,
      ]) {
        const res = await app.request(path);
        expect(res.status, path).to.equal(400);
        expect(((await res.json()) as { error: { code: string } }).error.code, path).to.equal("invalid_request");
      }
    });

    it("refuses a PUBLIC_URL that is not http(s)", function () {
      expect(() => f.app({ PUBLIC_URL: "javascript:alert(1)" })).to.throw(/PUBLIC_URL/);
    });
  });
});
