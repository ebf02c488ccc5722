import type {
  CreateInstanceInput,
  FetchedMedia,
  MarkReadOptions,
  MediaInput,
  ProviderAdapter,
  QrCode,
  SendOptions,
  SendResult,
  TemplateInput,
} from "../adapter";
import { ProviderError } from "../errors";
import { callProvider, DEFAULT_TIMEOUT_MS } from "../http";
import { toEvolutionNumber } from "../phone";
import type { ConnectionUpdate } from "../types";
import { classifyEvolutionError } from "./evolution-errors";
import {
  evolutionAudioBody,
  evolutionCreateBody,
  evolutionMediaBody,
  evolutionTextBody,
  evolutionWebhookBody,
  toJid,
} from "./evolution-payloads";
import { qrOf, toSendResult } from "./evolution-responses";

export interface EvolutionConfig {
  baseUrl: string;
  /** Instance token, or the global key (required for createInstance). */
  apiKey: string;
  instanceName: string;
  timeoutMs?: number;
}

function invalid(code: string, message: string): ProviderError {
  return new ProviderError({ provider: "EVOLUTION", code, retryable: false, providerMessage: message });
}

/** Evolution API v2 (Baileys) adapter for one instance. */
export class EvolutionAdapter implements ProviderAdapter {
  readonly kind = "EVOLUTION" as const;
  private readonly base: string;
  private readonly instance: string;

  constructor(private readonly config: EvolutionConfig) {
    this.base = config.baseUrl.replace(/\/+$/, "");
    this.instance = encodeURIComponent(config.instanceName);
  }

  private request(method: "GET" | "POST" | "DELETE", path: string, body?: unknown): Promise<unknown> {
    return callProvider({
      provider: "EVOLUTION",
      method,
      url: `${this.base}/${path}`,
      headers: { apikey: this.config.apiKey },
      body,
      timeoutMs: this.config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      classify: classifyEvolutionError,
    });
  }

  async sendText(to: string, body: string, options?: SendOptions): Promise<SendResult> {
    return toSendResult(
      await this.request("POST", `message/sendText/${this.instance}`, evolutionTextBody(to, body, options)),
    );
  }

  /** Audio goes out as a voice note (sendWhatsAppAudio), which is what chat users expect. */
  async sendMedia(to: string, media: MediaInput, options?: SendOptions): Promise<SendResult> {
    if (media.kind === "audio") return this.sendAudio(to, media, options);
    const body = evolutionMediaBody(to, media, options);
    return toSendResult(await this.request("POST", `message/sendMedia/${this.instance}`, body));
  }

  async sendAudio(to: string, audio: { link?: string; base64?: string }, options?: SendOptions): Promise<SendResult> {
    const body = evolutionAudioBody(to, audio, options);
    return toSendResult(await this.request("POST", `message/sendWhatsAppAudio/${this.instance}`, body));
  }

  /** WhatsApp Web has no templates: the caller renders the text, we send it as text. */
  sendTemplate(to: string, template: TemplateInput, options?: SendOptions): Promise<SendResult> {
    if (!template.renderedBody) {
      return Promise.reject(
        invalid("TEMPLATE_NOT_RENDERED", `template ${template.name} needs renderedBody on Evolution`),
      );
    }
    return this.sendText(to, template.renderedBody, options);
  }

  async markRead(providerMessageId: string, options?: MarkReadOptions): Promise<void> {
    if (!options?.chat) throw invalid("MISSING_CHAT", "Evolution markRead needs the chat (phone or JID)");
    const readMessages = [{ remoteJid: toJid(options.chat), fromMe: false, id: providerMessageId }];
    await this.request("POST", `chat/markMessageAsRead/${this.instance}`, { readMessages });
  }

  /** `providerMediaId` is the message key id; Evolution must have stored the message. */
  async fetchMedia(providerMediaId: string): Promise<FetchedMedia> {
    const body = { message: { key: { id: providerMediaId } }, convertToMp4: false };
    const response = (await this.request("POST", `chat/getBase64FromMediaMessage/${this.instance}`, body)) as
      | { base64?: unknown; mimetype?: unknown; fileName?: unknown }
      | undefined;
    if (typeof response?.base64 !== "string") throw invalid("BAD_RESPONSE", "media response without base64");
    const media: FetchedMedia = {
      bytes: new Uint8Array(Buffer.from(response.base64, "base64")),
      mimeType: typeof response.mimetype === "string" ? response.mimetype : "application/octet-stream",
    };
    if (typeof response.fileName === "string") media.fileName = response.fileName;
    return media;
  }

  /** Needs the global API key as `apiKey`. */
  async createInstance(input: CreateInstanceInput = {}): Promise<{ instanceId?: string; token?: string; qr?: QrCode }> {
    const response = (await this.request(
      "POST",
      "instance/create",
      evolutionCreateBody(this.config.instanceName, input),
    )) as { instance?: { instanceId?: unknown }; hash?: unknown; qrcode?: unknown } | undefined;
    const result: { instanceId?: string; token?: string; qr?: QrCode } = {};
    if (typeof response?.instance?.instanceId === "string") result.instanceId = response.instance.instanceId;
    if (typeof response?.hash === "string") result.token = response.hash;
    const qr = qrOf(response?.qrcode);
    if (qr) result.qr = qr;
    return result;
  }

  /** A QR code to scan, or the connection state when the instance is already open. */
  async connect(): Promise<QrCode | ConnectionUpdate> {
    const response = await this.request("GET", `instance/connect/${this.instance}`);
    const qr = qrOf(response);
    if (qr) return qr;
    return { kind: "connection", state: await this.connectionState() };
  }

  async connectionState(): Promise<ConnectionUpdate["state"]> {
    const response = (await this.request("GET", `instance/connectionState/${this.instance}`)) as
      | { instance?: { state?: unknown } }
      | undefined;
    const state = response?.instance?.state;
    return state === "open" || state === "connecting" ? state : "close";
  }

  /** Which numbers have WhatsApp, and under which JID (BR numbers may lack the ninth digit). */
  async checkNumbers(numbers: string[]): Promise<Array<{ number: string; exists: boolean; jid: string }>> {
    const body = { numbers: numbers.map((n) => toEvolutionNumber(n)) };
    const response = await this.request("POST", `chat/whatsappNumbers/${this.instance}`, body);
    if (!Array.isArray(response)) throw invalid("BAD_RESPONSE", "whatsappNumbers did not return a list");
    return response.map((item: { number?: unknown; exists?: unknown; jid?: unknown }) => ({
      number: String(item.number ?? ""),
      exists: item.exists === true,
      jid: String(item.jid ?? ""),
    }));
  }

  /** Removes the instance on the Evolution server (logs out first when needed). */
  async deleteInstance(): Promise<void> {
    await this.request("DELETE", `instance/delete/${this.instance}`);
  }

  async logout(): Promise<void> {
    await this.request("DELETE", `instance/logout/${this.instance}`);
  }

  async setWebhook(url: string, events: string[], headers?: Record<string, string>): Promise<void> {
    await this.request("POST", `webhook/set/${this.instance}`, evolutionWebhookBody(url, events, headers));
  }
}
