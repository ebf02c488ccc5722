import type { Hono } from "hono";
import { z } from "zod";
import { injectInbound, setWebhookTarget } from "./inject-inbound";
import type { SimulatorState } from "./sim-state";
import { postEvolutionWebhook } from "./webhook-poster";

const provider = z.enum(["META", "EVOLUTION"]);
const failSchema = z.object({
  provider: provider.optional(),
  times: z.number().int().positive(),
  kind: z.enum(["429", "500", "timeout", "131047", "not_on_whatsapp", "instance_not_connected"]),
  route: z.literal("media").optional(),
});
const inboundSchema = z.object({
  provider,
  from: z.string().min(1),
  type: z
    .enum(["text", "image", "audio", "video", "document", "location", "reaction", "button", "interactive"])
    .optional(),
  body: z.string().optional(),
  name: z.string().optional(),
  id: z.string().optional(),
  replyTo: z.string().optional(),
  bsuid: z.string().optional(),
  lid: z.string().optional(),
  instanceName: z.string().optional(),
  media: z
    .object({ mimeType: z.string().optional(), fileName: z.string().optional(), base64: z.string().optional() })
    .optional(),
  location: z
    .object({
      latitude: z.number(),
      longitude: z.number(),
      name: z.string().optional(),
      address: z.string().optional(),
    })
    .optional(),
  reactionTo: z.string().optional(),
  replyId: z.string().optional(),
  replyKind: z.enum(["button", "list"]).optional(),
});
const targetSchema = z.object({
  provider,
  url: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  appSecret: z.string().optional(),
  instanceName: z.string().optional(),
});
const connectionSchema = z.object({
  instanceName: z.string().optional(),
  state: z.enum(["open", "connecting", "close"]),
});

/** /_sim/* lets another process (demo, cluster tests) drive the simulator over HTTP. */
export function registerControlRoutes(app: Hono, state: SimulatorState): void {
  app.get("/_sim/received", (c) => c.json(state.received));
  app.get("/_sim/sent", (c) => c.json(state.sent));
  app.get("/_sim/webhooks", (c) => c.json(state.deliveries));
  app.post("/_sim/reset", (c) => {
    state.reset();
    return c.json({ ok: true });
  });
  app.post("/_sim/fail", async (c) => {
    const rule = failSchema.safeParse(await c.req.json().catch(() => null));
    if (!rule.success) return c.json({ error: rule.error.issues }, 400);
    state.rules.push(rule.data);
    return c.json({ ok: true });
  });
  app.post("/_sim/inbound", async (c) => {
    const input = inboundSchema.safeParse(await c.req.json().catch(() => null));
    if (!input.success) return c.json({ error: input.error.issues }, 400);
    const { provider: kind, ...rest } = input.data;
    return c.json({ status: await injectInbound(state, kind, rest) });
  });
  app.post("/_sim/webhook-target", async (c) => {
    const target = targetSchema.safeParse(await c.req.json().catch(() => null));
    if (!target.success) return c.json({ error: target.error.issues }, 400);
    const { provider: kind, ...rest } = target.data;
    setWebhookTarget(state, kind, rest);
    return c.json({ ok: true });
  });
  /** Simulates a QR scan (open) or a phone-side logout (close). */
  app.post("/_sim/connection", async (c) => {
    const input = connectionSchema.safeParse(await c.req.json().catch(() => null));
    if (!input.success) return c.json({ error: input.error.issues }, 400);
    const name = input.data.instanceName ?? state.defaultInstance;
    const instance = state.instances.get(name);
    if (!instance) return c.json({ error: `unknown instance ${name}` }, 404);
    instance.state = input.data.state;
    const data: Record<string, unknown> = {
      instance: name,
      state: input.data.state,
      statusReason: input.data.state === "close" ? 401 : 200,
    };
    if (input.data.state === "open")
      Object.assign(data, { wuid: "5511940001234@s.whatsapp.net", profileName: "Simulador" });
    return c.json({ status: await postEvolutionWebhook(state, name, "connection.update", data) });
  });
}
