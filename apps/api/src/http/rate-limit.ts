import { createHash } from "node:crypto";
import type { SharedRateLimiter } from "@elsehu/core";
import type { MiddlewareHandler } from "hono";
import { type AppEnv, clientIp, tokenFromRequest } from "./request-info";

/**
 * Per-user (token) and per-IP limits shared across API processes. Webhook
 * routes use their own limiter, so a provider burst never eats a user's budget.
 */
export function rateLimit(limits: { user: SharedRateLimiter; ip: SharedRateLimiter }): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const ip = clientIp(c);
    const token = tokenFromRequest(c);
    const checks = [limits.ip.hit(`ip:${ip}`)];
    if (token) checks.push(limits.user.hit(`u:${createHash("sha256").update(token).digest("hex").slice(0, 32)}`));
    const refused = checks.find((r) => !r.allowed);
    if (refused && !refused.allowed) {
      c.header("Retry-After", String(refused.retryAfterSeconds));
      return c.json({ error: "Too many requests", retryAfterSeconds: refused.retryAfterSeconds }, 429);
    }
    await next();
  };
}

export function webhookRateLimit(limiter: SharedRateLimiter): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const r = limiter.hit(`wh:${clientIp(c)}`);
    if (!r.allowed) {
      c.header("Retry-After", String(r.retryAfterSeconds));
      return c.json({ error: "Too many requests" }, 429);
    }
    await next();
  };
}
