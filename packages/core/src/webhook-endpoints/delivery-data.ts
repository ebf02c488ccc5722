import { campaigns, contacts, conversations, messages } from "@elsehu/db";
import { eq } from "drizzle-orm";
import { campaignStats } from "../campaigns/campaign-stats";
import type { CoreContext } from "../shared/context";

/** A delivery's `data`, and the contact it is about (for LGPD erasure); null: nothing to send. */
export type BuiltData = { data: Record<string, unknown>; contactId: string | null } | null;

type Payload = Record<string, unknown>;
const str = (p: Payload, k: string) => (typeof p[k] === "string" ? (p[k] as string) : null);

/**
 * Builds the body's `data` of an event delivery from the entity the event names,
 * as it stands at the first attempt (kept for the retries). Admins own
 * endpoints and may see all of it; nothing secret is in it (no provider
 * credentials, no session or media URLs). Internal notes are never sent.
 * The shape of each type is in docs/webhooks.md.
 */
export async function buildDeliveryData(
  ctx: CoreContext,
  type: string,
  kind: string | null,
  payload: Payload | null,
): Promise<BuiltData> {
  const p = payload ?? {};
  if (type === "message.received" || type === "message.sent" || type === "message.status") {
    const id = str(p, "messageId");
    return id ? messageData(ctx, id, type === "message.status") : null;
  }
  if (type === "contact.created" || type === "contact.updated") {
    const id = str(p, "contactId");
    const contact = id ? await contactOf(ctx, id) : null;
    return contact ? { data: { contact }, contactId: contact.id } : null;
  }
  if (type === "campaign.finished") {
    const id = str(p, "campaignId");
    return id ? campaignData(ctx, id) : null;
  }
  if (kind?.startsWith("conversation.")) {
    const id = str(p, "conversationId");
    return id ? conversationData(ctx, id, type, p) : null;
  }
  return null;
}

async function messageData(ctx: CoreContext, id: string, statusOnly: boolean): Promise<BuiltData> {
  const [m] = await ctx.db.select().from(messages).where(eq(messages.id, id));
  if (!m || m.type === "note") return null;
  const conversation = await conversationOf(ctx, m.conversationId);
  if (!conversation) return null;
  const status = {
    id: m.id,
    conversationId: m.conversationId,
    status: m.status,
    providerMessageId: m.providerMessageId,
    errorCode: m.errorCode,
    errorMessage: m.errorMessage,
  };
  if (statusOnly) return { data: { message: status }, contactId: conversation.contactId };
  const message = {
    ...status,
    direction: m.direction,
    type: m.type,
    body: m.deletedAt ? null : m.body,
    mimeType: m.media?.mimeType ?? null,
    authorId: m.authorId,
    createdAt: m.createdAt.toISOString(),
  };
  const contact = await contactOf(ctx, conversation.contactId);
  return { data: { message, conversation, contact }, contactId: conversation.contactId };
}

async function conversationData(ctx: CoreContext, id: string, type: string, p: Payload): Promise<BuiltData> {
  const conversation = await conversationOf(ctx, id);
  if (!conversation) return null;
  const contact = await contactOf(ctx, conversation.contactId);
  const data: Record<string, unknown> = { conversation, contact };
  if (type === "conversation.assigned" || type === "conversation.transferred") {
    data.operatorId = str(p, "operatorId");
    data.previousOperatorId = str(p, "previousOperatorId");
    data.byUserId = str(p, "byUserId");
    data.note = str(p, "note");
  }
  if (type === "csat.answered") data.score = typeof p.csatScore === "number" ? p.csatScore : conversation.csatScore;
  return { data, contactId: conversation.contactId };
}

async function conversationOf(ctx: CoreContext, id: string) {
  const [c] = await ctx.db.select().from(conversations).where(eq(conversations.id, id));
  if (!c) return null;
  return {
    id: c.id,
    protocol: c.protocol,
    status: c.status,
    contactId: c.contactId,
    instanceId: c.instanceId,
    departmentId: c.departmentId,
    operatorId: c.operatorId,
    tabulationId: c.tabulationId,
    tags: c.tags,
    csatScore: c.csatScore,
    createdAt: c.createdAt.toISOString(),
    closedAt: c.closedAt?.toISOString() ?? null,
  };
}

async function contactOf(ctx: CoreContext, id: string) {
  const [c] = await ctx.db.select().from(contacts).where(eq(contacts.id, id));
  if (!c) return null;
  return {
    id: c.id,
    phone: c.phone,
    name: c.name,
    email: c.email,
    tags: c.tags,
    customFields: c.customFields,
    optedOut: c.optedOutAt !== null,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

async function campaignData(ctx: CoreContext, id: string): Promise<BuiltData> {
  const [c] = await ctx.db.select().from(campaigns).where(eq(campaigns.id, id));
  if (!c) return null;
  const { currentRatePerMinute: _rate, estimatedEndAt: _end, ...stats } = await campaignStats(ctx, id);
  const campaign = { id: c.id, name: c.name, status: c.status, instanceId: c.instanceId };
  return { data: { campaign, stats }, contactId: null };
}
