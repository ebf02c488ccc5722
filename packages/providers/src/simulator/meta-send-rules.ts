import type { StoredMedia } from "./sim-state";

type Json = Record<string, unknown>;

export const SEND_TYPES = new Set([
  "text",
  "image",
  "audio",
  "video",
  "document",
  "sticker",
  "template",
  "interactive",
  "reaction",
  "location",
  "contacts",
]);
const MEDIA_TYPES = new Set(["image", "audio", "video", "document", "sticker"]);

/** MIME types the Cloud API takes per media kind (media page, "Supported media types"). */
export const META_MIME: Record<string, string[]> = {
  image: ["image/jpeg", "image/png"],
  audio: ["audio/aac", "audio/amr", "audio/mpeg", "audio/mp4", "audio/ogg"],
  video: ["video/mp4", "video/3gpp"],
  sticker: ["image/webp"],
  document: [
    "text/plain",
    "application/pdf",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  ],
};
const ALL_MIME = new Set(Object.values(META_MIME).flat());
const STICKER_MAX = 500 * 1024;

const baseMime = (mime: string) => mime.split(";")[0]?.trim().toLowerCase() ?? "";
const isNumeric = (v: unknown) =>
  (typeof v === "number" && Number.isFinite(v)) ||
  (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v)));

/** Upload check: Graph refuses a file whose type no message kind takes. */
export function uploadProblem(mimeType: string): string | undefined {
  if (!ALL_MIME.has(baseMime(mimeType)))
    return `Param file must be a file with one of the supported types, got ${mimeType}.`;
  return undefined;
}

/** The file starts as a mono Ogg Opus stream does: an "OggS" page whose first packet is a one-channel OpusHead. */
function isMonoOggOpus(bytes: Uint8Array): boolean {
  const text = (from: number, to: number) => Buffer.from(bytes.subarray(from, to)).toString("latin1");
  const head = 27 + (bytes[26] ?? 0);
  return text(0, 4) === "OggS" && text(head, head + 8) === "OpusHead" && bytes[head + 9] === 1;
}

/** An uploaded media id used with a kind that does not take its type (Meta: 131053 media upload error). */
function mediaProblem(type: string, object: Json, media: (id: string) => StoredMedia | undefined): string | undefined {
  if (typeof object.id !== "string") return undefined;
  const stored = media(object.id);
  if (!stored) return `Media id ${object.id} not found.`;
  const mime = baseMime(stored.mimeType);
  if (!META_MIME[type]?.includes(mime)) return `${type} does not accept media of type ${mime}.`;
  const notOpus = /codecs=/i.test(stored.mimeType) && !/codecs="?opus/i.test(stored.mimeType);
  if (type === "audio" && object.voice === true && (mime !== "audio/ogg" || notOpus || !isMonoOggOpus(stored.bytes))) {
    return "A voice message must be an OGG file with the OPUS codec.";
  }
  if (type === "sticker" && stored.bytes.length > STICKER_MAX) return "Sticker file exceeds 500 KB.";
  return undefined;
}

function kindProblem(type: string, object: Json): string | undefined {
  switch (type) {
    case "text":
      if (typeof object.body !== "string" || object.body === "") return "Parameter 'text['body']' is required.";
      if (object.body.length > 4096) return "Parameter 'text['body']' is too long (max 4096).";
      return undefined;
    case "location":
      if (!isNumeric(object.latitude) || !isNumeric(object.longitude))
        return "Parameter 'location' requires 'latitude' and 'longitude'.";
      if (Math.abs(Number(object.latitude)) > 90 || Math.abs(Number(object.longitude)) > 180)
        return "Parameter 'location' has latitude or longitude out of range.";
      return undefined;
    case "reaction":
      if (typeof object.message_id !== "string" || object.message_id === "")
        return "Parameter 'reaction['message_id']' is required.";
      if (typeof object.emoji !== "string") return "Parameter 'reaction['emoji']' is required.";
      return undefined;
    case "interactive":
      return interactiveProblem(object);
    case "template": {
      const language = object.language as Json | undefined;
      if (typeof object.name !== "string" || typeof language?.code !== "string")
        return "Parameter 'template' requires 'name' and 'language.code'.";
      return undefined;
    }
  }
  if (MEDIA_TYPES.has(type)) {
    if (typeof object.id !== "string" && typeof object.link !== "string")
      return `Parameter '${type}' must have either 'id' or 'link'.`;
    if ((type === "audio" || type === "sticker") && object.caption !== undefined)
      return `Parameter '${type}['caption']' is not allowed.`;
    if (typeof object.caption === "string" && object.caption.length > 1024)
      return `Parameter '${type}['caption']' is too long (max 1024).`;
    if (object.voice !== undefined && type !== "audio") return `Parameter '${type}['voice']' is not allowed.`;
  }
  return undefined;
}

/** Reply buttons: 1–3, titles ≤ 20, ids unique; list: ≤ 10 rows, titles ≤ 24, button ≤ 20; body ≤ 1024. */
function interactiveProblem(object: Json): string | undefined {
  const body = object.body as Json | undefined;
  if (typeof body?.text !== "string" || body.text === "") return "Parameter 'interactive['body']['text']' is required.";
  if (body.text.length > 1024) return "Parameter 'interactive['body']['text']' is too long (max 1024).";
  const action = object.action as Json | undefined;
  if (object.type === "button") {
    const buttons = action?.buttons;
    if (!Array.isArray(buttons) || buttons.length < 1 || buttons.length > 3)
      return "Parameter 'interactive['action']['buttons']' must hold 1 to 3 buttons.";
    const ids = new Set<string>();
    for (const b of buttons as Json[]) {
      const reply = b.reply as Json | undefined;
      if (typeof reply?.id !== "string" || typeof reply.title !== "string" || reply.title === "")
        return "Each button requires 'reply['id']' and 'reply['title']'.";
      if (reply.title.length > 20) return "Button title is too long (max 20).";
      if (ids.has(reply.id)) return "Button ids must be unique.";
      ids.add(reply.id);
    }
    return undefined;
  }
  if (object.type === "list") {
    if (typeof action?.button !== "string" || action.button === "" || action.button.length > 20)
      return "Parameter 'interactive['action']['button']' is required (max 20).";
    const sections = action.sections;
    if (!Array.isArray(sections) || sections.length === 0)
      return "Parameter 'interactive['action']['sections']' is required.";
    const rows = (sections as Json[]).flatMap((x) => (Array.isArray(x.rows) ? (x.rows as Json[]) : []));
    if (rows.length < 1 || rows.length > 10) return "A list must hold 1 to 10 rows.";
    for (const r of rows) {
      if (typeof r.id !== "string" || typeof r.title !== "string" || r.title === "")
        return "Each row requires 'id' and 'title'.";
      if (r.title.length > 24) return "Row title is too long (max 24).";
    }
    return undefined;
  }
  return `Parameter 'interactive['type']' has an unsupported value: ${String(object.type)}`;
}

function contactsProblem(list: unknown): string | undefined {
  if (!Array.isArray(list) || list.length === 0 || list.length > 257)
    return "Parameter 'contacts' must hold 1 to 257 contacts.";
  for (const [i, c] of list.entries()) {
    const name = (c as Json | null)?.name as Json | undefined;
    if (typeof name?.formatted_name !== "string" || name.formatted_name === "")
      return `Parameter 'contacts[${i}]['name']['formatted_name']' is required.`;
  }
  return undefined;
}

/** The first problem with a send body, worded like Graph's error_data.details (error 100 / 131053). */
export function sendProblem(
  body: Json,
  media: (id: string) => StoredMedia | undefined,
): { details: string; code: 100 | 131053 } | undefined {
  const fail = (details: string | undefined, code: 100 | 131053 = 100) => (details ? { details, code } : undefined);
  if (body.messaging_product !== "whatsapp") return fail("The parameter messaging_product is required.");
  if (typeof body.to !== "string" && typeof body.recipient !== "string") return fail("The parameter to is required.");
  const type = typeof body.type === "string" ? body.type : "text";
  if (!SEND_TYPES.has(type)) return fail(`Parameter 'type' has an invalid value: ${type}`);
  const context = body.context as Json | undefined;
  if (context !== undefined && typeof context?.message_id !== "string")
    return fail("Parameter 'context['message_id']' is required.");
  if (type === "contacts") return fail(contactsProblem(body.contacts));
  const object = body[type] as Json | undefined;
  if (typeof object !== "object" || object === null) return fail(`Parameter '${type}' is required.`);
  return (
    fail(kindProblem(type, object)) ??
    (MEDIA_TYPES.has(type) ? fail(mediaProblem(type, object, media), 131053) : undefined)
  );
}
