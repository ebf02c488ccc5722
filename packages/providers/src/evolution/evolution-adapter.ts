import type {
  FetchedMedia,
  MarkReadOptions,
  MediaInput,
  ProviderAdapter,
  SendOptions,
  SendResult,
  TemplateInput,
} from "../adapter";
import { type EvolutionConfig, EvolutionInstanceApi, invalid } from "./evolution-instance-api";
import { evolutionAudioBody, evolutionMediaBody, evolutionTextBody, toJid } from "./evolution-payloads";
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
}
