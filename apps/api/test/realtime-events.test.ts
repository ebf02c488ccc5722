import { publishEvent } from "@elsehu/core";
import { type Stack, silentLog, startStack, userWithToken, wsClient } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApi } from "../src/server";
import { arrive, makeContact, makeInstance, userRow, waitFor } from "./conversation-fixtures";

let stack: Stack;
const closers: Array<() => unknown> = [];
beforeAll(async () => {
  stack = await startStack({ api: { presence: { graceSeconds: 1, sweepMs: 200 } } });
});
afterAll(async () => {
  for (const c of closers) await c();
  await stack.close();
});

type Ev = { id: number; kind: string; payload: Record<string, unknown> };

describe("realtime events", () => {
  it("a client that reconnects with its last event id receives everything it missed", async () => {
    const sup = await userWithToken(stack, "SUPERVISOR");
    const s1 = wsClient(stack.url, sup.token);
    const got: Ev[] = [];
    // Only this test's marked events (the worker also reports the queue size).
    const mine = (e: Ev) => typeof e.payload.waiting === "number" && e.payload.waiting > 100;
    const sub = s1.client.events.onQueue.subscribe({}, { onData: (d) => mine(d.data) && got.push(d.data) });
    const raise = (n: number) =>
      stack.core.db.transaction((tx) =>
        publishEvent(tx, {
          kind: "queue.changed",
          audience: { to: "ALL" },
          payload: { waiting: 100 + n, byDepartment: {} },
        }),
      );
    await new Promise((r) => setTimeout(r, 300));
    await raise(1);
    await waitFor(async () => got.length === 1);
    sub.unsubscribe();
    void s1.ws.close();
    // While disconnected.
    await raise(2);
    await raise(3);
    const s2 = wsClient(stack.url, sup.token);
    closers.push(() => s2.ws.close());
    const lastEventId = got[0]?.id ?? 0;
    const again: Ev[] = [];
    s2.client.events.onQueue.subscribe({ lastEventId }, { onData: (d) => mine(d.data) && again.push(d.data) });
    await waitFor(async () => again.length >= 2);
    await raise(4);
    await waitFor(async () => again.length >= 3);
    expect(again.map((e) => e.payload.waiting)).toEqual([102, 103, 104]);
  });

  it("an assignment made in the worker reaches the operator's socket on another API process", async () => {
    const other = await startApi({ databaseUrl: stack.databaseUrl, port: 0, log: silentLog, config: stack.config });
    closers.push(() => other.close());
    await stack.core.sql`update users set presence = 'OFFLINE' where role = 'OPERATOR'`;
    const op = await userWithToken(stack, "OPERATOR");
    const ws = wsClient(other.url, op.token);
    closers.push(() => ws.ws.close());
    const got: Ev[] = [];
    ws.client.events.onConversation.subscribe({}, { onData: (d) => got.push(d.data) });
    await waitFor(async () => (await userRow(stack.core, op.user.id)).presence === "ONLINE");
    const inst = await makeInstance(stack.core);
    const { conversation } = await arrive(stack.core, (await makeContact(stack.core)).id, inst.id);
    const ev = await waitFor(async () => got.find((e) => e.kind === "conversation.assigned"));
    expect(ev.payload.conversationId).toBe(conversation.id);
    expect(ev.payload.operatorId).toBe(op.user.id);
  });

  it("a transfer tells the new operator and also the one who lost the conversation", async () => {
    await stack.core.sql`update users set presence = 'OFFLINE' where role = 'OPERATOR'`;
    const a = await userWithToken(stack, "OPERATOR");
    const b = await userWithToken(stack, "OPERATOR");
    const aws = wsClient(stack.url, a.token);
    closers.push(() => aws.ws.close());
    const gotA: Ev[] = [];
    const gotB: Ev[] = [];
    // Wait until each subscription is live: an event raised before that is not replayed without lastEventId.
    await new Promise<void>((started) =>
      aws.client.events.onConversation.subscribe({}, { onStarted: () => started(), onData: (d) => gotA.push(d.data) }),
    );
    await waitFor(async () => (await userRow(stack.core, a.user.id)).presence === "ONLINE");
    const inst = await makeInstance(stack.core);
    const { conversation } = await arrive(stack.core, (await makeContact(stack.core)).id, inst.id);
    await waitFor(async () => gotA.find((e) => e.kind === "conversation.assigned"));
    // B connects only now: connected earlier, he could have won the tie for this conversation.
    const bws = wsClient(stack.url, b.token);
    closers.push(() => bws.ws.close());
    await new Promise<void>((started) =>
      bws.client.events.onConversation.subscribe({}, { onStarted: () => started(), onData: (d) => gotB.push(d.data) }),
    );
    await waitFor(async () => (await userRow(stack.core, b.user.id)).presence === "ONLINE");
    await a.client.conversations.transfer.mutate({ id: conversation.id, operatorId: b.user.id });
    const toB = await waitFor(async () => gotB.find((e) => e.kind === "conversation.transferred"));
    const toA = await waitFor(async () => gotA.find((e) => e.kind === "conversation.transferred"));
    expect(toB.payload.operatorId).toBe(b.user.id);
    expect(toA.payload.previousOperatorId).toBe(a.user.id);
    expect(toA.payload.operatorId).toBe(b.user.id);
  });
});
