import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { collectBytes, EvolutionAdapter, parseEvolutionWebhook } from "../src";
import { type Simulator, startSimulator } from "../src/simulator";
import { eventually, startTestServer, type TestServer } from "./helpers";

const HEADERS = { "x-webhook-token": "s3cr3t" };
let receiver: TestServer;
let sim: Simulator;
let evolution: EvolutionAdapter;

beforeAll(async () => {
  receiver = await startTestServer();
  sim = await startSimulator({
    evolution: {
      webhookUrl: `${receiver.url}/webhooks/evolution/1`,
      webhookHeaders: HEADERS,
      instanceName: "loja-centro",
      apiKey: "global",
    },
    statusDelayMs: 5,
  });
  evolution = new EvolutionAdapter({
    baseUrl: sim.url,
    apiKey: "global",
    instanceName: "loja-centro",
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

const received = () => receiver.requests.map((r) => parseEvolutionWebhook(r.json));

describe("simulator: Evolution", () => {
  it("accepts a send, echoes send.message, then posts SERVER_ACK, DELIVERY_ACK, READ in order with the instance headers", async () => {
    const result = await evolution.sendText("+55 11 98765-4321", "Olá Maria!", { delayMs: 10 });
    expect(result).toMatchObject({
      providerMessageId: expect.stringMatching(/^3EB0/),
      remoteJid: "5511987654321@s.whatsapp.net",
    });
    expect(sim.received[0]?.body).toEqual({ number: "5511987654321", text: "Olá Maria!", delay: 10 });
    expect(sim.received[0]?.headers.apikey).toBeUndefined();

    await eventually(() => expect(receiver.requests).toHaveLength(4));
    expect(receiver.requests.every((r) => r.headers["x-webhook-token"] === "s3cr3t")).toBe(true);
    expect(receiver.requests.map((r) => (r.json as { event: string }).event)).toEqual([
      "send.message",
      "messages.update",
      "messages.update",
      "messages.update",
    ]);
    const events = received().flatMap((b) => b.events);
    expect(events[0]).toMatchObject({
      kind: "message",
      fromMe: true,
      providerMessageId: result.providerMessageId,
      body: "Olá Maria!",
    });
    expect(events.slice(1).map((e) => (e.kind === "status" ? e.status : e.kind))).toEqual([
      "sent",
      "delivered",
      "read",
    ]);
  });

  it("yields retryable errors then success, and the permanent Evolution failures", async () => {
    sim.fail({ provider: "EVOLUTION", times: 2, kind: "500" });
    await expect(evolution.sendText("5511987654321", "oi")).rejects.toMatchObject({ retryable: true });
    await expect(evolution.sendText("5511987654321", "oi")).rejects.toMatchObject({ retryable: true });
    await expect(evolution.sendText("5511987654321", "oi")).resolves.toMatchObject({
      providerMessageId: expect.any(String),
    });
    sim.fail({ times: 1, kind: "not_on_whatsapp" });
    await expect(evolution.sendText("5511900000000", "oi")).rejects.toMatchObject({
      code: "NOT_ON_WHATSAPP",
      retryable: false,
    });
    sim.fail({ times: 1, kind: "instance_not_connected" });
    await expect(evolution.sendText("5511987654321", "oi")).rejects.toMatchObject({
      code: "INSTANCE_NOT_CONNECTED",
      retryable: false,
    });
  });

  it("refuses a wrong apikey and an unknown instance like Evolution", async () => {
    const wrongKey = new EvolutionAdapter({ baseUrl: sim.url, apiKey: "nope", instanceName: "loja-centro" });
    await expect(wrongKey.sendText("5511987654321", "oi")).rejects.toMatchObject({
      code: "UNAUTHORIZED",
      httpStatus: 401,
    });
    const unknown = new EvolutionAdapter({ baseUrl: sim.url, apiKey: "global", instanceName: "outra" });
    await expect(unknown.sendText("5511987654321", "oi")).rejects.toMatchObject({ code: "INSTANCE_NOT_FOUND" });
  });

  it("injects an inbound message with its @lid that parses back to the same text", async () => {
    const status = await sim.injectInbound("EVOLUTION", {
      from: "11987654321",
      body: "Oi, tudo bem?",
      lid: "999@lid",
      name: "Maria",
    });
    expect(status).toBe(200);
    const [batch] = received();
    expect(batch?.instanceName).toBe("loja-centro");
    expect(batch?.events[0]).toMatchObject({
      kind: "message",
      fromMe: false,
      body: "Oi, tudo bem?",
      from: { phone: "+5511987654321", lid: "999@lid", name: "Maria" },
    });
  });

  it("serves injected media to fetchMedia and supports audio, media and mark-read", async () => {
    await sim.injectInbound("EVOLUTION", {
      from: "5511987654321",
      type: "document",
      media: { base64: "JVBERg==", fileName: "a.pdf", mimeType: "application/pdf" },
    });
    const event = received()[0]?.events[0];
    const id = event?.kind === "message" ? event.media?.providerMediaId : undefined;
    const media = await evolution.fetchMedia(id ?? "");
    expect(media).toMatchObject({ mimeType: "application/pdf", fileName: "a.pdf" });
    expect(Buffer.from(await collectBytes(media.body)).toString("base64")).toBe("JVBERg==");
    await expect(
      evolution.sendMedia("5511987654321", { kind: "audio", link: "https://x/a.ogg", voice: true }),
    ).resolves.toBeTruthy();
    expect(sim.received.at(-1)?.path).toBe("/message/sendWhatsAppAudio/loja-centro");
    await evolution.markRead("3A00", { chat: "5511987654321" });
    expect(sim.received.at(-1)?.body).toEqual({
      readMessages: [{ remoteJid: "5511987654321@s.whatsapp.net", fromMe: false, id: "3A00" }],
    });
  });

  it("runs the instance lifecycle: create, connect with QR, webhook set, logout", async () => {
    const other = new EvolutionAdapter({ baseUrl: sim.url, apiKey: "global", instanceName: "nova" });
    const created = await other.createInstance({ qrcode: true });
    expect(created.token).toBeTruthy();
    expect(await other.connectionState()).toBe("connecting");
    await other.setWebhook(`${receiver.url}/webhooks/evolution/2`, ["QRCODE_UPDATED"], { "x-webhook-token": "n" });
    const qr = await other.connect();
    expect(qr).toMatchObject({ qrBase64: expect.stringMatching(/^data:image\/png;base64,/) });
    await eventually(() => expect(receiver.requests.some((r) => r.path === "/webhooks/evolution/2")).toBe(true));
    expect(
      parseEvolutionWebhook(receiver.requests.find((r) => r.path === "/webhooks/evolution/2")?.json).events[0]?.kind,
    ).toBe("qr");
    await expect(other.createInstance()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await evolution.logout();
    expect(await evolution.connectionState()).toBe("close");
    await expect(evolution.sendText("5511987654321", "oi")).rejects.toMatchObject({ code: "INSTANCE_NOT_CONNECTED" });
  });
});
