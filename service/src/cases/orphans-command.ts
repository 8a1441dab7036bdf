/**
 * `npm run cases:orphans [-- --delete] [--grace-hours N]`: the bucket's objects that no row names
 * (reconcile.ts), with the service's own settings (the same environment: DATABASE_URL or
 * SERVICE_DATA_DIR, CASE_FILES_S3_*, WEBHOOK_SECRET_KEY, which the names are derived from). A dry
 * run by default. Exit codes: 0 done (or no bucket configured), 1 the bucket or the database failed,
 * 2 a usage mistake (an unknown option, a bad value, an invalid setting).
 */
import { parseArgs } from "node:util";

import { loadConfig, type ServiceConfig } from "../config.js";
import { openDatabase } from "../db/client.js";
import { ObjectStore, StorageUnavailable } from "./files.js";
import {
  deleteOrphanObjects,
  findOrphanObjects,
  namesLookWrong,
  ORPHAN_GRACE_SECONDS,
  type OrphanReport,
} from "./reconcile.js";
import { CASE_FILES_PREFIX, CaseBox } from "./seal.js";

export const USAGE = `npm run cases:orphans -- [--delete] [--grace-hours N]

Lists the case files in the bucket (CASE_FILES_S3_URL) that no database row names, left by older
releases when the database failed between an upload's object and its row. Reads the service's
settings from the environment. Without --delete nothing is deleted.

  --delete          delete the orphans found (each is checked again just before)
  --grace-hours N   keep objects modified less than N hours ago (default ${ORPHAN_GRACE_SECONDS / 3600}): a replica
                    running an older release may be between its object and its row`;

export type CommandIo = {
  env: Record<string, string | undefined>;
  out(text: string): void;
  err(text: string): void;
};

class UsageError extends Error {}

export async function runOrphansCommand(args: string[], io: CommandIo): Promise<number> {
  let options: { delete: boolean; graceSeconds: number; help: boolean };
  let config: ServiceConfig;
  try {
    options = parseOptions(args);
    if (options.help) {
      io.out(USAGE);
      return 0;
    }
    config = loadConfig(io.env);
  } catch (err) {
    io.err(`cases:orphans: ${(err as Error).message}`);
    if (err instanceof UsageError) io.err(`\n${USAGE}`);
    return 2;
  }
  const bucket = config.cases.files;
  if (bucket === undefined) {
    io.out("No bucket: CASE_FILES_S3_URL is not set, so case files are kept in the database. Nothing to do.");
    return 0;
  }
  let handle: Awaited<ReturnType<typeof openDatabase>>;
  try {
    handle = await openDatabase({
      url: config.databaseUrl,
      dataDir: config.dataDir,
      onIdleError: (error) => io.err(`database connection lost: ${error.message}`),
    });
  } catch (err) {
    io.err(`cases:orphans: the database did not open: ${(err as Error).message}`);
    return 1;
  }
  try {
    const run = options.delete ? deleteOrphanObjects : findOrphanObjects;
    const report = await run({
      db: handle.db,
      box: new CaseBox(config.webhooks.secretKey),
      files: new ObjectStore(bucket),
      nowSeconds: Math.floor(Date.now() / 1000),
      graceSeconds: options.graceSeconds,
    });
    io.out(reportTable(report, { bucket: bucket.url, deleting: options.delete, graceSeconds: options.graceSeconds }));
    if (report.stopped !== undefined) {
      io.err(`cases:orphans: stopped: ${report.stopped}`);
      return 1;
    }
    return 0;
  } catch (err) {
    const what = err instanceof StorageUnavailable ? "the bucket failed" : "failed";
    io.err(`cases:orphans: ${what}: ${(err as Error).message}; nothing was deleted`);
    return 1;
  } finally {
    await handle.close();
  }
}

function parseOptions(args: string[]) {
  let values: { delete?: boolean; "grace-hours"?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        delete: { type: "boolean" },
        "grace-hours": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const hours = values["grace-hours"];
  if (hours !== undefined && !/^\d+(\.\d+)?$/.test(hours)) {
    throw new UsageError(`--grace-hours must be a number of hours, 0 or more (got ${JSON.stringify(hours)})`);
  }
  return {
    delete: values.delete === true,
    graceSeconds: hours === undefined ? ORPHAN_GRACE_SECONDS : Math.round(Number(hours) * 3600),
    help: values.help === true,
  };
}

function reportTable(r: OrphanReport, o: { bucket: string; deleting: boolean; graceSeconds: number }): string {
  const grace = `${o.graceSeconds / 3600} h`;
  const rows: Array<[string, number, string]> = [
    [`objects under ${CASE_FILES_PREFIX}`, r.listed, ""],
    ["named by a row", r.named, ""],
    [`not named, under ${grace} old`, r.tooYoung, "kept"],
    [`orphans: not named, ${grace} old or more`, r.orphans, ""],
    ["named by a row since the listing", r.namedSince, o.deleting ? "kept" : "not checked in a dry run"],
    ["deleted", r.deleted, o.deleting ? "" : "dry run: --delete deletes the orphans"],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const digits = Math.max(...rows.map(([, n]) => String(n).length));
  const lines = [`Case files in ${o.bucket}:`];
  for (const [label, n, note] of rows) {
    lines.push(`  ${label.padEnd(width)}  ${String(n).padStart(digits)}${note === "" ? "" : `  ${note}`}`);
  }
  const wrong = namesLookWrong(r);
  if (wrong !== undefined) lines.push("", `Warning: ${wrong}`);
  if (r.orphans > 0) {
    const deleted = new Set(r.deletedKeys);
    lines.push("", o.deleting ? "Orphans (deleted ones marked):" : "Orphans:");
    for (const key of r.orphanKeys) lines.push(`  ${key}${deleted.has(key) ? "  deleted" : ""}`);
  }
  return lines.join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await runOrphansCommand(process.argv.slice(2), {
    env: process.env,
    out: (text) => console.log(text),
    err: (text) => console.error(text),
  });
}
