import { expect } from "chai";
import { network } from "hardhat";
import { createPublicClient, custom, getAddress, type Address, type EIP1193Provider } from "viem";

import LocalStation from "../../ignition/modules/LocalStation.js";
import { ASSESSOR_ROLE, onchainAssessorCheck } from "../../service/src/auth/onchain.js";
import { createLogger } from "../../service/src/http/log.js";

const { ethers, ignition, provider } = await network.create();
const chain = createPublicClient({ transport: custom(provider as unknown as EIP1193Provider) });
const deployed = await ignition.deploy(LocalStation, { parameters: "ignition/parameters/localhost.json" });
const poolAddress = getAddress(await deployed.compensationPool.getAddress());
const pool = await ethers.getContractAt("CompensationPool", poolAddress);

// Hardhat development accounts: #1 is the pool's assessor in localhost.json, #5 holds no role.
const ASSESSOR: Address = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const STRANGER: Address = "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc";

describe("on-chain assessor role check", function () {
  const config = { poolAddress, rpcUrl: "http://127.0.0.1:1" };

  it("reads hasRole(ASSESSOR_ROLE) on the deployed pool through its generated ABI", async function () {
    const isAssessor = onchainAssessorCheck(config, createLogger("silent"), chain);
    expect(await isAssessor(ASSESSOR)).to.equal(true);
    expect(await isAssessor(STRANGER)).to.equal(false);
  });

  it("uses the role id the pool itself reports", async function () {
    const onChain = await pool.ASSESSOR_ROLE();
    expect(onChain).to.equal(ASSESSOR_ROLE);
  });

  it("refuses everyone when no pool address is configured", async function () {
    const isAssessor = onchainAssessorCheck({ poolAddress: undefined, rpcUrl: config.rpcUrl }, createLogger("silent"));
    expect(await isAssessor(ASSESSOR)).to.equal(false);
  });
});
