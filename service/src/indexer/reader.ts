/**
 * Reading the indexer's tables (indexer/ponder.schema.ts). In production the database object is
 * @ponder/client's drizzle over Ponder's SQL over HTTP (see ./ponder.ts), so every query here
 * must pass Ponder's SQL allow-list: one SELECT, no sub-queries in expressions (`IN (SELECT …)`,
 * `EXISTS`), no schema-qualified names, and only the functions Ponder allows (count, sum, min,
 * max, coalesce, ceil, window functions …; not `percentile_cont`, not `extract`). It must also not
 * select two columns with the same name: Ponder answers with row objects keyed by column name.
 * test/service/IndexerReader.ts runs every query below through Ponder's own validator.
 */
import {
  and,
  asc,
  between,
  desc,
  eq,
  getTableColumns,
  gt,
  inArray,
  lt,
  lte,
  max,
  or,
  sql,
  type SQL,
} from "drizzle-orm";
import type { PgColumn, PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { getAddress, type Address, type Hex } from "viem";

import {
  breachCredits,
  claims,
  claimTransitions,
  coverageBookings,
  settings,
  tiers,
} from "../../../indexer/ponder.schema.js";
import { chainClock } from "./clock.js";

import { OPEN_STATUSES, type ClaimKind, type ClaimStatus } from "../../../common/claims.js";

export { CLAIM_KINDS, CLAIM_STATUSES, type ClaimKind, type ClaimStatus } from "../../../common/claims.js";

/** Statuses in which a claim still waits for someone (Approved waits for its payout). */
export { OPEN_STATUSES } from "../../../common/claims.js";

/** A claim row as the indexer holds it, with the SLA factor its tier has in the tier table now. */
export type ClaimRecord = typeof claims.$inferSelect & { tierSlaFactorBps: number | null };

export type TransitionRecord = Pick<
  typeof claimTransitions.$inferSelect,
  "id" | "status" | "actor" | "noteHash" | "blockNumber" | "blockTimestamp" | "txHash" | "logIndex"
>;

/** A claim_transitions row as the claim cache's change watcher sees it. */
export type TransitionStamp = { id: string; claimId: bigint; txHash: Hex; blockNumber: bigint };

/**
 * A change window as the database wrote it. Most checks find nothing new, and each one reads the
 * window four times a second: `text` lets them see that without parsing a row (equal texts, equal
 * windows); `read()` parses it when it differs.
 */
export type ChangeWindow = {
  text: string;
  read(): { transitions: TransitionStamp[]; tiers: Array<{ tier: number; slaFactorBps: number }> };
};

/**
 * What the claim cache (tracking/claimCache.ts) asks the indexer to notice changes: the
 * transitions of recent blocks, and the tier table.
 */
export interface ClaimChangeReader {
  /**
   * What one check compares, in one round trip: the transitions and breach credits in blocks above
   * `afterBlock` (by block then id, at most `limit`) and each tier's SLA factor.
   */
  changeWindow(afterBlock: bigint, limit: number): Promise<ChangeWindow>;
  /** The newest block holding a transition, or null when there is none. */
  newestTransitionBlock(): Promise<bigint | null>;
  /** Every claim still waiting for someone (OPEN_STATUSES), as the queue needs it. */
  openClaims(): Promise<QueueSource[]>;
  /** These claims as the queue needs them, whatever their status (at most 200 ids a call). */
  queueSources(ids: bigint[]): Promise<QueueSource[]>;
  /**
   * Claims as the station figures need them (service/src/stats/ledger.ts): these ids (at most 200),
   * or, with `after`, the next `limit` claims by id. Readers that cannot offer it leave it out.
   */
  statsSources?(query: { ids: bigint[] } | { after: bigint; limit: number }): Promise<StatsSource[]>;
  /**
   * The timelines of the next `limit` claims with ids above `after`, in id order (the claim cache
   * fills itself with the newest claims at start). Readers that cannot offer it leave it out.
   */
  timelinesAfter?(after: bigint, limit: number): Promise<ClaimTimeline[]>;
  /** The id of the `n`th newest claim, or null when there are fewer than `n` claims. */
  nthNewestClaimId?(n: number): Promise<bigint | null>;
}

/** A claim and its transitions in chain order (what the tracking page needs). */
export type ClaimTimeline = { claim: ClaimRecord; transitions: TransitionRecord[] };

/** The claim columns behind the station figures. */
export type StatsSource = Pick<
  typeof claims.$inferSelect,
  | "id"
  | "kind"
  | "status"
  | "tier"
  | "submittedAt"
  | "acceptedAt"
  | "approvedAt"
  | "paidAt"
  | "closedAt"
  | "responseDeadline"
  | "resolutionDeadline"
>;

/** The newest block the indexer has processed on the service's chain. */
export type ChainHead = { number: bigint; timestamp: bigint };

/** Which deadline a queue item is waiting on. */
export type DeadlineKind = "response" | "resolution" | "payable";

export type QueueRecord = Pick<
  ClaimRecord,
  | "id"
  | "claimant"
  | "kind"
  | "status"
  | "tier"
  | "amountRequested"
  | "amountApproved"
  | "submittedAt"
  | "responseDeadline"
  | "resolutionDeadline"
  | "payableAt"
  | "updatedBlock"
  | "noResponseCredit"
  | "resolutionCredit"
> & { deadline: bigint };

/** A claim's row as the SLA queue needs it, whatever its status (the deadline is derived from it). */
export type QueueSource = Omit<QueueRecord, "deadline">;

export type QueueQuery = {
  /** Unix seconds: what "breached" and "not yet payable" are measured against. */
  now: bigint;
  kind?: ClaimKind | undefined;
  tier?: number | undefined;
  breached?: boolean | undefined;
  /** Keyset cursor: items strictly after this (deadline, id). */
  after?: { deadline: bigint; id: bigint } | undefined;
  limit: number;
};

export type AccountClaimsQuery = {
  limit: number;
  /** Keyset cursor: claims with an id below this one. */
  beforeId?: bigint | undefined;
  offset?: number | undefined;
};

export type StatsWindow = "24h" | "7d" | "all";
export type StatsDimension = "all" | "kind" | "tier";

/** One row of the duration figures: `key` is the kind or tier ("" for `dim` all). */
export type DurationRow = {
  metric: "accept" | "resolve";
  win: StatsWindow;
  dim: StatsDimension;
  key: string;
  n: number;
  p50: number | null;
  p90: number | null;
  mean: number | null;
};

/** One row of the deadline figures: claims whose outcome was decided in the window, and how many met it. */
export type SlaRow = {
  sla: "response" | "resolution";
  win: StatsWindow;
  dim: StatsDimension;
  key: string;
  due: number;
  met: number;
};

export type OpenRow = { stage: ClaimStatus; kind: ClaimKind; tier: number; n: number; overdue: number };

export type HistogramRow = { tier: number; n: number; sum: number; buckets: number[] };

export type StatsRows = {
  durations: DurationRow[];
  sla: SlaRow[];
  open: OpenRow[];
  /** Cumulative counts of time-to-accept at each of `TIME_TO_ACCEPT_BUCKETS`, per tier. */
  acceptHistogram: HistogramRow[];
};

/** Upper bounds (seconds) of the time-to-accept histogram served on /metrics. */
export const TIME_TO_ACCEPT_BUCKETS = [30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400] as const;

/**
 * Per-actor rows behind the per-assessor figures: how many claims each staff address moved
 * (accepted, approved or rejected), and its acceptance and resolution durations grouped by value,
 * with how many of them met their deadline.
 */
export type AssessorRows = {
  handled: Array<{ actor: Address; claims: number }>;
  durations: Array<{ actor: Address; metric: "accept" | "resolve"; seconds: number; n: number; met: number }>;
};

/**
 * An event standby in force: a `CoverageBooked` window containing now, the booked package and its
 * SLA factor (the best one when several bookings overlap).
 */
export type StandbyRecord = {
  beneficiary: Address;
  packageId: bigint;
  slaFactorBps: number;
  start: bigint;
  end: bigint;
};

/** The breach credits the pool pays now (`BreachCreditsSet`; 0: off, the default until set). */
export type BreachCreditTerms = { noResponse: bigint; resolution: bigint };

export interface IndexerReader {
  head(): Promise<ChainHead>;
  /**
   * The chain's time (unix seconds) at wall-clock instant `wallMs`: the head block's timestamp plus
   * the time since the head was first seen (./clock.ts). Deadlines are judged by it.
   */
  chainNow(wallMs: number): Promise<bigint>;
  /**
   * The head and the chain's time at `wallMs` as `head()` and `chainNow(wallMs)` give them, when the
   * head is at hand without waiting (read within its cache's time); undefined when it is not. The
   * claim read's lane answers from memory without a promise with it (claims/lane.ts).
   */
  clockAt?(wallMs: number): { head: ChainHead; now: bigint } | undefined;
  /**
   * The event standby each of `beneficiaries` has at `now` (`start <= now < end`), by lowercase
   * address; beneficiaries without one are absent.
   */
  standby(beneficiaries: Address[], now: bigint): Promise<Map<string, StandbyRecord>>;
  /** The breach credits in force. */
  breachCreditTerms(): Promise<BreachCreditTerms>;
  claim(id: bigint): Promise<ClaimRecord | undefined>;
  /** A claim and its transitions in chain order, in one query (what the tracking page needs). */
  timeline(id: bigint): Promise<ClaimTimeline | undefined>;
  /** A claim's transitions in chain order. */
  transitions(claimId: bigint): Promise<TransitionRecord[]>;
  /** An account's claims, newest first. */
  claimsByAccount(account: Address, query: AccountClaimsQuery): Promise<ClaimRecord[]>;
  /** Open claims ordered by the deadline they wait on, then id. */
  queue(query: QueueQuery): Promise<QueueRecord[]>;
  /** Raw rows behind the public station figures, measured at `now` (unix seconds). */
  stats(now: bigint): Promise<StatsRows>;
  /**
   * Which of `hashes` (lower-case) some claim was filed with as its evidenceHash; readers that
   * cannot offer it leave it out (opening statements never filed are then kept).
   */
  filedEvidence?(hashes: Hex[]): Promise<Set<string>>;
  /** Rows behind the per-assessor figures (readers that cannot offer them leave it out). */
  assessorRows?(): Promise<AssessorRows>;
  /** Change detection for the claim cache; readers that cannot offer it leave it out (no cache then). */
  changes?: ClaimChangeReader;
}

/**
 * The part of a drizzle PostgreSQL database the reader uses. Both a plain drizzle database
 * (tests, benches) and @ponder/client's `client.db` provide it.
 */
export type IndexerDb = {
  select: PgDatabase<PgQueryResultHKT>["select"];
  execute(query: SQL): Promise<unknown>;
};

/** node-postgres and PGlite answer `execute` with `{ rows }`; drizzle's pg-proxy (Ponder) with the rows. */
async function rawRows<T>(db: IndexerDb, query: SQL): Promise<T[]> {
  const result = await db.execute(query);
  if (Array.isArray(result)) return result as T[];
  return (result as { rows: T[] }).rows;
}

const claimColumns = { ...getTableColumns(claims), tierSlaFactorBps: tiers.slaFactorBps };

/** The claim columns in a fixed order, for the claim row as one JSON array. */
const claimColumnList = Object.entries(claimColumns) as Array<[keyof ClaimRecord, PgColumn]>;

/** uint256 values (Ponder's numeric(78)) travel as JSON text: JSON numbers lose precision past 2^53. */
const isNumeric = (column: PgColumn) => /^(numeric|bigint)/.test(column.getSQLType());

/**
 * A claim's row as one JSON array (the timeline query's hot path). Answered as its 28 columns, each
 * request cost node-postgres a row description of 29 fields to parse (it describes the portal on
 * every execution) and a parser per field, and drizzle a mapping per field: most of a cache miss's
 * CPU after the round trip itself. One JSON value is parsed at once, and each field is then mapped
 * by its own column (`claimFromJson`).
 */
const claimJson = sql<unknown>`json_build_array(${sql.join(
  claimColumnList.map(([, column]) => (isNumeric(column) ? sql`CAST(${column} AS text)` : sql`${column}`)),
  sql`, `,
)})`.as("c_json");

/** The claim row of a `claimJson` value (over Ponder the value may arrive parsed or as JSON text). */
function claimFromJson(value: unknown): ClaimRecord {
  const values = (typeof value === "string" ? JSON.parse(value) : value) as unknown[];
  const claim: Record<string, unknown> = {};
  for (let i = 0; i < claimColumnList.length; i++) {
    const [key, column] = claimColumnList[i]!;
    const field = values[i];
    claim[key] = field === null || field === undefined ? null : column.mapFromDriverValue(field);
  }
  return claim as ClaimRecord;
}

/** One table's rows above `afterBlock` for a change window: by block then id, at most `limit`. */
function windowRows(table: typeof claimTransitions | typeof breachCredits, afterBlock: bigint, limit: number): SQL {
  return sql`(SELECT ${table.id} AS id, CAST(${table.claimId} AS text) AS claim_id, ${table.txHash} AS tx_hash,
    ${table.blockNumber} AS block_number FROM ${table} WHERE ${table.blockNumber} > ${afterBlock}
    ORDER BY ${table.blockNumber}, ${table.id} LIMIT ${limit})`;
}

/**
 * The change window as two JSON texts (one row): the rows of both tables, and the tier factors.
 * Sorted inside the aggregates, so the same rows always give the same text.
 */
function changeWindowQuery(afterBlock: bigint, limit: number): SQL {
  return sql`SELECT w.changes, t.tiers FROM
    (SELECT CAST(coalesce(json_agg(json_build_array(u.id, u.claim_id, u.tx_hash, CAST(u.block_number AS text))
       ORDER BY u.block_number, u.id), '[]') AS text) AS changes
     FROM (${windowRows(claimTransitions, afterBlock, limit)} UNION ALL ${windowRows(breachCredits, afterBlock, limit)}) AS u) AS w,
    (SELECT CAST(coalesce(json_agg(json_build_array(${tiers.tier}, ${tiers.slaFactorBps}) ORDER BY ${tiers.tier}), '[]')
       AS text) AS tiers FROM ${tiers}) AS t`;
}

/** The rows and tiers of a change window's texts (the rows merged in block, then id order, at most `limit`). */
function readChangeWindow(changes: string, tierText: string, limit: number): ReturnType<ChangeWindow["read"]> {
  const transitions = (JSON.parse(changes) as Array<[string, string, Hex, string]>)
    .map(([id, claimId, txHash, block]) => ({ id, claimId: BigInt(claimId), txHash, blockNumber: BigInt(block) }))
    .sort((a, b) => (a.blockNumber === b.blockNumber ? (a.id < b.id ? -1 : 1) : a.blockNumber < b.blockNumber ? -1 : 1))
    .slice(0, limit);
  const tierRows = (JSON.parse(tierText) as Array<[number, number]>).map(([tier, slaFactorBps]) => ({
    tier: Number(tier),
    slaFactorBps: Number(slaFactorBps),
  }));
  return { transitions, tiers: tierRows };
}

/** The deadline an open claim waits on: response until accepted, then resolution; payable time once approved. */
const applicableDeadline = sql<bigint>`CASE WHEN ${claims.status} = 'Submitted' THEN ${claims.responseDeadline} WHEN ${claims.status} = 'Approved' THEN ${claims.payableAt} ELSE ${claims.resolutionDeadline} END`;

const DAY = 86_400n;

/** The claim columns the SLA queue reads. */
const queueColumns = {
  id: claims.id,
  claimant: claims.claimant,
  kind: claims.kind,
  status: claims.status,
  tier: claims.tier,
  amountRequested: claims.amountRequested,
  amountApproved: claims.amountApproved,
  submittedAt: claims.submittedAt,
  responseDeadline: claims.responseDeadline,
  resolutionDeadline: claims.resolutionDeadline,
  payableAt: claims.payableAt,
  updatedBlock: claims.updatedBlock,
  noResponseCredit: claims.noResponseCredit,
  resolutionCredit: claims.resolutionCredit,
};

const statsColumns = {
  id: claims.id,
  kind: claims.kind,
  status: claims.status,
  tier: claims.tier,
  submittedAt: claims.submittedAt,
  acceptedAt: claims.acceptedAt,
  approvedAt: claims.approvedAt,
  paidAt: claims.paidAt,
  closedAt: claims.closedAt,
  responseDeadline: claims.responseDeadline,
  resolutionDeadline: claims.resolutionDeadline,
};

/**
 * Beneficiaries per `IN (…)` list of the standby query: an address is 44 characters of SQL text,
 * and Ponder refuses texts over 5,000 characters.
 */
const STANDBY_ADDRESSES_PER_QUERY = 50;

/** Ids per `IN (…)` list: Ponder refuses SQL texts over 5,000 characters. */
export const MAX_IDS_PER_QUERY = 200;

/**
 * A claim's transitions as one JSON array of arrays, so the timeline query answers one row per
 * claim (a join answered the claim's 28 columns once per transition, and mapping and parsing
 * them was most of a cache miss's CPU time). Block numbers and timestamps travel as text (JSON
 * numbers lose precision past 2^53). Ponder allows json_agg and json_build_array; over Ponder the
 * value may arrive already parsed or as JSON text.
 */
const transitionsJson =
  sql<unknown>`json_agg(json_build_array(${claimTransitions.id}, ${claimTransitions.status}, ${claimTransitions.actor}, ${claimTransitions.noteHash}, CAST(${claimTransitions.blockNumber} AS text), CAST(${claimTransitions.blockTimestamp} AS text), ${claimTransitions.txHash}, ${claimTransitions.logIndex}))`.as(
    "t_json",
  );

type TransitionTuple = [
  string | null,
  ClaimStatus | null,
  Hex | null,
  Hex | null,
  string | null,
  string | null,
  Hex | null,
  number | null,
];

/** The transitions of a timeline row (the left join gives one all-null tuple to a claim without any). */
function transitionsOf(value: unknown): TransitionRecord[] {
  const tuples = (typeof value === "string" ? JSON.parse(value) : value) as TransitionTuple[] | null;
  const transitions: TransitionRecord[] = [];
  for (const [id, status, actor, noteHash, blockNumber, blockTimestamp, txHash, logIndex] of tuples ?? []) {
    if (id === null || status === null || blockNumber === null || blockTimestamp === null) continue;
    transitions.push({
      id,
      status,
      actor: actor ?? "0x",
      noteHash: noteHash ?? "0x",
      blockNumber: BigInt(blockNumber),
      blockTimestamp: BigInt(blockTimestamp),
      txHash: txHash ?? "0x",
      logIndex: Number(logIndex ?? 0),
    });
  }
  return transitions.sort(byChainOrder);
}

/** A timeline query's row as the claim and its transitions. */
function timelineOf(row: { claim: unknown; transitions: unknown }): ClaimTimeline {
  return { claim: claimFromJson(row.claim), transitions: transitionsOf(row.transitions) };
}

/** Chain order: block, then log index. */
function byChainOrder(a: TransitionRecord, b: TransitionRecord): number {
  if (a.blockNumber !== b.blockNumber) return a.blockNumber < b.blockNumber ? -1 : 1;
  return a.logIndex - b.logIndex;
}

export function createIndexerReader(options: {
  db: IndexerDb;
  head: () => Promise<ChainHead>;
  /** The head `head()` would give now, when it has it at hand (a cached head); else undefined. */
  headNow?: () => ChainHead | undefined;
}): IndexerReader & { changes: Required<ClaimChangeReader> } {
  const { db } = options;
  // Built once: the SQL text is not rebuilt per request, PostgreSQL keeps the named statement
  // (parsed and, after a few runs, planned) per connection, and Ponder's SQL-over-HTTP validates a
  // given text once. Ordered here rather than in SQL: a claim has a handful of transitions, and
  // the sort made the plan (and on PGlite, planning is most of a query's cost) dearer.
  const timelines = (where: SQL) =>
    db
      .select({ claim: claimJson, transitions: transitionsJson })
      .from(claims)
      .leftJoin(tiers, eq(tiers.tier, claims.tier))
      .leftJoin(claimTransitions, eq(claimTransitions.claimId, claims.id))
      .where(where)
      .groupBy(claims.id, tiers.slaFactorBps);
  const timelineQuery = timelines(eq(claims.id, sql.placeholder("id"))).prepare("station_claim_timeline");
  // An account's claims, newest first: prepared like the timeline, and each row as one JSON value
  // (a page of 20 rows of 28 columns was mostly node-postgres parsing fields and drizzle mapping
  // them, on top of PostgreSQL parsing and planning the text on every request).
  const owned = (where?: SQL) =>
    db
      .select({ claim: claimJson })
      .from(claims)
      .leftJoin(tiers, eq(tiers.tier, claims.tier))
      .where(and(eq(claims.claimant, sql.placeholder("owner")), where))
      .orderBy(desc(claims.id))
      .limit(sql.placeholder("limit"));
  const accountClaims = owned().prepare("station_account_claims");
  const accountClaimsBefore = owned(lt(claims.id, sql.placeholder("before"))).prepare("station_account_claims_before");
  const accountClaimsAt = owned().offset(sql.placeholder("offset")).prepare("station_account_claims_at");
  const changes: Required<ClaimChangeReader> = {
    async changeWindow(afterBlock, limit) {
      // A breach credit changes a claim's row without a transition: it counts as a change too.
      const [row] = await rawRows<{ changes: string; tiers: string }>(db, changeWindowQuery(afterBlock, limit));
      const text = `${row?.changes ?? "[]"}\n${row?.tiers ?? "[]"}`;
      return { text, read: () => readChangeWindow(row?.changes ?? "[]", row?.tiers ?? "[]", limit) };
    },
    async newestTransitionBlock() {
      const [row] = await db.select({ block: max(claimTransitions.blockNumber) }).from(claimTransitions);
      const [credit] = await db.select({ block: max(breachCredits.blockNumber) }).from(breachCredits);
      const blocks = [row?.block, credit?.block].filter((b): b is bigint => b !== null && b !== undefined);
      return blocks.length === 0 ? null : blocks.reduce((a, b) => (a > b ? a : b));
    },
    async openClaims() {
      return db.select(queueColumns).from(claims).where(inArray(claims.status, OPEN_STATUSES));
    },
    async queueSources(ids) {
      if (ids.length === 0) return [];
      if (ids.length > MAX_IDS_PER_QUERY) throw new Error(`at most ${MAX_IDS_PER_QUERY} ids per query`);
      return db.select(queueColumns).from(claims).where(inArray(claims.id, ids));
    },
    async statsSources(query) {
      if ("ids" in query) {
        if (query.ids.length === 0) return [];
        if (query.ids.length > MAX_IDS_PER_QUERY) throw new Error(`at most ${MAX_IDS_PER_QUERY} ids per query`);
        return db.select(statsColumns).from(claims).where(inArray(claims.id, query.ids));
      }
      return db
        .select(statsColumns)
        .from(claims)
        .where(gt(claims.id, query.after))
        .orderBy(asc(claims.id))
        .limit(query.limit);
    },
    async timelinesAfter(after, limit) {
      // The ids first (from the primary key alone), then their timelines by range: Ponder refuses
      // sub-queries, and a LIMIT over the grouped join would have PostgreSQL group every claim.
      const ids = await db
        .select({ id: claims.id })
        .from(claims)
        .where(gt(claims.id, after))
        .orderBy(asc(claims.id))
        .limit(limit);
      if (ids.length === 0) return [];
      const rows = await timelines(between(claims.id, ids[0]!.id, ids[ids.length - 1]!.id)).orderBy(asc(claims.id));
      return rows.map(timelineOf);
    },
    async nthNewestClaimId(n) {
      if (!Number.isInteger(n) || n < 1) throw new Error("nthNewestClaimId: n must be a positive integer");
      const [row] = await db
        .select({ id: claims.id })
        .from(claims)
        .orderBy(desc(claims.id))
        .limit(1)
        .offset(n - 1);
      return row?.id ?? null;
    },
  };
  const clock = chainClock(options.head);
  return {
    head: options.head,
    chainNow: clock,
    clockAt: (wallMs) => {
      const head = options.headNow?.();
      return head === undefined ? undefined : { head, now: clock.at(head, wallMs) };
    },
    changes,

    async standby(beneficiaries, now) {
      const keys = [...new Set(beneficiaries.map((a) => a.toLowerCase() as Address))];
      const found = new Map<string, StandbyRecord>();
      for (let i = 0; i < keys.length; i += STANDBY_ADDRESSES_PER_QUERY) {
        const rows = await db
          .select({
            beneficiary: coverageBookings.beneficiary,
            packageId: coverageBookings.packageId,
            slaFactorBps: coverageBookings.slaFactorBps,
            start: coverageBookings.start,
            end: coverageBookings.end,
          })
          .from(coverageBookings)
          .where(
            and(
              inArray(coverageBookings.beneficiary, keys.slice(i, i + STANDBY_ADDRESSES_PER_QUERY)),
              lte(coverageBookings.start, now),
              gt(coverageBookings.end, now),
            ),
          );
        for (const r of rows) {
          const key = r.beneficiary.toLowerCase();
          const best = found.get(key);
          // The pool uses the fastest (lowest) factor in force; of equal ones, the longest-lasting.
          if (
            best === undefined ||
            r.slaFactorBps < best.slaFactorBps ||
            (r.slaFactorBps === best.slaFactorBps && r.end > best.end)
          ) {
            found.set(key, { ...r, beneficiary: getAddress(r.beneficiary) });
          }
        }
      }
      return found;
    },

    async breachCreditTerms() {
      const rows = await db
        .select({ name: settings.name, value: settings.value })
        .from(settings)
        .where(
          and(
            eq(settings.contract, "CompensationPool"),
            inArray(settings.name, ["noResponseCredit", "resolutionCredit"]),
          ),
        );
      const value = (name: string) => BigInt(rows.find((r) => r.name === name)?.value ?? "0");
      return { noResponse: value("noResponseCredit"), resolution: value("resolutionCredit") };
    },

    async timeline(id) {
      const [row] = await timelineQuery.execute({ id });
      return row === undefined ? undefined : timelineOf(row);
    },

    async filedEvidence(hashes) {
      if (hashes.length === 0) return new Set();
      // No index on evidence_hash: a scan of the claims, run by the purge loop for the openings
      // that reached their deadline (each is looked up once), not per request.
      const rows = await db
        .select({ hash: claims.evidenceHash })
        .from(claims)
        .where(inArray(claims.evidenceHash, hashes));
      return new Set(rows.map((r) => r.hash.toLowerCase()));
    },

    async claim(id) {
      const rows = await db
        .select(claimColumns)
        .from(claims)
        .leftJoin(tiers, eq(tiers.tier, claims.tier))
        .where(eq(claims.id, id))
        .limit(1);
      return rows[0];
    },

    async transitions(claimId) {
      return db
        .select({
          id: claimTransitions.id,
          status: claimTransitions.status,
          actor: claimTransitions.actor,
          noteHash: claimTransitions.noteHash,
          blockNumber: claimTransitions.blockNumber,
          blockTimestamp: claimTransitions.blockTimestamp,
          txHash: claimTransitions.txHash,
          logIndex: claimTransitions.logIndex,
        })
        .from(claimTransitions)
        .where(eq(claimTransitions.claimId, claimId))
        .orderBy(asc(claimTransitions.blockNumber), asc(claimTransitions.logIndex));
    },

    async claimsByAccount(account, query) {
      const owner = account.toLowerCase();
      const rows =
        query.beforeId !== undefined
          ? await accountClaimsBefore.execute({ owner, before: query.beforeId, limit: query.limit })
          : query.offset !== undefined && query.offset > 0
            ? await accountClaimsAt.execute({ owner, offset: query.offset, limit: query.limit })
            : await accountClaims.execute({ owner, limit: query.limit });
      return rows.map((row) => claimFromJson(row.claim));
    },

    async queue(query) {
      const deadline = applicableDeadline.mapWith(claims.responseDeadline);
      const conditions: SQL[] = [
        or(
          inArray(claims.status, ["Submitted", "Accepted", "Investigating"]),
          and(eq(claims.status, "Approved"), gt(claims.payableAt, query.now)),
        )!,
      ];
      if (query.kind !== undefined) conditions.push(eq(claims.kind, query.kind));
      if (query.tier !== undefined) conditions.push(eq(claims.tier, query.tier));
      if (query.breached === true) conditions.push(sql`${applicableDeadline} < ${query.now}`);
      if (query.breached === false) conditions.push(sql`${applicableDeadline} >= ${query.now}`);
      if (query.after !== undefined) {
        conditions.push(sql`(${applicableDeadline}, ${claims.id}) > (${query.after.deadline}, ${query.after.id})`);
      }
      return db
        .select({ ...queueColumns, deadline: deadline.as("deadline") })
        .from(claims)
        .where(and(...conditions))
        .orderBy(asc(applicableDeadline), asc(claims.id))
        .limit(query.limit);
    },

    async stats(now) {
      const since24h = now - DAY;
      const since7d = now - 7n * DAY;
      // Sequential on purpose: PGlite runs one query at a time anyway, and over HTTP four
      // parallel full scans would compete with the indexer's own writes.
      const durations = await rawRows<DurationRow>(db, durationsQuery(since24h, since7d));
      const slaRows = await rawRows<SlaRow>(db, slaQuery(now, since24h, since7d));
      const open = await rawRows<OpenRow>(db, openQuery(now));
      const histogram = await rawRows<Record<string, number>>(db, acceptHistogramQuery());
      return {
        durations: durations.map((r) => ({
          ...r,
          n: Number(r.n),
          p50: num(r.p50),
          p90: num(r.p90),
          mean: num(r.mean),
        })),
        sla: slaRows.map((r) => ({ ...r, due: Number(r.due), met: Number(r.met) })),
        open: open.map((r) => ({ ...r, tier: Number(r.tier), n: Number(r.n), overdue: Number(r.overdue) })),
        acceptHistogram: histogram.map((r) => ({
          tier: Number(r.tier),
          n: Number(r.n),
          sum: Number(r.sum ?? 0),
          buckets: TIME_TO_ACCEPT_BUCKETS.map((_, i) => Number(r[`b${i}`] ?? 0)),
        })),
      };
    },
    async assessorRows() {
      const handled = await rawRows<{ actor: string; claims: string | number }>(
        db,
        sql`SELECT t.actor, count(DISTINCT t.claim_id) AS claims
            FROM claim_transitions t JOIN claims c ON c.id = t.claim_id
            WHERE t.status IN ('Accepted', 'Approved', 'Rejected') AND t.actor <> c.claimant
            GROUP BY 1 ORDER BY 1`,
      );
      const durations = await rawRows<{
        actor: string;
        metric: string;
        seconds: string | number;
        n: string | number;
        met: string | number;
      }>(
        db,
        sql`SELECT t.actor, CASE WHEN t.status = 'Accepted' THEN 'accept' ELSE 'resolve' END AS metric,
                   (t.block_timestamp - c.submitted_at)::int8 AS seconds, count(*) AS n,
                   sum(CASE WHEN t.block_timestamp <= (CASE WHEN t.status = 'Accepted' THEN c.response_deadline ELSE c.resolution_deadline END)
                       THEN 1 ELSE 0 END) AS met
            FROM claim_transitions t JOIN claims c ON c.id = t.claim_id
            WHERE t.status IN ('Accepted', 'Approved', 'Rejected') AND t.actor <> c.claimant
            GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      );
      return {
        handled: handled.map((h) => ({ actor: getAddress(h.actor), claims: Number(h.claims) })),
        durations: durations.map((d) => ({
          actor: getAddress(d.actor),
          metric: d.metric === "accept" ? "accept" : "resolve",
          seconds: Number(d.seconds),
          n: Number(d.n),
          met: Number(d.met),
        })),
      };
    },
  };
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

// The statistics below group in two steps: first by (kind, tier, age bucket, value), which
// collapses 100,000 claims into far fewer rows, then they fan those rows out to the windows they
// belong to (24 h ⊂ 7 d ⊂ all) and the dimensions (all, per kind, per tier) and aggregate again.
// Percentiles are nearest-rank (the smallest value whose cumulative count reaches p·n), computed
// with window sums because Ponder's SQL over HTTP refuses percentile_cont.

const WINDOWS_BY_BUCKET = sql.raw(`(VALUES ('24h', 0), ('7d', 1), ('all', 2)) AS w(win, upto)`);
const DIMENSIONS = sql.raw(`(VALUES ('all'), ('kind'), ('tier')) AS g(dim)`);
const KEY = (kind: string, tier: string) =>
  sql.raw(`CASE g.dim WHEN 'kind' THEN ${kind} WHEN 'tier' THEN ${tier}::text ELSE '' END`);

function bucketOf(at: string, since24h: bigint, since7d: bigint): SQL {
  return sql`CASE WHEN ${sql.raw(at)} >= ${since24h} THEN 0 WHEN ${sql.raw(at)} >= ${since7d} THEN 1 ELSE 2 END`;
}

/** Time to accept (accepted claims, by acceptance time) and to resolve (paid or rejected, by resolution time). */
function durationsQuery(since24h: bigint, since7d: bigint): SQL {
  return sql`WITH ev AS (
  SELECT 'accept' AS metric, kind::text AS kind, tier, accepted_at AS at, (accepted_at - submitted_at)::int8 AS dur
  FROM claims WHERE accepted_at IS NOT NULL
  UNION ALL
  SELECT 'resolve', kind::text, tier, coalesce(paid_at, closed_at), (coalesce(paid_at, closed_at) - submitted_at)::int8
  FROM claims WHERE status = 'Paid' OR status = 'Rejected'
), b AS (
  SELECT metric, kind, tier, dur, ${bucketOf("at", since24h, since7d)} AS bucket, count(*) AS c
  FROM ev GROUP BY 1, 2, 3, 4, 5
), h AS (
  SELECT b.metric, w.win, g.dim, ${KEY("b.kind", "b.tier")} AS key, b.dur, sum(b.c) AS c
  FROM b JOIN ${WINDOWS_BY_BUCKET} ON b.bucket <= w.upto CROSS JOIN ${DIMENSIONS}
  GROUP BY 1, 2, 3, 4, 5
), r AS (
  SELECT metric, win, dim, key, dur, c,
    sum(c) OVER (PARTITION BY metric, win, dim, key ORDER BY dur) AS cum,
    sum(c) OVER (PARTITION BY metric, win, dim, key) AS n
  FROM h
)
SELECT metric, win, dim, key, max(n)::int AS n,
  min(dur) FILTER (WHERE cum >= ceil(0.5 * n))::float8 AS p50,
  min(dur) FILTER (WHERE cum >= ceil(0.9 * n))::float8 AS p90,
  (sum(dur * c) / max(n))::float8 AS mean
FROM r GROUP BY 1, 2, 3, 4`;
}

/**
 * Response and resolution deadlines. The first response is the acceptance, or a rejection of a
 * claim never accepted; the resolution is the approval, or the rejection. An outcome is decided
 * once: met when the response came by the deadline (decided then), missed when it came late or
 * not at all by the deadline (decided at the deadline). A claim cancelled before its deadline
 * without a response is never decided.
 */
function slaQuery(now: bigint, since24h: bigint, since7d: bigint): SQL {
  return sql`WITH d AS (
  SELECT kind::text AS kind, tier, response_deadline AS rd, resolution_deadline AS sd,
    coalesce(accepted_at, CASE WHEN status = 'Rejected' THEN closed_at END) AS responded,
    coalesce(approved_at, CASE WHEN status = 'Rejected' THEN closed_at END) AS resolved,
    CASE WHEN status = 'Cancelled' THEN closed_at ELSE ${now} END AS stop
  FROM claims
), e AS (
  SELECT 'response' AS sla, kind, tier, responded <= rd AS met,
    CASE WHEN responded <= rd THEN responded WHEN responded IS NOT NULL OR rd < stop THEN rd END AS decided
  FROM d
  UNION ALL
  SELECT 'resolution', kind, tier, resolved <= sd,
    CASE WHEN resolved <= sd THEN resolved WHEN resolved IS NOT NULL OR sd < stop THEN sd END
  FROM d
), f AS (
  SELECT sla, kind, tier, ${bucketOf("decided", since24h, since7d)} AS bucket,
    count(*) AS due, count(*) FILTER (WHERE met) AS met
  FROM e WHERE decided IS NOT NULL GROUP BY 1, 2, 3, 4
)
SELECT f.sla, w.win, g.dim, ${KEY("f.kind", "f.tier")} AS key, sum(f.due)::int AS due, sum(f.met)::int AS met
FROM f JOIN ${WINDOWS_BY_BUCKET} ON f.bucket <= w.upto CROSS JOIN ${DIMENSIONS}
GROUP BY 1, 2, 3, 4`;
}

/** Open claims now, by stage, kind and tier; overdue = past the deadline they wait on. */
function openQuery(now: bigint): SQL {
  return sql`SELECT status::text AS stage, kind::text AS kind, tier, count(*)::int AS n,
  count(*) FILTER (WHERE CASE WHEN status = 'Submitted' THEN response_deadline WHEN status = 'Approved' THEN NULL ELSE resolution_deadline END < ${now})::int AS overdue
FROM claims WHERE status IN ('Submitted', 'Accepted', 'Investigating', 'Approved')
GROUP BY 1, 2, 3`;
}

function acceptHistogramQuery(): SQL {
  const buckets = TIME_TO_ACCEPT_BUCKETS.map(
    (le, i) => `count(*) FILTER (WHERE accepted_at - submitted_at <= ${le})::int AS b${i}`,
  ).join(", ");
  return sql.raw(`SELECT tier, count(*)::int AS n, sum(accepted_at - submitted_at)::float8 AS sum, ${buckets}
FROM claims WHERE accepted_at IS NOT NULL GROUP BY tier`);
}
