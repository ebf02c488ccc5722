import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { userWithToken } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reveal, screenshot } from "./browser";
import { type BrowserStack, SIZES, type Size, startBrowserStack } from "./browser-stack";
import { PNG } from "./message-kinds-payloads";

/**
 * Every kind an Evolution customer sends, posted by the simulator as Evolution's webhooks (the
 * shared fixtures, written from Evolution's documentation by others, on this customer's number),
 * read in a real browser at 1280 and 390 px: picture, voice note, document, sticker, location,
 * contact card, a quoted reply, a reaction on the operator's answer, an edit and a deletion.
 */
const FIXTURES = "/work/shared/fixtures/evolution";
const EVO_INSTANCE = "sim-kinds-evo";
const FIXTURE_CUSTOMER = "5511987654321";
/** The fixtures' customer's LID (WhatsApp's other address for him): one per customer too. */
const FIXTURE_LID = "139874512345678";

let stack: BrowserStack;

beforeAll(async () => {
  stack = await startBrowserStack({ evolution: { instance: EVO_INSTANCE, name: "Loja Evolution" } });
});
afterAll(() => stack?.close());

const signedIn = (user: { email: string; password: string }, size: Size) => stack.signedIn(user, size);

/**
 * A shared fixture as this customer's: his number and LID instead of the fixture's, every message id
 * suffixed (each size is its own customer), sent now, and `swap` for what else must change.
 */
async function fixture(name: string, customer: string, suffix: string, swap: Record<string, string> = {}) {
  let text = await readFile(join(FIXTURES, name), "utf8");
  for (const [from, to] of Object.entries(swap)) text = text.replaceAll(from, to);
  text = text
    .replaceAll(FIXTURE_CUSTOMER, customer)
    .replaceAll(FIXTURE_LID, `1398745123456${suffix === "D" ? "10" : "11"}`);
  text = text.replace(/"(3A[0-9A-F]{18})"/g, `"$1${suffix}"`);
  // Sent now (the fixtures' dates are a year old: the chat would show the 24 h window long closed).
  text = text.replace(/"messageTimestamp": \d+/g, `"messageTimestamp": ${Math.floor(Date.now() / 1000)}`);
  return JSON.parse(text) as { event: string; data: unknown };
}

const applied = () => stack.webhooksApplied();

describe("every Evolution kind in the chat", { timeout: 150_000 }, () => {
  for (const [i, size] of SIZES.entries()) {
    it(`at ${size.width} px`, async () => {
      const customer = `55119876540${10 + i}`;
      const suffix = size.name === "desktop" ? "D" : "P";
      const op = await userWithToken(stack, "OPERATOR", { name: `Operador Evolution ${size.name}` });
      const page = await signedIn(op, size);
      await page.getByRole("heading", { name: "Atendimentos", exact: true }).waitFor();
      await expect.poll(async () => (await op.client.presence.me.query()).presence).toBe("ONLINE");

      // He writes; the conversation comes to the operator, who answers from the console.
      expect(
        await stack.sim.postWebhook("EVOLUTION", await fixture("webhook_messages_upsert_text.json", customer, suffix)),
      ).toBe(200);
      // The conversation is his (the other size's operator paused when he finished).
      await expect.poll(async () => (await op.client.conversations.mine.query()).length).toBe(1);
      await page.getByRole("button", { name: /Maria Silva/ }).click();
      const log = page.getByRole("log", { name: "Mensagens da conversa" });
      await log.getByText("Olá, vocês entregam no Centro?").waitFor();
      const box = page.getByLabel("Mensagem", { exact: true });
      await box.fill("Entregamos, sim!");
      await box.press("Enter");
      const sentAnswer = () =>
        stack.sim
          .sentMessages()
          .find((m) => m.to.includes(customer) && JSON.stringify(m.request).includes("Entregamos, sim!"));
      await expect.poll(() => sentAnswer() !== undefined).toBe(true);
      const answer = sentAnswer();

      // Files: the simulator serves each one by its message id, as Evolution's base64 endpoint does.
      stack.sim.storeMedia(`3A1D2E3F4A5B6C7D8E9F${suffix}`, { bytes: PNG, mimeType: "image/jpeg" });
      stack.sim.storeMedia(`3A2B3C4D5E6F70819A2B${suffix}`, { bytes: Buffer.from("OggS"), mimeType: "audio/ogg" });
      stack.sim.storeMedia(`3A3C4D5E6F708192A3B4${suffix}`, {
        bytes: Buffer.alloc(2048, 1),
        mimeType: "application/pdf",
        fileName: "nota-fiscal.pdf",
      });
      stack.sim.storeMedia(`3A8D9E0F1A2B3C4D5E60${suffix}`, { bytes: PNG, mimeType: "image/webp" });
      for (const name of [
        "webhook_messages_upsert_image.json",
        "webhook_messages_upsert_audio_ptt.json",
        "webhook_messages_upsert_document.json",
        "webhook_messages_upsert_sticker.json",
        "webhook_messages_upsert_location.json",
        "webhook_messages_upsert_contact.json",
        "webhook_messages_upsert_text_quoted_reply.json",
      ]) {
        expect(await stack.sim.postWebhook("EVOLUTION", await fixture(name, customer, suffix)), name).toBe(200);
      }
      await applied();
      // Then what changes earlier messages: a reaction to the operator's answer, an edit, a deletion.
      const react = await fixture("webhook_messages_upsert_reaction.json", customer, suffix, {
        "3EB0C4A1F2D3E4B5A6C7D8": answer?.providerMessageId ?? "missing",
      });
      for (const body of [
        react,
        await fixture("webhook_messages_edited.json", customer, suffix),
        await fixture("webhook_messages_delete_revoke.json", customer, suffix, {
          "3A5F0C2B9E7D41A8B6C3": "3A4D5E6F708192A3B4C5",
        }),
      ]) {
        expect(await stack.sim.postWebhook("EVOLUTION", body)).toBe(200);
      }
      await applied();

      // Picture with its caption, voice note, document with name and size, sticker.
      await reveal(page, log.getByRole("button", { name: "Ampliar imagem" }));
      await reveal(page, log.getByText("Segue o comprovante"));
      await reveal(page, log.locator("audio.msg-audio"));
      const doc = await reveal(page, log.locator(".msg-document"));
      await expect.poll(() => doc.textContent()).toContain("nota-fiscal.pdf");
      await reveal(page, log.getByRole("img", { name: "Figurinha" }));
      // Contact card with its phone and "Salvar contato".
      const card = await reveal(page, log.locator(".msg-card").filter({ hasText: "João Pereira" }));
      await card.getByRole("button", { name: "Salvar contato" }).waitFor();
      // The reaction marks the operator's answer; the edit changes the text, with its history.
      const answered = await reveal(page, log.locator(".msg").filter({ hasText: "Entregamos, sim!" }));
      await answered.getByText("👍").waitFor();
      const edited = await reveal(page, log.locator(".msg").filter({ hasText: "Centro e na Sé?" }));
      await edited.getByRole("button", { name: "editada" }).waitFor();
      // The location he deleted: gone from the operator's screen, its place said.
      const gone = await reveal(page, log.locator(".msg").filter({ hasText: "Mensagem apagada pelo cliente" }));
      expect(await gone.textContent()).not.toContain("Praça da Sé");
      await screenshot(page, `evolution-kinds-${size.name}`);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width).toBe(size.width);
      await op.client.presence.setStatus.mutate({ status: "PAUSED", reason: "Fim do teste" });
    });
  }
});
