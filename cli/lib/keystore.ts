/**
 * Signing keys from Hardhat's keystore (`npx hardhat keystore set <NAME>`), for the `station` CLI.
 *
 * The keystore is the production keystore of @nomicfoundation/hardhat-keystore: one JSON file
 * (`keystore.json` in Hardhat's config directory — `npx hardhat keystore path` prints it) whose
 * secrets are encrypted with a key derived from a password (scrypt, AES-GCM-SIV, HMAC-SHA-256
 * over the whole file). It is read here with the plugin's own code, so the format is never
 * re-implemented. The password comes from STATION_KEYSTORE_PASSWORD (scripts, CI) or is asked
 * at the terminal without echo; it is never an argument.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { type Hex, isHex } from "viem";

/** A keystore problem, worded for the person at the terminal. */
export class KeystoreError extends Error {
  override name = "KeystoreError";
}

/** Asks for a secret (the keystore password); undefined where there is no terminal to ask at. */
export type SecretPrompt = (question: string) => Promise<string>;

type SerializedEncryptedData = { iv: string; cypherText: string };
type EncryptedKeystore = { version: string; secrets: Record<string, SerializedEncryptedData>; hmac: string };

/** The part of the plugin's internal/keystores/encryption.js used here. */
type KeystoreEncryption = {
  KEYSTORE_VERSION: string;
  deriveMasterKeyFromKeystore(args: { password: string; encryptedKeystore: EncryptedKeystore }): Uint8Array;
  decryptSecret(args: { masterKey: Uint8Array; encryptedKeystore: EncryptedKeystore; key: string }): string;
};

/**
 * Hardhat's config directory, as @nomicfoundation/hardhat-utils finds it (env-paths for
 * "hardhat"): $XDG_CONFIG_HOME/hardhat-nodejs or ~/.config/hardhat-nodejs on Linux,
 * ~/Library/Preferences/hardhat-nodejs on macOS, %APPDATA%\hardhat-nodejs\Config on Windows.
 */
export function hardhatConfigDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string {
  const home = (platform === "win32" ? env.USERPROFILE : env.HOME) || os.homedir();
  const name = "hardhat-nodejs";
  if (platform === "darwin") return path.join(home, "Library", "Preferences", name);
  if (platform === "win32") return path.join(env.APPDATA || path.join(home, "AppData", "Roaming"), name, "Config");
  return path.join(env.XDG_CONFIG_HOME || path.join(home, ".config"), name);
}

/** STATION_KEYSTORE_FILE, else Hardhat's production keystore file. */
export function keystoreFile(env: NodeJS.ProcessEnv): string {
  return env.STATION_KEYSTORE_FILE || path.join(hardhatConfigDir(env), "keystore.json");
}

async function loadEncryption(): Promise<KeystoreEncryption> {
  // The plugin exports only its Hardhat hooks; its encryption module sits beside the entry point.
  try {
    const entry = createRequire(import.meta.url).resolve("@nomicfoundation/hardhat-keystore");
    const file = path.join(path.dirname(entry), "internal", "keystores", "encryption.js");
    return (await import(pathToFileURL(file).href)) as KeystoreEncryption;
  } catch (error) {
    throw new KeystoreError(
      `cannot load Hardhat's keystore code from @nomicfoundation/hardhat-keystore (${(error as Error).message}); ` +
        "run npm ci, or use STATION_PRIVATE_KEY",
    );
  }
}

/**
 * The private key stored under `name` in the keystore. Key names are stored in clear, so a
 * missing name is reported before any password is asked.
 */
export async function keyFromKeystore(name: string, env: NodeJS.ProcessEnv, prompt?: SecretPrompt): Promise<Hex> {
  const file = keystoreFile(env);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new KeystoreError(
        `no Hardhat keystore at ${file}: create it with \`npx hardhat keystore set ${name}\`` +
          (env.STATION_KEYSTORE_FILE ? " or fix STATION_KEYSTORE_FILE" : " (or point STATION_KEYSTORE_FILE at one)"),
      );
    }
    throw new KeystoreError(`cannot read the Hardhat keystore ${file}: ${(error as Error).message}`);
  }
  const encryption = await loadEncryption();
  let keystore: EncryptedKeystore;
  try {
    keystore = JSON.parse(text) as EncryptedKeystore;
  } catch {
    throw new KeystoreError(`${file} is not a Hardhat keystore (not JSON)`);
  }
  if (keystore?.version !== encryption.KEYSTORE_VERSION || typeof keystore.secrets !== "object") {
    throw new KeystoreError(
      `${file} is not a Hardhat keystore of version ${encryption.KEYSTORE_VERSION} (found ${String(keystore?.version)})`,
    );
  }
  const names = Object.keys(keystore.secrets);
  if (!names.includes(name)) {
    throw new KeystoreError(
      `the Hardhat keystore ${file} has no key "${name}" (it has: ${names.length ? names.join(", ") : "none"}); ` +
        `add it with \`npx hardhat keystore set ${name}\``,
    );
  }

  let password = env.STATION_KEYSTORE_PASSWORD;
  if (password === undefined) {
    if (prompt === undefined) {
      throw new KeystoreError(
        "the keystore needs its password: set STATION_KEYSTORE_PASSWORD, or run in a terminal to be asked for it",
      );
    }
    password = await prompt(`Password of the Hardhat keystore ${file}: `);
  }

  let value: string;
  try {
    const masterKey = encryption.deriveMasterKeyFromKeystore({ password, encryptedKeystore: keystore });
    value = encryption.decryptSecret({ masterKey, encryptedKeystore: keystore, key: name });
  } catch (error) {
    const kind = (error as Error).name;
    if (kind === "HmacKeyDecryptionError") {
      throw new KeystoreError(`wrong password for the Hardhat keystore ${file} (or the file is damaged)`);
    }
    if (kind === "InvalidHmacError" || kind === "DecryptionError") {
      throw new KeystoreError(`the Hardhat keystore ${file} fails its integrity check: it was changed outside Hardhat`);
    }
    throw new KeystoreError(`cannot read key "${name}" from the Hardhat keystore ${file}: ${(error as Error).message}`);
  }
  const key = value.trim().startsWith("0x") ? value.trim() : `0x${value.trim()}`;
  if (!isHex(key) || key.length !== 66) {
    throw new KeystoreError(`the keystore value "${name}" is not a private key (expected 32 bytes of hex)`);
  }
  return key;
}

/**
 * Reads a line from a terminal without echoing it (raw mode: Enter ends, Backspace deletes,
 * Ctrl-C cancels). `input` need not be a TTY (tests pass a stream).
 */
export function askSecret(
  question: string,
  input: NodeJS.ReadableStream & { setRawMode?: (raw: boolean) => unknown } = process.stdin,
  output: NodeJS.WritableStream = process.stderr,
): Promise<string> {
  return new Promise((resolve, reject) => {
    output.write(question);
    input.setRawMode?.(true);
    input.setEncoding("utf8");
    input.resume();
    let value = "";
    const finish = (error?: Error) => {
      input.off("data", onData);
      input.off("end", onEnd);
      input.setRawMode?.(false);
      input.pause();
      output.write("\n");
      if (error) reject(error);
      else resolve(value);
    };
    const onEnd = () => finish(new KeystoreError("no password given (input closed)"));
    const onData = (chunk: string | Buffer) => {
      for (const ch of String(chunk)) {
        if (ch === "\r" || ch === "\n") return finish();
        if (ch === "\u0003") return finish(new KeystoreError("cancelled"));
        if (ch === "\u007f" || ch === "\b") value = [...value].slice(0, -1).join("");
        else if (ch >= " ") value += ch;
      }
    };
    input.on("data", onData);
    input.on("end", onEnd);
  });
}
