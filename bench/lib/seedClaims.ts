/**
 * Claims and their transitions written straight into the indexer's tables, the fastest way found
 * (one INSERT … SELECT over generate_series each; 100,000 claims in a few seconds). Shared by
 * bench/service-read.ts, bench/scale.ts and bench/scale-reads.ts.
 */
import { sql } from "drizzle-orm";
import { getAddress } from "viem";

import type { Database } from "../../service/src/db/client.js";

const ASSESSOR = getAddress("0x90f79bf6eb2c4f870365e785982e1f101e93b906");

export type SeedOptions = {
  /**
   * The share of claims, newest first, of which three quarters are still open (default 0.02, so
   * about 1.8% of all claims are open with the stuck ones; see `recentShareFor`).
   */
  recentShare?: number;
};

/** Share of claims stuck in Investigating among the older ones (open, past their deadline). */
const STUCK_SHARE = 0.003;
/** Share of the recent claims still open (Submitted 25%, Accepted 20%, Investigating 20%, Approved 10%). */
const RECENT_OPEN_SHARE = 0.75;

/** The `recentShare` for which about `openShare` of all claims are open (the stuck ones included). */
export function recentShareFor(openShare: number): number {
  return (openShare - STUCK_SHARE) / (RECENT_OPEN_SHARE - STUCK_SHARE);
}

/**
 * `count` claims in one INSERT … SELECT (seeded random, so every run holds the same data), ids in
 * submission order over the last 60 days as on-chain. Of the newest 2% (`recentShare`) three
 * quarters are still open (Submitted, Accepted, Investigating, Approved in the veto window); 0.3%
 * of older claims are stuck in Investigating (past their deadline); the rest are paid, rejected or
 * cancelled. 30% on the priority tier; claimants are 20,000 accounts in turn (claim id modulo
 * 20,000). Transitions are derived from the claim rows, one per stage reached.
 */
export async function seedClaims(
  db: Database,
  count: number,
  now: number,
  base: number,
  options: SeedOptions = {},
): Promise<void> {
  const CLAIMS = count;
  const recentShare = options.recentShare ?? 0.02;
  if (!(recentShare > 0 && recentShare <= 1)) throw new Error(`seedClaims: recentShare ${recentShare} not in (0, 1]`);
  await db.transaction(async (tx) => {
    await tx.execute(sql`SELECT setseed(0.42)`);
    await tx.execute(
      sql.raw(`INSERT INTO tiers (tier, threshold, threshold_whole_c, sla_factor_bps, discount_bps, active)
VALUES (0, 0, 0, 10000, 0, true), (1, 1000000000000000000000, 1000, 5000, 3000, true)`),
    );
    await tx.execute(
      sql.raw(`INSERT INTO claims (id, claimant, kind, status, tier, evidence_hash, gasless, amount_requested,
  amount_approved, late_credit, amount_paid, no_response_credit, resolution_credit, response_deadline, resolution_deadline, submitted_at, accepted_at,
  investigating_at, approved_at, payable_at, paid_at, closed_at, last_note_hash, submitted_block, submitted_tx,
  updated_block, updated_at)
WITH s AS (
  SELECT g AS id, random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5, random() AS r6
  FROM generate_series(1, ${CLAIMS}) g
), t AS (
  SELECT id, r1, r3, r5, r6,
    CASE WHEN id > ${CLAIMS} * ${1 - recentShare} THEN
           CASE WHEN r2 < 0.25 THEN 'Submitted' WHEN r2 < 0.45 THEN 'Accepted' WHEN r2 < 0.65 THEN 'Investigating'
                WHEN r2 < 0.75 THEN 'Approved' WHEN r2 < 0.95 THEN 'Paid' ELSE 'Rejected' END
         WHEN r2 < ${STUCK_SHARE} THEN 'Investigating'
         WHEN r2 < 0.77 THEN 'Paid' WHEN r2 < 0.89 THEN 'Rejected' ELSE 'Cancelled' END AS status,
    CASE WHEN r4 < 0.3 THEN 1 ELSE 0 END AS tier,
    (ARRAY['MissingReward', 'DataApiOutage', 'RedemptionToolFailure', 'Other'])[1 + (id % 4)::int] AS kind,
    -- ids follow submission time, as on-chain: 60 days of claims, the newest last
    ${now} - 60 - floor((${CLAIMS} - id) * ${(60 * 86_400) / CLAIMS}) - floor(r3 * 30) AS sub
  FROM s
), u AS (
  SELECT t.*,
    CASE WHEN tier = 1 THEN 300 ELSE 600 END AS rw,
    CASE WHEN tier = 1 THEN 7200 ELSE 14400 END AS sw,
    30 + floor(r5 * 900) AS acc_delay,
    600 + floor(r6 * 10000) AS res_delay,
    status = 'Rejected' AND r1 < 0.3 AS rejected_unanswered
  FROM t
), v AS (
  SELECT u.*,
    CASE WHEN status IN ('Submitted', 'Cancelled') OR rejected_unanswered THEN NULL
         ELSE least(sub + acc_delay, ${now}) END AS accepted
  FROM u
), w AS (
  SELECT v.*,
    CASE WHEN status IN ('Approved', 'Paid') THEN least(accepted + res_delay, ${now}) END AS approved,
    CASE WHEN status = 'Investigating' OR (accepted IS NOT NULL AND status <> 'Accepted' AND r6 < 0.6)
         THEN least(accepted + 60, ${now}) END AS investigating
  FROM v
), x AS (
  SELECT w.*,
    CASE WHEN status = 'Paid' THEN least(approved + 30, ${now}) END AS paid,
    CASE WHEN status = 'Rejected' THEN least(coalesce(accepted, sub) + res_delay, ${now})
         WHEN status = 'Cancelled' THEN least(sub + floor(r5 * 300), ${now}) END AS closed
  FROM w
)
SELECT id::numeric, '0x' || lpad(to_hex(id % 20000 + 1), 40, '0'), kind::claim_kind, status::claim_status, tier,
  '0x' || lpad(to_hex(id), 64, '0'), r1 < 0.2,
  (1 + floor(r3 * 50))::numeric * 1000000000000000000,
  CASE WHEN approved IS NULL THEN 0 ELSE (1 + floor(r3 * 50))::numeric * 1000000000000000000 END,
  CASE WHEN approved IS NOT NULL AND accepted > sub + rw THEN 100000000000000000::numeric ELSE 0 END,
  CASE WHEN status = 'Paid' THEN (1 + floor(r3 * 50))::numeric * 1000000000000000000
       + CASE WHEN accepted > sub + rw THEN 100000000000000000::numeric ELSE 0 END ELSE 0 END,
  0, 0, sub + rw, sub + sw, sub, accepted, investigating, approved,
  CASE WHEN status = 'Approved' THEN approved + 86400 WHEN status = 'Paid' THEN approved END,
  paid, closed, '0x' || repeat('0', 64), sub - ${base}, '0x' || lpad(to_hex(id * 8), 64, '0'),
  coalesce(paid, closed, approved, investigating, accepted, sub) - ${base},
  coalesce(paid, closed, approved, investigating, accepted, sub)
FROM x`),
    );
    const assessor = ASSESSOR.toLowerCase();
    await tx.execute(
      sql.raw(`INSERT INTO claim_transitions (id, chain_id, claim_id, status, actor, note_hash, block_number,
  block_timestamp, tx_hash, log_index)
SELECT id::text || '-' || k, 31337, id, st::claim_status, actor, '0x' || repeat('0', 64), at - ${base}, at,
  '0x' || lpad(to_hex(id::bigint * 8 + k), 64, '0'), 0
FROM (
  SELECT id, 0 AS k, 'Submitted' AS st, submitted_at AS at, claimant AS actor FROM claims
  UNION ALL SELECT id, 1, 'Accepted', accepted_at, '${assessor}' FROM claims WHERE accepted_at IS NOT NULL
  UNION ALL SELECT id, 2, 'Investigating', investigating_at, '${assessor}' FROM claims WHERE investigating_at IS NOT NULL
  UNION ALL SELECT id, 3, 'Approved', approved_at, '${assessor}' FROM claims WHERE approved_at IS NOT NULL
  UNION ALL SELECT id, 4, 'Paid', paid_at, claimant FROM claims WHERE paid_at IS NOT NULL
  UNION ALL SELECT id, 5, status::text, closed_at, '${assessor}' FROM claims WHERE closed_at IS NOT NULL
) AS steps`),
    );
  });
  // As a long-running indexer's tables would be: vacuumed and analysed (else autovacuum runs mid-bench).
  await db.execute(sql`VACUUM ANALYZE claims`);
  await db.execute(sql`VACUUM ANALYZE claim_transitions`);
}
