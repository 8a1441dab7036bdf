/**
 * The help section's words on the page, in the four languages the articles come in (as
 * ./caseText.ts does for the conversation): one table, each text in every language, so a missing
 * translation fails the typecheck.
 */
import { type Texts, textTable } from "./text.js";

const TEXT = {
  title: { en: "Help", id: "Bantuan", es: "Ayuda", zh: "帮助" },
  placeholder: {
    en: "e.g. missing rewards",
    id: "mis. hadiah tidak masuk",
    es: "p. ej. recompensas que faltan",
    zh: "例如：奖励没到账",
  },
  searchLabel: { en: "Search the help", id: "Cari bantuan", es: "Buscar en la ayuda", zh: "搜索帮助" },
  search: { en: "Search", id: "Cari", es: "Buscar", zh: "搜索" },
  more: { en: "More", id: "Selengkapnya", es: "Más", zh: "更多" },
  compensation: {
    en: "Ask for compensation",
    id: "Minta kompensasi",
    es: "Pedir una compensación",
    zh: "申请补偿",
  },
  unavailable: {
    en: "The help library is unavailable right now ({reason}).",
    id: "Pustaka bantuan sedang tidak tersedia ({reason}).",
    es: "La biblioteca de ayuda no está disponible ahora ({reason}).",
    zh: "帮助库暂时无法使用（{reason}）。",
  },
  noMatch: {
    en: "No article matches; press the emergency button and a person will help.",
    id: "Tidak ada artikel yang cocok; tekan tombol darurat dan seseorang akan membantu.",
    es: "Ningún artículo coincide; pulse el botón de emergencia y una persona le ayudará.",
    zh: "没有匹配的文章；请按紧急按钮，会有工作人员帮助您。",
  },
  solvedQuestion: {
    en: "Did this solve it?",
    id: "Apakah ini menyelesaikannya?",
    es: "¿Esto lo resolvió?",
    zh: "问题解决了吗？",
  },
  yes: { en: "Yes", id: "Ya", es: "Sí", zh: "是" },
  no: { en: "No", id: "Tidak", es: "No", zh: "否" },
  thanksSolved: {
    en: "Thank you — glad it helped.",
    id: "Terima kasih — senang bisa membantu.",
    es: "Gracias — nos alegra que le haya servido.",
    zh: "谢谢——很高兴帮到您。",
  },
  thanksNotSolved: {
    en: "Thank you for telling us. A person can help: press the emergency button.",
    id: "Terima kasih sudah memberi tahu. Seseorang dapat membantu: tekan tombol darurat.",
    es: "Gracias por decírnoslo. Una persona puede ayudarle: pulse el botón de emergencia.",
    zh: "感谢您告诉我们。工作人员可以帮助您：请按紧急按钮。",
  },
  emergency: {
    en: "Emergency button",
    id: "Tombol darurat",
    es: "Botón de emergencia",
    zh: "紧急按钮",
  },
} as const satisfies Record<string, Texts>;

export type HelpTextKey = keyof typeof TEXT;

/** A help text in a language, `{name}` filled from `values`. */
export const helpText = textTable<HelpTextKey>(TEXT);
