import {
  type Actor,
  type CoreContext,
  canSee,
  EVENTS_CHANNEL,
  loadEventsAfter,
  loadEventsByIds,
  type StoredEvent,
} from "@elsehu/core";
import type { Sql } from "@elsehu/db";

type Listener = (event: StoredEvent) => void;

/** How long an id may stay missing before it is taken for a rolled-back (never committed) event. */
const HOLE_GIVE_UP_MS = 1000;
const GAP_CHECK_MS = 200;

/**
 * One per API process: LISTENs on the events channel, loads the rows the
 * NOTIFYs name (batched), and fans them out to in-process subscribers.
 * After a reconnect of the LISTEN connection it reloads what it may have missed.
 *
 * Ids are taken at insert but become visible at commit, so id 100 may commit
 * after 101. Events are dispatched in id order: a later id waits until the
 * missing ones commit or, after HOLE_GIVE_UP_MS, are taken for rolled back. A
 * client that resumes after its last id therefore never skips an earlier one.
 */
export class RealtimeHub {
  private listeners = new Set<Listener>();
  private resyncListeners = new Set<() => void>();
  private pending: number[] = [];
  private flushing = false;
  private lastId = 0;
  private held = new Map<number, StoredEvent>();
  private holeSince = 0;
  private gapTimer: NodeJS.Timeout | null = null;
  /** Ids given up as holes; one that commits after all is still delivered (late). */
  private skipped = new Set<number>();
  private unlisten: (() => Promise<void>) | null = null;

  constructor(
    private core: CoreContext,
    private listenSql: Sql,
  ) {}

  async start(): Promise<void> {
    const [row] = await this.listenSql<{ id: number }[]>`select coalesce(max(id), 0)::int as id from events`;
    this.lastId = row?.id ?? 0;
    let first = true;
    const sub = await this.listenSql.listen(
      EVENTS_CHANNEL,
      (payload) => this.enqueue(Number(payload)),
      () => {
        if (!first) {
          // Events may have been missed while the link was down: let caches drop what they hold first.
          for (const fn of this.resyncListeners) fn();
          void this.catchUp();
        }
        first = false;
      },
    );
    this.unlisten = sub.unlisten;
  }

  async stop(): Promise<void> {
    if (this.gapTimer) clearTimeout(this.gapTimer);
    await this.unlisten?.().catch(() => {});
    this.listeners.clear();
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Called when the LISTEN connection comes back after a drop (before the missed events are replayed). */
  onResync(fn: () => void): () => void {
    this.resyncListeners.add(fn);
    return () => this.resyncListeners.delete(fn);
  }

  /** The last event id dispatched in order: everything up to it has been delivered to subscribers. */
  position(): number {
    return this.lastId;
  }

  /** Delivers an event raised in this process only (e.g. a session found expired). */
  emitLocal(event: StoredEvent): void {
    for (const fn of this.listeners) fn(event);
  }

  private enqueue(id: number) {
    if (!Number.isFinite(id)) return;
    this.pending.push(id);
    if (!this.flushing) {
      this.flushing = true;
      setImmediate(() => void this.flush());
    }
  }

  private async flush() {
    try {
      while (this.pending.length > 0) {
        const ids = this.pending.splice(0, 500);
        const rows = await loadEventsByIds(this.core, ids);
        this.dispatch(rows);
      }
    } catch (err) {
      this.core.log.error({ err }, "realtime flush failed");
    } finally {
      this.flushing = false;
    }
  }

  private async catchUp() {
    try {
      const rows = await loadEventsAfter(this.core, this.lastId, 10_000);
      this.dispatch(rows);
    } catch (err) {
      this.core.log.error({ err }, "realtime catch-up failed");
    }
  }

  private dispatch(rows: StoredEvent[]) {
    for (const e of rows) {
      if (e.id > this.lastId) this.held.set(e.id, e);
      else if (this.skipped.delete(e.id)) this.emit(e);
    }
    this.drain();
  }

  private drain() {
    const before = this.lastId;
    for (let next = this.held.get(this.lastId + 1); next; next = this.held.get(this.lastId + 1)) {
      this.held.delete(next.id);
      this.lastId = next.id;
      this.emit(next);
    }
    if (this.held.size === 0) {
      this.holeSince = 0;
      return;
    }
    // A new hole (the previous one was filled): its own clock.
    if (this.holeSince === 0 || this.lastId !== before) this.holeSince = Date.now();
    if (!this.gapTimer) this.gapTimer = setTimeout(() => void this.checkGap(), GAP_CHECK_MS);
  }

  /** Loads ids still missing (committed, NOTIFY not yet here); gives up on the ones that never came. */
  private async checkGap() {
    this.gapTimer = null;
    if (this.held.size === 0) return;
    const first = Math.min(...this.held.keys());
    try {
      const missing: number[] = [];
      for (let id = this.lastId + 1; id < first && missing.length < 500; id++) missing.push(id);
      for (const e of await loadEventsByIds(this.core, missing)) this.held.set(e.id, e);
    } catch (err) {
      this.core.log.warn({ err }, "realtime gap check failed");
    }
    if (!this.held.has(this.lastId + 1) && Date.now() - this.holeSince > HOLE_GIVE_UP_MS) {
      const upTo = Math.min(...this.held.keys());
      for (let id = this.lastId + 1; id < upTo; id++) this.skipped.add(id);
      if (this.skipped.size > 10_000) this.skipped = new Set([...this.skipped].slice(-5_000));
      this.lastId = upTo - 1;
      this.holeSince = 0;
    }
    this.drain();
  }

  private emit(e: StoredEvent) {
    for (const fn of this.listeners) fn(e);
  }
}

/**
 * The events `viewer` may see, as an async stream: live events are buffered
 * from before the backlog is read, so nothing falls between backlog and live.
 */
export function streamEvents(
  hub: RealtimeHub,
  core: CoreContext,
  viewer: Actor,
  opts: StreamOptions,
): AsyncGenerator<StoredEvent> {
  return streamMapped(hub, core, viewer, opts, (e) => e);
}

type StreamOptions<T = never> = {
  lastEventId?: number | null;
  /** Yielded first when there is no lastEventId, carrying the current position. */
  announce?: (position: number) => T;
  signal?: AbortSignal;
  filter?: (e: StoredEvent) => boolean;
};

/**
 * streamEvents yielding `map(event)`: subscriptions shape their output here
 * rather than through a second async generator, which would cost another
 * round of promises per event on every socket.
 */
export async function* streamMapped<T>(
  hub: RealtimeHub,
  core: CoreContext,
  viewer: Actor,
  opts: StreamOptions<T>,
  map: (e: StoredEvent) => T,
): AsyncGenerator<T> {
  const queue: StoredEvent[] = [];
  let wake: (() => void) | null = null;
  const accept = (e: StoredEvent) => canSee(viewer, e) && (!opts.filter || opts.filter(e));
  const off = hub.subscribe((e) => {
    if (!accept(e)) return;
    queue.push(e);
    wake?.();
  });
  const onAbort = () => wake?.();
  opts.signal?.addEventListener("abort", onAbort);
  try {
    // A fresh subscription learns its starting point, so a reconnect before any
    // real event still resumes from there instead of from "now" (a silent gap).
    if (opts.lastEventId == null && opts.announce) yield opts.announce(hub.position());
    // Ids commit out of order (id 100 may commit after 101), so live events are deduped
    // against the replayed backlog only, never against a high-water mark.
    const replayed = new Set<number>();
    if (opts.lastEventId != null) {
      for (const e of await loadEventsAfter(core, opts.lastEventId, 10_000)) {
        if (!accept(e)) continue;
        replayed.add(e.id);
        yield map(e);
      }
    }
    while (!opts.signal?.aborted) {
      const e = queue.shift();
      if (!e) {
        await new Promise<void>((r) => {
          wake = r;
        });
        wake = null;
        continue;
      }
      // Local events (negative ids) are never replayed from the backlog.
      if (e.id > 0 && replayed.delete(e.id)) continue;
      yield map(e);
    }
  } finally {
    off();
    opts.signal?.removeEventListener("abort", onAbort);
  }
}
