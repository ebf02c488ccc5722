import { userWithToken } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { screenshot } from "./browser";
import { type BrowserStack, PNID, SIZES, type Size, startBrowserStack } from "./browser-stack";
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
const EVO_INSTANCE = "sim-kinds";

let stack: BrowserStack;

beforeAll(async () => {
  stack = await startBrowserStack({ meta: "Loja Meta", evolution: { instance: EVO_INSTANCE, name: "Loja Evolution" } });
});
afterAll(() => stack?.close());

const signedIn = (user: { email: string; password: string }, size: Size) => stack.signedIn(user, size);

type Json = Record<string, unknown>;
const digits = (phone: string) => phone.replace(/\D/g, "");
/** What the provider got for this customer, of this type, the newest last. */
const sent = (provider: "META" | "EVOLUTION", to: string, type: string) =>
  stack.sim
    .sentMessages()
    .filter((m) => m.provider === provider && m.to === digits(to) && m.type === type)
    .map((m) => m.request as Json);
const posted = (path: string) =>
  stack.sim.received.filter((r) => r.method === "POST" && r.path.endsWith(path)).map((r) => r.body as Json);

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
      await stack.sim.injectInbound("META", { from: meta.phone, name: meta.name, body: question, id: meta.id });
      await stack.sim.injectInbound("EVOLUTION", { from: evo.phone, name: evo.name, body: question, id: evo.id });

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
      expect(stack.sim.sentMessages().filter((m) => JSON.stringify(m.request).includes(DRAFT))).toEqual([]);
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
