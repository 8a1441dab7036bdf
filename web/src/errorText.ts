/**
 * What went wrong with a wallet or a transaction, as a sentence a person can act on, in the four
 * languages the page speaks (the same `textTable` as ./pageText.ts). The page's own errors carry
 * a key and its values (`PageError`), so the notice shows them in the language the reader has
 * when they appear, not the one they had when the error was thrown; `explain` (./wallet.ts) turns
 * errors into these sentences. `{name}` marks a value filled in when read.
 */
import type { Language } from "./api.js";
import { type Texts, textTable } from "./text.js";

type Values = Record<string, string | number | bigint>;

const TEXT = {
  // The wallet.
  noWallet: {
    en: "No wallet found: install a browser wallet (EIP-1193) and reload.",
    id: "Dompet tidak ditemukan: pasang dompet peramban (EIP-1193) lalu muat ulang halaman.",
    es: "No se encontró ninguna billetera: instale una billetera de navegador (EIP-1193) y recargue.",
    zh: "未找到钱包：请安装浏览器钱包（EIP-1193）后重新加载。",
  },
  connectFirst: {
    en: "Connect your wallet first.",
    id: "Hubungkan dompet Anda terlebih dahulu.",
    es: "Conecte primero su billetera.",
    zh: "请先连接钱包。",
  },
  noAccount: {
    en: "The wallet shared no account.",
    id: "Dompet tidak membagikan akun apa pun.",
    es: "La billetera no compartió ninguna cuenta.",
    zh: "钱包没有提供任何账户。",
  },
  noWalletChosen: {
    en: "No wallet chosen: pick one of the wallets offered to connect.",
    id: "Belum ada dompet yang dipilih: pilih salah satu dompet yang ditawarkan untuk terhubung.",
    es: "No eligió ninguna billetera: elija una de las ofrecidas para conectarse.",
    zh: "未选择钱包：请从列出的钱包中选择一个进行连接。",
  },
  anotherWalletChoice: {
    en: "Another wallet choice was started.",
    id: "Pemilihan dompet lain sudah dimulai.",
    es: "Se inició otra elección de billetera.",
    zh: "已开始另一次钱包选择。",
  },
  wrongChainDeclined: {
    en: "{wrongChain} You declined the switch: switch networks in your wallet and retry.",
    id: "{wrongChain} Anda menolak perpindahan: ganti jaringan di dompet Anda lalu coba lagi.",
    es: "{wrongChain} Rechazó el cambio: cambie de red en su billetera y vuelva a intentarlo.",
    zh: "{wrongChain}您拒绝了切换：请在钱包中切换网络后重试。",
  },
  wrongChain: {
    en: "{wrongChain} Switch networks in your wallet and retry.",
    id: "{wrongChain} Ganti jaringan di dompet Anda lalu coba lagi.",
    es: "{wrongChain} Cambie de red en su billetera y vuelva a intentarlo.",
    zh: "{wrongChain}请在钱包中切换网络后重试。",
  },
  wrongChainAdd: {
    en: "{wrongChain} Add chain {wanted} ({rpcUrl}) to your wallet and retry.",
    id: "{wrongChain} Tambahkan chain {wanted} ({rpcUrl}) ke dompet Anda lalu coba lagi.",
    es: "{wrongChain} Añada la cadena {wanted} ({rpcUrl}) a su billetera y vuelva a intentarlo.",
    zh: "{wrongChain}请将链 {wanted}（{rpcUrl}）添加到钱包后重试。",
  },
  /** The start of the three above: `errorText` fills their `{wrongChain}` with it. */
  wrongChainIs: {
    en: "Wrong network: your wallet is on chain {current}, this station runs on chain {wanted}.",
    id: "Jaringan salah: dompet Anda di chain {current}, stasiun ini berjalan di chain {wanted}.",
    es: "Red equivocada: su billetera está en la cadena {current} y esta estación funciona en la cadena {wanted}.",
    zh: "网络错误：您的钱包在链 {current} 上，本站运行在链 {wanted} 上。",
  },

  // The claim form.
  describeProblem: {
    en: "What happened: describe the problem in a few words.",
    id: "Apa yang terjadi: jelaskan masalahnya dalam beberapa kata.",
    es: "Qué pasó: describa el problema en pocas palabras.",
    zh: "发生了什么：请用几句话描述问题。",
  },
  textTooLong: {
    en: "What happened: at most {max} characters.",
    id: "Apa yang terjadi: paling banyak {max} karakter.",
    es: "Qué pasó: como máximo {max} caracteres.",
    zh: "发生了什么：最多 {max} 个字符。",
  },
  tooManyAttachments: {
    en: "At most {max} attachments (files, transaction and link together).",
    id: "Paling banyak {max} lampiran (file, transaksi, dan tautan digabung).",
    es: "Como máximo {max} adjuntos (archivos, transacción y enlace en total).",
    zh: "最多 {max} 个附件（文件、交易和链接合计）。",
  },
  needContact: {
    en: "Contact: say how the station can reach you.",
    id: "Kontak: beri tahu bagaimana stasiun dapat menghubungi Anda.",
    es: "Contacto: indique cómo puede la estación comunicarse con usted.",
    zh: "联系方式：请说明本站如何联系您。",
  },
  badTxHash: {
    en: "Transaction hash: 0x and 64 hex digits.",
    id: "Hash transaksi: 0x dan 64 digit heksadesimal.",
    es: "Hash de la transacción: 0x y 64 dígitos hexadecimales.",
    zh: "交易哈希：0x 加 64 位十六进制数字。",
  },
  badLink: {
    en: "Link: an http(s) address.",
    id: "Tautan: alamat http(s).",
    es: "Enlace: una dirección http(s).",
    zh: "链接：请填写 http(s) 地址。",
  },
  pickKind: {
    en: "What went wrong: pick one of the listed problems.",
    id: "Apa yang salah: pilih salah satu masalah yang tercantum.",
    es: "Qué salió mal: elija uno de los problemas de la lista.",
    zh: "出了什么问题：请从列出的问题中选择一项。",
  },
  badAmount: {
    en: "Amount: a number of C with at most 6 decimals.",
    id: "Jumlah: angka dalam C dengan paling banyak 6 desimal.",
    es: "Importe: una cantidad de C con 6 decimales como máximo.",
    zh: "金额：以 C 计的数字，最多 6 位小数。",
  },
  zeroAmount: {
    en: "Amount: more than 0 C.",
    id: "Jumlah: lebih dari 0 C.",
    es: "Importe: más de 0 C.",
    zh: "金额：须大于 0 C。",
  },
  fileTooLarge: {
    en: "{name}: larger than 2 MiB.",
    id: "{name}: lebih besar dari 2 MiB.",
    es: "{name}: supera los 2 MiB.",
    zh: "{name}：超过 2 MiB。",
  },
  statementRefused: {
    en: "The station did not take your statement, so no claim was sent: {reason}.",
    id: "Stasiun tidak menerima pernyataan Anda, jadi tidak ada klaim yang dikirim: {reason}.",
    es: "La estación no aceptó su declaración, así que no se envió ninguna solicitud: {reason}.",
    zh: "本站未接收您的陈述，因此没有发送申领：{reason}。",
  },
  relayUnavailable: {
    en: 'The gasless relay is not available ({reason}). Untick "Sign only" to send it as a transaction.',
    id: 'Relai tanpa gas tidak tersedia ({reason}). Hapus centang "Hanya tanda tangan" untuk mengirimnya sebagai transaksi.',
    es: 'El relé sin gas no está disponible ({reason}). Desmarque "Solo firmar" para enviarla como transacción.',
    zh: "免 Gas 中继不可用（{reason}）。取消勾选“仅签名”即可作为交易发送。",
  },
  relayRefused: {
    en: "The station did not relay your signed request: {reason}.",
    id: "Stasiun tidak meneruskan permintaan bertanda tangan Anda: {reason}.",
    es: "La estación no retransmitió su solicitud firmada: {reason}.",
    zh: "本站未转发您签名的请求：{reason}。",
  },
  otherStatement: {
    en: "The station stored another statement.",
    id: "Stasiun menyimpan pernyataan yang berbeda.",
    es: "La estación guardó otra declaración.",
    zh: "本站保存的陈述与您的不同。",
  },
  noClaimEvent: {
    en: "The transaction carried no ClaimSubmitted event.",
    id: "Transaksi tidak memuat peristiwa ClaimSubmitted.",
    es: "La transacción no contenía ningún evento ClaimSubmitted.",
    zh: "该交易中没有 ClaimSubmitted 事件。",
  },
  sessionRefused: {
    en: "The station did not accept this tab's session key: sign in again.",
    id: "Stasiun tidak menerima kunci sesi tab ini: masuk lagi.",
    es: "La estación no aceptó la clave de sesión de esta pestaña: vuelva a iniciar sesión.",
    zh: "本站未接受此标签页的会话密钥：请重新登录。",
  },

  // Transactions and signatures.
  rejected: {
    en: "You rejected the request in your wallet.",
    id: "Anda menolak permintaan ini di dompet Anda.",
    es: "Rechazó la solicitud en su billetera.",
    zh: "您在钱包中拒绝了该请求。",
  },
  insufficientBalance: {
    en: "Insufficient balance: you have {have} and this needs {need}.",
    id: "Saldo tidak cukup: Anda memiliki {have}, sedangkan ini membutuhkan {need}.",
    es: "Saldo insuficiente: tiene {have} y esto requiere {need}.",
    zh: "余额不足：您有 {have}，此操作需要 {need}。",
  },
  insufficientAllowance: {
    en: "Insufficient allowance: approve the amount first.",
    id: "Izin (allowance) tidak cukup: setujui jumlahnya terlebih dahulu.",
    es: "Autorización insuficiente: apruebe primero el importe.",
    zh: "授权额度不足：请先批准该金额。",
  },
  insufficientGas: {
    en: "Insufficient balance for the gas of this transaction.",
    id: "Saldo tidak cukup untuk biaya gas transaksi ini.",
    es: "Saldo insuficiente para el gas de esta transacción.",
    zh: "余额不足以支付此交易的 gas 费用。",
  },
  nothingToWithdraw: {
    en: "Nothing to withdraw: unstake first.",
    id: "Tidak ada dana yang bisa ditarik: tarik stake terlebih dahulu.",
    es: "Nada que retirar: primero use «Retirar staking».",
    zh: "没有可提取的金额：请先解除质押。",
  },
  withdrawCooldown: {
    en: "Nothing to withdraw yet: the cooldown ends {time}.",
    id: "Belum ada dana yang bisa ditarik: masa tunggu berakhir {time}.",
    es: "Aún no hay nada que retirar: la espera termina el {time}.",
    zh: "暂时没有可提取的金额：冷却期于 {time} 结束。",
  },
  unstakeAtMost: {
    en: "You can unstake at most {amount}.",
    id: "Anda dapat menarik stake paling banyak {amount}.",
    es: "Puede retirar del staking como máximo {amount}.",
    zh: "您最多可以解除质押 {amount}。",
  },
  roundNotClaimable: {
    en: "Not claimable yet: the round opens for claims {time}.",
    id: "Belum bisa diklaim: putaran dibuka untuk klaim {time}.",
    es: "Aún no se puede reclamar: la ronda se abre a reclamaciones el {time}.",
    zh: "暂不可申领：本轮将于 {time} 开放申领。",
  },
  roundOver: {
    en: "The round's claim period ended {time}.",
    id: "Masa klaim putaran ini berakhir {time}.",
    es: "El plazo de reclamación de la ronda terminó el {time}.",
    zh: "本轮的申领期已于 {time} 结束。",
  },
  alreadyClaimed: {
    en: "This compensation was already claimed.",
    id: "Kompensasi ini sudah diklaim.",
    es: "Esta compensación ya fue reclamada.",
    zh: "这笔补偿已被申领。",
  },
  noStanding: {
    en: "This claim earns no credit: you had no priority tier or package coverage when you filed it.",
    id: "Klaim ini tidak mendapat kredit: saat Anda mengajukannya, Anda tidak memiliki tingkat prioritas atau perlindungan paket.",
    es: "Esta solicitud no genera crédito: al presentarla no tenía nivel prioritario ni cobertura de un paquete.",
    zh: "此申领不获补偿：提交时您既没有优先等级，也没有套餐保障。",
  },
  creditTooEarly: {
    en: "No credit yet: the deadline is {time}.",
    id: "Belum ada kredit: tenggatnya {time}.",
    es: "Aún no hay crédito: el plazo vence el {time}.",
    zh: "暂无补偿：截止时间为 {time}。",
  },
  creditAlreadyPaid: {
    en: "This credit was already paid.",
    id: "Kredit ini sudah dibayar.",
    es: "Este crédito ya fue pagado.",
    zh: "这笔补偿已支付。",
  },
  creditBudgetUsed: {
    en: "Today's budget for credits is used up: try again later (your claim stays open and can still be answered).",
    id: "Anggaran kredit hari ini sudah habis: coba lagi nanti (klaim Anda tetap terbuka dan masih bisa dijawab).",
    es: "El presupuesto de créditos de hoy se agotó: inténtelo más tarde (su solicitud sigue abierta y aún puede recibir respuesta).",
    zh: "今日补偿预算已用完：请稍后再试（您的申领仍然有效，仍可获得答复）。",
  },
  creditOff: {
    en: "This station pays no such credit.",
    id: "Stasiun ini tidak membayar kredit semacam itu.",
    es: "Esta estación no paga ese crédito.",
    zh: "本站不支付此类补偿。",
  },
  poolShort: {
    en: "The pool has too little unreserved C to pay this credit now; try again later.",
    id: "Pool tidak memiliki cukup C yang belum dicadangkan untuk membayar kredit ini sekarang; coba lagi nanti.",
    es: "El fondo no tiene suficiente C sin reservar para pagar este crédito ahora; inténtelo más tarde.",
    zh: "资金池中未预留的 C 不足，暂时无法支付这笔补偿；请稍后再试。",
  },
  badProof: {
    en: "The round file's proof does not match this incident: ask the operator for the published file.",
    id: "Bukti dalam file putaran tidak cocok dengan insiden ini: minta file yang diterbitkan kepada operator.",
    es: "La prueba del archivo de la ronda no corresponde a este incidente: pida al operador el archivo publicado.",
    zh: "轮次文件中的证明与此事故不符：请向运营方索取已发布的文件。",
  },
  contractRefused: {
    en: "The contract refused: {call}.",
    id: "Kontrak menolak: {call}.",
    es: "El contrato lo rechazó: {call}.",
    zh: "合约拒绝了：{call}。",
  },
} as const satisfies Record<string, Texts>;

export type ErrorTextKey = keyof typeof TEXT;

const table = textTable<ErrorTextKey>(TEXT);

/** A sentence in `lang`, with `{name}` filled from `values` (and `{wrongChain}` from them too). */
export function errorText(key: ErrorTextKey, lang: Language, values: Values = {}): string {
  const text = table(key, lang, values);
  return text.includes("{wrongChain}") ? text.replace("{wrongChain}", table("wrongChainIs", lang, values)) : text;
}

/**
 * An error of the page's own, named by its text's key: its message is the English sentence (for
 * logs and callers that only read `message`); `explain` shows it in the reader's language.
 */
export class PageError extends Error {
  constructor(
    readonly key: ErrorTextKey,
    readonly values: Values = {},
  ) {
    super(errorText(key, "en", values));
    this.name = "PageError";
  }

  /** The sentence in `lang`. */
  in(lang: Language): string {
    return errorText(this.key, lang, this.values);
  }
}
