import { mkdir } from "node:fs/promises";

import { PGlite } from "@electric-sql/pglite";
import { sql, type SQL } from "drizzle-orm";
import { drizzle as drizzleNodePg } from "drizzle-orm/node-postgres";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import pg from "pg";

/** The service's database, whichever engine is behind it. */
export type Database = PgDatabase<PgQueryResultHKT>;

export type DatabaseHandle = {
  db: Database;
  kind: "pglite" | "postgres";
  close(): Promise<void>;
};

export type DatabaseOptions = {
  /** PostgreSQL connection string; when absent, embedded PGlite is used. */
  url?: string | undefined;
  /** PGlite data directory; absent means in memory (tests). */
  dataDir?: string | undefined;
  /** PostgreSQL only: a schema to create and put first on the search path (test isolation). */
  schema?: string | undefined;
  /**
   * PostgreSQL only: with false, `schema` is only put on the search path, never created (a
   * read-only standby refuses even CREATE SCHEMA IF NOT EXISTS). Default true.
   */
  createSchema?: boolean;
  /** PostgreSQL only: pool size per service replica. */
  poolSize?: number;
  /**
   * PostgreSQL only: told when a pooled connection fails, idle or checked out (the server restarted, an operator
   * ran pg_terminate_backend, a network cut). The pool drops that connection and opens another on
   * the next query; without a listener, node-postgres would throw the error and end the process.
   */
  onIdleError?: (error: Error) => void;
};

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if (options.url !== undefined) {
    const schema = options.schema;
    if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
      throw new Error(`invalid schema name ${JSON.stringify(schema)}`);
    }
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
    });
    // A connection checked out (inside a transaction, between its queries) is not watched by the
    // pool: node-postgres removes its idle listener and an unheard "error" event ends the process.
    // Every connection gets a listener for its whole life, which reports each dropped connection
    // once; the query in flight still fails, and the pool discards the broken connection when it
    // is released. The pool re-emits an idle connection's error: heard here, reported above.
    pool.on("connect", (client) => client.on("error", (error) => options.onIdleError?.(error)));
    pool.on("error", () => {});
    const db = drizzleNodePg(pool) as unknown as Database;
    if (schema !== undefined && options.createSchema !== false) {
      await db.execute(sql.raw(`CREATE SCHEMA IF NOT EXISTS ${schema}`));
    }
    return { db, kind: "postgres", close: () => pool.end() };
  }
  if (options.dataDir !== undefined) await mkdir(options.dataDir, { recursive: true });
  const client = options.dataDir === undefined ? new PGlite() : new PGlite(options.dataDir);
  await client.waitReady;
  const db = drizzlePglite(client) as unknown as Database;
  return { db, kind: "pglite", close: () => client.close() };
}

/** Runs raw SQL and returns its rows; both engines' results carry `rows`. */
export async function queryRows<T>(db: Pick<Database, "execute">, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
