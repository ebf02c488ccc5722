import { type Simulator, startSimulator } from "@elsehu/providers/simulator";
import { type Stack, startStack, userWithToken } from "@elsehu/testing";
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, screenshot, signedInPage } from "./browser";
import { buildWeb } from "./build-web";
import {
  customerMessage,
  DRAFT,
  noSideScroll,
  openChat,
  react,
  removeReaction,
  replyQuoting,
  sendContactCard,
  sendLocation,
  typeSome,
} from "./console-kinds-steps";

/**
 * The operator sends every kind from the chat (1280 and 390 px) to a Meta and an Evolution customer:
 * a quoted reply, a reaction and its removal, a location, a contact card, and "typing…" while he
 * writes; each checked in what the provider simulator received.
 */
const PNID = "109876543210987";
const APP_SECRET = "meta-app-secret-123";
const EVO_INSTANCE = "sim-kinds";
const EVO_SECRET = "evolution-webhook-secret-0123456789";
const SIZES = [
  { name: "desktop", width: 1280, height: 860 },
  { name: "phone", width: 390, height: 844 },
] as const;

let sim: Simulator;
let stack: Stack;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  const dist = await buildWeb();
  sim = await startSimulator({
    meta: { appSecret: APP_SECRET, phoneNumberId: PNID },
    evolution: { instanceName: EVO_INSTANCE },
    statusDelayMs: 30,
  });
  stack = await startStack({
    worker: true,
    removeOnClose: [dist],
    api: { webDist: dist },
    config: { providerTimeoutMs: 5000 },
  });
  stack.config.publicUrl = stack.url;
  const admin = await userWithToken(stack, "ADMIN", { name: "Ana Admin" });
  await admin.client.instances.create.mutate({
    provider: "META",
    name: "Loja Meta",
    config: { phoneNumberId: PNID, wabaId: "102938475610293", baseUrl: sim.url },
    secrets: { accessToken: "meta-access-token-xyz", appSecret: APP_SECRET, verifyToken: "verify-token-abc" },
  });
  const evolution = await admin.client.instances.create.mutate({
    provider: "EVOLUTION",
    name: "Loja Evolution",
    config: { baseUrl: sim.url, instanceName: EVO_INSTANCE },
    secrets: { apiKey: "evolution-api-key", webhookSecret: EVO_SECRET },
  });
  sim.setWebhookTarget("META", { url: `${stack.url}/webhooks/meta`, appSecret: APP_SECRET });
  sim.setWebhookTarget("EVOLUTION", {
    url: `${stack.url}${evolution.webhookPath}`,
    headers: { "x-webhook-secret": EVO_SECRET },
  });
  browser = await launchChromium();
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await sim?.settled();
  await sim?.close();
  await stack?.close();
});

const signedIn = (user: { email: string; password: string }, size: (typeof SIZES)[number]) =>
  signedInPage(browser, stack.url, user, size, contexts);

type Json = Record<string, unknown>;
const digits = (phone: string) => phone.replace(/\D/g, "");
/** What the provider got for this customer, of this type, the newest last. */
const sent = (provider: "META" | "EVOLUTION", to: string, type: string) =>
  sim
    .sentMessages()
    .filter((m) => m.provider === provider && m.to === digits(to) && m.type === type)
    .map((m) => m.request as Json);
const posted = (path: string) =>
  sim.received.filter((r) => r.method === "POST" && r.path.endsWith(path)).map((r) => r.body as Json);

describe("the operator sends every kind", { timeout: 180_000 }, () => {
  for (const [i, size] of SIZES.entries()) {
    it(`at ${size.width} px, to Meta and Evolution`, async () => {
      const meta = { phone: `+55119876541${10 + i}`, name: `Maria Meta ${size.name}`, id: `wamid.CK-${size.name}` };
      const evo = { phone: `+55219876541${10 + i}`, name: `Evandro Evo ${size.name}`, id: `3ACK${i}0000000001` };
      const op = await userWithToken(stack, "OPERATOR", { name: `Operador ${size.name}`, maxConcurrent: 5 });
      const page = await signedIn(op, size);
      await page.getByRole("heading", { name: "Atendimentos", exact: true }).waitFor();
      await expect.poll(async () => (await op.client.presence.me.query()).presence).toBe("ONLINE");
      const question = "Onde fica a loja?";
      await sim.injectInbound("META", { from: meta.phone, name: meta.name, body: question, id: meta.id });
      await sim.injectInbound("EVOLUTION", { from: evo.phone, name: evo.name, body: question, id: evo.id });

      // Meta: typing, a quoted reply, a reaction and its removal, a location, a contact card.
      await openChat(page, meta.name);
      await customerMessage(page, question).waitFor();
      await typeSome(page, "Ol");
      await expect
        .poll(() => posted(`/${PNID}/messages`).filter((b) => b.typing_indicator && b.message_id === meta.id).length)
        .toBe(1);
      await page.getByLabel("Mensagem", { exact: true }).fill("");
      const answer = `Na Praça da Sé (${size.name})`;
      await replyQuoting(page, question, answer);
      await expect
        .poll(() => sent("META", meta.phone, "text").find((b) => (b.text as Json).body === answer)?.context)
        .toEqual({ message_id: meta.id });
      await react(page, question, "❤️");
      await expect
        .poll(() => sent("META", meta.phone, "reaction").at(-1)?.reaction)
        .toEqual({
          message_id: meta.id,
          emoji: "❤️",
        });
      await screenshot(page, `console-kinds-reply-reaction-${size.name}`);
      await removeReaction(page, question);
      await expect
        .poll(() => sent("META", meta.phone, "reaction").at(-1)?.reaction)
        .toEqual({
          message_id: meta.id,
          emoji: "",
        });
      const pin = {
        latitude: "-23,5505199",
        longitude: "-46.6333094",
        name: "Loja Centro",
        address: "Praça da Sé, 100",
      };
      await sendLocation(page, pin);
      await expect
        .poll(() => sent("META", meta.phone, "location")[0]?.location)
        .toEqual({
          latitude: -23.5505199,
          longitude: -46.6333094,
          name: "Loja Centro",
          address: "Praça da Sé, 100",
        });
      await sendContactCard(page, "evandro", evo.name);
      await expect
        .poll(() => sent("META", meta.phone, "contacts")[0]?.contacts)
        .toMatchObject([{ name: { formatted_name: evo.name }, phones: [{ wa_id: digits(evo.phone) }] }]);
      expect(sim.sentMessages().filter((m) => JSON.stringify(m.request).includes(DRAFT))).toEqual([]);
      await screenshot(page, `console-kinds-meta-${size.name}`);
      await noSideScroll(page);

      // Evolution: the same, through its own endpoints.
      await openChat(page, evo.name);
      await customerMessage(page, question).waitFor();
      await typeSome(page, "Bo");
      await expect
        .poll(() => posted(`/chat/sendPresence/${EVO_INSTANCE}`).filter((b) => b.number === digits(evo.phone)))
        .toEqual([{ number: digits(evo.phone), presence: "composing", delay: 3000 }]);
      await page.getByLabel("Mensagem", { exact: true }).fill("");
      await replyQuoting(page, question, answer);
      await expect
        .poll(() => (sent("EVOLUTION", evo.phone, "text").find((b) => b.text === answer)?.quoted as Json)?.key)
        .toMatchObject({ id: evo.id, fromMe: false });
      await react(page, question, "🙏");
      const jid = `${digits(evo.phone)}@s.whatsapp.net`;
      await expect
        .poll(() => sent("EVOLUTION", evo.phone, "reaction").at(-1))
        .toEqual({ key: { remoteJid: jid, fromMe: false, id: evo.id }, reaction: "🙏" });
      await removeReaction(page, question);
      await expect.poll(() => sent("EVOLUTION", evo.phone, "reaction").at(-1)?.reaction).toBe("");
      await sendLocation(page, pin);
      await expect
        .poll(() => sent("EVOLUTION", evo.phone, "location")[0])
        .toMatchObject({
          number: digits(evo.phone),
          latitude: -23.5505199,
          longitude: -46.6333094,
          name: "Loja Centro",
          address: "Praça da Sé, 100",
        });
      await sendContactCard(page, "maria", meta.name);
      await expect
        .poll(() => sent("EVOLUTION", evo.phone, "contacts")[0]?.contact)
        .toMatchObject([{ fullName: meta.name, wuid: digits(meta.phone) }]);
      await screenshot(page, `console-kinds-evolution-${size.name}`);
      await noSideScroll(page);
      await op.client.presence.setStatus.mutate({ status: "PAUSED", reason: "Fim do teste" });
    });
  }
});
