/**
 * The assessors' desk, mounted at /v1/desk:
 *
 * GET    /me                   the signed-in address and its staff roles on the pool
 * GET    /assignments          who has taken which claim
 * POST   /claims/:id/take      "I take this claim" (assessors; 409 while another holds it)
 * DELETE /claims/:id/take      release it (only its holder)
 * GET    /payouts              approved payouts still in their veto window (what guardians watch)
 *
 * Every route needs a session and reads the caller's roles from the chain (`deps.staffRoles`) on
 * every request: a page that shows the desk proves nothing, a revoked role closes it.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { getAddress } from "viem";

import type { AuthVariables } from "../auth/guards.js";
import type { StaffRole } from "../auth/onchain.js";
import type { AppDeps } from "../deps.js";
import { ErrorSchema, errorBody, HttpError } from "../http/errors.js";
import { ClaimIdParam, fromIndexer, unixSeconds } from "../http/params.js";
import { newRouter } from "../http/router.js";
import { createAssignments } from "./assignments.js";

/** What the staff guard adds for the handlers behind it. */
export type DeskVariables = AuthVariables & { roles: StaffRole[] };

const STAFF_ROLES = ["assessor", "guardian", "admin"] as const satisfies readonly StaffRole[];

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
const errors = {
  401: json(ErrorSchema, "not signed in"),
  403: json(ErrorSchema, "no staff role on the pool (or not the role this needs)"),
};

const AssignmentSchema = z
  .object({
    claimId: z.string(),
    assessor: z.string().openapi({ description: "checksummed address" }),
    takenAt: z.number().int().openapi({ description: "unix seconds" }),
  })
  .openapi("DeskAssignment");
const MeSchema = z
  .object({ address: z.string(), roles: z.array(z.enum(STAFF_ROLES)) })
  .openapi("DeskMe", { description: "the caller and the staff roles it holds on-chain now" });
const ClaimParam = z.object({ id: ClaimIdParam });
const PayoutSchema = z
  .object({
    id: z.string(),
    claimant: z.string(),
    kind: z.string(),
    tier: z.number().int(),
    amountRequested: z.string(),
    amountApproved: z.string(),
    payableAt: z.number().int().openapi({ description: "unix seconds: the veto window closes then" }),
    secondsLeft: z.number().int(),
  })
  .openapi("DeskPayout");
/** How many open claims the payout list looks through (the queue's order: nearest deadline first). */
const PAYOUT_SCAN = 500;

/** Bodies of the desk's routes (the page imports these types). */
export type DeskAssignment = z.infer<typeof AssignmentSchema>;
export type DeskMe = z.infer<typeof MeSchema>;
export type DeskPayout = z.infer<typeof PayoutSchema>;

export function deskRoutes(deps: AppDeps) {
  const assignments = createAssignments({
    db: deps.db,
    now: deps.now,
    takeoverAfterSeconds: deps.config.desk.takeoverAfterSeconds,
  });
  const rolesOf = deps.staffRoles ?? (async () => []);

  /** After the session guard: the caller's staff roles, read from the chain now; 403 without one. */
  const staff: MiddlewareHandler<{ Variables: DeskVariables }> = async (c, next) => {
    const roles = await rolesOf(c.var.address);
    if (roles.length === 0) {
      return c.json(errorBody("forbidden", `${c.var.address} holds no staff role on the pool`), 403);
    }
    c.set("roles", roles);
    await next();
  };
  const assessorOnly = (roles: StaffRole[]) => {
    if (!roles.includes("assessor")) throw new HttpError(403, "forbidden", "taking claims needs the assessor role");
  };
  /** The claim must exist on-chain (as the indexer has it). */
  const known = async (id: bigint) => {
    const claim = await fromIndexer(deps.log, "desk claim", () => deps.indexer.claim(id));
    if (claim === undefined) throw new HttpError(404, "not_found", `claim ${id} does not exist`);
  };

  return newRouter()
    .openapi(
      createRoute({
        middleware: [deps.auth.session, staff] as const,
        method: "get",
        path: "/me",
        summary: "The signed-in address and the staff roles it holds on the pool now (403 without one).",
        responses: { 200: json(MeSchema, "a member of staff"), ...errors },
      }),
      async (c) => c.json({ address: c.var.address, roles: c.var.roles }, 200),
    )
    .openapi(
      createRoute({
        middleware: [deps.auth.session, staff] as const,
        method: "get",
        path: "/assignments",
        summary: "Every claim someone has taken at the desk, oldest first.",
        responses: { 200: json(z.array(AssignmentSchema), "the assignments"), ...errors },
      }),
      async (c) => c.json(await assignments.list(), 200),
    )
    .openapi(
      createRoute({
        middleware: [deps.auth.session, staff] as const,
        method: "get",
        path: "/payouts",
        summary: "Approved payouts not yet payable: the delay in which a guardian may veto them, nearest end first.",
        responses: {
          200: json(z.object({ now: z.number().int(), items: z.array(PayoutSchema) }), "the payouts"),
          503: json(ErrorSchema, "the indexer did not answer"),
          ...errors,
        },
      }),
      async (c) => {
        const now = unixSeconds(deps.now());
        const rows = await fromIndexer(deps.log, "desk payouts", () => deps.indexer.queue({ now, limit: PAYOUT_SCAN }));
        const items = rows
          .filter((r) => r.status === "Approved" && r.payableAt !== null && r.payableAt > now)
          .map((r) => ({
            id: r.id.toString(),
            claimant: getAddress(r.claimant),
            kind: r.kind,
            tier: r.tier,
            amountRequested: r.amountRequested.toString(),
            amountApproved: r.amountApproved.toString(),
            payableAt: Number(r.payableAt),
            secondsLeft: Number(r.payableAt! - now),
          }));
        return c.json({ now: Number(now), items }, 200);
      },
    )
    .openapi(
      createRoute({
        middleware: [deps.auth.session, staff] as const,
        method: "post",
        path: "/claims/{id}/take",
        summary: "Take a claim (assessors). Taking one you hold already answers 200; another's is a 409.",
        request: { params: ClaimParam },
        responses: {
          200: json(AssignmentSchema, "already yours"),
          201: json(AssignmentSchema, "taken"),
          404: json(ErrorSchema, "no such claim"),
          409: json(ErrorSchema, "another assessor holds it (`details` names them)"),
          503: json(ErrorSchema, "the indexer did not answer"),
          ...errors,
        },
      }),
      async (c) => {
        assessorOnly(c.var.roles);
        const id = BigInt(c.req.valid("param").id);
        await known(id);
        const { assignment, created } = await assignments.take(id, c.var.address);
        deps.log.info("desk claim taken", { claim: id.toString(), by: c.var.address, created });
        return created ? c.json(assignment, 201) : c.json(assignment, 200);
      },
    )
    .openapi(
      createRoute({
        middleware: [deps.auth.session, staff] as const,
        method: "post",
        path: "/claims/{id}/takeover",
        summary:
          "Take a claim over from the assessor holding it (assessors): allowed to a guardian or admin, when the holder lost the role, or after the holder's silence on it.",
        description:
          "Grounds, in order: `lead` (the caller also holds the guardian or admin role), `revoked` (the holder no longer holds the assessor role on-chain), `idle` (the holder wrote no case message on the claim for DESK_TAKEOVER_MINUTES since taking it or since their last message). A free claim is simply taken (201, no take-over). Every take-over is recorded with its reason.",
        request: {
          params: ClaimParam,
          body: {
            content: {
              "application/json": {
                schema: z.object({
                  reason: z
                    .string()
                    .trim()
                    .min(1, "say why you take it over")
                    .max(500)
                    .openapi({ example: "On call now; Ann's shift ended." }),
                }),
              },
            },
            required: true,
          },
        },
        responses: {
          200: json(AssignmentSchema, "already yours"),
          201: json(
            z.union([
              AssignmentSchema,
              z
                .object({
                  assignment: AssignmentSchema,
                  from: z.string(),
                  grounds: z.enum(["lead", "revoked", "idle"]),
                  reason: z.string(),
                })
                .openapi("DeskTakeover"),
            ]),
            "taken over (or taken, when it was free)",
          ),
          404: json(ErrorSchema, "no such claim"),
          409: json(
            ErrorSchema,
            "`not_idle`: the holder is active on it (`details.allowedAt` says from when); `taken`: it changed hands meanwhile",
          ),
          503: json(ErrorSchema, "the indexer did not answer"),
          ...errors,
        },
      }),
      async (c) => {
        assessorOnly(c.var.roles);
        const id = BigInt(c.req.valid("param").id);
        await known(id);
        const { reason } = c.req.valid("json");
        const result = await assignments.takeOver(id, c.var.address, c.var.roles, rolesOf, reason);
        if ("created" in result)
          return result.created ? c.json(result.assignment, 201) : c.json(result.assignment, 200);
        deps.log.info("desk claim taken over", {
          claim: id.toString(),
          by: c.var.address,
          from: result.from,
          grounds: result.grounds,
        });
        return c.json(result, 201);
      },
    )
    .openapi(
      createRoute({
        middleware: [deps.auth.session, staff] as const,
        method: "get",
        path: "/claims/{id}/takeovers",
        summary: "A claim's take-overs at the desk, oldest first: who from, who to, when, on what grounds and why.",
        request: { params: ClaimParam },
        responses: {
          200: json(
            z.array(
              z.object({
                from: z.string(),
                to: z.string(),
                at: z.number().int(),
                grounds: z.enum(["lead", "revoked", "idle"]),
                reason: z.string(),
              }),
            ),
            "the take-overs",
          ),
          ...errors,
        },
      }),
      async (c) => c.json(await assignments.takeovers(BigInt(c.req.valid("param").id)), 200),
    )
    .openapi(
      createRoute({
        middleware: [deps.auth.session, staff] as const,
        method: "delete",
        path: "/claims/{id}/take",
        summary: "Release a claim you hold.",
        request: { params: ClaimParam },
        responses: {
          200: json(AssignmentSchema, "released (the assignment that ended)"),
          404: json(ErrorSchema, "nobody holds it"),
          409: json(ErrorSchema, "another assessor holds it"),
          ...errors,
        },
      }),
      async (c) => {
        assessorOnly(c.var.roles);
        const id = BigInt(c.req.valid("param").id);
        const ended = await assignments.release(id, c.var.address);
        deps.log.info("desk claim released", { claim: id.toString(), by: c.var.address });
        return c.json(ended, 200);
      },
    );
}
