/**
 * One vocabulary: every claim status and kind, in every language, reads the same through each
 * surface that shows it — the API's claim view, the webhook payloads and the CLI — as in
 * common/stages.ts; kind names likewise through the API, the webhooks and the desk. (The page
 * shows the API's texts; test/station/Browser.ts reads one on screen.)
 */
import { expect } from "chai";

import { CLAIM_KINDS, CLAIM_STATUSES, type ClaimStatus } from "../../common/claims.js";
import { LANGUAGES, kindText, stageText } from "../../common/stages.js";
import { STAGE_TEXT as CLI_STAGE_TEXT, STATUS_NAMES } from "../../cli/index.js";
import { chainClaimHead } from "../../cli/commands/claim-status.js";
import { claimTransitionsStream } from "../../service/src/feed/streams.js";
import { kindText as deskKindText } from "../../web/src/desk/text.js";
import { insertClaims, T0, type Step } from "../service/indexer.js";
import { readFixture, type ReadFixture } from "../service/readApp.js";

/** A path through the lifecycle that ends in `status`. */
function stepsTo(status: ClaimStatus, claim: number): Step[] {
  const path: Record<ClaimStatus, ClaimStatus[]> = {
    Submitted: ["Submitted"],
    Accepted: ["Submitted", "Accepted"],
    Investigating: ["Submitted", "Accepted", "Investigating"],
    Approved: ["Submitted", "Accepted", "Approved"],
    Paid: ["Submitted", "Accepted", "Approved", "Paid"],
    Rejected: ["Submitted", "Rejected"],
    Cancelled: ["Submitted", "Cancelled"],
  };
  // Each claim's steps in blocks of their own (a transition's id is its block and log index).
  return path[status].map((s, i) => ({
    status: s,
    at: T0 + BigInt(claim * 1_000 + i * 60),
    block: BigInt(claim * 10 + i + 1),
  }));
}

describe("one vocabulary across the surfaces", function () {
  let f: ReadFixture;
  // One claim per (status, kind): ids 1..28.
  const cases = CLAIM_STATUSES.flatMap((status) => CLAIM_KINDS.map((kind) => ({ status, kind })));

  before(async function () {
    f = await readFixture("pglite");
    f.clock.now = T0 + 100_000n;
    await insertClaims(
      f.handle.db,
      cases.map((c, i) => ({ id: BigInt(i + 1), kind: c.kind, steps: stepsTo(c.status, i) })),
    );
  });
  after(async function () {
    await f.close();
  });

  it("has one distinct text per status in each language", function () {
    for (const lang of LANGUAGES) {
      const texts = CLAIM_STATUSES.map((s) => stageText(s, lang));
      expect(new Set(texts).size, lang).to.equal(CLAIM_STATUSES.length);
      for (const t of texts) expect(t.length, lang).to.be.greaterThan(3);
    }
  });

  it("the API's claim view says each status in each language as common/stages.ts does, with the kind's name", async function () {
    const app = f.app();
    for (const [i, c] of cases.entries()) {
      for (const lang of LANGUAGES) {
        const res = await app.request(`/v1/claims/${i + 1}?lang=${lang}`);
        expect(res.status).to.equal(200);
        const body = (await res.json()) as { claim?: Record<string, unknown> } & Record<string, unknown>;
        const claim = body.claim ?? body;
        expect(claim.status, `claim ${i + 1}`).to.equal(c.status);
        expect(claim.kind, `claim ${i + 1}`).to.equal(c.kind);
        expect(claim.statusText, `${c.status}/${lang}`).to.equal(stageText(c.status, lang));
        expect(claim.kindText, `${c.kind}/${lang}`).to.equal(kindText(c.kind, lang));
      }
    }
  });

  it("the webhook payloads and the CLI say each status as the API does in English", async function () {
    const rows = await claimTransitionsStream.fetch(f.handle.db, "", false, undefined, 1_000);
    expect(rows.length).to.be.greaterThan(CLAIM_STATUSES.length);
    const seen = new Map<string, string>();
    const kinds = new Map<string, string>();
    for (const row of rows) {
      const data = (
        JSON.parse(row.event.body) as { data: { status: string; stage: string; kind: string; kindText: string } }
      ).data;
      seen.set(data.status, data.stage);
      kinds.set(data.kind, data.kindText);
    }
    for (const kind of CLAIM_KINDS) expect(kinds.get(kind), `webhook ${kind}`).to.equal(kindText(kind, "en"));
    for (const status of CLAIM_STATUSES) {
      expect(seen.get(status), `webhook ${status}`).to.equal(stageText(status, "en"));
      expect(CLI_STAGE_TEXT[status], `CLI ${status}`).to.equal(stageText(status, "en"));
    }
    expect(STATUS_NAMES.slice(1)).to.deep.equal([...CLAIM_STATUSES]);
  });

  it("the CLI, reading the chain when the service is down, says each status and kind in each language alike", function () {
    for (const lang of LANGUAGES) {
      for (const [s, status] of CLAIM_STATUSES.entries()) {
        for (const [k, kind] of CLAIM_KINDS.entries()) {
          // The contract's indexes: status 0 is None, kinds from 0.
          const [statusLine, kindLine] = chainClaimHead(7n, s + 1, k, lang);
          expect(statusLine).to.equal(`claim #7: ${status} — ${stageText(status, lang)}`);
          expect(kindLine).to.match(new RegExp(` — ${kindText(kind, lang)}$`));
        }
      }
    }
  });

  it("the desk names each kind in each language as the API does", async function () {
    const app = f.app();
    for (const [i, c] of cases.entries()) {
      for (const lang of LANGUAGES) {
        const body = (await (await app.request(`/v1/claims/${i + 1}?lang=${lang}`)).json()) as {
          claim?: { kindText: string };
          kindText?: string;
        };
        expect(deskKindText(c.kind, lang), `${c.kind}/${lang}`).to.equal((body.claim ?? body).kindText);
      }
    }
    // Four names per language, none repeated.
    for (const lang of LANGUAGES) expect(new Set(CLAIM_KINDS.map((k) => kindText(k, lang))).size).to.equal(4);
  });
});
