/** What the case commands that talk to the service share: a session whose key signs the records. */
import type { Deps } from "./command.js";
import { type CaseSession, caseSession } from "./case-cli.js";
import { signer } from "./context.js";

export async function openSession(deps: Deps): Promise<CaseSession> {
  const ctx = await deps.ctx();
  return caseSession(ctx.config, await signer(ctx));
}
