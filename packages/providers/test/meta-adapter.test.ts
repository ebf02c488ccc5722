import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { collectBytes, MetaAdapter } from "../src";
import { bodyOf, fixture, startTestServer, type TestServer } from "./helpers";

const TO = "+5511987654321";
const READ_ID = "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFDNBNUYwQzJCOUU3RDQxQThCNkMzAA==";
let server: TestServer;
let meta: MetaAdapter;

beforeAll(async () => {
  server = await startTestServer();
  meta = new MetaAdapter({
    phoneNumberId: "109876543210987",
    accessToken: "EAAG-test",
    appSecret: "s",
    baseUrl: server.url,
  });
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.respond(200, bodyOf("meta", "send_message_response"));
});

function templateOf(name: string): { name: string; language: string; components: unknown[] } {
  const body = bodyOf("meta", name) as {
    template: { name: string; language: { code: string }; components: unknown[] };
  };
  return { name: body.template.name, language: body.template.language.code, components: body.template.components };
}

const sends: Array<[string, (m: MetaAdapter) => Promise<unknown>]> = [
  ["send_text_request", (m) => m.sendText(TO, "Olá Maria! Seu pedido #4521 saiu para entrega.", { previewUrl: false })],
  [
    "send_text_reply_context_request",
    (m) =>
      m.sendText(TO, "Sim, entregamos no Centro até as 20h.", {
        replyTo: "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFDNBNUYwQzJCOUU3RDQxQThCNkMzAA==",
        callbackData: "conv:8812|msg:55120",
      }),
  ],
  ["send_template_request", (m) => m.sendTemplate(TO, templateOf("send_template_request"))],
  ["send_template_named_params_request", (m) => m.sendTemplate(TO, templateOf("send_template_named_params_request"))],
  [
    "send_image_link_request",
    (m) =>
      m.sendMedia(TO, {
        kind: "image",
        link: "https://cdn.example.com.br/img/cardapio.jpg",
        caption: "Cardápio de hoje",
      }),
  ],
  [
    "send_image_id_request",
    (m) => m.sendMedia(TO, { kind: "image", mediaId: "1037543291543636", caption: "Comprovante" }),
  ],
  [
    "send_document_link_request",
    (m) =>
      m.sendMedia(TO, {
        kind: "document",
        link: "https://cdn.example.com.br/docs/nota-4521.pdf",
        fileName: "nota-4521.pdf",
        caption: "Nota fiscal do pedido #4521",
      }),
  ],
  [
    "send_document_id_request",
    (m) => m.sendMedia(TO, { kind: "document", mediaId: "1184422993355778", fileName: "boleto-4521.pdf" }),
  ],
  ["send_audio_id_request", (m) => m.sendMedia(TO, { kind: "audio", mediaId: "2009873451123344" })],
  [
    "send_audio_link_request",
    (m) => m.sendMedia(TO, { kind: "audio", link: "https://cdn.example.com.br/audio/boas-vindas.mp3" }),
  ],
  [
    "send_video_link_request",
    (m) =>
      m.sendMedia(TO, {
        kind: "video",
        link: "https://cdn.example.com.br/video/tutorial.mp4",
        caption: "Como rastrear seu pedido",
      }),
  ],
  [
    "send_interactive_buttons_request",
    (m) =>
      m.sendButtons(TO, "Confirma a entrega para amanhã?", [
        { id: "confirmar_entrega", title: "Confirmar" },
        { id: "remarcar_entrega", title: "Remarcar" },
      ]),
  ],
  ["mark_as_read_request", (m) => m.markRead(READ_ID)],
  ["mark_as_read_typing_indicator_request", (m) => m.markRead(READ_ID, { typingIndicator: true })],
];

describe("Meta adapter requests", () => {
  it.each(sends)("%s: sends exactly the fixture body to the fixture URL", async (name, call) => {
    await call(meta);
    const request = server.requests[0];
    const wrapped = fixture("meta", name) as { _http: { url: string }; body: unknown };
    expect(request?.json).toEqual(wrapped.body);
    expect(request?.method).toBe("POST");
    expect(request?.path).toBe(new URL(wrapped._http.url).pathname);
    expect(request?.headers.authorization).toBe("Bearer EAAG-test");
    expect(request?.headers["content-type"]).toBe("application/json");
  });

  it("returns the wamid and the wa_id Meta chose", async () => {
    await expect(meta.sendText(TO, "oi")).resolves.toEqual({
      providerMessageId: "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABEYEjRGRTdBMjE5QzNEMDhFMUI1QQA=",
      waId: "5511987654321",
    });
    server.respond(200, bodyOf("meta", "send_template_response"));
    const result = await meta.sendTemplate(TO, templateOf("send_template_request"));
    expect(result.providerMessageId).toBe("wamid.HBgNNTUxMTk4NzY1NDMyMRUCABEYEjdDMkQ5RTRBMUI2RjA4QzM1RQA=");
  });

  it("normalises a national number to + and country code", async () => {
    await meta.sendText("(11) 98765-4321", "oi");
    expect(server.requests[0]?.json).toMatchObject({ to: TO });
  });

  it("uploads media as multipart with the fixture's fields and returns the id", async () => {
    server.respond(200, bodyOf("meta", "media_upload_response"));
    const id = await meta.uploadMedia(new TextEncoder().encode("%PDF-1.4"), "application/pdf", "boleto-4521.pdf");
    expect(id).toBe("1184422993355778");
    const request = server.requests[0];
    expect(request?.path).toBe("/v23.0/109876543210987/media");
    expect(request?.headers["content-type"]).toMatch(/^multipart\/form-data/);
    const raw = request?.raw.toString("utf8") ?? "";
    expect(raw).toContain('name="messaging_product"\r\n\r\nwhatsapp');
    expect(raw).toContain('name="type"\r\n\r\napplication/pdf');
    expect(raw).toMatch(/name="file"; filename="boleto-4521.pdf"\r\nContent-Type: application\/pdf/);
  });

  it("fetches media: resolves the URL, then downloads it with the bearer token", async () => {
    const described = bodyOf("meta", "media_get_url_response") as Record<string, unknown>;
    server.respond(200, { ...described, url: `${server.url}/download?mid=1234567890123456` });
    const media = await meta.fetchMedia("1234567890123456");
    expect(server.requests[0]?.path).toBe("/v23.0/1234567890123456?phone_number_id=109876543210987");
    expect(server.requests[1]?.path).toBe("/download?mid=1234567890123456");
    expect(server.requests[1]?.headers.authorization).toBe("Bearer EAAG-test");
    expect(media.mimeType).toBe("image/jpeg");
    expect((await collectBytes(media.body)).length).toBeGreaterThan(0);
  });
});
