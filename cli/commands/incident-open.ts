/**
 * `station incident open --csv <file>`: a compensation round from a CSV of account,amount. The
 * round (root, total, every account's proof) is built here; the service drafts the same round from
 * the same file and its root must match; the round is opened on-chain; then published, so claimants
 * find their proofs by address. `--dry-run` builds and writes the round file only (no key, chain or
 * service); `--no-publish` opens it on-chain without the service (a station that runs none).
 */
import { readFile } from "node:fs/promises";
import path from "node:path";

import { type Command, Option } from "commander";
import { type Hex, keccak256, parseEventLogs } from "viem";

import { CompensationPoolAbi } from "../../common/abis/CompensationPool.js";
import { type Deadline, deadlineAt, parseDeadline } from "../../common/deadline.js";
import { type Deps, parser } from "../lib/command.js";
import { C, type Ctx, send, signer } from "../lib/context.js";
import { type AmountUnit, buildIncident, parseIncidentCsv, writeIncidentJson } from "../lib/incident.js";
import {
  ServiceError,
  UsageError,
  UserError,
  clients,
  describeError,
  reach,
  refused,
  signIn,
} from "../lib/station-client.js";

type Options = {
  csv?: string;
  unit: AmountUnit;
  deadline: Deadline;
  out?: string;
  metadataHash?: Hex;
  dryRun?: boolean;
  publish: boolean;
};

const unitArg = parser((text): AmountUnit => {
  if (text !== "C" && text !== "wei") throw new UserError(`--unit must be C or wei, not "${text}"`);
  return text;
});
const deadlineArg = parser((text) => {
  try {
    return parseDeadline(text);
  } catch (error) {
    throw new UserError((error as Error).message);
  }
});
const hashArg = parser((text) => {
  if (!/^0x[0-9a-fA-F]{64}$/.test(text))
    throw new UserError(`--metadata-hash must be 0x and 64 hex digits, not "${text}"`);
  return text as Hex;
});

export function register(parent: Command, deps: Deps) {
  parent
    .command("open")
    .description(
      "build a compensation round from a CSV, draft it in the service, open it on-chain and publish it " +
        "(claimants find their proofs by address)",
    )
    .option("--csv <file>", 'rows of account,amount (a first line "account,amount" is a header) (required)')
    .option("--unit <unit>", "unit of the amount column: C (up to 18 decimals) or wei", unitArg, "C")
    .addOption(
      new Option(
        "--deadline <when>",
        "claim deadline: +<n>d, +<n>h or +<n>m from the latest block, unix seconds or an ISO date",
      )
        .argParser(deadlineArg)
        .default(parseDeadline("+30d"), "+30d"),
    )
    .option("--out <file>", "also write the round file: root, total, count, the round and every account's proof")
    .option("--metadata-hash <0x…>", "bytes32 for IncidentOpened (default: keccak256 of the CSV file)", hashArg)
    .option(
      "--dry-run",
      "build the round and write the round file only (--out, else the CSV's name with .json): no key, chain or service",
    )
    .option("--no-publish", "open on-chain without the service's draft and publication (a station without a service)")
    .action(async (options: Options) => incidentOpen(deps, options));
}

function progressBar(err: (line: string) => void) {
  return (message: string) => {
    const m = /(\d+)\/(\d+)/.exec(message);
    if (!m) return err(message);
    const fraction = Number(m[1]) / Number(m[2]);
    const width = 30;
    const filled = Math.round(fraction * width);
    err(`[${"#".repeat(filled)}${" ".repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${message}`);
  };
}

async function incidentOpen(deps: Deps, options: Options) {
  const csvPath = options.csv;
  if (csvPath === undefined) throw new UsageError("incident open needs --csv <file>");
  if (!options.publish && !options.dryRun && options.out === undefined) {
    throw new UsageError(
      "--no-publish needs --out <file>: without the service, the round file holds the claimants' proofs",
    );
  }
  const { io } = deps;
  const bytes = await readFile(csvPath).catch(() => {
    throw new UserError(`cannot read ${csvPath}`);
  });
  const progress = progressBar(io.err);
  let rows;
  try {
    rows = parseIncidentCsv(bytes.toString("utf8"), options.unit, progress);
  } catch (error) {
    throw new UserError((error as Error).message);
  }
  io.err(`read ${rows.length} accounts from ${csvPath}`);
  const built = buildIncident(rows, progress);
  const metadataHash = options.metadataHash ?? keccak256(bytes);

  if (options.dryRun) {
    const parsed = path.parse(csvPath);
    const out = options.out ?? path.join(parsed.dir, `${parsed.name}.json`);
    await writeIncidentJson(out, built, progress);
    io.out(`dry run: no round opened; ${built.count} accounts, ${C(BigInt(built.total))}, root ${built.root}`);
    io.out(`round file (root, proofs): ${out}`);
    return;
  }

  const ctx = await deps.ctx();
  const account = await signer(ctx);
  const pool = ctx.config.addresses.pool;
  const { publicClient } = clients(ctx.config);
  const latest = Number((await publicClient.getBlock()).timestamp);
  const claimDeadline = deadlineAt(options.deadline, latest);
  // Checked before the service drafts anything: the pool would revert, but only after the draft.
  const window = await publicClient.readContract({
    address: pool,
    abi: CompensationPoolAbi,
    functionName: "challengeWindow",
  });
  const claimableAt = latest + Number(window);
  if (!(claimDeadline > claimableAt)) {
    throw new UserError(
      `claim deadline ${claimDeadline} must be after the round becomes claimable ` +
        `(about ${claimableAt}: the latest block plus the ${window} s challenge window)`,
    );
  }

  // 1. The service drafts the same round from the same file; its root must be ours.
  let draft: { token: string; draftId: string } | undefined;
  if (options.publish) {
    const token = await signIn(ctx.config, account);
    const drafted = await draftInService(ctx, token, new Uint8Array(bytes), options.unit, progress);
    if (drafted.root !== built.root || drafted.total !== built.total || drafted.count !== built.count) {
      throw new UserError(
        `the service drafted another round (root ${drafted.root}, total ${drafted.total}, ${drafted.count} accounts) ` +
          `than this file gives (root ${built.root}, total ${built.total}, ${built.count} accounts): nothing opened`,
      );
    }
    ctx.err(`draft ${drafted.draftId}: root ${drafted.root}`);
    draft = { token, draftId: drafted.draftId };
  }

  // 2. The round on-chain.
  const receipt = await send(ctx, account, {
    address: pool,
    abi: CompensationPoolAbi,
    functionName: "openIncident",
    args: [built.root as Hex, BigInt(built.total), claimDeadline, metadataHash],
  });
  const [event] = parseEventLogs({ abi: CompensationPoolAbi, eventName: "IncidentOpened", logs: receipt.logs });
  if (!event) throw new UserError(`no IncidentOpened event in ${receipt.transactionHash}`);
  const incidentId = event.args.incidentId.toString();
  ctx.out(
    `incident #${incidentId} opened: ${built.count} accounts, ${C(BigInt(built.total))}, ` +
      `claimable from ${new Date(Number(event.args.claimableAt) * 1000).toISOString()}`,
  );

  // 3. Published once the indexer has the incident (it follows the chain a moment later).
  if (draft !== undefined) {
    await publishRound(ctx, draft.token, draft.draftId, incidentId);
    ctx.out(`round published: claimants find their proofs at ${ctx.config.serviceUrl}/v1/rounds/${incidentId}`);
  } else {
    ctx.out("not published (--no-publish): hand claimants their proofs from the round file");
  }

  if (options.out !== undefined) {
    built.round = {
      pool,
      chainId: String(ctx.config.chainId),
      incidentId,
      claimableAt: Number(event.args.claimableAt),
      claimDeadline: Number(event.args.claimDeadline),
      metadataHash,
      transactionHash: receipt.transactionHash,
    };
    await writeIncidentJson(options.out, built, progress);
    ctx.out(`round file (root, proofs): ${options.out}`);
  }
}

/** How often `incident open` asks how far the service's draft is. */
const DRAFT_POLL_MS = 500;

/**
 * Drafts the round in the service's background (Prefer: respond-async) and follows the build,
 * reporting the proofs stored, until it is a draft (its root and total) or fails (its reason).
 */
async function draftInService(
  ctx: Ctx,
  token: string,
  csv: Uint8Array<ArrayBuffer>,
  unit: "C" | "wei",
  progress: (message: string) => void,
) {
  const started = await reach(
    ctx.config,
    (api) =>
      api.v1.rounds.drafts.$post(
        { query: { unit } },
        { headers: { Prefer: "respond-async", "content-type": "text/csv" }, init: { body: csv } },
      ),
    token,
  );
  if (started.status !== 202) throw await refused(started, "POST /v1/rounds/drafts");
  let state = await started.json();
  while (state.status === "building") {
    if (state.phase === "storing") progress(`service: stored ${state.done}/${state.of} proofs`);
    await new Promise((resolve) => setTimeout(resolve, DRAFT_POLL_MS));
    const draftId = state.draftId;
    const res = await reach(ctx.config, (api) => api.v1.rounds.drafts[":draftId"].$get({ param: { draftId } }), token);
    if (res.status !== 200) throw await refused(res, `GET /v1/rounds/drafts/${draftId}`);
    state = await res.json();
  }
  if (state.status !== "draft" || state.root === null || state.total === null || state.count === null) {
    const rows = state.rejected.map((r) => `\n  line ${r.line}: ${r.reason}`).join("");
    throw new UserError(`the service did not draft the round: ${state.error?.message ?? state.status}${rows}`);
  }
  return { draftId: state.draftId, root: state.root, total: state.total, count: state.count };
}

/** How long `incident open` waits for the indexer to show the new incident before giving up. */
const PUBLISH_WAIT_MS = 60_000;

async function publishRound(ctx: Ctx, token: string, draftId: string, incidentId: string) {
  const until = Date.now() + PUBLISH_WAIT_MS;
  for (;;) {
    try {
      const res = await reach(
        ctx.config,
        (api) => api.v1.rounds.drafts[":draftId"].publish.$post({ param: { draftId }, json: { incidentId } }),
        token,
      );
      if (res.status !== 200) throw await refused(res, `POST /v1/rounds/drafts/${draftId}/publish`);
      return;
    } catch (error) {
      const waiting = error instanceof ServiceError && error.code === "incident_not_indexed";
      if (!waiting || Date.now() > until) {
        throw new UserError(
          `${describeError(error)}\nthe round is open on-chain; publish it later with ` +
            `POST /v1/rounds/drafts/${draftId}/publish {"incidentId":"${incidentId}"}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
