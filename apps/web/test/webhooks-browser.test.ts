import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { screenshot } from "./browser";
import { type BrowserStack, startBrowserStack, type TestUser } from "./browser-stack";

/**
 * Administração › Webhooks in a real browser against a real API and worker: an
 * admin creates an endpoint (secret shown once), sends a test, sees the delivery
 * reach a real receiver, resends it, and sees an endpoint that keeps failing
 * turned off.
 */
let stack: BrowserStack;
let admin: TestUser;
let receiver: Server;
let receiverUrl = "";
const got: Array<{ path: string; id: string }> = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { id: string };
      got.push({ path: req.url ?? "", id: body.id });
      res.writeHead(req.url === "/fora-do-ar" ? 500 : 200).end(req.url === "/fora-do-ar" ? "indisponível" : "ok");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  stack = await startBrowserStack({
    config: { allowPrivateWebhookUrls: true, webhookRetryBaseMs: 30, webhookDisableAfterFailures: 3 },
    timeout: 15_000,
  });
  admin = stack.admin;
});
afterAll(async () => {
  await stack?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

const signedIn = (width: number) => stack.signedIn(admin, { width });

describe("Webhooks in the console", () => {
  it("creates an endpoint, sends a test, shows the delivery and resends it", async () => {
    const page = await signedIn(1280);
    await page.getByRole("link", { name: "Webhooks" }).click();
    await page.getByRole("heading", { name: "Webhooks" }).waitFor();
    await page.getByRole("button", { name: "Novo webhook" }).click();
    const dialog = page.getByRole("dialog", { name: "Novo webhook" });
    await dialog.getByLabel("URL").fill(`${receiverUrl}/crm`);
    await dialog.getByLabel("Descrição (opcional)").fill("CRM Vendas");
    await dialog.getByLabel("Mensagem recebida").check();
    await dialog.getByLabel("Conversa encerrada").check();
    await dialog.getByRole("button", { name: "Criar webhook" }).click();
    const shown = page.getByRole("dialog", { name: "Webhook criado" });
    const secret = await shown.getByLabel("Segredo").inputValue();
    expect(secret).toMatch(/^whsec_/);
    await shown.getByRole("button", { name: "Concluir" }).click();

    const row = page.getByRole("row", { name: /CRM Vendas/ });
    await expect.poll(() => row.textContent()).toContain("Ativo");
    expect(await row.textContent()).toContain("Conversa encerrada");
    expect(await page.content()).not.toContain(secret);

    await row.getByRole("button", { name: "Enviar teste" }).click();
    await expect.poll(() => got.filter((g) => g.path === "/crm").length).toBe(1);
    await row.getByRole("button", { name: "Entregas" }).click();
    const deliveries = page.getByRole("dialog", { name: "Entregas recentes" });
    const delivered = deliveries.getByRole("row", { name: /Teste/ });
    await expect.poll(() => delivered.first().textContent()).toContain("Entregue");
    expect(await delivered.first().textContent()).toContain("HTTP 200");
    await screenshot(page, "webhook-deliveries");
    await delivered.first().getByRole("button", { name: "Reenviar" }).click();
    await expect.poll(() => got.filter((g) => g.path === "/crm").length).toBe(2);
    const [first, again] = got.filter((g) => g.path === "/crm");
    expect(again?.id).toBe(first?.id);
    await expect.poll(() => deliveries.getByRole("row", { name: /Entregue/ }).count()).toBe(2);
  });

  it("shows an endpoint that keeps failing turned off, and fits a 390 px screen", async () => {
    const page = await signedIn(390);
    await page.getByRole("heading", { name: "Usuários" }).waitFor();
    await page.goto(`${stack.url}/admin/webhooks`);
    await page.getByRole("heading", { name: "Webhooks" }).waitFor();
    const { endpoint } = await admin.client.webhookEndpoints.create.mutate({
      url: `${receiverUrl}/fora-do-ar`,
      description: "ERP com um nome bem comprido para caber",
      eventTypes: ["message.received", "message.sent", "conversation.opened", "campaign.finished"],
    });
    await page.reload();
    const row = page.getByRole("row", { name: /ERP com um nome/ });
    await row.getByRole("button", { name: "Enviar teste" }).click();
    // The worker fails 3 times in a row and turns it off: the admin is told at once, and the row says so.
    await page.getByText(/Webhook desativado após 3 falhas seguidas/).waitFor();
    await expect.poll(() => row.textContent()).toContain("Desativado por falhas");
    await screenshot(page, "webhooks-390");
    const widest = await page.evaluate(() =>
      Math.max(
        ...["h1", ".page-header .btn-primary", ".muted", ".table-wrap"].map(
          (sel) => document.querySelector(sel)?.getBoundingClientRect().right ?? 9999,
        ),
      ),
    );
    expect(widest).toBeLessThanOrEqual(390);
    await row.getByRole("button", { name: "Entregas" }).click();
    const deliveries = page.getByRole("dialog", { name: "Entregas recentes" });
    await expect.poll(() => deliveries.textContent()).toContain("HTTP 500");
    expect(await deliveries.textContent()).toContain("indisponível");
    const box = await deliveries.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true);
    expect(endpoint.id).toBeTruthy();
  });
});
