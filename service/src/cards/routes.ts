/**
 * Emergency cards and the embeddable button's landing: a printable card with a QR code per project
 * or merchant, its short link, and the redirect the short link resolves to.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";

import { createRoute, z } from "@hono/zod-openapi";
import { getAddress, isAddress } from "viem";

import { newRouter } from "../http/router.js";
import { HttpError } from "../http/errors.js";
import { CLAIM_KINDS } from "../indexer/reader.js";
import { cardUrl, decodeShortCode, qrPng, qrSvg, shortUrl, type Card } from "./card.js";
import { cardPage } from "./page.js";
import { WEB_DIST } from "../web/routes.js";

const AddressParam = z.object({
  address: z
    .string()
    .refine(isAddress, { message: "not an address" })
    .openapi({ param: { name: "address", in: "path" }, example: "0x70997970C51812Dc3A010c7D01B50E20D17Dc79C" }),
});
const KindQuery = z.object({
  kind: z
    .enum(CLAIM_KINDS)
    .default("Other")
    .openapi({ description: "the kind of trouble preselected on the form (default Other)" }),
});
const CardSchema = z
  .object({
    origin: z.string(),
    kind: z.enum(CLAIM_KINDS),
    url: z.string().openapi({ description: "the page's emergency form, kind and origin preselected" }),
    shortUrl: z.string().openapi({ description: "a short link that redirects to url" }),
    svg: z.string(),
    png: z.string(),
    print: z.string().openapi({ description: "the printable card (HTML)" }),
  })
  .openapi("EmergencyCard");

/** Cards name the station by `publicUrl` when set (behind a proxy), else by the request's origin. */
export function cardRoutes({ publicUrl }: { publicUrl: string | undefined }, dist: string = WEB_DIST) {
  const base = (requestUrl: string) => publicUrl ?? new URL(requestUrl).origin;
  const cardOf = (address: string, kind: Card["kind"]): Card => ({ origin: getAddress(address), kind });
  const image = { "cache-control": "public, max-age=86400", "x-content-type-options": "nosniff" };

  return newRouter()
    .openapi(
      createRoute({
        method: "get",
        path: "/v1/cards/{address}",
        summary: "A project's or merchant's emergency card: links, QR code images and the printable card.",
        request: { params: AddressParam, query: KindQuery },
        responses: { 200: { description: "the card", content: { "application/json": { schema: CardSchema } } } },
      }),
      (c) => {
        const { address } = c.req.valid("param");
        const { kind } = c.req.valid("query");
        const card = cardOf(address, kind);
        const b = base(c.req.url);
        const self = (file: string) => new URL(`/v1/cards/${card.origin}/${file}?kind=${kind}`, b).toString();
        return c.json(
          {
            origin: card.origin,
            kind,
            url: cardUrl(b, card),
            shortUrl: shortUrl(b, card),
            svg: self("qr.svg"),
            png: self("qr.png"),
            print: new URL(`/card/${card.origin}?kind=${kind}`, b).toString(),
          },
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/v1/cards/{address}/qr.svg",
        summary: "The card's QR code (SVG) for the short link.",
        request: { params: AddressParam, query: KindQuery },
        responses: { 200: { description: "SVG image", content: { "image/svg+xml": { schema: z.string() } } } },
      }),
      (c) => {
        const card = cardOf(c.req.valid("param").address, c.req.valid("query").kind);
        return c.body(qrSvg(shortUrl(base(c.req.url), card)), 200, { "content-type": "image/svg+xml", ...image });
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/v1/cards/{address}/qr.png",
        summary: "The card's QR code (PNG) for the short link.",
        request: {
          params: AddressParam,
          query: KindQuery.extend({
            scale: z.coerce.number().int().min(2).max(24).default(8).openapi({ description: "pixels per module" }),
          }),
        },
        responses: { 200: { description: "PNG image", content: { "image/png": { schema: z.string() } } } },
      }),
      (c) => {
        const { kind, scale } = c.req.valid("query");
        const card = cardOf(c.req.valid("param").address, kind);
        return c.body(new Uint8Array(qrPng(shortUrl(base(c.req.url), card), scale)), 200, {
          "content-type": "image/png",
          ...image,
        });
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/card/{address}",
        summary: "The printable emergency card (HTML).",
        request: {
          params: AddressParam,
          query: KindQuery.extend({
            label: z
              .string()
              .trim()
              .max(80)
              .optional()
              .openapi({ description: "the business's name, printed on the card" }),
          }),
        },
        responses: { 200: { description: "HTML page", content: { "text/html": { schema: z.string() } } } },
      }),
      async (c) => {
        const { kind, label } = c.req.valid("query");
        const card = cardOf(c.req.valid("param").address, kind);
        const link = shortUrl(base(c.req.url), card);
        return c.html(await cardPage(card, link, qrSvg(link), label || undefined));
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/e/{code}",
        summary: "A card's short link: redirects to the emergency form with kind and origin preselected.",
        request: { params: z.object({ code: z.string().openapi({ param: { name: "code", in: "path" } }) }) },
        responses: { 302: { description: "to the form" }, 404: { description: "not a card's code" } },
      }),
      (c) => {
        const card = decodeShortCode(c.req.valid("param").code);
        if (card === undefined) throw new HttpError(404, "not_found", "no emergency card has this code");
        return c.redirect(cardUrl(base(c.req.url), card), 302);
      },
    )
    .get("/embed.js", async (c) => {
      // Loaded by other sites as a module script: a cross-origin module needs CORS. It reads no
      // cookie and no station data, so any origin may load it.
      const source = await readFile(path.join(dist, "embed.js"), "utf8").catch(() => undefined);
      if (source === undefined) throw new HttpError(503, "not_built", "embed.js is not built: run npm run build:web");
      return c.body(source, 200, {
        "content-type": "text/javascript; charset=utf-8",
        "access-control-allow-origin": "*",
        "cache-control": "public, max-age=300",
        "x-content-type-options": "nosniff",
      });
    });
}
