import { z } from "zod";

/** Hardhat's chain: blocks are final after a couple of confirmations there. */
const LOCAL_CHAIN_ID = 31337;

const EnvSchema = z.object({
  SERVICE_HOST: z.string().min(1).default("127.0.0.1"),
  SERVICE_PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  /** PostgreSQL for the service's own tables; embedded PGlite under SERVICE_DATA_DIR when unset. */
  DATABASE_URL: z.string().url().optional(),
  SERVICE_DATA_DIR: z.string().min(1).default(".data/service"),
  /** The Ponder indexer's HTTP root (its SQL-over-HTTP endpoint is `<url>/sql`). */
  INDEXER_URL: z.string().url().default("http://127.0.0.1:42069"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  /** The chain whose head (from the indexer's /status) decides finality. */
  CHAIN_ID: z.coerce.number().int().positive().default(31337),
  /** Confirmations before a transition stops being "pending finality"; default 2 on 31337, else 12. */
  FINALITY_CONFIRMATIONS: z.coerce.number().int().min(0).max(10_000).optional(),
  /** A pending deadline is at risk once less than this share of its window is left. */
  SLA_AT_RISK_FRACTION: z.coerce.number().gt(0).lt(1).default(0.25),
  /**
   * How long public station figures (GET /v1/stats, /metrics) are reused before being recomputed in
   * the background; computing them scans every claim (about 1–2 s at 100,000 claims on PostgreSQL).
   */
  STATS_CACHE_SECONDS: z.coerce.number().min(0).max(3600).default(30),
  /** How long an identical SLA-queue request is answered from memory (0: never). */
  QUEUE_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
});

export type ServiceConfig = {
  host: string;
  port: number;
  databaseUrl: string | undefined;
  dataDir: string;
  indexerUrl: string;
  logLevel: "debug" | "info" | "warn" | "error" | "silent";
  chainId: number;
  finalityConfirmations: number;
  slaAtRiskFraction: number;
  statsCacheSeconds: number;
  queueCacheMs: number;
};

/** Reads the service's settings from the environment; throws a readable error on bad values. */
export function loadConfig(env: Record<string, string | undefined> = process.env): ServiceConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`invalid service configuration: ${problems}`);
  }
  const e = parsed.data;
  return {
    host: e.SERVICE_HOST,
    port: e.SERVICE_PORT,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.SERVICE_DATA_DIR,
    indexerUrl: e.INDEXER_URL,
    logLevel: e.LOG_LEVEL,
    chainId: e.CHAIN_ID,
    finalityConfirmations: e.FINALITY_CONFIRMATIONS ?? (e.CHAIN_ID === LOCAL_CHAIN_ID ? 2 : 12),
    slaAtRiskFraction: e.SLA_AT_RISK_FRACTION,
    statsCacheSeconds: e.STATS_CACHE_SECONDS,
    queueCacheMs: e.QUEUE_CACHE_MS,
  };
}
