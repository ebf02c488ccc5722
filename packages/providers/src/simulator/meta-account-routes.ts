import type { Context, Hono } from "hono";
import type { SimulatorState } from "./sim-state";

const unknownObject = (c: Context, id: string) =>
  c.json(
    {
      error: {
        message: `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
        type: "GraphMethodException",
        code: 100,
        error_subcode: 33,
        fbtrace_id: "AZ9kQwErTy1234567890Ab",
      },
    },
    400,
  );

/**
 * The WhatsApp Business Account side of Graph: phone number details (GET /{PHONE_NUMBER_ID})
 * and the template list (GET /{WABA_ID}/message_templates, paged by `after` cursors).
 * Registered before the media route, which takes every other GET /{id}.
 */
export function registerMetaAccountRoutes(app: Hono, state: SimulatorState): void {
  app.get("/:version{v\\d+\\.\\d+}/:wabaId/message_templates", (c) => {
    const wabaId = c.req.param("wabaId");
    if (state.meta.wabaId && wabaId !== state.meta.wabaId) return unknownObject(c, wabaId);
    const limit = Math.min(Math.max(Number(c.req.query("limit") ?? 25) || 25, 1), 100);
    const start = Number(Buffer.from(c.req.query("after") ?? "", "base64url").toString() || 0) || 0;
    const page = state.metaTemplates.slice(start, start + limit);
    const end = start + page.length;
    const paging: Record<string, unknown> = {
      cursors: {
        before: Buffer.from(String(start)).toString("base64url"),
        after: Buffer.from(String(end)).toString("base64url"),
      },
    };
    if (end < state.metaTemplates.length) {
      const after = Buffer.from(String(end)).toString("base64url");
      paging.next = `${state.url}${c.req.path}?limit=${limit}&after=${after}`;
    }
    return c.json({ data: page, paging });
  });

  app.get("/:version{v\\d+\\.\\d+}/:id", async (c, next) => {
    const id = c.req.param("id");
    if (state.media.has(id)) return next();
    // A number's details are asked with `fields`; any other id is a media lookup.
    if (id === state.meta.phoneNumberId || (!state.meta.phoneNumberId && c.req.query("fields")))
      return c.json(phoneInfo(state, id));
    if (c.req.query("fields")) return unknownObject(c, id);
    return next();
  });
}

function phoneInfo(state: SimulatorState, id: string): Record<string, unknown> {
  return {
    display_phone_number: "+55 11 94000-1234",
    verified_name: "Loja Centro",
    code_verification_status: "VERIFIED",
    quality_rating: "GREEN",
    name_status: "APPROVED",
    platform_type: "CLOUD_API",
    throughput: { level: "STANDARD" },
    whatsapp_business_manager_messaging_limit: "TIER_250",
    ...state.metaPhoneInfo,
    id,
  };
}
