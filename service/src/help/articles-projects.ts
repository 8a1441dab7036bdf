/**
 * What projects and merchants ask beyond a failing API or a stuck redemption tool (those are in
 * ./articles.ts): node synchronisation and backup endpoints, the emergency QR card, event standby.
 */
import type { HelpArticle } from "./types.js";

export const PROJECT_ARTICLES: HelpArticle[] = [
  {
    slug: "node-sync-backup-endpoint",
    claim: { kind: "DataApiOutage" },
    texts: {
      en: {
        title: "Our node is out of sync: which backup endpoint do we use?",
        answer:
          "Point your app at the backup endpoint named in the station's latest data risk alert for your chain, and file a data-API-outage claim if your users were affected.",
        details:
          "Compare your node's latest block with a public explorer: a gap that keeps growing means it has stopped following the chain (often after a chain upgrade). The station's risk alerts announce known upgrades and sync problems with the endpoint to use meanwhile; subscribe to them by webhook so your app can switch by itself. Keep at least two providers in your configuration and health-check them, and re-sync or restore your node from a recent snapshot once the chain is stable.",
        keywords:
          "node sync synchronisation synchronization out of sync behind lagging stuck block height RPC backup endpoint failover fallback provider snapshot chain upgrade hard fork",
      },
      id: {
        title: "Node kami tidak sinkron: endpoint cadangan mana yang dipakai?",
        answer:
          "Arahkan aplikasi ke endpoint cadangan yang disebut dalam peringatan risiko data terbaru dari stasiun untuk chain Anda, dan ajukan klaim gangguan API data jika pengguna Anda terdampak.",
        details:
          "Bandingkan blok terakhir node Anda dengan explorer publik: selisih yang terus membesar berarti node berhenti mengikuti chain (sering setelah peningkatan chain). Peringatan risiko stasiun mengumumkan peningkatan dan masalah sinkronisasi yang diketahui beserta endpoint sementara; berlangganan lewat webhook agar aplikasi bisa beralih sendiri. Simpan setidaknya dua penyedia di konfigurasi dan periksa kesehatannya, lalu sinkronkan ulang atau pulihkan node dari snapshot terbaru setelah chain stabil.",
        keywords:
          "node sinkronisasi tidak sinkron tertinggal macet tinggi blok RPC endpoint cadangan failover penyedia snapshot peningkatan chain hard fork",
      },
      es: {
        title: "Nuestro nodo está desincronizado: ¿qué punto de acceso de respaldo usamos?",
        answer:
          "Apunta tu app al punto de acceso de respaldo que indica la última alerta de riesgo de datos de la estación para tu cadena, y presenta una reclamación por caída de la API de datos si tus usuarios se vieron afectados.",
        details:
          "Compara el último bloque de tu nodo con un explorador público: una diferencia que sigue creciendo significa que dejó de seguir la cadena (a menudo tras una actualización de la cadena). Las alertas de riesgo de la estación anuncian actualizaciones y fallos de sincronización conocidos con el punto de acceso que usar mientras tanto; suscríbete por webhook para que tu app cambie sola. Ten al menos dos proveedores configurados con comprobaciones de salud, y resincroniza o restaura el nodo desde una instantánea reciente cuando la cadena esté estable.",
        keywords:
          "nodo sincronización desincronizado atrasado bloqueado altura de bloque RPC punto de acceso respaldo endpoint conmutación proveedor instantánea actualización de cadena hard fork",
      },
      zh: {
        title: "节点不同步了，该用哪个备用接口？",
        answer:
          "把应用指向服务站最新数据风险预警中为你所在链给出的备用接口；如果用户受到影响，提交“数据 API 故障”申请。",
        details:
          "把你节点的最新区块高度和公共浏览器对比：差距持续拉大说明节点已停止跟链（常见于链升级之后）。服务站的风险预警会公布已知的升级和同步问题以及临时可用的接口；通过 webhook 订阅，应用就能自动切换。配置中至少保留两家服务商并做健康检查，链稳定后再重新同步节点或从最近的快照恢复。",
        keywords: "节点 不同步 同步 落后 卡块 区块高度 RPC 备用节点 备用接口 切换 服务商 快照 链升级 硬分叉",
      },
    },
  },
  {
    slug: "emergency-qr-code",
    claim: null,
    texts: {
      en: {
        title: "How do I get the emergency QR code for my store or project?",
        answer:
          "Open the station's card page for your wallet address (/card/<your address>) and print it: its QR code and short link open the emergency form with your store or project already filled in.",
        details:
          "Put the card by the till or in your app's help screen. When a customer or staff member scans it, the claim records which merchant or project it came from, so the assessor sees it at once. The card is in English, Indonesian, Spanish and Chinese, as SVG or PNG, and needs no sign-up. Sites and cash-register web apps can show the same button with the embeddable emergency button script.",
        keywords:
          "QR code emergency card sticker print printable poster merchant store shop till cash register scan short link embed button widget",
      },
      id: {
        title: "Bagaimana mendapatkan kode QR darurat untuk toko atau proyek saya?",
        answer:
          "Buka halaman kartu stasiun untuk alamat dompet Anda (/card/<alamat Anda>) lalu cetak: kode QR dan tautan pendeknya membuka formulir darurat dengan toko atau proyek Anda sudah terisi.",
        details:
          "Letakkan kartu di dekat kasir atau di layar bantuan aplikasi Anda. Saat pelanggan atau staf memindainya, klaim mencatat dari toko atau proyek mana klaim itu datang, sehingga asesor langsung melihatnya. Kartu tersedia dalam bahasa Inggris, Indonesia, Spanyol, dan Mandarin, sebagai SVG atau PNG, tanpa pendaftaran. Situs dan aplikasi kasir berbasis web bisa menampilkan tombol yang sama dengan skrip tombol darurat yang dapat disematkan.",
        keywords:
          "kode QR kartu darurat stiker cetak poster toko pedagang kasir pindai scan tautan pendek sematkan tombol widget",
      },
      es: {
        title: "¿Cómo consigo el código QR de emergencia para mi tienda o proyecto?",
        answer:
          "Abre la página de tarjeta de la estación para la dirección de tu billetera (/card/<tu dirección>) e imprímela: su código QR y su enlace corto abren el formulario de emergencia con tu tienda o proyecto ya indicado.",
        details:
          "Pon la tarjeta junto a la caja o en la pantalla de ayuda de tu app. Cuando un cliente o un empleado la escanea, la reclamación registra de qué comercio o proyecto viene, y el evaluador lo ve de inmediato. La tarjeta está en inglés, indonesio, español y chino, en SVG o PNG, y no requiere registro. Los sitios y las apps web de caja pueden mostrar el mismo botón con el script del botón de emergencia integrable.",
        keywords:
          "código QR tarjeta de emergencia pegatina imprimir cartel comercio tienda local caja registradora escanear enlace corto integrar botón widget",
      },
      zh: {
        title: "如何为门店或项目获取应急二维码？",
        answer:
          "打开服务站为你钱包地址生成的卡片页面（/card/<你的地址>）并打印：二维码和短链接会打开已填好你门店或项目信息的应急表单。",
        details:
          "把卡片放在收银台旁，或放进应用的帮助页面。顾客或店员扫码后，申请会记录来自哪个商家或项目，评估员一眼就能看到。卡片有英文、印尼文、西班牙文和中文版本，提供 SVG 或 PNG，无需注册。网站和网页版收银系统可以用可嵌入的应急按钮脚本显示同样的按钮。",
        keywords: "二维码 应急卡片 贴纸 打印 海报 商家 门店 收银台 收银系统 扫码 短链接 嵌入 按钮 插件",
      },
    },
  },
  {
    slug: "event-standby",
    claim: null,
    texts: {
      en: {
        title: "Can someone stand by during our event or launch?",
        answer:
          "Buy an emergency package that covers the event's dates for the project's address before the event starts; its claims get the package's faster deadlines.",
        details:
          "Coverage runs from the purchase (or from your current coverage's end) for the package's duration, so buy it a day ahead. During the event, subscribe to the station's data risk alerts by webhook, keep the backup data endpoint configured, and put the emergency card or button where your team and users see it. If something breaks, file the claim from the covered address so the faster deadline applies.",
        keywords:
          "event launch campaign mint drop standby on call on duty support during event coverage reserve peak traffic big day promotion",
      },
      id: {
        title: "Bisakah ada yang siaga selama acara atau peluncuran kami?",
        answer:
          "Beli paket darurat yang mencakup tanggal acara untuk alamat proyek sebelum acara dimulai; klaimnya mendapat tenggat paket yang lebih cepat.",
        details:
          "Perlindungan berlaku sejak pembelian (atau sejak perlindungan Anda saat ini berakhir) selama durasi paket, jadi belilah sehari sebelumnya. Selama acara, berlangganan peringatan risiko data stasiun lewat webhook, siapkan endpoint data cadangan, dan pasang kartu atau tombol darurat di tempat yang terlihat oleh tim dan pengguna. Jika terjadi masalah, ajukan klaim dari alamat yang dilindungi agar tenggat yang lebih cepat berlaku.",
        keywords:
          "acara peluncuran kampanye mint siaga standby jaga dukungan selama acara perlindungan lalu lintas puncak promosi",
      },
      es: {
        title: "¿Puede alguien estar de guardia durante nuestro evento o lanzamiento?",
        answer:
          "Compra, antes de que empiece el evento, un paquete de emergencia que cubra sus fechas para la dirección del proyecto; sus reclamaciones tendrán los plazos más rápidos del paquete.",
        details:
          "La cobertura corre desde la compra (o desde el fin de tu cobertura actual) durante lo que dure el paquete, así que cómpralo un día antes. Durante el evento, suscríbete por webhook a las alertas de riesgo de datos de la estación, deja configurado el punto de acceso de datos de respaldo y pon la tarjeta o el botón de emergencia donde lo vean tu equipo y tus usuarios. Si algo falla, presenta la reclamación desde la dirección cubierta para que se aplique el plazo más rápido.",
        keywords:
          "evento lanzamiento campaña mint guardia disponible soporte durante el evento cobertura reservar tráfico pico promoción",
      },
      zh: {
        title: "活动或上线期间能有人值守吗？",
        answer: "在活动开始前，为项目地址购买覆盖活动日期的应急套餐；其间提交的申请享有套餐更快的时限。",
        details:
          "保障从购买时（或现有保障结束时）开始，持续套餐时长，所以请提前一天购买。活动期间，通过 webhook 订阅服务站的数据风险预警，配置好备用数据接口，并把应急卡片或按钮放在团队和用户看得到的地方。如果出现故障，请从受保障的地址提交申请，以便适用更快的时限。",
        keywords: "活动 上线 发布 营销 铸造 值守 待命 值班 保障 高峰 流量 大促",
      },
    },
  },
];
