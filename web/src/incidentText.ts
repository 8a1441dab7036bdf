/**
 * Incident rounds in words (their list, the round file's answers and what is wrong with a file),
 * in the four languages the page speaks, through the same `textTable` as ./stationText.ts. Kept
 * apart so they arrive with the section's code (./sections/lazyLoaders.ts), not with the page.
 */
import { type Texts, textTable } from "./text.js";

const TEXT = {
  roundsFailed: {
    en: "The station could not list your rounds ({error}); paste the round file below instead.",
    id: "Stasiun tidak bisa menampilkan putaran Anda ({error}); tempel file putaran di bawah ini saja.",
    es: "La estación no pudo mostrar sus rondas ({error}); pegue abajo el archivo de la ronda.",
    zh: "服务站无法列出您的轮次（{error}）；请在下方粘贴轮次文件。",
  },
  roundsNone: {
    en: "No open incident round for {account}.",
    id: "Tidak ada putaran insiden terbuka untuk {account}.",
    es: "No hay ninguna ronda de incidente abierta para {account}.",
    zh: "{account} 没有开放中的事故轮次。",
  },
  roundLine: {
    en: "Incident #{id}: {amount}, claim by {time}",
    id: "Insiden #{id}: {amount}, klaim sebelum {time}",
    es: "Incidente #{id}: {amount}, reclame antes de {time}",
    zh: "事故 #{id}：{amount}，请在 {time} 前申领",
  },
  claimed: { en: "claimed", id: "sudah diklaim", es: "reclamado", zh: "已申领" },
  claimableFrom: {
    en: "claimable from {time}",
    id: "bisa diklaim mulai {time}",
    es: "reclamable a partir de {time}",
    zh: "{time} 起可申领",
  },
  claimAmount: { en: "Claim {amount}", id: "Klaim {amount}", es: "Reclamar {amount}", zh: "申领 {amount}" },
  claimedFrom: {
    en: "Claimed: {amount} from incident #{id}, credited to your account.",
    id: "Diklaim: {amount} dari insiden #{id}, masuk ke akun Anda.",
    es: "Reclamado: {amount} del incidente #{id}, abonado en su cuenta.",
    zh: "已申领：事故 #{id} 的 {amount} 已存入您的账户。",
  },
  proofMismatch: {
    en: "The proof the station gave for incident #{id} does not match its root on-chain.",
    id: "Bukti yang diberikan stasiun untuk insiden #{id} tidak cocok dengan root-nya di rantai.",
    es: "La prueba que dio la estación para el incidente #{id} no coincide con su raíz en la cadena.",
    zh: "服务站为事故 #{id} 提供的证明与链上的根不一致。",
  },
  roundPlaceholder: {
    en: "Paste the round JSON (or load the file)",
    id: "Tempel JSON putaran (atau muat file-nya)",
    es: "Pegue el JSON de la ronda (o cargue el archivo)",
    zh: "粘贴轮次 JSON（或载入文件）",
  },
  roundJsonLabel: { en: "Round JSON", id: "JSON putaran", es: "JSON de la ronda", zh: "轮次 JSON" },
  roundFileLabel: { en: "Round file", id: "File putaran", es: "Archivo de la ronda", zh: "轮次文件" },
  addressToCheck: {
    en: "Address to check (empty: your wallet's)",
    id: "Alamat yang dicek (kosong: alamat dompet Anda)",
    es: "Dirección a comprobar (vacía: la de su billetera)",
    zh: "要查询的地址（留空：您钱包的地址）",
  },
  amIEligible: { en: "Am I eligible?", id: "Apakah saya berhak?", es: "¿Me corresponde?", zh: "我有资格吗？" },
  addressFormat: {
    en: "Address: 0x and 40 hex digits.",
    id: "Alamat: 0x dan 40 digit heksadesimal.",
    es: "Dirección: 0x y 40 dígitos hexadecimales.",
    zh: "地址：0x 加 40 位十六进制数字。",
  },
  otherPool: {
    en: "This round is for the pool {round}, not this station's ({pool}).",
    id: "Putaran ini untuk pool {round}, bukan pool stasiun ini ({pool}).",
    es: "Esta ronda es del pool {round}, no del de esta estación ({pool}).",
    zh: "此轮次属于资金池 {round}，不是本服务站的资金池（{pool}）。",
  },
  noIncident: {
    en: "There is no incident #{id} on this station.",
    id: "Tidak ada insiden #{id} di stasiun ini.",
    es: "No existe el incidente #{id} en esta estación.",
    zh: "本服务站没有事故 #{id}。",
  },
  otherRoot: {
    en: "This file does not match incident #{id} on-chain (another Merkle root).",
    id: "File ini tidak cocok dengan insiden #{id} di rantai (Merkle root berbeda).",
    es: "Este archivo no coincide con el incidente #{id} en la cadena (otra raíz de Merkle).",
    zh: "此文件与链上的事故 #{id} 不一致（Merkle 根不同）。",
  },
  notInIncident: {
    en: "{who} is not in incident #{id}.",
    id: "{who} tidak termasuk dalam insiden #{id}.",
    es: "{who} no figura en el incidente #{id}.",
    zh: "{who} 不在事故 #{id} 的名单中。",
  },
  alreadyClaimed: {
    en: "{who} was compensated {amount} — already claimed.",
    id: "{who} sudah menerima kompensasi {amount} — sudah diklaim.",
    es: "{who} recibió una compensación de {amount}: ya se reclamó.",
    zh: "{who} 已获补偿 {amount} — 已申领。",
  },
  incidentCancelled: {
    en: "Incident #{id} is cancelled: nothing can be claimed.",
    id: "Insiden #{id} dibatalkan: tidak ada yang bisa diklaim.",
    es: "El incidente #{id} está cancelado: no se puede reclamar nada.",
    zh: "事故 #{id} 已取消：无法申领。",
  },
  incidentClosed: {
    en: "Incident #{id} is closed: nothing can be claimed.",
    id: "Insiden #{id} sudah ditutup: tidak ada yang bisa diklaim.",
    es: "El incidente #{id} está cerrado: no se puede reclamar nada.",
    zh: "事故 #{id} 已结束：无法申领。",
  },
  eligible: {
    en: "Eligible for {amount} from incident #{id}.",
    id: "Berhak atas {amount} dari insiden #{id}.",
    es: "Le corresponden {amount} del incidente #{id}.",
    zh: "可从事故 #{id} 获得 {amount}。",
  },
  challengeOpen: {
    en: "Claimable from {time}: the round's challenge window is still open.",
    id: "Bisa diklaim mulai {time}: masa sanggah putaran ini masih berjalan.",
    es: "Reclamable a partir de {time}: el plazo de impugnación de la ronda sigue abierto.",
    zh: "{time} 起可申领：本轮的异议期尚未结束。",
  },
  claimedTo: {
    en: "Claimed: {amount} credited to {who}.",
    id: "Diklaim: {amount} masuk ke {who}.",
    es: "Reclamado: {amount} abonados a {who}.",
    zh: "已申领：{amount} 已存入 {who}。",
  },
  periodEnded: {
    en: "The claim period ended {time}; the round still pays until someone closes it.",
    id: "Masa klaim berakhir {time}; putaran ini tetap membayar sampai ada yang menutupnya.",
    es: "El plazo para reclamar terminó {time}; la ronda sigue pagando hasta que alguien la cierre.",
    zh: "申领期已于 {time} 结束；在有人关闭本轮之前仍可获得赔付。",
  },
  claimBy: {
    en: "Claim by {time}.",
    id: "Klaim sebelum {time}.",
    es: "Reclame antes de {time}.",
    zh: "请在 {time} 前申领。",
  },
  // What is wrong with a pasted round file.
  notRoundJson: {
    en: "That is not a round file: paste the JSON the operator published.",
    id: "Itu bukan file putaran: tempel JSON yang diterbitkan operator.",
    es: "Eso no es un archivo de ronda: pegue el JSON que publicó el operador.",
    zh: "这不是轮次文件：请粘贴运营方发布的 JSON。",
  },
  notRound: {
    en: "That is not a round file: {why}.",
    id: "Itu bukan file putaran: {why}.",
    es: "Eso no es un archivo de ronda: {why}.",
    zh: "这不是轮次文件：{why}。",
  },
  notOpened: {
    en: "This round has not been opened on-chain yet.",
    id: "Putaran ini belum dibuka di rantai.",
    es: "Esta ronda aún no se ha abierto en la cadena.",
    zh: "此轮次尚未在链上开启。",
  },
  noClaimsIn: { en: "it has no claims", id: "tidak ada klaim", es: "no tiene solicitudes", zh: "其中没有申领" },
  roundNotObject: {
    en: "its round is not an object",
    id: "bagian round-nya bukan objek",
    es: "su ronda no es un objeto",
    zh: "其 round 不是对象",
  },
  noIncidentId: {
    en: "it has no incident id",
    id: "tidak ada nomor insiden",
    es: "no tiene número de incidente",
    zh: "缺少事故编号",
  },
  incidentIdNaN: {
    en: "its incident id {id} is not a number",
    id: "nomor insiden {id} bukan angka",
    es: "su número de incidente {id} no es un número",
    zh: "事故编号 {id} 不是数字",
  },
  poolNoAddress: {
    en: "its pool is no address",
    id: "pool-nya bukan alamat",
    es: "su pool no es una dirección",
    zh: "其资金池不是地址",
  },
  rootNoHex: {
    en: "its root is no hex",
    id: "root-nya bukan heksadesimal",
    es: "su raíz no es hexadecimal",
    zh: "其根不是十六进制",
  },
  entryMalformed: {
    en: "the entry for {account} is malformed",
    id: "entri untuk {account} rusak",
    es: "la entrada de {account} está mal formada",
    zh: "{account} 的条目格式错误",
  },
  entryNoIndex: {
    en: "the entry for {account} has no index",
    id: "entri untuk {account} tidak punya indeks",
    es: "la entrada de {account} no tiene índice",
    zh: "{account} 的条目缺少索引",
  },
  entryNoAmount: {
    en: "the entry for {account} has no amount",
    id: "entri untuk {account} tidak punya jumlah",
    es: "la entrada de {account} no tiene cantidad",
    zh: "{account} 的条目缺少金额",
  },
  entryNoProof: {
    en: "the entry for {account} has no proof",
    id: "entri untuk {account} tidak punya bukti",
    es: "la entrada de {account} no tiene prueba",
    zh: "{account} 的条目缺少证明",
  },
} as const satisfies Record<string, Texts>;

export type IncidentTextKey = keyof typeof TEXT;

export const incidentText = textTable<IncidentTextKey>(TEXT);
