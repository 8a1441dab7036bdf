/**
 * The claimant's conversation with the station about the claim followed (shown under its
 * progress): the opening statement and every message, each with who wrote it, when, its files
 * (downloaded with the session's token) and whether the chain seals it ("matches the chain", "not
 * anchored", "mismatch", "erased"); a reply box whose messages the session key signs; live updates
 * from the service's event stream; and once the claim is closed, a rating, the transcript to
 * export and the claimant's content to erase. Everything goes through the session of
 * ./session.ts: the wallet signs once, to open it.
 */
import { html, nothing, render } from "lit-html";
import type { Address, Hex } from "viem";

import {
  type AttachmentRef,
  CASE_ENCODING,
  type CaseMessage,
  LIMITS,
  messageHash,
  normalizeMessage,
  normalizeRating,
  ratingHash,
} from "../../../common/case.js";
import { type CaseView, type Language, ServiceError, cases } from "../api.js";
import { type CaseEvent, followCase, withMessage } from "../caseStream.js";
import { type RecordActions, messageList, openingBlock } from "../caseRender.js";
import { caseText, charactersText } from "../caseText.js";
import type { Context } from "../context.js";
import type { Session } from "../session.js";
import type { TimelineModel } from "../timeline.js";

const CLOSED = new Set(["Paid", "Rejected", "Cancelled"]);
/** A claim the service has not indexed yet is asked about again after this long. */
const RETRY_MS = 2_000;

function save(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function mountConversation(host: HTMLElement, ctx: Context) {
  let claimId: bigint | undefined;
  let claimant: Address | undefined;
  let view: CaseView | undefined;
  let loading = false;
  let lastTry = 0;
  let streaming: AbortController | undefined;
  let connection: "off" | "live" | "reconnecting" = "off";
  let replyLength = 0;

  const lang = (): Language => ctx.lang.get();
  const t = (key: Parameters<typeof caseText>[0]) => caseText(key, lang());
  /** The claimant's own session (a session of another account does not read this claim). */
  const mine = (): Session | undefined => {
    const s = ctx.session.current();
    return s && claimant !== undefined && s.address === claimant ? s : undefined;
  };
  const isClaimant = () =>
    claimant !== undefined && (ctx.wallet.account() ?? ctx.session.current()?.address) === claimant;

  function stop() {
    streaming?.abort();
    streaming = undefined;
    connection = "off";
  }

  /** Asks for the whole view again, keeping messages a stream event brought after the answer was made. */
  async function reload(session: Session) {
    if (claimId === undefined) return;
    const id = claimId;
    const fetched = await cases.view(session.token, id);
    if (claimId !== id) return;
    const newer = (view?.messages ?? []).filter((m) => m.seq > (fetched.messages.at(-1)?.seq ?? 0));
    view = newer.reduce(withMessage, fetched);
    update();
  }

  async function run(id: bigint, session: Session, signal: AbortSignal) {
    await followCase({
      token: session.token,
      claimId: id,
      signal,
      resync: () => reload(session),
      event: (e) => apply(e, session),
      state: (s) => {
        connection = s;
        update();
      },
      // The session ended: the reader signs in again with the button.
      unauthorized: () => void ctx.session.signOut(),
    });
  }

  async function apply(e: CaseEvent, session: Session) {
    if (!view) return;
    if (e.kind === "message") {
      view = withMessage(view, e.item);
      update();
    } else {
      // A transition seals the messages before its note: their anchor states come with the view.
      await reload(session);
    }
  }

  /** Loads the view (once the service has the claim) and starts the stream. */
  async function load(session: Session) {
    if (loading || claimId === undefined || Date.now() - lastTry < RETRY_MS) return;
    loading = true;
    lastTry = Date.now();
    try {
      await reload(session);
      if (view && !streaming) {
        streaming = new AbortController();
        void run(claimId, session, streaming.signal);
      }
    } catch (error) {
      // Not indexed yet (404): asked again with the next progress answer.
      if (!(error instanceof ServiceError && error.status === 404)) ctx.notify(ctx.explain(error), "error");
    } finally {
      loading = false;
    }
  }

  function refresh() {
    const session = mine();
    if (!session) stop();
    else if (!view || !streaming) void load(session);
    update();
  }

  // ─────────────────────────────────────────────────────────────── what the claimant does

  async function uploadAll(session: Session, files: File[]): Promise<AttachmentRef[]> {
    const refs: AttachmentRef[] = [];
    for (const f of files) {
      if (f.size > LIMITS.attachmentBytes) throw new Error(`${f.name}: larger than 2 MiB.`);
      refs.push(await cases.upload(session.token, f, f.name.slice(0, LIMITS.nameChars)));
    }
    return refs;
  }

  async function reply(form: HTMLFormElement) {
    const data = new FormData(form);
    const text = String(data.get("text") ?? "").trim();
    const files = (data.getAll("files") as File[]).filter((f) => f.size > 0);
    if (!text && files.length === 0) throw new Error(`${t("reply")}: —`);
    if (files.length > LIMITS.attachmentsPerRecord) throw new Error(`At most ${LIMITS.attachmentsPerRecord} files.`);
    await ctx.session.authorized(async (session) => {
      if (claimId === undefined) return;
      const id = claimId;
      const attachments = await uploadAll(session, files);
      if (!view) await reload(session);
      // The chain of messages moved on meanwhile (a staff reply): follow the new end once.
      for (let attempt = 0; ; attempt++) {
        const next = view!.next;
        const message: CaseMessage = normalizeMessage({
          encoding: CASE_ENCODING,
          type: "message",
          chainId: ctx.config.chainId,
          pool: ctx.chain.need("pool"),
          claimId: id.toString(),
          seq: next.seq,
          prev: next.prev,
          author: session.address,
          role: "claimant",
          action: null,
          text,
          attachments,
          article: null,
          at: Math.floor(Date.now() / 1000),
        });
        const signature = await session.key.signMessage({ message: { raw: messageHash(message) } });
        try {
          await cases.post(session.token, id, message, signature);
          break;
        } catch (error) {
          if (attempt > 0 || !(error instanceof ServiceError && error.code === "stale_prev")) throw error;
          await reload(session);
        }
      }
      await reload(session);
    });
    form.reset();
    replyLength = 0;
    update();
  }

  async function rate(form: HTMLFormElement) {
    const data = new FormData(form);
    const stars = Number(data.get("stars"));
    if (!Number.isInteger(stars) || stars < 1 || stars > 5) throw new Error(`${t("stars")}: 1–5.`);
    await ctx.session.authorized(async (session) => {
      if (claimId === undefined) return;
      const rating = normalizeRating({
        encoding: CASE_ENCODING,
        type: "rating",
        chainId: ctx.config.chainId,
        pool: ctx.chain.need("pool"),
        claimId: claimId.toString(),
        author: session.address,
        stars,
        comment: String(data.get("comment") ?? "").trim(),
        at: Math.floor(Date.now() / 1000),
      });
      const signature = await session.key.signMessage({ message: { raw: ratingHash(rating) } });
      await cases.rate(session.token, claimId, rating, signature);
      await reload(session);
    });
  }

  const exportTranscript = () =>
    ctx.session.authorized(async (session) => {
      if (claimId === undefined) return;
      save(await cases.export(session.token, claimId), `claim-${claimId}-transcript.json`);
    });

  const erase = () =>
    ctx.session.authorized(async (session) => {
      if (claimId === undefined || !window.confirm(t("eraseConfirm"))) return;
      const { kept } = await cases.erase(session.token, claimId);
      await reload(session);
      ctx.notify(() => t(kept > 0 ? "erasedKept" : "erased"));
    });

  const download = (sha256: Hex, name: string) =>
    ctx.session.authorized(async (session) => {
      if (claimId === undefined) return;
      save(await cases.attachment(session.token, claimId, sha256), name || sha256);
    });

  const openIt = () =>
    ctx.session.signIn().then(() => {
      lastTry = 0;
      refresh();
    });

  // ─────────────────────────────────────────────────────────────── the view

  const guardedForm = (action: (form: HTMLFormElement) => Promise<void>) => (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    void ctx.guarded(form.querySelector<HTMLButtonElement>("button[type=submit]"), () => action(form))();
  };
  const guardedClick = (action: () => Promise<void>) => (e: Event) =>
    void ctx.guarded(e.currentTarget as HTMLButtonElement, action)();

  const actions: RecordActions = {
    download: (e, sha256, name) =>
      void ctx.guarded(e.currentTarget as HTMLButtonElement, () => download(sha256, name))(),
  };

  const closedPart = (v: CaseView) =>
    html`${
        v.rating
          ? html`<p id="case-rating" class="rating">
              ${t("rated")}: <strong>${"★".repeat(v.rating.stars)}${"☆".repeat(5 - v.rating.stars)}</strong>
              ${v.rating.comment ? html`— ${v.rating.comment}` : nothing}
            </p>`
          : html`<form id="case-rate" @submit=${guardedForm(rate)}>
              <fieldset class="stars">
                <legend>${t("rateTitle")} ${t("stars")}</legend>
                ${[1, 2, 3, 4, 5].map(
                  (n) => html`<label class="row"><input type="radio" name="stars" value=${n} required /> ${n}</label>`,
                )}
              </fieldset>
              <label
                >${t("comment")}
                <textarea name="comment" rows="2" maxlength=${LIMITS.ratingCommentChars}></textarea>
              </label>
              <button type="submit">${t("rate")}</button>
            </form>`
      }
      <p class="case-actions">
        <button type="button" id="case-export" class="secondary" @click=${guardedClick(exportTranscript)}>
          ${t("exportTranscript")}
        </button>
        ${
          v.erased
            ? nothing
            : html`<button type="button" id="case-erase" class="secondary" @click=${guardedClick(erase)}>
                ${t("erase")}
              </button>`
        }
      </p>`;

  const replyBox = () =>
    html`<form id="case-reply" @submit=${guardedForm(reply)}>
      <label
        >${t("reply")}
        <textarea
          name="text"
          rows="3"
          @input=${(e: Event) => {
            replyLength = [...(e.target as HTMLTextAreaElement).value].length;
            update();
          }}
        ></textarea>
        <span class="count ${replyLength > LIMITS.textChars ? "over" : ""}"
          >${charactersText(replyLength, LIMITS.textChars, lang())}</span
        >
      </label>
      <label>${t("files")} <input type="file" name="files" multiple /></label>
      <button type="submit">${t("send")}</button>
    </form>`;

  const body = () => {
    if (claimId === undefined || !isClaimant()) return nothing;
    const heading = html`<h2>
      ${t("conversation")}
      ${
        connection === "off"
          ? nothing
          : html`<span id="case-connection" class="connection ${connection}" data-connection=${connection}
              >${connection === "live" ? t("live") : t("reconnecting")}</span
            >`
      }
    </h2>`;
    if (!mine()) {
      return html`${heading}
        <button type="button" id="case-open" @click=${guardedClick(openIt)}>${t("openConversation")}</button>`;
    }
    if (!view)
      return html`${heading}
        <p class="muted">…</p>`;
    const v = view;
    return html`${heading} ${openingBlock(v, lang(), actions)} ${messageList(v, lang(), actions)}
    ${CLOSED.has(v.status) ? closedPart(v) : replyBox()}`;
  };

  function update() {
    host.hidden = claimId === undefined || !isClaimant();
    render(body(), host);
  }

  ctx.lang.watch(update);
  ctx.session.onChange(refresh);
  ctx.wallet.onChange(refresh);
  update();

  return {
    /** Follows the claim the progress shows: the conversation of its claimant, refreshed as its status moves. */
    show(model: Pick<TimelineModel, "id" | "claimant" | "status">) {
      if (claimId !== model.id) {
        stop();
        claimId = model.id;
        view = undefined;
        lastTry = 0;
      }
      claimant = model.claimant;
      // A new status (from the progress poll) may have sealed messages: ask for the view again.
      if (view && view.status !== model.status) {
        const session = mine();
        if (session) void reload(session).catch(() => undefined);
      }
      refresh();
    },
  };
}
