import { apiTokens, users } from "@elsehu/db";
import { and, eq, isNull, lt, or } from "drizzle-orm";
import { sessionIdOf } from "../auth/token";
import type { Actor, CoreContext } from "../shared/context";
import { DomainError } from "../shared/errors";
import { API_TOKEN_PREFIX, type ApiScope } from "./scopes";

/** `last_used_at` is written at most this often per token, not on every call. */
const LAST_USED_EVERY_MS = 60_000;

export type ApiCaller = {
  token: { id: string; name: string; scopes: ApiScope[] };
  /** The token's owner, whose role (and isolation rules) every call still goes through. */
  actor: Actor;
};

const invalid = () => new DomainError("API_TOKEN_INVALID", "Missing, unknown, expired or revoked API token");

/**
 * The caller behind a bearer token: an unrevoked, unexpired token whose owner is
 * still active. One indexed lookup by the token's SHA-256; marks its last use.
 */
export async function authenticateApiToken(
  ctx: Pick<CoreContext, "db" | "now">,
  token: string | undefined,
  ip: string,
): Promise<ApiCaller> {
  if (!token?.startsWith(API_TOKEN_PREFIX) || token.length > 200) throw invalid();
  const [row] = await ctx.db
    .select({ token: apiTokens, owner: users })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.ownerId))
    .where(eq(apiTokens.tokenHash, sessionIdOf(token)));
  const now = ctx.now();
  // A token holds an admin's rights: it stops working when its owner is deactivated or no longer an admin.
  if (!row || row.token.revokedAt || !row.owner.active || row.owner.role !== "ADMIN") throw invalid();
  if (row.token.expiresAt && row.token.expiresAt.getTime() <= now.getTime()) throw invalid();
  const last = row.token.lastUsedAt?.getTime() ?? 0;
  if (now.getTime() - last >= LAST_USED_EVERY_MS || row.token.lastUsedIp !== ip) {
    await ctx.db
      .update(apiTokens)
      .set({ lastUsedAt: now, lastUsedIp: ip })
      .where(and(eq(apiTokens.id, row.token.id), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, now))));
  }
  return {
    token: { id: row.token.id, name: row.token.name, scopes: row.token.scopes as ApiScope[] },
    actor: { id: row.owner.id, role: row.owner.role, name: row.owner.name },
  };
}
