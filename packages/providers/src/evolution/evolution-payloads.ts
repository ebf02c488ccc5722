import type {
  ContactCardInput,
  CreateInstanceInput,
  LocationInput,
  MediaInput,
  ReactionInput,
  SendOptions,
} from "../adapter";
import { toEvolutionNumber } from "../phone";

/** Request bodies for Evolution API v2 routes, shaped like the reference fixtures. */
type Body = Record<string, unknown>;

/** Bare digits become a phone JID; JIDs (`@lid`, `@g.us`…) pass through. */
export function toJid(to: string): string {
  return to.includes("@") ? to : `${toEvolutionNumber(to)}@s.whatsapp.net`;
}

function common(to: string, options: SendOptions | undefined): { number: string; extra: Body } {
  const extra: Body = {};
  if (options?.delayMs !== undefined) extra.delay = options.delayMs;
  const reply = typeof options?.replyTo === "string" ? { providerMessageId: options.replyTo } : options?.replyTo;
  if (reply) {
    // Evolution quotes by key; without remoteJid it looks in the recipient's chat.
    const quoted: Body = {
      key: { id: reply.providerMessageId, remoteJid: reply.remoteJid ?? toJid(to), fromMe: reply.fromMe ?? false },
    };
    if (reply.body !== undefined) quoted.message = { conversation: reply.body };
    extra.quoted = quoted;
  }
  return { number: toEvolutionNumber(to), extra };
}

export function evolutionTextBody(to: string, text: string, options?: SendOptions): Body {
  const { number, extra } = common(to, options);
  const body: Body = { number, text, ...extra };
  if (options?.previewUrl !== undefined) body.linkPreview = options.previewUrl;
  return body;
}

export function evolutionMediaBody(to: string, media: MediaInput, options?: SendOptions): Body {
  const source = media.link ?? media.base64;
  if (!source) throw new TypeError("Evolution media needs a link or base64 content");
  const { number, extra } = common(to, options);
  const body: Body = { number, mediatype: media.kind };
  if (media.mimeType) body.mimetype = media.mimeType;
  if (media.caption) body.caption = media.caption;
  if (media.fileName) body.fileName = media.fileName;
  body.media = source;
  return { ...body, ...extra };
}

export function evolutionAudioBody(to: string, audio: { link?: string; base64?: string }, options?: SendOptions): Body {
  const source = audio.link ?? audio.base64;
  if (!source) throw new TypeError("Evolution audio needs a link or base64 content");
  const { number, extra } = common(to, options);
  return { number, audio: source, ...extra };
}

export function evolutionStickerBody(
  to: string,
  sticker: { link?: string; base64?: string },
  options?: SendOptions,
): Body {
  const source = sticker.link ?? sticker.base64;
  if (!source) throw new TypeError("Evolution sticker needs a link or base64 content");
  const { number, extra } = common(to, options);
  return { number, sticker: source, ...extra };
}

/** Evolution's schema requires name and address: an unnamed pin gets neutral words. */
export function evolutionLocationBody(to: string, location: LocationInput, options?: SendOptions): Body {
  const { number, extra } = common(to, options);
  return {
    number,
    latitude: location.latitude,
    longitude: location.longitude,
    name: location.name || "Localização",
    address: location.address || " ",
    ...extra,
  };
}

/** `wuid` is always sent: without it Evolution writes a JID into the vCard's waid. */
export function evolutionContactBody(to: string, cards: ContactCardInput[]): Body {
  const contact = cards.map((card) => {
    const first = card.phones[0];
    const entry: Body = {
      fullName: card.name,
      wuid: first?.waId ?? toEvolutionNumber(first?.phone ?? ""),
      phoneNumber: first?.phone ?? "",
    };
    if (card.organization) entry.organization = card.organization;
    if (card.email) entry.email = card.email;
    return entry;
  });
  return { number: toEvolutionNumber(to), contact };
}

/** No `number`: the chat is the key's remoteJid; `fromMe` tells whose message is reacted to. */
export function evolutionReactionBody(to: string, reaction: ReactionInput): Body {
  const { target } = reaction;
  return {
    key: { remoteJid: target.remoteJid ?? toJid(to), fromMe: target.fromMe ?? false, id: target.providerMessageId },
    reaction: reaction.emoji,
  };
}

export function evolutionPresenceBody(to: string, delayMs: number): Body {
  return { number: toEvolutionNumber(to), presence: "composing", delay: delayMs };
}

export function evolutionWebhookBody(url: string, events: string[], headers?: Record<string, string>): Body {
  const webhook: Body = { enabled: true, url };
  if (headers) webhook.headers = headers;
  return { webhook: { ...webhook, byEvents: false, base64: false, events } };
}

export function evolutionCreateBody(instanceName: string, input: CreateInstanceInput): Body {
  const body: Body = { instanceName, integration: "WHATSAPP-BAILEYS" };
  if (input.token) body.token = input.token;
  if (input.qrcode !== undefined) body.qrcode = input.qrcode;
  Object.assign(body, input.settings ?? {});
  if (input.webhook) {
    const { url, events, headers, base64 } = input.webhook;
    const webhook: Body = { url, byEvents: false, base64: base64 ?? false };
    if (headers) webhook.headers = headers;
    // Evolution reads events.length, so always send the array ([] = all events).
    body.webhook = { ...webhook, events };
  }
  return body;
}
