import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * A new subscription secret in the Standard Webhooks form: `whsec_` and 32 random bytes in base64
 * (the bytes are the HMAC key). Shown to the subscriber once.
 */
export function generateSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

/**
 * Subscription secrets at rest. The sender must be able to sign, so a secret cannot be hashed;
 * with a key (WEBHOOK_SECRET_KEY, required in production) it is sealed with AES-256-GCM, the
 * subscription id bound as associated data so a sealed secret copied to another row does not
 * open. Without a key (local mode only) it is stored as `plain:<secret>`.
 *
 * Formats: `enc:v1:<base64(iv 12 bytes | ciphertext | tag 16 bytes)>`, `plain:<secret>`.
 */
export class SecretBox {
  constructor(private readonly key: Buffer | undefined) {
    if (key !== undefined && key.length !== 32) throw new Error("secret key must be 32 bytes");
  }

  seal(secret: string, subscriptionId: string): string {
    if (this.key === undefined) return `plain:${secret}`;
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    cipher.setAAD(Buffer.from(subscriptionId, "utf8"));
    const ciphertext = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
    return `enc:v1:${Buffer.concat([iv, ciphertext, cipher.getAuthTag()]).toString("base64")}`;
  }

  /** The secret, or throws when it cannot be opened (no key, another key, tampered). */
  open(stored: string, subscriptionId: string): string {
    if (stored.startsWith("plain:")) return stored.slice("plain:".length);
    if (!stored.startsWith("enc:v1:")) throw new Error("unknown secret format");
    if (this.key === undefined) throw new Error("secret is encrypted but WEBHOOK_SECRET_KEY is not set");
    const raw = Buffer.from(stored.slice("enc:v1:".length), "base64");
    const iv = raw.subarray(0, 12);
    const tag = raw.subarray(raw.length - 16);
    const decipher = createDecipheriv("aes-256-gcm", this.key, iv);
    decipher.setAAD(Buffer.from(subscriptionId, "utf8"));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString("utf8");
  }
}
