import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { EvolutionAdapter, MetaAdapter, type ProviderError } from "../src";
import { type Simulator, startSimulator } from "../src/simulator";

const PNID = "109876543210987";
const CUSTOMER = "+5511987654321";
let sim: Simulator;
let meta: MetaAdapter;
let evolution: EvolutionAdapter;

beforeAll(async () => {
  sim = await startSimulator({
    meta: { phoneNumberId: PNID, wabaId: "102938475610293", accessToken: "good-token" },
    evolution: { instanceName: "loja-centro", apiKey: "global-key" },
    autoStatuses: false,
  });
  meta = new MetaAdapter({
    phoneNumberId: PNID,
    wabaId: "102938475610293",
    accessToken: "good-token",
    appSecret: "s",
    baseUrl: sim.url,
  });
  evolution = new EvolutionAdapter({ baseUrl: sim.url, apiKey: "global-key", instanceName: "loja-centro" });
});
afterEach(() => sim.reset());
afterAll(async () => {
  await sim.close();
});

const lastBody = () => sim.received.at(-1)?.body as Record<string, unknown>;
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error("expected the provider to refuse");
    },
    (err: unknown) => err as ProviderError,
  );

/** The first Ogg page of a mono Opus stream (one segment: a 19-byte OpusHead), as the simulator checks it. */
function monoOggOpusStart(): Uint8Array {
  const page = Buffer.alloc(27 + 1 + 19);
  page.write("OggS", 0, "latin1");
  page[5] = 0x02; // beginning of stream
  page[26] = 1; // one segment
  page[27] = 19;
  page.write("OpusHead", 28, "latin1");
  page[36] = 1; // version
  page[37] = 1; // one channel
  return new Uint8Array(page);
}

describe("Meta: every outbound kind, validated as Graph does", () => {
  it("sends a voice note as audio with voice: true when the upload is OGG/Opus", async () => {
    const id = await meta.uploadMedia(monoOggOpusStart(), "audio/ogg", "nota.ogg");
    await meta.sendMedia(CUSTOMER, { kind: "audio", mediaId: id, voice: true });
    expect(lastBody()).toMatchObject({ type: "audio", audio: { id, voice: true } });
    expect(sim.sentMessages().at(-1)?.type).toBe("audio");
  });

  it("refuses a voice note that is not OGG/Opus, a sticker that is not WebP, and an unsupported upload", async () => {
    const mp3 = await meta.uploadMedia(new Uint8Array([1]), "audio/mpeg", "a.mp3");
    const voice = await refusal(meta.sendMedia(CUSTOMER, { kind: "audio", mediaId: mp3, voice: true }));
    expect(voice).toMatchObject({ code: "131053", retryable: false });
    expect(voice.providerMessage).toMatch(/OGG file with the OPUS codec/);
    const png = await meta.uploadMedia(new Uint8Array([1]), "image/png", "a.png");
    expect(await refusal(meta.sendMedia(CUSTOMER, { kind: "sticker", mediaId: png }))).toMatchObject({
      code: "131053",
    });
    expect(await refusal(meta.uploadMedia(new Uint8Array([1]), "application/x-msdownload", "a.exe"))).toMatchObject({
      code: "100",
    });
    expect(sim.sentMessages()).toHaveLength(0);
  });

  it("sends a sticker, a location, a contact card, a reaction and its removal, and a quoted reply", async () => {
    const webp = await meta.uploadMedia(new Uint8Array([1]), "image/webp", "s.webp");
    await meta.sendMedia(CUSTOMER, { kind: "sticker", mediaId: webp });
    expect(lastBody()).toMatchObject({ type: "sticker", sticker: { id: webp } });
    await meta.sendLocation(CUSTOMER, { latitude: -23.55, longitude: -46.63, name: "Loja Centro" });
    expect(lastBody()).toMatchObject({
      type: "location",
      location: { latitude: -23.55, longitude: -46.63, name: "Loja Centro" },
    });
    await meta.sendContacts(CUSTOMER, [
      { name: "Suporte Loja", phones: [{ phone: "+5511940001234", waId: "5511940001234" }] },
    ]);
    expect(lastBody()).toMatchObject({
      type: "contacts",
      contacts: [
        { name: { formatted_name: "Suporte Loja" }, phones: [{ phone: "+5511940001234", wa_id: "5511940001234" }] },
      ],
    });
    await meta.sendReaction(CUSTOMER, { target: { providerMessageId: "wamid.IN" }, emoji: "👍" });
    expect(lastBody()).toMatchObject({ type: "reaction", reaction: { message_id: "wamid.IN", emoji: "👍" } });
    await meta.sendReaction(CUSTOMER, { target: { providerMessageId: "wamid.IN" }, emoji: "" });
    expect(lastBody()).toMatchObject({ reaction: { message_id: "wamid.IN", emoji: "" } });
    await meta.sendText(CUSTOMER, "respondendo", { replyTo: "wamid.IN" });
    expect(lastBody()).toMatchObject({ type: "text", context: { message_id: "wamid.IN" } });
    expect(sim.sentMessages().map((m) => m.type)).toEqual([
      "sticker",
      "location",
      "contacts",
      "reaction",
      "reaction",
      "text",
    ]);
  });

  it("refuses a location without coordinates and a card without a name", async () => {
    const noCoords = await refusal(meta.sendLocation(CUSTOMER, { latitude: Number.NaN, longitude: 1 }));
    expect(noCoords.providerMessage).toMatch(/latitude/);
    const noName = await refusal(meta.sendContacts(CUSTOMER, [{ name: "", phones: [] }]));
    expect(noName.providerMessage).toMatch(/formatted_name/);
  });

  it("marks a message read with the typing indicator, and reads the number's details and templates", async () => {
    await meta.sendTyping(CUSTOMER, { lastInboundId: "wamid.IN" });
    expect(lastBody()).toEqual({
      messaging_product: "whatsapp",
      status: "read",
      message_id: "wamid.IN",
      typing_indicator: { type: "text" },
    });
    expect(await meta.phoneNumberInfo()).toMatchObject({
      verifiedName: "Loja Centro",
      qualityRating: "GREEN",
      messagingLimit: "TIER_250",
    });
    sim.setMetaTemplates(
      Array.from({ length: 130 }, (_, i) => ({
        id: String(1000 + i),
        name: `t_${i}`,
        language: "pt_BR",
        status: "APPROVED",
        category: "UTILITY",
      })),
    );
    const templates = await meta.listTemplates();
    expect(templates).toHaveLength(130);
    expect(templates[129]).toMatchObject({ name: "t_129", status: "APPROVED" });
  });

  it("names a bad token (190) and a wrong phone number id (100)", async () => {
    const badToken = new MetaAdapter({ phoneNumberId: PNID, accessToken: "expired", appSecret: "s", baseUrl: sim.url });
    expect(await refusal(badToken.phoneNumberInfo())).toMatchObject({ code: "190", httpStatus: 401 });
    const wrongId = new MetaAdapter({
      phoneNumberId: "999999",
      accessToken: "good-token",
      appSecret: "s",
      baseUrl: sim.url,
    });
    expect(await refusal(wrongId.phoneNumberInfo())).toMatchObject({ code: "100" });
  });
});

describe("Evolution: every outbound kind, validated as its schemas do", () => {
  it("sends a voice note through sendWhatsAppAudio and a plain audio through sendMedia", async () => {
    await evolution.sendMedia(CUSTOMER, { kind: "audio", base64: "T2dnUw==", mimeType: "audio/ogg", voice: true });
    expect(sim.received.at(-1)?.path).toBe("/message/sendWhatsAppAudio/loja-centro");
    expect(lastBody()).toMatchObject({ number: "5511987654321", audio: "T2dnUw==" });
    await evolution.sendMedia(CUSTOMER, { kind: "audio", base64: "SUQz", mimeType: "audio/mpeg", fileName: "a.mp3" });
    expect(lastBody()).toMatchObject({ mediatype: "audio", media: "SUQz" });
  });

  it("sends a sticker, a location, a contact card, a reaction and its removal, and a quoted reply", async () => {
    await evolution.sendMedia(CUSTOMER, { kind: "sticker", base64: "UklGRg==" });
    expect(sim.received.at(-1)?.path).toBe("/message/sendSticker/loja-centro");
    await evolution.sendLocation(CUSTOMER, { latitude: -23.55, longitude: -46.63 });
    expect(lastBody()).toMatchObject({ latitude: -23.55, longitude: -46.63, name: "Localização" });
    await evolution.sendContacts(CUSTOMER, [{ name: "Suporte Loja", phones: [{ phone: "+5511940001234" }] }]);
    expect(lastBody()).toMatchObject({ contact: [{ fullName: "Suporte Loja", wuid: "5511940001234" }] });
    const target = { providerMessageId: "3A5F", fromMe: false };
    await evolution.sendReaction(CUSTOMER, { target, emoji: "❤️" });
    expect(lastBody()).toEqual({
      key: { remoteJid: "5511987654321@s.whatsapp.net", fromMe: false, id: "3A5F" },
      reaction: "❤️",
    });
    await evolution.sendReaction(CUSTOMER, { target, emoji: "" });
    await evolution.sendText(CUSTOMER, "respondendo", { replyTo: target });
    expect(lastBody()).toMatchObject({ quoted: { key: { id: "3A5F" } } });
    expect(sim.sentMessages().map((m) => m.type)).toEqual([
      "sticker",
      "location",
      "contacts",
      "reaction",
      "reaction",
      "text",
    ]);
  });

  it("refuses a reaction that is not one emoji and a contact with a short number", async () => {
    const reaction = await refusal(
      evolution.sendReaction(CUSTOMER, { target: { providerMessageId: "3A" }, emoji: "ok" }),
    );
    expect(reaction).toMatchObject({ code: "BAD_REQUEST", httpStatus: 400 });
    expect(reaction.providerMessage).toMatch(/single emoji/);
    const contact = await refusal(evolution.sendContacts(CUSTOMER, [{ name: "X", phones: [{ phone: "123" }] }]));
    expect(contact.providerMessage).toMatch(/phoneNumber/);
    expect(sim.sentMessages()).toHaveLength(0);
  });

  it("shows composing for the asked time and marks several messages read at once", async () => {
    await evolution.sendTyping(CUSTOMER, { durationMs: 50 });
    expect(lastBody()).toEqual({ number: "5511987654321", presence: "composing", delay: 50 });
    await evolution.markRead("3A02", { chat: CUSTOMER, earlier: ["3A01"] });
    expect(lastBody()).toEqual({
      readMessages: [
        { remoteJid: "5511987654321@s.whatsapp.net", fromMe: false, id: "3A01" },
        { remoteJid: "5511987654321@s.whatsapp.net", fromMe: false, id: "3A02" },
      ],
    });
  });

  it("finds a missing instance, creates it, and subscribes its webhook to known events only", async () => {
    const fresh = new EvolutionAdapter({ baseUrl: sim.url, apiKey: "global-key", instanceName: "nova-loja" });
    expect(await fresh.instanceExists()).toBe(false);
    await fresh.createInstance({ qrcode: false });
    expect(await fresh.instanceExists()).toBe(true);
    const typo = await refusal(fresh.setWebhook("https://app.example/webhooks/evolution/x", ["MESSAGE_UPSERT"]));
    expect(typo.httpStatus).toBe(400);
    await fresh.setWebhook("https://app.example/webhooks/evolution/x", ["MESSAGES_UPSERT", "MESSAGES_EDITED"], {
      "x-webhook-secret": "s3cr3t",
    });
    expect(sim.evolutionInstance("nova-loja")).toMatchObject({
      webhookUrl: "https://app.example/webhooks/evolution/x",
      webhookHeaders: { "x-webhook-secret": "s3cr3t" },
      webhookEvents: ["MESSAGES_UPSERT", "MESSAGES_EDITED"],
    });
  });
});
