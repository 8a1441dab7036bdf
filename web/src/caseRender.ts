/**
 * How a case's records look on the page, shared by the claimant's conversation
 * (./sections/conversation.ts) and the assessors' desk (./sections/desk.ts): the opening
 * statement (with the project or merchant whose card or button it came from) and each message with who wrote it, when, its files and its standing against the chain.
 */
import { html, nothing } from "lit-html";
import { type Address, type Hex, getAddress } from "viem";

import type { AttachmentRef } from "../../common/case.js";
import type { CaseMessageItem, CaseView, Language } from "./api.js";
import { type AnchorWord, anchorText, caseText, channelText, roleText } from "./caseText.js";
import { formatTime } from "./lang.js";

/** What a rendered record may do: download a cited file (with the reader's session). */
export type RecordActions = { download: (e: Event, sha256: Hex, name: string) => void };

export const anchorBadge = (state: AnchorWord, lang: Language) =>
  html`<span class="anchor anchor-${state.replace(/ /g, "-")}" data-anchor=${state}>${anchorText(state, lang)}</span>`;

/** Whether a staff message's author holds a station role now (read on-chain by the service). */
export const agentBadge = (agent: CaseMessageItem["agent"], lang: Language) => {
  if (agent === null || agent.standing === "unchecked") return nothing;
  const verified = agent.standing === "verified";
  return html` <span
    class="agent ${verified ? "agent-verified" : "agent-revoked"}"
    data-agent=${agent.standing}
    title=${caseText(verified ? "agentVerifiedTitle" : "agentRevokedTitle", lang)}
    >${verified ? "✓" : "⚠"} ${caseText(verified ? "agentVerified" : "agentRevoked", lang)}</span
  >`;
};

export const attachmentList = (refs: readonly AttachmentRef[], actions: RecordActions) =>
  refs.length === 0
    ? nothing
    : html`<ul class="attachments">
        ${refs.map((r) => {
          switch (r.kind) {
            case "file":
              return html`<li>
                <button
                  type="button"
                  class="link"
                  data-sha256=${r.sha256}
                  @click=${(e: Event) => actions.download(e, r.sha256, r.name)}
                >
                  ${r.name || r.sha256}</button
                ><span class="muted"> · ${r.type} · ${Math.ceil(r.size / 1024)} KiB</span>
              </li>`;
            case "tx":
              return html`<li>tx <code>${r.hash}</code></li>`;
            case "link":
              return html`<li><a href=${r.url} target="_blank" rel="noopener noreferrer nofollow">${r.url}</a></li>`;
          }
        })}
      </ul>`;

/** One message: "You" for the viewer's own, else the author's role. */
export const messageItem = (m: CaseMessageItem, viewer: Address, lang: Language, actions: RecordActions) => {
  const body = m.message;
  const who =
    body === null ? "—" : body.author === viewer.toLowerCase() ? roleText("you", lang) : roleText(body.role, lang);
  return html`<li class="message role-${body?.role ?? "erased"}" data-seq=${m.seq} data-role=${body?.role ?? ""}>
    <p class="meta">
      <strong class="author">${who}</strong>${agentBadge(m.agent, lang)}${
        body ? html` · <span class="when">${formatTime(body.at, lang)}</span>` : nothing
      }
      · ${anchorBadge(m.anchor, lang)}
    </p>
    ${
      body === null
        ? html`<p class="text muted">${caseText("erasedContent", lang)}</p>`
        : html`${body.text ? html`<p class="text">${body.text}</p>` : nothing}${attachmentList(body.attachments, actions)}`
    }
  </li>`;
};

/** The opening statement, with the id the claimant's page has always given it. */
export const openingBlock = (v: CaseView, lang: Language, actions: RecordActions, id = "case-opening") => {
  const s = v.opening.statement;
  return html`<div id=${id} class="message role-claimant">
    <p class="meta">
      <strong>${caseText("opening", lang)}</strong>${s ? html` · ${channelText(s.channel, lang)}` : nothing} ·
      ${anchorBadge(v.opening.anchor, lang)}
    </p>
    ${
      s === null
        ? html`<p class="text muted">${caseText("erasedContent", lang)}</p>`
        : html`${
              s.origin
                ? html`<p class="origin" data-origin=${getAddress(s.origin)}>
                    ${caseText("origin", lang)} <code>${getAddress(s.origin)}</code>
                  </p>`
                : nothing
            }
            <p class="text">${s.text}</p>
            ${attachmentList(s.attachments, actions)}`
    }
  </div>`;
};

/** The messages in order, or a line saying there are none yet. */
export const messageList = (v: CaseView, lang: Language, actions: RecordActions, id = "case-messages") =>
  v.messages.length === 0
    ? html`<p class="muted">${caseText("noMessages", lang)}</p>`
    : html`<ol id=${id} class="messages" aria-live="polite">
        ${v.messages.map((m) => messageItem(m, v.viewer.address, lang, actions))}
      </ol>`;
