import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { bug } from "./errors";

/** AES-256-GCM: `v1.<iv>.<tag>.<ciphertext>` in base64url. Used for provider secrets at rest. */
export function encryptJson(key: Buffer, value: unknown): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const data = Buffer.concat([cipher.update(JSON.stringify(value), "utf8"), cipher.final()]);
  return ["v1", iv, cipher.getAuthTag(), data]
    .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
    .join(".");
}

export function decryptJson<T>(key: Buffer, blob: string): T {
  const [version, iv, tag, data] = blob.split(".");
  if (version !== "v1" || !iv || !tag || !data) throw bug("Unknown secret format");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  const text = Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
  return JSON.parse(text) as T;
}
