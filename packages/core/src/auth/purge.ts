import { events, loginAttempts, rateLimitBuckets, sessions } from "@elsehu/db";
import { lt, or } from "drizzle-orm";
import { EVENT_RETENTION_MS } from "../events/load";
import type { CoreContext } from "../shared/context";
import { DEFAULT_SESSION_MAX_AGE_SECONDS } from "./lucia";
import { THROTTLE } from "./throttle";

/** Hourly housekeeping: expired sessions (idle or past SESSION_MAX_AGE), old login attempts, old rate-limit windows and events. */
export async function purgeExpired(ctx: Pick<CoreContext, "db" | "now" | "config">) {
  const now = ctx.now().getTime();
  const maxAgeMs = (ctx.config.sessionMaxAgeSeconds ?? DEFAULT_SESSION_MAX_AGE_SECONDS) * 1000;
  const s = await ctx.db
    .delete(sessions)
    .where(or(lt(sessions.expiresAt, new Date(now)), lt(sessions.createdAt, new Date(now - maxAgeMs))))
    .returning({ id: sessions.id });
  await ctx.db.delete(loginAttempts).where(lt(loginAttempts.createdAt, new Date(now - THROTTLE.windowMs * 4)));
  await ctx.db.delete(rateLimitBuckets).where(lt(rateLimitBuckets.windowStart, new Date(now - 3600_000)));
  await ctx.db.delete(events).where(lt(events.createdAt, new Date(now - EVENT_RETENTION_MS)));
  return { sessions: s.length };
}
