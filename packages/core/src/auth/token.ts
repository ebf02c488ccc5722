import { createHash, randomBytes } from "node:crypto";

/** A fresh session token: 32 random bytes, base64url (43 characters). Only the client keeps it. */
export function newSessionToken(): string {
  return randomBytes(32).toString("base64url");
}

/** The session id stored for a token: its SHA-256, hex. The token itself is never stored. */
export function sessionIdOf(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
