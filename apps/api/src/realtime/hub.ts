import {
  type Actor,
  type CoreContext,
  canSee,
  EVENTS_CHANNEL,
  type EventKind,
  loadEventsAfter,
  loadEventsByIds,
  type Span,
  SpanKind,
  type StoredEvent,
  startSpanIn,
  tracingOn,
} from "@elsehu/core";
import type { Sql } from "@elsehu/db";
import { EventOrder } from "./event-order";

type Listener = (event: StoredEvent) => void;

const GAP_CHECK_MS = 200;
/** Pause before a load that failed (the database restarting) is tried again. */
const RETRY_MS = 500;

/**
 * One per API process: LISTENs on the events channel, loads the rows the
 * NOTIFYs name (batched), and fans them out to in-process subscribers in id
 * order (EventOrder), so a client that resumes after its last id never skips
 * an earlier one. After a reconnect of the LISTEN connection it reloads what
 * it may have missed, retrying until the database answers.
 */
export class RealtimeHub {
  private listeners = new Set<Listener>();
  private resyncListeners = new Set<() => void>();
  private pending: number[] = [];
  private flushing = false;
  private order = new EventOrder(0, (e) => this.emit(e));
  private gapTimer: NodeJS.Timeout | null = null;
  private checking = false;
  private stopped = false;
  /** Bumped on every LISTEN reconnect and on stop: an older catch-up loop gives way. */
  private generation = 0;
  private unlisten: (() => Promise<void>) | null = null;

  constructor(
    private core: CoreContext,
    private listenSql: Sql,
  ) {}

  async start(): Promise<void> {
    const [row] = await this.listenSql<{ id: number }[]>`select coalesce(max(id), 0)::int as id from events`;
    this.order = new EventOrder(row?.id ?? 0, (e) => this.emit(e));
    let first = true;
    const sub = await this.listenSql.listen(
      EVENTS_CHANNEL,
      (payload) => this.enqueue(Number(payload)),
      () => {
        if (!first) {
          // Events may have been missed while the link was down: let caches drop what they hold first.
          for (const fn of this.resyncListeners) fn();
          void this.catchUp(++this.generation);
        }
        first = false;
      },
    );
    this.unlisten = sub.unlisten;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.generation++;
    if (this.gapTimer) clearTimeout(this.gapTimer);
    this.gapTimer = null;
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
    return this.order.position();
  }

  /** Delivers an event raised in this process only (e.g. a session found expired). */
  emitLocal(event: StoredEvent): void {
    this.emit(event);
  }

  private enqueue(id: number) {
    if (!Number.isFinite(id)) return;
    this.pending.push(id);
    if (!this.flushing) {
      this.flushing = true;
      setImmediate(() => void this.flush());
    }
  }

  /** NOTIFY comes after commit, so a named event exists: a load that fails is tried again. */
  private async flush() {
    while (this.pending.length > 0 && !this.stopped) {
      const ids = this.pending.splice(0, 500);
      try {
        this.take(await loadEventsByIds(this.core, ids));
      } catch (err) {
        this.core.log.warn({ err }, "realtime flush failed; retrying");
        this.pending.unshift(...ids);
        await new Promise((r) => setTimeout(r, RETRY_MS));
      }
    }
    this.flushing = false;
  }

  /**
   * A NOTIFY that fired while the LISTEN link was down is gone: reload every event
   * after our position. The database may still be coming back, so it retries
   * until it gets an answer (or another reconnect starts a newer catch-up).
   */
  private async catchUp(generation: number) {
    while (generation === this.generation) {
      try {
        const from = this.order.position();
        const rows = await loadEventsAfter(this.core, from, 10_000);
        this.core.log.info({ from, events: rows.length }, "realtime link back; replaying what it may have missed");
        this.take(rows);
        return;
      } catch (err) {
        this.core.log.warn({ err }, "realtime catch-up failed; retrying");
        await new Promise((r) => setTimeout(r, RETRY_MS));
      }
    }
  }

  private take(rows: StoredEvent[]) {
    this.order.offer(rows);
    this.scheduleGapCheck();
  }

  private scheduleGapCheck() {
    if (this.order.hasHole() && !this.gapTimer && !this.checking && !this.stopped) {
      this.gapTimer = setTimeout(() => void this.checkGap(), GAP_CHECK_MS);
    }
  }

  /**
   * Loads ids still missing (committed, NOTIFY not yet here); gives up on the ones
   * the database says are still not there. One check at a time: while it waits on
   * the database (slow during an outage) other loads may deliver the same ids,
   * which EventOrder drops. A check that got no answer gives up on nothing.
   */
  private async checkGap() {
    this.gapTimer = null;
    if (this.stopped) return;
    this.checking = true;
    try {
      const missing = this.order.missing();
      if (missing.length > 0) this.order.offer(await loadEventsByIds(this.core, missing));
      this.order.giveUpOldHole();
    } catch (err) {
      this.core.log.warn({ err }, "realtime gap check failed");
    } finally {
      this.checking = false;
    }
    this.scheduleGapCheck();
  }

  private emit(e: StoredEvent) {
    for (const fn of this.listeners) fn(e);
  }
}

/**
 * The events `viewer` may see, as an async stream: live events are buffered
 * from before the backlog is read, so nothing falls between backlog and live.
 */
export function streamEvents<K extends EventKind = EventKind>(
  hub: RealtimeHub,
  core: CoreContext,
  viewer: Actor,
  opts: Omit<StreamOptions, "filter"> & {
    /** Only events of this kind (their payload then typed by the catalog). */
    kind?: K;
    filter?: (e: StoredEvent<K>) => boolean;
  },
): AsyncGenerator<StoredEvent<K>> {
  const { kind, filter, ...rest } = opts;
  const of = (e: StoredEvent): e is StoredEvent<K> => kind === undefined || e.kind === kind;
  return streamMapped(
    hub,
    core,
    viewer,
    { ...rest, filter: (e) => of(e) && (!filter || filter(e)) },
    // Only events that passed `of` reach here.
    (e) => e as StoredEvent<K>,
  );
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
  // While tracing: the push of a traced event to this socket is a span of the event's trace (NOTIFY → socket),
  // from the moment the hub hands it over until the socket has taken it.
  const pushes = tracingOn() ? new Map<StoredEvent, Span>() : null;
  const off = hub.subscribe((e) => {
    if (!accept(e)) return;
    queue.push(e);
    if (pushes && e.trace) {
      pushes.set(
        e,
        startSpanIn(e.trace, `realtime push ${e.kind}`, {
          kind: SpanKind.PRODUCER,
          attributes: { "elsehu.event.id": e.id, "elsehu.event.kind": e.kind, "enduser.id": viewer.id },
        }),
      );
    }
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
      const push = pushes?.get(e);
      if (e.id > 0 && replayed.delete(e.id)) {
        push?.end();
        pushes?.delete(e);
        continue;
      }
      yield map(e);
      if (push) {
        push.end();
        pushes?.delete(e);
      }
    }
  } finally {
    for (const push of pushes?.values() ?? []) push.end();
    off();
    opts.signal?.removeEventListener("abort", onAbort);
  }
}
