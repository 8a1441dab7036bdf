/** Trivial handlers: every event of every station contract inserts one row, nothing else. */
import { ponder } from "ponder:registry";
import { events } from "ponder:schema";

import { CompensationPoolAbi } from "../../../common/abis/CompensationPool.ts";
import { CStakingAbi } from "../../../common/abis/CStaking.ts";
import { EmergencyPackagesAbi } from "../../../common/abis/EmergencyPackages.ts";

type Handler = Parameters<typeof ponder.on>[1];

const CONTRACTS = {
  CompensationPool: CompensationPoolAbi,
  CStaking: CStakingAbi,
  EmergencyPackages: EmergencyPackagesAbi,
} as const;

for (const [contract, abi] of Object.entries(CONTRACTS)) {
  for (const item of abi) {
    if (item.type !== "event") continue;
    const handler = (async ({ event, context }) => {
      await context.db.insert(events).values({
        id: event.id,
        chainId: context.chain.id,
        contract,
        name: item.name,
        blockNumber: event.block.number,
        logIndex: event.log.logIndex,
        txHash: event.transaction.hash,
      });
    }) as Handler;
    // Event names are known only at run time here; Ponder checks them against the config's ABIs.
    ponder.on(`${contract}:${item.name}` as Parameters<typeof ponder.on>[0], handler);
  }
}
