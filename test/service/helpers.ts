import { randomBytes } from "node:crypto";

import { openDatabase, type DatabaseHandle } from "../../service/src/db/client.js";

/**
 * The database engines a service test runs against: embedded PGlite always, and PostgreSQL too
 * when DATABASE_URL is set (CI sets it to the machine's PostgreSQL 15).
 */
export const ENGINES: Array<"pglite" | "postgres"> = process.env.DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];

/**
 * A fresh, isolated database: in-memory PGlite, or a new schema in PostgreSQL that `close()`
 * drops again.
 */
export async function freshDatabase(engine: "pglite" | "postgres"): Promise<DatabaseHandle> {
  if (engine === "pglite") return openDatabase({});
  const url = process.env.DATABASE_URL;
  if (url === undefined) throw new Error("DATABASE_URL is not set");
  const schema = `t_${randomBytes(6).toString("hex")}`;
  const handle = await openDatabase({ url, schema, poolSize: 4 });
  return {
    ...handle,
    async close() {
      const { sql } = await import("drizzle-orm");
      await handle.db.execute(sql.raw(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
      await handle.close();
    },
  };
}
