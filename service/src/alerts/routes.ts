/**
 * Data risk alerts.
 *
 * POST /v1/alerts  operators (assessor role): post an alert; it goes out as `risk.alert` to every
 *                  webhook subscriber with active coverage
 * GET  /v1/alerts  public: the alerts in force, newest first, for the web page
 */
import { randomUUID } from "node:crypto";

import { createRoute, z } from "@hono/zod-openapi";
import { desc, gt, isNull, or } from "drizzle-orm";

import { type AppDeps } from "../deps.js";
import { newRouter } from "../http/router.js";
import { fanOutRiskAlert, riskAlertView } from "./risk.js";
import { HttpError } from "../http/errors.js";
import { deliveryMetrics } from "../webhooks/metrics.js";
import { riskAlerts } from "../webhooks/schema.js";
import { LangQuery, language } from "../http/params.js";
import { LANGUAGES } from "../claims/i18n.js";
import { ErrorSchema } from "../http/errors.js";

/** A text in up to four languages, English required; a plain string means English only. */
const localized = (field: string, max: number) =>
  z.preprocess(
    (v) => (typeof v === "string" ? { en: v } : v),
    z
      .object(
        {
          en: z
            .string({ error: `${field}.en (English) is required` })
            .trim()
            .min(1, `${field}.en (English) must not be empty`)
            .max(max),
          id: z.string().trim().min(1).max(max).optional(),
          es: z.string().trim().min(1).max(max).optional(),
          zh: z.string().trim().min(1).max(max).optional(),
        },
        { error: `${field} is required: a string, or { en, id?, es?, zh? }` },
      )
      .strict(),
  );

const Label = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[\w .:/-]+$/, "letters, digits, spaces and . : / - _ only");

const CreateAlert = z
  .object({
    title: localized("title", 200).openapi({
      example: { en: "Chain upgrade on 12 May", es: "Actualización de la cadena" },
    }),
    message: localized("message", 5000).openapi({
      example: { en: "The data API switches to the backup endpoint from 10:00 to 11:00 UTC." },
    }),
    severity: z.enum(["info", "warning", "critical"]).default("warning"),
    chains: z.array(Label).max(20).default([]),
    kinds: z.array(Label).max(20).default([]),
    expiresAt: z.iso.datetime({ offset: true, message: "expiresAt must be an ISO 8601 date-time" }).optional(),
  })
  .strict();

const Text = z.object({
  en: z.string(),
  id: z.string().optional(),
  es: z.string().optional(),
  zh: z.string().optional(),
});

const RiskAlert = z
  .object({
    id: z.string().uuid(),
    title: Text,
    message: Text,
    severity: z.enum(["info", "warning", "critical"]),
    chains: z.array(z.string()),
    kinds: z.array(z.string()),
    createdAt: z.string(),
    expiresAt: z.string().nullable(),
  })
  .openapi("RiskAlert");

const LocalizedAlert = RiskAlert.extend({
  localized: z.object({ lang: z.enum(LANGUAGES), title: z.string(), message: z.string() }),
}).openapi("RiskAlertLocalized");

/** Bodies of GET /v1/alerts and POST /v1/alerts (the web page and the CLI import these types). */
export type AlertListResponse = { alerts: z.infer<typeof LocalizedAlert>[] };
export type AlertPostedResponse = { alert: z.infer<typeof RiskAlert>; deliveries: number | null };

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

export function alertRoutes(deps: AppDeps) {
  const { db, auth, log } = deps;
  const { now } = deps;
  const metrics = deliveryMetrics(deps.metrics);

  return newRouter()
    .openapi(
      createRoute({
        method: "post",
        path: "/",
        summary: "Post a data risk alert (operators). Sent as `risk.alert` to subscribers with active coverage.",
        description:
          "`title` and `message` are a string (English) or `{ en, id?, es?, zh? }`. `chains` and `kinds` label what is affected; `expiresAt` (ISO 8601, future) ends its display on the public list.",
        middleware: [auth.assessor] as const,
        request: { body: { content: { "application/json": { schema: CreateAlert } }, required: true } },
        responses: {
          201: json(
            z.object({
              alert: RiskAlert,
              deliveries: z.number().int().nullable().openapi({
                description: "Deliveries queued, or null when the fan-out is deferred (the indexer did not answer).",
              }),
            }),
            "posted",
          ),
          400: json(ErrorSchema, "invalid input"),
          401: json(ErrorSchema, "not signed in"),
          403: json(ErrorSchema, "not an operator"),
        },
      }),
      async (c) => {
        const body = c.req.valid("json");
        const createdAt = new Date(now());
        const expiresAt = body.expiresAt === undefined ? null : new Date(body.expiresAt);
        if (expiresAt !== null && expiresAt.getTime() <= createdAt.getTime()) {
          throw new HttpError(400, "invalid_request", "invalid request: expiresAt: must be in the future", [
            { path: "expiresAt", message: "must be in the future" },
          ]);
        }
        const [alert] = await db
          .insert(riskAlerts)
          .values({
            id: randomUUID(),
            title: body.title,
            message: body.message,
            severity: body.severity,
            chains: body.chains,
            kinds: body.kinds,
            createdBy: c.var.address,
            createdAt,
            expiresAt,
          })
          .returning();
        let deliveries: number | null = null;
        try {
          deliveries =
            (await fanOutRiskAlert({ db, indexer: deps.indexerSource.db, log, metrics }, alert!, createdAt)) ?? 0;
          if (deliveries > 0) deps.wakeSender?.();
        } catch (err) {
          // Stored; the alert watcher fans it out once the indexer answers again.
          log.warn("risk alert fan-out deferred", { alert: alert!.id, error: (err as Error).message });
        }
        log.info("risk alert posted", { alert: alert!.id, by: c.var.address, severity: body.severity });
        return c.json({ alert: riskAlertView(alert!), deliveries }, 201);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/",
        summary: "Data risk alerts in force, newest first (public).",
        request: {
          query: z.object({ lang: LangQuery }),
          headers: z.object({ "accept-language": z.string().optional() }),
        },
        responses: {
          200: json(z.object({ alerts: z.array(LocalizedAlert) }), "alerts in force"),
          400: json(ErrorSchema, "invalid input"),
        },
      }),
      async (c) => {
        const lang = language(c, c.req.valid("query").lang);
        const at = new Date(now());
        const rows = await db
          .select()
          .from(riskAlerts)
          .where(or(isNull(riskAlerts.expiresAt), gt(riskAlerts.expiresAt, at)))
          .orderBy(desc(riskAlerts.createdAt))
          .limit(50);
        return c.json(
          {
            alerts: rows.map((a) => ({
              ...riskAlertView(a),
              localized: { lang, title: a.title[lang] ?? a.title.en, message: a.message[lang] ?? a.message.en },
            })),
          },
          200,
        );
      },
    );
}
