/**
 * The public event types an outbound webhook endpoint can subscribe to. Each is
 * derived from a kind of the event catalog by `webhook_public_type` (migration
 * 0022); payloads are documented in docs/webhooks.md.
 */
export const WEBHOOK_EVENT_TYPES = [
  "message.received",
  "message.sent",
  "message.status",
  "conversation.opened",
  "conversation.assigned",
  "conversation.transferred",
  "conversation.closed",
  "contact.created",
  "contact.updated",
  "campaign.finished",
  "csat.answered",
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The type of an "enviar teste" delivery: never subscribed to, always accepted. */
export const WEBHOOK_TEST_TYPE = "webhook.test";

/** The job that delivers one lane (an endpoint's conversation, or one lone delivery) in order. */
export const DELIVER_LANE_JOB = "webhooks/deliver_lane" as const;

export function laneJobKey(endpointId: string, lane: string): string {
  return `webhook:${endpointId}:${lane}`;
}
