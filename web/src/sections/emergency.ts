/**
 * The emergency button and the claim form: what happened (with screenshots, logs, a transaction or
 * a link), how the claimant wants to be helped, and the claim, sent as a transaction or signed
 * (EIP-712) and relayed by the station, which pays the gas. Before the claim, the page signs in
 * to the service (./session.ts), uploads the files and stores the opening statement: the claim's
 * evidence hash is that statement's hash (common/case.ts), so the chain seals what was asked.
 * `open(kind)` is how help articles and `?kind=` links start a claim of their kind.
 */
import { html, nothing, render } from "lit-html";
import { live } from "lit-html/directives/live.js";
import { type Address, type Hex, getAddress, isAddress, isHex, parseEventLogs, parseUnits } from "viem";

import {
  type AttachmentRef,
  CASE_ENCODING,
  HELP_CHANNELS,
  type HelpChannel,
  LIMITS,
  type OpeningStatement,
  contactCommitment,
  newSalt,
  normalizeOpening,
  openingHash,
} from "../../../common/case.js";
import type { ClaimKind } from "../../../common/claims.js";
import { CompensationPoolAbi } from "../../../common/abis/CompensationPool.js";
import { claimGasLimit } from "../../../common/gas.js";
import { CLAIM_REQUEST_TYPES, claimDomain } from "../../../common/typedData.js";
import { kindText } from "../../../common/stages.js";
import { ServiceError, cases, service } from "../api.js";
import { caseText, channelText, charactersText, requestSentText } from "../caseText.js";
import type { Context } from "../context.js";
import { PageError } from "../errorText.js";
import { CLAIM_KINDS } from "../vocab.js";

/** Characters as the service counts them (code points, NFC). */
export const characters = (text: string) => [...text.normalize("NFC")].length;

/**
 * The opening statement of a claim: what the claimant wrote and attached, how they want to be
 * helped (a call-back or remote assistance commits to the contact handle with the salt; the handle
 * itself goes to the service only), and the project or merchant whose card or button opened the
 * page. Throws in words when a field is out of bounds.
 */
export function buildOpening(input: {
  chainId: number;
  pool: Address;
  claimant: Address;
  kind: ClaimKind;
  text: string;
  channel: HelpChannel;
  contact: string;
  attachments: readonly AttachmentRef[];
  origin: Address | undefined;
  salt: Hex;
}): OpeningStatement {
  const text = input.text.trim();
  if (!text) throw new PageError("describeProblem");
  if (characters(text) > LIMITS.textChars) throw new PageError("textTooLong", { max: LIMITS.textChars });
  if (input.attachments.length > LIMITS.attachmentsPerRecord) {
    throw new PageError("tooManyAttachments", { max: LIMITS.attachmentsPerRecord });
  }
  const contact = input.contact.trim();
  if (input.channel !== "text" && !contact) throw new PageError("needContact");
  return normalizeOpening({
    encoding: CASE_ENCODING,
    type: "opening",
    chainId: input.chainId,
    pool: input.pool,
    claimant: input.claimant,
    kind: input.kind,
    text,
    channel: input.channel,
    contact: input.channel === "text" ? null : contactCommitment(input.salt, contact),
    attachments: input.attachments,
    origin: input.origin ?? null,
    salt: input.salt,
  });
}

/** The transaction and link a claimant named: checked, as attachments that need no upload. */
export function namedRefs(txHash: string, link: string): AttachmentRef[] {
  const refs: AttachmentRef[] = [];
  const tx = txHash.trim();
  if (tx) {
    if (!isHex(tx, { strict: true }) || tx.length !== 66) throw new PageError("badTxHash");
    refs.push({ kind: "tx", hash: tx.toLowerCase() as Hex });
  }
  const url = link.trim();
  if (url) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    if (parsed?.protocol !== "https:" && parsed?.protocol !== "http:") throw new PageError("badLink");
    refs.push({ kind: "link", url });
  }
  return refs;
}

export function mountEmergency(host: HTMLElement, ctx: Context, onSent: (claimId: bigint) => void) {
  let open = false;
  let kind = 0;
  let channel: HelpChannel = "text";
  let described = 0;
  /** The project or merchant whose card or button opened the page (`?origin=`). */
  let origin: Address | undefined;

  /** Signs in, uploads the files, stores the statement: returns its hash, the claim's evidence hash. */
  async function fileStatement(form: HTMLFormElement, account: Address, claimKind: ClaimKind): Promise<Hex> {
    const data = new FormData(form);
    const files = (data.getAll("files") as File[]).filter((f) => f.size > 0);
    const named = namedRefs(String(data.get("tx") ?? ""), String(data.get("link") ?? ""));
    for (const f of files) {
      if (f.size > LIMITS.attachmentBytes) throw new PageError("fileTooLarge", { name: f.name });
    }
    const contact = String(data.get("contact") ?? "");
    const salt = newSalt();
    const draft = {
      chainId: ctx.config.chainId,
      pool: ctx.chain.need("pool"),
      claimant: account,
      kind: claimKind,
      text: String(data.get("description") ?? ""),
      channel,
      contact,
      origin,
      salt,
    };
    // Checked before anything is uploaded or signed: a wrong field says so at once.
    if (files.length + named.length > LIMITS.attachmentsPerRecord) {
      throw new PageError("tooManyAttachments", { max: LIMITS.attachmentsPerRecord });
    }
    buildOpening({ ...draft, attachments: named });
    return ctx.session.authorized(async ({ token }) => {
      const uploaded = [];
      for (const f of files) uploaded.push(await cases.upload(token, f, f.name.slice(0, LIMITS.nameChars)));
      const statement = buildOpening({ ...draft, attachments: [...uploaded, ...named] });
      const { hash } = await cases.open(token, statement, channel === "text" ? undefined : contact.trim());
      if (hash.toLowerCase() !== openingHash(statement)) throw new PageError("otherStatement");
      return openingHash(statement);
    });
  }

  async function submit(form: HTMLFormElement) {
    const account = await ctx.account();
    const data = new FormData(form);
    const kindIndex = Number(data.get("kind"));
    const claimKind = CLAIM_KINDS[kindIndex];
    if (!claimKind) throw new PageError("pickKind");
    const amountText = String(data.get("amount") ?? "").trim();
    if (!/^\d+(\.\d{1,6})?$/.test(amountText)) throw new PageError("badAmount");
    const amount = parseUnits(amountText, 18);
    if (amount === 0n) throw new PageError("zeroAmount");
    let evidenceHash: Hex;
    try {
      evidenceHash = await fileStatement(form, account, claimKind);
    } catch (error) {
      if (error instanceof ServiceError) {
        throw new PageError("statementRefused", { reason: ctx.explain(error) });
      }
      throw error;
    }
    const pool = ctx.chain.need("pool");
    let claimId: bigint;
    if (data.get("gasless")) {
      await ctx.wallet.ensureChain();
      const nonce = await ctx.chain.reader().readContract({
        address: pool,
        abi: CompensationPoolAbi,
        functionName: "nonces",
        args: [account],
      });
      // An hour from now by the later of the two clocks: the chain's may run ahead of this one.
      const deadline = BigInt(Math.max(Math.floor(Date.now() / 1000), await ctx.chain.now()) + 3600);
      const message = { claimant: account, kind: kindIndex, amount, evidenceHash, nonce, deadline };
      const signature = await ctx.chain.writer().signTypedData({
        domain: claimDomain(ctx.config.chainId, pool),
        types: CLAIM_REQUEST_TYPES,
        primaryType: "ClaimRequest",
        message,
      });
      try {
        const result = await service.relay({
          request: { ...message, amount: amount.toString(), nonce: nonce.toString(), deadline: deadline.toString() },
          signature,
        });
        claimId = BigInt(result.claimId);
      } catch (error) {
        if (error instanceof ServiceError && (error.unavailable || error.status === 404)) {
          throw new PageError("relayUnavailable", { reason: error.message });
        }
        throw new PageError("relayRefused", { reason: ctx.explain(error) });
      }
    } else {
      const receipt = await ctx.chain.send({
        address: pool,
        abi: CompensationPoolAbi,
        functionName: "submitClaim",
        args: [kindIndex, amount, evidenceHash],
        // Another claim mined first may leave this one to open a fresh breach-lane slot.
        gasLimit: claimGasLimit,
      });
      const [event] = parseEventLogs({ abi: CompensationPoolAbi, eventName: "ClaimSubmitted", logs: receipt.logs });
      if (!event) throw new PageError("noClaimEvent");
      claimId = event.args.claimId;
    }
    open = false;
    form.reset();
    channel = "text";
    described = 0;
    update();
    ctx.notify((lang) => requestSentText(claimId, lang));
    onSent(claimId);
  }

  const onSubmit = (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    void ctx.guarded(form.querySelector<HTMLButtonElement>("button[type=submit]"), () => submit(form))();
  };
  const onSos = (e: Event) =>
    void ctx.guarded(e.currentTarget as HTMLButtonElement, async () => {
      open = true;
      update();
      await ctx.account();
    })();
  const onKind = (e: Event) => (kind = Number((e.target as HTMLSelectElement).value));
  const onChannel = (e: Event) => {
    channel = (e.target as HTMLInputElement).value as HelpChannel;
    update();
  };
  const onDescribe = (e: Event) => {
    described = characters((e.target as HTMLTextAreaElement).value);
    update();
  };

  // `live`: the form's visibility and kind follow this module's state even after the DOM was changed elsewhere.
  const view = () => {
    const lang = ctx.lang.get();
    const t = (key: Parameters<typeof caseText>[0]) => caseText(key, lang);
    return html`<button id="sos" class="sos" type="button" @click=${onSos}>${t("sos")}</button>
      <form id="claim-form" ?hidden=${live(!open)} @submit=${onSubmit}>
        ${origin ? html`<p class="origin">${t("askingAbout")} <code>${origin}</code>.</p>` : nothing}
        <label
          >${t("whatWrong")}
          <select name="kind" .value=${live(String(kind))} @change=${onKind}>
            ${CLAIM_KINDS.map((k, i) => html`<option value=${i} ?selected=${i === kind}>${kindText(k, lang)}</option>`)}
          </select>
        </label>
        <label>${t("amountAsked")} <input name="amount" inputmode="decimal" value="10" required /></label>
        <label
          >${t("description")} <textarea name="description" rows="4" required @input=${onDescribe}></textarea>
          <span id="description-count" class="count ${described > LIMITS.textChars ? "over" : ""}" aria-live="polite"
            >${charactersText(described, LIMITS.textChars, lang)}</span
          >
        </label>
        <label
          >${t("files")}
          <input
            type="file"
            name="files"
            multiple
            accept="image/png,image/jpeg,image/gif,image/webp,application/pdf,text/plain,.log,.txt"
        /></label>
        <label>${t("txHash")} <input name="tx" placeholder="0x…" autocomplete="off" spellcheck="false" /></label>
        <label>${t("link")} <input name="link" type="url" placeholder="https://…" /></label>
        <fieldset class="channels">
          <legend>${t("helpHow")}</legend>
          ${HELP_CHANNELS.map(
            (c) =>
              html`<label class="row"
                ><input type="radio" name="channel" value=${c} .checked=${live(c === channel)} @change=${onChannel} />
                ${channelText(c, lang)}</label
              >`,
          )}
        </fieldset>
        ${
          channel === "text"
            ? nothing
            : html`<label>${t("contact")} <input name="contact" autocomplete="tel" required /></label>`
        }
        <label class="row"><input type="checkbox" name="gasless" /> ${t("gasless")}</label>
        <button type="submit">${t("sendRequest")}</button>
      </form>`;
  };

  function update() {
    render(view(), host);
  }
  ctx.lang.watch(update);
  update();

  return {
    /**
     * Opens the claim form with `kind` (the contract's index) selected and scrolls to it; `from`
     * is the project or merchant asked about (ignored unless it is an address).
     */
    open(withKind?: number, from?: string | null) {
      open = true;
      if (withKind !== undefined && CLAIM_KINDS[withKind]) kind = withKind;
      if (from && isAddress(from, { strict: false })) origin = getAddress(from);
      update();
      host.scrollIntoView({ behavior: "smooth" });
    },
  };
}
