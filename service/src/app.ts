import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

import { alertRoutes } from "./alerts/routes.js";
import { authRoutes } from "./auth/routes.js";
import { cardRoutes } from "./cards/routes.js";
import { caseRoutes } from "./cases/routes.js";
import { accountClaimRoutes, claimRoutes } from "./claims/routes.js";
import type { AppDeps } from "./deps.js";
import { deskRoutes } from "./desk/routes.js";
import { healthRoutes } from "./health/routes.js";
import { docsRoutes } from "./http/docs.js";
import { errorBody, HttpError } from "./http/errors.js";
import {
  accessLog,
  BODY_LIMITS,
  FixedWindowLimiter,
  limitBody,
  rateLimit,
  requestIds,
  securityHeaders,
} from "./http/hygiene.js";
import { newRouter } from "./http/router.js";
import { queueRoutes } from "./queue/routes.js";
import { relayRoutes } from "./relayer/routes.js";
import { roundRoutes } from "./rounds/routes.js";
import { helpRoutes } from "./help/routes.js";
import { statsRoutes } from "./stats/routes.js";
import { webRoutes } from "./web/routes.js";
import { verifyRoutes } from "./verify/routes.js";
import { webhookRoutes } from "./webhooks/routes.js";

/**
 * Composes the service: one app per feature, mounted by prefix. Nothing here is imported by the
 * features (they get `newRouter` and `Logger` from `http/router.ts`, their dependencies from
 * `deps.ts`). The mounts form one chained expression so that the routes' types accumulate into
 * `AppType`, which the typed client (`client.ts`) infers requests and responses from.
 */
export function createApp(deps: AppDeps) {
  const app = newRouter();
  // Hygiene first, so that every response (errors and 404s included) carries it. A plain claim
  // read is answered before these run, by the lane that server.ts puts in front of the app
  // (claims/lane.ts sends the same headers and log line): a middleware that every request must
  // pass through has to be added to the lane too.
  app.use("*", requestIds());
  app.use("*", accessLog(deps.log));
  app.use("*", securityHeaders(deps.config));
  app.use("/v1/auth/*", limitBody(BODY_LIMITS.public));
  app.use("/v1/relay/*", limitBody(BODY_LIMITS.public));
  app.use("/v1/cases/attachments", limitBody(BODY_LIMITS.attachment));
  app.use("/v1/rounds/drafts", limitBody(BODY_LIMITS.roundCsv));
  const defaultLimit = limitBody(BODY_LIMITS.default);
  const ownLimits = new Set(["/v1/cases/attachments", "/v1/rounds/drafts"]);
  app.use("*", (c, next) => (ownLimits.has(c.req.path) ? next() : defaultLimit(c, next)));
  app.post(
    "/v1/auth/nonce",
    rateLimit(new FixedWindowLimiter(deps.config.siwe.noncesPerIpPerMinute, 60_000, deps.now)),
  );

  app.onError((err, c) => {
    if (err instanceof HttpError) {
      return c.json(errorBody(err.code, err.message, err.details), err.status as ContentfulStatusCode);
    }
    // Hono's own validators reject unparsable bodies this way ("Malformed JSON in request body").
    if (err instanceof HTTPException && err.status < 500) {
      const code = err.status === 400 ? "invalid_request" : "http_error";
      return c.json(errorBody(code, `invalid request: ${err.message}`), err.status as ContentfulStatusCode);
    }
    // Anything else is ours to fix; never leak internals to the caller.
    deps.log.error("unhandled error", { path: c.req.path, error: String(err), stack: (err as Error).stack });
    return c.json(errorBody("internal", "internal error"), 500);
  });
  app.notFound((c) => c.json(errorBody("not_found", `no route for ${c.req.method} ${c.req.path}`), 404));

  const routes = app
    .route("/", healthRoutes(deps))
    .route("/v1/auth", authRoutes(deps.siwe))
    .route("/v1/relay", relayRoutes(deps.relayer))
    .route("/v1/webhooks", webhookRoutes(deps))
    .route("/v1/alerts", alertRoutes(deps))
    .route("/v1/claims", claimRoutes(deps))
    .route("/v1/accounts", accountClaimRoutes(deps))
    .route("/v1/queue", queueRoutes(deps))
    .route("/v1/cases", caseRoutes(deps))
    .route("/v1/desk", deskRoutes(deps))
    .route("/v1/verify", verifyRoutes(deps))
    .route("/v1/rounds", roundRoutes(deps))
    .route("/v1/stats", statsRoutes(deps))
    .route("/v1/help", helpRoutes(deps))
    .route("/", cardRoutes(deps.config))
    .route("/", docsRoutes())
    .route("/", webRoutes(deps));

  routes.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Emergency Station service",
      version: "0.1.0",
      description: "Claim tracking, the SLA queue, webhooks, the gasless relayer and the help library.",
    },
  });
  return routes;
}

/** The composed service, with every route's request and response types. */
export type App = ReturnType<typeof createApp>;
/** The app's type for `hono/client` (see `client.ts`). */
export type AppType = App;
