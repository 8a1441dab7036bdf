import { createRoute, z } from "@hono/zod-openapi";

import { newRouter } from "../app.js";
import type { SiweAuth } from "../auth/siwe.js";
import { ErrorSchema } from "./health.js";

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
  .object({ token: z.string(), address: z.string(), expiresAt: z.number().int() })
  .openapi("SiweSession");
const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

export function authRoutes(auth: SiweAuth) {
  return newRouter()
    .openapi(
      createRoute({
        method: "post",
        path: "/v1/auth/nonce",
        summary: "Issue a single-use nonce for a Sign-In with Ethereum message.",
        responses: { 200: json(Nonce, "a fresh nonce") },
      }),
      async (c) => c.json(await auth.issueNonce(), 200),
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/v1/auth/verify",
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
        return c.json(await auth.signIn(message, signature), 200);
      },
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/v1/auth/logout",
        summary: "End the session of the bearer token.",
        responses: { 204: { description: "signed out" } },
      }),
      async (c) => {
        const token = /^Bearer (.+)$/.exec(c.req.header("authorization") ?? "")?.[1];
        if (token !== undefined) await auth.signOut(token);
        return c.body(null, 204);
      },
    );
}
