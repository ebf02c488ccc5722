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
  private held = new Map<number, StoredEvent>();
  private holeSince = 0;
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
    for (const e of rows) {
      if (e.id > this.lastId) this.held.set(e.id, e);
      else if (this.skipped.delete(e.id)) this.emit(e);
    }
    this.drain();
  }

  /** The ids missing before the first held event (at most 500), for a gap check to load. */
  missing(): number[] {
    if (this.held.size === 0) return [];
    const first = Math.min(...this.held.keys());
    const ids: number[] = [];
    for (let id = this.lastId + 1; id < first && ids.length < 500; id++) ids.push(id);
    return ids;
  }

  /** After a gap check: a hole older than HOLE_GIVE_UP_MS is taken for rolled back and skipped. */
  giveUpOldHole(): void {
    if (this.held.size === 0 || this.held.has(this.lastId + 1)) return;
    if (this.now() - this.holeSince <= HOLE_GIVE_UP_MS) return;
    const upTo = Math.min(...this.held.keys());
    for (let id = this.lastId + 1; id < upTo; id++) this.skipped.add(id);
    if (this.skipped.size > 10_000) this.skipped = new Set([...this.skipped].slice(-5_000));
    this.lastId = upTo - 1;
    this.holeSince = 0;
    this.drain();
  }

  private drain() {
    const before = this.lastId;
    for (let next = this.held.get(this.lastId + 1); next; next = this.held.get(this.lastId + 1)) {
      this.held.delete(next.id);
      this.lastId = next.id;
      this.emit(next);
    }
    if (this.held.size === 0) this.holeSince = 0;
    // A new hole (the previous one was filled): its own clock.
    else if (this.holeSince === 0 || this.lastId !== before) this.holeSince = this.now();
  }
}
