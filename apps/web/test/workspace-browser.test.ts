import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { screenshot } from "./browser";
import { type BrowserStack, SIZES, type Size, startBrowserStack, type TestUser } from "./browser-stack";

/**
 * The operator's workspace in a real browser, on a desk (1280) and on a phone
 * (390×844), against a real API, worker and the provider simulator: protocol
 * number, internal notes and tags in the chat.
 */
let stack: BrowserStack;
let admin: TestUser;

beforeAll(async () => {
  stack = await startBrowserStack({ meta: "Loja simulada" });
  admin = stack.admin;
  await admin.client.templates.create.mutate({
    name: "Boas-vindas",
    body: "Olá {{1}}, aqui é da Loja!",
    meta: {
      name: "boas_vindas",
      language: "pt_BR",
      components: [{ type: "body", parameters: [{ type: "text", text: "{{1}}" }] }],
    },
  });
  await admin.client.tabulations.create.mutate({ name: "Atendido" });
});
afterAll(() => stack?.close());

const onlineOperator = (name: string, size: Size) => stack.onlineOperator(name, size);

const digits = (phone: string) => phone.replace(/\D/g, "");

describe("protocol, notes and tags in the chat", { timeout: 120_000 }, () => {
  for (const [i, size] of SIZES.entries()) {
    it(`at ${size.width} px`, async () => {
      const customer = `+55119876500${10 + i}`;
      const name = `Cliente ${size.name}`;
      await admin.client.contacts.create.mutate({ phone: customer, name, tags: ["Cliente ouro"] });
      const { op, page } = await onlineOperator(`Operador ${size.name}`, size);

      expect(await stack.sim.injectInbound("META", { from: customer, name, body: "Quero ajuda com meu pedido" })).toBe(
        200,
      );
      await page.getByRole("button", { name: new RegExp(name) }).click();
      const log = page.getByRole("log", { name: "Mensagens da conversa" });
      await log.getByText("Quero ajuda com meu pedido").waitFor();
      const [row] = await stack.core.sql<{ protocol: string }[]>`select c.protocol from conversations c
        join contacts ct on ct.id = c.contact_id where ct.phone = ${customer}`;
      const protocol = row?.protocol ?? "";
      expect(protocol).toMatch(/^\d{8}-\d{6}$/);
      await expect.poll(() => page.getByTestId("protocol").textContent()).toBe(protocol);

      // The inbox filter finds it by protocol.
      const filter = page.getByLabel("Filtrar conversas");
      await filter.fill(protocol);
      await page.getByRole("button", { name: new RegExp(name) }).waitFor();
      await filter.fill("19990101-");
      await page.getByText("Nada encontrado").waitFor();
      await filter.fill("");

      // An internal note: in the timeline, in its own colour; the customer gets nothing.
      await page.getByRole("button", { name: "Nota interna" }).click();
      await page.getByLabel("Nota interna", { exact: true }).fill("Cliente VIP, priorizar entrega");
      await page.keyboard.press("Enter");
      const note = log.getByRole("note", { name: "Nota interna" }).filter({ hasText: "priorizar entrega" });
      await note.waitFor();
      expect(await note.textContent()).toContain(`Operador ${size.name}`);
      expect(await note.locator(".msg-bubble").evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(
        "rgb(255, 244, 194)",
      );
      await page.getByRole("button", { name: "Mensagem", exact: true }).click();
      await page.getByLabel("Mensagem", { exact: true }).fill("Olá! Já estou verificando.");
      await page.keyboard.press("Enter");
      await expect.poll(() => stack.sim.sentMessages().filter((m) => m.to === digits(customer)).length).toBe(1);
      expect(JSON.stringify(stack.sim.sentMessages())).not.toContain("priorizar entrega");

      // Tags: added and removed in the chat; the contact's own tags beside them.
      const tags = page.getByRole("list", { name: "Etiquetas da conversa" });
      await tags.getByText("👤 Cliente ouro").waitFor();
      await page.getByLabel("Nova etiqueta").fill("VIP");
      await page.getByLabel("Nova etiqueta").press("Enter");
      await page.getByRole("button", { name: "Remover etiqueta vip" }).waitFor();
      await page.getByLabel("Nova etiqueta").fill("Entrega");
      await page.getByLabel("Nova etiqueta").press("Enter");
      await page.getByRole("button", { name: "Remover etiqueta entrega" }).click();
      await expect.poll(() => page.getByRole("button", { name: "Remover etiqueta entrega" }).count()).toBe(0);
      await screenshot(page, `workspace-notes-tags-${size.name}`);
      const [saved] = await stack.core.sql<{ tags: string[] }[]>`select c.tags from conversations c
        join contacts ct on ct.id = c.contact_id where ct.phone = ${customer}`;
      expect(saved?.tags).toEqual(["vip"]);
      // The list filter finds it by tag too.
      await filter.fill("vip");
      await page.getByRole("button", { name: new RegExp(name) }).waitFor();
      await filter.fill("");
      await op.client.presence.setStatus.mutate({ status: "PAUSED", reason: "Fim do teste" });
    });
  }
});

describe("starting a conversation, quick replies and the keyboard", { timeout: 150_000 }, () => {
  for (const [i, size] of SIZES.entries()) {
    it(`at ${size.width} px`, async () => {
      const customer = `+55119876501${10 + i}`;
      const walkIn = `+55119876502${10 + i}`;
      // A known customer (typing her number finds her contact).
      await admin.client.contacts.create.mutate({ phone: customer, name: "Carla Nova" });
      const { op, page } = await onlineOperator(`Atendente ${size.name}`, size);
      await op.client.quickReplies.create.mutate({
        shortcut: "ola",
        body: "Olá {{nome}}, sou {{operador}}. Seu protocolo: {{protocolo}}.",
      });
      await admin.client.quickReplies.create.mutate({
        shortcut: `prazo-${size.name}`,
        body: "O prazo de entrega é de 5 dias úteis.",
        shared: true,
      });

      // "n" opens "Nova conversa": outside the window a Meta number takes an approved template.
      await page.getByRole("heading", { name: "Atendimentos", exact: true }).click();
      await page.keyboard.press("n");
      const start = page.getByRole("dialog", { name: "Nova conversa" });
      await start.getByLabel("Telefone do cliente").fill(customer);
      await start.getByLabel("Modelo aprovado").selectOption({ label: "Boas-vindas" });
      await start.getByLabel("Valor de {{1}}").fill("Carla");
      await screenshot(page, `workspace-start-${size.name}`);
      await start.getByRole("button", { name: "Iniciar conversa" }).click();
      const protocolShown = page.getByTestId("protocol");
      await protocolShown.waitFor();
      await expect
        .poll(() => stack.sim.sentMessages().filter((m) => m.to === digits(customer) && m.type === "template").length)
        .toBe(1);
      const [conv] = await stack.core.sql<{ protocol: string; operator_id: string }[]>`select c.protocol, c.operator_id
        from conversations c join contacts ct on ct.id = c.contact_id where ct.phone = ${customer}`;
      expect(conv?.operator_id).toBe(op.user.id);
      expect(await protocolShown.textContent()).toBe(conv?.protocol);

      // The customer answers: the window opens and "/" brings the quick replies, variables filled in.
      expect(await stack.sim.injectInbound("META", { from: customer, name: "Carla Nova", body: "Oi! Recebi." })).toBe(
        200,
      );
      const log = page.getByRole("log", { name: "Mensagens da conversa" });
      await log.getByText("Oi! Recebi.").waitFor();
      const box = page.getByLabel("Mensagem", { exact: true });
      await box.fill("/");
      const menu = page.getByRole("listbox", { name: "Respostas rápidas" });
      await menu.getByRole("option", { name: new RegExp(`/prazo-${size.name}`) }).waitFor();
      await box.pressSequentially("ol");
      await expect.poll(() => menu.getByRole("option").count()).toBe(1);
      await screenshot(page, `workspace-quick-replies-${size.name}`);
      await box.press("Enter");
      const filled = `Olá Carla Nova, sou Atendente ${size.name}. Seu protocolo: ${conv?.protocol}.`;
      await expect.poll(() => box.inputValue()).toBe(filled);
      await box.press("Enter");
      await expect
        .poll(() =>
          stack.sim
            .sentMessages()
            .filter((m) => m.to === digits(customer) && JSON.stringify(m.request).includes(filled)),
        )
        .toHaveLength(1);

      // A second customer: j / k move between conversations.
      expect(
        await stack.sim.injectInbound("META", { from: walkIn, name: `Walter ${size.name}`, body: "Bom dia" }),
      ).toBe(200);
      await page.getByRole("button", { name: new RegExp(`Walter ${size.name}`) }).waitFor();
      await page.getByRole("heading", { name: "Atendimentos", exact: true }).click();
      const title = page.locator("#chat-title");
      const before = await title.textContent();
      await page.keyboard.press("j");
      await expect.poll(() => title.textContent()).not.toBe(before);
      await page.keyboard.press("k");
      await expect.poll(() => title.textContent()).toBe(before);

      // "?" lists the shortcuts; "t" opens the transfer, "e" closes the conversation.
      await page.keyboard.press("?");
      const help = page.getByRole("dialog", { name: "Atalhos do teclado" });
      await help.getByText("Próxima conversa").waitFor();
      await help.getByText("Encerrar a conversa aberta").waitFor();
      await screenshot(page, `workspace-shortcuts-${size.name}`);
      await help.getByRole("button", { name: "Entendi" }).click();
      await page.keyboard.press("t");
      const transfer = page.getByRole("dialog", { name: "Transferir atendimento" });
      await transfer.waitFor();
      await transfer.getByRole("button", { name: "Cancelar" }).click();
      await page.keyboard.press("e");
      const close = page.getByRole("dialog", { name: "Encerrar atendimento" });
      await close.getByLabel("Tabulação").selectOption({ label: "Atendido" });
      await close.getByRole("button", { name: "Encerrar" }).click();
      await page.getByText("Nenhuma conversa selecionada").waitFor();
      await expect
        .poll(
          async () =>
            (await stack.core.sql`select 1 from conversations where status = 'CLOSED' and operator_id = ${op.user.id}`)
              .length,
        )
        .toBe(1);
      await op.client.presence.setStatus.mutate({ status: "PAUSED", reason: "Fim do teste" });
    });
  }
});
