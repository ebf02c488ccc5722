import { readFileSync } from "node:fs";
import { join } from "node:path";
import { httpClient, userWithToken } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assign, messageById, messageByProviderId, type Pipeline, startPipeline, until } from "./pipeline-helpers";

/**
 * Every kind an operator can send goes tRPC → worker → provider, on both providers:
 * the simulator (which validates as the provider does) records what it received.
 */
/** 1.5 s recorded by Chromium's MediaRecorder with its fake microphone (audio/webm;codecs=opus). */
const recording = new Uint8Array(
  readFileSync(join(__dirname, "..", "..", "..", "packages", "core", "test", "fixtures", "chromium-voice.webm")),
);
let p: Pipeline;
let operator: Awaited<ReturnType<typeof userWithToken>>;
const conversations: Record<"META" | "EVOLUTION", { id: string; inboundId: string }> = {
  META: { id: "", inboundId: "" },
  EVOLUTION: { id: "", inboundId: "" },
};
const CUSTOMER = { META: "+5511987654321", EVOLUTION: "+5521998877665" };
type Client = ReturnType<typeof httpClient>;
let client: Client;

beforeAll(async () => {
  p = await startPipeline();
  operator = await userWithToken(p.stack, "OPERATOR");
  client = httpClient(p.stack.url, operator.token, { batch: false });
  for (const provider of ["META", "EVOLUTION"] as const) {
    const id = provider === "META" ? "wamid.KINDS-IN" : "3AKINDSIN0001";
    await p.sim.injectInbound(provider, { from: CUSTOMER[provider], body: "Oi", id });
    const inbound = await until(() => messageByProviderId(p.stack, id));
    await assign(p.stack, inbound.conversation_id, operator.user.id);
    conversations[provider] = { id: inbound.conversation_id, inboundId: inbound.id };
  }
});
afterAll(async () => {
  await p.close();
});

/** Waits until the message went out and returns what the provider received for it. */
async function received(messageId: string) {
  const row = await until(async () => {
    const m = await messageById(p.stack, messageId);
    if (m?.status === "FAILED") throw new Error(`send failed: ${m.error_code} ${m.error_message}`);
    return m?.provider_message_id ? m : null;
  });
  const sent = p.sim.sentMessages().find((s) => s.providerMessageId === row.provider_message_id);
  if (!sent) throw new Error("the simulator recorded no such message");
  return { type: sent.type, request: sent.request as Record<string, unknown> };
}

function file(name: string, type: string, bytes = "conteudo") {
  return new File([Buffer.from(bytes)], name, { type });
}

function media(provider: "META" | "EVOLUTION", f: File, extra: Record<string, string> = {}) {
  const form = new FormData();
  form.set("conversationId", conversations[provider].id);
  form.set("file", f);
  for (const [k, v] of Object.entries(extra)) form.set(k, v);
  return client.messages.sendMedia.mutate(form);
}

describe.each(["META", "EVOLUTION"] as const)("%s: an operator sends every kind", (provider) => {
  const meta = provider === "META";

  it("sends a recorded voice note (Chromium's WebM/Opus) as an OGG/Opus voice message", async () => {
    const queued = await media(provider, new File([recording], "gravacao.webm", { type: "audio/webm;codecs=opus" }), {
      voice: "true",
    });
    const { type, request } = await received(queued.id);
    expect(type).toBe("audio");
    let bytes: Uint8Array;
    if (meta) {
      expect(request).toMatchObject({ type: "audio", audio: { voice: true } });
      const uploaded = p.sim.mediaOf(String((request.audio as { id: string }).id));
      expect(uploaded?.mimeType).toMatch(/^audio\/ogg/);
      bytes = uploaded?.bytes ?? new Uint8Array();
    } else {
      bytes = Buffer.from(String(request.audio), "base64");
    }
    // What the customer gets is an Ogg stream whose first packet is a mono OpusHead.
    const head = 27 + (bytes[26] ?? 0);
    expect(Buffer.from(bytes.subarray(0, 4)).toString()).toBe("OggS");
    expect(Buffer.from(bytes.subarray(head, head + 8)).toString()).toBe("OpusHead");
    expect(bytes[head + 9]).toBe(1);
  });

  it("refuses a voice note WhatsApp would not play, with its reason", async () => {
    const mp3 = await media(provider, file("nota.mp3", "audio/mpeg"), { voice: "true" }).catch((e: unknown) => e);
    expect(mp3).toMatchObject({ data: { code: "BAD_REQUEST", reason: "VOICE_NOT_OGG_OPUS" } });
    const fake = await media(provider, file("nota.ogg", "audio/ogg; codecs=opus"), { voice: "true" }).catch(
      (e: unknown) => e,
    );
    expect(fake).toMatchObject({ data: { code: "BAD_REQUEST", reason: "VOICE_NOT_OGG_OPUS" } });
    const cut = new File([recording.subarray(0, 400)], "gravacao.webm", { type: "audio/webm" });
    const short = await media(provider, cut, { voice: "true" }).catch((e: unknown) => e);
    expect(short).toMatchObject({ data: { code: "BAD_REQUEST" } });
  });

  it("sends an image, a video, a plain audio, a document and a sticker", async () => {
    const kinds: Array<[File, string]> = [
      [file("foto.jpg", "image/jpeg"), "image"],
      [file("video.mp4", "video/mp4"), "video"],
      [file("musica.mp3", "audio/mpeg"), "audio"],
      [file("contrato.pdf", "application/pdf"), "document"],
      [file("figurinha.webp", "image/webp"), "sticker"],
    ];
    for (const [f, kind] of kinds) {
      const queued = await media(provider, f);
      const { type, request } = await received(queued.id);
      expect(type).toBe(kind);
      if (meta) {
        expect(request.type).toBe(kind);
        expect((request[kind] as Record<string, unknown>).voice).toBeUndefined();
      }
    }
  });

  it("sends a location and a contact card", async () => {
    const pin = await client.messages.sendLocation.mutate({
      conversationId: conversations[provider].id,
      latitude: -23.5505199,
      longitude: -46.6333094,
      name: "Loja Centro",
      address: "Praça da Sé, 100",
    });
    const location = await received(pin.id);
    expect(location.type).toBe("location");
    if (meta) expect(location.request).toMatchObject({ location: { latitude: -23.5505199, name: "Loja Centro" } });
    else
      expect(location.request).toMatchObject({
        latitude: -23.5505199,
        name: "Loja Centro",
        address: "Praça da Sé, 100",
      });
    const card = await client.messages.sendContact.mutate({
      conversationId: conversations[provider].id,
      contacts: [{ name: "Suporte Loja", phones: ["(11) 94000-1234"] }],
    });
    const contact = await received(card.id);
    expect(contact.type).toBe("contacts");
    if (meta) {
      expect(contact.request).toMatchObject({
        contacts: [
          { name: { formatted_name: "Suporte Loja" }, phones: [{ phone: "+5511940001234", wa_id: "5511940001234" }] },
        ],
      });
    } else {
      expect(contact.request).toMatchObject({ contact: [{ fullName: "Suporte Loja", wuid: "5511940001234" }] });
    }
  });

  it("reacts to the customer's message, removes the reaction, and replies quoting it", async () => {
    const target = await until(() => messageById(p.stack, conversations[provider].inboundId));
    const like = await client.messages.react.mutate({ messageId: conversations[provider].inboundId, emoji: "👍" });
    const reaction = await received(like.id);
    expect(reaction.type).toBe("reaction");
    if (meta)
      expect(reaction.request).toMatchObject({ reaction: { message_id: target.provider_message_id, emoji: "👍" } });
    else
      expect(reaction.request).toMatchObject({
        key: { id: target.provider_message_id, fromMe: false },
        reaction: "👍",
      });
    const removal = await received((await client.messages.react.mutate({ messageId: target.id, emoji: "" })).id);
    if (meta) expect(removal.request).toMatchObject({ reaction: { emoji: "" } });
    else expect(removal.request).toMatchObject({ reaction: "" });
    const reply = await client.messages.send.mutate({
      conversationId: conversations[provider].id,
      body: "Respondendo você",
      replyToId: target.id,
    });
    const quoted = await received(reply.id);
    if (meta) expect(quoted.request).toMatchObject({ context: { message_id: target.provider_message_id } });
    else expect(quoted.request).toMatchObject({ quoted: { key: { id: target.provider_message_id } } });
  });

  it("refuses bad input naming the field, and an emoji that is not one", async () => {
    const word = await client.messages.react
      .mutate({ messageId: conversations[provider].inboundId, emoji: "legal" })
      .catch((e: unknown) => e);
    expect(word).toMatchObject({ data: { code: "BAD_REQUEST" } });
    expect((word as Error).message).toMatch(/emoji/);
    const far = await client.messages.sendLocation
      .mutate({ conversationId: conversations[provider].id, latitude: 123, longitude: 0 })
      .catch((e: unknown) => e);
    expect((far as Error).message).toMatch(/latitude/);
    const badPhone = await client.messages.sendContact
      .mutate({ conversationId: conversations[provider].id, contacts: [{ name: "X", phones: ["abcdefgh"] }] })
      .catch((e: unknown) => e);
    expect(badPhone).toMatchObject({ data: { code: "BAD_REQUEST" } });
    expect((badPhone as Error).message).toMatch(/phones/);
  });
});

describe("the 24-hour window and access rules apply to the new kinds", () => {
  it("refuses a location, a card and a reaction on Meta outside the window, and another operator's conversation", async () => {
    const other = await userWithToken(p.stack, "OPERATOR");
    const theirs = httpClient(p.stack.url, other.token);
    const denied = await theirs.messages.react
      .mutate({ messageId: conversations.META.inboundId, emoji: "👍" })
      .catch((e: unknown) => e);
    expect(denied).toMatchObject({ data: { code: "FORBIDDEN" } });
    await p.stack.core
      .sql`update conversations set last_inbound_at = now() - interval '25 hours' where id = ${conversations.META.id}`;
    const before = p.sim.sentMessages().length;
    for (const attempt of [
      () => client.messages.sendLocation.mutate({ conversationId: conversations.META.id, latitude: 1, longitude: 1 }),
      () =>
        client.messages.sendContact.mutate({
          conversationId: conversations.META.id,
          contacts: [{ name: "A", phones: ["11940001234"] }],
        }),
      () => client.messages.react.mutate({ messageId: conversations.META.inboundId, emoji: "👍" }),
    ]) {
      const err = await attempt().catch((e: unknown) => e);
      expect((err as Error).message).toMatch(/24-hour customer window/);
    }
    await p.sim.settled();
    expect(p.sim.sentMessages().length).toBe(before);
  });
});
