/**
 * A stand-in for `ponder serve`'s HTTP API as @ponder/client uses it, over a test indexer
 * database: GET /sql/db (one read-only query, checked against Ponder's own SQL allow-list),
 * GET /sql/live (server-sent events pushed by `notify()`), GET /status (the head block).
 * It lets the production IndexerSource (ponderSource) run without a chain and a Ponder process,
 * and proves that every query the service sends would be accepted by Ponder.
 */
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import type { Database } from "../../service/src/db/client.js";

type Validate = (sql: string) => Promise<void>;

/** Ponder's validator for `@ponder/client` queries (not exported by the package, so loaded by path). */
async function ponderValidator(): Promise<Validate> {
  const url = new URL("./utils/sql-parse.js", import.meta.resolve("ponder"));
  const mod = (await import(url.href)) as { validateAllowableSQLQuery: Validate };
  return mod.validateAllowableSQLQuery;
}

type RawClient = { query(sql: string, params: unknown[]): Promise<{ rows: unknown[] }> };

export class FakePonder {
  head = 0;
  /** Every query received, and the ones Ponder would have refused. */
  readonly queries: string[] = [];
  readonly refused: Array<{ sql: string; error: string }> = [];
  private readonly streams = new Set<ServerResponse>();
  private server: Server | undefined;
  private port = 0;

  private constructor(
    private readonly client: RawClient,
    private readonly validate: Validate,
  ) {}

  static async start(db: Database): Promise<FakePonder> {
    const client = (db as unknown as { $client: RawClient }).$client;
    const fake = new FakePonder(client, await ponderValidator());
    fake.server = createServer((req, res) => void fake.handle(req.url ?? "/", res));
    await new Promise<void>((resolve) => fake.server!.listen(0, "127.0.0.1", () => resolve()));
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Tells live-query subscribers that tables changed (Ponder does this after each indexed block). */
  notify(): void {
    for (const res of this.streams) res.write(`data: ${JSON.stringify({ rows: [] })}\n\n`);
  }

  async stop(): Promise<void> {
    for (const res of this.streams) res.end();
    await new Promise<void>((resolve) => {
      this.server?.close(() => resolve());
      this.server?.closeAllConnections();
    });
  }

  private async handle(path: string, res: ServerResponse): Promise<void> {
    const url = new URL(path, this.url);
    if (url.pathname === "/status") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ localhost: { id: 31337, block: { number: this.head, timestamp: 0 } } }));
      return;
    }
    const encoded = url.searchParams.get("sql");
    if ((url.pathname !== "/sql/db" && url.pathname !== "/sql/live") || encoded === null) {
      res.writeHead(404).end();
      return;
    }
    // superjson's envelope: `{ json: { sql, params, typings } }`; bigint params arrive as strings,
    // which PostgreSQL coerces to the column's numeric type as Ponder's driver would.
    const { sql, params } = (JSON.parse(encoded) as { json: { sql: string; params: unknown[] } }).json;
    this.queries.push(sql);
    try {
      await this.validate(sql);
    } catch (err) {
      this.refused.push({ sql, error: (err as Error).message });
      res.writeHead(500, { "content-type": "text/plain" }).end((err as Error).message);
      return;
    }
    if (url.pathname === "/sql/live") {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      res.write(": live\n\n");
      this.streams.add(res);
      res.on("close", () => this.streams.delete(res));
      return;
    }
    try {
      const result = await this.client.query(sql, params);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ rows: result.rows }));
    } catch (err) {
      res.writeHead(500, { "content-type": "text/plain" }).end((err as Error).message);
    }
  }
}
