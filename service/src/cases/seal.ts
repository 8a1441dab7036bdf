import { createHash, createHmac, hkdfSync } from "node:crypto";

import { SecretBox } from "../webhooks/secrets.js";

/** Where in the bucket every case file's object is named (`CaseBox.fileName`), and nothing else is. */
export const CASE_FILES_PREFIX = "case-files/";

/**
 * Case content at rest: AES-256-GCM under a key derived from WEBHOOK_SECRET_KEY (HKDF-SHA256,
 * its own info string, so the webhook secrets' key and this one never coincide), the record's
 * hash bound as associated data (a sealed message moved to another row does not open). Without a
 * key (local mode only) content is stored as `plain:` text, as webhook secrets are.
 */
export class CaseBox {
  private readonly box: SecretBox;
  private readonly namesKey: Buffer | undefined;

  constructor(masterKey: Buffer | undefined) {
    const derive = (info: string) => Buffer.from(hkdfSync("sha256", masterKey!, Buffer.alloc(0), info, 32));
    this.box = new SecretBox(masterKey === undefined ? undefined : derive("emergency-station case content v1"));
    this.namesKey = masterKey === undefined ? undefined : derive("emergency-station case file names v1");
  }

  /**
   * The name a sealed file is stored under outside the database (object storage): an HMAC of what it
   * is bound to (sha256 and owner), so the bucket's operator learns neither; without a key (local
   * mode) a plain SHA-256 of it.
   */
  fileName(boundTo: string): string {
    const mac = this.namesKey === undefined ? createHash("sha256") : createHmac("sha256", this.namesKey);
    return `${CASE_FILES_PREFIX}${mac.update(boundTo).digest("hex")}`;
  }

  sealText(text: string, boundTo: string): string {
    return this.box.seal(text, boundTo);
  }
  openText(sealed: string, boundTo: string): string {
    return this.box.open(sealed, boundTo);
  }
  sealBytes(bytes: Uint8Array, boundTo: string): string {
    return this.box.seal(Buffer.from(bytes).toString("base64"), boundTo);
  }
  openBytes(sealed: string, boundTo: string): Buffer {
    return Buffer.from(this.box.open(sealed, boundTo), "base64");
  }
}
