/**
 * The assessors' desk: shown only to a signed-in account the service finds holding a staff role
 * on the pool (`/v1/desk/me`, read from the chain on every request). Opened with `#desk`, or by
 * itself when the tab already has a session.
 * - assessors: the SLA queue (polled every few seconds) ordered by deadline with a live countdown
 *   and its state in colour and words, filters, take/release, and a claim's case: the
 *   conversation (followed live over the case's event stream, as the claimant's page does; read
 *   with the poll only while the stream reconnects), the claimant's tier and the SLA clock,
 *   replies (a help article may be inserted),
 *   and the decisions accept / investigate / approve / reject. A decision is simulated first (a
 *   refusal comes back in words), then its note is posted to the conversation and the
 *   transaction sent with noteHash = the note's hash, so the chain seals the note;
 * - guardians: approved payouts in their veto window, vetoed with a reason the same way;
 * - operators (the assessor role): a risk alert and what the help library learned (searches with
 *   no good answer, "did this solve it?" per article); and everyone on staff: their own public record.
 * The page's title counts the claims at risk.
 */
import { html, nothing, render } from "lit-html";
import { type Hex, formatUnits, parseUnits } from "viem";

import { CompensationPoolAbi } from "../../../common/abis/CompensationPool.js";
import { CASE_ENCODING, type CaseAction, LIMITS, messageHash, normalizeMessage } from "../../../common/case.js";
import { CLAIM_KINDS, type ClaimKind } from "../../../common/claims.js";
import { stageText, stateText } from "../../../common/stages.js";
import {
  type AssessorRecord,
  type CaseView,
  type DeskAssignment,
  type DeskMe,
  type HelpInsightsResponse,
  type HelpSearchResponse,
  type Language,
  type QueueItem,
  ServiceError,
  cases,
  desk,
  service,
} from "../api.js";
import { type RecordActions, messageList, openingBlock } from "../caseRender.js";
import { followCase, withMessage } from "../caseStream.js";
import { roleText } from "../caseText.js";
import type { ContractCall } from "../chain.js";
import type { Context } from "../context.js";
import {
  type Filters,
  type LiveItem,
  NO_FILTERS,
  atRisk,
  live,
  queueQuery,
  readPages,
  visible,
} from "../desk/queue.js";
import { refusalOf, refusalText } from "../desk/refusals.js";
import { type DeskTextKey, deskText, kindText } from "../desk/text.js";
import { C } from "../format.js";
import { formatDuration, formatTime } from "../lang.js";
import type { Session } from "../session.js";
import { tierName } from "../stationText.js";

/** New claims and state changes reach the desk within this long. */
const POLL_MS = 3_000;
/** The public records are recomputed by the service every 30 s or so. */
const RECORD_MS = 30_000;

type Payout = Awaited<ReturnType<typeof desk.payouts>>["items"][number];
type Article = HelpSearchResponse["results"][number];
type Decision = Exclude<CaseAction, "veto">;

/** The decisions the pool allows from each status (the dry run still has the last word). */
const DECISIONS: Partial<Record<CaseView["status"], Decision[]>> = {
  Submitted: ["accept", "reject"],
  Accepted: ["investigate", "approve", "reject"],
  Investigating: ["approve", "reject"],
};

export function mountDesk(host: HTMLElement, ctx: Context) {
  const baseTitle = document.title;
  let me: DeskMe | undefined;
  let asked = location.hash === "#desk";
  let queue: QueueItem[] = [];
  /** Service seconds minus this browser's, from the last queue answer. */
  let offset = 0;
  let assignments: DeskAssignment[] = [];
  let payouts: Payout[] = [];
  let filters: Filters = NO_FILTERS;
  /** Queue pages the assessor has opened ("show more"); each poll reads them all again. */
  let pages = 1;
  /** Whether the service has claims beyond the pages read. */
  let more = false;
  /** Tiers seen in any answer: the tier filter keeps offering them while it narrows the queue. */
  const tiersSeen = new Set<number>();
  let record: AssessorRecord | null | undefined;
  let insights: HelpInsightsResponse | undefined;
  let recordAt = 0;
  let openId: string | undefined;
  let view: CaseView | undefined;
  /** The open case's event stream: aborted when the case closes or another opens. */
  let following: AbortController | undefined;
  let caseStream: "off" | "live" | "reconnecting" = "off";
  let articles: Article[] | undefined;
  let article: string | undefined;
  let polling: number | undefined;
  let ticking: number | undefined;
  let busy = false;

  const lang = (): Language => ctx.lang.get();
  const t = (key: DeskTextKey, values?: Record<string, string | number>) => deskText(key, lang(), values);
  const now = () => Math.floor(Date.now() / 1000) + offset;
  const has = (role: DeskMe["roles"][number]) => me?.roles.includes(role) ?? false;
  const holderOf = (id: string) => assignments.find((a) => a.claimId === id);

  // ───────────────────────────────────────────────────────── who is here

  async function check() {
    const session = ctx.session.current();
    if (!session) return leave();
    try {
      me = await desk.me(session.token);
    } catch (error) {
      if (error instanceof ServiceError && (error.status === 403 || error.status === 401)) {
        if (asked && error.status === 403) ctx.notify(() => t("notStaff"), "error");
        return leave();
      }
      throw error;
    }
    start();
  }

  function leave() {
    me = undefined;
    unfollow();
    openId = undefined;
    view = undefined;
    window.clearInterval(polling);
    window.clearInterval(ticking);
    polling = ticking = undefined;
    document.title = baseTitle;
    update();
  }

  function start() {
    if (polling === undefined) {
      polling = window.setInterval(() => void poll(), POLL_MS);
      ticking = window.setInterval(update, 1_000);
    }
    void poll();
  }

  const signIn = () =>
    ctx.session.signIn().then(async () => {
      asked = true;
      await check();
    });

  // ───────────────────────────────────────────────────────── what the desk reads

  /**
   * The queue's first `pages` pages under the service-side filters, nearest deadline first: the
   * service orders the whole queue, so a breached claim beyond the first page is one click away.
   */
  async function readQueue(token: string) {
    const query = queueQuery(filters);
    return readPages((cursor) => desk.queue(token, query, cursor), pages);
  }

  async function poll() {
    const session = ctx.session.current();
    if (!session || !me || busy) return;
    busy = true;
    try {
      const token = session.token;
      const reads: Promise<void>[] = [];
      if (has("assessor")) {
        reads.push(
          readQueue(token).then((q) => {
            queue = q.items;
            more = q.more;
            offset = q.now - Math.floor(Date.now() / 1000);
            for (const i of queue) tiersSeen.add(i.tier);
          }),
          desk.assignments(token).then((a) => void (assignments = a)),
        );
      }
      if (has("guardian")) reads.push(desk.payouts(token).then((p) => void (payouts = p.items)));
      // The open case comes over its stream; read here only while the stream is down.
      if (openId !== undefined && caseStream !== "live") reads.push(reload(session));
      if (Date.now() - recordAt > RECORD_MS) {
        recordAt = Date.now();
        reads.push(
          desk.records().then((all) => {
            record = all.find((r) => r.assessor.toLowerCase() === me?.address.toLowerCase()) ?? null;
          }),
        );
      }
      const failed = (await Promise.allSettled(reads)).find((r) => r.status === "rejected");
      if (failed) {
        const reason: unknown = failed.reason;
        // The session ended, or the role was revoked: the desk closes.
        if (reason instanceof ServiceError && (reason.status === 401 || reason.status === 403)) await check();
        else ctx.notify(ctx.explain(reason), "error");
      }
    } finally {
      busy = false;
      update();
    }
  }

  async function reload(session: Session) {
    const id = openId;
    if (id === undefined) return;
    const fetched = await cases.view(session.token, id);
    if (openId === id) view = fetched;
  }

  // ───────────────────────────────────────────────────────── what the desk does

  const withSession = <T>(call: (session: Session) => Promise<T>) => ctx.session.authorized(call);

  const take = (id: string) =>
    withSession(async (s) => {
      await desk.take(s.token, id);
      assignments = await desk.assignments(s.token);
      update();
    });
  /** The claim whose take-over form is open. */
  let takingOver: string | undefined;
  const takeOver = (id: string, reason: string) =>
    withSession(async (s) => {
      try {
        const done = await desk.takeOver(s.token, id, reason);
        if ("from" in done) ctx.notify(() => t("takenOver", { id, address: done.from }));
      } catch (error) {
        const d = error instanceof ServiceError && error.code === "not_idle" ? error.details : undefined;
        if (d && typeof d === "object" && "allowedAt" in d && "assessor" in d) {
          const { allowedAt, assessor } = d as { allowedAt: number; assessor: string };
          throw new Error(t("notIdle", { address: assessor, time: formatTime(allowedAt, lang()) }));
        }
        throw error;
      }
      takingOver = undefined;
      assignments = await desk.assignments(s.token);
      update();
    });
  const release = (id: string) =>
    withSession(async (s) => {
      await desk.release(s.token, id);
      assignments = await desk.assignments(s.token);
      update();
    });

  function unfollow() {
    following?.abort();
    following = undefined;
    caseStream = "off";
  }

  /** Follows the open case's stream: a message lands in the view as it comes, a transition reads the view again. */
  function follow(s: Session, id: string) {
    unfollow();
    const controller = new AbortController();
    following = controller;
    void followCase({
      token: s.token,
      claimId: id,
      signal: controller.signal,
      resync: () => reload(s),
      event: async (e) => {
        if (openId !== id || view === undefined) return;
        if (e.kind === "message") view = withMessage(view, e.item);
        else await reload(s);
        update();
      },
      state: (state) => {
        if (following !== controller) return;
        caseStream = state;
        update();
      },
      // The session ended: the next poll finds out and closes the desk.
      unauthorized: () => {
        if (following === controller) caseStream = "off";
      },
    });
  }

  const open = (id: string) =>
    withSession(async (s) => {
      unfollow();
      openId = id;
      view = undefined;
      articles = undefined;
      article = undefined;
      update();
      await reload(s);
      follow(s, id);
      update();
      host.querySelector<HTMLElement>("#desk-case h3")?.focus();
    });

  function closeCase() {
    unfollow();
    openId = undefined;
    view = undefined;
    update();
  }

  /** Posts `text` as the next message of the open case, signed by the session key: its hash. */
  async function say(
    s: Session,
    id: string,
    body: { action: CaseAction | null; text: string; article: string | null },
    before?: (hash: Hex) => Promise<void>,
  ): Promise<Hex> {
    for (let attempt = 0; ; attempt++) {
      const current = await cases.view(s.token, id);
      const message = normalizeMessage({
        encoding: CASE_ENCODING,
        type: "message",
        chainId: ctx.config.chainId,
        pool: ctx.chain.need("pool"),
        claimId: id,
        seq: current.next.seq,
        prev: current.next.prev,
        author: s.address,
        // A decision is the role's that the contract asks for; a reply is the reader's.
        role: body.action === "veto" ? "guardian" : body.action !== null ? "assessor" : current.viewer.role,
        action: body.action,
        text: body.text,
        attachments: [],
        article: body.article,
        at: Math.floor(Date.now() / 1000),
      });
      const hash = messageHash(message);
      if (attempt === 0) await before?.(hash);
      const signature = await s.key.signMessage({ message: { raw: hash } });
      try {
        await cases.post(s.token, id, message, signature);
        return hash;
      } catch (error) {
        // Someone wrote first (the claimant): follow the new end once.
        if (attempt > 0 || !(error instanceof ServiceError && error.code === "stale_prev")) throw error;
      }
    }
  }

  async function reply(form: HTMLFormElement) {
    const text = String(new FormData(form).get("text") ?? "").trim();
    if (!text || openId === undefined) return;
    const id = openId;
    await withSession(async (s) => {
      await say(s, id, { action: null, text, article: article ?? null });
      await reload(s);
    });
    article = undefined;
    form.reset();
    update();
  }

  async function searchArticles(form: HTMLFormElement) {
    const q = String(new FormData(form).get("q") ?? "").trim();
    if (!q) return;
    articles = (await service.help(q, lang())).results;
    update();
  }

  function insertArticle(a: Article) {
    const box = host.querySelector<HTMLTextAreaElement>("#desk-reply textarea[name=text]");
    if (!box) return;
    box.value = [a.title, a.answer, a.details].filter(Boolean).join("\n\n").slice(0, LIMITS.textChars);
    article = a.slug;
    ctx.notify(() => t("inserted", { slug: a.slug }));
    box.focus();
    update();
  }

  /** The pool call that records `action` on claim `id` with the note's hash. */
  function callFor(action: CaseAction, id: bigint, note: Hex, amount: bigint): ContractCall {
    const pool = { address: ctx.chain.need("pool"), abi: CompensationPoolAbi };
    switch (action) {
      case "accept":
        return { ...pool, functionName: "acceptClaim", args: [id, note] };
      case "investigate":
        return { ...pool, functionName: "markInvestigating", args: [id, note] };
      case "approve":
        return { ...pool, functionName: "approveClaim", args: [id, amount, note] };
      case "reject":
        return { ...pool, functionName: "rejectClaim", args: [id, note] };
      case "veto":
        return { ...pool, functionName: "vetoPayout", args: [id, note] };
    }
  }

  /** A refusal of the pool's, in words; any other error as it was. */
  const inWords = (error: unknown): unknown => {
    const refusal = refusalOf(error);
    return refusal ? new Error(refusalText(refusal, lang())) : error;
  };

  /**
   * A decision: dry run with the note's hash (a refusal stops here, in words, before anything is
   * posted), the note posted to the conversation, then the transaction from the wallet.
   */
  async function decide(action: CaseAction, form: HTMLFormElement) {
    const data = new FormData(form);
    const text = String(data.get("note") ?? "").trim();
    if (!text) throw new Error(t("noteNeeded"));
    let amount = 0n;
    if (action === "approve") {
      try {
        amount = parseUnits(String(data.get("amount") ?? "").trim(), 18);
      } catch {
        throw new Error(t("badAmount"));
      }
      if (amount <= 0n) throw new Error(t("badAmount"));
    }
    const id = openId;
    if (id === undefined) return;
    const account = await ctx.account();
    await withSession(async (s) => {
      // The note's hash does not change what the pool decides: the first draft's serves the dry run.
      const note = await say(s, id, { action, text, article: null }, async (hash) => {
        ctx.notify(() => t("checking"));
        await ctx.chain
          .reader()
          .simulateContract({ ...callFor(action, BigInt(id), hash, amount), account })
          .catch((error: unknown) => {
            throw inWords(error);
          });
      });
      ctx.notify(() => t("sending"));
      await ctx.chain.send(callFor(action, BigInt(id), note, amount)).catch((error: unknown) => {
        throw inWords(error);
      });
      ctx.notify(() => t("done", { id, action: t(action) }));
      await reload(s);
    });
    form.reset();
    recordAt = 0; // the decision counts in the record as soon as the service recomputes it
    void poll();
  }

  const loadInsights = () =>
    withSession(async (s) => {
      insights = await desk.helpInsights(s.token);
      update();
    });

  async function postAlert(form: HTMLFormElement) {
    const data = new FormData(form);
    const severity = String(data.get("severity"));
    const text = (field: string) => String(data.get(field) ?? "").trim();
    // English is required; each other language is sent when both its title and message are given.
    type Texts = { en: string; id?: string; es?: string; zh?: string };
    const title: Texts = { en: text("title") };
    const message: Texts = { en: text("message") };
    for (const l of ["id", "es", "zh"] as const) {
      if (text(`title-${l}`) === "" && text(`message-${l}`) === "") continue;
      if (text(`title-${l}`) === "" || text(`message-${l}`) === "") throw new Error(t("alertBoth"));
      title[l] = text(`title-${l}`);
      message[l] = text(`message-${l}`);
    }
    const posted = await withSession((s) =>
      desk.alert(s.token, {
        title,
        message,
        severity: severity === "info" || severity === "critical" ? severity : "warning",
      }),
    );
    ctx.notify(() => t("alertPosted", { n: posted.deliveries ?? 0 }));
    form.reset();
  }

  // ───────────────────────────────────────────────────────── the view

  const guardedForm = (action: (form: HTMLFormElement) => Promise<void>) => (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const submitter = (e.submitter as HTMLButtonElement | null) ?? form.querySelector("button[type=submit]");
    void ctx.guarded(submitter, () => action(form))();
  };
  const guardedClick = (action: () => Promise<void>) => (e: Event) =>
    void ctx.guarded(e.currentTarget as HTMLButtonElement, action)();
  const records: RecordActions = {
    download: (e, sha256, name) =>
      void ctx.guarded(e.currentTarget as HTMLButtonElement, () =>
        withSession(async (s) => {
          if (openId === undefined) return;
          const blob = await cases.attachment(s.token, openId, sha256);
          const a = document.createElement("a");
          a.href = URL.createObjectURL(blob);
          a.download = name || sha256;
          a.click();
        }),
      )(),
  };

  const countdown = (i: LiveItem) => {
    const words =
      i.left >= 0
        ? t("left", { time: formatDuration(i.left, lang()) })
        : t("overdue", { time: formatDuration(-i.left, lang()) });
    return html`<span class="countdown state-${i.live}" data-state=${i.live}
      ><strong>${stateText(i.live, lang())}</strong> · ${t(i.deadlineKind)} · <span class="left">${words}</span></span
    >`;
  };

  const select = <T extends string | number>(
    name: string,
    label: string,
    current: T | "all",
    options: readonly (readonly [T | "all", string])[],
    set: (value: string) => void,
  ) =>
    html`<label
      >${label}
      <select
        name=${name}
        @change=${(e: Event) => {
          set((e.target as HTMLSelectElement).value);
          // The service filters the whole queue: read it again from its first page.
          pages = 1;
          update();
          void poll();
        }}
      >
        ${options.map(([value, text]) => html`<option value=${value} ?selected=${value === current}>${text}</option>`)}
      </select></label
    >`;

  const filterBar = () => {
    const tiers = [...tiersSeen].sort((a, b) => a - b);
    return html`<div id="desk-filters" class="desk-filters">
      ${select(
        "kind",
        t("kind"),
        filters.kind,
        [["all", t("all")], ...CLAIM_KINDS.map((k) => [k, kindText(k, lang())] as const)],
        (v) => (filters = { ...filters, kind: v === "all" ? "all" : (v as ClaimKind) }),
      )}
      ${select(
        "tier",
        t("tier"),
        filters.tier,
        [["all", t("all")], ...tiers.map((n) => [n, tierName(n, lang())] as const)],
        (v) => (filters = { ...filters, tier: v === "all" ? "all" : Number(v) }),
      )}
      ${select(
        "deadline",
        t("deadline"),
        filters.deadline,
        [
          ["all", t("all")],
          ["breached", t("breachedOnly")],
          ["open", t("notBreached")],
        ],
        (v) => (filters = { ...filters, deadline: v === "breached" || v === "open" ? v : "all" }),
      )}
      ${select(
        "assigned",
        t("assignment"),
        filters.assigned,
        [
          ["all", t("all")],
          ["unassigned", t("unassigned")],
          ["mine", t("mine")],
        ],
        (v) => (filters = { ...filters, assigned: v === "unassigned" || v === "mine" ? v : "all" }),
      )}
    </div>`;
  };

  const holderLine = (id: string) => {
    const held = holderOf(id);
    if (!held) return nothing;
    const mine = held.assessor === me?.address;
    return html`<span class="holder" data-holder=${mine ? "me" : held.assessor}
      >${mine ? t("takenByYou") : t("takenBy", { address: held.assessor })}</span
    >`;
  };

  const takeOverForm = (id: string) =>
    html`<form
      class="desk-takeover"
      @submit=${(e: SubmitEvent) => {
        e.preventDefault();
        const form = e.currentTarget as HTMLFormElement;
        const reason = String(new FormData(form).get("reason") ?? "").trim();
        void ctx.guarded(form.querySelector("button"), () => takeOver(id, reason))();
      }}
    >
      <label>${t("takeOverReason")} <input name="reason" required maxlength="500" /></label>
      <button type="submit">${t("takeOverConfirm")}</button>
    </form>`;

  const queueItem = (i: LiveItem) => {
    const held = holderOf(i.id);
    const mine = held?.assessor === me?.address;
    return html`<li class="desk-item state-${i.live} ${openId === i.id ? "open" : ""}" data-claim=${i.id}>
      <p class="desk-item-head">
        <strong>#${i.id}</strong> · ${kindText(i.kind, lang())} · ${tierName(i.tier, lang())} · ${C(i.amountRequested)}
      </p>
      <p>${countdown(i)}</p>
      <p class="muted">${stageText(i.status, lang())} ${holderLine(i.id)}</p>
      <p class="desk-item-actions">
        <button type="button" class="secondary" data-do="open" @click=${guardedClick(() => open(i.id))}>
          ${t("open")}
        </button>
        ${
          held === undefined
            ? html`<button type="button" data-do="take" @click=${guardedClick(() => take(i.id))}>${t("take")}</button>`
            : mine
              ? html`<button
                  type="button"
                  class="secondary"
                  data-do="release"
                  @click=${guardedClick(() => release(i.id))}
                >
                  ${t("release")}
                </button>`
              : html`<button
                  type="button"
                  class="secondary"
                  data-do="takeover"
                  aria-expanded=${takingOver === i.id ? "true" : "false"}
                  @click=${() => {
                    takingOver = takingOver === i.id ? undefined : i.id;
                    update();
                  }}
                >
                  ${t("takeOver")}
                </button>`
        }
      </p>
      ${takingOver === i.id ? takeOverForm(i.id) : nothing}
    </li>`;
  };

  const queuePart = () => {
    if (!has("assessor")) return nothing;
    const items = visible(queue, assignments, filters, me?.address ?? "", now());
    return html`<h3>${t("queue")} <span class="connection" data-connection="live">${t("live")}</span></h3>
      ${filterBar()}
      ${
        items.length === 0
          ? html`<p class="muted" id="desk-empty">${t("emptyQueue")}</p>`
          : html`<ol id="desk-queue" class="desk-queue">
              ${items.map(queueItem)}
            </ol>`
      }
      ${
        more
          ? html`<p class="desk-more">
              <span class="muted">${t("nearestShown", { n: queue.length })}</span>
              <button
                type="button"
                id="desk-more"
                @click=${() => {
                  pages += 1;
                  void poll();
                }}
              >
                ${t("showMore")}
              </button>
            </p>`
          : nothing
      }`;
  };

  const payoutPart = () => {
    if (!has("guardian")) return nothing;
    return html`<h3>${t("payouts")}</h3>
      ${
        payouts.length === 0
          ? html`<p class="muted">${t("noPayouts")}</p>`
          : html`<ol id="desk-payouts" class="desk-queue">
              ${payouts.map((p) => {
                const left = p.payableAt - now();
                return html`<li class="desk-item" data-claim=${p.id}>
                  <p class="desk-item-head">
                    <strong>#${p.id}</strong> · ${kindText(p.kind as ClaimKind, lang())} · ${C(p.amountApproved)}
                  </p>
                  <p class="countdown state-at-risk">
                    ${t("vetoUntil", { time: formatDuration(Math.max(0, left), lang()) })}
                  </p>
                  <p class="desk-item-actions">
                    <button type="button" class="secondary" data-do="open" @click=${guardedClick(() => open(p.id))}>
                      ${t("open")}
                    </button>
                  </p>
                </li>`;
              })}
            </ol>`
      }`;
  };

  const decidePart = (v: CaseView) => {
    const payout = payouts.find((p) => p.id === v.claimId);
    const forms = [];
    const decisions = has("assessor") ? (DECISIONS[v.status] ?? []) : [];
    if (decisions.length > 0) {
      const asked = v.clock.amountRequested;
      forms.push(
        html`<form id="desk-decide" @submit=${(e: SubmitEvent) => e.preventDefault()}>
          <label>${t("note")}<textarea name="note" rows="2" maxlength=${LIMITS.textChars}></textarea></label>
          ${
            decisions.includes("approve")
              ? html`<label
                  >${t("amount", { asked: C(asked) })}
                  <input name="amount" inputmode="decimal" value=${formatUnits(BigInt(asked), 18)}
                /></label>`
              : nothing
          }
          <p class="case-actions">
            ${decisions.map(
              (d) =>
                html`<button
                  type="button"
                  data-action=${d}
                  class=${d === "reject" ? "secondary" : ""}
                  @click=${(e: Event) => {
                    const button = e.currentTarget as HTMLButtonElement;
                    void ctx.guarded(button, () => decide(d, button.form!))();
                  }}
                >
                  ${t(d)}
                </button>`,
            )}
          </p>
        </form>`,
      );
    }
    if (has("guardian") && v.status === "Approved" && payout !== undefined) {
      forms.push(
        html`<form id="desk-veto">
          <label>${t("reason")}<textarea name="note" rows="2" maxlength=${LIMITS.textChars}></textarea></label>
          <button
            type="button"
            data-action="veto"
            @click=${(e: Event) => {
              const button = e.currentTarget as HTMLButtonElement;
              void ctx.guarded(button, () => decide("veto", button.form!))();
            }}
          >
            ${t("veto")}
          </button>
        </form>`,
      );
    }
    return html`<h4>${t("actions")}</h4>
      ${forms.length ? forms : html`<p class="muted">${t("noActions")}</p>`}`;
  };

  const casePart = () => {
    if (openId === undefined) return nothing;
    const item = queue.find((i) => i.id === openId);
    const v = view;
    return html`<div id="desk-case" class="desk-case" data-claim=${openId}>
      <h3 tabindex="-1">
        ${t("claim", { id: openId })}
        <span class="connection" id="desk-case-stream" data-connection=${caseStream}
          >${caseStream === "live" ? t("live") : caseStream === "reconnecting" ? t("reconnecting") : ""}</span
        >
        <button type="button" class="secondary" id="desk-close" @click=${closeCase}>${t("close")}</button>
      </h3>
      ${
        v === undefined
          ? html`<p class="muted">…</p>`
          : html`<dl class="desk-facts">
                <dt>${t("claimant")}</dt>
                <dd><code>${v.claimant}</code></dd>
                <dt>${t("status")}</dt>
                <dd id="desk-status" data-status=${v.status}>${stageText(v.status, lang())}</dd>
                <dt>${t("kind")}</dt>
                <dd>${kindText(v.kind as ClaimKind, lang())}</dd>
                <dt>${t("tier")}</dt>
                <dd id="desk-tier">${tierName(v.tier, lang())}</dd>
                <dt>${t("requested")}</dt>
                <dd>${C(v.clock.amountRequested)}</dd>
                ${
                  item
                    ? html`<dt>${t("sla")}</dt>
                        <dd id="desk-sla">${countdown(live(item, now()))}</dd>`
                    : nothing
                }
              </dl>
              ${openingBlock(v, lang(), records, "desk-opening")} ${messageList(v, lang(), records, "desk-messages")}
              <form id="desk-reply" @submit=${guardedForm(reply)}>
                <label
                  >${t("reply")}${article ? html` <span class="badge" data-article=${article}>${article}</span>` : nothing}
                  <textarea name="text" rows="3" maxlength=${LIMITS.textChars}></textarea>
                </label>
                <button type="submit">${t("send")}</button>
              </form>
              <details class="desk-articles">
                <summary>${t("article")}</summary>
                <form id="desk-article-form" class="inline" @submit=${guardedForm(searchArticles)}>
                  <input name="q" aria-label=${t("articleQuery")} placeholder=${t("articleQuery")} required />
                  <button type="submit">${t("search")}</button>
                </form>
                ${
                  articles === undefined
                    ? nothing
                    : articles.length === 0
                      ? html`<p class="muted">${t("noArticle")}</p>`
                      : html`<ul class="desk-article-list">
                          ${articles.map(
                            (a) =>
                              html`<li data-slug=${a.slug}>
                                <strong>${a.title}</strong> — ${a.answer}
                                <button type="button" class="secondary" @click=${() => insertArticle(a)}>
                                  ${t("insert")}
                                </button>
                              </li>`,
                          )}
                        </ul>`
                }
              </details>
              ${decidePart(v)}`
      }
    </div>`;
  };

  const share = (x: number | null) => (x === null ? "—" : `${Math.round(x * 100)}%`);
  const seconds = (x: number | null) => (x === null ? "—" : formatDuration(x, lang()));
  const recordPart = () =>
    html`<details id="desk-record" class="desk-record">
      <summary>${t("record")}</summary>
      ${
        record === undefined
          ? html`<p class="muted">…</p>`
          : record === null
            ? html`<p class="muted">${t("noRecord")}</p>`
            : html`<dl class="desk-facts">
                <dt>${t("handled")}</dt>
                <dd data-figure="handled">${record.claimsHandled}</dd>
                <dt>${t("acceptMedian")}</dt>
                <dd>${seconds(record.timeToAccept.p50Seconds)}</dd>
                <dt>${t("resolveMedian")}</dt>
                <dd>${seconds(record.timeToResolve.p50Seconds)}</dd>
                <dt>${t("withinResponse")}</dt>
                <dd>${share(record.withinResponseDeadline)}</dd>
                <dt>${t("withinResolution")}</dt>
                <dd>${share(record.withinResolutionDeadline)}</dd>
                <dt>${t("rating")}</dt>
                <dd>
                  ${record.rating.mean === null ? "—" : `${record.rating.mean.toFixed(1)} ★ (${record.rating.count})`}
                </dd>
              </dl>`
      }
    </details>`;

  const insightsPart = () => {
    if (!has("assessor")) return nothing;
    const i = insights;
    return html`<details
      id="desk-insights"
      class="desk-record desk-insights"
      @toggle=${(e: Event) => {
        if ((e.currentTarget as HTMLDetailsElement).open) void ctx.guarded(null, loadInsights)();
      }}
    >
      <summary>${t("insights")}</summary>
      ${
        i === undefined
          ? html`<p class="muted">…</p>`
          : html`<h4>${t("unanswered")}</h4>
              ${
                i.unanswered.length === 0
                  ? html`<p class="muted">${t("noUnanswered")}</p>`
                  : html`<ol id="desk-unanswered" class="desk-insight-list">
                      ${i.unanswered.map(
                        (u) =>
                          html`<li data-words=${u.words} data-lang=${u.lang}>
                            <q>${u.words}</q> <span class="muted">· ${u.lang} · ${t("times")}: </span
                            ><strong data-count>${u.count}</strong>
                          </li>`,
                      )}
                    </ol>`
              }
              <h4>${t("feedback")}</h4>
              ${
                i.feedback.length === 0
                  ? html`<p class="muted">${t("noFeedback")}</p>`
                  : html`<ol id="desk-feedback" class="desk-insight-list">
                      ${i.feedback.map(
                        (f) =>
                          html`<li data-slug=${f.slug}>
                            <code>${f.slug}</code> · ${t("solvedYes")}: <strong data-solved>${f.solved}</strong> ·
                            ${t("solvedNo")}: <strong data-not-solved>${f.notSolved}</strong>
                            <span class="muted">(${share(f.solvedShare)})</span>
                          </li>`,
                      )}
                    </ol>`
              }`
      }
      <button type="button" class="secondary" id="desk-insights-refresh" @click=${guardedClick(loadInsights)}>
        ${t("refresh")}
      </button>
    </details>`;
  };

  const LANGUAGE_NAMES = { id: "Bahasa Indonesia", es: "Español", zh: "中文" } as const;
  const alertPart = () =>
    has("assessor")
      ? html`<details class="desk-alert">
          <summary>${t("alertTitle")}</summary>
          <form id="desk-alert-form" @submit=${guardedForm(postAlert)}>
            <label>${t("alertHeading")} <input name="title" required maxlength="200" /></label>
            <label>${t("alertMessage")} <textarea name="message" rows="2" required maxlength="5000"></textarea></label>
            <details class="desk-alert-translations">
              <summary>${t("alertTranslations")}</summary>
              ${(["id", "es", "zh"] as const).map(
                (l) =>
                  html`<fieldset>
                    <legend>${LANGUAGE_NAMES[l]}</legend>
                    <label>${t("alertHeading")} <input name=${`title-${l}`} lang=${l} maxlength="200" /></label>
                    <label
                      >${t("alertMessage")}
                      <textarea name=${`message-${l}`} lang=${l} rows="2" maxlength="5000"></textarea>
                    </label>
                  </fieldset>`,
              )}
            </details>
            <label
              >${t("severity")}
              <select name="severity">
                <option value="info">${t("info")}</option>
                <option value="warning" selected>${t("warning")}</option>
                <option value="critical">${t("critical")}</option>
              </select></label
            >
            <button type="submit">${t("post")}</button>
          </form>
        </details>`
      : nothing;

  const body = () => {
    if (!me) {
      return asked && !ctx.session.current()
        ? html`<h2>${t("title")}</h2>
            <button type="button" id="desk-sign-in" @click=${guardedClick(signIn)}>${t("signIn")}</button>`
        : nothing;
    }
    return html`<h2>${t("title")}</h2>
      <p class="muted" id="desk-me">
        ${t("signedIn", { address: me.address, roles: me.roles.map((r) => roleText(r, lang())).join(", ") })}
      </p>
      <div class="desk-layout">
        <div class="desk-case-col">${casePart()}</div>
        <div class="desk-queue-col">
          ${queuePart()} ${payoutPart()} ${recordPart()} ${insightsPart()} ${alertPart()}
        </div>
      </div>`;
  };

  function update() {
    host.hidden = !me && !(asked && !ctx.session.current());
    render(body(), host);
    const n = me && has("assessor") ? atRisk(queue, now()) : 0;
    document.title = n > 0 ? `(${t("atRisk", { n })}) ${baseTitle}` : baseTitle;
  }

  ctx.lang.watch(update);
  ctx.session.onChange(() => void check().catch((error: unknown) => ctx.notify(ctx.explain(error), "error")));
  window.addEventListener("hashchange", () => {
    if (location.hash === "#desk") {
      asked = true;
      void check().catch(() => undefined);
      update();
    }
  });
  update();
  void check().catch(() => undefined);
}
