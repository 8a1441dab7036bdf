/**
 * What every section is handed (created once by main.ts): the station's settings, the reader's
 * language, the wallet, the chain and the sign-in to the service, and the page's notice line. Sections keep their own state
 * in their closure and talk to each other only through what main.ts passes them.
 */
import type { Address } from "viem";

import type { Language } from "./api.js";
import type { ChainAccess, StationConfig } from "./chain.js";
import { type Sessions, createSessions } from "./session.js";
import type { Watched } from "./state.js";
import { type Wallet, explain } from "./wallet.js";

export type Context = {
  config: StationConfig;
  lang: Watched<Language>;
  wallet: Wallet;
  chain: ChainAccess;
  /** The sign-in to the service's private routes (a session key the wallet delegated once). */
  session: Sessions;
  /**
   * Shows a message in the page's notice line (text only). Given as a function of the language, it
   * is written again in the reader's language when they pick another while it shows.
   */
  notify(message: string | ((lang: Language) => string), kind?: "info" | "error"): void;
  /** An error as a sentence, in the reader's language where it has dates. */
  explain(error: unknown): string;
  /** The connected account, connecting first when there is none. */
  account(): Promise<Address>;
  /** Runs `action` behind `button` (disabled meanwhile); errors go to the notice in words. */
  guarded(button: HTMLButtonElement | null | undefined, action: () => Promise<void>): () => Promise<void>;
};

export function createContext(parts: {
  config: StationConfig;
  lang: Watched<Language>;
  wallet: Wallet;
  chain: ChainAccess;
  notice: HTMLElement;
}): Context {
  const { notice, wallet, lang } = parts;
  /** The notice showing, when it can be written in another language. */
  let shown: ((lang: Language) => string) | undefined;
  const notify: Context["notify"] = (message, kind = "info") => {
    shown = typeof message === "function" ? message : undefined;
    notice.textContent = typeof message === "function" ? message(lang.get()) : message;
    notice.className = kind;
    notice.hidden = false;
  };
  lang.watch((next) => {
    if (shown !== undefined && !notice.hidden) notice.textContent = shown(next);
  });
  const describe = (error: unknown) => explain(error, lang.get());
  const account = async () => wallet.account() ?? (await wallet.connect());
  return {
    ...parts,
    session: createSessions({ wallet, chainId: parts.config.chainId, account }),
    notify,
    explain: describe,
    account,
    guarded(button, action) {
      return async () => {
        if (button) button.disabled = true;
        try {
          await action();
        } catch (error) {
          notify(describe(error), "error");
        } finally {
          if (button) button.disabled = false;
        }
      };
    },
  };
}
