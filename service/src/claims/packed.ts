/**
 * A claim's timeline packed into a short string, for the claim cache's compact tier (./cache.ts):
 * a claim the cache holds only in this form costs ~0.6 KB of memory instead of ~6 KB as objects
 * with its rendered answer, so one replica can hold every claim and no read of a claim that exists
 * waits for a database round trip.
 *
 * The string is bytes (one per character, as Latin-1), and leaves the garbage collector nothing to
 * trace. Each value carries a one-byte tag, so whatever a row holds comes back as it was: a bigint
 * as a bigint of any size, a lower-case hex string (hashes, addresses) as its bytes, a string of
 * decimal digits (Ponder's event ids) two digits to a byte, a short string (a kind, a stage) as
 * its number in the packer's word list, other strings as UTF-8, numbers,
 * booleans and null; a long string the record already holds (the submitting transaction's hash,
 * the claimant as the first actor) as a reference to it. The field names are not stored: each object's names, in their order, are
 * kept once per packer as a shape, and the record names its shape. A record is only read by the
 * packer that wrote it (shapes are numbered per process).
 *
 * test/service/PackedClaims.ts packs random timelines and rows of the real reader and holds
 * them equal to what they were, field by field and in key order.
 */
import type { ClaimTimeline } from "../indexer/reader.js";

const enum Tag {
  Null = 0,
  False = 1,
  True = 2,
  /** An integer number of at most 31 bits, zig-zag varint. */
  Int = 3,
  /** Any other number, float64. */
  Float = 4,
  /** A bigint ≥ 0: varint length, then its bytes, big-endian. */
  BigPos = 5,
  BigNeg = 6,
  /** `0x` and an even count of lower-case hex digits: varint length, then the bytes. */
  Hex = 7,
  /** Decimal digits only: varint count, then two digits a byte (as hex nibbles). */
  Digits = 8,
  /** Any other string: varint length, then UTF-8. */
  Str = 9,
  /** A string equal to an earlier one of the same record (varint: which, counting from 0). */
  Ref = 10,
  /** A short string from the packer's word list (varint: which). */
  Word = 11,
}

/** Strings at least this long are remembered within a record for `Tag.Ref`. */
const REF_MIN = 16;
/** Shorter strings (a claim's kind, a stage) are kept in a word list of at most this many. */
const MAX_WORDS = 1024;

const HEX = /^0x(?:[0-9a-f]{2})*$/;
const DIGITS = /^[0-9]+$/;
/** Larger records are not packed (a claim with thousands of transitions is read from the indexer). */
const MAX_RECORD_BYTES = 60_000;

export class TimelinePacker {
  /** Names of each object shape seen, by shape number. */
  private readonly shapes: string[][] = [];
  private readonly shapeIds = new Map<string, number>();
  private readonly words: string[] = [];
  private readonly wordIds = new Map<string, number>();
  /** Shared scratch space: packing and unpacking are synchronous, one at a time. */
  private readonly buf = Buffer.allocUnsafe(MAX_RECORD_BYTES + 1024);
  private at = 0;
  /** The long strings of the record being written or read, in order (a transaction hash repeated, an actor who is the claimant). */
  private strings: string[] = [];

  /** The timeline as a packed string, or undefined when it does not fit a record. */
  pack(found: ClaimTimeline): string | undefined {
    this.at = 0;
    this.strings = [];
    try {
      this.object(found.claim as Record<string, unknown>);
      this.varint(found.transitions.length);
      for (const t of found.transitions) this.object(t as Record<string, unknown>);
    } catch {
      return undefined; // over MAX_RECORD_BYTES, or a value that cannot be packed
    }
    return this.buf.toString("latin1", 0, this.at);
  }

  /** The timeline a record of this packer holds. */
  unpack(record: string): ClaimTimeline {
    const { buf } = this;
    buf.write(record, 0, "latin1");
    this.at = 0;
    this.strings = [];
    const claim = this.readObject() as ClaimTimeline["claim"];
    const count = this.readVarint();
    const transitions: ClaimTimeline["transitions"] = [];
    for (let i = 0; i < count; i++) transitions.push(this.readObject() as ClaimTimeline["transitions"][number]);
    return { claim, transitions };
  }

  // ─── Writing ────────────────────────────────────────────────────────────────

  private object(o: Record<string, unknown>): void {
    const keys = Object.keys(o);
    const name = keys.join(",");
    let shape = this.shapeIds.get(name);
    if (shape === undefined) {
      shape = this.shapes.push(keys) - 1;
      this.shapeIds.set(name, shape);
    }
    this.varint(shape);
    for (const key of keys) this.value(o[key]);
  }

  private value(v: unknown): void {
    if (v === null) return this.byte(Tag.Null);
    switch (typeof v) {
      case "boolean":
        return this.byte(v ? Tag.True : Tag.False);
      case "number":
        if (Number.isInteger(v) && v >= -0x40000000 && v < 0x40000000 && !Object.is(v, -0)) {
          this.byte(Tag.Int);
          return this.varint(v >= 0 ? v * 2 : -v * 2 - 1);
        }
        this.byte(Tag.Float);
        this.room(8);
        this.at = this.buf.writeDoubleBE(v, this.at);
        return;
      case "bigint": {
        this.byte(v < 0n ? Tag.BigNeg : Tag.BigPos);
        const hex = (v < 0n ? -v : v).toString(16);
        return this.hexBytes(hex.length % 2 === 0 ? hex : `0${hex}`);
      }
      case "string": {
        if (v.length >= REF_MIN) {
          const earlier = this.strings.indexOf(v);
          if (earlier >= 0) {
            this.byte(Tag.Ref);
            return this.varint(earlier);
          }
          this.strings.push(v);
        }
        if (HEX.test(v)) {
          this.byte(Tag.Hex);
          return this.hexBytes(v.slice(2));
        }
        if (DIGITS.test(v)) {
          this.byte(Tag.Digits);
          this.varint(v.length);
          const nibbles = v.length % 2 === 0 ? v : `${v}0`;
          this.room(nibbles.length / 2);
          this.at += this.buf.write(nibbles, this.at, "hex");
          return;
        }
        if (v.length < REF_MIN) {
          let word = this.wordIds.get(v);
          if (word === undefined && this.words.length < MAX_WORDS) {
            word = this.words.push(v) - 1;
            this.wordIds.set(v, word);
          }
          if (word !== undefined) {
            this.byte(Tag.Word);
            return this.varint(word);
          }
        }
        this.byte(Tag.Str);
        this.varint(Buffer.byteLength(v));
        this.room(Buffer.byteLength(v));
        this.at += this.buf.write(v, this.at, "utf8");
        return;
      }
      default:
        throw new TypeError(`a claim timeline holds a ${typeof v}, which cannot be packed`);
    }
  }

  private hexBytes(hex: string): void {
    this.varint(hex.length / 2);
    this.room(hex.length / 2);
    this.at += this.buf.write(hex, this.at, "hex");
  }

  private byte(b: number): void {
    this.room(1);
    this.buf[this.at++] = b;
  }

  private varint(n: number): void {
    while (n >= 0x80) {
      this.byte((n & 0x7f) | 0x80);
      n = Math.floor(n / 0x80);
    }
    this.byte(n);
  }

  private room(n: number): void {
    if (this.at + n > MAX_RECORD_BYTES) throw new RangeError("record too large to pack");
  }

  // ─── Reading ────────────────────────────────────────────────────────────────

  private readObject(): Record<string, unknown> {
    const keys = this.shapes[this.readVarint()];
    if (keys === undefined) throw new Error("a packed claim names a shape this packer never wrote");
    const o: Record<string, unknown> = {};
    for (const key of keys) o[key] = this.readValue();
    return o;
  }

  private readValue(): unknown {
    const { buf } = this;
    const tag = buf[this.at++] as Tag;
    switch (tag) {
      case Tag.Null:
        return null;
      case Tag.False:
        return false;
      case Tag.True:
        return true;
      case Tag.Int: {
        const z = this.readVarint();
        return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
      }
      case Tag.Float: {
        const v = buf.readDoubleBE(this.at);
        this.at += 8;
        return v;
      }
      case Tag.BigPos:
      case Tag.BigNeg: {
        const n = this.readVarint();
        const start = this.at;
        this.at += n;
        const magnitude =
          n === 0 ? 0n : n <= 6 ? BigInt(buf.readUIntBE(start, n)) : BigInt(`0x${buf.toString("hex", start, this.at)}`);
        return tag === Tag.BigNeg ? -magnitude : magnitude;
      }
      case Tag.Hex: {
        const n = this.readVarint();
        const start = this.at;
        this.at += n;
        return this.remembered(`0x${buf.toString("hex", start, this.at)}`);
      }
      case Tag.Digits: {
        const count = this.readVarint();
        const start = this.at;
        this.at += Math.ceil(count / 2);
        const digits = buf.toString("hex", start, this.at);
        return this.remembered(count % 2 === 0 ? digits : digits.slice(0, count));
      }
      case Tag.Str: {
        const n = this.readVarint();
        const start = this.at;
        this.at += n;
        return this.remembered(buf.toString("utf8", start, this.at));
      }
      case Tag.Word: {
        const word = this.words[this.readVarint()];
        if (word === undefined) throw new Error("a packed claim names a word this packer never wrote");
        return word;
      }
      case Tag.Ref: {
        const earlier = this.strings[this.readVarint()];
        if (earlier === undefined) throw new Error("a packed claim refers to a string it does not hold");
        return earlier;
      }
      default:
        throw new Error(`a packed claim holds an unknown tag ${String(tag)}`);
    }
  }

  /** A string just read, remembered as the writer remembered it. */
  private remembered(v: string): string {
    if (v.length >= REF_MIN) this.strings.push(v);
    return v;
  }

  private readVarint(): number {
    let n = 0;
    let scale = 1;
    for (;;) {
      const b = this.buf[this.at++]!;
      n += (b & 0x7f) * scale;
      if (b < 0x80) return n;
      scale *= 0x80;
    }
  }
}
