import type { IgnitionModuleBuilder } from "@nomicfoundation/ignition-core";

/** Two days: long enough for anyone watching the chain to see a rule change coming. */
export const DEFAULT_TIMELOCK_MIN_DELAY_SECONDS = 172_800;

/**
 * Adds the station's governance to a module: an OpenZeppelin `TimelockController` that will hold
 * every admin and parameter role of CStaking, the CompensationPool and EmergencyPackages, so that
 * every rule change (SLAs, credits, caps, budgets, tiers, catalogue, proceeds, oracle) is
 * proposed, waits out the delay in public, and only then executes.
 *
 * Parameters (under the calling module's id in `ignition/parameters/<network>.json`):
 * - `timelockMinDelay` (default {@link DEFAULT_TIMELOCK_MIN_DELAY_SECONDS}): seconds between a
 *   proposal and its execution;
 * - `timelockProposers` (required): addresses that may propose (and cancel), e.g. the governance
 *   multisig;
 * - `timelockExecutors` (required): addresses that may execute a proposal once ready, e.g. the
 *   same multisig; `["0x0000000000000000000000000000000000000000"]` lets anyone execute;
 * - `timelockCanceller` (required): the guardian, who may cancel (veto) a queued proposal at once.
 *
 * The timelock administers itself: the deployer holds its admin role only for the one call that
 * names the guardian canceller, then renounces it, so changing the proposers, executors or the
 * delay later is itself a proposal that waits out the delay.
 */
export function buildTimelock(m: IgnitionModuleBuilder) {
  const deployer = m.getAccount(0);
  const timelock = m.contract("TimelockController", [
    m.getParameter("timelockMinDelay", DEFAULT_TIMELOCK_MIN_DELAY_SECONDS),
    m.getParameter<string[]>("timelockProposers"),
    m.getParameter<string[]>("timelockExecutors"),
    deployer,
  ]);
  const cancellerRole = m.staticCall(timelock, "CANCELLER_ROLE", [], 0, { id: "TimelockCancellerRole" });
  const adminRole = m.staticCall(timelock, "DEFAULT_ADMIN_ROLE", [], 0, { id: "TimelockAdminRole" });
  const canceller = m.call(timelock, "grantRole", [cancellerRole, m.getParameter<string>("timelockCanceller")], {
    id: "TimelockGuardianCanceller",
  });
  const renounced = m.call(timelock, "renounceRole", [adminRole, deployer], {
    id: "TimelockDeployerRenounces",
    after: [canceller],
  });
  return { timelock, renounced };
}
