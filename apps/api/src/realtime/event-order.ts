import type { StoredEvent } from "@elsehu/core";

/** How long an id may stay missing before it is taken for a rolled-back (never committed) event. */
export const HOLE_GIVE_UP_MS = 1000;

/**
 * Puts events back in id order. Ids are taken at insert but become visible at
 * commit, so id 100 may commit after 101: a later id waits (held) until the
 * missing ones arrive or, after HOLE_GIVE_UP_MS, are taken for rolled back.
 * An id given up on that commits after all is still delivered, late.
 *
 * Rows may arrive from several loads at once (NOTIFY batches, the replay after
 * a LISTEN reconnect, gap checks), in any order and more than once: only
 * `offer` takes them in, and it delivers each id at most once.
 */
export class EventOrder {
  private lastId: number;
  /** Events waiting for a lower id, with when each arrived: a hole's clock is the held event's. */
  private held = new Map<number, { event: StoredEvent; since: number }>();
  /** Ids given up as holes; one that commits after all is still delivered (late). */
  private skipped = new Set<number>();

  constructor(
    start: number,
    private emit: (e: StoredEvent) => void,
    private now: () => number = Date.now,
  ) {
    this.lastId = start;
  }

  /** The last id delivered in order: everything up to it has been emitted (or given up). */
  position(): number {
    return this.lastId;
  }

  /** Whether events are held behind a missing id. */
  hasHole(): boolean {
    return this.held.size > 0;
  }

  offer(rows: StoredEvent[]): void {
    const now = this.now();
    for (const e of rows) {
      if (e.id > this.lastId) {
        if (!this.held.has(e.id)) this.held.set(e.id, { event: e, since: now });
      } else if (this.skipped.delete(e.id)) this.emit(e);
    }
    this.drain();
  }

  /** Every id missing below the last held event (at most 500), for one gap check to load. */
  missing(): number[] {
    if (this.held.size === 0) return [];
    const top = Math.max(...this.held.keys());
    const ids: number[] = [];
    for (let id = this.lastId + 1; id < top && ids.length < 500; id++) if (!this.held.has(id)) ids.push(id);
    return ids;
  }

  /**
   * After a gap check: the ids missing below an event held longer than
   * HOLE_GIVE_UP_MS are taken for rolled back and skipped. The clock is the
   * held event's, not the hole's turn at the front, so a burst of rollbacks
   * costs one wait, not one wait per hole.
   */
  giveUpOldHole(): void {
    while (this.held.size > 0 && !this.held.has(this.lastId + 1)) {
      const front = Math.min(...this.held.keys());
      const since = this.held.get(front)?.since ?? this.now();
      if (this.now() - since <= HOLE_GIVE_UP_MS) return;
      for (let id = this.lastId + 1; id < front; id++) this.skipped.add(id);
      if (this.skipped.size > 10_000) this.skipped = new Set([...this.skipped].slice(-5_000));
      this.lastId = front - 1;
      this.drain();
    }
  }

  private drain() {
    for (let next = this.held.get(this.lastId + 1); next; next = this.held.get(this.lastId + 1)) {
      this.held.delete(next.event.id);
      this.lastId = next.event.id;
      this.emit(next.event);
    }
  }
}
