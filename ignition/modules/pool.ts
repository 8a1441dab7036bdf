import type { ContractFuture, IgnitionModuleBuilder } from "@nomicfoundation/ignition-core";

const C = 10n ** 18n;

/**
 * Default terms of the CompensationPool (each overridable as an Ignition parameter, named in
 * brackets). SLA arrays are indexed by ClaimKind: MissingReward (users), DataApiOutage (projects),
 * RedemptionToolFailure (merchants), Other; seconds before the tier factor.
 */
export const POOL_DEFAULTS = {
  /** [poolResponseSeconds] users 10 min; projects 1 h (the investigation plan); merchants 5 min; other 1 h */
  responseSeconds: [600, 3_600, 300, 3_600],
  /** [poolResolutionSeconds] users 4 h; projects 4 h; merchants 30 min; other 72 h */
  resolutionSeconds: [14_400, 14_400, 1_800, 259_200],
  /** [poolPerClaimCap] 10,000 C */
  perClaimCap: 10_000n * C,
  /** [poolApprovalBudget] 50,000 C per rolling 24 h */
  approvalBudget: 50_000n * C,
  /** [poolLargeClaimThreshold] payouts from 1,000 C wait for the delay */
  largeClaimThreshold: 1_000n * C,
  /** [poolPayoutDelay] 24 h in which a guardian may veto a large payout */
  payoutDelay: 86_400,
  /** [poolLateCredit] 5 C added to the payout of a claim accepted after its response deadline */
  lateCredit: 5n * C,
  /** [poolChallengeWindow] 24 h in which a guardian may cancel a new incident round */
  challengeWindow: 86_400,
} as const;

/**
 * Adds the CompensationPool to a module. `token` is the C token and `tierSource` the ITierSource
 * (CStaking or an adapter); both may be `m.contract(...)` or `m.contractAt(...)` futures.
 * Parameters: poolAdmin, poolAssessor, poolGuardian (default: the deployer, account 0) and the
 * terms in POOL_DEFAULTS.
 */
export function buildCompensationPool(
  m: IgnitionModuleBuilder,
  { token, tierSource }: { token: ContractFuture<string>; tierSource: ContractFuture<string> },
) {
  const deployer = m.getAccount(0);
  const admin = m.getParameter("poolAdmin", deployer);
  const assessor = m.getParameter("poolAssessor", deployer);
  const guardian = m.getParameter("poolGuardian", deployer);
  const terms = {
    responseSeconds: m.getParameter("poolResponseSeconds", [...POOL_DEFAULTS.responseSeconds]),
    resolutionSeconds: m.getParameter("poolResolutionSeconds", [...POOL_DEFAULTS.resolutionSeconds]),
    perClaimCap: m.getParameter("poolPerClaimCap", POOL_DEFAULTS.perClaimCap),
    approvalBudget: m.getParameter("poolApprovalBudget", POOL_DEFAULTS.approvalBudget),
    largeClaimThreshold: m.getParameter("poolLargeClaimThreshold", POOL_DEFAULTS.largeClaimThreshold),
    payoutDelay: m.getParameter("poolPayoutDelay", POOL_DEFAULTS.payoutDelay),
    lateCredit: m.getParameter("poolLateCredit", POOL_DEFAULTS.lateCredit),
    challengeWindow: m.getParameter("poolChallengeWindow", POOL_DEFAULTS.challengeWindow),
  };
  const compensationPool = m.contract("CompensationPool", [token, tierSource, admin, assessor, guardian, terms]);
  return { compensationPool };
}
