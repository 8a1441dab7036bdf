/**
 * A sorted multiset of numbers for the station figures' ledger (./ledger.ts), in chunks of at most
 * `2 × CHUNK` values, so that putting in or taking out a value moves at most one chunk (plus a
 * splice in the list of chunks now and then) instead of everything after it: with one flat sorted
 * array, a change at a million claims moved megabytes per value, and a claim's change touches a
 * dozen such arrays. Rank and count queries are binary searches over the chunks' running counts,
 * rebuilt (one pass over the chunks) on the first query after a change.
 */

/** Values per chunk after a split; a chunk splits when it reaches twice this. */
const CHUNK = 512;

/** The first index whose value is at least `x` (the count of values below `x`). */
export function lowerBound(a: readonly number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first index whose value is above `x`. */
export function upperBound(a: readonly number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const byNumber = (a: number, b: number) => a - b;

export class SortedNumbers {
  /** Non-empty sorted chunks, in order: every value of a chunk is at most every value of the next. */
  private chunks: number[][] = [];
  /** `starts[i]`: how many values precede chunk i; undefined after a change until the next query. */
  private starts: number[] | undefined = [];
  /** Values appended unsorted before `seal()` (a bulk load); undefined once sealed. */
  private staged: number[] | undefined;
  private count = 0;

  /** An empty set filled with `append` and then `seal` (one sort instead of an insertion per value). */
  static staging(): SortedNumbers {
    const s = new SortedNumbers();
    s.staged = [];
    return s;
  }

  get length(): number {
    return this.count;
  }

  /** Adds a value before `seal()` (staging sets only). */
  append(x: number): void {
    if (this.staged === undefined) throw new Error("sorted numbers: append after seal; use insert");
    this.staged.push(x);
    this.count++;
  }

  /** Sorts the appended values into chunks; the set answers queries from then on. */
  seal(): void {
    const values = this.staged;
    if (values === undefined) return;
    this.staged = undefined;
    values.sort(byNumber);
    this.chunks = [];
    for (let i = 0; i < values.length; i += CHUNK) this.chunks.push(values.slice(i, i + CHUNK));
    this.starts = undefined;
  }

  insert(x: number): void {
    this.sealed();
    this.count++;
    this.starts = undefined;
    const chunks = this.chunks;
    if (chunks.length === 0) {
      chunks.push([x]);
      return;
    }
    // The first chunk whose last value is above x (new values go after equal ones), else the last.
    let lo = 0;
    let hi = chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (chunks[mid]!.at(-1)! <= x) lo = mid + 1;
      else hi = mid;
    }
    const chunk = chunks[lo]!;
    chunk.splice(upperBound(chunk, x), 0, x);
    if (chunk.length >= 2 * CHUNK) chunks.splice(lo + 1, 0, chunk.splice(CHUNK));
  }

  /** Takes out one occurrence of `x`; throws when there is none (the ledger's books would be wrong). */
  remove(x: number): void {
    this.sealed();
    const c = this.chunkAtLeast(x);
    const chunk = this.chunks[c];
    const i = chunk === undefined ? -1 : lowerBound(chunk, x);
    if (chunk === undefined || chunk[i] !== x) {
      throw new Error(`station figures ledger: ${x} is not in the array it should be in`);
    }
    chunk.splice(i, 1);
    if (chunk.length === 0) this.chunks.splice(c, 1);
    this.count--;
    this.starts = undefined;
  }

  /** The k-th smallest value (0-based). */
  at(k: number): number | undefined {
    this.sealed();
    if (k < 0 || k >= this.count) return undefined;
    const starts = this.runningCounts();
    // The last chunk starting at or before k.
    const c = upperBound(starts, k) - 1;
    return this.chunks[c]![k - starts[c]!];
  }

  /** How many values are below `x`. */
  countBelow(x: number): number {
    this.sealed();
    const c = this.chunkAtLeast(x);
    if (c === this.chunks.length) return this.count;
    return this.runningCounts()[c]! + lowerBound(this.chunks[c]!, x);
  }

  /** Every value in order (tests). */
  toArray(): number[] {
    this.sealed();
    return this.chunks.flat();
  }

  /** The first chunk whose last value is at least `x`, or the number of chunks. */
  private chunkAtLeast(x: number): number {
    let lo = 0;
    let hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.chunks[mid]!.at(-1)! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private runningCounts(): number[] {
    if (this.starts !== undefined) return this.starts;
    const starts = new Array<number>(this.chunks.length);
    let n = 0;
    for (let i = 0; i < this.chunks.length; i++) {
      starts[i] = n;
      n += this.chunks[i]!.length;
    }
    return (this.starts = starts);
  }

  private sealed(): void {
    if (this.staged !== undefined) throw new Error("sorted numbers: queried before seal()");
  }
}
