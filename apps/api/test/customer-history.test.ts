import { applyStatus, publishMessageCreated, saveStream } from "@elsehu/core";
import { messages } from "@elsehu/db";
import { type Stack, startStack, userWithToken, wsClient } from "@elsehu/testing";
import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { arrive, makeContact, makeInstance } from "./conversation-fixtures";

/**
 * One rule for a customer's history (core/conversations/access.ts): the operator
 * serving a customer reads that customer's past conversations on the same
 * number, read-only, without other operators' close notes; `customerHistory: off`
 * isolates operators strictly. Every read path is walked under both settings.
 */
let stack: Stack;
let admin: Awaited<ReturnType<typeof userWithToken>>;
let opA: Awaited<ReturnType<typeof userWithToken>>;
let opB: Awaited<ReturnType<typeof userWithToken>>;
const ids = {} as Record<"past" | "otherNumber" | "otherCustomer" | "current", string>;
const media = {} as Record<"past" | "otherNumber", string>;
let customer = "";
const pastOutgoing = "wamid.past";

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "OK";
  } catch (err) {
    if (err instanceof TRPCClientError) return String((err.data as { code?: string } | undefined)?.code);
    throw err;
  }
}

/** A finished (or open) conversation of `operatorId`, with a stored file and an outbound text. */
async function conversation(
  contactId: string,
  instanceId: string,
  operatorId: string,
  status: "CLOSED" | "OPEN",
  tag: string,
) {
  const { conversation: c } = await arrive(stack.core, contactId, instanceId);
  await stack.core.sql`update conversations set status = ${status}, operator_id = ${operatorId},
    assigned_at = now(), closed_at = ${status === "CLOSED" ? new Date().toISOString() : null}::timestamptz,
    close_note = ${status === "CLOSED" ? `nota de ${tag}` : null} where id = ${c.id}`;
  const storageKey = await saveStream(stack.core, Buffer.from(`foto ${tag}`));
  const [file] = await stack.core.db
    .insert(messages)
    .values({
      conversationId: c.id,
      instanceId,
      direction: "IN",
      type: "image",
      media: { storageKey, mimeType: "image/jpeg", fileName: `${tag}.jpg` },
    })
    .returning();
  await stack.core.db.insert(messages).values({
    conversationId: c.id,
    instanceId,
    direction: "OUT",
    type: "text",
    body: `resposta ${tag}`,
    status: "SENT",
    providerMessageId: `wamid.${tag}`,
  });
  return { id: c.id, mediaMessageId: String(file?.id) };
}

const download = (messageId: string, token: string) =>
  fetch(`${stack.url}/media/${messageId}`, { headers: { authorization: `Bearer ${token}` } });

beforeAll(async () => {
  stack = await startStack({ worker: false });
  admin = await userWithToken(stack, "ADMIN");
  opA = await userWithToken(stack, "OPERATOR");
  opB = await userWithToken(stack, "OPERATOR");
  const number1 = await makeInstance(stack.core);
  const number2 = await makeInstance(stack.core);
  const maria = await makeContact(stack.core, "Maria Histórico");
  customer = maria.id;
  const stranger = await makeContact(stack.core, "João Outro");
  // Operator A served Maria before, on both numbers, and João on number 1.
  const past = await conversation(maria.id, number1.id, opA.user.id, "CLOSED", "past");
  const otherNumber = await conversation(maria.id, number2.id, opA.user.id, "CLOSED", "otherNumber");
  const otherCustomer = await conversation(stranger.id, number1.id, opA.user.id, "CLOSED", "otherCustomer");
  // Now operator B serves Maria on number 1.
  const current = await conversation(maria.id, number1.id, opB.user.id, "OPEN", "current");
  Object.assign(ids, {
    past: past.id,
    otherNumber: otherNumber.id,
    otherCustomer: otherCustomer.id,
    current: current.id,
  });
  Object.assign(media, { past: past.mediaMessageId, otherNumber: otherNumber.mediaMessageId });
});
afterAll(async () => {
  await stack.close();
});

describe("customer history: on (the default)", () => {
  it("lets the serving operator read the customer's past conversation on the same number, without A's close note", async () => {
    expect((await admin.client.settings.get.query()).customerHistory).toBe("on");
    const past = await opB.client.conversations.get.query({ id: ids.past });
    expect(past.status).toBe("CLOSED");
    expect(past.closeNote).toBeNull();
    // A reads his own note.
    expect((await opA.client.conversations.get.query({ id: ids.past })).closeNote).toBe("nota de past");
    const page = await opB.client.messages.list.query({ conversationId: ids.past });
    expect(page.items.map((m) => m.body)).toContain("resposta past");
    const listed = await opB.client.conversations.list.query({ contactId: customer });
    expect(listed.items.map((c) => c.id).sort()).toEqual([ids.past, ids.current].sort());
    expect(listed.items.find((c) => c.id === ids.past)?.closeNote).toBeNull();
    const contact = await opB.client.contacts.get.query({ id: customer });
    expect(contact.conversations.recent.map((c) => c.id).sort()).toEqual([ids.past, ids.current].sort());
    // Message search: his own conversation and the history, read-only; never the other number nor customer.
    const found = await opB.client.messages.search.query({ query: "resposta" });
    expect(found.items.map((h) => [h.conversationId, h.readOnly])).toEqual([
      [ids.current, false],
      [ids.past, true],
    ]);
  });

  it("serves that conversation's media too (the same rule as its messages)", async () => {
    const res = await download(media.past, opB.token);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("foto past");
  });

  it("keeps other numbers and other customers closed, and the history read-only", async () => {
    expect(await codeOf(opB.client.conversations.get.query({ id: ids.otherNumber }))).toBe("FORBIDDEN");
    expect(await codeOf(opB.client.messages.list.query({ conversationId: ids.otherNumber }))).toBe("FORBIDDEN");
    expect((await download(media.otherNumber, opB.token)).status).toBe(403);
    expect(await codeOf(opB.client.conversations.get.query({ id: ids.otherCustomer }))).toBe("FORBIDDEN");
    expect(await codeOf(opB.client.conversations.markRead.mutate({ id: ids.past }))).toBe("FORBIDDEN");
    expect(await codeOf(opB.client.conversations.reopen.mutate({ id: ids.past }))).toBe("FORBIDDEN");
    expect(await codeOf(opB.client.messages.send.mutate({ conversationId: ids.past, body: "oi" }))).toBe("FORBIDDEN");
  });
});

describe("customer history: off", () => {
  it("is an admin's setting: operators cannot read or change it, supervisors read it", async () => {
    expect(await codeOf(opB.client.settings.update.mutate({ customerHistory: "off" }))).toBe("FORBIDDEN");
    expect(await codeOf(opB.client.settings.get.query())).toBe("FORBIDDEN");
    const sup = await userWithToken(stack, "SUPERVISOR");
    expect(await codeOf(sup.client.settings.update.mutate({ customerHistory: "off" }))).toBe("FORBIDDEN");
    expect(await codeOf(admin.client.settings.update.mutate({ customerHistory: "maybe" as "off" }))).toBe(
      "BAD_REQUEST",
    );
    expect(await admin.client.settings.update.mutate({ customerHistory: "off" })).toEqual({
      customerHistory: "off",
      operatorsStartConversations: "on",
    });
    expect((await sup.client.settings.get.query()).customerHistory).toBe("off");
    const [audit] = await stack.core.sql`select data from audit_log where action = 'settings.update'`;
    expect(audit?.data).toMatchObject({ after: { customerHistory: "off" } });
  });

  it("isolates operators strictly: no past conversation, message, media or contact summary of another", async () => {
    expect(await codeOf(opB.client.conversations.get.query({ id: ids.past }))).toBe("FORBIDDEN");
    expect(await codeOf(opB.client.messages.list.query({ conversationId: ids.past }))).toBe("FORBIDDEN");
    expect((await download(media.past, opB.token)).status).toBe(403);
    const listed = await opB.client.conversations.list.query({ contactId: customer });
    expect(listed.items.map((c) => c.id)).toEqual([ids.current]);
    const contact = await opB.client.contacts.get.query({ id: customer });
    expect(contact.conversations.recent.map((c) => c.id)).toEqual([ids.current]);
    const found = await opB.client.messages.search.query({ query: "resposta" });
    expect(found.items.map((h) => h.conversationId)).toEqual([ids.current]);
    // His own conversation and A's own history are untouched.
    expect((await opB.client.conversations.get.query({ id: ids.current })).status).toBe("OPEN");
    expect((await opA.client.conversations.get.query({ id: ids.past })).closeNote).toBe("nota de past");
  });
});

describe("customer history and events", () => {
  it.each(["on", "off"] as const)(
    "with history %s, the serving operator is not streamed the past conversation's events",
    async (setting) => {
      await admin.client.settings.update.mutate({ customerHistory: setting });
      const { client, ws } = wsClient(stack.url, opB.token);
      const got: string[] = [];
      let started!: () => void;
      const ready = new Promise<void>((r) => {
        started = r;
      });
      const sub = client.events.onMessage.subscribe(
        {},
        {
          onStarted: () => started(),
          onData: (e) => {
            const conversationId = e.data.payload.conversationId;
            if (typeof conversationId === "string") got.push(conversationId);
          },
        },
      );
      await ready;
      // The customer reads A's old answer late; then writes in B's conversation.
      const changed = await stack.core.db.transaction(async (tx) => {
        return applyStatus(tx, (await instanceOf(ids.past)) ?? "", {
          kind: "status",
          providerMessageId: pastOutgoing,
          status: setting === "on" ? "delivered" : "read",
          timestamp: new Date(),
        });
      });
      await stack.core.db.transaction((tx) =>
        publishMessageCreated(tx, {
          messageId: media.past,
          conversationId: ids.current,
          operatorId: opB.user.id,
          direction: "IN",
        }),
      );
      expect(changed).toBe(true);
      await expect.poll(() => got.includes(ids.current)).toBe(true);
      expect(got).not.toContain(ids.past);
      sub.unsubscribe();
      await ws.close();
    },
  );
});

async function instanceOf(conversationId: string) {
  const [row] = await stack.core.sql<{ instance_id: string }[]>`
    select instance_id from conversations where id = ${conversationId}`;
  return row?.instance_id;
}
