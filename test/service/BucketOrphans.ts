/**
 * Objects in the case-file bucket that no row names: the bucket's listing (ObjectStore.list,
 * against the signature-checking FakeS3), the orphans found and deleted (reconcile.ts) on each
 * database engine, and the operator's command (`npm run cases:orphans`).
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect } from "chai";
import { sql } from "drizzle-orm";

import { loadConfig } from "../../service/src/config.js";
import { openDatabase, queryRows, type Database, type DatabaseHandle } from "../../service/src/db/client.js";
import { migrate } from "../../service/src/db/migrate.js";
import { runOrphansCommand } from "../../service/src/cases/orphans-command.js";
import { ObjectStore, parseListing, StorageUnavailable } from "../../service/src/cases/files.js";
import { deleteOrphanObjects, findOrphanObjects, type OrphanOptions } from "../../service/src/cases/reconcile.js";
import { CaseBox } from "../../service/src/cases/seal.js";
import { FakeS3 } from "./fakeS3.js";
import { ENGINES, freshServiceDatabase } from "./helpers.js";

const KEY = "44".repeat(32);
const HOUR = 3_600;
const box = new CaseBox(Buffer.from(KEY, "hex"));
type StoredIn = "database" | "object" | "uploading" | "sweeping";

/** The client the service would build for this bucket, from the same settings. */
const storeFor = (env: Record<string, string>) =>
  new ObjectStore(loadConfig({ ...env, WEBHOOK_SECRET_KEY: KEY }).cases.files!);

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected a failure");
}

describe("case-file bucket listing (ListObjectsV2)", function () {
  this.timeout(20_000);
  let s3: FakeS3;
  let files: ObjectStore;
  beforeEach(async function () {
    s3 = new FakeS3();
    await s3.start();
    files = storeFor(s3.env());
  });
  afterEach(async function () {
    await s3.close();
  });

  it("lists the objects under a prefix page by page, in byte order, keys decoded and each with its time", async function () {
    // Stored through the client: its time is the PUT's.
    await files.put("case-files/z", "enc:v1:x");
    await files.put("elsewhere/case-files-not", "enc:v1:x");
    s3.age("case-files/z", 7_200);
    // Put in place (a URL cannot carry a carriage return): keys with XML's markup characters, a
    // carriage return (listed as &#13;), spaces, one that reads as a number, and one beyond ASCII
    // (UTF-8 byte order puts "é" after "z").
    const odd = ["case-files/a&b<c>", 'case-files/it\'s "x"', "case-files/cr\r", "case-files/ sp ", "case-files/0012"];
    for (const [i, key] of [...odd, "case-files/é"].entries()) {
      s3.objects.set(key, Buffer.from("enc:v1:x"));
      s3.age(key, 60 * i);
    }
    s3.maxKeys = 3;

    const pages: Array<Awaited<ReturnType<ObjectStore["list"]>>> = [];
    let token: string | undefined;
    do {
      const page = await files.list("case-files/", token);
      pages.push(page);
      token = page.continuationToken;
    } while (token !== undefined);

    expect(pages.map((p) => p.objects.length)).to.deep.equal([3, 3, 1]);
    // The fake's tokens are base64 (with "+", "/" or "=", as S3's are): they went back signed.
    expect(pages[0]!.continuationToken).to.match(/^[A-Za-z0-9+/]+={0,2}$/);
    const listed = pages.flatMap((p) => p.objects);
    expect(listed.map((o) => o.key)).to.deep.equal([
      "case-files/ sp ",
      "case-files/0012",
      "case-files/a&b<c>",
      "case-files/cr\r",
      'case-files/it\'s "x"',
      "case-files/z",
      "case-files/é",
    ]);
    for (const o of listed) expect(o.lastModified.getTime(), o.key).to.equal(s3.lastModified.get(o.key)!.getTime());
    const aged = listed.find((o) => o.key === "case-files/z")!;
    expect(Date.now() - aged.lastModified.getTime()).to.be.within(7_200_000, 7_260_000);
    // The listings were requests to the bucket itself, each signed and answered.
    const listings = s3.requests.filter((r) => r.method === "GET" && r.key === "");
    expect(listings.map((r) => r.status)).to.deep.equal([200, 200, 200]);
  });

  it("lists nothing from an empty prefix, and fails as the other requests do when the bucket fails, is down or refuses the signature", async function () {
    expect(await files.list("case-files/")).to.deep.equal({ objects: [], continuationToken: undefined });

    s3.fault = "error";
    const refused = await failure(files.list("case-files/"));
    expect(refused).to.be.instanceOf(StorageUnavailable);
    expect(refused.message).to.equal("case file storage refused to list: 500 InternalError");
    s3.fault = undefined;

    await s3.down();
    const down = await failure(files.list("case-files/"));
    expect(down).to.be.instanceOf(StorageUnavailable);
    expect(down.message).to.match(/^case file storage did not answer/);
    await s3.up();

    const forged = await failure(storeFor(s3.env("not-the-secret")).list("case-files/"));
    expect(forged).to.be.instanceOf(StorageUnavailable);
    expect(forged.message).to.equal("case file storage refused to list: 403 SignatureDoesNotMatch");
  });

  it("reads a ListObjectsV2 answer as S3 writes it, and refuses one it cannot trust", function () {
    const answer = (body: string) =>
      `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${body}</ListBucketResult>`;
    const contents = (key: string, time = "2026-01-02T03:04:05.678Z") =>
      `<Contents><Key>${key}</Key><LastModified>${time}</LastModified><ETag>&quot;9b2c&quot;</ETag><Size>12</Size></Contents>`;

    const page = parseListing(
      answer(
        `<Name>b</Name><IsTruncated>true</IsTruncated>${contents("case-files/a&amp;b&#x41;&#13;")}${contents("1e5")}` +
          `<NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>`,
      ),
    );
    expect(page).to.deep.equal({
      objects: [
        { key: "case-files/a&bA\r", lastModified: new Date("2026-01-02T03:04:05.678Z") },
        { key: "1e5", lastModified: new Date("2026-01-02T03:04:05.678Z") },
      ],
      continuationToken: "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=",
    });
    // The last page, pretty-printed as some S3-compatible services write it.
    expect(parseListing(answer(`\n  <IsTruncated>false</IsTruncated>\n  ${contents("k")}\n`))).to.deep.equal({
      objects: [{ key: "k", lastModified: new Date("2026-01-02T03:04:05.678Z") }],
      continuationToken: undefined,
    });

    const refusals: Array<[string, RegExp]> = [
      ["<html>502 Bad Gateway", /not XML|without a ListBucketResult/],
      ["<Error><Code>AccessDenied</Code></Error>", /without a ListBucketResult/],
      [answer(`<IsTruncated>true</IsTruncated>${contents("k")}`), /truncated and says nowhere to continue/],
      [answer(contents("k", "yesterday")), /without a time for "k"/],
      [answer("<Contents><LastModified>2026-01-02T03:04:05Z</LastModified></Contents>"), /without a key/],
    ];
    for (const [xml, why] of refusals) {
      const thrown = (() => {
        try {
          parseListing(xml);
        } catch (err) {
          return err as Error;
        }
      })();
      expect(thrown, xml).to.be.instanceOf(StorageUnavailable);
      expect(thrown!.message, xml).to.match(why);
    }
  });
});

/** A file's row as the service writes it, and its object's name. */
async function fileRow(db: Database, n: number, storedIn: StoredIn, o: { owner?: string; createdAt?: number } = {}) {
  const sha256 = `0x${createHash("sha256").update(`file ${n}`).digest("hex")}`;
  const owner = o.owner ?? "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
  await db.execute(sql`
    INSERT INTO case_attachments (sha256, owner, content_type, size, sealed, stored_in, created_at)
    VALUES (${sha256}, ${owner}, 'image/png', 100, NULL, ${storedIn}, ${o.createdAt ?? Math.floor(Date.now() / 1000)})`);
  return box.fileName(`${sha256}:${owner}`);
}

/** A name no row has: an object an older release stored before its row that never came. */
const orphanName = (n: number) => box.fileName(`0x${createHash("sha256").update(`lost ${n}`).digest("hex")}:0xabc`);

for (const engine of ENGINES) {
  describe(`orphan objects in the case-file bucket (${engine})`, function () {
    this.timeout(30_000);
    let service: DatabaseHandle;
    let s3: FakeS3;
    let files: ObjectStore;
    beforeEach(async function () {
      service = await freshServiceDatabase(engine);
      s3 = new FakeS3();
      await s3.start();
      files = storeFor(s3.env());
    });
    afterEach(async function () {
      await s3.close();
      await service.close();
    });

    const options = (over: Partial<OrphanOptions> = {}): OrphanOptions => ({
      db: service.db,
      box,
      files,
      nowSeconds: Math.floor(Date.now() / 1000),
      ...over,
    });
    /** An object in the bucket, stored through the client, last modified `ageSeconds` ago. */
    async function object(name: string, ageSeconds: number) {
      await files.put(name, "enc:v1:sealed");
      s3.age(name, ageSeconds);
      return name;
    }
    const deletes = () => s3.requests.filter((r) => r.method === "DELETE");
    const keys = () => [...s3.objects.keys()].sort();

    it("keeps the objects rows name in every state, and the young unnamed one; finds the old unnamed one and deletes it", async function () {
      const named: string[] = [];
      for (const [n, state] of (["database", "object", "uploading", "sweeping"] as const).entries()) {
        named.push(await object(await fileRow(service.db, n, state), 5 * HOUR));
      }
      const old = await object(orphanName(1), HOUR + 60);
      const young = await object(orphanName(2), HOUR - 60);
      const elsewhere = await object("elsewhere/station-backup", 30 * 24 * HOUR);
      const before = keys();

      const found = await findOrphanObjects(options());
      expect(found).to.deep.equal({
        listed: 6,
        named: 4,
        tooYoung: 1,
        orphans: 1,
        orphanKeys: [old],
        rowsInBucket: 1,
        deleted: 0,
        deletedKeys: [],
        namedSince: 0,
      });
      expect(deletes(), "a dry run deletes nothing").to.deep.equal([]);
      expect(keys()).to.deep.equal(before);
      // A shorter grace takes the young one too.
      expect((await findOrphanObjects(options({ graceSeconds: HOUR - 120 }))).orphanKeys.sort()).to.deep.equal(
        [old, young].sort(),
      );

      const done = await deleteOrphanObjects(options());
      expect(done).to.deep.include({ listed: 6, named: 4, tooYoung: 1, orphans: 1, deleted: 1, deletedKeys: [old] });
      expect(done.stopped).to.equal(undefined);
      expect(deletes()).to.deep.equal([{ method: "DELETE", key: old, status: 204 }]);
      expect(keys()).to.deep.equal([...named, young, elsewhere].sort());
      // Run again: nothing left to do.
      expect(await deleteOrphanObjects(options())).to.deep.include({ listed: 5, orphans: 0, deleted: 0 });
    });

    it("lists the bucket page by page and reads the rows' names in batches", async function () {
      s3.maxKeys = 3;
      const named: string[] = [];
      // Two owners of the same files: the batches' keys are (sha256, owner).
      for (let n = 0; n < 5; n++) {
        for (const owner of [
          "0x1111111111111111111111111111111111111111",
          "0x2222222222222222222222222222222222222222",
        ]) {
          named.push(await object(await fileRow(service.db, n, "object", { owner }), 2 * HOUR));
        }
      }
      const orphans: string[] = [];
      for (let n = 0; n < 4; n++) orphans.push(await object(orphanName(n), 2 * HOUR));

      const done = await deleteOrphanObjects(options({ batchSize: 3 }));
      expect(done).to.deep.include({ listed: 14, named: 10, tooYoung: 0, orphans: 4, deleted: 4, rowsInBucket: 10 });
      expect([...done.orphanKeys].sort()).to.deep.equal([...orphans].sort());
      expect(keys()).to.deep.equal([...named].sort());
      // 14 objects, 3 a page: five pages.
      expect(s3.requests.filter((r) => r.method === "GET" && r.key === "")).to.have.length(5);
    });

    it("keeps an orphan a row comes to name after the listing (the same file uploaded again)", async function () {
      const kept = await object(orphanName(1), 2 * HOUR);
      const gone = await object(orphanName(2), 2 * HOUR);
      await object(await fileRow(service.db, 1, "object"), 2 * HOUR);
      // The row is written while the bucket is listed, after the rows' names were read.
      const listing = new (class extends ObjectStore {
        override async list(prefix: string, token?: string) {
          const page = await super.list(prefix, token);
          await service.db.execute(sql`
            INSERT INTO case_attachments (sha256, owner, content_type, size, sealed, stored_in, created_at)
            VALUES (${`0x${createHash("sha256").update("lost 1").digest("hex")}`}, '0xabc', 'image/png', 1, NULL,
              'uploading', ${Math.floor(Date.now() / 1000)})`);
          return page;
        }
      })(loadConfig({ ...s3.env(), WEBHOOK_SECRET_KEY: KEY }).cases.files!);

      const done = await deleteOrphanObjects(options({ files: listing }));
      expect(done).to.deep.include({ orphans: 2, namedSince: 1, deleted: 1, deletedKeys: [gone] });
      expect(keys()).to.include(kept).and.not.include(gone);
    });

    it("stops at the bucket's first failure, says why, and deletes nothing more", async function () {
      await object(await fileRow(service.db, 1, "object"), 2 * HOUR);
      const orphans = [await object(orphanName(1), 2 * HOUR), await object(orphanName(2), 2 * HOUR)];
      orphans.push(await object(orphanName(3), 2 * HOUR));
      // The bucket fails (then is down) after the first delete.
      let failNext: () => Promise<void> = async () => {};
      const failing = new (class extends ObjectStore {
        override async delete(name: string) {
          await super.delete(name);
          await failNext();
        }
      })(loadConfig({ ...s3.env(), WEBHOOK_SECRET_KEY: KEY }).cases.files!);

      failNext = async () => void (s3.fault = "error");
      const erring = await deleteOrphanObjects(options({ files: failing }));
      expect(erring).to.deep.include({ orphans: 3, deleted: 1 });
      expect(erring.stopped).to.equal("case file storage refused to delete: 500 InternalError");
      expect(s3.objects.size, "two orphans and the named object left").to.equal(3);
      // One delete refused (retried by the client), and none after it.
      expect(deletes().map((r) => r.status)).to.deep.equal([204, 500, 500, 500]);

      s3.fault = undefined;
      failNext = () => s3.down();
      const down = await deleteOrphanObjects(options({ files: failing }));
      expect(down).to.deep.include({ orphans: 2, deleted: 1 });
      expect(down.stopped).to.match(/^case file storage did not answer/);
      await s3.up();
      expect(s3.objects.size).to.equal(2);

      // A listing that fails deletes nothing, and says so by throwing.
      failNext = async () => {};
      for (const fault of ["error", "down"] as const) {
        if (fault === "down") await s3.down();
        else s3.fault = fault;
        const thrown = await failure(deleteOrphanObjects(options({ files: failing })));
        expect(thrown, fault).to.be.instanceOf(StorageUnavailable);
        expect(thrown.message, fault).to.match(fault === "error" ? /refused to list: 500/ : /did not answer/);
        await s3.up();
      }
      expect(s3.objects.size).to.equal(2);
      // The one delete that went through before each stop, and the refused one's tries.
      expect(deletes().map((r) => r.status)).to.deep.equal([204, 500, 500, 500, 204]);
    });

    it("deletes nothing when no object has a row's name though rows say their files are in the bucket (another key)", async function () {
      for (let n = 0; n < 3; n++) await object(await fileRow(service.db, n, "object"), 2 * HOUR);
      const otherKey = new CaseBox(Buffer.from("55".repeat(32), "hex"));

      const done = await deleteOrphanObjects(options({ box: otherKey }));
      expect(done).to.deep.include({ listed: 3, named: 0, orphans: 3, deleted: 0 });
      expect(done.stopped).to.match(
        /no object in the bucket has a row's name, though 3 rows .*WEBHOOK_SECRET_KEY.*nothing deleted$/,
      );
      expect(deletes()).to.deep.equal([]);
      expect(s3.objects.size).to.equal(3);
    });
  });

  describe(`npm run cases:orphans (${engine})`, function () {
    this.timeout(60_000);
    let s3: FakeS3;
    let files: ObjectStore;
    let cleanups: Array<() => Promise<void>>;
    beforeEach(async function () {
      s3 = new FakeS3();
      await s3.start();
      files = storeFor(s3.env());
      cleanups = [];
    });
    afterEach(async function () {
      await s3.close();
      for (const cleanup of cleanups) await cleanup();
    });

    /**
     * The service's settings for this bucket, the names key, and a database that `fill` wrote rows
     * to: a PostgreSQL schema of its own (by search_path in DATABASE_URL), or a PGlite data
     * directory (SERVICE_DATA_DIR), closed before the command opens it.
     */
    async function serviceEnv(
      fill: (db: Database) => Promise<void>,
      o: { migrated?: boolean } = {},
    ): Promise<Record<string, string>> {
      const env = { ...s3.env(), WEBHOOK_SECRET_KEY: KEY };
      if (engine === "postgres") {
        const handle = await freshServiceDatabase("postgres");
        cleanups.push(() => handle.close());
        await fill(handle.db);
        const [row] = await queryRows<{ schema: string }>(handle.db, sql`SELECT current_schema() AS schema`);
        const url = new URL(process.env.DATABASE_URL!);
        url.searchParams.set("options", `-c search_path=${o.migrated === false ? `${row!.schema}_none` : row!.schema}`);
        return { ...env, DATABASE_URL: url.toString() };
      }
      const dir = await mkdtemp(join(tmpdir(), "station-orphans-"));
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      const handle = await openDatabase({ dataDir: dir });
      if (o.migrated !== false) await migrate(handle.db);
      await fill(handle.db);
      await handle.close();
      return { ...env, SERVICE_DATA_DIR: dir };
    }
    async function run(args: string[], env: Record<string, string>) {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runOrphansCommand(args, { env, out: (t) => out.push(t), err: (t) => err.push(t) });
      return { code, out: out.join("\n"), err: err.join("\n") };
    }
    /** Two files named by rows, an orphan two hours old, one unnamed for half an hour only. */
    async function bucketWithOrphans(db: Database) {
      for (const [n, state] of (["object", "uploading"] as const).entries()) {
        const name = await fileRow(db, n, state);
        await files.put(name, "enc:v1:x");
        s3.age(name, 2 * HOUR);
      }
      await files.put(orphanName(1), "enc:v1:x");
      s3.age(orphanName(1), 2 * HOUR);
      await files.put(orphanName(2), "enc:v1:x");
      s3.age(orphanName(2), HOUR / 2);
    }

    it("refuses an unknown option or a bad value with exit 2, before the bucket or the database is touched", async function () {
      const dataDir = join(tmpdir(), `station-orphans-never-${process.pid}`);
      const env = { ...s3.env(), WEBHOOK_SECRET_KEY: KEY, SERVICE_DATA_DIR: dataDir };
      const mistakes: Array<[string[], RegExp]> = [
        [["--nope"], /Unknown option '--nope'/],
        [["-d"], /Unknown option '-d'/],
        [["delete"], /Unexpected argument 'delete'/],
        [["--delete=yes"], /--delete.*does not take an argument/],
        [["--grace-hours"], /--grace-hours.*argument missing/],
        [["--grace-hours", "soon"], /--grace-hours must be a number of hours, 0 or more \(got "soon"\)/],
        [["--grace-hours=-1"], /--grace-hours must be a number of hours, 0 or more \(got "-1"\)/],
        [["--grace-hours", "1h"], /got "1h"/],
      ];
      for (const [args, why] of mistakes) {
        const { code, out, err } = await run(args, env);
        expect(code, args.join(" ")).to.equal(2);
        expect(err, args.join(" ")).to.match(why).and.to.include("npm run cases:orphans -- [--delete]");
        expect(out, args.join(" ")).to.equal("");
      }
      // A setting the service would refuse is refused here too.
      const unsigned = await run([], { ...env, CASE_FILES_S3_SECRET_ACCESS_KEY: "" });
      expect(unsigned.code).to.equal(2);
      expect(unsigned.err).to.match(/invalid service configuration: CASE_FILES_S3_SECRET_ACCESS_KEY/);
      expect(s3.requests).to.deep.equal([]);
      expect(existsSync(dataDir), "no database opened").to.equal(false);

      const help = await run(["--help"], env);
      expect(help).to.deep.include({ code: 0, err: "" });
      expect(help.out).to.match(/^npm run cases:orphans -- \[--delete\] \[--grace-hours N\]/);
    });

    it("says there is no bucket without CASE_FILES_S3_URL, and exits 0", async function () {
      const { code, out } = await run([], { WEBHOOK_SECRET_KEY: KEY, SERVICE_DATA_DIR: join(tmpdir(), "never") });
      expect(code).to.equal(0);
      expect(out).to.match(/^No bucket: CASE_FILES_S3_URL is not set/);
      expect(existsSync(join(tmpdir(), "never"))).to.equal(false);
    });

    it("prints what it finds in a dry run and deletes nothing; deletes the orphans with --delete", async function () {
      const env = await serviceEnv(bucketWithOrphans);
      const objects = [...s3.objects.keys()].sort();

      const dry = await run([], env);
      expect(dry).to.deep.include({ code: 0, err: "" });
      expect(dry.out.split("\n")).to.deep.equal([
        `Case files in ${env.CASE_FILES_S3_URL}:`,
        "  objects under case-files/            4",
        "  named by a row                       2",
        "  not named, under 1 h old             1  kept",
        "  orphans: not named, 1 h old or more  1",
        "  named by a row since the listing     0  not checked in a dry run",
        "  deleted                              0  dry run: --delete deletes the orphans",
        "",
        "Orphans:",
        `  ${orphanName(1)}`,
      ]);
      expect([...s3.objects.keys()].sort()).to.deep.equal(objects);
      expect(s3.requests.filter((r) => r.method === "DELETE")).to.deep.equal([]);

      // A quarter of an hour's grace: the half-hour-old one is an orphan too.
      const shorter = await run(["--grace-hours", "0.25"], env);
      expect(shorter.out).to.match(/orphans: not named, 0.25 h old or more +2\n/);
      expect(shorter.out).to.include(orphanName(2));

      const deleting = await run(["--delete"], env);
      expect(deleting).to.deep.include({ code: 0, err: "" });
      expect(deleting.out).to.match(/\n  deleted +1\n/);
      expect(deleting.out).to.include(`Orphans (deleted ones marked):\n  ${orphanName(1)}  deleted`);
      expect([...s3.objects.keys()].sort()).to.deep.equal(objects.filter((k) => k !== orphanName(1)));
    });

    it("exits 1 when the bucket fails or is down, or the database has no case files' table, and deletes nothing", async function () {
      const env = await serviceEnv(bucketWithOrphans);
      const objects = s3.objects.size;
      s3.fault = "error";
      const erring = await run(["--delete"], env);
      expect(erring.code).to.equal(1);
      expect(erring.err).to.equal(
        "cases:orphans: the bucket failed: case file storage refused to list: 500 InternalError; nothing was deleted",
      );
      await s3.down();
      const down = await run(["--delete"], env);
      expect(down.code).to.equal(1);
      expect(down.err).to.match(
        /^cases:orphans: the bucket failed: case file storage did not answer: .*nothing was deleted$/,
      );
      await s3.up();

      const unmigrated = await run(["--delete"], await serviceEnv(async () => {}, { migrated: false }));
      expect(unmigrated.code).to.equal(1);
      expect(unmigrated.err).to.match(/^cases:orphans: failed: .*case_attachments.*nothing was deleted$/);
      expect(s3.objects.size).to.equal(objects);
    });

    it("runs as a command of its own: its exit code and output reach the shell", async function () {
      const env = await serviceEnv(bucketWithOrphans);
      const command = (args: string[]) =>
        new Promise<{ code: number | null; out: string; err: string }>((resolve, reject) => {
          const child = spawn(process.execPath, ["--import", "tsx", "service/src/cases/orphans-command.ts", ...args], {
            env: { PATH: process.env.PATH ?? "", ...env },
            stdio: ["ignore", "pipe", "pipe"],
          });
          let out = "";
          let err = "";
          child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
          child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
          child.once("error", reject);
          child.once("close", (code) => resolve({ code, out, err }));
        });
      const wrong = await command(["--grace-hours", "x"]);
      expect(wrong.code).to.equal(2);
      expect(wrong.err).to.match(/--grace-hours must be a number of hours/);
      const done = await command(["--delete"]);
      expect(done.err).to.equal("");
      expect(done.code).to.equal(0);
      expect(done.out).to.match(/\n  deleted +1\n/);
      expect(s3.objects.has(orphanName(1))).to.equal(false);
    });
  });
}
