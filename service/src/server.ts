/**
 * The HTTP server around the app: Node's server, Hono's adapter, and the claim read's lane in front
 * of the router (claims/lane.ts). The service (index.ts), the benches and the tests that need a
 * real socket start it here, so they serve what production serves.
 */
import { createServer, type Server } from "node:http";

import { getRequestListener } from "@hono/node-server";

import type { App } from "./app.js";
import { withClaimLane, type NodeListener } from "./claims/lane.js";
import type { AppDeps } from "./deps.js";
import { securityHeaderPairs } from "./http/hygiene.js";

export type ServeOptions = {
  hostname: string;
  /** 0 picks a free port. */
  port: number;
  /** The claim read's lane (default on); off, every request goes through the router. */
  claimLane?: boolean;
};

/** Listens; resolves once the server accepts connections, with the port it got. */
export async function serveApp(
  app: App,
  deps: Pick<AppDeps, "indexer" | "log" | "now" | "config">,
  o: ServeOptions,
): Promise<{ server: Server; port: number }> {
  const securityHeaders = o.claimLane === false ? [] : await securityHeaderPairs(deps.config, "/v1/claims/0");
  const listener = getRequestListener(app.fetch, { hostname: o.hostname });
  // The adapter's listener catches its own failures (a 500); its promise only says when it is done.
  const router: NodeListener = (req, res) => void listener(req, res);
  const server = createServer(o.claimLane === false ? router : withClaimLane(router, { ...deps, securityHeaders }));
  await new Promise<void>((resolve) => server.listen(o.port, o.hostname, resolve));
  const address = server.address();
  return { server, port: typeof address === "object" && address !== null ? address.port : o.port };
}
