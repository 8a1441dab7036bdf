/**
 * A local chain for tests, benches and `npm start`: a Hardhat 3 node in a child process on
 * 127.0.0.1 (free port by default), its RPC log in .data/logs/, plus JSON-RPC helpers that work on
 * any node (`devChainClient(url)`).
 *
 *   const chain = await startDevChain();
 *   try { await chain.mine(3); const id = await chain.snapshot(); … } finally { await chain.stop(); }
 *
 * Mining is an `evm_mine` loop on purpose: `hardhat_mine` with a count above 1 produces blocks
 * whose parent hash Ponder rejects ("Detected forked block").
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

import { REPO_ROOT, freePort, runPath, spawnManaged, waitUntil, type Managed } from "./proc.js";

export const DEV_CHAIN_ID = 31337;

export class JsonRpcError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(`${method}: ${message} (${code})`);
  }
}

let nextId = 1;

/** One JSON-RPC call over HTTP. */
export async function rpcCall<T = unknown>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: nextId++, method, params }),
  });
  if (!response.ok) throw new JsonRpcError(method, response.status, `HTTP ${response.status}`);
  const body = (await response.json()) as { result?: T; error?: { code: number; message: string; data?: unknown } };
  if (body.error) throw new JsonRpcError(method, body.error.code, body.error.message, body.error.data);
  return body.result as T;
}

/** Many JSON-RPC calls in one HTTP request; results in call order; throws on the first error. */
export async function rpcBatch<T = unknown>(
  url: string,
  calls: readonly { method: string; params?: unknown[] }[],
): Promise<T[]> {
  if (calls.length === 0) return [];
  const first = nextId;
  nextId += calls.length;
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(
      calls.map((c, i) => ({ jsonrpc: "2.0", id: first + i, method: c.method, params: c.params ?? [] })),
    ),
  });
  if (!response.ok) throw new JsonRpcError("batch", response.status, `HTTP ${response.status}`);
  const bodies = (await response.json()) as {
    id: number;
    result?: T;
    error?: { code: number; message: string; data?: unknown };
  }[];
  const byId = new Map(bodies.map((b) => [b.id, b]));
  return calls.map((call, i) => {
    const body = byId.get(first + i);
    if (body === undefined) throw new JsonRpcError(call.method, -1, "no response in batch");
    if (body.error) throw new JsonRpcError(call.method, body.error.code, body.error.message, body.error.data);
    return body.result as T;
  });
}

export type DevChainClient = {
  readonly url: string;
  rpc<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  /** A JSON-RPC batch: one HTTP request, results in order. */
  rpcBatch<T = unknown>(calls: readonly { method: string; params?: unknown[] }[]): Promise<T[]>;
  chainId(): Promise<number>;
  blockNumber(): Promise<bigint>;
  /** Mines `n` blocks, one `evm_mine` each (default 1). */
  mine(n?: number): Promise<void>;
  /** `evm_snapshot`: an id for `revert`. A snapshot can be reverted to once. */
  snapshot(): Promise<string>;
  /** `evm_revert`: back to the snapshot's chain state; throws if the node refuses. */
  revert(id: string): Promise<void>;
  /** `evm_increaseTime`; then mines one block (so the new time is visible) unless `mine: false`. */
  increaseTime(seconds: number | bigint, options?: { mine?: boolean }): Promise<void>;
  /** `evm_setAutomine`: with false, transactions wait in the mempool until `mine()`. */
  setAutomine(enabled: boolean): Promise<void>;
  /**
   * `eth_sendTransaction` from the node's unlocked dev accounts, `batchSize` calls per HTTP
   * request (with automine on, each transaction gets its own block). Returns the hashes in order.
   */
  sendTransactions(txs: readonly DevTransaction[], options?: { batchSize?: number }): Promise<Hex[]>;
  /** Receipts of mined transactions, in order (one batch request per `batchSize`). */
  receipts(hashes: readonly Hex[], options?: { batchSize?: number }): Promise<DevReceipt[]>;
};

export type Hex = `0x${string}`;
export type DevTransaction = { from: Hex; to: Hex; data?: Hex; value?: bigint; gas?: bigint };
export type DevReceipt = {
  transactionHash: Hex;
  blockNumber: Hex;
  blockHash: Hex;
  status: Hex;
  logs: { address: Hex; topics: Hex[]; data: Hex; logIndex: Hex; blockNumber: Hex; transactionHash: Hex }[];
};

function toRpcTx(tx: DevTransaction): Record<string, string> {
  const out: Record<string, string> = { from: tx.from, to: tx.to };
  if (tx.data !== undefined) out.data = tx.data;
  if (tx.value !== undefined) out.value = `0x${tx.value.toString(16)}`;
  if (tx.gas !== undefined) out.gas = `0x${tx.gas.toString(16)}`;
  return out;
}

async function inBatches<In, Out>(items: readonly In[], size: number, fn: (chunk: In[]) => Promise<Out[]>) {
  const out: Out[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await fn(items.slice(i, i + size))));
  return out;
}

export function devChainClient(url: string): DevChainClient {
  const rpc = <T>(method: string, params: unknown[] = []) => rpcCall<T>(url, method, params);
  return {
    url,
    rpc,
    rpcBatch: (calls) => rpcBatch(url, calls),
    chainId: async () => Number(await rpc<string>("eth_chainId")),
    blockNumber: async () => BigInt(await rpc<string>("eth_blockNumber")),
    async mine(n = 1) {
      for (let i = 0; i < n; i++) await rpc("evm_mine");
    },
    snapshot: () => rpc<string>("evm_snapshot"),
    async revert(id) {
      if ((await rpc<boolean>("evm_revert", [id])) !== true) throw new Error(`evm_revert(${id}) refused`);
    },
    async increaseTime(seconds, { mine = true } = {}) {
      await rpc("evm_increaseTime", [Number(seconds)]);
      if (mine) await rpc("evm_mine");
    },
    async setAutomine(enabled) {
      await rpc("evm_setAutomine", [enabled]);
    },
    sendTransactions: (txs, { batchSize = 100 } = {}) =>
      inBatches(txs, batchSize, (chunk) =>
        rpcBatch<Hex>(
          url,
          chunk.map((tx) => ({ method: "eth_sendTransaction", params: [toRpcTx(tx)] })),
        ),
      ),
    receipts: (hashes, { batchSize = 200 } = {}) =>
      inBatches(hashes, batchSize, async (chunk) => {
        const receipts = await rpcBatch<DevReceipt | null>(
          url,
          chunk.map((hash) => ({ method: "eth_getTransactionReceipt", params: [hash] })),
        );
        return receipts.map((receipt, i) => {
          if (receipt === null) throw new Error(`no receipt for ${chunk[i]}`);
          return receipt;
        });
      }),
  };
}

export type DevChain = DevChainClient & {
  readonly port: number;
  readonly wsUrl: string;
  readonly logFile: string;
  readonly pid: number;
  readonly process: Managed;
  /** SIGTERM, then SIGKILL to the process group after `timeoutMs` (default 10 s). Idempotent. */
  stop(options?: { timeoutMs?: number }): Promise<void>;
};

export type DevChainOptions = {
  /** Default: a free port (retried on a clash). */
  port?: number;
  /** Default: .data/logs/hardhat-node-<pid>-<id>.log */
  logFile?: string;
  /** Default 30 s. */
  readyTimeoutMs?: number;
  /** Extra env for the node process. */
  env?: NodeJS.ProcessEnv;
};

const hardhatCli = path.join(
  path.dirname(createRequire(import.meta.url).resolve("hardhat/package.json")),
  "dist",
  "src",
  "cli.js",
);

/** Starts `hardhat node --hostname 127.0.0.1 --port <p>` and resolves once it answers JSON-RPC. */
export async function startDevChain(options: DevChainOptions = {}): Promise<DevChain> {
  const attempts = options.port === undefined ? 3 : 1;
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const port = options.port ?? (await freePort());
    const logFile = options.logFile ?? `${runPath("logs", "hardhat-node")}.log`;
    const child = spawnManaged(
      process.execPath,
      [hardhatCli, "node", "--hostname", "127.0.0.1", "--port", String(port)],
      { cwd: REPO_ROOT, env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1", ...options.env }, logFile },
    );
    const url = `http://127.0.0.1:${port}`;
    const client = devChainClient(url);
    try {
      // Our own banner first: with a port clash, another node could answer on that port.
      const banner = `Started HTTP and WebSocket JSON-RPC server at ${url}/`;
      await waitUntil(
        "hardhat node answering JSON-RPC",
        async () => (await readFile(logFile, "utf8")).includes(banner) && (await client.chainId()) === DEV_CHAIN_ID,
        { timeoutMs: options.readyTimeoutMs ?? 30_000, child },
      );
    } catch (error) {
      lastError = error;
      await child.stop({ timeoutMs: 2_000 });
      continue;
    }
    return {
      ...client,
      port,
      wsUrl: `ws://127.0.0.1:${port}`,
      logFile,
      pid: child.pid,
      process: child,
      async stop(stopOptions) {
        await child.stop(stopOptions);
      },
    };
  }
  throw lastError;
}
