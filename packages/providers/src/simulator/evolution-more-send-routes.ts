import type { Context, Hono } from "hono";
import { acceptSend } from "./evolution-accept-send";
import { badRequest, instanceOf, jsonBody, schemaError } from "./evolution-route-helpers";
import { failResponse } from "./failures";
import type { EvolutionInstance, SimulatorState } from "./sim-state";

type Json = Record<string, unknown>;
const FAKE_CDN = "https://mmg.whatsapp.net/sim/sticker.enc";
const PRESENCES = ["composing", "recording", "paused", "available", "unavailable"];

/** One grapheme that is an emoji (flags and ZWJ sequences included), as sendReaction requires. */
function isSingleEmoji(text: string): boolean {
  const graphemes = [...new Intl.Segmenter("en", { granularity: "grapheme" }).segment(text)];
  return graphemes.length === 1 && /\p{Extended_Pictographic}|\p{Regional_Indicator}/u.test(text);
}

function contactProblem(list: unknown): string | undefined {
  if (!Array.isArray(list) || list.length === 0) return "contact";
  for (const item of list as Json[]) {
    if (typeof item?.fullName !== "string" || item.fullName === "") return "contact.fullName";
    if (typeof item.phoneNumber !== "string" || item.phoneNumber.length < 10) return "contact.phoneNumber";
    if (item.wuid !== undefined && !/^\d{10,}$/.test(String(item.wuid))) return "contact.wuid";
  }
  return undefined;
}

/** Shared start of every route: the instance, an injected failure, the JSON body. */
async function open(
  c: Context,
  state: SimulatorState,
): Promise<{ instance: EvolutionInstance; body: Json } | Response> {
  const instance = instanceOf(c, state);
  if (instance instanceof Response) return instance;
  const body = await jsonBody(c);
  const failure = state.takeFailure("EVOLUTION");
  if (failure) return failResponse(c, state, "EVOLUTION", failure, String(body.number ?? ""));
  return { instance, body };
}

const notConnected = (c: Context, instance: EvolutionInstance) =>
  instance.state === "open" ? undefined : badRequest(c, [`The "${instance.name}" instance is not connected`]);

/** sendSticker, sendLocation, sendContact, sendReaction and chat/sendPresence, validated like 2.3.6's schemas. */
export function registerEvolutionMoreSendRoutes(app: Hono, state: SimulatorState): void {
  app.post("/message/sendSticker/:instance", async (c) => {
    const opened = await open(c, state);
    if (opened instanceof Response) return opened;
    const { instance, body } = opened;
    for (const field of ["number", "sticker"])
      if (typeof body[field] !== "string" || body[field] === "") return schemaError(c, field);
    const refused = notConnected(c, instance);
    if (refused) return refused;
    const message = { stickerMessage: { url: FAKE_CDN, mimetype: "image/webp", isAnimated: false } };
    return acceptSend(c, state, instance, body, { type: "sticker", message, messageType: "stickerMessage" });
  });

  app.post("/message/sendLocation/:instance", async (c) => {
    const opened = await open(c, state);
    if (opened instanceof Response) return opened;
    const { instance, body } = opened;
    if (typeof body.number !== "string" || body.number === "") return schemaError(c, "number");
    for (const field of ["latitude", "longitude"]) if (typeof body[field] !== "number") return schemaError(c, field);
    for (const field of ["name", "address"]) if (typeof body[field] !== "string") return schemaError(c, field);
    const refused = notConnected(c, instance);
    if (refused) return refused;
    const message = {
      locationMessage: {
        degreesLatitude: body.latitude,
        degreesLongitude: body.longitude,
        name: body.name,
        address: body.address,
      },
    };
    return acceptSend(c, state, instance, body, { type: "location", message, messageType: "locationMessage" });
  });

  app.post("/message/sendContact/:instance", async (c) => {
    const opened = await open(c, state);
    if (opened instanceof Response) return opened;
    const { instance, body } = opened;
    if (typeof body.number !== "string" || body.number === "") return schemaError(c, "number");
    const problem = contactProblem(body.contact);
    if (problem) return schemaError(c, problem);
    const refused = notConnected(c, instance);
    if (refused) return refused;
    const cards = (body.contact as Json[]).map((card) => ({
      displayName: card.fullName,
      vcard: `BEGIN:VCARD\nVERSION:3.0\nFN:${card.fullName}\nitem1.TEL;waid=${card.wuid ?? ""}:${card.phoneNumber}\nEND:VCARD`,
    }));
    const single = cards.length === 1;
    const message = single
      ? { contactMessage: cards[0] }
      : { contactsArrayMessage: { displayName: `${cards.length} contatos`, contacts: cards } };
    const messageType = single ? "contactMessage" : "contactsArrayMessage";
    return acceptSend(c, state, instance, body, { type: "contacts", message, messageType });
  });

  app.post("/message/sendReaction/:instance", async (c) => {
    const opened = await open(c, state);
    if (opened instanceof Response) return opened;
    const { instance, body } = opened;
    const key = body.key as Json | undefined;
    if (typeof key !== "object" || key === null) return schemaError(c, "key");
    if (typeof key.id !== "string" || key.id === "") return schemaError(c, "key.id");
    if (typeof key.remoteJid !== "string" || key.remoteJid === "") return schemaError(c, "key.remoteJid");
    if (typeof key.fromMe !== "boolean") return schemaError(c, "key.fromMe");
    if (typeof body.reaction !== "string") return schemaError(c, "reaction");
    if (body.reaction !== "" && !isSingleEmoji(body.reaction))
      return badRequest(c, ["Reaction must be a single emoji or empty string"]);
    const refused = notConnected(c, instance);
    if (refused) return refused;
    const message = { reactionMessage: { key, text: body.reaction, senderTimestampMs: String(Date.now()) } };
    return acceptSend(c, state, instance, body, {
      type: "reaction",
      message,
      messageType: "reactionMessage",
      chat: key.remoteJid,
    });
  });

  /** Blocks for `delay` ms like Evolution (capped at 25 s here), then answers 201. */
  app.post("/chat/sendPresence/:instance", async (c) => {
    const opened = await open(c, state);
    if (opened instanceof Response) return opened;
    const { instance, body } = opened;
    if (typeof body.number !== "string" || body.number === "") return schemaError(c, "number");
    if (typeof body.presence !== "string" || !PRESENCES.includes(body.presence))
      return badRequest(c, [[`instance.presence is not one of enum values: ${PRESENCES.join(",")}`]]);
    if (typeof body.delay !== "number" || body.delay < 0) return schemaError(c, "delay");
    const refused = notConnected(c, instance);
    if (refused) return refused;
    await state.sleep(Math.min(body.delay, 25_000));
    return c.json({ presence: body.presence }, 201);
  });
}
