import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { collectBytes, EvolutionAdapter } from "../src";
import { bodyOf, fixture, startTestServer, type TestServer } from "./helpers";

const KEY = "8F3A2C1D-7E6B-4A59-B0C1-D2E3F4A5B6C7";
let server: TestServer;
let evolution: EvolutionAdapter;

beforeAll(async () => {
  server = await startTestServer();
  evolution = new EvolutionAdapter({ baseUrl: server.url, apiKey: KEY, instanceName: "loja-centro" });
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.respond(201, bodyOf("evolution", "send_text_response"));
});

const pdf = (bodyOf("evolution", "send_media_document_base64_request") as { media: string }).media;
const events = ["QRCODE_UPDATED", "CONNECTION_UPDATE", "MESSAGES_UPSERT", "MESSAGES_UPDATE", "SEND_MESSAGE"];
const webhookHeaders = { authorization: "Bearer s3cr3t-shared-with-evolution" };

const calls: Array<[string, (e: EvolutionAdapter) => Promise<unknown>]> = [
  [
    "send_text_request",
    (e) =>
      e.sendText("+55 11 98765-4321", "Olá Maria! Seu pedido #4521 saiu para entrega.", {
        delayMs: 1200,
        previewUrl: false,
      }),
  ],
  [
    "send_text_quoted_request",
    (e) =>
      e.sendText("5511987654321", "Sim, entregamos no Centro até as 20h.", {
        replyTo: {
          providerMessageId: "3A5F0C2B9E7D41A8B6C3",
          remoteJid: "5511987654321@s.whatsapp.net",
          fromMe: false,
          body: "Olá, vocês entregam no Centro?",
        },
      }),
  ],
  [
    "send_media_image_url_request",
    (e) =>
      e.sendMedia("5511987654321", {
        kind: "image",
        mimeType: "image/jpeg",
        caption: "Cardápio de hoje",
        link: "https://cdn.example.com.br/img/cardapio.jpg",
        fileName: "cardapio.jpg",
      }),
  ],
  [
    "send_media_document_base64_request",
    (e) =>
      e.sendMedia("5511987654321", {
        kind: "document",
        mimeType: "application/pdf",
        caption: "Nota fiscal do pedido #4521",
        fileName: "nota-4521.pdf",
        base64: pdf,
      }),
  ],
  [
    "send_whatsapp_audio_request",
    (e) => e.sendAudio("5511987654321", { link: "https://cdn.example.com.br/audio/boas-vindas.mp3" }, { delayMs: 800 }),
  ],
  ["mark_message_as_read_request", (e) => e.markRead("3A5F0C2B9E7D41A8B6C3", { chat: "+5511987654321" })],
  ["get_base64_from_media_request", (e) => e.fetchMedia("3A1D2E3F4A5B6C7D8E9F").catch(() => undefined)],
  [
    "webhook_set_request",
    (e) => e.setWebhook("https://app.example.com.br/webhooks/evolution/loja-centro", events, webhookHeaders),
  ],
  [
    "whatsapp_numbers_request",
    (e) => e.checkNumbers(["5511987654321", "5531988887777", "5511900000000"]).catch(() => []),
  ],
  [
    "instance_create_request",
    (e) =>
      e.createInstance({
        token: KEY,
        qrcode: true,
        settings: {
          rejectCall: false,
          groupsIgnore: true,
          alwaysOnline: false,
          readMessages: false,
          readStatus: false,
          syncFullHistory: false,
        },
        webhook: {
          url: "https://app.example.com.br/webhooks/evolution/loja-centro",
          base64: true,
          headers: { ...webhookHeaders, "Content-Type": "application/json" },
          events,
        },
      }),
  ],
];

describe("Evolution adapter requests", () => {
  it.each(calls)("%s: sends exactly the fixture body to the fixture URL with apikey", async (name, call) => {
    await call(evolution);
    const wrapped = fixture("evolution", name) as { _http: { url: string }; body: unknown };
    const request = server.requests[0];
    expect(request?.json).toEqual(wrapped.body);
    expect(request?.path).toBe(new URL(wrapped._http.url).pathname);
    expect(request?.headers.apikey).toBe(KEY);
  });

  it("returns key.id and the JID Evolution actually used", async () => {
    await expect(evolution.sendText("5511987654321", "oi")).resolves.toEqual({
      providerMessageId: "3EB0C4A1F2D3E4B5A6C7D8",
      remoteJid: "5511987654321@s.whatsapp.net",
      waId: "5511987654321",
    });
    server.respond(201, bodyOf("evolution", "send_media_response"));
    const media = await evolution.sendMedia("5511987654321", { kind: "image", link: "https://x/y.jpg" });
    expect(media.providerMessageId).toBe("3EB0A9F8E7D6C5B4A3B2C1");
  });

  it("decodes media fetched with getBase64FromMediaMessage", async () => {
    server.respond(201, bodyOf("evolution", "get_base64_from_media_response"));
    const media = await evolution.fetchMedia("3A1D2E3F4A5B6C7D8E9F");
    expect(media.mimeType).toBe("image/jpeg");
    expect(media.fileName).toBe("3A1D2E3F4A5B6C7D8E9F.jpeg");
    expect([...(await collectBytes(media.body)).slice(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
  });

  it("reads QR codes, connection state, instance token and number checks from the fixture responses", async () => {
    server.respond(200, bodyOf("evolution", "instance_connect_response"));
    const qr = await evolution.connect();
    expect(qr).toMatchObject({
      qrBase64: expect.stringMatching(/^data:image\/png;base64,/),
      code: expect.stringMatching(/^2@/),
    });
    server.respond(200, bodyOf("evolution", "instance_connection_state_response"));
    expect(await evolution.connectionState()).toBe("open");
    expect(await evolution.connect()).toEqual({ kind: "connection", state: "open" });
    server.respond(201, bodyOf("evolution", "instance_create_response"));
    expect(await evolution.createInstance()).toMatchObject({
      instanceId: "c2a7f3e1-5b4d-4e8a-9f21-3d6b7a8c9e10",
      token: KEY,
    });
    server.respond(200, bodyOf("evolution", "whatsapp_numbers_response"));
    const numbers = await evolution.checkNumbers(["5531988887777"]);
    expect(numbers[1]).toEqual({ number: "5531988887777", exists: true, jid: "553188887777@s.whatsapp.net" });
    server.respond(200, bodyOf("evolution", "instance_logout_response"));
    await expect(evolution.logout()).resolves.toBeUndefined();
    expect(server.requests.at(-1)?.method).toBe("DELETE");
    server.respond(200, bodyOf("evolution", "instance_delete_response"));
    await evolution.deleteInstance();
    expect(server.requests.at(-1)?.path).toBe("/instance/delete/loja-centro");
  });

  it("sends a template as its rendered text, and refuses one that was not rendered", async () => {
    await evolution.sendTemplate("5511987654321", {
      name: "boas_vindas",
      language: "pt_BR",
      renderedBody: "Olá Maria",
    });
    expect(server.requests[0]?.json).toEqual({ number: "5511987654321", text: "Olá Maria" });
    await expect(evolution.sendTemplate("5511987654321", { name: "x", language: "pt_BR" })).rejects.toMatchObject({
      code: "TEMPLATE_NOT_RENDERED",
      retryable: false,
    });
  });
});
