/**
 * The assessors' desk in words, in the four languages the page speaks (as ./caseText.ts does for
 * the conversation): one table, each text in every language, so a missing translation fails the
 * typecheck. `{name}` marks a value filled in by `deskText`.
 */
import type { Language } from "../api.js";

const TEXT = {
  title: { en: "Assessors' desk", id: "Meja penilai", es: "Mesa de evaluadores", zh: "评估员工作台" },
  signIn: {
    en: "Staff: sign in to the desk",
    id: "Staf: masuk ke meja kerja",
    es: "Personal: iniciar sesión en la mesa",
    zh: "工作人员：登录工作台",
  },
  notStaff: {
    en: "This account holds no staff role on the pool: the desk is for assessors and guardians.",
    id: "Akun ini tidak memegang peran staf di pool: meja ini untuk penilai dan penjaga.",
    es: "Esta cuenta no tiene un rol de personal en el fondo: la mesa es para evaluadores y guardianes.",
    zh: "此账户在资金池中没有工作人员角色：工作台仅供评估员和监护人使用。",
  },
  signedIn: {
    en: "Signed in as {address} · {roles}",
    id: "Masuk sebagai {address} · {roles}",
    es: "Sesión de {address} · {roles}",
    zh: "已登录 {address} · {roles}",
  },
  queue: { en: "Queue", id: "Antrean", es: "Cola", zh: "队列" },
  kind: { en: "Kind", id: "Jenis", es: "Tipo", zh: "类型" },
  tier: { en: "Tier", id: "Tingkat", es: "Nivel", zh: "等级" },
  deadline: { en: "Deadline", id: "Tenggat", es: "Plazo", zh: "时限" },
  assignment: { en: "Assignment", id: "Penugasan", es: "Asignación", zh: "分配" },
  all: { en: "All", id: "Semua", es: "Todos", zh: "全部" },
  breachedOnly: { en: "Missed only", id: "Hanya yang terlewat", es: "Solo incumplidos", zh: "仅已超时" },
  notBreached: { en: "Not missed", id: "Belum terlewat", es: "No incumplidos", zh: "未超时" },
  unassigned: { en: "Unassigned", id: "Belum ditugaskan", es: "Sin asignar", zh: "未分配" },
  mine: { en: "Mine", id: "Milik saya", es: "Míos", zh: "我的" },
  emptyQueue: {
    en: "No open claim matches.",
    id: "Tidak ada klaim terbuka yang cocok.",
    es: "Ninguna reclamación abierta coincide.",
    zh: "没有符合条件的未结申请。",
  },
  take: { en: "Take", id: "Ambil", es: "Tomar", zh: "接手" },
  release: { en: "Release", id: "Lepaskan", es: "Liberar", zh: "释放" },
  open: { en: "Open", id: "Buka", es: "Abrir", zh: "打开" },
  close: { en: "Close", id: "Tutup", es: "Cerrar", zh: "关闭" },
  takenByYou: { en: "Taken by you", id: "Diambil oleh Anda", es: "Tomada por usted", zh: "由您接手" },
  takenBy: {
    en: "Taken by {address}",
    id: "Diambil oleh {address}",
    es: "Tomada por {address}",
    zh: "由 {address} 接手",
  },
  response: { en: "Response due", id: "Tanggapan jatuh tempo", es: "Respuesta vence", zh: "响应截止" },
  resolution: { en: "Resolution due", id: "Penyelesaian jatuh tempo", es: "Resolución vence", zh: "解决截止" },
  payable: {
    en: "Payable (veto window ends)",
    id: "Dapat dibayar (jendela veto berakhir)",
    es: "Pagadera (fin del veto)",
    zh: "可支付（否决期结束）",
  },
  left: { en: "{time} left", id: "sisa {time}", es: "quedan {time}", zh: "剩余 {time}" },
  overdue: { en: "{time} overdue", id: "terlambat {time}", es: "{time} de retraso", zh: "已超时 {time}" },
  claim: { en: "Claim #{id}", id: "Klaim #{id}", es: "Reclamación #{id}", zh: "申请 #{id}" },
  claimant: { en: "Claimant", id: "Pemohon", es: "Solicitante", zh: "申请人" },
  requested: { en: "Requested", id: "Diminta", es: "Solicitado", zh: "申请金额" },
  approved: { en: "Approved", id: "Disetujui", es: "Aprobado", zh: "批准金额" },
  status: { en: "Status", id: "Status", es: "Estado", zh: "状态" },
  sla: { en: "SLA clock", id: "Jam SLA", es: "Reloj del SLA", zh: "SLA 计时" },
  reply: { en: "Reply to the claimant", id: "Balas pemohon", es: "Responder al solicitante", zh: "回复申请人" },
  send: { en: "Send", id: "Kirim", es: "Enviar", zh: "发送" },
  article: {
    en: "Insert a help article",
    id: "Sisipkan artikel bantuan",
    es: "Insertar un artículo de ayuda",
    zh: "插入帮助文章",
  },
  articleQuery: {
    en: "Search the help library",
    id: "Cari di pustaka bantuan",
    es: "Buscar en la ayuda",
    zh: "搜索帮助库",
  },
  search: { en: "Search", id: "Cari", es: "Buscar", zh: "搜索" },
  insert: { en: "Insert", id: "Sisipkan", es: "Insertar", zh: "插入" },
  inserted: {
    en: "Article “{slug}” inserted: edit if needed, then send.",
    id: "Artikel “{slug}” disisipkan: sunting bila perlu, lalu kirim.",
    es: "Artículo «{slug}» insertado: edítelo si hace falta y envíelo.",
    zh: "已插入文章“{slug}”：如需要请编辑后发送。",
  },
  noArticle: {
    en: "No article matches.",
    id: "Tidak ada artikel yang cocok.",
    es: "Ningún artículo coincide.",
    zh: "没有匹配的文章。",
  },
  actions: { en: "Decide", id: "Putuskan", es: "Decidir", zh: "处理" },
  accept: { en: "Accept", id: "Terima", es: "Aceptar", zh: "受理" },
  investigate: { en: "Investigate", id: "Selidiki", es: "Investigar", zh: "调查" },
  approve: { en: "Approve", id: "Setujui", es: "Aprobar", zh: "批准" },
  reject: { en: "Reject", id: "Tolak", es: "Rechazar", zh: "拒绝" },
  veto: { en: "Veto the payout", id: "Veto pembayaran", es: "Vetar el pago", zh: "否决支付" },
  note: {
    en: "Note to the claimant (its hash goes on-chain with the decision)",
    id: "Catatan untuk pemohon (hash-nya dicatat on-chain bersama keputusan)",
    es: "Nota al solicitante (su hash va a la cadena con la decisión)",
    zh: "给申请人的说明（其哈希随决定上链）",
  },
  reason: {
    en: "Reason (its hash goes on-chain with the veto)",
    id: "Alasan (hash-nya dicatat on-chain bersama veto)",
    es: "Motivo (su hash va a la cadena con el veto)",
    zh: "理由（其哈希随否决上链）",
  },
  amount: {
    en: "Amount in C (at most the {asked} asked)",
    id: "Jumlah dalam C (paling banyak {asked} yang diminta)",
    es: "Importe en C (como máximo los {asked} solicitados)",
    zh: "金额（C，最多为申请的 {asked}）",
  },
  checking: {
    en: "Checking with the contract…",
    id: "Memeriksa dengan kontrak…",
    es: "Consultando el contrato…",
    zh: "正在向合约核实…",
  },
  sending: {
    en: "Note posted; confirm the transaction in your wallet…",
    id: "Catatan terkirim; konfirmasi transaksi di dompet Anda…",
    es: "Nota publicada; confirme la transacción en su billetera…",
    zh: "说明已发布；请在钱包中确认交易…",
  },
  done: {
    en: "Claim #{id}: {action} recorded on-chain with its note.",
    id: "Klaim #{id}: {action} tercatat on-chain dengan catatannya.",
    es: "Reclamación #{id}: {action} registrado en la cadena con su nota.",
    zh: "申请 #{id}：{action} 已连同说明记录上链。",
  },
  noteNeeded: {
    en: "Write a note first: the claimant reads it.",
    id: "Tulis catatan dulu: pemohon akan membacanya.",
    es: "Escriba primero una nota: el solicitante la leerá.",
    zh: "请先写说明：申请人会看到。",
  },
  badAmount: {
    en: "The amount must be a positive number of C.",
    id: "Jumlah harus berupa angka C yang positif.",
    es: "El importe debe ser un número positivo de C.",
    zh: "金额必须是正数（C）。",
  },
  noActions: {
    en: "Nothing to decide at this stage.",
    id: "Tidak ada yang perlu diputuskan pada tahap ini.",
    es: "Nada que decidir en esta etapa.",
    zh: "此阶段无需处理。",
  },
  payouts: {
    en: "Payouts in their veto window",
    id: "Pembayaran dalam jendela veto",
    es: "Pagos en su plazo de veto",
    zh: "处于否决期的支付",
  },
  noPayouts: {
    en: "No approved payout is waiting.",
    id: "Tidak ada pembayaran disetujui yang menunggu.",
    es: "Ningún pago aprobado está en espera.",
    zh: "没有等待中的已批准支付。",
  },
  vetoUntil: {
    en: "veto possible for {time}",
    id: "veto masih bisa selama {time}",
    es: "veto posible durante {time}",
    zh: "还可否决 {time}",
  },
  alertTitle: {
    en: "Post a risk alert",
    id: "Kirim peringatan risiko",
    es: "Publicar una alerta de riesgo",
    zh: "发布风险警报",
  },
  alertHeading: { en: "Title", id: "Judul", es: "Título", zh: "标题" },
  alertMessage: { en: "Message", id: "Pesan", es: "Mensaje", zh: "内容" },
  severity: { en: "Severity", id: "Tingkat keparahan", es: "Gravedad", zh: "严重程度" },
  post: { en: "Post", id: "Kirim", es: "Publicar", zh: "发布" },
  info: { en: "Information", id: "Informasi", es: "Información", zh: "信息" },
  warning: { en: "Warning", id: "Peringatan", es: "Advertencia", zh: "警告" },
  critical: { en: "Critical", id: "Kritis", es: "Crítica", zh: "严重" },
  alertPosted: {
    en: "Alert posted; {n} webhook deliveries queued.",
    id: "Peringatan terkirim; {n} pengiriman webhook diantrekan.",
    es: "Alerta publicada; {n} envíos de webhook en cola.",
    zh: "警报已发布；已排队 {n} 个 webhook 投递。",
  },
  record: { en: "My record", id: "Catatan saya", es: "Mi historial", zh: "我的记录" },
  noRecord: {
    en: "No claims handled yet.",
    id: "Belum ada klaim yang ditangani.",
    es: "Aún no ha atendido reclamaciones.",
    zh: "尚未处理任何申请。",
  },
  handled: { en: "Claims handled", id: "Klaim ditangani", es: "Reclamaciones atendidas", zh: "已处理申请" },
  acceptMedian: {
    en: "Median time to accept",
    id: "Median waktu menerima",
    es: "Mediana hasta aceptar",
    zh: "受理时间中位数",
  },
  resolveMedian: {
    en: "Median time to resolve",
    id: "Median waktu menyelesaikan",
    es: "Mediana hasta resolver",
    zh: "解决时间中位数",
  },
  withinResponse: {
    en: "Within the response deadline",
    id: "Dalam tenggat tanggapan",
    es: "Dentro del plazo de respuesta",
    zh: "在响应时限内",
  },
  withinResolution: {
    en: "Within the resolution deadline",
    id: "Dalam tenggat penyelesaian",
    es: "Dentro del plazo de resolución",
    zh: "在解决时限内",
  },
  rating: { en: "Rating", id: "Penilaian", es: "Valoración", zh: "评分" },
  atRisk: { en: "{n} at risk", id: "{n} berisiko", es: "{n} en riesgo", zh: "{n} 个有风险" },
  live: { en: "Live", id: "Langsung", es: "En vivo", zh: "实时" },
  // What the pool says when it would refuse a decision (its custom errors, in words).
  errBudget: {
    en: "The day's approval budget is used up: {used} of {budget} approved in the last 24 h, and this needs {charge}.",
    id: "Anggaran persetujuan harian habis: {used} dari {budget} disetujui dalam 24 jam terakhir, dan ini butuh {charge}.",
    es: "El presupuesto diario de aprobaciones está agotado: {used} de {budget} aprobados en 24 h, y esto necesita {charge}.",
    zh: "当日批准额度已用完：过去 24 小时已批准 {used}（上限 {budget}），本次需要 {charge}。",
  },
  errCap: {
    en: "Over the per-claim cap: {amount} is more than the {cap} one claim may get.",
    id: "Melebihi batas per klaim: {amount} lebih dari {cap} yang boleh diterima satu klaim.",
    es: "Supera el tope por reclamación: {amount} es más que los {cap} permitidos.",
    zh: "超过单笔上限：{amount} 超过单个申请可获得的 {cap}。",
  },
  errPaused: {
    en: "The pool is paused by a guardian: no claim moves until it resumes.",
    id: "Pool dijeda oleh penjaga: tidak ada klaim yang bergerak sampai dilanjutkan.",
    es: "Un guardián pausó el fondo: ninguna reclamación avanza hasta que se reanude.",
    zh: "资金池已被监护人暂停：恢复前任何申请都无法推进。",
  },
  errStatus: {
    en: "Wrong status: claim #{id} is “{status}” now, so this step does not apply.",
    id: "Status salah: klaim #{id} sekarang “{status}”, jadi langkah ini tidak berlaku.",
    es: "Estado incorrecto: la reclamación #{id} está ahora en «{status}», así que este paso no aplica.",
    zh: "状态不符：申请 #{id} 当前为“{status}”，此步骤不适用。",
  },
  errAboveRequest: {
    en: "More than the claimant asked: at most {requested}.",
    id: "Lebih dari yang diminta pemohon: paling banyak {requested}.",
    es: "Más de lo que pidió el solicitante: como máximo {requested}.",
    zh: "超过申请人所申请的金额：最多 {requested}。",
  },
  errVetoClosed: {
    en: "The veto window closed {time}: the payout can no longer be stopped.",
    id: "Jendela veto ditutup {time}: pembayaran tidak bisa dihentikan lagi.",
    es: "El plazo de veto cerró {time}: el pago ya no se puede detener.",
    zh: "否决期已于 {time} 结束：支付无法再被阻止。",
  },
  errFunds: {
    en: "The pool lacks funds: {available} free, {needed} needed.",
    id: "Dana pool tidak cukup: {available} tersedia, dibutuhkan {needed}.",
    es: "El fondo no tiene saldo: {available} libres, se necesitan {needed}.",
    zh: "资金池余额不足：可用 {available}，需要 {needed}。",
  },
  errRole: {
    en: "Your account does not hold the on-chain role this needs.",
    id: "Akun Anda tidak memegang peran on-chain yang dibutuhkan.",
    es: "Su cuenta no tiene el rol en la cadena que esto requiere.",
    zh: "您的账户没有此操作所需的链上角色。",
  },
  errOther: {
    en: "The contract would refuse: {name}.",
    id: "Kontrak akan menolak: {name}.",
    es: "El contrato lo rechazaría: {name}.",
    zh: "合约将拒绝：{name}。",
  },
} as const satisfies Record<string, Record<Language, string>>;

export type DeskTextKey = keyof typeof TEXT;

/** Kind names come from the shared vocabulary. */
export { kindText } from "../../../common/stages.js";

/** A desk text in `lang`, with `{name}` placeholders filled from `values`. */
export function deskText(key: DeskTextKey, lang: Language, values: Record<string, string | number> = {}): string {
  return TEXT[key][lang].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}
