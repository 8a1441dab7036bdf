import type { GasMeasurement } from "../lib/gas.js";
import { gasOf } from "../lib/gas.js";

const DAY = 86_400n;

/**
 * EmergencyPackages purchases. Typical case: the second purchase in the contract (the treasury,
 * reserve and pool already hold a balance) for a beneficiary that was never covered. "extend":
 * the same package again for a covered beneficiary; "upgrade": a faster package for a covered
 * beneficiary (its window then holds two SLA factors). Every purchase here is made for another
 * beneficiary, so each includes the consent check (one cold storage read that a purchase for
 * oneself skips). "bookWithStable": a first booking, 30 days starting in a day, for a covered
 * beneficiary. `buyWithC` includes the mock pool's
 * `fund` (one transferFrom and an event); the real pool's `fund` may cost more.
 */
const measure: GasMeasurement = async ({ ethers }) => {
  const [admin, treasury, reserve, buyer, first, projectA, projectB] = await ethers.getSigners();
  const c = await ethers.deployContract("MockCToken");
  const usd = await ethers.deployContract("MockStablecoin");
  const feed = await ethers.deployContract("MockPriceFeed", [8, 12_345_600n]);
  const tiers = await ethers.deployContract("MockTierSource", [10_000, 3_000]);
  const pool = await ethers.deployContract("MockCompensationPool", [c]);
  const packages = await ethers.deployContract("EmergencyPackages", [
    {
      admin: admin!.address,
      guardian: admin!.address,
      cToken: await c.getAddress(),
      stablecoin: await usd.getAddress(),
      tierSource: await tiers.getAddress(),
      compensationPool: await pool.getAddress(),
      priceFeed: await feed.getAddress(),
      heartbeat: 86_400,
      treasury: treasury!.address,
      stableReserve: reserve!.address,
      poolShareBps: 5_000,
    },
    [
      { id: 1n, usdPrice: 49_990_000n, duration: 30n * DAY, slaFactorBps: 10_000, active: true },
      { id: 2n, usdPrice: 149_000_000n, duration: 30n * DAY, slaFactorBps: 5_000, active: true },
    ],
  ]);
  await (await c.mint(buyer!.address, 10n ** 24n)).wait();
  await (await usd.mint(buyer!.address, 10n ** 12n)).wait();
  await (await c.connect(buyer!).approve(packages, ethers.MaxUint256)).wait();
  await (await usd.connect(buyer!).approve(packages, ethers.MaxUint256)).wait();
  const asBuyer = packages.connect(buyer!);
  // The beneficiaries let the buyer buy for them (a purchase for someone else needs consent).
  for (const beneficiary of [first!, projectA!, projectB!]) {
    await (await packages.connect(beneficiary).setBuyerApproval(buyer!.address, true)).wait();
  }

  // The first purchase of each kind in the contract, not measured.
  await (await asBuyer.buyWithStable(1n, first!.address, 1, ethers.MaxUint256)).wait();
  await (await asBuyer.buyWithC(1n, first!.address, 1, ethers.MaxUint256)).wait();

  const stable = await gasOf(await asBuyer.buyWithStable(1n, projectA!.address, 1, ethers.MaxUint256));
  const inC = await gasOf(await asBuyer.buyWithC(1n, projectB!.address, 1, ethers.MaxUint256));
  const stableExtend = await gasOf(await asBuyer.buyWithStable(1n, projectA!.address, 1, ethers.MaxUint256));
  const inCExtend = await gasOf(await asBuyer.buyWithC(1n, projectB!.address, 1, ethers.MaxUint256));
  const stableUpgrade = await gasOf(await asBuyer.buyWithStable(2n, projectA!.address, 1, ethers.MaxUint256));
  const inCUpgrade = await gasOf(await asBuyer.buyWithC(2n, projectB!.address, 1, ethers.MaxUint256));
  // A booking of one package duration starting in a day, for a beneficiary with no booking yet.
  // Rounded up to a multiple of 2^16 s: the window's bytes in calldata (and so its gas) then stay
  // the same run to run, whatever the wall clock the chain follows.
  const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
  const start = ((now + DAY) / 65_536n + 1n) * 65_536n;
  const book = await gasOf(
    await asBuyer.bookWithStable(1n, projectA!.address, start, start + 30n * DAY, 1, ethers.MaxUint256),
  );

  return [
    { key: "EmergencyPackages.buyWithStable", gas: stable },
    { key: "EmergencyPackages.buyWithC", gas: inC },
    { key: "EmergencyPackages.buyWithStable extend", gas: stableExtend },
    { key: "EmergencyPackages.buyWithC extend", gas: inCExtend },
    { key: "EmergencyPackages.buyWithStable upgrade", gas: stableUpgrade },
    { key: "EmergencyPackages.buyWithC upgrade", gas: inCUpgrade },
    { key: "EmergencyPackages.bookWithStable", gas: book },
  ];
};
export default measure;
