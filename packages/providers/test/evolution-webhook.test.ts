import { describe, expect, it } from "vitest";
import { parseEvolutionWebhook, type WebhookEvent, WebhookParseError } from "../src";
import { fixture, fixtureNames } from "./helpers";

function only(name: string, override?: (body: Record<string, unknown>) => void): WebhookEvent {
  const body = fixture("evolution", name);
  override?.(body);
  const batch = parseEvolutionWebhook(body);
  expect(batch.instanceName).toBe("loja-centro");
  expect(batch.events).toHaveLength(1);
  const event = batch.events[0];
  if (!event) throw new Error(`no event in ${name}`);
  return event;
}

const maria = {
  phone: "+5511987654321",
  jid: "5511987654321@s.whatsapp.net",
  lid: "139874512345678@lid",
  name: "Maria Silva",
};

describe("parseEvolutionWebhook", () => {
  it.each(fixtureNames("evolution", "webhook_messages_upsert_"))("%s yields an inbound message from Maria", (name) => {
    expect(only(name)).toMatchObject({ kind: "message", fromMe: false, from: maria });
  });

  it("reads each message type", () => {
    expect(only("webhook_messages_upsert_text")).toMatchObject({
      type: "text",
      body: "Olá, vocês entregam no Centro?",
      providerMessageId: "3A5F0C2B9E7D41A8B6C3",
      timestamp: new Date(1761058325 * 1000),
    });
    expect(only("webhook_messages_upsert_text_quoted_reply")).toMatchObject({
      replyToProviderMessageId: "3EB0C4A1F2D3E4B5A6C7D8",
    });
    expect(only("webhook_messages_upsert_image")).toMatchObject({
      type: "image",
      body: "Segue o comprovante",
      media: {
        providerMediaId: "3A1D2E3F4A5B6C7D8E9F",
        mimeType: "image/jpeg",
        base64: expect.stringMatching(/^\/9j\//),
      },
    });
    expect(only("webhook_messages_upsert_audio_ptt")).toMatchObject({ type: "audio", media: { voice: true } });
    expect(only("webhook_messages_upsert_document")).toMatchObject({
      type: "document",
      media: { fileName: "nota-fiscal.pdf" },
    });
    expect(only("webhook_messages_upsert_location")).toMatchObject({
      type: "location",
      location: { longitude: -46.6333094 },
    });
    expect(only("webhook_messages_upsert_reaction")).toMatchObject({
      type: "reaction",
      reaction: { emoji: "👍", targetProviderMessageId: "3EB0C4A1F2D3E4B5A6C7D8" },
    });
  });

  it("reads contact cards, stickers, reaction removals, edits and deletions", () => {
    expect(only("webhook_messages_upsert_contact")).toMatchObject({
      type: "contacts",
      contacts: [{ name: "João Pereira", phones: [{ phone: "+55 11 91234-5678", waId: "5511912345678" }] }],
    });
    expect(only("webhook_messages_upsert_contacts_array")).toMatchObject({
      type: "contacts",
      contacts: [{ name: "João Pereira" }, { name: "Ana Souza", phones: [{ waId: "5511923456789" }] }],
    });
    expect(only("webhook_messages_upsert_sticker")).toMatchObject({
      type: "sticker",
      media: { mimeType: "image/webp" },
    });
    expect(only("webhook_messages_upsert_reaction_removed")).toMatchObject({
      type: "reaction",
      reaction: { emoji: "", targetProviderMessageId: "3EB0C4A1F2D3E4B5A6C7D8" },
    });
    expect(only("webhook_messages_edited")).toMatchObject({
      type: "edit",
      edit: { targetProviderMessageId: "3A5F0C2B9E7D41A8B6C3", body: "Olá, vocês entregam no Centro e na Sé?" },
    });
    expect(only("webhook_messages_delete_revoke")).toMatchObject({
      type: "revoke",
      revoke: { targetProviderMessageId: "3A5F0C2B9E7D41A8B6C3" },
    });
    // A revoke passing the edit path carries no edited message: no event.
    const bare = fixture("evolution", "webhook_messages_edited");
    delete (bare.data as Record<string, unknown>).editedMessage;
    expect(parseEvolutionWebhook(bare).events).toEqual([]);
  });

  it("treats send.message as an outbound echo", () => {
    expect(only("webhook_send_message")).toMatchObject({
      kind: "message",
      fromMe: true,
      providerMessageId: "3EB0C4A1F2D3E4B5A6C7D8",
      from: { phone: "+5511987654321" },
    });
  });

  it("maps message receipts to statuses", () => {
    const cases = [
      ["webhook_messages_update_server_ack", "sent"],
      ["webhook_messages_update_delivery_ack", "delivered"],
      ["webhook_messages_update_read", "read"],
      ["webhook_messages_update_played", "played"],
      ["webhook_messages_update_error", "failed"],
    ] as const;
    for (const [name, status] of cases) expect(only(name)).toMatchObject({ kind: "status", status });
    expect(only("webhook_messages_update_read")).toMatchObject({ providerMessageId: "3EB0C4A1F2D3E4B5A6C7D8" });
    expect(only("webhook_messages_update_error")).toMatchObject({ error: { code: "ERROR" } });
  });

  it("maps connection updates and QR codes", () => {
    expect(only("webhook_connection_update_open")).toEqual({
      kind: "connection",
      state: "open",
      phone: "+5511940001234",
      profileName: "Loja Centro",
    });
    expect(only("webhook_connection_update_connecting")).toMatchObject({ state: "connecting" });
    expect(only("webhook_connection_update_close_logged_out")).toEqual({
      kind: "connection",
      state: "close",
      reason: "401",
    });
    expect(only("webhook_qrcode_updated")).toMatchObject({
      kind: "qr",
      qrBase64: expect.stringMatching(/^data:image\/png/),
      code: expect.stringMatching(/^2@/),
    });
  });

  it("accepts UPPER_SNAKE and byEvents event names", () => {
    expect(only("webhook_messages_upsert_text", (b) => (b.event = "MESSAGES_UPSERT")).kind).toBe("message");
    expect(only("webhook_messages_update_read", (b) => (b.event = "messages-update")).kind).toBe("status");
    expect(only("webhook_send_message", (b) => (b.event = "SEND_MESSAGE"))).toMatchObject({ fromMe: true });
  });

  it("keeps the @lid when a message arrives LID-only with senderPn", () => {
    const event = only("webhook_messages_upsert_text", (body) => {
      (body.data as { key: unknown }).key = {
        remoteJid: "139874512345678@lid",
        senderPn: "553188887777@s.whatsapp.net",
        fromMe: false,
        id: "3AFF",
      };
    });
    expect(event).toMatchObject({
      from: { lid: "139874512345678@lid", jid: "553188887777@s.whatsapp.net", phone: "+5531988887777" },
    });
    const lidOnly = only("webhook_messages_upsert_text", (body) => {
      (body.data as { key: unknown }).key = { remoteJid: "139874512345678@lid", fromMe: false, id: "3AFE" };
    });
    expect(lidOnly.kind === "message" && lidOnly.from).toEqual({ lid: "139874512345678@lid", name: "Maria Silva" });
  });

  it("ignores events it does not handle and group chats", () => {
    expect(parseEvolutionWebhook({ event: "presence.update", instance: "x", data: {} }).events).toEqual([]);
    const group = fixture("evolution", "webhook_messages_upsert_text");
    (group.data as { key: { remoteJid: string } }).key.remoteJid = "120363000000000000@g.us";
    expect(parseEvolutionWebhook(group).events).toEqual([]);
  });

  it("throws WebhookParseError on malformed bodies", () => {
    expect(() => parseEvolutionWebhook(null)).toThrow(WebhookParseError);
    expect(() => parseEvolutionWebhook({ event: "messages.upsert" })).toThrow(/instance/);
    expect(() => parseEvolutionWebhook({ event: "messages.upsert", instance: "x", data: { key: {} } })).toThrow(
      WebhookParseError,
    );
  });
});
