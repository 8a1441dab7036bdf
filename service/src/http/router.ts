/**
 * The router factory and the logger type every feature uses. They live here, not in `app.ts`, so
 * that feature modules never import the composer (and the composer's imports never loop back).
 */
import { OpenAPIHono } from "@hono/zod-openapi";

import { errorBody } from "./errors.js";

export type Logger = {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
};

/** A Hono app whose request validation failures produce the service's error shape. */
export function newRouter() {
  return new OpenAPIHono({
    defaultHook: (result, c) => {
      if (!result.success) {
        const issues = result.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
        const summary = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ");
        return c.json(errorBody("invalid_request", `invalid request: ${summary}`, issues), 400);
      }
      return undefined;
    },
  });
}
