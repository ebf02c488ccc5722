import { createHash, timingSafeEqual } from "node:crypto";

const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();

/**
 * Whether `Authorization: Bearer <token>` carries `expected`, compared in
 * constant time: both sides are hashed first, so neither the token's bytes
 * nor its length show in how long the answer takes.
 */
export function bearerMatches(authorization: string | undefined, expected: string): boolean {
  const given = authorization?.startsWith("Bearer ") ? authorization.slice(7) : "";
  return timingSafeEqual(digest(given), digest(expected)) && given.length > 0;
}
