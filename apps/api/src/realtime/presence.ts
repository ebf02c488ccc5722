import { randomUUID } from "node:crypto";
import { beatNode, type CoreContext, closeConnection, openConnection, retireNode, sweepPresence } from "@elsehu/core";
import type { SocketRegistry, Tracked } from "./sockets";

export type PresenceOptions = {
  /** Seconds a user without sockets stays ONLINE before going OFFLINE (PRESENCE_GRACE). */
  graceSeconds: number;
  heartbeatMs?: number;
  sweepMs?: number;
};

/**
 * This process's half of presence: one `presence_connections` row per
 * authenticated socket, a node heartbeat every ~10 s (a process that stops
 * beating stops counting after NODE_STALE_SECONDS), and a frequent sweep that
 * turns users OFFLINE after the grace period. Writes for one socket are chained
 * so a quick connect/disconnect never lands in the wrong order.
 */
export class PresenceTracker {
  readonly nodeId = `api-${randomUUID()}`;
  private chains = new Map<string, Promise<void>>();
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private core: CoreContext,
    private sockets: SocketRegistry,
    private opts: PresenceOptions,
  ) {}

  async start(): Promise<void> {
    await beatNode(this.core, this.nodeId, []);
    this.sockets.onOpen = (s) =>
      this.chain(s, () => openConnection(this.core, { id: s.id, userId: s.userId, nodeId: this.nodeId }));
    this.sockets.onClose = (s) => this.chain(s, () => closeConnection(this.core, { id: s.id, userId: s.userId }));
    this.every(this.opts.heartbeatMs ?? 10_000, () => this.beat());
    this.every(this.opts.sweepMs ?? 3_000, () => this.sweep());
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.sockets.onOpen = null;
    this.sockets.onClose = null;
    await Promise.allSettled([...this.chains.values()]);
    await retireNode(this.core, this.nodeId).catch((err) => this.core.log.warn({ err }, "retire node failed"));
  }

  /** For crash tests: the node just stops beating, as a killed process would. */
  async stopWithoutRetiring(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.sockets.onOpen = null;
    this.sockets.onClose = null;
    await Promise.allSettled([...this.chains.values()]);
  }

  beat(): Promise<void> {
    const snapshotAt = new Date();
    const live = [...this.sockets.all()].map((s) => ({ id: s.id, userId: s.userId }));
    return beatNode(this.core, this.nodeId, live, snapshotAt);
  }

  async sweep(): Promise<void> {
    await sweepPresence(this.core, { graceSeconds: this.opts.graceSeconds });
  }

  private chain(s: Tracked, work: () => Promise<void>) {
    const prev = this.chains.get(s.id) ?? Promise.resolve();
    const next = prev
      .then(work)
      .catch((err) => this.core.log.warn({ err }, "presence write failed; the next heartbeat repairs it"));
    this.chains.set(s.id, next);
    void next.then(() => {
      if (this.chains.get(s.id) === next) this.chains.delete(s.id);
    });
  }

  private every(ms: number, fn: () => Promise<void>) {
    const t = setInterval(() => void fn().catch((err) => this.core.log.warn({ err }, "presence task failed")), ms);
    t.unref();
    this.timers.push(t);
  }
}
