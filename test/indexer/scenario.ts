/**
 * The scripted station scenario the indexer tests drive on a real Hardhat node: every event type
 * of CStaking, CompensationPool and EmergencyPackages, one transaction per block, with each
 * transaction's block number and timestamp recorded so the tests can state exact rows.
 */
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { type Address, type Hex, encodeFunctionData, erc20Abi, keccak256, parseAbi, toHex } from "viem";

import { CompensationPoolAbi } from "../../common/abis/CompensationPool.js";
import { CStakingAbi } from "../../common/abis/CStaking.js";
import { EmergencyPackagesAbi } from "../../common/abis/EmergencyPackages.js";
import { IncidentVaultAbi } from "../../common/abis/IncidentVault.js";
import { incidentVaultAddress } from "../../common/incident.js";
import type { DevChain } from "../../stack/devchain.js";
import type { StationDeployment } from "../../stack/deploy.js";
import { CLAIM_REQUEST_TYPES, claimDomain } from "../../common/typedData.js";

export const C = 10n ** 18n;
export const USD = 10n ** 6n;
export const DAY = 86_400n;

// Hardhat's well-known dev accounts (unlocked on the node); roles from ignition/parameters/localhost.json.
export const DEPLOYER: Address = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
export const ASSESSOR: Address = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
export const GUARDIAN: Address = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
export const TREASURY: Address = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";
export const ALICE: Address = "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65";
export const BOB: Address = "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc";
export const RELAYER: Address = "0x976EA74026E726554dB657fA54763abd0C3a0aa9";
export const PROJECT: Address = "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955";

const mockAbi = parseAbi(["function mint(address to, uint256 amount)", "function setAnswer(int256 answer)"]);

export type Mined = { hash: Hex; block: bigint; ts: bigint };

export function note(text: string): Hex {
  return keccak256(toHex(text));
}

/** Sends one transaction (automine: one block) and returns where it landed. */
export async function send(chain: DevChain, from: Address, to: Address, data: Hex): Promise<Mined> {
  const [hash] = await chain.sendTransactions([{ from, to, data }]);
  const [receipt] = await chain.receipts([hash!]);
  if (receipt!.status !== "0x1") throw new Error(`transaction ${hash} reverted`);
  const block = await chain.rpc<{ timestamp: Hex }>("eth_getBlockByNumber", [receipt!.blockNumber, false]);
  return { hash: hash!, block: BigInt(receipt!.blockNumber), ts: BigInt(block.timestamp) };
}

export const TIERS = [
  { thresholdWholeC: 0, slaFactorBps: 10_000, discountBps: 3_000 },
  { thresholdWholeC: 1_000, slaFactorBps: 6_000, discountBps: 3_000 },
  { thresholdWholeC: 1_200, slaFactorBps: 4_000, discountBps: 4_000 },
] as const;

export const INCIDENT_LEAVES: [bigint, Address, bigint][] = [
  [0n, ALICE, 10n * C],
  [1n, BOB, 20n * C],
];

/** What the scenario did, for the tests' expectations. */
export type Scenario = Awaited<ReturnType<typeof runScenario>>;

export async function runScenario(chain: DevChain, d: StationDeployment) {
  const { CStaking: staking, CompensationPool: pool, EmergencyPackages: packages } = d.addresses;
  const { MockCToken: cToken, MockStablecoin: stable, MockPriceFeed: feed } = d.addresses;
  const tx = (from: Address, to: Address, data: Hex) => send(chain, from, to, data);
  const poolCall = (from: Address, data: Parameters<typeof encodeFunctionData<typeof CompensationPoolAbi>>[0]) =>
    tx(from, pool, encodeFunctionData(data));

  // ─── Setup: balances and allowances ───
  for (const who of [ALICE, BOB, DEPLOYER]) {
    await tx(who, cToken, encodeFunctionData({ abi: mockAbi, functionName: "mint", args: [who, 100_000n * C] }));
  }
  await tx(PROJECT, stable, encodeFunctionData({ abi: mockAbi, functionName: "mint", args: [PROJECT, 1_000n * USD] }));
  const approve = (spender: Address) =>
    encodeFunctionData({ abi: erc20Abi, functionName: "approve", args: [spender, 2n ** 255n] });
  await tx(ALICE, cToken, approve(staking));
  await tx(ALICE, cToken, approve(packages));
  await tx(BOB, cToken, approve(pool));
  await tx(DEPLOYER, cToken, approve(pool));
  await tx(PROJECT, stable, approve(packages));

  // ─── Staking ───
  const staked = await tx(
    ALICE,
    staking,
    encodeFunctionData({ abi: CStakingAbi, functionName: "stake", args: [1_500n * C] }),
  );
  const unstake0 = await tx(
    ALICE,
    staking,
    encodeFunctionData({ abi: CStakingAbi, functionName: "unstake", args: [200n * C] }),
  );
  const unstake1 = await tx(
    ALICE,
    staking,
    encodeFunctionData({ abi: CStakingAbi, functionName: "unstake", args: [100n * C] }),
  );
  await chain.increaseTime(301);
  const withdrawn = await tx(ALICE, staking, encodeFunctionData({ abi: CStakingAbi, functionName: "withdraw" }));
  const tiersSet = await tx(
    DEPLOYER,
    staking,
    encodeFunctionData({ abi: CStakingAbi, functionName: "configureTiers", args: [TIERS] }),
  );
  const warmupSet = await tx(
    DEPLOYER,
    staking,
    encodeFunctionData({ abi: CStakingAbi, functionName: "setWarmup", args: [30] }),
  );
  const cooldownSet = await tx(
    DEPLOYER,
    staking,
    encodeFunctionData({ abi: CStakingAbi, functionName: "setCooldown", args: [600] }),
  );

  // ─── Pool settings and funding ───
  const slaSet = await poolCall(DEPLOYER, {
    abi: CompensationPoolAbi,
    functionName: "setSla",
    args: [0, 900, 7_200],
  });
  const lateCreditSet = await poolCall(DEPLOYER, {
    abi: CompensationPoolAbi,
    functionName: "setLateCredit",
    args: [7n * C],
  });
  const funded = await poolCall(BOB, { abi: CompensationPoolAbi, functionName: "fund", args: [1_000n * C] });

  // ─── Claim 1: by transaction, accepted, investigated, approved small (paid at once) ───
  const c1 = {
    submitted: await poolCall(BOB, {
      abi: CompensationPoolAbi,
      functionName: "submitClaim",
      args: [0, 100n * C, note("evidence-1")],
    }),
    accepted: await poolCall(ASSESSOR, {
      abi: CompensationPoolAbi,
      functionName: "acceptClaim",
      args: [1n, note("accept-1")],
    }),
    investigating: await poolCall(ASSESSOR, {
      abi: CompensationPoolAbi,
      functionName: "markInvestigating",
      args: [1n, note("investigate-1")],
    }),
    approved: await poolCall(ASSESSOR, {
      abi: CompensationPoolAbi,
      functionName: "approveClaim",
      args: [1n, 80n * C, note("approve-1")],
    }),
  };

  // ─── Claim 2: by signature (a relayer pays the gas), accepted late, approved large, executed ───
  const chainId = await chain.chainId();
  const deadline = 2n ** 40n;
  const request = {
    claimant: ALICE,
    kind: 1,
    amount: 2_000n * C,
    evidenceHash: note("evidence-2"),
    nonce: 0n,
    deadline,
  };
  const typedData = {
    domain: claimDomain(chainId, pool),
    primaryType: "ClaimRequest",
    types: {
      EIP712Domain: [
        { name: "name", type: "string" },
        { name: "version", type: "string" },
        { name: "chainId", type: "uint256" },
        { name: "verifyingContract", type: "address" },
      ],
      ...CLAIM_REQUEST_TYPES,
    },
    message: { ...request, amount: request.amount.toString(), nonce: "0", deadline: deadline.toString() },
  };
  const signature = await chain.rpc<Hex>("eth_signTypedData_v4", [ALICE, JSON.stringify(typedData)]);
  const c2Submitted = await poolCall(RELAYER, {
    abi: CompensationPoolAbi,
    functionName: "submitClaimWithSig",
    args: [request, signature],
  });
  // Past the response deadline (tier 2: 3,600 s × 40% = 1,440 s): the acceptance is late.
  await chain.increaseTime(1_500);
  const c2 = {
    submitted: c2Submitted,
    accepted: await poolCall(ASSESSOR, {
      abi: CompensationPoolAbi,
      functionName: "acceptClaim",
      args: [2n, note("accept-2")],
    }),
    investigating: await poolCall(ASSESSOR, {
      abi: CompensationPoolAbi,
      functionName: "markInvestigating",
      args: [2n, note("investigate-2")],
    }),
    approved: await poolCall(ASSESSOR, {
      abi: CompensationPoolAbi,
      functionName: "approveClaim",
      args: [2n, 1_500n * C, note("approve-2")],
    }),
    paid: undefined as Mined | undefined,
  };

  // ─── Claim 3: approved large, vetoed by the guardian ───
  const c3 = {
    submitted: await poolCall(BOB, {
      abi: CompensationPoolAbi,
      functionName: "submitClaim",
      args: [2, 1_200n * C, note("evidence-3")],
    }),
    accepted: await poolCall(ASSESSOR, {
      abi: CompensationPoolAbi,
      functionName: "acceptClaim",
      args: [3n, note("accept-3")],
    }),
    approved: await poolCall(ASSESSOR, {
      abi: CompensationPoolAbi,
      functionName: "approveClaim",
      args: [3n, 1_200n * C, note("approve-3")],
    }),
    vetoed: await poolCall(GUARDIAN, {
      abi: CompensationPoolAbi,
      functionName: "vetoPayout",
      args: [3n, note("veto-3")],
    }),
  };

  // ─── Claim 4 rejected, claim 5 cancelled ───
  const c4 = {
    submitted: await poolCall(BOB, {
      abi: CompensationPoolAbi,
      functionName: "submitClaim",
      args: [3, 10n * C, note("evidence-4")],
    }),
    rejected: await poolCall(ASSESSOR, {
      abi: CompensationPoolAbi,
      functionName: "rejectClaim",
      args: [4n, note("reject-4")],
    }),
  };
  const c5 = {
    submitted: await poolCall(BOB, {
      abi: CompensationPoolAbi,
      functionName: "submitClaim",
      args: [0, 5n * C, note("evidence-5")],
    }),
    cancelled: await poolCall(BOB, { abi: CompensationPoolAbi, functionName: "cancelClaim", args: [5n] }),
  };

  // Claim 2's delay (300 s) is over: anyone executes the payout.
  await chain.increaseTime(300);
  c2.paid = await poolCall(BOB, { abi: CompensationPoolAbi, functionName: "executePayout", args: [2n] });

  // ─── Incidents: 1 claimed then closed, 2 cancelled, 3 left open ───
  const tree = StandardMerkleTree.of(INCIDENT_LEAVES, ["uint256", "address", "uint256"]);
  const root = tree.root as Hex;
  const now = c2.paid.ts;
  const deadline1 = now + 1_000n;
  const i1Opened = await poolCall(DEPLOYER, {
    abi: CompensationPoolAbi,
    functionName: "openIncident",
    args: [root, 30n * C, Number(deadline1), note("incident-1")],
  });
  const i2Opened = await poolCall(DEPLOYER, {
    abi: CompensationPoolAbi,
    functionName: "openIncident",
    args: [root, 40n * C, Number(deadline1), note("incident-2")],
  });
  const i2Cancelled = await poolCall(GUARDIAN, {
    abi: CompensationPoolAbi,
    functionName: "cancelIncident",
    args: [2n, note("cancel-2")],
  });
  await chain.increaseTime(121);
  const i1Claimed = await tx(
    RELAYER,
    incidentVaultAddress(pool, 1n),
    encodeFunctionData({
      abi: IncidentVaultAbi,
      functionName: "claim",
      args: [0n, ALICE, 10n * C, tree.getProof(0) as Hex[]],
    }),
  );
  await chain.increaseTime(1_000);
  const i1Closed = await poolCall(BOB, { abi: CompensationPoolAbi, functionName: "closeIncident", args: [1n] });
  const i3Opened = await poolCall(DEPLOYER, {
    abi: CompensationPoolAbi,
    functionName: "openIncident",
    args: [root, 5n * C, Number(i1Closed.ts + 100_000n), note("incident-3")],
  });

  // ─── Packages: catalogue, proceeds, oracle; a purchase with the stablecoin and one with C ───
  const packageSet = await tx(
    DEPLOYER,
    packages,
    encodeFunctionData({
      abi: EmergencyPackagesAbi,
      functionName: "setPackage",
      args: [4n, 99n * USD, 7 * 86_400, 7_500, true],
    }),
  );
  const proceedsSet = await tx(
    DEPLOYER,
    packages,
    encodeFunctionData({ abi: EmergencyPackagesAbi, functionName: "setProceeds", args: [TREASURY, TREASURY, 4_000] }),
  );
  const oracleSet = await tx(
    DEPLOYER,
    packages,
    encodeFunctionData({ abi: EmergencyPackagesAbi, functionName: "setOracle", args: [feed, 3_600] }),
  );
  const boughtStable = await tx(
    PROJECT,
    packages,
    encodeFunctionData({
      abi: EmergencyPackagesAbi,
      functionName: "buyWithStable",
      args: [1n, PROJECT, 1, 1_000n * USD],
    }),
  );
  // A fresh price (C at $0.25), well within the one-hour heartbeat.
  await tx(DEPLOYER, feed, encodeFunctionData({ abi: mockAbi, functionName: "setAnswer", args: [25_000_000n] }));
  // Alice buys for the project, which must first allow her to.
  const buyerApproved = await tx(
    PROJECT,
    packages,
    encodeFunctionData({ abi: EmergencyPackagesAbi, functionName: "setBuyerApproval", args: [ALICE, true] }),
  );
  const boughtC = await tx(
    ALICE,
    packages,
    encodeFunctionData({ abi: EmergencyPackagesAbi, functionName: "buyWithC", args: [2n, PROJECT, 1, 1_000n * C] }),
  );

  // ─── Event standby: the project books "Event day" for itself (three days: two units, stablecoin);
  // Alice books package 4 for the project in C, then the project withdraws her approval ───
  const standbyStart = boughtC.ts + DAY;
  const bookedStable = await tx(
    PROJECT,
    packages,
    encodeFunctionData({
      abi: EmergencyPackagesAbi,
      functionName: "bookWithStable",
      args: [3n, PROJECT, Number(standbyStart), Number(standbyStart + 3n * DAY), 1, 100n * USD],
    }),
  );
  const bookedC = await tx(
    ALICE,
    packages,
    encodeFunctionData({
      abi: EmergencyPackagesAbi,
      functionName: "bookWithC",
      args: [4n, PROJECT, Number(standbyStart + 10n * DAY), Number(standbyStart + 11n * DAY), 1, 1_000n * C],
    }),
  );
  const approvalWithdrawn = await tx(
    PROJECT,
    packages,
    encodeFunctionData({ abi: EmergencyPackagesAbi, functionName: "setBuyerApproval", args: [ALICE, false] }),
  );

  // ─── Admin: sweep, pauses ───
  const swept = await poolCall(DEPLOYER, {
    abi: CompensationPoolAbi,
    functionName: "sweep",
    args: [TREASURY, 50n * C],
  });
  const poolPaused = await poolCall(GUARDIAN, { abi: CompensationPoolAbi, functionName: "pause" });
  const poolUnpaused = await poolCall(GUARDIAN, { abi: CompensationPoolAbi, functionName: "unpause" });
  const packagesPaused = await tx(
    GUARDIAN,
    packages,
    encodeFunctionData({ abi: EmergencyPackagesAbi, functionName: "pause" }),
  );
  const packagesUnpaused = await tx(
    DEPLOYER,
    packages,
    encodeFunctionData({ abi: EmergencyPackagesAbi, functionName: "unpause" }),
  );

  return {
    staked,
    unstake0,
    unstake1,
    withdrawn,
    tiersSet,
    warmupSet,
    cooldownSet,
    slaSet,
    lateCreditSet,
    funded,
    c1,
    c2: { ...c2, paid: c2.paid },
    c3,
    c4,
    c5,
    root,
    deadline1,
    i1Opened,
    i2Opened,
    i2Cancelled,
    i1Claimed,
    i1Closed,
    i3Opened,
    packageSet,
    proceedsSet,
    oracleSet,
    boughtStable,
    buyerApproved,
    boughtC,
    standbyStart,
    bookedStable,
    bookedC,
    approvalWithdrawn,
    swept,
    poolPaused,
    poolUnpaused,
    packagesPaused,
    packagesUnpaused,
  };
}

/** `count` more claims by BOB (1 C each, one block each): bulk for the restart test's backfill. */
export async function fillerClaims(chain: DevChain, pool: Address, count: number): Promise<Mined> {
  const hashes = await chain.sendTransactions(
    Array.from({ length: count }, (_, i) => ({
      from: BOB,
      to: pool,
      data: encodeFunctionData({
        abi: CompensationPoolAbi,
        functionName: "submitClaim",
        args: [0, C, note(`filler-${i}`)],
      }),
      // Above the node's default of 90,000 for a transaction without `gas`: the first claim of each
      // eight creates its resolution-deadline lane (≈ 94,000).
      gas: 150_000n,
    })),
  );
  const [last] = await chain.receipts([hashes.at(-1)!]);
  const block = await chain.rpc<{ timestamp: Hex }>("eth_getBlockByNumber", [last!.blockNumber, false]);
  return { hash: hashes.at(-1)!, block: BigInt(last!.blockNumber), ts: BigInt(block.timestamp) };
}
