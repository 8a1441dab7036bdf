/**
 * The desk's incident round form, shown when the connected account holds a staff role on the pool:
 * upload the CSV (the service drafts it and names the refused rows), open the round on-chain from
 * the wallet (funding the pool first when its free balance is short), and publish it, after which
 * every claimant finds their proof by address.
 */
import { type TemplateResult, html, nothing, render } from "lit-html";
import { type Address, type Hex, keccak256, parseEventLogs } from "viem";

import { CompensationPoolAbi } from "../../../common/abis/CompensationPool.js";
import { type RoundDraftProgressResponse, type RoundDraftResponse, ServiceError, rounds } from "../api.js";
import type { Context } from "../context.js";
import { C } from "../format.js";
import { holdsStationRole } from "../roles.js";

const DAY = 86_400;
/** How often the form asks how far a draft's build is. */
const PROGRESS_POLL_MS = 500;
const PHASES: Record<RoundDraftProgressResponse["phase"], string> = {
  reading: "Reading the file",
  tree: "Building the tree and every proof",
  storing: "Storing the proofs",
  done: "Done",
};

type Drafted = RoundDraftResponse & { csvHash: Hex };

export function mountRounds(host: HTMLElement, ctx: Context) {
  let staff = false;
  let drafted: Drafted | undefined;
  /** The draft being built, while it is. */
  let building: RoundDraftProgressResponse | undefined;
  let result: TemplateResult | typeof nothing = nothing;

  async function checkStaff(account: Address | undefined) {
    staff = false; // hidden while the roles are read
    staff = await holdsStationRole(ctx, account);
    update();
  }

  /**
   * Sends the CSV to be drafted in the service's background and follows the build (reading, tree,
   * storing every proof) until it is a draft or fails: a round of 100,000 accounts takes a while.
   */
  async function draft() {
    const file = host.querySelector<HTMLInputElement>("#desk-csv")?.files?.[0];
    if (!file) throw new Error("Choose the CSV of account,amount rows first.");
    const unit = host.querySelector<HTMLSelectElement>("#desk-unit")?.value === "wei" ? "wei" : "C";
    const bytes = new Uint8Array(await file.arrayBuffer());
    drafted = undefined;
    result = nothing;
    let state = await ctx.session.authorized((s) => rounds.startDraft(s.token, file, unit));
    for (;;) {
      building = state;
      update();
      if (state.status !== "building") break;
      await new Promise((resolve) => setTimeout(resolve, PROGRESS_POLL_MS));
      const draftId = state.draftId;
      state = await ctx.session.authorized((s) => rounds.progress(s.token, draftId));
    }
    building = undefined;
    if (state.status === "failed" || state.root === null || state.total === null || state.count === null) {
      result = failedView(state);
      update();
      throw new Error(state.error?.message ?? "the round could not be drafted");
    }
    drafted = {
      draftId: state.draftId,
      root: state.root,
      total: state.total,
      count: state.count,
      rejected: state.rejected,
      rejectedCount: state.rejectedCount,
      csvHash: keccak256(bytes),
    };
    update();
  }

  async function open() {
    if (!drafted) return;
    const days = Number(host.querySelector<HTMLInputElement>("#desk-days")?.value ?? "30");
    if (!Number.isInteger(days) || days < 1) throw new Error("Claim period: a whole number of days, at least 1.");
    const pool = ctx.chain.need("pool");
    const total = BigInt(drafted.total);
    const reader = ctx.chain.reader();
    const free = await reader.readContract({ address: pool, abi: CompensationPoolAbi, functionName: "freeBalance" });
    if (free < total) {
      // openIncident reserves the total from the pool's free balance: fund the shortfall first.
      const shortfall = total - free;
      await ctx.chain.approve(ctx.chain.need("cToken"), pool, shortfall);
      await ctx.chain.send({ address: pool, abi: CompensationPoolAbi, functionName: "fund", args: [shortfall] });
    }
    const deadline = (await ctx.chain.now()) + days * DAY;
    const receipt = await ctx.chain.send({
      address: pool,
      abi: CompensationPoolAbi,
      functionName: "openIncident",
      args: [drafted.root, total, deadline, drafted.csvHash],
    });
    const [event] = parseEventLogs({ abi: CompensationPoolAbi, eventName: "IncidentOpened", logs: receipt.logs });
    if (!event) throw new Error(`The transaction ${receipt.transactionHash} opened no round.`);
    const incidentId = event.args.incidentId.toString();
    result = html`<p>Round opened as incident #${incidentId}; publishing…</p>`;
    update();
    await publish(drafted.draftId, incidentId);
    result = html`<p class="eligible" id="desk-published">
      Incident #${incidentId} published: ${drafted.count} accounts can claim ${C(total)} from the page.
    </p>`;
    drafted = undefined;
    update();
  }

  /** Publishes once the indexer has the incident (it follows the chain a moment later). */
  async function publish(draftId: string, incidentId: string) {
    const until = Date.now() + 60_000;
    for (;;) {
      try {
        await ctx.session.authorized((s) => rounds.publish(s.token, draftId, incidentId));
        return;
      } catch (error) {
        const waiting = error instanceof ServiceError && error.code === "incident_not_indexed";
        if (!waiting || Date.now() > until) throw error;
        await new Promise((resolve) => setTimeout(resolve, 700));
      }
    }
  }

  const progressView = (p: RoundDraftProgressResponse) =>
    html`<div id="desk-draft-progress" role="status" aria-live="polite">
      <p>
        ${PHASES[p.phase]}${p.phase === "storing" ? html`: ${p.done.toLocaleString()} of ${p.of.toLocaleString()}` : ""}…
      </p>
      ${
        p.phase === "storing"
          ? html`<progress max=${p.of} .value=${p.done} aria-label="Proofs stored"></progress>`
          : html`<progress aria-label=${PHASES[p.phase]}></progress>`
      }
    </div>`;

  const failedView = (p: RoundDraftProgressResponse) =>
    html`<div id="desk-draft-failed">
      <p>${p.error?.message ?? "The round could not be drafted."}</p>
      ${
        p.rejectedCount === 0
          ? nothing
          : html`<p>${p.rejectedCount} row(s) refused:</p>
              <ul id="desk-rejected">
                ${p.rejected.map((r) => html`<li>line ${r.line}: ${r.reason}</li>`)}
              </ul>`
      }
    </div>`;

  const draftView = (d: Drafted) =>
    html`<div id="desk-draft">
      <p>
        <strong>${d.count}</strong> accounts, <strong>${C(BigInt(d.total))}</strong> in total.
        <span class="muted">Root <code>${d.root}</code></span>
      </p>
      ${
        d.rejectedCount === 0
          ? html`<p class="muted">No row refused.</p>`
          : html`<p>${d.rejectedCount} row(s) refused and left out:</p>
              <ul id="desk-rejected">
                ${d.rejected.map((r) => html`<li>line ${r.line}: ${r.reason}</li>`)}
              </ul>`
      }
      <label>Claim period in days <input id="desk-days" type="number" min="1" value="30" /></label>
      <button
        id="desk-open"
        type="button"
        @click=${(e: Event) => void ctx.guarded(e.currentTarget as HTMLButtonElement, open)()}
      >
        Open and publish the round
      </button>
    </div>`;

  const view = () =>
    staff
      ? html`<h2>Desk: incident round</h2>
          <p class="muted">A CSV of account,amount rows (a first line "account,amount" is a header).</p>
          <input id="desk-csv" type="file" accept=".csv,text/csv,text/plain" aria-label="Round CSV" />
          <label
            >Amounts in
            <select id="desk-unit">
              <option value="C">C</option>
              <option value="wei">wei</option>
            </select>
          </label>
          <button
            id="desk-draft-button"
            type="button"
            @click=${(e: Event) => void ctx.guarded(e.currentTarget as HTMLButtonElement, draft)()}
          >
            Check the file
          </button>
          ${building ? progressView(building) : nothing} ${drafted ? draftView(drafted) : nothing}
          <div id="desk-result">${result}</div>`
      : nothing;

  function update() {
    host.hidden = !staff;
    render(view(), host);
  }
  ctx.wallet.onChange((account) => void checkStaff(account));
  void checkStaff(ctx.wallet.account());
}
