import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./request-info";

/**
 * Most tRPC calls one HTTP request may carry (`/trpc/a,b,c?batch=1`). Every
 * call of a batch counts against the rate limit, and a larger batch is
 * refused whole, before any call runs. The console's httpBatchLink uses the
 * same number (apps/web/src/lib/api.ts).
 */
export const MAX_BATCH_CALLS = 20;

/** How many calls a request to `path` carries: one per comma-separated procedure when batched. */
export function callsIn(path: string, batch: string | null | undefined): number {
  if (batch !== "1" || !path.startsWith("/trpc/")) return 1;
  let procedures = path.slice(6);
  try {
    procedures = decodeURIComponent(procedures);
  } catch {
    // Left as sent: tRPC answers a malformed path itself.
  }
  return procedures.split(",").length;
}

export const batchTooLarge = (calls: number) => ({
  error: `A batch may carry at most ${MAX_BATCH_CALLS} calls; this one has ${calls}`,
  reason: "BATCH_TOO_LARGE",
});

/** Refuses (400) a tRPC batch of more than MAX_BATCH_CALLS calls, whatever answers it afterwards. */
export function batchCap(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const calls = callsIn(c.req.path, c.req.query("batch"));
    if (calls > MAX_BATCH_CALLS) return c.json(batchTooLarge(calls), 400);
    await next();
  };
}
