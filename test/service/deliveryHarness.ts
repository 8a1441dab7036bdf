/**
 * Shared setup for the delivery-side tests: a migrated service database, an indexer database,
 * the app, real webhook receivers listening on 127.0.0.1, and bounded waits (no fixed sleeps).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import { expect } from "chai";
import type { Address } from "viem";

import { createApp } from "../../service/src/app.js";
import { type AppDeps } from "../../service/src/deps.js";
import { type Logger } from "../../service/src/http/router.js";
import { loadConfig } from "../../service/src/config.js";
import type { DatabaseHandle } from "../../service/src/db/client.js";
import { StatusFeed } from "../../service/src/feed/feed.js";
import { createMetricsRegistry } from "../../service/src/http/metrics.js";
import { deliveryMetrics } from "../../service/src/webhooks/metrics.js";
import { SecretBox } from "../../service/src/webhooks/secrets.js";
import { DeliverySender } from "../../service/src/webhooks/sender.js";
import type { HostResolver, ResolvedAddress } from "../../service/src/webhooks/url.js";
import { testGuards } from "./guards.js";
import { freshServiceDatabase } from "./helpers.js";
import { offlineIndexer, openIndexer, type TestIndexer } from "./indexer.js";

/** Short timers so tests run in milliseconds; tests override what they exercise. */
export const FAST_ENV: Record<string, string> = {
  WEBHOOK_POLL_MS: "20",
  WEBHOOK_RETRY_BASE_MS: "10",
  WEBHOOK_RETRY_MAX_MS: "40",
  WEBHOOK_TIMEOUT_MS: "2000",
  WEBHOOK_MAX_ATTEMPTS: "4",
  FEED_POLL_MS: "20",
  ALERTS_CHECK_MS: "20",
};

/** Polls `probe` until it returns something other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export type LogEntry = { level: "info" | "warn" | "error"; msg: string; fields: Record<string, unknown> };

export function captureLogger(): Logger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const at = (level: LogEntry["level"]) => (msg: string, fields?: Record<string, unknown>) =>
    entries.push({ level, msg, fields: fields ?? {} });
  return { entries, info: at("info"), warn: at("warn"), error: at("error") };
}

// ─── A webhook receiver ───────────────────────────────────────────────────────

export type Received = { headers: Record<string, string>; body: string; at: number };

/**
 * An HTTP server on 127.0.0.1 recording every request; `respond` decides the status code.
 * `down()` closes the port (connection refused), `up()` listens on the same port again.
 */
export class Receiver {
  readonly requests: Received[] = [];
  respond: (req: Received, index: number) => number | Promise<number> = () => 200;
  private server: Server;
  private port = 0;

  private constructor() {
    this.server = this.makeServer();
  }

  static async start(): Promise<Receiver> {
    const r = new Receiver();
    await r.up();
    return r;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  private makeServer(): Server {
    return createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
        const received: Received = { headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() };
        const index = this.requests.push(received) - 1;
        void Promise.resolve(this.respond(received, index)).then((status) => {
          res.writeHead(status, { "content-type": "text/plain" }).end(status < 300 ? "ok" : `no (${status})`);
        });
      });
    });
  }

  async up(): Promise<void> {
    this.server = this.makeServer();
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.port, "127.0.0.1", () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  async down(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** Requests per idempotency key. */
  countsByKey(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const r of this.requests) {
      const key = r.headers["idempotency-key"] ?? "";
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  }
}

// ─── DNS ──────────────────────────────────────────────────────────────────────

/** A public address to stand for a receiver on the internet (never connected to in tests). */
export const PUBLIC_IP = "93.184.215.14";

/**
 * A resolver whose answers the test sets, one list per name (or a list of lists: one per lookup,
 * the last repeated, to model a name rebound between lookups). Unknown names do not resolve.
 */
export class FakeResolver {
  readonly lookups: string[] = [];
  private readonly answers = new Map<string, string[][]>();

  constructor(initial: Record<string, string[]> = {}) {
    for (const [name, addresses] of Object.entries(initial)) this.set(name, addresses);
  }

  set(name: string, ...answers: string[][]): void {
    this.answers.set(name.toLowerCase(), answers);
  }

  readonly resolve: HostResolver = async (hostname) => {
    const name = hostname.toLowerCase();
    this.lookups.push(name);
    const queue = this.answers.get(name);
    if (queue === undefined || queue.length === 0) {
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
    }
    const answer = queue.length > 1 ? queue.shift()! : queue[0]!;
    return answer.map((address): ResolvedAddress => ({ address, family: address.includes(":") ? 6 : 4 }));
  };
}

// ─── The service side ─────────────────────────────────────────────────────────

/**
 * A request to the harness's app as `who` (the test guards' `Test <address>` session, or none);
 * a string body is sent as is (malformed JSON tests), anything else as JSON.
 */
export function callAs(h: Pick<Harness, "app">, method: string, path: string, who: string | null, body?: unknown) {
  return h.app.request(path, {
    method,
    headers: {
      ...(who === null ? {} : { authorization: `Test ${who}` }),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
}

export type Harness = {
  handle: DatabaseHandle;
  indexer: TestIndexer;
  deps: AppDeps;
  log: ReturnType<typeof captureLogger>;
  app: ReturnType<typeof createApp>;
  operator: Address;
  clock: { now: number | undefined };
  /** What receiver host names resolve to, for the routes and the senders. */
  dns: FakeResolver;
  /** POST /v1/webhooks as `address`; returns the created subscription with its secret. */
  subscribe(address: Address, url: string, events: string[]): Promise<{ id: string; secret: string }>;
  feed(overrides?: Partial<ConstructorParameters<typeof StatusFeed>[0]>): StatusFeed;
  sender(overrides?: Partial<ConstructorParameters<typeof DeliverySender>[0]>): DeliverySender;
  close(): Promise<void>;
};

export const OPERATOR: Address = "0x00000000000000000000000000000000000000a1";

export async function harness(engine: "pglite" | "postgres", env: Record<string, string> = {}): Promise<Harness> {
  const handle = await freshServiceDatabase(engine);
  const indexer = await openIndexer(engine);
  const config = loadConfig({ ...FAST_ENV, ...env });
  const log = captureLogger();
  const clock: { now: number | undefined } = { now: undefined };
  const now = () => clock.now ?? Date.now();
  const dns = new FakeResolver({ "example.org": [PUBLIC_IP], "a.example": [PUBLIC_IP], localhost: ["127.0.0.1"] });
  const deps: AppDeps = {
    db: handle.db,
    config,
    log,
    auth: testGuards([OPERATOR]),
    metrics: createMetricsRegistry({ defaults: false }),
    indexerSource: indexer.source,
    indexer: offlineIndexer(),
    now,
    resolveHost: dns.resolve,
  };
  const app = createApp(deps);
  const stoppers: Array<{ stop(): Promise<void> }> = [];
  return {
    handle,
    indexer,
    deps,
    log,
    app,
    operator: OPERATOR,
    clock,
    dns,
    async subscribe(address, url, events) {
      const res = await app.request("/v1/webhooks", {
        method: "POST",
        headers: { authorization: `Test ${address}`, "content-type": "application/json" },
        body: JSON.stringify({ url, events }),
      });
      expect(res.status, await res.clone().text()).to.equal(201);
      return (await res.json()) as { id: string; secret: string };
    },
    feed(overrides = {}) {
      const feed = new StatusFeed({
        db: handle.db,
        indexer: indexer.source,
        log,
        metrics: deliveryMetrics(deps.metrics),
        ...config.feed,
        now,
        ...overrides,
      });
      stoppers.push(feed);
      return feed;
    },
    sender(overrides = {}) {
      const sender = new DeliverySender({
        db: handle.db,
        log,
        metrics: deliveryMetrics(deps.metrics),
        config: config.webhooks,
        secrets: new SecretBox(config.webhooks.secretKey),
        now,
        resolve: dns.resolve,
        ...overrides,
      });
      stoppers.push(sender);
      return sender;
    },
    async close() {
      for (const s of stoppers) await s.stop();
      await indexer.close();
      await handle.close();
    },
  };
}
