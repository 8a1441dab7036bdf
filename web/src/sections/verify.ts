/**
 * "Is this really station support?": anyone pastes the address of someone claiming to be support,
 * or a message they signed, and the service answers from the chain whether that address holds a
 * station role now. Fake support staff are the field's commonest scam.
 */
import { html, nothing, render } from "lit-html";

import { service } from "../api.js";
import type { Context } from "../context.js";
import { type StationTextKey, stationText } from "../stationText.js";

type Verdict = Awaited<ReturnType<typeof service.verifyMessage>>;

export function mountVerify(host: HTMLElement, ctx: Context) {
  let verdict: (Partial<Verdict> & { address: string; isStationStaff: boolean; advice: string }) | undefined;
  let failure: string | undefined;
  let busy = false;

  async function check(form: FormData) {
    const address = String(form.get("address") ?? "").trim();
    const message = String(form.get("message") ?? "").trim();
    const signature = String(form.get("signature") ?? "").trim();
    busy = true;
    failure = undefined;
    update();
    try {
      verdict =
        message !== "" || signature !== ""
          ? await service.verifyMessage({ message, signature, ...(address ? { address } : {}) })
          : await service.verifyAddress(address);
    } catch (error) {
      verdict = undefined;
      failure = ctx.explain(error);
    } finally {
      busy = false;
      update();
    }
  }

  const result = () => {
    if (failure !== undefined) return html`<p class="error" id="verify-result">${failure}</p>`;
    if (verdict === undefined) return nothing;
    const lang = ctx.lang.get();
    const address = verdict.address;
    const forged = verdict.signatureValid === false;
    const genuine = verdict.isStationStaff && !forged;
    return html`<div id="verify-result" class=${genuine ? "verdict ok" : "verdict bad"} role="status">
      <p>
        <strong>
          ${
            forged
              ? stationText("forged", lang, { address })
              : genuine
                ? stationText("genuine", lang, { address, roles: (verdict.roles ?? []).join(", ") })
                : stationText("notStaff", lang, { address })
          }
        </strong>
      </p>
      <p>${verdict.advice}</p>
    </div>`;
  };

  const onSubmit = (e: SubmitEvent) => {
    e.preventDefault();
    void check(new FormData(e.currentTarget as HTMLFormElement));
  };

  const view = () => {
    const t = (key: StationTextKey) => stationText(key, ctx.lang.get());
    return html`<h2>${t("verifyTitle")}</h2>
      <p class="muted">${t("verifyIntro")}</p>
      <form id="verify-form" @submit=${onSubmit}>
        <label
          >${t("theirAddress")} <input name="address" placeholder="0x…" autocomplete="off" spellcheck="false"
        /></label>
        <details>
          <summary>${t("checkSigned")}</summary>
          <label>${t("message")} <textarea name="message" rows="2"></textarea></label>
          <label
            >${t("signature")} <input name="signature" placeholder="0x…" autocomplete="off" spellcheck="false"
          /></label>
        </details>
        <button type="submit" ?disabled=${busy}>${busy ? t("checking") : t("check")}</button>
      </form>
      ${result()}`;
  };

  function update() {
    render(view(), host);
  }
  ctx.lang.watch(update);
  update();
}
