import { hkdfSync } from "node:crypto";

import { SecretBox } from "../webhooks/secrets.js";

/**
 * Case content at rest: AES-256-GCM under a key derived from WEBHOOK_SECRET_KEY (HKDF-SHA256,
 * its own info string, so the webhook secrets' key and this one never coincide), the record's
 * hash bound as associated data (a sealed message moved to another row does not open). Without a
 * key (local mode only) content is stored as `plain:` text, as webhook secrets are.
 */
export class CaseBox {
  private readonly box: SecretBox;

  constructor(masterKey: Buffer | undefined) {
    this.box = new SecretBox(
      masterKey === undefined
        ? undefined
        : Buffer.from(hkdfSync("sha256", masterKey, Buffer.alloc(0), "emergency-station case content v1", 32)),
    );
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
