/**
 * Emergency cards: the QR code and short link a project or merchant prints or embeds so that the
 * people it serves reach the emergency button with the origin and the kind of trouble already
 * chosen. A card is stateless: its short code carries the kind and the origin address, so any
 * replica decodes any card and nothing is stored per card.
 */
import { deflateSync } from "node:zlib";
import { crc32 } from "node:zlib";

import { encode, renderSVG } from "uqr";
import { getAddress, type Address } from "viem";

import { CLAIM_KINDS } from "../indexer/reader.js";

export type ClaimKind = (typeof CLAIM_KINDS)[number];

/** One letter per kind in short codes; the order of CLAIM_KINDS is the contract's. */
const KIND_LETTER: Record<ClaimKind, string> = {
  MissingReward: "m",
  DataApiOutage: "d",
  RedemptionToolFailure: "r",
  Other: "o",
};

export type Card = { origin: Address; kind: ClaimKind };

/**
 * The short code of a card: the kind's letter, then the origin's 20 bytes in base64url (27
 * characters). Example: `r` + `8Jm-…` for a merchant's redemption tool.
 */
export function shortCode({ origin, kind }: Card): string {
  return KIND_LETTER[kind] + Buffer.from(origin.slice(2), "hex").toString("base64url");
}

/** The card a short code names, or undefined for anything that is not one. */
export function decodeShortCode(code: string): Card | undefined {
  if (!/^[mdro][A-Za-z0-9_-]{27}$/.test(code)) return undefined;
  const kind = (Object.keys(KIND_LETTER) as ClaimKind[]).find((k) => KIND_LETTER[k] === code[0]);
  const bytes = Buffer.from(code.slice(1), "base64url");
  if (kind === undefined || bytes.length !== 20) return undefined;
  // base64url has several spellings of the last character's spare bits: accept only the canonical one.
  if (bytes.toString("base64url") !== code.slice(1)) return undefined;
  return { kind, origin: getAddress(`0x${bytes.toString("hex")}`) };
}

/** The page's emergency form with the card's kind and origin preselected. */
export function cardUrl(base: string, { origin, kind }: Card): string {
  const url = new URL("/", base);
  url.searchParams.set("kind", kind);
  url.searchParams.set("origin", origin);
  url.hash = "emergency";
  return url.toString();
}

export function shortUrl(base: string, card: Card): string {
  return new URL(`/e/${shortCode(card)}`, base).toString();
}

/** The QR code of `text` as SVG (black on white, a 4-module quiet zone). */
export function qrSvg(text: string): string {
  return renderSVG(text, { ecc: "M", border: 4, pixelSize: 8 });
}

/**
 * The QR code of `text` as a PNG: 8-bit greyscale, `scale` pixels per module, a 4-module quiet
 * zone. Written here (a few lines over node:zlib) rather than pulling in an image library.
 */
export function qrPng(text: string, scale = 8): Buffer {
  const { data } = encode(text, { ecc: "M", border: 4 });
  const modules = data.length;
  const side = modules * scale;
  const raw = Buffer.alloc(side * (side + 1), 0xff);
  for (let y = 0; y < side; y++) {
    const row = y * (side + 1);
    raw[row] = 0; // filter type: none
    const line = data[Math.floor(y / scale)]!;
    for (let x = 0; x < side; x++) if (line[Math.floor(x / scale)]) raw[row + 1 + x] = 0;
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header.set([8, 0, 0, 0, 0], 8); // bit depth 8, greyscale, deflate, no filter set, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

function chunk(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, "ascii");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])), 0);
  return Buffer.concat([head, body, crc]);
}
