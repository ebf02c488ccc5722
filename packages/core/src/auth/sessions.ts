import { events, sessions, users } from "@elsehu/db";
import { and, desc, eq, gt, gte, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { publishEvent } from "../events/publish";
import type { CoreContext, Tx } from "../shared/context";
import { DomainError, notFound } from "../shared/errors";
import { anyText } from "../shared/sql-arrays";
import { DEFAULT_SESSION_MAX_AGE_SECONDS } from "./lucia";
import { hashPassword, verifyPassword } from "./password";

export const SESSION_ENDED = "session.ended";

/** Tells the user's open sockets that these sessions are over (delivered at commit). */
export async function announceSessionsEnded(tx: Tx, userId: string, sessionIds: string[] | "ALL", reason: string) {
  await publishEvent(tx, {
    kind: SESSION_ENDED,
    audience: { to: "USER", userId },
    payload: { userId, sessionIds, reason },
  });
}

export async function listSessions(ctx: CoreContext, userId: string, currentId: string) {
  const rows = await ctx.db
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, ctx.now())))
    .orderBy(desc(sessions.createdAt));
  return rows.map((s) => ({
    id: s.id.slice(0, 8),
    sessionId: s.id === currentId ? s.id : undefined,
    current: s.id === currentId,
    createdAt: s.createdAt,
    expiresAt: s.expiresAt,
    ip: s.ip,
    userAgent: s.userAgent,
  }));
}

/** Ends one of the user's own sessions, found by the short id `listSessions` shows. */
export async function revokeSession(ctx: CoreContext, userId: string, shortId: string) {
  await ctx.db.transaction(async (tx) => {
    const rows = await tx.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, userId));
    const match = rows.filter((r) => r.id.startsWith(shortId));
    if (match.length !== 1 || !match[0]) throw notFound("Session");
    await tx.delete(sessions).where(eq(sessions.id, match[0].id));
    await announceSessionsEnded(tx, userId, [match[0].id], "revoked");
  });
}

export async function logout(ctx: CoreContext, userId: string, sessionId: string) {
  await ctx.db.transaction(async (tx) => {
    await tx.delete(sessions).where(eq(sessions.id, sessionId));
    await announceSessionsEnded(tx, userId, [sessionId], "logout");
  });
}

export const ChangePasswordInput = z.object({
  currentPassword: z.string().min(1).max(256),
  newPassword: z.string().min(8, "The new password must have at least 8 characters").max(256),
});
export type ChangePasswordInput = z.infer<typeof ChangePasswordInput>;

/** Changes the password and ends every other session of the user. */
export async function changePassword(ctx: CoreContext, userId: string, sessionId: string, input: ChangePasswordInput) {
  const [user] = await ctx.db.select().from(users).where(eq(users.id, userId));
  if (!user) throw notFound("User");
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new DomainError("WRONG_CURRENT_PASSWORD", "The current password is wrong", { field: "currentPassword" });
  }
  const passwordHash = await hashPassword(input.newPassword);
  await ctx.db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, updatedAt: ctx.now() }).where(eq(users.id, userId));
    const ended = await tx
      .delete(sessions)
      .where(and(eq(sessions.userId, userId), ne(sessions.id, sessionId)))
      .returning({ id: sessions.id });
    if (ended.length > 0) {
      await announceSessionsEnded(
        tx,
        userId,
        ended.map((s) => s.id),
        "password_changed",
      );
    }
  });
}

type StateCtx = Pick<CoreContext, "db" | "now" | "config">;

/** When a session ends: its idle expiry or its absolute end (created_at + SESSION_MAX_AGE), whichever comes first. */
function endsAt(ctx: StateCtx) {
  const maxAge = ctx.config.sessionMaxAgeSeconds ?? DEFAULT_SESSION_MAX_AGE_SECONDS;
  return sql<Date>`least(${sessions.expiresAt}, ${sessions.createdAt} + make_interval(secs => ${maxAge}))`.mapWith(
    sessions.expiresAt,
  );
}

/** The state of each of these sessions: alive, expired (row past its expiry) or gone (row deleted). */
export async function sessionStates(ctx: StateCtx, ids: string[]) {
  const states = new Map<string, "alive" | "expired" | "gone">(ids.map((id) => [id, "gone"]));
  if (ids.length === 0) return states;
  const rows = await ctx.db
    .select({ id: sessions.id, expiresAt: endsAt(ctx) })
    .from(sessions)
    .where(anyText(sessions.id, ids));
  const now = ctx.now();
  for (const r of rows) states.set(r.id, r.expiresAt > now ? "alive" : "expired");
  return states;
}

/** "alive", "expired" (row still there, past its expiry) or "gone" (revoked, logged out, user cut off). */
export async function sessionState(ctx: StateCtx, id: string) {
  const [row] = await ctx.db
    .select({ expiresAt: endsAt(ctx) })
    .from(sessions)
    .where(eq(sessions.id, id));
  if (!row) return "gone" as const;
  return row.expiresAt > ctx.now() ? ("alive" as const) : ("expired" as const);
}

/** How far back `endedReason` looks for the announcement of a session's end. */
const ENDED_LOOKBACK_MS = 10 * 60 * 1000;

/**
 * Why a session that is gone ended ("revoked", "logout", "deactivated"…), read from its
 * recent `session.ended` announcement; "ended" when none is found (e.g. purged).
 */
export async function endedReason(ctx: Pick<CoreContext, "db" | "now">, userId: string, sessionId: string) {
  const since = new Date(ctx.now().getTime() - ENDED_LOOKBACK_MS);
  const [row] = await ctx.db
    .select({ reason: sql<string | null>`${events.payload}->>'reason'` })
    .from(events)
    .where(
      and(
        gte(events.createdAt, since),
        eq(events.kind, SESSION_ENDED),
        eq(events.userId, userId),
        sql`(${events.payload}->'sessionIds' = '"ALL"'::jsonb or ${events.payload}->'sessionIds' ? ${sessionId})`,
      ),
    )
    .orderBy(desc(events.id))
    .limit(1);
  return row?.reason ?? "ended";
}
