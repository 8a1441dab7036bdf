import { createRoute, z } from "@hono/zod-openapi";
import { getAddress } from "viem";

import type { AuthVariables } from "../auth/guards.js";
import type { AppDeps } from "../deps.js";
import { ErrorSchema, HttpError } from "../http/errors.js";
import { AddressParam, fromIndexer } from "../http/params.js";
import { newRouter } from "../http/router.js";
import { createRounds } from "./rounds.js";

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
const Hash = z.string().openapi({ example: `0x${"ab".repeat(32)}` });
const Wei = z.string().openapi({ description: "wei, decimal", example: "7500000000000000000" });
const IncidentIdParam = z
  .string()
  .regex(/^[1-9][0-9]{0,77}$/, "incidentId must be a decimal incident id")
  .openapi({ param: { name: "incidentId", in: "path" }, example: "1" });
const Rejected = z.array(z.object({ line: z.number().int(), reason: z.string() }));
const DraftSchema = z
  .object({
    draftId: z.string(),
    root: Hash,
    total: Wei,
    count: z.number().int(),
    rejected: Rejected.openapi({ description: "refused rows (the first 1,000), by line" }),
    rejectedCount: z.number().int(),
  })
  .openapi("RoundDraft");
const ProgressSchema = z
  .object({
    draftId: z.string(),
    status: z.enum(["building", "failed", "draft", "published"]).openapi({
      description: "building, then draft (publishable) or failed (error says why); published once published",
    }),
    phase: z.enum(["reading", "tree", "storing", "done"]),
    done: z.number().int().openapi({ description: "leaves stored so far while storing" }),
    of: z.number().int().openapi({ description: "leaves to store (storing), rows to hash (tree), lines (reading)" }),
    root: Hash.nullable(),
    total: Wei.nullable(),
    count: z.number().int().nullable(),
    rejected: Rejected,
    rejectedCount: z.number().int(),
    incidentId: z.string().nullable(),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
  })
  .openapi("RoundDraftProgress");
const DraftIdParam = z.object({
  draftId: z
    .string()
    .uuid()
    .openapi({ param: { name: "draftId", in: "path" } }),
});
const Status = z.enum(["Open", "Cancelled", "Closed"]).nullable();
const RoundSchema = z
  .object({
    incidentId: z.string(),
    root: Hash,
    total: Wei,
    count: z.number().int(),
    claimableAt: z.number().int().openapi({ description: "unix seconds: the end of the challenge window" }),
    claimDeadline: z.number().int(),
    publishedAt: z.number().int(),
    status: Status.openapi({ description: "on-chain, as indexed (null: the indexer did not answer)" }),
  })
  .openapi("Round");
const LeafSchema = z
  .object({
    incidentId: z.string(),
    account: z.string(),
    index: z.number().int(),
    amount: Wei,
    proof: z.array(Hash),
  })
  .openapi("RoundProof");
const EligibleSchema = z
  .object({
    account: z.string(),
    items: z.array(
      LeafSchema.extend({
        root: Hash,
        claimableAt: z.number().int(),
        claimDeadline: z.number().int(),
        status: Status,
        claimed: z.boolean().openapi({ description: "already paid on-chain (as indexed)" }),
      }),
    ),
  })
  .openapi("EligibleRounds");

export type RoundDraftResponse = z.infer<typeof DraftSchema>;
export type RoundResponse = z.infer<typeof RoundSchema>;
export type RoundDraftProgressResponse = z.infer<typeof ProgressSchema>;
export type EligibleRoundsResponse = z.infer<typeof EligibleSchema>;

/**
 * Mounted at /v1/rounds. Drafts and publication are for the pool's staff (a session, and an
 * on-chain staff role read on every request); a published round, a leaf's proof and an account's
 * eligible rounds are public.
 */
export function roundRoutes(deps: AppDeps) {
  const rounds = createRounds({ db: deps.db, indexer: deps.indexerSource.db, now: deps.now, log: deps.log });
  const staffRoles = deps.staffRoles ?? (async () => []);
  async function staffOnly(c: { var: Pick<AuthVariables, "address"> }) {
    if ((await staffRoles(c.var.address)).length === 0) {
      throw new HttpError(
        403,
        "forbidden",
        "incident rounds are drafted by the pool's assessors, guardians and admins",
      );
    }
  }

  return newRouter()
    .openapi(
      createRoute({
        middleware: [deps.auth.session] as const,
        method: "post",
        path: "/drafts",
        summary: "Draft a round from a CSV of account,amount rows (raw text body): its root, total and refused rows.",
        description:
          "Answers when the draft is built (201). With `Prefer: respond-async` (RFC 7240) it answers at once " +
          "(202, Location: the draft) and builds in the background: follow its progress with GET /drafts/{draftId}.",
        request: {
          query: z.object({
            unit: z
              .enum(["C", "wei"])
              .default("C")
              .openapi({ description: "the amount column: C with up to 18 decimals (default), or wei" }),
          }),
          body: { content: { "text/csv": { schema: z.string() } }, required: true },
        },
        responses: {
          201: json(DraftSchema, "drafted: open the round on-chain with this root and total, then publish"),
          202: json(ProgressSchema, "building (Prefer: respond-async): follow the Location"),
          401: json(ErrorSchema, "not signed in"),
          403: json(ErrorSchema, "not staff"),
          413: json(ErrorSchema, "larger than 16 MiB"),
          422: json(ErrorSchema, "no acceptable row (details.rejected names them)"),
          429: json(ErrorSchema, "this replica is drafting as many rounds as it may at once"),
        },
      }),
      async (c) => {
        await staffOnly(c);
        const unit = c.req.valid("query").unit;
        const csv = await c.req.text();
        if (/\brespond-async\b/i.test(c.req.header("prefer") ?? "")) {
          const started = await rounds.startDraft(c.var.address, csv, unit);
          c.header("Location", `/v1/rounds/drafts/${started.draftId}`);
          c.header("Preference-Applied", "respond-async");
          return c.json(started, 202);
        }
        return c.json(await rounds.createDraft(c.var.address, csv, unit), 201);
      },
    )
    .openapi(
      createRoute({
        middleware: [deps.auth.session] as const,
        method: "get",
        path: "/drafts/{draftId}",
        summary: "A draft's state: its build's phase and progress, then its root and total, or why it failed.",
        request: { params: DraftIdParam },
        responses: {
          200: json(ProgressSchema, "the draft"),
          401: json(ErrorSchema, "not signed in"),
          403: json(ErrorSchema, "not staff"),
          404: json(ErrorSchema, "no such draft"),
        },
      }),
      async (c) => {
        await staffOnly(c);
        const { draftId } = c.req.valid("param");
        const progress = await rounds.draftProgress(draftId);
        if (progress === undefined) throw new HttpError(404, "not_found", `no draft ${draftId}`);
        return c.json(progress, 200);
      },
    )
    .openapi(
      createRoute({
        middleware: [deps.auth.session] as const,
        method: "post",
        path: "/drafts/{draftId}/publish",
        summary: "Publish a draft once its round is open on-chain: the indexed incident must carry its root and total.",
        request: {
          params: DraftIdParam,
          body: {
            content: { "application/json": { schema: z.object({ incidentId: IncidentIdParam }) } },
            required: true,
          },
        },
        responses: {
          200: json(RoundSchema, "published"),
          401: json(ErrorSchema, "not signed in"),
          403: json(ErrorSchema, "not staff"),
          404: json(ErrorSchema, "no such draft"),
          409: json(
            ErrorSchema,
            "the draft is still building or failed, the incident is not indexed yet, has another root or total, or is already published",
          ),
          503: json(ErrorSchema, "the indexer did not answer"),
        },
      }),
      async (c) => {
        await staffOnly(c);
        const { draftId } = c.req.valid("param");
        const { incidentId } = c.req.valid("json");
        const round = await fromIndexer(deps.log, "round publication", () =>
          rounds.publish(draftId, incidentId, c.var.address),
        );
        return c.json(round, 200);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/eligible/{address}",
        summary: "Every published round an account can still claim from, with its proof and whether it is claimed.",
        request: { params: z.object({ address: AddressParam }) },
        responses: {
          200: json(EligibleSchema, "the account's rounds (open on-chain: a round pays until it is closed)"),
          400: json(ErrorSchema, "not an address"),
          503: json(ErrorSchema, "the indexer did not answer"),
        },
      }),
      async (c) => {
        const account = getAddress(c.req.valid("param").address);
        const items = await fromIndexer(deps.log, "eligible rounds", () => rounds.eligible(account));
        c.header("Cache-Control", "no-store");
        return c.json({ account, items }, 200);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/{incidentId}",
        summary: "A published round: root, total, count and claim window.",
        request: { params: z.object({ incidentId: IncidentIdParam }) },
        responses: {
          200: json(RoundSchema, "the round"),
          404: json(ErrorSchema, "no round published for this incident"),
        },
      }),
      async (c) => {
        const { incidentId } = c.req.valid("param");
        const round = await rounds.round(incidentId);
        if (round === undefined)
          throw new HttpError(404, "not_found", `no round is published for incident ${incidentId}`);
        return c.json(round, 200);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/{incidentId}/proofs/{address}",
        summary:
          "An account's leaf of a published round: index, amount and Merkle proof to claim from the round's vault (IncidentVault.claim).",
        request: { params: z.object({ incidentId: IncidentIdParam, address: AddressParam }) },
        responses: {
          200: json(LeafSchema, "the leaf"),
          404: json(ErrorSchema, "no such round, or the account is not in it"),
        },
      }),
      async (c) => {
        const { incidentId, address } = c.req.valid("param");
        const leaf = await rounds.proof(incidentId, getAddress(address));
        if (leaf === undefined) {
          throw new HttpError(404, "not_found", `${getAddress(address)} is not in a published round ${incidentId}`);
        }
        return c.json(leaf, 200);
      },
    );
}
