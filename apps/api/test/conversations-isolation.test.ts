import { publishEvent } from "@elsehu/core";
import { httpClient, type Stack, startStack, userWithToken, wsClient } from "@elsehu/testing";
import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "../src/router";
import { arrive, insertMessage, makeContact, makeInstance, userRow, waitFor } from "./conversation-fixtures";

let stack: Stack;
const closers: Array<() => void> = [];
beforeAll(async () => {
  stack = await startStack({ api: { presence: { graceSeconds: 1, sweepMs: 200 } } });
});
afterAll(async () => {
  for (const c of closers) c();
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

describe("operator isolation", () => {
  it("a second operator gets FORBIDDEN or nothing from every conversation/message procedure and subscription", async () => {
    const a = await userWithToken(stack, "OPERATOR");
    const b = await userWithToken(stack, "OPERATOR");
    const admin = await userWithToken(stack, "ADMIN");
    const tab = await admin.client.tabulations.create.mutate({ name: "Isolamento" });
    const template = await admin.client.templates.create.mutate({
      name: "Isolamento",
      body: "Olá {{1}}",
      meta: {
        name: "isolamento",
        language: "pt_BR",
        components: [{ type: "body", parameters: [{ type: "text", text: "{{1}}" }] }],
      },
    });
    const aws = wsClient(stack.url, a.token);
    closers.push(() => aws.ws.close());
    await waitFor(async () => (await userRow(stack.core, a.user.id)).presence === "ONLINE");
    const inst = await makeInstance(stack.core);
    const x = (await arrive(stack.core, (await makeContact(stack.core, "Segredo")).id, inst.id)).conversation;
    await waitFor(
      async () => (await userRow(stack.core, a.user.id)) && (await a.client.conversations.mine.query()).length === 1,
    );
    const secret = await insertMessage(stack.core, x, { body: "dado sensível" });
    await stack.core.db.transaction((tx) =>
      publishEvent(tx, {
        kind: "message.created",
        audience: { to: "USER", userId: a.user.id },
        payload: { messageId: secret.id, conversationId: x.id, operatorId: a.user.id, direction: "IN" },
      }),
    );

    // B connects too (so he is a real, online operator with his own subscriptions).
    const bws = wsClient(stack.url, b.token);
    closers.push(() => bws.ws.close());
    const walked = new Set<string>();
    const expectDenied = async (path: string, p: Promise<unknown>) => {
      walked.add(path);
      expect([path, await codeOf(p)]).toEqual([path, "FORBIDDEN"]);
    };
    const c = b.client;
    await expectDenied("conversations.get", c.conversations.get.query({ id: x.id }));
    await expectDenied("conversations.queue", c.conversations.queue.query({ limit: 10 }));
    await expectDenied("conversations.transfers", c.conversations.transfers.query({ id: x.id }));
    await expectDenied("conversations.markRead", c.conversations.markRead.mutate({ id: x.id }));
    await expectDenied("conversations.typing", c.conversations.typing.mutate({ id: x.id }));
    await expectDenied("conversations.transfer", c.conversations.transfer.mutate({ id: x.id, operatorId: null }));
    await expectDenied("conversations.close", c.conversations.close.mutate({ id: x.id, tabulationId: tab.id }));
    await expectDenied("conversations.reopen", c.conversations.reopen.mutate({ id: x.id }));
    await expectDenied(
      "conversations.start",
      c.conversations.start.mutate({ instanceId: inst.id, contactId: x.contactId, body: "intruso" }),
    );
    await expectDenied("conversations.tag", c.conversations.tag.mutate({ id: x.id, add: ["intruso"] }));
    await expectDenied("messages.list", c.messages.list.query({ conversationId: x.id }));
    await expectDenied("messages.addNote", c.messages.addNote.mutate({ conversationId: x.id, body: "intruso" }));
    await expectDenied("messages.send", c.messages.send.mutate({ conversationId: x.id, body: "intruso" }));
    await expectDenied(
      "messages.sendTemplate",
      c.messages.sendTemplate.mutate({ conversationId: x.id, templateId: template.id, variables: { "1": "intruso" } }),
    );
    await expectDenied(
      "messages.sendLocation",
      c.messages.sendLocation.mutate({ conversationId: x.id, latitude: 1, longitude: 1 }),
    );
    await expectDenied(
      "messages.sendContact",
      c.messages.sendContact.mutate({ conversationId: x.id, contacts: [{ name: "Intruso", phones: ["11940001234"] }] }),
    );
    await expectDenied("messages.react", c.messages.react.mutate({ messageId: secret.id, emoji: "👍" }));
    await expectDenied("messages.refetchMedia", c.messages.refetchMedia.mutate({ messageId: secret.id }));
    // Not a messages.* procedure, but it reads a message's shared card: same rule.
    await expectDenied("contacts.saveShared", c.contacts.saveShared.mutate({ messageId: secret.id, index: 0 }));
    const form = new FormData();
    form.set("conversationId", x.id);
    form.set("file", new File([new Uint8Array([137, 80, 78, 71])], "x.png", { type: "image/png" }));
    await expectDenied(
      "messages.sendMedia",
      httpClient(stack.url, b.token, { batch: false }).messages.sendMedia.mutate(form),
    );
    const sent = await stack.core.sql`select 1 from messages where conversation_id = ${x.id} and direction = 'OUT'`;
    expect(sent).toHaveLength(0);
    const emptyOf = (path: string, items: Array<{ id?: string; conversationId?: string }>) => {
      walked.add(path);
      expect([path, items.filter((i) => i.id === x.id || i.conversationId === x.id)]).toEqual([path, []]);
    };
    emptyOf("conversations.list", (await c.conversations.list.query({})).items);
    emptyOf("conversations.list", (await c.conversations.list.query({ operatorId: a.user.id })).items);
    emptyOf("conversations.list", (await c.conversations.list.query({ search: "segredo" })).items);
    emptyOf("conversations.mine", await c.conversations.mine.query());
    emptyOf("conversations.unreadCounts", await c.conversations.unreadCounts.query());
    // Message search: the owner finds the text (positive control), B finds nothing of it.
    const ownerHits = (await a.client.messages.search.query({ query: "sensível" })).items;
    expect(ownerHits.some((i) => i.conversationId === x.id)).toBe(true);
    emptyOf("messages.search", (await c.messages.search.query({ query: "sensível" })).items);

    // Subscriptions, replaying everything from the first event: nothing about A or X reaches B. The same
    // subscriptions for A, the owner, are the positive control: the filter below does catch A's events.
    const leaks: string[] = [];
    const ownerSeen: string[] = [];
    const names = ["onConversation", "onMessage", "onQueue", "onPresence"] as const;
    const aboutAorX = (p: object) =>
      ("conversationId" in p && p.conversationId === x.id) ||
      ("operatorId" in p && p.operatorId === a.user.id) ||
      ("userId" in p && p.userId === a.user.id);
    type Seen = (e: { kind: string; payload: object }) => void;
    const subscribe = (client: typeof bws.client, name: (typeof names)[number], seen: Seen) => {
      const on = { onData: (d: { data: { kind: string; payload: object } }) => seen(d.data) };
      if (name === "onConversation") return client.events.onConversation.subscribe({ lastEventId: 0 }, on);
      if (name === "onMessage") return client.events.onMessage.subscribe({ lastEventId: 0 }, on);
      if (name === "onQueue") return client.events.onQueue.subscribe({ lastEventId: 0 }, on);
      return client.events.onPresence.subscribe({ lastEventId: 0 }, on);
    };
    const subs = names.flatMap((name) => {
      walked.add(`events.${name}`);
      return [
        subscribe(bws.client, name, (e) => aboutAorX(e.payload) && leaks.push(`${name}:${e.kind}`)),
        // queue.changed carries only the queue's size (nothing about anyone): the owner sees it as B does.
        subscribe(
          aws.client,
          name,
          (e) => (aboutAorX(e.payload) || name === "onQueue") && ownerSeen.push(`${name}:${e.kind}`),
        ),
      ];
    });
    // Number status events are staff-only: an operator's subscription is refused outright.
    walked.add("events.onInstance");
    const refused = await new Promise<string | undefined>((resolve) => {
      bws.client.events.onInstance.subscribe(
        { lastEventId: 0 },
        { onData: () => resolve("data"), onError: (e) => resolve((e.data as { code?: string } | undefined)?.code) },
      );
    });
    expect(refused).toBe("FORBIDDEN");
    // Outbound webhook notices are for admins only.
    walked.add("events.onWebhook");
    const refusedWebhook = await new Promise<string | undefined>((resolve) => {
      bws.client.events.onWebhook.subscribe(
        { lastEventId: 0 },
        { onData: () => resolve("data"), onError: (e) => resolve((e.data as { code?: string } | undefined)?.code) },
      );
    });
    expect(refusedWebhook).toBe("FORBIDDEN");
    // Meanwhile the conversation changes hands and A changes status: still nothing for B.
    await a.client.presence.setStatus.mutate({ status: "PAUSED", reason: "café" });
    await a.client.conversations.close.mutate({ id: x.id, tabulationId: tab.id });
    // A supervisor watching gets those events, so the streams were live.
    const sup = await userWithToken(stack, "SUPERVISOR");
    const sws = wsClient(stack.url, sup.token);
    closers.push(() => sws.ws.close());
    const supSeen: string[] = [];
    const supSub = sws.client.events.onConversation.subscribe(
      { lastEventId: 0 },
      { onData: (d) => supSeen.push(d.data.kind) },
    );
    await waitFor(async () => supSeen.includes("conversation.closed"));
    // The owner's streams carry what B's must not: his conversation's messages, its closing, his presence.
    const ownerExpected = [
      "onConversation:conversation.assigned",
      "onConversation:conversation.closed",
      "onMessage:message.created",
      "onQueue:queue.changed",
      "onPresence:presence.changed",
    ];
    await waitFor(async () => ownerExpected.every((k) => ownerSeen.includes(k)));
    await new Promise((r) => setTimeout(r, 500));
    for (const s of subs) s.unsubscribe();
    supSub.unsubscribe();
    expect(leaks).toEqual([]);

    // Every conversation/message procedure and every subscription was walked.
    const all = Object.keys(appRouter._def.procedures).filter((k) => /^(conversations|messages|events)\./.test(k));
    expect(all.filter((k) => !walked.has(k))).toEqual([]);
  });
});
