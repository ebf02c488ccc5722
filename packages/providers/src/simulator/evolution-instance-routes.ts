import type { Hono } from "hono";
import { badRequest, instanceOf } from "./evolution-route-helpers";
import { evolutionError, failResponse } from "./failures";
import { uuid } from "./ids";
import type { EvolutionInstance, SimulatorState } from "./sim-state";
import { postEvolutionWebhook } from "./webhook-poster";

type Json = Record<string, unknown>;

/** A 1×1 PNG: enough for an <img> in the console. */
const QR_BASE64 =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

function qrFor(instance: EvolutionInstance): Json {
  return { pairingCode: null, code: `2@sim-${instance.instanceId}`, base64: QR_BASE64, count: 1 };
}

/** Instance lifecycle (create / connect / state / logout) and webhook configuration. */
export function registerEvolutionInstanceRoutes(app: Hono, state: SimulatorState): void {
  app.post("/instance/create", async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as Json;
    if (typeof body.instanceName !== "string" || !body.instanceName)
      return badRequest(c, [['instance requires property "instanceName"']]);
    if (!["WHATSAPP-BAILEYS", "WHATSAPP-BUSINESS", "EVOLUTION"].includes(String(body.integration)))
      return badRequest(c, ["Invalid integration"]);
    if (state.instances.has(body.instanceName)) {
      return c.json(evolutionError(403, "Forbidden", [`This name "${body.instanceName}" is already in use.`]), 403);
    }
    const webhook = (body.webhook ?? {}) as {
      url?: string;
      headers?: Record<string, string>;
      base64?: boolean;
      byEvents?: boolean;
    };
    const instance: EvolutionInstance = {
      name: body.instanceName,
      instanceId: uuid(),
      token: typeof body.token === "string" ? body.token : uuid().toUpperCase(),
      state: body.qrcode ? "connecting" : "close",
      webhookUrl: webhook.url,
      webhookHeaders: webhook.headers,
    };
    state.instances.set(instance.name, instance);
    return c.json(
      {
        instance: {
          instanceName: instance.name,
          instanceId: instance.instanceId,
          integration: body.integration,
          webhookWaBusiness: null,
          accessTokenWaBusiness: "",
          status: instance.state,
        },
        hash: instance.token,
        webhook: {
          webhookUrl: webhook.url,
          webhookHeaders: webhook.headers,
          webhookByEvents: webhook.byEvents ?? false,
          webhookBase64: webhook.base64 ?? false,
        },
        websocket: {},
        rabbitmq: {},
        nats: {},
        sqs: {},
        settings: {},
        qrcode: body.qrcode ? qrFor(instance) : { count: 0 },
      },
      201,
    );
  });

  app.get("/instance/connect/:instance", (c) => {
    const instance = instanceOf(c, state);
    if (instance instanceof Response) return instance;
    if (instance.state === "open") return c.json({ instance: { instanceName: instance.name, state: "open" } });
    instance.state = "connecting";
    const qr = qrFor(instance);
    state.track(
      postEvolutionWebhook(state, instance.name, "qrcode.updated", { qrcode: { instance: instance.name, ...qr } }),
    );
    return c.json(qr);
  });

  app.get("/instance/connectionState/:instance", (c) => {
    const instance = instanceOf(c, state);
    if (instance instanceof Response) return instance;
    return c.json({ instance: { instanceName: instance.name, state: instance.state } });
  });

  app.delete("/instance/logout/:instance", async (c) => {
    const instance = instanceOf(c, state);
    if (instance instanceof Response) return instance;
    const failure = state.takeFailure("EVOLUTION");
    if (failure) return failResponse(c, state, "EVOLUTION", failure);
    if (instance.state === "close") return badRequest(c, [`The "${instance.name}" instance is not connected`]);
    instance.state = "close";
    state.track(
      postEvolutionWebhook(state, instance.name, "connection.update", {
        instance: instance.name,
        state: "close",
        statusReason: 401,
      }),
    );
    return c.json({ status: "SUCCESS", error: false, response: { message: "Instance logged out" } });
  });

  app.post("/webhook/set/:instance", async (c) => {
    const instance = instanceOf(c, state);
    if (instance instanceof Response) return instance;
    const body = (await c.req.json().catch(() => ({}))) as Json;
    const webhook = body.webhook as Json | undefined;
    if (typeof webhook?.enabled !== "boolean") return badRequest(c, [['instance requires property "webhook.enabled"']]);
    if (typeof webhook.url !== "string" || !/^https?:\/\//.test(webhook.url))
      return badRequest(c, [['instance requires property "webhook.url"']]);
    instance.webhookUrl = webhook.enabled ? webhook.url : undefined;
    instance.webhookHeaders = webhook.headers as Record<string, string> | undefined;
    const now = new Date().toISOString();
    return c.json(
      {
        id: `sim${instance.instanceId.replace(/-/g, "").slice(0, 22)}`,
        url: webhook.url,
        headers: webhook.headers ?? {},
        enabled: webhook.enabled,
        events: webhook.events ?? [],
        webhookByEvents: webhook.byEvents ?? false,
        webhookBase64: webhook.base64 ?? false,
        createdAt: now,
        updatedAt: now,
        instanceId: instance.instanceId,
      },
      201,
    );
  });
}
