/**
 * The languages people read the progress stages in (DESIGN.md "Progress stages shown to people"):
 * English, Indonesian, Spanish and Chinese, chosen by `?lang=` or else `Accept-Language`. The
 * one source of every stage, deadline-state and claim-kind text: the API, the webhook payloads, the CLI and
 * the page all read them here.
 */
import type { ClaimKind, ClaimStatus, SlaState } from "./claims.js";

export const LANGUAGES = ["en", "id", "es", "zh"] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = "en";

const isLanguage = (tag: string): tag is Language => (LANGUAGES as readonly string[]).includes(tag);

/** Maps a BCP 47 tag to a served language: by primary subtag (`zh-Hant-TW` → zh); `in` is the old code for Indonesian. */
function match(tag: string): Language | undefined {
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0] ?? "";
  if (primary === "in") return "id";
  return isLanguage(primary) ? primary : undefined;
}

/**
 * The language to answer in: `?lang=` wins (a language we do not serve gets English: the caller
 * chose explicitly, so the header is not consulted); otherwise the served language with the
 * highest q-value in `Accept-Language` (ties keep header order, q=0 means "not this");
 * otherwise English.
 */
export function negotiateLanguage(query: string | undefined, acceptLanguage: string | undefined): Language {
  if (query !== undefined && query.trim() !== "") return match(query) ?? DEFAULT_LANGUAGE;
  if (acceptLanguage === undefined) return DEFAULT_LANGUAGE;
  let best: { lang: Language; q: number } | undefined;
  for (const part of acceptLanguage.split(",").slice(0, 32)) {
    const [tag = "", ...params] = part.split(";");
    let q = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/.exec(p);
      if (m?.[1] !== undefined) q = Number(m[1]);
    }
    const lang = tag.trim() === "*" ? DEFAULT_LANGUAGE : match(tag);
    if (lang === undefined || q <= 0) continue;
    if (best === undefined || q > best.q) best = { lang, q };
  }
  return best?.lang ?? DEFAULT_LANGUAGE;
}

/** Stage names: the claim statuses, with Rejected and Cancelled both shown as a closed stage. */
const STAGE_TEXT: Record<ClaimStatus, Record<Language, string>> = {
  Submitted: {
    en: "Request received",
    id: "Permintaan diterima",
    es: "Solicitud recibida",
    zh: "已收到请求",
  },
  Accepted: {
    en: "Customer service has accepted the request",
    id: "Layanan pelanggan telah menerima permintaan",
    es: "El servicio de atención al cliente ha aceptado la solicitud",
    zh: "客服已受理请求",
  },
  Investigating: {
    en: "A technician is investigating",
    id: "Teknisi sedang menyelidiki",
    es: "Un técnico está investigando",
    zh: "技术人员正在调查",
  },
  Approved: {
    en: "Solution sent — compensation approved",
    id: "Solusi dikirim — kompensasi disetujui",
    es: "Solución enviada: compensación aprobada",
    zh: "解决方案已发送——补偿已批准",
  },
  Paid: {
    en: "Compensation credited",
    id: "Kompensasi telah dikreditkan",
    es: "Compensación acreditada",
    zh: "补偿已到账",
  },
  Rejected: {
    en: "Closed: the request was rejected",
    id: "Ditutup: permintaan ditolak",
    es: "Cerrada: la solicitud fue rechazada",
    zh: "已关闭：请求被拒绝",
  },
  Cancelled: {
    en: "Closed: cancelled by the requester",
    id: "Ditutup: dibatalkan oleh pemohon",
    es: "Cerrada: cancelada por el solicitante",
    zh: "已关闭：申请人已取消",
  },
};

const STATE_TEXT: Record<SlaState, Record<Language, string>> = {
  "on-track": { en: "On track", id: "Sesuai jadwal", es: "En plazo", zh: "进展正常" },
  "at-risk": {
    en: "At risk of missing the deadline",
    id: "Berisiko melewati tenggat",
    es: "En riesgo de incumplir el plazo",
    zh: "有超时风险",
  },
  breached: { en: "Deadline missed", id: "Tenggat terlewati", es: "Plazo incumplido", zh: "已超过时限" },
  met: {
    en: "Done within the deadline",
    id: "Selesai sebelum tenggat",
    es: "Cumplido dentro del plazo",
    zh: "已在时限内完成",
  },
};

/** Each claim kind's name, as every surface says it (the API's `kindText`, the desk, the CLI). */
const KIND_TEXT: Record<ClaimKind, Record<Language, string>> = {
  MissingReward: { en: "Missing rewards", id: "Hadiah hilang", es: "Recompensas perdidas", zh: "奖励缺失" },
  DataApiOutage: {
    en: "Data API outage",
    id: "Gangguan API data",
    es: "Caída de la API de datos",
    zh: "数据 API 中断",
  },
  RedemptionToolFailure: {
    en: "Redemption tool failure",
    id: "Alat penukaran gagal",
    es: "Fallo de la herramienta de canje",
    zh: "兑换工具故障",
  },
  Other: { en: "Other", id: "Lainnya", es: "Otro", zh: "其他" },
};

export function kindText(kind: ClaimKind, lang: Language): string {
  return KIND_TEXT[kind][lang];
}

export function stageText(status: ClaimStatus, lang: Language): string {
  return STAGE_TEXT[status][lang];
}

export function stateText(state: SlaState, lang: Language): string {
  return STATE_TEXT[state][lang];
}

/** "Pending finality (1 of 12 confirmations)" in the reader's language. */
export function pendingFinalityText(confirmations: number, required: number, lang: Language): string {
  switch (lang) {
    case "en":
      return `Pending finality (${confirmations} of ${required} confirmations)`;
    case "id":
      return `Menunggu finalitas (${confirmations} dari ${required} konfirmasi)`;
    case "es":
      return `Pendiente de finalidad (${confirmations} de ${required} confirmaciones)`;
    case "zh":
      return `等待最终确认（${confirmations}/${required} 个确认）`;
  }
}
