import { createRoute, z } from "@hono/zod-openapi";
import { streamSSE } from "hono/streaming";
import type { Hex } from "viem";

import { LIMITS } from "../../../common/case.js";
import type { AuthVariables } from "../auth/guards.js";
import type { AppDeps } from "../deps.js";
import { ErrorSchema, HttpError } from "../http/errors.js";
import { FixedWindowLimiter } from "../http/hygiene.js";
import { newRouter } from "../http/router.js";
import { createCases, type MessageView, type TransitionView } from "./cases.js";
import { ObjectStore } from "./files.js";
import { CaseBox } from "./seal.js";

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
const errors = {
  400: json(ErrorSchema, "malformed record or request"),
  401: json(ErrorSchema, "not signed in, or the session has no session key"),
  403: json(ErrorSchema, "not the author, not the claimant, or a bad signature"),
  404: json(ErrorSchema, "no such case, or not yours to read (the same answer)"),
  409: json(ErrorSchema, "stale previous hash, duplicate, already rated, or not closed"),
  429: json(ErrorSchema, "too many writes from this address"),
};
/** Routes that touch a case file's bytes, which may be in a bucket (CASE_FILES_S3_URL). */
const storageErrors = {
  503: json(ErrorSchema, "the bucket holding case files failed or is not configured here; nothing changed"),
};
const ClaimParam = z.object({
  claimId: z
    .string()
    .regex(/^(0|[1-9][0-9]{0,77})$/, "claimId must be a decimal claim id")
    .openapi({ param: { name: "claimId", in: "path" }, example: "1" }),
});
const Hash = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "must be 32 bytes of 0x-prefixed hex");
const Signature = z
  .string()
  .regex(/^0x[0-9a-fA-F]{130}$/, "signature must be 65 bytes of 0x-prefixed hex")
  .transform((s) => s as Hex);
const Record = z.record(z.string(), z.unknown()).openapi({ description: "a record as common/case.ts encodes it" });
const CaseViewSchema = z
  .object({
    claimId: z.string(),
    claimant: z.string(),
    status: z.string(),
    kind: z.string(),
    tier: z.number().int(),
    evidenceHash: z.string(),
    viewer: z.object({ address: z.string(), role: z.string() }),
    opening: z.object({
      hash: z.string(),
      statement: Record.nullable(),
      contact: z.string().nullable(),
      anchor: z.enum(["matches the chain", "mismatch", "missing", "erased"]),
    }),
    messages: z.array(
      z.object({
        seq: z.number().int(),
        hash: z.string(),
        message: Record.nullable(),
        signature: z.string(),
        erased: z.boolean(),
        anchor: z.enum(["matches the chain", "not anchored", "mismatch", "erased"]),
        txHash: z.string().nullable(),
        agent: z
          .object({
            standing: z.enum(["verified", "no longer staff", "unchecked"]),
            roles: z.array(z.enum(["assessor", "guardian", "admin"])),
          })
          .nullable()
          .openapi({
            description:
              "staff messages: whether the author holds a station role on the pool now (read on-chain, reused for 30 s)",
          }),
      }),
    ),
    next: z.object({ seq: z.number().int(), prev: z.string() }),
    transitions: z.array(
      z.object({
        status: z.string(),
        actor: z.string(),
        noteHash: z.string(),
        txHash: z.string(),
        blockNumber: z.string(),
        anchor: z.enum(["matches the chain", "mismatch", "no note"]),
      }),
    ),
    rating: z.object({ stars: z.number().int(), comment: z.string().nullable(), at: z.number().int() }).nullable(),
    erased: z.boolean(),
    clock: z.object({
      amountRequested: z.string(),
      submittedAt: z.number().int(),
      responseDeadline: z.number().int(),
      resolutionDeadline: z.number().int(),
      payableAt: z.number().int().nullable(),
    }),
    history: z.array(
      z.object({
        claimId: z.string(),
        status: z.string(),
        kind: z.string(),
        amountRequested: z.string(),
        submittedAt: z.number().int(),
      }),
    ),
    replies: z.object({
      firstReplySeconds: z.number().int().nullable(),
      replySeconds: z.array(z.number().int()),
    }),
  })
  .openapi("Case");

/** Polling interval of the live stream: new messages reach an open page within about this long. */
export const STREAM_POLL_MS = 400;

/**
 * Mounted at /v1/cases. Every route needs a session; a case is read by its claimant and by holders
 * of the pool's assessor, guardian or admin role, and is a 404 for everyone else.
 */
export function caseRoutes(deps: AppDeps) {
  const writes = new FixedWindowLimiter(deps.config.cases.writesPerAddressPerMinute, 60_000, deps.now);
  const cases = createCases({
    db: deps.db,
    indexer: deps.indexer,
    log: deps.log,
    staffRoles: deps.staffRoles ?? (async () => []),
    box: new CaseBox(deps.config.webhooks.secretKey),
    files: deps.config.cases.files === undefined ? undefined : new ObjectStore(deps.config.cases.files),
    chainId: deps.config.chainId,
    pool: deps.config.poolAddress,
    now: deps.now,
    uploadTtlSeconds: deps.config.cases.uploadTtlSeconds,
    onMessage: () => deps.wakeSender?.(),
  });
  const use = () => cases;
  const limited = (c: { var: { address: AuthVariables["address"] }; header(name: string, value: string): void }) => {
    const verdict = writes.hit(c.var.address);
    if (!verdict.allowed) {
      c.header("Retry-After", String(verdict.retryAfterSeconds));
      throw new HttpError(429, "rate_limited", `too many case writes; try again in ${verdict.retryAfterSeconds} s`);
    }
  };
  const id = (c: { req: { valid(t: "param"): { claimId: string } } }) => BigInt(c.req.valid("param").claimId);

  return newRouter()
    .openapi(
      createRoute({
        middleware: [deps.auth.session] as const,
        method: "post",
        path: "/attachments",
        summary: "Upload a file for a case (raw bytes; type sniffed from the bytes, ≤ 2 MiB).",
        request: { query: z.object({ name: z.string().max(LIMITS.nameChars).default("") }) },
        responses: {
          201: json(z.object({ ref: Record }), "stored; cite `ref` in an opening statement or message"),
          413: json(ErrorSchema, "larger than 2 MiB"),
          415: json(ErrorSchema, "not PNG, JPEG, GIF, WebP, PDF or UTF-8 text"),
          ...errors,
          ...storageErrors,
        },
      }),
      async (c) => {
        limited(c);
        const bytes = new Uint8Array(await c.req.arrayBuffer());
        const ref = await use().uploadAttachment(c.var.address, bytes, c.req.valid("query").name);
        return c.json({ ref }, 201);
      },
    )
    .openapi(
      createRoute({
        middleware: [deps.auth.session] as const,
        method: "post",
        path: "/openings",
        summary: "Store a claim's opening statement before filing; its hash is the claim's evidenceHash.",
        request: {
          body: {
            content: {
              "application/json": {
                schema: z.object({ statement: Record, contact: z.string().min(1).max(200).optional() }),
              },
            },
            required: true,
          },
        },
        responses: {
          200: json(z.object({ hash: Hash }), "stored before"),
          201: json(z.object({ hash: Hash }), "stored"),
          422: json(ErrorSchema, "cites a file this address did not upload"),
          ...errors,
        },
      }),
      async (c) => {
        limited(c);
        const body = c.req.valid("json");
        const { hash, created } = await use().storeOpening(c.var.address, body.statement, body.contact);
        return created ? c.json({ hash }, 201) : c.json({ hash }, 200);
      },
    )
    .openapi(
      createRoute({
        middleware: [deps.auth.session] as const,
        method: "get",
        path: "/{claimId}",
        summary: "A case: the opening statement, the conversation and each line's standing against the chain.",
        request: { params: ClaimParam },
        responses: { 200: json(CaseViewSchema, "the case"), ...errors },
      }),
      async (c) => c.json(await use().view(id(c), c.var.address), 200),
    )
    .openapi(
      createRoute({
        middleware: [deps.auth.session] as const,
        method: "post",
        path: "/{claimId}/messages",
        summary: "Add a message, signed by the session's key; a staff message may be a transition's note.",
        request: {
          params: ClaimParam,
          body: {
            content: { "application/json": { schema: z.object({ message: Record, signature: Signature }) } },
            required: true,
          },
        },
        responses: {
          201: json(
            z.object({ hash: Hash, seq: z.number().int() }),
            "stored; send the transition with noteHash = hash",
          ),
          422: json(ErrorSchema, "cites a file the author did not upload"),
          ...errors,
        },
      }),
      async (c) => {
        limited(c);
        const { message, signature } = c.req.valid("json");
        return c.json(await use().postMessage(id(c), c.var.address, c.var.delegation, message, signature), 201);
      },
    )
    .openapi(
      createRoute({
        middleware: [deps.auth.session] as const,
        method: "get",
        path: "/{claimId}/attachments/{sha256}",
        summary: "Download a file the case cites (always as an attachment, never rendered).",
        request: { params: ClaimParam.extend({ sha256: Hash.openapi({ param: { name: "sha256", in: "path" } }) }) },
        responses: {
          200: { description: "the file", content: { "application/octet-stream": { schema: z.string() } } },
          410: json(ErrorSchema, "erased by its owner, or lost by the bucket"),
          ...errors,
          ...storageErrors,
        },
      }),
      async (c) => {
        const { sha256 } = c.req.valid("param");
        const file = await use().readAttachment(id(c), c.var.address, sha256 as Hex);
        c.header("Content-Type", file.type);
        c.header("Content-Disposition", `attachment; filename="${sha256.slice(2, 18)}"`);
        c.header("X-Content-Type-Options", "nosniff");
        c.header("Content-Security-Policy", "default-src 'none'; sandbox");
        c.header("Cache-Control", "private, no-store");
        return c.body(new Uint8Array(file.bytes), 200);
      },
    )
    .openapi(
      createRoute({
        middleware: [deps.auth.session] as const,
        method: "post",
        path: "/{claimId}/rating",
        summary: "Rate the help (1–5 and a comment), once, after the claim closed; signed by the session's key.",
        request: {
          params: ClaimParam,
          body: {
            content: { "application/json": { schema: z.object({ rating: Record, signature: Signature }) } },
            required: true,
          },
        },
        responses: { 201: json(z.object({ hash: Hash }), "rated"), ...errors },
      }),
      async (c) => {
        limited(c);
        const { rating, signature } = c.req.valid("json");
        return c.json(await use().rate(id(c), c.var.address, c.var.delegation, rating, signature), 201);
      },
    )
    .openapi(
      createRoute({
        middleware: [deps.auth.session] as const,
        method: "post",
        path: "/{claimId}/erase",
        summary: "Erase the claimant's words and files after closure; the hashes on-chain stay.",
        request: { params: ClaimParam },
        responses: {
          200: json(
            z.object({
              erased: z.number().int().openapi({ description: "records erased (opening, messages, rating, files)" }),
              kept: z.number().int().openapi({
                description: "files kept because the claimant cites them in another case not erased",
              }),
            }),
            "erased",
          ),
          ...errors,
          ...storageErrors,
        },
      }),
      async (c) => c.json(await use().erase(id(c), c.var.address), 200),
    )
    .openapi(
      createRoute({
        middleware: [deps.auth.session] as const,
        method: "get",
        path: "/{claimId}/export",
        summary: "The case as one self-contained bundle anyone can verify against the chain (station case verify).",
        request: { params: ClaimParam },
        responses: { 200: json(Record, "the bundle (common/case.ts CaseBundle)"), ...errors },
      }),
      async (c) => {
        const bundle = await use().exportBundle(id(c), c.var.address);
        c.header("Content-Disposition", `attachment; filename="case-${bundle.claimId}.json"`);
        return c.json(bundle as unknown as z.infer<typeof Record>, 200);
      },
    )
    .openapi(
      createRoute({
        middleware: [deps.auth.session] as const,
        method: "get",
        path: "/{claimId}/stream",
        summary:
          "Server-Sent Events: `message` (a new message, or one whose standing changed) and `transition` (a new on-chain transition).",
        request: { params: ClaimParam },
        responses: { 200: { description: "text/event-stream" }, ...errors },
      }),
      async (c) => {
        const claimId = id(c);
        const caller = c.var.address;
        // Access is checked before the stream opens (a stranger gets the 404), and on every poll.
        // The head is read before the view: a message landing between the two moves the head
        // again, so the first poll rebuilds; read after, it could be missed until the next change.
        const start = await cases.head(claimId, caller);
        let lastHead = start.key;
        const first = await cases.view(claimId, caller, start.access);
        return streamSSE(c, async (stream) => {
          const seen = new Map<number, string>(first.messages.map((m) => [m.seq, m.anchor]));
          let transitions = first.transitions.length;
          let lastBeat = Date.now();
          let open = true;
          stream.onAbort(() => {
            open = false;
          });
          while (open) {
            await stream.sleep(STREAM_POLL_MS);
            let v;
            try {
              // The whole view (every message opened) only when the case's head moved; the head's
              // access check (and the timeline it read) serves the view.
              const now = await cases.head(claimId, caller);
              v = now.key === lastHead ? undefined : await cases.view(claimId, caller, now.access);
              lastHead = now.key;
            } catch (e) {
              if (e instanceof HttpError && e.status === 404) break;
              continue;
            }
            for (const m of v?.messages ?? []) {
              if (seen.get(m.seq) === m.anchor) continue;
              seen.set(m.seq, m.anchor);
              await stream.writeSSE({
                event: "message",
                id: `m${m.seq}`,
                data: JSON.stringify(m satisfies MessageView),
              });
            }
            for (const t of v?.transitions.slice(transitions) ?? []) {
              await stream.writeSSE({ event: "transition", data: JSON.stringify(t satisfies TransitionView) });
            }
            transitions = v?.transitions.length ?? transitions;
            if (Date.now() - lastBeat > 15_000) {
              lastBeat = Date.now();
              await stream.write(": keep-alive\n\n");
            }
          }
        });
      },
    );
}
