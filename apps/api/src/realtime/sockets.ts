import { randomUUID } from "node:crypto";
import { type CoreContext, SESSION_ENDED, type StoredEvent, sessionStates } from "@elsehu/core";
import type { WebSocket } from "ws";
import type { RealtimeHub } from "./hub";

export type Tracked = { id: string; ws: WebSocket; userId: string; sessionId: string };

/**
 * Authenticated sockets of this process. Ends sockets whose session is revoked
 * (event), expired or whose user was deactivated (periodic check), after a short
 * delay so the `auth.onSessionEnded` notice reaches the client first.
 */
export class SocketRegistry {
  private sockets = new Set<Tracked>();
  private missing = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private off: (() => void) | null = null;
  onChange: ((userId: string) => void) | null = null;
  /** Per-socket hooks (presence records one row per socket). */
  onOpen: ((s: Tracked) => void) | null = null;
  onClose: ((s: Tracked) => void) | null = null;

  constructor(
    private core: CoreContext,
    private hub: RealtimeHub,
    private opts: { checkEveryMs?: number; closeDelayMs?: number } = {},
  ) {}

  start() {
    this.off = this.hub.subscribe((e) => this.onEvent(e));
    this.timer = setInterval(() => void this.sweep(), this.opts.checkEveryMs ?? 30_000);
    this.timer.unref();
  }

  stop() {
    this.off?.();
    if (this.timer) clearInterval(this.timer);
  }

  track(ws: WebSocket, userId: string, sessionId: string) {
    const entry = { id: randomUUID(), ws, userId, sessionId };
    this.sockets.add(entry);
    this.onOpen?.(entry);
    this.onChange?.(userId);
    ws.once("close", () => {
      this.sockets.delete(entry);
      this.onClose?.(entry);
      this.onChange?.(userId);
    });
  }

  countFor(userId: string): number {
    let n = 0;
    for (const s of this.sockets) if (s.userId === userId) n++;
    return n;
  }

  all(): ReadonlySet<Tracked> {
    return this.sockets;
  }

  private onEvent(e: StoredEvent) {
    if (e.kind !== SESSION_ENDED) return;
    const ids = e.payload.sessionIds;
    for (const s of this.sockets) {
      if (s.userId !== e.userId) continue;
      if (ids === "ALL" || (Array.isArray(ids) && ids.includes(s.sessionId))) this.closeSoon(s);
    }
  }

  private closeSoon(s: Tracked) {
    setTimeout(() => s.ws.close(4001, "session ended"), this.opts.closeDelayMs ?? 300).unref();
  }

  /**
   * Finds sessions that expired or vanished and tells their sockets. A deleted
   * session is normally announced by its own event (revoke, logout...); one still
   * missing at the next sweep (e.g. purged) is ended here.
   */
  async sweep(): Promise<void> {
    const ids = [...new Set([...this.sockets].map((s) => s.sessionId))];
    if (ids.length === 0) return;
    try {
      const states = await sessionStates(this.core, ids);
      const missing = new Set<string>();
      for (const s of this.sockets) {
        const state = states.get(s.sessionId) ?? "gone";
        if (state === "alive") continue;
        if (state === "gone" && !this.missing.has(s.sessionId)) {
          missing.add(s.sessionId);
          continue;
        }
        this.hub.emitLocal({
          id: -Date.now(),
          kind: SESSION_ENDED,
          audience: "USER",
          userId: s.userId,
          payload: { userId: s.userId, sessionIds: [s.sessionId], reason: state === "expired" ? "expired" : "ended" },
          createdAt: this.core.now(),
        });
      }
      this.missing = missing;
    } catch (err) {
      this.core.log.warn({ err }, "session sweep failed");
    }
  }
}
