import { userWithToken } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reveal, screenshot } from "./browser";
import { type BrowserStack, PNID, SIZES, type Size, startBrowserStack, type TestUser } from "./browser-stack";
import { customerSays, PNG, structuredKinds } from "./message-kinds-payloads";

/**
 * Every WhatsApp kind a customer sends, posted by the simulator as Meta's signed webhook,
 * read in a real browser at 1280 and 390 px: the bot's menu and the customer's choice, the
 * ad he came from, media players and the image viewer, cards, orders, flows, notices,
 * reactions, edits and deletions.
 */
let stack: BrowserStack;
let admin: TestUser;
let sales: { id: string };

beforeAll(async () => {
  stack = await startBrowserStack({
    meta: "Loja simulada",
    // A media download that fails retryably waits a minute: long enough to see it loading.
    config: { mediaRetryBaseMs: 60_000 },
  });
  admin = stack.admin;
  sales = await admin.client.departments.create.mutate({ name: "Vendas" });
  const support = await admin.client.departments.create.mutate({ name: "Suporte" });
  await admin.client.instances.setRouting.mutate({
    instanceId: stack.instances.meta ?? "",
    routing: {
      mode: "MENU",
      greeting: "Olá! Com qual setor você quer falar?",
      options: [
        { title: "Vendas", departmentId: sales.id },
        { title: "Suporte", departmentId: support.id },
      ],
      fallbackDepartmentId: support.id,
      timeoutMinutes: 10,
    },
  });
});
afterAll(() => stack?.close());

const signedIn = (user: { email: string; password: string }, size: Size) => stack.signedIn(user, size);

const digits = (phone: string) => phone.replace(/\D/g, "");

const applied = () => stack.webhooksApplied();

describe("every kind in the chat", { timeout: 150_000 }, () => {
  for (const [i, size] of SIZES.entries()) {
    it(`at ${size.width} px`, async () => {
      const customer = `+55119876530${10 + i}`;
      const name = `Cliente Tipos ${size.name}`;
      const k = `wamid.KINDS-${size.name}`;
      const say = customerSays(PNID, customer, name);
      const op = await userWithToken(stack, "OPERATOR", { name: `Vendedor ${size.name}` });
      await admin.client.departments.setMembers.mutate({ departmentId: sales.id, members: [{ userId: op.user.id }] });
      const page = await signedIn(op, size);
      await page.getByRole("heading", { name: "Atendimentos", exact: true }).waitFor();
      await expect.poll(async () => (await op.client.presence.me.query()).presence).toBe("ONLINE");

      // He comes from an ad; the bot answers with the menu; he taps "Vendas" and reaches the operator.
      const referral = {
        source_url: "https://fb.me/pizza-promo",
        source_id: "120210000000000001",
        source_type: "ad",
        headline: "Pizza em dobro",
        body: "Peça duas, pague uma",
      };
      await stack.sim.postWebhook("META", say.envelope([say.text(`${k}-hi`, "Quero a promoção", { referral })]));
      const menu = await untilFound(() => stack.sim.sentMessages().find((m) => m.to === digits(customer)));
      expect(menu.type).toBe("interactive");
      await stack.sim.postWebhook(
        "META",
        say.envelope([
          {
            id: `${k}-pick`,
            type: "interactive",
            context: { from: "5511940001234", id: menu.providerMessageId },
            interactive: { type: "button_reply", button_reply: { id: "menu:1", title: "Vendas" } },
          },
        ]),
      );
      await page.getByRole("button", { name: new RegExp(name) }).click();
      const log = page.getByRole("log", { name: "Mensagens da conversa" });
      const buttons = log.getByRole("list", { name: "Botões de resposta" });
      await expect.poll(() => buttons.getByRole("listitem").allTextContents()).toEqual(["Vendas", "Suporte"]);
      await log.getByText("Escolheu a opção").waitFor();
      await log.locator(".msg-choice").getByText("Vendas").waitFor();
      await page.locator(".chat-referral").getByRole("link", { name: "Pizza em dobro" }).waitFor();

      // Media: stored first, files fetched after; one id the provider does not know.
      stack.sim.storeMedia(`${size.name}-img`, { bytes: PNG, mimeType: "image/png" });
      stack.sim.storeMedia(`${size.name}-voice`, { bytes: Buffer.from("OggS-voz"), mimeType: "audio/ogg" });
      stack.sim.storeMedia(`${size.name}-video`, { bytes: Buffer.from("mp4-bytes"), mimeType: "video/mp4" });
      stack.sim.storeMedia(`${size.name}-doc`, {
        bytes: Buffer.alloc(2048, 1),
        mimeType: "application/pdf",
        fileName: "nota-fiscal.pdf",
      });
      stack.sim.storeMedia(`${size.name}-sticker`, { bytes: PNG, mimeType: "image/webp" });
      await stack.sim.postWebhook(
        "META",
        say.envelope([
          say.media(`${k}-img`, "image", `${size.name}-img`, { mime_type: "image/png", caption: "Comprovante" }),
          say.media(`${k}-voice`, "audio", `${size.name}-voice`, { mime_type: "audio/ogg; codecs=opus", voice: true }),
          say.media(`${k}-video`, "video", `${size.name}-video`, { mime_type: "video/mp4" }),
          say.media(`${k}-doc`, "document", `${size.name}-doc`, {
            mime_type: "application/pdf",
            filename: "nota-fiscal.pdf",
          }),
          say.media(`${k}-sticker`, "sticker", `${size.name}-sticker`, { mime_type: "image/webp" }),
          say.media(`${k}-lost`, "image", `${size.name}-nowhere`, { mime_type: "image/jpeg", caption: "Foto perdida" }),
          ...structuredKinds(k, `+55 11 91234-56${70 + i}`),
          say.text(`${k}-edit`, "São 2 pizzas"),
          say.text(`${k}-gone`, "Meu cartão é 1234"),
        ]),
      );
      await applied();
      await stack.sim.postWebhook(
        "META",
        say.envelope([
          { id: `${k}-react`, type: "reaction", reaction: { message_id: `${k}-edit`, emoji: "❤️" } },
          {
            id: `${k}-edited`,
            type: "edit",
            edit: { original_message_id: `${k}-edit`, message: { type: "text", text: { body: "São 3 pizzas" } } },
          },
          { id: `${k}-revoke`, type: "revoke", revoke: { original_message_id: `${k}-gone` } },
        ]),
      );
      await applied();

      // Image: opens in the viewer, Esc closes it.
      await (await reveal(page, log.getByRole("button", { name: "Ampliar imagem" }))).click();
      const viewer = page.getByRole("dialog", { name: "Imagem ampliada" });
      await viewer.waitFor();
      await screenshot(page, `kinds-viewer-${size.name}`);
      await page.keyboard.press("Escape");
      await viewer.waitFor({ state: "hidden" });
      await (await reveal(page, log.getByRole("button", { name: "Ampliar imagem" }))).click();
      await viewer.getByRole("button", { name: "Fechar imagem" }).click();
      await viewer.waitFor({ state: "hidden" });
      // Voice note and video play inline; the document shows its name and size; the sticker is a picture.
      await reveal(page, log.locator("audio.msg-audio"));
      await reveal(page, log.getByText("🎤 Mensagem de voz"));
      await reveal(page, log.locator("video.msg-video"));
      const doc = await reveal(page, log.locator(".msg-document"));
      await expect.poll(() => doc.textContent()).toContain("nota-fiscal.pdf");
      expect(await doc.textContent()).toContain("2 KB");
      await reveal(page, log.getByRole("img", { name: "Figurinha" }));
      // The media the provider lost: unavailable, and asked again.
      const lost = await reveal(page, log.locator(".msg").filter({ hasText: "Foto perdida" }));
      await lost.getByText("Mídia indisponível").waitFor();
      await lost.getByRole("button", { name: "Pedir novamente" }).click();
      await lost.getByText("Carregando mídia…").waitFor();

      // Location, contact card (saved), order, flow answers, unsupported notice.
      const map = await reveal(page, log.getByRole("link", { name: /Praça da Sé/ }).first());
      expect(await map.getAttribute("href")).toContain("-23.5505199,-46.6333094");
      await reveal(page, log.getByText("Praça da Sé, s/n - São Paulo"));
      const card = await reveal(page, log.locator(".msg-card").filter({ hasText: "João Pereira" }));
      await card.getByText("Pereira Entregas").waitFor();
      expect(await log.locator(".msg").filter({ hasText: "Pereira Entregas" }).locator(".msg-text").count()).toBe(0);
      await card.getByRole("button", { name: "Salvar contato" }).click();
      await page.getByRole("status").getByText("Contato salvo").waitFor();
      const order = await reveal(page, log.locator(".msg-order"));
      await order.getByText("2 × pizza-margherita-g").waitFor();
      expect((await order.textContent())?.replace(/\s/g, " ")).toContain("Total: R$ 111,80");
      const flow = await reveal(page, log.locator(".msg-flow"));
      await flow.getByText("nome completo").waitFor();
      await flow.getByText("Maria Silva").waitFor();
      expect(await flow.textContent()).not.toContain("t-1");
      await reveal(page, log.getByText("Tipo de mensagem não suportado pelo WhatsApp"));

      // Reaction on its target; the edit with its history; the deletion without its content.
      const edited = await reveal(page, log.locator(".msg").filter({ hasText: "São 3 pizzas" }));
      await edited.getByText("❤️").waitFor();
      await edited.getByRole("button", { name: "editada" }).click();
      await edited.getByRole("list", { name: "Versões anteriores" }).getByText("São 2 pizzas").waitFor();
      const gone = await reveal(page, log.locator(".msg").filter({ hasText: "Mensagem apagada pelo cliente" }));
      expect(await gone.textContent()).not.toContain("Meu cartão");
      await screenshot(page, `kinds-chat-${size.name}`);
      // Nothing is wider than the screen: no sideways scrolling, on the page or in the chat.
      const widths = await page.evaluate(() => {
        const scroll = document.querySelector(".msg-scroll");
        return {
          page: document.documentElement.scrollWidth,
          chat: (scroll?.scrollWidth ?? 0) - (scroll?.clientWidth ?? 0),
        };
      });
      expect(widths).toEqual({ page: size.width, chat: 0 });

      // A download still under way shows it is loading.
      stack.sim.fail({ provider: "META", kind: "500", times: 1, route: "media" });
      stack.sim.storeMedia(`${size.name}-slow`, { bytes: PNG, mimeType: "image/png" });
      await stack.sim.postWebhook(
        "META",
        say.envelope([
          say.media(`${k}-slow`, "image", `${size.name}-slow`, { mime_type: "image/png", caption: "Lenta" }),
        ]),
      );
      await (await reveal(page, log.locator(".msg").filter({ hasText: "Lenta" })))
        .getByText("Carregando mídia…")
        .waitFor();
      await op.client.presence.setStatus.mutate({ status: "PAUSED", reason: "Fim do teste" });
    });
  }
});

/** The bot's menu, once it went out to the customer. */
async function untilFound<T>(fn: () => T | undefined): Promise<T> {
  await expect.poll(() => fn() !== undefined).toBe(true);
  const found = fn();
  if (found === undefined) throw new Error("gone after it was found");
  return found;
}
