/**
 * Result files that keep earlier runs: a bench run replaces only the rows it measured again (same
 * size, engine, …) and keeps the others, so a run of one size does not erase the rest.
 */
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";

/**
 * `results` with the rows of `file` (its `results` array) that none of them replaces, by `same`,
 * ordered by `order`. Creates the file's folder; a missing or unreadable file counts as empty.
 */
export async function mergedWithEarlier<T>(
  file: string,
  results: T[],
  same: (earlier: T, now: T) => boolean,
  order: (a: T, b: T) => number,
): Promise<T[]> {
  await mkdir(path.dirname(file), { recursive: true });
  const earlier: T[] = await readFile(file, "utf8")
    .then((text) => (JSON.parse(text) as { results: T[] }).results)
    .catch(() => []);
  return [...earlier.filter((e) => !results.some((r) => same(e, r))), ...results].sort(order);
}
