import { z } from "zod";

/**
 * Answers of `/api/v1`, for the OpenAPI document. The core verbs shape them
 * (the same objects the console gets); these name the main fields, others may
 * appear. Dates are ISO-8601 strings.
 */
const when = z.string().describe("ISO-8601 date-time");
const nullableWhen = when.nullable();

export const QueuedMessageOut = z.object({
  id: z.string().uuid(),
  conversationId: z.string().uuid(),
  status: z.string().describe("QUEUED, then SENT, DELIVERED, READ or FAILED (see message.status webhooks)"),
  type: z.string(),
  createdAt: when,
});

export const ContactOut = z.looseObject({
  id: z.string().uuid(),
  phone: z.string().nullable(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  tags: z.array(z.string()),
  customFields: z.record(z.string(), z.string()),
  optedOutAt: nullableWhen,
  createdAt: when,
  updatedAt: when,
});

export const ContactPage = z.object({ items: z.array(ContactOut), nextCursor: z.string().nullable() });

export const ConversationOut = z.looseObject({
  id: z.string().uuid(),
  status: z.enum(["WAITING", "OPEN", "CLOSED", "EXPIRED"]),
  contact: z.object({ id: z.string().uuid(), name: z.string().nullable(), phone: z.string().nullable() }),
  instanceId: z.string().uuid(),
  operatorId: z.string().uuid().nullable(),
  operatorName: z.string().nullable(),
  tabulationId: z.string().uuid().nullable(),
  departmentId: z.string().uuid().nullable(),
  createdAt: when,
  lastInboundAt: nullableWhen,
  lastMessageAt: nullableWhen,
  closedAt: nullableWhen,
});

export const ConversationPage = z.object({ items: z.array(ConversationOut), nextCursor: z.string().nullable() });

export const MessageOut = z.looseObject({
  id: z.string().uuid(),
  conversationId: z.string().uuid(),
  direction: z.enum(["IN", "OUT"]),
  type: z.string(),
  body: z.string().nullable(),
  status: z.string(),
  createdAt: when,
});

export const MessagePage = z.object({ items: z.array(MessageOut), nextCursor: z.string().nullable() });

export const ConversationChange = z.object({
  id: z.string().uuid(),
  status: z.string(),
  operatorId: z.string().uuid().nullable().optional(),
  tabulationId: z.string().uuid().nullable().optional(),
  closedAt: nullableWhen.optional(),
});

export const CampaignOut = z.looseObject({
  id: z.string().uuid(),
  name: z.string(),
  instanceId: z.string().uuid(),
  templateId: z.string().uuid(),
  status: z.string(),
  pacePerMinute: z.number(),
  startAt: nullableWhen,
  startedAt: nullableWhen,
  finishedAt: nullableWhen,
  createdAt: when,
});

export const CampaignStatsOut = z.looseObject({
  campaignId: z.string().uuid(),
  status: z.string(),
  total: z.number(),
  pending: z.number(),
  sent: z.number(),
  delivered: z.number(),
  read: z.number(),
  failed: z.number(),
  skipped: z.number(),
  replied: z.number(),
  estimatedEndAt: nullableWhen,
});

export const ReportSummaryOut = z.looseObject({
  period: z.object({ from: z.string(), to: z.string(), timezone: z.string() }),
  counts: z.object({ closed: z.number(), expired: z.number(), waitingNow: z.number(), openNow: z.number() }),
  closed: z.record(z.string(), z.unknown()).describe("times in seconds: waiting, handling, first response, duration"),
  expired: z.record(z.string(), z.unknown()),
  series: z.array(z.looseObject({ day: z.string(), closed: z.number(), expired: z.number() })),
});

/** JSON of a core result: dates become ISO strings, as on the wire. */
export function plain<T>(value: T): unknown {
  return JSON.parse(JSON.stringify(value));
}
