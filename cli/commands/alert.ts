/** `station alert --title --message`: a risk alert on the station's page and to its webhooks (operators). */
import type { Command } from "commander";

import type { Deps } from "../lib/command.js";
import { signer } from "../lib/context.js";
import { UsageError, reach, refused, signIn } from "../lib/station-client.js";

export function register(parent: Command, deps: Deps) {
  parent
    .command("alert")
    .description("post a risk alert (operators)")
    .option("--title <text>", "the headline (required)")
    .option("--message <text>", "what to expect (required)")
    .action(async ({ title, message }: { title?: string; message?: string }) => {
      if (!title || !message) throw new UsageError("alert needs --title <text> and --message <text>");
      const ctx = await deps.ctx();
      const token = await signIn(ctx.config, await signer(ctx));
      const res = await reach(ctx.config, (api) => api.v1.alerts.$post({ json: { title, message } }), token);
      if (res.status !== 201) throw await refused(res, "POST /v1/alerts");
      const { alert: posted, deliveries } = await res.json();
      ctx.out(
        `alert posted (#${posted.id}): ${posted.title.en}` +
          (deliveries === null ? " (webhook fan-out deferred)" : `; ${deliveries} webhook deliveries queued`),
      );
    });
}
