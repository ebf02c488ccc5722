import { DomainError } from "@elsehu/core";

/**
 * Live subscriptions on this API process, capped per user and in all: each one
 * costs a listener on the hub and a visibility check per event, so one account
 * must not open thousands (WS_MAX_SUBSCRIPTIONS_PER_USER), nor many accounts
 * together more than the process can serve (WS_MAX_SUBSCRIPTIONS).
 */
export class SubscriptionCounter {
  private counts = new Map<string, number>();
  private total = 0;

  constructor(
    private max: number,
    private maxTotal = Number.POSITIVE_INFINITY,
  ) {}

  /**
   * Counts one more subscription of `userId`, or refuses it (TOO_MANY_SUBSCRIPTIONS for
   * the user, SERVER_BUSY for the process); call the result when it ends.
   */
  acquire(userId: string): () => void {
    if (this.total >= this.maxTotal) {
      throw new DomainError("SERVER_BUSY", `This server holds its maximum of ${this.maxTotal} live subscriptions`, {
        max: this.maxTotal,
      });
    }
    const n = this.counts.get(userId) ?? 0;
    if (n >= this.max) {
      throw new DomainError("TOO_MANY_SUBSCRIPTIONS", `At most ${this.max} live subscriptions per user`, {
        max: this.max,
      });
    }
    this.counts.set(userId, n + 1);
    this.total++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total--;
      const left = (this.counts.get(userId) ?? 1) - 1;
      if (left <= 0) this.counts.delete(userId);
      else this.counts.set(userId, left);
    };
  }

  countFor(userId: string): number {
    return this.counts.get(userId) ?? 0;
  }

  /** Live subscriptions of every user. */
  count(): number {
    return this.total;
  }
}

/**
 * `source` as an async iterable that calls `release` once, however it ends:
 * finished, failed, or stopped by its consumer (return), even if never started.
 */
export function releasing<T>(source: AsyncIterable<T>, release: () => void): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]() {
      const it = source[Symbol.asyncIterator]();
      return {
        async next(...args: [] | [unknown]) {
          try {
            const r = await it.next(...args);
            if (r.done) release();
            return r;
          } catch (err) {
            release();
            throw err;
          }
        },
        async return(value?: unknown) {
          try {
            return (await it.return?.(value)) ?? { done: true as const, value: value as T };
          } finally {
            release();
          }
        },
        async throw(err?: unknown) {
          try {
            if (it.throw) return await it.throw(err);
            throw err;
          } finally {
            release();
          }
        },
      };
    },
  };
}
