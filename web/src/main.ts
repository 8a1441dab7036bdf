/**
 * The station's web page, composed: the language and wallet corners of the header, then one
 * module per section (./sections), all handed one context (./context.ts) with the settings from
 * `/station-config.json`, the reader's language, the wallet and the chain. Sections reach each
 * other only through the callbacks given here.
 */
import { service } from "./api.js";
import { type StationConfig, createChainAccess, parseStationConfig, stationChain } from "./chain.js";
import { createContext } from "./context.js";
import { initialLanguage } from "./lang.js";
import { mountAlerts } from "./sections/alerts.js";
import { mountDeskWhenStaff } from "./sections/deskLoader.js";
import { mountEmergency } from "./sections/emergency.js";
import { mountHelp } from "./sections/help.js";
import { mountLanguage } from "./sections/language.js";
import {
  mountConversationWhenFollowed,
  mountIncidentWhenNeeded,
  mountRoundsWhenStaff,
  mountStatusAfterStart,
} from "./sections/lazyLoaders.js";
import { mountPackages } from "./sections/packages.js";
import { mountProgress } from "./sections/progress.js";
import { mountStaking } from "./sections/staking.js";
import { mountTrack } from "./sections/track.js";
import { mountVerify } from "./sections/verify.js";
import { createWalletCorner } from "./sections/wallet.js";
import { watched } from "./state.js";
import { CLAIM_KINDS } from "./vocab.js";
import { createWallet } from "./wallet.js";
import { walletConnect } from "./walletconnect.js";

function host(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`The page has no #${id}.`);
  return el;
}

async function start() {
  const notice = host("notice");
  const lang = watched(initialLanguage());
  mountLanguage(host("language"), lang);
  const corner = createWalletCorner(host("wallet"), lang);

  let config: StationConfig;
  try {
    // Typed by the route; checked again here, since what arrives over the network is not a type.
    config = parseStationConfig(await service.config());
  } catch (error) {
    notice.textContent = `The station's settings could not be loaded (${(error as Error).message}).`;
    notice.className = "error";
    notice.hidden = false;
    return;
  }

  const wallet = createWallet({
    chainId: config.chainId,
    chainName: stationChain(config).name,
    rpcUrl: config.rpcUrl,
    pick: corner.pick,
    remote: walletConnect(config),
  });
  const ctx = createContext({ config, lang, wallet, chain: createChainAccess(config, wallet), notice });
  corner.attach(wallet, (choose) => void ctx.guarded(null, async () => void (await wallet.connect({ choose })))());

  const conversation = mountConversationWhenFollowed(host("conversation"), ctx);
  const progress = mountProgress(host("progress"), ctx, (model) => conversation.show(model));
  const emergency = mountEmergency(host("emergency"), ctx, (id) => progress.follow(id));
  mountTrack(host("track"), ctx, (id) => progress.follow(id));
  mountIncidentWhenNeeded(host("incident"), ctx);
  mountRoundsWhenStaff(host("rounds-desk"), ctx);
  mountStaking(host("staking"), ctx);
  mountPackages(host("packages-section"), ctx);
  mountAlerts(host("alerts-section"), ctx);
  mountHelp(host("help"), ctx, (kind) => emergency.open(kind));
  mountVerify(host("verify"), ctx);
  mountStatusAfterStart(host("status"), ctx);
  mountDeskWhenStaff(host("desk"), ctx);

  // A help article's claim link (`/?kind=<ClaimKind>#emergency`, the service's claimFlow.href), an
  // emergency card or the embeddable button (`&origin=<address>`: who the help is asked about).
  const search = new URLSearchParams(location.search);
  const linkedKind = CLAIM_KINDS.findIndex((k) => k === search.get("kind"));
  if (linkedKind >= 0) emergency.open(linkedKind, search.get("origin"));
  // `#claim-<id>` links to a claim's live progress.
  const followHash = () => {
    const id = /^#claim-(\d+)$/.exec(location.hash)?.[1];
    if (id) progress.follow(BigInt(id));
  };
  window.addEventListener("hashchange", followHash);
  followHash();
}

void start();
