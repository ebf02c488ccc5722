import type {
  ContactCardInput,
  FetchedMedia,
  InteractiveInput,
  LocationInput,
  MarkReadOptions,
  MediaInput,
  ProviderAdapter,
  ReactionInput,
  SendOptions,
  SendResult,
  TemplateInput,
  TypingOptions,
} from "../adapter";
import { ProviderError } from "../errors";
import { callProvider, DEFAULT_TIMEOUT_MS } from "../http";
import { MEDIA_LIMITS, type MediaFetchOptions, openDownload, tooLarge } from "../media-download";
import {
  MAX_TEMPLATE_PAGES,
  type MetaPhoneInfo,
  type MetaTemplate,
  PHONE_INFO_FIELDS,
  phoneInfoOf,
  TEMPLATE_FIELDS,
  templatesPageOf,
} from "./meta-account";
import { classifyMetaError } from "./meta-errors";
import {
  metaButtonsBody,
  metaContactsBody,
  metaInteractiveBody,
  metaLocationBody,
  metaMediaBody,
  metaReactionBody,
  metaReadBody,
  metaTemplateBody,
  metaTextBody,
} from "./meta-payloads";

export interface MetaConfig {
  phoneNumberId: string;
  wabaId?: string;
  accessToken: string;
  appSecret: string;
  graphVersion?: string;
  baseUrl?: string;
  timeoutMs?: number;
}

function badResponse(detail: string): ProviderError {
  return new ProviderError({ provider: "META", code: "BAD_RESPONSE", retryable: false, providerMessage: detail });
}

/** Reads `messages[0].id` and `contacts[0].wa_id` (the number Meta actually used). */
function toSendResult(body: unknown): SendResult {
  const response = (typeof body === "object" && body !== null ? body : {}) as {
    messages?: Array<{ id?: unknown }>;
    contacts?: Array<{ wa_id?: unknown }>;
  };
  const id = response.messages?.[0]?.id;
  if (typeof id !== "string") throw badResponse("send response without messages[0].id");
  const waId = response.contacts?.[0]?.wa_id;
  return typeof waId === "string" ? { providerMessageId: id, waId } : { providerMessageId: id };
}

/** WhatsApp Cloud API adapter: one phone number id, one token. */
export class MetaAdapter implements ProviderAdapter {
  readonly kind = "META" as const;
  private readonly graph: string;
  private readonly timeoutMs: number;

  constructor(private readonly config: MetaConfig) {
    const base = (config.baseUrl ?? "https://graph.facebook.com").replace(/\/+$/, "");
    this.graph = `${base}/${config.graphVersion ?? "v23.0"}`;
    this.timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  private request(method: "GET" | "POST", path: string, body?: unknown): Promise<unknown> {
    return callProvider({
      provider: "META",
      method,
      url: `${this.graph}/${path}`,
      headers: { Authorization: `Bearer ${this.config.accessToken}` },
      body,
      timeoutMs: this.timeoutMs,
      classify: classifyMetaError,
    });
  }

  private async send(body: unknown): Promise<SendResult> {
    return toSendResult(await this.request("POST", `${this.config.phoneNumberId}/messages`, body));
  }

  sendText(to: string, body: string, options?: SendOptions): Promise<SendResult> {
    return this.send(metaTextBody(to, body, options));
  }

  sendMedia(to: string, media: MediaInput, options?: SendOptions): Promise<SendResult> {
    return this.send(metaMediaBody(to, media, options));
  }

  sendTemplate(to: string, template: TemplateInput, options?: SendOptions): Promise<SendResult> {
    return this.send(metaTemplateBody(to, template, options));
  }

  sendLocation(to: string, location: LocationInput, options?: SendOptions): Promise<SendResult> {
    return this.send(metaLocationBody(to, location, options));
  }

  sendContacts(to: string, contacts: ContactCardInput[], options?: SendOptions): Promise<SendResult> {
    return this.send(metaContactsBody(to, contacts, options));
  }

  sendReaction(to: string, reaction: ReactionInput, options?: SendOptions): Promise<SendResult> {
    return this.send(metaReactionBody(to, reaction, options));
  }

  /** Meta shows "typing…" only while marking a customer's message read (dismissed on reply or after ~25 s). */
  async sendTyping(_to: string, options?: TypingOptions): Promise<void> {
    if (!options?.lastInboundId) {
      throw new ProviderError({
        provider: "META",
        code: "MISSING_MESSAGE_ID",
        retryable: false,
        providerMessage: "Meta shows typing only for a message the customer sent",
      });
    }
    await this.markRead(options.lastInboundId, { typingIndicator: true });
  }

  /** Reply buttons or a list message; the choice comes back as an `interactive` message. */
  sendInteractive(to: string, input: InteractiveInput, options?: SendOptions): Promise<SendResult> {
    return this.send(metaInteractiveBody(to, input, options));
  }

  /** Up to 3 reply buttons; the customer's choice comes back as an `interactive` message. */
  sendButtons(
    to: string,
    text: string,
    buttons: Array<{ id: string; title: string }>,
    options?: SendOptions,
  ): Promise<SendResult> {
    return this.send(metaButtonsBody(to, text, buttons, options));
  }

  async markRead(providerMessageId: string, options?: MarkReadOptions): Promise<void> {
    await this.request(
      "POST",
      `${this.config.phoneNumberId}/messages`,
      metaReadBody(providerMessageId, options?.typingIndicator),
    );
  }

  /** The number's display name, quality rating and messaging limit; fails with 190 (token) or 100 (id). */
  async phoneNumberInfo(): Promise<MetaPhoneInfo> {
    const path = `${encodeURIComponent(this.config.phoneNumberId)}?fields=${PHONE_INFO_FIELDS}`;
    return phoneInfoOf(await this.request("GET", path));
  }

  /** Every template of the WhatsApp Business Account, following the `after` cursor page by page. */
  async listTemplates(): Promise<MetaTemplate[]> {
    if (!this.config.wabaId) throw badResponse("the WhatsApp Business Account id (wabaId) is not set");
    const all: MetaTemplate[] = [];
    let after: string | undefined;
    for (let page = 0; page < MAX_TEMPLATE_PAGES; page++) {
      const cursor = after ? `&after=${encodeURIComponent(after)}` : "";
      const path = `${encodeURIComponent(this.config.wabaId)}/message_templates?fields=${TEMPLATE_FIELDS}&limit=100${cursor}`;
      const result = templatesPageOf(await this.request("GET", path));
      all.push(...result.templates);
      after = result.after;
      if (!after) break;
    }
    return all;
  }

  /** Multipart upload; the returned id is valid for 30 days. */
  async uploadMedia(bytes: Uint8Array, mimeType: string, fileName: string): Promise<string> {
    const form = new FormData();
    form.set("messaging_product", "whatsapp");
    form.set("type", mimeType);
    // Copy into a plain ArrayBuffer: Blob (DOM typings) does not take a SharedArrayBuffer-backed view.
    form.set("file", new Blob([new Uint8Array(bytes)], { type: mimeType }), fileName);
    const body = (await this.request("POST", `${this.config.phoneNumberId}/media`, form)) as
      | { id?: unknown }
      | undefined;
    if (typeof body?.id !== "string") throw badResponse("upload response without id");
    return body.id;
  }

  /** Media URLs expire after 5 minutes, so resolve and download in one go. */
  /** Looks the media id up, then streams the file with the same token, within `options`' bounds. */
  async fetchMedia(mediaId: string, options: MediaFetchOptions = {}): Promise<FetchedMedia> {
    const maxBytes = options.maxBytes ?? MEDIA_LIMITS.document;
    const query = `?phone_number_id=${encodeURIComponent(this.config.phoneNumberId)}`;
    const meta = (await this.request("GET", `${encodeURIComponent(mediaId)}${query}`)) as
      | { url?: unknown; mime_type?: unknown; file_size?: unknown }
      | undefined;
    if (typeof meta?.url !== "string") throw badResponse("media response without url");
    if (Number(meta.file_size) > maxBytes) throw tooLarge("META", maxBytes);
    const { body, contentType } = await openDownload({
      provider: "META",
      url: meta.url,
      headers: { Authorization: `Bearer ${this.config.accessToken}` },
      timeoutMs: options.timeoutMs ?? this.timeoutMs,
      classify: classifyMetaError,
      maxBytes,
      maxRedirects: options.maxRedirects ?? 3,
    });
    const mimeType = typeof meta.mime_type === "string" ? meta.mime_type : (contentType ?? "application/octet-stream");
    return { body, mimeType };
  }
}
