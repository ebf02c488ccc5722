import { serviceInstances } from "@elsehu/db";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { goTo, screenshot } from "./browser";
import { type BrowserStack, startBrowserStack, type TestUser } from "./browser-stack";

/**
 * The number's routing editor (menu with its live preview) and a department's
 * hours, holidays and automatic messages, in a real browser against a real API,
 * at a phone's width and a desktop's.
 */
let stack: BrowserStack;
let admin: TestUser;
const dep: Record<string, string> = {};

beforeAll(async () => {
  stack = await startBrowserStack({ worker: false, timeout: 15_000 });
  admin = stack.admin;
  for (const name of ["Vendas", "Suporte", "Financeiro", "Ouvidoria"]) {
    dep[name] = (await admin.client.departments.create.mutate({ name })).id;
  }
  await stack.core.db.insert(serviceInstances).values([
    { name: "Loja Meta", provider: "META", secrets: "x" },
    { name: "Loja Evolution", provider: "EVOLUTION", secrets: "x" },
  ]);
});
afterAll(() => stack?.close());

const signedIn = (width: number) => stack.signedIn(admin, { width });

const noSideScroll = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

async function routingFor(name: string) {
  const [row] = await stack.core.sql<{ routing: Record<string, unknown> | null }[]>`
    select routing from service_instances where name = ${name}`;
  return row?.routing;
}

describe("the number's routing editor", () => {
  for (const width of [1280, 390]) {
    it(`builds a menu with a live preview of what the customer sees (${width} px)`, async () => {
      await stack.core.sql`update service_instances set routing = null where name = 'Loja Meta'`;
      const page = await signedIn(width);
      await goTo(page, "Números");
      await page.getByRole("button", { name: "Roteamento de Loja Meta" }).click();
      const dialog = page.getByRole("dialog", { name: "Roteamento de Loja Meta" });
      await dialog.getByLabel("Primeiro contato").selectOption({ label: "Menu de opções" });
      await dialog.getByLabel("Saudação").fill("Oi! Escolha o setor:");
      await dialog.getByLabel("Opção 1", { exact: true }).fill("Vendas");
      await dialog.getByLabel("Departamento da opção 1").selectOption({ label: "Vendas" });
      await dialog.getByLabel("Opção 2", { exact: true }).fill("Suporte técnico");
      await dialog.getByLabel("Departamento da opção 2").selectOption({ label: "Suporte" });
      // Two options on Meta: reply buttons under the greeting.
      const preview = dialog.getByRole("figure", { name: "Prévia para o cliente" });
      await expect.poll(async () => preview.getByTestId("wa-preview-text").textContent()).toBe("Oi! Escolha o setor:");
      await expect
        .poll(async () => preview.getByTestId("wa-preview-buttons").getByRole("listitem").allTextContents())
        .toEqual(["Vendas", "Suporte técnico"]);
      // Four options: a list.
      await dialog.getByRole("button", { name: "Adicionar opção" }).click();
      await dialog.getByLabel("Opção 3", { exact: true }).fill("Financeiro");
      await dialog.getByLabel("Departamento da opção 3").selectOption({ label: "Financeiro" });
      await dialog.getByRole("button", { name: "Adicionar opção" }).click();
      await dialog.getByLabel("Opção 4", { exact: true }).fill("Falar com a ouvidoria");
      await dialog.getByLabel("Departamento da opção 4").selectOption({ label: "Ouvidoria" });
      await expect
        .poll(async () => preview.getByTestId("wa-preview-list").getByRole("listitem").allTextContents())
        .toEqual(["Vendas", "Suporte técnico", "Financeiro", "Falar com a ouvidoria"]);
      await dialog.getByLabel("Se não escolher (departamento padrão)").selectOption({ label: "Ouvidoria" });
      await dialog.getByLabel("Prazo para responder (minutos)").fill("15");
      expect(await noSideScroll(page)).toBe(true);
      await screenshot(page, `routing-menu-${width}`);
      await dialog.getByRole("button", { name: "Salvar roteamento" }).click();
      await page
        .getByRole("row", { name: /Loja Meta/ })
        .getByText("Menu (4 opções)")
        .waitFor();
      expect(await routingFor("Loja Meta")).toMatchObject({
        mode: "MENU",
        greeting: "Oi! Escolha o setor:",
        fallbackDepartmentId: dep.Ouvidoria,
        timeoutMinutes: 15,
        options: [
          { title: "Vendas", departmentId: dep.Vendas },
          { title: "Suporte técnico", departmentId: dep.Suporte },
          { title: "Financeiro", departmentId: dep.Financeiro },
          { title: "Falar com a ouvidoria", departmentId: dep.Ouvidoria },
        ],
      });
    }, 120_000);
  }

  it("shows an Evolution number's menu as the numbered text it sends, and routes straight to a department", async () => {
    const page = await signedIn(1280);
    await goTo(page, "Números");
    await page.getByRole("button", { name: "Roteamento de Loja Evolution" }).click();
    const dialog = page.getByRole("dialog", { name: "Roteamento de Loja Evolution" });
    await dialog.getByLabel("Primeiro contato").selectOption({ label: "Menu de opções" });
    await dialog.getByLabel("Saudação").fill("Bem-vindo!");
    await dialog.getByLabel("Opção 1", { exact: true }).fill("Vendas");
    await dialog.getByLabel("Opção 2", { exact: true }).fill("Suporte");
    await expect
      .poll(async () => dialog.getByTestId("wa-preview-text").textContent())
      .toBe("Bem-vindo!\n\n1. Vendas\n2. Suporte\n\nResponda com o número da opção.");
    await dialog.getByLabel("Primeiro contato").selectOption({ label: "Direto para um departamento" });
    await dialog.getByLabel("Departamento").selectOption({ label: "Suporte" });
    await dialog.getByRole("button", { name: "Salvar roteamento" }).click();
    await page
      .getByRole("row", { name: /Loja Evolution/ })
      .getByText("Um departamento")
      .waitFor();
    expect(await routingFor("Loja Evolution")).toEqual({ mode: "DEPARTMENT", departmentId: dep.Suporte });
  }, 120_000);
});

describe("a department's hours and automatic messages", () => {
  for (const width of [1280, 390]) {
    it(`sets weekly hours, a holiday and the out-of-hours text with its preview (${width} px)`, async () => {
      const page = await signedIn(width);
      await goTo(page, "Departamentos");
      await page.getByRole("button", { name: "Editar Suporte" }).click();
      const dialog = page.getByRole("dialog", { name: "Editar Suporte" });
      await dialog.getByLabel("Sempre aberto (24 horas, todos os dias)").uncheck();
      await dialog.getByLabel("Sábado").check();
      await dialog.getByLabel("Fecha (Sábado)").fill("12:00");
      await dialog.getByLabel("Feriado").fill("2026-12-25");
      await dialog.getByRole("button", { name: "Adicionar feriado" }).click();
      await dialog.getByRole("button", { name: "Remover feriado 25/12/2026" }).waitFor();
      await dialog.getByLabel("Mensagem fora do horário", { exact: true }).fill("Olá {{nome}}! Voltamos às 9h.");
      await expect
        .poll(async () =>
          dialog
            .getByRole("figure", { name: "Prévia: Mensagem fora do horário" })
            .getByTestId("wa-preview-text")
            .textContent(),
        )
        .toBe("Olá Maria! Voltamos às 9h.");
      await dialog.getByLabel("Saudação ao assumir", { exact: true }).fill("Oi {{nome}}, aqui é {{operador}}.");
      await dialog.getByLabel("Pesquisa de satisfação (nota de 1 a 5) após encerrar").check();
      await expect
        .poll(async () =>
          dialog
            .getByRole("figure", { name: "Prévia: Pergunta da pesquisa" })
            .getByTestId("wa-preview-list")
            .getByRole("listitem")
            .count(),
        )
        .toBe(5);
      expect(await noSideScroll(page)).toBe(true);
      await screenshot(page, `department-hours-${width}`);
      await dialog.getByRole("button", { name: "Salvar" }).click();
      await dialog.waitFor({ state: "detached" });
      const [row] = await stack.core.sql<
        { hours: { weekly: unknown[]; holidays: string[] }; out_of_hours_message: string; csat_enabled: boolean }[]
      >`select hours, out_of_hours_message, csat_enabled from departments where id = ${dep.Suporte ?? ""}`;
      expect(row?.hours.weekly).toHaveLength(6);
      expect(row?.hours.weekly).toContainEqual({ day: 6, open: "09:00", close: "12:00" });
      expect(row?.hours.holidays).toEqual(["2026-12-25"]);
      expect(row).toMatchObject({ out_of_hours_message: "Olá {{nome}}! Voltamos às 9h.", csat_enabled: true });
      // As it was, for the next width.
      await stack.core.sql`update departments set hours = null, out_of_hours_message = null, greeting_message = null,
        csat_enabled = false where id = ${dep.Suporte ?? ""}`;
    }, 120_000);
  }
});
