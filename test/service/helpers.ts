import { randomBytes } from "node:crypto";

import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/pglite";

import { openDatabase, type Database, type DatabaseHandle } from "../../service/src/db/client.js";

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
      await handle.db.execute(sql.raw(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
      await handle.close();
    },
  };
}

const templates = new Map<string, Promise<Blob>>();

/**
 * A fresh in-memory PGlite database prepared by `setup`. Starting PGlite from scratch runs initdb
 * (seconds on a busy machine); loading a data directory prepared once per process (per `name`) is
 * several times faster.
 */
export async function preparedPglite(name: string, setup: (db: Database) => Promise<void>): Promise<DatabaseHandle> {
  let template = templates.get(name);
  if (template === undefined) {
    template = (async () => {
      const client = new PGlite();
      await setup(drizzle(client) as unknown as Database);
      const dump = await client.dumpDataDir("none");
      await client.close();
      return dump;
    })();
    templates.set(name, template);
  }
  const client = new PGlite({ loadDataDir: await template });
  await client.waitReady;
  return { db: drizzle(client) as unknown as Database, kind: "pglite", close: () => client.close() };
}
