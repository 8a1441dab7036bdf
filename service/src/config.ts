import { z } from "zod";

const EnvSchema = z.object({
  SERVICE_HOST: z.string().min(1).default("127.0.0.1"),
  SERVICE_PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  /** PostgreSQL for the service's own tables; embedded PGlite under SERVICE_DATA_DIR when unset. */
  DATABASE_URL: z.string().url().optional(),
  SERVICE_DATA_DIR: z.string().min(1).default(".data/service"),
  /** The Ponder indexer's HTTP root (its SQL-over-HTTP endpoint is `<url>/sql`). */
  INDEXER_URL: z.string().url().default("http://127.0.0.1:42069"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
});

export type ServiceConfig = {
  host: string;
  port: number;
  databaseUrl: string | undefined;
  dataDir: string;
  indexerUrl: string;
  logLevel: "debug" | "info" | "warn" | "error" | "silent";
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
  };
}
