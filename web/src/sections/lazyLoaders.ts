/**
 * Sections only some readers need, loaded with a dynamic `import()` when they are needed (as
 * ./deskLoader.ts does for the desk), so the page's first download stays small: the conversation
 * once a claim is followed, the desk's incident round form once the connected account holds a
 * station role, incident rounds once a wallet connects or the round file is asked for, and the
 * station's figures (at the foot of the page) right after the first download.
 */
import { html, render } from "lit-html";
import type { Address } from "viem";

import type { Context } from "../context.js";
import { holdsStationRole } from "../roles.js";
import { pageText } from "../pageText.js";
import { stationText } from "../stationText.js";
import type { TimelineModel } from "../timeline.js";

/** Loads a section's module once; a failure is said in the notice, and the next need tries again. */
function once<T>(ctx: Context, load: () => Promise<T>) {
  let loading: Promise<T | undefined> | undefined;
  return () =>
    (loading ??= load().catch((error: unknown) => {
      loading = undefined;
      ctx.notify(ctx.explain(error), "error");
      return undefined;
    }));
}

/** The conversation of the claim the progress follows: its code arrives with the first claim followed. */
export function mountConversationWhenFollowed(host: HTMLElement, ctx: Context) {
  const load = once(ctx, () =>
    import("./conversation.js").then(({ mountConversation }) => mountConversation(host, ctx)),
  );
  return {
    show(model: Pick<TimelineModel, "id" | "claimant" | "status">) {
      // In order: each answer waits for the same load, then is shown as it came.
      void load().then((conversation) => conversation?.show(model));
    },
  };
}

/** The desk's incident round form: its code arrives only for an account holding a station role. */
export function mountRoundsWhenStaff(host: HTMLElement, ctx: Context) {
  const load = once(ctx, () => import("./rounds.js").then(({ mountRounds }) => mountRounds(host, ctx)));
  let loaded = false;
  const consider = async (account: Address | undefined) => {
    if (loaded || !(await holdsStationRole(ctx, account))) return;
    loaded = true;
    // From here the form follows the wallet itself (hidden again for an account without a role).
    if ((await load()) === undefined) loaded = false;
  };
  ctx.wallet.onChange((account) => void consider(account));
  void consider(ctx.wallet.account());
}

/**
 * Incident rounds: the heading and the round file's summary at once; the rounds, the proofs and
 * the claims once a wallet connects (the service lists its rounds) or the round file is opened.
 */
export function mountIncidentWhenNeeded(host: HTMLElement, ctx: Context) {
  let loaded = false;
  const load = once(ctx, () =>
    import("./incident.js").then(({ mountIncident }) => {
      loaded = true;
      const fileOpen = host.querySelector<HTMLDetailsElement>("#round-fallback")?.open ?? false;
      mountIncident(host, ctx, { fileOpen });
    }),
  );
  const onToggle = (e: Event) => {
    if ((e.currentTarget as HTMLDetailsElement).open) void load();
  };
  const shell = () => {
    const lang = ctx.lang.get();
    return html`<h2>${stationText("incidentTitle", lang)}</h2>
      <p class="muted" id="rounds-connect">${stationText("roundsConnect", lang)}</p>
      <details id="round-fallback" @toggle=${onToggle}>
        <summary>${stationText("roundFile", lang)}</summary>
        <p class="muted">${pageText("loading", lang)}</p>
      </details>`;
  };
  const update = () => {
    if (!loaded) render(shell(), host);
  };
  ctx.lang.watch(update);
  ctx.wallet.onChange((account) => {
    if (account) void load();
  });
  update();
  if (ctx.wallet.account()) void load();
}

/**
 * The station's figures and who answers: at the foot of the page, below what a newcomer reads
 * first, so their code follows the first download at once instead of being part of it. Until it
 * arrives the section shows its heading.
 */
export function mountStatusAfterStart(host: HTMLElement, ctx: Context) {
  let loaded = false;
  const update = () => {
    const lang = ctx.lang.get();
    if (!loaded) {
      render(
        html`<h2>${stationText("statusTitle", lang)}</h2>
          <p class="muted">${pageText("loading", lang)}</p>`,
        host,
      );
    }
  };
  const unwatch = ctx.lang.watch(update);
  update();
  void once(ctx, () =>
    import("./status.js").then(({ mountStatus }) => {
      loaded = true;
      unwatch();
      mountStatus(host, ctx);
    }),
  )();
}
