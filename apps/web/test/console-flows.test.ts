import { randomUUID } from "node:crypto";
import { findOrOpenConversation, onInboundMessage, publishEvent } from "@elsehu/core";
import { contacts, messages, serviceInstances } from "@elsehu/db";
import { userWithToken } from "@elsehu/testing";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { screenshot } from "./browser";
import { type BrowserStack, startBrowserStack, type TestUser } from "./browser-stack";

/**
 * The console's main flows in a real browser against a real API and worker:
 * queue, assignment, the operator's live inbox and chat, closing with a
 * tabulation, reports moving, and the admin screens.
 */
let stack: BrowserStack;
let admin: TestUser;
let supervisor: TestUser;
let operator: TestUser;
let instanceId: string;
let evolutionId: string;

beforeAll(async () => {
  stack = await startBrowserStack({ timeout: 15_000 });
  admin = stack.admin;
  supervisor = await userWithToken(stack, "SUPERVISOR", { name: "Sara Supervisora" });
  operator = await userWithToken(stack, "OPERATOR", { name: "Otávio Operador", maxConcurrent: 5 });
  await admin.client.tabulations.create.mutate({ name: "Venda realizada" });
  const [inst] = await stack.core.db
    .insert(serviceInstances)
    .values({ name: "Loja", provider: "META", secrets: "x" })
    .returning();
  if (!inst) throw new Error("no instance");
  instanceId = inst.id;
  const [evolution] = await stack.core.db
    .insert(serviceInstances)
    .values({ name: "Loja Evolution", provider: "EVOLUTION", secrets: "x" })
    .returning();
  evolutionId = evolution?.id ?? "";
});
afterAll(() => stack?.close());

const signedIn = (user: TestUser) => stack.signedIn(user);

let phone = 5511987650000;
/** What the message pipeline does when a new customer writes: a contact and a (waiting) conversation. */
async function customerArrives(name: string) {
  phone++;
  const p = `+${phone}`;
  const [contact] = await stack.core.db
    .insert(contacts)
    .values({ name, phone: p, phoneKey: p, searchText: `${name.toLowerCase()} ${p.slice(1)}` })
    .returning();
  if (!contact) throw new Error("no contact");
  const { conversation } = await stack.core.db.transaction((tx) =>
    findOrOpenConversation(tx, { contactId: contact.id, instanceId, now: new Date() }),
  );
  return conversation;
}

/** Stores messages as the pipeline would (inbound bumps unread) and publishes message.created. */
async function addMessages(
  conv: { id: string; instanceId: string },
  operatorId: string,
  rows: Array<{
    direction: "IN" | "OUT";
    body: string;
    status?: "SENT" | "DELIVERED" | "READ" | "FAILED";
    error?: string;
  }>,
) {
  let at = Date.now() - rows.length * 1000;
  for (const r of rows) {
    const createdAt = new Date(at++);
    await stack.core.db.transaction(async (tx) => {
      const [m] = await tx
        .insert(messages)
        .values({
          conversationId: conv.id,
          instanceId: conv.instanceId,
          direction: r.direction,
          type: "text",
          body: r.body,
          status: r.status ?? "DELIVERED",
          errorMessage: r.error ?? null,
          providerMessageId: `wamid.${randomUUID()}`,
          createdAt,
        })
        .returning();
      if (!m) throw new Error("message insert returned nothing");
      if (r.direction === "IN") await onInboundMessage(tx, conv, createdAt);
      await publishEvent(tx, {
        kind: "message.created",
        audience: { to: "USER", userId: operatorId },
        payload: { conversationId: conv.id, operatorId, messageId: m.id, direction: r.direction },
      });
    });
  }
}

const statValue = (page: Page, key: string) => page.locator(`[data-stat="${key}"] .stat-value`);

// Whole flows in a browser: a loaded 2-core machine takes 20 s for the longest, so allow 90.
describe("console flows", { timeout: 90_000 }, () => {
  let firstConversationId = "";

  it("shows the supervisor the queue live, and lets him assign a waiting customer", async () => {
    const page = await signedIn(supervisor);
    await page.getByRole("heading", { name: "Fila" }).waitFor();
    await page.getByText("Fila vazia").waitFor();

    // No operator is online: the new conversation stays in the queue and shows up without a reload.
    const conv = await customerArrives("Bruno Fila");
    firstConversationId = conv.id;
    await page.getByRole("cell", { name: "Bruno Fila", exact: true }).waitFor();
    await page.getByText("1 cliente aguardando").waitFor();
    await screenshot(page, "supervisor-queue");

    await page.getByRole("button", { name: "Atribuir Bruno Fila a um operador" }).click();
    const dialog = page.getByRole("dialog", { name: "Atribuir Bruno Fila" });
    await dialog.getByLabel("Destino").selectOption(operator.user.id);
    await screenshot(page, "supervisor-assign");
    await dialog.getByRole("button", { name: "Atribuir" }).click();
    await page.getByText("Fila vazia").waitFor();
    await page.getByText("0 clientes aguardando").waitFor();
  });

  it("puts a new conversation in the operator's inbox live; he reads it and closes it with a tabulation", async () => {
    const page = await signedIn(operator);
    await page.getByRole("heading", { name: "Atendimentos" }).waitFor();
    await page.getByRole("button", { name: /Bruno Fila/ }).waitFor();
    // His console is open, so he is online and the worker assigns the next customer to him.
    await expect
      .poll(async () => (await operator.client.presence.me.query()).presence, { timeout: 10_000 })
      .toBe("ONLINE");
    const conv = await customerArrives("Carla Cliente");
    const row = page.getByRole("button", { name: /Carla Cliente/ });
    await row.waitFor();

    await addMessages(conv, operator.user.id, [
      { direction: "IN", body: "Boa tarde, quero saber do meu pedido" },
      { direction: "IN", body: "É o pedido 4521" },
    ]);
    await row.getByText("2 não lidas").waitFor();
    await page.waitForFunction(() => document.title.startsWith("(2) Atendimentos"));
    await screenshot(page, "operator-inbox");

    await row.click();
    const log = page.getByRole("log", { name: "Mensagens da conversa" });
    await log.getByText("Boa tarde, quero saber do meu pedido").waitFor();
    await log.getByText("É o pedido 4521").waitFor();
    await page.getByText(/Janela de 24 h aberta/).waitFor();
    await page.waitForFunction(() => !document.title.startsWith("("));

    // Messages arriving in the open chat appear in place, with their delivery state.
    await addMessages(conv, operator.user.id, [
      { direction: "OUT", body: "Olá Carla! Seu pedido saiu para entrega.", status: "READ" },
      { direction: "OUT", body: "Segue o código de rastreio", status: "FAILED", error: "Número sem WhatsApp" },
    ]);
    await log.getByText("Olá Carla! Seu pedido saiu para entrega.").waitFor();
    await log.getByText("Lida", { exact: true }).waitFor();
    await log.getByText("Não enviada: Número sem WhatsApp").waitFor();
    await screenshot(page, "operator-chat");

    await page.getByRole("button", { name: "Encerrar", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Encerrar atendimento" });
    await dialog.getByLabel("Tabulação").selectOption({ label: "Venda realizada" });
    await dialog.getByLabel("Observação (opcional)").fill("Cliente satisfeito");
    await screenshot(page, "operator-close");
    await dialog.getByRole("button", { name: "Encerrar" }).click();
    await page.getByText("Nenhuma conversa selecionada").waitFor();
    await expect.poll(() => page.getByRole("button", { name: /Carla Cliente/ }).count()).toBe(0);
    const closed = await stack.core.db.query.conversations.findFirst({ where: (c, { eq }) => eq(c.id, conv.id) });
    expect(closed?.status).toBe("CLOSED");
    expect(closed?.closeNote).toBe("Cliente satisfeito");

    // Pausing asks for a reason and shows it.
    await page.getByLabel("Meu status").selectOption("PAUSED");
    const pause = page.getByRole("dialog", { name: "Pausar atendimentos" });
    await pause.getByLabel("Motivo da pausa").selectOption("Café");
    await pause.getByRole("button", { name: "Pausar" }).click();
    await page.getByText(/^Café · há/).waitFor();
    expect((await operator.client.presence.me.query()).presence).toBe("PAUSED");
  });

  it("updates the supervisor's report when a conversation is closed, and shows the boards", async () => {
    const page = await signedIn(supervisor);
    await page.getByRole("link", { name: "Relatórios" }).click();
    await page.getByRole("heading", { name: "Relatórios" }).waitFor();
    await expect.poll(() => statValue(page, "closed").textContent()).toBe("1");
    await page.getByRole("cell", { name: "Venda realizada", exact: true }).waitFor();

    const tabs = await operator.client.tabulations.list.query();
    await operator.client.conversations.close.mutate({ id: firstConversationId, tabulationId: tabs[0]?.id ?? "" });
    await expect.poll(() => statValue(page, "closed").textContent(), { timeout: 10_000 }).toBe("2");
    await page.getByRole("button", { name: "O que é Tempo de espera (TME)" }).focus();
    await page.getByRole("tooltip").getByText("Da entrada na fila até a primeira atribuição a um atendente.").waitFor();
    const csv = await page.getByRole("link", { name: "Exportar CSV para Excel" }).getAttribute("href");
    expect(csv).toMatch(/^\/reports\/finished\.csv\?from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}&excel=1$/);
    await screenshot(page, "supervisor-reports");

    await page.getByRole("link", { name: "Operadores" }).click();
    const opRow = page.getByRole("row", { name: /Otávio Operador/ });
    await opRow.waitFor();
    expect(await opRow.textContent()).toContain("Pausa (Café)");
    await screenshot(page, "supervisor-operators");

    await page.getByRole("link", { name: "Conversas" }).click();
    await page.getByRole("button", { name: "Abrir conversa de Carla Cliente" }).click();
    await page.getByRole("log", { name: "Mensagens da conversa" }).getByText("É o pedido 4521").waitFor();
    await page.getByText("Visualização somente leitura.").waitFor();
    await page.getByRole("button", { name: "Reabrir" }).waitFor();
    await screenshot(page, "supervisor-conversations");
  });

  it("lets an admin create a tabulation and a template with a live preview", async () => {
    const page = await signedIn(admin);
    await page.getByRole("heading", { name: "Usuários" }).waitFor();
    await page.getByRole("link", { name: "Tabulações" }).click();
    await page.getByRole("button", { name: "Nova tabulação" }).click();
    const tabDialog = page.getByRole("dialog", { name: "Nova tabulação" });
    await tabDialog.getByLabel("Nome").fill("Sem interesse");
    await tabDialog.getByRole("button", { name: "Criar tabulação" }).click();
    await page.getByRole("cell", { name: "Sem interesse", exact: true }).waitFor();
    await page.getByRole("button", { name: "Desativar Sem interesse" }).click();
    await page.getByRole("button", { name: "Ativar Sem interesse" }).waitFor();
    await screenshot(page, "admin-tabulations");
    expect((await operator.client.tabulations.list.query()).map((t) => t.name)).not.toContain("Sem interesse");

    await page.getByRole("link", { name: "Modelos" }).click();
    await page.getByText("Nenhum modelo ainda").waitFor();
    await page.getByRole("button", { name: "Novo modelo" }).click();
    const dialog = page.getByRole("dialog", { name: "Novo modelo" });
    await dialog.getByLabel("Nome do modelo").fill("Pedido enviado");
    await dialog.getByLabel("Texto").fill("Olá {{nome}}, seu pedido {{pedido}} saiu para entrega.");
    await dialog.getByLabel("{{nome}}").fill("Maria");
    await expect
      .poll(() => dialog.getByTestId("template-preview").textContent())
      .toBe("Olá Maria, seu pedido [pedido] saiu para entrega.");
    await screenshot(page, "admin-template-preview");
    await dialog.getByRole("button", { name: "Criar modelo" }).click();
    const row = page.getByRole("row", { name: /Pedido enviado/ });
    await row.waitFor();
    expect(await row.textContent()).toContain("{{nome}}, {{pedido}}");
    await screenshot(page, "admin-templates");

    await page.getByRole("link", { name: "Campanhas" }).click();
    await page.getByText("Nenhuma campanha ainda").waitFor();
    await page.getByRole("button", { name: "Nova campanha" }).click();
    await page.getByLabel("Nome da campanha").fill("Aviso de entrega");
    await page
      .getByLabel("Modelo")
      .getByRole("option", { name: "Escolha o número primeiro" })
      .waitFor({ state: "attached" });
    // A Meta number only offers templates approved at Meta: this one has no Meta name.
    await page.getByLabel("Número", { exact: true }).selectOption(instanceId);
    await page.getByText("números Meta só enviam modelos aprovados").waitFor();
    expect(await page.getByLabel("Modelo").getByRole("option").allTextContents()).toEqual(["Escolha…"]);
    await page.getByLabel("Número", { exact: true }).selectOption(evolutionId);
    await page.getByLabel("Modelo").selectOption({ label: "Pedido enviado" });
    await page.getByLabel("Origem de {{nome}}").waitFor();
    await screenshot(page, "admin-campaign-form");
  });
});
