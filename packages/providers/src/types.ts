/**
 * Terminology
 *
 * - provider: the WhatsApp gateway behind a service instance — "META" (the official
 *   Cloud API, Graph endpoints) or "EVOLUTION" (Evolution API v2 over WhatsApp Web).
 * - provider message id: the id the provider gives a message and repeats in every
 *   status webhook — Meta `wamid.…`, Evolution `key.id` (= `messages.update.keyId`).
 * - wa_id: the digits WhatsApp uses for a user; Meta may rewrite Brazilian numbers
 *   (ninth digit), so the wa_id returned by a send is the number to keep.
 * - BSUID: Meta's business-scoped user id (`user_id`, e.g. `BR.1502…`), sent since 2026;
 *   users who hide their number arrive with only this.
 * - JID: Evolution/WhatsApp Web address, `<digits>@s.whatsapp.net` (phone), `<digits>@lid`
 *   (opaque linked id, not a phone) or `<id>@g.us` (group).
 * - event: one normalised fact parsed from a webhook (inbound message, status change,
 *   connection change, QR code). One webhook POST may carry many events.
 */

export type ProviderKind = "META" | "EVOLUTION";

export type InboundMessageType =
  | "text"
  | "image"
  | "audio"
  | "video"
  | "document"
  | "sticker"
  | "location"
  | "reaction"
  | "interactive"
  | "button"
  | "template"
  | "contacts"
  | "order"
  | "system"
  | "unsupported"
  | "edit"
  | "revoke"
  | "unknown";

/** Who sent the message (or, when `fromMe`, the customer's side of the chat). */
export interface MessageSender {
  /** E.164 with `+`, canonical (Brazilian mobiles with the ninth digit). */
  phone?: string;
  /** Meta `wa_id` exactly as received: the id Meta routes replies to. */
  waId?: string;
  /** Meta business-scoped user id; may be the only identifier present. */
  bsuid?: string;
  /** Evolution phone JID (`…@s.whatsapp.net`). */
  jid?: string;
  /** Evolution linked id (`…@lid`); not a phone number. */
  lid?: string;
  name?: string;
}

export interface InboundMedia {
  /** Meta media id, or for Evolution the message key id (fetch via getBase64FromMediaMessage). */
  providerMediaId?: string;
  url?: string;
  mimeType?: string;
  fileName?: string;
  caption?: string;
  /** Present when Evolution was configured with `base64: true`. */
  base64?: string;
  /** Audio recorded as a voice note (Meta `voice`, Evolution `ptt`). */
  voice?: boolean;
}

export interface InboundLocation {
  latitude: number;
  longitude: number;
  name?: string;
  address?: string;
  url?: string;
}

/** A shared contact card (Meta `contacts[]`, Evolution vCard): the person shared, not the sender. */
export interface SharedContact {
  name: string;
  phones: Array<{ phone: string; waId?: string; type?: string }>;
  emails?: string[];
  company?: string;
}

export interface InboundOrder {
  catalogId?: string;
  text?: string;
  items: Array<{ productId: string; quantity: number; price: number; currency: string }>;
}

/** A WhatsApp Flow's answers (`nfm_reply`): `fields` are the flow's own keys, minus `flow_token`. */
export interface FlowReply {
  name?: string;
  body?: string;
  flowToken?: string;
  fields: Record<string, string>;
}

/** Click-to-WhatsApp ad the conversation started from (Meta `referral`). */
export interface AdReferral {
  sourceId?: string;
  sourceType?: string;
  sourceUrl?: string;
  headline?: string;
  body?: string;
  mediaType?: string;
  ctwaClid?: string;
}

export interface InboundMessage {
  kind: "message";
  providerMessageId: string;
  from: MessageSender;
  timestamp: Date;
  type: InboundMessageType;
  /** Text, caption, or the title of the chosen button/list row. */
  body?: string;
  media?: InboundMedia;
  location?: InboundLocation;
  /** Empty emoji means the reaction was removed. */
  reaction?: { emoji: string; targetProviderMessageId: string };
  /** Button / list reply: `id` is the payload the business defined. */
  reply?: { id: string; title: string; description?: string };
  replyToProviderMessageId?: string;
  contacts?: SharedContact[];
  order?: InboundOrder;
  flow?: FlowReply;
  /** Meta `call_permission_reply`: the customer allowed (or not) the business to call. */
  callPermission?: { response: string; expiresAt?: Date };
  /** Meta `system`: `user_changed_number` (`newWaId` is the customer's new id) and the like. */
  system?: { type: string; body: string; newWaId?: string; newUserId?: string };
  /** Meta `unsupported`: what WhatsApp could not deliver (`unsupported.type`, error code). */
  unsupported?: { type?: string; code?: string; title?: string };
  /** An edit of an earlier message: its new text (absent when the provider did not say). */
  edit?: { targetProviderMessageId?: string; body?: string };
  /** The customer deleted an earlier message for everyone. */
  revoke?: { targetProviderMessageId: string };
  referral?: AdReferral;
  /** True for messages the business itself sent (Evolution echoes, phone-typed messages). */
  fromMe?: boolean;
}

export type DeliveryStatus = "sent" | "delivered" | "read" | "failed" | "played";

export interface StatusUpdate {
  kind: "status";
  providerMessageId: string;
  status: DeliveryStatus;
  timestamp: Date;
  /** Recipient digits / JID as the provider reported them. */
  recipient?: string;
  recipientBsuid?: string;
  /** Meta `biz_opaque_callback_data` echoed from the send. */
  callbackData?: string;
  /** `code` uses the same convention as ProviderError.code (Meta code as a string). */
  error?: { code: string; message: string };
}

export interface ConnectionUpdate {
  kind: "connection";
  state: "open" | "connecting" | "close";
  /** Provider reason code (Baileys DisconnectReason for Evolution, e.g. "401" = logged out). */
  reason?: string;
  /** Connected number (E.164) when the provider says so on `open`. */
  phone?: string;
  profileName?: string;
}

export interface QrUpdate {
  kind: "qr";
  /** `data:image/png;base64,…` ready for an <img src>. */
  qrBase64?: string;
  code?: string;
  pairingCode?: string;
}

export type WebhookEvent = InboundMessage | StatusUpdate | ConnectionUpdate | QrUpdate;
