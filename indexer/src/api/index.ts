/**
 * HTTP API of the indexer, served by Ponder next to its own /health, /ready, /status, /metrics:
 * - POST /graphql           Ponder's GraphQL over the schema
 * - GET  /sql/db, /sql/live SQL over HTTP for `@ponder/client` (read-only, live queries over SSE;
 *                           on PGlite through ./sql.ts, which keeps Ponder's temp tables out of sight)
 * - GET  /v1/...            REST routes for wallets and the service; bigints as decimal strings,
 *                           addresses checksummed, errors as `{ error: { code, message } }`
 *
 *   GET /v1/claims/:id                           a claim and its timeline (every transition)
 *   GET /v1/claimants/:account/claims?limit&before  a claimant's claims, newest first; page with
 *                                                `before` = the previous page's `nextBefore`
 *   GET /v1/incidents/:id                        an incident round with its claimed count and its
 *                                                events (opened, claims, cancel or close) in chain order
 *   GET /v1/incidents/:id/claims/:index          whether leaf `index` was claimed, and by whom
 *   GET /v1/stakers/:account                     stake, pending unstakes and tier
 *   GET /v1/coverage/:beneficiary                a project's coverage, its purchases and its event
 *                                                standby bookings (newest first, ended ones included)
 */
import { db } from "ponder:api";
import schema, {
  claims,
  claimTransitions,
  coverageBookings,
  incidentClaims,
  incidentEvents,
  incidents,
  purchases,
  stakers,
  subscriptions,
  tiers,
} from "ponder:schema";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { and, asc, client, desc, eq, graphql, lt } from "ponder";
import { getAddress, isAddress } from "viem";
import { z } from "zod";

import { sqlOverHttpDb } from "./sql.js";

const app = new Hono();

app.use("/sql/*", client({ db: sqlOverHttpDb(db), schema }));
app.use("/graphql", graphql({ db, schema }));

const Address = z
  .string()
  .refine((value) => isAddress(value, { strict: false }), "not an address")
  .transform((value) => getAddress(value));
/** A uint256 id in decimal. */
const Id = z
  .string()
  .regex(/^\d{1,78}$/, "not a decimal integer")
  .transform((value) => BigInt(value))
  .refine((value) => value < 2n ** 256n, "above uint256");
const Limit = z.coerce.number().int().min(1).max(100).default(20);

class NotFound extends HTTPException {
  constructor(message: string) {
    super(404, { message });
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new HTTPException(400, { message: `invalid ${what}: ${result.error.issues[0]?.message ?? "bad value"}` });
  }
  return result.data;
}

/** Null stays null; everything else becomes a decimal string. */
function str(value: bigint | null): string | null {
  return value === null ? null : value.toString();
}

function claimJson(row: typeof claims.$inferSelect) {
  return {
    id: row.id.toString(),
    claimant: getAddress(row.claimant),
    kind: row.kind,
    status: row.status,
    tier: row.tier,
    evidenceHash: row.evidenceHash,
    gasless: row.gasless,
    amountRequested: row.amountRequested.toString(),
    amountApproved: row.amountApproved.toString(),
    lateCredit: row.lateCredit.toString(),
    amountPaid: row.amountPaid.toString(),
    responseDeadline: row.responseDeadline.toString(),
    resolutionDeadline: row.resolutionDeadline.toString(),
    submittedAt: row.submittedAt.toString(),
    acceptedAt: str(row.acceptedAt),
    investigatingAt: str(row.investigatingAt),
    approvedAt: str(row.approvedAt),
    payableAt: str(row.payableAt),
    paidAt: str(row.paidAt),
    closedAt: str(row.closedAt),
    lastNoteHash: row.lastNoteHash,
    submittedBlock: row.submittedBlock.toString(),
    submittedTx: row.submittedTx,
    updatedBlock: row.updatedBlock.toString(),
    updatedAt: row.updatedAt.toString(),
  };
}

app.get("/v1/health", (c) => c.json({ status: "ok" }));

app.get("/v1/claims/:id", async (c) => {
  const id = parse(Id, c.req.param("id"), "claim id");
  const [row] = await db.select().from(claims).where(eq(claims.id, id));
  if (row === undefined) throw new NotFound(`no claim ${id}`);
  const timeline = await db
    .select()
    .from(claimTransitions)
    .where(eq(claimTransitions.claimId, id))
    .orderBy(asc(claimTransitions.blockNumber), asc(claimTransitions.logIndex));
  return c.json({
    claim: claimJson(row),
    timeline: timeline.map((t) => ({
      status: t.status,
      actor: getAddress(t.actor),
      noteHash: t.noteHash,
      chainId: t.chainId,
      blockNumber: t.blockNumber.toString(),
      blockTimestamp: t.blockTimestamp.toString(),
      txHash: t.txHash,
      logIndex: t.logIndex,
    })),
  });
});

app.get("/v1/claimants/:account/claims", async (c) => {
  const account = parse(Address, c.req.param("account"), "account");
  const limit = parse(Limit, c.req.query("limit"), "limit");
  const before = c.req.query("before") === undefined ? undefined : parse(Id, c.req.query("before"), "before");
  const owner = eq(claims.claimant, account.toLowerCase() as `0x${string}`);
  const rows = await db
    .select()
    .from(claims)
    .where(before === undefined ? owner : and(owner, lt(claims.id, before)))
    .orderBy(desc(claims.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  return c.json({
    claimant: account,
    claims: page.map(claimJson),
    nextBefore: rows.length > limit ? page.at(-1)!.id.toString() : null,
  });
});

app.get("/v1/incidents/:id", async (c) => {
  const id = parse(Id, c.req.param("id"), "incident id");
  const [row] = await db.select().from(incidents).where(eq(incidents.id, id));
  if (row === undefined) throw new NotFound(`no incident ${id}`);
  const events = await db
    .select()
    .from(incidentEvents)
    .where(eq(incidentEvents.incidentId, id))
    .orderBy(asc(incidentEvents.blockNumber), asc(incidentEvents.logIndex));
  return c.json({
    incident: {
      id: row.id.toString(),
      root: row.root,
      total: row.total.toString(),
      claimed: row.claimed.toString(),
      claimCount: row.claimCount,
      claimableAt: row.claimableAt.toString(),
      claimDeadline: row.claimDeadline.toString(),
      metadataHash: row.metadataHash,
      status: row.status,
      openedBy: getAddress(row.openedBy),
      openedAt: row.openedAt.toString(),
      endedAt: str(row.endedAt),
      released: row.released.toString(),
    },
    events: events.map((e) => ({
      kind: e.kind,
      amount: e.amount.toString(),
      claimed: str(e.claimed),
      leafIndex: str(e.leafIndex),
      account: e.account === null ? null : getAddress(e.account),
      actor: getAddress(e.actor),
      noteHash: e.noteHash,
      chainId: e.chainId,
      blockNumber: e.blockNumber.toString(),
      blockTimestamp: e.blockTimestamp.toString(),
      txHash: e.txHash,
      logIndex: e.logIndex,
    })),
  });
});

app.get("/v1/incidents/:id/claims/:index", async (c) => {
  const id = parse(Id, c.req.param("id"), "incident id");
  const index = parse(Id, c.req.param("index"), "index");
  const [incident] = await db.select({ id: incidents.id }).from(incidents).where(eq(incidents.id, id));
  if (incident === undefined) throw new NotFound(`no incident ${id}`);
  const [row] = await db
    .select()
    .from(incidentClaims)
    .where(and(eq(incidentClaims.incidentId, id), eq(incidentClaims.index, index)));
  return c.json({
    incidentId: id.toString(),
    index: index.toString(),
    claimed: row !== undefined,
    claim:
      row === undefined
        ? null
        : {
            account: getAddress(row.account),
            amount: row.amount.toString(),
            sender: getAddress(row.sender),
            blockNumber: row.blockNumber.toString(),
            blockTimestamp: row.blockTimestamp.toString(),
            txHash: row.txHash,
          },
  });
});

app.get("/v1/stakers/:account", async (c) => {
  const account = parse(Address, c.req.param("account"), "account");
  const [row] = await db
    .select()
    .from(stakers)
    .where(eq(stakers.account, account.toLowerCase() as `0x${string}`));
  const tierNumber = row?.nominalTier ?? 0;
  const [tier] = await db.select().from(tiers).where(eq(tiers.tier, tierNumber));
  return c.json({
    account,
    stake: (row?.stake ?? 0n).toString(),
    pendingUnstake: (row?.pendingUnstake ?? 0n).toString(),
    pendingRequests: row?.pendingRequests ?? 0,
    withdrawn: (row?.withdrawn ?? 0n).toString(),
    nominalTier: tierNumber,
    tierEffectiveAt: str(row?.tierEffectiveAt ?? null),
    slaFactorBps: tier?.slaFactorBps ?? null,
    discountBps: tier?.discountBps ?? null,
  });
});

app.get("/v1/coverage/:beneficiary", async (c) => {
  const beneficiary = parse(Address, c.req.param("beneficiary"), "beneficiary");
  const key = beneficiary.toLowerCase() as `0x${string}`;
  const [row] = await db.select().from(subscriptions).where(eq(subscriptions.beneficiary, key));
  const bought = await db
    .select()
    .from(purchases)
    .where(eq(purchases.beneficiary, key))
    .orderBy(desc(purchases.blockNumber), desc(purchases.id))
    .limit(100);
  const booked = await db
    .select()
    .from(coverageBookings)
    .where(eq(coverageBookings.beneficiary, key))
    .orderBy(desc(coverageBookings.blockNumber), desc(coverageBookings.id))
    .limit(100);
  return c.json({
    beneficiary,
    coveredUntil: str(row?.coveredUntil ?? null),
    slaFactorBps: row?.slaFactorBps ?? null,
    lastPackageId: str(row?.lastPackageId ?? null),
    purchaseCount: row?.purchaseCount ?? 0,
    purchases: bought.map((p) => ({
      buyer: getAddress(p.buyer),
      packageId: p.packageId.toString(),
      payToken: getAddress(p.payToken),
      paid: p.paid.toString(),
      discountBps: p.discountBps,
      coveredUntil: p.coveredUntil.toString(),
      slaFactorBps: p.slaFactorBps,
      blockNumber: p.blockNumber.toString(),
      blockTimestamp: p.blockTimestamp.toString(),
      txHash: p.txHash,
    })),
    bookings: booked.map((b) => ({
      buyer: getAddress(b.buyer),
      packageId: b.packageId.toString(),
      payToken: getAddress(b.payToken),
      paid: b.paid.toString(),
      discountBps: b.discountBps,
      start: b.start.toString(),
      end: b.end.toString(),
      slaFactorBps: b.slaFactorBps,
      units: b.units.toString(),
      blockNumber: b.blockNumber.toString(),
      blockTimestamp: b.blockTimestamp.toString(),
      txHash: b.txHash,
    })),
  });
});

app.notFound((c) => c.json({ error: { code: "not_found", message: `no route ${c.req.method} ${c.req.path}` } }, 404));

app.onError((error, c) => {
  if (error instanceof HTTPException) {
    const code = error.status === 404 ? "not_found" : "bad_request";
    return c.json({ error: { code, message: error.message } }, error.status);
  }
  console.error(error);
  return c.json({ error: { code: "internal", message: "internal error" } }, 500);
});

export default app;
