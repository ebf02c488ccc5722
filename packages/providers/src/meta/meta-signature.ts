import { createHmac, timingSafeEqual } from "node:crypto";

/** `sha256=<hex>` of HMAC-SHA256(appSecret, raw body), the X-Hub-Signature-256 value. */
export function signMetaBody(rawBody: string | Uint8Array, appSecret: string): string {
  return `sha256=${createHmac("sha256", appSecret).update(rawBody).digest("hex")}`;
}

/**
 * Checks X-Hub-Signature-256 over the RAW bytes: re-serialised JSON (unicode or `\/`
 * escapes) would not match. Constant-time; false on any malformed header.
 */
export function verifyMetaSignature(
  rawBody: string | Uint8Array,
  header: string | undefined,
  appSecret: string,
): boolean {
  if (!header || !appSecret) return false;
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header.trim());
  if (!match?.[1]) return false;
  const expected = createHmac("sha256", appSecret).update(rawBody).digest();
  const received = Buffer.from(match[1], "hex");
  return received.length === expected.length && timingSafeEqual(received, expected);
}

export type MetaChallengeQuery = Record<string, string | undefined>;

/**
 * The GET handshake: returns the `hub.challenge` to echo with HTTP 200 when the mode is
 * `subscribe` and the token matches, otherwise null (answer 403).
 */
export function verifyMetaChallenge(query: MetaChallengeQuery, verifyToken: string): string | null {
  const mode = query["hub.mode"];
  const token = query["hub.verify_token"];
  const challenge = query["hub.challenge"];
  if (mode !== "subscribe" || !token || !challenge || !verifyToken) return null;
  const a = Buffer.from(token);
  const b = Buffer.from(verifyToken);
  return a.length === b.length && timingSafeEqual(a, b) ? challenge : null;
}
