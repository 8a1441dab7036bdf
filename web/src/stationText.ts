/**
 * The station's public sections in words — the header's wallet corner, incident rounds' heading (the rest of their words
 * come with their code: ./incidentText.ts), risk alerts, "is this really support?", the
 * station's figures — and the small words every section shares (tier names,
 * duration units), in the four languages the page speaks (as ./pageText.ts does for the claimant's
 * sections, through the same `textTable`). `{name}` marks a value filled in when read; amounts keep
 * their "C" and numbers as the page writes them in every language. Texts the service sends (alert
 * titles, verify advice, role names) stay as it sends them.
 */
import type { Language } from "./api.js";
import { type Texts, textTable } from "./text.js";

const TEXT = {
  // Tier names (ignition/modules/staking.ts names them Standard, Priority, Premier).
  tier0: { en: "Standard", id: "Standar", es: "Estándar", zh: "标准" },
  tier1: { en: "Priority", id: "Prioritas", es: "Prioritario", zh: "优先" },
  tier2: { en: "Premier", id: "Premier", es: "Premier", zh: "尊享" },
  tierN: { en: "Tier {level}", id: "Tingkat {level}", es: "Nivel {level}", zh: "{level} 级" },

  // Duration units, short: "45 s", "12 min", "3.5 h", "2.1 d".
  seconds: { en: "{n} s", id: "{n} dtk", es: "{n} s", zh: "{n} 秒" },
  minutes: { en: "{n} min", id: "{n} mnt", es: "{n} min", zh: "{n} 分钟" },
  hours: { en: "{n} h", id: "{n} jam", es: "{n} h", zh: "{n} 小时" },
  days: { en: "{n} d", id: "{n} hari", es: "{n} d", zh: "{n} 天" },

  // The header's wallet corner.
  connectWallet: { en: "Connect wallet", id: "Hubungkan dompet", es: "Conectar billetera", zh: "连接钱包" },
  connected: { en: "Connected", id: "Terhubung", es: "Conectada", zh: "已连接" },
  changeWallet: { en: "Change wallet", id: "Ganti dompet", es: "Cambiar billetera", zh: "更换钱包" },
  chooseWallet: { en: "Choose a wallet", id: "Pilih dompet", es: "Elija una billetera", zh: "选择钱包" },
  cancel: { en: "Cancel", id: "Batal", es: "Cancelar", zh: "取消" },
  browserWallet: { en: "Browser wallet", id: "Dompet peramban", es: "Billetera del navegador", zh: "浏览器钱包" },

  // Incident rounds.
  incidentTitle: {
    en: "Incident compensation: am I eligible?",
    id: "Kompensasi insiden: apakah saya berhak?",
    es: "Compensación por incidentes: ¿me corresponde?",
    zh: "事故补偿：我有资格吗？",
  },
  roundsConnect: {
    en: "Connect your wallet to see the rounds you can claim from.",
    id: "Hubungkan dompet Anda untuk melihat putaran yang bisa Anda klaim.",
    es: "Conecte su billetera para ver las rondas de las que puede reclamar.",
    zh: "连接钱包，查看您可以申领的补偿轮次。",
  },
  roundFile: {
    en: "Have a round file instead?",
    id: "Punya file putaran?",
    es: "¿Tiene un archivo de ronda?",
    zh: "有轮次文件吗？",
  },

  // Risk alerts.
  alertsTitle: { en: "Risk alerts", id: "Peringatan risiko", es: "Alertas de riesgo", zh: "风险提醒" },
  alertsUnavailable: {
    en: "Risk alerts are unavailable right now ({error}).",
    id: "Peringatan risiko tidak tersedia saat ini ({error}).",
    es: "Las alertas de riesgo no están disponibles ahora ({error}).",
    zh: "风险提醒暂时无法获取（{error}）。",
  },
  noAlerts: {
    en: "No active risk alerts.",
    id: "Tidak ada peringatan risiko aktif.",
    es: "No hay alertas de riesgo activas.",
    zh: "目前没有风险提醒。",
  },
  posted: { en: "Posted {time}", id: "Diterbitkan {time}", es: "Publicada {time}", zh: "发布于 {time}" },
  until: { en: " · until {time}", id: " · hingga {time}", es: " · hasta {time}", zh: " · 有效至 {time}" },
  chains: { en: " · chains: {list}", id: " · rantai: {list}", es: " · cadenas: {list}", zh: " · 链：{list}" },
  affects: {
    en: " · affects: {list}",
    id: " · berdampak pada: {list}",
    es: " · afecta a: {list}",
    zh: " · 影响：{list}",
  },
  severityInfo: { en: "info", id: "info", es: "info", zh: "提示" },
  severityWarning: { en: "warning", id: "peringatan", es: "aviso", zh: "警告" },
  severityCritical: { en: "critical", id: "kritis", es: "crítica", zh: "严重" },

  // "Is this really station support?"
  verifyTitle: {
    en: "Is this really station support?",
    id: "Benarkah ini dukungan stasiun?",
    es: "¿Es de verdad el soporte de la estación?",
    zh: "这真的是服务站的客服吗？",
  },
  verifyIntro: {
    en: "Someone says they are from the station? Paste their address, or a message they signed, and the chain answers.",
    id: "Ada yang mengaku dari stasiun? Tempel alamatnya, atau pesan yang ia tandatangani, dan rantai yang menjawab.",
    es: "¿Alguien dice ser de la estación? Pegue su dirección, o un mensaje que haya firmado, y la cadena responde.",
    zh: "有人自称来自服务站？粘贴对方的地址或其签名的消息，由链上数据来回答。",
  },
  theirAddress: { en: "Their address", id: "Alamatnya", es: "Su dirección", zh: "对方的地址" },
  checkSigned: {
    en: "Check a signed message instead",
    id: "Cek pesan bertanda tangan",
    es: "Comprobar un mensaje firmado",
    zh: "改为核对签名消息",
  },
  message: { en: "Message", id: "Pesan", es: "Mensaje", zh: "消息" },
  signature: { en: "Signature", id: "Tanda tangan", es: "Firma", zh: "签名" },
  check: { en: "Check", id: "Cek", es: "Comprobar", zh: "核对" },
  checking: { en: "Checking…", id: "Mengecek…", es: "Comprobando…", zh: "核对中…" },
  forged: {
    en: "✗ This message was NOT signed by {address}.",
    id: "✗ Pesan ini TIDAK ditandatangani oleh {address}.",
    es: "✗ Este mensaje NO lo firmó {address}.",
    zh: "✗ 此消息并非由 {address} 签名。",
  },
  genuine: {
    en: "✓ {address} is station support now ({roles}).",
    id: "✓ {address} saat ini adalah dukungan stasiun ({roles}).",
    es: "✓ {address} es ahora soporte de la estación ({roles}).",
    zh: "✓ {address} 目前是服务站客服（{roles}）。",
  },
  notStaff: {
    en: "✗ {address} is NOT station support.",
    id: "✗ {address} BUKAN dukungan stasiun.",
    es: "✗ {address} NO es soporte de la estación.",
    zh: "✗ {address} 不是服务站客服。",
  },

  // The station's figures.
  statusTitle: { en: "Station status", id: "Status stasiun", es: "Estado de la estación", zh: "服务站状态" },
  openOne: {
    en: "{total} open claim, {overdue} past their deadline{stages}.",
    id: "{total} klaim terbuka, {overdue} melewati tenggat{stages}.",
    es: "{total} solicitud abierta, {overdue} fuera de plazo{stages}.",
    zh: "{total} 个未结申领，{overdue} 个已过截止时间{stages}。",
  },
  openMany: {
    en: "{total} open claims, {overdue} past their deadline{stages}.",
    id: "{total} klaim terbuka, {overdue} melewati tenggat{stages}.",
    es: "{total} solicitudes abiertas, {overdue} fuera de plazo{stages}.",
    zh: "{total} 个未结申领，{overdue} 个已过截止时间{stages}。",
  },
  stageSubmitted: { en: "Submitted", id: "Diajukan", es: "Enviadas", zh: "已提交" },
  stageAccepted: { en: "Accepted", id: "Diterima", es: "Aceptadas", zh: "已受理" },
  stageInvestigating: { en: "Investigating", id: "Diselidiki", es: "En investigación", zh: "调查中" },
  stageApproved: { en: "Approved", id: "Disetujui", es: "Aprobadas", zh: "已批准" },
  window24h: { en: "24 h", id: "24 jam", es: "24 h", zh: "24 小时" },
  window7d: { en: "7 days", id: "7 hari", es: "7 días", zh: "7 天" },
  windowAll: { en: "All time", id: "Semua waktu", es: "Desde el inicio", zh: "全部" },
  answeredInTime: {
    en: "Answered in time",
    id: "Dijawab tepat waktu",
    es: "Respondidas a tiempo",
    zh: "按时答复",
  },
  resolvedInTime: {
    en: "Resolved in time",
    id: "Diselesaikan tepat waktu",
    es: "Resueltas a tiempo",
    zh: "按时解决",
  },
  medianToAccept: {
    en: "Median time to accept",
    id: "Median waktu penerimaan",
    es: "Tiempo mediano hasta aceptar",
    zh: "受理时间中位数",
  },
  medianToResolve: {
    en: "Median time to resolve",
    id: "Median waktu penyelesaian",
    es: "Tiempo mediano hasta resolver",
    zh: "解决时间中位数",
  },
  noneDue: { en: "none due", id: "belum ada", es: "ninguna vencida", zh: "暂无到期" },
  metOf: { en: "{met} of {due}", id: "{met} dari {due}", es: "{met} de {due}", zh: "{due} 个中 {met} 个" },
  claimsOne: { en: "{n} claim", id: "{n} klaim", es: "{n} solicitud", zh: "{n} 个申领" },
  claimsMany: { en: "{n} claims", id: "{n} klaim", es: "{n} solicitudes", zh: "{n} 个申领" },
  casesOne: { en: "{n} case", id: "{n} kasus", es: "{n} caso", zh: "{n} 个案件" },
  casesMany: { en: "{n} cases", id: "{n} kasus", es: "{n} casos", zh: "{n} 个案件" },
  computedAt: {
    en: "Computed from the indexed chain at {time}.",
    id: "Dihitung dari data rantai yang terindeks pada {time}.",
    es: "Calculado a partir de la cadena indexada el {time}.",
    zh: "根据已索引的链上数据计算，时间：{time}。",
  },
  whoAnswers: { en: "Who answers", id: "Siapa yang menjawab", es: "Quién responde", zh: "由谁答复" },
  firstReply: {
    en: "First human reply in a case: {value}.",
    id: "Balasan pertama dari manusia dalam satu kasus: {value}.",
    es: "Primera respuesta de una persona en un caso: {value}.",
    zh: "案件中首次人工回复：{value}。",
  },
  noReplies: { en: "no replies yet", id: "belum ada balasan", es: "aún sin respuestas", zh: "暂无回复" },
  medianOver: {
    en: "{duration} median over {cases}",
    id: "median {duration} dari {cases}",
    es: "{duration} de mediana en {cases}",
    zh: "{cases}的中位数为 {duration}",
  },
  noAssessor: {
    en: "No assessor has handled a claim yet.",
    id: "Belum ada penilai yang menangani klaim.",
    es: "Ningún evaluador ha atendido aún una solicitud.",
    zh: "还没有评估员处理过申领。",
  },
  assessor: { en: "Assessor", id: "Penilai", es: "Evaluador", zh: "评估员" },
  claims: { en: "Claims", id: "Klaim", es: "Solicitudes", zh: "申领" },
  medianAccept: {
    en: "Median to accept",
    id: "Median terima",
    es: "Mediana hasta aceptar",
    zh: "受理中位数",
  },
  rating: { en: "Rating", id: "Penilaian", es: "Valoración", zh: "评分" },
  recordUnavailable: {
    en: "The assessors' record is unavailable right now.",
    id: "Catatan penilai tidak tersedia saat ini.",
    es: "El historial de los evaluadores no está disponible ahora.",
    zh: "评估员记录暂时无法获取。",
  },
  figuresUnavailable: {
    en: "Live figures are unavailable right now ({error}).",
    id: "Angka langsung tidak tersedia saat ini ({error}).",
    es: "Las cifras en vivo no están disponibles ahora ({error}).",
    zh: "实时数据暂时无法获取（{error}）。",
  },
  freeOnChain: {
    en: " On-chain: {amount} available for compensation.",
    id: " Di rantai: {amount} tersedia untuk kompensasi.",
    es: " En la cadena: {amount} disponibles para compensaciones.",
    zh: " 链上：{amount} 可用于补偿。",
  },
} as const satisfies Record<string, Texts>;

export type StationTextKey = keyof typeof TEXT;

export const stationText = textTable<StationTextKey>(TEXT);

/** A staking tier's name (by index) in the reader's language. */
export function tierName(level: number, lang: Language): string {
  return level === 0 || level === 1 || level === 2
    ? stationText(`tier${level}`, lang)
    : stationText("tierN", lang, { level });
}

/** A count with its noun: "1 claim", "3 claims" (the languages without plurals say it once). */
export const counted = (n: number, noun: "claims" | "cases", lang: Language) =>
  stationText(n === 1 ? `${noun}One` : `${noun}Many`, lang, { n });
