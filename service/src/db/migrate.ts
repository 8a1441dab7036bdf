import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { sql } from "drizzle-orm";

import { queryRows, type Database } from "./client.js";

const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../migrations");

/** drizzle-kit's separator; a file may hold several statements. */
const BREAKPOINT = "--> statement-breakpoint";

/**
 * Applies the SQL files in service/migrations in name order, each once, recorded in
 * `service_migrations`. Runs in one transaction under an advisory lock, so replicas starting
 * together apply each migration exactly once and a failed migration leaves nothing behind.
 * Returns the names applied by this call.
 */
export async function migrate(db: Database, dir: string = MIGRATIONS_DIR): Promise<string[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith(".sql")).sort();
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(7365289201)`);
    await tx.execute(
      sql`CREATE TABLE IF NOT EXISTS service_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const done = await queryRows<{ name: string }>(tx, sql`SELECT name FROM service_migrations`);
    const applied = new Set(done.map((r) => r.name));
    const fresh: string[] = [];
    for (const file of files) {
      if (applied.has(file)) continue;
      const text = await readFile(path.join(dir, file), "utf8");
      for (const statement of text.split(BREAKPOINT)) {
        if (statement.trim().length > 0) await tx.execute(sql.raw(statement));
      }
      await tx.execute(sql`INSERT INTO service_migrations (name) VALUES (${file})`);
      fresh.push(file);
    }
    return fresh;
  });
}
