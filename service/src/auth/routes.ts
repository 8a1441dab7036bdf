import { createRoute, z } from "@hono/zod-openapi";

import { ErrorSchema, HttpError } from "../http/errors.js";
import { newRouter } from "../http/router.js";
import type { SiweAuth } from "./siwe.js";

const Nonce = z.object({ nonce: z.string(), expiresAt: z.number().int() }).openapi("SiweNonce");
const SignIn = z
  .object({
    message: z.string().min(1).max(4096).openapi({ description: "The EIP-4361 message the wallet signed" }),
    signature: z
      .string()
      .regex(/^0x[0-9a-fA-F]+$/, "signature must be 0x-prefixed hex")
      .max(4096)
      .transform((s) => s as `0x${string}`),
  })
  .openapi("SiweSignIn");
const Session = z
  .object({
    token: z.string(),
    address: z.string(),
    expiresAt: z.number().int(),
    sessionKey: z
      .string()
      .nullable()
      .openapi({ description: "the session key the message delegated (urn:emergency-station:session-key:…), or null" }),
  })
  .openapi("SiweSession");
const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

/**
 * Mounted at /v1/auth. Without a sign-in service (route tests with test guards) every route
 * answers 404, as if it were not there.
 */
export function authRoutes(siwe: SiweAuth | undefined) {
  const use = (): SiweAuth => {
    if (siwe === undefined) throw new HttpError(404, "not_found", "sign-in is not enabled on this service");
    return siwe;
  };
  return newRouter()
    .openapi(
      createRoute({
        method: "post",
        path: "/nonce",
        summary: "Issue a single-use nonce for a Sign-In with Ethereum message.",
        responses: { 200: json(Nonce, "a fresh nonce") },
      }),
      async (c) => c.json(await use().issueNonce(), 200),
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/verify",
        summary: "Verify a signed EIP-4361 message and open a session (bearer token).",
        request: { body: { content: { "application/json": { schema: SignIn } }, required: true } },
        responses: {
          200: json(Session, "signed in"),
          400: json(ErrorSchema, "malformed request"),
          401: json(ErrorSchema, "refused: wrong domain or chain, expired, replayed nonce, bad signature"),
        },
      }),
      async (c) => {
        const { message, signature } = c.req.valid("json");
        return c.json(await use().signIn(message, signature), 200);
      },
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/logout",
        summary: "End the session of the bearer token.",
        responses: { 204: { description: "signed out" } },
      }),
      async (c) => {
        const auth = use();
        const token = /^Bearer (.+)$/.exec(c.req.header("authorization") ?? "")?.[1];
        if (token !== undefined) await auth.signOut(token);
        return c.body(null, 204);
      },
    );
}
