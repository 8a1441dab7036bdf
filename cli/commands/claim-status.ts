/** `station claim status <claimId>`: the service's tracking view (stages, deadlines), else the chain's record. */
import type { Command } from "commander";

import type { ClaimResponse } from "../../service/src/claims/routes.js";
import { type Deps, idArg, oneOf } from "../lib/command.js";
import { C, type Ctx, deadlineText, readClaim } from "../lib/context.js";
import { ServiceError, reach, refused } from "../lib/station-client.js";
import { CLAIM_KINDS as ALL_KINDS } from "../../common/claims.js";
import { type Language, kindText, stageText } from "../../common/stages.js";
import { CLAIM_KINDS, STATUS_NAMES } from "../lib/vocabulary.js";

const LANGS = ["en", "id", "es", "zh"] as const;
type Options = { lang: (typeof LANGS)[number]; json?: boolean };

export function register(parent: Command, deps: Deps) {
  parent
    .command("status")
    .description("a claim's stages and deadlines")
    .argument("<claimId>", "the claim", idArg("<claimId>"))
    .option(`--lang <lang>`, `the stages' language: ${LANGS.join("|")}`, oneOf(LANGS, "--lang"), "en")
    .option("--json", "the service's view as JSON")
    .action(async (id: bigint, options: Options) => claimStatus(await deps.ctx(), id, options));
}

/** The service's tracking view as lines: stages in the chosen language, deadlines and their state. */
function printClaimView(ctx: Ctx, view: ClaimResponse) {
  const stamp = (unix: number) => new Date(unix * 1000).toISOString();
  ctx.out(`claim #${view.id}: ${view.status} — ${view.statusText}`);
  ctx.out(
    `  claimant  ${view.claimant}  (${view.kind}, tier ${view.tier.level}${view.tier.priority ? ", priority" : ""})`,
  );
  const amounts = [`${C(BigInt(view.amounts.requested))} requested`];
  for (const [name, value] of [
    ["approved", view.amounts.approved],
    ["late-response credit", view.amounts.lateCredit],
    ["no-answer credit", view.amounts.noResponseCredit],
    ["late-resolution credit", view.amounts.resolutionCredit],
    ["paid", view.amounts.paid],
  ] as const) {
    if (value !== "0") amounts.push(`${C(BigInt(value))} ${name}`);
  }
  ctx.out(`  amounts   ${amounts.join(" · ")}`);
  if (view.sla)
    ctx.out(`  waiting   ${view.sla.deadlineKind} by ${deadlineText(view.sla.deadline)} — ${view.sla.stateText}`);
  for (const stage of view.timeline) {
    const parts = [`  ${stage.reached ? "✓" : " "} ${stage.text}`];
    if (stage.reachedAt !== null) parts.push(stamp(stage.reachedAt));
    if (stage.deadline !== null) {
      parts.push(
        `${stage.deadlineKind} deadline ${stamp(stage.deadline)}${stage.stateText ? ` — ${stage.stateText}` : ""}`,
      );
    }
    if (stage.pendingFinality && stage.finalityText) parts.push(stage.finalityText);
    ctx.out(parts.join("  ·  "));
  }
}

async function claimStatus(ctx: Ctx, id: bigint, options: Options) {
  try {
    const res = await reach(ctx.config, (api) =>
      api.v1.claims[":id"].$get({ param: { id: id.toString() }, query: { lang: options.lang } }),
    );
    if (res.status !== 200) throw await refused(res, `GET /v1/claims/${id}`);
    const view = await res.json();
    if (options.json) ctx.out(JSON.stringify(view, null, 2));
    else printClaimView(ctx, view);
    return;
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    ctx.err(`(the service has no timeline for it — ${error.message}; reading the chain)`);
  }
  const claim = await readClaim(ctx, id);
  for (const line of chainClaimHead(id, claim.status, claim.kind, options.lang)) ctx.out(line);
  ctx.out(`  claimant           ${claim.claimant}`);
  ctx.out(`  amount             ${C(claim.amount)}`);
  ctx.out(`  tier               ${claim.tier}`);
  ctx.out(`  response deadline  ${deadlineText(claim.responseDeadline)}`);
  if (claim.payableAt !== 0) ctx.out(`  payable at         ${deadlineText(claim.payableAt)}`);
}

/**
 * The first lines of a claim read from the chain (the service unreachable): its status and kind
 * in `lang`, in the words of every other surface (common/stages.ts). Exported for the vocabulary test.
 */
export function chainClaimHead(id: bigint, statusIndex: number, kindIndex: number, lang: Language): string[] {
  const status = STATUS_NAMES[statusIndex];
  const kind = ALL_KINDS[kindIndex];
  const statusLine =
    status === undefined || status === "None"
      ? `claim #${id}: status ${statusIndex}`
      : `claim #${id}: ${status} — ${stageText(status, lang)}`;
  const kindLine = kind === undefined ? `kind ${kindIndex}` : `${CLAIM_KINDS[kindIndex]} — ${kindText(kind, lang)}`;
  return [statusLine, `  kind               ${kindLine}`];
}
