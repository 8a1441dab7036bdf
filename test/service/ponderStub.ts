/**
 * A stand-in for a running Ponder app's read API, close enough to check the service's queries
 * against the real thing: `GET /sql/db?sql=<superjson>` is handled as Ponder 0.16's `client()`
 * middleware does (node_modules/ponder/src/client/index.ts) — the query is checked by Ponder's
 * own SQL allow-list (`validateAllowableSQLQuery`), then executed with drizzle's session and the
 * raw driver result returned as JSON (row objects keyed by column name) — and `GET /status`
 * answers with the chain head. The service talks to it through the real @ponder/client.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";

import { serve } from "@hono/node-server";
import type { QueryWithTypings } from "drizzle-orm";
import { Hono } from "hono";
import superjson from "superjson";

import type { Database } from "../../service/src/db/client.js";
import type { ChainHead } from "../../service/src/indexer/reader.js";

type Validator = (sql: string) => Promise<void>;

/** Ponder's allow-list, loaded from its build (the package does not export it). */
export async function ponderValidator(): Promise<Validator> {
  const file = path.resolve("node_modules/ponder/dist/esm/utils/sql-parse.js");
  const mod = (await import(pathToFileURL(file).href)) as { validateAllowableSQLQuery: Validator };
  return mod.validateAllowableSQLQuery;
}

type Session = {
  prepareQuery(q: QueryWithTypings, f: undefined, n: undefined, a: boolean): { execute(): Promise<unknown> };
};

export async function startPonderStub(db: Database, head: () => ChainHead, chainId = 31337) {
  const validate = await ponderValidator();
  const seen: string[] = [];
  const app = new Hono();
  app.get("/sql/db", async (c) => {
    const raw = c.req.query("sql");
    if (raw === undefined) return c.text('Missing "sql" query parameter', 400);
    const query = superjson.parse<QueryWithTypings>(raw);
    seen.push(query.sql);
    try {
      await validate(query.sql);
    } catch (error) {
      return c.text((error as Error).message, 500);
    }
    try {
      const session = (db as unknown as { _: { session: Session } })._.session;
      return c.json((await session.prepareQuery(query, undefined, undefined, false).execute()) as object);
    } catch (error) {
      return c.text((error as Error).message, 500);
    }
  });
  app.get("/status", (c) => {
    const h = head();
    return c.json({ hardhat: { id: chainId, block: { number: Number(h.number), timestamp: Number(h.timestamp) } } });
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    /** Every SQL text the service sent. */
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
