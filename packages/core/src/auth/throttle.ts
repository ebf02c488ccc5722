import { loginAttempts } from "@elsehu/db";
import { and, eq, gte, sql } from "drizzle-orm";
import type { CoreContext } from "../shared/context";
import { bug } from "../shared/errors";

/**
 * Login throttling (OWASP ASVS 5, V6.3): failures in the last `windowMs`,
 * counted in Postgres so the rules hold across API processes.
 * - per (account, address), strict: `maxPerPair` failures, then wait until the
 *   oldest leaves the window. This is what stops one attacker.
 * - per address, any account: `maxPerIp` (credential stuffing from one place).
 * - per account, any address: the first `freePerAccount` failures cost
 *   nothing; each one after doubles the wait since the latest failure, up to
 *   `maxDelaySeconds`. Many addresses together get a handful of guesses an
 *   hour, while the real user, from his own address, is at worst slowed: an
 *   attacker can never lock him out.
 */
export const THROTTLE = {
  windowMs: 15 * 60 * 1000,
  maxPerPair: 10,
  maxPerIp: 50,
  freePerAccount: 20,
  maxDelaySeconds: 300,
};

/** Lock class of pg_advisory_xact_lock(int, int) for login throttling (apart from single-key locks). */
const LOCK_CLASS = 7301;

export type LoginReservation = { attemptId: number } | { waitSeconds: number };

/**
 * Counts one login attempt BEFORE the password is checked: under a lock on the
 * account and the address, reads the failures and, when allowed, records this
 * attempt as a failure (markLoginSucceeded flips it). Concurrent attempts (a
 * batch, a socket) therefore see each other: at most `maxPerPair` of them from
 * one address ever reach the password check.
 */
export async function reserveLoginAttempt(
  ctx: Pick<CoreContext, "db" | "now">,
  email: string,
  ip: string,
): Promise<LoginReservation> {
  return ctx.db.transaction(async (tx) => {
    // Always the account first, then the address: a fixed order cannot deadlock.
    await tx.execute(sql`select pg_advisory_xact_lock(${LOCK_CLASS}, hashtext(${`a:${email}`}))`);
    await tx.execute(sql`select pg_advisory_xact_lock(${LOCK_CLASS}, hashtext(${`i:${ip}`}))`);
    const now = ctx.now();
    const since = new Date(now.getTime() - THROTTLE.windowMs);
    const [account] = await tx
      .select({
        pair: sql<number>`count(*) filter (where ${loginAttempts.ip} = ${ip})::int`,
        pairOldest: sql<string | null>`min(${loginAttempts.createdAt}) filter (where ${loginAttempts.ip} = ${ip})`,
        all: sql<number>`count(*)::int`,
        latest: sql<string | null>`max(${loginAttempts.createdAt})`,
      })
      .from(loginAttempts)
      .where(
        and(eq(loginAttempts.email, email), eq(loginAttempts.success, false), gte(loginAttempts.createdAt, since)),
      );
    const [address] = await tx
      .select({ n: sql<number>`count(*)::int`, oldest: sql<string | null>`min(${loginAttempts.createdAt})` })
      .from(loginAttempts)
      .where(and(eq(loginAttempts.ip, ip), eq(loginAttempts.success, false), gte(loginAttempts.createdAt, since)));
    const untilMs = (at: string | null | undefined, plusMs: number) =>
      at ? new Date(at).getTime() + plusMs - now.getTime() : 0;
    let waitMs = 0;
    if (account && account.pair >= THROTTLE.maxPerPair) waitMs = untilMs(account.pairOldest, THROTTLE.windowMs);
    if (address && address.n >= THROTTLE.maxPerIp)
      waitMs = Math.max(waitMs, untilMs(address.oldest, THROTTLE.windowMs));
    if (account && account.all >= THROTTLE.freePerAccount) {
      const delay = Math.min(2 ** (account.all - THROTTLE.freePerAccount), THROTTLE.maxDelaySeconds) * 1000;
      waitMs = Math.max(waitMs, untilMs(account.latest, delay));
    }
    if (waitMs > 0) return { waitSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    const [row] = await tx
      .insert(loginAttempts)
      .values({ email, ip, success: false, createdAt: now })
      .returning({ id: loginAttempts.id });
    if (!row) throw bug("login attempt not recorded");
    return { attemptId: row.id };
  });
}

/** The reserved attempt succeeded: it no longer counts as a failure. */
export async function markLoginSucceeded(ctx: Pick<CoreContext, "db">, attemptId: number): Promise<void> {
  await ctx.db.update(loginAttempts).set({ success: true }).where(eq(loginAttempts.id, attemptId));
}
