import { normalizePhone } from "../phone";
import { inboundKeyId, nowSeconds } from "./ids";
import type { EvolutionInstance, SimulatorState } from "./sim-state";
import type { InboundInput } from "./sim-types";

type Loose = Record<string, unknown>;

/** The stored-message object Evolution returns from sends and repeats in send.message / messages.upsert. */
export function evolutionMessageData(
  instance: EvolutionInstance,
  fields: {
    key: Loose;
    message: Loose;
    messageType: string;
    contextInfo?: Loose | null;
    pushName: string;
    status: string;
    source: string;
    /** Whole seconds (default now). */
    at?: number;
  },
): Loose {
  const data: Loose = { key: fields.key, pushName: fields.pushName, status: fields.status, message: fields.message };
  if (fields.contextInfo !== undefined) data.contextInfo = fields.contextInfo;
  return {
    ...data,
    messageType: fields.messageType,
    messageTimestamp: fields.at ?? nowSeconds(),
    instanceId: instance.instanceId,
    source: fields.source,
  };
}

const FAKE_CDN = "https://mmg.whatsapp.net/v/t62.7118-24/simulated";

/** `message` content for an API send, by route and request body. */
export function outgoingContent(
  route: "text" | "media" | "audio",
  request: Loose,
): { message: Loose; messageType: string } {
  if (route === "text") return { message: { conversation: String(request.text) }, messageType: "conversation" };
  if (route === "audio") {
    return {
      message: { audioMessage: { url: FAKE_CDN, mimetype: "audio/ogg; codecs=opus", seconds: 5, ptt: true } },
      messageType: "audioMessage",
    };
  }
  const messageType = `${String(request.mediatype)}Message`;
  const content: Loose = { url: FAKE_CDN, mimetype: request.mimetype ?? "application/octet-stream" };
  if (request.caption) content.caption = request.caption;
  if (request.fileName) content.fileName = request.fileName;
  return { message: { [messageType]: content }, messageType };
}

const MIME: Record<string, string> = {
  image: "image/jpeg",
  audio: "audio/ogg; codecs=opus",
  video: "video/mp4",
  document: "application/pdf",
};

/** A messages.upsert `data` for a customer message, 2.3.7 style (PN JID first, `@lid` in remoteJidAlt). */
export function evolutionInboundData(
  state: SimulatorState,
  instance: EvolutionInstance,
  input: InboundInput,
): { data: Loose; id: string } {
  const digits = normalizePhone(input.from)?.key ?? input.from.replace(/\D/g, "");
  const id = input.id ?? inboundKeyId();
  const remoteJid = `${digits}@s.whatsapp.net`;
  const key: Loose = input.lid
    ? { remoteJid, remoteJidAlt: input.lid, fromMe: false, id, addressingMode: "pn" }
    : { remoteJid, fromMe: false, id };
  const type = input.type ?? "text";
  let message: Loose;
  let messageType: string;
  if (type === "text") [message, messageType] = [{ conversation: input.body ?? "" }, "conversation"];
  else if (type === "location") {
    const l = input.location ?? { latitude: -23.5505199, longitude: -46.6333094 };
    [message, messageType] = [
      {
        locationMessage: {
          degreesLatitude: l.latitude,
          degreesLongitude: l.longitude,
          name: l.name,
          address: l.address,
        },
      },
      "locationMessage",
    ];
  } else if (type === "reaction") {
    const target = { remoteJid, fromMe: true, id: input.reactionTo ?? "" };
    [message, messageType] = [
      { reactionMessage: { key: target, text: input.body ?? "👍", senderTimestampMs: String(Date.now()) } },
      "reactionMessage",
    ];
  } else if (type === "interactive" && input.replyKind === "list") {
    const reply = { title: input.body ?? "", singleSelectReply: { selectedRowId: input.replyId ?? "" } };
    [message, messageType] = [{ listResponseMessage: reply }, "listResponseMessage"];
  } else if (type === "button" || type === "interactive") {
    const reply = { selectedButtonId: input.replyId ?? "", selectedDisplayText: input.body ?? "" };
    [message, messageType] = [{ buttonsResponseMessage: reply }, "buttonsResponseMessage"];
  } else {
    const mimeType = input.media?.mimeType ?? MIME[type] ?? "application/octet-stream";
    const base64 = input.media?.base64 ?? "c2ltdWxhdGVk";
    state.media.set(id, {
      bytes: new Uint8Array(Buffer.from(base64, "base64")),
      mimeType,
      fileName: input.media?.fileName,
    });
    const content: Loose = {
      url: FAKE_CDN,
      mimetype: mimeType,
      fileLength: String(Buffer.from(base64, "base64").length),
    };
    if (input.body && type !== "audio") content.caption = input.body;
    if (type === "document") content.fileName = input.media?.fileName ?? "arquivo.pdf";
    if (type === "audio") Object.assign(content, { seconds: 5, ptt: true });
    messageType = `${type}Message`;
    message = { [messageType]: content };
  }
  const contextInfo = input.replyTo
    ? { stanzaId: input.replyTo, participant: "5511940001234@s.whatsapp.net", quotedMessage: {} }
    : null;
  const pushName = input.name ?? "Cliente Simulado";
  return {
    data: evolutionMessageData(instance, {
      key,
      message,
      messageType,
      contextInfo,
      pushName,
      status: "DELIVERY_ACK",
      source: "android",
      at: input.at,
    }),
    id,
  };
}
