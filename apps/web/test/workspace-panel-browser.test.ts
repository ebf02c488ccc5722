import { userWithToken } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatAction, goTo, screenshot } from "./browser";
import { type BrowserStack, SIZES, type Size, startBrowserStack, type TestUser } from "./browser-stack";

/**
 * The operator's workspace around the chat, in a real browser on a laptop (1280)
 * and a phone (390×844), against a real API, worker and the provider simulator:
 * the customer panel (a drawer on a laptop, a sheet on a phone, opened from
 * "Cliente"; details read-only for operators, notes, past conversations
 * opened read-only in a side view), message search that opens a conversation at
 * the message, and a transfer to a colleague whose note the receiver sees.
 */
let stack: BrowserStack;
let admin: TestUser;
let instanceId = "";

beforeAll(async () => {
  stack = await startBrowserStack({ meta: "Loja simulada" });
  admin = stack.admin;
  instanceId = stack.instances.meta ?? "";
});
afterAll(() => stack?.close());

const signedIn = (user: { email: string; password: string }, size: Size) => stack.signedIn(user, size);
const onlineOperator = (name: string, size: Size) => stack.onlineOperator(name, size);

/** A finished conversation of the customer on this number, served by someone else, with one message. */
async function pastConversation(contactId: string, operatorId: string, body: string) {
  const [c] = await stack.core.sql<{ id: string; protocol: string }[]>`
    insert into conversations (contact_id, instance_id, status, operator_id, created_at, queued_at, assigned_at, closed_at)
    values (${contactId}, ${instanceId}, 'CLOSED', ${operatorId}, now() - interval '3 days', now() - interval '3 days',
      now() - interval '3 days', now() - interval '3 days')
    returning id, protocol`;
  if (!c) throw new Error("no conversation");
  await stack.core.sql`insert into messages (conversation_id, instance_id, direction, type, body, status, created_at)
    values (${c.id}, ${instanceId}, 'IN', 'text', ${body}, 'DELIVERED', now() - interval '3 days')`;
  return c;
}

describe("customer panel, search and transfer in the workspace", { timeout: 180_000 }, () => {
  for (const [i, size] of SIZES.entries()) {
    it(`at ${size.width} px`, async () => {
      const customer = `+55119876530${10 + i}`;
      const name = `Cliente Painel ${size.name}`;
      const contact = await admin.client.contacts.create.mutate({
        phone: customer,
        name,
        email: `painel-${size.name}@exemplo.com.br`,
        tags: ["Cliente ouro"],
      });
      const before = await userWithToken(stack, "OPERATOR", { name: `Antigo ${size.name}` });
      const past = await pastConversation(contact.id, before.user.id, `Meu boleto venceu ontem ${size.name}`);
      const { op, page } = await onlineOperator(`Ana ${size.name}`, size);

      expect(await stack.sim.injectInbound("META", { from: customer, name, body: "Não recebi a nota fiscal" })).toBe(
        200,
      );
      await page.getByRole("button", { name: new RegExp(name) }).click();
      const log = page.getByRole("log", { name: "Mensagens da conversa" });
      await log.getByText("Não recebi a nota fiscal").waitFor();

      // The customer panel: closed at first (over the chat, it would hide the messages), opened from "Cliente".
      const panel = page.getByRole("complementary", { name: "Cliente" });
      expect(await panel.count()).toBe(0);
      await chatAction(page, "Cliente");
      await panel.waitFor();
      if (size.name === "desktop") {
        // A drawer over the conversation list: the chat keeps its width, none of it covered.
        const [box, list, chat] = [
          await panel.boundingBox(),
          await page.getByRole("complementary", { name: "Conversas" }).boundingBox(),
          await log.boundingBox(),
        ];
        expect(Math.round(box?.x ?? -1)).toBe(Math.round(list?.x ?? 0));
        expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(chat?.x ?? 0);
      }
      await expect.poll(() => panel.getByTestId("customer-name").textContent()).toBe(name);
      await panel.getByText(`painel-${size.name}@exemplo.com.br`).waitFor();
      await panel.getByRole("list", { name: "Etiquetas do contato" }).getByText("Cliente ouro").waitFor();
      // Operators read the contact; only staff edit it.
      await panel.getByText("Só supervisores e administradores alteram os dados do contato.").waitFor();
      expect(await panel.getByRole("button", { name: "Editar contato" }).count()).toBe(0);
      await screenshot(page, `workspace-panel-${size.name}`);

      // A past conversation on this number (someone else's) opens read-only beside the chat.
      await panel.getByRole("button", { name: new RegExp(past.protocol) }).click();
      const side = page.getByRole("region", { name: "Conversa somente leitura" });
      await side.getByText(`Meu boleto venceu ontem ${size.name}`).waitFor();
      await side.getByText("Visualização somente leitura.").waitFor();
      expect(await side.getByLabel("Mensagem", { exact: true }).count()).toBe(0);
      await screenshot(page, `workspace-history-${size.name}`);
      await side.getByRole("button", { name: "Fechar conversa somente leitura" }).click();
      await expect.poll(() => side.count()).toBe(0);
      await panel.getByRole("button", { name: "Fechar painel do cliente" }).click();
      await expect.poll(() => panel.count()).toBe(0);

      // Search: accents and case ignored, matched words highlighted, the hit opens at the message.
      const search = page.getByRole("searchbox", { name: "Buscar nas mensagens" });
      await search.fill("BOLETO venceu");
      const results = page.getByRole("list", { name: "Resultados da busca" });
      await results.locator("mark", { hasText: "boleto" }).waitFor();
      await screenshot(page, `workspace-search-${size.name}`);
      await results.getByRole("button", { name: new RegExp(`venceu ontem ${size.name}`) }).click();
      await side.locator(".msg-focus", { hasText: `Meu boleto venceu ontem ${size.name}` }).waitFor();
      await side.getByRole("button", { name: "Fechar conversa somente leitura" }).click();
      await search.fill("nao recebi nota");
      // The hit's name carries its snippet: the results of the previous words may still show while typing.
      await results.getByRole("button", { name: /recebi a nota fiscal/ }).click();
      await expect.poll(() => new URL(page.url()).searchParams.get("m")).not.toBeNull();
      await log.locator(".msg-focus", { hasText: "Não recebi a nota fiscal" }).waitFor();

      // Transfer to a colleague online, with a note: he is told, and reads it in the timeline.
      const colleague = await onlineOperator(`Bruno ${size.name}`, size);
      await chatAction(page, "Transferir");
      const dialog = page.getByRole("dialog", { name: "Transferir atendimento" });
      await dialog.getByLabel("Destino").selectOption({ label: `Bruno ${size.name}` });
      await dialog.getByLabel("Observação (opcional)").fill("Conferir a nota fiscal no ERP");
      await screenshot(page, `workspace-transfer-${size.name}`);
      await dialog.getByRole("button", { name: "Transferir" }).click();
      await page.getByText("Nenhuma conversa selecionada").waitFor();
      const toast = colleague.page.getByText(
        `Ana ${size.name} transferiu uma conversa para você: “Conferir a nota fiscal no ERP”`,
      );
      await toast.waitFor();
      await colleague.page.getByRole("button", { name: new RegExp(name) }).click();
      const note = colleague.page
        .getByRole("log", { name: "Mensagens da conversa" })
        .getByRole("note", { name: "Nota de transferência" });
      await note.getByText("Conferir a nota fiscal no ERP").waitFor();
      expect(await note.textContent()).toContain(`Transferida por Ana ${size.name} para Bruno ${size.name}`);
      await screenshot(colleague.page, `workspace-transfer-received-${size.name}`);
      for (const u of [op, colleague.op]) await u.client.presence.setStatus.mutate({ status: "PAUSED", reason: "Fim" });

      // Staff edit the contact from the same panel; the chat header follows.
      const sup = await userWithToken(stack, "SUPERVISOR", { name: `Sara ${size.name}` });
      const staff = await signedIn(sup, size);
      await goTo(staff, "Conversas");
      await staff
        .getByRole("button", { name: `Abrir conversa de ${name}` })
        .first()
        .click();
      await chatAction(staff, "Cliente");
      const staffPanel = staff.getByRole("complementary", { name: "Cliente" });
      await staffPanel.getByRole("button", { name: "Editar contato" }).click();
      await staffPanel.getByLabel("Nome").fill(`${name} Souza`);
      await staffPanel.getByRole("button", { name: "Salvar" }).click();
      await expect.poll(() => staffPanel.getByTestId("customer-name").textContent()).toBe(`${name} Souza`);
      await expect.poll(() => staff.locator("#chat-title").textContent()).toBe(`${name} Souza`);
      await screenshot(staff, `workspace-panel-staff-${size.name}`);
    });
  }
});
