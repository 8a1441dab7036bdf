import { expect } from "chai";
import { network } from "hardhat";
import {
  createPublicClient,
  createWalletClient,
  custom,
  defineChain,
  keccak256,
  toHex,
  type Address,
  type EIP1193Provider,
  type Hex,
} from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";

import LocalStation from "../../ignition/modules/LocalStation.js";
import { createApp } from "../../service/src/app.js";
import { loadConfig } from "../../service/src/config.js";
import type { DatabaseHandle } from "../../service/src/db/client.js";
import { createLogger } from "../../service/src/http/log.js";
import { createMetricsRegistry } from "../../service/src/http/metrics.js";
import {
  CLAIM_DOMAIN,
  CLAIM_REQUEST_TYPES,
  createRelayer,
  type RelayerLimits,
} from "../../service/src/relayer/relayer.js";
import { testGuards } from "./guards.js";
import { ENGINES, freshServiceDatabase } from "./helpers.js";
import { offlineIndexer } from "./indexer.js";

const { ethers, ignition, provider } = await network.create();
const C = 10n ** 18n;
// Hardhat development account #9 pays the gas; #2 is the pool's guardian in localhost.json.
const RELAYER_KEY = "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6";
// Hardhat development account #8: a second replica's relayer account.
const REPLICA_B_KEY = "0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97";
const chain = defineChain({
  id: 31337,
  name: "hardhat",
  nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
  rpcUrls: { default: { http: ["http://127.0.0.1:8545"] } },
});
const transport = custom(provider as unknown as EIP1193Provider);
const publicClient = createPublicClient({ chain, transport, pollingInterval: 20 });
const relayerAccount = privateKeyToAccount(RELAYER_KEY);
const walletClient = createWalletClient({ chain, transport, account: relayerAccount });

const deployed = await ignition.deploy(LocalStation, { parameters: "ignition/parameters/localhost.json" });
const poolAddress = (await deployed.compensationPool.getAddress()) as Address;
const pool = await ethers.getContractAt("CompensationPool", poolAddress);

type Body = { request: Record<string, unknown>; signature: string };

for (const engine of ENGINES) {
  describe(`gasless claim relayer (${engine})`, function () {
    let handle: DatabaseHandle;
    let clock: number;

    beforeEach(async function () {
      handle = await freshServiceDatabase(engine);
      clock = Math.floor(Date.now() / 1000);
    });
    afterEach(async function () {
      await handle.close();
    });

    function app(
      limits: Partial<RelayerLimits> = {},
      enabled = true,
      clients: { publicClient: typeof publicClient; walletClient: typeof walletClient } = {
        publicClient,
        walletClient,
      },
    ) {
      const relayer = createRelayer({
        db: handle.db,
        ...clients,
        pool: poolAddress,
        chainId: 31337,
        limits: { perAddressPerHour: 5, perIpPerHour: 30, minDeadlineMarginSeconds: 60, ...limits },
        log: createLogger("silent"),
        now: () => clock,
      });
      return createApp({
        db: handle.db,
        config: loadConfig({}),
        log: createLogger("silent"),
        auth: testGuards(),
        metrics: createMetricsRegistry({ defaults: false }),
        indexerSource: { db: handle.db, head: async () => undefined },
        indexer: offlineIndexer(),
        now: Date.now,
        ...(enabled ? { relayer } : {}),
      });
    }

    /** A newcomer: a fresh key with no ether at all. */
    async function sign(
      who: PrivateKeyAccount,
      overrides: Partial<{ claimant: Address; kind: number; amount: bigint; nonce: bigint; deadline: bigint }> = {},
      signer: PrivateKeyAccount = who,
    ): Promise<Body> {
      const message = {
        claimant: who.address,
        kind: 0,
        amount: 12n * C,
        evidenceHash: keccak256(toHex("no C after authorising data")),
        nonce: (await pool.nonces(overrides.claimant ?? who.address)) as bigint,
        deadline: BigInt(clock + 3600),
        ...overrides,
      };
      const signature = await signer.signTypedData({
        domain: { ...CLAIM_DOMAIN, chainId: 31337, verifyingContract: poolAddress },
        types: CLAIM_REQUEST_TYPES,
        primaryType: "ClaimRequest",
        message,
      });
      return {
        request: {
          ...message,
          amount: message.amount.toString(),
          nonce: message.nonce.toString(),
          deadline: message.deadline.toString(),
        },
        signature,
      };
    }

    async function post(a: ReturnType<typeof app>, body: unknown) {
      const res = await a.request("/v1/relay/claims", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      return {
        status: res.status,
        body: (await res.json()) as Record<string, unknown> & { error?: { code: string; message: string } },
      };
    }

    const relayerNonce = () => publicClient.getTransactionCount({ address: relayerAccount.address });

    it("relays a newcomer's signed claim, paying the gas, and returns the claim id once mined", async function () {
      const newcomer = privateKeyToAccount(generatePrivateKey());
      const before = await pool.claimCount();
      const res = await post(app(), await sign(newcomer));
      expect(res.status).to.equal(200);
      expect(res.body.claimId).to.equal((before + 1n).toString());
      expect(res.body.replayed).to.equal(false);
      const claim = await pool.getClaim(BigInt(String(res.body.claimId)));
      expect(claim.claimant).to.equal(newcomer.address);
      expect(claim.amount).to.equal(12n * C);
      expect(claim.status).to.equal(1n); // Submitted
      expect(await publicClient.getBalance({ address: newcomer.address })).to.equal(0n);
      const receipt = await publicClient.getTransactionReceipt({ hash: res.body.txHash as Hex });
      expect(receipt.from.toLowerCase()).to.equal(relayerAccount.address.toLowerCase());
    });

    it("never relays the same request twice: a repeat returns the first result", async function () {
      const a = app();
      const body = await sign(privateKeyToAccount(generatePrivateKey()));
      const first = await post(a, body);
      const nonceAfterFirst = await relayerNonce();
      const again = await post(a, body);
      expect(again.status).to.equal(200);
      expect(again.body.replayed).to.equal(true);
      expect(again.body.claimId).to.equal(first.body.claimId);
      expect(await relayerNonce()).to.equal(nonceAfterFirst);
    });

    it("sends only one transaction when the same request arrives twice at once", async function () {
      const a = app();
      const body = await sign(privateKeyToAccount(generatePrivateKey()));
      const before = await pool.claimCount();
      const results = await Promise.all([post(a, body), post(a, body)]);
      expect(await pool.claimCount()).to.equal(before + 1n);
      const statuses = results.map((r) => r.status).sort();
      expect(statuses[0]).to.equal(200);
      expect([200, 409]).to.include(statuses[1]);
    });

    it("gets two signed claims relayed at once by two replicas both mined, the second opening a fresh lane slot", async function () {
      // The next claim ids are 8k−1 and 8k: whichever is mined second opens breach-lane word k,
      // ~22,100 gas more than an estimate taken before the other was mined says.
      const [funder] = await ethers.getSigners();
      while ((await pool.claimCount()) % 8n !== 6n) {
        await (
          await pool.connect(funder!).submitClaim(0, C, keccak256(toHex("filler")), { gasLimit: 1_000_000 })
        ).wait();
      }
      // Replica B relays from its own account (#8). Replica A's transaction waits until B has taken
      // its estimate, so both estimates see the same chain: neither counts the other's claim.
      let estimated!: () => void;
      const bEstimated = new Promise<void>((resolve) => (estimated = resolve));
      const gatedTransport = (onRequest: (method: string) => Promise<void>) =>
        custom({
          async request(args: { method: string; params?: unknown }) {
            await onRequest(args.method);
            return (provider as unknown as EIP1193Provider).request(args as never);
          },
        });
      const replica = (key: Hex, onRequest: (method: string) => Promise<void>) => {
        const t = gatedTransport(onRequest);
        return {
          publicClient: createPublicClient({ chain, transport: t, pollingInterval: 20 }),
          walletClient: createWalletClient({ chain, transport: t, account: privateKeyToAccount(key) }),
        };
      };
      const a = replica(RELAYER_KEY, async (method) => {
        if (method === "eth_sendRawTransaction") await bEstimated;
      });
      const b = replica(REPLICA_B_KEY, async (method) => {
        if (method === "eth_estimateGas") estimated();
      });
      const [alice, bob] = [privateKeyToAccount(generatePrivateKey()), privateKeyToAccount(generatePrivateKey())];
      const before = await pool.claimCount();
      const results = await Promise.all([
        post(app({}, true, a), await sign(alice)),
        post(app({}, true, b), await sign(bob)),
      ]);
      expect(results.map((r) => [r.status, r.body.error?.code])).to.deep.equal([
        [200, undefined],
        [200, undefined],
      ]);
      expect(await pool.claimCount()).to.equal(before + 2n);
      const ids = results.map((r) => BigInt(String(r.body.claimId))).sort((x, y) => (x < y ? -1 : 1));
      expect(ids).to.deep.equal([before + 1n, before + 2n]);
      expect((before + 2n) % 8n).to.equal(0n);
      for (const [i, who] of [alice, bob].entries()) {
        expect((await pool.getClaim(BigInt(String(results[i]!.body.claimId)))).claimant).to.equal(who.address);
      }
    });

    it("refuses a signature by someone else before spending gas", async function () {
      const victim = privateKeyToAccount(generatePrivateKey());
      const mallory = privateKeyToAccount(generatePrivateKey());
      const nonce = await relayerNonce();
      const res = await post(app(), await sign(victim, {}, mallory));
      expect(res.status).to.equal(400);
      expect(res.body.error?.code).to.equal("bad_signature");
      expect(await relayerNonce()).to.equal(nonce);
    });

    it("refuses an expired deadline, or one too close to relay safely", async function () {
      const who = privateKeyToAccount(generatePrivateKey());
      const expired = await post(app(), await sign(who, { deadline: BigInt(clock - 1) }));
      expect(expired.status).to.equal(400);
      expect(expired.body.error?.message).to.match(/deadline .* has passed or is less than 60 s away/);
      const tooClose = await post(app(), await sign(who, { deadline: BigInt(clock + 59) }));
      expect(tooClose.status).to.equal(400);
    });

    it("refuses a stale nonce with the one expected", async function () {
      const who = privateKeyToAccount(generatePrivateKey());
      const res = await post(app(), await sign(who, { nonce: 3n }));
      expect(res.status).to.equal(409);
      expect(res.body.error?.message).to.equal("nonce 3 is not the claimant's next nonce 0");
    });

    it("refuses an amount over the per-claim cap, and one the pool cannot represent", async function () {
      const who = privateKeyToAccount(generatePrivateKey());
      const cap = await pool.perClaimCap();
      const over = await post(app(), await sign(who, { amount: cap + 10n ** 12n }));
      expect(over.status).to.equal(422);
      expect(over.body.error?.code).to.equal("over_cap");
      const dust = await post(app(), await sign(who, { amount: C + 1n }));
      expect(dust.status).to.equal(400);
      expect(dust.body.error?.message).to.match(/multiple of 10\^12 wei/);
    });

    it("names the pool's custom error when the claim would revert (paused pool)", async function () {
      const guardian = await ethers.getSigner("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC");
      await (await pool.connect(guardian).pause()).wait();
      try {
        const res = await post(app(), await sign(privateKeyToAccount(generatePrivateKey())));
        expect(res.status).to.equal(422);
        expect(res.body.error?.message).to.equal("the pool would refuse this claim: CompensationPoolEnforcedPause()");
      } finally {
        await (await pool.connect(guardian).unpause()).wait();
      }
    });

    it("relays for an EIP-1271 contract wallet whose owner signed", async function () {
      const owner = privateKeyToAccount(generatePrivateKey());
      const wallet = await ethers.deployContract("PoolERC1271Wallet", [owner.address]);
      const walletAddress = (await wallet.getAddress()) as Address;
      const res = await post(app(), await sign(owner, { claimant: walletAddress }));
      expect(res.status).to.equal(200);
      expect((await pool.getClaim(BigInt(String(res.body.claimId)))).claimant).to.equal(walletAddress);
    });

    it("rate-limits a flood per address and per client", async function () {
      const a = app({ perAddressPerHour: 2, perIpPerHour: 3 });
      const who = privateKeyToAccount(generatePrivateKey());
      expect((await post(a, await sign(who))).status).to.equal(200);
      expect((await post(a, await sign(who))).status).to.equal(200);
      const third = await post(a, await sign(who));
      expect(third.status).to.equal(429);
      expect(third.body.error?.message).to.equal("at most 2 relayed claims per address per hour");
      expect((await post(a, await sign(privateKeyToAccount(generatePrivateKey())))).status).to.equal(200);
      const fourth = await post(a, await sign(privateKeyToAccount(generatePrivateKey())));
      expect(fourth.status).to.equal(429);
      expect(fourth.body.error?.message).to.equal("at most 3 relayed claims per client per hour");
      clock += 3601; // an hour later the window has moved on
      expect((await post(a, await sign(who))).status).to.equal(200);
    });

    it("validates the body with clear messages", async function () {
      const a = app();
      const good = await sign(privateKeyToAccount(generatePrivateKey()));
      const cases: Array<[unknown, RegExp]> = [
        [{ ...good, request: { ...good.request, claimant: "0x1234" } }, /claimant must be an address/],
        [{ ...good, request: { ...good.request, kind: 7 } }, /request\.kind/],
        [{ ...good, request: { ...good.request, amount: "-5" } }, /amount must be a decimal integer string/],
        [{ ...good, request: { ...good.request, evidenceHash: "0x12" } }, /must be 32 bytes/],
        [{ ...good, signature: "xyz" }, /signature must be 0x-prefixed hex/],
        [{ request: good.request }, /signature/],
      ];
      for (const [body, message] of cases) {
        const res = await post(a, body);
        expect(res.status, JSON.stringify(body)).to.equal(400);
        expect(res.body.error?.code).to.equal("invalid_request");
        expect(res.body.error?.message).to.match(message);
      }
    });

    it("answers 503 when the station does not relay", async function () {
      const res = await post(app({}, false), await sign(privateKeyToAccount(generatePrivateKey())));
      expect(res.status).to.equal(503);
      expect(res.body.error?.code).to.equal("relayer_disabled");
    });
  });
}
