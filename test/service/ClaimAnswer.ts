/**
 * A settled claim's rendered answer (service/src/claims/answer.ts) must be the claim view's JSON
 * byte for byte, at every head from which it answers and in every language. Random claims in every
 * state, read back from the indexer's tables as the claim cache holds them, are rendered and filled
 * at many heads, and compared with `{ lang, ...claimView(…) }` serialised at a time far from the
 * one they were rendered at.
 */
import { expect } from "chai";
import { sql } from "drizzle-orm";

import { ClaimAnswer } from "../../service/src/claims/answer.js";
import { LANGUAGES, type Language } from "../../service/src/claims/i18n.js";
import { deadlineState } from "../../service/src/claims/sla.js";
import { claimView, type TrackingPolicy } from "../../service/src/claims/view.js";
import type { DatabaseHandle } from "../../service/src/db/client.js";
import { CLAIM_KINDS, CLAIM_STATUSES, type ChainHead, type ClaimTimeline } from "../../service/src/indexer/reader.js";
import {
  ALICE,
  BOB,
  freshIndexerDatabase,
  insertBreachCredit,
  insertClaims,
  insertTiers,
  prng,
  T0,
  testReader,
  type ClaimSpec,
  type Step,
} from "./indexer.js";

/** Claims in every state and shape: late and on-time answers, unanswered rejections, skipped stages, huge amounts. */
function randomClaims(count: number, seed: number): ClaimSpec[] {
  const rnd = prng(seed);
  const int = (n: number) => BigInt(Math.floor(rnd() * n));
  const specs: ClaimSpec[] = [];
  for (let i = 1; i <= count; i++) {
    const submittedAt = T0 + int(10 * 86_400);
    const tier = rnd() < 0.3 ? 1 : 0;
    const steps: Step[] = [];
    let t = submittedAt;
    const next = (max: number) => (t = t + 1n + int(max));
    const r = rnd();
    if (r < 0.1) steps.push({ status: "Cancelled", at: next(2000) });
    else if (r < 0.2) steps.push({ status: "Rejected", at: next(30_000) });
    else if (r > 0.25) {
      steps.push({ status: "Accepted", at: next(1200) });
      if (rnd() < 0.5) steps.push({ status: "Investigating", at: next(3000) });
      const s = rnd();
      if (s < 0.2) steps.push({ status: "Rejected", at: next(20_000) });
      else if (s < 0.3) steps.push({ status: "Cancelled", at: next(20_000) });
      else if (s < 0.9) {
        steps.push({ status: "Approved", at: next(20_000) });
        if (rnd() < 0.8) steps.push({ status: "Paid", at: next(90_000) });
      }
    }
    specs.push({
      id: rnd() < 0.1 ? (1n << 200n) + BigInt(i) : BigInt(i),
      claimant: rnd() < 0.5 ? ALICE : BOB,
      kind: CLAIM_KINDS[Math.floor(rnd() * CLAIM_KINDS.length)]!,
      tier,
      submittedAt,
      responseWindow: tier === 1 ? 300n : 600n,
      resolutionWindow: tier === 1 ? 7200n : 14_400n,
      amountRequested: rnd() < 0.2 ? (1n << 250n) + int(1000) : 10n ** 18n * (1n + int(50)),
      lateCredit: rnd() < 0.2 ? 10n ** 17n : 0n,
      noSubmittedTransition: rnd() < 0.1,
      steps,
    });
  }
  return specs;
}

describe("a settled claim's rendered answer", function () {
  this.timeout(60_000);
  let handle: DatabaseHandle;
  let timelines: ClaimTimeline[];
  let anomaly: bigint;

  before(async function () {
    handle = await freshIndexerDatabase("pglite");
    await insertTiers(handle.db);
    const specs = randomClaims(300, 7);
    await insertClaims(handle.db, specs);
    // Breach credits paid on some claims, and one claim whose tier no longer exists.
    for (const spec of specs.filter((_, i) => i % 9 === 0)) {
      await insertBreachCredit(handle.db, {
        claimId: spec.id,
        claimant: spec.claimant!,
        kind: "NoResponse",
        amount: 10n ** 17n,
        block: spec.submittedAt! - T0 + 700n,
      });
    }
    await handle.db.execute(sql`UPDATE claims SET no_response_credit = 100000000000000000 WHERE id % 9 = 1`);
    await handle.db.execute(sql`UPDATE claims SET tier = 7 WHERE id = 3`);
    // A rejection the indexer holds without its time (no closed_at, no transition): its
    // resolution stage was never reached, so the view judges that deadline by the time.
    const [rejected] = specs.filter((c) => c.steps?.at(-1)?.status === "Rejected" && c.id < 1000n);
    anomaly = rejected!.id;
    await handle.db.execute(sql`UPDATE claims SET closed_at = NULL WHERE id = ${anomaly}`);
    await handle.db.execute(sql`DELETE FROM claim_transitions WHERE claim_id = ${anomaly} AND status = 'Rejected'`);
    const reader = testReader(handle.db, { current: { number: 0n, timestamp: T0 } });
    timelines = [];
    for (const spec of specs) timelines.push((await reader.timeline(spec.id))!);
  });
  after(async function () {
    await handle.close();
  });

  const policies: TrackingPolicy[] = [
    { finalityConfirmations: 12, atRiskFraction: 0.25 },
    { finalityConfirmations: 2, atRiskFraction: 0.9 },
    { finalityConfirmations: 0, atRiskFraction: 0.5 },
  ];

  const viewJson = (found: ClaimTimeline, head: ChainHead, now: bigint, policy: TrackingPolicy, lang: Language) =>
    JSON.stringify({ lang, ...claimView(found.claim, found.transitions, head, now, policy, lang) });

  it("is, for a settled claim, the view's JSON byte for byte at any time and every head from which its stages are final", function () {
    let compared = 0;
    for (const policy of policies) {
      for (const found of timelines) {
        const answer = ClaimAnswer.settled(found, policy);
        if (answer === undefined || answer === null) continue;
        expect(answer.headUntil).to.equal(undefined);
        for (const ahead of [0n, 1n, 2n, 37n, 1_000_000n]) {
          const head: ChainHead = { number: answer.headFrom + ahead, timestamp: 0n };
          // Times far from the one it was rendered at: a settled claim's view does not depend on it.
          for (const now of [0n, found.claim.updatedAt + 5_000_000n]) {
            for (const lang of LANGUAGES) {
              const what = `claim ${found.claim.id} (${found.claim.status}), ${lang}`;
              expect(answer.body(head, now, policy, lang), what).to.equal(viewJson(found, head, now, policy, lang));
              compared++;
            }
          }
        }
      }
    }
    // Most of the claims are settled: the comparison covered them, not an empty set.
    expect(compared).to.be.greaterThan(3 * 150 * 5 * 2 * 4);
  });

  it("answers nothing, for a settled claim, below the head from which every stage is final, or under another policy", function () {
    const [policy, other] = policies as [TrackingPolicy, TrackingPolicy];
    let below = 0;
    for (const found of timelines) {
      const answer = ClaimAnswer.settled(found, policy);
      if (answer === undefined || answer === null) continue;
      const head: ChainHead = { number: answer.headFrom - 1n, timestamp: 0n };
      expect(answer.body(head, 0n, policy, "en")).to.equal(undefined);
      const view = claimView(found.claim, found.transitions, head, 0n, policy, "en");
      expect([view.finality.pending, ...view.timeline.map((s) => s.pendingFinality)]).to.include(true);
      const final: ChainHead = { number: answer.headFrom, timestamp: 0n };
      expect(answer.body(final, 0n, other, "en")).to.equal(undefined);
      expect(answer.body(final, 0n, { ...policy, atRiskFraction: 0.3 }, "en")).to.equal(undefined);
      below++;
    }
    expect(below).to.be.greaterThan(100);
  });

  it("is rendered when stored for settled claims only: an open claim's view, or a deadline never reached, depends on the time", function () {
    const policy = policies[0]!;
    const statuses = new Map<string, { rendered: number; not: number }>();
    // Settled, but its view judges a deadline by the time: computed per request.
    const unanswered = timelines.find((t) => t.claim.id === anomaly)!;
    expect(ClaimAnswer.settled(unanswered, policy)).to.equal(null);
    for (const found of timelines.filter((t) => t.claim.id !== anomaly)) {
      const counts = statuses.get(found.claim.status) ?? { rendered: 0, not: 0 };
      if (!(ClaimAnswer.settled(found, policy) instanceof ClaimAnswer)) counts.not++;
      else counts.rendered++;
      statuses.set(found.claim.status, counts);
    }
    for (const [status, counts] of statuses) {
      if (["Paid", "Rejected", "Cancelled"].includes(status)) expect(counts, status).to.deep.include({ not: 0 });
      else expect(counts, status).to.deep.include({ rendered: 0 });
    }
    expect([...statuses.keys()]).to.include.members([...CLAIM_STATUSES]);
  });

  it("is, for any claim rendered at a head and a time, the view's JSON wherever it answers, and answers on the same steps", function () {
    const rnd = prng(11);
    let answered = 0;
    let refused = 0;
    for (const policy of policies) {
      for (const found of timelines) {
        const { claim } = found;
        // Times around each deadline and its at-risk point, heads around each block's finality.
        const times = [claim.submittedAt, claim.responseDeadline, claim.resolutionDeadline, claim.payableAt ?? 0n]
          .flatMap((t) => [t - 200n, t - 1n, t, t + 1n, t + 3_000n])
          .concat([claim.updatedAt + 10n, claim.updatedAt + 10_000_000n]);
        const blocks = [claim.updatedBlock, ...found.transitions.map((t) => t.blockNumber)];
        const required = BigInt(policy.finalityConfirmations);
        const heads = blocks
          .flatMap((b) => [b, b + required - 2n, b + required - 1n, b + required])
          .concat([claim.updatedBlock + 1_000n])
          .filter((h) => h >= claim.updatedBlock);
        const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
        for (let r = 0; r < 3; r++) {
          const at: ChainHead = { number: pick(heads), timestamp: 0n };
          const when = pick(times);
          const answer = ClaimAnswer.of(found, policy, at, when);
          if (answer === undefined) continue;
          // It answers where it was rendered, in every language.
          for (const lang of LANGUAGES) {
            expect(answer.body(at, when, policy, lang), `claim ${claim.id} rendered`).to.equal(
              viewJson(found, at, when, policy, lang),
            );
          }
          for (let k = 0; k < 12; k++) {
            const head: ChainHead = { number: pick(heads), timestamp: 0n };
            const now = pick(times);
            const lang = pick([...LANGUAGES]);
            const body = answer.body(head, now, policy, lang);
            if (body === undefined) {
              refused++;
              continue;
            }
            expect(body, `claim ${claim.id} (${claim.status}) at head ${head.number}, time ${now}`).to.equal(
              viewJson(found, head, now, policy, lang),
            );
            answered++;
          }
        }
      }
    }
    // Both outcomes were exercised, and answers across steps were compared by the thousand.
    expect(answered).to.be.greaterThan(3_000);
    expect(refused).to.be.greaterThan(1_000);
  });

  it("answers an open claim up to the instant its time's steps change, and from then only as the view does", function () {
    // The instants at which an open claim's view changes in steps: each pending deadline becoming
    // at risk (found here by search, from the rule itself) and breached, and the payable time.
    const firstAtRisk = (start: bigint, deadline: bigint, atRiskFraction: number): bigint | undefined => {
      const state = (now: bigint) => deadlineState({ start, deadline, now, atRiskFraction });
      if (state(start) !== "on-track") return undefined;
      let [lo, hi] = [start, deadline + 1n]; // on track at lo, not at hi
      while (hi - lo > 1n) {
        const mid = (lo + hi) / 2n;
        if (state(mid) === "on-track") lo = mid;
        else hi = mid;
      }
      return hi;
    };
    const head: ChainHead = { number: 10_000_000n, timestamp: 0n };
    let compared = 0;
    let before = 0;
    for (const policy of policies) {
      for (const found of timelines) {
        const { claim } = found;
        if (["Paid", "Rejected", "Cancelled"].includes(claim.status)) continue;
        const changes = [claim.responseDeadline, claim.resolutionDeadline]
          .flatMap((d) => [firstAtRisk(claim.submittedAt, d, policy.atRiskFraction), d + 1n])
          .concat(claim.payableAt ?? [])
          .filter((c): c is bigint => c !== undefined);
        for (const change of changes) {
          for (const renderedAt of [change - 1_000n, change - 1n]) {
            const answer = ClaimAnswer.of(found, policy, head, renderedAt);
            if (answer === undefined) continue;
            // The first change after it was rendered (`change` at the latest): the instants before
            // are all on the same steps.
            const next = changes.filter((c) => c > renderedAt).reduce((a, b) => (b < a ? b : a));
            for (const now of [renderedAt, change - 1n, change, change + 1n]) {
              const body = answer.body(head, now, policy, "en");
              const what = `claim ${claim.id} (${claim.status}) rendered at ${renderedAt}, read at ${now}, change at ${change}`;
              if (now < next) {
                expect(body, what).to.not.equal(undefined);
                before++;
              }
              if (body !== undefined) {
                expect(body, what).to.equal(viewJson(found, head, now, policy, "en"));
                compared++;
              }
            }
          }
        }
      }
    }
    expect(before).to.be.greaterThan(500);
    expect(compared).to.be.greaterThan(1_000);
  });
});
