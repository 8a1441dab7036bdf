/**
 * HTTP API of the indexer, served by Ponder next to its own /health, /ready, /status, /metrics:
 * - POST /graphql           Ponder's GraphQL over the schema
 * - GET  /sql/db, /sql/live SQL over HTTP for `@ponder/client` (read-only, live queries over SSE)
 * - GET  /v1/...            REST routes for wallets and the service; bigints as decimal strings
 */
import { db } from "ponder:api";
import schema, { tokenBalances, tokenTransfers } from "ponder:schema";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { client, desc, eq, graphql, or } from "ponder";
import { getAddress, isAddress } from "viem";
import { z } from "zod";

const app = new Hono();

app.use("/sql/*", client({ db, schema }));
app.use("/graphql", graphql({ db, schema }));

const Address = z
  .string()
  .refine((value) => isAddress(value, { strict: false }), "not an address")
  .transform((value) => getAddress(value));
const Limit = z.coerce.number().int().min(1).max(1_000).default(100);

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new HTTPException(400, { message: `invalid ${what}: ${result.error.issues[0]?.message ?? "bad value"}` });
  }
  return result.data;
}

app.get("/v1/health", (c) => c.json({ status: "ok" }));

// Proof of life over the mock C token; the station's routes replace these.
app.get("/v1/balances/:account", async (c) => {
  const account = parse(Address, c.req.param("account"), "account");
  const [row] = await db.select().from(tokenBalances).where(eq(tokenBalances.account, account));
  return c.json({
    account,
    balance: (row?.balance ?? 0n).toString(),
    transferCount: row?.transferCount ?? 0,
  });
});

app.get("/v1/transfers/:account", async (c) => {
  const account = parse(Address, c.req.param("account"), "account");
  const limit = parse(Limit, c.req.query("limit"), "limit");
  const rows = await db
    .select()
    .from(tokenTransfers)
    .where(or(eq(tokenTransfers.from, account), eq(tokenTransfers.to, account)))
    .orderBy(desc(tokenTransfers.blockNumber), desc(tokenTransfers.logIndex))
    .limit(limit);
  return c.json({
    account,
    transfers: rows.map((row) => ({
      id: row.id,
      from: getAddress(row.from),
      to: getAddress(row.to),
      amount: row.amount.toString(),
      blockNumber: row.blockNumber.toString(),
      blockTimestamp: row.blockTimestamp.toString(),
      logIndex: row.logIndex,
      transactionHash: row.transactionHash,
    })),
  });
});

app.notFound((c) => c.json({ error: { code: "not_found", message: `no route ${c.req.method} ${c.req.path}` } }, 404));

app.onError((error, c) => {
  if (error instanceof HTTPException) {
    return c.json({ error: { code: "bad_request", message: error.message } }, error.status);
  }
  console.error(error);
  return c.json({ error: { code: "internal", message: "internal error" } }, 500);
});

export default app;
