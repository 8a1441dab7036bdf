/**
 * The database Ponder's `client()` middleware (SQL over HTTP, `/sql/db` and `/sql/live`, what
 * `@ponder/client` and so the service send) runs its queries on.
 *
 * Why not simply `db`: on PGlite, Ponder 0.16.10 flushes more than 20 updates to one table through
 * `CREATE TEMP TABLE IF NOT EXISTS "<table>"` and only truncates that table afterwards
 * (indexing-store/cache.ts, LOW_BATCH_THRESHOLD). PGlite is a single session, so from the first
 * such flush on the empty temp table shadows the real one for every unqualified name — and
 * unqualified names are all `/sql/db` accepts (utils/sql-parse.ts refuses a schema name). Ponder's
 * GraphQL and our REST routes use schema-qualified names; on PostgreSQL these reads run on other
 * connections, which never see the temp table.
 *
 * The fix: on PGlite each SQL-over-HTTP query runs in its own read-only transaction whose
 * search_path names `pg_temp` after Ponder's schema (PostgreSQL searches pg_temp first only when
 * the path does not name it), so unqualified names find the real tables. The setting is local to
 * that transaction, and PGlite runs transactions one at a time, so Ponder's flush — which relies
 * on the temp table winning — never sees it. On PostgreSQL `db` is returned unchanged.
 */
import type { PGlite, QueryOptions, Results } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";

/** What Ponder's own `client()` middleware reads from the global it sets up (build/index.ts). */
type PonderGlobals = {
  PONDER_DATABASE?: { driver: { dialect: "pglite"; instance: PGlite } | { dialect: "postgres" } };
};

/** Run first in each SQL-over-HTTP transaction on PGlite. */
export const PGLITE_READ_SETUP =
  "SET TRANSACTION READ ONLY; SELECT set_config('search_path', current_setting('search_path') || ', pg_temp', true)";

/** The database to give `client({ db, schema })`: `db` itself, or on PGlite a shadow-proof one. */
export function sqlOverHttpDb<Db>(db: Db): Db {
  const database = (globalThis as PonderGlobals).PONDER_DATABASE;
  if (database === undefined) throw new Error("sqlOverHttpDb: not running inside Ponder (no PONDER_DATABASE)");
  if (database.driver.dialect !== "pglite") return db;
  const pglite = database.driver.instance;
  // The one method drizzle's PGlite session calls (drizzle-orm/pglite/session.js).
  const client = {
    async query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> {
      const result = await pglite.transaction(async (tx) => {
        await tx.exec(PGLITE_READ_SETUP);
        return tx.query<T>(sql, params, options);
      });
      // PGlite answers undefined only for a transaction the callback rolled back, which this one never does.
      if (result === undefined) throw new Error("SQL over HTTP: the read transaction was rolled back");
      return result;
    },
  };
  return drizzle(client as unknown as PGlite, { casing: "snake_case" }) as unknown as Db;
}
