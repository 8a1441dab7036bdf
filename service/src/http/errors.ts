import { z } from "@hono/zod-openapi";

/** An error that becomes an HTTP response with the service's one JSON error shape. */
export class HttpError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 422 | 429 | 502 | 503,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

/**
 * The body of every error response: `{ error: { code, message, details?, requestId } }` (the
 * request id is added on the way out, see `http/hygiene.ts`).
 */
export type ErrorBody = { error: { code: string; message: string; details?: unknown } };

export function errorBody(code: string, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/** The error shape as an OpenAPI schema, for every route's error responses. */
export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.unknown().optional(),
      requestId: z.string().optional().openapi({ description: "the X-Request-Id of the request, for reports" }),
    }),
  })
  .openapi("Error");
