/**
 * The indexer (indexer/) as a child process: `ponder start` (or `ponder serve`) bound to
 * 127.0.0.1 on a chosen port, one database schema, PGlite (a fresh git-ignored directory per run
 * by default) or PostgreSQL, telemetry off, JSON logs in .data/logs/, and the chain, contracts and
 * polling interval passed as env (read by indexer/ponder.config.ts).
 *
 *   const ponder = await startPonder({ rpcUrl: chain.url, addresses: { CompensationPool: "0x…" }, startBlock });
 *   try { await fetch(`${ponder.url}/v1/health`); } finally { await ponder.stop(); }
 *
 * Facts this relies on (ponder 0.16.10, node_modules/ponder/src):
 * - internal/options.ts: env PORT overrides `-p`, so PORT is removed from the child's env;
 *   PONDER_TELEMETRY_DISABLED (any non-empty value) turns telemetry off; PONDER_LOG_LEVEL.
 * - build/index.ts (namespaceCompile): `start`/`serve` need `--schema` or DATABASE_SCHEMA.
 * - database/index.ts (migrate): a schema remembers the build id (hash of the config's
 *   contracts/accounts/blocks/ordering, the schema file and the indexing files; not chains,
 *   database or api files); another build on it fails "was previously used by a different Ponder
 *   app"; the same build resumes (crash recovery); a lock (`is_locked`) is waited out until the
 *   heartbeat is 25 s old. Measured: a SIGTERM'd `start` exits 0 within ~0.4 s but never finishes
 *   its unlock query, so `stop()` clears the lock itself once the process is gone.
 * - server/index.ts: /health is 200 once the HTTP server listens; /ready is 200 once the
 *   backfill of *finalized* blocks is done (`_ponder_meta.is_ready`), 503 before; the last 30
 *   blocks on 31337 are indexed by the live sync after that: see `waitForBlock`.
 * - sync-store: raw blocks/logs live in one `ponder_sync` schema per database, keyed by chain id
 *   and block number (ON CONFLICT DO NOTHING), even with `disableCache`: see
 *   `createScratchDatabase`.
 * - bin/commands/serve.ts: `serve` refuses PGlite.
 */
import { mkdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { PGlite } from "@electric-sql/pglite";
import pg, { type Client as PgClient, type QueryResultRow } from "pg";

import { REPO_ROOT, freePort, runPath, spawnManaged, waitUntil, type Managed } from "./proc.js";

export const INDEXER_DIR = path.join(REPO_ROOT, "indexer");

export type PonderDatabase =
  | { kind: "pglite"; /** Default: a fresh .data/pglite/<run> directory. */ directory?: string }
  | { kind: "postgres"; url: string };

export type PonderOptions = {
  /** Default "start". `serve` runs the HTTP API only (PostgreSQL only). */
  command?: "start" | "serve";
  /** HTTP RPC URL of the chain. */
  rpcUrl: string;
  /** Optional WebSocket URL: new blocks by subscription instead of polling. */
  wsUrl?: string;
  /** Default 31337. */
  chainId?: number;
  /** Contract addresses by indexed contract name (e.g. `{ CompensationPool: "0x…" }`). */
  addresses?: Record<string, string>;
  /** Start block for every contract. */
  startBlock?: number;
  /** Ignition deployment id to read addresses from when `addresses` omits a contract. */
  ignitionDeployment?: string;
  /** Default: PGlite in a fresh directory. */
  database?: PonderDatabase;
  /** Database schema. Default: a fresh `run_<random>` (max 45 characters). */
  schema?: string;
  /** Default: a free port. */
  port?: number;
  /** Ponder's new-block polling interval (min 100). Default: the config's (100 ms on 31337). */
  pollingIntervalMs?: number;
  /** Repeats the RPC URL this many times in `rpc`: N rate-limit buckets of 20 req/s each. */
  rpcBuckets?: number;
  /** Ponder's RPC cache. Default: the config's (off on 31337). */
  disableCache?: boolean;
  /** Default "info". */
  logLevel?: "error" | "warn" | "info" | "debug" | "trace";
  /** Default .data/logs/ponder-<run>.log (JSON lines). */
  logFile?: string;
  /** Extra env for the child (wins over everything above). */
  env?: NodeJS.ProcessEnv;
  /** The Ponder app's directory. Default indexer/ (the station's); bench/bare-indexer for the floor. */
  root?: string;
  /** "ready": until /ready is 200 (backfill complete); "listening": until /health is 200. Default "ready". */
  waitFor?: "ready" | "listening" | "none";
  /** Default 120 s. */
  timeoutMs?: number;
};

export type PonderLogLine = { level: number; time: number; msg: string; [key: string]: unknown };

export type PonderProcess = {
  readonly url: string;
  readonly port: number;
  readonly schema: string;
  readonly database: PonderDatabase;
  readonly logFile: string;
  readonly pid: number;
  readonly process: Managed;
  /** Resolves once /ready answers 200. */
  waitReady(timeoutMs?: number): Promise<void>;
  isReady(): Promise<boolean>;
  /**
   * Resolves once the indexed block (/status) is at least `blockNumber`. /ready alone is not
   * "caught up": it turns 200 when the backfill of *finalized* blocks is done; the unfinalized
   * tail (the last 30 blocks on 31337) is indexed by the live sync just after.
   */
  waitForBlock(blockNumber: number | bigint, timeoutMs?: number): Promise<void>;
  /** Ponder's /status: the latest indexed block per chain. */
  status(): Promise<Record<string, { id: number; block: { number: number; timestamp: number } }>>;
  /** The JSON log lines written so far. */
  logs(): Promise<PonderLogLine[]>;
  /**
   * SIGTERM, SIGKILL to the group after `timeoutMs` (default 15 s); then, once the process is
   * gone, clears the schema's lock (`releaseLock`, default true), which Ponder 0.16.10 leaves set
   * even on a clean SIGTERM — without this the next start on the schema waits 25 s.
   */
  stop(options?: { timeoutMs?: number; releaseLock?: boolean }): Promise<number | string>;
};

// ponder's exports map hides package.json; its entry point is dist/esm/index.js.
const ponderBin = path.join(path.dirname(fileURLToPath(import.meta.resolve("ponder"))), "bin", "ponder.js");

/** `CompensationPool` → `COMPENSATION_POOL` (same rule as indexer/addresses.ts). */
function envName(contract: string): string {
  return contract
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z])([A-Z][a-z])/g, "$1_$2")
    .toUpperCase();
}

/** A fresh schema name: lower-case, unique per call. */
export function freshSchemaName(prefix = "run"): string {
  return `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}

/** The env that indexer/ponder.config.ts reads, for these options. */
export function ponderEnv(options: PonderOptions, database: PonderDatabase): NodeJS.ProcessEnv {
  const chainId = options.chainId ?? 31337;
  const env: NodeJS.ProcessEnv = { ...process.env };
  // PORT would override -p; a stray DATABASE_* would pick another database or schema.
  for (const key of ["PORT", "DATABASE_URL", "DATABASE_PRIVATE_URL", "DATABASE_SCHEMA", "DATABASE_VIEWS_SCHEMA"]) {
    delete env[key];
  }
  // ponder's wait() is a no-op under NODE_ENV=ci (src/utils/wait.ts), which turns its RPC
  // back-off into a busy loop.
  if (env.NODE_ENV === "ci") delete env.NODE_ENV;
  Object.assign(env, {
    PONDER_TELEMETRY_DISABLED: "1",
    FORCE_COLOR: "0",
    NO_COLOR: "1",
    PONDER_CHAIN_ID: String(chainId),
    [`PONDER_RPC_URL_${chainId}`]: options.rpcUrl,
  });
  if (options.wsUrl !== undefined) env[`PONDER_WS_URL_${chainId}`] = options.wsUrl;
  for (const [contract, address] of Object.entries(options.addresses ?? {})) {
    env[`PONDER_${envName(contract)}_ADDRESS`] = address;
  }
  if (options.startBlock !== undefined) env.PONDER_START_BLOCK = String(options.startBlock);
  if (options.ignitionDeployment !== undefined) env.PONDER_IGNITION_DEPLOYMENT = options.ignitionDeployment;
  if (options.pollingIntervalMs !== undefined) env.PONDER_POLLING_INTERVAL_MS = String(options.pollingIntervalMs);
  if (options.rpcBuckets !== undefined) env.PONDER_RPC_BUCKETS = String(options.rpcBuckets);
  if (options.disableCache !== undefined) env.PONDER_DISABLE_CACHE = options.disableCache ? "1" : "0";
  if (database.kind === "postgres") env.DATABASE_URL = database.url;
  else env.PONDER_PGLITE_DIR = database.directory;
  return { ...env, ...options.env };
}

async function httpStatus(url: string): Promise<number> {
  const response = await fetch(url);
  await response.arrayBuffer();
  return response.status;
}

/** Starts the indexer and (by default) resolves once its backfill is complete. */
export async function startPonder(options: PonderOptions): Promise<PonderProcess> {
  const command = options.command ?? "start";
  const database: PonderDatabase =
    options.database?.kind === "postgres"
      ? options.database
      : { kind: "pglite", directory: options.database?.directory ?? runPath("pglite", "ponder") };
  if (command === "serve" && database.kind === "pglite") throw new Error("ponder serve needs PostgreSQL");
  if (database.kind === "pglite") mkdirSync(database.directory!, { recursive: true });
  const schema = options.schema ?? freshSchemaName();
  const port = options.port ?? (await freePort());
  const logFile = options.logFile ?? `${runPath("logs", `ponder-${command}`)}.log`;
  const args = [
    ponderBin,
    "--log-format",
    "json",
    "--log-level",
    options.logLevel ?? "info",
    command,
    "--schema",
    schema,
    "--port",
    String(port),
    "--hostname",
    "127.0.0.1",
  ];
  const child = spawnManaged(process.execPath, args, {
    cwd: options.root ?? INDEXER_DIR,
    env: ponderEnv(options, database),
    logFile,
  });
  const url = `http://127.0.0.1:${port}`;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const isReady = async () => (await httpStatus(`${url}/ready`)) === 200;

  const ponder: PonderProcess = {
    url,
    port,
    schema,
    database,
    logFile,
    pid: child.pid,
    process: child,
    isReady,
    waitReady: (ms = timeoutMs) => waitUntil("ponder /ready", isReady, { timeoutMs: ms, intervalMs: 50, child }),
    waitForBlock: (blockNumber, ms = timeoutMs) =>
      waitUntil(
        `ponder indexed block ${blockNumber}`,
        async () => {
          const chains = Object.values(await ponder.status());
          return chains.length > 0 && chains.every((c) => BigInt(c.block.number) >= BigInt(blockNumber));
        },
        { timeoutMs: ms, intervalMs: 20, child },
      ),
    async status() {
      const response = await fetch(`${url}/status`);
      if (!response.ok) throw new Error(`/status: HTTP ${response.status}`);
      return (await response.json()) as Awaited<ReturnType<PonderProcess["status"]>>;
    },
    async logs() {
      const text = await readFile(logFile, "utf8").catch(() => "");
      return text
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as PonderLogLine);
    },
    async stop(stopOptions) {
      const alreadyStopped = child.hasExited();
      const result = await child.stop({ timeoutMs: stopOptions?.timeoutMs ?? 15_000 });
      if (!alreadyStopped && (stopOptions?.releaseLock ?? true) && command === "start") {
        await releaseSchemaLock(database, schema);
      }
      return result;
    },
  };

  try {
    const waitFor = options.waitFor ?? "ready";
    if (waitFor === "listening" || waitFor === "ready") {
      // Our own log line first: another server could answer on a reused port.
      await waitUntil(
        "ponder HTTP server",
        async () =>
          (await ponder.logs()).some((l) => l.msg === "Created HTTP server" && l.port === port) &&
          (await httpStatus(`${url}/health`)) === 200,
        { timeoutMs, child },
      );
    }
    if (waitFor === "ready") await ponder.waitReady();
  } catch (error) {
    await child.stop({ timeoutMs: 5_000 });
    throw error;
  }
  return ponder;
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL helpers
// ---------------------------------------------------------------------------------------------

async function withClient<T>(connectionString: string, fn: (client: PgClient) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Marks a schema unlocked in `_ponder_meta` (what Ponder's own shutdown means to do). Only for a
 * schema whose Ponder process is known to have exited: Ponder's lock is a heartbeat (10 s) with a
 * 25 s timeout, and `ponder start` waits the timeout out when it finds `is_locked = 1`
 * (src/database/index.ts, migrate). No-op if the schema or table does not exist.
 */
export async function releaseSchemaLock(database: PonderDatabase, schema: string): Promise<void> {
  const statement =
    `UPDATE ${quoteIdent(schema)}._ponder_meta ` +
    `SET value = jsonb_set(value, '{is_locked}', to_jsonb(0)) WHERE key = 'app'`;
  const exists = `SELECT to_regclass('${quoteIdent(schema).replace(/'/g, "''")}._ponder_meta') IS NOT NULL AS present`;
  if (database.kind === "postgres") {
    await withClient(database.url, async (c) => {
      const [row] = (await c.query<{ present: boolean }>(exists)).rows;
      if (row?.present) await c.query(statement);
    });
    return;
  }
  const db = new PGlite(database.directory!);
  try {
    const [row] = (await db.query<{ present: boolean }>(exists)).rows;
    if (row?.present) await db.query(statement);
  } finally {
    await db.close();
  }
}

/** Drops a Ponder schema (tables, reorg tables, _ponder_meta, live-query functions) if it exists. */
export async function dropSchema(databaseUrl: string, schema: string): Promise<void> {
  await withClient(databaseUrl, (c) => c.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`));
}

export type ScratchDatabase = { url: string; name: string; drop(): Promise<void> };

/**
 * A throw-away database next to the one in `databaseUrl`. Needed because Ponder keeps raw chain
 * data in one `ponder_sync` schema per database, keyed by (chain id, block number): a second local
 * chain with id 31337 in the same database would be served the first chain's blocks and logs
 * (inserts are ON CONFLICT DO NOTHING; src/sync-store/index.ts).
 */
export async function createScratchDatabase(databaseUrl: string, prefix = "station_run"): Promise<ScratchDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  await withClient(databaseUrl, (c) => c.query(`CREATE DATABASE ${quoteIdent(name)}`));
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () =>
      withClient(databaseUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`)).then(
        () => {},
      ),
  };
}

/** Runs one read query against PostgreSQL (tests use it to look behind the API). */
export async function queryPostgres<Row extends QueryResultRow = Record<string, unknown>>(
  databaseUrl: string,
  text: string,
  values: unknown[] = [],
): Promise<Row[]> {
  return withClient(databaseUrl, async (c) => (await c.query<Row>(text, values)).rows);
}
