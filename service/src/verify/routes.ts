import { createRoute, z } from "@hono/zod-openapi";
import { getAddress, isAddress, recoverMessageAddress, type Address, type Hex } from "viem";

import type { StaffRole } from "../auth/onchain.js";
import type { AppDeps } from "../deps.js";
import { ErrorSchema, HttpError } from "../http/errors.js";
import { FixedWindowLimiter, rateLimit } from "../http/hygiene.js";
import { newRouter } from "../http/router.js";

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

const Verdict = z
  .object({
    address: z.string(),
    roles: z.array(z.enum(["assessor", "guardian", "admin"])),
    isStationStaff: z.boolean().openapi({ description: "holds the pool's assessor, guardian or admin role now" }),
    pool: z.string().nullable(),
    chainId: z.number().int(),
    checkedAt: z.number().int().openapi({ description: "unix seconds (roles are read on-chain, cached ≤ 30 s)" }),
    advice: z.string(),
  })
  .openapi("AgentVerdict");
const MessageVerdict = Verdict.extend({
  signatureValid: z.boolean(),
}).openapi("SignedMessageVerdict");

const AddressParam = z.object({
  address: z
    .string()
    .refine((a) => isAddress(a, { strict: false }), "must be an address")
    .openapi({ param: { name: "address", in: "path" } }),
});
const MessageBody = z.object({
  message: z.string().min(1).max(4000),
  signature: z
    .string()
    .regex(/^0x[0-9a-fA-F]+$/, "signature must be 0x-prefixed hex")
    .max(20_000)
    .transform((s) => s as Hex),
  address: z
    .string()
    .refine((a) => isAddress(a, { strict: false }), "must be an address")
    .optional(),
});

const ADVICE = {
  staff:
    "This address holds a station role now. Station staff never ask for your seed phrase, private key or a payment.",
  notStaff:
    "This address holds no station role: it is not station support. Never share your seed phrase or send funds to someone claiming to be support.",
  badSignature:
    "The signature does not match: this message was not signed by the address it names. Treat it as a scam.",
} as const;

/**
 * Mounted at /v1/verify: anyone checks whether an address is station staff now, and whether a
 * message ("I am station support, case #12") was signed by such an address. Public, limited per IP
 * (each check reads the chain).
 */
export function verifyRoutes(deps: AppDeps) {
  const staff = deps.staffRoles ?? (async () => [] as StaffRole[]);
  const limiter = new FixedWindowLimiter(60, 60_000, deps.now);
  const verdict = async (address: Address) => {
    const roles = await staff(address).catch(() => {
      throw new HttpError(503, "chain_unavailable", "the chain did not answer; try again");
    });
    return {
      address,
      roles,
      isStationStaff: roles.length > 0,
      pool: deps.config.poolAddress ?? null,
      chainId: deps.config.chainId,
      checkedAt: Math.floor(deps.now() / 1000),
      advice: roles.length > 0 ? ADVICE.staff : ADVICE.notStaff,
    };
  };
  const app = newRouter();
  app.use("*", rateLimit(limiter));
  return app
    .openapi(
      createRoute({
        method: "get",
        path: "/{address}",
        summary: "Is this address station support (assessor, guardian or admin) right now?",
        request: {
          params: AddressParam,
        },
        responses: { 200: json(Verdict, "the verdict"), 400: json(ErrorSchema, "not an address") },
      }),
      async (c) => c.json(await verdict(getAddress(c.req.valid("param").address)), 200),
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/message",
        summary: "Was this message signed by station support? (personal_sign; contract wallets need `address`)",
        request: {
          body: {
            content: {
              "application/json": {
                schema: MessageBody,
              },
            },
            required: true,
          },
        },
        responses: { 200: json(MessageVerdict, "the verdict"), 400: json(ErrorSchema, "malformed") },
      }),
      async (c) => {
        const { message, signature, address } = c.req.valid("json");
        if (address !== undefined) {
          const named = getAddress(address);
          const valid = await (deps.verifySignature ?? defaultVerify)({ address: named, message, signature }).catch(
            () => false,
          );
          const v = await verdict(named);
          return c.json({ ...v, signatureValid: valid, advice: valid ? v.advice : ADVICE.badSignature }, 200);
        }
        const signer = await recoverMessageAddress({ message, signature }).catch(() => undefined);
        if (signer === undefined) {
          throw new HttpError(
            400,
            "invalid_request",
            "not a 65-byte signature; for a contract wallet, name its address",
          );
        }
        return c.json({ ...(await verdict(signer)), signatureValid: true }, 200);
      },
    );
}

const defaultVerify = async ({ address, message, signature }: { address: Address; message: string; signature: Hex }) =>
  (await recoverMessageAddress({ message, signature })).toLowerCase() === address.toLowerCase();
