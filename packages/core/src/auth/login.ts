import { users } from "@elsehu/db";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import type { CoreContext } from "../shared/context";
import { DomainError } from "../shared/errors";
import { dummyHash, verifyPassword } from "./password";
import { capUserSessions } from "./session-limit";
import { markLoginSucceeded, reserveLoginAttempt } from "./throttle";

export const LoginInput = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  password: z.string().min(1).max(256),
});
export type LoginInput = z.infer<typeof LoginInput>;

export type SessionUser = { id: string; name: string; email: string; role: "ADMIN" | "SUPERVISOR" | "OPERATOR" };

/**
 * Counts the attempt against the throttle first (see throttle.ts), then checks
 * the password (an unknown email is checked against a dummy hash so it costs
 * the same time), and opens a fresh session (ending the user's oldest ones
 * beyond SESSION_MAX_PER_USER). Every attempt that reaches the password check is
 * audited (`auth.login` / `auth.login_failed`, with the address, never the
 * password); throttled ones are only counted in login_attempts.
 */
export async function login(
  ctx: CoreContext,
  input: LoginInput,
  meta: { ip: string; userAgent?: string },
): Promise<{ token: string; expiresAt: Date; user: SessionUser }> {
  const attempt = await reserveLoginAttempt(ctx, input.email, meta.ip);
  if ("waitSeconds" in attempt) {
    const wait = attempt.waitSeconds;
    throw new DomainError("LOGIN_THROTTLED", `Too many login attempts. Try again in ${wait} seconds.`, {
      retryAfterSeconds: wait,
    });
  }
  const [user] = await ctx.db
    .select()
    .from(users)
    .where(eq(sql`lower(${users.email})`, input.email));
  const ok = user ? await verifyPassword(user.passwordHash, input.password) : await dummyCheck(input.password);
  if (ok && user?.active) await markLoginSucceeded(ctx, attempt.attemptId);
  const failure = !user || !ok ? "INVALID_CREDENTIALS" : !user.active ? "ACCOUNT_DEACTIVATED" : null;
  if (!user || failure) {
    await recordAudit(ctx.db, {
      actorId: user?.id ?? null,
      action: "auth.login_failed",
      targetType: "user",
      targetId: user?.id ?? null,
      data: { email: input.email, ip: meta.ip, reason: failure },
    });
    if (failure === "ACCOUNT_DEACTIVATED") throw new DomainError("ACCOUNT_DEACTIVATED", "This account is deactivated");
    throw new DomainError("INVALID_CREDENTIALS", "Invalid email or password");
  }
  const session = await ctx.auth.createSession(user.id, { ip: meta.ip, userAgent: meta.userAgent });
  await capUserSessions(ctx, user.id);
  await recordAudit(ctx.db, {
    actorId: user.id,
    action: "auth.login",
    targetType: "user",
    targetId: user.id,
    data: { ip: meta.ip, userAgent: meta.userAgent?.slice(0, 200) ?? null },
  });
  return {
    token: session.token,
    expiresAt: session.expiresAt,
    user: { id: user.id, name: user.name, email: user.email, role: user.role },
  };
}

async function dummyCheck(password: string): Promise<false> {
  await verifyPassword(await dummyHash(), password);
  return false;
}
