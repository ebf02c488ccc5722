import type {
  ContactCardInput,
  InteractiveInput,
  LocationInput,
  MediaInput,
  ReactionInput,
  SendOptions,
  TemplateInput,
} from "../adapter";
import { toMetaRecipient } from "../phone";

/** Request bodies for POST /{phone-number-id}/messages, shaped like the reference fixtures. */
type Body = Record<string, unknown>;

/** BSUIDs look like `BR.1502576394655843`; Meta takes them in `recipient` instead of `to`. */
const BSUID = /^[A-Z]{2}\.\d+$/;

function envelope(to: string, options: SendOptions | undefined): Body {
  const body: Body = { messaging_product: "whatsapp", recipient_type: "individual" };
  if (BSUID.test(to)) body.recipient = to;
  else body.to = toMetaRecipient(to);
  const replyTo = typeof options?.replyTo === "string" ? options.replyTo : options?.replyTo?.providerMessageId;
  if (replyTo) body.context = { message_id: replyTo };
  return body;
}

function withCallback(body: Body, options: SendOptions | undefined): Body {
  if (options?.callbackData !== undefined) body.biz_opaque_callback_data = options.callbackData;
  return body;
}

export function metaTextBody(to: string, text: string, options?: SendOptions): Body {
  const textObject: Body = {};
  if (options?.previewUrl !== undefined) textObject.preview_url = options.previewUrl;
  textObject.body = text;
  return withCallback({ ...envelope(to, options), type: "text", text: textObject }, options);
}

export function metaMediaBody(to: string, media: MediaInput, options?: SendOptions): Body {
  const object: Body = {};
  if (media.mediaId) object.id = media.mediaId;
  else if (media.link) object.link = media.link;
  else throw new TypeError("Meta media needs a link or an uploaded mediaId");
  // Audio and stickers take no caption; only documents carry a file name; `voice` makes a voice note.
  if (media.kind === "document" && media.fileName) object.filename = media.fileName;
  if (media.kind !== "audio" && media.kind !== "sticker" && media.caption) object.caption = media.caption;
  if (media.kind === "audio" && media.voice) object.voice = true;
  return withCallback({ ...envelope(to, options), type: media.kind, [media.kind]: object }, options);
}

export function metaTemplateBody(to: string, template: TemplateInput, options?: SendOptions): Body {
  const object: Body = { name: template.name, language: { code: template.language } };
  if (template.components && template.components.length > 0) object.components = template.components;
  return withCallback({ ...envelope(to, options), type: "template", template: object }, options);
}

export function metaReadBody(providerMessageId: string, typingIndicator?: boolean): Body {
  const body: Body = { messaging_product: "whatsapp", status: "read", message_id: providerMessageId };
  if (typingIndicator) body.typing_indicator = { type: "text" };
  return body;
}

export function metaButtonsBody(
  to: string,
  text: string,
  buttons: Array<{ id: string; title: string }>,
  options?: SendOptions,
): Body {
  const action = { buttons: buttons.map((reply) => ({ type: "reply", reply: { id: reply.id, title: reply.title } })) };
  const interactive = { type: "button", body: { text }, action };
  return withCallback({ ...envelope(to, options), type: "interactive", interactive }, options);
}

/** Reply buttons (≤ 3) or a single-section list (≤ 10 rows). */
export function metaInteractiveBody(to: string, input: InteractiveInput, options?: SendOptions): Body {
  if (input.kind === "buttons") return metaButtonsBody(to, input.body, input.options, options);
  const rows = input.options.map((o) => ({ id: o.id, title: o.title }));
  const action = { button: input.button ?? "Ver opções", sections: [{ title: "Opções", rows }] };
  const interactive = { type: "list", body: { text: input.body }, action };
  return withCallback({ ...envelope(to, options), type: "interactive", interactive }, options);
}

export function metaLocationBody(to: string, location: LocationInput, options?: SendOptions): Body {
  const object: Body = { latitude: location.latitude, longitude: location.longitude };
  if (location.name) object.name = location.name;
  if (location.address) object.address = location.address;
  return withCallback({ ...envelope(to, options), type: "location", location: object }, options);
}

/** `name.formatted_name` is the one required field; `wa_id` gives the card its Message/Save buttons. */
export function metaContactsBody(to: string, cards: ContactCardInput[], options?: SendOptions): Body {
  const contacts = cards.map((card) => {
    const contact: Body = {
      name: { formatted_name: card.name, first_name: card.name.split(" ")[0] ?? card.name },
      phones: card.phones.map((p) => {
        const phone: Body = { phone: p.phone, type: p.type ?? "CELL" };
        if (p.waId) phone.wa_id = p.waId;
        return phone;
      }),
    };
    if (card.email) contact.emails = [{ email: card.email, type: "WORK" }];
    if (card.organization) contact.org = { company: card.organization };
    return contact;
  });
  return withCallback({ ...envelope(to, options), type: "contacts", contacts }, options);
}

/** An empty emoji removes our earlier reaction. */
export function metaReactionBody(to: string, reaction: ReactionInput, options?: SendOptions): Body {
  const object = { message_id: reaction.target.providerMessageId, emoji: reaction.emoji };
  const { context: _none, ...body } = envelope(to, undefined);
  return withCallback({ ...body, type: "reaction", reaction: object }, options);
}
