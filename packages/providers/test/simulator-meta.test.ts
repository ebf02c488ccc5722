import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { collectBytes, MetaAdapter, parseMetaWebhook, type StatusUpdate, verifyMetaSignature } from "../src";
import { type Simulator, startSimulator } from "../src/simulator";
import { eventually, startTestServer, type TestServer } from "./helpers";

const SECRET = "sim-app-secret";
let receiver: TestServer;
let sim: Simulator;
let meta: MetaAdapter;

beforeAll(async () => {
  receiver = await startTestServer();
  sim = await startSimulator({
    meta: {
      webhookUrl: `${receiver.url}/webhooks/meta`,
      appSecret: SECRET,
      phoneNumberId: "109876543210987",
      accessToken: "tok",
    },
    statusDelayMs: 5,
  });
  meta = new MetaAdapter({
    phoneNumberId: "109876543210987",
    accessToken: "tok",
    appSecret: SECRET,
    baseUrl: sim.url,
    // Generous: a loaded CI machine can take longer than a short timeout for a plain answer.
    timeoutMs: 10_000,
  });
});
afterEach(async () => {
  await sim.settled();
  sim.reset();
  receiver.requests.length = 0;
});
afterAll(async () => {
  await sim.close();
  await receiver.close();
});

function statusesReceived(): StatusUpdate[] {
  return receiver.requests.flatMap((r) =>
    parseMetaWebhook(r.json).flatMap((b) => b.events.filter((e): e is StatusUpdate => e.kind === "status")),
  );
}

describe("simulator: Meta", () => {
  it("records the exact send and posts signed sent, delivered, read webhooks in order", async () => {
    const result = await meta.sendText("+5511987654321", "Olá Maria!", { previewUrl: false });
    expect(result.providerMessageId).toMatch(/^wamid\./);
    expect(result.waId).toBe("5511987654321");
    expect(sim.received[0]).toMatchObject({ method: "POST", path: "/v23.0/109876543210987/messages" });
    expect(sim.received[0]?.headers.authorization).toBeUndefined();
    expect(sim.received[0]?.body).toEqual({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: "+5511987654321",
      type: "text",
      text: { preview_url: false, body: "Olá Maria!" },
    });
    expect(sim.sentMessages()).toMatchObject([
      { provider: "META", providerMessageId: result.providerMessageId, to: "5511987654321" },
    ]);

    await eventually(() => expect(receiver.requests).toHaveLength(3));
    for (const request of receiver.requests) {
      expect(verifyMetaSignature(request.raw, String(request.headers["x-hub-signature-256"]), SECRET)).toBe(true);
    }
    expect(statusesReceived().map((s) => [s.providerMessageId, s.status])).toEqual([
      [result.providerMessageId, "sent"],
      [result.providerMessageId, "delivered"],
      [result.providerMessageId, "read"],
    ]);
  });

  it("fails the next send with a retryable rate limit, then accepts it", async () => {
    sim.fail({ provider: "META", times: 1, kind: "429" });
    await expect(meta.sendText("+5511987654321", "oi")).rejects.toMatchObject({
      retryable: true,
      code: "130429",
      httpStatus: 429,
    });
    await expect(meta.sendText("+5511987654321", "oi")).resolves.toMatchObject({
      providerMessageId: expect.stringMatching(/^wamid\./),
    });
    expect(sim.sentMessages()).toHaveLength(1);
  });

  it("simulates 500s, timeouts and the 24 h window error", async () => {
    sim.fail({ times: 1, kind: "500" });
    await expect(meta.sendText("+5511987654321", "oi")).rejects.toMatchObject({ retryable: true, httpStatus: 500 });
    sim.fail({ times: 1, kind: "timeout" });
    const impatient = new MetaAdapter({
      phoneNumberId: "109876543210987",
      accessToken: "tok",
      appSecret: SECRET,
      baseUrl: sim.url,
      timeoutMs: 200,
    });
    await expect(impatient.sendText("+5511987654321", "oi")).rejects.toMatchObject({
      retryable: true,
      code: "TIMEOUT",
    });
    sim.fail({ times: 1, kind: "131047" });
    await expect(meta.sendText("+5511987654321", "oi")).rejects.toMatchObject({ retryable: false, code: "131047" });
  });

  it("validates like Graph: bad token, wrong phone number id, missing text", async () => {
    const wrongToken = new MetaAdapter({
      phoneNumberId: "109876543210987",
      accessToken: "nope",
      appSecret: "s",
      baseUrl: sim.url,
    });
    await expect(wrongToken.sendText("+5511987654321", "oi")).rejects.toMatchObject({ code: "190", retryable: false });
    const wrongNumber = new MetaAdapter({ phoneNumberId: "1", accessToken: "tok", appSecret: "s", baseUrl: sim.url });
    await expect(wrongNumber.sendText("+5511987654321", "oi")).rejects.toMatchObject({ code: "100" });
    await expect(meta.sendText("+5511987654321", "")).rejects.toMatchObject({
      code: "100",
      providerMessage: expect.stringContaining("text['body']"),
    });
  });

  it("uploads, describes and serves media back to fetchMedia; marks messages read", async () => {
    const bytes = new TextEncoder().encode("%PDF-1.4 simulated");
    const mediaId = await meta.uploadMedia(bytes, "application/pdf", "nota.pdf");
    const fetched = await meta.fetchMedia(mediaId);
    expect(fetched.mimeType).toBe("application/pdf");
    expect(new TextDecoder().decode(await collectBytes(fetched.body))).toBe("%PDF-1.4 simulated");
    await expect(meta.markRead("wamid.ABC", { typingIndicator: true })).resolves.toBeUndefined();
  });

  it("injects a signed inbound message that parses back to the same text and sender", async () => {
    const status = await sim.injectInbound("META", {
      from: "(11) 98765-4321",
      body: "Quero rastrear meu pedido",
      name: "Maria",
      bsuid: "BR.77",
    });
    expect(status).toBe(200);
    const request = receiver.requests[0];
    expect(verifyMetaSignature(request?.raw ?? "", String(request?.headers["x-hub-signature-256"]), SECRET)).toBe(true);
    const [batch] = parseMetaWebhook(request?.json);
    expect(batch?.phoneNumberId).toBe("109876543210987");
    expect(batch?.events[0]).toMatchObject({
      kind: "message",
      type: "text",
      body: "Quero rastrear meu pedido",
      from: { phone: "+5511987654321", waId: "5511987654321", bsuid: "BR.77", name: "Maria" },
    });
  });

  it("injects inbound media that fetchMedia can download", async () => {
    await sim.injectInbound("META", {
      from: "5511987654321",
      type: "image",
      body: "foto",
      media: { base64: "aGVsbG8=", mimeType: "image/png" },
    });
    const event = parseMetaWebhook(receiver.requests[0]?.json)[0]?.events[0];
    const mediaId = event?.kind === "message" ? event.media?.providerMediaId : undefined;
    expect(event).toMatchObject({ type: "image", body: "foto" });
    const fetched = await meta.fetchMedia(mediaId ?? "");
    expect(new TextDecoder().decode(await collectBytes(fetched.body))).toBe("hello");
  });
});
