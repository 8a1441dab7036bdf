/**
 * The claimant's other sections in words — a claim's progress and its timeline, tracking, staking
 * and packages — in the four languages the page speaks (as ./caseText.ts does for the form and the
 * conversation, through the same `textTable`). `{name}` marks a value filled in when read; amounts
 * keep their "C" and numbers as the page writes them in every language.
 */
import { type Texts, textTable } from "./text.js";

const TEXT = {
  // The progress of the claim followed.
  // (Its heading, "Your request", is the conversation's: caseText("yourRequest").)
  creditNoResponse: {
    en: "No answer in time — claim your credit",
    id: "Tidak dijawab tepat waktu — klaim kredit Anda",
    es: "Sin respuesta a tiempo — reclame su crédito",
    zh: "未按时答复 — 领取您的补偿",
  },
  creditResolution: {
    en: "Not resolved in time — claim your credit",
    id: "Tidak diselesaikan tepat waktu — klaim kredit Anda",
    es: "No resuelto a tiempo — reclame su crédito",
    zh: "未按时解决 — 领取您的补偿",
  },
  creditWhy: {
    en: "The station promised an answer by the deadline; the pool pays for a missed one.",
    id: "Stasiun berjanji menjawab sebelum tenggat; pool membayar jika terlewat.",
    es: "La estación prometió responder antes del plazo; el pool paga si no lo cumple.",
    zh: "服务站承诺在截止时间前答复；错过时由资金池赔付。",
  },
  creditPaid: {
    en: "The credit was paid to the claimant's wallet. Your request stays open and can still be answered.",
    id: "Kredit telah dibayar ke dompet pemohon. Permintaan Anda tetap terbuka dan masih bisa dijawab.",
    es: "El crédito se pagó a la billetera del solicitante. Su solicitud sigue abierta y aún puede recibir respuesta.",
    zh: "补偿已支付到申请人的钱包。您的请求仍然开放，仍可得到答复。",
  },

  // The timeline.
  live: {
    en: "Live from the station's tracker.",
    id: "Langsung dari pelacak stasiun.",
    es: "En vivo desde el seguimiento de la estación.",
    zh: "实时来自服务站的跟踪系统。",
  },
  finalityPending: {
    en: "The latest step is pending finality.",
    id: "Langkah terakhir menunggu finalitas.",
    es: "El último paso está pendiente de finalidad.",
    zh: "最新一步正在等待最终确认。",
  },
  fromChain: {
    en: "Read directly from the chain: {reason}. Deadline states and texts in your language appear once the tracker has it.",
    id: "Dibaca langsung dari rantai: {reason}. Status tenggat dan teks dalam bahasa Anda muncul setelah pelacak memilikinya.",
    es: "Leído directamente de la cadena: {reason}. Los estados de los plazos y los textos en su idioma aparecerán cuando el seguimiento lo tenga.",
    zh: "直接从链上读取：{reason}。跟踪系统收录后，将显示截止状态和您语言的文字。",
  },
  noClaim: {
    en: "There is no claim #{id}.",
    id: "Tidak ada klaim #{id}.",
    es: "No existe la solicitud #{id}.",
    zh: "不存在申领 #{id}。",
  },
  deadlineResponse: { en: "Answer due", id: "Batas jawaban", es: "Respuesta antes de", zh: "答复截止" },
  deadlineResolution: {
    en: "Resolution due",
    id: "Batas penyelesaian",
    es: "Resolución antes de",
    zh: "解决截止",
  },
  deadlinePayable: { en: "Paid out from", id: "Dibayarkan mulai", es: "Se paga a partir de", zh: "付款时间起" },
  deadline: { en: "Deadline", id: "Tenggat", es: "Plazo", zh: "截止时间" },
  requested: { en: "{amount} requested", id: "{amount} diminta", es: "{amount} solicitados", zh: "申请 {amount}" },
  approved: { en: "{amount} approved", id: "{amount} disetujui", es: "{amount} aprobados", zh: "批准 {amount}" },
  lateCredit: {
    en: "{amount} late-response credit",
    id: "{amount} kredit respons terlambat",
    es: "{amount} de crédito por respuesta tardía",
    zh: "迟复补偿 {amount}",
  },
  paid: { en: "{amount} paid", id: "{amount} dibayar", es: "{amount} pagados", zh: "已支付 {amount}" },
  tier: { en: "{tier} tier", id: "Tingkat {tier}", es: "Nivel {tier}", zh: "{tier} 等级" },
  tierFaster: {
    en: " (deadlines at {percent}% of standard)",
    id: " (tenggat {percent}% dari standar)",
    es: " (plazos al {percent}% del estándar)",
    zh: "（截止时间为标准的 {percent}%）",
  },

  // Tracking.
  trackTitle: { en: "Track a claim", id: "Lacak klaim", es: "Seguir una solicitud", zh: "跟踪申领" },
  trackPlaceholder: {
    en: "claim id or address",
    id: "nomor klaim atau alamat",
    es: "número de solicitud o dirección",
    zh: "申领编号或地址",
  },
  trackLabel: {
    en: "Claim id or address",
    id: "Nomor klaim atau alamat",
    es: "Número de solicitud o dirección",
    zh: "申领编号或地址",
  },
  track: { en: "Track", id: "Lacak", es: "Seguir", zh: "跟踪" },
  more: { en: "More", id: "Selengkapnya", es: "Más", zh: "更多" },
  trackWhat: {
    en: "Enter a claim number or an address (0x…).",
    id: "Masukkan nomor klaim atau alamat (0x…).",
    es: "Escriba un número de solicitud o una dirección (0x…).",
    zh: "请输入申领编号或地址（0x…）。",
  },
  trackNoService: {
    en: "Claims by address come from the station's tracker, which cannot answer right now ({message}). Track by claim number instead: that works from the chain too.",
    id: "Klaim per alamat berasal dari pelacak stasiun, yang tidak bisa menjawab sekarang ({message}). Lacak dengan nomor klaim saja: itu juga berfungsi dari rantai.",
    es: "Las solicitudes por dirección vienen del seguimiento de la estación, que no puede responder ahora ({message}). Siga por número de solicitud: eso también funciona desde la cadena.",
    zh: "按地址查询申领依赖服务站的跟踪系统，它现在无法响应（{message}）。请改用申领编号跟踪：这也能直接从链上读取。",
  },
  noClaims: {
    en: "No claims for {account}.",
    id: "Tidak ada klaim untuk {account}.",
    es: "No hay solicitudes de {account}.",
    zh: "{account} 没有申领。",
  },
  claimsOf: {
    en: "Claims of {account}, newest first:",
    id: "Klaim milik {account}, terbaru dahulu:",
    es: "Solicitudes de {account}, las más recientes primero:",
    zh: "{account} 的申领，最新的在前：",
  },

  // Staking.
  stakingTitle: {
    en: "Staking: priority support",
    id: "Staking: dukungan prioritas",
    es: "Staking: soporte prioritario",
    zh: "质押：优先支持",
  },
  notConnected: {
    en: "Connect a wallet to see your tier.",
    id: "Hubungkan dompet untuk melihat tingkat Anda.",
    es: "Conecte una billetera para ver su nivel.",
    zh: "连接钱包以查看您的等级。",
  },
  standardDeadlines: {
    en: "standard deadlines",
    id: "tenggat standar",
    es: "plazos estándar",
    zh: "标准截止时间",
  },
  fasterDeadlines: {
    en: "deadlines at {percent}% of standard (answers {times}× as fast)",
    id: "tenggat {percent}% dari standar (jawaban {times}× lebih cepat)",
    es: "plazos al {percent}% del estándar (respuestas {times}× más rápidas)",
    zh: "截止时间为标准的 {percent}%（答复快 {times} 倍）",
  },
  unlocks: {
    en: "{speed}, {discount}% off packages paid in C",
    id: "{speed}, diskon {discount}% untuk paket yang dibayar dengan C",
    es: "{speed}, {discount}% de descuento en paquetes pagados en C",
    zh: "{speed}，用 C 支付套餐可享 {discount}% 折扣",
  },
  staked: { en: "Staked {amount}", id: "Di-stake {amount}", es: "En staking {amount}", zh: "已质押 {amount}" },
  warming: {
    en: " — {amount} of it counts after the warmup ({duration} after staking).",
    id: " — {amount} di antaranya dihitung setelah masa pemanasan ({duration} setelah staking).",
    es: " — {amount} cuenta tras el calentamiento ({duration} después del staking).",
    zh: " — 其中 {amount} 在预热期后计入（质押后 {duration}）。",
  },
  currentTier: {
    en: "Current tier: {tier} — {unlocks}.",
    id: "Tingkat saat ini: {tier} — {unlocks}.",
    es: "Nivel actual: {tier} — {unlocks}.",
    zh: "当前等级：{tier} — {unlocks}。",
  },
  nextTier: {
    en: "Next: {tier} {next}",
    id: "Berikutnya: {tier} {next}",
    es: "Siguiente: {tier} {next}",
    zh: "下一级：{tier} {next}",
  },
  nextFrom: {
    en: "from {threshold} C — {unlocks}",
    id: "mulai {threshold} C — {unlocks}",
    es: "desde {threshold} C — {unlocks}",
    zh: "从 {threshold} C 起 — {unlocks}",
  },
  nextMissing: {
    en: "; {amount} more counting stake needed.",
    id: "; perlu {amount} lagi stake yang dihitung.",
    es: "; faltan {amount} más de stake computable.",
    zh: "；还需要 {amount} 计入的质押。",
  },
  topTier: {
    en: "You are in the top tier.",
    id: "Anda berada di tingkat tertinggi.",
    es: "Está en el nivel más alto.",
    zh: "您已处于最高等级。",
  },
  unstaking: {
    en: "Unstaking {amount}; withdrawable now: {withdrawable}",
    id: "Menarik stake {amount}; bisa ditarik sekarang: {withdrawable}",
    es: "Retirando del staking {amount}; retirable ahora: {withdrawable}",
    zh: "解除质押中 {amount}；现在可提取：{withdrawable}",
  },
  restFrom: {
    en: "; the rest from {time}",
    id: "; sisanya mulai {time}",
    es: "; el resto a partir de {time}",
    zh: "；其余从 {time} 起",
  },
  amountLabel: { en: "Amount of C", id: "Jumlah C", es: "Cantidad de C", zh: "C 的数量" },
  amountNumber: {
    en: "Amount: a number of C.",
    id: "Jumlah: angka dalam C.",
    es: "Cantidad: un número de C.",
    zh: "数量：请输入 C 的数目。",
  },
  amountPositive: {
    en: "Amount: more than 0 C.",
    id: "Jumlah: lebih dari 0 C.",
    es: "Cantidad: más de 0 C.",
    zh: "数量：须大于 0 C。",
  },
  stake: { en: "Stake", id: "Stake", es: "Hacer staking", zh: "质押" },
  unstake: { en: "Unstake", id: "Tarik stake", es: "Retirar staking", zh: "解除质押" },
  withdraw: { en: "Withdraw", id: "Tarik dana", es: "Retirar", zh: "提取" },
  refresh: { en: "Refresh", id: "Muat ulang", es: "Actualizar", zh: "刷新" },
  withdrawn: {
    en: "Withdrawn: {amount}.",
    id: "Ditarik: {amount}.",
    es: "Retirado: {amount}.",
    zh: "已提取：{amount}。",
  },
  stakedNotice: {
    en: "Staked: {amount} C.",
    id: "Di-stake: {amount} C.",
    es: "En staking: {amount} C.",
    zh: "已质押：{amount} C。",
  },
  unstakeRequested: {
    en: "Unstake requested: {amount} C.",
    id: "Penarikan stake diminta: {amount} C.",
    es: "Retiro de staking solicitado: {amount} C.",
    zh: "已申请解除质押：{amount} C。",
  },

  // Packages.
  packagesTitle: {
    en: "Emergency packages for projects",
    id: "Paket darurat untuk proyek",
    es: "Paquetes de emergencia para proyectos",
    zh: "项目紧急服务套餐",
  },
  loading: { en: "Loading…", id: "Memuat…", es: "Cargando…", zh: "加载中…" },
  packagesOff: {
    en: "Packages are not configured on this station.",
    id: "Paket belum diatur di stasiun ini.",
    es: "Esta estación no tiene paquetes configurados.",
    zh: "本服务站未配置套餐。",
  },
  noCPrice: {
    en: "C price unavailable",
    id: "Harga C tidak tersedia",
    es: "Precio en C no disponible",
    zh: "C 价格不可用",
  },
  coveredUntil: {
    en: "Your project is covered until {time}.",
    id: "Proyek Anda terlindungi hingga {time}.",
    es: "Su proyecto está cubierto hasta {time}.",
    zh: "您的项目保障至 {time}。",
  },
  notCovered: {
    en: "Your project has no active package.",
    id: "Proyek Anda tidak memiliki paket aktif.",
    es: "Su proyecto no tiene ningún paquete activo.",
    zh: "您的项目没有有效套餐。",
  },
  noPackages: {
    en: "No packages on sale.",
    id: "Tidak ada paket yang dijual.",
    es: "No hay paquetes a la venta.",
    zh: "暂无在售套餐。",
  },
  package: {
    en: "Package {id}: {days} days, response {percent}% of standard",
    id: "Paket {id}: {days} hari, respons {percent}% dari standar",
    es: "Paquete {id}: {days} días, respuesta al {percent}% del estándar",
    zh: "套餐 {id}：{days} 天，响应时间为标准的 {percent}%",
  },
  inStablecoin: {
    en: "{price} in stablecoin · ",
    id: "{price} dalam stablecoin · ",
    es: "{price} en stablecoin · ",
    zh: "稳定币 {price} · ",
  },
  buyStable: {
    en: "Buy with stablecoin",
    id: "Beli dengan stablecoin",
    es: "Comprar con stablecoin",
    zh: "用稳定币购买",
  },
  buyC: { en: "Buy with C", id: "Beli dengan C", es: "Comprar con C", zh: "用 C 购买" },
  insufficient: {
    en: "Insufficient balance: you have {balance} and this needs {amount}.",
    id: "Saldo tidak cukup: Anda punya {balance} dan ini butuh {amount}.",
    es: "Saldo insuficiente: tiene {balance} y esto necesita {amount}.",
    zh: "余额不足：您有 {balance}，需要 {amount}。",
  },
  bought: {
    en: "Package {id} bought: paid {paid}{discount}.",
    id: "Paket {id} dibeli: dibayar {paid}{discount}.",
    es: "Paquete {id} comprado: pagado {paid}{discount}.",
    zh: "已购买套餐 {id}：支付 {paid}{discount}。",
  },
  discount: {
    en: " ({percent}% discount)",
    id: " (diskon {percent}%)",
    es: " ({percent}% de descuento)",
    zh: "（{percent}% 折扣）",
  },
} as const satisfies Record<string, Texts>;

export type PageTextKey = keyof typeof TEXT;

export const pageText = textTable<PageTextKey>(TEXT);
