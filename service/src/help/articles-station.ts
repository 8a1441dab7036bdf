/**
 * The station's own flows that the first articles (./articles.ts) do not cover: filing a claim,
 * the case conversation and its privacy, rating the help received.
 */
import type { HelpArticle } from "./types.js";

export const STATION_ARTICLES: HelpArticle[] = [
  {
    slug: "file-claim",
    claim: { kind: null },
    texts: {
      en: {
        title: "How do I file a claim?",
        answer:
          "Press the emergency button, choose what went wrong, describe it in a few lines and submit from your wallet — by transaction, or by signature if you have no gas.",
        details:
          "Give the facts an assessor needs: when it happened, the address involved, the amount you ask for and any transaction hash or screenshot (attached files are hashed into the claim). Your description becomes the opening message of the claim's private conversation. You get a claim number and a tracking page at once; the response deadline starts when the claim is on-chain. You can cancel it yourself until it is approved.",
        keywords:
          "file claim submit claim open case new ticket request help report problem complaint emergency button contact support compensation form",
      },
      id: {
        title: "Bagaimana cara mengajukan klaim?",
        answer:
          "Tekan tombol darurat, pilih apa yang salah, jelaskan dalam beberapa baris, lalu kirim dari dompet Anda — dengan transaksi, atau dengan tanda tangan jika Anda tidak punya gas.",
        details:
          "Berikan fakta yang dibutuhkan asesor: kapan terjadinya, alamat yang terlibat, jumlah yang diminta, dan hash transaksi atau tangkapan layar (berkas lampiran di-hash ke dalam klaim). Deskripsi Anda menjadi pesan pembuka percakapan pribadi klaim. Anda langsung mendapat nomor klaim dan halaman pelacakan; tenggat respons dimulai saat klaim tercatat on-chain. Anda bisa membatalkannya sendiri sampai klaim disetujui.",
        keywords:
          "ajukan klaim kirim klaim buka kasus tiket baru minta bantuan lapor masalah keluhan aduan tombol darurat hubungi cs kompensasi formulir",
      },
      es: {
        title: "¿Cómo presento una reclamación?",
        answer:
          "Pulsa el botón de emergencia, elige qué salió mal, descríbelo en pocas líneas y envíalo desde tu billetera: con una transacción, o con una firma si no tienes gas.",
        details:
          "Da los datos que necesita un evaluador: cuándo pasó, la dirección implicada, el importe que pides y cualquier hash de transacción o captura de pantalla (los archivos adjuntos se incluyen en la reclamación por su hash). Tu descripción es el primer mensaje de la conversación privada de la reclamación. Recibes al instante un número de reclamación y una página de seguimiento; el plazo de respuesta empieza cuando la reclamación está en la cadena. Puedes cancelarla tú mismo hasta que se apruebe.",
        keywords:
          "presentar reclamación reclamo abrir caso ticket nuevo pedir ayuda reportar problema queja denuncia botón de emergencia contactar soporte compensación formulario",
      },
      zh: {
        title: "如何提交申请？",
        answer: "点击应急按钮，选择出了什么问题，用几句话描述，然后从钱包提交——发送交易，或者没有 Gas 时用签名提交。",
        details:
          "写清评估员需要的事实：发生时间、相关地址、申请金额，以及交易哈希或截图（附件以哈希形式写入申请）。你的描述会成为该申请私密对话的第一条消息。提交后立即得到申请编号和跟踪页面；响应时限从申请上链时开始计算。在获批之前，你可以自行取消。",
        keywords: "提交申请 发起申请 开单 工单 求助 报告问题 投诉 应急按钮 联系客服 补偿 表单 怎么申请",
      },
    },
  },
  {
    slug: "case-conversation",
    claim: null,
    texts: {
      en: {
        title: "Who can read my claim's conversation?",
        answer:
          "Only you and the station's assessors, guardians and admins can read it; reply from the claim's page, signed by your wallet.",
        details:
          "The words stay with the station, stored sealed; the chain holds only fingerprints (hashes) of your opening statement and of each assessor's note, linked in order, so nobody can quietly rewrite the transcript afterwards. Each message is tied to the wallet that wrote it. You can export the whole conversation as a bundle that anyone you choose — an arbitrator, an auditor — can check against the chain without trusting the station. Never put your seed phrase in it.",
        keywords:
          "conversation chat messages transcript private privacy who can see read confidential secret encrypted export history reply assessor notes",
      },
      id: {
        title: "Siapa yang bisa membaca percakapan klaim saya?",
        answer:
          "Hanya Anda serta asesor, guardian, dan admin stasiun yang bisa membacanya; balas dari halaman klaim, ditandatangani dompet Anda.",
        details:
          "Isi percakapan disimpan oleh stasiun dalam keadaan tersegel; chain hanya menyimpan sidik jari (hash) pernyataan pembuka dan setiap catatan asesor, saling terhubung berurutan, sehingga tidak ada yang bisa diam-diam menulis ulang transkripnya. Setiap pesan terikat pada dompet penulisnya. Anda bisa mengekspor seluruh percakapan sebagai bundel yang bisa diperiksa siapa pun pilihan Anda — arbiter, auditor — terhadap chain tanpa harus memercayai stasiun. Jangan pernah menulis frasa pemulihan di dalamnya.",
        keywords:
          "percakapan obrolan chat pesan transkrip pribadi privasi siapa bisa lihat baca rahasia terenkripsi ekspor riwayat balas",
      },
      es: {
        title: "¿Quién puede leer la conversación de mi reclamación?",
        answer:
          "Solo tú y los evaluadores, guardianes y administradores de la estación; responde desde la página de la reclamación, con la firma de tu billetera.",
        details:
          "Las palabras las guarda la estación, selladas; la cadena solo guarda huellas (hashes) de tu declaración inicial y de cada nota de los evaluadores, enlazadas en orden, así que nadie puede reescribir el historial a escondidas. Cada mensaje está ligado a la billetera que lo escribió. Puedes exportar toda la conversación como un paquete que quien tú elijas —un árbitro, un auditor— puede comprobar contra la cadena sin fiarse de la estación. Nunca escribas en ella tu frase semilla.",
        keywords:
          "conversación chat mensajes historial privada privacidad quién puede ver leer confidencial cifrada exportar responder notas",
      },
      zh: {
        title: "谁能看到我的申请对话？",
        answer: "只有你以及服务站的评估员、监护人和管理员能看到；请在申请页面中回复，由你的钱包签名。",
        details:
          "对话内容由服务站加密保存；链上只记录你的开场陈述和每条评估员备注的指纹（哈希），并按顺序相互链接，因此事后没有人能悄悄改写记录。每条消息都与写下它的钱包绑定。你可以把整段对话导出为一个文件包，交给你选择的任何人（仲裁人、审计方），无需信任服务站即可对照链上数据核验。切勿在对话中写入助记词。",
        keywords: "对话 聊天 消息 聊天记录 隐私 私密 谁能看 保密 加密 导出 历史 回复 备注",
      },
    },
  },
  {
    slug: "rate-support",
    claim: null,
    texts: {
      en: {
        title: "How do I rate the help I got?",
        answer:
          "After your claim is closed, open its page and give a rating from 1 to 5 with an optional comment, signed by your wallet; you can rate each claim once.",
        details:
          "Ratings are tied to the claim and to the claimant's signature, so nobody else can rate your case and nobody can rate it twice. The station publishes each assessor's figures — first reply time, resolution time and satisfaction — in its statistics, and anyone can recompute them from the records, so service is judged by its record, not by its promises.",
        keywords:
          "rate rating review feedback stars score satisfaction evaluate assessor agent service quality survey complaint about staff",
      },
      id: {
        title: "Bagaimana memberi nilai atas bantuan yang saya terima?",
        answer:
          "Setelah klaim ditutup, buka halamannya dan beri nilai 1 sampai 5 dengan komentar bila mau, ditandatangani dompet Anda; setiap klaim bisa dinilai sekali.",
        details:
          "Penilaian terikat pada klaim dan tanda tangan pengaju, jadi tidak ada orang lain yang bisa menilai kasus Anda dan tidak ada yang bisa menilai dua kali. Stasiun memublikasikan angka setiap asesor — waktu balasan pertama, waktu penyelesaian, dan kepuasan — di statistiknya, dan siapa pun bisa menghitung ulang dari catatannya, sehingga layanan dinilai dari rekam jejaknya, bukan janjinya.",
        keywords: "nilai penilaian rating ulasan bintang skor kepuasan evaluasi asesor petugas kualitas layanan survei",
      },
      es: {
        title: "¿Cómo valoro la ayuda que recibí?",
        answer:
          "Cuando se cierre tu reclamación, abre su página y pon una valoración de 1 a 5, con un comentario si quieres, firmada con tu billetera; cada reclamación se valora una vez.",
        details:
          "Las valoraciones están ligadas a la reclamación y a la firma de quien reclamó, así que nadie más puede valorar tu caso ni valorarlo dos veces. La estación publica las cifras de cada evaluador —tiempo de primera respuesta, tiempo de resolución y satisfacción— en sus estadísticas, y cualquiera puede recalcularlas a partir de los registros: el servicio se juzga por sus hechos, no por sus promesas.",
        keywords:
          "valorar valoración calificar calificación reseña opinión estrellas puntuación satisfacción evaluador agente calidad encuesta",
      },
      zh: {
        title: "如何评价我得到的帮助？",
        answer: "申请关闭后，打开申请页面，给出 1 到 5 分的评分并可附上评论，由你的钱包签名；每个申请只能评价一次。",
        details:
          "评价与申请和申请人的签名绑定，其他人无法替你评价，也无法重复评价。服务站会在统计中公布每位评估员的数据——首次回复时间、解决时间和满意度——任何人都可以根据记录重新计算，服务好坏看记录，而不是看承诺。",
        keywords: "评价 评分 打分 好评 差评 星级 满意度 反馈 评估员 客服 服务质量 问卷",
      },
    },
  },
];
