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

/** EventController.events of 2.3.6 (+ MESSAGING_HISTORY_SET of 2.3.7): /webhook/set refuses others. */
export const EVOLUTION_EVENTS = new Set([
  "APPLICATION_STARTUP",
  "QRCODE_UPDATED",
  "MESSAGES_SET",
  "MESSAGES_UPSERT",
  "MESSAGES_EDITED",
  "MESSAGES_UPDATE",
  "MESSAGES_DELETE",
  "SEND_MESSAGE",
  "SEND_MESSAGE_UPDATE",
  "CONTACTS_SET",
  "CONTACTS_UPSERT",
  "CONTACTS_UPDATE",
  "PRESENCE_UPDATE",
  "CHATS_SET",
  "CHATS_UPSERT",
  "CHATS_UPDATE",
  "CHATS_DELETE",
  "GROUPS_UPSERT",
  "GROUP_UPDATE",
  "GROUP_PARTICIPANTS_UPDATE",
  "CONNECTION_UPDATE",
  "LABELS_EDIT",
  "LABELS_ASSOCIATION",
  "CALL",
  "TYPEBOT_START",
  "TYPEBOT_CHANGE_STATUS",
  "REMOVE_INSTANCE",
  "LOGOUT_INSTANCE",
  "INSTANCE_CREATE",
  "INSTANCE_DELETE",
  "STATUS_INSTANCE",
  "MESSAGING_HISTORY_SET",
]);

function webhookRow(instance: EvolutionInstance, webhook: Json, enabled: boolean): Json {
  const now = new Date().toISOString();
  return {
    id: `sim${instance.instanceId.replace(/-/g, "").slice(0, 22)}`,
    url: webhook.url,
    headers: webhook.headers ?? {},
    enabled,
    events: instance.webhookEvents ?? [],
    webhookByEvents: webhook.byEvents ?? false,
    webhookBase64: webhook.base64 ?? false,
    createdAt: now,
    updatedAt: now,
    instanceId: instance.instanceId,
  };
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
      events?: string[];
    };
    const instance: EvolutionInstance = {
      name: body.instanceName,
      instanceId: uuid(),
      token: typeof body.token === "string" ? body.token : uuid().toUpperCase(),
      state: body.qrcode ? "connecting" : "close",
      webhookUrl: webhook.url,
      webhookHeaders: webhook.headers,
      // Not schema-validated on create: stored as given ([] = all).
      webhookEvents: Array.isArray(webhook.events) ? webhook.events : undefined,
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

  app.get("/instance/fetchInstances", (c) => {
    const name = c.req.query("instanceName");
    const list = [...state.instances.values()].filter((i) => !name || i.name === name);
    if (name && list.length === 0) {
      return c.json(evolutionError(404, "Not Found", [`The "${name}" instance does not exist`]), 404);
    }
    return c.json(
      list.map((i) => ({
        id: i.instanceId,
        name: i.name,
        connectionStatus: i.state,
        integration: "WHATSAPP-BAILEYS",
        token: i.token ?? null,
      })),
    );
  });

  app.get("/webhook/find/:instance", (c) => {
    const instance = instanceOf(c, state);
    if (instance instanceof Response) return instance;
    if (!instance.webhookUrl) return c.json(null);
    return c.json(webhookRow(instance, { url: instance.webhookUrl, headers: instance.webhookHeaders }, true));
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
    const events = webhook.events ?? [];
    if (!Array.isArray(events)) return badRequest(c, [["instance.webhook.events is not of a type(s) array"]]);
    const unknown = events.find((e) => !EVOLUTION_EVENTS.has(String(e)));
    if (unknown !== undefined)
      return badRequest(c, [[`instance.webhook.events[${events.indexOf(unknown)}] is not one of enum values`]]);
    instance.webhookUrl = webhook.enabled ? webhook.url : undefined;
    instance.webhookHeaders = webhook.headers as Record<string, string> | undefined;
    instance.webhookEvents = webhook.enabled ? events.map(String) : [];
    return c.json(webhookRow(instance, webhook, webhook.enabled), 201);
  });
}
