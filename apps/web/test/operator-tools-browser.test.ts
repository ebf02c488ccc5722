import { httpClient, userWithToken } from "@elsehu/testing";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatAction, screenshot } from "./browser";
import { type BrowserStack, SIZES, type Size, startBrowserStack } from "./browser-stack";

/**
 * The operator's tools in a real browser (Chromium's fake microphone), on a desk
 * and on a phone, against a real API, worker and the provider simulator: voice
 * notes recorded in the composer, a quick reply's file, desktop notifications
 * and the title's unread count, and every main screen fitting 390 px.
 */
let stack: BrowserStack;

beforeAll(async () => {
  stack = await startBrowserStack({
    meta: "Loja simulada",
    chromium: ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"],
  });
});
afterAll(() => stack?.close());

const microphone = (context: BrowserContext) => context.grantPermissions(["microphone"], { origin: stack.url });
const onlineOperator = (name: string, size: Size) => stack.onlineOperator(name, size, microphone);

const digits = (phone: string) => phone.replace(/\D/g, "");
const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

describe("voice notes recorded in the composer", { timeout: 120_000 }, () => {
  for (const [i, size] of SIZES.entries()) {
    it(`at ${size.width} px`, async () => {
      const customer = `+55119876600${10 + i}`;
      const name = `Cliente voz ${size.name}`;
      const { op, page } = await onlineOperator(`Operador voz ${size.name}`, size);
      expect(await stack.sim.injectInbound("META", { from: customer, name, body: "Pode mandar um áudio?" })).toBe(200);
      await page.getByRole("button", { name: new RegExp(name) }).click();
      const log = page.getByRole("log", { name: "Mensagens da conversa" });
      await log.getByText("Pode mandar um áudio?").waitFor();

      // A recording that is cancelled sends nothing.
      await page.getByRole("button", { name: "Gravar mensagem de voz" }).click();
      const bar = page.getByRole("group", { name: "Gravação de voz" });
      await bar.getByText(/Gravando 0:0\d/).waitFor();
      await bar.getByRole("button", { name: "Cancelar" }).click();
      await page.getByLabel("Mensagem", { exact: true }).waitFor();

      // Recorded, timed, sent: the customer gets an OGG/Opus voice message.
      await page.getByRole("button", { name: "Gravar mensagem de voz" }).click();
      await bar.getByText("Gravando 0:02").waitFor();
      expect(await pageWidth(page)).toBeLessThanOrEqual(size.width);
      await screenshot(page, `voice-recording-${size.name}`);
      await bar.getByRole("button", { name: "Enviar áudio" }).click();
      const sent = await expect
        .poll(() => stack.sim.sentMessages().filter((m) => m.to === digits(customer)))
        .toHaveLength(1)
        .then(() => stack.sim.sentMessages().find((m) => m.to === digits(customer)));
      const audio = (sent?.request as { type: string; audio: { id: string; voice?: boolean } }) ?? null;
      expect(audio).toMatchObject({ type: "audio", audio: { voice: true } });
      const file = stack.sim.mediaOf(audio.audio.id);
      expect(file?.mimeType).toMatch(/^audio\/ogg/);
      expect(Buffer.from(file?.bytes.subarray(0, 4) ?? []).toString()).toBe("OggS");
      // The chat shows it, as audio, in the operator's side of the history.
      await expect.poll(() => log.locator(".msg-out audio, .msg-out a[href^='/media/']").count()).toBeGreaterThan(0);
      const [row] = await stack.core.sql<{ media: { voice?: boolean; durationMs?: number } }[]>`select m.media
        from messages m join conversations c on c.id = m.conversation_id join contacts ct on ct.id = c.contact_id
        where ct.phone = ${customer} and m.direction = 'OUT'`;
      expect(row?.media.voice).toBe(true);
      expect(row?.media.durationMs).toBeGreaterThan(1500);
      await screenshot(page, `voice-sent-${size.name}`);

      // A quick reply with a file: "/" picks it, the file waits above the box, both go out together.
      const reply = await op.client.quickReplies.create.mutate({
        shortcut: "tabela",
        body: "Tabela de preços, {{nome}}.",
      });
      const form = new FormData();
      form.set("id", reply.id);
      form.set("file", new File([Buffer.from("%PDF-1.4\n%%EOF\n")], "precos.pdf", { type: "application/pdf" }));
      await httpClient(stack.url, op.token, { batch: false }).quickReplies.attach.mutate(form);
      const box = page.getByLabel("Mensagem", { exact: true });
      await box.fill("/tab");
      await page.getByRole("option", { name: /\/tabela/ }).click();
      await page
        .getByRole("status", { name: "Anexo da resposta rápida" })
        .getByText(/precos\.pdf/)
        .waitFor();
      expect(await pageWidth(page)).toBeLessThanOrEqual(size.width);
      await page.getByRole("button", { name: "Enviar", exact: true }).click();
      await expect
        .poll(() => stack.sim.sentMessages().filter((m) => m.to === digits(customer) && m.type === "document").length)
        .toBe(1);
      const doc = stack.sim.sentMessages().find((m) => m.to === digits(customer) && m.type === "document");
      expect(doc?.request).toMatchObject({
        document: { caption: `Tabela de preços, ${name}.`, filename: "precos.pdf" },
      });
      await op.client.presence.setStatus.mutate({ status: "PAUSED", reason: "Fim do teste" });
    });
  }
});

/** Records the notifications the page shows, and lets the test hide the tab (headless tabs are always visible). */
const NOTIFICATION_SPY = () => {
  const w = window as unknown as { __notes: string[]; __setHidden: (h: boolean) => void };
  w.__notes = [];
  const Real = window.Notification;
  class Recorded extends Real {
    constructor(title: string, options?: NotificationOptions) {
      super(title, options);
      w.__notes.push(`${title} | ${options?.body ?? ""}`);
    }
  }
  Object.defineProperty(Recorded, "permission", { get: () => Real.permission });
  Object.defineProperty(Recorded, "requestPermission", { value: () => Real.requestPermission() });
  window.Notification = Recorded as unknown as typeof Notification;
  let hidden = false;
  Object.defineProperty(document, "visibilityState", { get: () => (hidden ? "hidden" : "visible") });
  Object.defineProperty(document, "hidden", { get: () => hidden });
  w.__setHidden = (h: boolean) => {
    hidden = h;
    document.dispatchEvent(new Event("visibilitychange"));
  };
};

describe("desktop notifications while the console is in another tab", { timeout: 120_000 }, () => {
  it("are turned on from the account page and tell of a new conversation and a new message", async () => {
    const op = await userWithToken(stack, "OPERATOR", { name: "Operador avisos" });
    const page = await stack.signedIn(op, { width: 1280, height: 860 }, async (context) => {
      await context.grantPermissions(["notifications"], { origin: stack.url });
      await context.addInitScript(NOTIFICATION_SPY);
    });
    await page.getByRole("heading", { name: "Atendimentos", exact: true }).waitFor();

    await page.getByRole("link", { name: /Operador avisos/ }).click();
    const toggle = page.getByLabel(/Notificações na área de trabalho/);
    expect(await toggle.isChecked()).toBe(false);
    await toggle.check();
    await expect.poll(() => toggle.isChecked()).toBe(true);
    await screenshot(page, "notifications-settings");
    await page.getByRole("link", { name: "Atendimentos" }).click();
    await page.getByRole("heading", { name: "Atendimentos", exact: true }).waitFor();
    await expect.poll(async () => (await op.client.presence.me.query()).presence).toBe("ONLINE");

    // The operator looks at another tab: a customer writes, and writes again.
    await page.evaluate(() => (window as unknown as { __setHidden: (h: boolean) => void }).__setHidden(true));
    const notes = () => page.evaluate(() => (window as unknown as { __notes: string[] }).__notes);
    const customer = "+5511987660099";
    expect(
      await stack.sim.injectInbound("META", { from: customer, name: "Clara Aviso", body: "Olá, alguém aí?" }),
    ).toBe(200);
    await expect.poll(notes).toContain("Novo atendimento | Uma conversa foi atribuída a você.");
    await page.getByRole("button", { name: /Clara Aviso/ }).waitFor();
    expect(
      await stack.sim.injectInbound("META", { from: customer, name: "Clara Aviso", body: "Preciso de ajuda" }),
    ).toBe(200);
    await expect.poll(notes).toContain("Nova mensagem de Clara Aviso | Abra o console para responder.");
    // The tab's title counts what is unread.
    await expect.poll(() => page.title()).toMatch(/^\(2\) Atendimentos/);
    // Back on the tab, opening it reads it; a message in the chat on screen while the tab is hidden counts
    // until he is back.
    const setHidden = (h: boolean) =>
      page.evaluate((v) => (window as unknown as { __setHidden: (h: boolean) => void }).__setHidden(v), h);
    await setHidden(false);
    await page.getByRole("button", { name: /Clara Aviso/ }).click();
    await expect.poll(() => page.title()).toMatch(/^Atendimentos/);
    // The read reached the server before he looks away (a slow answer must not also read what comes next).
    const unreadOnServer = async () =>
      (await op.client.conversations.mine.query()).find((c) => c.contact.name === "Clara Aviso")?.unreadCount;
    await expect.poll(unreadOnServer).toBe(0);
    await setHidden(true);
    expect(await stack.sim.injectInbound("META", { from: customer, name: "Clara Aviso", body: "Oi de novo" })).toBe(
      200,
    );
    await expect.poll(async () => (await notes()).length).toBe(3);
    await expect.poll(() => page.title()).toMatch(/^\(1\) Atendimentos/);
    await setHidden(false);
    await expect.poll(() => page.title()).toMatch(/^Atendimentos/);
    await op.client.presence.setStatus.mutate({ status: "PAUSED", reason: "Fim do teste" });
  });
});

describe("every main screen fits a 390 px phone", { timeout: 120_000 }, () => {
  it("inbox, chat, composer with the quick replies, quick replies and account pages", async () => {
    const phone = SIZES[1];
    const { op, page } = await onlineOperator("Operadora com nome bem comprido para o celular", phone);
    await op.client.quickReplies.create.mutate({ shortcut: "saudacao-longa-de-teste", body: "Olá! ".repeat(60) });
    const widths: Record<string, number> = {};
    widths.inbox = await pageWidth(page);
    await screenshot(page, "phone-inbox");
    const customer = "+5511987660088";
    const name = "Cliente Com Um Nome Muito Comprido Da Silva Sauro";
    const long = "Mensagem-sem-espacos-".repeat(12);
    expect(await stack.sim.injectInbound("META", { from: customer, name, body: long })).toBe(200);
    await page.getByRole("button", { name: new RegExp(name) }).click();
    await page.getByRole("log", { name: "Mensagens da conversa" }).getByText(long).waitFor();
    widths.chat = await pageWidth(page);
    await screenshot(page, "phone-chat");
    await page.getByLabel("Mensagem", { exact: true }).fill("/sau");
    await page.getByRole("listbox", { name: "Respostas rápidas" }).getByRole("option").first().waitFor();
    widths.composer = await pageWidth(page);
    await screenshot(page, "phone-composer");
    await page.getByLabel("Mensagem", { exact: true }).fill("");
    await chatAction(page, "Transferir");
    await page.getByRole("dialog", { name: "Transferir atendimento" }).waitFor();
    widths.transfer = await pageWidth(page);
    await page
      .getByRole("dialog", { name: "Transferir atendimento" })
      .getByRole("button", { name: "Cancelar" })
      .click();
    await page.getByRole("button", { name: "Nova conversa" }).click();
    await page.getByRole("dialog", { name: "Nova conversa" }).waitFor();
    widths.start = await pageWidth(page);
    await screenshot(page, "phone-start");
    await page.keyboard.press("Escape");
    await page.getByRole("dialog", { name: "Nova conversa" }).waitFor({ state: "detached" });
    await page.getByRole("link", { name: "Respostas rápidas" }).click();
    await page.getByRole("cell", { name: "/saudacao-longa-de-teste", exact: true }).waitFor();
    widths.quickReplies = await pageWidth(page);
    await screenshot(page, "phone-quick-replies");
    await page.getByRole("link", { name: /Operadora com nome/ }).click();
    await page.getByRole("heading", { name: "Minha conta" }).waitFor();
    widths.account = await pageWidth(page);
    await screenshot(page, "phone-account");
    expect(widths).toEqual({
      inbox: 390,
      chat: 390,
      composer: 390,
      transfer: 390,
      start: 390,
      quickReplies: 390,
      account: 390,
    });
    await op.client.presence.setStatus.mutate({ status: "PAUSED", reason: "Fim do teste" });
  });
});
