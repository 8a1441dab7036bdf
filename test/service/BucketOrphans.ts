/**
 * Objects in the case-file bucket that no row names: the bucket's listing (ObjectStore.list,
 * against the signature-checking FakeS3), the orphans found and deleted (reconcile.ts) on each
 * database engine, and the operator's command (`npm run cases:orphans`).
 */
import { expect } from "chai";

import { loadConfig } from "../../service/src/config.js";
import { ObjectStore, parseListing, StorageUnavailable } from "../../service/src/cases/files.js";
import { FakeS3 } from "./fakeS3.js";

const KEY = "44".repeat(32);

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
