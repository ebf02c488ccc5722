import { createHash } from "node:crypto";
import type { SharedRateLimiter } from "@elsehu/core";
import type { MiddlewareHandler } from "hono";
import { callsIn } from "./batch-cap";
import type { Metrics } from "./metrics";
import { type AppEnv, clientIp, tokenFromRequest } from "./request-info";

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };
/** Counts `calls` requests of `ip` (and of the session `token`, if any): a batch counts each call. */
export type RateCheck = (ip: string, token: string | undefined, calls: number) => RateDecision;

/**
 * Per-user (token) and per-IP limits shared across API processes. Webhook
 * routes use their own limiter, so a provider burst never eats a user's budget.
 */
export function userAndIpLimit(limits: { user: SharedRateLimiter; ip: SharedRateLimiter }, prefix = ""): RateCheck {
  const keys = new TokenKeys();
  const hit = (limiter: SharedRateLimiter, key: string, calls: number): RateDecision => {
    for (let i = 0; i < calls; i++) {
      const r = limiter.hit(key);
      if (!r.allowed) return r;
    }
    return { allowed: true };
  };
  return (ip, token, calls) => {
    const refused = hit(limits.ip, `${prefix}ip:${ip}`, calls);
    if (refused.allowed && token) return hit(limits.user, prefix + keys.of(token), calls);
    return refused;
  };
}

/** The JSON body of a 429 (its Retry-After header carries the same number). */
export const tooManyRequests = (retryAfterSeconds: number) => ({ error: "Too many requests", retryAfterSeconds });

/** `check` as Hono middleware (tRPC requests that tRPC's own adapter answers, file routes: see app.ts). */
export function rateLimit(check: RateCheck, metrics: Pick<Metrics, "rateLimited">): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const decision = check(clientIp(c), tokenFromRequest(c), callsIn(c.req.path, c.req.query("batch")));
    if (!decision.allowed) {
      metrics.rateLimited.inc();
      c.header("Retry-After", String(decision.retryAfterSeconds));
      return c.json(tooManyRequests(decision.retryAfterSeconds), 429);
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
