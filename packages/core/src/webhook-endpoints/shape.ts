import type { webhookEndpoints } from "@elsehu/db";
import { z } from "zod";
import { WEBHOOK_EVENT_TYPES } from "./event-types";

/** An endpoint as admins see it: never its secret (`revealWebhookSecret` is the one way to it). */
export function publicWebhookEndpoint(row: typeof webhookEndpoints.$inferSelect) {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    eventTypes: row.eventTypes,
    enabled: row.enabled,
    disabledReason: row.disabledReason as "admin" | "failures" | null,
    disabledAt: row.disabledAt,
    consecutiveFailures: row.consecutiveFailures,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** http(s), at most 2,000 characters, no user:password part (the secret signs; URLs get logged by proxies). */
export const WebhookUrl = z
  .string()
  .trim()
  .max(2000)
  .url()
  .refine((v) => /^https?:$/.test(new URL(v).protocol), "must be an http(s) URL")
  .refine((v) => !new URL(v).username && !new URL(v).password, "must not carry a user or password");

export const WebhookEventTypes = z
  .array(z.enum(WEBHOOK_EVENT_TYPES))
  .min(1)
  .max(WEBHOOK_EVENT_TYPES.length)
  .transform((s) => [...new Set(s)]);

/** Endpoints a deployment may have: each is a fan-out per event. */
export const MAX_WEBHOOK_ENDPOINTS = 20;
