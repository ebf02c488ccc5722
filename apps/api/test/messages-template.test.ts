import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { isKind } from "@elsehu/core";
import { userWithToken } from "@elsehu/testing";
import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assign, messageById, messageByProviderId, type Pipeline, startPipeline, until } from "./pipeline-helpers";

/**
 * messages.sendTemplate through the real pipeline: API → graphile-worker → the
 * provider simulator over HTTP → signed status webhooks back. A conversation
 * whose customer has been silent for more than 24 h is only reachable this way
 * on a Meta number.
 */
let p: Pipeline;
let operator: Awaited<ReturnType<typeof userWithToken>>;
let metaConversation: string;
let evoConversation: string;
const META_CUSTOMER = "+5511987654321";
const EVO_CUSTOMER = "+5521998877665";

const FIXTURES = join(import.meta.dirname, "..", "..", "..", "packages", "providers", "fixtures", "meta");
const fixtureBody = (name: string) =>
  (JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), "utf8")) as { body: Record<string, unknown> }).body;

/** The tRPC code of a refused call, or "OK". */
async function codeOf(call: Promise<unknown>): Promise<string | undefined> {
  try {
    await call;
    return "OK";
  } catch (err) {
    if (err instanceof TRPCClientError) return (err.data as { code?: string } | undefined)?.code;
    throw err;
  }
}

const messageCount = async () => (await p.stack.core.sql`select count(*)::int as n from messages`)[0]?.n;
const outsideWindow = (id: string) =>
  p.stack.core.sql`update conversations set last_inbound_at = now() - interval '25 hours' where id = ${id}`;

/** The template of send_template_request.json: positional variables in a header link, body and buttons. */
const orderUpdate = () =>
  p.admin.client.templates.create.mutate({
    name: `Pedido atualizado ${randomUUID().slice(0, 6)}`,
    body: "Olá {{1}}, seu pedido {{2}} foi atualizado. Total: R$ 89,90.",
    meta: {
      name: "pedido_atualizacao",
      language: "pt_BR",
      components: [
        {
          type: "header",
          parameters: [{ type: "image", image: { link: "https://cdn.example.com.br/img/pedido-{{3}}.jpg" } }],
        },
        {
          type: "body",
          parameters: [
            { type: "text", text: "{{1}}" },
            { type: "text", text: "{{2}}" },
            { type: "currency", currency: { fallback_value: "R$ 89,90", code: "BRL", amount_1000: 89900 } },
          ],
        },
        {
          type: "button",
          sub_type: "quick_reply",
          index: "0",
          parameters: [{ type: "payload", payload: "CONFIRMAR_{{3}}" }],
        },
        { type: "button", sub_type: "url", index: "1", parameters: [{ type: "text", text: "{{3}}" }] },
      ],
    },
  });

beforeAll(async () => {
  p = await startPipeline();
  operator = await userWithToken(p.stack, "OPERATOR");
  await p.sim.injectInbound("META", {
    from: META_CUSTOMER,
    body: "Cadê meu pedido?",
    id: "wamid.TPL-IN",
    name: "Maria",
  });
  metaConversation = (await until(() => messageByProviderId(p.stack, "wamid.TPL-IN"))).conversation_id;
  await p.sim.injectInbound("EVOLUTION", { from: EVO_CUSTOMER, body: "Oi", id: "EVO-TPL-IN", name: "João" });
  evoConversation = (await until(() => messageByProviderId(p.stack, "EVO-TPL-IN"))).conversation_id;
  await assign(p.stack, metaConversation, operator.user.id);
  await assign(p.stack, evoConversation, operator.user.id);
});
afterAll(async () => {
  await p.close();
});

describe("a template in a Meta conversation past the 24-hour window", () => {
  it("reaches Meta as the exact template JSON, shows the rendered text in the chat and is followed to READ", async () => {
    await outsideWindow(metaConversation);
    // Free text is refused there: that is why templates exist.
    expect(await codeOf(operator.client.messages.send.mutate({ conversationId: metaConversation, body: "oi" }))).toBe(
      "PRECONDITION_FAILED",
    );
    const template = await orderUpdate();
    const queued = await operator.client.messages.sendTemplate.mutate({
      conversationId: metaConversation,
      templateId: template.id,
      variables: { "1": "Maria", "2": "#4521", "3": "4521" },
    });
    expect(queued).toMatchObject({ status: "QUEUED", type: "template" });

    const providerId = await until(async () => (await messageById(p.stack, queued.id))?.provider_message_id);
    const request = p.sim.sentMessages().find((m) => m.providerMessageId === providerId)?.request;
    expect(request).toEqual({ ...fixtureBody("send_template_request"), biz_opaque_callback_data: queued.id });

    const { items } = await operator.client.messages.list.query({ conversationId: metaConversation, limit: 1 });
    expect(items[0]).toMatchObject({
      id: queued.id,
      type: "template",
      direction: "OUT",
      authorId: operator.user.id,
      body: "Olá Maria, seu pedido #4521 foi atualizado. Total: R$ 89,90.",
    });
    await p.sim.settled();
    await until(async () => (await messageById(p.stack, queued.id))?.status === "READ");
    const statuses = () =>
      p.events
        .filter(isKind("message.status"))
        .filter((e) => e.payload.messageId === queued.id)
        .map((e) => e.payload.status);
    // The READ event reaches the API's realtime hub through NOTIFY, a moment after the row changed.
    await until(async () => statuses().includes("READ"));
    expect(statuses()).toEqual(expect.arrayContaining(["SENT", "READ"]));
  });

  it("answers a customer's message: Meta gets its id as context; another conversation's message is refused", async () => {
    await outsideWindow(metaConversation);
    const template = await orderUpdate();
    const variables = { "1": "Maria", "2": "#4521", "3": "4521" };
    const customerMessage = await until(() => messageByProviderId(p.stack, "wamid.TPL-IN"));
    const queued = await operator.client.messages.sendTemplate.mutate({
      conversationId: metaConversation,
      templateId: template.id,
      variables,
      replyToId: customerMessage.id,
    });
    const { items } = await operator.client.messages.list.query({ conversationId: metaConversation, limit: 1 });
    expect(items[0]).toMatchObject({ id: queued.id, replyToId: customerMessage.id });
    const providerId = await until(async () => (await messageById(p.stack, queued.id))?.provider_message_id);
    const request = p.sim.sentMessages().find((m) => m.providerMessageId === providerId)?.request;
    expect(request).toEqual({
      ...fixtureBody("send_template_request"),
      biz_opaque_callback_data: queued.id,
      context: { message_id: "wamid.TPL-IN" },
    });

    const foreign = await until(() => messageByProviderId(p.stack, "EVO-TPL-IN"));
    const before = await messageCount();
    expect(
      await codeOf(
        operator.client.messages.sendTemplate.mutate({
          conversationId: metaConversation,
          templateId: template.id,
          variables,
          replyToId: foreign.id,
        }),
      ),
    ).toBe("BAD_REQUEST");
    expect(await messageCount()).toBe(before);
  });

  it("sends named parameters as Meta's NAMED format", async () => {
    await outsideWindow(metaConversation);
    const template = await p.admin.client.templates.create.mutate({
      name: "Lembrete de consulta",
      body: "Olá {{nome}}, lembrete da sua consulta em {{data}}.",
      meta: {
        name: "lembrete_consulta",
        language: "pt_BR",
        components: [
          {
            type: "body",
            parameters: [
              { type: "text", parameter_name: "nome", text: "{{nome}}" },
              { type: "text", parameter_name: "data", text: "{{data}}" },
            ],
          },
        ],
      },
    });
    const queued = await operator.client.messages.sendTemplate.mutate({
      conversationId: metaConversation,
      templateId: template.id,
      variables: { nome: "Maria", data: "22/10 às 14h" },
    });
    const providerId = await until(async () => (await messageById(p.stack, queued.id))?.provider_message_id);
    const request = p.sim.sentMessages().find((m) => m.providerMessageId === providerId)?.request;
    expect(request).toEqual({
      ...fixtureBody("send_template_named_params_request"),
      biz_opaque_callback_data: queued.id,
    });
    await p.sim.settled();
  });
});

describe("a template in an Evolution conversation", () => {
  it("goes out as its rendered text (Evolution has no templates) and follows receipts to READ", async () => {
    await outsideWindow(evoConversation);
    const template = await p.admin.client.templates.create.mutate({
      name: "Retomar contato",
      body: "Olá {{nome}}! Podemos continuar seu atendimento?",
    });
    const queued = await operator.client.messages.sendTemplate.mutate({
      conversationId: evoConversation,
      templateId: template.id,
      variables: { nome: "João" },
    });
    const providerId = await until(async () => (await messageById(p.stack, queued.id))?.provider_message_id);
    const sent = p.sim.sentMessages().find((m) => m.providerMessageId === providerId);
    expect(sent?.request).toEqual({ number: "5521998877665", text: "Olá João! Podemos continuar seu atendimento?" });
    await p.sim.settled();
    await until(async () => (await messageById(p.stack, queued.id))?.status === "READ");
    expect(await p.stack.core.sql`select id from messages where provider_message_id = ${providerId}`).toHaveLength(1);
  });
});

describe("what sendTemplate refuses, before anything is queued or sent", () => {
  it("names missing, blank and unknown variables, and unknown, inactive or foreign templates (BAD_REQUEST)", async () => {
    const meta = await orderUpdate();
    const inactive = await p.admin.client.templates.create.mutate({
      name: "Antigo",
      body: "Olá",
      meta: { name: "antigo", language: "pt_BR" },
      active: false,
    });
    const forEvolution = await p.admin.client.templates.create.mutate({
      name: "Só Evolution",
      body: "Olá",
      instanceId: p.evolution.id,
    });
    const textOnly = await p.admin.client.templates.create.mutate({ name: "Sem aprovação", body: "Olá" });
    const before = await messageCount();
    const sentBefore = p.sim.sentMessages().length;
    const refused = async (
      input: { conversationId?: string; templateId: string; variables?: Record<string, string> },
      message: RegExp,
    ) => {
      const err = await operator.client.messages.sendTemplate
        .mutate({ conversationId: metaConversation, ...input })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TRPCClientError);
      expect([(err as { data?: { code?: string } }).data?.code, (err as Error).message]).toEqual([
        "BAD_REQUEST",
        expect.stringMatching(message),
      ]);
    };
    await refused({ templateId: meta.id, variables: { "1": "Maria" } }, /preencha \{\{2\}\}, \{\{3\}\}/);
    await refused({ templateId: meta.id, variables: { "1": "Maria", "2": " ", "3": "4521" } }, /preencha \{\{2\}\}/);
    await refused(
      { templateId: meta.id, variables: { "1": "a", "2": "b", "3": "c", cupom: "X" } },
      /o modelo não tem \{\{cupom\}\}/,
    );
    await refused({ templateId: randomUUID() }, /Modelo não encontrado/);
    await refused({ templateId: inactive.id }, /desativado/);
    await refused({ templateId: forEvolution.id }, /outro número/);
    // A Meta number only sends templates approved at Meta.
    await refused({ templateId: textOnly.id }, /Números Meta só enviam modelos aprovados/);
    await refused({ templateId: "not-a-uuid" }, /templateId/);
    expect(await messageCount()).toBe(before);
    expect(p.sim.sentMessages()).toHaveLength(sentBefore);
  });

  it("applies messages.send's access rules: another operator is FORBIDDEN, staff may, a closed conversation may not", async () => {
    const template = await orderUpdate();
    const input = {
      conversationId: metaConversation,
      templateId: template.id,
      variables: { "1": "a", "2": "b", "3": "c" },
    };
    const other = await userWithToken(p.stack, "OPERATOR");
    expect(await codeOf(other.client.messages.sendTemplate.mutate(input))).toBe("FORBIDDEN");
    expect(await codeOf(other.client.messages.send.mutate({ conversationId: metaConversation, body: "x" }))).toBe(
      "FORBIDDEN",
    );
    const supervisor = await userWithToken(p.stack, "SUPERVISOR");
    expect(await codeOf(supervisor.client.messages.sendTemplate.mutate(input))).toBe("OK");

    await p.stack.core
      .sql`update conversations set status = 'CLOSED', closed_at = now() where id = ${metaConversation}`;
    const before = await messageCount();
    // The operator no longer holds an open conversation; staff hit the closed state itself.
    expect(await codeOf(operator.client.messages.sendTemplate.mutate(input))).toBe("FORBIDDEN");
    const err = await supervisor.client.messages.sendTemplate.mutate(input).catch((e: unknown) => e);
    expect((err as { data?: { code?: string } }).data?.code).toBe("PRECONDITION_FAILED");
    expect((err as Error).message).toMatch(/closed/);
    expect(await messageCount()).toBe(before);
    await p.stack.core.sql`update conversations set status = 'OPEN', closed_at = null where id = ${metaConversation}`;
    await p.sim.settled();
  });

  it("lists for a number only the templates it may send", async () => {
    const names = async (instanceId: string) =>
      (await operator.client.templates.list.query({ sendableOn: instanceId })).map((t) => t.name);
    const onMeta = await names(p.meta.id);
    expect(onMeta).toEqual(expect.arrayContaining(["Lembrete de consulta"]));
    expect(onMeta.filter((n) => ["Antigo", "Só Evolution", "Sem aprovação", "Retomar contato"].includes(n))).toEqual(
      [],
    );
    const onEvolution = await names(p.evolution.id);
    expect(onEvolution).toEqual(expect.arrayContaining(["Só Evolution", "Sem aprovação", "Retomar contato"]));
    expect(onEvolution).not.toContain("Antigo");
  });
});
