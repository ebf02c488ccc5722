import { sessions } from "@elsehu/db";
import { and, eq, sql } from "drizzle-orm";
import type { CoreContext } from "../shared/context";
import { anyText } from "../shared/sql-arrays";
import { announceSessionsEnded } from "./sessions";

export const DEFAULT_SESSION_MAX_PER_USER = 10;

/**
 * Keeps at most `sessionMaxPerUser` sessions per user: the oldest ones beyond
 * the cap end (their sockets are told, reason `session_limit`). Runs right
 * after a login, so the session just opened is never the one that ends.
 */
export async function capUserSessions(ctx: Pick<CoreContext, "db" | "config">, userId: string): Promise<number> {
  const keep = ctx.config.sessionMaxPerUser ?? DEFAULT_SESSION_MAX_PER_USER;
  return ctx.db.transaction(async (tx) => {
    // One login at a time per user decides who is over the cap.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('sessions:' || ${userId}))`);
    const over = await tx
      .select({ id: sessions.id })
      .from(sessions)
      .where(eq(sessions.userId, userId))
      .orderBy(sql`${sessions.createdAt} desc, ${sessions.id}`)
      .offset(keep);
    if (over.length === 0) return 0;
    const ids = over.map((s) => s.id);
    await tx.delete(sessions).where(and(eq(sessions.userId, userId), anyText(sessions.id, ids)));
    await announceSessionsEnded(tx, userId, ids, "session_limit");
    return ids.length;
  });
}
