import { createHash } from "node:crypto";
import type { Context, Hono } from "hono";
import { normalizePhone } from "../phone";
import { scheduleStatuses } from "./auto-statuses";
import { failResponse, metaErrors } from "./failures";
import { metaMediaId, wamid } from "./ids";
import { registerMetaAccountRoutes } from "./meta-account-routes";
import { sendProblem, uploadProblem } from "./meta-send-rules";
import type { SimulatorState } from "./sim-state";
import type { SentMessage } from "./sim-types";

type Json = Record<string, unknown>;

/** Graph refuses a missing or wrong Bearer token before anything else. */
function checkAuth(c: Context, state: SimulatorState): Response | undefined {
  const token = /^Bearer (.+)$/.exec(c.req.header("authorization") ?? "")?.[1];
  if (!token) return c.json(metaErrors.noToken(), 401);
  if (state.meta.accessToken && token !== state.meta.accessToken) return c.json(metaErrors.badToken(), 401);
  return undefined;
}

/** Mark-as-read, optionally with the typing indicator: a customer's message id is required. */
function readProblem(body: Json): string | undefined {
  if (body.messaging_product !== "whatsapp" || typeof body.message_id !== "string")
    return "The parameter message_id is required.";
  const typing = body.typing_indicator as Json | undefined;
  if (typing !== undefined && typing?.type !== "text") return "Parameter 'typing_indicator['type']' must be 'text'.";
  return undefined;
}

/** Graph endpoints the Meta adapter uses: messages (sends and mark-as-read), media upload/get/download. */
export function registerMetaRoutes(app: Hono, state: SimulatorState): void {
  app.get("/whatsapp_business/attachments/", (c) => {
    const denied = checkAuth(c, state);
    if (denied) return denied;
    const media = state.media.get(c.req.query("mid") ?? "");
    if (!media) return c.json(metaErrors.invalidParameter("media not found or URL expired"), 404);
    return c.body(Buffer.from(media.bytes), 200, { "content-type": media.mimeType });
  });

  app.use("/:version{v\\d+\\.\\d+}/*", async (c, next) => {
    const denied = checkAuth(c, state);
    if (denied) return denied;
    // A GET on the versioned root is a media lookup (the only GET the adapter makes there).
    const failure = state.takeFailure("META", c.req.method === "GET" ? "media" : undefined);
    if (failure) return failResponse(c, state, "META", failure);
    await next();
  });

  app.post("/:version{v\\d+\\.\\d+}/:phoneNumberId/messages", async (c) => {
    const phoneNumberId = c.req.param("phoneNumberId");
    if (state.meta.phoneNumberId && phoneNumberId !== state.meta.phoneNumberId) {
      return c.json(metaErrors.unknownObject(phoneNumberId), 400);
    }
    const body = (await c.req.json().catch(() => null)) as Json | null;
    if (typeof body !== "object" || body === null)
      return c.json(metaErrors.invalidParameter("Request body must be JSON."), 400);
    if (body.status === "read") {
      const problem = readProblem(body);
      if (problem) return c.json(metaErrors.invalidParameter(problem), 400);
      return c.json({ success: true });
    }
    const problem = sendProblem(body, (id) => state.media.get(id));
    if (problem?.code === 131053) return c.json(metaErrors.mediaProblem(problem.details), 400);
    if (problem) return c.json(metaErrors.invalidParameter(problem.details), 400);
    const input = String(body.to ?? body.recipient);
    const waId = normalizePhone(input)?.key ?? input.replace(/\D/g, "");
    const sent: SentMessage = {
      provider: "META",
      providerMessageId: wamid(),
      channel: phoneNumberId,
      to: waId,
      type: String(body.type ?? "text"),
      request: body,
      at: new Date(),
    };
    state.sent.push(sent);
    scheduleStatuses(state, sent);
    const message: Json = { id: sent.providerMessageId };
    if (sent.type === "template") message.message_status = "accepted";
    return c.json({ messaging_product: "whatsapp", contacts: [{ input, wa_id: waId }], messages: [message] });
  });

  app.post("/:version{v\\d+\\.\\d+}/:phoneNumberId/media", async (c) => {
    const form = await c.req.parseBody().catch(() => null);
    const file = form?.file;
    if (form?.messaging_product !== "whatsapp") {
      return c.json(metaErrors.invalidParameter("The parameter messaging_product is required."), 400);
    }
    if (!(file instanceof File)) return c.json(metaErrors.invalidParameter("The parameter file is required."), 400);
    const mimeType = typeof form.type === "string" ? form.type : file.type;
    const problem = uploadProblem(mimeType);
    if (problem) return c.json(metaErrors.invalidParameter(problem), 400);
    const id = metaMediaId();
    state.media.set(id, { bytes: new Uint8Array(await file.arrayBuffer()), mimeType, fileName: file.name });
    return c.json({ id });
  });

  registerMetaAccountRoutes(app, state);

  app.get("/:version{v\\d+\\.\\d+}/:mediaId", (c) => {
    const id = c.req.param("mediaId");
    const media = state.media.get(id);
    if (!media) return c.json(metaErrors.unknownObject(id), 400);
    return c.json({
      messaging_product: "whatsapp",
      url: `${state.url}/whatsapp_business/attachments/?mid=${id}`,
      mime_type: media.mimeType,
      sha256: createHash("sha256").update(media.bytes).digest("hex"),
      file_size: String(media.bytes.length),
      id,
    });
  });
}
