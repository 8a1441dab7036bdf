/**
 * Case files in object storage: an S3-compatible bucket (AWS S3, MinIO, Cloudflare R2, …) that
 * holds each uploaded file sealed exactly as the database would (`CaseBox.sealBytes`, bound to the
 * file's sha256 and owner), under a name that says neither (`CaseBox.fileName`). The database keeps
 * the file's hash, owner, type and size, and where its bytes are (`case_attachments.stored_in`).
 * Requests are signed with AWS Signature Version 4 (aws4fetch) and addressed path-style, the bucket
 * in CASE_FILES_S3_URL, so any S3-compatible service works without DNS per bucket.
 */
import { createHash } from "node:crypto";

import { AwsClient } from "aws4fetch";
import { XMLParser } from "fast-xml-parser";

export type ObjectStoreConfig = {
  /** The bucket's URL, path-style: `https://s3.eu-central-1.amazonaws.com/station-case-files`. */
  url: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Per request, retries included. */
  timeoutMs: number;
};

/** The bucket did not answer, or answered with an error: nothing was stored, read, listed or deleted. */
export class StorageUnavailable extends Error {}

/** One page of a listing: its objects in the bucket's order, and where the next page starts (none after the last). */
export type ObjectPage = {
  objects: Array<{ key: string; lastModified: Date }>;
  continuationToken: string | undefined;
};

/** Where the service keeps sealed case files when CASE_FILES_S3_URL is set. */
export class ObjectStore {
  private readonly client: AwsClient;
  private readonly base: string;

  constructor(private readonly o: ObjectStoreConfig) {
    this.client = new AwsClient({
      accessKeyId: o.accessKeyId,
      secretAccessKey: o.secretAccessKey,
      service: "s3",
      region: o.region,
      // aws4fetch retries 5xx answers and throttling with backoff; two retries keep an upload's
      // wait well inside the timeout.
      retries: 2,
      initRetryMs: 100,
    });
    this.base = o.url.replace(/\/+$/, "");
  }

  async put(name: string, sealed: string): Promise<void> {
    const res = await this.send("PUT", `/${name}`, sealed);
    if (!res.ok) throw await failure("store", res);
    await res.body?.cancel();
  }

  /** The sealed file, or undefined when the bucket has no such object. */
  async get(name: string): Promise<string | undefined> {
    const res = await this.send("GET", `/${name}`);
    if (res.status === 404) {
      await res.body?.cancel();
      return undefined;
    }
    if (!res.ok) throw await failure("read", res);
    return res.text();
  }

  /** Deleting an object that is not there succeeds (S3 answers 204 for it too). */
  async delete(name: string): Promise<void> {
    const res = await this.send("DELETE", `/${name}`);
    if (!res.ok && res.status !== 404) throw await failure("delete", res);
    await res.body?.cancel();
  }

  /**
   * One page (up to 1,000 objects) of the objects whose names start with `prefix`: S3's
   * ListObjectsV2, continued from the token the previous page gave.
   */
  async list(prefix: string, continuationToken?: string): Promise<ObjectPage> {
    const params: Array<[string, string]> = [
      ["list-type", "2"],
      ["prefix", prefix],
    ];
    if (continuationToken !== undefined) params.push(["continuation-token", continuationToken]);
    // Percent-encoded by hand: URLSearchParams would send a space as "+".
    const query = params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&");
    const res = await this.send("GET", `?${query}`);
    if (!res.ok) throw await failure("list", res);
    const xml = await res.text().catch((err: unknown) => {
      throw new StorageUnavailable(`case file storage did not finish its listing: ${(err as Error).message}`);
    });
    return parseListing(xml);
  }

  /** `target` follows the bucket's URL: `/<object name>`, or `?<query>` for the bucket itself. */
  private async send(method: "PUT" | "GET" | "DELETE", target: string, body?: string): Promise<Response> {
    try {
      return await this.client.fetch(`${this.base}${target}`, {
        method,
        body,
        // Signed with its payload's hash (aws4fetch would send UNSIGNED-PAYLOAD): the bucket refuses
        // a body changed on the way.
        headers: {
          "x-amz-content-sha256": createHash("sha256")
            .update(body ?? "")
            .digest("hex"),
          ...(body === undefined ? {} : { "content-type": "text/plain; charset=utf-8" }),
        },
        signal: AbortSignal.timeout(this.o.timeoutMs),
      });
    } catch (err) {
      throw new StorageUnavailable(`case file storage did not answer: ${(err as Error).message}`);
    }
  }
}

const listingParser = new XMLParser({
  // Keys are text as they are: "0012" is not a number, " a " keeps its spaces.
  parseTagValue: false,
  trimValues: false,
  // The option's name is historical: it is what decodes numeric character references (&#13;),
  // which XML defines and S3 uses for characters a key may hold and XML text may not.
  htmlEntities: true,
  isArray: (name) => name === "Contents",
});

/** A ListObjectsV2 answer (`<ListBucketResult>`), or StorageUnavailable when it is not one. */
export function parseListing(xml: string): ObjectPage {
  const notAListing = (why: string) => new StorageUnavailable(`case file storage answered a listing ${why}`);
  let parsed: unknown;
  try {
    parsed = listingParser.parse(xml);
  } catch (err) {
    throw notAListing(`that is not XML: ${(err as Error).message}`);
  }
  const result = (parsed as { ListBucketResult?: unknown } | undefined)?.ListBucketResult;
  if (typeof result !== "object" || result === null) throw notAListing("without a ListBucketResult");
  const { Contents, IsTruncated, NextContinuationToken } = result as {
    Contents?: unknown[];
    IsTruncated?: unknown;
    NextContinuationToken?: unknown;
  };
  const objects = (Contents ?? []).map((entry) => {
    const { Key, LastModified } = (entry ?? {}) as { Key?: unknown; LastModified?: unknown };
    if (typeof Key !== "string" || Key === "") throw notAListing("with an object without a key");
    const lastModified = new Date(typeof LastModified === "string" ? LastModified.trim() : NaN);
    if (Number.isNaN(lastModified.getTime())) throw notAListing(`without a time for ${JSON.stringify(Key)}`);
    return { key: Key, lastModified };
  });
  const truncated = typeof IsTruncated === "string" && IsTruncated.trim() === "true";
  if (!truncated) return { objects, continuationToken: undefined };
  // Stopping here would pass the rest of the bucket over in silence.
  if (typeof NextContinuationToken !== "string" || NextContinuationToken.trim() === "") {
    throw notAListing("that is truncated and says nowhere to continue");
  }
  return { objects, continuationToken: NextContinuationToken.trim() };
}

async function failure(what: string, res: Response): Promise<StorageUnavailable> {
  // S3 explains an error in an XML body's <Code>; keep that, not the body.
  const code = /<Code>([^<]{1,64})<\/Code>/.exec(await res.text().catch(() => ""))?.[1];
  return new StorageUnavailable(`case file storage refused to ${what}: ${res.status}${code ? ` ${code}` : ""}`);
}
