import { getAddress, isAddress, type Address } from "viem";
import { z } from "zod";

import type { ObjectStoreConfig } from "./cases/files.js";

/** "true"/"false"/"1"/"0" from the environment. */
const Flag = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");
const Millis = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
/** Hardhat's chain: blocks are final after a couple of confirmations there. */
const LOCAL_CHAIN_ID = 31337;

const OptionalAddress = z
  .string()
  .refine((s) => isAddress(s), "must be an address (20-byte hex, valid checksum if mixed-case)")
  .transform((s) => getAddress(s))
  .optional();

const EnvSchema = z.object({
  SERVICE_HOST: z.string().min(1).default("127.0.0.1"),
  SERVICE_PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  /** `local` (a developer machine: local webhook receivers allowed, secrets may be stored unencrypted) or `production`. */
  SERVICE_MODE: z.enum(["local", "production"]).default("local"),
  /** PostgreSQL for the service's own tables; embedded PGlite under SERVICE_DATA_DIR when unset. */
  DATABASE_URL: z.string().url().optional(),
  SERVICE_DATA_DIR: z.string().min(1).default(".data/service"),
  /** The Ponder indexer's HTTP root (its SQL-over-HTTP endpoint is `<url>/sql`). */
  INDEXER_URL: z.string().url().default("http://127.0.0.1:42069"),
  /**
   * Claim, queue and station-figure reads straight from PostgreSQL — a read-only standby of the
   * indexer's database — instead of through Ponder's SQL over HTTP (whose answers a standby cannot
   * keep fresh: docs/operations.md, "ponder serve on a standby"). The chain head and the change
   * notifications still come from INDEXER_URL.
   */
  INDEXER_DATABASE_URL: z
    .string()
    .url()
    .refine((u) => /^postgres(ql)?:$/.test(new URL(u).protocol), { message: "must be a postgres:// URL" })
    .optional(),
  /** The indexer's database schema (Ponder's `--schema`); required with INDEXER_DATABASE_URL. */
  INDEXER_DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, "must be a plain lower-case schema name")
    .optional(),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  /** How long an info line (the access log's) may wait to be written with others; 0: at once. */
  LOG_FLUSH_MS: Millis(0, 10_000).default(200),
  /** JSON-RPC of the chain (role checks, EIP-1271 signatures, the relayer). */
  RPC_URL: z.string().url().default("http://127.0.0.1:8545"),
  CHAIN_ID: z.coerce.number().int().positive().default(31337),
  /** The CompensationPool; its on-chain ASSESSOR_ROLE decides who may use assessor endpoints. */
  POOL_ADDRESS: z
    .string()
    .refine((s) => isAddress(s), "must be an address (20-byte hex, valid checksum if mixed-case)")
    .transform((s) => getAddress(s))
    .optional(),
  /** The authority (host[:port]) the web page is served from; SIWE messages must name it. */
  SIWE_DOMAIN: z.string().min(1).optional(),
  /** The station's public base URL (behind a proxy): printed on emergency cards and their QR codes. */
  PUBLIC_URL: z
    .string()
    .url()
    .refine((u) => /^https?:$/.test(new URL(u).protocol), { message: "must be an http(s) URL" })
    .transform((u) => new URL(u).origin)
    .optional(),
  /** Nonces one client address may ask for per minute (POST /v1/auth/nonce is unauthenticated). */
  AUTH_NONCE_PER_IP_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(20),
  /** How often expired nonces and sessions are deleted. */
  AUTH_PURGE_SECONDS: z.coerce.number().int().min(10).max(86_400).default(600),
  /** Round drafts never published are deleted (with their leaves) this many hours after upload. */
  ROUND_DRAFT_TTL_HOURS: z.coerce.number().int().min(1).max(8_760).default(168),
  /** Case files no opening statement or message cites are deleted this many hours after upload. */
  CASE_UPLOAD_TTL_HOURS: z.coerce.number().int().min(1).max(8_760).default(24),
  /** Opening statements no claim was filed with are deleted (contact included) this many days after storing. */
  CASE_OPENING_TTL_DAYS: z.coerce.number().int().min(1).max(3_650).default(30),
  DESK_TAKEOVER_MINUTES: z.coerce.number().int().min(1).max(1_440).default(15),
  /** Contracts the web page uses besides the pool (set by `npm start`); unset ones are null on the page. */
  STATION_C_TOKEN: OptionalAddress,
  STATION_STABLECOIN: OptionalAddress,
  STATION_STAKING: OptionalAddress,
  STATION_PACKAGES: OptionalAddress,
  SIWE_NONCE_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(600),
  SESSION_TTL_SECONDS: z.coerce.number().int().min(60).max(2_592_000).default(86_400),
  /** The relayer's key (pays the gas of gasless claims). On the local chain a development key is the default. */
  RELAYER_PRIVATE_KEY: z
    .string()
    .regex(/^0x[0-9a-fA-F]{64}$/, "must be a 32-byte 0x-prefixed hex private key")
    .optional(),
  RELAY_PER_ADDRESS_PER_HOUR: z.coerce.number().int().min(1).max(10_000).default(5),
  /** Case writes (messages, openings, uploads, ratings) per signed-in address per minute. */
  CASE_WRITES_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(30),
  /** Case files in an S3-compatible bucket (its URL, path-style) instead of the database; unset: the database. */
  CASE_FILES_S3_URL: z
    .string()
    .url()
    .refine((u) => /^https?:\/\//.test(u), "must be an http(s) URL")
    .optional(),
  CASE_FILES_S3_REGION: z.string().min(1).max(64).default("us-east-1"),
  CASE_FILES_S3_ACCESS_KEY_ID: z.string().min(1).max(256).optional(),
  CASE_FILES_S3_SECRET_ACCESS_KEY: z.string().min(1).max(256).optional(),
  CASE_FILES_S3_TIMEOUT_MS: Millis(100, 120_000).default(10_000),
  RELAY_PER_IP_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(30),
  RELAY_MIN_DEADLINE_MARGIN_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
  /** Run the status feed, the webhook sender and the alert watchers in this replica. */
  SERVICE_BACKGROUND: Flag.default(true),

  // ─── Webhooks ───────────────────────────────────────────────────────────────
  /** Accept http://127.0.0.1 / localhost receivers. Default: true in local mode only. */
  WEBHOOK_ALLOW_LOCAL: Flag.optional(),
  /** 32 bytes (64 hex characters or base64) encrypting subscription secrets at rest. Required in production. */
  WEBHOOK_SECRET_KEY: z
    .string()
    .regex(/^(?:[0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$/, "must be 32 bytes as 64 hex characters or base64")
    .optional(),
  WEBHOOK_TIMEOUT_MS: Millis(100, 120_000).default(10_000),
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(10),
  WEBHOOK_RETRY_BASE_MS: Millis(1, 3_600_000).default(2_000),
  WEBHOOK_RETRY_MAX_MS: Millis(1, 86_400_000).default(3_600_000),
  /** How long a claimed delivery stays leased to its worker; must exceed the timeout. Default: timeout + 30 s. */
  WEBHOOK_LEASE_MS: Millis(1_000, 3_600_000).optional(),
  WEBHOOK_POLL_MS: Millis(10, 60_000).default(500),
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),

  // ─── Status feed ────────────────────────────────────────────────────────────
  /** Blocks on top of an event before it is delivered. Default: 0 in local mode, 12 in production. */
  FEED_CONFIRMATIONS: z.coerce.number().int().min(0).max(10_000).optional(),
  FEED_POLL_MS: Millis(10, 60_000).default(1_000),
  FEED_BATCH_SIZE: z.coerce.number().int().min(1).max(5_000).default(500),
  /** Be woken by @ponder/client live queries instead of waiting for the next poll. */
  FEED_LIVE: Flag.default(true),

  /** A pending deadline is at risk once less than this share of its window is left. */
  SLA_AT_RISK_FRACTION: z.coerce.number().gt(0).lt(1).default(0.25),

  // ─── Alerts ─────────────────────────────────────────────────────────────────
  ALERTS_CHECK_MS: Millis(10, 600_000).default(5_000),
  /** Deadlines passed longer ago than this are not alerted any more (e.g. after a long outage). */
  SLA_LOOKBACK_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .default(7 * 86_400),
  /** Coverage ending within this many seconds raises `coverage.expiring` once per (beneficiary, coveredUntil). */
  COVERAGE_EXPIRING_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .default(3 * 86_400),
  /** Confirmations before a transition stops being "pending finality"; default 2 on 31337, else 12. */
  FINALITY_CONFIRMATIONS: z.coerce.number().int().min(0).max(10_000).optional(),
  /**
   * How long public station figures (GET /v1/stats, /metrics) are reused before being recomputed in
   * the background; computing them scans every claim (about 1–2 s at 100,000 claims on PostgreSQL).
   */
  STATS_CACHE_SECONDS: z.coerce.number().min(0).max(3600).default(30),
  /**
   * Keep the station figures in a ledger that follows the claim cache's changes (~450 bytes of heap
   * a claim); false: recompute them from the indexer every STATS_CACHE_SECONDS, as without a claim
   * cache (a replica that serves reads without holding every claim).
   */
  STATS_LEDGER: Flag.default(true),
  /** How long an identical SLA-queue request is answered from memory (0: never). */
  QUEUE_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  /** Claims whose indexed data claim and queue reads keep in memory (0: none; see service/src/claims/cache.ts). */
  CLAIM_CACHE_SIZE: z.coerce.number().int().min(0).max(1_000_000).default(50_000),
  /**
   * Claims the claim cache keeps packed besides those (under 1 KB each, off the heap: evicted, read
   * once, or older than the newest CLAIM_CACHE_SIZE at warm-up), so that reads of them need no round
   * trip (0: none).
   */
  CLAIM_CACHE_PACKED: z.coerce.number().int().min(0).max(20_000_000).default(1_000_000),
  /** The claim cache's staleness bound: its answers reflect the indexer as of at most this long ago. */
  CLAIM_CACHE_STALE_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
  /** Fill the claim cache with the newest claims at start (and after it was emptied) rather than on demand only. */
  CLAIM_CACHE_WARM: Flag.default(true),
});

export type WebhookConfig = {
  allowLocal: boolean;
  /** The 32-byte key encrypting secrets at rest, or undefined (local mode only: stored as is). */
  secretKey: Buffer | undefined;
  timeoutMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  leaseMs: number;
  pollMs: number;
  concurrency: number;
};

export type FeedConfig = {
  confirmations: number;
  pollMs: number;
  batchSize: number;
  live: boolean;
};

export type AlertsConfig = {
  checkMs: number;
  slaLookbackSeconds: number;
  coverageExpiringSeconds: number;
};

export type ServiceConfig = {
  host: string;
  port: number;
  mode: "local" | "production";
  databaseUrl: string | undefined;
  dataDir: string;
  indexerUrl: string;
  /** Reads straight from a PostgreSQL copy of the indexer's database (INDEXER_DATABASE_URL), if set. */
  indexerDatabase: { url: string; schema: string } | undefined;
  logLevel: "debug" | "info" | "warn" | "error" | "silent";
  logFlushMs: number;
  rpcUrl: string;
  chainId: number;
  poolAddress: Address | undefined;
  /** Base URL on emergency cards; unset: the origin each request came to. */
  publicUrl: string | undefined;
  /** The other contracts the web page is told about (`/station-config.json`). */
  pageAddresses: Record<"cToken" | "stablecoin" | "staking" | "packages", Address | undefined>;
  siwe: {
    domain: string;
    chainId: number;
    nonceTtlSeconds: number;
    sessionTtlSeconds: number;
    noncesPerIpPerMinute: number;
    purgeSeconds: number;
  };
  relayer: {
    privateKey: `0x${string}` | undefined;
    perAddressPerHour: number;
    perIpPerHour: number;
    minDeadlineMarginSeconds: number;
  };
  cases: {
    writesPerAddressPerMinute: number;
    /** The bucket case files are stored in; undefined: the service's database. */
    files: ObjectStoreConfig | undefined;
    /** Files no record cites are deleted this long after upload. */
    uploadTtlSeconds: number;
    /** Opening statements no claim was filed with are deleted this long after they were stored. */
    openingTtlSeconds: number;
  };
  rounds: { draftTtlSeconds: number };
  desk: { takeoverAfterSeconds: number };
  slaAtRiskFraction: number;
  background: boolean;
  webhooks: WebhookConfig;
  feed: FeedConfig;
  alerts: AlertsConfig;
  finalityConfirmations: number;
  statsCacheSeconds: number;
  /** Station figures from a ledger fed by the claim cache (true), or recomputed (false). */
  statsLedger: boolean;
  queueCacheMs: number;
  claimCache: { size: number; packed: number; staleMs: number; warm: boolean };
};

/** Hardhat's well-known development account #9: the local relayer when no key is configured. */
const LOCAL_RELAYER_KEY = "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6";

/** Reads the service's settings from the environment; throws a readable error on bad values. */
export function loadConfig(env: Record<string, string | undefined> = process.env): ServiceConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`invalid service configuration: ${problems}`);
  }
  const e = parsed.data;
  const local = e.SERVICE_MODE === "local";
  const problems: string[] = [];
  if (!local && e.WEBHOOK_SECRET_KEY === undefined) {
    problems.push("WEBHOOK_SECRET_KEY: required in production mode (webhook secrets are encrypted at rest)");
  }
  const leaseMs = e.WEBHOOK_LEASE_MS ?? e.WEBHOOK_TIMEOUT_MS + 30_000;
  if (leaseMs <= e.WEBHOOK_TIMEOUT_MS) {
    problems.push("WEBHOOK_LEASE_MS: must be longer than WEBHOOK_TIMEOUT_MS");
  }
  if (e.WEBHOOK_RETRY_MAX_MS < e.WEBHOOK_RETRY_BASE_MS) {
    problems.push("WEBHOOK_RETRY_MAX_MS: must not be below WEBHOOK_RETRY_BASE_MS");
  }
  if ((e.INDEXER_DATABASE_URL === undefined) !== (e.INDEXER_DATABASE_SCHEMA === undefined)) {
    problems.push("INDEXER_DATABASE_URL and INDEXER_DATABASE_SCHEMA: set both or neither");
  }
  const s3Keys = [e.CASE_FILES_S3_ACCESS_KEY_ID, e.CASE_FILES_S3_SECRET_ACCESS_KEY];
  if (e.CASE_FILES_S3_URL !== undefined && s3Keys.includes(undefined)) {
    problems.push("CASE_FILES_S3_URL: needs CASE_FILES_S3_ACCESS_KEY_ID and CASE_FILES_S3_SECRET_ACCESS_KEY");
  }
  if (e.CASE_FILES_S3_URL === undefined && s3Keys.some((k) => k !== undefined)) {
    problems.push("CASE_FILES_S3_ACCESS_KEY_ID, CASE_FILES_S3_SECRET_ACCESS_KEY: set CASE_FILES_S3_URL too");
  }
  if (problems.length > 0) throw new Error(`invalid service configuration: ${problems.join("; ")}`);
  const key = e.WEBHOOK_SECRET_KEY;
  return {
    host: e.SERVICE_HOST,
    port: e.SERVICE_PORT,
    mode: e.SERVICE_MODE,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.SERVICE_DATA_DIR,
    indexerUrl: e.INDEXER_URL,
    indexerDatabase:
      e.INDEXER_DATABASE_URL === undefined || e.INDEXER_DATABASE_SCHEMA === undefined
        ? undefined
        : { url: e.INDEXER_DATABASE_URL, schema: e.INDEXER_DATABASE_SCHEMA },
    logLevel: e.LOG_LEVEL,
    logFlushMs: e.LOG_FLUSH_MS,
    rpcUrl: e.RPC_URL,
    chainId: e.CHAIN_ID,
    poolAddress: e.POOL_ADDRESS,
    publicUrl: e.PUBLIC_URL,
    siwe: {
      domain: e.SIWE_DOMAIN ?? `${e.SERVICE_HOST}:${e.SERVICE_PORT}`,
      chainId: e.CHAIN_ID,
      nonceTtlSeconds: e.SIWE_NONCE_TTL_SECONDS,
      sessionTtlSeconds: e.SESSION_TTL_SECONDS,
      noncesPerIpPerMinute: e.AUTH_NONCE_PER_IP_PER_MINUTE,
      purgeSeconds: e.AUTH_PURGE_SECONDS,
    },
    pageAddresses: {
      cToken: e.STATION_C_TOKEN,
      stablecoin: e.STATION_STABLECOIN,
      staking: e.STATION_STAKING,
      packages: e.STATION_PACKAGES,
    },
    relayer: {
      privateKey: asHexKey(e.RELAYER_PRIVATE_KEY ?? (e.CHAIN_ID === LOCAL_CHAIN_ID ? LOCAL_RELAYER_KEY : undefined)),
      perAddressPerHour: e.RELAY_PER_ADDRESS_PER_HOUR,
      perIpPerHour: e.RELAY_PER_IP_PER_HOUR,
      minDeadlineMarginSeconds: e.RELAY_MIN_DEADLINE_MARGIN_SECONDS,
    },
    cases: {
      writesPerAddressPerMinute: e.CASE_WRITES_PER_MINUTE,
      files:
        e.CASE_FILES_S3_URL === undefined
          ? undefined
          : {
              url: e.CASE_FILES_S3_URL,
              region: e.CASE_FILES_S3_REGION,
              accessKeyId: e.CASE_FILES_S3_ACCESS_KEY_ID!,
              secretAccessKey: e.CASE_FILES_S3_SECRET_ACCESS_KEY!,
              timeoutMs: e.CASE_FILES_S3_TIMEOUT_MS,
            },
      uploadTtlSeconds: e.CASE_UPLOAD_TTL_HOURS * 3_600,
      openingTtlSeconds: e.CASE_OPENING_TTL_DAYS * 86_400,
    },
    rounds: { draftTtlSeconds: e.ROUND_DRAFT_TTL_HOURS * 3_600 },
    desk: { takeoverAfterSeconds: e.DESK_TAKEOVER_MINUTES * 60 },
    slaAtRiskFraction: e.SLA_AT_RISK_FRACTION,
    background: e.SERVICE_BACKGROUND,
    webhooks: {
      allowLocal: e.WEBHOOK_ALLOW_LOCAL ?? local,
      secretKey: key === undefined ? undefined : Buffer.from(key, key.length === 64 ? "hex" : "base64"),
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
      maxAttempts: e.WEBHOOK_MAX_ATTEMPTS,
      retryBaseMs: e.WEBHOOK_RETRY_BASE_MS,
      retryMaxMs: e.WEBHOOK_RETRY_MAX_MS,
      leaseMs,
      pollMs: e.WEBHOOK_POLL_MS,
      concurrency: e.WEBHOOK_CONCURRENCY,
    },
    feed: {
      confirmations: e.FEED_CONFIRMATIONS ?? (local ? 0 : 12),
      pollMs: e.FEED_POLL_MS,
      batchSize: e.FEED_BATCH_SIZE,
      live: e.FEED_LIVE,
    },
    alerts: {
      checkMs: e.ALERTS_CHECK_MS,
      slaLookbackSeconds: e.SLA_LOOKBACK_SECONDS,
      coverageExpiringSeconds: e.COVERAGE_EXPIRING_SECONDS,
    },
    finalityConfirmations: e.FINALITY_CONFIRMATIONS ?? (e.CHAIN_ID === LOCAL_CHAIN_ID ? 2 : 12),
    statsCacheSeconds: e.STATS_CACHE_SECONDS,
    statsLedger: e.STATS_LEDGER,
    queueCacheMs: e.QUEUE_CACHE_MS,
    claimCache: {
      size: e.CLAIM_CACHE_SIZE,
      packed: e.CLAIM_CACHE_PACKED,
      staleMs: e.CLAIM_CACHE_STALE_MS,
      warm: e.CLAIM_CACHE_WARM,
    },
  };
}

function asHexKey(key: string | undefined): `0x${string}` | undefined {
  if (key === undefined) return undefined;
  if (!/^0x[0-9a-fA-F]{64}$/.test(key)) throw new Error("invalid service configuration: RELAYER_PRIVATE_KEY");
  return `0x${key.slice(2)}`;
}
