import { loginAttempts } from "@elsehu/db";
import { and, eq, gte, sql } from "drizzle-orm";
import type { CoreContext } from "../shared/context";

export const THROTTLE = { windowMs: 15 * 60 * 1000, maxPerEmail: 10, maxPerIp: 50 };

/**
 * Login throttling kept in Postgres, so it holds across API processes.
 * Returns the seconds to wait, or 0 when a login may be attempted.
 */
export async function loginWaitSeconds(ctx: Pick<CoreContext, "db" | "now">, email: string, ip: string) {
  const now = ctx.now();
  const since = new Date(now.getTime() - THROTTLE.windowMs);
  const check = async (col: typeof loginAttempts.email | typeof loginAttempts.ip, value: string, max: number) => {
    const [row] = await ctx.db
      .select({
        n: sql<number>`count(*)::int`,
        oldest: sql<Date | null>`min(${loginAttempts.createdAt})`,
      })
      .from(loginAttempts)
      .where(and(eq(col, value), eq(loginAttempts.success, false), gte(loginAttempts.createdAt, since)));
    if (!row || row.n < max || !row.oldest) return 0;
    // Waiting until the oldest failure leaves the window brings the count below the limit.
    const oldest = new Date(row.oldest).getTime();
    return Math.max(1, Math.ceil((oldest + THROTTLE.windowMs - now.getTime()) / 1000));
  };
  const [byEmail, byIp] = await Promise.all([
    check(loginAttempts.email, email, THROTTLE.maxPerEmail),
    check(loginAttempts.ip, ip, THROTTLE.maxPerIp),
  ]);
  return Math.max(byEmail, byIp);
}

export async function recordLoginAttempt(
  ctx: Pick<CoreContext, "db" | "now">,
  email: string,
  ip: string,
  success: boolean,
) {
  await ctx.db.insert(loginAttempts).values({ email, ip, success, createdAt: ctx.now() });
}
