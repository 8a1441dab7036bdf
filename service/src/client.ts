/**
 * A typed client for the service's HTTP API (Hono's RPC client on the app's exported type):
 * paths, parameters, bodies and responses are checked by the compiler, and `await res.json()`
 * is typed by the status checked before it. Importing this module brings in types only from the
 * service (`import type`), so a browser bundle holds nothing but `hono/client`.
 *
 *   const api = createClient("http://127.0.0.1:8787");
 *   const res = await api.v1.claims[":id"].$get({ param: { id: "42" }, query: { lang: "en" } });
 *   if (res.status === 200) console.log((await res.json()).statusText);
 */
import { hc, type ClientRequestOptions } from "hono/client";

import type { AppType } from "./app.js";

export type ServiceClient = ReturnType<typeof hc<AppType>>;

export function createClient(baseUrl: string, options?: ClientRequestOptions): ServiceClient {
  return hc<AppType>(baseUrl, options);
}
