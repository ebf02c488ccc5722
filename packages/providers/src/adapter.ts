import type { MediaFetchOptions } from "./media-download";
import type { ConnectionUpdate, ProviderKind } from "./types";

/** What every send returns. Keep `waId`: Meta may have rewritten the number (BR ninth digit). */
export interface SendResult {
  providerMessageId: string;
  waId?: string;
  /** Evolution: the JID WhatsApp actually used (may differ from the number sent). */
  remoteJid?: string;
}

/** A message being quoted. Evolution needs the chat JID and direction to quote; Meta only the id. */
export interface ReplyTarget {
  providerMessageId: string;
  remoteJid?: string;
  fromMe?: boolean;
  /** Text of the quoted message; Evolution shows it in the quote bubble. */
  body?: string;
}

export interface SendOptions {
  replyTo?: string | ReplyTarget;
  /** Meta `text.preview_url` / Evolution `linkPreview`; omitted from the request when undefined. */
  previewUrl?: boolean;
  /** Meta `biz_opaque_callback_data`, echoed back in status webhooks. */
  callbackData?: string;
  /** Evolution `delay` in ms (shows "typing…" first). */
  delayMs?: number;
}

export type MediaKind = "image" | "audio" | "video" | "document" | "sticker";

/** Exactly one of link / mediaId (Meta upload) / base64 (Evolution) must be given. */
export interface MediaInput {
  kind: MediaKind;
  link?: string;
  mediaId?: string;
  base64?: string;
  mimeType?: string;
  caption?: string;
  fileName?: string;
  /** Audio recorded as a voice note (OGG/Opus): Meta `voice: true`, Evolution sendWhatsAppAudio. */
  voice?: boolean;
}

export interface LocationInput {
  latitude: number;
  longitude: number;
  name?: string;
  address?: string;
}

/** One shared contact card. `waId` (digits) lets the customer message or save it in one tap. */
export interface ContactCardInput {
  name: string;
  phones: Array<{ phone: string; waId?: string; type?: string }>;
  email?: string;
  organization?: string;
}

/** A reaction to `target`; an empty emoji removes the one we set before. */
export interface ReactionInput {
  target: ReplyTarget;
  emoji: string;
}

export interface TemplateInput {
  name: string;
  /** e.g. "pt_BR" */
  language: string;
  /** Meta components, sent as-is. */
  components?: unknown[];
  /** Already-rendered text: what Evolution (no templates) sends instead. */
  renderedBody?: string;
}

/**
 * A choice for the customer: reply buttons (Meta: at most 3, titles ≤ 20 characters) or a
 * list (Meta: at most 10 rows, titles ≤ 24). Providers without interactive messages get
 * `fallbackText` (the options numbered) instead.
 */
export interface InteractiveInput {
  kind: "buttons" | "list";
  body: string;
  /** List only: the label of the button that opens the list (≤ 20 characters). */
  button?: string;
  options: Array<{ id: string; title: string }>;
  fallbackText: string;
}

/** A media download in progress: read `body` once (it is bounded by the fetch options). */
export interface FetchedMedia {
  body: AsyncIterable<Uint8Array>;
  mimeType: string;
  fileName?: string;
}

export interface MarkReadOptions {
  /** Chat of the message (phone or JID): Evolution needs it, Meta ignores it. */
  chat?: string;
  /** Meta: also show "typing…" to the customer. */
  typingIndicator?: boolean;
  /** Evolution: earlier unread messages of the chat, marked read in the same call (Meta marks them itself). */
  earlier?: string[];
}

export interface TypingOptions {
  /** Meta shows "typing…" only as part of marking a customer's message read: its id. */
  lastInboundId?: string;
  /** Evolution: how long the presence is held (the call blocks that long). */
  durationMs?: number;
}

export interface QrCode {
  qrBase64?: string;
  code?: string;
  pairingCode?: string;
}

export interface WebhookConfig {
  url: string;
  /** UPPER_SNAKE Evolution event names; [] means all. */
  events: string[];
  headers?: Record<string, string>;
}

/**
 * The provider port: the union of capabilities. Evolution-only lifecycle methods are
 * optional, so callers check for them (`adapter.connect?.()`).
 */
export interface ProviderAdapter {
  readonly kind: ProviderKind;
  sendText(to: string, body: string, options?: SendOptions): Promise<SendResult>;
  sendMedia(to: string, media: MediaInput, options?: SendOptions): Promise<SendResult>;
  sendTemplate(to: string, template: TemplateInput, options?: SendOptions): Promise<SendResult>;
  sendLocation(to: string, location: LocationInput, options?: SendOptions): Promise<SendResult>;
  sendContacts(to: string, contacts: ContactCardInput[], options?: SendOptions): Promise<SendResult>;
  sendReaction(to: string, reaction: ReactionInput, options?: SendOptions): Promise<SendResult>;
  /** Reply buttons or a list (Meta); providers without it send `fallbackText` as text. */
  sendInteractive?(to: string, input: InteractiveInput, options?: SendOptions): Promise<SendResult>;
  markRead(providerMessageId: string, options?: MarkReadOptions): Promise<void>;
  /** Shows "typing…" to the customer for a while. */
  sendTyping(to: string, options?: TypingOptions): Promise<void>;
  fetchMedia(providerMediaId: string, options?: MediaFetchOptions): Promise<FetchedMedia>;
  uploadMedia?(bytes: Uint8Array, mimeType: string, fileName: string): Promise<string>;
  sendAudio?(to: string, audio: { link?: string; base64?: string }, options?: SendOptions): Promise<SendResult>;
  createInstance?(input: CreateInstanceInput): Promise<{ instanceId?: string; token?: string; qr?: QrCode }>;
  connect?(): Promise<QrCode | ConnectionUpdate>;
  connectionState?(): Promise<ConnectionUpdate["state"]>;
  logout?(): Promise<void>;
  setWebhook?(url: string, events: string[], headers?: Record<string, string>): Promise<void>;
}

export interface CreateInstanceInput {
  token?: string;
  qrcode?: boolean;
  webhook?: WebhookConfig & { base64?: boolean };
  settings?: Partial<
    Record<"rejectCall" | "groupsIgnore" | "alwaysOnline" | "readMessages" | "readStatus" | "syncFullHistory", boolean>
  >;
}
