import type {
  FetchedMedia,
  MarkReadOptions,
  MediaInput,
  ProviderAdapter,
  SendOptions,
  SendResult,
  TemplateInput,
} from "../adapter";
import { ProviderError } from "../errors";
import { callProvider, DEFAULT_TIMEOUT_MS, downloadBytes } from "../http";
import { classifyMetaError } from "./meta-errors";
import { metaButtonsBody, metaMediaBody, metaReadBody, metaTemplateBody, metaTextBody } from "./meta-payloads";

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
  async fetchMedia(mediaId: string): Promise<FetchedMedia> {
    const query = `?phone_number_id=${encodeURIComponent(this.config.phoneNumberId)}`;
    const meta = (await this.request("GET", `${encodeURIComponent(mediaId)}${query}`)) as
      | { url?: unknown; mime_type?: unknown }
      | undefined;
    if (typeof meta?.url !== "string") throw badResponse("media response without url");
    const { bytes, contentType } = await downloadBytes({
      provider: "META",
      url: meta.url,
      headers: { Authorization: `Bearer ${this.config.accessToken}` },
      timeoutMs: this.timeoutMs,
      classify: classifyMetaError,
    });
    const mimeType = typeof meta.mime_type === "string" ? meta.mime_type : (contentType ?? "application/octet-stream");
    return { bytes, mimeType };
  }
}
