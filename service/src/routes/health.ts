import { createRoute, z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";

import { newRouter, type AppDeps } from "../app.js";
import { errorBody } from "../errors.js";

const Health = z.object({ status: z.literal("ok") }).openapi("Health");
const Ready = z
  .object({ status: z.literal("ready"), database: z.enum(["pglite", "postgres"]).optional() })
  .openapi("Ready");
const ErrorSchema = z
  .object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) })
  .openapi("Error");

export function healthRoutes({ db }: AppDeps) {
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
        summary: "Readiness: the database answers.",
        responses: {
          200: { description: "ready", content: { "application/json": { schema: Ready } } },
          503: { description: "not ready", content: { "application/json": { schema: ErrorSchema } } },
        },
      }),
      async (c) => {
        try {
          await db.execute(sql`SELECT 1`);
        } catch (err) {
          return c.json(errorBody("not_ready", `database unavailable: ${(err as Error).message}`), 503);
        }
        return c.json({ status: "ready" as const }, 200);
      },
    );
}

export { ErrorSchema };
