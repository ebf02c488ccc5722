import type { apiTokens } from "@elsehu/db";
import type { ApiScope } from "./scopes";

type ApiTokenRow = typeof apiTokens.$inferSelect;

/** A token as the console lists it: never its hash. */
export function publicApiToken(row: ApiTokenRow, now: Date) {
  const expired = row.expiresAt !== null && row.expiresAt.getTime() <= now.getTime();
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes as ApiScope[],
    ownerId: row.ownerId,
    expiresAt: row.expiresAt,
    lastUsedAt: row.lastUsedAt,
    lastUsedIp: row.lastUsedIp,
    revokedAt: row.revokedAt,
    createdAt: row.createdAt,
    status: row.revokedAt ? ("REVOKED" as const) : expired ? ("EXPIRED" as const) : ("ACTIVE" as const),
  };
}
export type PublicApiToken = ReturnType<typeof publicApiToken>;
