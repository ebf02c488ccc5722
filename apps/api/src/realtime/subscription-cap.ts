import { DomainError } from "@elsehu/core";

/**
 * Live subscriptions per user on this API process, capped: each one costs a
 * listener on the hub and a visibility check per event, so one account must
 * not open thousands (WS_MAX_SUBSCRIPTIONS_PER_USER).
 */
export class SubscriptionCounter {
  private counts = new Map<string, number>();

  constructor(private max: number) {}

  /** Counts one more subscription of `userId`, or refuses it (TOO_MANY_SUBSCRIPTIONS); call the result when it ends. */
  acquire(userId: string): () => void {
    const n = this.counts.get(userId) ?? 0;
    if (n >= this.max) {
      throw new DomainError("TOO_MANY_SUBSCRIPTIONS", `At most ${this.max} live subscriptions per user`, {
        max: this.max,
      });
    }
    this.counts.set(userId, n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.counts.get(userId) ?? 1) - 1;
      if (left <= 0) this.counts.delete(userId);
      else this.counts.set(userId, left);
    };
  }

  countFor(userId: string): number {
    return this.counts.get(userId) ?? 0;
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
