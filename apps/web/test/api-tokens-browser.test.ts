import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { screenshot } from "./browser";
import { type BrowserStack, startBrowserStack } from "./browser-stack";

/**
 * Administração › Integrações in a real browser against a real API: an admin
 * creates a token (shown once), an integration uses it, the list shows the
 * last use, and revoking it stops the integration.
 */
let stack: BrowserStack;

beforeAll(async () => {
  stack = await startBrowserStack({ worker: false, timeout: 15_000 });
});
afterAll(() => stack?.close());

const signedIn = (width: number) => stack.signedIn(stack.admin, { width });

const contacts = (token: string) =>
  fetch(`${stack.url}/api/v1/contacts`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);

describe("API tokens in the console", () => {
  it("creates a token shown once, shows its last use and revokes it", async () => {
    const page = await signedIn(1280);
    await page.getByRole("link", { name: "Integrações" }).click();
    await page.getByRole("heading", { name: "Tokens de API" }).waitFor();
    await page.getByRole("button", { name: "Novo token" }).click();
    const dialog = page.getByRole("dialog", { name: "Novo token de API" });
    await dialog.getByLabel("Nome").fill("CRM Vendas");
    await dialog.getByLabel("Ler contatos").check();
    await dialog.getByRole("button", { name: "Criar token" }).click();
    const shown = page.getByRole("dialog", { name: "Token criado" });
    const token = await shown.getByLabel("Token").inputValue();
    expect(token).toMatch(/^elsehu_/);
    await screenshot(page, "api-token-created");
    await shown.getByRole("button", { name: "Concluir" }).click();

    const row = page.getByRole("row", { name: /CRM Vendas/ });
    await expect.poll(() => row.textContent()).toContain("Nunca usado");
    expect(await page.content()).not.toContain(token);
    expect(await contacts(token)).toBe(200);
    await page.reload();
    await expect.poll(() => row.textContent()).not.toContain("Nunca usado");
    expect(await row.textContent()).toContain("Ler contatos");

    page.once("dialog", (d) => void d.accept());
    await row.getByRole("button", { name: "Revogar CRM Vendas" }).click();
    await expect.poll(() => row.textContent()).toContain("Revogado");
    expect(await contacts(token)).toBe(401);
  });

  it("fits a 390 px phone screen", async () => {
    const page = await signedIn(390);
    await stack.admin.client.apiTokens.create.mutate({
      name: "Integração do ERP com nome comprido",
      scopes: ["messages:send", "contacts:read", "contacts:write", "conversations:read", "reports:read"],
    });
    await page.getByRole("heading", { name: "Usuários" }).waitFor();
    await page.goto(`${stack.url}/admin/integracoes`);
    await page.getByRole("heading", { name: "Tokens de API" }).waitFor();
    await page.getByRole("row", { name: /Integração do ERP/ }).waitFor();
    await screenshot(page, "api-tokens-390");
    // The page's own parts fit; the table scrolls sideways inside its frame, as on every list page.
    const widest = await page.evaluate(() =>
      Math.max(
        ...["h1", ".page-header .btn-primary", ".muted", ".table-wrap"].map(
          (sel) => document.querySelector(sel)?.getBoundingClientRect().right ?? 9999,
        ),
      ),
    );
    expect(widest).toBeLessThanOrEqual(390);
    await page.getByRole("button", { name: "Novo token" }).click();
    const dialog = page.getByRole("dialog", { name: "Novo token de API" });
    await dialog.getByLabel("Enviar mensagens").check();
    const box = await dialog.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true);
  });
});
