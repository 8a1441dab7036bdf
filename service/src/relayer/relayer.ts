import { sql } from "drizzle-orm";
import {
  BaseError,
  ContractFunctionRevertedError,
  decodeEventLog,
  getAddress,
  hashTypedData,
  verifyTypedData,
  type Account,
  type Address,
  type Chain,
  type Hex,
  type PublicClient,
  type Transport,
  type WalletClient,
} from "viem";

import { CompensationPoolAbi } from "../../../common/abis/CompensationPool.js";
import { claimGasLimit } from "../../../common/gas.js";
import type { Logger } from "../http/router.js";
import { queryRows, type Database } from "../db/client.js";
import { HttpError } from "../http/errors.js";

import { CLAIM_DOMAIN, CLAIM_REQUEST_TYPES } from "../../../common/typedData.js";

export { CLAIM_DOMAIN, CLAIM_REQUEST_TYPES };
/** Claim amounts are stored in units of 10^12 wei on-chain. */
const AMOUNT_UNIT = 10n ** 12n;
const CLAIM_KINDS = 4;

export type ClaimRequest = {
  claimant: Address;
  kind: number;
  amount: bigint;
  evidenceHash: Hex;
  nonce: bigint;
  deadline: bigint;
};

export type RelayerLimits = {
  /** Relayed requests per claimant per rolling hour. */
  perAddressPerHour: number;
  /** Relayed requests per client IP per rolling hour. */
  perIpPerHour: number;
  /** A request must stay valid at least this long, so it cannot expire while in the mempool. */
  minDeadlineMarginSeconds: number;
};

export type RelayerDeps = {
  db: Database;
  publicClient: PublicClient<Transport, Chain | undefined>;
  walletClient: WalletClient<Transport, Chain | undefined, Account>;
  pool: Address;
  chainId: number;
  limits: RelayerLimits;
  log: Logger;
  /** Called with the gas a relayed transaction cost (wei), for the spend metric. */
  onSpend?: (wei: bigint, outcome: "mined" | "failed") => void;
  now?: () => number;
};

export type RelayResult = { claimId: string; txHash: Hex; digest: Hex; status: "mined"; replayed: boolean };

/**
 * Relays EIP-712 signed claims (`submitClaimWithSig`), paying the gas for newcomers. Everything
 * that can be checked off-chain is checked before any gas is spent: deadline, kind, amount unit
 * and cap, nonce, signature (EOA, or EIP-1271 through the chain), then a simulation of the call.
 * The request's digest is recorded before sending, so the same request is never relayed twice,
 * by this replica or another one on the same database.
 */
export function createRelayer(deps: RelayerDeps) {
  const { db, publicClient, walletClient, pool, chainId, limits, log } = deps;
  const now = deps.now ?? (() => Math.floor(Date.now() / 1000));
  const domain = { ...CLAIM_DOMAIN, chainId, verifyingContract: pool };
  // One transaction at a time from the relayer's account keeps its nonces in order.
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };

  async function existing(digest: Hex) {
    const rows = await queryRows<{
      status: string;
      tx_hash: string | null;
      claim_id: string | null;
      error: string | null;
    }>(db, sql`SELECT status, tx_hash, claim_id, error FROM relay_requests WHERE digest = ${digest}`);
    return rows[0];
  }

  async function checkLimits(claimant: Address, ip: string) {
    const since = now() - 3600;
    const [row] = await queryRows<{ by_address: number; by_ip: number }>(
      db,
      sql`SELECT
            count(*) FILTER (WHERE claimant = ${claimant})::int AS by_address,
            count(*) FILTER (WHERE ip = ${ip})::int AS by_ip
          FROM relay_requests WHERE created_at > ${since} AND (claimant = ${claimant} OR ip = ${ip})`,
    );
    if ((row?.by_address ?? 0) >= limits.perAddressPerHour) {
      throw new HttpError(
        429,
        "rate_limited",
        `at most ${limits.perAddressPerHour} relayed claims per address per hour`,
      );
    }
    if ((row?.by_ip ?? 0) >= limits.perIpPerHour) {
      throw new HttpError(429, "rate_limited", `at most ${limits.perIpPerHour} relayed claims per client per hour`);
    }
  }

  async function checkRequest(request: ClaimRequest, signature: Hex) {
    if (request.deadline < BigInt(now() + limits.minDeadlineMarginSeconds)) {
      throw new HttpError(
        400,
        "invalid_request",
        `deadline ${request.deadline} has passed or is less than ${limits.minDeadlineMarginSeconds} s away`,
      );
    }
    if (request.kind < 0 || request.kind >= CLAIM_KINDS) {
      throw new HttpError(400, "invalid_request", `kind ${request.kind} is not a claim kind (0-3)`);
    }
    if (request.amount === 0n || request.amount % AMOUNT_UNIT !== 0n) {
      throw new HttpError(400, "invalid_request", "amount must be positive and a whole multiple of 10^12 wei");
    }
    const [cap, expectedNonce] = await Promise.all([
      publicClient.readContract({ address: pool, abi: CompensationPoolAbi, functionName: "perClaimCap" }),
      publicClient.readContract({
        address: pool,
        abi: CompensationPoolAbi,
        functionName: "nonces",
        args: [request.claimant],
      }),
    ]);
    if (request.amount > cap) {
      throw new HttpError(422, "over_cap", `amount ${request.amount} is above the per-claim cap ${cap}`);
    }
    if (request.nonce !== expectedNonce) {
      throw new HttpError(
        409,
        "stale_nonce",
        `nonce ${request.nonce} is not the claimant's next nonce ${expectedNonce}`,
      );
    }
    const typed = { domain, types: CLAIM_REQUEST_TYPES, primaryType: "ClaimRequest", message: request } as const;
    const eoaValid = await verifyTypedData({ address: request.claimant, signature, ...typed }).catch(() => false);
    if (!eoaValid) {
      // A contract wallet answers through EIP-1271 on the chain.
      const code = await publicClient.getCode({ address: request.claimant });
      const contractValid =
        code !== undefined && code !== "0x"
          ? await publicClient.verifyTypedData({ address: request.claimant, signature, ...typed }).catch(() => false)
          : false;
      if (!contractValid) throw new HttpError(400, "bad_signature", "the signature is not the claimant's");
    }
  }

  async function simulate(request: ClaimRequest, signature: Hex) {
    try {
      await publicClient.simulateContract({
        address: pool,
        abi: CompensationPoolAbi,
        functionName: "submitClaimWithSig",
        args: [request, signature],
        account: walletClient.account,
      });
    } catch (err) {
      const revert = err instanceof BaseError ? err.walk((e) => e instanceof ContractFunctionRevertedError) : null;
      if (revert instanceof ContractFunctionRevertedError) {
        const name = revert.data?.errorName ?? "unknown";
        const args = (revert.data?.args ?? []).map((a) => String(a)).join(", ");
        throw new HttpError(422, "would_revert", `the pool would refuse this claim: ${name}(${args})`);
      }
      throw new HttpError(502, "chain_unavailable", "could not reach the chain to check the claim");
    }
  }

  async function relay(request: ClaimRequest, signature: Hex, ip: string): Promise<RelayResult> {
    const claimant = getAddress(request.claimant);
    const req = { ...request, claimant };
    const digest = hashTypedData({ domain, types: CLAIM_REQUEST_TYPES, primaryType: "ClaimRequest", message: req });

    const answerSeen = (seen: Awaited<ReturnType<typeof existing>>): RelayResult | undefined => {
      if (seen === undefined) return undefined;
      if (seen.status === "mined" && seen.claim_id !== null && seen.tx_hash !== null) {
        return { claimId: seen.claim_id, txHash: seen.tx_hash as Hex, digest, status: "mined", replayed: true };
      }
      throw new HttpError(409, "already_relayed", `this request was already relayed (${seen.status})`);
    };
    const first = answerSeen(await existing(digest));
    if (first !== undefined) return first;
    await checkLimits(claimant, ip);
    try {
      await checkRequest(req, signature);
      await simulate(req, signature);
    } catch (err) {
      // The same request may have been relayed while this one was being checked: its nonce is
      // spent, so the checks fail. That is a repeat, not a bad request: answer as for one.
      const meanwhile = answerSeen(await existing(digest));
      if (meanwhile !== undefined) return meanwhile;
      throw err;
    }

    const t = now();
    const claimed = await queryRows<{ digest: string }>(
      db,
      sql`INSERT INTO relay_requests (digest, claimant, ip, status, created_at, updated_at)
          VALUES (${digest}, ${claimant}, ${ip}, 'pending', ${t}, ${t})
          ON CONFLICT (digest) DO NOTHING RETURNING digest`,
    );
    if (claimed.length === 0) throw new HttpError(409, "already_relayed", "this request is being relayed already");

    return serially(async () => {
      let txHash: Hex | undefined;
      try {
        const call = {
          address: pool,
          abi: CompensationPoolAbi,
          functionName: "submitClaimWithSig",
          args: [req, signature],
        } as const;
        // Another submission (another replica's, a claimant's own) may be mined first and leave this
        // one to open a fresh breach-lane slot, which the estimate did not count (common/gas.ts).
        const estimate = await publicClient.estimateContractGas({ ...call, account: walletClient.account });
        txHash = await walletClient.writeContract({
          ...call,
          gas: claimGasLimit(estimate),
          chain: walletClient.chain ?? null,
        });
        const receipt = await publicClient.waitForTransactionReceipt({ hash: txHash });
        const cost = receipt.gasUsed * receipt.effectiveGasPrice;
        deps.onSpend?.(cost, receipt.status === "success" ? "mined" : "failed");
        if (receipt.status !== "success") throw new Error(`transaction ${txHash} reverted`);
        const claimId = claimIdFrom(receipt.logs, pool);
        await db.execute(
          sql`UPDATE relay_requests SET status = 'mined', tx_hash = ${txHash}, claim_id = ${claimId.toString()},
                gas_used = ${receipt.gasUsed.toString()}, gas_cost_wei = ${cost.toString()}, updated_at = ${now()}
              WHERE digest = ${digest}`,
        );
        log.info("claim relayed", {
          claimId: claimId.toString(),
          claimant,
          txHash,
          gasUsed: receipt.gasUsed.toString(),
        });
        return { claimId: claimId.toString(), txHash, digest, status: "mined" as const, replayed: false };
      } catch (err) {
        const message = err instanceof BaseError ? err.shortMessage : String(err);
        await db.execute(
          sql`UPDATE relay_requests SET status = 'failed', tx_hash = ${txHash ?? null}, error = ${message}, updated_at = ${now()}
              WHERE digest = ${digest}`,
        );
        log.error("relay failed", { claimant, digest, error: message });
        throw new HttpError(502, "relay_failed", "the claim could not be submitted; it was not charged to you");
      }
    });
  }

  return { relay, domain };
}

export type Relayer = ReturnType<typeof createRelayer>;

function claimIdFrom(logs: readonly { address: Address; data: Hex; topics: readonly Hex[] }[], pool: Address): bigint {
  for (const l of logs) {
    if (getAddress(l.address) !== getAddress(pool)) continue;
    try {
      const decoded = decodeEventLog({
        abi: CompensationPoolAbi,
        data: l.data,
        topics: [...l.topics] as [Hex, ...Hex[]],
      });
      if (decoded.eventName === "ClaimSubmitted") return decoded.args.claimId;
    } catch {
      // Another event of the pool: keep looking.
    }
  }
  throw new Error("no ClaimSubmitted event in the receipt");
}
