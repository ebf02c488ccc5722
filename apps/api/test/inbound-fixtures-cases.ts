import type { httpClient } from "@elsehu/testing";
import { expect } from "vitest";

/** A message as `messages.list` gives it to the console. */
export type Listed = Awaited<ReturnType<ReturnType<typeof httpClient>["messages"]["list"]["query"]>>["items"][number];

type Case = { id: string; check: (m: Listed) => void };
const content = (m: Listed) => (m.content ?? {}) as Record<string, unknown>;
const mediaOf = (m: Listed) => (m.media ?? {}) as Record<string, unknown>;

/** Media is stored with the message at once; its file comes (or not: these ids are fictitious) after. */
function media(type: string, extra: Record<string, unknown> = {}) {
  return (m: Listed) => {
    expect(m.type).toBe(type);
    expect(mediaOf(m).state).toMatch(/^(pending|ready|failed|expired)$/);
    expect(mediaOf(m)).toMatchObject(extra);
  };
}

const META = "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYF";

/**
 * What each inbound fixture must become, keyed by `provider/file`: the provider message id
 * it lands under (or, for a change, the id of the message it changes) and what a person reads.
 */
export const KIND_CASES: Record<string, Case> = {
  "meta/webhook_inbound_text.json": {
    id: `${META}DNBNUYwQzJCOUU3RDQxQThCNkMzAA==`,
    // The same message is edited, then deleted, by later fixtures.
    check: (m) => {
      expect(m.type).toBe("text");
      expect(m.editedAt).not.toBeNull();
      expect(m.body).toBe("Na verdade são 3 pizzas, não 2.");
      expect(m.editHistory?.[0]?.body).toBe("Olá, vocês entregam no Centro?");
      expect(m.deletedAt).not.toBeNull();
    },
  },
  "meta/webhook_inbound_image.json": {
    id: `${META}DNBMUQyRTNGNEE1QjZDN0Q4RTlGAA==`,
    check: (m) => {
      media("image", { mimeType: "image/jpeg" })(m);
      expect(m.body).toBe("Segue o comprovante (corrigido)");
      expect(m.editHistory?.[0]?.body).toBe("Segue o comprovante");
    },
  },
  "meta/webhook_inbound_audio_voice.json": {
    id: `${META}DNBQkMxMjM0NTY3ODlBQkNERUYwAA==`,
    check: media("audio", { voice: true }),
  },
  "meta/webhook_inbound_video.json": {
    id: `${META}DNBOUUwRjFBMkIzQzRENUU2RjcwAA==`,
    check: (m) => {
      media("video")(m);
      expect(m.body).toBe("Olha como chegou a caixa");
    },
  },
  "meta/webhook_inbound_document.json": {
    id: `${META}DNBRDBDMUQyRTNGNDU2Nzg5MEFCAA==`,
    check: media("document", { fileName: "nota-fiscal.pdf" }),
  },
  "meta/webhook_inbound_sticker.json": {
    id: `${META}DNBOEQ5RTBGMUEyQjNDNEQ1RTZGAA==`,
    check: media("sticker", { mimeType: "image/webp" }),
  },
  "meta/webhook_inbound_location.json": {
    id: `${META}DNBNDQ1NTY2Nzc4ODk5QUFCQkNDAA==`,
    check: (m) => {
      expect(m.type).toBe("location");
      expect(content(m).location).toMatchObject({ latitude: -23.5505199, longitude: -46.6333094, name: "Praça da Sé" });
    },
  },
  "meta/webhook_inbound_contacts.json": {
    id: `${META}DNBNkI3QzhEOUUwRjFBMkIzQzREAA==`,
    check: (m) => {
      expect(m.type).toBe("contacts");
      expect(content(m).contacts).toMatchObject([{ name: "João Pereira", company: "Pereira Entregas" }]);
    },
  },
  "meta/webhook_inbound_order.json": {
    id: `${META}DNBN0M4RDlFMEYxQTJCM0M0RDVFAA==`,
    check: (m) => {
      expect(m.type).toBe("order");
      const order = content(m).order as { items: unknown[]; text: string };
      expect(order.text).toBe("Pode mandar sem cebola?");
      expect(order.items[0]).toMatchObject({ productId: "pizza-margherita-g", quantity: 2, price: 49.9 });
    },
  },
  "meta/webhook_inbound_interactive_button_reply.json": {
    id: `${META}DNBNTU2Njc3ODg5OUFBQkJDQ0RERUUA`,
    check: (m) => {
      expect(m.type).toBe("interactive");
      expect(content(m).reply).toMatchObject({ id: "confirmar_entrega" });
      expect(m.body).toMatch(/^Confi/);
    },
  },
  "meta/webhook_inbound_interactive_list_reply.json": {
    id: `${META}DNBNjY3Nzg4OTlBQUJCQ0NEREVFRkYA`,
    check: (m) => {
      expect(content(m).reply).toMatchObject({ id: "entrega_expressa" });
      expect(m.body).toMatch(/^Entrega ex/);
    },
  },
  "meta/webhook_inbound_interactive_nfm_reply.json": {
    id: `${META}DNBRTRENUU2RjcwODE5MkEzQjRDAA==`,
    check: (m) => {
      const flow = content(m).flow as { fields: Record<string, string> };
      expect(Object.keys(flow.fields).length).toBeGreaterThan(0);
      expect(flow.fields.flow_token).toBeUndefined();
    },
  },
  "meta/webhook_inbound_call_permission_reply.json": {
    id: "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFENBTExQRVJNUkVQTFkwMDAxAA==",
    check: (m) => expect(content(m).callPermission).toMatchObject({ response: "accept" }),
  },
  "meta/webhook_inbound_button.json": {
    id: `${META}DNBRjVFNkY3MDgxOTJBM0I0QzVEAA==`,
    check: (m) => {
      expect(m.type).toBe("button");
      expect(m.body).toBe("Parar promoções");
    },
  },
  "meta/webhook_inbound_template_quick_reply_button.json": {
    id: `${META}DNBNzc4ODk5QUFCQkNDRERFRUZGMDAA`,
    check: (m) => expect(m.body).toBe("Confirmar"),
  },
  "meta/webhook_inbound_text_reply_context.json": {
    id: `${META}DNBOTk4RjE3QjJDNDREMDE5QTZFAA==`,
    check: (m) => expect(m.body).toBe("Pode entregar depois das 18h?"),
  },
  "meta/webhook_inbound_unsupported.json": {
    id: `${META}DNBQjFBMkIzQzRENUU2RjcwODE5AA==`,
    check: (m) => {
      expect(m.type).toBe("unsupported");
      expect(content(m).unsupported).toMatchObject({ type: "poll_creation" });
    },
  },
  "meta/webhook_inbound_reaction.json": {
    // The business's own message the customer reacted to, then un-reacted (removal is a later fixture).
    id: "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABEYEjRGRTdBMjE5QzNEMDhFMUI1QQA=",
    check: (m) => {
      expect(m.direction).toBe("OUT");
      expect(m.reaction).toBeNull();
    },
  },
  "meta/webhook_inbound_system.json": {
    id: `${META}DNBQTBGMUEyQjNDNEQ1RTZGNzA4AA==`,
    check: (m) => {
      expect(m.type).toBe("system");
      expect(content(m).system).toMatchObject({ type: "user_changed_number", newWaId: "5511976543210" });
    },
  },
  "evolution/webhook_messages_upsert_text.json": {
    id: "3A5F0C2B9E7D41A8B6C3",
    check: (m) => {
      expect(m.type).toBe("text");
      expect(m.body).toBe("Olá, vocês entregam no Centro e na Sé?");
      expect(m.editHistory?.[0]?.body).toBe("Olá, vocês entregam no Centro?");
      expect(m.deletedAt).not.toBeNull();
    },
  },
  "evolution/webhook_messages_upsert_image.json": {
    id: "3A1D2E3F4A5B6C7D8E9F",
    check: (m) => {
      media("image")(m);
      expect(m.body).toBe("Segue o comprovante");
    },
  },
  "evolution/webhook_messages_upsert_audio_ptt.json": {
    id: "3A2B3C4D5E6F70819A2B",
    check: media("audio", { voice: true }),
  },
  "evolution/webhook_messages_upsert_document.json": { id: "3A3C4D5E6F708192A3B4", check: media("document") },
  "evolution/webhook_messages_upsert_sticker.json": { id: "3A8D9E0F1A2B3C4D5E60", check: media("sticker") },
  "evolution/webhook_messages_upsert_location.json": {
    id: "3A4D5E6F708192A3B4C5",
    check: (m) => {
      expect(m.type).toBe("location");
      expect(content(m).location).toMatchObject({ latitude: -23.5505199, name: "Praça da Sé" });
    },
  },
  "evolution/webhook_messages_upsert_contact.json": {
    id: "3A6B7C8D9E0F1A2B3C4D",
    check: (m) => {
      expect(m.type).toBe("contacts");
      expect(content(m).contacts).toMatchObject([{ name: "João Pereira" }]);
    },
  },
  "evolution/webhook_messages_upsert_contacts_array.json": {
    id: "3A7C8D9E0F1A2B3C4D5F",
    check: (m) => expect(content(m).contacts).toMatchObject([{ name: "João Pereira" }, { name: "Ana Souza" }]),
  },
  "evolution/webhook_messages_upsert_text_quoted_reply.json": {
    id: "3A0E1D2C3B4A59687756",
    check: (m) => expect(m.body).toBe("Pode entregar depois das 18h?"),
  },
  "evolution/webhook_messages_upsert_reaction.json": {
    id: "3EB0C4A1F2D3E4B5A6C7D8",
    check: (m) => {
      expect(m.direction).toBe("OUT");
      expect(m.reaction).toBeNull();
    },
  },
};
