/**
 * Answers identical requests from memory for a short time: a burst of assessors (or dashboards)
 * polling the same queue page costs the indexer one query per `ttlMs`. Concurrent misses share
 * one load; failures are not kept. Bounded: when full, expired entries go, then everything.
 */
export class ShortCache<T> {
  private readonly entries = new Map<string, { at: number; value: Promise<T> }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 500,
  ) {}

  get(key: string, nowMs: number, load: () => Promise<T>): Promise<T> {
    if (this.ttlMs <= 0) return load();
    const hit = this.entries.get(key);
    if (hit !== undefined && nowMs - hit.at < this.ttlMs) return hit.value;
    if (this.entries.size >= this.maxEntries) {
      for (const [k, e] of this.entries) if (nowMs - e.at >= this.ttlMs) this.entries.delete(k);
      if (this.entries.size >= this.maxEntries) this.entries.clear();
    }
    const value = load();
    this.entries.set(key, { at: nowMs, value });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }
}
