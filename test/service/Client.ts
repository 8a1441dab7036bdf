import type { Server } from "node:http";

import { expect } from "chai";
import type { InferResponseType } from "hono/client";

import type { AccountClaimsResponse, ClaimResponse } from "../../service/src/claims/routes.js";
import { createClient, type ServiceClient } from "../../service/src/client.js";
import type { StatsResponse } from "../../service/src/stats/routes.js";
import { ALICE, insertClaims, insertTiers, T0 } from "./indexer.js";
import { readFixture, type ReadFixture } from "./readApp.js";

// ---- Type-level checks: `npx tsc --noEmit` fails when the client's types degrade. ----
type IsAny<T> = 0 extends 1 & T ? true : false;
type IsUnknown<T> = IsAny<T> extends true ? false : unknown extends T ? true : false;
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;

type ClaimOk = InferResponseType<ServiceClient["v1"]["claims"][":id"]["$get"], 200>;
type AccountOk = InferResponseType<ServiceClient["v1"]["accounts"][":address"]["claims"]["$get"], 200>;
type StatsOk = InferResponseType<ServiceClient["v1"]["stats"]["$get"], 200>;
type WebhookList = InferResponseType<ServiceClient["v1"]["webhooks"]["$get"], 200>;
type NonceOk = InferResponseType<ServiceClient["v1"]["auth"]["nonce"]["$post"], 200>;
type ClaimNotFound = InferResponseType<ServiceClient["v1"]["claims"][":id"]["$get"], 404>;

export type ClientTypeChecks = [
  Assert<Equals<IsAny<ClaimOk>, false>>,
  Assert<Equals<IsUnknown<ClaimOk>, false>>,
  // The JSON the client hands back is the route's own response type (not a cast, not a copy).
  Assert<Equals<ClaimOk, ClaimResponse>>,
  Assert<Equals<AccountOk, AccountClaimsResponse>>,
  Assert<Equals<StatsOk, StatsResponse>>,
  Assert<Equals<IsAny<WebhookList>, false>>,
  Assert<Equals<IsUnknown<WebhookList>, false>>,
  Assert<Equals<IsAny<NonceOk>, false>>,
  Assert<Equals<ClaimNotFound["error"]["code"], string>>,
  // Paths and parameters are checked too: a mistyped route is a compile error.
  // @ts-expect-error there is no /v1/claim route
  ServiceClient["v1"]["claim"],
];

describe("typed client (hono/client on the app's exported type)", function () {
  let fixture: ReadFixture;
  let server: Server;
  let api: ServiceClient;

  before(async function () {
    fixture = await readFixture("pglite");
    await insertTiers(fixture.handle.db);
    await insertClaims(fixture.handle.db, [
      { id: 1n, claimant: ALICE, submittedAt: T0, steps: [{ status: "Accepted", at: T0 + 60n }] },
      { id: 2n, claimant: ALICE, submittedAt: T0 + 10n },
    ]);
    // Served as the service serves it: the claim read below goes through the lane, the rest through the router.
    const served = await fixture.serve();
    server = served.server;
    api = createClient(`http://127.0.0.1:${served.port}`);
  });
  after(async function () {
    await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    await fixture.close();
  });

  it("reads a claim over the network with the response typed by the route", async function () {
    const res = await api.v1.claims[":id"].$get({ param: { id: "1" }, query: { lang: "id" } });
    expect(res.status).to.equal(200);
    if (res.status !== 200) return;
    const claim = await res.json();
    expect(claim.id).to.equal("1");
    expect(claim.status).to.equal("Accepted");
    expect(claim.lang).to.equal("id");
    expect(claim.statusText).to.equal("Layanan pelanggan telah menerima permintaan");
    expect(claim.timeline.map((s) => s.stage)).to.include("Accepted");
  });

  it("pages an account's claims and reads the stats through the same client", async function () {
    const page = await api.v1.accounts[":address"].claims.$get({
      param: { address: ALICE },
      query: { limit: "1" },
    });
    expect(page.status).to.equal(200);
    if (page.status !== 200) return;
    const first = await page.json();
    expect(first.items.map((c) => c.id)).to.deep.equal(["2"]);
    expect(first.nextCursor).to.be.a("string");
    const next = await api.v1.accounts[":address"].claims.$get({
      param: { address: ALICE },
      query: { limit: "1", cursor: first.nextCursor ?? undefined },
    });
    if (next.status !== 200) throw new Error(`status ${next.status}`);
    expect((await next.json()).items.map((c) => c.id)).to.deep.equal(["1"]);

    const stats = await api.v1.stats.$get();
    if (stats.status !== 200) throw new Error(`status ${stats.status}`);
    expect((await stats.json()).open.total).to.equal(2);
  });

  it("gives the service's error shape, typed, for a missing claim and for bad input", async function () {
    const missing = await api.v1.claims[":id"].$get({ param: { id: "99" }, query: {} });
    expect(missing.status).to.equal(404);
    if (missing.status === 404) expect((await missing.json()).error.code).to.equal("not_found");
    const bad = await api.v1.claims[":id"].$get({ param: { id: "x" }, query: {} });
    expect(bad.status).to.equal(400);
    // Validation failures come from the router's hook, which the route types do not list.
    const body: unknown = await bad.json();
    expect(body).to.have.nested.property("error.code", "invalid_request");
  });
});
