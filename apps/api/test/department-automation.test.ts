import { addJob, listJobs } from "@elsehu/core";
import { userWithToken, wsClient } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { userRow, waitFor } from "./conversation-fixtures";
import { type Pipeline, startPipeline, until } from "./pipeline-helpers";

/** The clock of the API, the worker and core (TIMEZONE America/Sao_Paulo): tests set the local time. */
let offsetMs = 0;
const clock = () => new Date(Date.now() + offsetMs);
const setLocalTime = (iso: string) => {
  offsetMs = new Date(iso).getTime() - Date.now();
};

let p: Pipeline;
const sockets: Array<{ ws: { close: () => void } }> = [];

beforeAll(async () => {
  p = await startPipeline({ now: clock });
});
afterAll(async () => {
  for (const s of sockets) s.ws.close();
  await p.close();
});

async function onlineOperator(name: string) {
  const u = await userWithToken(p.stack, "OPERATOR", { name, maxConcurrent: 10 });
  const ws = wsClient(p.stack.url, u.token);
  sockets.push(ws);
  await ws.client.presence.me.query();
  await waitFor(async () => (await userRow(p.stack.core, u.user.id)).presence === "ONLINE");
  return u;
}

async function conversationOf(phone: string) {
  const [row] = await p.stack.core.sql<
    {
      id: string;
      status: string;
      operator_id: string | null;
      tabulation_id: string | null;
      csat_score: number | null;
      csat_asked_at: Date | null;
    }[]
  >`select c.id, c.status, c.operator_id, c.tabulation_id, c.csat_score, c.csat_asked_at from conversations c
    join contacts ct on ct.id = c.contact_id where ct.phone = ${phone} order by c.created_at desc limit 1`;
  return row;
}

function sentTo(phone: string) {
  const digits = phone.replace(/\D/g, "");
  return p.sim.sentMessages().filter((m) => m.to === digits);
}
const textOf = (m: { request: unknown } | undefined) => {
  const r = m?.request as { text?: string | { body?: string } } | undefined;
  return typeof r?.text === "string" ? r.text : r?.text?.body;
};

/** Runs the assignment job through the worker and waits until no such job is left. */
async function drainQueue() {
  await p.stack.core.db.transaction((tx) => addJob(tx, "conversations/assign_waiting", { reason: "cron" }));
  await until(async () => (await listJobs(p.stack.core, { task: "conversations/assign_waiting" })).length === 0);
}

const WEEKDAYS = [1, 2, 3, 4, 5].map((day) => ({ day, open: "09:00", close: "18:00" }));

describe("business hours", () => {
  it("outside hours (a holiday) the customer gets the out-of-hours message once and waits for the opening", async () => {
    const admin = p.admin.client;
    const suporte = await admin.departments.create.mutate({
      name: "Suporte",
      hours: { weekly: WEEKDAYS, holidays: ["2026-12-08"] },
      outOfHoursMessage: "Olá {{nome}}! Atendemos de segunda a sexta, das 9h às 18h.",
      greetingMessage: "Olá {{nome}}, aqui é {{operador}}. Protocolo {{protocolo}}.",
      farewellMessage: "Obrigado pelo contato, {{nome}}!",
      csatEnabled: true,
      csatQuestion: "De 1 a 5, como foi o atendimento?",
    });
    const paulo = await onlineOperator("Paulo Suporte");
    await admin.departments.setMembers.mutate({ departmentId: suporte.id, members: [{ userId: paulo.user.id }] });
    await admin.instances.setRouting.mutate({
      instanceId: p.evolution.id,
      routing: { mode: "DEPARTMENT", departmentId: suporte.id },
    });
    // Tuesday 10:00 in São Paulo, within the weekly hours, but a holiday.
    setLocalTime("2026-12-08T10:00:00-03:00");
    const phone = "+5511922220001";
    await p.sim.injectInbound("EVOLUTION", { from: phone, body: "Oi, preciso de ajuda", name: "Carla" });
    const notice = await until(async () => sentTo(phone)[0]);
    expect(textOf(notice)).toBe("Olá Carla! Atendemos de segunda a sexta, das 9h às 18h.");
    await p.sim.injectInbound("EVOLUTION", { from: phone, body: "Alguém aí?" });
    await until(async () => {
      const [r] = await p.stack.core.sql`select count(*)::int as n from messages where body = 'Alguém aí?'`;
      return r?.n === 1;
    });
    await drainQueue();
    // Once per conversation, and nobody is given it while the department is closed.
    expect(sentTo(phone)).toHaveLength(1);
    expect(await conversationOf(phone)).toMatchObject({ status: "WAITING", operator_id: null });
    const queue = await admin.conversations.queue.query({ departmentId: suporte.id });
    expect(queue.items.map((c) => c.contact.phone)).toContain(phone);
    const listed = await admin.departments.list.query({});
    expect(listed.find((d) => d.id === suporte.id)).toMatchObject({ openNow: false });

    // Wednesday 09:00: open; the queue is served and the operator's greeting goes out.
    setLocalTime("2026-12-09T09:00:00-03:00");
    await drainQueue();
    const served = await until(async () => {
      const c = await conversationOf(phone);
      return c?.status === "OPEN" ? c : undefined;
    });
    expect(served.operator_id).toBe(paulo.user.id);
    const greeting = await until(async () => sentTo(phone)[1]);
    expect(textOf(greeting)).toMatch(/^Olá Carla, aqui é Paulo Suporte\. Protocolo \d{8}-\d+\.$/);

    // Closing says goodbye and asks for a score; the customer's typed "4" rates this conversation.
    const tab = await admin.tabulations.create.mutate({ name: "Resolvido" });
    await paulo.client.conversations.close.mutate({ id: served.id, tabulationId: tab.id });
    const [farewell, question] = await until(async () => (sentTo(phone).length >= 4 ? sentTo(phone).slice(2) : null));
    expect(textOf(farewell)).toBe("Obrigado pelo contato, Carla!");
    expect(question?.type).not.toBe("interactive");
    expect(textOf(question)).toContain("De 1 a 5, como foi o atendimento?");
    expect(textOf(question)).toContain("5. 5 - Excelente");
    await p.sim.injectInbound("EVOLUTION", { from: phone, body: "4" });
    const rated = await until(async () => {
      const [c] = await p.stack.core.sql<{ csat_score: number | null }[]>`
        select csat_score from conversations where id = ${served.id}`;
      return c?.csat_score ? c : undefined;
      // Webhooks apply in arrival order: the echoes of our sends before it may be retried first (2, 4, 8 s).
    }, 45_000);
    expect(rated.csat_score).toBe(4);
    const [n] = await p.stack.core.sql`select count(*)::int as n from conversations c join contacts ct
      on ct.id = c.contact_id where ct.phone = ${phone}`;
    expect(n?.n).toBe(1);
    const [answer] = await p.stack.core.sql`select conversation_id from messages where body = '4'`;
    expect(answer?.conversation_id).toBe(served.id);
    // A later message is a new conversation, not another score.
    await p.sim.injectInbound("EVOLUTION", { from: phone, body: "5" });
    await until(async () => {
      const c = await conversationOf(phone);
      return c && c.id !== served.id ? c : undefined;
    });
    const [again] = await p.stack.core.sql`select csat_score from conversations where id = ${served.id}`;
    expect(again?.csat_score).toBe(4);
  });

  it("a department set to close out of hours closes the conversation with its tabulation", async () => {
    const admin = p.admin.client;
    const tab = await admin.tabulations.create.mutate({ name: "Fora do horário" });
    const plantao = await admin.departments.create.mutate({
      name: "Comercial",
      hours: { weekly: WEEKDAYS, holidays: [] },
      outOfHoursMessage: "Estamos fechados. Volte na segunda, {{nome}}.",
      outOfHoursTabulationId: tab.id,
    });
    await admin.instances.setRouting.mutate({
      instanceId: p.meta.id,
      routing: { mode: "DEPARTMENT", departmentId: plantao.id },
    });
    // Sunday afternoon.
    setLocalTime("2026-12-13T15:00:00-03:00");
    const phone = "+5511922220002";
    await p.sim.injectInbound("META", { from: phone, body: "Oi", name: "Davi" });
    const closed = await until(async () => {
      const c = await conversationOf(phone);
      return c?.status === "CLOSED" ? c : undefined;
    });
    expect(closed.tabulation_id).toBe(tab.id);
    const notice = await until(async () => sentTo(phone)[0]);
    expect(textOf(notice)).toBe("Estamos fechados. Volte na segunda, Davi.");
  });
});

describe("greeting, farewell and satisfaction on Meta", () => {
  it("greets on assignment, says goodbye on close, asks 1–5 as a list and stores the chosen row", async () => {
    // The real time: Meta's 24-hour window counts from the webhook's own timestamp.
    offsetMs = 0;
    const admin = p.admin.client;
    const vendas = await admin.departments.create.mutate({
      name: "Vendas",
      greetingMessage: "Olá {{nome}}, aqui é {{operador}}!",
      farewellMessage: "Até logo, {{nome}}.",
      csatEnabled: true,
    });
    const vera = await onlineOperator("Vera");
    await admin.departments.setMembers.mutate({ departmentId: vendas.id, members: [{ userId: vera.user.id }] });
    await admin.instances.setRouting.mutate({
      instanceId: p.meta.id,
      routing: { mode: "DEPARTMENT", departmentId: vendas.id },
    });
    const phone = "+5511922220003";
    await p.sim.injectInbound("META", { from: phone, body: "Quero comprar", name: "Bia" });
    const greeting = await until(async () => sentTo(phone)[0]);
    expect(textOf(greeting)).toBe("Olá Bia, aqui é Vera!");
    const conv = await conversationOf(phone);
    expect(conv, JSON.stringify(conv)).toMatchObject({ status: "OPEN", operator_id: vera.user.id });
    const tab = await admin.tabulations.create.mutate({ name: "Venda feita" });
    await vera.client.conversations.close.mutate({ id: conv?.id ?? "", tabulationId: tab.id });
    const [farewell, question] = await until(async () => (sentTo(phone).length >= 3 ? sentTo(phone).slice(1) : null));
    expect(textOf(farewell)).toBe("Até logo, Bia.");
    type List = { type: string; action: { sections: Array<{ rows: Array<{ id: string; title: string }> }> } };
    const interactive = (question?.request as { interactive?: List } | undefined)?.interactive;
    if (!interactive) throw new Error("no question was sent");
    expect(interactive.type).toBe("list");
    const rows = interactive.action.sections.flatMap((s) => s.rows);
    expect(rows.map((r) => r.title)).toEqual(["1 - Muito ruim", "2 - Ruim", "3 - Regular", "4 - Bom", "5 - Excelente"]);
    // The operator's console shows the automatic messages in the conversation.
    const messages = await vera.client.messages.list.query({ conversationId: conv?.id ?? "" });
    expect(messages.items.map((m) => m.body)).toEqual(
      expect.arrayContaining(["Olá Bia, aqui é Vera!", "Até logo, Bia."]),
    );
    await p.sim.injectInbound("META", {
      from: phone,
      type: "interactive",
      replyKind: "list",
      replyId: rows[4]?.id,
      body: rows[4]?.title,
    });
    await until(async () => (await conversationOf(phone))?.csat_score === 5, 45_000);
    const rated = await until(async () =>
      p.events.find((e) => e.kind === "conversation.rated" && e.payload.conversationId === conv?.id),
    );
    expect(rated.payload).toMatchObject({ conversationId: conv?.id, csatScore: 5 });
  });
});
