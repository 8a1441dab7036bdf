import type { Registry } from "prom-client";

import type { AuthGuards } from "./auth/guards.js";
import type { StaffRoleChecker } from "./auth/onchain.js";
import type { SignatureVerifier } from "./auth/siwe.js";
import type { SiweAuth } from "./auth/siwe.js";
import type { ServiceConfig } from "./config.js";
import type { Database } from "./db/client.js";
import type { IndexerSource } from "./feed/source.js";
import type { ReadinessProbes } from "./health/probes.js";
import type { Logger } from "./http/router.js";
import type { IndexerReader } from "./indexer/reader.js";
import type { Relayer } from "./relayer/relayer.js";
import type { HostResolver } from "./webhooks/url.js";

/** What every route module receives. Route modules add their own needs here as they land. */
export type AppDeps = {
  db: Database;
  config: ServiceConfig;
  log: Logger;
  auth: AuthGuards;
  /** Prometheus registry served at GET /metrics; features register their metrics into it. */
  metrics: Registry;
  /** Sign-In with Ethereum routes; absent in route tests that use test guards. */
  siwe?: SiweAuth;
  /** The gasless claim relayer; absent when the station does not relay (POST /v1/relay/claims answers 503). */
  relayer?: Relayer;
  /** The delivery side's view of the indexer: its tables, its head, change notifications. */
  indexerSource: IndexerSource;
  /** Wall clock in milliseconds; deadlines are judged against it. */
  now: () => number;
  /** Called when a route queued webhook deliveries (wakes this replica's sender). */
  wakeSender?: () => void;
  /** The read side's view of the indexer: claims, transitions, the chain head. */
  indexer: IndexerReader;
  /**
   * Readiness probes besides the database's (`/ready`): the running service adds the indexer and
   * the chain; tests inject their own.
   */
  probes?: ReadinessProbes;
  /** The pool's staff roles of an address, on-chain (cases open to them); absent: nobody is staff. */
  staffRoles?: StaffRoleChecker;
  /** Checks a personal_sign signature (EOA, and EIP-1271 wallets through the chain); default: EOA only. */
  verifySignature?: SignatureVerifier;
  /** Resolves webhook receiver host names (default: the system resolver; tests inject one). */
  resolveHost?: HostResolver;
};
