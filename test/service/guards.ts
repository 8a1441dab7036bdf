import { getAddress, type Address } from "viem";

import type { AuthGuards } from "../../service/src/auth/guards.js";
import { errorBody } from "../../service/src/http/errors.js";

/**
 * Test guards for route tests that are not about authentication: `Authorization: Test <address>`
 * signs in as that address; addresses in `assessors` pass the assessor guard. The real guards
 * (SIWE sessions, on-chain role) have their own tests.
 */
export function testGuards(assessors: Address[] = []): AuthGuards {
  const allowed = new Set(assessors.map((a) => getAddress(a)));
  const who = (header: string | undefined): Address | undefined => {
    const m = /^Test (0x[0-9a-fA-F]{40})$/.exec(header ?? "");
    return m?.[1] === undefined ? undefined : getAddress(m[1]);
  };
  return {
    session: async (c, next) => {
      const address = who(c.req.header("authorization"));
      if (address === undefined) return c.json(errorBody("unauthenticated", "sign in first"), 401);
      c.set("address", address);
      await next();
    },
    assessor: async (c, next) => {
      const address = who(c.req.header("authorization"));
      if (address === undefined) return c.json(errorBody("unauthenticated", "sign in first"), 401);
      if (!allowed.has(address)) return c.json(errorBody("forbidden", "assessor role required"), 403);
      c.set("address", address);
      await next();
    },
  };
}
