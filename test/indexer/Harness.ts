/**
 * The indexer harness end to end, against real processes: a Hardhat node (scripts/lib/devchain),
 * the Mocks Ignition module (scripts/lib/deploy), and `ponder start` on indexer/ (scripts/lib/ponder).
 * The chain's own logs are the oracle: every table row must equal what eth_getLogs says.
 *
 * Runs on PGlite always, and on PostgreSQL too when DATABASE_URL is set (CI:
 * DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test). Each PostgreSQL suite works in a
 * throw-away database: Ponder's `ponder_sync` cache is per database and keyed by chain id, and
 * every local chain here is chain 31337.
 */
import { rm } from "node:fs/promises";

import { count, createClient, asc } from "@ponder/client";
import { expect } from "chai";
import { type Address, type Hex, encodeFunctionData, getAddress, parseEventLogs } from "viem";

import { MockCTokenAbi } from "../../indexer/abis/MockCToken.js";
import * as schema from "../../indexer/ponder.schema.js";
import { deployMocks, removeDeployment } from "../../scripts/lib/deploy.js";
import { type DevChain, startDevChain } from "../../scripts/lib/devchain.js";
import {
  type PonderDatabase,
  type PonderOptions,
  type PonderProcess,
  type ScratchDatabase,
  createScratchDatabase,
  freshSchemaName,
  startPonder,
} from "../../scripts/lib/ponder.js";

// Hardhat's well-known dev accounts (unlocked on the node).
const DEPLOYER: Address = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
const ALICE: Address = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const BOB: Address = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
const CAROL: Address = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";

/** Blocks Ponder treats as unfinalized on 31337: the backfill covers up to tip − 30. */
const FINALITY = 30;
/** Mints in the backfill range, one block each. */
const BACKFILL_MINTS = 240;

type Transfer = {
  from: Address;
  to: Address;
  amount: bigint;
  blockNumber: bigint;
  blockTimestamp: bigint;
  logIndex: number;
  transactionHash: Hex;
};
type Row = Transfer & { id: string };

/** Every Transfer of `token` on the chain from `fromBlock`, as the indexer's rows should be. */
async function chainTransfers(chain: DevChain, token: Address, fromBlock: number): Promise<Transfer[]> {
  const logs = await chain.rpc<Parameters<typeof parseEventLogs>[0]["logs"]>("eth_getLogs", [
    { address: token, fromBlock: `0x${fromBlock.toString(16)}`, toBlock: "latest" },
  ]);
  const events = parseEventLogs({ abi: MockCTokenAbi, eventName: "Transfer", logs });
  const blockNumbers = [...new Set(events.map((e) => e.blockNumber))];
  const blocks = await chain.rpcBatch<{ number: Hex; timestamp: Hex }>(
    blockNumbers.map((n) => ({ method: "eth_getBlockByNumber", params: [`0x${n.toString(16)}`, false] })),
  );
  const timestamps = new Map(blocks.map((b) => [BigInt(b.number), BigInt(b.timestamp)]));
  return events.map((e) => ({
    from: getAddress(e.args.from),
    to: getAddress(e.args.to),
    amount: e.args.value,
    blockNumber: e.blockNumber,
    blockTimestamp: timestamps.get(e.blockNumber)!,
    logIndex: e.logIndex,
    transactionHash: e.transactionHash,
  }));
}

/** Balances implied by a list of transfers (mints come from the zero address). */
function balancesOf(rows: readonly Transfer[]): Map<Address, bigint> {
  const balances = new Map<Address, bigint>();
  const zero = "0x0000000000000000000000000000000000000000";
  for (const r of rows) {
    if (r.from !== zero) balances.set(getAddress(r.from), (balances.get(getAddress(r.from)) ?? 0n) - r.amount);
    if (r.to !== zero) balances.set(getAddress(r.to), (balances.get(getAddress(r.to)) ?? 0n) + r.amount);
  }
  return balances;
}

function withoutId({ id: _id, ...rest }: Row): Transfer {
  return rest;
}

async function indexedRows(ponder: PonderProcess): Promise<Row[]> {
  const client = createClient(`${ponder.url}/sql`, { schema });
  const rows = await client.db
    .select()
    .from(schema.tokenTransfers)
    .orderBy(asc(schema.tokenTransfers.blockNumber), asc(schema.tokenTransfers.logIndex));
  return rows.map((r) => ({ ...r, from: getAddress(r.from), to: getAddress(r.to) }));
}

async function indexedCount(ponder: PonderProcess): Promise<number> {
  const client = createClient(`${ponder.url}/sql`, { schema });
  const [row] = await client.db.select({ n: count() }).from(schema.tokenTransfers);
  return row!.n;
}

function mint(token: Address, to: Address, amount: bigint) {
  return {
    from: DEPLOYER,
    to: token,
    data: encodeFunctionData({ abi: MockCTokenAbi, functionName: "mint", args: [to, amount] }),
  } as const;
}

function transfer(token: Address, from: Address, to: Address, amount: bigint) {
  return {
    from,
    to: token,
    data: encodeFunctionData({ abi: MockCTokenAbi, functionName: "transfer", args: [to, amount] }),
  } as const;
}

const databases: ("pglite" | "postgres")[] = process.env.DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];

for (const kind of databases) {
  describe(`indexer harness on ${kind}`, function () {
    let chain: DevChain;
    let token: Address;
    let startBlock: number;
    let deploymentId: string | undefined;
    let scratch: ScratchDatabase | undefined;
    const ponders: PonderProcess[] = [];
    const pgliteDirs: string[] = [];

    function database(): PonderDatabase {
      if (kind === "postgres") return { kind: "postgres", url: scratch!.url };
      return { kind: "pglite" };
    }

    async function launch(options: Partial<PonderOptions> = {}): Promise<PonderProcess> {
      const ponder = await startPonder({
        rpcUrl: chain.url,
        addresses: { MockCToken: token },
        startBlock,
        database: database(),
        // Ten rate-limit buckets: 200 requests/s from the start instead of 20.
        rpcBuckets: 10,
        ...options,
      });
      ponders.push(ponder);
      if (ponder.database.kind === "pglite") pgliteDirs.push(ponder.database.directory!);
      return ponder;
    }

    before(async function () {
      this.timeout(120_000);
      chain = await startDevChain();
      if (kind === "postgres") scratch = await createScratchDatabase(process.env.DATABASE_URL!);
      deploymentId = `local-test-${kind}-${chain.port}`;
      const deployment = await deployMocks(chain.url, { deploymentId });
      token = deployment.addresses.MockCToken;
      startBlock = deployment.startBlock;
      const recipients = [ALICE, BOB, CAROL];
      await chain.sendTransactions(
        Array.from({ length: BACKFILL_MINTS }, (_, i) => mint(token, recipients[i % 3]!, BigInt(i + 1) * 10n ** 18n)),
      );
      // Bury the mints below the finality depth so the backfill (not the live sync) indexes them.
      await chain.mine(FINALITY + 5);
    });

    after(async function () {
      this.timeout(60_000);
      await Promise.all(ponders.map((p) => p.stop({ releaseLock: false })));
      await chain?.stop();
      await scratch?.drop();
      if (deploymentId !== undefined) await removeDeployment(deploymentId);
      await Promise.all(pgliteDirs.map((dir) => rm(dir, { recursive: true, force: true })));
    });

    describe("with one indexer running", function () {
      let ponder: PonderProcess;

      before(async function () {
        this.timeout(120_000);
        // No addresses in env: the config falls back to the Ignition deployment's
        // deployed_addresses.json (key "Mocks#MockCToken") and start block 0.
        ponder = await launch({ addresses: {}, startBlock: undefined, ignitionDeployment: deploymentId });
        await ponder.waitForBlock(await chain.blockNumber());
      });

      it("indexes every backfilled Transfer with the values the chain logged", async function () {
        const expected = await chainTransfers(chain, token, startBlock);
        expect(expected).to.have.length(BACKFILL_MINTS);
        const rows = await indexedRows(ponder);
        expect(rows.map(withoutId)).to.deep.equal(expected);
        expect(rows[0]!.amount).to.equal(10n ** 18n);
        expect(rows.at(-1)!.amount).to.equal(BigInt(BACKFILL_MINTS) * 10n ** 18n);
        expect(new Set(rows.map((r) => r.id)).size).to.equal(BACKFILL_MINTS);
      });

      it("serves a live transfer over REST, SQL and GraphQL with exact values", async function () {
        const [hash] = await chain.sendTransactions([transfer(token, ALICE, BOB, 123_456_789n)]);
        const [receipt] = await chain.receipts([hash!]);
        await ponder.waitForBlock(BigInt(receipt!.blockNumber), 10_000);

        const rest = (await (await fetch(`${ponder.url}/v1/transfers/${BOB.toLowerCase()}?limit=1`)).json()) as {
          account: string;
          transfers: Record<string, unknown>[];
        };
        expect(rest.account).to.equal(BOB);
        expect(rest.transfers).to.have.length(1);
        expect(rest.transfers[0]).to.include({
          from: ALICE,
          to: BOB,
          amount: "123456789",
          blockNumber: BigInt(receipt!.blockNumber).toString(),
          transactionHash: hash,
        });

        const rows = await indexedRows(ponder);
        expect(rows.map(withoutId)).to.deep.equal(await chainTransfers(chain, token, startBlock));

        const graphql = (await (
          await fetch(`${ponder.url}/graphql`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ query: `{ tokenBalances(account: "${BOB}") { balance transferCount } }` }),
          })
        ).json()) as { data: { tokenBalances: { balance: string; transferCount: number } } };
        const bobMinted = Array.from({ length: BACKFILL_MINTS }, (_, i) => i)
          .filter((i) => i % 3 === 1)
          .reduce((sum, i) => sum + BigInt(i + 1) * 10n ** 18n, 0n);
        expect(graphql.data.tokenBalances).to.deep.equal({
          balance: (bobMinted + 123_456_789n).toString(),
          transferCount: BACKFILL_MINTS / 3 + 1,
        });
      });

      it("rejects a malformed address on the REST route with the JSON error shape", async function () {
        const response = await fetch(`${ponder.url}/v1/balances/0x1234`);
        expect(response.status).to.equal(400);
        expect(await response.json()).to.deep.equal({
          error: { code: "bad_request", message: "invalid account: not an address" },
        });
      });

      it("follows a 3-block reorg: rows of the abandoned blocks vanish, the new chain's appear", async function () {
        const snapshot = await chain.snapshot();
        const abandoned = await chain.sendTransactions([
          transfer(token, ALICE, CAROL, 1n),
          transfer(token, ALICE, CAROL, 2n),
          transfer(token, ALICE, CAROL, 3n),
        ]);
        const tip = await chain.blockNumber();
        await ponder.waitForBlock(tip, 10_000);
        const before = await indexedRows(ponder);
        expect(before.filter((r) => abandoned.includes(r.transactionHash))).to.have.length(3);

        await chain.revert(snapshot);
        // A longer replacement chain (4 blocks), with different transfers, so Ponder sees the fork.
        const replacement = await chain.sendTransactions([
          transfer(token, BOB, CAROL, 7n),
          transfer(token, BOB, CAROL, 8n),
          transfer(token, BOB, CAROL, 9n),
          transfer(token, BOB, CAROL, 10n),
        ]);
        const newTip = await chain.blockNumber();
        expect(newTip).to.equal(tip + 1n);
        // Wait for the replacement's last row (the indexed tip alone does not prove the fork
        // was reconciled: the abandoned chain reached a block number one below it).
        const lastHash = replacement.at(-1)!;
        const deadline = Date.now() + 15_000;
        let rows = await indexedRows(ponder);
        while (!rows.some((r) => r.transactionHash === lastHash) && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          rows = await indexedRows(ponder);
        }

        const expected = await chainTransfers(chain, token, startBlock);
        expect(rows.map(withoutId)).to.deep.equal(expected);
        expect(rows.filter((r) => abandoned.includes(r.transactionHash))).to.have.length(0);
        expect(rows.filter((r) => replacement.includes(r.transactionHash)).map((r) => r.amount)).to.deep.equal([
          7n,
          8n,
          9n,
          10n,
        ]);
        const carol = (await (await fetch(`${ponder.url}/v1/balances/${CAROL}`)).json()) as { balance: string };
        expect(carol.balance).to.equal(balancesOf(expected).get(CAROL)!.toString());
      });
    });

    it("resumes after a stop in the middle of the backfill with the same rows, none duplicated", async function () {
      this.timeout(180_000);
      const schemaName = freshSchemaName("restart");
      const db = database();
      // One bucket (20 requests/s): a backfill slow enough to stop half-way through.
      const first = await launch({ schema: schemaName, rpcBuckets: 1, waitFor: "listening" });
      const finalized = Number(await chain.blockNumber()) - FINALITY;
      // Stop once a batch is committed (its checkpoint is past the start) but before the end.
      let indexedAtStop = 0;
      const deadline = Date.now() + 60_000;
      for (;;) {
        const chains = Object.values(await first.status().catch(() => ({})));
        const block = chains[0]?.block.number ?? 0;
        if (block > startBlock) {
          indexedAtStop = block;
          break;
        }
        if (Date.now() > deadline) throw new Error("backfill never committed a batch");
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await first.stop();
      expect(indexedAtStop).to.be.lessThan(finalized);

      const second = await launch({
        schema: schemaName,
        database: first.database.kind === "pglite" ? first.database : db,
      });
      await second.waitForBlock(await chain.blockNumber());
      const logs = await second.logs();
      expect(logs.some((l) => l.msg === "Detected crash recovery")).to.equal(true);
      const expected = await chainTransfers(chain, token, startBlock);
      const rows = await indexedRows(second);
      expect(await indexedCount(second)).to.equal(expected.length);
      expect(rows.map(withoutId)).to.deep.equal(expected);
      expect(new Set(rows.map((r) => r.id)).size).to.equal(expected.length);
      await second.stop({ releaseLock: false });
    });
  });
}
