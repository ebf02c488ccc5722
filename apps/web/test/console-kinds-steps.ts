import type { Locator, Page } from "playwright-core";
import { expect } from "vitest";

/**
 * What an operator does in the chat to send each kind, step by step as a person would,
 * with what the chat must show after each step. The test checks what the provider got.
 */
export const chatLog = (page: Page) => page.getByRole("log", { name: "Mensagens da conversa" });
export const customerMessage = (page: Page, text: string) => chatLog(page).locator(".msg-in", { hasText: text });

/** Opens `name`'s chat from the list of conversations (above the chat on a phone). */
export async function openChat(page: Page, name: string) {
  await page
    .getByRole("complementary", { name: "Conversas" })
    .getByRole("button", { name: new RegExp(name) })
    .click();
  await page.getByRole("heading", { name: new RegExp(name) }).waitFor();
  await chatLog(page).waitFor();
}

/** Types in the composer, key by key, as the operator does. */
export async function typeSome(page: Page, text: string) {
  await page.getByLabel("Mensagem", { exact: true }).pressSequentially(text, { delay: 20 });
}

/** "Responder", cancel once, "Responder" again and send `text` quoting the customer's `quoted`. */
export async function replyQuoting(page: Page, quoted: string, text: string) {
  const target = customerMessage(page, quoted);
  await target.getByRole("button", { name: "Responder a esta mensagem" }).click();
  const banner = page.locator(".composer-reply");
  await banner.getByText(quoted).waitFor();
  await banner.getByRole("button", { name: "Cancelar resposta" }).click();
  await banner.waitFor({ state: "detached" });
  await target.getByRole("button", { name: "Responder a esta mensagem" }).click();
  await banner.getByText(quoted).waitFor();
  const box = page.getByLabel("Mensagem", { exact: true });
  await box.fill(text);
  await box.press("Enter");
  await banner.waitFor({ state: "detached" });
  // The sent message shows what it answers.
  const sent = chatLog(page).locator(".msg-out", { hasText: text });
  await sent.locator(".msg-quote", { hasText: quoted }).waitFor();
}

/** Reacts with `emoji` on the customer's message; the mark shows on it. */
export async function react(page: Page, quoted: string, emoji: string) {
  const target = customerMessage(page, quoted);
  await target.getByRole("button", { name: "Reagir a esta mensagem" }).click();
  await target.getByRole("button", { name: `Reagir com ${emoji}` }).click();
  await target.locator(".msg-reaction-own", { hasText: emoji }).waitFor();
}

/** Removes our reaction; the mark goes. */
export async function removeReaction(page: Page, quoted: string) {
  const target = customerMessage(page, quoted);
  await target.getByRole("button", { name: "Reagir a esta mensagem" }).click();
  await target.getByRole("button", { name: "Remover reação" }).click();
  await target.locator(".msg-reaction-own").waitFor({ state: "detached" });
}

async function openShare(page: Page, item: string, title: string): Promise<Locator> {
  await page.getByRole("button", { name: "Mais opções de envio" }).click();
  await page.getByRole("button", { name: item }).click();
  const dialog = page.getByRole("dialog", { name: title });
  await dialog.waitFor();
  return dialog;
}

export const DRAFT = "Rascunho ainda não enviado";

/** The location form refuses what is missing or out of range (pt-BR), then sends the pin. */
export async function sendLocation(
  page: Page,
  pin: { latitude: string; longitude: string; name: string; address: string },
) {
  // A draft in the text box stays there: sending the pin does not send it.
  const box = page.getByLabel("Mensagem", { exact: true });
  await box.fill(DRAFT);
  const dialog = await openShare(page, "📍 Localização", "Enviar localização");
  const send = dialog.getByRole("button", { name: "Enviar localização" });
  await send.click();
  await dialog.getByText("Informe a latitude.").waitFor();
  await dialog.getByText("Informe a longitude.").waitFor();
  await dialog.getByLabel("Latitude").fill("abc");
  await dialog.getByLabel("Longitude").fill("-200");
  await send.click();
  await dialog.getByText("Latitude inválida: use um número como -23,5505.").waitFor();
  await dialog.getByText("A longitude vai de -180 a 180.").waitFor();
  await dialog.getByLabel("Latitude").fill(pin.latitude);
  await dialog.getByLabel("Longitude").fill(pin.longitude);
  await dialog.getByLabel("Nome do local (opcional)").fill(pin.name);
  await dialog.getByLabel("Endereço (opcional)").fill(pin.address);
  await noSideScroll(page);
  await send.click();
  await dialog.waitFor({ state: "detached" });
  await chatLog(page)
    .locator(".msg-out")
    .getByRole("link", { name: `📍 ${pin.name}` })
    .waitFor();
  expect(await box.inputValue()).toBe(DRAFT);
  await box.fill("");
}

/** Picks a contact by searching `search`, checks the phone rule, and shares the card. */
export async function sendContactCard(page: Page, search: string, name: string) {
  const dialog = await openShare(page, "👤 Contato", "Enviar contato");
  await dialog.getByRole("button", { name: "Enviar contato" }).click();
  await dialog.getByText("Informe o nome do contato.").waitFor();
  await dialog.getByLabel("Telefone").fill("123");
  await dialog.getByRole("button", { name: "Enviar contato" }).click();
  await dialog.getByText("Telefone inválido: use DDD e número, como (11) 91234-5678.").waitFor();
  await dialog.getByLabel("Buscar nos contatos").fill(search);
  await dialog
    .getByRole("list", { name: "Contatos encontrados" })
    .getByRole("button", { name: new RegExp(name) })
    .click();
  await expect.poll(() => dialog.getByLabel("Nome", { exact: true }).inputValue()).toBe(name);
  await noSideScroll(page);
  await dialog.getByRole("button", { name: "Enviar contato" }).click();
  await dialog.waitFor({ state: "detached" });
  await chatLog(page).locator(".msg-out .msg-card", { hasText: name }).waitFor();
}

/** Nothing is wider than the screen. */
export async function noSideScroll(page: Page) {
  const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(wide).toBe(0);
}
