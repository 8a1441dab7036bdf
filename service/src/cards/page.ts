/** The printable emergency card: the QR code, the short link and a line of help in four languages. */
import { html, raw } from "hono/html";

import type { Card } from "./card.js";

const KIND_TITLE: Record<Card["kind"], string> = {
  MissingReward: "Missing data rewards",
  DataApiOutage: "Data API outage",
  RedemptionToolFailure: "Redemption tool failure",
  Other: "Any other problem",
};

/** Each language's call to action, how to use the card, and the anti-phishing line. */
const LINES = [
  {
    lang: "en",
    title: "Something went wrong? Get help here",
    how: "Scan with your phone's camera to reach the emergency station. Your request is tracked against a public deadline.",
    safe: "Station staff never ask for your seed phrase or private key.",
  },
  {
    lang: "id",
    title: "Ada masalah? Dapatkan bantuan di sini",
    how: "Pindai dengan kamera ponsel untuk membuka stasiun darurat. Permintaan Anda dilacak dengan tenggat waktu publik.",
    safe: "Petugas stasiun tidak pernah meminta frasa pemulihan atau kunci pribadi Anda.",
  },
  {
    lang: "es",
    title: "¿Algo salió mal? Pide ayuda aquí",
    how: "Escanea con la cámara del teléfono para abrir la estación de emergencia. Tu solicitud se sigue con un plazo público.",
    safe: "El personal de la estación nunca te pedirá tu frase semilla ni tu clave privada.",
  },
  {
    lang: "zh",
    title: "出了问题？在这里求助",
    how: "用手机相机扫码打开应急站。你的请求会按公开的时限跟踪处理。",
    safe: "应急站工作人员绝不会索要你的助记词或私钥。",
  },
] as const;

/**
 * The card as a self-contained HTML page (no script; styles inline for printing). `label` is the
 * business's name as the operator typed it: escaped like every interpolation of `html`. `qrSvg` is
 * our own rendering of the link, the only markup inserted raw.
 */
export function cardPage(card: Card, link: string, qrSvg: string, label: string | undefined) {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <title>Emergency card${label ? ` — ${label}` : ""}</title>
        <style>
          body {
            font:
              15px/1.45 system-ui,
              sans-serif;
            margin: 0;
            background: #eee;
          }
          .card {
            background: #fff;
            max-width: 22rem;
            margin: 1.5rem auto;
            padding: 1.25rem;
            border: 3px solid #c62828;
            border-radius: 12px;
            text-align: center;
          }
          .card h1 {
            font-size: 1.2rem;
            margin: 0.2rem 0;
            color: #c62828;
          }
          .card svg {
            width: 100%;
            max-width: 16rem;
            height: auto;
          }
          .link {
            font:
              600 0.95rem ui-monospace,
              monospace;
            word-break: break-all;
          }
          .kind {
            color: #555;
          }
          .lines {
            text-align: left;
            font-size: 0.85rem;
          }
          .lines p {
            margin: 0.35rem 0;
          }
          .safe {
            color: #555;
          }
          @media print {
            body {
              background: #fff;
            }
            .card {
              margin: 0 auto;
              break-inside: avoid;
            }
          }
        </style>
      </head>
      <body>
        <main class="card">
          <h1>${LINES[0].title}</h1>
          ${label ? html`<p><strong>${label}</strong></p>` : ""}
          <p class="kind">${KIND_TITLE[card.kind]}</p>
          ${raw(qrSvg)}
          <p class="link">${link}</p>
          <div class="lines">
            ${LINES.map(
              (l) =>
                html`<p lang="${l.lang}"><strong>${l.title}.</strong> ${l.how} <span class="safe">${l.safe}</span></p>`,
            )}
          </div>
          <p class="kind">${card.origin}</p>
        </main>
      </body>
    </html>`;
}
