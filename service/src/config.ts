import { getAddress, isAddress, type Address } from "viem";
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
  SIWE_NONCE_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(600),
  SESSION_TTL_SECONDS: z.coerce.number().int().min(60).max(2_592_000).default(86_400),
  /** The relayer's key (pays the gas of gasless claims). On the local chain a development key is the default. */
  RELAYER_PRIVATE_KEY: z
    .string()
    .regex(/^0x[0-9a-fA-F]{64}$/, "must be a 32-byte 0x-prefixed hex private key")
    .optional(),
  RELAY_PER_ADDRESS_PER_HOUR: z.coerce.number().int().min(1).max(10_000).default(5),
  RELAY_PER_IP_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(30),
  RELAY_MIN_DEADLINE_MARGIN_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
});

export type ServiceConfig = {
  host: string;
  port: number;
  databaseUrl: string | undefined;
  dataDir: string;
  indexerUrl: string;
  logLevel: "debug" | "info" | "warn" | "error" | "silent";
  rpcUrl: string;
  chainId: number;
  poolAddress: Address | undefined;
  siwe: { domain: string; chainId: number; nonceTtlSeconds: number; sessionTtlSeconds: number };
  relayer: {
    privateKey: `0x${string}` | undefined;
    perAddressPerHour: number;
    perIpPerHour: number;
    minDeadlineMarginSeconds: number;
  };
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
  return {
    host: e.SERVICE_HOST,
    port: e.SERVICE_PORT,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.SERVICE_DATA_DIR,
    indexerUrl: e.INDEXER_URL,
    logLevel: e.LOG_LEVEL,
    rpcUrl: e.RPC_URL,
    chainId: e.CHAIN_ID,
    poolAddress: e.POOL_ADDRESS,
    siwe: {
      domain: e.SIWE_DOMAIN ?? `${e.SERVICE_HOST}:${e.SERVICE_PORT}`,
      chainId: e.CHAIN_ID,
      nonceTtlSeconds: e.SIWE_NONCE_TTL_SECONDS,
      sessionTtlSeconds: e.SESSION_TTL_SECONDS,
    },
    relayer: {
      privateKey: asHexKey(e.RELAYER_PRIVATE_KEY ?? (e.CHAIN_ID === 31337 ? LOCAL_RELAYER_KEY : undefined)),
      perAddressPerHour: e.RELAY_PER_ADDRESS_PER_HOUR,
      perIpPerHour: e.RELAY_PER_IP_PER_HOUR,
      minDeadlineMarginSeconds: e.RELAY_MIN_DEADLINE_MARGIN_SECONDS,
    },
  };
}

function asHexKey(key: string | undefined): `0x${string}` | undefined {
  if (key === undefined) return undefined;
  if (!/^0x[0-9a-fA-F]{64}$/.test(key)) throw new Error("invalid service configuration: RELAYER_PRIVATE_KEY");
  return `0x${key.slice(2)}`;
}
