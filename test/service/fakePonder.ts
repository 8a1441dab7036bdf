/**
 * A stand-in for a running Ponder app's HTTP API as @ponder/client uses it, over a test indexer
 * database, close enough to check the service's queries against the real thing. Requests are
 * handled as Ponder 0.16's `client()` middleware does (node_modules/ponder/src/client/index.ts):
 *
 * - GET /sql/db?sql=<superjson>: the query is checked by Ponder's own SQL allow-list
 *   (`validateAllowableSQLQuery`), then executed with drizzle's session and the raw driver result
 *   returned as JSON (row objects keyed by column name).
 * - GET /sql/live?sql=<superjson>: server-sent events; `notify()` (what Ponder does after each
 *   indexed block) re-runs every live query and pushes its result when it changed.
 * - GET /status: the head block of the chain, `{}` while `head` is undefined (nothing indexed).
 *
 * It lets the production client (service/src/indexer/ponder.ts) run without a chain and a Ponder
 * process, and proves that every query the service sends would be accepted by Ponder.
 */
import { createHash } from "node:crypto";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import type { QueryWithTypings } from "drizzle-orm";
import superjson from "superjson";

import type { Database } from "../../service/src/db/client.js";
import type { ChainHead } from "../../service/src/indexer/reader.js";

type Validate = (sql: string) => Promise<void>;

/** Ponder's validator for `@ponder/client` queries (not exported by the package, so loaded by path). */
export async function ponderValidator(): Promise<Validate> {
  const url = new URL("./utils/sql-parse.js", import.meta.resolve("ponder"));
  const mod = (await import(url.href)) as { validateAllowableSQLQuery: Validate };
  return mod.validateAllowableSQLQuery;
}

type Session = {
  prepareQuery(q: QueryWithTypings, f: undefined, n: undefined, a: boolean): { execute(): Promise<unknown> };
};

type LiveStream = { res: ServerResponse; query: QueryWithTypings; hash: string };

export class FakePonder {
  /** The head block /status reports; undefined: nothing indexed yet. */
  head: ChainHead | undefined;
  /** Every query received (SQL text), and the ones Ponder would have refused. */
  readonly queries: string[] = [];
  readonly refused: Array<{ sql: string; error: string }> = [];
  /** GET /status requests answered. */
  statusRequests = 0;
  private readonly streams = new Set<LiveStream>();
  private readonly server: Server;
  private port = 0;

  private constructor(
    private readonly session: Session,
    private readonly validate: Validate,
    private readonly chainId: number,
  ) {
    this.server = createServer((req, res) => void this.handle(req.url ?? "/", res));
  }

  static async start(db: Database, options: { chainId?: number; head?: ChainHead } = {}): Promise<FakePonder> {
    const session = (db as unknown as { _: { session: Session } })._.session;
    const fake = new FakePonder(session, await ponderValidator(), options.chainId ?? 31337);
    fake.head = options.head;
    await new Promise<void>((resolve) => fake.server.listen(0, "127.0.0.1", () => resolve()));
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Tells live-query subscribers that tables changed: each query whose result changed is pushed. */
  async notify(): Promise<void> {
    await Promise.all(
      [...this.streams].map(async (stream) => {
        const result = await this.execute(stream.query);
        const hash = digest(result);
        if (hash === stream.hash) return;
        stream.hash = hash;
        stream.res.write(`data: ${JSON.stringify(result)}\n\n`);
      }),
    );
  }

  /** Live subscriptions open now. */
  get liveCount(): number {
    return this.streams.size;
  }

  /** Ends every live subscription, as a Ponder restart does. */
  dropLive(): void {
    for (const stream of this.streams) stream.res.end();
    this.streams.clear();
  }

  async stop(): Promise<void> {
    for (const stream of this.streams) stream.res.end();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private execute(query: QueryWithTypings): Promise<{ rows: unknown[] }> {
    return this.session.prepareQuery(query, undefined, undefined, false).execute() as Promise<{ rows: unknown[] }>;
  }

  private async handle(path: string, res: ServerResponse): Promise<void> {
    const url = new URL(path, this.url);
    if (url.pathname === "/status") {
      this.statusRequests++;
      const status =
        this.head === undefined
          ? {}
          : {
              chain: {
                id: this.chainId,
                block: { number: Number(this.head.number), timestamp: Number(this.head.timestamp) },
              },
            };
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(status));
      return;
    }
    if (url.pathname !== "/sql/db" && url.pathname !== "/sql/live") {
      res.writeHead(404).end();
      return;
    }
    const encoded = url.searchParams.get("sql");
    if (encoded === null) {
      res.writeHead(400, { "content-type": "text/plain" }).end('Missing "sql" query parameter');
      return;
    }
    const query = superjson.parse<QueryWithTypings>(encoded);
    this.queries.push(query.sql);
    try {
      await this.validate(query.sql);
    } catch (err) {
      this.refused.push({ sql: query.sql, error: (err as Error).message });
      res.writeHead(500, { "content-type": "text/plain" }).end((err as Error).message);
      return;
    }
    try {
      const result = await this.execute(query);
      if (url.pathname === "/sql/db") {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(result));
        return;
      }
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      res.write(": live\n\n");
      const stream: LiveStream = { res, query, hash: digest(result) };
      this.streams.add(stream);
      res.on("close", () => this.streams.delete(stream));
    } catch (err) {
      res.writeHead(500, { "content-type": "text/plain" }).end((err as Error).message);
    }
  }
}

const digest = (result: { rows: unknown[] }) =>
  createHash("md5")
    .update(JSON.stringify(result.rows, (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v)))
    .digest("hex");
