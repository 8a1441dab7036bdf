/**
 * The wallet: every injected wallet that announces itself (EIP-6963, through `mipd`), the reader's
 * choice among them (remembered by its rDNS), `window.ethereum` when nothing announces, and a
 * remote wallet (WalletConnect) when the build provides one (./walletconnect.ts). Connecting asks
 * for the account and puts the wallet on the station's chain (switching or adding it); wallet and
 * contract errors come back as sentences a person can act on (`explain`).
 */
import { type EIP6963ProviderDetail, createStore } from "mipd";
import {
  type Address,
  type EIP1193Provider,
  type Hex,
  BaseError,
  UserRejectedRequestError,
  getAddress,
  toHex,
} from "viem";

import { revertOf } from "../../common/reverts.js";
import type { Language } from "./api.js";
import { type ErrorTextKey, PageError, errorText } from "./errorText.js";
import { C } from "./format.js";
import { formatTime } from "./lang.js";

declare global {
  interface Window {
    ethereum?: EIP1193Provider;
  }
}

/** One wallet the reader can pick. */
export type WalletOption = {
  /** Stable across visits where possible: the rDNS of an EIP-6963 wallet, "injected", "walletconnect". */
  id: string;
  name: string;
  /** A data URI safe to show as an image, or undefined. */
  icon: string | undefined;
} & (
  | { kind: "eip6963" | "injected"; provider: EIP1193Provider }
  | { kind: "remote"; create: () => Promise<EIP1193Provider> }
);

/** A wallet reached through a relay rather than injected (WalletConnect): see ./walletconnect.ts. */
export type RemoteWallet = { id: string; name: string; icon?: string; create: () => Promise<EIP1193Provider> };

export type WalletSettings = {
  chainId: number;
  chainName: string;
  rpcUrl: string;
  /** Asks the reader to pick one of several wallets; rejects when they decline. */
  pick: (options: readonly WalletOption[]) => Promise<WalletOption>;
  remote?: RemoteWallet | undefined;
  storage?: Pick<Storage, "getItem" | "setItem" | "removeItem"> | undefined;
};

export type Wallet = {
  /** The wallets on offer now (announced ones, else `window.ethereum`, plus a remote one). */
  options(): readonly WalletOption[];
  /** Runs `listener` when the offer changes (a wallet announced itself late). */
  onOptions(listener: (options: readonly WalletOption[]) => void): () => void;
  /** The chosen wallet's name, once connected. */
  chosen(): WalletOption | undefined;
  account(): Address | undefined;
  /** Runs `listener` after a connection attempt and when the wallet switches accounts. */
  onChange(listener: (account: Address | undefined) => void): () => void;
  /**
   * The provider reads go through: the connected wallet (which `connect` put on the station's
   * chain); undefined before that (reads use the station's RPC). A wallet the reader has not
   * chosen is never asked anything.
   */
  readProvider(): EIP1193Provider | undefined;
  /** The connected provider; throws in words when there is none. */
  provider(): EIP1193Provider;
  /** Picks a wallet (asking when there are several and none is remembered), asks for the account, checks the chain. */
  connect(options?: { choose?: boolean }): Promise<Address>;
  /** Puts the connected wallet on the station's chain, or throws saying what to do. */
  ensureChain(): Promise<void>;
  /** Asks the connected wallet to sign a text message as its account (personal_sign, EIP-191). */
  signMessage(message: string): Promise<Hex>;
};

/** The id of a wallet found as `window.ethereum` without an EIP-6963 announcement (it has no name of its own). */
export const INJECTED_WALLET_ID = "injected";

const STORAGE_KEY = "station.wallet";
/** 256 KiB: an icon larger than that is not an icon. */
const MAX_ICON_LENGTH = 262_144;

/**
 * Icons announced by wallets are shown only when they are PNG, JPEG, WebP or SVG data URIs (never a
 * remote URL, which would tell a third party who visits, nor HTML). An SVG in an `<img>` runs no
 * script; the attribute binding escapes the value.
 */
export function safeIcon(icon: unknown): string | undefined {
  if (typeof icon !== "string" || icon.length > MAX_ICON_LENGTH) return undefined;
  return /^data:image\/(png|jpeg|webp|svg\+xml)[;,]/i.test(icon) ? icon : undefined;
}

function announced(detail: EIP6963ProviderDetail): WalletOption {
  const name = String(detail.info.name ?? "").trim() || "Unnamed wallet";
  return {
    id: String(detail.info.rdns || detail.info.uuid),
    name: name.slice(0, 60),
    icon: safeIcon(detail.info.icon),
    kind: "eip6963",
    provider: detail.provider,
  };
}

function localStore(): WalletSettings["storage"] {
  try {
    return window.localStorage;
  } catch {
    return undefined; // storage disabled: the choice lasts this visit
  }
}

const codeOf = (error: unknown) =>
  typeof error === "object" && error !== null && "code" in error ? Number(error.code) : undefined;

export function createWallet(settings: WalletSettings): Wallet {
  const storage = settings.storage ?? localStore();
  const store = createStore();
  let chosen: WalletOption | undefined;
  let provider: EIP1193Provider | undefined;
  let account: Address | undefined;
  const changeListeners = new Set<(account: Address | undefined) => void>();
  const emit = () => changeListeners.forEach((l) => l(account));

  const remembered = () => {
    try {
      return storage?.getItem(STORAGE_KEY) ?? undefined;
    } catch {
      return undefined;
    }
  };
  const remember = (id: string) => {
    try {
      storage?.setItem(STORAGE_KEY, id);
    } catch {
      // not remembered: asked again next visit
    }
  };

  function options(): WalletOption[] {
    const list = store.getProviders().map(announced);
    if (list.length === 0 && window.ethereum) {
      list.push({
        id: INJECTED_WALLET_ID,
        name: "Browser wallet",
        icon: undefined,
        kind: "injected",
        provider: window.ethereum,
      });
    }
    const remote = settings.remote;
    if (remote) {
      list.push({
        id: remote.id,
        name: remote.name,
        icon: safeIcon(remote.icon),
        kind: "remote",
        create: remote.create,
      });
    }
    return list;
  }

  const onAccounts = (accounts: unknown) => {
    const first = Array.isArray(accounts) ? accounts[0] : undefined;
    account = typeof first === "string" ? getAddress(first) : undefined;
    emit();
  };

  async function use(option: WalletOption) {
    const next = option.kind === "remote" ? await option.create() : option.provider;
    if (provider !== next) {
      provider?.removeListener?.("accountsChanged", onAccounts);
      next.on?.("accountsChanged", onAccounts);
    }
    chosen = option;
    provider = next;
    remember(option.id);
  }

  async function pickOption(ask: boolean): Promise<WalletOption> {
    const list = options();
    if (list.length === 0) throw new PageError("noWallet");
    if (!ask) {
      const again = list.find((o) => o.id === remembered());
      if (again) return again;
      // One local wallet and nothing else: no question to ask.
      if (list.length === 1 && list[0]!.kind !== "remote") return list[0]!;
    }
    return settings.pick(list);
  }

  async function request<T>(method: string, params?: unknown[]): Promise<T> {
    const p = provider;
    if (!p) throw new PageError("noWallet");
    return (await p.request({ method, params } as never)) as T;
  }

  async function ensureChain() {
    const current = Number(await request<string>("eth_chainId"));
    if (current === settings.chainId) return;
    const wanted = toHex(settings.chainId);
    const chains = { current, wanted: settings.chainId };
    try {
      await request("wallet_switchEthereumChain", [{ chainId: wanted }]);
    } catch (error) {
      const code = codeOf(error);
      if (code === 4001) throw new PageError("wrongChainDeclined", chains);
      if (code !== 4902) throw new PageError("wrongChain", chains);
      // The wallet does not know the chain: offer to add it.
      try {
        await request("wallet_addEthereumChain", [
          {
            chainId: wanted,
            chainName: settings.chainName,
            nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
            rpcUrls: [settings.rpcUrl],
          },
        ]);
      } catch {
        throw new PageError("wrongChainAdd", { ...chains, rpcUrl: settings.rpcUrl });
      }
    }
    const now = Number(await request<string>("eth_chainId"));
    if (now !== settings.chainId) throw new PageError("wrongChain", { ...chains, current: now });
  }

  return {
    options,
    onOptions(listener) {
      return store.subscribe(() => listener(options()));
    },
    chosen: () => chosen,
    account: () => account,
    onChange(listener) {
      changeListeners.add(listener);
      return () => changeListeners.delete(listener);
    },
    readProvider: () => provider,
    provider() {
      if (!provider) throw new PageError("connectFirst");
      return provider;
    },
    async connect({ choose = false } = {}) {
      await use(await pickOption(choose));
      try {
        const accounts = await request<unknown[]>("eth_requestAccounts");
        const first = accounts?.[0];
        if (typeof first !== "string") throw new PageError("noAccount");
        account = getAddress(first);
        await ensureChain();
        return account;
      } finally {
        emit();
      }
    },
    ensureChain,
    async signMessage(message) {
      if (!account) throw new PageError("connectFirst");
      return request<Hex>("personal_sign", [toHex(message), account]);
    },
  };
}

/** A wallet or contract error as a sentence a person can act on, in the reader's language. */
export function explain(error: unknown, lang: Language): string {
  const say = (key: ErrorTextKey, values?: Record<string, string | number | bigint>) => errorText(key, lang, values);
  if (error instanceof PageError) return error.in(lang);
  if (error instanceof BaseError) {
    if (error.walk((e) => e instanceof UserRejectedRequestError)) return say("rejected");
    const reverted = revertOf(error);
    if (reverted) {
      const { errorName, args } = reverted;
      const at = (i: number) => formatTime(Number(args[i] as bigint | number), lang);
      const amount = (i: number) => C(args[i] as bigint);
      switch (errorName) {
        case "ERC20InsufficientBalance":
          return say("insufficientBalance", { have: amount(1), need: amount(2) });
        case "ERC20InsufficientAllowance":
          return say("insufficientAllowance");
        case "CStakingNothingToWithdraw":
          return Number(args[0] as bigint | number) === 0
            ? say("nothingToWithdraw")
            : say("withdrawCooldown", { time: at(0) });
        case "CStakingInsufficientStake":
          return say("unstakeAtMost", { amount: amount(0) });
        case "CompensationPoolIncidentNotClaimable":
          return say("roundNotClaimable", { time: at(1) });
        case "CompensationPoolIncidentClaimPeriodOver":
          return say("roundOver", { time: at(1) });
        case "CompensationPoolAlreadyClaimed":
          return say("alreadyClaimed");
        case "CompensationPoolNoStanding":
          return say("noStanding");
        case "CompensationPoolBreachCreditTooEarly":
          return say("creditTooEarly", { time: at(2) });
        case "CompensationPoolBreachCreditAlreadyPaid":
          return say("creditAlreadyPaid");
        case "CompensationPoolBreachBudgetExceeded":
          return say("creditBudgetUsed");
        case "CompensationPoolBreachCreditOff":
          return say("creditOff");
        case "CompensationPoolInsufficientFunds":
          return say("poolShort");
        case "CompensationPoolInvalidProof":
          return say("badProof");
      }
      return say("contractRefused", { call: `${errorName}(${args.map(String).join(", ")})` });
    }
    if (/insufficient funds/i.test(error.message)) return say("insufficientGas");
    return error.shortMessage;
  }
  if (codeOf(error) === 4001) return say("rejected");
  return error instanceof Error ? error.message : String(error);
}
