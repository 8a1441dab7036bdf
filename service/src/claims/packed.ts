/**
 * Claims' timelines packed into bytes, for the claim cache's packed tier (./cache.ts): a claim held
 * only in this form costs well under a kilobyte instead of 3.7–6 KB as an entry with its rendered
 * answer, so one replica can hold every claim and no read of a claim that exists waits for a
 * database round trip. A settled claim's entry keeps its timeline as such a record too, in a
 * string (`record`), since its answer is all its reads need.
 *
 * A record (`TimelinePacker`) gives each value a one-byte tag, so whatever a row holds comes back
 * as it was: a bigint as a bigint of any size, a lower-case hex string (hashes, addresses) as its
 * bytes, a string of decimal digits (Ponder's event ids) two digits to a byte, a short string (a
 * kind, a stage) as its number in the packer's word list, other strings as UTF-8, numbers, booleans
 * and null; a long string the record already holds (the submitting transaction's hash, the
 * claimant as the first actor) as a reference to it. The field names are not stored: each object's
 * names, in their order, are kept once per packer as a shape, and the record names its shape. A
 * record is only read by the packer that wrote it (shapes and words are numbered per process).
 *
 * The records live outside the JavaScript heap (`PackedClaims`), in slabs of a few megabytes, found
 * through a map from claim id to a small integer: a million claims add no object for the garbage
 * collector to mark (a full collection over a million records held as strings took ~100 ms here),
 * and a slab left mostly empty by claims that changed is compacted into the newest one.
 *
 * test/service/PackedClaims.ts packs random timelines and rows of the real reader and holds them
 * equal to what they were, field by field and in key order, and checks the store's eviction and
 * compaction.
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
  /** Where records are written: packing is synchronous, one record at a time. */
  private readonly scratch = Buffer.allocUnsafe(MAX_RECORD_BYTES + 1024);
  /** The record being written (the scratch space) or read. */
  private buf: Buffer = this.scratch;
  private at = 0;
  /**
   * The long strings of the record being written or read, in order (a transaction hash repeated,
   * an actor who is the claimant).
   */
  private strings: string[] = [];

  /**
   * The timeline as a record: a view of this packer's scratch space, valid until it packs again
   * (copy it to keep it); undefined when it does not fit a record.
   */
  pack(found: ClaimTimeline): Buffer | undefined {
    this.buf = this.scratch;
    this.at = 0;
    this.strings = [];
    try {
      this.object(found.claim as Record<string, unknown>);
      this.varint(found.transitions.length);
      for (const t of found.transitions) this.object(t as Record<string, unknown>);
    } catch {
      return undefined; // over MAX_RECORD_BYTES, or a value that cannot be packed
    }
    return this.scratch.subarray(0, this.at);
  }

  /** The timeline a record of this packer holds, read from `source` at `start`. */
  unpack(source: Buffer, start = 0): ClaimTimeline {
    this.buf = source;
    this.at = start;
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

/** Claim ids at most this are packed (a number the map holds without an object: a Smi). */
export const MAX_PACKED_ID = 2 ** 30 - 1;
/** Records start at multiples of 8 bytes, so a location fits a Smi: the slab, then the offset / 8. */
const ALIGN = 8;

export type PackedClaimsOptions = {
  /** Claims held at most; when full, the first stored goes first. 0 holds none (`set` refuses). */
  maxEntries: number;
  /** Bytes a slab holds (default 4 MiB; tests use less): a power of two from 2^16 to 2^24. */
  slabBytes?: number;
};

/**
 * Claims' timelines packed outside the heap, at most `maxEntries`, the first stored going first.
 * Only claims with an id up to MAX_PACKED_ID are kept.
 */
export class PackedClaims {
  private readonly packer = new TimelinePacker();
  /** Claim id → location: (slab << offsetBits) | (offset / ALIGN). In the order they were stored. */
  private readonly where = new Map<number, number>();
  private readonly slabs: Array<Buffer | undefined> = [];
  /** Per slab: bytes written, bytes still referenced, and the ids written to it (some since moved or gone). */
  private readonly used: number[] = [];
  private readonly live: number[] = [];
  private readonly ids: number[][] = [];
  /** Slab indexes free for reuse. */
  private readonly spare: number[] = [];
  private current = -1;
  private readonly slabBytes: number;
  private readonly offsetBits: number;
  private liveBytes = 0;
  /** Where `unpackRecord` puts a record to read it (allocated at its first use). */
  private reading: Buffer | undefined;

  constructor(private readonly o: PackedClaimsOptions) {
    this.slabBytes = o.slabBytes ?? 1 << 22;
    this.offsetBits = Math.log2(this.slabBytes / ALIGN);
    if (!Number.isSafeInteger(o.maxEntries) || o.maxEntries < 0) {
      throw new Error("packed claims: maxEntries must be a whole number, 0 or more");
    }
    // The largest record must fit a slab.
    if (!Number.isInteger(this.offsetBits) || this.slabBytes > 1 << 24 || this.slabBytes < 1 << 16) {
      throw new Error("packed claims: slabBytes must be a power of two from 64 KiB to 16 MiB");
    }
  }

  get size(): number {
    return this.where.size;
  }

  /** Bytes of records held (what the slabs hold beyond it waits for compaction). */
  get bytes(): number {
    return this.liveBytes;
  }

  /** Bytes of the slabs allocated. */
  get slabMemory(): number {
    return this.slabs.reduce((n, slab) => n + (slab?.length ?? 0), 0);
  }

  has(id: bigint): boolean {
    return id <= MAX_PACKED_ID && this.where.has(Number(id));
  }

  get(id: bigint): ClaimTimeline | undefined {
    if (id > MAX_PACKED_ID) return undefined;
    const at = this.where.get(Number(id));
    if (at === undefined) return undefined;
    const slab = this.slabs[at >>> this.offsetBits]!;
    const offset = (at & ((1 << this.offsetBits) - 1)) * ALIGN;
    return this.packer.unpack(slab, offset + 4);
  }

  /**
   * Keeps the claim (replacing what it held for it); false when it cannot be packed, its id is too
   * large or the store holds none (`maxEntries` 0).
   */
  set(id: bigint, found: ClaimTimeline): boolean {
    if (!this.takes(id)) return false;
    const record = this.packer.pack(found);
    if (record === undefined) return false;
    this.keep(id, record);
    return true;
  }

  /**
   * The claim as a record kept elsewhere (an entry of the claim cache): one-byte text, a single
   * object for the garbage collector instead of the timeline's dozens, which `unpackRecord` reads
   * and `setRecord` stores without packing it again; undefined when it does not fit a record.
   * Works whatever `maxEntries` is.
   */
  record(found: ClaimTimeline): string | undefined {
    return this.packer.pack(found)?.toString("latin1");
  }

  /** The timeline a record from `record` holds. */
  unpackRecord(record: string): ClaimTimeline {
    const buf = (this.reading ??= Buffer.allocUnsafeSlow(MAX_RECORD_BYTES));
    buf.write(record, 0, "latin1");
    return this.packer.unpack(buf, 0);
  }

  /** `set` with a record from `record` (not packed again); false as `set` refuses an id. */
  setRecord(id: bigint, record: string): boolean {
    if (!this.takes(id)) return false;
    this.keep(id, record);
    return true;
  }

  private takes(id: bigint): boolean {
    return this.o.maxEntries > 0 && id >= 0n && id <= MAX_PACKED_ID;
  }

  private keep(id: bigint, record: Buffer | string): void {
    const key = Number(id);
    this.delete(id);
    this.write(key, record);
    if (this.where.size > this.o.maxEntries) {
      const first = this.where.keys().next();
      if (first.done !== true) this.delete(BigInt(first.value));
    }
  }

  delete(id: bigint): boolean {
    if (id > MAX_PACKED_ID) return false;
    const key = Number(id);
    const at = this.where.get(key);
    if (at === undefined) return false;
    this.where.delete(key);
    const slab = at >>> this.offsetBits;
    const size = this.recordSize(slab, at);
    this.live[slab]! -= size;
    this.liveBytes -= size;
    // A slab that is no longer being written and holds less than half of what it did is compacted.
    if (slab !== this.current && this.live[slab]! < this.used[slab]! / 2) this.compact(slab);
    return true;
  }

  clear(): void {
    this.where.clear();
    this.slabs.length = 0;
    this.used.length = 0;
    this.live.length = 0;
    this.ids.length = 0;
    this.spare.length = 0;
    this.current = -1;
    this.liveBytes = 0;
  }

  /** The first id stored and still held, for tests. */
  firstId(): bigint | undefined {
    const first = this.where.keys().next();
    return first.done === true ? undefined : BigInt(first.value);
  }

  /** Slabs in use, for tests. */
  get slabCount(): number {
    return this.slabs.filter((slab) => slab !== undefined).length;
  }

  // ─── Slabs ──────────────────────────────────────────────────────────────────

  /** A record's bytes in its slab: a 4-byte length, then the record, rounded up to ALIGN. */
  private recordSize(slab: number, at: number): number {
    const offset = (at & ((1 << this.offsetBits) - 1)) * ALIGN;
    return align(4 + this.slabs[slab]!.readUInt32LE(offset));
  }

  /** Writes a record (a string: one byte a character, as `record` gives it). */
  private write(key: number, record: Buffer | string): void {
    const size = align(4 + record.length);
    if (this.current < 0 || this.used[this.current]! + size > this.slabBytes) this.newSlab();
    const slab = this.current;
    const buf = this.slabs[slab]!;
    const offset = this.used[slab]!;
    buf.writeUInt32LE(record.length, offset);
    if (typeof record === "string") buf.write(record, offset + 4, "latin1");
    else record.copy(buf, offset + 4);
    this.used[slab]! += size;
    this.live[slab]! += size;
    this.liveBytes += size;
    this.ids[slab]!.push(key);
    this.where.set(key, (slab << this.offsetBits) | (offset / ALIGN));
  }

  private newSlab(): void {
    const slab = this.spare.pop() ?? this.slabs.length;
    if (slab >= 2 ** (30 - this.offsetBits)) throw new Error("packed claims: out of slab numbers");
    this.slabs[slab] = Buffer.allocUnsafeSlow(this.slabBytes);
    this.used[slab] = 0;
    this.live[slab] = 0;
    this.ids[slab] = [];
    this.current = slab;
  }

  /** Moves the records still held in `slab` to the slab being written, and frees it. */
  private compact(slab: number): void {
    const source = this.slabs[slab]!;
    const ids = this.ids[slab]!;
    this.slabs[slab] = undefined;
    this.ids[slab] = [];
    this.liveBytes -= this.live[slab]!;
    this.used[slab] = 0;
    this.live[slab] = 0;
    const mask = (1 << this.offsetBits) - 1;
    for (const key of ids) {
      const at = this.where.get(key);
      if (at === undefined || at >>> this.offsetBits !== slab) continue; // gone, or moved since
      const offset = (at & mask) * ALIGN;
      const length = source.readUInt32LE(offset);
      // Stored again in the order of the map: its place in the first-in order is kept.
      this.write(key, source.subarray(offset + 4, offset + 4 + length));
    }
    // Only now: a slab taken for the moves above must not reuse this number while ids still point into it.
    this.spare.push(slab);
  }
}

function align(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}
