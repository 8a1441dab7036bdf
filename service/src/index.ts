/**
 * The emergency desk service: `node --import tsx service/src/index.ts` (or `npm run service`).
 * Opens its database (PGlite by default, PostgreSQL with DATABASE_URL), applies migrations,
 * serves the API, and stops cleanly on SIGINT/SIGTERM.
 */
import { serve } from "@hono/node-server";

import { createApp } from "./app.js";
import type { AuthGuards } from "./auth/guards.js";
import { errorBody } from "./errors.js";
import { loadConfig } from "./config.js";
import { openDatabase } from "./db/client.js";
import { migrate } from "./db/migrate.js";
import { seedHelpArticles } from "./help/seed.js";
import { ponderIndexerReader } from "./indexer/ponder.js";
import { createLogger } from "./log.js";
import { createMetricsRegistry } from "./metrics.js";

export async function startService(env: Record<string, string | undefined> = process.env) {
  const config = loadConfig(env);
  const log = createLogger(config.logLevel);
  const handle = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  const applied = await migrate(handle.db);
  if (applied.length > 0) log.info("migrations applied", { applied });
  const seeded = await seedHelpArticles(handle.db);
  if (seeded.length > 0) log.info("help articles seeded", { seeded });
  // Sign-In with Ethereum lands next; until then protected routes refuse everyone.
  const refuse: AuthGuards["session"] = async (c) =>
    c.json(errorBody("unauthenticated", "sign-in is not available yet"), 401);
  const app = createApp({
    db: handle.db,
    config,
    log,
    auth: { session: refuse, assessor: refuse },
    metrics: createMetricsRegistry(),
    indexer: ponderIndexerReader({ indexerUrl: config.indexerUrl, chainId: config.chainId }),
    now: Date.now,
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : config.port;
  log.info("service listening", { url: `http://${config.host}:${port}`, database: handle.kind });
  return {
    app,
    port,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await handle.close();
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const running = await startService();
  const shutdown = () => {
    void running.stop().then(() => process.exit(0));
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}
