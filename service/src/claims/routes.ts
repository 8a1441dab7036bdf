import { createRoute, z } from "@hono/zod-openapi";
import { getAddress } from "viem";

import { type AppDeps } from "../deps.js";
import { newRouter } from "../http/router.js";
import { HttpError } from "../http/errors.js";
import { CLAIM_KINDS, CLAIM_STATUSES } from "../indexer/reader.js";
import {
  AddressParam,
  ClaimIdParam,
  decodeCursor,
  encodeCursor,
  fromIndexer,
  LangQuery,
  language,
  LanguageSchema,
  LimitQuery,
} from "../http/params.js";
import { SLA_STATES } from "./sla.js";
import { claimSummary, claimView, trackingPolicy } from "./view.js";
import { ErrorSchema } from "../http/errors.js";

const Hex = z.string().regex(/^0x[0-9a-fA-F]*$/);
const Amount = z
  .string()
  .regex(/^[0-9]+$/)
  .openapi({ description: "wei, as a decimal string", example: "5000000000000000000" });
const UnixSeconds = z.number().int().openapi({ description: "unix seconds" });
const Stage = z.enum(CLAIM_STATUSES);
const State = z.enum(SLA_STATES);

const SlaSchema = z
  .object({
    deadlineKind: z.enum(["response", "resolution", "payable"]),
    deadline: UnixSeconds,
    secondsLeft: z.number().int().openapi({ description: "negative once the deadline has passed" }),
    state: State,
    stateText: z.string(),
  })
  .openapi("ClaimSla", { description: "The deadline the claim waits on now." });

const ClaimSummarySchema = z
  .object({
    id: z.string(),
    claimant: Hex,
    kind: z.enum(CLAIM_KINDS),
    kindText: z.string().openapi({ description: "the kind's name in the chosen language" }),
    status: Stage,
    statusText: z.string(),
    tier: z.object({
      level: z.number().int(),
      slaFactorBps: z.number().int().nullable(),
      priority: z
        .boolean()
        .openapi({ description: "true when the tier's SLA factor is below 10000 (faster deadlines)" }),
    }),
    amounts: z.object({
      requested: Amount,
      approved: Amount,
      lateCredit: Amount,
      noResponseCredit: Amount.openapi({ description: "paid because the response deadline passed unanswered" }),
      resolutionCredit: Amount.openapi({ description: "paid because the resolution deadline passed unresolved" }),
      paid: Amount,
    }),
    submittedAt: UnixSeconds,
    deadlines: z.object({ response: UnixSeconds, resolution: UnixSeconds }),
    sla: SlaSchema.nullable(),
  })
  .openapi("ClaimSummary");

const StageSchema = z
  .object({
    stage: Stage,
    text: z.string(),
    reached: z.boolean(),
    reachedAt: UnixSeconds.nullable(),
    txHash: Hex.nullable(),
    blockNumber: z.number().int().nullable(),
    confirmations: z.number().int().nullable(),
    pendingFinality: z.boolean(),
    finalityText: z.string().nullable(),
    deadline: UnixSeconds.nullable(),
    deadlineKind: z.enum(["response", "resolution"]).nullable(),
    state: State.nullable(),
    stateText: z.string().nullable(),
  })
  .openapi("ClaimStage");

const ClaimSchema = ClaimSummarySchema.extend({
  lang: LanguageSchema,
  gasless: z.boolean(),
  evidenceHash: Hex,
  lastNoteHash: Hex.openapi({ description: "note hash of the latest transition (the reason, for a rejection)" }),
  payableAt: UnixSeconds.nullable(),
  outcomes: z.object({ response: State.nullable(), resolution: State.nullable() }),
  finality: z.object({
    headBlock: z.number().int(),
    required: z.number().int(),
    confirmations: z.number().int(),
    pending: z.boolean(),
  }),
  timeline: z.array(StageSchema),
}).openapi("Claim");

const AccountClaimsSchema = z
  .object({
    lang: LanguageSchema,
    account: Hex,
    items: z.array(ClaimSummarySchema),
    nextCursor: z.string().nullable(),
    page: z.number().int().nullable(),
  })
  .openapi("AccountClaims");

/** Bodies of GET /v1/claims/{id} and GET /v1/accounts/{address}/claims (the web page imports these types). */
export type ClaimResponse = z.infer<typeof ClaimSchema>;
export type AccountClaimsResponse = z.infer<typeof AccountClaimsSchema>;

const errors = {
  400: { description: "invalid input", content: { "application/json": { schema: ErrorSchema } } },
  503: { description: "the indexer did not answer", content: { "application/json": { schema: ErrorSchema } } },
} as const;

/** Mounted at /v1/claims. */
export function claimRoutes(deps: AppDeps) {
  const policy = trackingPolicy(deps.config);
  return newRouter().openapi(
    createRoute({
      method: "get",
      path: "/{id}",
      summary: "A claim's progress: stages in the reader's language, deadlines and their state, finality.",
      description:
        "Indexed data may come from memory (the claim cache: at most CLAIM_CACHE_STALE_MS, default 1 s, behind the indexer); deadline states, seconds left and confirmations are computed for each request, deadlines by the chain's clock (the indexer's head block time plus the time since it was seen), which is what the pool judges them by.",
      request: { params: z.object({ id: ClaimIdParam }), query: z.object({ lang: LangQuery }) },
      responses: {
        200: { description: "the claim", content: { "application/json": { schema: ClaimSchema } } },
        404: { description: "no such claim", content: { "application/json": { schema: ErrorSchema } } },
        ...errors,
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const lang = language(c, c.req.valid("query").lang);
      const claimId = BigInt(id);
      // The claim and its transitions from the claim cache, or one query; the head is cached by
      // the reader. Deadline states are computed here, for this request's time.
      // Deadlines are judged by the chain's clock, as the pool judges them (indexer/clock.ts).
      const [found, head, now] = await fromIndexer(deps.log, "claim", () =>
        Promise.all([deps.indexer.timeline(claimId), deps.indexer.head(), deps.indexer.chainNow(deps.now())]),
      );
      if (found === undefined) throw new HttpError(404, "not_found", `claim ${id} does not exist`);
      return c.json({ lang, ...claimView(found.claim, found.transitions, head, now, policy, lang) }, 200);
    },
  );
}

/** Mounted at /v1/accounts. */
export function accountClaimRoutes(deps: AppDeps) {
  const policy = trackingPolicy(deps.config);
  return newRouter().openapi(
    createRoute({
      method: "get",
      path: "/{address}/claims",
      summary: "An account's claims, newest first. Page with `cursor` (from nextCursor) or `page`.",
      request: {
        params: z.object({ address: AddressParam }),
        query: z.object({
          lang: LangQuery,
          limit: LimitQuery(20),
          cursor: z.string().max(200).optional().openapi({ description: "nextCursor of the previous page" }),
          page: z.coerce
            .number()
            .int()
            .min(1)
            .max(10_000)
            .optional()
            .openapi({ description: "1-based page number (instead of cursor)", type: "integer" }),
        }),
      },
      responses: {
        200: { description: "the claims", content: { "application/json": { schema: AccountClaimsSchema } } },
        ...errors,
      },
    }),
    async (c) => {
      const account = getAddress(c.req.valid("param").address);
      const { lang: langQuery, limit, cursor, page } = c.req.valid("query");
      if (cursor !== undefined && page !== undefined) {
        throw new HttpError(400, "invalid_request", "invalid request: give either cursor or page, not both");
      }
      const lang = language(c, langQuery);
      const [beforeId] = cursor === undefined ? [undefined] : decodeCursor("a", cursor, 1);
      const [rows, now] = await fromIndexer(deps.log, "account claims", () =>
        Promise.all([
          deps.indexer.claimsByAccount(account, {
            limit: limit + 1,
            beforeId,
            offset: page === undefined ? undefined : (page - 1) * limit,
          }),
          deps.indexer.chainNow(deps.now()),
        ]),
      );
      const more = rows.length > limit;
      const items = rows.slice(0, limit);
      const last = items[items.length - 1];
      return c.json(
        {
          lang,
          account,
          items: items.map((claim) => claimSummary(claim, now, policy, lang)),
          nextCursor: more && last !== undefined ? encodeCursor("a", [last.id]) : null,
          page: page ?? null,
        },
        200,
      );
    },
  );
}
