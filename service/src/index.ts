/**
 * The emergency desk service: `node --import tsx service/src/index.ts` (or `npm run service`).
 * Opens its database (PGlite by default, PostgreSQL with DATABASE_URL), applies migrations,
 * serves the API, and stops cleanly on SIGINT/SIGTERM.
 */
import { createApp } from "./app.js";
import { type AppDeps } from "./deps.js";
import { cachedStaffRoles, onchainAssessorCheck, onchainSignatureVerifier, onchainStaffRoles } from "./auth/onchain.js";
import { cachedRoleChecker, createSiweAuth } from "./auth/siwe.js";
import { loadConfig } from "./config.js";
import { openDatabase } from "./db/client.js";
import { migrate } from "./db/migrate.js";
import { seedHelpArticles } from "./help/seed.js";
import { chainProbe, databaseProbe, indexerProbe } from "./health/probes.js";
import { createIndexerReader } from "./indexer/reader.js";
import { ponderIndexer } from "./indexer/ponder.js";
import { createLogger } from "./http/log.js";
import { serveApp } from "./server.js";
import { createMetricsRegistry } from "./http/metrics.js";
import { relayerFromConfig } from "./relayer/setup.js";
import { purgeStaleDrafts } from "./rounds/rounds.js";
import { claimCacheFromConfig } from "./claims/cache.js";
import { ObjectStore } from "./cases/files.js";
import { CaseBox } from "./cases/seal.js";
import { sweepMetrics, sweepUncitedFiles, sweepUnfiledOpenings } from "./cases/sweep.js";
import { Loop } from "./webhooks/loop.js";
import { startDelivery, type DeliveryRuntime } from "./webhooks/runtime.js";

/** `overrides` replace dependencies (tests: auth guards, the indexer source and reader). */
export async function startService(
  /** The settings' source; the process environment when absent (only `loadConfig` reads it). */
  env?: Record<string, string | undefined>,
  overrides: Partial<Pick<AppDeps, "auth" | "indexerSource" | "indexer">> = {},
) {
  const config = loadConfig(env);
  const log = createLogger(config.logLevel, { flushMs: config.logFlushMs });
  const handle = await openDatabase({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    onIdleError: (error) => log.warn("database connection lost; the pool reconnects", { error: error.message }),
  });
  const applied = await migrate(handle.db);
  if (applied.length > 0) log.info("migrations applied", { applied });
  const seeded = await seedHelpArticles(handle.db);
  if (seeded.length > 0) log.info("help articles seeded", { seeded });
  const siwe = createSiweAuth({
    db: handle.db,
    settings: config.siwe,
    verifySignature: onchainSignatureVerifier(config),
    isAssessor: cachedRoleChecker(onchainAssessorCheck(config, log)),
  });
  const metrics = createMetricsRegistry();
  // One @ponder/client client serves both views of the indexer (reads and the status feed).
  const indexer = ponderIndexer({ indexerUrl: config.indexerUrl, chainId: config.chainId, log });
  // With INDEXER_DATABASE_URL the reads go straight to a standby of the indexer's database (the
  // head still comes from Ponder's status, the status feed's notifications from its live queries).
  const indexerDb =
    config.indexerDatabase === undefined
      ? undefined
      : await openDatabase({
          url: config.indexerDatabase.url,
          schema: config.indexerDatabase.schema,
          createSchema: false,
          onIdleError: (error) =>
            log.warn("indexer database connection lost; the pool reconnects", { error: error.message }),
        });
  const reader =
    overrides.indexer ??
    (indexerDb === undefined
      ? indexer.reader
      : createIndexerReader({ db: indexerDb.db, head: indexer.head, headNow: indexer.headNow }));
  // Claim and queue reads answer from this cache of indexed claim data (CLAIM_CACHE_SIZE, _STALE_MS).
  const claimCache = claimCacheFromConfig(reader, config, log, metrics);
  let delivery: DeliveryRuntime | undefined;
  const deps: AppDeps = {
    db: handle.db,
    config,
    log,
    auth: siwe.guards,
    siwe,
    metrics,
    relayer: relayerFromConfig(config, handle.db, log, metrics),
    indexerSource: indexer.source,
    now: Date.now,
    wakeSender: () => delivery?.sender.wake(),
    staffRoles: cachedStaffRoles(onchainStaffRoles(config)),
    verifySignature: onchainSignatureVerifier(config),
    probes: {
      indexer: indexerProbe(config.indexerUrl, config.chainId, 1_500),
      chain: chainProbe(config.rpcUrl, config.chainId, 1_500),
      ...(indexerDb === undefined ? {} : { indexerDatabase: databaseProbe(indexerDb.db) }),
    },
    ...overrides,
    indexer: claimCache ?? reader,
  };
  const app = createApp(deps);
  // Expired nonces and sessions, round drafts never published, opening statements never filed and
  // case files no record cites go every AUTH_PURGE_SECONDS (in every replica: the deletes are
  // idempotent).
  const caseBox = new CaseBox(config.webhooks.secretKey);
  const caseFiles = config.cases.files === undefined ? undefined : new ObjectStore(config.cases.files);
  const swept = sweepMetrics(metrics);
  const purge = new Loop(
    "purge",
    config.siwe.purgeSeconds * 1000,
    async () => {
      const purged = await siwe.purgeExpired();
      if (purged.nonces + purged.sessions > 0) log.info("expired sign-in records purged", purged);
      const now = Math.floor(Date.now() / 1000);
      const drafts = await purgeStaleDrafts(handle.db, now, config.rounds.draftTtlSeconds);
      if (drafts > 0) log.info("unpublished round drafts purged", { drafts });
      // Openings first: the files of one deleted now become uncited, and go a day later.
      const openings = await sweepUnfiledOpenings({
        db: handle.db,
        box: caseBox,
        indexer: deps.indexer,
        nowSeconds: now,
        ttlSeconds: config.cases.openingTtlSeconds,
      }).catch((err: unknown) => {
        log.warn("opening statements never filed: not swept this round", { error: (err as Error).message });
        return { deleted: 0, filed: 0, released: 0, more: false };
      });
      swept.openings(openings);
      if (openings.deleted > 0) log.info("opening statements never filed deleted", openings);
      const files = await sweepUncitedFiles({
        db: handle.db,
        box: caseBox,
        files: caseFiles,
        nowSeconds: now,
        ttlSeconds: config.cases.uploadTtlSeconds,
      });
      swept.files(files);
      if (files.deleted > 0) log.info("case files no record cited deleted", { deleted: files.deleted });
      if (files.storageError !== undefined) {
        log.warn("case files left to delete: the bucket failed", { waiting: files.waiting, error: files.storageError });
      }
      return files.more || openings.more;
    },
    log,
  );
  purge.start();
  if (config.background) delivery = await startDelivery(deps);
  const { server, port } = await serveApp(app, deps, { hostname: config.host, port: config.port });
  // Until its first check has succeeded the cache sends every read to the indexer.
  claimCache?.start();
  log.info("service listening", {
    url: `http://${config.host}:${port}`,
    database: handle.kind,
    indexerReads: indexerDb === undefined ? "ponder" : "database",
  });
  return {
    app,
    port,
    delivery,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await purge.stop();
      // In-flight deliveries are sent and recorded before the database closes.
      await delivery?.stop();
      await claimCache?.stop();
      await indexerDb?.close();
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
