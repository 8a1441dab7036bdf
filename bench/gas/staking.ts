import type { GasFigure, GasMeasurement } from "../lib/gas.js";
import { gasOf } from "../lib/gas.js";

const C = 10n ** 18n;
const WARMUP = 86_400n;
const COOLDOWN = 604_800n;
const TIERS = [
  { thresholdWholeC: 0, slaFactorBps: 10_000, discountBps: 3_000 },
  { thresholdWholeC: 1_000, slaFactorBps: 5_000, discountBps: 3_000 },
  { thresholdWholeC: 10_000, slaFactorBps: 2_500, discountBps: 3_500 },
];

/**
 * CStaking with the default tiers. Stakers approve once without limit, so the figures carry no
 * allowance bookkeeping of the token. Another account has staked before, so the total-stake
 * trace already exists (as it will on any live deployment).
 * Views are `eth_estimateGas` of calling them as a transaction from an unrelated account: every
 * slot cold, 21,000 base and calldata included; the account's last change is older than the
 * warmup (the usual state, and the cheapest path), except in the "one change in warmup" case.
 */
const measure: GasMeasurement = async ({ ethers, networkHelpers }) => {
  const [admin, alice, bob, reader] = await ethers.getSigners();
  const c = await ethers.deployContract("MockCToken");
  const staking = await ethers.deployContract("CStaking", [
    await c.getAddress(),
    admin!.address,
    WARMUP,
    COOLDOWN,
    TIERS,
  ]);
  const stakingAddress = await staking.getAddress();
  for (const who of [alice!, bob!]) {
    await (await c.mint(who.address, 1_000_000n * C)).wait();
    await (await c.connect(who).approve(stakingAddress, ethers.MaxUint256)).wait();
  }
  await (await staking.connect(bob!).stake(500n * C)).wait();
  await networkHelpers.time.increase(60);

  const figures: GasFigure[] = [];
  const record = (key: string, gas: bigint) => figures.push({ key, gas });

  record("CStaking.stake first", await gasOf(await staking.connect(alice!).stake(2_000n * C)));
  await networkHelpers.time.increase(60);
  record("CStaking.stake again", await gasOf(await staking.connect(alice!).stake(10_000n * C)));

  // Let the stake warm up, then read the tier from cold state.
  await networkHelpers.time.increase(WARMUP + 1n);
  const view = async (data: string) => ethers.provider.estimateGas({ from: reader!.address, to: stakingAddress, data });
  const tierOf = staking.interface.encodeFunctionData("tierOf", [alice!.address]);
  const tierTermsOf = staking.interface.encodeFunctionData("tierTermsOf", [alice!.address]);
  if ((await staking.tierOf(alice!.address)) !== 2n) throw new Error("bench setup: alice should be Premier");
  record("CStaking.tierOf cold", await view(tierOf));
  record("CStaking.tierTermsOf cold", await view(tierTermsOf));
  // bob changed his stake once within the warmup: the history is read too (one more entry).
  await (await staking.connect(bob!).stake(1n * C)).wait();
  const bobTerms = staking.interface.encodeFunctionData("tierTermsOf", [bob!.address]);
  record("CStaking.tierTermsOf cold one change in warmup", await view(bobTerms));

  record("CStaking.unstake", await gasOf(await staking.connect(alice!).unstake(100n * C)));
  await networkHelpers.time.increase(COOLDOWN);
  record("CStaking.withdraw 1 request", await gasOf(await staking.connect(alice!).withdraw()));

  for (let i = 0; i < 5; i++) await (await staking.connect(alice!).unstake(10n * C)).wait();
  await networkHelpers.time.increase(COOLDOWN);
  record("CStaking.withdraw 5 requests", await gasOf(await staking.connect(alice!).withdraw()));

  return figures;
};
export default measure;
