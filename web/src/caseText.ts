/**
 * The case conversation's words on the page (the claim form's new fields and the conversation
 * under a claim's progress) in the four languages the service's stage texts come in
 * (common/stages.ts): one table, each text in every language, so a missing translation fails the
 * typecheck.
 */
import type { CaseRole, HelpChannel } from "../../common/case.js";
import type { Language } from "./api.js";
import { type Texts, textTable } from "./text.js";

const TEXT = {
  sos: {
    en: "Something went wrong — get help",
    id: "Ada masalah — minta bantuan",
    es: "Algo salió mal — pedir ayuda",
    zh: "出问题了 — 求助",
  },
  whatWrong: {
    en: "What went wrong?",
    id: "Apa yang bermasalah?",
    es: "¿Qué salió mal?",
    zh: "哪里出了问题？",
  },
  amountAsked: {
    en: "Compensation asked (C)",
    id: "Kompensasi yang diminta (C)",
    es: "Compensación solicitada (C)",
    zh: "申请的补偿 (C)",
  },
  askingAbout: {
    en: "Asking for help with",
    id: "Meminta bantuan terkait",
    es: "Pidiendo ayuda con",
    zh: "求助对象：",
  },
  gasless: {
    en: "Sign only — the station pays the gas",
    id: "Hanya tanda tangan — stasiun membayar biaya gas",
    es: "Solo firmar — la estación paga el gas",
    zh: "仅签名 — 由服务站支付 Gas 费",
  },
  sendRequest: {
    en: "Send my request",
    id: "Kirim permintaan saya",
    es: "Enviar mi solicitud",
    zh: "发送我的请求",
  },
  description: {
    en: "What happened?",
    id: "Apa yang terjadi?",
    es: "¿Qué pasó?",
    zh: "发生了什么？",
  },
  files: {
    en: "Screenshots or logs (optional)",
    id: "Tangkapan layar atau log (opsional)",
    es: "Capturas de pantalla o registros (opcional)",
    zh: "截图或日志（可选）",
  },
  txHash: {
    en: "Transaction hash (optional)",
    id: "Hash transaksi (opsional)",
    es: "Hash de la transacción (opcional)",
    zh: "交易哈希（可选）",
  },
  link: {
    en: "Link (optional)",
    id: "Tautan (opsional)",
    es: "Enlace (opcional)",
    zh: "链接（可选）",
  },
  helpHow: {
    en: "How should we help?",
    id: "Bagaimana kami harus membantu?",
    es: "¿Cómo le ayudamos?",
    zh: "您希望我们如何帮助？",
  },
  contact: {
    en: "Phone number or handle to reach you (seen only by the station's staff)",
    id: "Nomor telepon atau akun untuk menghubungi Anda (hanya dilihat staf stasiun)",
    es: "Teléfono o usuario para contactarle (solo lo ve el personal de la estación)",
    zh: "联系您的电话或账号（仅站点工作人员可见）",
  },
  conversation: {
    en: "Conversation with the station",
    id: "Percakapan dengan stasiun",
    es: "Conversación con la estación",
    zh: "与站点的对话",
  },
  openConversation: {
    en: "Open the conversation (sign in once with your wallet)",
    id: "Buka percakapan (masuk sekali dengan dompet Anda)",
    es: "Abrir la conversación (inicie sesión una vez con su billetera)",
    zh: "打开对话（用钱包登录一次）",
  },
  origin: {
    en: "Asked from the card or button of",
    id: "Diminta dari kartu atau tombol milik",
    es: "Pedido desde la tarjeta o el botón de",
    zh: "来自以下地址的卡片或按钮：",
  },
  yourRequest: {
    en: "Your request",
    id: "Permintaan Anda",
    es: "Su solicitud",
    zh: "您的请求",
  },
  noMessages: {
    en: "No messages yet. The station's staff answer here.",
    id: "Belum ada pesan. Staf stasiun menjawab di sini.",
    es: "Aún no hay mensajes. El personal de la estación responde aquí.",
    zh: "还没有消息。站点工作人员会在这里回复。",
  },
  agentVerified: {
    en: "verified station staff",
    id: "staf stasiun terverifikasi",
    es: "personal verificado de la estación",
    zh: "已验证的站点工作人员",
  },
  agentVerifiedTitle: {
    en: "The author holds a station role on the pool now (read from the chain).",
    id: "Penulis memegang peran stasiun di pool saat ini (dibaca dari rantai).",
    es: "El autor tiene ahora un rol de la estación en el pool (leído de la cadena).",
    zh: "作者当前在资金池中持有站点角色（从链上读取）。",
  },
  agentRevoked: {
    en: "no longer station staff",
    id: "bukan lagi staf stasiun",
    es: "ya no es personal de la estación",
    zh: "已不再是站点工作人员",
  },
  agentRevokedTitle: {
    en: "The author held a station role when writing this, and holds none now: be careful with what they ask.",
    id: "Penulis memegang peran stasiun saat menulis ini, dan kini tidak lagi: berhati-hatilah dengan permintaannya.",
    es: "El autor tenía un rol de la estación al escribir esto y ya no lo tiene: cuidado con lo que pida.",
    zh: "作者撰写此消息时持有站点角色，现在已没有：请谨慎对待其要求。",
  },
  erasedContent: {
    en: "(content erased)",
    id: "(isi dihapus)",
    es: "(contenido borrado)",
    zh: "（内容已删除）",
  },
  reply: {
    en: "Your reply",
    id: "Balasan Anda",
    es: "Su respuesta",
    zh: "您的回复",
  },
  send: {
    en: "Send",
    id: "Kirim",
    es: "Enviar",
    zh: "发送",
  },
  rateTitle: {
    en: "How did we do?",
    id: "Bagaimana layanan kami?",
    es: "¿Qué tal lo hicimos?",
    zh: "您对我们的服务满意吗？",
  },
  stars: {
    en: "Stars (1–5)",
    id: "Bintang (1–5)",
    es: "Estrellas (1–5)",
    zh: "星级（1–5）",
  },
  comment: {
    en: "Comment (optional)",
    id: "Komentar (opsional)",
    es: "Comentario (opcional)",
    zh: "评论（可选）",
  },
  rate: {
    en: "Send rating",
    id: "Kirim penilaian",
    es: "Enviar valoración",
    zh: "提交评分",
  },
  rated: {
    en: "Your rating",
    id: "Penilaian Anda",
    es: "Su valoración",
    zh: "您的评分",
  },
  exportTranscript: {
    en: "Export transcript",
    id: "Ekspor transkrip",
    es: "Exportar transcripción",
    zh: "导出对话记录",
  },
  erase: {
    en: "Erase my content",
    id: "Hapus konten saya",
    es: "Borrar mi contenido",
    zh: "删除我的内容",
  },
  eraseConfirm: {
    en: "Erase your texts and files from the station? Their hashes stay on the record; this cannot be undone.",
    id: "Hapus teks dan berkas Anda dari stasiun? Hash-nya tetap tercatat; ini tidak bisa dibatalkan.",
    es: "¿Borrar sus textos y archivos de la estación? Sus hashes quedan en el registro; no se puede deshacer.",
    zh: "从站点删除您的文字和文件？其哈希值仍保留在记录中；此操作无法撤销。",
  },
  erased: {
    en: "Your content was erased; the hashes remain.",
    id: "Konten Anda telah dihapus; hash-nya tetap ada.",
    es: "Su contenido fue borrado; los hashes permanecen.",
    zh: "您的内容已删除；哈希值仍保留。",
  },
  erasedKept: {
    en: "Your content was erased; the hashes remain. Files you also attached to another of your claims stay with that claim until you erase it too.",
    id: "Konten Anda telah dihapus; hash-nya tetap ada. Berkas yang juga Anda lampirkan pada klaim Anda yang lain tetap ada di klaim itu sampai Anda menghapusnya juga.",
    es: "Su contenido fue borrado; los hashes permanecen. Los archivos que también adjuntó a otra de sus reclamaciones se quedan en ella hasta que también la borre.",
    zh: "您的内容已删除；哈希值仍保留。您也附加到其他申请中的文件会保留在该申请中，直到您也将其删除。",
  },
  live: {
    en: "Live",
    id: "Langsung",
    es: "En vivo",
    zh: "实时",
  },
  reconnecting: {
    en: "Reconnecting…",
    id: "Menyambung ulang…",
    es: "Reconectando…",
    zh: "正在重新连接…",
  },
  opening: {
    en: "Opening statement",
    id: "Pernyataan awal",
    es: "Declaración inicial",
    zh: "初始陈述",
  },
} as const satisfies Record<string, Texts>;

export type CaseTextKey = keyof typeof TEXT;

export const caseText = textTable<CaseTextKey>(TEXT);

const CHANNELS: Record<HelpChannel, Record<Language, string>> = {
  text: { en: "Text consultation", id: "Konsultasi teks", es: "Consulta por texto", zh: "文字咨询" },
  callback: { en: "Call-back", id: "Telepon balik", es: "Devolución de llamada", zh: "回电" },
  remote: { en: "Remote assistance", id: "Bantuan jarak jauh", es: "Asistencia remota", zh: "远程协助" },
};
export const channelText = (channel: HelpChannel, lang: Language) => CHANNELS[channel][lang];

const ROLES: Record<CaseRole | "you", Record<Language, string>> = {
  you: { en: "You", id: "Anda", es: "Usted", zh: "您" },
  claimant: { en: "Claimant", id: "Pemohon", es: "Solicitante", zh: "申请人" },
  assessor: { en: "Assessor", id: "Penilai", es: "Evaluador", zh: "评估员" },
  guardian: { en: "Guardian", id: "Penjaga", es: "Guardián", zh: "监护人" },
  admin: { en: "Administrator", id: "Administrator", es: "Administrador", zh: "管理员" },
};
export const roleText = (role: CaseRole | "you", lang: Language) => ROLES[role][lang];

/** A record's anchor state, in words: the service's own words in English. */
export type AnchorWord = "matches the chain" | "not anchored" | "mismatch" | "erased" | "missing";
const ANCHORS: Record<AnchorWord, Record<Language, string>> = {
  "matches the chain": {
    en: "matches the chain",
    id: "cocok dengan rantai",
    es: "coincide con la cadena",
    zh: "与链上一致",
  },
  "not anchored": { en: "not anchored", id: "belum ditambatkan", es: "sin anclar", zh: "尚未上链锚定" },
  mismatch: { en: "mismatch", id: "tidak cocok", es: "no coincide", zh: "不一致" },
  erased: { en: "erased", id: "dihapus", es: "borrado", zh: "已删除" },
  missing: { en: "missing", id: "tidak ada", es: "falta", zh: "缺失" },
};
export const anchorText = (anchor: AnchorWord, lang: Language) => ANCHORS[anchor][lang];

/** "12 of 4000 characters". */
/** The notice once a claim is filed (the id stays a plain number in every language). */
export function requestSentText(claimId: bigint | string, lang: Language): string {
  switch (lang) {
    case "en":
      return `Request #${claimId} sent. We will show every step here.`;
    case "id":
      return `Permintaan #${claimId} terkirim. Setiap langkahnya akan kami tampilkan di sini.`;
    case "es":
      return `Solicitud #${claimId} enviada. Aquí mostraremos cada paso.`;
    case "zh":
      return `请求 #${claimId} 已发送。我们会在这里显示每一步。`;
  }
}

export function charactersText(used: number, max: number, lang: Language): string {
  switch (lang) {
    case "en":
      return `${used} of ${max} characters`;
    case "id":
      return `${used} dari ${max} karakter`;
    case "es":
      return `${used} de ${max} caracteres`;
    case "zh":
      return `${used}/${max} 个字符`;
  }
}
