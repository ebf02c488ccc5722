import { findOrOpenConversation } from "@elsehu/core";
import { contacts, serviceInstances } from "@elsehu/db";
import { userWithToken } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { screenshot } from "./browser";
import { type BrowserStack, startBrowserStack, type TestUser } from "./browser-stack";

/**
 * Administração › Departamentos in a real browser against a real API: an admin
 * creates a department and picks its members; the supervisor's queue shows the
 * department's badge and filters by it.
 */
let stack: BrowserStack;
let admin: TestUser;
let supervisor: TestUser;
let operator: TestUser;

beforeAll(async () => {
  stack = await startBrowserStack({ timeout: 15_000 });
  admin = stack.admin;
  supervisor = await userWithToken(stack, "SUPERVISOR", { name: "Sara Supervisora" });
  operator = await userWithToken(stack, "OPERATOR", { name: "Otávio Operador" });
});
afterAll(() => stack?.close());

const signedIn = (user: TestUser, width = 1280) => stack.signedIn(user, { width });

describe("departments in the console", () => {
  it("an admin creates a department and its members; the queue, conversations and operators show and filter by it", async () => {
    const page = await signedIn(admin);
    await page.getByRole("link", { name: "Departamentos" }).click();
    await page.getByRole("button", { name: "Novo departamento" }).click();
    await page.getByLabel("Nome").fill("Financeiro");
    await page.getByRole("button", { name: "Criar departamento" }).click();
    const row = page.getByRole("row", { name: /Financeiro/ });
    await row.waitFor();
    await row.getByRole("button", { name: "Membros de Financeiro" }).click();
    const dialog = page.getByRole("dialog", { name: "Membros de Financeiro" });
    await dialog.getByLabel(/Otávio Operador/).check();
    await dialog.getByLabel("Capacidade de Otávio Operador neste departamento").fill("2");
    await screenshot(page, "departments-members");
    await dialog.getByRole("button", { name: "Salvar membros" }).click();
    await expect.poll(async () => (await row.getByRole("cell").nth(2).textContent())?.trim()).toBe("1");

    const [dep] = await stack.core.sql<{ id: string }[]>`select id from departments where name = 'Financeiro'`;
    const [member] = await stack.core.sql<{ max_concurrent: number }[]>`
      select max_concurrent from department_members where department_id = ${dep?.id ?? ""} and user_id = ${operator.user.id}`;
    expect(member?.max_concurrent).toBe(2);

    // A customer waits in Financeiro (its operator is offline); another in the global queue.
    const [inst] = await stack.core.db
      .insert(serviceInstances)
      .values({ name: "Loja", provider: "META", secrets: "x" })
      .returning();
    for (const [name, phone, departmentId] of [
      ["Bruna Boleto", "+5511911110001", dep?.id ?? null],
      ["Carlos Geral", "+5511911110002", null],
    ] as const) {
      const [c] = await stack.core.db.insert(contacts).values({ name, phone, phoneKey: phone }).returning();
      await stack.core.db.transaction((tx) =>
        findOrOpenConversation(tx, {
          contactId: c?.id ?? "",
          instanceId: inst?.id ?? "",
          now: new Date(),
          departmentId,
        }),
      );
    }
    const sup = await signedIn(supervisor);
    await sup.getByRole("link", { name: "Fila" }).click();
    const bruna = sup.getByRole("row", { name: /Bruna Boleto/ });
    await expect.poll(async () => (await bruna.textContent()) ?? "").toContain("Financeiro");
    await sup.getByLabel("Departamento").selectOption({ label: "Financeiro" });
    await expect.poll(async () => sup.getByRole("row", { name: /Carlos Geral/ }).count()).toBe(0);
    await expect.poll(async () => bruna.count()).toBe(1);
    await screenshot(sup, "departments-queue");

    // Supervisão › Conversas: the same badge and filter.
    await sup.getByRole("link", { name: "Conversas" }).click();
    const list = sup.getByRole("table", { name: "Conversas" });
    const brunaRow = list.getByRole("row", { name: /Bruna Boleto/ });
    await expect.poll(async () => (await brunaRow.textContent()) ?? "").toContain("Financeiro");
    await expect
      .poll(async () => (await list.getByRole("row", { name: /Carlos Geral/ }).textContent()) ?? "")
      .toContain("Geral");
    await sup.getByLabel("Departamento").selectOption({ label: "Financeiro" });
    await expect.poll(async () => list.getByRole("row", { name: /Carlos Geral/ }).count()).toBe(0);
    await expect.poll(async () => brunaRow.count()).toBe(1);

    // Supervisão › Operadores: Otávio serves Financeiro; the filter keeps only its members.
    await sup.getByRole("link", { name: "Operadores" }).click();
    const board = sup.getByRole("table", { name: "Status dos operadores e supervisores" });
    const otavio = board.getByRole("row", { name: /Otávio Operador/ });
    await expect.poll(async () => (await otavio.textContent()) ?? "").toContain("Financeiro");
    await sup.getByLabel("Departamento").selectOption({ label: "Financeiro" });
    await expect.poll(async () => (await board.getByRole("row").count()) - 1).toBe(1);
    await expect.poll(async () => otavio.count()).toBe(1);
  }, 120_000);
});
