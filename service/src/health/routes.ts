import { createRoute, z } from "@hono/zod-openapi";

import type { AppDeps } from "../deps.js";
import { errorBody } from "../http/errors.js";
import { newRouter } from "../http/router.js";
import { databaseProbe, runProbes } from "./probes.js";

const Health = z.object({ status: z.literal("ok") }).openapi("Health");
const Check = z
  .object({ ok: z.boolean(), ms: z.number().int(), error: z.string().optional() })
  .catchall(z.unknown())
  .openapi("ReadinessCheck");
const Checks = z.record(z.string(), Check);
const Ready = z.object({ status: z.literal("ready"), checks: Checks }).openapi("Ready");
const NotReady = z
  .object({
    status: z.literal("not_ready"),
    checks: Checks,
    error: z.object({ code: z.string(), message: z.string() }),
  })
  .openapi("NotReady");

/** Each probe's bound: an orchestrator's own probe timeout is typically 1–5 s. */
const PROBE_TIMEOUT_MS = 2_000;

/** Liveness, readiness and the Prometheus scrape (`/metrics`), mounted at the root. */
export function healthRoutes({ db, probes, metrics }: Pick<AppDeps, "db" | "probes" | "metrics">) {
  const all = { database: databaseProbe(db), ...probes };
  return newRouter()
    .openapi(
      createRoute({
        method: "get",
        path: "/health",
        summary: "Liveness: the process answers.",
        responses: { 200: { description: "alive", content: { "application/json": { schema: Health } } } },
      }),
      (c) => c.json({ status: "ok" as const }, 200),
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/ready",
        summary: "Readiness: the database, the indexer and the chain answer (each check named in the body).",
        responses: {
          200: { description: "ready", content: { "application/json": { schema: Ready } } },
          503: {
            description: "not ready: the body names each dependency that is down",
            content: { "application/json": { schema: NotReady } },
          },
        },
      }),
      async (c) => {
        const checks = await runProbes(all, PROBE_TIMEOUT_MS);
        const down = Object.entries(checks).filter(([, r]) => !r.ok);
        if (down.length === 0) return c.json({ status: "ready" as const, checks }, 200);
        const message = down.map(([name, r]) => `${name} unavailable: ${r.ok ? "" : r.error}`).join("; ");
        return c.json({ status: "not_ready" as const, checks, ...errorBody("not_ready", message) }, 503);
      },
    )
    .get("/metrics", async (c) => c.text(await metrics.metrics(), 200, { "content-type": metrics.contentType }));
}
