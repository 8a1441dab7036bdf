/** An app over a test database holding the indexer's tables, with a clock and chain head the test sets. */
import type { Server } from "node:http";

import { createApp, type App } from "../../service/src/app.js";
import type { AppDeps } from "../../service/src/deps.js";
import { serveApp } from "../../service/src/server.js";
import { loadConfig } from "../../service/src/config.js";
import type { DatabaseHandle } from "../../service/src/db/client.js";
import { migrate } from "../../service/src/db/migrate.js";
import type { ChainHead, IndexerReader } from "../../service/src/indexer/reader.js";
import { createLogger } from "../../service/src/http/log.js";
import { createMetricsRegistry } from "../../service/src/http/metrics.js";
import { testGuards } from "./guards.js";
import {
  ASSESSOR,
  CLAIMS_IN_EVERY_STATE,
  freshIndexerDatabase,
  insertClaims,
  insertTiers,
  T0,
  testReader,
} from "./indexer.js";

export type ReadFixture = {
  handle: DatabaseHandle;
  /** Unix seconds the service believes it is. */
  clock: { now: bigint };
  head: { current: ChainHead };
  /** The reader over the fixture's database (what app() uses unless given another). */
  reader: IndexerReader;
  app(env?: Record<string, string>, indexer?: IndexerReader): App;
  /** The app served over a real socket as the service serves it (service/src/server.ts, with the claim read's lane). */
  serve(env?: Record<string, string>): Promise<{ server: Server; port: number }>;
  close(): Promise<void>;
};

export async function readFixture(engine: "pglite" | "postgres"): Promise<ReadFixture> {
  const handle = await freshIndexerDatabase(engine);
  await migrate(handle.db);
  const clock = { now: T0 + 1000n };
  const head = { current: { number: 1000n, timestamp: T0 + 1000n } };
  const reader = testReader(handle.db, head);
  const deps = (env: Record<string, string>, indexer: IndexerReader): AppDeps => ({
    db: handle.db,
    config: loadConfig(env),
    log: createLogger("silent"),
    auth: testGuards([ASSESSOR]),
    metrics: createMetricsRegistry({ defaults: false }),
    indexer,
    indexerSource: { db: handle.db, head: async () => undefined },
    now: () => Number(clock.now) * 1000,
  });
  return {
    handle,
    clock,
    head,
    reader,
    app: (env = {}, indexer = reader) => createApp(deps(env, indexer)),
    serve: (env = {}) => {
      const d = deps(env, reader);
      return serveApp(createApp(d), d, { hostname: "127.0.0.1", port: 0 });
    },
    close: () => handle.close(),
  };
}

/** A fixture holding the tiers and CLAIMS_IN_EVERY_STATE, its clock and head at T0 + 1000. */
export async function claimsFixture(engine: "pglite" | "postgres"): Promise<ReadFixture> {
  const f = await readFixture(engine);
  await insertTiers(f.handle.db);
  await insertClaims(f.handle.db, CLAIMS_IN_EVERY_STATE);
  f.clock.now = T0 + 1000n;
  f.head.current = { number: 1000n, timestamp: T0 + 1000n };
  return f;
}

/** GET as JSON, with optional headers. */
export async function getJson<T = Record<string, unknown>>(
  app: App,
  path: string,
  headers: Record<string, string> = {},
) {
  const res = await app.request(path, { headers });
  return { status: res.status, headers: res.headers, body: (await res.json()) as T };
}
