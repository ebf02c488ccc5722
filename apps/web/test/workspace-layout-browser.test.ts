import { userWithToken } from "@elsehu/testing";
import type { Locator } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatAction, screenshot } from "./browser";
import { type BrowserStack, startBrowserStack } from "./browser-stack";

/**
 * Room to read the chat: on a laptop (1280×860, 1366×768) with the customer
 * panel open, the operator's message list stays at least 350 px tall and 520 px
 * wide, uncovered, and the whole chat fits the screen; on a wide desk (1600×900)
 * the panel is docked beside a chat as wide; on a phone (390×844) the chat fills one screen,
 * its list is as tall, and the message box sits at the bottom, under the thumb. Opened as a drawer the
 * panel takes the focus and Esc gives it back; as a sheet over a phone's chat, Tab stays inside it.
 * Real browser, API, worker and provider simulator; a header with tags in it.
 */
const SIZES = [
  { name: "laptop", width: 1280, height: 860 },
  { name: "small-laptop", width: 1366, height: 768 },
  { name: "wide", width: 1600, height: 900 },
  { name: "phone", width: 390, height: 844 },
] as const;

let stack: BrowserStack;
beforeAll(async () => {
  stack = await startBrowserStack({ meta: "Loja simulada" });
});
afterAll(() => stack?.close());

const box = (l: Locator) =>
  l.evaluate((el: Element) => {
    const r = el.getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, width: r.width, height: r.height };
  });

describe("the operator's chat has room on a laptop and a phone", { timeout: 180_000 }, () => {
  for (const [i, size] of SIZES.entries()) {
    it(`at ${size.width}×${size.height}`, async () => {
      const customer = `+55119876540${10 + i}`;
      const name = `Cliente Espaço ${size.name}`;
      await stack.admin.client.contacts.create.mutate({ phone: customer, name, tags: ["Cliente ouro", "Atacado"] });
      const op = await userWithToken(stack, "OPERATOR", { name: `Operadora ${size.name}` });
      const page = await stack.signedIn(op, size);
      await page.getByRole("heading", { name: "Atendimentos", exact: true }).waitFor();
      await expect.poll(async () => (await op.client.presence.me.query()).presence).toBe("ONLINE");

      expect(await stack.sim.injectInbound("META", { from: customer, name, body: "Meu pedido atrasou" })).toBe(200);
      await expect.poll(async () => (await op.client.conversations.mine.query()).length).toBe(1);
      const [mine] = await op.client.conversations.mine.query();
      await op.client.conversations.tag.mutate({ id: mine?.id ?? "", add: ["entrega", "urgente"] });
      await page.getByRole("button", { name: new RegExp(name) }).click();
      const log = page.getByRole("log", { name: "Mensagens da conversa" });
      await log.getByText("Meu pedido atrasou").waitFor();
      await page.getByRole("list", { name: "Etiquetas da conversa" }).getByText("urgente").waitFor();

      const panel = page.getByRole("complementary", { name: "Cliente" });
      const focusInside = () => panel.evaluate((el: Element) => el.contains(document.activeElement));
      const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim());
      const view = { width: size.width, height: size.height };
      if (size.name !== "phone") {
        if ((await panel.count()) === 0) await chatAction(page, "Cliente");
        await panel.getByTestId("customer-name").waitFor();
        const list = await box(log);
        // Before the compact header and the drawer: 16 × 342 px at 1280×860, 97 × 428 at 1366×768.
        console.log(`${size.width}×${size.height} message list with the panel open`, list);
        expect(list.height).toBeGreaterThanOrEqual(350);
        expect(list.width).toBeGreaterThanOrEqual(520);
        // The whole chat is on the screen: list and message box, no page scrolling.
        expect(list.top).toBeGreaterThanOrEqual(0);
        const input = await box(page.getByLabel("Mensagem", { exact: true }));
        expect(input.bottom).toBeLessThanOrEqual(view.height);
        // None of the messages is covered: docked beside the chat on a wide desk, over the conversation list below.
        const side = await box(panel);
        if (size.name === "wide") expect(side.left).toBeGreaterThanOrEqual(list.right);
        else expect(side.right).toBeLessThanOrEqual(list.left);
        await screenshot(page, `workspace-layout-${size.name}`);
        if (size.name !== "wide") {
          // The drawer took the focus; Esc closes it and gives the focus back to "Cliente".
          expect(await focusInside()).toBe(true);
          await page.keyboard.press("Escape");
          await expect.poll(() => panel.count()).toBe(0);
          expect(await focused()).toBe("Cliente");
        }
        return;
      }

      // A phone: the chat is one screen tall; shown, its message box is at the bottom of the screen.
      const chat = page.getByRole("region", { name });
      await chat.evaluate((el: Element) => el.scrollIntoView({ block: "end" }));
      const list = await box(log);
      // Before: 16 × 340 px.
      console.log("390×844 message list", list);
      expect(list.height).toBeGreaterThanOrEqual(350);
      expect(list.width).toBeGreaterThanOrEqual(350);
      expect((await box(chat)).height).toBeLessThanOrEqual(view.height);
      const input = await box(page.getByLabel("Mensagem", { exact: true }));
      expect(input.top).toBeGreaterThanOrEqual(view.height / 2);
      expect(input.bottom).toBeLessThanOrEqual(view.height);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await screenshot(page, "workspace-layout-phone");

      // Everything still reachable: the customer sheet opens and closes, a reply goes out.
      await chatAction(page, "Cliente");
      await panel.getByTestId("customer-name").waitFor();
      // A sheet over the chat: the focus is in it and Tab, either way, keeps it there.
      expect(await focusInside()).toBe(true);
      for (let k = 0; k < 10; k++) {
        await page.keyboard.press("Tab");
        expect(await focusInside()).toBe(true);
      }
      await page.keyboard.press("Shift+Tab");
      expect(await focusInside()).toBe(true);
      await panel.getByRole("button", { name: "Fechar painel do cliente" }).click();
      await expect.poll(() => panel.count()).toBe(0);
      // Back on the menu that opened it (its "Cliente" is hidden again).
      expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("Mais ações");
      await page.getByLabel("Mensagem", { exact: true }).fill("Já verifico, um instante.");
      await page.keyboard.press("Enter");
      await log.getByText("Já verifico, um instante.").waitFor();
      await expect
        .poll(() => stack.sim.sentMessages().filter((m) => m.to === customer.replace(/\D/g, "")).length)
        .toBe(1);
    });
  }
});
