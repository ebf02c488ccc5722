import { phoneFromJid } from "../phone";
import type { InboundMessage, InboundMessageType, MessageSender } from "../types";
import { evolutionContacts, evolutionEdit } from "./evolution-kinds";
import type { EvolutionMessage } from "./evolution-webhook-schema";

type Loose = Record<string, unknown>;

const MEDIA: Record<string, InboundMessageType> = {
  imageMessage: "image",
  videoMessage: "video",
  audioMessage: "audio",
  documentMessage: "document",
  stickerMessage: "sticker",
};

function obj(value: unknown): Loose | undefined {
  return typeof value === "object" && value !== null ? (value as Loose) : undefined;
}
function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * Since Baileys 7 a chat may be addressed by `@lid` instead of a phone JID. 2.3.7+
 * swaps in the phone JID when known (`remoteJidAlt` = lid); older versions put the
 * phone in `senderPn`. Collect both so the contact can be keyed by either.
 */
export function senderOf(data: EvolutionMessage): MessageSender {
  const { key } = data;
  const candidates = [key.remoteJid, key.remoteJidAlt, key.senderPn, key.senderLid].filter((j): j is string => !!j);
  const jid = candidates.find((j) => j.endsWith("@s.whatsapp.net"));
  const lid = candidates.find((j) => j.endsWith("@lid"));
  const from: MessageSender = {};
  if (jid) {
    from.jid = jid;
    const phone = phoneFromJid(jid);
    if (phone) from.phone = phone;
  }
  if (lid) from.lid = lid;
  // pushName on our own messages is the business ("Você"), not the customer.
  if (!key.fromMe && data.pushName) from.name = data.pushName;
  return from;
}

/** Fills type/body/media/etc. from the Baileys `message` object. */
export function fillContent(event: InboundMessage, data: EvolutionMessage): void {
  const message = data.message ?? {};
  const contacts = evolutionContacts(message);
  if (contacts) {
    event.type = "contacts";
    event.contacts = contacts;
    event.body = contacts.map((c) => c.name).join(", ");
    if (data.contextInfo?.stanzaId) event.replyToProviderMessageId = data.contextInfo.stanzaId;
    return;
  }
  // An edit that reached messages.upsert (older servers): the protocolMessage carries it.
  const protocol = message.protocolMessage ?? obj(obj(message.editedMessage)?.message)?.protocolMessage;
  const edit = protocol ? evolutionEdit({ protocolMessage: protocol }, event.timestamp)[0] : undefined;
  if (edit?.kind === "message") {
    event.type = "edit";
    if (edit.edit) event.edit = edit.edit;
    return;
  }
  const document = obj(obj(obj(message.documentWithCaptionMessage)?.message)?.documentMessage);
  const entries = Object.entries(message);
  if (document) entries.unshift(["documentMessage", document]);
  for (const [name, value] of entries) {
    const content = obj(value);
    if (name === "conversation" && typeof value === "string") {
      event.type = "text";
      event.body = value;
    } else if (name === "extendedTextMessage" && content) {
      event.type = "text";
      event.body = str(content.text);
    } else if (MEDIA[name] && content) {
      event.type = MEDIA[name];
      const media: NonNullable<InboundMessage["media"]> = { providerMediaId: data.key.id };
      const mimeType = str(content.mimetype);
      if (mimeType) media.mimeType = mimeType;
      const fileName = str(content.fileName);
      if (fileName) media.fileName = fileName;
      const caption = str(content.caption);
      if (caption) media.caption = caption;
      if (typeof content.ptt === "boolean") media.voice = content.ptt;
      const base64 = str(message.base64);
      if (base64) media.base64 = base64;
      const url = str(message.mediaUrl);
      if (url) media.url = url;
      event.media = media;
      if (caption) event.body = caption;
    } else if ((name === "locationMessage" || name === "liveLocationMessage") && content) {
      event.type = "location";
      event.location = { latitude: Number(content.degreesLatitude), longitude: Number(content.degreesLongitude) };
      const place = str(content.name);
      if (place) event.location.name = place;
      const address = str(content.address);
      if (address) event.location.address = address;
    } else if (name === "reactionMessage" && content) {
      event.type = "reaction";
      const target = str(obj(content.key)?.id) ?? "";
      event.reaction = { emoji: typeof content.text === "string" ? content.text : "", targetProviderMessageId: target };
    } else if (
      name === "buttonsResponseMessage" ||
      name === "listResponseMessage" ||
      name === "templateButtonReplyMessage"
    ) {
      const id =
        str(content?.selectedButtonId) ??
        str(obj(content?.singleSelectReply)?.selectedRowId) ??
        str(content?.selectedId) ??
        "";
      const title = str(content?.selectedDisplayText) ?? str(content?.title) ?? id;
      event.type = name === "templateButtonReplyMessage" ? "button" : "interactive";
      event.reply = { id, title };
      event.body = title;
    } else continue;
    const quoted = data.contextInfo?.stanzaId ?? str(obj(content?.contextInfo)?.stanzaId);
    if (quoted) event.replyToProviderMessageId = quoted;
    return;
  }
}
