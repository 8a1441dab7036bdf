import { StandardMerkleTree } from "@openzeppelin/merkle-tree";

import { POOL_DEFAULTS } from "../../ignition/modules/pool.js";
import { CLAIM_REQUEST_TYPES, claimDomain } from "../../common/typedData.js";
import type { GasFigure, GasMeasurement } from "../lib/gas.js";
import { gasOf } from "../lib/gas.js";
import { prng } from "../lib/prng.js";

const C = 10n ** 18n;
const LEAVES = 100_000;
const SAMPLES = 200;

/**
 * CompensationPool figures, typical cases: the claimant holds a Priority tier in the tier source,
 * the pool already holds other claims; incident claims go to fresh recipients (no C balance yet)
 * on a 100,000-leaf tree, one random index per never-written bitmap word (see the samples below).
 */
/** 1,999,987,200 is a multiple of 86,400: midnight UTC. */
const FIXED_START = 1_999_987_200 + 600;

const measure: GasMeasurement = async ({ ethers, networkHelpers }) => {
  const [deployer, alice, bob, relayer] = await ethers.getSigners();
  const c = await ethers.deployContract("MockCToken");
  const tiers = await ethers.deployContract("MockTierSource", [10_000, 0]);
  const pool = await ethers.deployContract("CompensationPool", [
    await c.getAddress(),
    await tiers.getAddress(),
    deployer!.address,
    deployer!.address,
    deployer!.address,
    { ...POOL_DEFAULTS },
  ]);
  await (await tiers.setTerms(alice!.address, 1, 5_000, 3_000)).wait();
  await (await tiers.setTerms(bob!.address, 1, 5_000, 3_000)).wait();
  await (await c.mint(deployer!.address, 100_000_000n * C)).wait();
  await (await c.approve(await pool.getAddress(), 100_000_000n * C)).wait();
  await (await pool.fund(20_000_000n * C)).wait();
  const figures: GasFigure[] = [];
  const evidence = ethers.id("evidence");
  // The chain's clock follows the wall clock; the approval budget keeps hourly buckets, so an
  // approval measured on one side of an hour boundary or the other costs differently. Start
  // ten minutes into an hour: the measured claims all fall in the same hour, run after run.
  // The budget's 25 hourly buckets are indexed by hour % 25, which drifts by an hour a day, so a
  // start fixed only by the hour of day still costs differently from one day to the next (CI
  // measured +100 gas on approvals and credits). Start at one fixed instant instead, ten minutes
  // past midnight UTC of 2033-05-18, later than any wall clock this runs on.
  await networkHelpers.time.increaseTo(FIXED_START);

  // A first claim in the pool, so the measured one is a typical later claim.
  await (await pool.connect(bob!).submitClaim(0, 10n * C, evidence)).wait();
  const submit = await pool.connect(alice!).submitClaim(0, 25n * C, evidence);
  figures.push({ key: "CompensationPool.submitClaim", gas: await gasOf(submit) });

  // A relayer sends a newcomer's first signed claim (the claimant's nonce goes 0 → 1).
  // A fixed deadline (2100-01-01) keeps the signed bytes, and so the calldata gas, identical run to run.
  const deadline = 4_102_444_800n;
  const request = { claimant: bob!.address, kind: 1, amount: 40n * C, evidenceHash: evidence, nonce: 0n, deadline };
  const { chainId } = await ethers.provider.getNetwork();
  const domain = claimDomain(chainId, await pool.getAddress());
  const types = { ClaimRequest: [...CLAIM_REQUEST_TYPES.ClaimRequest] };
  const signature = await bob!.signTypedData(domain, types, request);
  const withSig = await pool.connect(relayer!).submitClaimWithSig(request, signature);
  figures.push({ key: "CompensationPool.submitClaimWithSig", gas: await gasOf(withSig) });

  // An earlier approval (bob's first claim) has set up the rolling budget's storage.
  await (await pool.acceptClaim(1n, evidence)).wait();
  await (await pool.approveClaim(1n, 10n * C, evidence)).wait();
  const aliceClaimId = 2n;
  figures.push({
    key: "CompensationPool.acceptClaim",
    gas: await gasOf(await pool.acceptClaim(aliceClaimId, evidence)),
  });
  figures.push({
    key: "CompensationPool.approveClaim small (pays at once)",
    gas: await gasOf(await pool.approveClaim(aliceClaimId, 20n * C, evidence)),
  });

  // Incident round on a 100,000-leaf StandardMerkleTree of (index, account, amount).
  const random = prng(0x5eed);
  const values: [bigint, string, bigint][] = [];
  let total = 0n;
  for (let i = 0; i < LEAVES; i++) {
    const account = ethers.getAddress("0x" + ethers.solidityPackedKeccak256(["uint256"], [i]).slice(26));
    const amount = BigInt(1 + Math.floor(random() * 100)) * C;
    values.push([BigInt(i), account, amount]);
    total += amount;
  }
  const tree = StandardMerkleTree.of(values, ["uint256", "address", "uint256"]);
  const now = await networkHelpers.time.latest();
  // Two rounds on the same tree: one for fresh recipients, one (with a fresh bitmap of its own)
  // for recipients that already hold C.
  // Opening deploys the round's vault and moves its total there: a cost paid once per round.
  const opened: bigint[] = [];
  for (let i = 0; i < 2; i++) {
    opened.push(await gasOf(await pool.openIncident(tree.root, total, now + 30 * 86_400, ethers.id("incident"))));
  }
  figures.push({ key: "CompensationPool.openIncident (deploys the round's vault)", gas: opened[1]! });
  const vaults = await Promise.all(
    [1n, 2n].map(async (id) => ethers.getContractAt("IncidentVault", (await pool.getIncident(id)).vault)),
  );
  await networkHelpers.time.increase(POOL_DEFAULTS.challengeWindow);

  // Samples: every measured claim sets a bit in a bitmap word nobody has written yet (one index
  // per 256-index word, the words in random order, a random index inside each), so each claim
  // pays the word's creation (0 → non-zero) like the first claim of a word does. The 390 full
  // words of the 100,000-leaf tree allow 201 fresh-recipient samples (the first claim and 200)
  // and, on a round of their own, 200 holder samples at other indexes.
  const words = Array.from({ length: Math.floor(LEAVES / 256) }, (_, w) => w);
  for (let w = words.length - 1; w > 0; w--) {
    const j = Math.floor(random() * (w + 1));
    [words[w], words[j]] = [words[j]!, words[w]!];
  }
  const inWord = (w: number) => w * 256 + Math.floor(random() * 256);
  const [first, ...fresh] = words.slice(0, SAMPLES + 1).map(inWord);
  // Holders: the remaining words, then the other half of the first fresh samples' words (index
  // xor 128), so no recipient is also a fresh sample.
  const spare = words.slice(SAMPLES + 1).map(inWord);
  const holders = spare.concat([first!, ...fresh].slice(0, SAMPLES - spare.length).map((i) => i ^ 0x80));
  const freshSet = new Set([first!, ...fresh]);
  const holdersSet = new Set(holders);
  if (holdersSet.size !== SAMPLES || holders.some((i) => freshSet.has(i))) throw new Error("samples overlap");
  for (const set of [[first!, ...fresh], holders]) {
    if (new Set(set.map((i) => i >> 8)).size !== set.length) throw new Error("two samples share a bitmap word");
  }

  const claim = async (incidentId: bigint, i: number) => {
    const [index, account, amount] = values[i]!;
    const vault = vaults[Number(incidentId) - 1]!;
    return gasOf(await vault.connect(relayer!).claim(index, account, amount, tree.getProof(i)));
  };
  const average = async (indexes: number[], one: (i: number) => Promise<bigint>) => {
    let sum = 0n;
    for (const i of indexes) sum += await one(i);
    return sum / BigInt(indexes.length);
  };
  figures.push({ key: "IncidentVault.claim 100k tree first", gas: await claim(1n, first!) });
  figures.push({
    key: "IncidentVault.claim 100k tree average",
    gas: await average(fresh, (i) => claim(1n, i)),
  });

  // Uniswap's MerkleDistributor methodology, for comparison: recipients already hold the token
  // (their balance slot is not new); a fresh bitmap word per claim, on a round of its own.
  // The bare distributor below pays in a second token of the same code, so the same samples'
  // recipients are as fresh (or as holding) in it as they were in C for the pool.
  const c2 = await ethers.deployContract("MockCToken");
  await (await c2.mint(deployer!.address, 100_000_000n * C)).wait();
  for (const i of holders) {
    await (await c.transfer(values[i]![1], 1n)).wait();
    await (await c2.transfer(values[i]![1], 1n)).wait();
  }
  figures.push({
    key: "IncidentVault.claim 100k tree average recipients holding C",
    gas: await average(holders, (i) => claim(2n, i)),
  });

  // The floor: a bare distributor (proof, bitmap bit, transfer, event; no round state) on the
  // same tree and the same samples in the same order, measured the same two ways, each on a
  // distributor of its own (fresh bitmap words), its token's balance slot already non-zero as the
  // pool's is: the first claim, then the 200 fresh recipients; then the holders.
  const bareDistributor = async () => {
    const bare = await ethers.deployContract("BareMerkleDistributor", [await c2.getAddress(), tree.root]);
    await (await c2.transfer(await bare.getAddress(), total)).wait();
    return (i: number) => {
      const [index, account, amount] = values[i]!;
      return bare
        .connect(relayer!)
        .claim(index, account, amount, tree.getProof(i))
        .then((tx) => gasOf(tx));
    };
  };
  const bareFresh = await bareDistributor();
  figures.push({ key: "BareMerkleDistributor.claim 100k tree first", gas: await bareFresh(first!) });
  figures.push({ key: "BareMerkleDistributor.claim 100k tree average", gas: await average(fresh, bareFresh) });
  figures.push({
    key: "BareMerkleDistributor.claim 100k tree average recipients holding C",
    gas: await average(holders, await bareDistributor()),
  });
  // The same typical submission on a pool that reads package coverage (EmergencyPackages in a
  // deployment; a mock registry here, one mapping read): the claimant holds coverage at 5,000.
  const covered = await ethers.deployContract("CompensationPool", [
    await c.getAddress(),
    await tiers.getAddress(),
    deployer!.address,
    deployer!.address,
    deployer!.address,
    { ...POOL_DEFAULTS },
  ]);
  const coverage = await ethers.deployContract("MockCoverageSource");
  await (await coverage.setFactor(alice!.address, 5_000)).wait();
  await (await covered.setCoverageSource(await coverage.getAddress())).wait();
  await (await covered.connect(bob!).submitClaim(0, 10n * C, evidence)).wait();
  figures.push({
    key: "CompensationPool.submitClaim with a coverage source",
    gas: await gasOf(await covered.connect(alice!).submitClaim(0, 25n * C, evidence)),
  });

  // Breach credits on that pool, typical case: both claimants have standing (tier 1, and coverage),
  // the breach budget already holds a credit of the same hour (an earlier claim's), so the figures
  // are a credit's own cost, not the first bucket's.
  await (await covered.setBreachCredits(2n * C, 5n * C, 1_000n * C)).wait();
  await (await c.approve(await covered.getAddress(), 1_000n * C)).wait();
  await (await covered.fund(1_000n * C)).wait();
  // Past every MissingReward resolution deadline (4 h), at ten minutes past the next hour.
  const at = await networkHelpers.time.latest();
  await networkHelpers.time.increaseTo(at - (at % 3_600) + 5 * 3_600 + 600);
  await (await covered.claimNoResponseCredit(1n)).wait();
  figures.push({
    key: "CompensationPool.claimNoResponseCredit",
    gas: await gasOf(await covered.connect(relayer!).claimNoResponseCredit(2n)),
  });
  figures.push({
    key: "CompensationPool.claimResolutionCredit",
    gas: await gasOf(await covered.connect(relayer!).claimResolutionCredit(2n)),
  });
  return figures;
};
export default measure;
