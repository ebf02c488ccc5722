import { type Stack, startStack, userWithToken } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerTo, rawSocket, until } from "./ws-raw";

/*
 * Issue 15, item 6: beside the per-user bounds, one API process holds at most WS_MAX_SOCKETS WebSockets and
 * WS_MAX_SUBSCRIPTIONS live subscriptions in all, whoever opens them: many accounts (or anonymous handshakes)
 * together cannot grow its memory without end. Per-user caps are left high here, so only the process's count.
 */
const SOCKETS = 4;
const SUBSCRIPTIONS = 3;
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    worker: false,
    api: { wsLimits: { socketsPerProcess: SOCKETS, subscriptionsPerProcess: SUBSCRIPTIONS } },
  });
});
afterAll(async () => {
  await stack?.close();
});

/** A signed-in raw socket that has answered a query. */
async function served(token: string) {
  const s = await rawSocket(stack.url, token);
  s.call(1, "query", "auth.me");
  expect(await answerTo(s, 1)).toMatchObject({ id: 1, result: {} });
  return s;
}

describe("WebSocket bounds per API process", () => {
  it("closes the socket past WS_MAX_SOCKETS with 1013 SERVER_BUSY, whoever opens it, and serves again when one closes", async () => {
    const [a, b, c] = await Promise.all([
      userWithToken(stack, "OPERATOR"),
      userWithToken(stack, "OPERATOR"),
      userWithToken(stack, "SUPERVISOR"),
    ]);
    const open = [await served(a.token), await served(a.token), await served(b.token), await served(b.token)];

    // A third user, well under his own cap, and an anonymous handshake are both refused, with the reason.
    const refused = await rawSocket(stack.url, c.token);
    refused.call(1, "query", "auth.me");
    expect(await refused.closed).toEqual({ code: 1013, reason: "SERVER_BUSY" });
    expect(refused.messages).toEqual([]);
    expect(stack.api.deps.sockets.countFor(c.user.id)).toBe(0);
    const anonymous = await rawSocket(stack.url);
    expect(await anonymous.closed).toEqual({ code: 1013, reason: "SERVER_BUSY" });

    open[0]?.ws.close();
    await open[0]?.closed;
    await until(
      () => stack.api.deps.sockets.countFor(a.user.id),
      (n) => n < 2,
    );
    const again = await served(c.token);
    for (const s of [...open, again]) s.ws.close();
    await Promise.all([...open, again].map((s) => s.closed));
  });

  it("refuses the subscription past WS_MAX_SUBSCRIPTIONS with SERVER_BUSY, and counts ended ones out", async () => {
    const [x, y] = await Promise.all([userWithToken(stack, "SUPERVISOR"), userWithToken(stack, "SUPERVISOR")]);
    const sx = await served(x.token);
    const sy = await served(y.token);
    const started = (s: typeof sx, id: number) =>
      until(
        () => s.messages,
        (m) => m.some((r) => r.id === id && (r.result?.type === "started" || r.error)),
      ).then((m) => m.find((r) => r.id === id && (r.result?.type === "started" || r.error)));

    sx.call(2, "subscription", "events.onQueue");
    sx.call(3, "subscription", "events.onQueue");
    sy.call(2, "subscription", "events.onQueue");
    for (const [s, id] of [
      [sx, 2],
      [sx, 3],
      [sy, 2],
    ] as const) {
      expect(await started(s, id)).toMatchObject({ result: { type: "started" } });
    }
    expect(stack.api.deps.subscriptions.count()).toBe(SUBSCRIPTIONS);

    // y holds one subscription, far below his own cap: the process's bound refuses his second.
    sy.call(3, "subscription", "events.onQueue");
    expect(await started(sy, 3)).toMatchObject({ error: { data: { reason: "SERVER_BUSY" } } });
    expect(stack.api.deps.subscriptions.countFor(y.user.id)).toBe(1);

    sx.stop(2);
    await until(
      () => stack.api.deps.subscriptions.count(),
      (n) => n < SUBSCRIPTIONS,
    );
    sy.call(4, "subscription", "events.onQueue");
    expect(await started(sy, 4)).toMatchObject({ result: { type: "started" } });
    for (const s of [sx, sy]) s.ws.close();
  });
});
