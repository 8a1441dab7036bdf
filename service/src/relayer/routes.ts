import { createRoute, z } from "@hono/zod-openapi";
import { getAddress, isAddress } from "viem";

import { clientAddress } from "../http/hygiene.js";
import { newRouter } from "../http/router.js";
import type { Relayer } from "./relayer.js";
import { ErrorSchema } from "../http/errors.js";

const uintString = (what: string) =>
  z
    .string()
    .regex(/^[0-9]{1,78}$/, `${what} must be a decimal integer string`)
    .transform((s) => BigInt(s));
const hex32 = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, "must be 32 bytes of 0x-prefixed hex")
  .transform((s) => s as `0x${string}`);

const RelayBody = z
  .object({
    request: z.object({
      claimant: z
        .string()
        .refine((s) => isAddress(s), "claimant must be an address (valid checksum if mixed-case)")
        .transform((s) => getAddress(s)),
      kind: z
        .number()
        .int()
        .min(0)
        .max(3)
        .openapi({ description: "0 missing C reward, 1 data API outage, 2 redemption tool failure, 3 other" }),
      amount: uintString("amount").openapi({ description: "wei of C, a whole multiple of 10^12" }),
      evidenceHash: hex32,
      nonce: uintString("nonce"),
      deadline: uintString("deadline").openapi({ description: "unix seconds" }),
    }),
    signature: z
      .string()
      .regex(/^0x([0-9a-fA-F]{2})+$/, "signature must be 0x-prefixed hex")
      .max(2 + 2 * 4096)
      .transform((s) => s as `0x${string}`),
  })
  .openapi("RelayClaim");
const Relayed = z
  .object({
    claimId: z.string(),
    txHash: z.string(),
    digest: z.string(),
    status: z.literal("mined"),
    replayed: z.boolean(),
  })
  .openapi("RelayedClaim");

/** Body of a successful POST /v1/relay/claims (the web page and the CLI import this type). */
export type RelayResponse = z.infer<typeof Relayed>;
const err = (description: string) => ({ description, content: { "application/json": { schema: ErrorSchema } } });

/**
 * The gasless claim relayer. `clientIp` decides which address the per-IP limit counts; behind a
 * proxy, pass a function that reads the proxy's header.
 */
export function relayRoutes(relayer: Relayer | undefined) {
  return newRouter().openapi(
    createRoute({
      method: "post",
      path: "/claims",
      summary: "Submit an EIP-712 signed claim; the station pays the gas and returns the claim id once mined.",
      request: { body: { content: { "application/json": { schema: RelayBody } }, required: true } },
      responses: {
        200: {
          description: "mined (or already relayed: `replayed`)",
          content: { "application/json": { schema: Relayed } },
        },
        400: err("malformed request, bad signature, expired deadline, bad amount or kind"),
        409: err("stale nonce, or the request is already being relayed"),
        422: err("over the per-claim cap, or the pool would refuse it (the custom error is named)"),
        429: err("rate limited per address or per client"),
        502: err("the chain could not be reached or the transaction failed"),
        503: err("the relayer is not configured"),
      },
    }),
    async (c) => {
      if (relayer === undefined) {
        return c.json({ error: { code: "relayer_disabled", message: "this station does not relay claims" } }, 503);
      }
      const { request, signature } = c.req.valid("json");
      // No socket (an in-process request): all such requests share one limit.
      return c.json(await relayer.relay(request, signature, clientAddress(c)), 200);
    },
  );
}
