/**
 * Deadlines by the chain's clock, end to end: a Hardhat node, the LocalStation deployment, Ponder
 * and the service as production starts it. The chain is moved past a claim's response deadline by
 * time travel while the wall clock stays before it: the claim view and the queue say
 * breached with the no-response credit due, the SLA watcher sends `sla.breached`, and the pool
 * indeed pays the credit at that moment.
 */
import { expect } from "chai";
import { type Address, type Hex, encodeFunctionData } from "viem";
import { mnemonicToAccount } from "viem/accounts";

import { CompensationPoolAbi } from "../../common/abis/CompensationPool.js";
import { loadStationConfig, serviceRequest, signIn } from "../../cli/lib/station-client.js";
import type { ClaimResponse } from "../../service/src/claims/routes.js";
import type { QueueResponse } from "../../service/src/queue/routes.js";
import { Receiver, waitFor } from "./deliveryHarness.js";
import { ASSESSOR_ACCOUNT, startLiveStation, type LiveStation, type RunningService } from "./liveStation.js";

const C = 10n ** 18n;
const DEV_MNEMONIC = "test test test test test test test test test test test junk";
const CLAIMANT = 14;

describe("the service judges deadlines by the chain's clock (live chain, time travel)", function () {
  this.timeout(240_000);
  let station: LiveStation;
  let service: RunningService;
  let receiver: Receiver;
  let drop: (() => Promise<void>) | undefined;

  before(async function () {
    this.timeout(300_000);
    station = await startLiveStation("pglite");
    receiver = await Receiver.start();
    const db = await station.serviceDatabase();
    drop = db.drop;
    service = await station.startService({ ...db.env, ALERTS_CHECK_MS: "200" });
  });
  after(async function () {
    this.timeout(60_000);
    await receiver?.down();
    await station?.stop();
    await drop?.();
  });

  async function send(from: number, data: Hex): Promise<{ status: string }> {
    const [hash] = await station.chain.sendTransactions([
      { from: station.address(from), to: station.deployment.addresses.CompensationPool, data, gas: 1_000_000n },
    ]);
    const [receipt] = await station.chain.receipts([hash!]);
    return { status: receipt!.status };
  }

  it("says breached and credit due once the chain passed the response deadline, the wall clock before it", async function () {
    const { chain, ponder } = station;
    // Breach credits on (admin: account #0); the claimant has standing through "Pro" (factor 5000).
    await send(
      0,
      encodeFunctionData({
        abi: CompensationPoolAbi,
        functionName: "setBreachCredits",
        args: [2n * C, 3n * C, 100n * C],
      }),
    );
    await station.fund(CLAIMANT);
    await station.buyWithStable(CLAIMANT, 2n);
    const submitted = await station.submitClaim(CLAIMANT, 5n * C);
    const id = submitted.claimId!;
    const sub = await station.subscribe(service, CLAIMANT, receiver.url, ["sla.breached"]);
    const config = await loadStationConfig({
      RPC_URL: chain.url,
      SERVICE_URL: service.url,
      STATION_DEPLOYMENT_ID: station.deployment.deploymentId,
    });
    const assessor = await signIn(config, mnemonicToAccount(DEV_MNEMONIC, { addressIndex: ASSESSOR_ACCOUNT }));
    const claimView = () => serviceRequest<ClaimResponse>(config, "GET", `/v1/claims/${id}`);
    const queueItem = async () =>
      (await serviceRequest<QueueResponse>(config, "GET", "/v1/queue?limit=100", { token: assessor })).items.find(
        (i) => i.id === id.toString(),
      );

    await ponder.waitForBlock(await chain.blockNumber());
    await waitFor("the claim indexed", async () => (await claimView().catch(() => undefined)) !== undefined, 30_000);
    const before = await claimView();
    expect(before.sla).to.deep.include({ deadlineKind: "response", state: "on-track" });
    // The queue answers from the claim cache, up to CLAIM_CACHE_STALE_MS + QUEUE_CACHE_MS behind.
    expect((await waitFor("the claim queued", queueItem, 30_000)).credits.due).to.deep.equal([]);
    const deadline = before.deadlines.response;

    // An hour ahead on the chain (past the five-minute response window, not the two-hour resolution
    // window); the wall clock stays before the response deadline.
    await chain.increaseTime(3_600);
    await ponder.waitForBlock(await chain.blockNumber());
    await waitFor("the service sees the new head", async () => (await claimView()).sla?.state === "breached", 30_000);
    expect(Date.now() / 1000).to.be.below(deadline);
    const after = await claimView();
    expect(after.sla!.secondsLeft).to.be.below(-3_000); // 3,600 s ahead, the window was 300 s
    expect(after.outcomes.response).to.equal("breached");
    const item = await waitFor("the queue judged at the new head", async () => {
      const found = await queueItem();
      return found?.state === "breached" ? found : undefined;
    });
    expect(item).to.deep.include({ state: "breached", deadlineKind: "response" });
    expect(item!.credits).to.deep.equal({
      noResponse: "0",
      resolution: "0",
      due: [{ kind: "NoResponse", amount: (2n * C).toString() }],
    });
    await waitFor("the sla.breached webhook", () => receiver.requests.length > 0, 30_000);
    const alert = JSON.parse(receiver.requests[0]!.body) as { type: string; data: { claimId: string; stage: string } };
    expect(alert.type).to.equal("sla.breached");
    expect(alert.data).to.deep.include({ claimId: id.toString(), stage: "response" });
    expect(sub.address).to.equal(station.address(CLAIMANT) as Address);

    // The pool agrees: anyone triggers the credit now, and the queue shows it paid.
    const paid = await send(
      3,
      encodeFunctionData({ abi: CompensationPoolAbi, functionName: "claimNoResponseCredit", args: [id] }),
    );
    expect(paid.status).to.equal("0x1");
    await ponder.waitForBlock(await chain.blockNumber());
    await waitFor(
      "the credit indexed",
      async () => (await queueItem())?.credits.noResponse === (2n * C).toString(),
      30_000,
    );
    expect((await queueItem())!.credits.due).to.deep.equal([]);
  });
});
