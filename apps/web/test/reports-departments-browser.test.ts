import { userWithToken } from "@elsehu/testing";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { login, screenshot } from "./browser";
import { type BrowserStack, startBrowserStack, type TestUser } from "./browser-stack";

/**
 * Supervisão › Relatórios by department in a real browser: the breakdown table, the department
 * filter (figures and export link follow it), and a supervisor limited to one department who is
 * offered and shown only that one, on a 390 px phone.
 */
let stack: BrowserStack;
let admin: TestUser;
let limited: TestUser;
const dep: Record<string, string> = {};

const statValue = (page: Page, key: string) => page.locator(`[data-stat="${key}"] .stat-value`);

beforeAll(async () => {
  stack = await startBrowserStack({ worker: false, timeout: 15_000 });
  admin = stack.admin;
  limited = await userWithToken(stack, "SUPERVISOR", { name: "Sara Supervisora" });
  for (const name of ["Vendas", "Suporte"]) dep[name] = (await admin.client.departments.create.mutate({ name })).id;
  await admin.client.departments.setMembers.mutate({
    departmentId: dep.Vendas ?? "",
    members: [{ userId: limited.user.id }],
  });
  const sql = stack.core.sql;
  const [inst] =
    await sql`insert into service_instances (name, provider, secrets) values ('Loja', 'META', 'x') returning id`;
  // Closed an hour ago (today, in the default 7-day period): two in Vendas (CSAT 5 and 4), one in Suporte (CSAT 2).
  for (const [i, [department, csat]] of (
    [
      ["Vendas", 5],
      ["Vendas", 4],
      ["Suporte", 2],
    ] as const
  ).entries()) {
    const phone = `+551190000${String(i).padStart(4, "0")}`;
    const [ct] = await sql`insert into contacts (phone, phone_key, name, search_text)
      values (${phone}, ${phone}, ${`Cliente ${i}`}, ${`cliente ${i}`}) returning id`;
    await sql`insert into conversations (contact_id, instance_id, status, department_id, created_at, queued_at,
        first_assigned_at, closed_at, csat_asked_at, csat_score)
      values (${String(ct?.id)}, ${String(inst?.id)}, 'CLOSED', ${dep[department] ?? null}, now() - interval '2 hours',
        now() - interval '2 hours', now() - interval '110 minutes', now() - interval '1 hour',
        now() - interval '59 minutes', ${csat})`;
  }
});
afterAll(() => stack?.close());

async function reportsPage(user: { email: string; password: string }, width: number): Promise<Page> {
  const page = await stack.newPage({ width });
  const signedIn = page.waitForResponse((r) => r.url().includes("/trpc/auth.login") && r.ok());
  await login(page, user.email, user.password);
  await signedIn;
  await page.goto(`${stack.url}/supervisao/relatorios`);
  await page.getByRole("heading", { name: "Relatórios" }).waitFor();
  return page;
}

const departmentRows = (page: Page) =>
  page
    .getByTestId("by-department")
    .locator("tbody tr")
    .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent?.trim() ?? "")));

describe("reports by department in the console", () => {
  it("shows the breakdown, and the department filter narrows the figures and the export", async () => {
    const page = await reportsPage(admin, 1280);
    await page.getByRole("heading", { name: "Por departamento" }).waitFor();
    await expect.poll(async () => (await departmentRows(page)).map((r) => r[0])).toEqual(["Vendas", "Suporte"]);
    const [vendas] = await departmentRows(page);
    expect(vendas?.[1]).toBe("2");
    expect(vendas?.[8]).toBe("4,5 (2 respostas)");
    await expect.poll(() => statValue(page, "closed").textContent()).toBe("3");
    await screenshot(page, "reports-departments");

    await page.getByLabel("Departamento").selectOption({ label: "Suporte" });
    await expect.poll(() => statValue(page, "closed").textContent()).toBe("1");
    await expect.poll(async () => (await departmentRows(page)).map((r) => r[0])).toEqual(["Suporte"]);
    const csv = await page.getByRole("link", { name: "Exportar CSV", exact: true }).getAttribute("href");
    expect(csv).toContain(`&departmentId=${dep.Suporte}`);
    const res = await page.evaluate(async (href) => (await fetch(href ?? "")).text(), csv);
    expect(
      res
        .trimEnd()
        .split("\r\n")
        .slice(1)
        .map((l) => l.split(",").slice(-4, -2).join(",")),
    ).toEqual(["Suporte,2"]);
  }, 90_000);

  it("offers a supervisor limited to Vendas only Vendas, and fits a 390 px phone", async () => {
    const page = await reportsPage(limited, 390);
    await page.getByRole("heading", { name: "Por departamento" }).waitFor();
    await expect.poll(async () => (await departmentRows(page)).map((r) => r[0])).toEqual(["Vendas"]);
    await expect.poll(() => statValue(page, "closed").textContent()).toBe("2");
    const options = await page.getByLabel("Departamento").locator("option").allTextContents();
    expect(options).toEqual(["Todos", "Vendas"]);
    await screenshot(page, "reports-departments-390");
    // The page's own parts fit; the tables scroll sideways inside their frames.
    const widest = await page.evaluate(() =>
      Math.max(
        ...[...document.querySelectorAll("h1, h2, .filters, .cards, .table-wrap")].map(
          (el) => el.getBoundingClientRect().right,
        ),
      ),
    );
    expect(widest).toBeLessThanOrEqual(390);
  }, 90_000);
});
