import { type Simulator, startSimulator } from "@elsehu/providers/simulator";
import { type Stack, startStack, userWithToken } from "@elsehu/testing";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, it } from "vitest";
import { launchChromium, login, screenshot } from "./browser";
import { buildWeb } from "./build-web";

/**
 * An admin, in a real browser at 1280 and 390 px, reads what Meta says of a number (name,
 * phone, quality, limit) and pulls the approved templates from Meta with one button: the
 * approved one is listed, the paused one says why it can't be sent.
 */
const PNID = "109876543210987";
const APP_SECRET = "meta-app-secret-123";
const SIZES = [
  { name: "desktop", width: 1280, height: 860 },
  { name: "phone", width: 390, height: 844 },
] as const;

let sim: Simulator;
let stack: Stack;
let browser: Browser;
let admin: Awaited<ReturnType<typeof userWithToken>>;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  const dist = await buildWeb();
  sim = await startSimulator({ meta: { appSecret: APP_SECRET, phoneNumberId: PNID } });
  stack = await startStack({
    worker: true,
    removeOnClose: [dist],
    api: { webDist: dist },
    config: { providerTimeoutMs: 5000 },
  });
  admin = await userWithToken(stack, "ADMIN", { name: "Ana Admin" });
  await admin.client.instances.create.mutate({
    provider: "META",
    name: "Loja simulada",
    config: { phoneNumberId: PNID, wabaId: "102938475610293", baseUrl: sim.url },
    secrets: { accessToken: "meta-access-token-xyz", appSecret: APP_SECRET, verifyToken: "verify-token-abc" },
  });
  sim.setMetaTemplates([
    {
      id: "1387372356726668",
      name: "pedido_atualizacao",
      language: "pt_BR",
      status: "APPROVED",
      category: "UTILITY",
      components: [{ type: "BODY", text: "Olá {{1}}, seu pedido {{2}} foi atualizado." }],
    },
    {
      id: "1304694804498707",
      name: "promo_fim_de_semana",
      language: "pt_BR",
      status: "PAUSED",
      category: "MARKETING",
      components: [{ type: "BODY", text: "Promoção!" }],
    },
  ]);
  browser = await launchChromium();
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await sim?.close();
  await stack?.close();
});

async function signedIn(size: (typeof SIZES)[number]): Promise<Page> {
  const context = await browser.newContext({ locale: "pt-BR", viewport: { width: size.width, height: size.height } });
  context.setDefaultTimeout(20_000);
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(stack.url);
  await login(page, admin.email, admin.password);
  await page.getByRole("heading", { name: "Usuários" }).waitFor();
  return page;
}

describe("number details and templates from Meta", { timeout: 120_000 }, () => {
  for (const size of SIZES) {
    it(`at ${size.width} px`, async () => {
      const page = await signedIn(size);
      await page.goto(`${stack.url}/admin/numeros`);
      await page.getByRole("button", { name: "Detalhes de Loja simulada" }).click();
      const details = page.getByRole("dialog", { name: "Detalhes de Loja simulada" });
      await details.getByRole("button", { name: "Consultar agora" }).click();
      await details.getByText("Loja Centro").waitFor();
      await details.getByText("+55 11 94000-1234").waitFor();
      await details.getByText("Alta").waitFor();
      await screenshot(page, `number-details-${size.name}`);
      await page.keyboard.press("Escape");
      await details.waitFor({ state: "hidden" });

      await page.goto(`${stack.url}/admin/modelos`);
      await page.getByRole("button", { name: "Sincronizar com a Meta" }).click();
      await page.getByRole("status").getByText("Sincronização pedida").waitFor();
      const paused = page.getByRole("row").filter({ hasText: "promo_fim_de_semana" });
      await paused.getByText("Meta: PAUSED").waitFor({ timeout: 30_000 });
      await page.getByRole("row").filter({ hasText: "pedido_atualizacao" }).getByText("Meta: APPROVED").waitFor();
      await screenshot(page, `templates-sync-${size.name}`);
    });
  }
});
