import { userWithToken, wsClient } from "@elsehu/testing";
import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { arrive, makeContact, makeInstance, waitFor } from "./conversation-fixtures";
import { assign, type Pipeline, startPipeline, until } from "./pipeline-helpers";

/**
 * The operator's workspace over the real API, worker and provider simulator:
 * protocol numbers, internal notes and conversation tags, with who may read
 * and change each.
 */
let p: Pipeline;
let opA: Awaited<ReturnType<typeof userWithToken>>;
let opB: Awaited<ReturnType<typeof userWithToken>>;
const CUSTOMER = "+5511987650001";
const OTHER = "+5511987650002";
const TZ = "Pacific/Kiritimati";
const closers: Array<() => void> = [];

async function codeOf(call: Promise<unknown>): Promise<string | undefined> {
  try {
    await call;
    return "OK";
  } catch (err) {
    if (err instanceof TRPCClientError) return (err.data as { code?: string } | undefined)?.code;
    throw err;
  }
}
async function reasonOf(call: Promise<unknown>): Promise<string | undefined> {
  try {
    await call;
    return "OK";
  } catch (err) {
    if (err instanceof TRPCClientError) return (err.data as { reason?: string } | undefined)?.reason;
    throw err;
  }
}

/** Today in `tz` as YYYYMMDD. */
const dayIn = (tz: string) =>
  new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" })
    .format(new Date())
    .replaceAll("-", "");

/** A customer writes through the simulator; the worker opens the conversation. */
async function customerWrites(phone: string, body: string) {
  expect(await p.sim.injectInbound("META", { from: phone, name: `Cliente ${phone.slice(-4)}`, body })).toBe(200);
  return until(async () => {
    const [row] = await p.stack.core.sql<{ id: string; protocol: string }[]>`
      select c.id, c.protocol from conversations c join contacts ct on ct.id = c.contact_id
      join messages m on m.conversation_id = c.id
      where ct.phone = ${phone} and m.body = ${body}`;
    return row;
  });
}

beforeAll(async () => {
  p = await startPipeline({ config: { timezone: TZ } });
  opA = await userWithToken(p.stack, "OPERATOR", { name: "Ana Operadora" });
  opB = await userWithToken(p.stack, "OPERATOR", { name: "Bruno Operador" });
});
afterAll(async () => {
  for (const c of closers) c();
  await p?.close();
});

describe("protocol numbers", () => {
  it("each conversation gets a unique AAAAMMDD-NNNNNN of its day in TIMEZONE, searchable in lists", async () => {
    const conv = await customerWrites(CUSTOMER, "Oi, preciso de ajuda");
    expect(conv.protocol).toMatch(/^\d{8}-\d{6}$/);
    expect(conv.protocol.slice(0, 8)).toBe(dayIn(TZ));
    // The day follows the timezone: UTC+14 and UTC-11 are never on the same date.
    const [days] = await p.stack.core.sql<{ east: string; west: string }[]>`
      select left(next_conversation_protocol(now(), 'Pacific/Kiritimati'), 8) as east,
             left(next_conversation_protocol(now(), 'Pacific/Pago_Pago'), 8) as west`;
    expect(days?.east).toBe(dayIn("Pacific/Kiritimati"));
    expect(days?.west).toBe(dayIn("Pacific/Pago_Pago"));

    // Many conversations opened at once: every number distinct, all of the same day.
    const inst = await makeInstance(p.stack.core);
    const contacts = await Promise.all(Array.from({ length: 30 }, (_, i) => makeContact(p.stack.core, `Lote ${i}`)));
    const opened = await Promise.all(contacts.map((c) => arrive(p.stack.core, c.id, inst.id)));
    const numbers = opened.map((o) => o.conversation.protocol);
    expect(new Set(numbers).size).toBe(30);
    for (const n of numbers) expect(n).toMatch(/^\d{8}-\d{6}$/);

    await assign(p.stack, conv.id, opA.user.id);
    const mine = await opA.client.conversations.mine.query();
    expect(mine.find((c) => c.id === conv.id)?.protocol).toBe(conv.protocol);
    // Searchable by protocol: its operator and staff find it; another operator does not.
    const found = await opA.client.conversations.list.query({ search: conv.protocol });
    expect(found.items.map((c) => c.id)).toEqual([conv.id]);
    const byDay = await p.admin.client.conversations.list.query({ search: conv.protocol.slice(0, 8), limit: 200 });
    expect(byDay.items.map((c) => c.id)).toContain(conv.id);
    expect((await opB.client.conversations.list.query({ search: conv.protocol })).items).toEqual([]);
  });
});

describe("internal notes", () => {
  it("stay in the timeline, never reach the customer, and only those who may read the conversation see them", async () => {
    const conv = await customerWrites(OTHER, "Meu pedido atrasou");
    await assign(p.stack, conv.id, opA.user.id);
    // Ana watches her stream; Bruno watches his (he has a conversation of his own).
    const aws = wsClient(p.stack.url, opA.token);
    const bws = wsClient(p.stack.url, opB.token);
    closers.push(
      () => aws.ws.close(),
      () => bws.ws.close(),
    );
    const seenByA: string[] = [];
    const seenByB: string[] = [];
    const subA = aws.client.events.onMessage.subscribe(
      {},
      { onData: (d) => d.data.kind === "message.created" && seenByA.push(String(d.data.payload.messageId)) },
    );
    const subB = bws.client.events.onMessage.subscribe(
      {},
      { onData: (d) => d.data.kind === "message.created" && seenByB.push(String(d.data.payload.messageId)) },
    );
    closers.push(
      () => subA.unsubscribe(),
      () => subB.unsubscribe(),
    );
    await new Promise((r) => setTimeout(r, 300));

    const note = await opA.client.messages.addNote.mutate({
      conversationId: conv.id,
      body: "Cliente já ligou duas vezes; oferecer frete grátis.",
    });
    await waitFor(async () => seenByA.includes(note.id));
    const page = await opA.client.messages.list.query({ conversationId: conv.id });
    const shown = page.items.find((m) => m.id === note.id);
    expect(shown).toMatchObject({ type: "note", authorName: "Ana Operadora" });

    // A real reply goes out after the note: the simulator gets the reply and never the note.
    await opA.client.messages.send.mutate({ conversationId: conv.id, body: "Vou verificar agora mesmo." });
    await until(async () => p.sim.sentMessages().some((m) => m.to === OTHER.slice(1)));
    const toCustomer = p.sim.sentMessages().filter((m) => m.to === OTHER.slice(1));
    expect(toCustomer).toHaveLength(1);
    expect(JSON.stringify(toCustomer)).not.toContain("frete grátis");
    // A note does not count as the first response.
    const [stamp] = await p.stack.core.sql<{ same: boolean }[]>`
      select c.first_response_at = (select created_at from messages where conversation_id = c.id
        and type = 'text' and direction = 'OUT') as same from conversations c where c.id = ${conv.id}`;
    expect(stamp?.same).toBe(true);

    // Bruno can neither read nor write it; his stream never carried it (a later event of his own did arrive).
    expect(await codeOf(opB.client.messages.addNote.mutate({ conversationId: conv.id, body: "intruso" }))).toBe(
      "FORBIDDEN",
    );
    expect(await codeOf(opB.client.messages.list.query({ conversationId: conv.id }))).toBe("FORBIDDEN");
    const own = await customerWrites("+5511987650003", "Sou cliente do Bruno");
    await assign(p.stack, own.id, opB.user.id);
    const mark = await opB.client.messages.addNote.mutate({ conversationId: own.id, body: "nota do Bruno" });
    await waitFor(async () => seenByB.includes(mark.id));
    expect(seenByB).not.toContain(note.id);

    // A supervisor reads it; empty and oversized notes are refused.
    const sup = await userWithToken(p.stack, "SUPERVISOR");
    const supPage = await sup.client.messages.list.query({ conversationId: conv.id });
    expect(supPage.items.some((m) => m.id === note.id && m.type === "note")).toBe(true);
    expect(await codeOf(opA.client.messages.addNote.mutate({ conversationId: conv.id, body: "   " }))).toBe(
      "BAD_REQUEST",
    );
    expect(await codeOf(opA.client.messages.addNote.mutate({ conversationId: conv.id, body: "x".repeat(2001) }))).toBe(
      "BAD_REQUEST",
    );
    // A note is not something to quote to the customer.
    expect(
      await reasonOf(opA.client.messages.send.mutate({ conversationId: conv.id, body: "ok", replyToId: note.id })),
    ).toBe("REPLY_TARGET_INVALID");

    // Kept in history: once Ana closes it and Bruno serves the customer again, he reads the note (read-only).
    const tab = await p.admin.client.tabulations.create.mutate({ name: "Resolvido notas" });
    await opA.client.conversations.close.mutate({ id: conv.id, tabulationId: tab.id });
    const again = await customerWrites(OTHER, "Voltei");
    await assign(p.stack, again.id, opB.user.id);
    const history = await opB.client.messages.list.query({ conversationId: conv.id });
    expect(history.items.some((m) => m.id === note.id)).toBe(true);
    expect(await codeOf(opB.client.messages.addNote.mutate({ conversationId: conv.id, body: "x" }))).toBe("FORBIDDEN");
  });
});

describe("conversation tags", () => {
  it("its operator and staff tag it; lists, reports and the export filter by them", async () => {
    const conv = await customerWrites("+5511987650004", "Quero trocar o produto");
    await assign(p.stack, conv.id, opA.user.id);
    const tagged = await opA.client.conversations.tag.mutate({ id: conv.id, add: ["VIP", "  Troca   urgente "] });
    expect(tagged.tags).toEqual(["vip", "troca urgente"]);
    const removed = await opA.client.conversations.tag.mutate({ id: conv.id, remove: ["Troca urgente"] });
    expect(removed.tags).toEqual(["vip"]);
    expect((await opA.client.conversations.mine.query()).find((c) => c.id === conv.id)?.tags).toEqual(["vip"]);

    expect(await codeOf(opB.client.conversations.tag.mutate({ id: conv.id, add: ["intruso"] }))).toBe("FORBIDDEN");
    expect(await codeOf(opA.client.conversations.tag.mutate({ id: conv.id, add: ["x".repeat(31)] }))).toBe(
      "BAD_REQUEST",
    );
    const many = Array.from({ length: 10 }, (_, i) => `t${i}`);
    expect(await reasonOf(opA.client.conversations.tag.mutate({ id: conv.id, add: many }))).toBe("TOO_MANY_TAGS");
    expect((await p.admin.client.conversations.get.query({ id: conv.id })).tags).toEqual(["vip"]);

    const sup = await userWithToken(p.stack, "SUPERVISOR");
    expect((await sup.client.conversations.tag.mutate({ id: conv.id, add: ["Garantia"] })).tags).toEqual([
      "vip",
      "garantia",
    ]);
    const listed = await sup.client.conversations.list.query({ tag: "VIP" });
    expect(listed.items.map((c) => c.id)).toEqual([conv.id]);
    expect((await opB.client.conversations.list.query({ tag: "vip" })).items).toEqual([]);

    // Reports and the CSV export: filtered by tag, with protocol, tags and notes in each line.
    await opA.client.messages.addNote.mutate({ conversationId: conv.id, body: "Troca aprovada pelo gerente" });
    const tab = await p.admin.client.tabulations.create.mutate({ name: "Troca feita" });
    await opA.client.conversations.close.mutate({ id: conv.id, tabulationId: tab.id });
    const day = new Intl.DateTimeFormat("en-CA", { timeZone: TZ }).format(new Date());
    const finished = await sup.client.reports.finished.query({ from: day, to: day, tag: "vip" });
    expect(finished.items.map((r) => r.id)).toEqual([conv.id]);
    const none = await sup.client.reports.finished.query({ from: day, to: day, tag: "inexistente" });
    expect(none.items).toEqual([]);
    const summary = await sup.client.reports.summary.query({ from: day, to: day, tag: "garantia" });
    expect(summary.counts.closed).toBe(1);
    const csv = await fetch(`${p.stack.url}/reports/finished.csv?from=${day}&to=${day}&tag=vip`, {
      headers: { authorization: `Bearer ${sup.token}` },
    }).then((r) => r.text());
    const [header, line, extra] = csv.trim().split("\r\n");
    expect(header?.split(",")).toEqual(expect.arrayContaining(["protocol", "tags", "notes"]));
    expect(line).toContain(conv.protocol);
    expect(line).toContain("vip | garantia");
    expect(line).toContain("Troca aprovada pelo gerente");
    expect(extra).toBeUndefined();
    // The protocol finds it in the finished list too.
    const byProtocol = await sup.client.reports.finished.query({ from: day, to: day, search: conv.protocol });
    expect(byProtocol.items.map((r) => r.id)).toEqual([conv.id]);
  });
});
