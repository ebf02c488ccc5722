import { readFile } from "node:fs/promises";
import { userWithToken } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { goTo, screenshot } from "./browser";
import { type BrowserStack, startBrowserStack, type TestUser } from "./browser-stack";

/**
 * Administração › Auditoria in a real browser against a real API: the admin
 * filters the log by a person and sees that person's sign-in, at 1280 and
 * 390 px; a supervisor has no such screen.
 */
let stack: BrowserStack;
let admin: TestUser;
let supervisor: TestUser;

beforeAll(async () => {
  stack = await startBrowserStack({ worker: false, timeout: 15_000 });
  admin = stack.admin;
  supervisor = await userWithToken(stack, "SUPERVISOR", { name: "Sara Supervisora" });
});
afterAll(() => stack?.close());

const signedIn = (user: TestUser, width: number) => stack.signedIn(user, { width });

describe("Auditoria", () => {
  for (const width of [1280, 390]) {
    it(`lists a person's sign-in when filtered by that person (${width} px)`, async () => {
      const page = await signedIn(admin, width);
      // Signed in (the admin's home), then straight to the screen by its address.
      await page.getByRole("heading", { name: "Usuários" }).waitFor();
      await page.goto(`${stack.url}/admin/auditoria`);
      await page.getByRole("heading", { name: "Auditoria" }).waitFor();
      await page.getByLabel("Pessoa").selectOption({ label: "Sara Supervisora" });
      const table = page.getByRole("table", { name: "Registros de auditoria" });
      const row = table.getByRole("row", { name: /Entrada no sistema/ });
      await row.first().waitFor();
      await expect
        .poll(async () => (await table.getByRole("row").allTextContents()).slice(1))
        .not.toContainEqual(expect.stringContaining("Ana Admin"));
      const cells = await row.first().getByRole("cell").allTextContents();
      expect(cells[1]).toBe("Sara Supervisora");
      expect(cells[3]).toContain("Usuário");
      expect(cells[4]).toMatch(/IP /);
      // The page fits the screen: no sideways scroll of the whole page.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await screenshot(page, `audit-${width}`);

      // The action filter narrows to failed sign-ins: none for her yet.
      await page.getByLabel("Ação", { exact: true }).selectOption({ label: "Entrada recusada" });
      await page.getByText("Nenhum registro encontrado").waitFor();
    });
  }

  it("downloads a contact's data from Contatos, and the export shows in Auditoria", async () => {
    const contact = await admin.client.contacts.create.mutate({ phone: "+55 31 99876-5500", name: "Helena Exportada" });
    const page = await signedIn(admin, 1280);
    await goTo(page, "Contatos");
    const row = page.getByRole("row", { name: /Helena Exportada/ });
    const download = page.waitForEvent("download");
    await row.getByRole("button", { name: "Exportar dados de Helena Exportada" }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe("dados-contato-5531998765500.json");
    const path = await file.path();
    const data = JSON.parse(await readFile(path, "utf8"));
    expect(data.contact).toMatchObject({ id: contact.id, name: "Helena Exportada", phone: "+5531998765500" });
    await page.getByText("Arquivo com os dados do contato baixado.").waitFor();

    await goTo(page, "Auditoria");
    await page.getByLabel("Ação", { exact: true }).selectOption({ label: "Dados do contato exportados (LGPD)" });
    const entry = page.getByRole("row", { name: /Dados do contato exportados/ });
    await entry.first().waitFor();
    expect(await entry.count()).toBe(1);
    expect(await entry.getByRole("cell").nth(1).textContent()).toBe("Ana Admin");
  });

  it("lets a supervisor download a contact's data from Contatos, with no erase button", async () => {
    await admin.client.contacts.create.mutate({ phone: "+55 31 99876-5511", name: "Caio Supervisionado" });
    const page = await signedIn(supervisor, 390);
    await goTo(page, "Contatos");
    const row = page.getByRole("row", { name: /Caio Supervisionado/ });
    await row.waitFor();
    expect(await row.getByRole("button", { name: /Excluir/ }).count()).toBe(0);
    const download = page.waitForEvent("download");
    await row.getByRole("button", { name: "Exportar dados de Caio Supervisionado" }).click();
    const data = JSON.parse(await readFile(await (await download).path(), "utf8"));
    expect(data.contact).toMatchObject({ name: "Caio Supervisionado", phone: "+5531998765511" });
  });

  it("is not offered to a supervisor", async () => {
    const page = await signedIn(supervisor, 1280);
    const nav = page.getByRole("navigation", { name: "Navegação principal" });
    await nav.waitFor();
    expect(await nav.getByRole("link").allTextContents()).not.toContain("Auditoria");
  });
});
