import { userWithToken } from "@elsehu/testing";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROUTES } from "../src/shell/routes";
import { goTo, navLabels, screenshot } from "./browser";
import { type BrowserStack, startBrowserStack, type TestUser } from "./browser-stack";

/**
 * Supervisors and admins on a 390 px phone: their navigation folds behind
 * "Menu" (the page comes first), every screen of it, filled with long names and
 * real rows (a waiting customer, a department, a number, a campaign), and the
 * dialogs they open most, fit the screen's width (nothing scrolls sideways) in a
 * real browser against a real API and worker. Operators keep their two links.
 */
const LONG = "Nome Comprido Demais Para Caber Numa Linha Só Da Silva";

let stack: BrowserStack;
let admin: TestUser;

beforeAll(async () => {
  stack = await startBrowserStack({ admin: `Admin ${LONG}`, meta: `Número ${LONG}` });
  admin = stack.admin;
  await admin.client.departments.create.mutate({ name: "Financeiro e Cobrança Geral", color: "#16a34a" });
  await admin.client.tabulations.create.mutate({ name: `Tabulação ${LONG}` });
  await userWithToken(stack, "OPERATOR", { name: `Operador ${LONG}` });
  await admin.client.contacts.create.mutate({
    phone: "+5511987661234",
    name: `Contato ${LONG}`,
    tags: ["vip-cliente"],
  });
  // A customer waiting in the queue (nobody is online to take him).
  expect(await stack.sim.injectInbound("META", { from: "+5511987664321", name: `Cliente ${LONG}`, body: "Olá!" })).toBe(
    200,
  );
  for (let i = 0; (await admin.client.conversations.queue.query({})).total === 0; i++) {
    if (i > 200) throw new Error(`the customer never reached the queue of Número ${LONG}`);
    await new Promise((r) => setTimeout(r, 100));
  }
});
afterAll(() => stack?.close());

const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

async function phonePage(user = admin, width = 390): Promise<Page> {
  const page = await stack.signedIn(user, { width, height: 844 });
  await page.getByRole("button", { name: "Sair" }).waitFor();
  return page;
}

/** The page's heading is on the first screen, not pushed below the fold by the navigation. */
async function headingOnFirstScreen(page: Page, name: string) {
  const heading = page.getByRole("heading", { level: 1, name });
  await heading.waitFor();
  const box = await heading.evaluate((el) => el.getBoundingClientRect().bottom);
  expect(box).toBeLessThanOrEqual(844);
}

describe("staff screens on a 390 px phone", { timeout: 240_000 }, () => {
  it("every supervision and administration screen fits the width, with real rows in it", async () => {
    const page = await phonePage();
    const staffRoutes = ROUTES.filter((r) => r.roles.includes("ADMIN") && !r.planned);
    expect(staffRoutes.length).toBeGreaterThan(10);
    const widths: Record<string, number> = {};
    for (const route of staffRoutes) {
      await page.goto(`${stack.url}${route.path}`);
      await page.locator("h1#page-title").waitFor();
      // Let the page's queries fill it before measuring.
      await page.waitForLoadState("networkidle");
      widths[route.path] = await pageWidth(page);
      await screenshot(page, `staff-phone${route.path.replaceAll("/", "-")}`);
    }
    // The rows are there: the waiting customer in the queue, the long names in their lists.
    await page.goto(`${stack.url}/supervisao/fila`);
    await page.getByText(`Cliente ${LONG}`).first().waitFor();
    widths["/supervisao/fila (row)"] = await pageWidth(page);
    const over = Object.entries(widths).filter(([, w]) => w > 390);
    expect(over, `screens wider than 390 px: ${JSON.stringify(over)}`).toEqual([]);
    await page.context().close();
  });

  it("the dialogs staff open most fit the width", async () => {
    const page = await phonePage();
    const dialogs: [string, string, string][] = [
      ["/admin/usuarios", "Novo usuário", "Novo usuário"],
      ["/admin/departamentos", "Novo departamento", "Novo departamento"],
      ["/admin/numeros", "Novo número", "Novo número"],
      ["/admin/contatos", "Novo contato", "Novo contato"],
    ];
    const widths: Record<string, number> = {};
    for (const [path, button, title] of dialogs) {
      await page.goto(`${stack.url}${path}`);
      await page.getByRole("button", { name: button }).first().click();
      const dialog = page.getByRole("dialog", { name: title });
      await dialog.waitFor();
      widths[title] = await pageWidth(page);
      const box = await dialog.boundingBox();
      widths[`${title} (box right edge)`] = Math.ceil((box?.x ?? 0) + (box?.width ?? 0));
      await screenshot(page, `staff-phone-dialog-${title.replaceAll(" ", "-")}`);
      await dialog.getByRole("button", { name: "Cancelar" }).click();
    }
    const over = Object.entries(widths).filter(([, w]) => w > 390);
    expect(over, `dialogs wider than 390 px: ${JSON.stringify(over)}`).toEqual([]);
    await page.context().close();
  });
  it("folds the navigation behind Menu: the page first, a screen chosen closes it", async () => {
    const page = await phonePage();
    const nav = page.getByRole("navigation", { name: "Navegação principal" });
    const menu = page.getByRole("button", { name: "Menu", exact: true });
    await headingOnFirstScreen(page, "Usuários");
    expect(await menu.getAttribute("aria-expanded")).toBe("false");
    expect(await nav.isVisible()).toBe(false);
    await screenshot(page, "staff-phone-menu-closed");

    await menu.click();
    expect(await menu.getAttribute("aria-expanded")).toBe("true");
    expect(await navLabels(page)).toContain("Relatórios");
    await screenshot(page, "staff-phone-menu-open");
    await page.keyboard.press("Escape");
    await expect.poll(() => nav.isVisible()).toBe(false);

    await goTo(page, "Relatórios");
    await expect.poll(() => new URL(page.url()).pathname).toBe("/supervisao/relatorios");
    await headingOnFirstScreen(page, "Relatórios");
    expect(await nav.isVisible()).toBe(false);
    expect(await menu.getAttribute("aria-expanded")).toBe("false");
    await page.context().close();

    // A supervisor too; an operator keeps his two links in view, with no menu to open.
    const supervisor = await userWithToken(stack, "SUPERVISOR", { name: "Sara Supervisora" });
    const sup = await phonePage(supervisor);
    await headingOnFirstScreen(sup, "Fila");
    expect(await sup.getByRole("navigation", { name: "Navegação principal" }).isVisible()).toBe(false);
    await sup.context().close();
    const operator = await userWithToken(stack, "OPERATOR", { name: "Olga Operadora" });
    const op = await phonePage(operator);
    expect(await navLabels(op)).toEqual(["Atendimentos", "Respostas rápidas"]);
    expect(await op.getByRole("button", { name: "Menu", exact: true }).count()).toBe(0);
    await headingOnFirstScreen(op, "Atendimentos");
    await op.context().close();

    // On a desk the navigation is a column, always shown.
    const desk = await phonePage(admin, 1280);
    expect(await navLabels(desk)).toContain("Relatórios");
    expect(await desk.getByRole("button", { name: "Menu", exact: true }).isVisible()).toBe(false);
    await desk.context().close();
  });
});
