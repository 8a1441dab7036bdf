import { Counter } from "prom-client";
import type { Registry } from "prom-client";
import { createPublicClient, createWalletClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import { stationChain } from "../../../common/chain.js";
import type { Logger } from "../http/router.js";
import type { ServiceConfig } from "../config.js";
import type { Database } from "../db/client.js";
import { createRelayer, type Relayer } from "./relayer.js";

/** The production relayer from configuration, or undefined (with a log line saying why) when it cannot run. */
export function relayerFromConfig(
  config: ServiceConfig,
  db: Database,
  log: Logger,
  metrics: Registry,
): Relayer | undefined {
  const { privateKey } = config.relayer;
  if (config.poolAddress === undefined || privateKey === undefined) {
    log.warn("gasless relayer disabled: set POOL_ADDRESS and RELAYER_PRIVATE_KEY to enable it");
    return undefined;
  }
  const chain = stationChain(config.chainId, config.rpcUrl);
  const transport = http(config.rpcUrl, { timeout: 15_000, retryCount: 2 });
  const spend = new Counter({
    name: "station_relayer_spend_eth_total",
    help: "Gas paid by the gasless claim relayer, in ether, by transaction outcome",
    labelNames: ["outcome"],
    registers: [metrics],
  });
  return createRelayer({
    db,
    publicClient: createPublicClient({ chain, transport }),
    walletClient: createWalletClient({ chain, transport, account: privateKeyToAccount(privateKey) }),
    pool: config.poolAddress,
    chainId: config.chainId,
    limits: config.relayer,
    log,
    onSpend: (wei, outcome) => spend.inc({ outcome }, Number(wei) / 1e18),
  });
}
