import { type Db, sessions, users } from "@elsehu/db";
import { and, eq, lte, sql } from "drizzle-orm";
import { type Adapter, type DatabaseSession, type DatabaseUser, Lucia, TimeSpan } from "lucia";

type Role = "ADMIN" | "SUPERVISOR" | "OPERATOR";
type UserAttrs = { name: string; email: string; role: Role; active: boolean };

/** Lucia adapter over our drizzle tables; inactive users have no valid session. */
function adapter(db: Db): Adapter {
  // Runs on every authenticated request: built once as a prepared statement, not per call.
  const sessionAndUser = db
    .select({
      session: { id: sessions.id, userId: sessions.userId, expiresAt: sessions.expiresAt },
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
        { id: session.id, userId: session.userId, expiresAt: session.expiresAt, attributes: {} },
        {
          id: user.id,
          attributes: { name: user.name, email: user.email, role: user.role, active: user.active } satisfies UserAttrs,
        },
      ];
    },
    async getUserSessions(userId) {
      const rows = await db.select().from(sessions).where(eq(sessions.userId, userId));
      return rows.map((s) => ({ id: s.id, userId: s.userId, expiresAt: s.expiresAt, attributes: {} }));
    },
    async setSession(s) {
      const attrs = s.attributes as { ip?: string; userAgent?: string };
      await db.insert(sessions).values({
        id: s.id,
        userId: s.userId,
        expiresAt: s.expiresAt,
        ip: attrs.ip ?? null,
        userAgent: attrs.userAgent ?? null,
      });
    },
    async updateSessionExpiration(id, expiresAt) {
      await db.update(sessions).set({ expiresAt }).where(eq(sessions.id, id));
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

export type Auth = ReturnType<typeof createAuth>;

/**
 * Sessions expire after `idleSeconds` without use: lucia extends a session's
 * expiry on validation once half of it has elapsed (sliding idle timeout).
 */
export function createAuth(db: Db, opts: { idleSeconds: number; secureCookie: boolean }) {
  return new Lucia(adapter(db), {
    sessionExpiresIn: new TimeSpan(opts.idleSeconds, "s"),
    sessionCookie: {
      name: "elsehu_session",
      expires: false,
      attributes: { secure: opts.secureCookie, sameSite: "strict" },
    },
    getUserAttributes: (a) => a as UserAttrs,
    getSessionAttributes: () => ({}),
  });
}

declare module "lucia" {
  interface Register {
    Lucia: ReturnType<typeof createAuth>;
    DatabaseUserAttributes: UserAttrs;
    DatabaseSessionAttributes: { ip?: string; userAgent?: string };
  }
}
