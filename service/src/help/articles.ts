/**
 * Seed content of the help library: the questions newcomers, projects and stores ask most, each
 * with a one-step answer, in English, Indonesian, Spanish and Chinese. Seeded into the database
 * on start (./seed.ts); editing an article here updates it on the next start.
 */
import { PROJECT_ARTICLES } from "./articles-projects.js";
import { STATION_ARTICLES } from "./articles-station.js";
import { WALLET_ARTICLES } from "./articles-wallet.js";
import type { HelpArticle } from "./types.js";

export type { HelpArticle, HelpText } from "./types.js";

const FIRST_ARTICLES: HelpArticle[] = [
  {
    slug: "not-received-c",
    claim: { kind: "MissingReward" },
    texts: {
      en: {
        title: "I haven't received C",
        answer:
          "File a missing-reward claim from your wallet: the station must answer within its response deadline (10 minutes for users, faster with staking priority), and any compensation is paid from the on-chain pool.",
        details:
          "Before filing, check the wallet address that authorised the data and wait for the reward's usual delay. In the claim, give the date of the authorisation and the amount you expected. Follow the claim's stages on its tracking page; if the answer comes after the deadline, the payout adds a late-response credit.",
        keywords:
          "not received missing reward C token payment didn't get rewards authorise data earnings no C where is my C",
      },
      id: {
        title: "Saya belum menerima C",
        answer:
          "Ajukan klaim hadiah hilang dari dompet Anda: stasiun wajib menjawab sebelum tenggat respons (10 menit untuk pengguna, lebih cepat dengan prioritas staking), dan kompensasi dibayar dari pool on-chain.",
        details:
          "Sebelum mengajukan, periksa alamat dompet yang memberi otorisasi data dan tunggu jeda hadiah yang biasa. Dalam klaim, sebutkan tanggal otorisasi dan jumlah yang Anda harapkan. Ikuti tahapan klaim di halaman pelacakan; jika jawaban datang setelah tenggat, pembayaran menambahkan kredit keterlambatan.",
        keywords: "belum menerima terima hadiah hilang token C tidak masuk reward otorisasi data",
      },
      es: {
        title: "No he recibido C",
        answer:
          "Presenta una reclamación por recompensa no recibida desde tu billetera: la estación debe responder antes de su plazo de respuesta (10 minutos para usuarios, menos con prioridad por staking) y la compensación se paga desde el fondo en cadena.",
        details:
          "Antes, comprueba la dirección de la billetera que autorizó los datos y espera el retraso habitual de la recompensa. En la reclamación indica la fecha de la autorización y la cantidad esperada. Sigue las etapas en la página de seguimiento; si la respuesta llega tarde, el pago añade un crédito por respuesta tardía.",
        keywords: "no recibido recibí recompensa perdida token C no llegó pago autorizar datos",
      },
      zh: {
        title: "我还没有收到 C",
        answer:
          "从钱包提交“奖励未到账”补偿申请：服务站必须在响应时限内答复（普通用户 10 分钟，质押优先通道更快），补偿由链上资金池支付。",
        details:
          "提交前，请确认授权数据所用的钱包地址，并等待奖励通常的到账时间。在申请中写明授权日期和预期金额。可在跟踪页面查看处理阶段；如果答复晚于时限，赔付会额外加上迟到补偿。",
        keywords: "没收到 未到账 奖励 C 代币 授权数据 收益",
      },
    },
  },
  {
    slug: "cancel-authorisation",
    claim: { kind: "Other" },
    texts: {
      en: {
        title: "How do I cancel an authorisation?",
        answer:
          "Revoke it where you granted it: open the data app's authorisation settings, choose the authorisation, revoke it and confirm in your wallet.",
        details:
          "Revoking stops future data sharing; C you already earned stays yours. If you granted a token allowance (for example to pay for a package), revoke that allowance in your wallet's token approvals. If the revoke fails or your data keeps being used, file a claim with the transaction hash.",
        keywords:
          "cancel revoke authorization authorisation withdraw consent stop sharing data permission unauthorize approval allowance",
      },
      id: {
        title: "Bagaimana cara membatalkan otorisasi?",
        answer:
          "Cabut di tempat Anda memberikannya: buka pengaturan otorisasi di aplikasi data, pilih otorisasinya, cabut, lalu konfirmasi di dompet Anda.",
        details:
          "Pencabutan menghentikan berbagi data berikutnya; C yang sudah Anda peroleh tetap milik Anda. Jika Anda memberi izin token (allowance), misalnya untuk membayar paket, cabut izin itu di menu persetujuan token dompet Anda. Jika pencabutan gagal atau data Anda tetap dipakai, ajukan klaim dengan hash transaksinya.",
        keywords: "batalkan batal cabut otorisasi izin berhenti berbagi data persetujuan allowance",
      },
      es: {
        title: "¿Cómo cancelo una autorización?",
        answer:
          "Revócala donde la diste: abre los ajustes de autorizaciones de la app de datos, elige la autorización, revócala y confirma en tu billetera.",
        details:
          "Revocar detiene el intercambio de datos a partir de ahora; el C que ya ganaste sigue siendo tuyo. Si diste un permiso de gasto de tokens (por ejemplo, para pagar un paquete), revócalo en las aprobaciones de tokens de tu billetera. Si la revocación falla o tus datos se siguen usando, presenta una reclamación con el hash de la transacción.",
        keywords: "cancelar revocar autorización permiso dejar de compartir datos aprobación allowance",
      },
      zh: {
        title: "如何取消授权？",
        answer: "在当初授权的地方撤销：打开数据应用的授权设置，选择该授权并撤销，然后在钱包中确认。",
        details:
          "撤销后将停止之后的数据共享；已经获得的 C 仍归你所有。如果你授予过代币额度（例如为购买套餐付款），请在钱包的代币授权管理中撤销该额度。如果撤销失败或数据仍被使用，请附上交易哈希提交申请。",
        keywords: "取消授权 撤销授权 停止共享数据 代币额度 批准",
      },
    },
  },
  {
    slug: "redemption-tool-stuck",
    claim: { kind: "RedemptionToolFailure" },
    texts: {
      en: {
        title: "My redemption tool is stuck",
        answer:
          "Switch the tool to its backup query link and retry the redemption; if it still hangs, file a redemption-tool-failure claim so a consultant connects to you.",
        details:
          "Most stalls at busy hours come from the primary data endpoint. If customers' NFTs still cannot be found after switching, check that the tool's redemption permissions are still granted, then file the claim from the store's wallet with the time it stopped and what customers saw. Stores with an emergency package get the package's faster response deadline.",
        keywords:
          "redemption redeem tool stuck frozen lag slow not loading NFT not found merchant store shop cashier point of sale customers waiting",
      },
      id: {
        title: "Alat penukaran saya macet",
        answer:
          "Alihkan alat ke tautan kueri cadangan dan ulangi penukaran; jika masih macet, ajukan klaim kegagalan alat penukaran agar konsultan menghubungi Anda.",
        details:
          "Sebagian besar kemacetan pada jam sibuk berasal dari endpoint data utama. Jika NFT pelanggan tetap tidak ditemukan setelah beralih, periksa apakah izin penukaran alat masih diberikan, lalu ajukan klaim dari dompet toko dengan waktu alat berhenti dan apa yang dilihat pelanggan. Toko dengan paket darurat mendapat tenggat respons paket yang lebih cepat.",
        keywords: "penukaran tukar alat macet lambat hang NFT tidak ditemukan toko pedagang kasir pelanggan menunggu",
      },
      es: {
        title: "Mi herramienta de canje está bloqueada",
        answer:
          "Cambia la herramienta a su enlace de consulta de respaldo y repite el canje; si sigue bloqueada, presenta una reclamación por fallo de la herramienta de canje para que un asesor te atienda.",
        details:
          "La mayoría de los bloqueos en horas punta vienen del punto de acceso de datos principal. Si los NFT de los clientes siguen sin aparecer tras el cambio, comprueba que los permisos de canje de la herramienta siguen concedidos y presenta la reclamación desde la billetera de la tienda con la hora en que se detuvo y lo que vieron los clientes. Las tiendas con paquete de emergencia tienen el plazo de respuesta más rápido del paquete.",
        keywords:
          "canje canjear herramienta bloqueada atascada lenta NFT no aparece tienda comercio caja clientes esperando",
      },
      zh: {
        title: "我的兑换工具卡住了",
        answer: "把工具切换到备用查询链接后重新兑换；如果仍然卡住，请提交“兑换工具故障”申请，专属顾问会与你联系。",
        details:
          "高峰时段的卡顿大多来自主数据接口。如果切换后仍查不到顾客的 NFT，请检查工具的兑换权限是否仍然有效，然后用门店钱包提交申请，写明停止时间和顾客看到的情况。购买了应急套餐的门店享有套餐更快的响应时限。",
        keywords: "兑换 核销 工具 卡住 卡顿 无法加载 查不到 NFT 门店 商家 收银 顾客 等待",
      },
    },
  },
  {
    slug: "data-api-errors-event",
    claim: { kind: "DataApiOutage" },
    texts: {
      en: {
        title: "Data API errors during my event",
        answer:
          "Switch your app to the backup data endpoint now, then file a data-API-outage claim with the failing requests' times and error codes.",
        details:
          "Check the station's data risk alerts first: a chain upgrade or a node synchronisation problem may already be known, with the recommended endpoint. Projects get a technician with an investigation plan within the plan deadline (1 hour) and a resolution within 4 hours, faster with staking priority or an emergency package. If the outage cost your event's users, ask for data compensation in the claim.",
        keywords:
          "data API errors error outage 500 502 503 timeout failing requests event campaign launch down node sync project DeFi NFT GameFi interface cross-chain",
      },
      id: {
        title: "Galat API data saat acara saya",
        answer:
          "Segera alihkan aplikasi Anda ke endpoint data cadangan, lalu ajukan klaim gangguan API data dengan waktu permintaan yang gagal dan kode galatnya.",
        details:
          "Periksa dulu peringatan risiko data dari stasiun: peningkatan chain atau masalah sinkronisasi node mungkin sudah diketahui, beserta endpoint yang disarankan. Proyek mendapat teknisi dengan rencana investigasi dalam tenggat rencana (1 jam) dan penyelesaian dalam 4 jam, lebih cepat dengan prioritas staking atau paket darurat. Jika gangguan merugikan pengguna acara Anda, minta kompensasi data dalam klaim.",
        keywords:
          "galat error API data gangguan timeout permintaan gagal acara kampanye peluncuran node sinkronisasi proyek",
      },
      es: {
        title: "Errores de la API de datos durante mi evento",
        answer:
          "Cambia ya tu aplicación al punto de acceso de datos de respaldo y presenta una reclamación por caída de la API de datos con las horas y los códigos de error de las peticiones fallidas.",
        details:
          "Revisa primero las alertas de riesgo de datos de la estación: puede que ya se conozca una actualización de cadena o un fallo de sincronización de nodos, con el punto de acceso recomendado. Los proyectos reciben un técnico con un plan de investigación dentro del plazo del plan (1 hora) y la resolución en 4 horas, antes con prioridad por staking o un paquete de emergencia. Si la caída perjudicó a los usuarios de tu evento, pide una compensación de datos en la reclamación.",
        keywords:
          "errores error API datos caída timeout peticiones fallidas evento campaña lanzamiento nodo sincronización proyecto",
      },
      zh: {
        title: "活动期间数据 API 报错",
        answer: "立即把应用切换到备用数据接口，然后提交“数据 API 故障”申请，附上失败请求的时间和错误码。",
        details:
          "先查看服务站发布的数据风险预警：链升级或节点同步异常可能已被发现，并附有推荐接口。项目会在方案时限（1 小时）内得到技术专员的排查方案，4 小时内解决；质押优先通道或应急套餐更快。如果故障影响了活动用户，可在申请中请求数据补偿。",
        keywords: "数据 接口 API 报错 故障 超时 请求失败 活动 节点 同步 项目 跨链",
      },
    },
  },
  {
    slug: "staking-priority",
    claim: null,
    texts: {
      en: {
        title: "How does staking C make my claims faster?",
        answer:
          "Stake C from your wallet to reach the Priority tier: claims you submit after that get SLA deadlines 50% shorter.",
        details:
          "Only stake held through the warm-up period counts, so staking right before a claim does not help: the tier uses the smaller of your stake now and your stake one warm-up ago. A claim keeps the tier it was submitted with. Unstaking lowers your stake at once and starts a cooldown; withdraw when it ends. Higher tiers also get a larger discount when paying for packages in C.",
        keywords: "stake staking priority tier faster quicker SLA deadline channel warm-up cooldown unstake withdraw",
      },
      id: {
        title: "Bagaimana staking C mempercepat klaim saya?",
        answer:
          "Stake C dari dompet Anda untuk mencapai tingkat Prioritas: klaim yang Anda ajukan setelahnya mendapat tenggat SLA 50% lebih singkat.",
        details:
          "Hanya stake yang tersimpan selama masa pemanasan yang dihitung, jadi staking tepat sebelum klaim tidak membantu: tingkat memakai nilai terkecil antara stake Anda sekarang dan stake Anda satu masa pemanasan lalu. Klaim tetap memakai tingkat saat diajukan. Unstake langsung menurunkan stake dan memulai masa tunggu; tarik setelah selesai. Tingkat lebih tinggi juga mendapat diskon lebih besar saat membayar paket dengan C.",
        keywords: "stake staking prioritas tingkat lebih cepat tenggat SLA pemanasan masa tunggu unstake tarik",
      },
      es: {
        title: "¿Cómo hace el staking de C que mis reclamaciones vayan más rápido?",
        answer:
          "Haz staking de C desde tu billetera para llegar al nivel Prioritario: las reclamaciones que presentes después tendrán plazos de SLA un 50% más cortos.",
        details:
          "Solo cuenta el stake mantenido durante el periodo de calentamiento, así que hacer staking justo antes de reclamar no sirve: el nivel usa lo menor entre tu stake actual y el de hace un periodo de calentamiento. Cada reclamación conserva el nivel con el que se presentó. Retirar el stake lo reduce al instante e inicia un periodo de espera; retira los fondos cuando termine. Los niveles más altos también tienen más descuento al pagar paquetes con C.",
        keywords: "staking stake prioridad prioritario nivel más rápido plazo SLA calentamiento espera retirar",
      },
      zh: {
        title: "质押 C 如何让我的申请更快？",
        answer: "在钱包中质押 C 达到优先等级：此后提交的申请 SLA 时限缩短 50%。",
        details:
          "只有持有满预热期的质押才计入，因此临时质押对当下的申请没有帮助：等级取当前质押量与一个预热期之前质押量中的较小者。每笔申请保留提交时的等级。解除质押会立即降低质押量并开始冷却期，冷却结束后才能提取。更高等级用 C 购买套餐时折扣也更大。",
        keywords: "质押 优先 等级 更快 时限 SLA 预热 冷却 解除质押 提取",
      },
    },
  },
  {
    slug: "buy-package",
    claim: null,
    texts: {
      en: {
        title: "How do I buy an emergency package?",
        answer:
          "Choose a package and pay with a stablecoin at full price, or with C at a 30% discount; coverage starts at once, or extends the coverage you already have.",
        details:
          "A package gives your project or store faster response deadlines while it lasts. Paying with C uses the on-chain C/USD price with a maximum payment you set, so you never pay more than you agreed to. You can buy for another address (the beneficiary). Part of every payment funds the compensation pool.",
        keywords:
          "buy purchase emergency package support plan subscription pay stablecoin USDC discount 30% coverage renew extend merchant project",
      },
      id: {
        title: "Bagaimana cara membeli paket darurat?",
        answer:
          "Pilih paket dan bayar dengan stablecoin harga penuh, atau dengan C diskon 30%; perlindungan langsung dimulai, atau memperpanjang perlindungan yang sudah ada.",
        details:
          "Paket memberi proyek atau toko Anda tenggat respons lebih cepat selama masa berlakunya. Pembayaran dengan C memakai harga C/USD on-chain dengan batas pembayaran maksimum yang Anda tetapkan, sehingga Anda tidak pernah membayar lebih dari yang disetujui. Anda bisa membeli untuk alamat lain (penerima manfaat). Sebagian dari setiap pembayaran mengisi pool kompensasi.",
        keywords:
          "beli membeli paket darurat dukungan langganan bayar stablecoin diskon perlindungan perpanjang toko proyek",
      },
      es: {
        title: "¿Cómo compro un paquete de emergencia?",
        answer:
          "Elige un paquete y paga con una stablecoin al precio completo, o con C con un 30% de descuento; la cobertura empieza al instante o amplía la que ya tienes.",
        details:
          "Un paquete da a tu proyecto o tienda plazos de respuesta más rápidos mientras dura. Pagar con C usa el precio C/USD en cadena con un pago máximo que tú fijas, así nunca pagas más de lo aceptado. Puedes comprarlo para otra dirección (el beneficiario). Parte de cada pago financia el fondo de compensación.",
        keywords:
          "comprar compra paquete emergencia plan soporte suscripción pagar stablecoin descuento cobertura renovar tienda proyecto",
      },
      zh: {
        title: "如何购买应急套餐？",
        answer: "选择套餐，用稳定币按原价支付，或用 C 支付享 7 折优惠；保障立即生效，或在现有保障基础上延长。",
        details:
          "套餐在有效期内为你的项目或门店提供更快的响应时限。用 C 支付时按链上 C/USD 价格计算，并有你设定的最高支付额保护，不会多付。可以为其他地址（受益人）购买。每笔付款的一部分会注入补偿资金池。",
        keywords: "购买 应急套餐 支持计划 订阅 支付 稳定币 折扣 保障 续费 门店 项目",
      },
    },
  },
  {
    slug: "incident-payout",
    claim: null,
    texts: {
      en: {
        title: "Am I eligible for an incident payout?",
        answer:
          "Open the incident's page and connect your wallet: if your address is on the incident's list, claim your amount with one transaction.",
        details:
          "After a wide outage the station opens an incident round with a published list of affected accounts and amounts. Payouts open after a short challenge window and stay open until the incident's claim deadline; anyone can submit the claim for you, and the amount always goes to your address. Each entry can be claimed once. If you were affected but are not on the list, file a claim.",
        keywords:
          "incident payout outage compensation eligible eligibility list merkle proof round claim deadline affected users",
      },
      id: {
        title: "Apakah saya berhak atas pembayaran insiden?",
        answer:
          "Buka halaman insiden dan hubungkan dompet Anda: jika alamat Anda ada di daftar insiden, klaim jumlah Anda dengan satu transaksi.",
        details:
          "Setelah gangguan luas, stasiun membuka putaran insiden dengan daftar akun terdampak dan jumlahnya yang dipublikasikan. Pembayaran dibuka setelah masa sanggah singkat dan tetap terbuka hingga tenggat klaim insiden; siapa pun dapat mengirim klaim untuk Anda, dan jumlahnya selalu masuk ke alamat Anda. Setiap entri hanya dapat diklaim sekali. Jika Anda terdampak tetapi tidak ada di daftar, ajukan klaim.",
        keywords: "insiden pembayaran gangguan kompensasi berhak daftar bukti merkle putaran tenggat klaim terdampak",
      },
      es: {
        title: "¿Tengo derecho a un pago por incidente?",
        answer:
          "Abre la página del incidente y conecta tu billetera: si tu dirección está en la lista del incidente, reclama tu importe con una sola transacción.",
        details:
          "Tras una caída amplia, la estación abre una ronda de incidente con una lista publicada de cuentas afectadas e importes. Los pagos se abren tras un breve periodo de impugnación y siguen abiertos hasta el plazo del incidente; cualquiera puede enviar la reclamación por ti y el importe siempre va a tu dirección. Cada entrada se puede cobrar una vez. Si te afectó pero no estás en la lista, presenta una reclamación.",
        keywords: "incidente pago caída apagón corte compensación derecho lista prueba merkle ronda plazo afectados",
      },
      zh: {
        title: "我能领取事故赔付吗？",
        answer: "打开事故页面并连接钱包：如果你的地址在该事故名单上，用一笔交易即可领取你的金额。",
        details:
          "大范围故障后，服务站会开启事故赔付轮次，公布受影响账户及金额名单。短暂的异议期过后开放领取，直到事故领取截止时间；任何人都可以代你提交，金额始终打到你的地址。每条记录只能领取一次。如果你受到影响却不在名单上，请提交申请。",
        keywords: "事故 赔付 故障 补偿 资格 名单 默克尔证明 轮次 截止 受影响",
      },
    },
  },
  {
    slug: "gasless-claim",
    claim: { kind: null },
    texts: {
      en: {
        title: "I have no gas. Can I still file a claim?",
        answer:
          'Yes: choose "sign instead of paying gas" and sign the claim in your wallet; the station\'s relayer submits it and pays the fee.',
        details:
          "Signing costs nothing and moves no funds: the signature authorises this one claim only, until its expiry time. Check the amount and kind your wallet shows before signing. Smart-contract wallets can sign too. Once the relayer's transaction is mined you get the claim's number and its tracking page.",
        keywords: "no gas gasless free signature sign relayer fee ETH newcomer new wallet submit claim without gas",
      },
      id: {
        title: "Saya tidak punya gas. Bisakah tetap mengajukan klaim?",
        answer:
          'Bisa: pilih "tanda tangan tanpa bayar gas" dan tanda tangani klaim di dompet Anda; relayer stasiun mengirimkannya dan membayar biayanya.',
        details:
          "Menandatangani tidak memakan biaya dan tidak memindahkan dana: tanda tangan hanya mengizinkan klaim ini, sampai waktu kedaluwarsanya. Periksa jumlah dan jenis yang ditampilkan dompet sebelum menandatangani. Dompet smart contract juga bisa menandatangani. Setelah transaksi relayer ditambang, Anda mendapat nomor klaim dan halaman pelacakannya.",
        keywords: "tanpa gas gratis tanda tangan relayer biaya pengguna baru dompet baru ajukan klaim",
      },
      es: {
        title: "No tengo gas. ¿Puedo presentar una reclamación?",
        answer:
          'Sí: elige "firmar en lugar de pagar gas" y firma la reclamación en tu billetera; el relayer de la estación la envía y paga la comisión.',
        details:
          "Firmar no cuesta nada ni mueve fondos: la firma solo autoriza esta reclamación, hasta su hora de caducidad. Comprueba el importe y el tipo que muestra tu billetera antes de firmar. Las billeteras de contrato inteligente también pueden firmar. Cuando se mina la transacción del relayer, recibes el número de la reclamación y su página de seguimiento.",
        keywords: "sin gas gratis firma firmar relayer comisión nuevo usuario billetera nueva presentar reclamación",
      },
      zh: {
        title: "我没有 gas，还能提交申请吗？",
        answer: "可以：选择“签名代替支付 gas”，在钱包中签署申请；服务站的中继会代为提交并支付手续费。",
        details:
          "签名不花钱也不转移资金：签名只授权这一笔申请，并在过期时间后失效。签名前请核对钱包显示的金额和类型。智能合约钱包也可以签名。中继交易上链后，你会得到申请编号和跟踪页面。",
        keywords: "没有 gas 免 gas 签名 中继 手续费 新用户 新钱包 提交申请",
      },
    },
  },
  {
    slug: "late-answer",
    claim: null,
    texts: {
      en: {
        title: "My claim missed its deadline. What do I get?",
        answer:
          'Open the claim\'s page: once its response deadline has passed unanswered, press "No answer in time — claim your credit" to be paid the no-response credit at once; the claim stays open.',
        details:
          "Every claim has two deadlines set from your tier and package when it is submitted: a response deadline (10 minutes for users) and a resolution deadline. Unanswered after the first, you can trigger the no-response credit; neither approved nor rejected after the second, the resolution-breach credit. The pool pays them without anyone's goodwill, within limits that stop spam from draining it. An approval that came after the response deadline also adds a late-response credit to the payout. The deadlines and times are on-chain, so the contract, not a person, decides whether they were missed.",
        keywords:
          "late slow no answer no response nobody replied deadline missed breached overdue SLA credit extra compensation waiting too long resolution breach",
      },
      id: {
        title: "Klaim saya melewati tenggat. Apa yang saya dapat?",
        answer:
          'Buka halaman klaim: begitu tenggat respons lewat tanpa jawaban, tekan "Tidak dijawab tepat waktu — klaim kredit Anda" untuk langsung menerima kredit tanpa respons; klaim tetap terbuka.',
        details:
          "Setiap klaim punya dua tenggat yang ditetapkan dari tingkat dan paket Anda saat diajukan: tenggat respons (10 menit untuk pengguna) dan tenggat penyelesaian. Jika belum dijawab setelah yang pertama, Anda bisa memicu kredit tanpa respons; jika belum disetujui atau ditolak setelah yang kedua, kredit pelanggaran penyelesaian. Pool membayarnya tanpa bergantung pada kebaikan siapa pun, dalam batas yang mencegah spam menguras dana. Persetujuan yang datang setelah tenggat respons juga menambahkan kredit keterlambatan pada pembayaran. Tenggat dan waktunya tercatat on-chain, jadi kontrak — bukan orang — yang memutuskan apakah tenggat terlewati.",
        keywords:
          "terlambat lambat tidak dijawab tidak ada respons tenggat lewat terlewati SLA kredit kompensasi tambahan menunggu lama pelanggaran penyelesaian",
      },
      es: {
        title: "Mi reclamación superó su plazo. ¿Qué recibo?",
        answer:
          'Abre la página de la reclamación: cuando su plazo de respuesta haya pasado sin contestación, pulsa "Sin respuesta a tiempo: cobra tu crédito" y recibirás al instante el crédito por falta de respuesta; la reclamación sigue abierta.',
        details:
          "Cada reclamación tiene dos plazos fijados al presentarla según tu nivel y tu paquete: el de respuesta (10 minutos para usuarios) y el de resolución. Sin respuesta tras el primero, puedes activar el crédito por falta de respuesta; sin aprobar ni rechazar tras el segundo, el crédito por incumplimiento de resolución. Los paga el fondo sin depender de la buena voluntad de nadie, con límites que impiden que el spam lo vacíe. Una aprobación que llegó después del plazo de respuesta también suma un crédito por respuesta tardía al pago. Plazos y horas están en la cadena: decide el contrato, no una persona.",
        keywords:
          "tarde tardía lenta sin respuesta nadie contesta plazo vencido incumplido SLA crédito compensación extra esperar demasiado incumplimiento resolución",
      },
      zh: {
        title: "我的申请超过了时限，能得到什么？",
        answer:
          "打开申请页面：响应时限过后仍无人答复，点击“未按时答复——领取补偿”，即可立即获得无响应补偿；申请仍保持打开。",
        details:
          "每笔申请在提交时都会根据你的等级和套餐设定两个时限：响应时限（普通用户 10 分钟）和解决时限。超过前者仍未答复，可以领取无响应补偿；超过后者仍未批准或拒绝，可以领取解决超时补偿。资金池直接支付，不依赖任何人的善意，并设有上限防止刷单掏空资金池。如果批准发生在响应时限之后，赔付还会加上迟到补偿。时限和时间都记录在链上，是否超时由合约而不是人来判断。",
        keywords: "迟到 太慢 没人回复 无人答复 没回应 时限 超时 逾期 SLA 补偿 赔偿 额外 等太久 解决超时",
      },
    },
  },
  {
    slug: "track-claim",
    claim: null,
    texts: {
      en: {
        title: "How do I follow my claim?",
        answer:
          "Open your claim's tracking page with its number: it shows every stage, the deadline that applies and whether it is on track.",
        details:
          'Stages: request received, accepted by customer service, a technician investigating, solution sent with compensation approved, compensation credited — or closed with the reason. A new step shows "pending finality" until the chain has confirmed it enough to be final. All your claims are listed under your wallet address.',
        keywords: "track follow status progress stage where is my claim pending finality confirmation timeline",
      },
      id: {
        title: "Bagaimana cara mengikuti klaim saya?",
        answer:
          "Buka halaman pelacakan klaim dengan nomornya: halaman itu menampilkan setiap tahap, tenggat yang berlaku, dan apakah sesuai jadwal.",
        details:
          'Tahapan: permintaan diterima, diterima layanan pelanggan, teknisi sedang menyelidiki, solusi dikirim dengan kompensasi disetujui, kompensasi dikreditkan — atau ditutup beserta alasannya. Langkah baru menampilkan "menunggu finalitas" sampai chain cukup mengonfirmasinya. Semua klaim Anda tercantum di bawah alamat dompet Anda.',
        keywords: "lacak pelacakan ikuti status kemajuan tahap di mana klaim saya menunggu finalitas konfirmasi",
      },
      es: {
        title: "¿Cómo sigo mi reclamación?",
        answer:
          "Abre la página de seguimiento de tu reclamación con su número: muestra cada etapa, el plazo que se aplica y si va en plazo.",
        details:
          'Etapas: solicitud recibida, aceptada por atención al cliente, un técnico investigando, solución enviada con la compensación aprobada, compensación acreditada, o cerrada con el motivo. Un paso nuevo aparece como "pendiente de finalidad" hasta que la cadena lo confirma lo suficiente. Todas tus reclamaciones aparecen bajo la dirección de tu billetera.',
        keywords: "seguir seguimiento estado progreso etapa dónde está mi reclamación pendiente finalidad confirmación",
      },
      zh: {
        title: "如何跟踪我的申请？",
        answer: "用申请编号打开跟踪页面：页面显示每个阶段、适用的时限以及是否按时进行。",
        details:
          "阶段：已收到请求、客服已受理、技术人员正在调查、解决方案已发送且补偿已批准、补偿已到账，或附原因关闭。新的步骤在链上确认足够之前显示“等待最终确认”。你的所有申请都列在你的钱包地址下。",
        keywords: "跟踪 查询 进度 状态 阶段 我的申请 等待最终确认 确认",
      },
    },
  },
];

/** Every shipped article, in library order: the station's flows, then projects and merchants, then wallet basics. */
export const HELP_ARTICLES: HelpArticle[] = [
  ...FIRST_ARTICLES,
  ...STATION_ARTICLES,
  ...PROJECT_ARTICLES,
  ...WALLET_ARTICLES,
];
