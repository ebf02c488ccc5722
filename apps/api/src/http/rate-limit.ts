import { createHash } from "node:crypto";
import type { SharedRateLimiter } from "@elsehu/core";
import type { MiddlewareHandler } from "hono";
import { type AppEnv, clientIp, tokenFromRequest } from "./request-info";

/**
 * Per-user (token) and per-IP limits shared across API processes. Webhook
 * routes use their own limiter, so a provider burst never eats a user's budget.
 */
export function rateLimit(limits: { user: SharedRateLimiter; ip: SharedRateLimiter }): MiddlewareHandler<AppEnv> {
  const keys = new TokenKeys();
  return async (c, next) => {
    const token = tokenFromRequest(c);
    let refused = limits.ip.hit(`ip:${clientIp(c)}`);
    if (refused.allowed && token) refused = limits.user.hit(keys.of(token));
    if (!refused.allowed) {
      c.header("Retry-After", String(refused.retryAfterSeconds));
      return c.json({ error: "Too many requests", retryAfterSeconds: refused.retryAfterSeconds }, 429);
    }
    await next();
  };
}

/**
 * The user limiter's key for a token: a hash, because the keys are written to
 * rate_limit_buckets and a token must never reach the database in clear.
 * Memoized (bounded) so a busy client costs one sha256, not one per request.
 */
class TokenKeys {
  private keys = new Map<string, string>();

  constructor(private max = 10_000) {}

  of(token: string): string {
    let key = this.keys.get(token);
    if (key === undefined) {
      key = `u:${createHash("sha256").update(token).digest("hex").slice(0, 32)}`;
      if (this.keys.size >= this.max) this.keys.clear();
      this.keys.set(token, key);
    }
    return key;
  }
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
