import { type Db, sessions, users } from "@elsehu/db";
import { and, eq, lte, sql } from "drizzle-orm";
import { type Adapter, type DatabaseSession, type DatabaseUser, Lucia, TimeSpan } from "lucia";
import { newSessionToken, sessionIdOf } from "./token";

type Role = "ADMIN" | "SUPERVISOR" | "OPERATOR";
type UserAttrs = { name: string; email: string; role: Role; active: boolean };
type SessionAttrs = { ip?: string; userAgent?: string; createdAt?: Date };

/** The earlier of `expiresAt` and the session's absolute end (`createdAt + maxAgeMs`). */
function capped(expiresAt: Date, createdAt: Date, maxAgeMs: number): Date {
  const end = createdAt.getTime() + maxAgeMs;
  return expiresAt.getTime() <= end ? expiresAt : new Date(end);
}

/**
 * Lucia adapter over our drizzle tables; inactive users have no valid session.
 * Every expiry it reports or stores is capped at the absolute lifetime, so
 * lucia's sliding extension never carries a session past `createdAt + maxAge`.
 */
function adapter(db: Db, maxAgeMs: number): Adapter {
  // Runs on every authenticated request: built once as a prepared statement, not per call.
  const sessionAndUser = db
    .select({
      session: {
        id: sessions.id,
        userId: sessions.userId,
        expiresAt: sessions.expiresAt,
        createdAt: sessions.createdAt,
      },
      user: { id: users.id, name: users.name, email: users.email, role: users.role, active: users.active },
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, sql.placeholder("id")))
    .prepare("auth_session_and_user");
  return {
    async getSessionAndUser(id): Promise<[DatabaseSession | null, DatabaseUser | null]> {
      const [row] = await sessionAndUser.execute({ id });
      if (!row?.user.active) return [null, null];
      const { user, session } = row;
      return [
        {
          id: session.id,
          userId: session.userId,
          expiresAt: capped(session.expiresAt, session.createdAt, maxAgeMs),
          attributes: { createdAt: session.createdAt } satisfies SessionAttrs,
        },
        {
          id: user.id,
          attributes: { name: user.name, email: user.email, role: user.role, active: user.active } satisfies UserAttrs,
        },
      ];
    },
    async getUserSessions(userId) {
      const rows = await db.select().from(sessions).where(eq(sessions.userId, userId));
      return rows.map((s) => ({
        id: s.id,
        userId: s.userId,
        expiresAt: capped(s.expiresAt, s.createdAt, maxAgeMs),
        attributes: { createdAt: s.createdAt },
      }));
    },
    async setSession(s) {
      const attrs = s.attributes as SessionAttrs;
      const createdAt = new Date();
      await db.insert(sessions).values({
        id: s.id,
        userId: s.userId,
        expiresAt: capped(s.expiresAt, createdAt, maxAgeMs),
        createdAt,
        ip: attrs.ip ?? null,
        userAgent: attrs.userAgent ?? null,
      });
    },
    async updateSessionExpiration(id, expiresAt) {
      const end = sql`${sessions.createdAt} + make_interval(secs => ${maxAgeMs / 1000})`;
      await db
        .update(sessions)
        .set({ expiresAt: sql`least(${expiresAt.toISOString()}::timestamptz, ${end})` })
        .where(eq(sessions.id, id));
    },
    async deleteSession(id) {
      await db.delete(sessions).where(eq(sessions.id, id));
    },
    async deleteUserSessions(userId) {
      await db.delete(sessions).where(eq(sessions.userId, userId));
    },
    async deleteExpiredSessions() {
      await db.delete(sessions).where(and(lte(sessions.expiresAt, new Date())));
    },
  };
}

export const DEFAULT_SESSION_MAX_AGE_SECONDS = 7 * 86400;

export type AuthOptions = { idleSeconds: number; maxAgeSeconds: number; secureCookie: boolean };

function createLucia(db: Db, opts: AuthOptions) {
  return new Lucia(adapter(db, opts.maxAgeSeconds * 1000), {
    sessionExpiresIn: new TimeSpan(opts.idleSeconds, "s"),
    sessionCookie: {
      name: "elsehu_session",
      expires: false,
      attributes: { secure: opts.secureCookie, sameSite: "strict" },
    },
    getUserAttributes: (a) => a as UserAttrs,
    getSessionAttributes: (a) => a,
  });
}

export type Auth = ReturnType<typeof createAuth>;

/**
 * Sessions by token. The client holds a random token; the database holds only
 * its SHA-256 (the session id), so a leaked sessions table or backup opens no
 * session. A session ends after `idleSeconds` without use (lucia extends it
 * once half has elapsed) and, however active, `maxAgeSeconds` after it began.
 */
export function createAuth(db: Db, opts: AuthOptions) {
  const lucia = createLucia(db, opts);
  const maxAgeMs = opts.maxAgeSeconds * 1000;
  return {
    /** Opens a session; `token` goes to the client, `id` (its hash) is what the database and events know. */
    async createSession(userId: string, attrs: { ip?: string; userAgent?: string }) {
      const token = newSessionToken();
      const session = await lucia.createSession(userId, attrs, { sessionId: sessionIdOf(token) });
      return { ...session, expiresAt: capped(session.expiresAt, new Date(), maxAgeMs), token };
    },
    /** The session and user behind a client's token (both null when it is unknown, expired or cut off). */
    async validateSession(token: string) {
      const result = await lucia.validateSession(sessionIdOf(token));
      const createdAt = result.session?.createdAt;
      if (result.session && createdAt) result.session.expiresAt = capped(result.session.expiresAt, createdAt, maxAgeMs);
      return result;
    },
  };
}

declare module "lucia" {
  interface Register {
    Lucia: ReturnType<typeof createLucia>;
    DatabaseUserAttributes: UserAttrs;
    DatabaseSessionAttributes: SessionAttrs;
  }
}
