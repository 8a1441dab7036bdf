/**
 * Wallet basics for newcomers: what the field's own list says people ask before they ever file a
 * claim (seed phrases, gas, confirmations, stuck transactions, wrong networks, approvals, scams).
 * Each article's answer is the one step to take first.
 */
import type { HelpArticle } from "./types.js";

export const WALLET_ARTICLES: HelpArticle[] = [
  {
    slug: "seed-phrase-backup",
    claim: null,
    texts: {
      en: {
        title: "How do I create and back up my seed phrase?",
        answer:
          "Write the 12 or 24 words on paper, in order, the moment your wallet shows them, and keep that paper somewhere safe and offline — never in a photo, a cloud note or a chat.",
        details:
          "The seed phrase (recovery phrase, secret words) is your wallet: anyone who has it can take everything, and nobody — not the wallet's maker, not the station — can give it back if it is lost. Check the backup by restoring the wallet from it on a second device or in the wallet's 'verify backup' step. Consider two copies in two places, or a metal plate against fire and water. No support agent will ever ask for it.",
        keywords:
          "seed phrase recovery phrase mnemonic secret words 12 24 words backup back up save store write down new wallet create wallet private key",
      },
      id: {
        title: "Bagaimana membuat dan mencadangkan frasa pemulihan (seed phrase)?",
        answer:
          "Tulis 12 atau 24 kata itu di kertas, berurutan, saat dompet menampilkannya, lalu simpan kertasnya di tempat aman dan offline — jangan difoto, disimpan di catatan cloud, atau dikirim lewat chat.",
        details:
          "Frasa pemulihan (seed phrase, kata rahasia) adalah dompet Anda: siapa pun yang memilikinya bisa mengambil semuanya, dan tidak ada yang bisa mengembalikannya jika hilang — bukan pembuat dompet, bukan stasiun. Uji cadangan dengan memulihkan dompet di perangkat kedua atau lewat langkah 'verifikasi cadangan'. Simpan dua salinan di dua tempat, atau pelat logam agar tahan api dan air. Petugas mana pun tidak akan pernah memintanya.",
        keywords:
          "frasa pemulihan seed phrase kata rahasia mnemonik 12 24 kata cadangan backup simpan catat buat dompet baru kunci pribadi",
      },
      es: {
        title: "¿Cómo creo y guardo mi frase semilla?",
        answer:
          "Escribe las 12 o 24 palabras en papel, en orden, en cuanto tu billetera te las muestre, y guarda ese papel en un lugar seguro y sin conexión: nunca en una foto, una nota en la nube o un chat.",
        details:
          "La frase semilla (frase de recuperación, palabras secretas) es tu billetera: quien la tenga puede llevarse todo, y nadie —ni el fabricante de la billetera ni la estación— puede devolvértela si la pierdes. Comprueba la copia restaurando la billetera en otro dispositivo o con el paso 'verificar copia'. Piensa en dos copias en dos lugares, o en una placa de metal contra fuego y agua. Ningún agente de soporte te la pedirá jamás.",
        keywords:
          "frase semilla frase de recuperación palabras secretas mnemónica 12 24 palabras copia de seguridad respaldo guardar anotar crear billetera nueva clave privada",
      },
      zh: {
        title: "如何创建并备份助记词？",
        answer:
          "钱包显示助记词时，立刻按顺序把 12 或 24 个单词抄在纸上，放在安全的离线地方——不要拍照、不要存云笔记、不要发聊天。",
        details:
          "助记词（恢复短语、私钥单词）就是你的钱包：谁拿到它就能转走全部资产；一旦丢失，没有人能帮你找回——钱包厂商不能，服务站也不能。可以在另一台设备上用它恢复钱包，或通过钱包的“验证备份”步骤检查是否抄对。建议两个地方各放一份，或用金属板防火防水。任何客服都不会向你索要助记词。",
        keywords: "助记词 恢复短语 私钥 备份 抄写 保存 新建钱包 创建钱包 12个单词 24个单词 密语",
      },
    },
  },
  {
    slug: "lost-seed-phrase",
    claim: null,
    texts: {
      en: {
        title: "I lost my seed phrase. Can anyone recover it?",
        answer:
          "No one can recover a lost seed phrase — not the wallet's maker, not the station. If the wallet still opens on a device, move your funds to a new wallet with a fresh, backed-up phrase today.",
        details:
          "A self-custody wallet has no 'forgot password' button: the phrase is the only key. While the app is still unlocked with its password or fingerprint, create a new wallet, write its phrase down, and send everything (C, tokens, NFTs, stake after unstaking) there. If the wallet no longer opens and you have no phrase, the funds are out of reach. Anyone who offers to 'recover' it for a fee is running a scam.",
        keywords:
          "lost forgot seed phrase recovery phrase mnemonic words reset recover restore wallet access locked out password forgot cannot open",
      },
      id: {
        title: "Frasa pemulihan saya hilang. Bisakah dipulihkan?",
        answer:
          "Tidak ada yang bisa memulihkan frasa pemulihan yang hilang — bukan pembuat dompet, bukan stasiun. Jika dompet masih terbuka di perangkat, pindahkan dana ke dompet baru dengan frasa baru yang sudah dicadangkan hari ini juga.",
        details:
          "Dompet mandiri tidak punya tombol 'lupa kata sandi': frasa itulah satu-satunya kunci. Selama aplikasi masih bisa dibuka dengan kata sandi atau sidik jari, buat dompet baru, catat frasanya, lalu kirim semuanya (C, token, NFT, stake setelah unstake) ke sana. Jika dompet tidak lagi terbuka dan frasa tidak ada, dana tidak dapat dijangkau. Siapa pun yang menawarkan 'pemulihan' berbayar adalah penipu.",
        keywords:
          "hilang lupa frasa pemulihan seed phrase kata rahasia pulihkan reset akses dompet terkunci kata sandi tidak bisa buka",
      },
      es: {
        title: "Perdí mi frase semilla. ¿Alguien puede recuperarla?",
        answer:
          "Nadie puede recuperar una frase semilla perdida, ni el fabricante de la billetera ni la estación. Si la billetera aún se abre en algún dispositivo, pasa hoy tus fondos a una billetera nueva con una frase nueva y bien guardada.",
        details:
          "Una billetera propia no tiene botón de 'olvidé mi contraseña': la frase es la única llave. Mientras la app siga abriéndose con su contraseña o huella, crea una billetera nueva, anota su frase y envía allí todo (C, tokens, NFT, el stake tras retirarlo). Si la billetera ya no abre y no tienes la frase, los fondos quedan fuera de alcance. Quien ofrezca 'recuperarla' a cambio de dinero es un estafador.",
        keywords:
          "perdí perdida olvidé frase semilla frase de recuperación palabras recuperar restablecer acceso billetera bloqueada contraseña no abre",
      },
      zh: {
        title: "助记词丢了，有人能帮我找回吗？",
        answer:
          "丢失的助记词没有任何人能找回——钱包厂商不能，服务站也不能。如果钱包在某台设备上还能打开，请今天就把资产转到一个新钱包，并备份好新的助记词。",
        details:
          "自托管钱包没有“忘记密码”按钮：助记词是唯一的钥匙。趁应用还能用密码或指纹解锁，新建一个钱包、抄好它的助记词，再把所有资产（C、代币、NFT、解除质押后的质押）转过去。如果钱包已经打不开又没有助记词，资产就无法取回。任何声称可以付费“恢复”的人都是骗子。",
        keywords: "助记词 丢失 忘记 找回 恢复 重置 钱包 打不开 密码 私钥 丢了",
      },
    },
  },
  {
    slug: "gas-fees",
    claim: { kind: null },
    texts: {
      en: {
        title: "What are gas fees and why do I pay them?",
        answer:
          "Keep a little of the network's native coin in your wallet to pay gas; to file a claim without any, choose 'sign instead of paying gas' and the station pays it.",
        details:
          "Gas is the fee the network charges to process a transaction; it goes to the network, not to the station or the app. It is paid in the chain's own coin (for example ETH), not in C, and it rises when the network is busy — waiting for a quieter hour often makes it cheaper. A transaction that fails still uses some gas. Your wallet shows the fee before you confirm; if it looks far too high, do not confirm.",
        keywords:
          "gas fee fees network fee transaction cost expensive high price gwei ETH native coin pay commission why so much",
      },
      id: {
        title: "Apa itu biaya gas dan kenapa saya harus membayarnya?",
        answer:
          "Simpan sedikit koin asli jaringan di dompet untuk membayar gas; untuk mengajukan klaim tanpa gas sama sekali, pilih 'tanda tangani tanpa membayar gas' dan stasiun yang membayarnya.",
        details:
          "Gas adalah biaya yang ditarik jaringan untuk memproses transaksi; biaya ini masuk ke jaringan, bukan ke stasiun atau aplikasi. Gas dibayar dengan koin asli chain (misalnya ETH), bukan dengan C, dan naik saat jaringan ramai — menunggu jam yang lebih sepi sering membuatnya lebih murah. Transaksi yang gagal tetap memakai sebagian gas. Dompet menampilkan biaya sebelum Anda konfirmasi; jika terlihat terlalu mahal, jangan konfirmasi.",
        keywords: "gas biaya ongkos transaksi jaringan mahal tinggi gwei ETH koin asli bayar fee komisi kenapa",
      },
      es: {
        title: "¿Qué es el gas y por qué tengo que pagarlo?",
        answer:
          "Deja un poco de la moneda nativa de la red en tu billetera para pagar el gas; para presentar una reclamación sin nada de gas, elige 'firmar en vez de pagar gas' y lo paga la estación.",
        details:
          "El gas es la comisión que cobra la red por procesar una transacción; va a la red, no a la estación ni a la app. Se paga con la moneda propia de la cadena (por ejemplo ETH), no con C, y sube cuando la red está congestionada: esperar a una hora más tranquila suele abaratarlo. Una transacción fallida también consume gas. Tu billetera muestra la comisión antes de confirmar; si parece exagerada, no confirmes.",
        keywords: "gas comisión comisiones tarifa red costo transacción caro alto precio gwei ETH moneda nativa pagar",
      },
      zh: {
        title: "什么是 Gas 费，为什么要付？",
        answer:
          "在钱包里留一点该网络的原生币来支付 Gas；如果完全没有，提交申请时选择“签名代替支付 Gas”，由服务站代付。",
        details:
          "Gas 是网络处理交易收取的手续费，归网络所有，而不是服务站或应用。它用链的原生币（例如 ETH）支付，不是用 C，网络拥堵时会上涨——换个不忙的时段往往更便宜。失败的交易同样会消耗部分 Gas。钱包在确认前会显示费用；如果高得离谱，请不要确认。",
        keywords: "gas费 手续费 矿工费 网络费 交易费用 太贵 很贵 gwei ETH 原生币 燃料费",
      },
    },
  },
  {
    slug: "block-confirmations",
    claim: null,
    texts: {
      en: {
        title: "What are block confirmations, and how many do I need?",
        answer:
          "Wait until your wallet or the explorer shows the transaction as confirmed; the station marks a step 'pending finality' until enough blocks follow it, then shows it as final.",
        details:
          "A transaction is confirmed once it is inside a block; each block added after it is one more confirmation and makes it harder to undo. Small amounts are usually safe after a few confirmations; exchanges and the station wait longer for large ones. Until then a status can, rarely, change back — that is why the tracking page says 'pending finality'. If a transaction stays unconfirmed for long, see the article on pending transactions.",
        keywords:
          "block confirmation confirmations confirmed finality final finalised reorg how long wait safe settled explorer",
      },
      id: {
        title: "Apa itu konfirmasi blok dan berapa yang saya perlukan?",
        answer:
          "Tunggu sampai dompet atau explorer menunjukkan transaksi terkonfirmasi; stasiun menandai langkah sebagai 'menunggu finalitas' sampai cukup blok menyusul, lalu menampilkannya final.",
        details:
          "Transaksi terkonfirmasi begitu masuk ke dalam blok; setiap blok berikutnya menambah satu konfirmasi dan membuatnya makin sulit dibatalkan. Jumlah kecil biasanya aman setelah beberapa konfirmasi; bursa dan stasiun menunggu lebih lama untuk jumlah besar. Sampai saat itu status bisa, walau jarang, berubah kembali — karena itu halaman pelacakan menulis 'menunggu finalitas'. Jika transaksi lama tidak terkonfirmasi, lihat artikel transaksi tertunda.",
        keywords: "konfirmasi blok terkonfirmasi finalitas final reorg berapa lama tunggu aman explorer",
      },
      es: {
        title: "¿Qué son las confirmaciones de bloque y cuántas necesito?",
        answer:
          "Espera a que tu billetera o el explorador muestre la transacción como confirmada; la estación marca un paso como 'pendiente de finalidad' hasta que lo sigan bloques suficientes y luego lo muestra como definitivo.",
        details:
          "Una transacción queda confirmada cuando entra en un bloque; cada bloque que se añade después es una confirmación más y la hace más difícil de deshacer. Para importes pequeños suelen bastar unas pocas; los exchanges y la estación esperan más para los grandes. Hasta entonces un estado puede, rara vez, revertirse: por eso la página de seguimiento dice 'pendiente de finalidad'. Si una transacción tarda mucho en confirmarse, mira el artículo de transacciones pendientes.",
        keywords:
          "confirmación confirmaciones bloque bloques confirmada finalidad definitiva reorg cuánto esperar segura explorador",
      },
      zh: {
        title: "什么是区块确认？需要几个确认？",
        answer:
          "等钱包或区块浏览器显示交易“已确认”；在后续区块足够之前，服务站会把该步骤标为“等待最终确认”，之后才显示为最终状态。",
        details:
          "交易被打包进区块即获得一次确认，此后每多一个区块就多一次确认，越难被回滚。小额通常几个确认就安全；交易所和服务站对大额会等待更久。在此之前状态有极小可能回退——所以跟踪页面会显示“等待最终确认”。如果交易长时间未确认，请看“交易卡住或失败”一文。",
        keywords: "区块确认 确认数 几个确认 已确认 最终性 回滚 等多久 到账 浏览器",
      },
    },
  },
  {
    slug: "stuck-or-failed-transaction",
    claim: { kind: null },
    texts: {
      en: {
        title: "My transaction is pending for ages, or it failed",
        answer:
          "Look the transaction hash up in the block explorer: if it is still pending, use your wallet's 'speed up' (or 'cancel'); if it failed, read the reason shown there before trying again.",
        details:
          "A transaction waits when its gas price is below what the network currently takes; later transactions from the same wallet queue behind it. Speeding up resends it with the same nonce and a higher fee. A failed (reverted) transaction changed nothing except the gas it used, which is not refunded — the explorer or the station's error message names the reason, such as an expired deadline or too small an allowance. If a station step failed and you lost money by it, file a claim with the hash.",
        keywords:
          "pending stuck transaction tx not confirmed waiting slow speed up cancel replace nonce failed reverted error dropped unsuccessful gas lost hash",
      },
      id: {
        title: "Transaksi saya tertunda lama, atau gagal",
        answer:
          "Cari hash transaksinya di block explorer: jika masih tertunda, pakai 'percepat' (atau 'batalkan') di dompet; jika gagal, baca alasan yang tertulis di sana sebelum mencoba lagi.",
        details:
          "Transaksi menunggu bila harga gasnya di bawah yang sedang diterima jaringan; transaksi berikutnya dari dompet yang sama ikut mengantre di belakangnya. 'Percepat' mengirim ulang dengan nonce yang sama dan biaya lebih tinggi. Transaksi gagal (revert) tidak mengubah apa pun kecuali gas yang terpakai, dan gas itu tidak dikembalikan — explorer atau pesan galat stasiun menyebutkan alasannya, misalnya tenggat kedaluwarsa atau izin token terlalu kecil. Jika langkah di stasiun gagal dan Anda rugi karenanya, ajukan klaim dengan hash-nya.",
        keywords:
          "tertunda pending macet nyangkut transaksi tx belum terkonfirmasi lama percepat batalkan nonce gagal revert error hilang gas hash",
      },
      es: {
        title: "Mi transacción lleva siglos pendiente, o falló",
        answer:
          "Busca el hash de la transacción en el explorador de bloques: si sigue pendiente, usa 'acelerar' (o 'cancelar') en tu billetera; si falló, lee allí el motivo antes de reintentar.",
        details:
          "Una transacción espera cuando su precio de gas está por debajo de lo que la red acepta en ese momento; las siguientes de la misma billetera se ponen en cola detrás. Acelerar la reenvía con el mismo nonce y una comisión mayor. Una transacción fallida (revertida) no cambió nada salvo el gas que consumió, que no se devuelve: el explorador o el mensaje de error de la estación indica el motivo, como un plazo vencido o un permiso de gasto insuficiente. Si falló un paso de la estación y perdiste dinero por ello, presenta una reclamación con el hash.",
        keywords:
          "pendiente atascada transacción tx sin confirmar esperando lenta acelerar cancelar reemplazar nonce fallida falló revertida error gas perdido hash",
      },
      zh: {
        title: "交易一直卡在待处理，或者失败了",
        answer:
          "在区块浏览器里查这笔交易的哈希：如果仍在待处理，用钱包的“加速”（或“取消”）；如果失败了，先看清那里显示的原因再重试。",
        details:
          "当交易的 Gas 价格低于网络当前接受的水平时，它就会等待，同一钱包之后的交易也会排在它后面。“加速”会用相同的 nonce 和更高的费用重新发送。失败（回滚）的交易除了消耗的 Gas 外不会改变任何东西，Gas 也不会退还——浏览器或服务站的错误提示会写明原因，例如截止时间已过或授权额度不足。如果服务站某一步失败让你受到损失，请附上交易哈希提交申请。",
        keywords: "交易 卡住 待处理 等待中 未确认 一直转圈 加速 取消 nonce 失败 回滚 报错 gas 扣了 哈希",
      },
    },
  },
  {
    slug: "wrong-network",
    claim: null,
    texts: {
      en: {
        title: "I sent tokens on the wrong network",
        answer:
          "Do not send more. Add the network you sent on to your wallet (same address, same seed phrase) and check whether the tokens are there.",
        details:
          "An address is usually the same on every EVM network, so tokens sent on the wrong chain often sit at your address on that chain: switch the wallet to it and add the token. If you sent to an exchange or a contract that does not support that chain, only its operator can return them — contact them with the transaction hash. The station cannot move tokens on another chain, and anyone promising to 'bridge them back' for a fee is a scammer.",
        keywords:
          "wrong network wrong chain sent to wrong chain BSC BNB Polygon Arbitrum Ethereum mainnet transfer missing tokens disappeared bridge switch network",
      },
      id: {
        title: "Saya mengirim token di jaringan yang salah",
        answer:
          "Jangan kirim lagi. Tambahkan jaringan tempat Anda mengirim ke dompet Anda (alamat sama, frasa pemulihan sama), lalu periksa apakah tokennya ada di sana.",
        details:
          "Alamat biasanya sama di semua jaringan EVM, jadi token yang terkirim di chain yang salah sering berada di alamat Anda di chain itu: alihkan dompet ke jaringan tersebut dan tambahkan tokennya. Jika Anda mengirim ke bursa atau kontrak yang tidak mendukung chain itu, hanya pengelolanya yang bisa mengembalikan — hubungi mereka dengan hash transaksinya. Stasiun tidak bisa memindahkan token di chain lain, dan siapa pun yang menjanjikan 'menjembatani kembali' dengan bayaran adalah penipu.",
        keywords:
          "salah jaringan salah chain salah kirim BSC BNB Polygon Arbitrum Ethereum transfer token hilang bridge ganti jaringan",
      },
      es: {
        title: "Envié tokens por la red equivocada",
        answer:
          "No envíes más. Añade a tu billetera la red por la que enviaste (misma dirección, misma frase semilla) y comprueba si los tokens están allí.",
        details:
          "Una dirección suele ser la misma en todas las redes EVM, así que los tokens enviados por la cadena equivocada a menudo están en tu dirección en esa cadena: cambia la billetera a esa red y añade el token. Si los enviaste a un exchange o a un contrato que no admite esa cadena, solo su operador puede devolverlos: escríbele con el hash de la transacción. La estación no puede mover tokens en otra cadena, y quien prometa 'devolverlos por un puente' a cambio de dinero es un estafador.",
        keywords:
          "red equivocada red incorrecta cadena equivocada envié mal BSC BNB Polygon Arbitrum Ethereum transferencia tokens perdidos desaparecieron puente cambiar red",
      },
      zh: {
        title: "我把代币转错了网络",
        answer: "先别再转。在钱包里添加你转账时用的那条网络（同一地址、同一助记词），看看代币是否在那里。",
        details:
          "EVM 网络上的地址通常是一样的，所以转错链的代币往往就在你在那条链上的地址里：把钱包切换到那条网络并添加该代币即可。如果转到了不支持该链的交易所或合约，只有其运营方能退回——请带上交易哈希联系他们。服务站无法在其他链上移动代币；任何声称付费就能“跨链找回”的人都是骗子。",
        keywords: "转错链 转错网络 选错网络 链错了 BSC BNB Polygon Arbitrum 以太坊 币不见了 跨链桥 切换网络 找回",
      },
    },
  },
  {
    slug: "token-approvals",
    claim: null,
    texts: {
      en: {
        title: "Token approvals: what they are and how to revoke them",
        answer:
          "Open your wallet's token-approvals list (or a revoke page you reach from your wallet, not from a link someone sent), and set to zero every allowance you no longer need.",
        details:
          "An approval (allowance) lets a contract move up to a set amount of one of your tokens without asking again; an 'unlimited' approval to a malicious contract can empty that token. Approve only the amount you are about to spend — the station's package purchase asks for exactly the price. Revoking is a transaction and costs a little gas. Approvals are different from a data authorisation, which you cancel in the data app.",
        keywords:
          "token approval approvals allowance unlimited approve spender revoke remove permission contract spend setApprovalForAll NFT drain",
      },
      id: {
        title: "Persetujuan token: apa itu dan bagaimana mencabutnya",
        answer:
          "Buka daftar persetujuan token di dompet Anda (atau halaman revoke yang Anda buka dari dompet, bukan dari tautan kiriman orang), lalu nolkan setiap izin yang tidak lagi Anda perlukan.",
        details:
          "Persetujuan (allowance) membuat kontrak bisa memindahkan token Anda hingga jumlah tertentu tanpa bertanya lagi; persetujuan 'tak terbatas' ke kontrak jahat bisa menguras token itu. Setujui hanya jumlah yang akan Anda belanjakan — pembelian paket di stasiun meminta tepat sebesar harganya. Mencabut adalah transaksi dan memakai sedikit gas. Persetujuan token berbeda dengan otorisasi data, yang dibatalkan di aplikasi data.",
        keywords:
          "persetujuan token izin approve allowance tak terbatas unlimited cabut revoke hapus kontrak belanja NFT dikuras",
      },
      es: {
        title: "Aprobaciones de tokens: qué son y cómo revocarlas",
        answer:
          "Abre la lista de aprobaciones de tokens de tu billetera (o una página de revocación a la que llegues desde tu billetera, no desde un enlace que te enviaron) y pon a cero cada permiso que ya no necesites.",
        details:
          "Una aprobación (permiso de gasto, allowance) deja que un contrato mueva hasta cierta cantidad de uno de tus tokens sin volver a preguntar; una aprobación 'ilimitada' a un contrato malicioso puede vaciar ese token. Aprueba solo lo que vas a gastar: la compra de paquetes de la estación pide exactamente el precio. Revocar es una transacción y cuesta un poco de gas. Las aprobaciones no son lo mismo que una autorización de datos, que se cancela en la app de datos.",
        keywords:
          "aprobación aprobaciones permiso de gasto allowance ilimitada aprobar revocar quitar permiso contrato gastar NFT vaciar",
      },
      zh: {
        title: "代币授权是什么，怎么撤销？",
        answer:
          "打开钱包的代币授权列表（或从钱包里进入的撤销页面，不要用别人发来的链接），把不再需要的授权额度都改为零。",
        details:
          "授权（额度）允许某个合约在不再询问你的情况下转走你某种代币的一定数量；给恶意合约的“无限授权”可以把这种代币清空。只授权你马上要花的数额——服务站购买套餐时只请求恰好等于价格的额度。撤销本身是一笔交易，要花少量 Gas。代币授权与数据授权不同，后者在数据应用里取消。",
        keywords: "代币授权 授权额度 无限授权 approve 撤销授权 取消额度 合约 权限 NFT 被盗 清空",
      },
    },
  },
  {
    slug: "connect-wallet",
    claim: null,
    texts: {
      en: {
        title: "How do I connect my wallet to the page?",
        answer:
          "Press 'Connect wallet' on the page, pick your wallet from the list it shows, and approve the connection in the wallet; check the address bar shows the station's real address first.",
        details:
          "The page finds the wallets installed in your browser by their standard announcement (EIP-6963), so several wallets can live side by side. Connecting only shares your address; it cannot move funds. If nothing appears, unlock the wallet, refresh the page, and on a phone open the page inside the wallet app's browser. If the wallet asks to switch network, accept the station's network. Disconnect from the wallet's 'connected sites' when you are done on a shared computer.",
        keywords:
          "connect wallet login sign in MetaMask Rabby Coinbase WalletConnect browser extension mobile not connecting no wallet found button switch network",
      },
      id: {
        title: "Bagaimana menghubungkan dompet ke halaman ini?",
        answer:
          "Tekan 'Hubungkan dompet' di halaman, pilih dompet Anda dari daftar yang muncul, dan setujui koneksinya di dompet; pastikan dulu bilah alamat menunjukkan alamat asli stasiun.",
        details:
          "Halaman menemukan dompet yang terpasang di peramban lewat pengumuman standarnya (EIP-6963), jadi beberapa dompet bisa dipasang bersamaan. Menghubungkan hanya membagikan alamat Anda; tidak bisa memindahkan dana. Jika tidak ada yang muncul, buka kunci dompet, muat ulang halaman, dan di ponsel buka halaman dari peramban di dalam aplikasi dompet. Jika dompet meminta ganti jaringan, terima jaringan stasiun. Putuskan koneksi di 'situs terhubung' setelah selesai di komputer bersama.",
        keywords:
          "hubungkan sambungkan konek dompet masuk login MetaMask WalletConnect ekstensi peramban ponsel tidak bisa terhubung ganti jaringan",
      },
      es: {
        title: "¿Cómo conecto mi billetera a la página?",
        answer:
          "Pulsa 'Conectar billetera' en la página, elige tu billetera en la lista que aparece y aprueba la conexión en ella; antes, comprueba que la barra de direcciones muestra la dirección real de la estación.",
        details:
          "La página encuentra las billeteras instaladas en tu navegador por su anuncio estándar (EIP-6963), así que pueden convivir varias. Conectar solo comparte tu dirección; no puede mover fondos. Si no aparece nada, desbloquea la billetera, recarga la página y, en el móvil, ábrela desde el navegador de la app de la billetera. Si la billetera pide cambiar de red, acepta la red de la estación. En un ordenador compartido, desconéctate en 'sitios conectados' al terminar.",
        keywords:
          "conectar billetera cartera wallet iniciar sesión MetaMask WalletConnect extensión navegador móvil no conecta no aparece cambiar red",
      },
      zh: {
        title: "如何把钱包连接到页面？",
        answer:
          "点击页面上的“连接钱包”，从列表中选择你的钱包，并在钱包里确认连接；之前先确认地址栏里是服务站的真实网址。",
        details:
          "页面通过标准的钱包公告（EIP-6963）发现浏览器里安装的钱包，多个钱包可以并存。连接只会共享你的地址，不能转走资产。如果什么都没出现，请解锁钱包、刷新页面；在手机上请从钱包 App 的内置浏览器打开页面。如果钱包提示切换网络，请切换到服务站的网络。在公用电脑上用完后，请在钱包的“已连接网站”中断开。",
        keywords: "连接钱包 登录 小狐狸 MetaMask WalletConnect 插件 浏览器 手机 连不上 没反应 找不到钱包 切换网络",
      },
    },
  },
  {
    slug: "hardware-wallet",
    claim: null,
    texts: {
      en: {
        title: "Should I use a hardware wallet?",
        answer:
          "If you hold more than you could bear to lose, yes: buy one new from the maker's own shop, set it up yourself, and write its seed phrase on paper.",
        details:
          "A hardware wallet keeps the keys on a small device and shows each transaction on its own screen, so malware on your computer cannot sign for you. It works with the page and the CLI like any other wallet: connect through your browser wallet and confirm on the device. Never use a device that arrives with a seed phrase already written or set up, and never type its phrase into a computer or phone.",
        keywords: "hardware wallet cold wallet cold storage Ledger Trezor device secure safer offline keys USB",
      },
      id: {
        title: "Perlukah saya memakai dompet perangkat keras (hardware wallet)?",
        answer:
          "Jika Anda menyimpan lebih dari yang sanggup Anda relakan hilang, ya: beli baru dari toko resmi pembuatnya, atur sendiri, dan tulis frasa pemulihannya di kertas.",
        details:
          "Hardware wallet menyimpan kunci di perangkat kecil dan menampilkan setiap transaksi di layarnya sendiri, sehingga malware di komputer tidak bisa menandatangani atas nama Anda. Perangkat ini bekerja dengan halaman dan CLI seperti dompet lain: hubungkan lewat dompet peramban dan konfirmasi di perangkat. Jangan pernah memakai perangkat yang datang dengan frasa pemulihan sudah tertulis atau sudah diatur, dan jangan mengetik frasanya di komputer atau ponsel.",
        keywords:
          "hardware wallet dompet perangkat keras dompet dingin cold wallet Ledger Trezor perangkat aman offline kunci USB",
      },
      es: {
        title: "¿Debería usar una billetera física (hardware wallet)?",
        answer:
          "Si guardas más de lo que podrías permitirte perder, sí: cómprala nueva en la tienda oficial del fabricante, configúrala tú mismo y anota su frase semilla en papel.",
        details:
          "Una billetera física guarda las claves en un pequeño dispositivo y muestra cada transacción en su propia pantalla, así que un malware en tu ordenador no puede firmar por ti. Funciona con la página y la CLI como cualquier otra billetera: conéctala a través de tu billetera del navegador y confirma en el dispositivo. Nunca uses un dispositivo que llegue con una frase ya escrita o ya configurado, y nunca escribas su frase en un ordenador o un móvil.",
        keywords:
          "billetera física hardware wallet billetera fría almacenamiento en frío Ledger Trezor dispositivo seguro sin conexión claves USB",
      },
      zh: {
        title: "我应该用硬件钱包吗？",
        answer:
          "如果你持有的资产多到丢了会承受不起，就应该用：从厂商官方商店买全新的，自己初始化，并把助记词抄在纸上。",
        details:
          "硬件钱包把私钥保存在一个小设备里，并在设备自己的屏幕上显示每笔交易，电脑上的恶意软件无法替你签名。它和其他钱包一样可以配合页面和 CLI 使用：通过浏览器钱包连接，在设备上确认。绝不要使用到手时已经附带助记词或已被初始化的设备，也绝不要把它的助记词输入电脑或手机。",
        keywords: "硬件钱包 冷钱包 冷存储 Ledger Trezor 设备 更安全 离线 私钥 U盾",
      },
    },
  },
  {
    slug: "wallet-stolen",
    claim: { kind: null },
    texts: {
      en: {
        title: "My wallet was hacked and funds are gone",
        answer:
          "Create a new wallet with a new seed phrase on a clean device right now, and move whatever is left there; then revoke the old wallet's token approvals.",
        details:
          "Assume the old seed phrase is known to the thief: anything that arrives at that address can be taken again, including rewards, so point your data authorisations and rewards to the new address. Transactions on a blockchain cannot be reversed, by the station or anyone else; anyone who promises to 'recover' stolen crypto for a fee is a second scam. Keep the thief's transaction hashes, report them to the exchange they were sent to, and file a claim if the loss came through a station or data-network service.",
        keywords:
          "hacked stolen drained compromised wallet emptied theft thief lost all funds gone missing tokens someone took my crypto scammed",
      },
      id: {
        title: "Dompet saya diretas dan dana hilang",
        answer:
          "Buat dompet baru dengan frasa pemulihan baru di perangkat yang bersih sekarang juga, dan pindahkan sisa dana ke sana; lalu cabut persetujuan token dompet lama.",
        details:
          "Anggap frasa pemulihan lama sudah diketahui pencuri: apa pun yang masuk ke alamat itu bisa diambil lagi, termasuk hadiah, jadi arahkan otorisasi data dan hadiah Anda ke alamat baru. Transaksi di blockchain tidak bisa dibatalkan, oleh stasiun maupun siapa pun; siapa pun yang menjanjikan 'memulihkan' kripto curian dengan bayaran adalah penipuan kedua. Simpan hash transaksi pencuri, laporkan ke bursa tujuan dananya, dan ajukan klaim jika kerugian terjadi lewat layanan stasiun atau jaringan data.",
        keywords:
          "diretas dibobol dicuri dikuras dompet kosong pencurian maling dana hilang semua token lenyap kena hack kena tipu",
      },
      es: {
        title: "Me hackearon la billetera y los fondos desaparecieron",
        answer:
          "Crea ahora mismo una billetera nueva con una frase semilla nueva en un dispositivo limpio y pasa allí lo que quede; después revoca las aprobaciones de tokens de la billetera vieja.",
        details:
          "Da por hecho que el ladrón conoce la frase semilla vieja: todo lo que llegue a esa dirección se lo puede llevar otra vez, recompensas incluidas, así que apunta tus autorizaciones de datos y recompensas a la dirección nueva. Las transacciones en una blockchain no se pueden revertir, ni la estación ni nadie; quien prometa 'recuperar' cripto robada a cambio de dinero es una segunda estafa. Guarda los hashes de las transacciones del ladrón, denúncialas al exchange al que enviaron los fondos y presenta una reclamación si la pérdida vino por un servicio de la estación o de la red de datos.",
        keywords:
          "hackeada hackearon robada robaron vaciaron billetera comprometida robo ladrón perdí todo fondos desaparecidos tokens me estafaron",
      },
      zh: {
        title: "钱包被盗，资产没了",
        answer: "立刻在一台干净的设备上用新助记词创建新钱包，把剩余资产转过去；然后撤销旧钱包的代币授权。",
        details:
          "要假定旧助记词已被盗贼掌握：之后进入该地址的任何资产（包括奖励）都可能再次被转走，所以请把数据授权和奖励地址改到新地址。区块链上的交易无法撤回，服务站和任何人都做不到；声称付费就能“追回”被盗币的人是第二场骗局。保存盗贼的交易哈希，向资金流入的交易所举报；如果损失是通过服务站或数据网络的服务发生的，请提交申请。",
        keywords: "钱包被盗 被盗 被黑 被转走 资产没了 币没了 清空 盗币 黑客 被骗 丢币",
      },
    },
  },
  {
    slug: "phishing-site",
    claim: null,
    texts: {
      en: {
        title: "I think I used a phishing site",
        answer:
          "If you signed or approved anything there, revoke that approval at once; if you typed your seed phrase there, move everything to a new wallet now.",
        details:
          "Phishing sites copy a real page and live at a look-alike address (an extra letter, another ending); they ask you to 'verify' your wallet, sign a message or enter your phrase. The station's page never asks for your seed phrase, and the only messages it asks you to sign say what they do (sign-in, a claim). Bookmark the real address and open it from the bookmark, not from ads, direct messages or search results.",
        keywords:
          "phishing fake site fake website scam link look-alike copy clone clicked a link entered seed signed something suspicious URL domain",
      },
      id: {
        title: "Sepertinya saya membuka situs phishing",
        answer:
          "Jika Anda menandatangani atau menyetujui sesuatu di sana, segera cabut persetujuannya; jika Anda mengetik frasa pemulihan di sana, pindahkan semuanya ke dompet baru sekarang.",
        details:
          "Situs phishing meniru halaman asli dan memakai alamat yang mirip (huruf tambahan, akhiran lain); mereka meminta Anda 'memverifikasi' dompet, menandatangani pesan, atau memasukkan frasa. Halaman stasiun tidak pernah meminta frasa pemulihan, dan pesan yang diminta untuk ditandatangani selalu menyebut tujuannya (masuk, klaim). Simpan alamat asli sebagai bookmark dan buka dari sana, bukan dari iklan, pesan langsung, atau hasil pencarian.",
        keywords:
          "phishing situs palsu web palsu penipuan tautan link mirip tiruan klik link masukkan frasa tanda tangan mencurigakan domain",
      },
      es: {
        title: "Creo que entré en un sitio de phishing",
        answer:
          "Si firmaste o aprobaste algo allí, revoca esa aprobación de inmediato; si escribiste tu frase semilla allí, pasa todo a una billetera nueva ahora.",
        details:
          "Los sitios de phishing copian una página real y viven en una dirección parecida (una letra de más, otra terminación); te piden 'verificar' la billetera, firmar un mensaje o escribir tu frase. La página de la estación nunca pide tu frase semilla, y los únicos mensajes que te pide firmar dicen para qué son (iniciar sesión, una reclamación). Guarda la dirección real en marcadores y ábrela desde ahí, no desde anuncios, mensajes directos o resultados de búsqueda.",
        keywords:
          "phishing sitio falso página falsa web falsa estafa enlace parecido copia clon hice clic escribí la frase firmé algo sospechoso dominio",
      },
      zh: {
        title: "我可能进了钓鱼网站",
        answer: "如果在那里签过名或授权过，立即撤销该授权；如果在那里输入过助记词，马上把所有资产转到新钱包。",
        details:
          "钓鱼网站会仿冒真实页面，使用相似的网址（多一个字母、换一个后缀），要求你“验证”钱包、签名消息或输入助记词。服务站的页面从不索要助记词，要求你签名的消息都会写明用途（登录、提交申请）。把真实网址加入书签并从书签打开，不要点广告、私信或搜索结果里的链接。",
        keywords: "钓鱼网站 假网站 仿冒 骗局 链接 网址 点错 输入助记词 签名 可疑 域名",
      },
    },
  },
  {
    slug: "fake-airdrop",
    claim: null,
    texts: {
      en: {
        title: "Unknown tokens or an airdrop appeared in my wallet",
        answer:
          "Leave them alone: do not open the site they point to, do not approve, sell or send them — hide them in your wallet instead.",
        details:
          "Scammers send worthless tokens or NFTs to many wallets; their name or description points to a 'claim' site that asks you to connect and approve, then drains your wallet. A real C reward or incident payout is announced on the station's own page and claimed there; you never pay a fee to receive one. If you already approved something, revoke it now.",
        keywords:
          "airdrop fake airdrop free tokens free NFT unknown token random token appeared claim reward scam giveaway dust mystery",
      },
      id: {
        title: "Token atau airdrop tak dikenal muncul di dompet saya",
        answer:
          "Biarkan saja: jangan buka situs yang ditunjuknya, jangan setujui, jual, atau kirim token itu — sembunyikan saja di dompet Anda.",
        details:
          "Penipu mengirim token atau NFT tak bernilai ke banyak dompet; nama atau deskripsinya mengarah ke situs 'klaim' yang meminta Anda menghubungkan dompet dan menyetujui, lalu menguras dompet. Hadiah C atau pembayaran insiden yang asli diumumkan di halaman stasiun sendiri dan diklaim di sana; Anda tidak pernah membayar biaya untuk menerimanya. Jika sudah terlanjur menyetujui sesuatu, cabut sekarang.",
        keywords:
          "airdrop palsu token gratis NFT gratis token tak dikenal aneh tiba-tiba muncul klaim hadiah penipuan giveaway",
      },
      es: {
        title: "Aparecieron tokens desconocidos o un airdrop en mi billetera",
        answer:
          "No los toques: no abras el sitio al que apuntan, no los apruebes, vendas ni envíes; ocúltalos en tu billetera.",
        details:
          "Los estafadores envían tokens o NFT sin valor a muchas billeteras; su nombre o descripción lleva a un sitio para 'reclamar' que te pide conectar y aprobar, y luego vacía tu billetera. Una recompensa de C o un pago por incidente de verdad se anuncia en la propia página de la estación y se cobra allí; nunca pagas una comisión por recibirlo. Si ya aprobaste algo, revócalo ahora.",
        keywords:
          "airdrop falso tokens gratis NFT gratis token desconocido raro apareció reclamar premio estafa sorteo regalo",
      },
      zh: {
        title: "钱包里出现了不明代币或空投",
        answer: "不要理会：不要打开它指向的网站，不要授权、卖出或转出——在钱包里把它隐藏即可。",
        details:
          "骗子会向大量钱包发送毫无价值的代币或 NFT，名称或描述里指向一个“领取”网站，诱导你连接钱包并授权，然后清空你的钱包。真正的 C 奖励或事故赔付只在服务站自己的页面上公布和领取，领取从不需要支付费用。如果已经授权过，请立即撤销。",
        keywords: "空投 假空投 免费代币 免费NFT 不明代币 陌生代币 突然出现 领取 奖励 骗局 粉尘",
      },
    },
  },
  {
    slug: "fake-support",
    claim: null,
    texts: {
      en: {
        title: "Someone says they are support and messaged me first",
        answer:
          "Stop replying: real station staff never message you first and never ask for your seed phrase, private key or a payment. Check any agent with `station verify`.",
        details:
          "Impostors watch public groups for people asking for help, then write privately as 'admin', 'support' or 'moderator', often with a copied name and photo. Station assessors talk to you only inside your claim's conversation on the station's page, where every message is signed by an address that holds the assessor role on-chain. Report the impostor to the group's moderators.",
        keywords:
          "fake support impostor scammer admin moderator direct message DM Telegram Discord WhatsApp asks for seed private key help desk pretending",
      },
      id: {
        title: "Ada yang mengaku petugas dukungan dan menghubungi saya duluan",
        answer:
          "Berhenti membalas: petugas stasiun yang asli tidak pernah menghubungi duluan dan tidak pernah meminta frasa pemulihan, kunci pribadi, atau pembayaran. Periksa agen mana pun dengan `station verify`.",
        details:
          "Penipu memantau grup publik untuk mencari orang yang minta bantuan, lalu menulis secara pribadi sebagai 'admin', 'support', atau 'moderator', sering dengan nama dan foto tiruan. Asesor stasiun berbicara dengan Anda hanya di dalam percakapan klaim di halaman stasiun, dan setiap pesan ditandatangani oleh alamat yang memegang peran asesor on-chain. Laporkan penipu ke moderator grup.",
        keywords:
          "cs palsu admin palsu penipu ngaku admin moderator pesan pribadi DM Telegram Discord WhatsApp minta seed kunci pribadi pura-pura",
      },
      es: {
        title: "Alguien dice ser de soporte y me escribió primero",
        answer:
          "Deja de responder: el personal real de la estación nunca te escribe primero ni te pide tu frase semilla, tu clave privada o un pago. Comprueba a cualquier agente con `station verify`.",
        details:
          "Los impostores vigilan los grupos públicos buscando a quien pide ayuda y luego escriben en privado como 'admin', 'soporte' o 'moderador', a menudo con nombre y foto copiados. Los evaluadores de la estación solo hablan contigo dentro de la conversación de tu reclamación en la página de la estación, donde cada mensaje lo firma una dirección con el rol de evaluador en la cadena. Denuncia al impostor a los moderadores del grupo.",
        keywords:
          "soporte falso impostor estafador admin moderador mensaje privado DM Telegram Discord WhatsApp pide frase clave privada se hace pasar",
      },
      zh: {
        title: "有人自称客服，主动私信我",
        answer:
          "停止回复：服务站的真实人员从不主动私信，也从不索要助记词、私钥或付款。可用 `station verify` 核实任何客服。",
        details:
          "冒充者会在公开群里盯着求助的人，然后以“管理员”“客服”“版主”的身份私聊，常常盗用别人的名字和头像。服务站的评估员只在服务站页面上你的申请对话中与你沟通，每条消息都由链上持有评估员角色的地址签名。请向群管理员举报冒充者。",
        keywords: "假客服 冒充客服 自称客服 管理员 私信 私聊 电报 Telegram Discord 微信 要助记词 要私钥 骗子",
      },
    },
  },
  {
    slug: "verify-agent",
    claim: null,
    texts: {
      en: {
        title: "How do I check that an agent is real?",
        answer:
          "Ask for the agent's wallet address and run `station verify <address>`: it reads the pool's contract and says whether that address holds the assessor role right now.",
        details:
          "The assessor role is granted and revoked on-chain, so the check needs nobody's word — not even the station's. On the page, every message in your claim's conversation shows the signing address and whether it holds the role. A real agent never asks you to verify them by sending funds, connecting to another site or sharing your seed phrase.",
        keywords:
          "verify agent real genuine legit official staff assessor role check identity trust is this person from the station impersonation",
      },
      id: {
        title: "Bagaimana memastikan seorang agen itu asli?",
        answer:
          "Minta alamat dompet agen dan jalankan `station verify <alamat>`: perintah ini membaca kontrak pool dan memberi tahu apakah alamat itu memegang peran asesor saat ini.",
        details:
          "Peran asesor diberikan dan dicabut on-chain, jadi pemeriksaannya tidak bergantung pada ucapan siapa pun — bahkan stasiun. Di halaman, setiap pesan dalam percakapan klaim menampilkan alamat penanda tangannya dan apakah alamat itu memegang peran tersebut. Agen asli tidak pernah meminta Anda memverifikasinya dengan mengirim dana, membuka situs lain, atau membagikan frasa pemulihan.",
        keywords: "verifikasi cek agen asli resmi petugas asesor peran identitas percaya benar dari stasiun penyamaran",
      },
      es: {
        title: "¿Cómo compruebo que un agente es real?",
        answer:
          "Pide la dirección de la billetera del agente y ejecuta `station verify <dirección>`: lee el contrato del fondo y dice si esa dirección tiene ahora el rol de evaluador.",
        details:
          "El rol de evaluador se concede y se retira en la cadena, así que la comprobación no depende de la palabra de nadie, ni siquiera de la estación. En la página, cada mensaje de la conversación de tu reclamación muestra la dirección que lo firmó y si tiene ese rol. Un agente real nunca te pide que lo verifiques enviando fondos, conectándote a otro sitio o compartiendo tu frase semilla.",
        keywords:
          "verificar comprobar agente real auténtico oficial personal evaluador rol identidad confiar es de la estación suplantación",
      },
      zh: {
        title: "如何确认客服人员是真的？",
        answer:
          "向对方要钱包地址，运行 `station verify <地址>`：它会读取资金池合约，告诉你该地址当前是否持有评估员角色。",
        details:
          "评估员角色在链上授予和撤销，因此核实不依赖任何人的说法——包括服务站自己。在页面上，申请对话中的每条消息都会显示签名地址以及它是否持有该角色。真正的客服绝不会要求你通过转账、连接其他网站或提供助记词来“验证”他们。",
        keywords: "核实 验证 客服 真假 官方 工作人员 评估员 角色 身份 可信 冒充",
      },
    },
  },
];
