/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** A WalletConnect Cloud project id: offers WalletConnect when a provider factory is built in (walletconnect.ts). */
  readonly VITE_WALLETCONNECT_PROJECT_ID?: string;
}
