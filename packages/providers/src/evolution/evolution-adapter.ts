import type {
  ContactCardInput,
  FetchedMedia,
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
import { DEFAULT_TIMEOUT_MS } from "../http";
import { bodyOf, collectBytes, MEDIA_LIMITS, type MediaFetchOptions, openDownload, tooLarge } from "../media-download";
import { classifyEvolutionError } from "./evolution-errors";
import { type EvolutionConfig, EvolutionInstanceApi, invalid } from "./evolution-instance-api";
import {
  evolutionAudioBody,
  evolutionContactBody,
  evolutionLocationBody,
  evolutionMediaBody,
  evolutionPresenceBody,
  evolutionReactionBody,
  evolutionStickerBody,
  evolutionTextBody,
  toJid,
} from "./evolution-payloads";
import { toSendResult } from "./evolution-responses";

export type { EvolutionConfig };

/** Evolution API v2 (Baileys) adapter for one instance. */
export class EvolutionAdapter extends EvolutionInstanceApi implements ProviderAdapter {
  readonly kind = "EVOLUTION" as const;

  async sendText(to: string, body: string, options?: SendOptions): Promise<SendResult> {
    return toSendResult(
      await this.request("POST", `message/sendText/${this.instance}`, evolutionTextBody(to, body, options)),
    );
  }

  /** A voice note goes through sendWhatsAppAudio (arrives as a recorded voice message); stickers have their own route. */
  async sendMedia(to: string, media: MediaInput, options?: SendOptions): Promise<SendResult> {
    if (media.kind === "audio" && media.voice) return this.sendAudio(to, media, options);
    if (media.kind === "sticker") {
      const body = evolutionStickerBody(to, media, options);
      return toSendResult(await this.request("POST", `message/sendSticker/${this.instance}`, body));
    }
    const body = evolutionMediaBody(to, media, options);
    return toSendResult(await this.request("POST", `message/sendMedia/${this.instance}`, body));
  }

  async sendAudio(to: string, audio: { link?: string; base64?: string }, options?: SendOptions): Promise<SendResult> {
    const body = evolutionAudioBody(to, audio, options);
    return toSendResult(await this.request("POST", `message/sendWhatsAppAudio/${this.instance}`, body));
  }

  async sendLocation(to: string, location: LocationInput, options?: SendOptions): Promise<SendResult> {
    const body = evolutionLocationBody(to, location, options);
    return toSendResult(await this.request("POST", `message/sendLocation/${this.instance}`, body));
  }

  async sendContacts(to: string, contacts: ContactCardInput[]): Promise<SendResult> {
    const body = evolutionContactBody(to, contacts);
    return toSendResult(await this.request("POST", `message/sendContact/${this.instance}`, body));
  }

  async sendReaction(to: string, reaction: ReactionInput): Promise<SendResult> {
    const body = evolutionReactionBody(to, reaction);
    return toSendResult(await this.request("POST", `message/sendReaction/${this.instance}`, body));
  }

  /** Presence "composing": Evolution holds the call for `durationMs`, then sends "paused". */
  async sendTyping(to: string, options?: TypingOptions): Promise<void> {
    const body = evolutionPresenceBody(to, options?.durationMs ?? 3000);
    await this.request("POST", `chat/sendPresence/${this.instance}`, body);
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
    const remoteJid = toJid(options.chat);
    const ids = [...(options.earlier ?? []), providerMessageId];
    const readMessages = ids.map((id) => ({ remoteJid, fromMe: false, id }));
    await this.request("POST", `chat/markMessageAsRead/${this.instance}`, { readMessages });
  }

  /** `providerMediaId` is the message key id; Evolution must have stored the message. */
  /**
   * Evolution answers the file as base64 inside JSON: the answer is read within a cap
   * (the file's limit, in base64, plus room for the envelope) and decoded once.
   */
  async fetchMedia(providerMediaId: string, options: MediaFetchOptions = {}): Promise<FetchedMedia> {
    const maxBytes = options.maxBytes ?? MEDIA_LIMITS.document;
    const { body } = await openDownload({
      provider: "EVOLUTION",
      method: "POST",
      url: `${this.base}/chat/getBase64FromMediaMessage/${this.instance}`,
      headers: { apikey: this.config.apiKey },
      body: { message: { key: { id: providerMediaId } }, convertToMp4: false },
      timeoutMs: options.timeoutMs ?? this.config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      classify: classifyEvolutionError,
      maxBytes: Math.ceil(maxBytes / 3) * 4 + 64 * 1024,
      maxRedirects: options.maxRedirects ?? 3,
    });
    let response: { base64?: unknown; mimetype?: unknown; fileName?: unknown } | undefined;
    try {
      response = JSON.parse(Buffer.from(await collectBytes(body)).toString("utf8"));
    } catch (err) {
      if (err instanceof ProviderError) throw err;
      throw invalid("BAD_RESPONSE", "media response is not JSON");
    }
    if (typeof response?.base64 !== "string") throw invalid("BAD_RESPONSE", "media response without base64");
    const bytes = Buffer.from(response.base64, "base64");
    if (bytes.length > maxBytes) throw tooLarge("EVOLUTION", maxBytes);
    const media: FetchedMedia = {
      body: bodyOf(new Uint8Array(bytes)),
      mimeType: typeof response.mimetype === "string" ? response.mimetype : "application/octet-stream",
    };
    if (typeof response.fileName === "string") media.fileName = response.fileName;
    return media;
  }
}
