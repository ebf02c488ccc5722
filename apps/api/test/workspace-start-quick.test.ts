import { userWithToken } from "@elsehu/testing";
import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Pipeline, startPipeline, until } from "./pipeline-helpers";

/**
 * Quick replies (who sees and changes which) and starting a conversation (who
 * may, on which number, text or template), over the real API, worker and the
 * provider simulator.
 */
let p: Pipeline;
let opA: Awaited<ReturnType<typeof userWithToken>>;
let opB: Awaited<ReturnType<typeof userWithToken>>;
let sup: Awaited<ReturnType<typeof userWithToken>>;

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

beforeAll(async () => {
  p = await startPipeline();
  opA = await userWithToken(p.stack, "OPERATOR", { name: "Ana" });
  opB = await userWithToken(p.stack, "OPERATOR", { name: "Bruno" });
  sup = await userWithToken(p.stack, "SUPERVISOR", { name: "Sara" });
});
afterAll(async () => {
  await p?.close();
});

describe("quick replies", () => {
  it("personal ones are their owner's; shared ones everyone uses and only staff change", async () => {
    const mine = await opA.client.quickReplies.create.mutate({
      shortcut: "Ola",
      body: "Olá {{nome}}, sou {{operador}}!",
    });
    expect(mine).toMatchObject({ shortcut: "ola", shared: false, canEdit: true });
    expect(await failure(opA.client.quickReplies.create.mutate({ shortcut: "ola", body: "de novo" }))).toBe(
      "CONFLICT:QUICK_REPLY_SHORTCUT_TAKEN",
    );
    expect(await failure(opA.client.quickReplies.create.mutate({ shortcut: "com espaço", body: "x" }))).toBe(
      "BAD_REQUEST:INVALID_INPUT",
    );
    expect(await failure(opA.client.quickReplies.create.mutate({ shortcut: "x", body: "y".repeat(4097) }))).toBe(
      "BAD_REQUEST:INVALID_INPUT",
    );
    // An operator cannot share one.
    expect(await failure(opA.client.quickReplies.create.mutate({ shortcut: "geral", body: "x", shared: true }))).toBe(
      "FORBIDDEN:QUICK_REPLY_NOT_YOURS",
    );
    const shared = await sup.client.quickReplies.create.mutate({
      shortcut: "prazo",
      body: "Seu protocolo é {{protocolo}}. O prazo é de 5 dias úteis.",
      shared: true,
    });
    // Bruno sees the shared one, not Ana's; neither operator may change the shared one.
    const bList = await opB.client.quickReplies.list.query({});
    expect(bList.map((r) => [r.shortcut, r.shared, r.canEdit])).toEqual([["prazo", true, false]]);
    const aList = await opA.client.quickReplies.list.query({});
    expect(aList.map((r) => r.shortcut)).toEqual(["ola", "prazo"]);
    expect((await opA.client.quickReplies.list.query({ search: "útei" })).map((r) => r.shortcut)).toEqual(["prazo"]);
    expect(await failure(opB.client.quickReplies.update.mutate({ id: mine.id, body: "hack" }))).toBe(
      "FORBIDDEN:QUICK_REPLY_NOT_YOURS",
    );
    expect(await failure(opB.client.quickReplies.remove.mutate({ id: mine.id }))).toBe(
      "FORBIDDEN:QUICK_REPLY_NOT_YOURS",
    );
    expect(await failure(opA.client.quickReplies.update.mutate({ id: shared.id, body: "hack" }))).toBe(
      "FORBIDDEN:QUICK_REPLY_NOT_YOURS",
    );
    expect(await failure(opA.client.quickReplies.remove.mutate({ id: shared.id }))).toBe(
      "FORBIDDEN:QUICK_REPLY_NOT_YOURS",
    );
    // A supervisor's own copy of "ola" does not clash with Ana's; staff change the shared one.
    await sup.client.quickReplies.create.mutate({ shortcut: "ola", body: "Bom dia!" });
    await sup.client.quickReplies.update.mutate({ id: shared.id, body: "Prazo: 3 dias úteis ({{protocolo}})." });
    expect((await opB.client.quickReplies.list.query({}))[0]?.body).toBe("Prazo: 3 dias úteis ({{protocolo}}).");
    await opA.client.quickReplies.update.mutate({ id: mine.id, body: "Oi {{nome}}!" });
    await opA.client.quickReplies.remove.mutate({ id: mine.id });
    expect((await opA.client.quickReplies.list.query({})).map((r) => r.shortcut)).toEqual(["prazo"]);
    const [rows] = await p.stack.core.sql<{ n: number }[]>`select count(*)::int as n from quick_replies`;
    expect(rows?.n).toBe(2);
  });
});

describe("starting a conversation", () => {
  const NEW_CUSTOMER = "+5511976540001";
  const conversationsOf = (phone: string) =>
    p.stack.core.sql<{ id: string; status: string; operator_id: string; protocol: string }[]>`
      select c.id, c.status, c.operator_id, c.protocol from conversations c
      join contacts ct on ct.id = c.contact_id where ct.phone = ${phone} order by c.created_at`;

  it("a Meta number needs a template outside the window; the conversation is the starter's", async () => {
    // Text to someone who never wrote: refused, and nothing is left behind.
    expect(
      await failure(
        opA.client.conversations.start.mutate({ instanceId: p.meta.id, phone: "(11) 97654-0001", body: "Oi!" }),
      ),
    ).toBe("PRECONDITION_FAILED:TEMPLATE_REQUIRED");
    expect(await conversationsOf(NEW_CUSTOMER)).toEqual([]);
    const template = await p.admin.client.templates.create.mutate({
      name: "Primeiro contato",
      body: "Olá {{1}}, aqui é da Loja.",
      meta: {
        name: "primeiro_contato",
        language: "pt_BR",
        components: [{ type: "body", parameters: [{ type: "text", text: "{{1}}" }] }],
      },
    });
    const started = await opA.client.conversations.start.mutate({
      instanceId: p.meta.id,
      phone: "11 97654-0001",
      template: { templateId: template.id, variables: { "1": "Carla" } },
    });
    const [conv] = await conversationsOf(NEW_CUSTOMER);
    expect(conv).toMatchObject({ id: started.conversationId, status: "OPEN", operator_id: opA.user.id });
    expect(conv?.protocol).toMatch(/^\d{8}-\d{6}$/);
    await until(async () => p.sim.sentMessages().some((m) => m.to === NEW_CUSTOMER.slice(1) && m.type === "template"));
    expect((await opA.client.conversations.mine.query()).map((c) => c.id)).toContain(started.conversationId);

    // Someone else cannot start one with a customer being served.
    expect(
      await failure(opB.client.conversations.start.mutate({ instanceId: p.meta.id, phone: NEW_CUSTOMER, body: "Oi" })),
    ).toBe("CONFLICT:CONTACT_WITH_OTHER_OPERATOR");

    // The customer answers in the same conversation; after it closes, within 24 h, text may start a new one.
    expect(await p.sim.injectInbound("META", { from: NEW_CUSTOMER, name: "Carla", body: "Oi, pode falar" })).toBe(200);
    await until(async () => {
      const [row] = await p.stack.core.sql`select 1 from messages where conversation_id = ${started.conversationId}
        and direction = 'IN'`;
      return row;
    });
    const tab = await p.admin.client.tabulations.create.mutate({ name: "Contato feito" });
    await opA.client.conversations.close.mutate({ id: started.conversationId, tabulationId: tab.id });
    const again = await opB.client.conversations.start.mutate({
      instanceId: p.meta.id,
      phone: NEW_CUSTOMER,
      body: "Olá Carla, retomando seu atendimento.",
    });
    const all = await conversationsOf(NEW_CUSTOMER);
    expect(all.map((c) => c.status)).toEqual(["CLOSED", "OPEN"]);
    expect(all[1]).toMatchObject({ id: again.conversationId, operator_id: opB.user.id });
    expect(new Set(all.map((c) => c.protocol)).size).toBe(2);
    await until(async () =>
      p.sim
        .sentMessages()
        .some((m) => m.to === NEW_CUSTOMER.slice(1) && JSON.stringify(m.request).includes("retomando")),
    );
  });

  it("an Evolution number takes text; an admin can turn it off for operators, not for staff", async () => {
    const phone = "+5521976540002";
    await opA.client.conversations.start.mutate({ instanceId: p.evolution.id, phone, body: "Olá! Tudo bem?" });
    await until(async () => p.sim.sentMessages().some((m) => m.to.startsWith(phone.slice(1))));
    expect(
      await failure(opA.client.conversations.start.mutate({ instanceId: p.meta.id, phone: "123", body: "x" })),
    ).toBe("BAD_REQUEST:PHONE_INVALID");
    expect(
      await failure(
        opA.client.conversations.start.mutate({
          instanceId: p.meta.id,
          phone: "11976540003",
          body: "x",
          template: {
            templateId: "00000000-0000-4000-8000-000000000000",
          },
        }),
      ),
    ).toBe("BAD_REQUEST:INVALID_INPUT");

    expect(await failure(opA.client.settings.update.mutate({ operatorsStartConversations: "off" }))).toBe(
      "FORBIDDEN:ROLE_FORBIDDEN",
    );
    await p.admin.client.settings.update.mutate({ operatorsStartConversations: "off" });
    expect(
      await failure(
        opA.client.conversations.start.mutate({ instanceId: p.evolution.id, phone: "+5521976540004", body: "Oi" }),
      ),
    ).toBe("FORBIDDEN:START_DISABLED_FOR_OPERATORS");
    const bySup = await sup.client.conversations.start.mutate({
      instanceId: p.evolution.id,
      phone: "+5521976540004",
      body: "Oi, aqui é a supervisora.",
    });
    const [row] = await p.stack.core.sql<{ operator_id: string }[]>`
      select operator_id from conversations where id = ${bySup.conversationId}`;
    expect(row?.operator_id).toBe(sup.user.id);
    await p.admin.client.settings.update.mutate({ operatorsStartConversations: "on" });
  });
});
