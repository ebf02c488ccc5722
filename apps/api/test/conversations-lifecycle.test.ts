import { expireIdleConversations, onInboundMessage, onOutboundHumanMessage } from "@elsehu/core";
import { type Stack, startStack, userWithToken, wsClient } from "@elsehu/testing";
import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  arrive,
  conversationRow,
  insertMessage,
  makeContact,
  makeInstance,
  userRow,
  waitFor,
} from "./conversation-fixtures";

let stack: Stack;
const sockets: Array<{ ws: { close: () => void } }> = [];
beforeAll(async () => {
  stack = await startStack({ api: { presence: { graceSeconds: 1, sweepMs: 200 } } });
});
afterAll(async () => {
  for (const s of sockets) s.ws.close();
  await stack.close();
});

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return "OK";
  } catch (err) {
    if (err instanceof TRPCClientError) return (err.data as { code?: string } | undefined)?.code;
    throw err;
  }
}

/** An operator logged in with the console open (a live WebSocket), hence ONLINE. */
async function onlineOperator(maxConcurrent = 5) {
  const u = await userWithToken(stack, "OPERATOR", { maxConcurrent });
  const ws = wsClient(stack.url, u.token);
  sockets.push(ws);
  await waitFor(async () => (await userRow(stack.core, u.user.id)).presence === "ONLINE");
  return { ...u, ws };
}

describe("tabulations", () => {
  it("admins create, rename, deactivate and remove them; everyone lists the active ones", async () => {
    const admin = await userWithToken(stack, "ADMIN");
    const op = await userWithToken(stack, "OPERATOR");
    const t = await admin.client.tabulations.create.mutate({ name: "Venda realizada" });
    expect(await codeOf(admin.client.tabulations.create.mutate({ name: "venda REALIZADA" }))).toBe("CONFLICT");
    expect(await codeOf(admin.client.tabulations.create.mutate({ name: "  " }))).toBe("BAD_REQUEST");
    expect(await codeOf(op.client.tabulations.create.mutate({ name: "Outro" }))).toBe("FORBIDDEN");
    expect((await admin.client.tabulations.rename.mutate({ id: t.id, name: "Venda" })).name).toBe("Venda");
    await admin.client.tabulations.setActive.mutate({ id: t.id, active: false });
    expect((await op.client.tabulations.list.query()).map((x) => x.id)).not.toContain(t.id);
    expect((await admin.client.tabulations.list.query({ includeInactive: true })).map((x) => x.id)).toContain(t.id);
    const unused = await admin.client.tabulations.create.mutate({ name: "Nunca usada" });
    expect(await admin.client.tabulations.remove.mutate({ id: unused.id })).toEqual({
      deleted: true,
      deactivated: false,
    });
  });
});

describe("conversation lifecycle", () => {
  it("is assigned on arrival, tracks timestamps and unread, closes with a tabulation, and a new message opens a new one", async () => {
    const admin = await userWithToken(stack, "ADMIN");
    const tab = await admin.client.tabulations.create.mutate({ name: `Resolvido ${Date.now()}` });
    const op = await onlineOperator();
    const inst = await makeInstance(stack.core);
    const contact = await makeContact(stack.core, "Maria");
    const { conversation } = await arrive(stack.core, contact.id, inst.id);
    const mine = await waitFor(async () => {
      const list = await op.client.conversations.mine.query();
      return list.find((c) => c.id === conversation.id);
    });
    expect(mine.status).toBe("OPEN");
    expect(mine.contact.name).toBe("Maria");

    // The pipeline's hooks: unread grows, first response is recorded once.
    const t0 = new Date(Date.now() - 10_000);
    for (let i = 0; i < 3; i++) {
      const at = new Date(t0.getTime() + i * 1000);
      await insertMessage(stack.core, conversation, { body: `m${i}`, createdAt: at });
      await stack.core.db.transaction((tx) => onInboundMessage(tx, conversation, at));
    }
    // A late webhook never moves last_inbound_at back.
    await stack.core.db.transaction((tx) => onInboundMessage(tx, conversation, t0));
    const r1 = new Date(t0.getTime() + 5000);
    await stack.core.db.transaction((tx) => onOutboundHumanMessage(tx, conversation, r1));
    await stack.core.db.transaction((tx) => onOutboundHumanMessage(tx, conversation, new Date(t0.getTime() + 6000)));
    const row = await conversationRow(stack.core, conversation.id);
    expect(row.lastInboundAt?.getTime()).toBe(t0.getTime() + 2000);
    expect(row.firstResponseAt?.getTime()).toBe(r1.getTime());
    expect(row.lastMessageAt?.getTime()).toBe(t0.getTime() + 6000);
    expect(
      (await op.client.conversations.unreadCounts.query()).find((u) => u.conversationId === conversation.id)
        ?.unreadCount,
    ).toBe(4);
    await op.client.conversations.markRead.mutate({ id: conversation.id });
    expect((await op.client.conversations.get.query({ id: conversation.id })).unreadCount).toBe(0);

    // messages.list: newest first, cursor pagination.
    const page1 = await op.client.messages.list.query({ conversationId: conversation.id, limit: 2 });
    expect(page1.items.map((m) => m.body)).toEqual(["m2", "m1"]);
    const page2 = await op.client.messages.list.query({
      conversationId: conversation.id,
      limit: 2,
      cursor: page1.nextCursor ?? undefined,
    });
    expect(page2.items.map((m) => m.body)).toEqual(["m0"]);
    expect(page2.nextCursor).toBeNull();

    // Close: a tabulation is required and must be active.
    expect(
      await codeOf(op.client.conversations.close.mutate({ id: conversation.id, tabulationId: "not-a-uuid" })),
    ).toBe("BAD_REQUEST");
    const off = await admin.client.tabulations.create.mutate({ name: `Inativa ${Date.now()}` });
    await admin.client.tabulations.setActive.mutate({ id: off.id, active: false });
    expect(await codeOf(op.client.conversations.close.mutate({ id: conversation.id, tabulationId: off.id }))).toBe(
      "BAD_REQUEST",
    );
    await op.client.conversations.close.mutate({
      id: conversation.id,
      tabulationId: tab.id,
      note: "cliente satisfeito",
    });
    const closed = await conversationRow(stack.core, conversation.id);
    expect(closed.status).toBe("CLOSED");
    expect(closed.closeNote).toBe("cliente satisfeito");
    expect(closed.closedById).toBe(op.user.id);
    expect(await codeOf(op.client.conversations.close.mutate({ id: conversation.id, tabulationId: tab.id }))).toBe(
      "PRECONDITION_FAILED",
    );
    // The used tabulation cannot be deleted, only deactivated.
    expect(await admin.client.tabulations.remove.mutate({ id: tab.id })).toEqual({ deleted: false, deactivated: true });

    // The customer writes again: a new conversation, which goes to another operator; he may read the history.
    await op.client.presence.setStatus.mutate({ status: "PAUSED", reason: "almoço" });
    const op2 = await onlineOperator();
    const again = await arrive(stack.core, contact.id, inst.id);
    expect(again.created).toBe(true);
    await waitFor(async () => (await conversationRow(stack.core, again.conversation.id)).operatorId === op2.user.id);
    expect((await op2.client.conversations.get.query({ id: conversation.id })).status).toBe("CLOSED");
    expect((await op2.client.messages.list.query({ conversationId: conversation.id })).items).toHaveLength(3);
    const history = await op2.client.conversations.list.query({ contactId: contact.id });
    expect(history.items.map((c) => c.id).sort()).toEqual([conversation.id, again.conversation.id].sort());
    await op.client.presence.setStatus.mutate({ status: "ONLINE" });
  });

  it("supports transfers between operators, back to the queue, supervisor assignment over capacity and reopen", async () => {
    const sup = await userWithToken(stack, "SUPERVISOR");
    const admin = await userWithToken(stack, "ADMIN");
    const tab = await admin.client.tabulations.create.mutate({ name: `Transferida ${Date.now()}` });
    // Fill everyone else up so the two operators below are the only ones with room.
    await stack.core.sql`update users set presence = 'PAUSED' where role = 'OPERATOR'`;
    const a = await onlineOperator(1);
    const b = await onlineOperator(1);
    const inst = await makeInstance(stack.core);
    const c1 = (await arrive(stack.core, (await makeContact(stack.core)).id, inst.id)).conversation;
    const first = await waitFor(async () => (await conversationRow(stack.core, c1.id)).operatorId);
    const [owner, other] = first === a.user.id ? [a, b] : [b, a];
    const c2 = (await arrive(stack.core, (await makeContact(stack.core)).id, inst.id)).conversation;
    await waitFor(async () => (await conversationRow(stack.core, c2.id)).operatorId === other.user.id);

    // Operators cannot hand over to someone at capacity, nor force it, nor touch others' conversations.
    expect(await codeOf(owner.client.conversations.transfer.mutate({ id: c1.id, operatorId: other.user.id }))).toBe(
      "PRECONDITION_FAILED",
    );
    expect(
      await codeOf(owner.client.conversations.transfer.mutate({ id: c1.id, operatorId: other.user.id, force: true })),
    ).toBe("FORBIDDEN");
    expect(await codeOf(owner.client.conversations.transfer.mutate({ id: c2.id, operatorId: null }))).toBe("FORBIDDEN");
    // The supervisor may, with the explicit flag.
    expect(await codeOf(sup.client.conversations.transfer.mutate({ id: c1.id, operatorId: other.user.id }))).toBe(
      "PRECONDITION_FAILED",
    );
    await sup.client.conversations.transfer.mutate({ id: c1.id, operatorId: other.user.id, force: true });
    expect((await other.client.conversations.mine.query()).map((c) => c.id).sort()).toEqual([c1.id, c2.id].sort());
    // The other operator sends one back to the queue: it goes to the free operator.
    await other.client.conversations.transfer.mutate({ id: c1.id, operatorId: null });
    await waitFor(async () => (await conversationRow(stack.core, c1.id)).operatorId === owner.user.id);
    // The owner closes; the supervisor reopens it into the queue and it is assigned again.
    await owner.client.conversations.close.mutate({ id: c1.id, tabulationId: tab.id });
    expect(await codeOf(owner.client.conversations.reopen.mutate({ id: c1.id }))).toBe("FORBIDDEN");
    await sup.client.conversations.reopen.mutate({ id: c1.id });
    const reopened = await waitFor(async () => {
      const r = await conversationRow(stack.core, c1.id);
      return r.status === "OPEN" && r;
    });
    expect(reopened.operatorId).toBe(owner.user.id);
    expect(reopened.tabulationId).toBeNull();
    // Reopen refuses when the contact already has an active conversation on that instance.
    await owner.client.conversations.close.mutate({ id: c1.id, tabulationId: tab.id });
    await arrive(stack.core, c1.contactId, inst.id);
    expect(await codeOf(sup.client.conversations.reopen.mutate({ id: c1.id }))).toBe("CONFLICT");
  });

  it("expires conversations with no inbound message for CONVERSATION_TTL and frees the operator's slot", async () => {
    await stack.core.sql`update users set presence = 'PAUSED' where role = 'OPERATOR'`;
    await stack.core.sql`update conversations set status = 'CLOSED' where status in ('WAITING', 'OPEN')`;
    const op = await onlineOperator(1);
    const inst = await makeInstance(stack.core);
    const old = (await arrive(stack.core, (await makeContact(stack.core)).id, inst.id)).conversation;
    await waitFor(async () => (await conversationRow(stack.core, old.id)).operatorId === op.user.id);
    const queued = (await arrive(stack.core, (await makeContact(stack.core)).id, inst.id)).conversation;
    const inbound = new Date();
    await stack.core.db.transaction((tx) => onInboundMessage(tx, queued, inbound));
    // 23h later nothing expires; 25h later the first (assigned at creation) does, the second is younger.
    const at = (h: number) => ({ ...stack.core, now: () => new Date(Date.now() + h * 3600_000) });
    expect(await expireIdleConversations(at(23))).toBe(0);
    await stack.core
      .sql`update conversations set created_at = created_at - interval '2 hours', assigned_at = assigned_at - interval '2 hours', last_inbound_at = last_inbound_at - interval '2 hours' where id = ${old.id}`;
    expect(await expireIdleConversations(at(23))).toBe(1);
    const expired = await conversationRow(stack.core, old.id);
    expect(expired.status).toBe("EXPIRED");
    expect(expired.closedAt).not.toBeNull();
    // The freed slot takes the waiting conversation.
    await waitFor(async () => (await conversationRow(stack.core, queued.id)).operatorId === op.user.id);
  });
});
