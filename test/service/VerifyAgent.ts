/**
 * "Is this really station support?" — the anti-phishing check anyone can run: whether an address
 * holds a station role now, and whether a message was signed by such an address.
 */
import { expect } from "chai";
import type { Address } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import { createApp } from "../../service/src/app.js";
import type { StaffRole } from "../../service/src/auth/onchain.js";
import { loadConfig } from "../../service/src/config.js";
import type { DatabaseHandle } from "../../service/src/db/client.js";
import { migrate } from "../../service/src/db/migrate.js";
import { createLogger } from "../../service/src/http/log.js";
import { createMetricsRegistry } from "../../service/src/http/metrics.js";
import { testGuards } from "./guards.js";
import { freshDatabase } from "./helpers.js";
import { offlineIndexer } from "./indexer.js";

// Hardhat's well-known development keys (public knowledge, never used for real funds).
const support = privateKeyToAccount("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a7876bd36ef12a4b4af");
const impostor = privateKeyToAccount("0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a");

describe("verify a support agent", function () {
  let handle: DatabaseHandle;
  let staff: Map<Address, StaffRole[]>;
  let app: ReturnType<typeof createApp>;

  beforeEach(async function () {
    handle = await freshDatabase("pglite");
    await migrate(handle.db);
    staff = new Map([[support.address, ["assessor"]]]);
    app = createApp({
      db: handle.db,
      config: loadConfig({ POOL_ADDRESS: "0x5FbDB2315678afecb367f032d93F642f64180aa3" }),
      log: createLogger("silent"),
      auth: testGuards(),
      metrics: createMetricsRegistry({ defaults: false }),
      indexerSource: { db: handle.db, head: async () => undefined },
      indexer: offlineIndexer(),
      now: Date.now,
      staffRoles: async (a) => staff.get(a) ?? [],
    });
  });
  afterEach(() => handle.close());

  type Verdict = {
    address: string;
    roles: string[];
    isStationStaff: boolean;
    signatureValid?: boolean;
    advice: string;
  };
  const get = async (path: string) => {
    const res = await app.request(path);
    return { status: res.status, body: (await res.json()) as Verdict };
  };
  const check = async (body: unknown) => {
    const res = await app.request("/v1/verify/message", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Verdict };
  };

  it("says whether an address holds a station role now", async function () {
    const yes = await get(`/v1/verify/${support.address.toLowerCase()}`);
    expect(yes.status).to.equal(200);
    expect(yes.body).to.include({ address: support.address, isStationStaff: true });
    expect(yes.body.roles).to.deep.equal(["assessor"]);
    const no = await get(`/v1/verify/${impostor.address}`);
    expect(no.body).to.include({ isStationStaff: false });
    expect(no.body.advice).to.match(/not station support/);
    staff.delete(support.address); // the role is revoked on-chain
    expect((await get(`/v1/verify/${support.address}`)).body.isStationStaff).to.equal(false);
    expect((await get("/v1/verify/0x1234")).status).to.equal(400);
  });

  it("says whether a message was signed by station support, and calls a forged one a scam", async function () {
    const message = "I am station support, case #12. I will never ask for your seed phrase.";
    const real = await check({ message, signature: await support.signMessage({ message }) });
    expect(real.body).to.include({ address: support.address, isStationStaff: true, signatureValid: true });
    const fake = await check({ message, signature: await impostor.signMessage({ message }) });
    expect(fake.body).to.include({ address: impostor.address, isStationStaff: false });
    // The impostor names the real agent's address, with their own signature.
    const claimed = await check({
      message,
      address: support.address,
      signature: await impostor.signMessage({ message }),
    });
    expect(claimed.body).to.include({ signatureValid: false });
    expect(claimed.body.advice).to.match(/scam/);
    // An edited message no longer verifies as the agent's.
    const edited = await check({
      message: message.replace("never", "now"),
      address: support.address,
      signature: await support.signMessage({ message }),
    });
    expect(edited.body.signatureValid).to.equal(false);
    expect((await check({ message, signature: "0x1234" })).status).to.equal(400);
    expect((await check({ message: "", signature: "0x12" })).status).to.equal(400);
  });
});
