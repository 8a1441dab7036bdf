/**
 * The header's wallet corner: the connect button, the connected account, and the chooser shown
 * when several wallets announce themselves (EIP-6963) and none is remembered. Icons are shown only
 * when they are image data URIs (`safeIcon`); names are text. Its words are in the reader's
 * language and change with it; wallets' own names (announced by the wallet) stay as announced.
 */
import { html, nothing, render } from "lit-html";

import type { Language } from "../api.js";
import { PageError } from "../errorText.js";
import type { Watched } from "../state.js";
import { type StationTextKey, stationText } from "../stationText.js";
import { INJECTED_WALLET_ID, type Wallet, type WalletOption } from "../wallet.js";

type Asking = { resolve: (option: WalletOption) => void; reject: (error: Error) => void };

/** The chooser: `pick` is what the wallet calls when the reader has to choose. */
export function createWalletCorner(host: HTMLElement, lang: Watched<Language>) {
  const t = (key: StationTextKey) => stationText(key, lang.get());
  /** The page's name for a wallet found without an announcement; others by their own name. */
  const nameOf = (option: Pick<WalletOption, "id" | "name">) =>
    option.id === INJECTED_WALLET_ID ? t("browserWallet") : option.name;
  let asking: Asking | undefined;
  let options: readonly WalletOption[] = [];
  let wallet: Wallet | undefined;
  let onConnect: ((choose?: boolean) => void) | undefined;

  const choose = (option: WalletOption) => {
    const a = asking;
    asking = undefined;
    update();
    a?.resolve(option);
  };
  const cancel = () => {
    const a = asking;
    asking = undefined;
    update();
    a?.reject(new PageError("noWalletChosen"));
  };

  const chooser = () =>
    html`<div
      id="wallet-chooser"
      class="chooser"
      role="dialog"
      aria-labelledby="wallet-chooser-title"
      @keydown=${(e: KeyboardEvent) => e.key === "Escape" && cancel()}
    >
      <p id="wallet-chooser-title"><strong>${t("chooseWallet")}</strong></p>
      <ul>
        ${options.map(
          (o) =>
            html`<li>
              <button type="button" class="wallet-option" data-wallet=${o.id} @click=${() => choose(o)}>
                ${
                  o.icon
                    ? html`<img src=${o.icon} alt="" width="24" height="24" />`
                    : html`<span class="wallet-icon" aria-hidden="true"></span>`
                }<span>${nameOf(o)}</span>
              </button>
            </li>`,
        )}
      </ul>
      <button type="button" class="secondary" @click=${cancel}>${t("cancel")}</button>
    </div>`;

  const view = () => {
    const account = wallet?.account();
    const chosen = wallet?.chosen();
    const name = chosen === undefined ? undefined : nameOf(chosen);
    const several = (wallet?.options().length ?? 0) > 1;
    const label = t(account ? "connected" : "connectWallet");
    return html`<button id="connect" type="button" @click=${() => onConnect?.()}>${label}</button
      ><span id="account" class="muted" title=${account ?? ""}>${account ?? ""}</span
      >${account && name ? html`<span class="wallet-name muted">${name}</span>` : nothing}${
        account && several
          ? html`<button id="wallet-change" type="button" class="secondary" @click=${() => onConnect?.(true)}>
              ${t("changeWallet")}
            </button>`
          : nothing
      }${asking ? chooser() : nothing}`;
  };

  function update() {
    render(view(), host);
  }
  lang.watch(update);

  return {
    pick(offered: readonly WalletOption[]): Promise<WalletOption> {
      asking?.reject(new PageError("anotherWalletChoice"));
      options = offered;
      const answer = new Promise<WalletOption>((resolve, reject) => (asking = { resolve, reject }));
      update();
      host.querySelector<HTMLButtonElement>(".wallet-option")?.focus();
      return answer;
    },
    /** Binds the corner to the wallet; `connect(choose)` runs when the buttons are pressed. */
    attach(w: Wallet, connect: (choose?: boolean) => void) {
      wallet = w;
      onConnect = connect;
      w.onChange(update);
      w.onOptions((next) => {
        // A wallet announcing itself late joins the open chooser.
        if (asking) options = next;
        update();
      });
      update();
    },
    update,
  };
}

export type WalletCorner = ReturnType<typeof createWalletCorner>;
