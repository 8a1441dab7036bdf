import { OpenAPIHono } from "@hono/zod-openapi";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Registry } from "prom-client";

import type { AuthGuards } from "./auth/guards.js";
import type { SiweAuth } from "./auth/siwe.js";
import type { ServiceConfig } from "./config.js";
import type { Relayer } from "./relayer/relayer.js";
import type { Database } from "./db/client.js";
import { errorBody, HttpError } from "./errors.js";
import { authRoutes } from "./routes/auth.js";
import { healthRoutes } from "./routes/health.js";
import { relayRoutes } from "./routes/relay.js";
import type { IndexerSource } from "./feed/source.js";
import { alertRoutes } from "./routes/alerts.js";
import { webhookRoutes } from "./routes/webhooks.js";
import type { IndexerReader } from "./indexer/reader.js";
import { claimRoutes } from "./routes/claims.js";
import { helpRoutes } from "./routes/help.js";
import { queueRoutes } from "./routes/queue.js";
import { statsRoutes } from "./routes/stats.js";
import { webRoutes } from "./routes/web.js";
import type { HostResolver } from "./webhooks/url.js";

/** What every route module receives. Route modules add their own needs here as they land. */
export type AppDeps = {
  db: Database;
  config: ServiceConfig;
  log: Logger;
  auth: AuthGuards;
  /** Prometheus registry served at GET /metrics; features register their metrics into it. */
  metrics: Registry;
  /** Sign-In with Ethereum routes; absent in route tests that use test guards. */
  siwe?: SiweAuth;
  /** The gasless claim relayer; absent when the station does not relay (POST /v1/relay/claims answers 503). */
  relayer?: Relayer;
  /** The delivery side's view of the indexer: its tables, its head, change notifications. */
  indexerSource: IndexerSource;
  /** Wall clock in milliseconds; deadlines are judged against it. */
  now: () => number;
  /** Called when a route queued webhook deliveries (wakes this replica's sender). */
  wakeSender?: () => void;
  /** The read side's view of the indexer: claims, transitions, the chain head. */
  indexer: IndexerReader;
  /** Resolves webhook receiver host names (default: the system resolver; tests inject one). */
  resolveHost?: HostResolver;
};

export type Logger = {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
};

export type App = OpenAPIHono;

/** A Hono app whose request validation failures produce the service's error shape. */
export function newRouter(): OpenAPIHono {
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

export function createApp(deps: AppDeps): App {
  const app = newRouter();

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

  app.route("/", healthRoutes(deps));
  if (deps.siwe !== undefined) app.route("/", authRoutes(deps.siwe));
  app.route("/", relayRoutes(deps.relayer));
  app.route("/", webhookRoutes(deps));
  app.route("/", alertRoutes(deps));
  app.route("/", claimRoutes(deps));
  app.route("/", queueRoutes(deps));
  app.route("/", statsRoutes(deps));
  app.route("/", helpRoutes(deps));
  app.get("/metrics", async (c) =>
    c.text(await deps.metrics.metrics(), 200, { "content-type": deps.metrics.contentType }),
  );

  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Emergency Station service",
      version: "0.1.0",
      description: "Claim tracking, the SLA queue, webhooks, the gasless relayer and the help library.",
    },
  });
  app.get("/docs", (c) => c.html(DOCS_PAGE));
  app.route("/", webRoutes(deps));
  return app;
}

// A self-contained docs page (no CDN: the machines it runs on may be offline): renders the
// OpenAPI document's paths, parameters and responses.
const DOCS_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>Emergency Station API</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:900px;margin:2rem auto;padding:0 1rem}
code,pre{background:#f4f4f4;padding:.1rem .3rem;border-radius:3px}section{border-top:1px solid #ddd;padding:.5rem 0}
.m{font-weight:700;text-transform:uppercase;margin-right:.5rem}</style></head><body>
<h1>Emergency Station API</h1><p>Machine-readable: <a href="/openapi.json">/openapi.json</a></p><div id="paths">Loading…</div>
<script>
fetch('/openapi.json').then(r=>r.json()).then(doc=>{
  const esc=s=>String(s??'').replace(/[&<>]/g,ch=>({'&':'&amp;','<':'&lt;','>':'&gt;'}[ch]));
  const out=[];
  for(const [p,ops] of Object.entries(doc.paths||{})) for(const [m,op] of Object.entries(ops)){
    const params=(op.parameters||[]).map(x=>'<code>'+esc(x.in)+':'+esc(x.name)+'</code>').join(' ');
    const codes=Object.keys(op.responses||{}).join(', ');
    out.push('<section><span class="m">'+esc(m)+'</span><code>'+esc(p)+'</code><p>'+esc(op.summary||'')+'</p>'+
      (params?'<p>Parameters: '+params+'</p>':'')+'<p>Responses: '+esc(codes)+'</p></section>');
  }
  document.getElementById('paths').innerHTML=out.join('')||'No routes.';
});
</script></body></html>`;
