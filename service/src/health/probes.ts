/**
 * Readiness probes: can this replica reach what it serves from? `/ready` runs them concurrently,
 * each bounded by a timeout, and names every dependency that is down, so an orchestrator (or a
 * person with curl) can tell a dead indexer from a dead database or an unreachable chain.
 */
import { sql } from "drizzle-orm";

import type { Database } from "../db/client.js";

/** Resolves with what the dependency reported (e.g. its block), rejects when it is down. */
export type Probe = () => Promise<Record<string, unknown> | void>;

export type ProbeResult = { ok: true; ms: number; [key: string]: unknown } | { ok: false; ms: number; error: string };

export type ReadinessProbes = Record<string, Probe>;

export function databaseProbe(db: Database): Probe {
  return async () => {
    await db.execute(sql`SELECT 1`);
  };
}

/**
 * The indexer answers its `/status` (Ponder serves it from startup, during the backfill too) and
 * reports the service's chain. A backfill in progress is reported, not failed: reads answer from
 * what is indexed, and taking every replica out of rotation during a backfill helps nobody.
 */
export function indexerProbe(indexerUrl: string, chainId: number, timeoutMs: number): Probe {
  const url = `${indexerUrl.replace(/\/+$/, "")}/status`;
  return async () => {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) throw new Error(`GET /status answered ${res.status}`);
    const status = (await res.json()) as Record<string, { id?: number; block?: { number?: number } }>;
    const chain = Object.values(status).find((c) => c?.id === chainId);
    if (chain === undefined) throw new Error(`the indexer does not index chain ${chainId}`);
    return { block: chain.block?.number ?? null };
  };
}

/** The chain's RPC answers `eth_chainId` with the configured chain. */
export function chainProbe(rpcUrl: string, chainId: number, timeoutMs: number): Probe {
  return async () => {
    const res = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) throw new Error(`RPC answered HTTP ${res.status}`);
    const body = (await res.json()) as { result?: string; error?: { message?: string } };
    if (body.result === undefined) throw new Error(`RPC error: ${body.error?.message ?? "no result"}`);
    const id = Number(BigInt(body.result));
    if (id !== chainId) throw new Error(`RPC serves chain ${id}, not ${chainId}`);
    return { chainId: id };
  };
}

/** Runs every probe at once, each within `timeoutMs`. */
export async function runProbes(probes: ReadinessProbes, timeoutMs: number): Promise<Record<string, ProbeResult>> {
  const entries = await Promise.all(
    Object.entries(probes).map(async ([name, probe]): Promise<[string, ProbeResult]> => {
      const started = performance.now();
      const ms = () => Math.round(performance.now() - started);
      let timer: NodeJS.Timeout | undefined;
      try {
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        });
        const detail = (await Promise.race([probe(), timeout])) ?? {};
        return [name, { ok: true, ms: ms(), ...detail }];
      } catch (err) {
        const error =
          err instanceof Error
            ? err.name === "TimeoutError"
              ? `no answer within ${timeoutMs} ms`
              : err.message
            : String(err);
        return [name, { ok: false, ms: ms(), error }];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return Object.fromEntries(entries);
}
