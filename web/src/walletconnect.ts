/**
 * The extension point for wallets that are not injected into the browser (WalletConnect: mobile
 * wallets through a relay, scanned as a QR code). Mobile browsers have no injected wallet, so a
 * deployment that serves phones wants this; this build ships without it because the WalletConnect
 * client (`@walletconnect/ethereum-provider`) is not among the project's packages and cannot be
 * exercised offline.
 *
 * To enable it: add the package, set `VITE_WALLETCONNECT_PROJECT_ID` (a WalletConnect Cloud
 * project id) when building the page, and return the provider from `createRemoteProvider`:
 *
 *   const { EthereumProvider } = await import("@walletconnect/ethereum-provider");
 *   const provider = await EthereumProvider.init({
 *     projectId, chains: [chainId], rpcMap: { [chainId]: rpcUrl }, showQrModal: true,
 *   });
 *   await provider.connect();
 *   return provider as EIP1193Provider;
 *
 * The wallet chooser then offers "WalletConnect" beside the injected wallets, and everything after
 * the choice (accounts, chain switch, signing, transactions) is the same EIP-1193 path.
 */
import type { EIP1193Provider } from "viem";

import type { RemoteWallet } from "./wallet.js";

export type RemoteProviderFactory = (settings: {
  projectId: string;
  chainId: number;
  rpcUrl: string;
}) => Promise<EIP1193Provider>;

/** Builds the remote wallet's provider; undefined while no WalletConnect client is built in. */
export function createRemoteProvider(): RemoteProviderFactory | undefined {
  return undefined;
}

/** The chooser's WalletConnect entry, when a project id is set and a provider factory is built in. */
export function walletConnect(
  settings: { chainId: number; rpcUrl: string },
  projectId: string | undefined = import.meta.env.VITE_WALLETCONNECT_PROJECT_ID,
  factory: RemoteProviderFactory | undefined = createRemoteProvider(),
): RemoteWallet | undefined {
  const id = projectId?.trim();
  if (!id) return undefined;
  if (!factory) {
    console.warn(
      "VITE_WALLETCONNECT_PROJECT_ID is set but this build has no WalletConnect provider (web/src/walletconnect.ts).",
    );
    return undefined;
  }
  return { id: "walletconnect", name: "WalletConnect", create: () => factory({ projectId: id, ...settings }) };
}
