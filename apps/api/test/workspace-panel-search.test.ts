import { SNIPPET_END, SNIPPET_START } from "@elsehu/core";
import { userWithToken, wsClient } from "@elsehu/testing";
import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { userRow } from "./conversation-fixtures";
import { type Pipeline, startPipeline, until } from "./pipeline-helpers";

/**
 * The operator's workspace beyond the chat: message search (who finds what),
 * the customer panel's reads, transfer from the chat with a note the receiver
 * sees, and the name of a customer an operator wrote to first. Real API, worker
 * and provider simulator; operators start conversations by number, customers answer.
 */
let p: Pipeline;
type User = Awaited<ReturnType<typeof userWithToken>>;
let opA: User;
let opB: User;
let sup: User;
const sockets: Array<{ ws: { close: () => Promise<void> | void } }> = [];
const conv = {} as Record<"carla" | "diego" | "eva", string>;
const PHONES = { carla: "+5521976541001", diego: "+5521976541002", eva: "+5521976541003" };

async function failure(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "OK";
  } catch (err) {
    if (!(err instanceof TRPCClientError)) throw err;
    const d = err.data as { code?: string; reason?: string } | undefined;
    return `${d?.code}${d?.reason ? `:${d.reason}` : ""}`;
  }
}

/** The operator writes first to a typed number; the customer answers (with his profile name). */
async function startAndAnswer(op: User, phone: string, name: string, answers: string[]) {
  const started = await op.client.conversations.start.mutate({ instanceId: p.evolution.id, phone, body: "Olá!" });
  await until(async () => p.sim.sentMessages().some((m) => m.to.startsWith(phone.slice(1))));
  for (const body of answers) {
    expect(await p.sim.injectInbound("EVOLUTION", { from: phone, name, body })).toBe(200);
  }
  await until(async () => {
    const [row] = await p.stack.core.sql<{ n: number }[]>`select count(*)::int as n from messages
      where conversation_id = ${started.conversationId} and direction = 'IN'`;
    return (row?.n ?? 0) >= answers.length;
  });
  return started.conversationId;
}

async function online(u: User) {
  const ws = wsClient(p.stack.url, u.token);
  sockets.push(ws);
  await until(async () => (await userRow(p.stack.core, u.user.id)).presence === "ONLINE");
  return ws;
}

beforeAll(async () => {
  p = await startPipeline({ api: { presence: { graceSeconds: 1, sweepMs: 200 } } });
  opA = await userWithToken(p.stack, "OPERATOR", { name: "Ana" });
  opB = await userWithToken(p.stack, "OPERATOR", { name: "Bruno" });
  sup = await userWithToken(p.stack, "SUPERVISOR", { name: "Sara" });
  conv.carla = await startAndAnswer(opA, PHONES.carla, "Carla Dias", [
    "Não recebi a nota fiscal do pedido",
    "O pedido chegou sem a nota",
  ]);
  conv.diego = await startAndAnswer(opA, PHONES.diego, "Diego", ["Quero a segunda via do boleto"]);
  conv.eva = await startAndAnswer(opB, PHONES.eva, "Eva Lima", ["NAO RECEBI minha NOTA, é urgente"]);
});
afterAll(async () => {
  for (const s of sockets) await s.ws.close();
  await p?.close();
});

describe("a conversation an operator started by number", () => {
  it("on Meta (a template first) takes the customer's profile name from his answer", async () => {
    const template = await p.admin.client.templates.create.mutate({
      name: "Retorno",
      body: "Olá, aqui é da Loja.",
      meta: { name: "retorno", language: "pt_BR", components: [] },
    });
    const phone = "+5511976541009";
    const started = await opA.client.conversations.start.mutate({
      instanceId: p.meta.id,
      phone,
      template: { templateId: template.id, variables: {} },
    });
    await until(async () => p.sim.sentMessages().some((m) => m.to === phone.slice(1) && m.type === "template"));
    // The send recorded the customer's wa_id: his answer comes from a sender already known.
    await until(async () => {
      const [row] = await p.stack.core.sql`select 1 from messages where conversation_id = ${started.conversationId}
        and provider_message_id is not null`;
      return row;
    });
    expect(await p.sim.injectInbound("META", { from: phone, name: "Fábio Reis", body: "Oi, quem fala?" })).toBe(200);
    const named = await until(async () => {
      const c = (await opA.client.conversations.mine.query()).find((x) => x.id === started.conversationId);
      return c?.lastInboundAt ? c : undefined;
    });
    expect(named.contact.name).toBe("Fábio Reis");
    await opA.client.conversations.close.mutate({
      id: started.conversationId,
      tabulationId: (await p.admin.client.tabulations.create.mutate({ name: "Retorno feito" })).id,
    });
  });

  it("takes the customer's name from his first answer, in the chat and in the contact", async () => {
    const mine = await opA.client.conversations.mine.query();
    expect(mine.find((c) => c.id === conv.carla)?.contact.name).toBe("Carla Dias");
    const current = await opA.client.conversations.get.query({ id: conv.diego });
    expect(current.contact.name).toBe("Diego");
    const contact = await opA.client.contacts.get.query({ id: current.contact.id });
    expect(contact.name).toBe("Diego");
    // Found by name afterwards, like any contact.
    const found = await sup.client.contacts.list.query({ search: "carla dias" });
    expect(found.items.map((c) => c.phone)).toEqual([PHONES.carla]);
  });
});

describe("messages.search", () => {
  it("finds Portuguese words whatever their accents and case, only in conversations the caller may read", async () => {
    const a = await opA.client.messages.search.query({ query: "nao recebi nota" });
    // Positive control: Ana's own customer; never Bruno's Eva, though her message matches too.
    expect(a.items.map((h) => h.conversationId)).toEqual([conv.carla]);
    expect(a.items[0]).toMatchObject({ contact: { name: "Carla Dias" }, mine: true, readOnly: false });
    expect(a.items[0]?.snippet).toContain("\u0002Não\u0003 \u0002recebi\u0003");
    const b = await opB.client.messages.search.query({ query: "não recebi nota" });
    expect(b.items.map((h) => h.conversationId)).toEqual([conv.eva]);
    // Stemming: "pedidos" finds "pedido"; staff search everything.
    const staff = await sup.client.messages.search.query({ query: "nota" });
    expect(new Set(staff.items.map((h) => h.conversationId))).toEqual(new Set([conv.carla, conv.eva]));
    expect((await opA.client.messages.search.query({ query: "PEDIDOS" })).items).toHaveLength(2);
    expect((await opB.client.messages.search.query({ query: "pedidos" })).items).toEqual([]);
  });

  it("pages newest first and refuses unbounded input", async () => {
    const first = await opA.client.messages.search.query({ query: "pedido", limit: 1 });
    expect(first.nextCursor).not.toBeNull();
    const second = await opA.client.messages.search.query({
      query: "pedido",
      limit: 1,
      cursor: first.nextCursor ?? "",
    });
    expect(second.nextCursor).toBeNull();
    const both = [...first.items, ...second.items];
    expect(both.map((h) => h.snippet.replaceAll(SNIPPET_START, "").replaceAll(SNIPPET_END, "")).sort()).toEqual([
      "Não recebi a nota fiscal do pedido",
      "O pedido chegou sem a nota",
    ]);
    expect(Date.parse(String(both[0]?.createdAt)) >= Date.parse(String(both[1]?.createdAt))).toBe(true);
    expect(await failure(opA.client.messages.search.query({ query: "a" }))).toBe("BAD_REQUEST:INVALID_INPUT");
    expect(await failure(opA.client.messages.search.query({ query: "x".repeat(101) }))).toBe(
      "BAD_REQUEST:INVALID_INPUT",
    );
    expect(await failure(opA.client.messages.search.query({ query: "nota", limit: 51 }))).toBe(
      "BAD_REQUEST:INVALID_INPUT",
    );
  });

  it("finds matches older than the newest thousand messages and than a year, newest first, page after page", async () => {
    // The search tests the newest 1,000 messages one by one, then goes back a day, a week, a month, a year and
    // the rest: 1,200 newer messages without the word push every match past the first step.
    const own = await startAndAnswer(opA, "+5521976541004", "Fabiana", ["Bom dia"]);
    const sql = p.stack.core.sql;
    const [instance] = await sql<{ id: string }[]>`select instance_id as id from conversations where id = ${own}`;
    await sql`insert into messages (conversation_id, instance_id, direction, type, body, status, created_at)
      select ${own}, ${instance?.id ?? ""}, 'IN', 'text', 'mensagem de rotina ' || g, 'DELIVERED', now() - make_interval(secs => g)
      from generate_series(1, 1200) g`;
    const ages = { own: [2, 72, 480, 4800, 19200, 525600], deleted: 120, eva: 240 }; // hours ago (the last: 60 years)
    for (const h of ages.own) {
      await sql`insert into messages (conversation_id, instance_id, direction, type, body, status, created_at)
        values (${own}, ${instance?.id ?? ""}, 'IN', 'text', ${`Orçamentos de ${h} horas atrás`}, 'DELIVERED',
          now() - make_interval(hours => ${h}))`;
    }
    await sql`insert into messages (conversation_id, instance_id, direction, type, body, status, created_at, deleted_at)
      values (${own}, ${instance?.id ?? ""}, 'IN', 'text', 'Orçamento apagado', 'DELIVERED',
        now() - make_interval(hours => ${ages.deleted}), now())`;
    await sql`insert into messages (conversation_id, instance_id, direction, type, body, status, created_at)
      values (${conv.eva}, ${instance?.id ?? ""}, 'IN', 'text', 'Orçamento da Eva', 'DELIVERED',
        now() - make_interval(hours => ${ages.eva}))`;

    const text = (h: { snippet: string }) => h.snippet.replaceAll(SNIPPET_START, "").replaceAll(SNIPPET_END, "");
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await opA.client.messages.search.query({ query: "orcamento", limit: 2, cursor });
      pages.push(page.items.map(text));
      cursor = page.nextCursor ?? undefined;
    } while (cursor && pages.length < 5);
    // Ana's six, never Eva's nor the deleted one, across every step, in order, the last page closing the list.
    expect(pages).toEqual([
      ["Orçamentos de 2 horas atrás", "Orçamentos de 72 horas atrás"],
      ["Orçamentos de 480 horas atrás", "Orçamentos de 4800 horas atrás"],
      ["Orçamentos de 19200 horas atrás", "Orçamentos de 525600 horas atrás"],
    ]);
    const staff = await sup.client.messages.search.query({ query: "orçamentos" });
    expect(staff.items.map(text)).toEqual([
      "Orçamentos de 2 horas atrás",
      "Orçamentos de 72 horas atrás",
      "Orçamento da Eva",
      "Orçamentos de 480 horas atrás",
      "Orçamentos de 4800 horas atrás",
      "Orçamentos de 19200 horas atrás",
      "Orçamentos de 525600 horas atrás",
    ]);
    expect(staff.nextCursor).toBeNull();

    // A phrase matches its words side by side only, in the windows too.
    for (const body of ["Quero a garantia estendida", "A garantia foi estendida"]) {
      await sql`insert into messages (conversation_id, instance_id, direction, type, body, status, created_at)
        values (${own}, ${instance?.id ?? ""}, 'IN', 'text', ${body}, 'DELIVERED', now() - interval '30 hours')`;
    }
    expect((await opA.client.messages.search.query({ query: '"garantia estendida"' })).items.map(text)).toEqual([
      "Quero a garantia estendida",
    ]);
  });

  it("an operator cannot read another operator's conversation, nor its customer's notes", async () => {
    await opB.client.messages.addNote.mutate({ conversationId: conv.eva, body: "Cliente VIP, prioridade" });
    expect((await opB.client.contacts.notes.query({ id: await contactOf(conv.eva) })).map((n) => n.body)).toEqual([
      "Cliente VIP, prioridade",
    ]);
    expect((await opB.client.messages.search.query({ query: "prioridade" })).items).toHaveLength(1);
    expect((await opA.client.messages.search.query({ query: "prioridade" })).items).toEqual([]);
    expect(await failure(opA.client.messages.list.query({ conversationId: conv.eva }))).toBe(
      "FORBIDDEN:CONVERSATION_NOT_YOURS",
    );
    expect(await failure(opA.client.contacts.notes.query({ id: await contactOf(conv.eva) }))).toBe(
      "FORBIDDEN:CONTACT_NOT_YOURS",
    );
    expect(await failure(opA.client.contacts.get.query({ id: await contactOf(conv.eva) }))).toBe(
      "FORBIDDEN:CONTACT_NOT_YOURS",
    );
    // An operator reads contacts; only staff change them.
    expect(await failure(opA.client.contacts.update.mutate({ id: await contactOf(conv.carla), name: "Outra" }))).toBe(
      "FORBIDDEN:ROLE_FORBIDDEN",
    );
    await sup.client.contacts.update.mutate({ id: await contactOf(conv.carla), tags: ["vip"] });
    expect((await opA.client.contacts.get.query({ id: await contactOf(conv.carla) })).tags).toEqual(["vip"]);
  });
});

describe("transfer from the chat", () => {
  it("an operator hands his conversation to an online colleague with a note the receiver sees", async () => {
    const aws = await online(opA);
    const bws = await online(opB);
    const bEvents: Array<{ kind: string; payload: Record<string, unknown> }> = [];
    bws.client.events.onConversation.subscribe({}, { onData: (d) => bEvents.push(d.data) });
    const targets = await opA.client.presence.transferTargets.query();
    expect(targets.map((t) => t.name)).toEqual(["Bruno"]);
    expect(targets[0]).toMatchObject({ id: opB.user.id, hasRoom: true });
    expect(
      await failure(
        opA.client.conversations.transfer.mutate({ id: conv.diego, operatorId: opB.user.id, note: "x".repeat(501) }),
      ),
    ).toBe("BAD_REQUEST:INVALID_INPUT");
    // Not his to give: Bruno's conversation.
    expect(await failure(opA.client.conversations.transfer.mutate({ id: conv.eva, operatorId: opA.user.id }))).toBe(
      "FORBIDDEN:CONVERSATION_NOT_YOURS",
    );
    // Only an active operator receives it.
    expect(await failure(opA.client.conversations.transfer.mutate({ id: conv.diego, operatorId: sup.user.id }))).toBe(
      "BAD_REQUEST:OPERATOR_NOT_ACTIVE",
    );
    // Message search follows the conversation: Ana's before the transfer, Bruno's after (her note included).
    const searched = async (u: User) => (await u.client.messages.search.query({ query: "segunda via" })).items;
    expect((await searched(opA)).map((h) => h.conversationId)).toEqual([conv.diego]);
    expect(await searched(opB)).toEqual([]);
    await opA.client.conversations.transfer.mutate({
      id: conv.diego,
      operatorId: opB.user.id,
      note: "Cliente quer a segunda via, já conferi o CPF",
    });
    expect((await searched(opB)).map((h) => [h.conversationId, h.mine])).toEqual([
      [conv.diego, true],
      [conv.diego, true],
    ]);
    expect(await searched(opA)).toEqual([]);
    const event = await until(async () => bEvents.find((e) => e.kind === "conversation.transferred"));
    expect(event.payload).toMatchObject({
      conversationId: conv.diego,
      operatorId: opB.user.id,
      byName: "Ana",
      note: "Cliente quer a segunda via, já conferi o CPF",
    });
    const timeline = await opB.client.messages.list.query({ conversationId: conv.diego });
    expect(timeline.items[0]).toMatchObject({
      type: "note",
      body: "Cliente quer a segunda via, já conferi o CPF",
      authorName: "Ana",
      content: { transfer: { toOperatorName: "Bruno", toDepartmentName: null } },
    });
    expect((await opB.client.conversations.mine.query()).map((c) => c.id)).toContain(conv.diego);
    expect(await failure(opA.client.messages.list.query({ conversationId: conv.diego }))).toBe(
      "FORBIDDEN:CONVERSATION_NOT_YOURS",
    );
    await aws.ws.close();
    await until(async () => (await userRow(p.stack.core, opA.user.id)).presence === "OFFLINE");
    // An offline colleague is not offered and cannot be chosen.
    expect(await opB.client.presence.transferTargets.query()).toEqual([]);
    expect(await failure(opB.client.conversations.transfer.mutate({ id: conv.diego, operatorId: opA.user.id }))).toBe(
      "PRECONDITION_FAILED:OPERATOR_OFFLINE",
    );
  });

  it("an operator sends his conversation to a department's queue, note included", async () => {
    const dep = await p.admin.client.departments.create.mutate({ name: "Financeiro" });
    await opB.client.conversations.transfer.mutate({ id: conv.diego, departmentId: dep.id, note: "Boleto vencido" });
    const [row] = await p.stack.core.sql<{ status: string; department_id: string }[]>`
      select status, department_id from conversations where id = ${conv.diego}`;
    expect(row).toEqual({ status: "WAITING", department_id: dep.id });
    // In the queue, nobody's: Bruno no longer finds its messages; staff do.
    expect((await opB.client.messages.search.query({ query: "segunda via" })).items).toEqual([]);
    expect((await sup.client.messages.search.query({ query: "segunda via" })).items).toHaveLength(2);
    const timeline = await sup.client.messages.list.query({ conversationId: conv.diego });
    expect(timeline.items[0]).toMatchObject({
      body: "Boleto vencido",
      content: { transfer: { toOperatorName: null, toDepartmentName: "Financeiro" } },
    });
  });
});

async function contactOf(conversationId: string): Promise<string> {
  const [row] = await p.stack.core.sql<{ contact_id: string }[]>`
    select contact_id from conversations where id = ${conversationId}`;
  if (!row) throw new Error("no such conversation");
  return row.contact_id;
}
