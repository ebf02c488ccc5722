import { createHash } from "node:crypto";
import { normalizePhone } from "../phone";
import type { DeliveryStatus } from "../types";
import { metaMediaId, nowSeconds, wamid } from "./ids";
import type { SimulatorState } from "./sim-state";
import type { InboundInput, SentMessage } from "./sim-types";

export const DEFAULT_PHONE_NUMBER_ID = "109876543210987";
const DISPLAY_PHONE = "5511940001234";

/**
 * The `whatsapp_business_account` envelope Meta posts around one change value
 * (messages, contacts, statuses), as in the fixtures.
 */
export function metaWebhookEnvelope(
  value: Record<string, unknown>,
  opts: { phoneNumberId: string; wabaId?: string },
): Record<string, unknown> {
  const metadata = { display_phone_number: DISPLAY_PHONE, phone_number_id: opts.phoneNumberId };
  return {
    object: "whatsapp_business_account",
    entry: [
      {
        id: opts.wabaId ?? "102938475610293",
        changes: [{ value: { messaging_product: "whatsapp", metadata, ...value }, field: "messages" }],
      },
    ],
  };
}

export function metaEnvelope(state: SimulatorState, phoneNumberId: string, value: Record<string, unknown>): unknown {
  return metaWebhookEnvelope(value, { phoneNumberId, wabaId: state.meta.wabaId });
}

export function metaStatusBody(state: SimulatorState, sent: SentMessage, status: DeliveryStatus): unknown {
  const statusObject: Record<string, unknown> = {
    id: sent.providerMessageId,
    status,
    timestamp: String(nowSeconds()),
    recipient_id: sent.to,
  };
  if (status === "sent") {
    const category = sent.type === "template" ? "marketing" : "service";
    const type = sent.type === "template" ? "regular" : "free_customer_service";
    statusObject.pricing = { billable: sent.type === "template", pricing_model: "PMP", type, category };
  }
  const contacts = [{ profile: { name: "Cliente Simulado" }, wa_id: sent.to }];
  return metaEnvelope(state, sent.channel, { contacts, statuses: [statusObject] });
}

const DEFAULT_MIME: Record<string, string> = {
  image: "image/jpeg",
  audio: "audio/ogg; codecs=opus",
  video: "video/mp4",
  document: "application/pdf",
};

/** An inbound `messages` webhook; media bytes are stored so fetchMedia can download them. */
export function metaInboundBody(state: SimulatorState, input: InboundInput): { body: unknown; id: string } {
  const from = normalizePhone(input.from)?.key ?? input.from.replace(/\D/g, "");
  const type = input.type ?? "text";
  const id = input.id ?? wamid();
  const message: Record<string, unknown> = { from, id, timestamp: String(input.at ?? nowSeconds()), type };
  if (input.bsuid) message.from_user_id = input.bsuid;
  if (input.replyTo) message.context = { from: DISPLAY_PHONE, id: input.replyTo };
  if (type === "text") message.text = { body: input.body ?? "" };
  else if (type === "location") message.location = input.location ?? { latitude: -23.5505199, longitude: -46.6333094 };
  else if (type === "reaction") message.reaction = { message_id: input.reactionTo ?? "", emoji: input.body ?? "👍" };
  else if (type === "button") message.button = { payload: input.replyId ?? input.body ?? "", text: input.body ?? "" };
  else if (type === "interactive") {
    const choice = { id: input.replyId ?? "", title: input.body ?? "" };
    message.interactive =
      input.replyKind === "list"
        ? { type: "list_reply", list_reply: choice }
        : { type: "button_reply", button_reply: choice };
  } else {
    const mediaId = metaMediaId();
    const bytes = new Uint8Array(Buffer.from(input.media?.base64 ?? "c2ltdWxhdGVk", "base64"));
    const mimeType = input.media?.mimeType ?? DEFAULT_MIME[type] ?? "application/octet-stream";
    state.media.set(mediaId, { bytes, mimeType, fileName: input.media?.fileName });
    const object: Record<string, unknown> = {
      mime_type: mimeType,
      sha256: createHash("sha256").update(bytes).digest("base64"),
      id: mediaId,
      url: `${state.url}/whatsapp_business/attachments/?mid=${mediaId}`,
    };
    if (input.body && type !== "audio") object.caption = input.body;
    if (type === "document") object.filename = input.media?.fileName ?? "arquivo.pdf";
    if (type === "audio") object.voice = true;
    message[type] = object;
  }
  const contact: Record<string, unknown> = { profile: { name: input.name ?? "Cliente Simulado" }, wa_id: from };
  if (input.bsuid) contact.user_id = input.bsuid;
  const phoneNumberId = state.meta.phoneNumberId ?? DEFAULT_PHONE_NUMBER_ID;
  return { body: metaEnvelope(state, phoneNumberId, { contacts: [contact], messages: [message] }), id };
}
