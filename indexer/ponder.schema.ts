/**
 * The indexer's tables: on-chain truth, one row per fact the contracts emitted.
 *
 * This file is the seam between the indexer (which writes these tables from events) and the
 * service (which reads them through @ponder/client's SQL over HTTP). Amounts are bigint wei,
 * times are unix seconds (bigint) as the chain reports them, addresses are checksum-free
 * lowercase hex as Ponder stores them. A stage timestamp is null until the stage is reached.
 */
import { index, onchainEnum, onchainTable, primaryKey, relations } from "ponder";

import { CLAIM_KINDS, CLAIM_STATUSES } from "../common/claims.js";

// ─── Claims ───────────────────────────────────────────────────────────────────

/** CompensationPool's `ClaimStatus` (without `None`), from the shared vocabulary. */
export const claimStatus = onchainEnum("claim_status", CLAIM_STATUSES);

/** CompensationPool's `ClaimKind`, from the shared vocabulary. */
export const claimKind = onchainEnum("claim_kind", CLAIM_KINDS);

export const claims = onchainTable(
  "claims",
  (t) => ({
    id: t.bigint().primaryKey(),
    claimant: t.hex().notNull(),
    kind: claimKind("kind").notNull(),
    status: claimStatus("status").notNull(),
    tier: t.integer().notNull(),
    evidenceHash: t.hex().notNull(),
    /**
     * True when someone other than the claimant sent the submitting transaction (a relayer paid
     * the gas, through `submitClaimWithSig`). A claimant submitting its own signed request is not
     * gasless: it paid the gas itself.
     */
    gasless: t.boolean().notNull(),
    amountRequested: t.bigint().notNull(),
    amountApproved: t.bigint().notNull(),
    lateCredit: t.bigint().notNull(),
    amountPaid: t.bigint().notNull(),
    /** Breach credits paid to the claimant (`BreachCreditPaid`), 0 until paid. */
    noResponseCredit: t.bigint().notNull().default(0n),
    resolutionCredit: t.bigint().notNull().default(0n),
    responseDeadline: t.bigint().notNull(),
    resolutionDeadline: t.bigint().notNull(),
    submittedAt: t.bigint().notNull(),
    acceptedAt: t.bigint(),
    investigatingAt: t.bigint(),
    approvedAt: t.bigint(),
    /** When an approved payout becomes executable (after the guardian's veto window). */
    payableAt: t.bigint(),
    paidAt: t.bigint(),
    /** Rejected or cancelled. */
    closedAt: t.bigint(),
    /** Note hash of the latest transition (the reason, for a rejection). */
    lastNoteHash: t.hex().notNull(),
    submittedBlock: t.bigint().notNull(),
    submittedTx: t.hex().notNull(),
    updatedBlock: t.bigint().notNull(),
    updatedAt: t.bigint().notNull(),
  }),
  (table) => ({
    // An account's claims, newest first, page by page: read in order and stopped early.
    claimantIdx: index().on(table.claimant, table.id),
    statusIdx: index().on(table.status),
  }),
);

/** One row per `ClaimStatusChanged`, in chain order (blockNumber, logIndex). */
export const claimTransitions = onchainTable(
  "claim_transitions",
  (t) => ({
    id: t.text().primaryKey(),
    chainId: t.integer().notNull(),
    claimId: t.bigint().notNull(),
    status: claimStatus("status").notNull(),
    actor: t.hex().notNull(),
    noteHash: t.hex().notNull(),
    blockNumber: t.bigint().notNull(),
    blockTimestamp: t.bigint().notNull(),
    txHash: t.hex().notNull(),
    logIndex: t.integer().notNull(),
  }),
  // Read by claim (timelines), by `id` (the service's feed, in chain order) and by block (the
  // service's claim cache watches the newest blocks every 250 ms: without this index, a scan of the
  // whole table, ~4,000,000 rows at a million claims).
  (table) => ({ claimIdx: index().on(table.claimId), blockIdx: index().on(table.blockNumber) }),
);

/** CompensationPool's `BreachKind`: which deadline a breach credit pays for. */
export const breachKind = onchainEnum("breach_kind", ["NoResponse", "Resolution"]);

/** One row per `BreachCreditPaid`, in chain order (blockNumber, logIndex). */
export const breachCredits = onchainTable(
  "breach_credits",
  (t) => ({
    id: t.text().primaryKey(),
    chainId: t.integer().notNull(),
    claimId: t.bigint().notNull(),
    claimant: t.hex().notNull(),
    kind: breachKind("kind").notNull(),
    amount: t.bigint().notNull(),
    /** Who sent the transaction (anyone may trigger a credit; the claimant is paid). */
    sender: t.hex().notNull(),
    blockNumber: t.bigint().notNull(),
    blockTimestamp: t.bigint().notNull(),
    txHash: t.hex().notNull(),
    logIndex: t.integer().notNull(),
  }),
  (table) => ({
    claimIdx: index().on(table.claimId),
    claimantIdx: index().on(table.claimant),
    // Watched by block, as claim_transitions is.
    blockIdx: index().on(table.blockNumber),
  }),
);

// ─── Incident rounds ──────────────────────────────────────────────────────────

export const incidentStatus = onchainEnum("incident_status", ["Open", "Cancelled", "Closed"]);

export const incidents = onchainTable("incidents", (t) => ({
  id: t.bigint().primaryKey(),
  root: t.hex().notNull(),
  total: t.bigint().notNull(),
  claimed: t.bigint().notNull(),
  claimCount: t.integer().notNull(),
  claimableAt: t.bigint().notNull(),
  claimDeadline: t.bigint().notNull(),
  metadataHash: t.hex().notNull(),
  status: incidentStatus("status").notNull(),
  openedBy: t.hex().notNull(),
  openedAt: t.bigint().notNull(),
  /** Cancelled or closed. */
  endedAt: t.bigint(),
  /** What a close or cancel returned to the pool's free balance. */
  released: t.bigint().notNull(),
}));

export const incidentClaims = onchainTable(
  "incident_claims",
  (t) => ({
    incidentId: t.bigint().notNull(),
    index: t.bigint().notNull(),
    account: t.hex().notNull(),
    amount: t.bigint().notNull(),
    /** Who sent the transaction (anyone may claim for `account`). */
    sender: t.hex().notNull(),
    chainId: t.integer().notNull(),
    blockNumber: t.bigint().notNull(),
    blockTimestamp: t.bigint().notNull(),
    txHash: t.hex().notNull(),
    logIndex: t.integer().notNull(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.incidentId, table.index] }),
    accountIdx: index().on(table.account),
  }),
);

/** The incident round events, as `incident_events.kind`. */
export const incidentEventKind = onchainEnum("incident_event_kind", ["Opened", "Claimed", "Cancelled", "Closed"]);

/**
 * One row per IncidentOpened, IncidentClaimed, IncidentCancelled and IncidentClosed, in chain
 * order (`id` is Ponder's event id, which sorts as (block, log) across tables; or blockNumber,
 * logIndex). `incidents` holds each round's current state; these rows are its log, with the
 * coordinates (`chainId:txHash:logIndex`) a webhook is keyed by and a reorg removes.
 */
export const incidentEvents = onchainTable(
  "incident_events",
  (t) => ({
    id: t.text().primaryKey(),
    chainId: t.integer().notNull(),
    incidentId: t.bigint().notNull(),
    kind: incidentEventKind("kind").notNull(),
    /**
     * The C the event moved: Opened reserved `total`; Claimed paid the leaf's amount; Cancelled and
     * Closed returned `released` to the pool's free balance.
     */
    amount: t.bigint().notNull(),
    /** Closed: what the round paid out in all. */
    claimed: t.bigint(),
    /** Claimed: the Merkle leaf's index and the account it paid. */
    leafIndex: t.bigint(),
    account: t.hex(),
    /** Cancelled: the guardian (from the event); otherwise who sent the transaction. */
    actor: t.hex().notNull(),
    /** Opened: the metadata hash; Cancelled: the reason hash. */
    noteHash: t.hex(),
    blockNumber: t.bigint().notNull(),
    blockTimestamp: t.bigint().notNull(),
    txHash: t.hex().notNull(),
    logIndex: t.integer().notNull(),
  }),
  (table) => ({ incidentIdx: index().on(table.incidentId) }),
);

// ─── Pool accounting ──────────────────────────────────────────────────────────

/** One row per pool contract (keyed by its address): running totals rebuilt from events. */
export const poolStats = onchainTable("pool_stats", (t) => ({
  pool: t.hex().primaryKey(),
  /** Σ PoolFunded (the deploy seed and package proceeds included). */
  funded: t.bigint().notNull(),
  /** Approved-but-unpaid payouts plus the unclaimed part of open incident rounds. */
  reserved: t.bigint().notNull(),
  /** Σ ClaimPaid + Σ IncidentClaimed + Σ BreachCreditPaid: every C that left the pool to a claimant. */
  paid: t.bigint().notNull(),
  swept: t.bigint().notNull(),
  /** Claims submitted and incident rounds opened. */
  claimCount: t.integer().notNull(),
  incidentCount: t.integer().notNull(),
  claimsPaid: t.integer().notNull(),
  incidentClaimsPaid: t.integer().notNull(),
  /**
   * The rolling approval budget as of the last approval: `budgetUsed` is `ClaimApproved.budgetUsed`
   * (the usage after that approval), counting the charges made from `budgetWindowStart` on (the
   * contract counts hour buckets: the start of the hour 24 hours before the approval's hour).
   */
  budgetWindowStart: t.bigint().notNull(),
  budgetUsed: t.bigint().notNull(),
  paused: t.boolean().notNull(),
  updatedAt: t.bigint().notNull(),
}));

// ─── Staking ──────────────────────────────────────────────────────────────────

export const stakeEventKind = onchainEnum("stake_event_kind", ["Staked", "UnstakeRequested", "Withdrawn"]);

/** Read by account only (TiersConfigured lists them all): no index on the tier. */
export const stakers = onchainTable("stakers", (t) => ({
  account: t.hex().primaryKey(),
  stake: t.bigint().notNull(),
  pendingUnstake: t.bigint().notNull(),
  pendingRequests: t.integer().notNull(),
  withdrawn: t.bigint().notNull(),
  /** The tier the current stake reaches by the tier table in force. */
  nominalTier: t.integer().notNull(),
  /** When `nominalTier` takes effect: the last stake increase plus the warm-up. */
  tierEffectiveAt: t.bigint().notNull(),
  updatedAt: t.bigint().notNull(),
}));

export const stakeEvents = onchainTable(
  "stake_events",
  (t) => ({
    id: t.text().primaryKey(),
    chainId: t.integer().notNull(),
    account: t.hex().notNull(),
    kind: stakeEventKind("kind").notNull(),
    amount: t.bigint().notNull(),
    /** Stake after the event (Withdrawn does not change it). */
    newStake: t.bigint().notNull(),
    requestId: t.bigint(),
    releaseAt: t.bigint(),
    blockNumber: t.bigint().notNull(),
    blockTimestamp: t.bigint().notNull(),
    txHash: t.hex().notNull(),
    logIndex: t.integer().notNull(),
  }),
  (table) => ({ accountIdx: index().on(table.account) }),
);

/** The staking tier table in force (replaced whole on `TiersConfigured`). */
export const tiers = onchainTable("tiers", (t) => ({
  tier: t.integer().primaryKey(),
  /** Least effective stake for the tier in wei (`thresholdWholeC` × 10^decimals of C). */
  threshold: t.bigint().notNull(),
  /** The threshold as the contract emits it, in whole C. */
  thresholdWholeC: t.bigint().notNull(),
  slaFactorBps: t.integer().notNull(),
  discountBps: t.integer().notNull(),
  active: t.boolean().notNull(),
}));

/**
 * Settings of a contract that are a single value, as decimal strings (addresses lowercase hex):
 * - CStaking: `warmup`, `cooldown` (seconds), `tierCount`
 * - CompensationPool: `sla.<ClaimKind>.response`, `sla.<ClaimKind>.resolution` (seconds, before the
 *   tier factor), `perClaimCap`, `approvalBudget`, `largeClaimThreshold`, `lateCredit` (wei),
 *   `payoutDelay`, `challengeWindow` (seconds), `tierSource`, `coverageSource` (zero: none)
 * - EmergencyPackages: `treasury`, `stableReserve`, `poolShareBps`, `priceFeed`, `heartbeat`, `paused`
 */
export const settings = onchainTable(
  "settings",
  (t) => ({
    contract: t.text().notNull(),
    name: t.text().notNull(),
    value: t.text().notNull(),
    updatedAt: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.contract, table.name] }) }),
);

// ─── Emergency packages ───────────────────────────────────────────────────────

export const packages = onchainTable("packages", (t) => ({
  id: t.bigint().primaryKey(),
  usdPrice: t.bigint().notNull(),
  duration: t.bigint().notNull(),
  slaFactorBps: t.integer().notNull(),
  active: t.boolean().notNull(),
  updatedAt: t.bigint().notNull(),
}));

export const purchases = onchainTable(
  "purchases",
  (t) => ({
    id: t.text().primaryKey(),
    chainId: t.integer().notNull(),
    buyer: t.hex().notNull(),
    beneficiary: t.hex().notNull(),
    packageId: t.bigint().notNull(),
    payToken: t.hex().notNull(),
    paid: t.bigint().notNull(),
    discountBps: t.integer().notNull(),
    coveredUntil: t.bigint().notNull(),
    /** The beneficiary's SLA factor in force right after the purchase. */
    slaFactorBps: t.integer().notNull(),
    blockNumber: t.bigint().notNull(),
    blockTimestamp: t.bigint().notNull(),
    txHash: t.hex().notNull(),
    logIndex: t.integer().notNull(),
  }),
  (table) => ({ beneficiaryIdx: index().on(table.beneficiary), buyerIdx: index().on(table.buyer) }),
);

/** Coverage per beneficiary (project or merchant). */
export const subscriptions = onchainTable("subscriptions", (t) => ({
  beneficiary: t.hex().primaryKey(),
  coveredUntil: t.bigint().notNull(),
  slaFactorBps: t.integer().notNull(),
  lastPackageId: t.bigint().notNull(),
  purchaseCount: t.integer().notNull(),
  updatedAt: t.bigint().notNull(),
}));

/**
 * One row per `CoverageBooked`: a package's SLA factor booked for `beneficiary` over the window
 * `[start, end)` (event standby before a holiday, a launch or a store anniversary), paid at once.
 * The pool's `slaFactorOf` counts a booking only inside its window, so "event standby now" is
 * `start <= now < end` by the chain's clock. Rows are never updated: a booking cannot be
 * cancelled, and one that has ended stays as history.
 */
export const coverageBookings = onchainTable(
  "coverage_bookings",
  (t) => ({
    id: t.text().primaryKey(),
    chainId: t.integer().notNull(),
    buyer: t.hex().notNull(),
    beneficiary: t.hex().notNull(),
    packageId: t.bigint().notNull(),
    payToken: t.hex().notNull(),
    paid: t.bigint().notNull(),
    discountBps: t.integer().notNull(),
    /** The booked window, unix seconds: from `start` inclusive to `end` exclusive. */
    start: t.bigint().notNull(),
    end: t.bigint().notNull(),
    /** The package's SLA factor, in force for the beneficiary inside the window. */
    slaFactorBps: t.integer().notNull(),
    /** Whole units of the package's duration paid for (`ceil((end − start) / duration)`). */
    units: t.bigint().notNull(),
    blockNumber: t.bigint().notNull(),
    blockTimestamp: t.bigint().notNull(),
    txHash: t.hex().notNull(),
    logIndex: t.integer().notNull(),
  }),
  // Read by beneficiary (the queue's "event standby now", a project's coverage) and by buyer.
  (table) => ({ beneficiaryIdx: index().on(table.beneficiary, table.end), buyerIdx: index().on(table.buyer) }),
);

/** `BuyerApprovalSet`'s two outcomes: the beneficiary allowed the buyer, or withdrew it. */
export const buyerApprovalKind = onchainEnum("buyer_approval_kind", ["Granted", "Withdrawn"]);

/** One row per `BuyerApprovalSet`, in chain order (blockNumber, logIndex): the consent's history. */
export const buyerApprovalEvents = onchainTable(
  "buyer_approval_events",
  (t) => ({
    id: t.text().primaryKey(),
    chainId: t.integer().notNull(),
    beneficiary: t.hex().notNull(),
    buyer: t.hex().notNull(),
    kind: buyerApprovalKind("kind").notNull(),
    blockNumber: t.bigint().notNull(),
    blockTimestamp: t.bigint().notNull(),
    txHash: t.hex().notNull(),
    logIndex: t.integer().notNull(),
  }),
  (table) => ({ beneficiaryIdx: index().on(table.beneficiary) }),
);

/**
 * Consent in force per (beneficiary, buyer): what `isBuyerApproved(beneficiary, buyer)` answers,
 * from the latest `BuyerApprovalSet` (a withdrawn approval stays as a row with `approved` false).
 */
export const buyerApprovals = onchainTable(
  "buyer_approvals",
  (t) => ({
    beneficiary: t.hex().notNull(),
    buyer: t.hex().notNull(),
    approved: t.boolean().notNull(),
    updatedAt: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.beneficiary, table.buyer] }), buyerIdx: index().on(table.buyer) }),
);

// ─── Relations (GraphQL walks them: a claim's transitions, a round's claims and events) ──

export const claimsRelations = relations(claims, ({ many }) => ({ transitions: many(claimTransitions) }));

export const claimTransitionsRelations = relations(claimTransitions, ({ one }) => ({
  claim: one(claims, { fields: [claimTransitions.claimId], references: [claims.id] }),
}));

export const incidentsRelations = relations(incidents, ({ many }) => ({
  claims: many(incidentClaims),
  events: many(incidentEvents),
}));

export const incidentClaimsRelations = relations(incidentClaims, ({ one }) => ({
  incident: one(incidents, { fields: [incidentClaims.incidentId], references: [incidents.id] }),
}));

export const incidentEventsRelations = relations(incidentEvents, ({ one }) => ({
  incident: one(incidents, { fields: [incidentEvents.incidentId], references: [incidents.id] }),
}));

export const stakersRelations = relations(stakers, ({ many }) => ({ events: many(stakeEvents) }));

export const stakeEventsRelations = relations(stakeEvents, ({ one }) => ({
  staker: one(stakers, { fields: [stakeEvents.account], references: [stakers.account] }),
}));

export const packagesRelations = relations(packages, ({ many }) => ({ purchases: many(purchases) }));

export const purchasesRelations = relations(purchases, ({ one }) => ({
  package: one(packages, { fields: [purchases.packageId], references: [packages.id] }),
  subscription: one(subscriptions, { fields: [purchases.beneficiary], references: [subscriptions.beneficiary] }),
}));

export const subscriptionsRelations = relations(subscriptions, ({ many }) => ({
  purchases: many(purchases),
  bookings: many(coverageBookings),
}));

export const coverageBookingsRelations = relations(coverageBookings, ({ one }) => ({
  package: one(packages, { fields: [coverageBookings.packageId], references: [packages.id] }),
  subscription: one(subscriptions, {
    fields: [coverageBookings.beneficiary],
    references: [subscriptions.beneficiary],
  }),
}));
