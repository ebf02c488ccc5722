import type { MediaInput, SendOptions, TemplateInput } from "../adapter";
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
  // Audio takes no caption; only documents carry a file name.
  if (media.kind === "document" && media.fileName) object.filename = media.fileName;
  if (media.kind !== "audio" && media.caption) object.caption = media.caption;
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
