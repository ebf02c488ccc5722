import { phoneFromJid } from "../phone";
import type { DeliveryStatus, InboundMessage, InboundMessageType, MessageSender, StatusUpdate } from "../types";
import { fillMetaKinds } from "./meta-kinds";
import type { MetaContact, MetaMessage, MetaStatus } from "./meta-webhook-schema";

const KNOWN_TYPES = new Set<string>([
  "text",
  "image",
  "audio",
  "video",
  "document",
  "sticker",
  "location",
  "reaction",
  "interactive",
  "button",
  "contacts",
  "order",
  "system",
  "unsupported",
  "edit",
  "revoke",
]);
const STATUSES = new Set<string>(["sent", "delivered", "read", "failed", "played"]);

export function fromSeconds(value: string | number): Date {
  return new Date(Number(value) * 1000);
}

function sender(message: MetaMessage, contacts: MetaContact[]): MessageSender {
  // Batched webhooks list one contact per sender; match on wa_id or BSUID.
  const contact =
    contacts.find(
      (c) => (message.from && c.wa_id === message.from) || (message.from_user_id && c.user_id === message.from_user_id),
    ) ?? (contacts.length === 1 ? contacts[0] : undefined);
  const waId = message.from ?? contact?.wa_id;
  const from: MessageSender = {};
  if (waId) {
    from.waId = waId;
    const phone = phoneFromJid(`${waId}@s.whatsapp.net`);
    if (phone) from.phone = phone;
  }
  const bsuid = message.from_user_id ?? contact?.user_id;
  if (bsuid) from.bsuid = bsuid;
  if (contact?.profile?.name) from.name = contact.profile.name;
  return from;
}

function mediaOf(message: MetaMessage): InboundMessage["media"] {
  const type = message.type as "image" | "audio" | "video" | "document" | "sticker";
  const object = message[type];
  if (!object) return undefined;
  const media: NonNullable<InboundMessage["media"]> = {};
  if (object.id) media.providerMediaId = object.id;
  if (object.url) media.url = object.url;
  if (object.mime_type) media.mimeType = object.mime_type;
  if (object.filename) media.fileName = object.filename;
  if (object.caption) media.caption = object.caption;
  if (object.voice !== undefined) media.voice = object.voice;
  return media;
}

/** One Meta `messages[]` item as a normalised inbound message. */
export function toInboundMessage(message: MetaMessage, contacts: MetaContact[]): InboundMessage {
  const type = (KNOWN_TYPES.has(message.type) ? message.type : "unknown") as InboundMessageType;
  const event: InboundMessage = {
    kind: "message",
    providerMessageId: message.id,
    from: sender(message, contacts),
    timestamp: fromSeconds(message.timestamp),
    type,
  };
  if (message.context?.id) event.replyToProviderMessageId = message.context.id;
  if (type === "text" && message.text) event.body = message.text.body;
  if (["image", "audio", "video", "document", "sticker"].includes(type)) {
    event.media = mediaOf(message);
    if (event.media?.caption) event.body = event.media.caption;
  }
  if (type === "location" && message.location) event.location = { ...message.location };
  if (type === "reaction" && message.reaction) {
    event.reaction = { emoji: message.reaction.emoji ?? "", targetProviderMessageId: message.reaction.message_id };
  }
  const choice = message.interactive?.button_reply ?? message.interactive?.list_reply;
  if (type === "interactive" && choice) {
    event.reply = { ...choice };
    event.body = choice.title;
  }
  if (type === "button" && message.button) {
    const title = message.button.text ?? message.button.payload ?? "";
    event.reply = { id: message.button.payload ?? title, title };
    event.body = title;
  }
  fillMetaKinds(event, message);
  return event;
}

/** One `statuses[]` item; unknown statuses (e.g. "deleted") give null and are skipped. */
export function toStatusUpdate(status: MetaStatus): StatusUpdate | null {
  if (!STATUSES.has(status.status)) return null;
  const event: StatusUpdate = {
    kind: "status",
    providerMessageId: status.id,
    status: status.status as DeliveryStatus,
    timestamp: fromSeconds(status.timestamp),
  };
  if (status.recipient_id) event.recipient = status.recipient_id;
  if (status.recipient_user_id) event.recipientBsuid = status.recipient_user_id;
  if (status.biz_opaque_callback_data) event.callbackData = status.biz_opaque_callback_data;
  const error = status.errors?.[0];
  if (error) {
    const title = error.title ?? error.message ?? "failed";
    const details = error.error_data?.details;
    event.error = {
      code: String(error.code),
      message: details && details !== title ? `${title.replace(/\.$/, "")}: ${details}` : title,
    };
  }
  return event;
}
