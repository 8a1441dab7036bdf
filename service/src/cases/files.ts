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

export type ObjectStoreConfig = {
  /** The bucket's URL, path-style: `https://s3.eu-central-1.amazonaws.com/station-case-files`. */
  url: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Per request, retries included. */
  timeoutMs: number;
};

/** The bucket did not answer, or answered with an error: nothing was stored, read or deleted. */
export class StorageUnavailable extends Error {}

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
    const res = await this.send("PUT", name, sealed);
    if (!res.ok) throw await failure("store", res);
    await res.body?.cancel();
  }

  /** The sealed file, or undefined when the bucket has no such object. */
  async get(name: string): Promise<string | undefined> {
    const res = await this.send("GET", name);
    if (res.status === 404) {
      await res.body?.cancel();
      return undefined;
    }
    if (!res.ok) throw await failure("read", res);
    return res.text();
  }

  /** Deleting an object that is not there succeeds (S3 answers 204 for it too). */
  async delete(name: string): Promise<void> {
    const res = await this.send("DELETE", name);
    if (!res.ok && res.status !== 404) throw await failure("delete", res);
    await res.body?.cancel();
  }

  private async send(method: "PUT" | "GET" | "DELETE", name: string, body?: string): Promise<Response> {
    try {
      return await this.client.fetch(`${this.base}/${name}`, {
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

async function failure(what: string, res: Response): Promise<StorageUnavailable> {
  // S3 explains an error in an XML body's <Code>; keep that, not the body.
  const code = /<Code>([^<]{1,64})<\/Code>/.exec(await res.text().catch(() => ""))?.[1];
  return new StorageUnavailable(`case file storage refused to ${what}: ${res.status}${code ? ` ${code}` : ""}`);
}
