import { afterAll, beforeAll, describe, it } from "vitest";
import { screenshot } from "./browser";
import { type BrowserStack, SIZES, startBrowserStack } from "./browser-stack";

/**
 * An admin, in a real browser at 1280 and 390 px, reads what Meta says of a number (name,
 * phone, quality, limit) and pulls the approved templates from Meta with one button: the
 * approved one is listed, the paused one says why it can't be sent.
 */
let stack: BrowserStack;

beforeAll(async () => {
  stack = await startBrowserStack({ meta: "Loja simulada" });
  stack.sim.setMetaTemplates([
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
});
afterAll(() => stack?.close());

async function signedIn(size: (typeof SIZES)[number]) {
  const page = await stack.signedIn(stack.admin, size);
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
