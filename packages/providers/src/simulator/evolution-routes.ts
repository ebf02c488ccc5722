import type { Hono } from "hono";
import { acceptSend } from "./evolution-accept-send";
import { registerEvolutionInstanceRoutes } from "./evolution-instance-routes";
import { registerEvolutionMoreSendRoutes } from "./evolution-more-send-routes";
import {
  authorized,
  badRequest,
  evolutionUnauthorized,
  instanceOf,
  jsonBody,
  schemaError,
} from "./evolution-route-helpers";
import { outgoingContent } from "./evolution-sim-payloads";
import { failResponse } from "./failures";
import type { SimulatorState } from "./sim-state";

type Json = Record<string, unknown>;

/** A send route: validate like Evolution's JSON schema, answer 201 with the stored message. */
function sendRoute(
  app: Hono,
  state: SimulatorState,
  path: string,
  route: "text" | "media" | "audio",
  required: string[],
): void {
  app.post(`/message/${path}/:instance`, async (c) => {
    const instance = instanceOf(c, state);
    if (instance instanceof Response) return instance;
    const body = await jsonBody(c);
    const failure = state.takeFailure("EVOLUTION");
    if (failure) return failResponse(c, state, "EVOLUTION", failure, String(body.number ?? ""));
    const missing = required.find((field) => typeof body[field] !== "string" || body[field] === "");
    if (missing) return schemaError(c, missing);
    if (route === "media" && !["image", "video", "document", "audio"].includes(String(body.mediatype))) {
      return badRequest(c, [["instance.mediatype is not one of enum values: image,document,video,audio"]]);
    }
    if (
      route === "media" &&
      body.mediatype === "document" &&
      !String(body.media).startsWith("http") &&
      !body.fileName
    ) {
      return badRequest(c, ["For base64 documents the fileName is required"]);
    }
    if (instance.state !== "open") return badRequest(c, [`The "${instance.name}" instance is not connected`]);
    const type = route === "media" ? String(body.mediatype) : route;
    return acceptSend(c, state, instance, body, { type, ...outgoingContent(route, body) });
  });
}

/** Evolution endpoints the adapter uses (routes are matched on the instance name). */
export function registerEvolutionRoutes(app: Hono, state: SimulatorState): void {
  for (const prefix of ["/message/*", "/chat/*", "/instance/*", "/webhook/*"]) {
    app.use(prefix, async (c, next) => {
      if (!authorized(c, state)) return evolutionUnauthorized(c);
      await next();
    });
  }
  sendRoute(app, state, "sendText", "text", ["number", "text"]);
  sendRoute(app, state, "sendMedia", "media", ["number", "mediatype", "media"]);
  sendRoute(app, state, "sendWhatsAppAudio", "audio", ["number", "audio"]);
  registerEvolutionMoreSendRoutes(app, state);

  app.post("/chat/markMessageAsRead/:instance", async (c) => {
    const instance = instanceOf(c, state);
    if (instance instanceof Response) return instance;
    const failure = state.takeFailure("EVOLUTION");
    if (failure) return failResponse(c, state, "EVOLUTION", failure);
    const body = await jsonBody(c);
    const list = body.readMessages;
    const valid =
      Array.isArray(list) &&
      list.length > 0 &&
      list.every((m: Json) => typeof m?.id === "string" && typeof m?.remoteJid === "string");
    if (!valid) return schemaError(c, "readMessages");
    if (instance.state !== "open") return badRequest(c, [`The "${instance.name}" instance is not connected`]);
    return c.json({ message: "Read messages", read: "success" }, 201);
  });

  app.post("/chat/getBase64FromMediaMessage/:instance", async (c) => {
    const instance = instanceOf(c, state);
    if (instance instanceof Response) return instance;
    const failure = state.takeFailure("EVOLUTION", "media");
    if (failure) return failResponse(c, state, "EVOLUTION", failure);
    const body = await jsonBody(c);
    const id = (body.message as { key?: { id?: unknown } } | undefined)?.key?.id;
    if (typeof id !== "string") return schemaError(c, "message");
    const media = state.media.get(id);
    if (!media) return badRequest(c, ["Message not found"]);
    const kind =
      media.mimeType.split("/")[0] === "application" ? "document" : (media.mimeType.split("/")[0] ?? "document");
    return c.json(
      {
        mediaType: `${kind}Message`,
        fileName: media.fileName ?? `${id}.${media.mimeType.split("/")[1]?.split(";")[0] ?? "bin"}`,
        caption: null,
        size: { fileLength: String(media.bytes.length) },
        mimetype: media.mimeType,
        base64: Buffer.from(media.bytes).toString("base64"),
        buffer: null,
      },
      201,
    );
  });

  registerEvolutionInstanceRoutes(app, state);
}
