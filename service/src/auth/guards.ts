import type { MiddlewareHandler } from "hono";
import type { Address } from "viem";

/** Context variables a guard sets for the handlers behind it. */
export type AuthVariables = {
  address: Address;
  /** The session key the wallet delegated at sign-in (case messages are signed with it), if any. */
  delegation?: { id: string; key: Address };
};

/**
 * The seam between routes and authentication (Sign-In with Ethereum sessions):
 * - `session`: the caller holds a valid session; sets `c.var.address` (checksummed).
 * - `assessor`: as `session`, and the address holds the pool's on-chain assessor role.
 * Both reject with the service's error shape: 401 `unauthenticated`, 403 `forbidden`.
 */
export type AuthGuards = {
  session: MiddlewareHandler<{ Variables: AuthVariables }>;
  assessor: MiddlewareHandler<{ Variables: AuthVariables }>;
};
