import { type CoreContext, SESSION_ENDED, type StoredEvent, sessionIdOf } from "@elsehu/core";
import type { RealtimeHub } from "../realtime/hub";

type Validation = Awaited<ReturnType<CoreContext["auth"]["validateSession"]>>;
/** Keyed by session id (the token's hash), the id events name. */
type Entry = { result: Validation; until: number; userId: string };

export type SessionCacheOptions = {
  /** How long a validated session is trusted without asking Postgres again (0 disables the cache). */
  ttlMs?: number;
  /** Most tokens kept; the oldest entry is dropped first. */
  maxEntries?: number;
};

/**
 * Token -> {session, user} for a few seconds, in front of lucia's validateSession:
 * it saves the one Postgres round trip every authenticated request made.
 *
 * Consistency window: a session ended or a user changed through this process is
 * forgotten before the mutation answers. One ended through another API process
 * (or the worker) is forgotten when its `session.ended` / `user.updated` event
 * arrives over LISTEN/NOTIFY, normally within milliseconds. If the LISTEN link is
 * down the TTL bounds staleness; after it reconnects the cache is emptied and the
 * hub replays the missed events. An entry never outlives the session's expiry,
 * and is not used once the session enters the second half of its idle timeout,
 * so lucia still extends (slides) it on a real validation.
 */
export class SessionCache {
  private entries = new Map<string, Entry>();
  /** Bumped on every invalidation: a lookup that started before one must not store its (maybe stale) answer. */
  private epoch = 0;
  private ttlMs: number;
  private maxEntries: number;
  private halfIdleMs: number;
  private offs: Array<() => void> = [];

  constructor(
    private core: Pick<CoreContext, "auth" | "config">,
    opts: SessionCacheOptions = {},
  ) {
    this.ttlMs = opts.ttlMs ?? 20_000;
    this.maxEntries = opts.maxEntries ?? 10_000;
    this.halfIdleMs = (core.config.sessionIdleTimeoutSeconds * 1000) / 2;
  }

  /** Follows the hub: ended sessions and changed users are forgotten at once; a reconnect empties the cache. */
  attach(hub: RealtimeHub): void {
    this.offs.push(hub.subscribe((e) => this.onEvent(e)));
    this.offs.push(hub.onResync(() => this.clear()));
  }

  detach(): void {
    for (const off of this.offs) off();
    this.offs = [];
    this.clear();
  }

  async validate(token: string): Promise<Validation> {
    const now = Date.now();
    const id = sessionIdOf(token);
    const hit = this.entries.get(id);
    if (hit) {
      const expiresAt = hit.result.session?.expiresAt.getTime() ?? 0;
      // Second half of the idle timeout: let lucia run so it extends the session.
      if (now < hit.until && now < expiresAt - this.halfIdleMs) return hit.result;
      this.entries.delete(id);
    }
    const epoch = this.epoch;
    const result = await this.core.auth.validateSession(token);
    if (this.ttlMs > 0 && result.session && result.user && epoch === this.epoch) {
      if (this.entries.size >= this.maxEntries) {
        const oldest = this.entries.keys().next();
        if (!oldest.done) this.entries.delete(oldest.value);
      }
      // Cached copies never ask the client to refresh its cookie again.
      const cached = { session: { ...result.session, fresh: false }, user: result.user } as Validation;
      this.entries.set(id, { result: cached, until: now + this.ttlMs, userId: result.user.id });
    }
    return result;
  }

  /** Forgets every cached session of `userId` (ended sessions, role or activation changes). */
  forgetUser(userId: string): void {
    this.epoch++;
    for (const [id, e] of this.entries) if (e.userId === userId) this.entries.delete(id);
  }

  forgetSessions(sessionIds: string[]): void {
    this.epoch++;
    for (const id of sessionIds) this.entries.delete(id);
  }

  clear(): void {
    this.epoch++;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private onEvent(e: StoredEvent) {
    if (e.kind === SESSION_ENDED) {
      const ids = e.payload.sessionIds;
      const userId = typeof e.payload.userId === "string" ? e.payload.userId : e.userId;
      if (Array.isArray(ids)) this.forgetSessions(ids.filter((id): id is string => typeof id === "string"));
      else if (userId) this.forgetUser(userId);
      else this.clear();
    } else if (e.kind === "user.updated") {
      const userId = e.payload.userId;
      if (typeof userId === "string") this.forgetUser(userId);
      else this.clear();
    }
  }
}
