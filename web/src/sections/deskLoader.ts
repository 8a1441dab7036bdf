/**
 * Loads the desk's code only for those who may use it: a tab opened on `#desk` (the desk offers to
 * sign in), or a session whose account the service finds on staff (`/v1/desk/me`, which reads the
 * roles from the chain). A claimant's phone never downloads the desk.
 */
import { ServiceError, desk } from "../api.js";
import type { Context } from "../context.js";

export function mountDeskWhenStaff(host: HTMLElement, ctx: Context) {
  let loading: Promise<void> | undefined;
  const load = () =>
    (loading ??= import("./desk.js")
      .then(({ mountDesk }) => mountDesk(host, ctx))
      .catch((error: unknown) => {
        loading = undefined; // a later sign-in or #desk tries again
        ctx.notify(ctx.explain(error), "error");
      }));

  async function consider() {
    if (loading !== undefined) return;
    if (location.hash === "#desk") return void load();
    const session = ctx.session.current();
    if (!session) return;
    try {
      await desk.me(session.token);
    } catch (error) {
      // Not staff, or the session ended: nothing to load. Anything else is the service failing.
      if (error instanceof ServiceError && (error.status === 401 || error.status === 403)) return;
      throw error;
    }
    void load();
  }

  const considered = () => void consider().catch((error: unknown) => ctx.notify(ctx.explain(error), "error"));
  ctx.session.onChange(considered);
  window.addEventListener("hashchange", considered);
  considered();
}
