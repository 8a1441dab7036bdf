import { randomBytes } from "node:crypto";

import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/pglite";

import { openDatabase, type Database, type DatabaseHandle } from "../../service/src/db/client.js";
import { migrate } from "../../service/src/db/migrate.js";

type Engine = "pglite" | "postgres";

/**
 * The database engines a service or indexer test runs against: embedded PGlite, and PostgreSQL too
 * when DATABASE_URL is set (CI sets it to the machine's PostgreSQL 15). TEST_ENGINES (a comma-separated
 * list) chooses instead: `npm run test:db` sets it to `postgres`, because `npm test` has just run the
 * same suites on PGlite.
 */
export const ENGINES: Engine[] = testEngines(process.env);

function testEngines(env: NodeJS.ProcessEnv): Engine[] {
  const chosen = env.TEST_ENGINES?.trim();
  if (chosen === undefined || chosen === "") return env.DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];
  const engines = [...new Set(chosen.split(",").map((e) => e.trim()))];
  for (const engine of engines) {
    if (engine !== "pglite" && engine !== "postgres") {
      throw new Error(`TEST_ENGINES: unknown engine "${engine}" (pglite, postgres)`);
    }
    if (engine === "postgres" && !env.DATABASE_URL) throw new Error("TEST_ENGINES=postgres needs DATABASE_URL");
  }
  return engines as Engine[];
}

/**
 * A fresh, isolated database: in-memory PGlite, or a new schema in PostgreSQL that `close()`
 * drops again.
 */
export async function freshDatabase(engine: Engine): Promise<DatabaseHandle> {
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

/**
 * A fresh database with the service's tables migrated: on PGlite loaded from a data directory
 * migrated once per process (about half the time of initdb and the migrations per test), on
 * PostgreSQL a new schema migrated.
 */
export async function freshServiceDatabase(engine: Engine): Promise<DatabaseHandle> {
  if (engine === "pglite") return preparedPglite("service", async (db) => void (await migrate(db)));
  const handle = await freshDatabase(engine);
  await migrate(handle.db);
  return handle;
}
