import { addJob, listJobs } from "@elsehu/core";
import { userWithToken, wsClient } from "@elsehu/testing";
import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { userRow, waitFor } from "./conversation-fixtures";
import { type Pipeline, startPipeline, until } from "./pipeline-helpers";

/** The clock of the API, the worker and core: tests move it forward to reach a menu's timeout. */
let offsetMs = 0;
const clock = () => new Date(Date.now() + offsetMs);

let p: Pipeline;
let admin: Pipeline["admin"];
const sockets: Array<{ ws: { close: () => void } }> = [];
const departments: Record<string, { id: string; name: string }> = {};
/** A department made in beforeAll, by name. */
function dep(name: string) {
  const d = departments[name];
  if (!d) throw new Error(`no department ${name}`);
  return d;
}
let support: Awaited<ReturnType<typeof userWithToken>>;

beforeAll(async () => {
  p = await startPipeline({ now: clock });
  admin = p.admin;
  for (const name of ["Vendas", "Suporte técnico", "Financeiro", "Cancelamento", "Ouvidoria"]) {
    departments[name] = await admin.client.departments.create.mutate({ name });
  }
  // One operator online in Suporte técnico: whoever chooses it is served at once.
  support = await userWithToken(p.stack, "OPERATOR", { maxConcurrent: 10 });
  await admin.client.departments.setMembers.mutate({
    departmentId: dep("Suporte técnico").id,
    members: [{ userId: support.user.id }],
  });
  const ws = wsClient(p.stack.url, support.token);
  sockets.push(ws);
  await ws.client.presence.me.query();
  await waitFor(async () => (await userRow(p.stack.core, support.user.id)).presence === "ONLINE");
});
afterAll(async () => {
  for (const s of sockets) s.ws.close();
  await p.close();
});

const THREE = ["Vendas", "Suporte técnico", "Financeiro"];
const FIVE = ["Vendas", "Suporte técnico", "Financeiro", "Cancelamento", "Ouvidoria"];

function menu(titles: string[], fallback = "Ouvidoria", timeoutMinutes = 10) {
  return {
    mode: "MENU" as const,
    greeting: "Olá! Com qual setor você quer falar?",
    options: titles.map((t) => ({ title: t, departmentId: dep(t).id })),
    fallbackDepartmentId: dep(fallback).id,
    timeoutMinutes,
  };
}

async function conversationOf(phone: string) {
  const [row] = await p.stack.core.sql<
    {
      id: string;
      status: string;
      department_id: string | null;
      routing_state: string | null;
      operator_id: string | null;
    }[]
  >`select c.id, c.status, c.department_id, c.routing_state, c.operator_id from conversations c
    join contacts ct on ct.id = c.contact_id where ct.phone = ${phone} order by c.created_at desc limit 1`;
  return row;
}

/** What the simulator received as sends to this customer, oldest first. */
function sentTo(phone: string) {
  const digits = phone.replace(/\D/g, "");
  return p.sim.sentMessages().filter((m) => m.to === digits);
}

const routedTo = (phone: string, department: string) =>
  until(async () => {
    const c = await conversationOf(phone);
    return c && c.routing_state === null && c.department_id === dep(department).id ? c : undefined;
  });

type MetaInteractive = {
  type: string;
  body: { text: string };
  action: {
    buttons?: Array<{ reply: { id: string; title: string } }>;
    button?: string;
    sections?: Array<{ rows: Array<{ id: string; title: string }> }>;
  };
};

describe("first contact through the number's menu", () => {
  it("admins set a number's routing; a menu naming an unknown department or with one option is refused", async () => {
    const op = await userWithToken(p.stack, "OPERATOR");
    await expect(
      op.client.instances.setRouting.mutate({ instanceId: p.meta.id, routing: { mode: "GLOBAL" } }),
    ).rejects.toThrow(TRPCClientError);
    const one = { ...menu(THREE), options: menu(THREE).options.slice(0, 1) };
    await expect(admin.client.instances.setRouting.mutate({ instanceId: p.meta.id, routing: one })).rejects.toThrow(
      /at least 2 options/,
    );
    const ghost = { ...menu(THREE), fallbackDepartmentId: "00000000-0000-4000-8000-000000000000" };
    const err = await admin.client.instances.setRouting
      .mutate({ instanceId: p.meta.id, routing: ghost })
      .catch((e: TRPCClientError<never>) => e);
    expect((err as TRPCClientError<never>).data).toMatchObject({ reason: "DEPARTMENT_UNKNOWN" });
    const saved = await admin.client.instances.setRouting.mutate({ instanceId: p.meta.id, routing: menu(THREE) });
    expect(saved.routing).toMatchObject({ mode: "MENU", options: [{ title: "Vendas" }, {}, {}] });
    await admin.client.instances.setRouting.mutate({ instanceId: p.evolution.id, routing: menu(THREE) });
  });

  it("Meta: 3 options go out as reply buttons; the customer's button sends him to its department and its operator", async () => {
    const phone = "+5511911110001";
    await p.sim.injectInbound("META", { from: phone, body: "Oi", name: "Ana" });
    const sent = await until(async () => sentTo(phone).find((m) => m.type === "interactive"));
    const interactive = (sent.request as { interactive: MetaInteractive }).interactive;
    expect(interactive.type).toBe("button");
    expect(interactive.body.text).toBe("Olá! Com qual setor você quer falar?");
    expect(interactive.action.buttons?.map((b) => b.reply.title)).toEqual(THREE);
    // In the menu: not in any queue, not assigned.
    expect(await conversationOf(phone)).toMatchObject({ status: "WAITING", routing_state: "MENU" });
    const second = interactive.action.buttons?.[1]?.reply;
    await p.sim.injectInbound("META", { from: phone, type: "interactive", replyId: second?.id, body: second?.title });
    await routedTo(phone, "Suporte técnico");
    const served = await until(async () => {
      const c = await conversationOf(phone);
      return c?.status === "OPEN" ? c : undefined;
    });
    expect(served.operator_id).toBe(support.user.id);
  });

  it("Meta: more than 3 options go out as a list; the customer's row picks the department", async () => {
    await admin.client.instances.setRouting.mutate({ instanceId: p.meta.id, routing: menu(FIVE) });
    const phone = "+5511911110002";
    await p.sim.injectInbound("META", { from: phone, body: "Bom dia" });
    const sent = await until(async () => sentTo(phone).find((m) => m.type === "interactive"));
    const interactive = (sent.request as { interactive: MetaInteractive }).interactive;
    expect(interactive.type).toBe("list");
    const rows = interactive.action.sections?.flatMap((s) => s.rows) ?? [];
    expect(rows.map((r) => r.title)).toEqual(FIVE);
    await p.sim.injectInbound("META", {
      from: phone,
      type: "interactive",
      replyKind: "list",
      replyId: rows[3]?.id,
      body: rows[3]?.title,
    });
    await routedTo(phone, "Cancelamento");
  });

  it("Meta: the option's title typed in any case and without accents is understood", async () => {
    const phone = "+5511911110003";
    await p.sim.injectInbound("META", { from: phone, body: "Olá" });
    await until(async () => sentTo(phone).find((m) => m.type === "interactive"));
    await p.sim.injectInbound("META", { from: phone, body: "  SUPORTE tecnico! " });
    await routedTo(phone, "Suporte técnico");
  });

  it("Evolution: the menu is a numbered text; the typed number picks the department", async () => {
    const phone = "+5511911110004";
    await p.sim.injectInbound("EVOLUTION", { from: phone, body: "Oi" });
    const sent = await until(async () => sentTo(phone)[0]);
    expect(sent.type).not.toBe("interactive");
    const text = (sent.request as { text: string }).text;
    expect(text).toContain("Olá! Com qual setor você quer falar?");
    expect(text).toContain("1. Vendas\n2. Suporte técnico\n3. Financeiro");
    await p.sim.injectInbound("EVOLUTION", { from: phone, body: "3" });
    await routedTo(phone, "Financeiro");
  });

  it("Evolution: the typed title is understood too", async () => {
    const phone = "+5511911110005";
    await p.sim.injectInbound("EVOLUTION", { from: phone, body: "Oi" });
    await until(async () => sentTo(phone)[0]);
    await p.sim.injectInbound("EVOLUTION", { from: phone, body: "vendas" });
    await routedTo(phone, "Vendas");
  });

  it("an unmatched answer repeats the menu once, then the customer goes to the fallback department", async () => {
    const phone = "+5511911110006";
    await p.sim.injectInbound("EVOLUTION", { from: phone, body: "Oi" });
    await until(async () => sentTo(phone).length === 1);
    await p.sim.injectInbound("EVOLUTION", { from: phone, body: "quero falar com alguém" });
    const repeated = await until(async () => (sentTo(phone).length === 2 ? sentTo(phone) : undefined));
    expect((repeated[1]?.request as { text: string } | undefined)?.text).toContain("1. Vendas");
    expect(await conversationOf(phone)).toMatchObject({ routing_state: "MENU" });
    await p.sim.injectInbound("EVOLUTION", { from: phone, body: "7" });
    await routedTo(phone, "Ouvidoria");
    // No third menu.
    const menus = await p.stack.core.sql`select count(*)::int as n from messages m join conversations c
      on c.id = m.conversation_id join contacts ct on ct.id = c.contact_id
      where ct.phone = ${phone} and m.content->>'auto' = 'menu'`;
    expect(menus[0]?.n).toBe(2);
  });

  it("a customer who does not answer within the timeout goes to the fallback department (worker's sweep)", async () => {
    const phone = "+5511911110007";
    await p.sim.injectInbound("META", { from: phone, body: "Oi" });
    await until(async () => sentTo(phone).find((m) => m.type === "interactive"));
    const sweep = () => p.stack.core.db.transaction((tx) => addJob(tx, "conversations/route_timeouts", {}));
    // Before the timeout the sweep leaves him in the menu.
    offsetMs = 5 * 60_000;
    await sweep();
    await until(async () => (await listJobs(p.stack.core, { task: "conversations/route_timeouts" })).length === 0);
    expect(await conversationOf(phone)).toMatchObject({ routing_state: "MENU", department_id: null });
    offsetMs = 11 * 60_000;
    await sweep();
    await routedTo(phone, "Ouvidoria");
    const routed = await until(async () =>
      p.events.find((e) => e.kind === "conversation.routed" && e.payload.outcome === "timeout"),
    );
    expect(routed.payload).toMatchObject({ departmentId: dep("Ouvidoria").id });
  });

  it("after the choice the customer's messages are plain messages of his conversation", async () => {
    const phone = "+5511911110005";
    await p.sim.injectInbound("EVOLUTION", { from: phone, body: "2" });
    await until(async () => {
      const [r] = await p.stack.core.sql`select count(*)::int as n from messages m join conversations c
        on c.id = m.conversation_id join contacts ct on ct.id = c.contact_id where ct.phone = ${phone} and m.body = '2'`;
      return r?.n === 1;
    });
    // Still Vendas: "2" was not taken as a menu answer.
    expect((await conversationOf(phone))?.department_id).toBe(dep("Vendas").id);
  });
});
