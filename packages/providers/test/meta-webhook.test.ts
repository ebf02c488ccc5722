import { describe, expect, it } from "vitest";
import {
  type InboundMessage,
  parseMetaWebhook,
  type StatusUpdate,
  verifyMetaChallenge,
  verifyMetaSignature,
  WebhookParseError,
} from "../src";
import { fixture, fixtureNames } from "./helpers";

function only(name: string): InboundMessage | StatusUpdate {
  const batches = parseMetaWebhook(fixture("meta", name));
  expect(batches).toHaveLength(1);
  expect(batches[0]).toMatchObject({ phoneNumberId: "109876543210987", wabaId: "102938475610293" });
  const event = batches[0]?.events[0];
  if (event?.kind !== "message" && event?.kind !== "status") throw new Error(`no event in ${name}`);
  return event;
}

describe("parseMetaWebhook", () => {
  const fromMaria = fixtureNames("meta", "webhook_inbound_").filter((n) => n !== "webhook_inbound_system");
  it.each(fromMaria)("%s yields one inbound message from Maria", (name) => {
    const event = only(name);
    expect(event).toMatchObject({
      kind: "message",
      from: { phone: "+5511987654321", waId: "5511987654321", bsuid: "BR.1502576394655843", name: "Maria Silva" },
    });
    expect(event.providerMessageId).toMatch(/^wamid\./);
    expect(event.timestamp.getUTCFullYear()).toBe(2025);
  });

  it("reads each inbound type's content", () => {
    expect(only("webhook_inbound_text")).toMatchObject({ type: "text", body: "Olá, vocês entregam no Centro?" });
    expect(only("webhook_inbound_text_reply_context")).toMatchObject({
      type: "text",
      replyToProviderMessageId: "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABEYEjRGRTdBMjE5QzNEMDhFMUI1QQA=",
    });
    expect(only("webhook_inbound_image")).toMatchObject({
      type: "image",
      body: "Segue o comprovante",
      media: { providerMediaId: "1234567890123456", mimeType: "image/jpeg", caption: "Segue o comprovante" },
    });
    expect(only("webhook_inbound_audio_voice")).toMatchObject({
      type: "audio",
      media: { voice: true, providerMediaId: "2233445566778899" },
    });
    expect(only("webhook_inbound_document")).toMatchObject({
      type: "document",
      media: { fileName: "nota-fiscal.pdf" },
    });
    expect(only("webhook_inbound_location")).toMatchObject({
      type: "location",
      location: { latitude: -23.5505199, name: "Praça da Sé" },
    });
    expect(only("webhook_inbound_reaction")).toMatchObject({
      type: "reaction",
      reaction: {
        emoji: "👍",
        targetProviderMessageId: "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABEYEjRGRTdBMjE5QzNEMDhFMUI1QQA=",
      },
    });
    expect(only("webhook_inbound_interactive_button_reply")).toMatchObject({
      type: "interactive",
      body: "Confirmar",
      reply: { id: "confirmar_entrega", title: "Confirmar" },
    });
    expect(only("webhook_inbound_interactive_list_reply")).toMatchObject({
      reply: { id: "entrega_expressa", description: "Hoje até 20h" },
    });
    expect(only("webhook_inbound_template_quick_reply_button")).toMatchObject({
      type: "button",
      body: "Confirmar",
      reply: { id: "CONFIRMAR_4521" },
    });
  });

  it.each(fixtureNames("meta", "webhook_status_"))("%s yields one status update", (name) => {
    expect(only(name).kind).toBe("status");
  });

  it("reads the kinds beyond text and media: cards, orders, flows, notices, edits, deletions, ads", () => {
    expect(only("webhook_inbound_contacts")).toMatchObject({
      type: "contacts",
      body: "João Pereira",
      contacts: [{ name: "João Pereira", phones: [{ phone: "+55 11 91234-5678", waId: "5511912345678" }] }],
    });
    expect(only("webhook_inbound_order")).toMatchObject({
      type: "order",
      order: { items: [{ productId: "pizza-margherita-g", quantity: 2, price: 49.9, currency: "BRL" }, {}] },
    });
    expect(only("webhook_inbound_interactive_nfm_reply")).toMatchObject({
      type: "interactive",
      flow: { flowToken: "csat:conv-8812:v1", fields: { nota: "5", comentario: "Entrega rápida, obrigado!" } },
    });
    expect(only("webhook_inbound_call_permission_reply")).toMatchObject({
      type: "interactive",
      callPermission: { response: "accept" },
    });
    expect(only("webhook_inbound_system")).toMatchObject({
      type: "system",
      from: { waId: "5511987654321" },
      system: { type: "user_changed_number", newWaId: "5511976543210" },
    });
    expect(only("webhook_inbound_unsupported")).toMatchObject({
      type: "unsupported",
      unsupported: { type: "poll_creation", code: "131051" },
    });
    expect(only("webhook_inbound_edit")).toMatchObject({
      type: "edit",
      edit: {
        targetProviderMessageId: "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFDNBMUQyRTNGNEE1QjZDN0Q4RTlGAA==",
        body: "Segue o comprovante (corrigido)",
      },
    });
    expect(only("webhook_inbound_unsupported_edit")).toMatchObject({
      type: "edit",
      edit: { targetProviderMessageId: "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFDNBMUQyRTNGNEE1QjZDN0Q4RTlGAA==" },
    });
    expect(only("webhook_inbound_revoke")).toMatchObject({
      type: "revoke",
      revoke: { targetProviderMessageId: "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFDNBNUYwQzJCOUU3RDQxQThCNkMzAA==" },
    });
    expect(only("webhook_inbound_reaction_removed")).toMatchObject({ type: "reaction", reaction: { emoji: "" } });
    expect(only("webhook_inbound_referral")).toMatchObject({
      type: "text",
      referral: {
        sourceId: "120210000000000001",
        headline: "Peça pelo WhatsApp",
        sourceUrl: "https://fb.me/8Kx2PzQ1a",
      },
    });
  });

  it("maps statuses, callback data and failure reasons", () => {
    expect(only("webhook_status_sent")).toMatchObject({
      status: "sent",
      recipient: "5511987654321",
      callbackData: "conv:8812|msg:55120",
    });
    expect(only("webhook_status_delivered")).toMatchObject({ status: "delivered" });
    expect(only("webhook_status_read")).toMatchObject({ status: "read", recipientBsuid: "BR.1502576394655843" });
    expect(only("webhook_status_failed_131047")).toMatchObject({ status: "failed", error: { code: "131047" } });
    expect(only("webhook_status_failed_131026")).toMatchObject({
      error: { code: "131026", message: expect.stringContaining("undeliverable") },
    });
    expect(only("webhook_status_failed_131049")).toMatchObject({ error: { code: "131049" } });
  });

  it("flattens batched entries, changes, messages and statuses", () => {
    const text = fixture("meta", "webhook_inbound_text") as {
      entry: Array<{ changes: Array<{ value: Record<string, unknown> }> }>;
    };
    const status = fixture("meta", "webhook_status_read") as typeof text;
    const textValue = text.entry[0]?.changes[0]?.value ?? {};
    const statusValue = status.entry[0]?.changes[0]?.value ?? {};
    const messages = textValue.messages as unknown[];
    const batched = {
      object: "whatsapp_business_account",
      entry: [
        {
          id: "1",
          changes: [
            {
              field: "messages",
              value: { ...textValue, messages: [...messages, ...messages], statuses: statusValue.statuses },
            },
          ],
        },
        {
          id: "2",
          changes: [
            { field: "account_update", value: { whatever: true } },
            { field: "messages", value: statusValue },
          ],
        },
      ],
    };
    const batches = parseMetaWebhook(batched);
    expect(batches.map((b) => [b.wabaId, b.events.map((e) => e.kind)])).toEqual([
      ["1", ["message", "message", "status"]],
      ["2", ["status"]],
    ]);
  });

  it("accepts users known only by BSUID and unknown message types", () => {
    const body = fixture("meta", "webhook_inbound_text") as {
      entry: Array<{ changes: Array<{ value: Record<string, unknown> }> }>;
    };
    const value = body.entry[0]?.changes[0]?.value ?? {};
    value.contacts = [{ profile: { name: "Anônimo" }, user_id: "BR.99" }];
    value.messages = [{ from_user_id: "BR.99", id: "wamid.X", timestamp: "1761058325", type: "future_kind", extra: 1 }];
    const event = parseMetaWebhook(body)[0]?.events[0];
    expect(event).toMatchObject({ kind: "message", type: "unknown", from: { bsuid: "BR.99", name: "Anônimo" } });
    expect(event?.kind === "message" && event.from.phone).toBe(undefined);
  });

  it("throws WebhookParseError on malformed bodies", () => {
    expect(() => parseMetaWebhook("nope")).toThrow(WebhookParseError);
    expect(() => parseMetaWebhook({ object: "page", entry: [] })).toThrow(WebhookParseError);
    const broken = {
      object: "whatsapp_business_account",
      entry: [{ id: "1", changes: [{ field: "messages", value: { metadata: {} } }] }],
    };
    expect(() => parseMetaWebhook(broken)).toThrow(/phone_number_id/);
  });
});

describe("Meta webhook verification", () => {
  const vector = fixture("meta", "webhook_signature_test_vector") as {
    app_secret: string;
    raw_body: string;
    headers: { "X-Hub-Signature-256": string };
  };

  it("accepts the reference signature over the raw bytes, as string or Uint8Array", () => {
    const header = vector.headers["X-Hub-Signature-256"];
    expect(verifyMetaSignature(vector.raw_body, header, vector.app_secret)).toBe(true);
    expect(verifyMetaSignature(new TextEncoder().encode(vector.raw_body), header, vector.app_secret)).toBe(true);
  });

  it("rejects a tampered body, a re-serialised body, a wrong secret and bad headers", () => {
    const header = vector.headers["X-Hub-Signature-256"];
    expect(verifyMetaSignature(vector.raw_body.replace("Centro", "Centr0"), header, vector.app_secret)).toBe(false);
    expect(verifyMetaSignature(JSON.stringify(JSON.parse(vector.raw_body)), header, vector.app_secret)).toBe(false);
    expect(verifyMetaSignature(vector.raw_body, header, "other-secret")).toBe(false);
    expect(verifyMetaSignature(vector.raw_body, undefined, vector.app_secret)).toBe(false);
    expect(verifyMetaSignature(vector.raw_body, "sha256=abc", vector.app_secret)).toBe(false);
  });

  it("echoes the challenge only for subscribe with the right token", () => {
    const { query } = fixture("meta", "webhook_verify_get_request") as { query: Record<string, string> };
    expect(verifyMetaChallenge(query, "meu-token-de-verificacao")).toBe("1158201444");
    expect(verifyMetaChallenge(query, "outro-token")).toBeNull();
    expect(verifyMetaChallenge({ ...query, "hub.mode": "unsubscribe" }, "meu-token-de-verificacao")).toBeNull();
  });
});
