import type { Socket } from "node:net";
import { publishEvent } from "@elsehu/core";
import { type Stack, startStack, userWithToken, wsClient } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawSocket as rawSocketAt, until } from "./ws-raw";

/*
 * Issue 15, item 6: what one user may hold on an API process's WebSockets is bounded: sockets
 * (WS_MAX_SOCKETS_PER_USER), live subscriptions (WS_MAX_SUBSCRIPTIONS_PER_USER) and the bytes a socket may
 * hold unsent (WS_MAX_BUFFERED_KB): a client that stops reading is dropped, not buffered for ever.
 */
const SOCKETS = 3;
const SUBSCRIPTIONS = 4;
const MAX_BUFFERED = 256 * 1024;
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    worker: false,
    api: {
      wsLimits: { socketsPerUser: SOCKETS, subscriptionsPerUser: SUBSCRIPTIONS, maxBufferedBytes: MAX_BUFFERED },
    },
  });
});
afterAll(async () => {
  await stack?.close();
});

const rawSocket = (token: string) => rawSocketAt(stack.url, token);

describe("WebSocket bounds per user", () => {
  it("closes the socket past WS_MAX_SOCKETS_PER_USER with the reason, and takes one again when a slot frees", async () => {
    const op = await userWithToken(stack, "OPERATOR");
    const open = [];
    for (let i = 0; i < SOCKETS; i++) {
      const s = await rawSocket(op.token);
      s.call(1, "query", "auth.me");
      await until(
        () => s.messages,
        (m) => m.some((x) => x.id === 1),
      );
      open.push(s);
    }
    expect(stack.api.deps.sockets.countFor(op.user.id)).toBe(SOCKETS);

    const extra = await rawSocket(op.token);
    extra.call(1, "query", "auth.me");
    expect(await extra.closed).toEqual({ code: 4029, reason: "TOO_MANY_SOCKETS" });
    expect(extra.messages.some((m) => m.id === 1 && m.result)).toBe(false);
    // Another user is not affected.
    const other = await userWithToken(stack, "OPERATOR");
    const theirs = await rawSocket(other.token);
    theirs.call(1, "query", "auth.me");
    expect(
      (
        await until(
          () => theirs.messages,
          (m) => m.length > 0,
        )
      )[0],
    ).toMatchObject({ id: 1, result: {} });

    open[0]?.ws.close();
    await open[0]?.closed;
    await until(
      () => stack.api.deps.sockets.countFor(op.user.id),
      (n) => n < SOCKETS,
    );
    const again = await rawSocket(op.token);
    again.call(1, "query", "auth.me");
    expect(
      (
        await until(
          () => again.messages,
          (m) => m.length > 0,
        )
      )[0],
    ).toMatchObject({ id: 1, result: {} });
    for (const s of [...open, again, theirs]) s.ws.close();
  });

  it("refuses the subscription past WS_MAX_SUBSCRIPTIONS_PER_USER with a reason, and counts ended ones out", async () => {
    const sup = await userWithToken(stack, "SUPERVISOR");
    const { client, ws } = wsClient(stack.url, sup.token);
    try {
      const subscribe = () =>
        new Promise<{ unsubscribe: () => void; outcome: "started" | string }>((resolve) => {
          const sub = client.events.onQueue.subscribe(
            {},
            {
              onStarted: () => resolve({ unsubscribe: () => sub.unsubscribe(), outcome: "started" }),
              onError: (err) =>
                resolve({
                  unsubscribe: () => sub.unsubscribe(),
                  outcome: String((err as { data?: { reason?: string } }).data?.reason),
                }),
            },
          );
        });
      const subs = [];
      for (let i = 0; i < SUBSCRIPTIONS; i++) subs.push(await subscribe());
      expect(subs.map((s) => s.outcome)).toEqual(Array(SUBSCRIPTIONS).fill("started"));
      const refused = await subscribe();
      expect(refused.outcome).toBe("TOO_MANY_SUBSCRIPTIONS");
      // One ends: its slot is free again.
      subs[0]?.unsubscribe();
      await until(
        () => stack.api.deps.subscriptions.countFor(sup.user.id),
        (n) => n < SUBSCRIPTIONS,
      );
      expect((await subscribe()).outcome).toBe("started");
    } finally {
      await ws.close();
    }
  });

  it("drops a socket whose client stops reading while events are published, instead of buffering them", async () => {
    const admin = await userWithToken(stack, "ADMIN");
    const s = await rawSocket(admin.token);
    s.call(1, "subscription", "events.onQueue");
    await until(
      () => s.messages,
      (m) => m.some((x) => x.id === 1 && x.result?.type === "started"),
    );
    // The client stops reading: its TCP socket is paused, so the kernel buffers fill and `ws` starts queueing.
    const tcp = (s.ws as unknown as { _socket: Socket })._socket;
    tcp.pause();
    const pad = "x".repeat(32 * 1024);
    let published = 0;
    // Far more than the socket buffers between the API and the client hold (and MAX_BUFFERED on top).
    while (stack.api.deps.sockets.countFor(admin.user.id) > 0 && published < 2_000) {
      await stack.core.db.transaction(async (tx) => {
        for (let i = 0; i < 20; i++) {
          await publishEvent(tx, {
            kind: "queue.changed",
            audience: { to: "ALL" },
            payload: { waiting: 1, byDepartment: { [pad]: 1 } },
          });
        }
      });
      published += 20;
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(stack.api.deps.sockets.countFor(admin.user.id)).toBe(0);
    // Reading again, the client finds its socket closed; a fresh one is served as usual.
    tcp.resume();
    const closed = await s.closed;
    expect(closed.code).toBe(1006);
    const fresh = await rawSocket(admin.token);
    fresh.call(1, "query", "auth.me");
    expect(
      (
        await until(
          () => fresh.messages,
          (m) => m.length > 0,
        )
      )[0],
    ).toMatchObject({ id: 1, result: {} });
    fresh.ws.close();
  });
});
