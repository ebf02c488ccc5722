import type { z } from "zod";
import { WebhookParseError } from "../errors";
import { phoneFromJid } from "../phone";
import type { DeliveryStatus, InboundMessage, WebhookEvent } from "../types";
import { evolutionDelete, evolutionEdit } from "./evolution-kinds";
import { fillContent, senderOf } from "./evolution-message";
import {
  evolutionConnectionSchema,
  evolutionEnvelopeSchema,
  evolutionMessageSchema,
  evolutionQrSchema,
  evolutionUpdateSchema,
  toDate,
} from "./evolution-webhook-schema";

export interface EvolutionWebhookBatch {
  instanceName: string;
  /** Instance token when Evolution exposes it; compare with the stored one if you rely on it. */
  apikey?: string;
  events: WebhookEvent[];
}

/** Baileys ack levels by name and number (utils/renderStatus.ts). PENDING/DELETED are not statuses for us. */
const STATUS: Record<string, DeliveryStatus> = {
  SERVER_ACK: "sent",
  DELIVERY_ACK: "delivered",
  READ: "read",
  PLAYED: "played",
  ERROR: "failed",
  "0": "failed",
  "2": "sent",
  "3": "delivered",
  "4": "read",
  "5": "played",
};

function parse<T>(schema: z.ZodType<T>, value: unknown, path: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new WebhookParseError(issue?.message ?? "invalid", [path, ...(issue?.path ?? []).map(String)].join("."));
}

const list = (data: unknown): unknown[] => (Array.isArray(data) ? data : [data]);

/** "MESSAGES_UPSERT", "messages-upsert" (byEvents URLs) and "messages.upsert" are one event. */
export function normalizeEventName(event: string): string {
  return event.toLowerCase().replace(/[_-]/g, ".");
}

function messageEvents(data: unknown, fallback: Date, echo: boolean): WebhookEvent[] {
  return list(data).flatMap((item, i): WebhookEvent[] => {
    const message = parse(evolutionMessageSchema, item, `data${Array.isArray(data) ? `.${i}` : ""}`);
    // Status stories and groups are not customer-service chats.
    if (/@(g\.us|broadcast)$/.test(message.key.remoteJid)) return [];
    const event: InboundMessage = {
      kind: "message",
      providerMessageId: message.key.id,
      from: senderOf(message),
      timestamp: toDate(message.messageTimestamp, fallback),
      type: "unknown",
      fromMe: echo || message.key.fromMe === true,
    };
    fillContent(event, message);
    return [event];
  });
}

/**
 * Normalises one Evolution webhook POST. Unknown events (contacts, chats, presence…)
 * give no events; a body that is not an Evolution envelope throws WebhookParseError.
 */
export function parseEvolutionWebhook(body: unknown): EvolutionWebhookBatch {
  const envelope = parse(evolutionEnvelopeSchema, body, "");
  const batch: EvolutionWebhookBatch = { instanceName: envelope.instance, events: [] };
  if (envelope.apikey) batch.apikey = envelope.apikey;
  // date_time is server-local time mislabelled as UTC; only a fallback.
  const received = new Date();
  const { data } = envelope;
  switch (normalizeEventName(envelope.event)) {
    case "messages.upsert":
      batch.events = messageEvents(data, received, false);
      break;
    case "send.message":
      batch.events = messageEvents(data, received, true);
      break;
    case "messages.edited":
      batch.events = list(data).flatMap((item) => evolutionEdit(item, received));
      break;
    case "messages.delete":
      batch.events = list(data).flatMap((item) => evolutionDelete(item, received));
      break;
    case "messages.update":
      batch.events = list(data).flatMap((item, i): WebhookEvent[] => {
        const update = parse(evolutionUpdateSchema, item, `data.${i}`);
        const id = update.keyId ?? update.key?.id;
        const status = STATUS[String(update.status)];
        // Receipts of messages we received (fromMe false) say nothing about our sends.
        if (!id || !status || update.fromMe === false) return [];
        const event: WebhookEvent = { kind: "status", providerMessageId: id, status, timestamp: received };
        if (update.remoteJid) event.recipient = update.remoteJid;
        if (status === "failed")
          event.error = { code: "ERROR", message: "WhatsApp reported an error (no reason given)" };
        return [event];
      });
      break;
    case "connection.update": {
      const c = parse(evolutionConnectionSchema, data, "data");
      const state = c.state === "open" || c.state === "connecting" ? c.state : "close";
      const event: WebhookEvent = { kind: "connection", state };
      if (c.statusReason !== undefined && state !== "open") event.reason = String(c.statusReason);
      const phone = c.wuid ? phoneFromJid(c.wuid) : null;
      if (phone) event.phone = phone;
      if (c.profileName) event.profileName = c.profileName;
      batch.events = [event];
      break;
    }
    case "qrcode.updated": {
      const qr = parse(evolutionQrSchema, data, "data").qrcode;
      // Without a qrcode object this is the "QR code limit reached" notice; connection.update follows.
      if (qr?.base64 || qr?.code) {
        const event: WebhookEvent = { kind: "qr" };
        if (qr.base64) event.qrBase64 = qr.base64;
        if (qr.code) event.code = qr.code;
        if (qr.pairingCode) event.pairingCode = qr.pairingCode;
        batch.events = [event];
      }
      break;
    }
  }
  return batch;
}
