import { type Simulator, startSimulator } from "@elsehu/providers/simulator";
import { userWithToken } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { screenshot } from "./browser";
import { type BrowserStack, EVO_SECRET, startBrowserStack, type TestUser } from "./browser-stack";

/**
 * A working day end to end, in a real browser against a real API, worker and
 * the provider simulator standing in for WhatsApp: a customer writes, the
 * operator answers and sees it read; an admin imports contacts, adds numbers
 * and runs a campaign.
 */
const EVO_INSTANCE = "sim-instance";
const CUSTOMER = "+5511987654321";
// A real 1×1 PNG, so the browser can render the sent image.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);

/** A second Meta number ("Filial Centro"): adding a number asks the provider for its details. */
let branchSim: Simulator;
let stack: BrowserStack;
let admin: TestUser;
let operator: TestUser;
let metaInstanceId: string;

beforeAll(async () => {
  branchSim = await startSimulator({ meta: { appSecret: "app-secret-filial", phoneNumberId: "109876543210999" } });
  stack = await startBrowserStack({ meta: "Loja simulada", evolution: { instance: EVO_INSTANCE } });
  admin = stack.admin;
  operator = await userWithToken(stack, "OPERATOR", { name: "Otávio Operador", maxConcurrent: 5 });
  metaInstanceId = stack.instances.meta ?? "";
  await admin.client.tabulations.create.mutate({ name: "Dúvida resolvida" });
});
afterAll(async () => {
  await stack?.close();
  await branchSim?.close();
});

const signedIn = (user: TestUser) => stack.signedIn(user, { width: 1280, height: 860 });

const digits = (phone: string) => phone.replace(/\D/g, "");
const textOf = (request: unknown) => (request as { text?: { body?: string } }).text?.body;

// Whole flows in a browser: a loaded 2-core machine takes 20 s for the longest, so allow 90.
describe("an operator's day", { timeout: 90_000 }, () => {
  it("gets a customer's message live, replies, sees it read and closes with a tabulation", async () => {
    const page = await signedIn(operator);
    await page.getByRole("heading", { name: "Atendimentos", exact: true }).waitFor();
    await expect
      .poll(async () => (await operator.client.presence.me.query()).presence, { timeout: 10_000 })
      .toBe("ONLINE");

    expect(
      await stack.sim.injectInbound("META", {
        from: CUSTOMER,
        name: "Maria Cliente",
        body: "Oi, meu pedido não chegou",
      }),
    ).toBe(200);
    const row = page.getByRole("button", { name: /Maria Cliente/ });
    await row.waitFor();
    await screenshot(page, "day-inbox");
    await row.click();
    const log = page.getByRole("log", { name: "Mensagens da conversa" });
    await log.getByText("Oi, meu pedido não chegou").waitFor();

    const reply = "Olá Maria! Já verifiquei: ele sai para entrega hoje.";
    await page.getByLabel("Mensagem", { exact: true }).fill(reply);
    await page.keyboard.press("Enter");
    await log.getByText(reply).waitFor();
    // The simulator received exactly that text, for that customer.
    await expect
      .poll(
        () => stack.sim.sentMessages().filter((m) => m.to === digits(CUSTOMER) && textOf(m.request) === reply).length,
      )
      .toBe(1);
    // sent → delivered → read webhooks turn the ticks blue.
    const mine = log.locator(".msg-out", { hasText: reply });
    await mine.locator(".tick-read").waitFor();
    expect(await mine.locator(".tick-read").textContent()).toContain("✓✓");
    expect(await mine.locator(".tick-read").evaluate((el) => getComputedStyle(el).color)).toBe("rgb(29, 111, 214)");
    await screenshot(page, "day-chat-read");

    // A picture: preview with its name, a caption, then it goes out and shows inline.
    await page
      .getByLabel("Arquivo para enviar")
      .setInputFiles({ name: "nota.png", mimeType: "image/png", buffer: PNG });
    const preview = page.getByRole("region", { name: "Arquivo a enviar" });
    await preview.getByText("nota.png").waitFor();
    await preview.getByRole("img", { name: "Prévia de nota.png" }).waitFor();
    await page.getByLabel("Legenda", { exact: true }).fill("Nota fiscal do pedido");
    await screenshot(page, "day-chat-media-preview");
    await page.getByRole("button", { name: "Enviar", exact: true }).click();
    const image = log.getByRole("img", { name: "Nota fiscal do pedido" });
    await image.waitFor();
    await expect.poll(() => image.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(1);
    await expect
      .poll(() => stack.sim.sentMessages().filter((m) => m.to === digits(CUSTOMER) && m.type === "image").length)
      .toBe(1);
    // A file WhatsApp refuses is explained, and nothing is sent.
    await page
      .getByLabel("Arquivo para enviar")
      .setInputFiles({ name: "virus.exe", mimeType: "application/x-msdownload", buffer: Buffer.from("MZ") });
    await page.getByRole("button", { name: "Enviar", exact: true }).click();
    await page
      .getByRole("alert")
      .getByText("O WhatsApp não aceita arquivos do tipo application/x-msdownload.")
      .waitFor();
    await page.getByRole("button", { name: "Remover arquivo" }).click();

    // A document dropped on the chat: name and size before sending, a download link after.
    await page.locator(".chat").evaluate((chat) => {
      const dt = new DataTransfer();
      dt.items.add(new File(["%PDF-1.4 contrato"], "contrato.pdf", { type: "application/pdf" }));
      chat.dispatchEvent(new DragEvent("dragover", { dataTransfer: dt, bubbles: true, cancelable: true }));
      chat.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
    });
    await preview.getByText("contrato.pdf").waitFor();
    await preview.getByText("17 B").waitFor();
    await page.getByRole("button", { name: "Enviar", exact: true }).click();
    const download = log.getByRole("link", { name: /Baixar contrato\.pdf/ });
    await download.waitFor();
    const file = await page.request.get(`${stack.url}${await download.getAttribute("href")}`);
    expect(await file.text()).toBe("%PDF-1.4 contrato");
    await expect
      .poll(() => stack.sim.sentMessages().filter((m) => m.to === digits(CUSTOMER) && m.type === "document").length)
      .toBe(1);

    await page.getByRole("button", { name: "Encerrar", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Encerrar atendimento" });
    await dialog.getByLabel("Tabulação").selectOption({ label: "Dúvida resolvida" });
    await dialog.getByRole("button", { name: "Encerrar" }).click();
    await page.getByText("Nenhuma conversa selecionada").waitFor();
    const [conv] = await stack.core.sql<{ status: string; name: string }[]>`select c.status, t.name
      from conversations c join tabulations t on t.id = c.tabulation_id join contacts ct on ct.id = c.contact_id
      where ct.phone = ${CUSTOMER}`;
    expect(conv).toEqual({ status: "CLOSED", name: "Dúvida resolvida" });
  });

  it("past the 24 h window, sends an approved template from the picker and sees it read", async () => {
    const late = "+5511987650099";
    await stack.sim.injectInbound("META", { from: late, name: "Rui Atrasado", body: "Oi, alguém aí?" });
    await expect
      .poll(async () => {
        const [c] = await stack.core.sql<{ operator_id: string | null }[]>`select c.operator_id from conversations c
          join contacts ct on ct.id = c.contact_id where ct.phone = ${late} and c.status = 'OPEN'`;
        return c?.operator_id;
      })
      .toBe(operator.user.id);
    await stack.core.sql`update conversations c set last_inbound_at = now() - interval '25 hours'
      from contacts ct where ct.id = c.contact_id and ct.phone = ${late}`;
    await admin.client.templates.create.mutate({
      name: "Retomar contato",
      body: "Olá {{nome}}! Podemos continuar seu atendimento?",
      meta: {
        name: "retomar_contato",
        language: "pt_BR",
        components: [{ type: "body", parameters: [{ type: "text", text: "{{nome}}" }] }],
      },
    });
    // Neither an inactive template nor one Meta never approved is offered on a Meta number.
    await admin.client.templates.create.mutate({
      name: "Antigo",
      body: "Olá",
      meta: { name: "antigo", language: "pt_BR" },
      active: false,
    });
    await admin.client.templates.create.mutate({ name: "Sem aprovação", body: "Olá" });

    const page = await signedIn(operator);
    await page.getByRole("button", { name: /Rui Atrasado/ }).click();
    await page.getByText(/^Fora da janela de 24 horas: envie um modelo\./).waitFor();
    const select = page.getByLabel("Modelo", { exact: true });
    await select.locator("option", { hasText: "Retomar contato" }).waitFor({ state: "attached" });
    expect(await select.locator("option").allTextContents()).toEqual(["Escolha um modelo…", "Retomar contato"]);

    // Forcing text anyway: WhatsApp (Meta) refuses it, and the composer offers the templates again.
    await page.getByRole("button", { name: /Escrever texto mesmo assim/ }).click();
    await page.getByLabel("Mensagem", { exact: true }).fill("Ainda precisa de ajuda?");
    await page.keyboard.press("Enter");
    await page
      .getByRole("alert")
      .getByText(/^Fora da janela de 24 horas: envie um modelo\./)
      .waitFor();
    expect(stack.sim.sentMessages().filter((m) => m.to === digits(late))).toHaveLength(0);

    await page.getByLabel("Modelo", { exact: true }).selectOption({ label: "Retomar contato" });
    const send = page.getByRole("button", { name: "Enviar modelo" });
    expect(await send.isDisabled()).toBe(true);
    await page.getByLabel("Valor de {{nome}}").fill("Rui");
    const text = "Olá Rui! Podemos continuar seu atendimento?";
    await expect.poll(() => page.getByTestId("template-chat-preview").textContent()).toBe(text);
    await screenshot(page, "day-chat-template-picker");
    await send.click();

    const log = page.getByRole("log", { name: "Mensagens da conversa" });
    const mine = log.locator(".msg-out", { hasText: text });
    await mine.waitFor();
    await expect
      .poll(() =>
        stack.sim
          .sentMessages()
          .filter((m) => m.to === digits(late))
          .map((m) => m.request),
      )
      .toEqual([
        expect.objectContaining({
          type: "template",
          template: {
            name: "retomar_contato",
            language: { code: "pt_BR" },
            components: [{ type: "body", parameters: [{ type: "text", text: "Rui" }] }],
          },
        }),
      ]);
    await mine.locator(".tick-read").waitFor();
    await screenshot(page, "day-chat-template-read");
  });

  it("lets an admin import a contacts CSV, follow its progress to the end and download the error report", async () => {
    const page = await signedIn(admin);
    await page.getByRole("link", { name: "Contatos" }).click();
    await page.getByRole("heading", { name: "Contatos", exact: true }).waitFor();
    const csv = [
      "telefone,nome,email,etiquetas",
      "(11) 91234-0001,João Araújo,joao@exemplo.com.br,vip",
      "11912340002,Beatriz Souza,,",
      "+55 11 91234-0003,Célia Lima,,vip",
      "12345,Linha Ruim,,",
    ].join("\n");
    await page
      .getByLabel("Arquivo CSV")
      .setInputFiles({ name: "clientes.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.getByRole("button", { name: "Importar", exact: true }).click();
    const counts = page.getByTestId("import-counts");
    await counts.getByText("Concluída: 4 lidas · 3 novas · 0 atualizadas · 1 inválidas").waitFor();
    const bar = page.getByTestId("import-progress");
    expect(await bar.evaluate((el) => (el as HTMLProgressElement).position)).toBe(1);
    await screenshot(page, "admin-contacts-import");

    const href = await page.getByRole("link", { name: "Baixar relatório de erros (CSV)" }).getAttribute("href");
    const report = await page.request.get(`${stack.url}${href}`);
    expect(report.status()).toBe(200);
    const text = await report.text();
    expect(text).toContain("line;value;reason");
    expect(text).toContain("12345");

    // The imported contacts are listed, searchable without accents.
    await page.getByRole("cell", { name: "João Araújo", exact: true }).waitFor();
    await page.getByLabel("Buscar").fill("joao araujo");
    const table = page.getByRole("table", { name: "Contatos", exact: true });
    await expect.poll(() => table.getByRole("row").count()).toBe(2);
    await page.getByRole("cell", { name: "João Araújo", exact: true }).waitFor();
    await page.getByLabel("Buscar").fill("");
    await page.getByLabel("Etiqueta").fill("vip");
    await expect.poll(() => table.getByRole("row").count()).toBe(3);
    await page.getByRole("cell", { name: "Célia Lima", exact: true }).waitFor();
    await page.getByRole("table", { name: "Importações anteriores" }).getByText("clientes.csv").waitFor();
    await screenshot(page, "admin-contacts");
  });

  it("lets an admin add numbers on Números: a Meta one pointing at the simulator and an Evolution one paired by QR", async () => {
    const page = await signedIn(admin);
    await page.getByRole("link", { name: "Números" }).click();
    await page.getByRole("heading", { name: "Números", exact: true }).waitFor();
    await page.getByRole("cell", { name: "Loja simulada", exact: true }).waitFor();

    await page.getByRole("button", { name: "Novo número" }).click();
    const dialog = page.getByRole("dialog", { name: "Novo número" });
    await dialog.getByLabel("Nome", { exact: true }).fill("Filial Centro");
    await dialog.getByLabel("Phone number ID").fill("109876543210999");
    await dialog.getByLabel("WABA ID").fill("102938475610293");
    await dialog.getByLabel("Token de acesso").fill("meta-access-token-filial");
    await dialog.getByLabel("App secret").fill("app-secret-filial");
    await dialog.getByLabel("Verify token").fill("verify-token-filial");
    await dialog.getByLabel("URL base").fill(branchSim.url);
    await screenshot(page, "admin-instance-form");
    await dialog.getByRole("button", { name: "Criar número" }).click();
    const row = page.getByRole("row", { name: /Filial Centro/ });
    await row.waitFor();
    expect(await row.textContent()).toContain("Conectado");
    expect(await row.textContent()).toContain(`${stack.url}/webhooks/meta`);
    const created = (await admin.client.instances.list.query()).find((i) => i.name === "Filial Centro");
    expect(created?.config).toMatchObject({ phoneNumberId: "109876543210999", baseUrl: branchSim.url });
    expect(created?.secrets.accessToken).toBe("••••lial");

    // Editing keeps the secrets left blank.
    await page.getByRole("button", { name: "Editar Filial Centro" }).click();
    const edit = page.getByRole("dialog", { name: "Editar Filial Centro" });
    // Secrets come back masked only: the fields start blank, with the hint of the stored value.
    await edit.getByText("Atual: ••••lial. Deixe em branco para manter.").first().waitFor();
    expect(await edit.getByText("Atual: ••••lial. Deixe em branco para manter.").count()).toBe(3);
    expect(await edit.getByLabel("Token de acesso").inputValue()).toBe("");
    await edit.getByLabel("Nome", { exact: true }).fill("Filial Centro SP");
    await edit.getByRole("button", { name: "Salvar" }).click();
    await page.getByRole("row", { name: /Filial Centro SP/ }).waitFor();
    const edited = (await admin.client.instances.list.query()).find((i) => i.id === created?.id);
    expect(edited?.secrets).toMatchObject({ accessToken: "••••lial", appSecret: "••••lial" });

    // Evolution: pair by QR code, the status turns live when the phone reads it.
    await page.getByRole("button", { name: "Novo número" }).click();
    await dialog.getByLabel("Nome", { exact: true }).fill("WhatsApp Web Loja");
    await dialog.getByLabel("Provedor").selectOption("EVOLUTION");
    await dialog.getByLabel("URL da Evolution API").fill(stack.sim.url);
    await dialog.getByLabel("API key").fill("evolution-api-key");
    await dialog.getByLabel("Nome da instância").fill(EVO_INSTANCE);
    await dialog.getByLabel("Segredo do webhook").fill(EVO_SECRET);
    await dialog.getByRole("button", { name: "Criar número" }).click();
    const evoRow = page.getByRole("row", { name: /WhatsApp Web Loja/ });
    await evoRow.getByText("Desconectado").waitFor();
    const evo = (await admin.client.instances.list.query()).find((i) => i.name === "WhatsApp Web Loja");
    stack.sim.setWebhookTarget("EVOLUTION", {
      url: `${stack.url}${evo?.webhookPath}`,
      headers: { "x-webhook-secret": EVO_SECRET },
    });
    // The simulator's instance starts paired: unpair it first from the phone side.
    await fetch(`${stack.sim.url}/_sim/connection`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ state: "close" }),
    });
    await page.getByRole("button", { name: "Conectar WhatsApp Web Loja" }).click();
    const connect = page.getByRole("dialog", { name: "Conectar WhatsApp Web Loja" });
    await connect.getByRole("img", { name: "QR code para conectar WhatsApp Web Loja" }).waitFor();
    await evoRow.getByText("Aguardando leitura do QR").waitFor();
    await screenshot(page, "admin-instance-qr");
    await fetch(`${stack.sim.url}/_sim/connection`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ state: "open" }),
    });
    await connect.getByText("Conectado! O número já pode receber e enviar mensagens.").waitFor();
    await connect.getByRole("button", { name: "Concluir" }).click();
    await evoRow.getByText("Conectado").waitFor();
    await page.getByRole("button", { name: "Desconectar WhatsApp Web Loja" }).waitFor();
    await screenshot(page, "admin-instances");
  });

  it("runs a campaign from the UI to completion: one send per phone of the CSV", async () => {
    await admin.client.templates.create.mutate({
      name: "Promoção",
      body: "Olá {{nome}}, temos uma oferta para você.",
      meta: {
        name: "promocao",
        language: "pt_BR",
        components: [{ type: "body", parameters: [{ type: "text", parameter_name: "nome", text: "{{nome}}" }] }],
      },
    });
    const phones = ["+5521988880001", "+5521988880002", "+5521988880003", "+5521988880004"];
    const page = await signedIn(admin);
    await page.getByRole("link", { name: "Campanhas" }).click();
    await page.getByRole("button", { name: "Nova campanha" }).click();
    await page.getByLabel("Nome da campanha").fill("Oferta de verão");
    await page.getByLabel("Número", { exact: true }).selectOption(metaInstanceId);
    await page.getByLabel("Modelo").selectOption({ label: "Promoção (Meta)" });
    await page.getByLabel("Coluna para {{nome}}").waitFor();
    await page.getByLabel("Mensagens por minuto").fill("0");
    await page.getByRole("button", { name: "Salvar rascunho" }).click();
    await page.getByRole("heading", { name: "Oferta de verão", exact: true }).waitFor();

    const csv = ["telefone,nome", ...phones.map((p, i) => `${p},Cliente ${i + 1}`)].join("\n");
    await page
      .getByLabel("Arquivo CSV")
      .setInputFiles({ name: "oferta.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.getByRole("button", { name: "Enviar lista" }).click();
    await page.getByText("4 destinatários adicionados de 4 linhas.").waitFor();
    await page.getByRole("button", { name: "Iniciar envio" }).click();
    const bar = page.getByRole("progressbar", { name: "Progresso do envio" });
    await page.getByText("4 de 4 (100%)").waitFor();
    expect(await bar.evaluate((el) => (el as HTMLProgressElement).position)).toBe(1);
    await page.getByText("Concluída").first().waitFor();
    await screenshot(page, "admin-campaign-done");

    const sent = stack.sim
      .sentMessages()
      .filter((m) => (m.request as { template?: { name?: string } }).template?.name === "promocao");
    expect(sent.map((m) => m.to).sort()).toEqual(phones.map(digits).sort());
  });
});
