import type { Sql } from "@elsehu/db";

/** One request's decision and the window's budget. */
export type RateHit =
  | { allowed: true; limit: number; remaining: number; resetSeconds: number }
  | { allowed: false; retryAfterSeconds: number; limit: number; remaining: 0; resetSeconds: number };

type Bucket = { window: number; synced: number; pending: number };

/**
 * Fixed-window rate limiter shared by every API process: each process counts
 * locally and, every `syncMs`, adds its counts to `rate_limit_buckets` and reads
 * back the totals. A decision is therefore at most one sync behind the cluster,
 * and costs no database round trip on the request path.
 */
export class SharedRateLimiter {
  private buckets = new Map<string, Bucket>();
  private timer: NodeJS.Timeout;

  constructor(
    private sql: Sql,
    private opts: { windowMs: number; limit: number; syncMs?: number },
  ) {
    this.timer = setInterval(() => void this.sync().catch(() => {}), opts.syncMs ?? 1000);
    this.timer.unref();
  }

  /**
   * Counts one request for `key`; returns how long to wait when over the limit, and the
   * window's budget (limit, what is left, seconds to its end) for `RateLimit-*` headers.
   */
  hit(key: string, now = Date.now()): RateHit {
    const window = Math.floor(now / this.opts.windowMs) * this.opts.windowMs;
    let b = this.buckets.get(key);
    if (!b || b.window !== window) {
      b = { window, synced: 0, pending: 0 };
      this.buckets.set(key, b);
    }
    const limit = this.opts.limit;
    const resetSeconds = Math.max(1, Math.ceil((window + this.opts.windowMs - now) / 1000));
    if (b.synced + b.pending >= limit) {
      return { allowed: false, retryAfterSeconds: resetSeconds, limit, remaining: 0, resetSeconds };
    }
    b.pending++;
    return { allowed: true, limit, remaining: Math.max(0, limit - b.synced - b.pending), resetSeconds };
  }

  async sync(now = Date.now()): Promise<void> {
    const current = Math.floor(now / this.opts.windowMs) * this.opts.windowMs;
    const rows: { key: string; window_start: string; count: number }[] = [];
    for (const [key, b] of this.buckets) {
      if (b.window < current) {
        if (b.pending === 0) this.buckets.delete(key);
        continue;
      }
      rows.push({ key, window_start: new Date(b.window).toISOString(), count: b.pending });
    }
    if (rows.length === 0) return;
    const sent = new Map(rows.map((r) => [r.key, r.count]));
    // One JSON text parameter rather than JS arrays: postgres.js can wedge a pooled connection when an
    // array-typed statement is first described while other queries run (seen as a backend stuck in
    // "active / ClientRead" and requests that never answer under load).
    const totals = await this.sql<{ key: string; count: number }[]>`
      insert into rate_limit_buckets (key, window_start, count)
      select r.key, r.window_start, r.count
      from json_to_recordset(${JSON.stringify(rows)}::json) as r(key text, window_start timestamptz, count int)
      on conflict (key, window_start) do update set count = rate_limit_buckets.count + excluded.count
      returning key, count`;
    for (const t of totals) {
      const b = this.buckets.get(t.key);
      if (!b) continue;
      b.pending -= sent.get(t.key) ?? 0;
      b.synced = t.count;
    }
  }

  stop() {
    clearInterval(this.timer);
  }
}
