/**
 * An S3-compatible bucket for tests, on 127.0.0.1: PUT, GET and DELETE of objects, path-style
 * (`/<bucket>/<key>`), and ListObjectsV2 (`GET /<bucket>?list-type=2`), each request's AWS
 * Signature Version 4 checked here against the one secret it knows (recomputed with node:crypto,
 * not with the client's library), and faults on demand: answering 500, or refusing connections.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export const S3_ACCESS_KEY_ID = "STATIONTESTKEY";
export const S3_SECRET = "station-test-secret";
export const S3_REGION = "eu-test-1";
const BUCKET = "case-files";

export class FakeS3 {
  readonly objects = new Map<string, Buffer>();
  /**
   * Each object's last-modified time, set by a PUT (`age` moves it back). An object a test put in
   * `objects` directly is listed as modified just now.
   */
  readonly lastModified = new Map<string, Date>();
  /** The most objects one listing page holds (S3's is 1,000); a request's max-keys may ask for fewer. */
  maxKeys = 1000;
  /** Every request: method, key and the status answered. */
  readonly requests: Array<{ method: string; key: string; status: number }> = [];
  /** "error": every request answers 500 InternalError; "down": the port refuses connections. */
  fault: "error" | "down" | undefined;
  /** Runs while a PUT is held, before its object is stored (to interleave something with an upload). */
  duringPut: (() => Promise<void>) | undefined;
  private server: Server | undefined;
  private port = 0;

  /** The env that points the service at this bucket. */
  env(secret = S3_SECRET): Record<string, string> {
    return {
      CASE_FILES_S3_URL: `http://127.0.0.1:${this.port}/${BUCKET}`,
      CASE_FILES_S3_REGION: S3_REGION,
      CASE_FILES_S3_ACCESS_KEY_ID: S3_ACCESS_KEY_ID,
      CASE_FILES_S3_SECRET_ACCESS_KEY: secret,
      CASE_FILES_S3_TIMEOUT_MS: "2000",
    };
  }

  /** Makes an object look `seconds` older than its last-modified time (now, if it has none). */
  age(key: string, seconds: number): void {
    if (!this.objects.has(key)) throw new Error(`no object ${key}`);
    const from = this.lastModified.get(key)?.getTime() ?? Date.now();
    this.lastModified.set(key, new Date(from - seconds * 1000));
  }

  async start(): Promise<void> {
    await this.listen();
  }

  /** Stops listening (connections are refused) until `up()`. */
  async down(): Promise<void> {
    await this.close();
    this.fault = "down";
  }

  async up(): Promise<void> {
    this.fault = undefined;
    if (this.server === undefined) await this.listen();
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async listen(): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => server.listen(this.port, "127.0.0.1", resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? "/", "http://x");
    const key = decodeURIComponent(url.pathname.slice(`/${BUCKET}/`.length));
    const answer = (status: number, code?: string, payload?: Buffer) => {
      this.requests.push({ method: req.method ?? "", key, status });
      if (code !== undefined) {
        res.writeHead(status, { "content-type": "application/xml" });
        res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code></Error>`);
      } else {
        res.writeHead(status);
        res.end(payload);
      }
    };
    if (this.fault === "error") return answer(500, "InternalError");
    const bucketItself = url.pathname === `/${BUCKET}` || url.pathname === `/${BUCKET}/`;
    if (!bucketItself && (!url.pathname.startsWith(`/${BUCKET}/`) || key === "")) return answer(404, "NoSuchBucket");
    const problem = signatureProblem(req, url, body);
    if (problem !== undefined) return answer(403, problem);
    if (bucketItself) {
      if (req.method !== "GET") return answer(405, "MethodNotAllowed");
      if (url.searchParams.get("list-type") !== "2") return answer(400, "InvalidArgument");
      const page = this.listPage(url.searchParams);
      return page === undefined ? answer(400, "InvalidArgument") : answer(200, undefined, Buffer.from(page));
    }
    switch (req.method) {
      case "PUT":
        await this.duringPut?.();
        this.objects.set(key, body);
        this.lastModified.set(key, new Date());
        return answer(200);
      case "GET": {
        const object = this.objects.get(key);
        return object === undefined ? answer(404, "NoSuchKey") : answer(200, undefined, object);
      }
      case "DELETE":
        this.objects.delete(key);
        this.lastModified.delete(key);
        return answer(204);
      default:
        return answer(405, "MethodNotAllowed");
    }
  }

  /**
   * A ListObjectsV2 page as S3 writes it: keys in UTF-8 byte order, each with its LastModified in
   * ISO 8601; a continuation token that is opaque to the client (here the last key listed, in
   * base64, so it holds "+", "/" and "=" as S3's do); undefined for a malformed request.
   */
  private listPage(params: URLSearchParams): string | undefined {
    const prefix = params.get("prefix") ?? "";
    const asked = params.get("max-keys");
    const maxKeys = asked === null ? this.maxKeys : Math.min(Number(asked), this.maxKeys);
    if (!Number.isInteger(maxKeys) || maxKeys < 0) return undefined;
    const token = params.get("continuation-token");
    let after: Buffer | undefined;
    if (token !== null) {
      if (!/^[A-Za-z0-9+/]+={0,2}$/.test(token)) return undefined;
      after = Buffer.from(token, "base64");
    }
    const keys = [...this.objects.keys()]
      .filter((k) => k.startsWith(prefix))
      .map((k) => Buffer.from(k))
      .sort(Buffer.compare)
      .filter((k) => after === undefined || Buffer.compare(k, after) > 0);
    const page = keys.slice(0, maxKeys);
    const truncated = keys.length > page.length;
    const contents = page.map((k) => {
      const key = k.toString();
      const modified = this.lastModified.get(key) ?? new Date();
      const etag = `"${createHash("md5").update(this.objects.get(key)!).digest("hex")}"`;
      return (
        `<Contents><Key>${xmlText(key)}</Key><LastModified>${modified.toISOString()}</LastModified>` +
        `<ETag>${xmlText(etag)}</ETag><Size>${this.objects.get(key)!.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`
      );
    });
    return (
      `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
      `<Name>${BUCKET}</Name><Prefix>${xmlText(prefix)}</Prefix><KeyCount>${page.length}</KeyCount>` +
      `<MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>` +
      (token === null ? "" : `<ContinuationToken>${xmlText(token)}</ContinuationToken>`) +
      contents.join("") +
      (truncated ? `<NextContinuationToken>${page.at(-1)!.toString("base64")}</NextContinuationToken>` : "") +
      `</ListBucketResult>`
    );
  }
}

/** Text in XML as S3 escapes it: the five markup characters by name, control characters by number. */
function xmlText(text: string): string {
  const named: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };
  return text.replace(/[&<>"'\u0000-\u001f]/g, (c) => named[c] ?? `&#${c.charCodeAt(0)};`);
}

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
const hmac = (key: string | Buffer, data: string) => createHmac("sha256", key).update(data).digest();

/** Why the request's SigV4 signature does not hold, or undefined when it does. */
function signatureProblem(req: IncomingMessage, url: URL, body: Buffer): string | undefined {
  const auth = /^AWS4-HMAC-SHA256 Credential=([^,]+), ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
    String(req.headers.authorization ?? ""),
  );
  if (auth === null) return "AccessDenied";
  const [, credential, signedHeaders, signature] = auth as unknown as [string, string, string, string];
  const [keyId, date, region, service, terminal] = credential.split("/");
  if (keyId !== S3_ACCESS_KEY_ID) return "InvalidAccessKeyId";
  if (region !== S3_REGION || service !== "s3" || terminal !== "aws4_request") return "AuthorizationHeaderMalformed";
  const amzDate = String(req.headers["x-amz-date"] ?? "");
  if (!amzDate.startsWith(date ?? "-")) return "AuthorizationHeaderMalformed";
  const payloadHash = String(req.headers["x-amz-content-sha256"] ?? "");
  if (payloadHash !== sha256(body)) return "XAmzContentSHA256Mismatch";
  const names = signedHeaders.split(";");
  if (!names.includes("host") || !names.includes("x-amz-date")) return "AccessDenied";
  const canonicalRequest = [
    req.method,
    url.pathname,
    [...url.searchParams]
      .sort()
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
      .join("&"),
    names.map((n) => `${n}:${String(req.headers[n] ?? "").trim()}\n`).join(""),
    signedHeaders,
    payloadHash,
  ].join("\n");
  const scope = `${date}/${region}/s3/aws4_request`;
  const toSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonicalRequest)].join("\n");
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${S3_SECRET}`, date!), region!), "s3"), "aws4_request");
  const expected = createHmac("sha256", signingKey).update(toSign).digest();
  return timingSafeEqual(expected, Buffer.from(signature, "hex")) ? undefined : "SignatureDoesNotMatch";
}
